/* source.c: input byte streams (file, stdin, S3, gzip) decoded to UTF-8.
 *
 * Three layers, each pulling from the one below through fixed-size buffers, so memory is the
 * same whatever the input size:
 *   raw     read(2) in big blocks into s->raw (or an S3 GET body as it arrives, s3/s3.h). At
 *           open the first bytes are read (at least 2, or up to the end) to look for the gzip
 *           magic 1f 8b; they stay in the buffer, so nothing is lost and stdin never has to
 *           seek.
 *   bytes   the raw bytes as they are, or zlib's inflate of them. A gzip stream may hold
 *           several members: at each member's end the next two bytes must be the magic again
 *           (inflateReset and go on) or the end of the input; anything else is trailing
 *           garbage. The magic bytes decide, not the name: a plain "x.gz" is read as is.
 *   decode  UTF-8 passes through untouched (the CSV layer checks it and skips a BOM).
 *           latin-1, cp1252 and UTF-16 are converted one code point at a time from s->mid
 *           into the caller's buffer. A unit whose bytes have not all arrived stays at the
 *           front of s->mid until the next fill; a code point whose UTF-8 does not fit in the
 *           caller's buffer stays unconsumed for the next call. No byte is dropped or doubled.
 * Errors are sticky: once a read fails, every later read repeats the message. */
#include "io/source.h"

#include "io/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "s3/s3.h"
#include "s3/url.h"
#include "util/xalloc.h"

#define RAW_CAP    ((size_t)1 << 20) /* compressed or plain bytes from read(2) */
#define MID_CAP    ((size_t)1 << 18) /* decompressed bytes awaiting conversion */
#define DIRECT_MIN ((size_t)1 << 16) /* plain reads this big skip s->raw */
#define READ_MAX   ((size_t)1 << 30) /* largest single read(2) or inflate call */
#define MIN_CAP    16

struct rv_source {
	char *path;    /* as the caller named it ("-" for stdin) */
	int fd;        /* -1 for S3 */
	s3_reader *s3; /* an s3:// object, else NULL */
	bool is_stdin;
	rv_encoding enc;
	int64_t size;     /* st_size of a regular file, else -1 */
	int64_t consumed; /* raw bytes read (file, stdin or S3 body) */

	unsigned char *raw; /* raw[raw_pos, raw_len) is read but not yet used */
	size_t raw_pos, raw_len;
	bool raw_eof; /* read(2) returned 0: never read again (a TTY's ^D) */

	bool gzip;
	bool z_ready;    /* inflateInit2 succeeded: inflateEnd at close */
	bool z_boundary; /* a member ended: the next bytes are a member or the end */
	bool z_end;      /* the last member ended with the input */
	z_stream zs;

	unsigned char *mid; /* mid[mid_pos, mid_len): bytes for the decoder (not ENC_UTF8) */
	size_t mid_pos, mid_len;
	bool mid_eof; /* the bytes layer is exhausted */

	bool u16_started; /* the BOM has been looked for */
	bool u16_be;

	bool failed;
	char errmsg[1024]; /* "PATH: reason", repeated by every read after a failure */
};

/* Windows-1252 0x80-0x9F; 0 marks the five undefined bytes (decoded to U+FFFD). */
/* clang-format off */
static const uint16_t CP1252_HIGH[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};
/* clang-format on */

#define REPLACEMENT 0xFFFDu

