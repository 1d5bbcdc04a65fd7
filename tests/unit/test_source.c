/* test_source.c: unit tests for input sources (io/source.c): plain files, stdin, gzip (single,
 * multi-member, truncated, corrupt, trailing garbage, by magic bytes not name) and the
 * latin-1, cp1252 and UTF-16 decoders, with units split across reads.
 *
 * Every input is written by the test into a fresh mkdtemp directory, removed at the end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "io/source.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* ---- helpers ---- */

typedef struct {
	char dir[256];
} fixture;

typedef struct {
	unsigned char *data;
	size_t len, cap;
} bytes;

static void bytes_add(bytes *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t c = b->cap ? b->cap : 256;
		while (c < b->len + n)
			c *= 2;
		b->data = realloc(b->data, c);
		assert_non_null(b->data);
		b->cap = c;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void bytes_str(bytes *b, const char *s)
{
	bytes_add(b, s, strlen(s));
}

static void path_in(const fixture *f, const char *name, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s/%s", f->dir, name);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	if (!fp)
		fail_msg("cannot create %s: %s", path, strerror(errno));
	if (len && fwrite(data, 1, len, fp) != len)
		fail_msg("cannot write %s", path);
	assert_int_equal(fclose(fp), 0);
}

/* One gzip member of data, made with deflate (windowBits 15 + 16). */
static void gz_member(bytes *out, const void *data, size_t len)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	size_t bound = deflateBound(&z, (uLong)len) + 32;
	unsigned char *tmp = malloc(bound);
	assert_non_null(tmp);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = tmp;
	z.avail_out = (uInt)bound;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	bytes_add(out, tmp, bound - z.avail_out);
	deflateEnd(&z);
	free(tmp);
}

typedef struct {
	rv_status open_status;
	ssize_t last;  /* the last source_read result: 0 at a clean end, -1 on error */
	bytes out;     /* everything read before the end or the error */
	char err[512]; /* open or read error */
	bool gzip;
	int64_t size, consumed;
	size_t max_chunk; /* the largest single read */
} readres;

/* Opens path and reads it to the end (or the first error) in reads of cap bytes. */
static void read_all(const char *path, rv_encoding enc, size_t cap, readres *r)
{
	memset(r, 0, sizeof(*r));
	rv_source *s = (rv_source *)(uintptr_t)1;
	r->open_status = source_open(path, enc, &s, r->err, sizeof(r->err));
	if (r->open_status != RV_OK) {
		assert_null(s);
		r->last = -1;
		return;
	}
	assert_non_null(s);
	r->gzip = source_is_gzip(s);
	r->size = source_size(s);
	char *buf = malloc(cap);
	assert_non_null(buf);
	for (;;) {
		ssize_t n = source_read(s, buf, cap, r->err, sizeof(r->err));
		r->last = n;
		if (n <= 0)
			break;
		assert_true((size_t)n <= cap);
		if ((size_t)n > r->max_chunk)
			r->max_chunk = (size_t)n;
		bytes_add(&r->out, buf, (size_t)n);
	}
	if (r->last == 0) {
		/* the end stays the end */
		assert_int_equal(source_read(s, buf, cap, r->err, sizeof(r->err)), 0);
	} else {
		/* an error is sticky and says the same */
		char again[512];
		assert_int_equal(source_read(s, buf, cap, again, sizeof(again)), -1);
		assert_string_equal(again, r->err);
	}
	r->consumed = source_consumed(s);
	free(buf);
	source_close(s);
}

static void readres_free(readres *r)
{
	free(r->out.data);
}

static void assert_bytes(const bytes *got, const void *want, size_t wantlen)
{
	if (got->len != wantlen)
		fail_msg("read %zu bytes, want %zu", got->len, wantlen);
	const unsigned char *w = want;
	for (size_t i = 0; i < wantlen; i++)
		if (got->data[i] != w[i])
			fail_msg("byte %zu is %02x, want %02x", i, got->data[i], w[i]);
}

/* Writes data to a file, decodes it with enc in reads of cap, and compares. */
static void decode_ok(const fixture *f, rv_encoding enc, size_t cap, const void *in, size_t inlen,
		      const void *want, size_t wantlen)
{
	char path[512];
	path_in(f, "decode.txt", path, sizeof(path));
	write_file(path, in, inlen);
	readres r;
	read_all(path, enc, cap, &r);
	assert_int_equal(r.open_status, RV_OK);
	assert_int_equal(r.last, 0);
	assert_bytes(&r.out, want, wantlen);
	assert_int_equal(r.consumed, (int64_t)inlen);
	readres_free(&r);
}

