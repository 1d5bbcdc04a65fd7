/* xml.h: the little XML reading S3 and STS answers need.
 *
 * S3 error bodies (<Error><Code>..</Code><Message>..</Message></Error>), multipart results
 * (<UploadId>) and STS credentials are flat enough that finding an element by name is all
 * rvalid needs; this is not an XML parser and does not pretend to be one. Thread-safe. */
#ifndef RV_S3_XML_H
#define RV_S3_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* Finds the first element named tag (<tag> or <tag attr="..">, any namespace prefix
 * ignored) in xml[0..len) and appends its text, entities decoded, to out (reset first).
 * Returns false when there is no such element. */
bool s3_xml_text(const char *xml, size_t len, const char *tag, rv_buf *out);

/* Appends s with & < > " ' escaped. */
void s3_xml_escape(const char *s, rv_buf *out);

#endif
