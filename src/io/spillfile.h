/* spillfile.h: anonymous temporary files for data that does not fit in memory.
 *
 * A spill file is created in $TMPDIR (or /tmp) and unlinked at once, so it
 * disappears when it is closed or the process ends, however it ends
 * (success, failure, interrupt, kill): there is nothing to clean up. It is
 * written sequentially through a buffer, then rewound and read back
 * sequentially. The first I/O error is kept; later calls do nothing and
 * report it. Not thread-safe: one thread uses a given file. */
#ifndef RV_SPILLFILE_H
#define RV_SPILLFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rv_spillfile rv_spillfile;

/* A new, empty file with a buffer of bufsize bytes. On failure returns NULL
 * and writes "DIR: reason" to err. */
rv_spillfile *spillfile_new(size_t bufsize, char *err, size_t errlen);
/* Closes (and so removes) the file. Accepts NULL. */
void spillfile_free(rv_spillfile *f);
/* Appends n bytes; false after an error. */
bool spillfile_write(rv_spillfile *f, const void *p, size_t n);
/* Flushes and starts reading from the beginning; false after an error. */
bool spillfile_rewind(rv_spillfile *f);
/* Reads exactly n bytes; false at the end of the file (fewer bytes were
 * left: a short read is an error) or after an error. */
bool spillfile_read(rv_spillfile *f, void *p, size_t n);
/* Bytes written. */
uint64_t spillfile_size(const rv_spillfile *f);
/* After a false return: true when it was an error (not the end of the
 * file), with a message "reason" in err. */
bool spillfile_error(const rv_spillfile *f, char *err, size_t errlen);

#endif