static unsigned char *pseudo_random(size_t n, uint32_t seed)
{
	unsigned char *p = malloc(n ? n : 1);
	assert_non_null(p);
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (unsigned char)(seed >> 16);
	}
	return p;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof(f->dir), "%s/rvalid-source-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	int rc = nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return rc;
}

/* ---- plain files ---- */

static void test_plain_round_trip(void **state)
{
	const fixture *f = *state;
	size_t n = 3 * 1024 * 1024 + 12345; /* more than one internal block */
	unsigned char *data = pseudo_random(n, 7);
	data[0] = 'a'; /* not the gzip magic */
	char path[512];
	path_in(f, "plain.bin", path, sizeof(path));
	write_file(path, data, n);

	const size_t caps[] = {16, 17, 4096, 65536, 1 << 20, 8 << 20};
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		readres r;
		read_all(path, ENC_UTF8, caps[i], &r);
		assert_int_equal(r.open_status, RV_OK);
		assert_int_equal(r.last, 0);
		assert_false(r.gzip);
		assert_int_equal(r.size, (int64_t)n);
		assert_int_equal(r.consumed, (int64_t)n);
		assert_bytes(&r.out, data, n);
		readres_free(&r);
	}
	free(data);
}

static void test_plain_small_and_one_byte(void **state)
{
	const fixture *f = *state;
	char path[512];
	path_in(f, "one.csv", path, sizeof(path));
	write_file(path, "\x1f", 1); /* half a gzip magic: plain */
	readres r;
	read_all(path, ENC_UTF8, 16, &r);
	assert_int_equal(r.last, 0);
	assert_false(r.gzip);
	assert_bytes(&r.out, "\x1f", 1);
	readres_free(&r);

	/* UTF-8 passes through untouched: a BOM, invalid bytes and NULs included */
	static const char raw[] = "\xEF\xBB\xBF"
				  "a,b\r\n\xFF\xC3\x00\xE9\n";
	decode_ok(f, ENC_UTF8, 16, raw, sizeof(raw) - 1, raw, sizeof(raw) - 1);
}

static void test_consumed_progresses(void **state)
{
	const fixture *f = *state;
	size_t n = 5 * 1024 * 1024;
	unsigned char *data = pseudo_random(n, 3);
	data[0] = 'x';
	char path[512];
	path_in(f, "progress.bin", path, sizeof(path));
	write_file(path, data, n);
	rv_source *s = NULL;
	char err[256];
	assert_int_equal(source_open(path, ENC_UTF8, &s, err, sizeof(err)), RV_OK);
	assert_int_equal(source_size(s), (int64_t)n);
	/* bytes are read ahead in blocks, never more than the file, never fewer than returned */
	char buf[4096];
	size_t total = 0;
	int64_t prev = source_consumed(s);
	assert_true(prev >= 2 && prev <= (int64_t)n);
	ssize_t got;
	while ((got = source_read(s, buf, sizeof(buf), err, sizeof(err))) > 0) {
		total += (size_t)got;
		int64_t c = source_consumed(s);
		assert_true(c >= prev);
		assert_true(c >= (int64_t)total);
		assert_true(c <= (int64_t)n);
		prev = c;
	}
	assert_int_equal(got, 0);
	assert_int_equal(total, n);
	assert_int_equal(source_consumed(s), (int64_t)n);
	source_close(s);
	free(data);
}

static void test_empty_file(void **state)
{
	const fixture *f = *state;
	char path[512];
	path_in(f, "empty.csv", path, sizeof(path));
	write_file(path, "", 0);
	const rv_encoding encs[] = {ENC_UTF8, ENC_LATIN1, ENC_CP1252, ENC_UTF16};
	for (size_t i = 0; i < 4; i++) {
		readres r;
		read_all(path, encs[i], 16, &r);
		assert_int_equal(r.open_status, RV_OK);
		assert_int_equal(r.last, 0);
		assert_int_equal(r.out.len, 0);
		assert_int_equal(r.size, 0);
		assert_int_equal(r.consumed, 0);
		assert_false(r.gzip);
		readres_free(&r);
	}
	/* an empty .gz file is no gzip: nothing to read, no error */
	path_in(f, "empty.csv.gz", path, sizeof(path));
	write_file(path, "", 0);
	readres r;
	read_all(path, ENC_UTF8, 16, &r);
	assert_int_equal(r.last, 0);
	assert_int_equal(r.out.len, 0);
	assert_false(r.gzip);
	readres_free(&r);
}