static ssize_t fail(rv_source *s, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Records "PATH: reason" (sticky), copies it to err and returns -1. */
static ssize_t fail(rv_source *s, char *err, size_t errlen, const char *fmt, ...)
{
	char reason[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	snprintf(s->errmsg, sizeof(s->errmsg), "%s: %s", s->path, reason);
	s->failed = true;
	if (err && errlen)
		snprintf(err, errlen, "%s", s->errmsg);
	return -1;
}

/* One read(2) of at most n bytes, retried on EINTR, unless the signal asked
 * the run to stop (SIGINT, SIGTERM): then -1 with EINTR, so a read blocked on
 * a quiet pipe does not hold the run up. */
static ssize_t read_some(int fd, void *dst, size_t n)
{
	if (n > READ_MAX)
		n = READ_MAX;
	for (;;) {
		ssize_t r = read(fd, dst, n);
		if (r >= 0 || errno != EINTR)
			return r;
		if (outfile_interrupted())
			return -1;
	}
}

/* One read from the file or the S3 body; -1 with the error recorded. */
static ssize_t raw_read(rv_source *s, void *dst, size_t n, char *err, size_t errlen)
{
	if (s->s3) {
		char why[768];
		ssize_t r =
			s3_reader_read(s->s3, dst, n > READ_MAX ? READ_MAX : n, why, sizeof(why));
		return r < 0 ? fail(s, err, errlen, "%s", why) : r;
	}
	ssize_t r = read_some(s->fd, dst, n);
	return r < 0 ? fail(s, err, errlen, "%s", strerror(errno)) : r;
}

/* Moves the unused raw bytes to the front and reads once after them. Returns the count read
 * (0 at the end of the input, which sets raw_eof) or -1 with the error recorded. */
static ssize_t raw_fill(rv_source *s, char *err, size_t errlen)
{
	if (s->raw_eof)
		return 0;
	if (s->raw_pos > 0) {
		memmove(s->raw, s->raw + s->raw_pos, s->raw_len - s->raw_pos);
		s->raw_len -= s->raw_pos;
		s->raw_pos = 0;
	}
	ssize_t r = raw_read(s, s->raw + s->raw_len, RAW_CAP - s->raw_len, err, errlen);
	if (r < 0)
		return -1;
	if (r == 0)
		s->raw_eof = true;
	s->raw_len += (size_t)r;
	s->consumed += r;
	return r;
}

/* ---- the bytes layer: plain or inflated ---- */

static ssize_t bytes_plain(rv_source *s, unsigned char *dst, size_t cap, char *err, size_t errlen)
{
	if (s->raw_pos == s->raw_len) {
		if (s->raw_eof)
			return 0;
		if (cap >= DIRECT_MIN) {
			ssize_t r = raw_read(s, dst, cap, err, errlen);
			if (r < 0)
				return -1;
			if (r == 0)
				s->raw_eof = true;
			s->consumed += r;
			return r;
		}
		s->raw_pos = s->raw_len = 0;
		ssize_t r = raw_fill(s, err, errlen);
		if (r <= 0)
			return r;
	}
	size_t n = s->raw_len - s->raw_pos;
	if (n > cap)
		n = cap;
	memcpy(dst, s->raw + s->raw_pos, n);
	s->raw_pos += n;
	return (ssize_t)n;
}

static ssize_t gz_corrupt(rv_source *s, char *err, size_t errlen, const char *why)
{
	return fail(s, err, errlen, "corrupt gzip data: %s", why);
}

static ssize_t bytes_gzip(rv_source *s, unsigned char *dst, size_t cap, char *err, size_t errlen)
{
	if (cap > READ_MAX)
		cap = READ_MAX;
	while (!s->z_end) {
		if (s->z_boundary) {
			/* Another member, or the end of the input, or garbage. */
			while (s->raw_len - s->raw_pos < 2 && !s->raw_eof)
				if (raw_fill(s, err, errlen) < 0)
					return -1;
			size_t left = s->raw_len - s->raw_pos;
			if (left == 0) {
				s->z_end = true;
				break;
			}
			const unsigned char *p = s->raw + s->raw_pos;
			if (left < 2 || p[0] != 0x1f || p[1] != 0x8b)
				return gz_corrupt(s, err, errlen, "trailing garbage");
			if (inflateReset(&s->zs) != Z_OK)
				return gz_corrupt(s, err, errlen, "cannot reset the decompressor");
			s->z_boundary = false;
		}
		if (s->raw_pos == s->raw_len && !s->raw_eof) {
			s->raw_pos = s->raw_len = 0;
			if (raw_fill(s, err, errlen) < 0)
				return -1;
		}
		s->zs.next_in = s->raw + s->raw_pos;
		s->zs.avail_in = (uInt)(s->raw_len - s->raw_pos);
		s->zs.next_out = dst;
		s->zs.avail_out = (uInt)cap;
		int zr = inflate(&s->zs, Z_NO_FLUSH);
		s->raw_pos = s->raw_len - s->zs.avail_in;
		size_t got = cap - s->zs.avail_out;
		switch (zr) {
		case Z_STREAM_END: s->z_boundary = true; break;
		case Z_OK:
		case Z_BUF_ERROR:
			/* Z_BUF_ERROR: no progress was possible, i.e. the input ran dry. */
			if (got == 0 && s->zs.avail_in == 0 && s->raw_eof)
				return gz_corrupt(s, err, errlen, "unexpected end of file");
			break;
		case Z_MEM_ERROR: return fail(s, err, errlen, "out of memory");
		default: /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR */
			return gz_corrupt(s, err, errlen,
					  s->zs.msg ? s->zs.msg : "invalid compressed data");
		}
		if (got > 0)
			return (ssize_t)got;
	}
	return 0;
}

static ssize_t bytes_read(rv_source *s, unsigned char *dst, size_t cap, char *err, size_t errlen)
{
	return s->gzip ? bytes_gzip(s, dst, cap, err, errlen)
		       : bytes_plain(s, dst, cap, err, errlen);
}

/* ---- the decode layer ---- */

static size_t utf8_len(uint32_t cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

static size_t utf8_put(unsigned char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* latin-1 and cp1252: one byte is one code point. */
static size_t decode_single(rv_source *s, unsigned char *out, size_t cap)
{
	size_t n = 0;
	while (s->mid_pos < s->mid_len) {
		unsigned char b = s->mid[s->mid_pos];
		uint32_t cp = b;
		if (s->enc == ENC_CP1252 && b >= 0x80 && b < 0xA0)
			cp = CP1252_HIGH[b - 0x80] ? CP1252_HIGH[b - 0x80] : REPLACEMENT;
		if (cap - n < utf8_len(cp))
			break;
		n += utf8_put(out + n, cp);
		s->mid_pos++;
	}
	return n;
}

static uint32_t u16_at(const rv_source *s, size_t at)
{
	const unsigned char *p = s->mid + at;
	return s->u16_be ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
}

/* UTF-16: a leading BOM (FE FF or FF FE) picks the byte order and is dropped. Without one
 * the stream is taken as little-endian, what Windows tools write when they say "Unicode".
 * Surrogate pairs combine; an unpaired surrogate, or a last odd byte, becomes U+FFFD. A unit
 * or pair cut short by the end of s->mid waits there unless the input has ended. */
static size_t decode_utf16(rv_source *s, unsigned char *out, size_t cap)
{
	size_t n = 0;
	if (!s->u16_started) {
		if (s->mid_len - s->mid_pos < 2 && !s->mid_eof)
			return 0;
		s->u16_started = true;
		if (s->mid_len - s->mid_pos >= 2) {
			unsigned char a = s->mid[s->mid_pos], b = s->mid[s->mid_pos + 1];
			if ((a == 0xFE && b == 0xFF) || (a == 0xFF && b == 0xFE)) {
				s->u16_be = a == 0xFE;
				s->mid_pos += 2;
			}
		}
	}
	while (s->mid_pos < s->mid_len) {
		size_t left = s->mid_len - s->mid_pos, used = 2;
		uint32_t cp;
		if (left < 2) {
			if (!s->mid_eof)
				break;
			cp = REPLACEMENT; /* a lone last byte */
			used = 1;
		} else {
			cp = u16_at(s, s->mid_pos);
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (left < 4 && !s->mid_eof)
					break;
				uint32_t lo = left >= 4 ? u16_at(s, s->mid_pos + 2) : 0;
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					used = 4;
				} else {
					cp = REPLACEMENT;
				}
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				cp = REPLACEMENT;
			}
		}
		if (cap - n < utf8_len(cp))
			break;
		n += utf8_put(out + n, cp);
		s->mid_pos += used;
	}
	return n;
}

/* Keeps the undecoded tail of s->mid and appends what the bytes layer gives. */
static ssize_t mid_fill(rv_source *s, char *err, size_t errlen)
{
	if (s->mid_pos > 0) {
		memmove(s->mid, s->mid + s->mid_pos, s->mid_len - s->mid_pos);
		s->mid_len -= s->mid_pos;
		s->mid_pos = 0;
	}
	ssize_t r = bytes_read(s, s->mid + s->mid_len, MID_CAP - s->mid_len, err, errlen);
	if (r < 0)
		return -1;
	if (r == 0)
		s->mid_eof = true;
	s->mid_len += (size_t)r;
	return r;
}

/* ---- the interface ---- */

rv_status source_open(const char *path, rv_encoding encoding, rv_source **out, char *err,
		      size_t errlen)
{
	*out = NULL;
	s3_reader *s3 = NULL;
	if (s3_is_url(path)) {
		/* the GET is sent now: a missing object fails here, like a missing file */
		char why[768];
		rv_status st = s3_reader_open(path, &s3, why, sizeof(why));
		if (st != RV_OK) {
			snprintf(err, errlen, "%s: %s", path, why);
			return st;
		}
	}
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = s3 ? -1 : is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && !s3) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return RV_IO;
	}
	struct stat st;
	memset(&st, 0, sizeof(st));
	int bad = s3 ? 0 : fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
	if (bad) {
		snprintf(err, errlen, "%s: %s", path, strerror(bad));
		if (!is_stdin)
			close(fd);
		return RV_IO;
	}
	rv_source *s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->fd = fd;
	s->s3 = s3;
	s->is_stdin = is_stdin;
	s->enc = encoding;
	s->size = s3 ? s3_reader_size(s3) : S_ISREG(st.st_mode) ? (int64_t)st.st_size : -1;
	if (S_ISREG(st.st_mode))
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	s->raw = xmalloc(RAW_CAP);
	if (encoding != ENC_UTF8)
		s->mid = xmalloc(MID_CAP);

	/* Peek at the first two bytes (they stay in s->raw). */
	while (s->raw_len < 2 && !s->raw_eof) {
		if (raw_fill(s, err, errlen) < 0) {
			source_close(s);
			return RV_IO;
		}
	}
	if (s->raw_len >= 2 && s->raw[0] == 0x1f && s->raw[1] == 0x8b) {
		s->gzip = true;
		if (inflateInit2(&s->zs, 15 + 16) != Z_OK) {
			snprintf(err, errlen, "%s: cannot start gzip decompression: out of memory",
				 path);
			source_close(s);
			return RV_IO;
		}
		s->z_ready = true;
	}
	*out = s;
	return RV_OK;
}

