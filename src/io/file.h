/* file.h: reading whole small files (rule files, reference lists). */
#ifndef RV_FILE_H
#define RV_FILE_H

#include <stddef.h>

#include "err.h"

/* Reads all of path ("-" is stdin, "s3://bucket/key" an S3 object) into a NUL-terminated buffer the
 * caller frees. Files over max bytes are refused. On failure returns RV_IO and writes "PATH:
 * reason" to err. */
rv_status file_read_all(const char *path, size_t max, char **out, size_t *len, char *err,
			size_t errlen);

#endif