static void test_missing_file(void **state)
{
	const fixture *f = *state;
	char path[512], want[600];
	path_in(f, "no-such.csv", path, sizeof(path));
	readres r;
	read_all(path, ENC_UTF8, 16, &r);
	assert_int_equal(r.open_status, RV_IO);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(r.err, want);
}

static void test_directory(void **state)
{
	const fixture *f = *state;
	char path[512], want[600];
	path_in(f, "adir", path, sizeof(path));
	assert_int_equal(mkdir(path, 0700), 0);
	readres r;
	read_all(path, ENC_UTF8, 16, &r);
	assert_int_equal(r.open_status, RV_IO);
	snprintf(want, sizeof(want), "%s: Is a directory", path);
	assert_string_equal(r.err, want);
}

static void test_not_a_directory(void **state)
{
	const fixture *f = *state;
	char path[512], want[600];
	path_in(f, "afile", path, sizeof(path));
	write_file(path, "a\n", 2);
	path_in(f, "afile/below.csv", path, sizeof(path));
	readres r;
	read_all(path, ENC_UTF8, 16, &r);
	assert_int_equal(r.open_status, RV_IO);
	snprintf(want, sizeof(want), "%s: Not a directory", path);
	assert_string_equal(r.err, want);
}

/* ---- gzip ---- */

static void test_gzip_single_member(void **state)
{
	const fixture *f = *state;
	size_t n = 2 * 1024 * 1024 + 77;
	unsigned char *data = malloc(n);
	assert_non_null(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (unsigned char)("id,name\n1,ana\n"[i % 14] + (i / 14) % 3);
	char path[512];
	path_in(f, "one.csv.gz", path, sizeof(path));
	gzFile gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, data, (unsigned)n), (int)n);
	assert_int_equal(gzclose(gz), Z_OK);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);

	const size_t caps[] = {16, 1000, 1 << 20};
	for (size_t i = 0; i < 3; i++) {
		readres r;
		read_all(path, ENC_UTF8, caps[i], &r);
		assert_int_equal(r.open_status, RV_OK);
		assert_int_equal(r.last, 0);
		assert_true(r.gzip);
		assert_int_equal(r.size, (int64_t)st.st_size); /* the compressed size */
		assert_int_equal(r.consumed, (int64_t)st.st_size);
		assert_bytes(&r.out, data, n);
		readres_free(&r);
	}
	free(data);
}

static void test_gzip_multi_member(void **state)
{
	const fixture *f = *state;
	char path[512];
	/* two members written by zlib's gzopen: "ab" appends a second member */
	path_in(f, "two.csv.gz", path, sizeof(path));
	gzFile gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzputs(gz, "id,name\n1,ana\n"), 14);
	assert_int_equal(gzclose(gz), Z_OK);
	gz = gzopen(path, "ab");
	assert_non_null(gz);
	assert_int_equal(gzputs(gz, "2,bo\n"), 5);
	assert_int_equal(gzclose(gz), Z_OK);
	readres r;
	read_all(path, ENC_UTF8, 16, &r);
	assert_int_equal(r.last, 0);
	assert_true(r.gzip);
	assert_bytes(&r.out, "id,name\n1,ana\n2,bo\n", 19);
	readres_free(&r);

	/* three members, the middle one empty, without a .gz name */
	bytes b = {0};
	gz_member(&b, "abc", 3);
	gz_member(&b, "", 0);
	gz_member(&b, "def\n", 4);
	path_in(f, "three.csv", path, sizeof(path));
	write_file(path, b.data, b.len);
	read_all(path, ENC_UTF8, 16, &r);
	assert_int_equal(r.last, 0);
	assert_true(r.gzip);
	assert_bytes(&r.out, "abcdef\n", 7);
	assert_int_equal(r.consumed, (int64_t)b.len);
	readres_free(&r);
	free(b.data);
}

static void test_gzip_truncated(void **state)
{
	const fixture *f = *state;
	unsigned char *data = pseudo_random(100000, 11);
	bytes b = {0};
	gz_member(&b, data, 100000);
	char path[512], want[600];
	path_in(f, "cut.csv.gz", path, sizeof(path));
	snprintf(want, sizeof(want), "%s: corrupt gzip data: unexpected end of file", path);
	/* cut in the trailer, in the middle of the data, and just after the magic */
	const size_t keep[] = {b.len - 1, b.len - 8, b.len / 2, 2, 10};
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		write_file(path, b.data, keep[i]);
		readres r;
		read_all(path, ENC_UTF8, 4096, &r);
		assert_int_equal(r.open_status, RV_OK);
		assert_int_equal(r.last, -1);
		assert_string_equal(r.err, want);
		/* what came before the cut is still the data; a cut in the 8-byte trailer comes
		 * after all of it */
		if (keep[i] >= b.len - 8)
			assert_int_equal(r.out.len, 100000);
		else
			assert_true(r.out.len < 100000);
		assert_memory_equal(r.out.data ? r.out.data : data, data, r.out.len);
		readres_free(&r);
	}
	/* a complete member followed by a cut second one */
	bytes two = {0};
	gz_member(&two, "abc", 3);
	gz_member(&two, "def", 3);
	write_file(path, two.data, two.len - 3);
	readres r;
	read_all(path, ENC_UTF8, 16, &r);
	assert_int_equal(r.last, -1);
	assert_string_equal(r.err, want);
	readres_free(&r);
	free(two.data);
	free(b.data);
	free(data);
}