ssize_t source_read(rv_source *s, char *buf, size_t cap, char *err, size_t errlen)
{
	if (s->failed) {
		snprintf(err, errlen, "%s", s->errmsg);
		return -1;
	}
	if (cap < MIN_CAP)
		return fail(s, err, errlen, "read buffer of %zu bytes is under %d", cap, MIN_CAP);
	unsigned char *out = (unsigned char *)buf;
	if (s->enc == ENC_UTF8)
		return bytes_read(s, out, cap, err, errlen);
	for (;;) {
		size_t n = s->enc == ENC_UTF16 ? decode_utf16(s, out, cap)
					       : decode_single(s, out, cap);
		if (n > 0)
			return (ssize_t)n;
		/* Nothing decoded: s->mid holds at most a cut-short unit (cap >= 16 fits any). */
		if (s->mid_eof)
			return 0;
		if (mid_fill(s, err, errlen) < 0)
			return -1;
	}
}

int64_t source_size(const rv_source *s)
{
	return s->size;
}

int64_t source_consumed(const rv_source *s)
{
	return s->consumed;
}

bool source_is_gzip(const rv_source *s)
{
	return s->gzip;
}

void source_close(rv_source *s)
{
	if (!s)
		return;
	if (s->z_ready)
		inflateEnd(&s->zs);
	s3_reader_close(s->s3);
	if (!s->is_stdin && s->fd >= 0)
		close(s->fd);
	free(s->raw);
	free(s->mid);
	free(s->path);
	free(s);
}
