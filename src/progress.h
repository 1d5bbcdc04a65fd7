/* progress.h: the progress line on standard error (SPEC 1 --progress).
 *
 * "  1,234,567 records  145.2MB  1.2M records/s  12%  ETA 0:12" redrawn in
 * place at most ten times a second; percent and ETA only when the input's
 * size is known. The engine's merging thread updates it; nothing else may. */
#ifndef RV_PROGRESS_H
#define RV_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct rv_progress rv_progress;

/* out is where to draw (stderr). */
rv_progress *progress_new(FILE *out);
void progress_free(rv_progress *p);
/* A new input starts: its size in bytes (-1 when unknown). */
void progress_input(rv_progress *p, int64_t size);
/* Records and bytes of the current input done so far; redraws when due. */
void progress_update(rv_progress *p, uint64_t records, uint64_t bytes);
/* Clears the line (before the summary is printed). */
void progress_done(rv_progress *p);

/* The line itself (without the carriage return), for tests: elapsed in
 * seconds since the input started, size -1 when unknown. */
void progress_format(char *out, size_t size, uint64_t records, uint64_t bytes, int64_t total,
		     double elapsed);

#endif
