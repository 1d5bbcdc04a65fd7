/* source.h: input byte streams: a file, stdin, an s3:// object, gzip (by magic bytes or
 * .gz, multi-member too), with conversion to UTF-8 from the encodings of
 * SPEC 2.6 (latin-1, cp1252, utf-16 with or without BOM).
 *
 * A source yields the decoded, decompressed bytes in order; the caller owns
 * the buffer it reads into. Not thread-safe: one reader thread per source. */
#ifndef RV_SOURCE_H
#define RV_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "rules/ir.h"

typedef struct rv_source rv_source;

/* Opens path ("-" is stdin; "s3://bucket/key" is an S3 object, streamed as the GET's
 * body arrives, see s3/s3.h). encoding says how to decode the bytes (after
 * decompression). On failure returns RV_IO and writes "PATH: reason" to err. */
rv_status source_open(const char *path, rv_encoding encoding, rv_source **out, char *err,
		      size_t errlen);
/* Reads up to cap decoded bytes into buf. Returns the count, 0 at the end,
 * or -1 on failure with "PATH: reason" in err (a read error, corrupt or
 * truncated gzip: "PATH: corrupt gzip data: ..."). A UTF-16 stream with an
 * odd byte count, or an unpaired surrogate, decodes the bad unit to U+FFFD
 * (EF BF BD) and goes on; so does an undefined cp1252 byte (0x81 0x8D 0x8F
 * 0x90 0x9D). cap must be at least 16. */
ssize_t source_read(rv_source *s, char *buf, size_t cap, char *err, size_t errlen);
/* The size of the underlying file or object in bytes (compressed size for gzip),
 * or -1 when unknown (a pipe); and the bytes consumed from it so far. For
 * progress display. */
int64_t source_size(const rv_source *s);
int64_t source_consumed(const rv_source *s);
bool source_is_gzip(const rv_source *s);
/* Closes the file (not stdin) and frees. Accepts NULL. */
void source_close(rv_source *s);

#endif
