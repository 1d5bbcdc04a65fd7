/* spillfile.c: unlinked temporary files, written then read back through one buffer. */
#include "io/spillfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

struct rv_spillfile {
	int fd;
	char *buf;
	size_t cap, len, pos; /* writing: len buffered; reading: [pos, len) unread */
	bool reading;
	uint64_t size;
	int error; /* errno of the first failure, or -1 for a short file */
};

rv_spillfile *spillfile_new(size_t bufsize, char *err, size_t errlen)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/rvalid-spill-XXXXXX", dir);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		snprintf(err, errlen, "%s: the folder name is too long for a temporary file", dir);
		return NULL;
	}
	int fd = mkstemp(path);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create a temporary file: %s", dir,
			 strerror(errno));
		return NULL;
	}
	unlink(path); /* gone when closed, whatever happens */
	rv_spillfile *f = xcalloc(1, sizeof(*f));
	f->fd = fd;
	f->cap = bufsize ? bufsize : 65536;
	f->buf = xmalloc(f->cap);
	return f;
}

void spillfile_free(rv_spillfile *f)
{
	if (!f)
		return;
	close(f->fd);
	free(f->buf);
	free(f);
}

static bool flush(rv_spillfile *f)
{
	const char *p = f->buf;
	size_t n = f->len;
	while (n) {
		ssize_t w = write(f->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			f->error = w < 0 ? errno : EIO;
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	f->len = 0;
	return true;
}

bool spillfile_write(rv_spillfile *f, const void *p, size_t n)
{
	if (f->error || f->reading)
		return false;
	f->size += n;
	const char *s = p;
	while (n) {
		if (f->len == f->cap && !flush(f))
			return false;
		size_t k = f->cap - f->len < n ? f->cap - f->len : n;
		memcpy(f->buf + f->len, s, k);
		f->len += k;
		s += k;
		n -= k;
	}
	return true;
}

bool spillfile_rewind(rv_spillfile *f)
{
	if (f->error)
		return false;
	if (!f->reading && !flush(f))
		return false;
	if (lseek(f->fd, 0, SEEK_SET) < 0) {
		f->error = errno;
		return false;
	}
	f->reading = true;
	f->len = f->pos = 0;
	return true;
}

bool spillfile_read(rv_spillfile *f, void *p, size_t n)
{
	if (f->error || !f->reading)
		return false;
	char *d = p;
	size_t want = n;
	while (n) {
		if (f->pos == f->len) {
			ssize_t r = read(f->fd, f->buf, f->cap);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				f->error = errno;
				return false;
			}
			if (r == 0) {
				if (n != want)
					f->error = -1; /* a record cut short */
				return false;
			}
			f->len = (size_t)r;
			f->pos = 0;
		}
		size_t k = f->len - f->pos < n ? f->len - f->pos : n;
		memcpy(d, f->buf + f->pos, k);
		f->pos += k;
		d += k;
		n -= k;
	}
	return true;
}

uint64_t spillfile_size(const rv_spillfile *f)
{
	return f->size;
}

bool spillfile_error(const rv_spillfile *f, char *err, size_t errlen)
{
	if (!f->error)
		return false;
	snprintf(err, errlen, "%s",
		 f->error < 0 ? "a temporary file was cut short" : strerror(f->error));
	return true;
}