static void test_gzip_trailing_garbage(void **state)
{
	const fixture *f = *state;
	char path[512], want[600];
	path_in(f, "junk.csv.gz", path, sizeof(path));
	snprintf(want, sizeof(want), "%s: corrupt gzip data: trailing garbage", path);
	const char *const junk[] = {"hello", "\x1f", "\x1f\x8a", "\n", "\0\0\0\0"};
	const size_t junklen[] = {5, 1, 2, 1, 4};
	for (size_t i = 0; i < 5; i++) {
		bytes b = {0};
		gz_member(&b, "a,b\n1,2\n", 8);
		bytes_add(&b, junk[i], junklen[i]);
		write_file(path, b.data, b.len);
		readres r;
		read_all(path, ENC_UTF8, 16, &r);
		assert_int_equal(r.last, -1);
		assert_string_equal(r.err, want);
		assert_bytes(&r.out, "a,b\n1,2\n", 8); /* the member itself was delivered */
		readres_free(&r);
		free(b.data);
	}
}

static void test_gzip_corrupt(void **state)
{
	const fixture *f = *state;
	unsigned char *data = pseudo_random(50000, 5);
	for (size_t i = 0; i < 50000; i++)
		data[i] =
			(unsigned char)('a' + data[i] % 4); /* compressible: a real deflate body */
	bytes b = {0};
	gz_member(&b, data, 50000);
	char path[512], prefix[600];
	path_in(f, "bad.csv.gz", path, sizeof(path));
	snprintf(prefix, sizeof(prefix), "%s: corrupt gzip data: ", path);

	/* a flipped byte in the deflate data: some zlib complaint (or the CRC catches it) */
	for (size_t at = 12; at < b.len - 8; at += (b.len - 20) / 7) {
		bytes c = {0};
		bytes_add(&c, b.data, b.len);
		c.data[at] ^= 0x55;
		write_file(path, c.data, c.len);
		readres r;
		read_all(path, ENC_UTF8, 4096, &r);
		if (r.last != -1)
			fail_msg("flipping byte %zu went unnoticed", at);
		if (strncmp(r.err, prefix, strlen(prefix)) != 0 || strlen(r.err) <= strlen(prefix))
			fail_msg("flipping byte %zu: message '%s'", at, r.err);
		readres_free(&r);
		free(c.data);
	}
	/* a flipped CRC: zlib's own words after the prefix */
	char want[700];
	b.data[b.len - 6] ^= 0x01;
	write_file(path, b.data, b.len);
	readres r;
	read_all(path, ENC_UTF8, 65536, &r);
	assert_int_equal(r.last, -1);
	snprintf(want, sizeof(want), "%sincorrect data check", prefix);
	assert_string_equal(r.err, want);
	readres_free(&r);
	b.data[b.len - 6] ^= 0x01;
	/* a bad compression method in the header */
	b.data[2] = 7;
	write_file(path, b.data, b.len);
	read_all(path, ENC_UTF8, 65536, &r);
	assert_int_equal(r.last, -1);
	snprintf(want, sizeof(want), "%sunknown compression method", prefix);
	assert_string_equal(r.err, want);
	readres_free(&r);
	free(b.data);
	free(data);
}

static void test_gz_name_plain_content(void **state)
{
	const fixture *f = *state;
	char path[512];
	path_in(f, "notreally.csv.gz", path, sizeof(path));
	write_file(path, "a,b\n1,2\n", 8);
	readres r;
	read_all(path, ENC_UTF8, 16, &r);
	assert_int_equal(r.last, 0);
	assert_false(r.gzip);
	assert_bytes(&r.out, "a,b\n1,2\n", 8);
	readres_free(&r);
}

