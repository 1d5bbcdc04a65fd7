/* outfile.h: output files written atomically, and clean interruption.
 *
 * An output file is written to a temporary file beside its target
 * (".NAME.rvalid-XXXXXX" in the same folder) and renamed over the target on
 * commit, so a reader never sees half a report and a crash or a kill leaves
 * no partial file. "-" is stdout, and special files (character devices such
 * as /dev/stdout or /dev/null, FIFOs) are written directly; "s3://bucket/key"
 * is uploaded at commit (multipart above 8 MiB, aborted on abort or failure,
 * see s3/s3.h). Writes are buffered; the first write error is kept and
 * reported at commit.
 *
 * Signals: outfile_install_signals() makes SIGINT and SIGTERM set a flag
 * (outfile_interrupted() returns the signal number) so the run can stop and
 * abort its outputs; a second signal removes every temporary file still
 * registered (async-signal-safe) and exits at once with 128+signal.
 * SIGPIPE is ignored so a closed pipe shows up as EPIPE: outfile_write and
 * outfile_commit then return RV_IO with pipe_closed set, and the caller ends
 * quietly. Not thread-safe: one thread writes a given file. */
#ifndef RV_OUTFILE_H
#define RV_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

typedef struct rv_outfile rv_outfile;

/* On failure returns NULL and writes "PATH: reason" to err. */
rv_outfile *outfile_open(const char *path, char *err, size_t errlen);
/* Returns RV_OK, or RV_IO after a write error (kept for commit). */
rv_status outfile_write(rv_outfile *f, const void *p, size_t n);
rv_status outfile_puts(rv_outfile *f, const char *s);
/* Flushes, closes and renames into place (or just flushes stdout). Frees f.
 * On failure removes the temporary file, returns RV_IO and fills err. */
rv_status outfile_commit(rv_outfile *f, char *err, size_t errlen);
/* Removes the temporary file without touching the target. Frees f. Accepts NULL. */
void outfile_abort(rv_outfile *f);
/* True when the last failure of f was a closed pipe (EPIPE). */
bool outfile_pipe_closed(const rv_outfile *f);
const char *outfile_path(const rv_outfile *f);
/* Writes "PATH: reason" of f's first failure to err (after outfile_write
 * returned RV_IO). */
void outfile_failure(const rv_outfile *f, char *err, size_t errlen);

void outfile_install_signals(void);
/* 0, or the signal (SIGINT, SIGTERM) that asked the run to stop. */
int outfile_interrupted(void);
/* The status an interrupted run ends with: RV_TERMINATED (SIGTERM) or
 * RV_INTERRUPT (SIGINT); RV_OK when no signal came. */
rv_status outfile_interrupt_status(void);

#endif
