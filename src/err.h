/* err.h: status codes and diagnostics.
 *
 * The engine never prints and never exits: functions return an rv_status and
 * record what went wrong in an rv_diags list; main.c turns the status into an
 * exit code and the list into messages. The status values are the exit codes
 * of SPEC section 1, so "the highest wins" is rv_status_worst(). */
#ifndef RV_ERR_H
#define RV_ERR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum {
	RV_OK = 0,          /* ran, and the data passed */
	RV_FAILED = 1,      /* ran, and the data failed */
	RV_USAGE = 2,       /* usage error, or rules that do not compile */
	RV_IO = 3,          /* input/output failure */
	RV_INTERRUPT = 130, /* SIGINT */
	RV_PIPE = 141,      /* standard output's reader went away: end quietly */
	RV_TERMINATED = 143 /* SIGTERM */
} rv_status;

rv_status rv_status_worst(rv_status a, rv_status b);

typedef enum { DIAG_ERROR, DIAG_WARNING } diag_level;

typedef struct {
	diag_level level;
	int line, col; /* 1-based; 0 when the message is about the whole file */
	char *msg;
} rv_diag;

/* Messages about one file (a rule file), kept in the order they were found
 * and printed sorted by position. Owns its strings. */
typedef struct {
	char *file; /* as the user named it */
	rv_diag *items;
	size_t n, cap;
	size_t errors, warnings;
	size_t max_errors; /* stop recording after this many errors (0: 100) */
} rv_diags;

void diags_init(rv_diags *d, const char *file);
void diags_free(rv_diags *d);
void diag_error(rv_diags *d, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diag_warn(rv_diags *d, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Writes every message as "rvalid: FILE:LINE:COL: [warning: ]MSG", sorted by
 * position (stable), to f. */
void diags_print(const rv_diags *d, FILE *f);

#endif
