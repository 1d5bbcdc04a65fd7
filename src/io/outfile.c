/* outfile.c: output files written atomically, and clean interruption.
 *
 * Overview. outfile_open() picks one of three ways to write a target:
 *   - "-" is stdout: fd 1, written and flushed but never closed;
 *   - names of an open descriptor (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N) and
 *     existing special files (character devices such as /dev/null, FIFOs, sockets) are written
 *     directly: there is nothing to rename over, and renaming over /dev/stdout would replace
 *     the symlink in /dev rather than write to the shell's redirection;
 *   - anything else gets a temporary file ".NAME.rvalid-XXXXXX" beside the target, fsynced
 *     and renamed over the target by outfile_commit(), so a reader sees either the old file
 *     or the whole new one, never half a report;
 *   - "s3://bucket/key" goes to an S3 writer (s3/s3.h): memory up to 8 MiB then one PUT at
 *     commit, or a multipart upload completed at commit; abort (or a failed commit) aborts
 *     the upload, so S3 outputs are all-or-nothing too.
 * Writes go through a 64 KiB buffer in the struct; the first write error is kept, later
 * writes are dropped, and commit reports it.
 *
 * Temporary files are listed in a fixed-size registry so that a second SIGINT/SIGTERM, which
 * exits at once from the signal handler, can still remove them. The registry and the signal
 * state are the only mutable globals of the module; everything else lives in rv_outfile.
 *
 * Why the lock-free read in the handler is safe enough: each slot has an atomic word,
 * generation << 2 | state. Threads claim and release slots under reg_lock and bump the
 * generation on every change; a path is written only while its slot is BUSY (which the
 * handler ignores) and published as LIVE with a release store after it is complete. The
 * handler copies a LIVE path, then re-reads the word (a seqlock): if the word changed, the
 * slot was released (its file already renamed or unlinked, since release comes after that)
 * or reused, and the copy may be torn, so it is not used. The handler therefore never unlinks
 * a half-written name. The windows left are tiny and only cost a stray temporary file: a
 * signal between mkostemp() and publishing, or a slot reused by another thread four times
 * during one handler run.
 *
 * After a failed outfile_commit() errno holds the error (EPIPE for a closed pipe), because f
 * is freed and outfile_pipe_closed() can no longer be asked. */
#include "io/outfile.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "s3/s3.h"
#include "s3/url.h"
#include "util/xalloc.h"

#define OUT_BUF   65536
#define REG_SLOTS 64
/* ".NAME.rvalid-XXXXXX" is NAME plus this many bytes */
#define TEMP_EXTRA 15

/* A handler may only touch lock-free atomics (C11 7.14.1.1). */
static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic int must be lock-free for the signal handler");

enum out_kind { OUT_STDOUT, OUT_DIRECT, OUT_TEMP, OUT_S3 };

struct rv_outfile {
	enum out_kind kind;
	int fd;
	int slot;      /* registry slot of the temporary file (OUT_TEMP), else -1 */
	int err;       /* errno of the first failure, 0 while all is well */
	s3_writer *s3; /* OUT_S3 */
	char *why;     /* the first failure's reason when errno cannot say it (S3) */
	bool pipe_closed;
	char *path;   /* as the user named it: messages and outfile_path() */
	char *target; /* what the temporary file is renamed to (symlinks resolved) */
	size_t len;   /* bytes waiting in buf */
	unsigned char buf[OUT_BUF];
};

/* ---- registry of temporary files ---- */

enum { SLOT_FREE = 0, SLOT_BUSY = 1, SLOT_LIVE = 2 };

static char reg_paths[REG_SLOTS][PATH_MAX];
static atomic_uint reg_word[REG_SLOTS];
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;

/* 0, or the first SIGINT/SIGTERM. An atomic rather than a volatile sig_atomic_t because worker
 * threads read it too; lock-free, so the handler may write it. */
static atomic_int interrupted_sig;

/* Moves slot i to state; the generation goes up so a reader in the handler sees the change. */
static void slot_set(int i, unsigned state, memory_order order)
{
	unsigned w = atomic_load_explicit(&reg_word[i], memory_order_relaxed);
	atomic_store_explicit(&reg_word[i], (((w >> 2) + 1) << 2) | state, order);
}

