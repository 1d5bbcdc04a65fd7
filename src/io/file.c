/* file.c: read a whole small file (or s3:// object). */
#include "io/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3/s3.h"
#include "s3/url.h"
#include "util/buf.h"

rv_status file_read_all(const char *path, size_t max, char **out, size_t *len, char *err,
			size_t errlen)
{
	if (s3_is_url(path))
		return s3_read_all(path, max, out, len, err, errlen);
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return RV_IO;
	}
	rv_buf b;
	buf_init(&b, max + 1);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_append(&b, chunk, n);
		if (b.toobig)
			break;
	}
	bool failed = ferror(f) != 0;
	int saved = errno;
	if (!is_stdin)
		fclose(f);
	if (failed) {
		/* reading a directory fails here with EISDIR */
		snprintf(err, errlen, "%s: %s", path, strerror(saved));
		buf_free(&b);
		return RV_IO;
	}
	if (b.toobig || b.len > max) {
		snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
		buf_free(&b);
		return RV_IO;
	}
	*out = buf_detach(&b, len);
	return RV_OK;
}
