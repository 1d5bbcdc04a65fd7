/* test_outfile.c: unit tests for atomic output files and interruption (io/outfile.c).
 *
 * Each test works in its own mkdtemp folder and checks the folder's listing, so a temporary
 * file left behind fails the test. Anything that changes process-wide state (signal handlers,
 * stdout, SIGPIPE) runs in a forked child, which reports a failed check by exiting 100 after
 * printing the line; the parent asserts on the exit status and then on the folder. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "io/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
	char dir[PATH_MAX];
} fixture;

/* ---- helpers ---- */

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof(*fx));
	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/rv_outfile_XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	DIR *d = opendir(fx->dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char p[PATH_MAX * 2];
			snprintf(p, sizeof(p), "%s/%s", fx->dir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* dir/name into out */
static const char *join(char *out, size_t outlen, const char *dir, const char *name)
{
	snprintf(out, outlen, "%s/%s", dir, name);
	return out;
}

static int skip_dots(const struct dirent *e)
{
	return strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
}

/* The folder's entries, sorted and joined with ',' ("" when empty). */
static const char *listing(const char *dir, char *out, size_t outlen)
{
	struct dirent **names;
	int n = scandir(dir, &names, skip_dots, alphasort);
	if (n < 0)
		fail_msg("scandir %s: %s", dir, strerror(errno));
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		int w = snprintf(out + used, outlen - used, "%s%s", i ? "," : "", names[i]->d_name);
		if (w > 0 && (size_t)w < outlen - used)
			used += (size_t)w;
		free(names[i]);
	}
	free(names);
	return out;
}

/* Number of entries in dir (not "." or "..") whose name starts with prefix. */
static int count_prefix(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("opendir %s: %s", dir, strerror(errno));
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (skip_dots(e) && strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

/* Reads a whole file into buf (NUL-terminated); returns its length, or -1. */
static long slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t len = 0;
	ssize_t n;
	while (len < cap - 1 && (n = read(fd, buf + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return (long)len;
}

static void put_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* ---- forked children ---- */

static void child_failed(int line)
{
	fprintf(stderr, "test_outfile: check in child failed at line %d\n", line);
	_exit(100);
}

#define CHILD_CHECK(cond)                                                                          \
	do {                                                                                       \
		if (!(cond))                                                                       \
			child_failed(__LINE__);                                                    \
	} while (0)

/* Runs fn(arg) in a child and returns its wait status; the child exits 0 when fn returns. */
static int in_child(void (*fn)(const char *), const char *arg)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* a run under a script's background job may inherit these ignored */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		fn(arg);
		_exit(0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		assert_int_equal(errno, EINTR);
	return status;
}

static void assert_exited(int status, int code)
{
	if (!WIFEXITED(status))
		fail_msg("child did not exit (signal %d)",
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	assert_int_equal(WEXITSTATUS(status), code);
}

/* ---- writing and committing ---- */

static void test_commit_writes_exact_bytes(void **state)
{
	fixture *fx = *state;
	char target[PATH_MAX + 16], list[1024], err[256];
	join(target, sizeof(target), fx->dir, "r.json");

	size_t cap = 400000, len = 0;
	char *want = malloc(cap), *got = malloc(cap);
	assert_non_null(want);
	assert_non_null(got);

	rv_outfile *f = outfile_open(target, err, sizeof(err));
	assert_non_null(f);
	assert_string_equal(outfile_path(f), target);
	/* small write (buffered), a block larger than the buffer (written through), many small
	 * writes that cross the buffer boundary, then puts */
	assert_int_equal(outfile_write(f, "hello\n", 6), RV_OK);
	memcpy(want, "hello\n", 6);
	len = 6;
	char *block = malloc(200000);
	assert_non_null(block);
	for (size_t i = 0; i < 200000; i++)
		block[i] = (char)('a' + i % 26);
	assert_int_equal(outfile_write(f, block, 200000), RV_OK);
	memcpy(want + len, block, 200000);
	len += 200000;
	for (int i = 0; i < 100; i++) {
		assert_int_equal(outfile_write(f, block + i, 1000), RV_OK);
		memcpy(want + len, block + i, 1000);
		len += 1000;
	}
	assert_int_equal(outfile_puts(f, "end\n"), RV_OK);
	memcpy(want + len, "end\n", 4);
	len += 4;
	free(block);

	/* before commit: only the temporary file, named after the target */
	struct stat st;
	assert_int_equal(stat(target, &st), -1);
	assert_int_equal(errno, ENOENT);
	listing(fx->dir, list, sizeof(list));
	assert_int_equal(strncmp(list, ".r.json.rvalid-", 15), 0);
	assert_int_equal(strlen(list), 15 + 6);

	assert_int_equal(outfile_commit(f, err, sizeof(err)), RV_OK);
	assert_int_equal(slurp(target, got, cap), (long)len);
	assert_memory_equal(got, want, len);
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "r.json");
	free(want);
	free(got);
}

static void test_target_untouched_until_commit(void **state)
{
	fixture *fx = *state;
	char target[PATH_MAX + 16], list[1024], err[256], got[64];
	join(target, sizeof(target), fx->dir, "r.txt");
	put_file(target, "old\n", 0644);

	rv_outfile *f = outfile_open(target, err, sizeof(err));
	assert_non_null(f);
	assert_int_equal(outfile_puts(f, "new content\n"), RV_OK);
	/* 64 KiB of padding forces a real write to the temporary file */
	static char pad[70000];
	memset(pad, 'x', sizeof(pad));
	assert_int_equal(outfile_write(f, pad, sizeof(pad)), RV_OK);
	assert_int_equal(slurp(target, got, sizeof(got)), 4);
	assert_string_equal(got, "old\n");
	assert_int_equal(count_prefix(fx->dir, ".r.txt.rvalid-"), 1);

	assert_int_equal(outfile_commit(f, err, sizeof(err)), RV_OK);
	static char all[80000];
	assert_int_equal(slurp(target, all, sizeof(all)), 12 + (long)sizeof(pad));
	assert_memory_equal(all, "new content\n", 12);
	assert_memory_equal(all + 12, pad, sizeof(pad));
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "r.txt");
}

static void test_abort_keeps_old_target(void **state)
{
	fixture *fx = *state;
	char target[PATH_MAX + 16], fresh[PATH_MAX + 16], list[1024], err[256], got[64];
	join(target, sizeof(target), fx->dir, "keep.csv");
	join(fresh, sizeof(fresh), fx->dir, "fresh.csv");
	put_file(target, "a,b\n1,2\n", 0644);

	rv_outfile *f = outfile_open(target, err, sizeof(err));
	rv_outfile *g = outfile_open(fresh, err, sizeof(err));
	assert_non_null(f);
	assert_non_null(g);
	static char pad[100000];
	memset(pad, 'z', sizeof(pad));
	assert_int_equal(outfile_write(f, pad, sizeof(pad)), RV_OK);
	assert_int_equal(outfile_write(g, pad, sizeof(pad)), RV_OK);
	assert_int_equal(count_prefix(fx->dir, ".keep.csv.rvalid-"), 1);
	assert_int_equal(count_prefix(fx->dir, ".fresh.csv.rvalid-"), 1);

	outfile_abort(f);
	outfile_abort(g);
	outfile_abort(NULL);
	assert_int_equal(slurp(target, got, sizeof(got)), 8);
	assert_string_equal(got, "a,b\n1,2\n");
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "keep.csv");
}

static void test_failed_commit_removes_temp(void **state)
{
	fixture *fx = *state;
	char target[PATH_MAX + 16], err[PATH_MAX * 2], want[PATH_MAX * 2], list[256];
	join(target, sizeof(target), fx->dir, "gone.json");
	rv_outfile *f = outfile_open(target, err, sizeof(err));
	assert_non_null(f);
	assert_int_equal(outfile_puts(f, "{}"), RV_OK);
	/* a folder appears where the report goes: the rename fails */
	assert_int_equal(mkdir(target, 0755), 0);
	assert_int_equal(outfile_commit(f, err, sizeof(err)), RV_IO);
	snprintf(want, sizeof(want), "%s: Is a directory", target);
	assert_string_equal(err, want);
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "gone.json");
	assert_int_equal(rmdir(target), 0);
}

/* ---- errors when opening ---- */

static void test_missing_folder(void **state)
{
	fixture *fx = *state;
	char target[PATH_MAX + 16], err[PATH_MAX * 2], want[PATH_MAX * 2], list[64];
	join(target, sizeof(target), fx->dir, "nope/x.json");
	assert_null(outfile_open(target, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: No such file or directory", target);
	assert_string_equal(err, want);

	/* relative, as the user typed it */
	int here = open(".", O_RDONLY | O_DIRECTORY);
	assert_true(here >= 0);
	assert_int_equal(chdir(fx->dir), 0);
	rv_outfile *f = outfile_open("out/x.json", err, sizeof(err));
	int back = fchdir(here);
	close(here);
	assert_int_equal(back, 0);
	assert_null(f);
	assert_string_equal(err, "out/x.json: No such file or directory");
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "");
}

static void test_folder_as_target(void **state)
{
	fixture *fx = *state;
	char err[PATH_MAX * 2], want[PATH_MAX * 2], path[PATH_MAX + 16], list[64];
	assert_null(outfile_open(fx->dir, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: Is a directory", fx->dir);
	assert_string_equal(err, want);

	/* a trailing slash names a folder even when it does not exist */
	join(path, sizeof(path), fx->dir, "sub/");
	assert_null(outfile_open(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: Is a directory", path);
	assert_string_equal(err, want);
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "");
}

static void test_plain_name_in_cwd(void **state)
{
	fixture *fx = *state;
	char err[256], got[64], list[256];
	int here = open(".", O_RDONLY | O_DIRECTORY);
	assert_true(here >= 0);
	assert_int_equal(chdir(fx->dir), 0);
	rv_outfile *f = outfile_open("plain.txt", err, sizeof(err));
	int opened = f != NULL;
	int tmps = count_prefix(".", ".plain.txt.rvalid-");
	rv_status st = f ? outfile_puts(f, "cwd\n") : RV_IO;
	if (f)
		st = outfile_commit(f, err, sizeof(err));
	int back = fchdir(here);
	close(here);
	assert_int_equal(back, 0);
	assert_true(opened);
	assert_int_equal(tmps, 1);
	assert_int_equal(st, RV_OK);
	char path[PATH_MAX + 16];
	assert_int_equal(slurp(join(path, sizeof(path), fx->dir, "plain.txt"), got, sizeof(got)),
			 4);
	assert_string_equal(got, "cwd\n");
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "plain.txt");
}

static void test_long_name(void **state)
{
	fixture *fx = *state;
	char name[NAME_MAX + 1], target[PATH_MAX + NAME_MAX + 2], err[PATH_MAX + 64], got[16];
	/* the longest legal name: ".NAME.rvalid-XXXXXX" would be too long in full */
	memset(name, 'n', NAME_MAX);
	name[NAME_MAX] = '\0';
	join(target, sizeof(target), fx->dir, name);
	rv_outfile *f = outfile_open(target, err, sizeof(err));
	if (!f)
		fail_msg("open failed: %s", err);
	assert_int_equal(outfile_puts(f, "long\n"), RV_OK);
	assert_int_equal(outfile_commit(f, err, sizeof(err)), RV_OK);
	assert_int_equal(slurp(target, got, sizeof(got)), 5);
	assert_string_equal(got, "long\n");
	assert_int_equal(count_prefix(fx->dir, "."), 0);
	assert_int_equal(count_prefix(fx->dir, "n"), 1);
}

/* ---- special files ---- */

/* Fails unless f writes /dev/NAME directly. A temporary file in /dev must never be committed:
 * renaming it would replace the device (the tests may run as root), so f is aborted first. */
static void assert_no_temp_in_dev(rv_outfile *f, const char *prefix, int before)
{
	int now = count_prefix("/dev", prefix);
	if (now != before) {
		outfile_abort(f);
		fail_msg("a temporary file %s* was created in /dev", prefix);
	}
}

static void test_dev_null_direct(void **state)
{
	char err[256];
	int before = count_prefix("/dev", ".null.rvalid-");
	rv_outfile *f = outfile_open("/dev/null", err, sizeof(err));
	assert_non_null(f);
	assert_no_temp_in_dev(f, ".null.rvalid-", before);
	static char pad[100000];
	assert_int_equal(outfile_write(f, pad, sizeof(pad)), RV_OK);
	assert_int_equal(outfile_puts(f, "x"), RV_OK);
	assert_no_temp_in_dev(f, ".null.rvalid-", before);
	assert_int_equal(outfile_commit(f, err, sizeof(err)), RV_OK);
	assert_int_equal(count_prefix("/dev", ".null.rvalid-"), before);
	struct stat st;
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

static void test_dev_full_error_at_commit(void **state)
{
	char err[256];
	int before = count_prefix("/dev", ".full.rvalid-");
	rv_outfile *f = outfile_open("/dev/full", err, sizeof(err));
	assert_non_null(f);
	assert_no_temp_in_dev(f, ".full.rvalid-", before);
	/* buffered: the failure shows at commit */
	assert_int_equal(outfile_puts(f, "report\n"), RV_OK);
	assert_int_equal(outfile_commit(f, err, sizeof(err)), RV_IO);
	assert_int_equal(errno, ENOSPC);
	assert_string_equal(err, "/dev/full: No space left on device");

	/* larger than the buffer: the write itself fails, later writes too */
	f = outfile_open("/dev/full", err, sizeof(err));
	assert_non_null(f);
	assert_no_temp_in_dev(f, ".full.rvalid-", before);
	static char pad[70000];
	assert_int_equal(outfile_write(f, pad, sizeof(pad)), RV_IO);
	assert_false(outfile_pipe_closed(f));
	assert_int_equal(outfile_puts(f, "more"), RV_IO);
	assert_int_equal(outfile_commit(f, err, sizeof(err)), RV_IO);
	assert_string_equal(err, "/dev/full: No space left on device");
	struct stat st;
	assert_int_equal(stat("/dev/full", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

static void test_fifo_direct(void **state)
{
	fixture *fx = *state;
	char fifo[PATH_MAX + 16], err[256], got[64], list[256];
	join(fifo, sizeof(fifo), fx->dir, "pipe");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* a reader first, so opening for writing does not block */
	int rd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	rv_outfile *f = outfile_open(fifo, err, sizeof(err));
	assert_non_null(f);
	assert_int_equal(outfile_puts(f, "through the fifo\n"), RV_OK);
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "pipe");
	assert_int_equal(outfile_commit(f, err, sizeof(err)), RV_OK);
	ssize_t n = read(rd, got, sizeof(got) - 1);
	close(rd);
	assert_int_equal(n, 17);
	got[n] = '\0';
	assert_string_equal(got, "through the fifo\n");
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "pipe");
}

static void closed_pipe_child(const char *unused)
{
	char err[256], name[64], want[128];
	/* not ignoring SIGPIPE here: outfile_install_signals must, or the child dies of it */
	outfile_install_signals();
	int p[2];
	CHILD_CHECK(pipe(p) == 0);
	close(p[0]);

	/* by name: /dev/fd/N */
	snprintf(name, sizeof(name), "/dev/fd/%d", p[1]);
	rv_outfile *f = outfile_open(name, err, sizeof(err));
	CHILD_CHECK(f != NULL);
	static char pad[70000];
	CHILD_CHECK(outfile_write(f, pad, sizeof(pad)) == RV_IO);
	CHILD_CHECK(outfile_pipe_closed(f));
	CHILD_CHECK(outfile_puts(f, "x") == RV_IO);
	CHILD_CHECK(outfile_commit(f, err, sizeof(err)) == RV_IO);
	CHILD_CHECK(errno == EPIPE);
	snprintf(want, sizeof(want), "%s: Broken pipe", name);
	CHILD_CHECK(strcmp(err, want) == 0);

	/* as stdout: the failure shows at commit, and fd 1 stays open */
	CHILD_CHECK(dup2(p[1], STDOUT_FILENO) == STDOUT_FILENO);
	f = outfile_open("-", err, sizeof(err));
	CHILD_CHECK(f != NULL);
	CHILD_CHECK(strcmp(outfile_path(f), "-") == 0);
	CHILD_CHECK(outfile_puts(f, "row\n") == RV_OK);
	CHILD_CHECK(!outfile_pipe_closed(f));
	CHILD_CHECK(outfile_commit(f, err, sizeof(err)) == RV_IO);
	CHILD_CHECK(errno == EPIPE);
	CHILD_CHECK(strcmp(err, "stdout: Broken pipe") == 0);
	CHILD_CHECK(fcntl(STDOUT_FILENO, F_GETFD) != -1);

	f = outfile_open("-", err, sizeof(err));
	CHILD_CHECK(f != NULL);
	CHILD_CHECK(outfile_write(f, pad, sizeof(pad)) == RV_IO);
	CHILD_CHECK(outfile_pipe_closed(f));
	outfile_abort(f);
	CHILD_CHECK(fcntl(STDOUT_FILENO, F_GETFD) != -1);
}

static void test_closed_pipe(void **state)
{
	assert_exited(in_child(closed_pipe_child, NULL), 0);
}

static void stdout_child(const char *file)
{
	char err[256];
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHILD_CHECK(fd >= 0);
	CHILD_CHECK(dup2(fd, STDOUT_FILENO) == STDOUT_FILENO);
	close(fd);
	CHILD_CHECK(write(STDOUT_FILENO, "a\n", 2) == 2);

	rv_outfile *f = outfile_open("-", err, sizeof(err));
	CHILD_CHECK(f != NULL);
	CHILD_CHECK(outfile_puts(f, "b\n") == RV_OK);
	CHILD_CHECK(outfile_commit(f, err, sizeof(err)) == RV_OK);

	/* /dev/stdout is the same open file: it continues where the shell's stdout is */
	f = outfile_open("/dev/stdout", err, sizeof(err));
	CHILD_CHECK(f != NULL);
	CHILD_CHECK(outfile_puts(f, "c\n") == RV_OK);
	CHILD_CHECK(outfile_commit(f, err, sizeof(err)) == RV_OK);

	/* fd 1 was not closed by either */
	CHILD_CHECK(write(STDOUT_FILENO, "d\n", 2) == 2);
}

static void test_stdout_and_dev_stdout(void **state)
{
	fixture *fx = *state;
	char file[PATH_MAX + 16], got[64], list[256];
	join(file, sizeof(file), fx->dir, "shell.out");
	assert_exited(in_child(stdout_child, file), 0);
	assert_int_equal(slurp(file, got, sizeof(got)), 8);
	assert_string_equal(got, "a\nb\nc\nd\n");
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "shell.out");
}

/* ---- permissions and symlinks ---- */

static mode_t committed_mode(const char *target)
{
	char err[256];
	rv_outfile *f = outfile_open(target, err, sizeof(err));
	assert_non_null(f);
	assert_int_equal(outfile_puts(f, "x"), RV_OK);
	assert_int_equal(outfile_commit(f, err, sizeof(err)), RV_OK);
	struct stat st;
	assert_int_equal(stat(target, &st), 0);
	return st.st_mode & 07777;
}

static void test_permissions_follow_umask(void **state)
{
	fixture *fx = *state;
	char a[PATH_MAX + 16], b[PATH_MAX + 16], c[PATH_MAX + 16];
	mode_t old = umask(022);
	mode_t m022 = committed_mode(join(a, sizeof(a), fx->dir, "a.txt"));
	umask(077);
	mode_t m077 = committed_mode(join(b, sizeof(b), fx->dir, "b.txt"));
	umask(022);
	/* replacing a file keeps its mode, as writing into it would */
	put_file(join(c, sizeof(c), fx->dir, "c.txt"), "old", 0640);
	mode_t kept = committed_mode(c);
	umask(old);
	assert_int_equal(m022, 0644);
	assert_int_equal(m077, 0600);
	assert_int_equal(kept, 0640);
}

static void test_symlink_kept(void **state)
{
	fixture *fx = *state;
	char real[PATH_MAX + 16], link[PATH_MAX + 16], err[256], got[64], list[256];
	join(real, sizeof(real), fx->dir, "real.json");
	join(link, sizeof(link), fx->dir, "link.json");
	put_file(real, "old", 0644);
	assert_int_equal(symlink("real.json", link), 0);

	rv_outfile *f = outfile_open(link, err, sizeof(err));
	assert_non_null(f);
	assert_int_equal(count_prefix(fx->dir, ".real.json.rvalid-"), 1);
	assert_int_equal(outfile_puts(f, "new"), RV_OK);
	assert_int_equal(outfile_commit(f, err, sizeof(err)), RV_OK);

	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(slurp(real, got, sizeof(got)), 3);
	assert_string_equal(got, "new");
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "link.json,real.json");
}

/* ---- the registry ---- */

static void test_registry_full(void **state)
{
	fixture *fx = *state;
	enum { SLOTS = 64 };
	rv_outfile *open_files[SLOTS];
	char path[PATH_MAX + 32], err[PATH_MAX * 2], want[PATH_MAX * 2], list[64];
	for (int i = 0; i < SLOTS; i++) {
		char name[32];
		snprintf(name, sizeof(name), "f%02d", i);
		open_files[i] =
			outfile_open(join(path, sizeof(path), fx->dir, name), err, sizeof(err));
		if (!open_files[i])
			fail_msg("open %d failed: %s", i, err);
	}
	assert_null(outfile_open(join(path, sizeof(path), fx->dir, "one-more"), err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: too many output files open at once", path);
	assert_string_equal(err, want);
	assert_int_equal(count_prefix(fx->dir, ".one-more"), 0);
	assert_int_equal(count_prefix(fx->dir, ".f"), SLOTS);

	/* a freed slot is usable again */
	outfile_abort(open_files[5]);
	rv_outfile *again = outfile_open(path, err, sizeof(err));
	assert_non_null(again);
	assert_int_equal(count_prefix(fx->dir, ".one-more.rvalid-"), 1);
	outfile_abort(again);
	for (int i = 0; i < SLOTS; i++)
		if (i != 5)
			outfile_abort(open_files[i]);
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "");
}

/* ---- signals ---- */

static void sigterm_once_child(const char *dir)
{
	char path[PATH_MAX + 16], err[256];
	rv_outfile *f = outfile_open(join(path, sizeof(path), dir, "once.json"), err, sizeof(err));
	CHILD_CHECK(f != NULL);
	CHILD_CHECK(outfile_puts(f, "{\"partial\":") == RV_OK);
	outfile_install_signals();
	CHILD_CHECK(outfile_interrupted() == 0);
	CHILD_CHECK(raise(SIGTERM) == 0);
	/* still running: the run decides how to stop */
	CHILD_CHECK(outfile_interrupted() == SIGTERM);
	CHILD_CHECK(count_prefix(dir, ".once.json.rvalid-") == 1);
	outfile_abort(f);
	CHILD_CHECK(count_prefix(dir, ".once.json.rvalid-") == 0);
	_exit(143);
}

static void test_sigterm_once_sets_flag(void **state)
{
	fixture *fx = *state;
	char list[256];
	assert_exited(in_child(sigterm_once_child, fx->dir), 143);
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "");
}

static void sigint_twice_child(const char *dir)
{
	char path[PATH_MAX + 16], err[256];
	rv_outfile *a = outfile_open(join(path, sizeof(path), dir, "a.json"), err, sizeof(err));
	rv_outfile *b = outfile_open(join(path, sizeof(path), dir, "b.ndjson"), err, sizeof(err));
	CHILD_CHECK(a != NULL && b != NULL);
	static char pad[100000];
	CHILD_CHECK(outfile_write(a, pad, sizeof(pad)) == RV_OK);
	CHILD_CHECK(outfile_write(b, pad, sizeof(pad)) == RV_OK);
	outfile_install_signals();
	CHILD_CHECK(raise(SIGINT) == 0);
	CHILD_CHECK(outfile_interrupted() == SIGINT);
	CHILD_CHECK(count_prefix(dir, ".") == 2);
	raise(SIGINT);
	/* the second signal must not return */
	_exit(99);
}

static void test_sigint_twice_exits_and_cleans(void **state)
{
	fixture *fx = *state;
	char list[256];
	assert_exited(in_child(sigint_twice_child, fx->dir), 130);
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "");
}

static void sigterm_twice_child(const char *dir)
{
	char path[PATH_MAX + 16], err[256];
	rv_outfile *done =
		outfile_open(join(path, sizeof(path), dir, "done.txt"), err, sizeof(err));
	CHILD_CHECK(done != NULL);
	CHILD_CHECK(outfile_puts(done, "complete\n") == RV_OK);
	CHILD_CHECK(outfile_commit(done, err, sizeof(err)) == RV_OK);
	rv_outfile *open_one =
		outfile_open(join(path, sizeof(path), dir, "open.txt"), err, sizeof(err));
	CHILD_CHECK(open_one != NULL);
	CHILD_CHECK(outfile_puts(open_one, "half") == RV_OK);
	outfile_install_signals();
	raise(SIGTERM);
	raise(SIGTERM);
	_exit(99);
}

static void test_sigterm_twice_keeps_committed(void **state)
{
	fixture *fx = *state;
	char list[256], got[64], path[PATH_MAX + 16];
	assert_exited(in_child(sigterm_twice_child, fx->dir), 143);
	/* the committed file left the registry: the handler must not remove it */
	assert_string_equal(listing(fx->dir, list, sizeof(list)), "done.txt");
	assert_int_equal(slurp(join(path, sizeof(path), fx->dir, "done.txt"), got, sizeof(got)), 9);
	assert_string_equal(got, "complete\n");
}

static void ignored_child(const char *unused)
{
	/* ignored at startup (a script's background job): stays ignored */
	signal(SIGINT, SIG_IGN);
	outfile_install_signals();
	CHILD_CHECK(raise(SIGINT) == 0);
	CHILD_CHECK(outfile_interrupted() == 0);
	struct sigaction sa;
	CHILD_CHECK(sigaction(SIGINT, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN);
	/* SIGTERM was not ignored, so it is caught */
	CHILD_CHECK(sigaction(SIGTERM, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL &&
		    sa.sa_handler != SIG_IGN);
	CHILD_CHECK((sa.sa_flags & SA_RESTART) == 0);
	CHILD_CHECK(sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN);
}

static void test_ignored_signal_stays_ignored(void **state)
{
	assert_exited(in_child(ignored_child, NULL), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_commit_writes_exact_bytes),
		T(test_target_untouched_until_commit),
		T(test_abort_keeps_old_target),
		T(test_failed_commit_removes_temp),
		T(test_missing_folder),
		T(test_folder_as_target),
		T(test_plain_name_in_cwd),
		T(test_long_name),
		T(test_dev_null_direct),
		T(test_dev_full_error_at_commit),
		T(test_fifo_direct),
		T(test_closed_pipe),
		T(test_stdout_and_dev_stdout),
		T(test_permissions_follow_umask),
		T(test_symlink_kept),
		T(test_registry_full),
		T(test_sigterm_once_sets_flag),
		T(test_sigint_twice_exits_and_cleans),
		T(test_sigterm_twice_keeps_committed),
		T(test_ignored_signal_stays_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