/* Returns a slot now BUSY (owned by the caller), or -1 when all are taken. */
static int slot_claim(void)
{
	int found = -1;
	pthread_mutex_lock(&reg_lock);
	for (int i = 0; i < REG_SLOTS && found < 0; i++) {
		if ((atomic_load_explicit(&reg_word[i], memory_order_relaxed) & 3) == SLOT_FREE) {
			slot_set(i, SLOT_BUSY, memory_order_relaxed);
			found = i;
		}
	}
	pthread_mutex_unlock(&reg_lock);
	/* seqlock writer: the word change must be visible before the path bytes change; an
	 * acquire read-modify-write keeps the later path writes after it (a fence would do
	 * the same, but ThreadSanitizer cannot follow fences) */
	if (found >= 0)
		atomic_fetch_add_explicit(&reg_word[found], 0, memory_order_acq_rel);
	return found;
}

/* The path in slot i is complete: the handler may now unlink it. */
static void slot_publish(int i)
{
	slot_set(i, SLOT_LIVE, memory_order_release);
}

/* Called only after the file is renamed or unlinked, so a signal in between at worst unlinks a
 * name that no longer exists. */
static void slot_release(int i)
{
	pthread_mutex_lock(&reg_lock);
	slot_set(i, SLOT_FREE, memory_order_release);
	pthread_mutex_unlock(&reg_lock);
}

/* Async-signal-safe: unlinks every published temporary file (see the overview). */
static void unlink_registered(void)
{
	char copy[PATH_MAX];
	for (int i = 0; i < REG_SLOTS; i++) {
		for (int tries = 0; tries < 4; tries++) {
			unsigned w = atomic_load_explicit(&reg_word[i], memory_order_acquire);
			if ((w & 3) != SLOT_LIVE)
				break;
			size_t n = 0;
			while (n < PATH_MAX - 1 && reg_paths[i][n] != '\0') {
				copy[n] = reg_paths[i][n];
				n++;
			}
			copy[n] = '\0';
			/* a release read-modify-write keeps the path reads above before the
			 * re-check */
			if (atomic_fetch_add_explicit(&reg_word[i], 0, memory_order_acq_rel) != w)
				continue; /* changed under us: the copy may be torn */
			unlink(copy);
			break;
		}
	}
}

/* ---- signals ---- */

static void on_signal(int sig)
{
	int saved = errno;
	int none = 0;
	if (atomic_compare_exchange_strong(&interrupted_sig, &none, sig)) {
		/* first signal: let the run stop and abort its outputs itself */
		errno = saved;
		return;
	}
	unlink_registered();
	_exit(128 + sig);
}

void outfile_install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	/* no SA_RESTART: a blocking read or write returns EINTR so the run notices the flag */
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	const int sigs[] = {SIGINT, SIGTERM};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;
		/* a signal ignored at startup (a background job of a script) stays ignored, as in
		 * the shell and GNU tools */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
	struct sigaction ign;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	/* a closed pipe then shows up as EPIPE, which the caller turns into a quiet end */
	sigaction(SIGPIPE, &ign, NULL);
}

int outfile_interrupted(void)
{
	return atomic_load(&interrupted_sig);
}

rv_status outfile_interrupt_status(void)
{
	int sig = outfile_interrupted();
	return !sig ? RV_OK : sig == SIGTERM ? RV_TERMINATED : RV_INTERRUPT;
}

/* ---- opening ---- */

static void set_err(char *err, size_t errlen, const char *path, const char *reason)
{
	if (err && errlen > 0)
		snprintf(err, errlen, "%s: %s", path, reason);
}

