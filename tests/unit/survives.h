/* survives.h: run a test body in a child process (unit tests only).
 *
 * A crash (stack exhaustion, a bad format) then fails the one test instead
 * of ending the whole test program. Include after <cmocka.h>. */
#ifndef RV_TEST_SURVIVES_H
#define RV_TEST_SURVIVES_H

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs fn in a child process; fails the test when the child is killed by a
 * signal or exits with a status other than 0 (fn's verdict). */
static void survives(const char *what, int (*fn)(void))
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* cmocka's handlers would resume the test run in the child: crash for real */
		static const int SIGS[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
		for (size_t i = 0; i < sizeof(SIGS) / sizeof(SIGS[0]); i++)
			signal(SIGS[i], SIG_DFL);
		_exit(fn());
	}
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFSIGNALED(st))
		fail_msg("%s: killed by signal %d", what, WTERMSIG(st));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("%s: failed (status %d)", what, WEXITSTATUS(st));
}

#endif