static void test_gzip_then_decode(void **state)
{
	const fixture *f = *state;
	/* decompression first, then latin-1 */
	bytes b = {0};
	gz_member(&b, "caf\xE9\n", 5);
	gz_member(&b, "\xFC", 1);
	char path[512];
	path_in(f, "latin.csv.gz", path, sizeof(path));
	write_file(path, b.data, b.len);
	readres r;
	read_all(path, ENC_LATIN1, 16, &r);
	assert_int_equal(r.last, 0);
	assert_true(r.gzip);
	assert_bytes(&r.out, "caf\xC3\xA9\n\xC3\xBC", 8);
	readres_free(&r);
	free(b.data);
}

/* ---- stdin ---- */

/* Runs a child that writes data into a pipe put on fd 0 (in pieces of step bytes, pausing
 * between them when pause_us), reads "-" to the end, and puts the real stdin back. */
static void read_stdin(const void *data, size_t len, size_t step, long pause_us, rv_encoding enc,
		       size_t cap, readres *r)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		const unsigned char *d = data;
		for (size_t off = 0; off < len; off += step) {
			size_t n = len - off < step ? len - off : step;
			if (write(p[1], d + off, n) != (ssize_t)n)
				_exit(1);
			if (pause_us) {
				struct timespec ts = {0, pause_us * 1000};
				nanosleep(&ts, NULL);
			}
		}
		_exit(0);
	}
	close(p[1]);
	int saved = dup(0);
	assert_true(saved >= 0);
	assert_int_equal(dup2(p[0], 0), 0);
	close(p[0]);
	read_all("-", enc, cap, r);
	/* source_close left fd 0 open: it is still our pipe */
	assert_int_not_equal(fcntl(0, F_GETFD), -1);
	struct stat st;
	assert_int_equal(fstat(0, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_stdin_pipe(void **state)
{
	size_t n = 3 * 1024 * 1024 + 5;
	unsigned char *data = pseudo_random(n, 9);
	data[0] = 'q';
	readres r;
	read_stdin(data, n, 65536 + 3, 0, ENC_UTF8, 100000, &r);
	assert_int_equal(r.open_status, RV_OK);
	assert_int_equal(r.last, 0);
	assert_int_equal(r.size, -1); /* a pipe has no size */
	assert_int_equal(r.consumed, (int64_t)n);
	assert_false(r.gzip);
	assert_bytes(&r.out, data, n);
	readres_free(&r);
	free(data);
}

static void test_stdin_gzip_byte_by_byte(void **state)
{
	/* the magic arrives one byte at a time; so does every member boundary */
	bytes b = {0};
	gz_member(&b, "id\n1\n", 5);
	gz_member(&b, "2\n", 2);
	readres r;
	read_stdin(b.data, b.len, 1, 300, ENC_UTF8, 16, &r);
	assert_int_equal(r.last, 0);
	assert_true(r.gzip);
	assert_int_equal(r.size, -1);
	assert_int_equal(r.consumed, (int64_t)b.len);
	assert_bytes(&r.out, "id\n1\n2\n", 7);
	readres_free(&r);

	/* trailing garbage arriving late is still caught */
	bytes_add(&b, "x", 1);
	read_stdin(b.data, b.len, 3, 200, ENC_UTF8, 16, &r);
	assert_int_equal(r.last, -1);
	assert_string_equal(r.err, "-: corrupt gzip data: trailing garbage");
	readres_free(&r);
	free(b.data);
}

static void test_stdin_empty(void **state)
{
	readres r;
	read_stdin("", 0, 1, 0, ENC_UTF16, 16, &r);
	assert_int_equal(r.last, 0);
	assert_int_equal(r.out.len, 0);
	assert_int_equal(r.consumed, 0);
	readres_free(&r);
}

/* ---- encodings ---- */

static void test_latin1(void **state)
{
	const fixture *f = *state;
	decode_ok(f, ENC_LATIN1, 16, "caf\xE9", 4, "caf\xC3\xA9", 5);
	/* every byte value: ASCII as is, 0x80-0xFF as two bytes C2/C3 xx */
	unsigned char in[256];
	bytes want = {0};
	for (int i = 0; i < 256; i++) {
		in[i] = (unsigned char)i;
		unsigned char u[2] = {(unsigned char)(0xC0 | (i >> 6)),
				      (unsigned char)(0x80 | (i & 0x3F))};
		if (i < 0x80)
			bytes_add(&want, &in[i], 1);
		else
			bytes_add(&want, u, 2);
	}
	decode_ok(f, ENC_LATIN1, 16, in, 256, want.data, want.len);
	decode_ok(f, ENC_LATIN1, 1 << 20, in, 256, want.data, want.len);
	/* 0xFF after 15 ASCII bytes: its two bytes do not fit a 16-byte read and wait */
	decode_ok(f, ENC_LATIN1, 16, "aaaaaaaaaaaaaaa\xFF", 16, "aaaaaaaaaaaaaaa\xC3\xBF", 17);
	free(want.data);
}

static void test_cp1252(void **state)
{
	const fixture *f = *state;
	decode_ok(f, ENC_CP1252, 16, "\x80", 1, "\xE2\x82\xAC", 3);
	decode_ok(f, ENC_CP1252, 16, "\x81", 1, "\xEF\xBF\xBD", 3);
	/* the five undefined bytes, and neighbours that are defined */
	decode_ok(f, ENC_CP1252, 16, "\x81\x8D\x8F\x90\x9D", 5,
		  "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 15);
	decode_ok(f, ENC_CP1252, 16, "\x8C\x9F\x99\x85", 4,
		  "\xC5\x92\xC5\xB8\xE2\x84\xA2\xE2\x80\xA6", 10);
	/* above 0x9F it is latin-1; ASCII as is */
	decode_ok(f, ENC_CP1252, 16, "A\xE9\xA0\xFF", 4, "A\xC3\xA9\xC2\xA0\xC3\xBF", 7);
	/* a long run of three-byte units through a 16-byte buffer: none split or lost */
	char in[1000];
	bytes want = {0};
	for (int i = 0; i < 1000; i++) {
		in[i] = '\x93';
		bytes_str(&want, "\xE2\x80\x9C");
	}
	decode_ok(f, ENC_CP1252, 16, in, 1000, want.data, want.len);
	free(want.data);
}

static void test_utf16_bom(void **state)
{
	const fixture *f = *state;
	/* LE with BOM: "hé€\n" */
	decode_ok(f, ENC_UTF16, 16, "\xFF\xFEh\0\xE9\0\xAC\x20\n\0", 10, "h\xC3\xA9\xE2\x82\xAC\n",
		  7);
	/* BE with BOM */
	decode_ok(f, ENC_UTF16, 16, "\xFE\xFF\0h\0\xE9\x20\xAC\0\n", 10, "h\xC3\xA9\xE2\x82\xAC\n",
		  7);
	/* only the first BOM is one; a later FEFF is a character (ZWNBSP) */
	decode_ok(f, ENC_UTF16, 16,
		  "\xFF\xFE\xFF\xFE"
		  "a\0",
		  6,
		  "\xEF\xBB\xBF"
		  "a",
		  4);
	/* a BOM alone is nothing */
	decode_ok(f, ENC_UTF16, 16, "\xFE\xFF", 2, "", 0);
	/* NUL characters are kept */
	decode_ok(f, ENC_UTF16, 16, "\xFF\xFE\0\0a\0", 6, "\0a", 2);
}

static void test_utf16_no_bom(void **state)
{
	const fixture *f = *state;
	/* no BOM: little-endian, and the first unit is data */
	decode_ok(f, ENC_UTF16, 16, "i\0d\0,\0\xE9\0\n\0", 10, "id,\xC3\xA9\n", 6);
	/* what would be "\x00i" in BE reads as U+6900 in LE */
	decode_ok(f, ENC_UTF16, 16, "\0i", 2, "\xE6\xA4\x80", 3);
	/* one lone byte, no BOM possible */
	decode_ok(f, ENC_UTF16, 16, "a", 1, "\xEF\xBF\xBD", 3);
}

static void test_utf16_bad_units(void **state)
{
	const fixture *f = *state;
	static const char R[] = "\xEF\xBF\xBD";
	char want[64];
	/* odd trailing byte */
	decode_ok(f, ENC_UTF16, 16,
		  "\xFF\xFE"
		  "a\0b",
		  5, "a\xEF\xBF\xBD", 4);
	/* high surrogate followed by an ordinary unit: U+FFFD, then the unit */
	snprintf(want, sizeof(want), "%sA", R);
	decode_ok(f, ENC_UTF16, 16,
		  "\x00\xD8"
		  "A\0",
		  4, want, 4);
	/* lone low surrogate */
	snprintf(want, sizeof(want), "a%sb", R);
	decode_ok(f, ENC_UTF16, 16,
		  "a\0\x00\xDC"
		  "b\0",
		  6, want, 5);
	/* high surrogate at the very end; then with an odd byte after it */
	snprintf(want, sizeof(want), "a%s", R);
	decode_ok(f, ENC_UTF16, 16, "a\0\x3D\xD8", 4, want, 4);
	snprintf(want, sizeof(want), "%s%s", R, R);
	decode_ok(f, ENC_UTF16, 16, "\x3D\xD8x", 3, want, 6);
	/* two high surrogates, then a pair: U+FFFD, U+1F600 */
	snprintf(want, sizeof(want), "%s\xF0\x9F\x98\x80", R);
	decode_ok(f, ENC_UTF16, 16, "\x3D\xD8\x3D\xD8\x00\xDE", 6, want, 7);
	/* BE: a reversed pair (low then high) is two U+FFFD */
	snprintf(want, sizeof(want), "%s%s", R, R);
	decode_ok(f, ENC_UTF16, 16, "\xFE\xFF\xDE\x00\xD8\x3D", 6, want, 6);
}

/* U+1F600 after pad ASCII units, read in 16-byte pieces: the four UTF-8 bytes land at every
 * offset of a read. */
static void test_utf16_surrogate_every_offset(void **state)
{
	const fixture *f = *state;
	for (int be = 0; be < 2; be++) {
		for (size_t pad = 0; pad < 40; pad++) {
			bytes in = {0}, want = {0};
			bytes_add(&in, be ? "\xFE\xFF" : "\xFF\xFE", 2);
			for (size_t i = 0; i < pad; i++) {
				char c = (char)('a' + i % 26);
				bytes_add(&in, be ? "\0" : &c, 1);
				bytes_add(&in, be ? &c : "\0", 1);
				bytes_add(&want, &c, 1);
			}
			bytes_add(&in, be ? "\xD8\x3D\xDE\x00" : "\x3D\xD8\x00\xDE", 4);
			bytes_add(&want, "\xF0\x9F\x98\x80", 4);
			bytes_add(&in, be ? "\0z" : "z\0", 2);
			bytes_add(&want, "z", 1);
			decode_ok(f, ENC_UTF16, 16, in.data, in.len, want.data, want.len);
			decode_ok(f, ENC_UTF16, 19, in.data, in.len, want.data, want.len);
			free(in.data);
			free(want.data);
		}
	}
}

/* Units split across the source's own reads: a pipe fed one byte at a time, and a file with
 * pairs straddling every power-of-two offset an internal block could end at. */
static void test_utf16_split_input(void **state)
{
	const fixture *f = *state;
	static const unsigned char in[] = {0xFF, 0xFE, 'a',  0,	   0x3D, 0xD8, 0x00, 0xDE,
					   0xAC, 0x20, 0x3D, 0xD8, 0x01, 0xDE, 'b'};
	static const char want[] = "a\xF0\x9F\x98\x80\xE2\x82\xAC\xF0\x9F\x98\x81\xEF\xBF\xBD";
	readres r;
	read_stdin(in, sizeof(in), 1, 300, ENC_UTF16, 16, &r);
	assert_int_equal(r.last, 0);
	assert_bytes(&r.out, want, sizeof(want) - 1);
	readres_free(&r);
	read_stdin(in, sizeof(in), 3, 300, ENC_UTF16, 17, &r);
	assert_int_equal(r.last, 0);
	assert_bytes(&r.out, want, sizeof(want) - 1);
	readres_free(&r);

	/* a big file: "a" units with U+1F600 starting 2 bytes before each 2^k, k = 10..21, and
	 * an "é" (2 UTF-8 bytes) just before each pair so output reads split there too */
	size_t n = ((size_t)1 << 21) + 64;
	unsigned char *big = malloc(n);
	assert_non_null(big);
	big[0] = 0xFF;
	big[1] = 0xFE;
	for (size_t i = 2; i < n; i += 2) {
		big[i] = 'a';
		big[i + 1] = 0;
	}
	for (int k = 10; k <= 21; k++) {
		size_t at = ((size_t)1 << k) - 2;
		memcpy(big + at, "\x3D\xD8\x00\xDE", 4);
		memcpy(big + at - 2, "\xE9\x00", 2);
	}
	bytes w = {0};
	for (size_t i = 2; i < n; i += 2) {
		if (big[i] == 0x3D && big[i + 1] == 0xD8) {
			bytes_add(&w, "\xF0\x9F\x98\x80", 4);
			i += 2;
		} else if (big[i] == 0xE9) {
			bytes_add(&w, "\xC3\xA9", 2);
		} else {
			bytes_add(&w, "a", 1);
		}
	}
	decode_ok(f, ENC_UTF16, 16, big, n, w.data, w.len);
	decode_ok(f, ENC_UTF16, 65536 + 1, big, n, w.data, w.len);
	/* the same through gzip, so the decompressed blocks split it too */
	bytes gz = {0};
	gz_member(&gz, big, n);
	char path[512];
	path_in(f, "u16.csv.gz", path, sizeof(path));
	write_file(path, gz.data, gz.len);
	read_all(path, ENC_UTF16, 4093, &r);
	assert_int_equal(r.last, 0);
	assert_true(r.gzip);
	assert_bytes(&r.out, w.data, w.len);
	readres_free(&r);
	/* an odd total length through a pipe: the last lone byte ('a') is U+FFFD */
	read_stdin(big, n - 1, 4097, 0, ENC_UTF16, 16, &r);
	assert_int_equal(r.last, 0);
	assert_int_equal(r.out.len, w.len - 1 + 3);
	assert_memory_equal(r.out.data, w.data, w.len - 1);
	assert_memory_equal(r.out.data + w.len - 1, "\xEF\xBF\xBD", 3);
	readres_free(&r);
	free(gz.data);
	free(w.data);
	free(big);
}

/* ---- size ---- */

static long max_rss_kib(void)
{
	struct rusage ru;
	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss;
}

/* 50 MB of CSV through gzip, read in 64 KiB pieces: every byte arrives, in order (CRC), and
 * the process does not grow by anything like the input. */
static void test_gzip_50mb_flat(void **state)
{
	const fixture *f = *state;
	const size_t total = 50u * 1000 * 1000;
	char path[512];
	path_in(f, "big.csv.gz", path, sizeof(path));
	gzFile gz = gzopen(path, "wb1");
	assert_non_null(gz);
	char *chunk = malloc(1 << 16);
	assert_non_null(chunk);
	uLong crc = crc32(0L, Z_NULL, 0);
	size_t written = 0;
	unsigned row = 0;
	while (written < total) {
		size_t len = 0;
		while (len < (1 << 16) - 64 && written + len < total) {
			int k = snprintf(chunk + len, 64, "%u,name%u,%u.%02u\n", row, row * 7u,
					 row % 1000u, row % 100u);
			len += (size_t)k;
			row++;
		}
		if (written + len > total)
			len = total - written;
		assert_int_equal(gzwrite(gz, chunk, (unsigned)len), (int)len);
		crc = crc32(crc, (const Bytef *)chunk, (uInt)len);
		written += len;
	}
	assert_int_equal(gzclose(gz), Z_OK);

	long before = max_rss_kib();
	rv_source *s = NULL;
	char err[256];
	assert_int_equal(source_open(path, ENC_UTF8, &s, err, sizeof(err)), RV_OK);
	assert_true(source_is_gzip(s));
	size_t got = 0;
	uLong rcrc = crc32(0L, Z_NULL, 0);
	ssize_t n;
	while ((n = source_read(s, chunk, 1 << 16, err, sizeof(err))) > 0) {
		assert_true(n <= 1 << 16);
		rcrc = crc32(rcrc, (const Bytef *)chunk, (uInt)n);
		got += (size_t)n;
	}
	if (n < 0)
		fail_msg("read failed: %s", err);
	assert_int_equal(got, total);
	assert_int_equal(rcrc, crc);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(source_consumed(s), (int64_t)st.st_size);
	source_close(s);
	long grew = max_rss_kib() - before;
	if (grew > 24 * 1024)
		fail_msg("reading 50 MB grew the process by %ld KiB", grew);
	free(chunk);
}

static void test_close_null(void **state)
{
	source_close(NULL); /* accepted, does nothing */
	assert_int_not_equal(fcntl(0, F_GETFD), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* first, so the peak memory of the other tests does not hide its growth */
		cmocka_unit_test(test_gzip_50mb_flat),
		cmocka_unit_test(test_plain_round_trip),
		cmocka_unit_test(test_plain_small_and_one_byte),
		cmocka_unit_test(test_consumed_progresses),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_not_a_directory),
		cmocka_unit_test(test_gzip_single_member),
		cmocka_unit_test(test_gzip_multi_member),
		cmocka_unit_test(test_gzip_truncated),
		cmocka_unit_test(test_gzip_trailing_garbage),
		cmocka_unit_test(test_gzip_corrupt),
		cmocka_unit_test(test_gz_name_plain_content),
		cmocka_unit_test(test_gzip_then_decode),
		cmocka_unit_test(test_stdin_pipe),
		cmocka_unit_test(test_stdin_gzip_byte_by_byte),
		cmocka_unit_test(test_stdin_empty),
		cmocka_unit_test(test_latin1),
		cmocka_unit_test(test_cp1252),
		cmocka_unit_test(test_utf16_bom),
		cmocka_unit_test(test_utf16_no_bom),
		cmocka_unit_test(test_utf16_bad_units),
		cmocka_unit_test(test_utf16_surrogate_every_offset),
		cmocka_unit_test(test_utf16_split_input),
		cmocka_unit_test(test_close_null),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