/* The descriptor a path names (/dev/stdout, /dev/fd/N, ...), or -1 for an ordinary path. */
static int named_fd(const char *path)
{
	if (strcmp(path, "/dev/stdout") == 0)
		return 1;
	if (strcmp(path, "/dev/stderr") == 0)
		return 2;
	const char *digits = NULL;
	if (strncmp(path, "/dev/fd/", 8) == 0)
		digits = path + 8;
	else if (strncmp(path, "/proc/self/fd/", 14) == 0)
		digits = path + 14;
	if (!digits || *digits == '\0')
		return -1;
	int v = 0;
	for (const char *p = digits; *p; p++) {
		if (*p < '0' || *p > '9' || v > (INT_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* The umask, read without changing it: umask() can only be read by setting it, which races
 * with other threads creating files, so /proc (Linux 4.7+) comes first. */
static mode_t current_umask(void)
{
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		char text[4096];
		ssize_t n;
		do
			n = read(fd, text, sizeof(text) - 1);
		while (n < 0 && errno == EINTR);
		close(fd);
		if (n > 0) {
			text[n] = '\0';
			const char *p = strstr(text, "\nUmask:");
			if (p) {
				char *end;
				unsigned long m = strtoul(p + 7, &end, 8);
				if (end != p + 7)
					return (mode_t)(m & 0777);
			}
		}
	}
	mode_t m = umask(022);
	umask(m);
	return m;
}

static rv_outfile *new_outfile(const char *path, enum out_kind kind, int fd)
{
	rv_outfile *f = xmalloc(sizeof(*f));
	f->kind = kind;
	f->fd = fd;
	f->slot = -1;
	f->err = 0;
	f->pipe_closed = false;
	f->path = xstrdup(path);
	f->target = NULL;
	f->s3 = NULL;
	f->why = NULL;
	f->len = 0;
	return f;
}

/* Creates the temporary file for target in a claimed registry slot; returns its fd or -1 with
 * errno set. */
static int make_temp(int slot, const char *target, mode_t mode)
{
	const char *slash = strrchr(target, '/');
	size_t dirlen = slash ? (size_t)(slash - target) + 1 : 0;
	const char *base = target + dirlen;
	size_t baselen = strlen(base);
	/* a long NAME would make the temporary name too long where the target's is not */
	if (baselen > NAME_MAX - TEMP_EXTRA)
		baselen = NAME_MAX - TEMP_EXTRA;
	int n = snprintf(reg_paths[slot], PATH_MAX, "%.*s.%.*s.rvalid-XXXXXX", (int)dirlen, target,
			 (int)baselen, base);
	if (n < 0 || n >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkostemp(reg_paths[slot], O_CLOEXEC);
	if (fd < 0)
		return -1;
	slot_publish(slot);
	/* mkostemp makes 0600; a report should get what a plain create (or the file it replaces)
	 * would have. A file system without modes refuses fchmod, and 0600 is then the safe side.
	 */
	fchmod(fd, mode);
	return fd;
}

rv_outfile *outfile_open(const char *path, char *err, size_t errlen)
{
	if (strcmp(path, "-") == 0)
		return new_outfile(path, OUT_STDOUT, STDOUT_FILENO);
	if (s3_is_url(path)) {
		s3_writer *w;
		char why[768];
		if (s3_writer_open(path, &w, why, sizeof(why)) != RV_OK) {
			set_err(err, errlen, path, why);
			return NULL;
		}
		rv_outfile *f = new_outfile(path, OUT_S3, -1);
		f->s3 = w;
		return f;
	}

	int named = named_fd(path);
	if (named >= 0) {
		/* share the shell's open file: its offset and O_APPEND, and a socket (which open()
		 * refuses) works too */
		int fd = fcntl(named, F_DUPFD_CLOEXEC, 3);
		if (fd < 0) {
			set_err(err, errlen, path, strerror(errno));
			return NULL;
		}
		return new_outfile(path, OUT_DIRECT, fd);
	}

	struct stat st;
	mode_t mode;
	char *target = NULL;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			set_err(err, errlen, path, strerror(EISDIR));
			return NULL;
		}
		if (!S_ISREG(st.st_mode)) {
			int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
			if (fd < 0) {
				set_err(err, errlen, path, strerror(errno));
				return NULL;
			}
			return new_outfile(path, OUT_DIRECT, fd);
		}
		/* replacing an existing file keeps its permissions, as writing into it would */
		mode = st.st_mode & 0777;
		struct stat lst;
		/* a symlink stays a symlink: the file it points to is replaced */
		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
			target = realpath(path, NULL);
	} else if (errno == ENOENT) {
		mode = 0666 & ~current_umask();
	} else {
		set_err(err, errlen, path, strerror(errno));
		return NULL;
	}
	if (!target)
		target = xstrdup(path);
	size_t tlen = strlen(target);
	if (tlen == 0 || target[tlen - 1] == '/') {
		/* "out/" that does not exist yet names a folder, not a file */
		free(target);
		set_err(err, errlen, path, strerror(EISDIR));
		return NULL;
	}

	int slot = slot_claim();
	if (slot < 0) {
		free(target);
		set_err(err, errlen, path, "too many output files open at once");
		return NULL;
	}
	int fd = make_temp(slot, target, mode);
	if (fd < 0) {
		int e = errno;
		slot_release(slot);
		free(target);
		set_err(err, errlen, path, strerror(e));
		return NULL;
	}
	rv_outfile *f = new_outfile(path, OUT_TEMP, fd);
	f->slot = slot;
	f->target = target;
	return f;
}

/* ---- writing ---- */

static void note_error(rv_outfile *f, int e)
{
	if (!f->err)
		f->err = e;
	f->pipe_closed = e == EPIPE;
}

static bool write_all(rv_outfile *f, const unsigned char *p, size_t n)
{
	if (f->kind == OUT_S3) {
		char why[768];
		if (s3_writer_write(f->s3, p, n, why, sizeof(why)) == RV_OK)
			return true;
		if (!f->err)
			f->why = xstrdup(why);
		note_error(f, EIO);
		return false;
	}
	while (n > 0) {
		ssize_t w = write(f->fd, p, n);
		if (w < 0) {
			/* EINTR without a stop request (some other signal) is retried; after SIGINT
			 * or SIGTERM a write blocked on a stalled reader must not block again */
			if (errno == EINTR && !outfile_interrupted())
				continue;
			note_error(f, errno);
			return false;
		}
		if (w == 0) {
			note_error(f, EIO);
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static bool flush_buf(rv_outfile *f)
{
	if (f->err)
		return false;
	bool ok = write_all(f, f->buf, f->len);
	f->len = 0;
	return ok;
}

rv_status outfile_write(rv_outfile *f, const void *p, size_t n)
{
	if (f->err)
		return RV_IO;
	if (n <= OUT_BUF - f->len) {
		memcpy(f->buf + f->len, p, n);
		f->len += n;
		return RV_OK;
	}
	if (!flush_buf(f))
		return RV_IO;
	/* a large block goes straight out rather than through the buffer */
	if (n >= OUT_BUF)
		return write_all(f, p, n) ? RV_OK : RV_IO;
	memcpy(f->buf, p, n);
	f->len = n;
	return RV_OK;
}

rv_status outfile_puts(rv_outfile *f, const char *s)
{
	return outfile_write(f, s, strlen(s));
}

/* ---- finishing ---- */

static const char *display_name(const rv_outfile *f)
{
	return f->kind == OUT_STDOUT ? "stdout" : f->path;
}

static void free_outfile(rv_outfile *f)
{
	free(f->why);
	free(f->path);
	free(f->target);
	free(f);
}

rv_status outfile_commit(rv_outfile *f, char *err, size_t errlen)
{
	flush_buf(f);
	int e = f->err;
	if (f->kind == OUT_S3) {
		char why[768];
		if (e) {
			s3_writer_abort(f->s3);
		} else if (s3_writer_commit(f->s3, why, sizeof(why)) != RV_OK) {
			e = EIO;
			f->why = xstrdup(why);
		}
		f->s3 = NULL;
		if (e)
			set_err(err, errlen, f->path, f->why ? f->why : strerror(e));
		free_outfile(f);
		errno = e;
		return e ? RV_IO : RV_OK;
	}
	if (f->kind == OUT_TEMP && !e) {
		/* the data must be on disk before the rename makes it the target, or a crash can
		 * leave a renamed but empty report */
		int r;
		do
			r = fsync(f->fd);
		while (r != 0 && errno == EINTR);
		if (r != 0 && errno != EINVAL)
			e = errno;
	}
	if (f->kind != OUT_STDOUT) {
		/* close() is not retried on EINTR: on Linux the descriptor is gone either way */
		if (close(f->fd) != 0 && !e && errno != EINTR)
			e = errno;
		f->fd = -1;
	}
	if (f->kind == OUT_TEMP) {
		const char *tmp = reg_paths[f->slot];
		if (!e && rename(tmp, f->target) != 0)
			e = errno;
		if (e)
			unlink(tmp);
		slot_release(f->slot);
	}
	if (e)
		set_err(err, errlen, display_name(f), strerror(e));
	free_outfile(f);
	errno = e;
	return e ? RV_IO : RV_OK;
}

void outfile_abort(rv_outfile *f)
{
	if (!f)
		return;
	int saved = errno;
	if (f->kind == OUT_S3)
		s3_writer_abort(f->s3);
	else if (f->kind != OUT_STDOUT)
		close(f->fd);
	if (f->kind == OUT_TEMP) {
		unlink(reg_paths[f->slot]);
		slot_release(f->slot);
	}
	free_outfile(f);
	errno = saved;
}

bool outfile_pipe_closed(const rv_outfile *f)
{
	return f->pipe_closed;
}

const char *outfile_path(const rv_outfile *f)
{
	return f->path;
}

void outfile_failure(const rv_outfile *f, char *err, size_t errlen)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", display_name(f),
			 f->why ? f->why : strerror(f->err ? f->err : EIO));
}
