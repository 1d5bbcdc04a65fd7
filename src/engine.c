/* engine.c: run a validation: read, cut, evaluate in parallel, merge in order.
 *
 * Per input: the calling thread reads the header (after a UTF-8 BOM and
 * skip_lines) and binds the fields to columns; a reader thread then fills
 * chunks of about CHUNK_SIZE bytes from the source, cuts each at its last
 * record boundary (csv_find_cut) and carries the rest over to the next
 * chunk; the pool's workers evaluate chunks into tallies; the calling thread
 * takes tallies back in input order and merges them: counts, samples (the
 * first N per check, in row order), the --errors stream, quarantine files.
 * Chunks are recycled, and at most 2 * threads + 2 exist, so memory stays
 * flat whatever the input size.
 *
 * A plain local file (not gzip, UTF-8) is mapped instead of read: chunks
 * are then windows of the mapping, which saves copying every byte out of
 * the page cache, and pages are released (MADV_DONTNEED) as soon as their
 * records are merged, so the mapping does not grow the resident set. Such
 * a window is cut at its last line end without reading the rest of it (a
 * guess: that line end may lie inside quotes); the worker parsing the chunk
 * tells whether its last record ended there, and where it did not the
 * merger re-evaluates the chunk's whole records and has the reader start
 * again from the record start it found (repair_chunk). So the reader thread
 * does next to nothing and the workers are the only ones that read every
 * byte.
 *
 * --limit and --fail-fast stop inside a chunk: the merger re-evaluates that
 * chunk up to the stopping record on its own worker, so counts stay exact. */
#include "engine.h"

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agg.h"
#include "csv.h"
#include "eval.h"
#include "io/outfile.h"
#include "io/source.h"
#include "io/spillfile.h"
#include "pool.h"
#include "progress.h"
#include "refs.h"
#include "uniq.h"
#include "util/suggest.h"
#include "util/xalloc.h"
#include "util/path.h"

enum { CHUNK_SIZE = 1 << 20, READ_SLACK = 1 << 16 };
/* After this many chunks cut at a line end inside quotes, a mapped input is
 * cut exactly from then on. */
enum { MAX_REPAIRS = 4 };
/* Mapped pages are given back in steps of this many bytes. */
enum { RELEASE_STEP = 8 << 20 };

typedef struct engine engine;

/* _Alignas rounds the size up too: no two lanes share a cache line */
struct lane {
	_Alignas(128) csv_cursor cur;
	csv_record rec;
};

typedef struct chunk {
	engine *owner;
	const char *data; /* the chunk's bytes: buf, or a window of the input's mapping */
	char *buf;
	size_t len, cap;
	/* guessed: its end is not known to be a record end (a mapped chunk
	 * but the last: map_reader); the worker then tells (clean) whether its
	 * last record ended there. gen: the reader's generation (restarts);
	 * too_long: the worker stopped at a record longer than max_rec */
	bool guessed, clean, too_long;
	unsigned gen;
	rv_tally tally;
	struct chunk *next;
} chunk;

typedef struct {
	uint64_t mask, count, warned;
} pending_entry;

/* What the key slots said about the record being merged. */
enum { KD_NONE, KD_NEW, KD_DUP, KD_SPILLED };
typedef struct {
	uint8_t kind;
	uint8_t part;   /* KD_SPILLED: the partition */
	uint64_t first; /* KD_DUP: the first occurrence's sequence number */
} key_decision;

struct engine {
	const rv_run_opts *o;
	const rv_graph *g;
	const rv_ruleset *rs;
	rv_report *r;
	csv_dialect d;
	rv_dialect dialect; /* effective, after extension, rule file and command line */
	rv_eval_opts eo;
	bool *enabled;
	int nthreads;
	size_t chunk_size; /* CHUNK_SIZE, or RVALID_CHUNK_BYTES (for tests) */
	size_t max_rec;    /* max_record(): fixed for the run */
	int repairs;       /* guessed cuts that were wrong */
	bool exact_cuts;   /* the reader cuts mapped input exactly (atomic) */
	/* the merger asks the mapped reader to go on from a record start it
	 * found (restart_pos, an offset), as generation restart_gen */
	pthread_mutex_t restart_mu;
	bool restart_pending;
	size_t restart_pos;
	unsigned restart_gen;
	rv_worker **workers; /* nthreads + 1: the last one is the merger's */
	/* one per worker (and the merger's last): each in its own cache lines, so
	 * one thread's writes never invalidate another's (false sharing) */
	struct lane **lanes;
	rv_binding binding;
	pthread_mutex_t free_mu;
	chunk *free_chunks;

	rv_outfile *errors, *invalid_out, *valid_out;
	uint64_t errors_written;
	bool quarantine_header_done;
	rv_buf line; /* scratch for an NDJSON line */

	pending_entry *pending;
	size_t n_pending, cap_pending;
	/* key slots, decided in input order (uniq.h): the enabled uniqueness
	 * checks and distinct counts, in check order */
	uint32_t *uniq;
	size_t n_uniq;
	bool *uniq_answers; /* per slot: a uniqueness check (else a distinct count) */
	rv_uniq *uq;
	key_decision *dec;   /* per slot: the record being merged */
	uint64_t *input_seq; /* per input: the sequence number of its first record */
	/* aggregates: the fields they read, the run's accumulators, and where a
	 * decimal too long to sum was first seen */
	int *agg_fields;
	size_t n_agg_fields;
	bool *agg_squares; /* per field */
	rv_aggacc **aggs;  /* per field, or NULL */
	uint32_t *too_long_input;
	uint64_t *too_long_row;
	/* When a uniqueness check's key goes to disk, that record's verdict
	 * waits for the end of the run: from it on, records are spooled (their
	 * status, --errors lines, key decisions and bytes) and replayed in
	 * order once the partitions are decided. */
	bool deferred;
	rv_spillfile *spool;
	rv_buf dlines; /* --errors lines kept while spooling: check, length, bytes */
	uint32_t n_dlines;
	uint64_t own_invalid;  /* records merged that their own checks make invalid (--fail-fast) */
	rv_buf rbuf;           /* a spool entry being written or replayed */
	rv_keyset **refs;      /* per field, for references */
	rv_progress *progress; /* the progress line, or NULL */
	char **first_header;
	size_t first_ncols;
	bool stop;                  /* fail-fast: no more records anywhere */
	uint64_t file_failures;     /* csv.header problems */
	uint64_t max_invalid_count; /* for --fail-fast with a count threshold */
	bool max_invalid_is_count;
	char err[512];
	rv_status status;
};

typedef struct {
	engine *e;
	rv_source *src;
	const char *path;
	uint32_t index;
	rv_pool *pool;
	char *carry;
	size_t carry_len, carry_cap;
	const char *map; /* the input mapped, or NULL when it is read */
	size_t map_size;
	size_t fed;      /* bytes handed out so far (by feed_read, then the reader) */
	size_t released; /* mapped bytes given back to the kernel */
	bool eof;
	bool failed;
	char err[512];
	uint64_t rows, lines; /* merged so far: records, and physical lines before the next chunk */
	bool header_failed;
	unsigned want_gen; /* the merger takes chunks of this reader generation only */
	bool resync;       /* a restart is asked for and no chunk of it came yet */
	size_t resync_pos;
} input_ctx;

/* ---- chunks ---- */

static chunk *chunk_get(engine *e, size_t need)
{
	pthread_mutex_lock(&e->free_mu);
	chunk *c = e->free_chunks;
	if (c)
		e->free_chunks = c->next;
	pthread_mutex_unlock(&e->free_mu);
	if (!c) {
		c = xcalloc(1, sizeof(*c));
		c->owner = e;
		tally_init(&c->tally, e->g->n_checks, e->rs->n_fields);
		if (e->n_agg_fields) {
			c->tally.aggs = xcalloc(e->rs->n_fields, sizeof(rv_aggacc *));
			for (size_t k = 0; k < e->n_agg_fields; k++) {
				int fi = e->agg_fields[k];
				c->tally.aggs[fi] =
					aggacc_new(e->rs->fields[fi].type, e->agg_squares[fi]);
			}
		}
	}
	if (c->cap < need) {
		free(c->buf);
		c->cap = need;
		c->buf = xmalloc(need);
	}
	c->len = 0;
	c->guessed = false;
	return c;
}

static void chunk_put(engine *e, chunk *c)
{
	pthread_mutex_lock(&e->free_mu);
	c->next = e->free_chunks;
	e->free_chunks = c;
	pthread_mutex_unlock(&e->free_mu);
}

static void chunk_destroy(chunk *c)
{
	tally_free(&c->tally);
	free(c->buf);
	free(c);
}

/* The longest record accepted (e->max_rec): a longer one is an error
 * (exit 3), wherever chunks are cut. --max-field-size is at most 1G, so this
 * fits the 32-bit offsets of a tally. */
static size_t max_record(const rv_run_opts *o)
{
	size_t m = 2 * o->max_field + (1 << 20);
	return m > ((size_t)64 << 20) ? m : (size_t)64 << 20;
}

/* The error for a record longer than e->max_rec. */
static void too_long_error(const engine *e, const char *path, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: a record is longer than %zu bytes (see --max-field-size)", path,
		 e->max_rec);
}

/* Evaluates the records of c (at most max of them) on worker k. */
static void process_chunk(engine *e, chunk *c, int k, uint64_t max)
{
	rv_tally *t = &c->tally;
	csv_cursor *cur = &e->lanes[k]->cur;
	csv_record *rec = &e->lanes[k]->rec;
	tally_reset(t);
	csv_cursor_reset(cur, c->data, c->len);
	uint64_t lines = 0, n = 0;
	bool clean = true;
	c->too_long = false;
	while (n < max && csv_next(cur, rec)) {
		if ((size_t)(rec->end - rec->start) > e->max_rec) {
			c->too_long = true; /* the merger reports it, where it is merged */
			break;
		}
		uint64_t line = lines + rec->lines_before;
		eval_record(e->workers[k], &e->binding, rec, (uint32_t)(rec->start - c->data),
			    (uint32_t)(rec->end - c->data), (uint32_t)line, t);
		lines = line + rec->newlines;
		clean = rec->terminated;
		n++;
	}
	eval_finish(e->workers[k], t);
	c->clean = clean;
	if (n < max)
		lines += cur->trailing_lines;
	t->lines = lines;
}

static void work(void *item, int worker, void *ctx)
{
	process_chunk(ctx, item, worker, UINT64_MAX);
}

/* ---- the reader thread ---- */

static void carry_rest(input_ctx *ic, const char *p, size_t n)
{
	if (n > ic->carry_cap) {
		ic->carry_cap = n * 2;
		ic->carry = xrealloc(ic->carry, ic->carry_cap);
	}
	if (n)
		memcpy(ic->carry, p, n);
	ic->carry_len = n;
}

/* The reader over a mapped input: cuts windows, copies nothing. A window
 * is cut at its last line end, found from the end without reading the rest
 * of the window: a guess, since that line end may lie inside quotes. Once
 * guesses have failed MAX_REPAIRS times (multi-line quoted cells are common
 * in this input), windows are cut by quote parity from their start
 * (csv_find_cut), which is exact when the start is a record boundary; the
 * start follows the cut before, so it is one only when that cut was right,
 * and a window without a cut that way is cut at its last line end again.
 * Either way every chunk but the last is checked: the worker parsing it
 * tells whether its last record ended at its end, and the merger, which
 * knows where records really start, repairs a chunk where it did not
 * (repair_chunk) and has the reader start again from a record start. Here
 * a window grows only while it has no line end at all, and that is an
 * error past max_record bytes whatever the quotes. */
static void map_reader(input_ctx *ic)
{
	engine *e = ic->e;
	size_t pos = ic->fed - ic->carry_len, size = ic->map_size;
	unsigned gen = 0;
	ic->carry_len = 0;
	for (;;) {
		pthread_mutex_lock(&e->restart_mu);
		if (e->restart_pending) {
			/* the merger found where a record really starts: the chunks cut
			 * since are dropped, and cutting goes on from there */
			pos = e->restart_pos;
			gen = e->restart_gen;
			e->restart_pending = false;
		}
		pthread_mutex_unlock(&e->restart_mu);
		if (pos >= size || outfile_interrupted())
			break;
		size_t window = e->chunk_size, cut = 0;
		bool last = false;
		for (;;) {
			if (size - pos <= window) {
				cut = size - pos; /* the end of the input ends a record */
				last = true;
				break;
			}
			if (__atomic_load_n(&e->exact_cuts, __ATOMIC_RELAXED))
				cut = csv_find_cut(&e->d, ic->map + pos, window, false);
			if (cut == 0) {
				const char *nl = memrchr(ic->map + pos, '\n', window);
				if (nl)
					cut = (size_t)(nl + 1 - (ic->map + pos));
			}
			if (cut > 0)
				break;
			if (window >= e->max_rec) {
				too_long_error(e, ic->path, ic->err, sizeof(ic->err));
				ic->failed = true;
				return;
			}
			window *= 2;
		}
		chunk *c = chunk_get(e, 0);
		c->data = ic->map + pos;
		c->len = cut;
		c->guessed = !last;
		c->gen = gen;
		if (!pool_submit(ic->pool, c)) {
			chunk_put(e, c);
			return;
		}
		pos += cut;
	}
}

/* SIGINT and SIGTERM, which the pipeline routes to the reader thread. */
static sigset_t stop_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	return set;
}

static void *reader_main(void *arg)
{
	input_ctx *ic = arg;
	engine *e = ic->e;
	/* the only thread of the pipeline that takes SIGINT/SIGTERM: a signal then
	 * interrupts a read that waits on a quiet pipe, so the run stops at once */
	sigset_t stop = stop_signals();
	pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
	if (ic->map) {
		map_reader(ic);
		pool_close(ic->pool);
		return NULL;
	}
	size_t target = e->chunk_size;
	while (!outfile_interrupted()) {
		chunk *c = chunk_get(e, target + ic->carry_len + READ_SLACK);
		if (ic->carry_len)
			memcpy(c->buf, ic->carry, ic->carry_len);
		c->len = ic->carry_len;
		ic->carry_len = 0;
		size_t cut;
		for (;;) {
			while (!ic->eof && c->len < target) {
				ssize_t n = source_read(ic->src, c->buf + c->len, c->cap - c->len,
							ic->err, sizeof(ic->err));
				if (n < 0) {
					ic->failed = true;
					chunk_put(e, c);
					goto done;
				}
				if (n == 0)
					ic->eof = true;
				else
					c->len += (size_t)n;
				if (outfile_interrupted()) {
					chunk_put(e, c);
					goto done;
				}
			}
			cut = csv_find_cut(&e->d, c->buf, c->len, ic->eof);
			if (cut > 0 || ic->eof)
				break;
			/* one record is longer than the chunk: read on into a bigger one,
			 * up to one byte past max_record (a record of max_record bytes
			 * that ends the input is not too long) */
			if (c->len > e->max_rec) {
				too_long_error(e, ic->path, ic->err, sizeof(ic->err));
				ic->failed = true;
				chunk_put(e, c);
				goto done;
			}
			target = target * 2 < e->max_rec + 1 ? target * 2 : e->max_rec + 1;
			char *bigger = xmalloc(target + READ_SLACK);
			memcpy(bigger, c->buf, c->len);
			free(c->buf);
			c->buf = bigger;
			c->cap = target + READ_SLACK;
		}
		carry_rest(ic, c->buf + cut, c->len - cut);
		c->len = cut;
		c->data = c->buf;
		if (c->len == 0) {
			chunk_put(e, c);
		} else if (!pool_submit(ic->pool, c)) {
			chunk_put(e, c);
			break;
		}
		target = e->chunk_size;
		if (ic->eof && ic->carry_len == 0)
			break;
	}
done:
	pool_close(ic->pool);
	return NULL;
}

/* The next chunk of the generation the merger wants: chunks the reader
 * cut before a restart are dropped. NULL at the end. */
static chunk *next_chunk(engine *e, input_ctx *ic)
{
	chunk *c;
	while ((c = pool_next(ic->pool)) != NULL && c->gen != ic->want_gen)
		chunk_put(e, c);
	return c;
}

/* Has the reader go on from pos (an offset of the mapping: a record start)
 * as a new generation. */
static void restart_reader(engine *e, input_ctx *ic, size_t pos)
{
	pthread_mutex_lock(&e->restart_mu);
	e->restart_pending = true;
	e->restart_pos = pos;
	e->restart_gen = ++ic->want_gen;
	pthread_mutex_unlock(&e->restart_mu);
	ic->resync = true;
	ic->resync_pos = pos;
}

/* A guessed chunk whose last line end was not a record end (it lay inside
 * quotes, or was escaped). Its start is a record start (the chunk before
 * ended on one), so csv_find_cut tells exactly where its whole records
 * end: it is evaluated again up to there, on the merger's worker, and the
 * reader starts again from there, since it cut everything after from a
 * wrong start. Only a chunk without a single record end takes the next
 * chunks in, until one ends (or the input does). Returns the chunk, now
 * covering whole records; NULL when the input stops first (the reader
 * failed or was interrupted) or no record ends within max_record bytes
 * (then e->err says so and *too_long is set). */
static chunk *repair_chunk(engine *e, input_ctx *ic, chunk *c, bool *too_long)
{
	const char *from = c->data, *input_end = ic->map + ic->map_size;
	size_t len = c->len, cut, scanned = 0;
	for (;;) {
		if (from + len == input_end) {
			cut = len; /* the end of the input ends the last record */
			break;
		}
		/* scanned again only once the stretch has doubled, so a long
		 * record costs a few passes over it, not one per chunk taken in */
		if (len >= 2 * scanned || len > e->max_rec) {
			cut = csv_find_cut(&e->d, from, len, false);
			if (cut > 0) {
				if (cut < len)
					restart_reader(e, ic, (size_t)(from + cut - ic->map));
				break;
			}
			if (len > e->max_rec) {
				too_long_error(e, ic->path, e->err, sizeof(e->err));
				*too_long = true;
				chunk_put(e, c);
				return NULL;
			}
			scanned = len;
		}
		chunk *next = next_chunk(e, ic);
		if (!next) {
			if (ic->failed || outfile_interrupted()) {
				chunk_put(e, c);
				return NULL;
			}
			len = (size_t)(input_end - from); /* the reader is done: take the rest */
			continue;
		}
		len = (size_t)(next->data + next->len - from);
		chunk_put(e, next);
	}
	c->len = cut;
	c->guessed = false;
	process_chunk(e, c, e->nthreads, UINT64_MAX);
	if (++e->repairs >= MAX_REPAIRS)
		__atomic_store_n(&e->exact_cuts, true, __ATOMIC_RELAXED);
	return c;
}

/* pool_free hands back the chunks the merger never took */
static void drop_chunk(void *item)
{
	chunk *c = item;
	chunk_put(c->owner, c);
}

/* ---- the header ---- */

static void add_header_problem(engine *e, input_ctx *ic, uint64_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void emit_failure_msg(engine *e, size_t check, const rv_sample *s, bool copy_message);

static void add_header_problem(engine *e, input_ctx *ic, uint64_t line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	size_t check = CSV_HEADER;
	e->file_failures++;
	if (!e->enabled[check])
		return;
	rv_sample s = {.input = ic->index,
		       .row = 0,
		       .line = line,
		       .message = arena_strdup(e->r->arena, msg)};
	/* csv.header evaluates each input's header once: one failure per input,
	 * a sample (and an --errors line) per problem */
	if (!ic->header_failed) {
		e->r->checks[check].counts.failed++;
		ic->header_failed = true;
	}
	emit_failure_msg(e, check, &s, false);
}

static int find_column(char **names, size_t n, const char *name, int *count)
{
	int col = -1;
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], name) == 0) {
			if (col < 0)
				col = (int)i;
			(*count)++;
		}
	}
	return col;
}

/* Checks the header of one input and binds fields to its columns. */
static void bind_header(engine *e, input_ctx *ic, char **names, size_t n, uint64_t line)
{
	const rv_ruleset *rs = e->rs;
	size_t nv = rs->n_fields + rs->n_extra;
	if (e->enabled[CSV_HEADER])
		e->r->checks[CSV_HEADER].counts.evaluated++;
	e->binding.ncols = n;
	/* blank and duplicate names */
	for (size_t i = 0; i < n; i++) {
		if (names[i][0] == '\0') {
			add_header_problem(e, ic, line, "column %zu has a blank name", i + 1);
			continue;
		}
		int count;
		int first = find_column(names, n, names[i], &count);
		if (count > 1 && (size_t)first == i) {
			char cols[200];
			size_t k = 0;
			for (size_t j = 0; j < n && k < sizeof(cols) - 16; j++)
				if (strcmp(names[j], names[i]) == 0)
					k += (size_t)snprintf(cols + k, sizeof(cols) - k, "%s%zu",
							      k ? ", " : "", j + 1);
			add_header_problem(e, ic, line,
					   "column name '%s' appears %d times (columns %s)",
					   names[i], count, cols);
		}
	}
	/* declared fields, and columns rules read */
	const char **hdr = (const char **)names;
	for (size_t fi = 0; fi < nv; fi++) {
		const char *name =
			fi < rs->n_fields ? rs->fields[fi].name : rs->extra_cols[fi - rs->n_fields];
		int count;
		int col = find_column(names, n, name, &count);
		e->binding.col[fi] = count == 1 ? col : -1;
		if (count == 0) {
			const char *s = n ? suggest(name, strlen(name), hdr, n) : NULL;
			const char *what =
				fi < rs->n_fields ? "declared field" : "column read by a rule";
			if (s)
				add_header_problem(
					e, ic, line,
					"%s '%s' is not in the header (did you mean '%s'?)", what,
					name, s);
			else
				add_header_problem(e, ic, line, "%s '%s' is not in the header",
						   what, name);
		}
	}
	if (rs->columns != COLS_ANY) {
		for (size_t i = 0; i < n; i++) {
			if (!names[i][0] || rules_field_index(rs, names[i]) >= 0)
				continue;
			add_header_problem(e, ic, line, "unexpected column '%s' (columns: %s)",
					   names[i], colmode_name(rs->columns));
		}
	}
	if (rs->columns == COLS_ORDERED) {
		/* the declared fields that are present must come in declaration order */
		int last = -1;
		for (size_t fi = 0; fi < rs->n_fields; fi++) {
			int col = e->binding.col[fi];
			if (col < 0)
				continue;
			if (col < last) {
				add_header_problem(
					e, ic, line,
					"column '%s' is out of order (columns: ordered; expected %s)",
					rs->fields[fi].name,
					"the order of the fields in the rules");
				break;
			}
			last = col;
		}
	}
	/* several inputs are one dataset: they share the first one's header */
	if (ic->index == 0) {
		e->first_header = xcalloc(n ? n : 1, sizeof(char *));
		for (size_t i = 0; i < n; i++)
			e->first_header[i] = xstrdup(names[i]);
		e->first_ncols = n;
	} else {
		bool same = n == e->first_ncols;
		for (size_t i = 0; same && i < n; i++)
			same = strcmp(names[i], e->first_header[i]) == 0;
		if (!same)
			add_header_problem(e, ic, line, "the header differs from the header of %s",
					   e->r->inputs[0]);
	}
}

/* Binds fields to columns by position (no header): field i is column i. */
static void bind_positions(engine *e, input_ctx *ic, size_t ncols, uint64_t line)
{
	const rv_ruleset *rs = e->rs;
	e->binding.ncols = ncols;
	if (e->enabled[CSV_HEADER])
		e->r->checks[CSV_HEADER].counts.evaluated++;
	for (size_t fi = 0; fi < rs->n_fields; fi++) {
		e->binding.col[fi] = fi < ncols ? (int)fi : -1;
		if (fi >= ncols)
			add_header_problem(
				e, ic, line,
				"declared field '%s' has no column: the first record has %zu cells",
				rs->fields[fi].name, ncols);
	}
	for (size_t k = 0; k < rs->n_extra; k++) {
		e->binding.col[rs->n_fields + k] = -1;
		add_header_problem(e, ic, line, "row['%s'] needs a header: there is none",
				   rs->extra_cols[k]);
	}
}

/* Input bytes for the header: copied from the mapping, or read. */
static ssize_t feed_read(input_ctx *ic, char *buf, size_t cap)
{
	if (ic->map) {
		size_t n = ic->map_size - ic->fed < cap ? ic->map_size - ic->fed : cap;
		memcpy(buf, ic->map + ic->fed, n);
		ic->fed += n;
		return (ssize_t)n;
	}
	ssize_t n = source_read(ic->src, buf, cap, ic->err, sizeof(ic->err));
	if (n > 0)
		ic->fed += (size_t)n;
	return n;
}

/* Maps a plain local file (regular, not gzip, read as UTF-8). */
static void try_map(engine *e, input_ctx *ic)
{
	if (strcmp(ic->path, "-") == 0 || strncmp(ic->path, "s3://", 5) == 0 ||
	    e->dialect.encoding != ENC_UTF8)
		return;
	int fd = open(ic->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return; /* the source reports the error */
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			const unsigned char *b = m;
			if (st.st_size >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
				munmap(m, (size_t)st.st_size); /* gzip: the source inflates it */
			} else {
				madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
				ic->map = m;
				ic->map_size = (size_t)st.st_size;
			}
		}
	}
	close(fd);
}

/* Gives back the mapped pages below `upto` once their records are merged. */
static void release_mapped(input_ctx *ic, const char *upto)
{
	static size_t page;
	if (!page)
		page = (size_t)sysconf(_SC_PAGESIZE);
	size_t end = (size_t)(upto - ic->map) / page * page;
	/* in steps of RELEASE_STEP: each call interrupts the workers' CPUs to
	 * flush their TLBs, so fewer and larger calls cost them less */
	if (end >= ic->released + RELEASE_STEP) {
		madvise((char *)ic->map + ic->released, end - ic->released, MADV_DONTNEED);
		ic->released = end;
	}
}

/* Reads from the source until buf holds the first record (or the input
 * ends); skips a UTF-8 BOM and skip_lines. Returns false on a read error.
 * *start is where the first record begins; *lines the lines skipped. */
static bool read_first_record(engine *e, input_ctx *ic, rv_buf *buf, size_t *start, uint64_t *lines)
{
	char tmp[65536];
	bool bom_checked = false;
	uint64_t skipped = 0;
	size_t off = 0;
	for (;;) {
		/* skip what can be skipped with the bytes at hand */
		if (!bom_checked && (buf->len >= 3 || ic->eof)) {
			if (buf->len >= 3 && memcmp(buf->data, "\xEF\xBB\xBF", 3) == 0)
				off = 3;
			bom_checked = true;
		}
		while (bom_checked && skipped < e->dialect.skip_lines && off < buf->len) {
			const char *nl = memchr(buf->data + off, '\n', buf->len - off);
			if (!nl)
				break;
			off = (size_t)(nl + 1 - buf->data);
			skipped++;
		}
		bool skipping_done = bom_checked && (skipped == e->dialect.skip_lines || ic->eof);
		if (skipping_done &&
		    (ic->eof || csv_find_cut(&e->d, buf->data + off, buf->len - off, false) > 0))
			break;
		ssize_t n = feed_read(ic, tmp, sizeof(tmp));
		if (n < 0)
			return false;
		if (n == 0)
			ic->eof = true;
		else
			buf_append(buf, tmp, (size_t)n);
		if (buf->len > e->max_rec) {
			snprintf(
				ic->err, sizeof(ic->err),
				"%s: the first record is longer than %zu bytes (see --max-field-size)",
				ic->path, e->max_rec);
			return false;
		}
	}
	if (skipped < e->dialect.skip_lines && ic->eof) {
		/* fewer lines than skip_lines: nothing is left */
		off = buf->len;
	}
	*start = off;
	*lines = skipped;
	return true;
}

/* ---- merging ---- */

/* Keeps a failure as a sample while its check has room (failures come in
 * row order). copy_message: s->message does not outlive the call. */
static void take_sample(engine *e, size_t check, const rv_sample *s, bool copy_message)
{
	rv_check_result *cr = &e->r->checks[check];
	if (cr->n_samples >= e->o->samples)
		return;
	rv_sample *dst = &cr->samples[cr->n_samples++];
	*dst = *s;
	if (s->value)
		dst->value = arena_strndup(e->r->arena, s->value, s->value_len);
	if (s->message && copy_message)
		dst->message = arena_strdup(e->r->arena, s->message);
}

/* Writes one line to the --errors stream while it may take more. */
static void put_error_line(engine *e, const char *p, size_t n)
{
	if (!e->errors || e->errors_written >= e->o->max_errors)
		return;
	if (outfile_write(e->errors, p, n) != RV_OK && e->status == RV_OK) {
		e->status = outfile_pipe_closed(e->errors) ? RV_PIPE : RV_IO;
		outfile_failure(e->errors, e->err, sizeof(e->err));
	}
	e->errors_written++;
}

/* A failure in row order: a sample, and a line of the --errors stream (kept
 * with its record while records are spooled, and written when replayed). */
static void emit_failure_msg(engine *e, size_t check, const rv_sample *s, bool copy_message)
{
	take_sample(e, check, s, copy_message);
	if (!e->errors || e->errors_written >= e->o->max_errors)
		return;
	buf_reset(&e->line);
	report_ndjson_failure(e->r, check, s, &e->line);
	if (e->deferred) {
		uint32_t head[2] = {(uint32_t)check, (uint32_t)e->line.len};
		buf_append(&e->dlines, head, sizeof(head));
		buf_append(&e->dlines, e->line.data, e->line.len);
		e->n_dlines++;
		return;
	}
	put_error_line(e, e->line.data, e->line.len);
}

static const char *note_message(engine *e, const rv_failure *f)
{
	switch (f->note) {
	case NOTE_MATCH_LIMIT: return "pattern exceeded its match limit";
	case NOTE_DIV_ZERO: return "division by zero";
	case NOTE_UNTERMINATED: return "unterminated quoted field";
	case NOTE_AFTER_QUOTE: return "text after a closing quote";
	case NOTE_RAGGED:
		return arena_printf(e->r->arena, "%u cell%s, the header has %zu", f->cells,
				    f->cells == 1 ? "" : "s", e->binding.ncols);
	case NOTE_FIELD_SIZE:
		return arena_printf(e->r->arena, "cell larger than %zu bytes", e->o->max_field);
	default: return NULL;
	}
}

static void pending_add(engine *e, uint64_t mask, bool warned)
{
	for (size_t i = 0; i < e->n_pending; i++) {
		if (e->pending[i].mask == mask) {
			e->pending[i].count++;
			e->pending[i].warned += warned;
			return;
		}
	}
	if (e->n_pending == e->cap_pending) {
		e->cap_pending = e->cap_pending ? e->cap_pending * 2 : 16;
		e->pending = xrealloc(e->pending, e->cap_pending * sizeof(pending_entry));
	}
	e->pending[e->n_pending++] = (pending_entry){mask, 1, warned};
}

static void merge_fieldstat(rv_fieldstat *dst, const rv_fieldstat *src)
{
	dst->missing += src->missing;
	dst->invalid += src->invalid;
	if (!src->has_range)
		return;
	if (!dst->has_range || value_cmp(&src->min, &dst->min) < 0) {
		dst->min = src->min;
		if (src->min.type == RV_DECIMAL) {
			memcpy(dst->min_text, src->min_text, sizeof(dst->min_text));
			dst->min.u.s.p = dst->min_text;
		}
	}
	if (!dst->has_range || value_cmp(&src->max, &dst->max) > 0) {
		dst->max = src->max;
		if (src->max.type == RV_DECIMAL) {
			memcpy(dst->max_text, src->max_text, sizeof(dst->max_text));
			dst->max.u.s.p = dst->max_text;
		}
	}
	dst->has_range = true;
}

static void write_quarantine(engine *e, rv_outfile *f, const char *p, size_t n)
{
	if (f && outfile_write(f, p, n) != RV_OK && e->status == RV_OK) {
		e->status = outfile_pipe_closed(f) ? RV_PIPE : RV_IO;
		outfile_failure(f, e->err, sizeof(e->err));
	}
}

/* A record's verdict is in: count it (a record that only failed `mostly` checks waits in
 * pending until the end) and route its bytes to the quarantine file it belongs in. */
static void record_settled(engine *e, unsigned st, uint64_t mask, const char *p, size_t n)
{
	rv_report *r = e->r;
	bool bad = st & RS_INVALID;
	if (bad) {
		r->invalid++;
	} else if (mask) {
		pending_add(e, mask, st & RS_WARNED);
	} else {
		r->valid++;
		r->warned += (st & RS_WARNED) != 0;
	}
	if (e->invalid_out || e->valid_out)
		write_quarantine(e, bad ? e->invalid_out : e->valid_out, p, n);
}

static void emit_worker_failure(engine *e, input_ctx *ic, const rv_tally *t, const rv_failure *f)
{
	rv_sample s = {.input = ic->index,
		       .row = ic->rows + f->record + 1,
		       .line = ic->lines + f->line + 1,
		       /* an empty value is "", not null: null means the failure has no value */
		       .value = !f->has_value       ? NULL
				: f->value_len == 0 ? ""
						    : t->values.data + f->value_off,
		       .value_len = f->value_len,
		       .truncated = f->truncated,
		       .message = note_message(e, f)};
	emit_failure_msg(e, f->check, &s, false);
}

/* ---- keys: uniqueness and distinct counts, decided in input order ---- */

enum { PREFETCH_AHEAD = 8 }; /* records: slots twice as far ahead, entries this far */

/* Offers record i's keys to the key slots. Returns true when the key of a
 * uniqueness check went to disk: the record's verdict waits for the end.
 * The sets are random memory: the slots of the keys coming 2 * AHEAD
 * records later, and the entries of those coming AHEAD later, are loaded
 * while this record is decided. */
static bool decide_keys(engine *e, const rv_tally *t, size_t i, uint64_t seq)
{
	bool later = false;
	size_t base = i * e->n_uniq;
	for (int stage = 0; stage < 2; stage++) {
		size_t ahead = i + (stage ? PREFETCH_AHEAD : 2 * PREFETCH_AHEAD);
		if (ahead >= t->n_records)
			continue;
		for (size_t s = 0; s < e->n_uniq; s++)
			if (t->key_len[ahead * e->n_uniq + s] != UINT32_MAX)
				uniq_prefetch(e->uq, s, t->key_hash[ahead * e->n_uniq + s], stage);
	}
	for (size_t s = 0; s < e->n_uniq; s++) {
		key_decision *d = &e->dec[s];
		d->kind = KD_NONE;
		if (t->key_len[base + s] == UINT32_MAX)
			continue;
		unsigned part = 0;
		switch (uniq_decide(e->uq, s, t->keys.data + t->key_off[base + s],
				    t->key_len[base + s], t->key_hash[base + s], &d->first, &part,
				    seq)) {
		case UQ_NEW: d->kind = KD_NEW; break;
		case UQ_DUP: d->kind = KD_DUP; break;
		case UQ_SPILLED:
			d->kind = KD_SPILLED;
			d->part = (uint8_t)part;
			later |= e->uniq_answers[s];
			break;
		case UQ_ERROR:
			if (e->status == RV_OK)
				e->status = uniq_status(e->uq, e->err, sizeof(e->err));
			break;
		}
	}
	return later;
}

/* What a failure of check does to its record: RS_INVALID / RS_WARNED, or
 * its bit in *mask for a `mostly` check. */
static unsigned failure_effect(engine *e, uint32_t check, uint64_t *mask)
{
	return check_effect(&e->g->checks[check], e->o->fail_on_warn, mask);
}

/* The input and row of the record with sequence number seq, which is in
 * input `upto` or an earlier one. */
static void seq_position(const engine *e, uint64_t seq, uint32_t upto, uint32_t *input,
			 uint64_t *row)
{
	uint32_t k = upto;
	while (k > 0 && e->input_seq[k] > seq)
		k--;
	*input = k;
	*row = seq - e->input_seq[k] + 1;
}

/* A key seen before: the check fails for this record and names where the
 * key was first seen. */
static unsigned key_failure(engine *e, uint32_t input, uint64_t row, uint64_t line, uint32_t check,
			    const char *value, size_t value_len, uint64_t first, uint64_t *mask)
{
	rv_check_result *cr = &e->r->checks[check];
	cr->counts.failed++;
	if (cr->n_samples >= e->o->samples && (!e->errors || e->errors_written >= e->o->max_errors))
		return failure_effect(e, check, mask); /* nothing to show: no message to make */
	uint32_t first_input;
	uint64_t first_row;
	seq_position(e, first, input, &first_input, &first_row);
	char msg[600];
	if (first_input == input)
		snprintf(msg, sizeof(msg), "duplicate of row %llu", (unsigned long long)first_row);
	else
		snprintf(msg, sizeof(msg), "duplicate of row %llu of %s",
			 (unsigned long long)first_row, e->r->inputs[first_input]);
	rv_sample smp = {.input = input,
			 .row = row,
			 .line = line,
			 .value = value,
			 .value_len = value_len,
			 .message = msg};
	emit_failure_msg(e, check, &smp, true);
	return failure_effect(e, check, mask);
}

/* Emits record i's duplicates, in check order among the worker's failures
 * of the record. Returns RS_INVALID / RS_WARNED bits, mostly bits in *mask. */
static unsigned emit_keys(engine *e, input_ctx *ic, const rv_tally *t, size_t i, size_t *fi,
			  uint64_t *mask)
{
	unsigned flags = 0;
	size_t base = i * e->n_uniq;
	for (size_t s = 0; s < e->n_uniq; s++) {
		if (!e->uniq_answers[s])
			continue;
		uint32_t check = e->uniq[s];
		/* the worker's failures of this record that come before this check */
		while (*fi < t->n_fails && t->fails[*fi].record == i && t->fails[*fi].check < check)
			emit_worker_failure(e, ic, t, &t->fails[(*fi)++]);
		if (e->dec[s].kind != KD_DUP)
			continue;
		const char *key = t->keys.data + t->key_off[base + s];
		flags |= key_failure(e, ic->index, ic->rows + i + 1, ic->lines + t->rec_line[i] + 1,
				     check, key + t->key_len[base + s], t->disp_len[base + s],
				     e->dec[s].first, mask);
	}
	return flags;
}

/* ---- the spool: records whose verdict waits for the partitions ---- */

static void spool_write(engine *e, const void *p, size_t n)
{
	if (e->status != RV_OK || spillfile_write(e->spool, p, n))
		return;
	char why[256] = "";
	spillfile_error(e->spool, why, sizeof(why));
	snprintf(e->err, sizeof(e->err), "cannot write the record spool: %s", why);
	e->status = RV_IO;
}

static void start_spooling(engine *e)
{
	char err[512];
	e->spool = spillfile_new(1 << 20, err, sizeof(err));
	if (!e->spool) {
		if (e->status == RV_OK) {
			snprintf(e->err, sizeof(e->err), "%s", err);
			e->status = RV_IO;
		}
		return;
	}
	e->deferred = true;
}

/* --errors lines that belong to no record (a later input's header). */
static void spool_lines(engine *e)
{
	size_t at = 0;
	for (uint32_t k = 0; k < e->n_dlines; k++) {
		uint32_t head[2];
		memcpy(head, e->dlines.data + at, sizeof(head));
		at += sizeof(head);
		spool_write(e, "L", 1);
		spool_write(e, &head[1], 4);
		spool_write(e, e->dlines.data + at, head[1]);
		at += head[1];
	}
	buf_reset(&e->dlines);
	e->n_dlines = 0;
}

enum {
	SP_LINES = 0x40,    /* the entry holds --errors lines */
	SP_POSITION = 0x80, /* the entry holds input, row and line */
	SP_SHOWN = 0x80     /* (in a decision) the first occurrence and the key's text follow */
};

/* Whether a duplicate for check may still have to be shown: as a sample
 * (unique checks take theirs when replayed, so what they hold now is what
 * they will hold first) or as an --errors line. What no one can show is
 * not spooled: on the benchmark that keeps an entry to a few bytes. */
static bool may_show(const engine *e, uint32_t check)
{
	return e->r->checks[check].n_samples < e->o->samples ||
	       (e->errors && e->errors_written < e->o->max_errors);
}

/* A record entry: 'R', then a byte of the worker's status and SP_* flags,
 * the mostly mask (when pending), input, row and line (SP_POSITION), its
 * --errors lines (SP_LINES: count, length, bytes), per uniqueness slot the
 * decision (kind, SP_SHOWN; a duplicate's first occurrence and a spilled
 * key's partition; the key's text when shown), then its bytes when
 * quarantine files are written. */
static void spool_record(engine *e, input_ctx *ic, const chunk *c, size_t i, uint8_t st,
			 uint64_t mask, size_t *fi)
{
	const rv_tally *t = &c->tally;
	/* the worker's failures: samples now, lines into dlines */
	while (*fi < t->n_fails && t->fails[*fi].record == i)
		emit_worker_failure(e, ic, t, &t->fails[(*fi)++]);
	size_t base = i * e->n_uniq;
	uint8_t flags = st | (e->n_dlines ? SP_LINES : 0);
	for (size_t s = 0; s < e->n_uniq; s++) {
		const key_decision *d = &e->dec[s];
		if (!e->uniq_answers[s] || (d->kind != KD_DUP && d->kind != KD_SPILLED))
			continue;
		if (may_show(e, e->uniq[s]))
			flags |= SP_POSITION;
	}
	rv_buf *b = &e->rbuf;
	buf_reset(b);
	buf_putc(b, 'R');
	buf_putc(b, (char)flags);
	if (st & RS_PENDING)
		buf_append(b, &mask, 8);
	if (flags & SP_POSITION) {
		uint32_t input = ic->index;
		uint64_t row = ic->rows + i + 1, line = ic->lines + t->rec_line[i] + 1;
		buf_append(b, &input, 4);
		buf_append(b, &row, 8);
		buf_append(b, &line, 8);
	}
	if (flags & SP_LINES) {
		uint32_t n_lines = e->n_dlines, lines_len = (uint32_t)e->dlines.len;
		buf_append(b, &n_lines, 4);
		buf_append(b, &lines_len, 4);
		buf_append(b, e->dlines.data, e->dlines.len);
	}
	for (size_t s = 0; s < e->n_uniq; s++) {
		if (!e->uniq_answers[s])
			continue;
		const key_decision *d = &e->dec[s];
		bool key = d->kind == KD_DUP || d->kind == KD_SPILLED;
		bool shown = key && may_show(e, e->uniq[s]);
		buf_putc(b, (char)(d->kind | (shown ? SP_SHOWN : 0)));
		if (d->kind == KD_SPILLED)
			buf_putc(b, (char)d->part);
		if (shown) {
			uint32_t n = t->disp_len[base + s];
			if (d->kind == KD_DUP)
				buf_append(b, &d->first, 8);
			buf_append(b, &n, 4);
			buf_append(b, t->keys.data + t->key_off[base + s] + t->key_len[base + s],
				   n);
		}
	}
	if (e->invalid_out || e->valid_out) {
		uint32_t n = t->rec_end[i] - t->rec_start[i];
		buf_append(b, &n, 4);
		buf_append(b, c->data + t->rec_start[i], n);
	}
	spool_write(e, b->data, b->len);
	buf_reset(&e->dlines);
	e->n_dlines = 0;
}

static bool spool_read(engine *e, void *p, size_t n)
{
	if (spillfile_read(e->spool, p, n))
		return true;
	char why[256];
	if (spillfile_error(e->spool, why, sizeof(why)) && e->status == RV_OK) {
		snprintf(e->err, sizeof(e->err), "cannot read the record spool: %s", why);
		e->status = RV_IO;
	}
	return false;
}

/* Reads n bytes onto the end of rbuf; *off is where they start. */
static bool spool_take(engine *e, size_t n, size_t *off)
{
	*off = e->rbuf.len;
	char piece[4096];
	while (n) {
		size_t k = n < sizeof(piece) ? n : sizeof(piece);
		if (!spool_read(e, piece, k))
			return false;
		buf_append(&e->rbuf, piece, k);
		n -= k;
	}
	return true;
}

/* Writes the next kept --errors line at *at of the lines in rbuf. */
static void replay_line(engine *e, size_t *at)
{
	uint32_t head[2];
	memcpy(head, e->rbuf.data + *at, sizeof(head));
	put_error_line(e, e->rbuf.data + *at + sizeof(head), head[1]);
	*at += sizeof(head) + head[1];
}

static uint32_t line_check(const engine *e, size_t at)
{
	uint32_t check;
	memcpy(&check, e->rbuf.data + at, 4);
	return check;
}

/* Replays one record entry (after its 'R'), as merge_chunk would have. */
static bool replay_record(engine *e, size_t *disp_off, uint32_t *disp_len, bool *shown)
{
	rv_report *r = e->r;
	uint8_t flags;
	uint64_t mask = 0, row = 0, line = 0;
	uint32_t input = 0, n_lines = 0, lines_len = 0, qlen = 0;
	size_t lines_off = 0, q_off = 0;
	if (!spool_read(e, &flags, 1) || ((flags & RS_PENDING) && !spool_read(e, &mask, 8)))
		return false;
	if ((flags & SP_POSITION) &&
	    (!spool_read(e, &input, 4) || !spool_read(e, &row, 8) || !spool_read(e, &line, 8)))
		return false;
	if ((flags & SP_LINES) && (!spool_read(e, &n_lines, 4) || !spool_read(e, &lines_len, 4) ||
				   !spool_take(e, lines_len, &lines_off)))
		return false;
	for (size_t s = 0; s < e->n_uniq; s++) {
		if (!e->uniq_answers[s])
			continue;
		key_decision *d = &e->dec[s];
		if (!spool_read(e, &d->kind, 1))
			return false;
		shown[s] = d->kind & SP_SHOWN;
		d->kind &= (uint8_t)~SP_SHOWN;
		if (d->kind == KD_SPILLED && !spool_read(e, &d->part, 1))
			return false;
		if (shown[s] &&
		    ((d->kind == KD_DUP && !spool_read(e, &d->first, 8)) ||
		     !spool_read(e, &disp_len[s], 4) || !spool_take(e, disp_len[s], &disp_off[s])))
			return false;
	}
	if ((e->invalid_out || e->valid_out) &&
	    (!spool_read(e, &qlen, 4) || !spool_take(e, qlen, &q_off)))
		return false;
	/* the spilled keys' answers, then the failures in check order */
	unsigned st = flags & (RS_INVALID | RS_WARNED | RS_PENDING);
	size_t at = lines_off;
	uint32_t left = n_lines;
	for (size_t s = 0; s < e->n_uniq; s++) {
		if (!e->uniq_answers[s])
			continue;
		uint32_t check = e->uniq[s];
		while (left && line_check(e, at) < check) {
			replay_line(e, &at);
			left--;
		}
		key_decision *d = &e->dec[s];
		bool dup = d->kind == KD_DUP;
		if (d->kind == KD_SPILLED)
			dup = uniq_answer(e->uq, d->part, &d->first);
		if (!dup)
			continue;
		if (shown[s]) {
			st |= key_failure(e, input, row, line, check, e->rbuf.data + disp_off[s],
					  disp_len[s], d->first, &mask);
		} else {
			/* not to be shown (its samples were full, --errors done): counted */
			r->checks[check].counts.failed++;
			st |= failure_effect(e, check, &mask);
		}
	}
	while (left--)
		replay_line(e, &at);
	record_settled(e, st, mask, e->rbuf.data + q_off, qlen);
	return uniq_status(e->uq, NULL, 0) == RV_OK;
}

/* Replays the spool in order, now that every key is decided. */
static rv_status replay(engine *e)
{
	e->deferred = false;
	if (!spillfile_rewind(e->spool)) {
		spool_read(e, NULL, 0);
		return e->status;
	}
	size_t *disp_off = xcalloc(e->n_uniq ? e->n_uniq : 1, sizeof(size_t));
	uint32_t *disp_len = xcalloc(e->n_uniq ? e->n_uniq : 1, sizeof(uint32_t));
	bool *shown = xcalloc(e->n_uniq ? e->n_uniq : 1, sizeof(bool));
	uint8_t tag;
	for (uint64_t n = 1; e->status == RV_OK && spool_read(e, &tag, 1); n++) {
		if (!(n & 0xFFFF) && outfile_interrupted())
			break;
		buf_reset(&e->rbuf);
		if (tag == 'L') {
			uint32_t len;
			size_t off;
			if (spool_read(e, &len, 4) && spool_take(e, len, &off))
				put_error_line(e, e->rbuf.data + off, len);
		} else if (!replay_record(e, disp_off, disp_len, shown)) {
			break;
		}
	}
	free(disp_off);
	free(disp_len);
	free(shown);
	if (e->status == RV_OK)
		e->status = uniq_status(e->uq, e->err, sizeof(e->err));
	if (outfile_interrupted() && e->status == RV_OK)
		return outfile_interrupt_status();
	return e->status;
}

static void merge_chunk(engine *e, input_ctx *ic, chunk *c)
{
	rv_tally *t = &c->tally;
	rv_report *r = e->r;
	for (size_t i = 0; i < t->n_checks; i++) {
		r->checks[i].counts.evaluated += t->counts[i].evaluated;
		r->checks[i].counts.failed += t->counts[i].failed;
		r->checks[i].counts.skipped += t->counts[i].skipped;
	}
	for (size_t i = 0; i < t->n_fields; i++)
		merge_fieldstat(&r->fields[i], &t->fields[i]);
	for (size_t k = 0; k < e->n_agg_fields; k++) {
		int f = e->agg_fields[k];
		uint32_t rec;
		if (aggacc_too_long(t->aggs[f], &rec) && !aggacc_too_long(e->aggs[f], NULL)) {
			e->too_long_input[f] = ic->index;
			e->too_long_row[f] = ic->rows + rec + 1;
		}
		aggacc_merge(e->aggs[f], t->aggs[f]);
	}
	if (e->deferred && e->n_dlines)
		spool_lines(e); /* the problems of this input's header */
	size_t pend = 0, fi = 0;
	for (size_t i = 0; i < t->n_records; i++) {
		uint8_t st = t->status[i];
		uint64_t mask = (st & RS_PENDING) ? t->pending_mask[pend++] : 0;
		e->own_invalid += (st & RS_INVALID) != 0;
		if (e->n_uniq && decide_keys(e, t, i, r->total + i) && !e->deferred)
			start_spooling(e);
		if (e->deferred) {
			spool_record(e, ic, c, i, st, mask, &fi);
			continue;
		}
		if (e->n_uniq)
			st |= (uint8_t)emit_keys(e, ic, t, i, &fi, &mask);
		while (fi < t->n_fails && t->fails[fi].record == i)
			emit_worker_failure(e, ic, t, &t->fails[fi++]);
		record_settled(e, st, mask, c->data + t->rec_start[i],
			       t->rec_end[i] - t->rec_start[i]);
	}
	r->total += t->n_records;
	ic->rows += t->n_records;
	ic->lines += t->lines;
}

/* With --fail-fast: the number of records of this chunk to keep so that
 * the run stops at the first record whose own checks make it fail;
 * UINT64_MAX: all. Duplicates are decided in the merge, after this cut, so
 * they are left out of the count everywhere (not only in this chunk): where
 * the run stops does not depend on where chunks are cut. */
static uint64_t fail_fast_cut(engine *e, const rv_tally *t)
{
	if (e->file_failures)
		return 0;
	uint64_t invalid = e->own_invalid;
	for (size_t i = 0; i < t->n_records; i++) {
		if (!(t->status[i] & RS_INVALID))
			continue;
		invalid++;
		if (!e->max_invalid_is_count || invalid > e->max_invalid_count)
			return i + 1;
	}
	return UINT64_MAX;
}

/* How many of c's records to merge: all (UINT64_MAX), or up to where
 * --limit or --fail-fast stops, which *limit_hit or *stop then says. */
static uint64_t chunk_keep(engine *e, const input_ctx *ic, const chunk *c, bool *limit_hit,
			   bool *stop)
{
	const rv_run_opts *o = e->o;
	uint64_t keep = UINT64_MAX;
	*limit_hit = *stop = false;
	if (o->limit && ic->rows + c->tally.n_records >= o->limit) {
		keep = o->limit - ic->rows;
		*limit_hit = true;
	}
	if (o->fail_fast) {
		uint64_t ff = fail_fast_cut(e, &c->tally);
		if (ff != UINT64_MAX && ff <= keep) {
			keep = ff;
			*stop = true;
		}
	}
	return keep;
}

static rv_status run_input(engine *e, uint32_t index)
{
	const rv_run_opts *o = e->o;
	input_ctx ic = {0};
	ic.e = e;
	ic.index = index;
	ic.path = o->inputs[index];
	e->input_seq[index] = e->r->total;
	rv_status st = RV_OK;
	try_map(e, &ic);
	if (!ic.map) {
		st = source_open(ic.path, e->dialect.encoding, &ic.src, e->err, sizeof(e->err));
		if (st != RV_OK)
			return st;
	}
	if (e->progress)
		progress_input(e->progress, ic.map ? (int64_t)ic.map_size : source_size(ic.src));
	rv_buf first;
	buf_init(&first, 0);
	size_t start;
	uint64_t skipped;
	if (!read_first_record(e, &ic, &first, &start, &skipped)) {
		snprintf(e->err, sizeof(e->err), "%s", ic.err);
		st = RV_IO;
		goto out;
	}
	csv_cursor *cur = &e->lanes[e->nthreads]->cur;
	csv_record *rec = &e->lanes[e->nthreads]->rec;
	csv_cursor_reset(cur, first.data ? first.data + start : "", first.len - start);
	bool have = csv_next(cur, rec);
	uint64_t header_line = skipped + (have ? rec->lines_before : 0) + 1;
	if (!have) {
		/* nothing but a BOM, skipped lines and comments: an empty input */
		if (e->enabled[CSV_HEADER])
			e->r->checks[CSV_HEADER].counts.evaluated++;
		add_header_problem(e, &ic, header_line, "the input is empty: %s",
				   e->dialect.header ? "no header" : "no records");
		goto out;
	}
	if (e->dialect.header) {
		char **names = xcalloc(rec->n ? rec->n : 1, sizeof(char *));
		for (size_t i = 0; i < rec->n; i++)
			names[i] = xstrndup(rec->cells[i].p, rec->cells[i].n);
		bind_header(e, &ic, names, rec->n, header_line);
		if (rec->problems)
			add_header_problem(e, &ic, header_line, "the header has %s",
					   (rec->problems & REC_UNTERMINATED)
						   ? "an unterminated quoted field"
						   : "text after a closing quote");
		for (size_t i = 0; i < rec->n; i++)
			free(names[i]);
		free(names);
		if (!e->quarantine_header_done) {
			write_quarantine(e, e->invalid_out, rec->start,
					 (size_t)(rec->end - rec->start));
			write_quarantine(e, e->valid_out, rec->start,
					 (size_t)(rec->end - rec->start));
			e->quarantine_header_done = true;
		}
		ic.lines = header_line + rec->newlines - 1;
		carry_rest(&ic, rec->end, (size_t)(first.data + first.len - rec->end));
	} else {
		bind_positions(e, &ic, rec->n, header_line);
		ic.lines = skipped;
		carry_rest(&ic, first.data + start, first.len - start);
	}
	if (e->o->fail_fast && e->file_failures) {
		e->stop = true;
		goto out;
	}

	/* workers (and this thread, while they run) leave the stop signals to the
	 * reader; they are let through again when the input is done */
	sigset_t stop = stop_signals(), saved;
	pthread_sigmask(SIG_BLOCK, &stop, &saved);
	ic.pool = pool_new(e->nthreads, (size_t)(2 * e->nthreads + 2), work, e);
	if (!ic.pool) {
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
		snprintf(e->err, sizeof(e->err), "cannot start %d worker threads", e->nthreads);
		st = RV_IO;
		goto out;
	}
	/* cut by guesses again: an input full of multi-line cells says nothing
	 * of the next one */
	e->exact_cuts = false;
	e->repairs = 0;
	e->restart_pending = false;
	pthread_t reader;
	if (pthread_create(&reader, NULL, reader_main, &ic) != 0) {
		snprintf(e->err, sizeof(e->err), "cannot start the reader thread");
		pool_free(ic.pool, drop_chunk);
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
		st = RV_IO;
		goto out;
	}
	bool cancelled = false, too_long = false;
	for (;;) {
		chunk *c = ic.map ? next_chunk(e, &ic) : pool_next(ic.pool);
		if (!c && ic.resync && !ic.failed && !outfile_interrupted()) {
			/* the reader was done before it saw the restart: the rest of
			 * the input, from that record start, is evaluated here */
			c = chunk_get(e, 0);
			c->data = ic.map + ic.resync_pos;
			c->len = ic.map_size - ic.resync_pos;
			c->gen = ic.want_gen;
			process_chunk(e, c, e->nthreads, UINT64_MAX);
		}
		if (!c)
			break;
		ic.resync = false;
		bool limit_hit, ff_stop;
		uint64_t keep = chunk_keep(e, &ic, c, &limit_hit, &ff_stop);
		/* a wrong guess spoils only the chunk's last record: no repair when
		 * --limit or --fail-fast stops before it */
		if (c->guessed && !c->clean && keep >= c->tally.n_records) {
			if (!(c = repair_chunk(e, &ic, c, &too_long))) {
				/* too long, or the reader stopped first: its error
				 * (ic.failed) or the interrupt is reported below */
				pool_cancel(ic.pool);
				break;
			}
			keep = chunk_keep(e, &ic, c, &limit_hit, &ff_stop);
		}
		if (ff_stop)
			e->stop = true;
		bool long_record = c->too_long && keep > c->tally.n_records;
		if (keep < c->tally.n_records)
			process_chunk(e, c, e->nthreads, keep);
		merge_chunk(e, &ic, c);
		if (e->progress) /* bytes of the input done: mapped bytes merged, or bytes read */
			progress_update(e->progress, ic.rows,
					ic.map ? (uint64_t)(c->data + c->len - ic.map)
					       : (uint64_t)source_consumed(ic.src));
		if (ic.map)
			release_mapped(&ic, c->data + c->len);
		chunk_put(e, c);
		if (long_record) {
			too_long_error(e, ic.path, e->err, sizeof(e->err));
			too_long = true;
			pool_cancel(ic.pool);
			break;
		}
		if (limit_hit || e->stop || outfile_interrupted() || e->status != RV_OK) {
			pool_cancel(ic.pool);
			cancelled = true;
			break;
		}
	}
	pthread_join(reader, NULL);
	pool_free(ic.pool, drop_chunk);
	pthread_sigmask(SIG_SETMASK, &saved, NULL); /* a pending signal is handled now */
	if (ic.failed && !cancelled) {
		snprintf(e->err, sizeof(e->err), "%s", ic.err);
		st = RV_IO;
	}
	if (too_long)
		st = RV_IO;
out:
	buf_free(&first);
	free(ic.carry);
	source_close(ic.src);
	if (ic.map)
		munmap((void *)ic.map, ic.map_size);
	return st;
}

/* ---- finishing ---- */

/* Multiplies the decimal digits d[0..n) (most significant first) by m in
 * place, growing to the left; returns the new start. */
static size_t digits_mul(unsigned char *d, size_t start, size_t n, uint64_t m)
{
	unsigned __int128 carry = 0;
	for (size_t i = n; i-- > start;) {
		unsigned __int128 v = (unsigned __int128)d[i] * m + carry;
		d[i] = (unsigned char)(v % 10);
		carry = v / 10;
	}
	while (carry) {
		d[--start] = (unsigned char)(carry % 10);
		carry /= 10;
	}
	return start;
}

/* (evaluated - failed) / evaluated >= mostly, exactly, for a share written
 * with any number of decimals: (evaluated - failed) * 10^k >= M * evaluated,
 * where M is the share's digits and k its decimals. */
static bool mostly_passes(const rv_counts *c, const char *mostly)
{
	if (c->evaluated == 0)
		return true;
	enum { W = 160 };
	unsigned char lhs[W] = {0}, rhs[W] = {0};
	size_t k = 0, nd = 0;
	const char *dot = strchr(mostly, '.');
	if (dot)
		k = strlen(dot + 1);
	if (k > 100)
		k = 100; /* further digits cannot change the answer for 64-bit counts */
	/* rhs = M, right-aligned */
	char digits[128];
	for (const char *p = mostly; *p && nd < sizeof(digits) - 1; p++) {
		if (p == dot)
			continue;
		if (dot && p > dot + k)
			break;
		digits[nd++] = *p;
	}
	size_t rs = W - nd;
	for (size_t i = 0; i < nd; i++)
		rhs[rs + i] = (unsigned char)(digits[i] - '0');
	digits_mul(rhs, rs, W, c->evaluated);
	/* lhs = (evaluated - failed) followed by k zeros */
	uint64_t good = c->evaluated - c->failed;
	size_t ls = W - k;
	do {
		lhs[--ls] = (unsigned char)(good % 10);
		good /= 10;
	} while (good);
	/* compare as numbers of W digits */
	return memcmp(lhs, rhs, W) >= 0;
}

static bool limit_allows(const rv_limit *l, uint64_t invalid, uint64_t total)
{
	if (!l->set)
		return invalid == 0;
	if (!l->percent)
		return invalid <= l->count;
	return (unsigned __int128)invalid * l->share.den <= (unsigned __int128)l->share.num * total;
}

static void add_table(engine *e, size_t check, bool passed, const char *observed,
		      const char *expected)
{
	rv_report *r = e->r;
	rv_table_result *t = &r->table[r->n_table++];
	t->check = check;
	t->passed = passed;
	t->observed = observed;
	t->expected = expected;
	r->checks[check].passed = passed;
	if (e->g->checks[check].kind != CK_TABLE_UNIQUE) {
		/* a whole-table check is one evaluation; a key check counts records */
		r->checks[check].counts.evaluated = 1;
		r->checks[check].counts.failed = !passed;
	}
}

/* After the last record: decides the keys that went to disk, then replays
 * the records that waited for them. */
static rv_status finish_keys(engine *e)
{
	if (!e->uq)
		return RV_OK;
	rv_status st = uniq_status(e->uq, e->err, sizeof(e->err));
	if (st == RV_OK && e->deferred && e->n_dlines)
		spool_lines(e);
	if (st == RV_OK && uniq_spilled(e->uq))
		st = uniq_resolve(e->uq, e->err, sizeof(e->err));
	if (st == RV_OK && e->deferred)
		st = replay(e);
	return rv_status_worst(st, e->status);
}

/* The key slot of a check, or -1. */
static int slot_of(const engine *e, size_t check)
{
	for (size_t s = 0; s < e->n_uniq; s++)
		if (e->uniq[s] == check)
			return (int)s;
	return -1;
}

/* A bound of an aggregate: exact; a share (`5%`) of total records becomes
 * count / total compared with P / 100. */
static bool agg_bound(const char *text, bool percent, bool as_double, rv_exact *out)
{
	if (!percent)
		return exact_from_text(text, as_double, out);
	size_t n = strlen(text);
	char num[128];
	if (n < 2 || n - 1 >= sizeof(num))
		return false;
	memcpy(num, text, n - 1);
	num[n - 1] = '\0';
	if (!exact_from_text(num, false, out))
		return false;
	big_mul_u64(&out->den, 100);
	return true;
}

/* The observed text of a min or max: ints and floats as usual, a decimal
 * without leading zeros (its digits after the point as written). */
static const char *extreme_text(engine *e, const rv_value *v, const rv_exact *x)
{
	if (v->type != RV_DECIMAL) {
		char tmp[128];
		value_format(v, tmp, sizeof(tmp));
		return arena_strdup(e->r->arena, tmp);
	}
	const char *dot = memchr(v->u.s.p, '.', v->u.s.n);
	unsigned scale = dot ? (unsigned)(v->u.s.p + v->u.s.n - dot - 1) : 0;
	rv_buf b;
	buf_init(&b, 0);
	big_to_text(&x->num, scale, &b);
	const char *s = arena_strdup(e->r->arena, b.data);
	buf_free(&b);
	return s;
}

/* table.agg.FIELD.STAT: the statistic over every valid value of the field
 * (missing: its missing cells; distinct: its different valid values). One
 * shown exactly (sums of ints and decimals, means of decimals, minimum and
 * maximum of ints and decimals, counts) is compared exactly with the bound
 * as written; one shown as a double (anything of a float field, the mean
 * of an int field, every standard deviation) is compared as that double
 * with the double nearest the bound, so the verdict agrees with what the
 * report shows. No values to take a mean, minimum or maximum of (fewer than
 * two for a standard deviation) fails the check. */
static void finish_aggregate(engine *e, size_t check)
{
	rv_report *r = e->r;
	rv_arena *ar = r->arena;
	const rv_aggregate_ir *a = &e->rs->table.aggs[e->g->checks[check].table_index];
	int fi = a->field;
	rv_type type = e->rs->fields[fi].type;
	const rv_aggacc *acc = e->aggs ? e->aggs[fi] : NULL;
	rv_exact *x = xmalloc(sizeof(*x)), *b = xmalloc(sizeof(*b));
	rv_buf obs;
	buf_init(&obs, 0);
	const char *observed = NULL, *message = NULL;
	bool have = false, is_count = false;
	bool is_double = a->agg <= AGG_STDDEV && agg_is_double(a->agg, type);
	uint64_t count = 0;
	rv_fieldagg *fa = &r->field_aggs[fi];
	if (acc && a->agg <= AGG_STDDEV && aggacc_too_long(acc, NULL)) {
		observed = "not computed";
		message = arena_printf(
			ar,
			"%s of %s cannot be computed exactly: row %llu of %s has a decimal "
			"of more than 38 digits",
			agg_name(a->agg), e->rs->fields[fi].name,
			(unsigned long long)e->too_long_row[fi], r->inputs[e->too_long_input[fi]]);
	} else {
		switch (a->agg) {
		case AGG_MIN:
		case AGG_MAX: {
			const rv_fieldstat *fs = &r->fields[fi];
			if (!fs->has_range)
				break;
			const rv_value *v = a->agg == AGG_MIN ? &fs->min : &fs->max;
			exact_from_value(v, x);
			observed = extreme_text(e, v, x);
			have = true;
			break;
		}
		case AGG_SUM:
			have = aggacc_sum(acc, x) && aggacc_sum_text(acc, &obs);
			if (have)
				fa->sum = arena_strdup(ar, obs.data);
			break;
		case AGG_MEAN:
			have = aggacc_mean(acc, x) && aggacc_mean_text(acc, &obs);
			if (have)
				fa->mean = arena_strdup(ar, obs.data);
			break;
		case AGG_STDDEV:
			have = aggacc_stddev_text(acc, &obs);
			if (have)
				fa->stddev = arena_strdup(ar, obs.data);
			break;
		case AGG_MISSING:
			count = r->fields[fi].missing;
			have = is_count = true;
			break;
		case AGG_DISTINCT: {
			int s = slot_of(e, check);
			count = s >= 0 ? uniq_distinct(e->uq, (size_t)s) : 0;
			have = is_count = true;
			fa->has_distinct = true;
			fa->distinct = count;
			break;
		}
		}
		if (is_count)
			observed = arena_printf(ar, "%llu", (unsigned long long)count);
		else if (have && !observed)
			observed = arena_strdup(ar, obs.data);
		else if (!have)
			observed = a->agg == AGG_STDDEV ? "fewer than 2 values" : "no values";
	}
	bool passed = have;
	for (int k = 0; k < 2 && passed; k++) {
		bool is_min = k == 0;
		if (!(is_min ? a->has_min : a->has_max))
			continue;
		const char *text = is_min ? a->min_text : a->max_text;
		bool percent = is_min ? a->min_percent : a->max_percent;
		if (!agg_bound(text, percent, is_double && !is_count, b)) {
			passed = false; /* cannot happen: the compiler read the bound */
			break;
		}
		int cmp;
		if (is_count) {
			exact_from_u64(count, x);
			if (percent && r->total) /* a share of the records */
				big_from_u128(&x->den, r->total);
			cmp = exact_cmp(x, b);
		} else if (is_double) {
			/* shown as a double: that double, against the bound's */
			double o = 0, d = 0;
			parse_float(observed, strlen(observed), &o);
			parse_float(text, strlen(text), &d);
			cmp = (o > d) - (o < d);
		} else {
			cmp = exact_cmp(x, b);
		}
		passed = is_min ? cmp >= 0 : cmp <= 0;
	}
	const char *expected = a->has_min && a->has_max ? arena_printf(ar, ">= %s and <= %s",
								       a->min_text, a->max_text)
			       : a->has_min             ? arena_printf(ar, ">= %s", a->min_text)
							: arena_printf(ar, "<= %s", a->max_text);
	add_table(e, check, passed, observed, expected);
	r->table[r->n_table - 1].message = message;
	buf_free(&obs);
	free(x);
	free(b);
}

static void finish(engine *e)
{
	rv_report *r = e->r;
	const rv_graph *g = e->g;
	const rv_ruleset *rs = e->rs;
	/* `mostly` checks pass or fail as a whole; records that failed only
	 * such checks are invalid when one of them failed */
	uint64_t failing = 0;
	for (size_t i = 0; i < g->n_checks; i++) {
		rv_check_result *cr = &r->checks[i];
		const rv_check *c = &g->checks[i];
		int bit = c->mostly_bit;
		if (bit >= 0) {
			cr->passed = mostly_passes(&cr->counts, rs->fields[c->field].mostly_text);
			if (!cr->passed)
				failing |= 1ull << bit;
		} else if (c->kind < CK_TABLE_ROWS_MIN) {
			cr->passed = cr->counts.failed == 0;
		}
	}
	for (size_t i = 0; i < e->n_pending; i++) {
		if (e->pending[i].mask & failing) {
			r->invalid += e->pending[i].count;
		} else {
			r->valid += e->pending[i].count;
			r->warned += e->pending[i].warned;
		}
	}
	const rv_limit *mi = e->o->max_invalid.set ? &e->o->max_invalid : &rs->table.max_invalid;
	bool within = limit_allows(mi, r->invalid, r->total);
	bool table_ok = true;
	for (size_t i = 0; i < g->n_checks; i++) {
		const rv_check *c = &g->checks[i];
		if (!e->enabled[i])
			continue;
		const rv_table_ir *t = &rs->table;
		rv_arena *a = r->arena;
		switch (c->kind) {
		case CK_TABLE_ROWS_MIN:
			add_table(e, i, r->total >= t->rows_min,
				  arena_printf(a, "%llu", (unsigned long long)r->total),
				  arena_printf(a, ">= %llu", (unsigned long long)t->rows_min));
			break;
		case CK_TABLE_ROWS_MAX:
			add_table(e, i, r->total <= t->rows_max,
				  arena_printf(a, "%llu", (unsigned long long)r->total),
				  arena_printf(a, "<= %llu", (unsigned long long)t->rows_max));
			break;
		case CK_TABLE_MAX_INVALID:
			add_table(e, i, within,
				  arena_printf(a, "%llu", (unsigned long long)r->invalid),
				  arena_printf(a, "<= %s", mi->text ? mi->text : "0"));
			if (e->o->max_invalid
				    .set) /* --max-invalid replaced the rule file's limit */
				r->table[r->n_table - 1].message =
					arena_printf(a, "at most %s invalid record%s", mi->text,
						     strcmp(mi->text, "1") == 0 ? "" : "s");
			break;
		case CK_TABLE_UNIQUE: {
			uint64_t dups = r->checks[i].counts.failed;
			add_table(e, i, dups == 0,
				  arena_printf(a, "%llu", (unsigned long long)dups),
				  "0 duplicate keys");
			break;
		}
		case CK_TABLE_AGG: finish_aggregate(e, i); break;
		default: continue;
		}
		table_ok = table_ok && r->checks[i].passed;
	}
	r->passed = within && table_ok && e->file_failures == 0;
}

/* ---- setup ---- */

/* The key slots (the enabled uniqueness checks, then distinct counts, in
 * check order) and the fields whose values feed aggregates. */
static void setup_keys_and_aggs(engine *e)
{
	const rv_graph *g = e->g;
	const rv_ruleset *rs = e->rs;
	size_t nc = g->n_checks ? g->n_checks : 1, nf = rs->n_fields ? rs->n_fields : 1;
	e->uniq = xcalloc(nc, sizeof(uint32_t));
	e->uniq_answers = xcalloc(nc, sizeof(bool));
	e->agg_squares = xcalloc(nf, sizeof(bool));
	bool *feeds = xcalloc(nf, sizeof(bool));
	for (size_t i = 0; i < g->n_checks; i++) {
		const rv_check *c = &g->checks[i];
		if (!e->enabled[i])
			continue;
		if (c->kind == CK_UNIQUE || c->kind == CK_TABLE_UNIQUE) {
			e->uniq_answers[e->n_uniq] = true;
			e->uniq[e->n_uniq++] = (uint32_t)i;
		} else if (c->kind == CK_TABLE_AGG) {
			const rv_aggregate_ir *a = &rs->table.aggs[c->table_index];
			if (a->agg == AGG_DISTINCT)
				e->uniq[e->n_uniq++] = (uint32_t)i;
			else if (a->agg != AGG_MISSING)
				feeds[a->field] = true;
			if (a->agg == AGG_STDDEV)
				e->agg_squares[a->field] = true;
		}
	}
	e->uq = uniq_new(e->n_uniq, e->uniq_answers, e->o->memory_limit);
	e->dec = xcalloc(e->n_uniq ? e->n_uniq : 1, sizeof(key_decision));
	e->input_seq = xcalloc(e->o->n_inputs + 1, sizeof(uint64_t));
	e->agg_fields = xcalloc(nf, sizeof(int));
	e->aggs = xcalloc(nf, sizeof(rv_aggacc *));
	e->too_long_input = xcalloc(nf, sizeof(uint32_t));
	e->too_long_row = xcalloc(nf, sizeof(uint64_t));
	for (size_t fi = 0; fi < rs->n_fields; fi++) {
		if (!feeds[fi])
			continue;
		e->agg_fields[e->n_agg_fields++] = (int)fi;
		e->aggs[fi] = aggacc_new(rs->fields[fi].type, e->agg_squares[fi]);
	}
	e->r->field_aggs = arena_alloc(e->r->arena, nf * sizeof(rv_fieldagg));
	free(feeds);
}

static bool id_matches(const char *pattern, const char *id)
{
	size_t n = strlen(pattern);
	if (n >= 2 && strcmp(pattern + n - 2, ".*") == 0)
		return strncmp(id, pattern, n - 1) == 0;
	return strcmp(pattern, id) == 0;
}

static rv_status select_checks(engine *e)
{
	const rv_graph *g = e->g;
	const rv_run_opts *o = e->o;
	const char **ids = xmalloc((g->n_checks ? g->n_checks : 1) * sizeof(char *));
	for (size_t i = 0; i < g->n_checks; i++)
		ids[i] = g->checks[i].id;
	rv_status st = RV_OK;
	for (size_t k = 0; k < o->n_skip && st == RV_OK; k++) {
		if (strncmp(o->skip[k], "csv.", 4) == 0) {
			snprintf(e->err, sizeof(e->err),
				 "--skip %s: the structural checks (csv.*) are always on",
				 o->skip[k]);
			st = RV_USAGE;
		}
	}
	for (int pass = 0; pass < 2 && st == RV_OK; pass++) {
		const char *const *list = pass ? o->skip : o->only;
		size_t n = pass ? o->n_skip : o->n_only;
		for (size_t k = 0; k < n; k++) {
			bool any = false;
			for (size_t i = 0; i < g->n_checks; i++)
				any |= id_matches(list[k], ids[i]);
			if (!any) {
				const char *s = suggest(list[k], strlen(list[k]), ids, g->n_checks);
				if (s)
					snprintf(e->err, sizeof(e->err),
						 "%s %s: no such check (did you mean '%s'?)",
						 pass ? "--skip" : "--only", list[k], s);
				else
					snprintf(e->err, sizeof(e->err),
						 "%s %s: no such check in %s",
						 pass ? "--skip" : "--only", list[k],
						 o->rules_path);
				st = RV_USAGE;
				break;
			}
		}
	}
	for (size_t i = 0; i < g->n_checks; i++) {
		/* structural checks are always on (SPEC 2.6): --only leaves them be */
		bool on = o->n_only == 0 || g->checks[i].kind == CK_CSV;
		for (size_t k = 0; k < o->n_only; k++)
			on |= id_matches(o->only[k], ids[i]);
		for (size_t k = 0; k < o->n_skip; k++)
			if (id_matches(o->skip[k], ids[i]))
				on = false;
		e->enabled[i] = on;
	}
	free(ids);
	return st;
}

/* The dialect: defaults, then what the first input's name implies, then the
 * rule file, then the command line. */
static void effective_dialect(engine *e)
{
	const rv_dialect *rf = &e->rs->csv, *cl = &e->o->csv;
	rv_dialect *d = &e->dialect;
	dialect_defaults(d);
	const char *in = e->o->n_inputs ? e->o->inputs[0] : "";
	if (path_has_suffix(in, ".tsv") || path_has_suffix(in, ".tab") ||
	    path_has_suffix(in, ".tsv.gz") || path_has_suffix(in, ".tab.gz"))
		d->delimiter = '\t';
	const rv_dialect *layers[2] = {rf, cl};
	for (int i = 0; i < 2; i++) {
		const rv_dialect *l = layers[i];
		if (l->delimiter_set)
			d->delimiter = l->delimiter;
		if (l->quote_set)
			d->quote = l->quote;
		if (l->escape_set)
			d->escape = l->escape;
		if (l->comment_set)
			d->comment = l->comment;
		if (l->header_set)
			d->header = l->header;
		if (l->null_set) {
			d->null_values = l->null_values;
			d->n_null = l->n_null;
		}
		if (l->encoding_set)
			d->encoding = l->encoding;
		if (l->skip_lines_set)
			d->skip_lines = l->skip_lines;
	}
	e->d = (csv_dialect){d->delimiter, d->quote, d->escape, d->comment};
}

/* The dialect must be readable: no character in two roles. */
static rv_status check_dialect(engine *e)
{
	const rv_dialect *d = &e->dialect;
	const char *clash = NULL;
	if (d->quote && d->quote == d->delimiter)
		clash = "the quote and the delimiter";
	else if (d->escape && d->escape == d->delimiter)
		clash = "the escape and the delimiter";
	else if (d->escape && d->escape == d->quote)
		clash = "the escape and the quote (a doubled quote already stands for one)";
	else if (d->comment && (d->comment == d->delimiter || d->comment == d->quote))
		clash = "the comment character and the delimiter or quote";
	if (!clash)
		return RV_OK;
	snprintf(e->err, sizeof(e->err), "the dialect uses one character for %s", clash);
	return RV_USAGE;
}

static int32_t today(char *err, size_t errlen, bool *ok)
{
	const char *fixed = getenv("RVALID_TODAY");
	int32_t days;
	*ok = true;
	if (fixed && *fixed) {
		if (!parse_date(fixed, strlen(fixed), &days)) {
			snprintf(err, errlen,
				 "RVALID_TODAY must be a date like 2024-01-31, not '%s'", fixed);
			*ok = false;
		}
		return days;
	}
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
}

static rv_outfile *open_stream(engine *e, const char *path)
{
	if (!path)
		return NULL;
	rv_outfile *f = outfile_open(path, e->err, sizeof(e->err));
	if (!f)
		e->status = RV_IO;
	return f;
}

rv_status engine_run(const rv_run_opts *o, const rv_ruleset *rs, const rv_graph *g, rv_report **out,
		     char *err, size_t errlen)
{
	engine e;
	memset(&e, 0, sizeof(e));
	e.o = o;
	e.g = g;
	e.rs = rs;
	e.nthreads = o->threads > 0 ? o->threads : 1;
	e.chunk_size = CHUNK_SIZE;
	e.max_rec = max_record(o);
	const char *cb = getenv("RVALID_CHUNK_BYTES"); /* smaller chunks, for tests */
	if (cb && *cb) {
		char *end;
		unsigned long long v = strtoull(cb, &end, 10);
		if (*end == '\0' && v >= 1 && v <= CHUNK_SIZE)
			e.chunk_size = (size_t)v;
	}
	if (o->progress)
		e.progress = progress_new(stderr);
	pthread_mutex_init(&e.free_mu, NULL);
	pthread_mutex_init(&e.restart_mu, NULL);
	buf_init(&e.line, 0);
	buf_init(&e.dlines, 0);
	buf_init(&e.rbuf, 0);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);

	rv_report *r = xcalloc(1, sizeof(*r));
	r->arena = arena_new();
	r->g = g;
	r->rules_file = o->rules_path;
	r->inputs = (const char **)o->inputs;
	r->n_inputs = o->n_inputs;
	r->threads = e.nthreads;
	r->fail_on_warn = o->fail_on_warn;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(r->started_at, sizeof(r->started_at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	r->checks =
		arena_alloc(r->arena, (g->n_checks ? g->n_checks : 1) * sizeof(rv_check_result));
	for (size_t i = 0; i < g->n_checks; i++)
		r->checks[i].samples =
			arena_alloc(r->arena, (o->samples ? o->samples : 1) * sizeof(rv_sample));
	r->table = arena_alloc(r->arena, (g->n_checks ? g->n_checks : 1) * sizeof(rv_table_result));
	r->fields = arena_alloc(r->arena, (rs->n_fields ? rs->n_fields : 1) * sizeof(rv_fieldstat));
	e.r = r;
	e.enabled = arena_alloc(r->arena, (g->n_checks ? g->n_checks : 1) * sizeof(bool));
	r->enabled = e.enabled;

	rv_status st = select_checks(&e);
	if (st == RV_OK && (o->invalid_rows || o->valid_rows)) {
		for (size_t i = 0; i < rs->n_fields; i++) {
			if (rs->fields[i].has_mostly) {
				snprintf(
					e.err, sizeof(e.err),
					"--invalid-rows and --valid-rows cannot be used yet with 'mostly' "
					"(field '%s')",
					rs->fields[i].name);
				st = RV_USAGE;
				break;
			}
		}
	}
	/* the key slots, the aggregates' fields, and the referenced columns */
	setup_keys_and_aggs(&e);
	if (st == RV_OK)
		st = refs_load(rs, &e.refs, e.err, sizeof(e.err));
	effective_dialect(&e);
	if (st == RV_OK)
		st = check_dialect(&e);
	bool today_ok;
	int32_t day = today(e.err, sizeof(e.err), &today_ok);
	if (st == RV_OK && !today_ok)
		st = RV_USAGE;
	if (st != RV_OK)
		goto out;

	const rv_limit *mi = o->max_invalid.set ? &o->max_invalid : &rs->table.max_invalid;
	e.max_invalid_is_count = !mi->set || !mi->percent;
	e.max_invalid_count = mi->set ? mi->count : 0;
	e.eo = (rv_eval_opts){.enabled = e.enabled,
			      .fail_on_warn = o->fail_on_warn,
			      .samples = o->samples,
			      .keep_all = o->errors_path != NULL,
			      .max_field = o->max_field,
			      .today = day,
			      .nulls = e.dialect.null_values,
			      .n_nulls = e.dialect.n_null,
			      .nulls_only_empty =
				      e.dialect.n_null == 0 ||
				      (e.dialect.n_null == 1 && !e.dialect.null_values[0][0]),
			      .refs = e.refs,
			      .uniq = e.uniq,
			      .n_uniq = e.n_uniq,
			      .agg_fields = e.agg_fields,
			      .n_agg_fields = e.n_agg_fields};
	e.workers = xcalloc((size_t)e.nthreads + 1, sizeof(rv_worker *));
	e.lanes = xcalloc((size_t)e.nthreads + 1, sizeof(struct lane *));
	for (int k = 0; k <= e.nthreads; k++) {
		e.workers[k] = worker_new(g, &e.eo);
		void *mem = NULL;
		if (posix_memalign(&mem, 128, sizeof(struct lane)) != 0)
			abort(); /* out of memory, as xmalloc would */
		e.lanes[k] = memset(mem, 0, sizeof(struct lane));
		csv_cursor_init(&e.lanes[k]->cur, &e.d);
	}
	e.binding.col = xcalloc(rs->n_fields + rs->n_extra + 1, sizeof(int));

	e.errors = open_stream(&e, o->errors_path);
	if (e.status == RV_OK)
		e.invalid_out = open_stream(&e, o->invalid_rows);
	if (e.status == RV_OK)
		e.valid_out = open_stream(&e, o->valid_rows);
	st = e.status;
	for (size_t i = 0; st == RV_OK && i < o->n_inputs && !e.stop; i++) {
		st = run_input(&e, (uint32_t)i);
		st = rv_status_worst(st, e.status);
		if (st == RV_PIPE)
			e.err[0] = '\0';
		if (outfile_interrupted())
			st = outfile_interrupt_status();
	}
	if (st == RV_OK)
		st = finish_keys(&e);
	if (st == RV_OK) {
		finish(&e);
		if (e.errors) {
			/* failing whole-table checks are failures too; key checks were
			 * streamed record by record */
			for (size_t i = 0; i < r->n_table; i++) {
				const rv_table_result *t = &r->table[i];
				if (t->passed || g->checks[t->check].kind == CK_TABLE_UNIQUE)
					continue;
				buf_reset(&e.line);
				report_ndjson_table(r, t, &e.line);
				outfile_write(e.errors, e.line.data, e.line.len);
			}
			buf_reset(&e.line);
			report_ndjson_summary(r, &e.line);
			outfile_write(e.errors, e.line.data, e.line.len);
		}
		rv_outfile **streams[3] = {&e.errors, &e.invalid_out, &e.valid_out};
		for (int i = 0; i < 3; i++) {
			if (!*streams[i])
				continue;
			rv_status cs = outfile_commit(*streams[i], e.err, sizeof(e.err));
			if (cs != RV_OK && errno == EPIPE) /* outfile_commit leaves errno set */
				cs = RV_PIPE;
			*streams[i] = NULL;
			st = rv_status_worst(st, cs);
		}
	}
out:
	outfile_abort(e.errors);
	outfile_abort(e.invalid_out);
	outfile_abort(e.valid_out);
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->duration_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (int k = 0; e.workers && k <= e.nthreads; k++) {
		worker_free(e.workers[k]);
		csv_cursor_free(&e.lanes[k]->cur);
		csv_record_free(&e.lanes[k]->rec);
		free(e.lanes[k]);
	}
	free(e.workers);
	free(e.lanes);
	free(e.binding.col);
	free(e.pending);
	free(e.uniq);
	free(e.uniq_answers);
	uniq_free(e.uq);
	free(e.dec);
	free(e.input_seq);
	free(e.agg_fields);
	free(e.agg_squares);
	for (size_t i = 0; e.aggs && i < rs->n_fields; i++)
		aggacc_free(e.aggs[i]);
	free(e.aggs);
	free(e.too_long_input);
	free(e.too_long_row);
	spillfile_free(e.spool);
	buf_free(&e.dlines);
	buf_free(&e.rbuf);
	refs_free(rs, e.refs);
	for (size_t i = 0; i < e.first_ncols; i++)
		free(e.first_header[i]);
	free(e.first_header);
	while (e.free_chunks) {
		chunk *c = e.free_chunks;
		e.free_chunks = c->next;
		chunk_destroy(c);
	}
	progress_free(e.progress); /* clears the line before anything else is printed */
	buf_free(&e.line);
	pthread_mutex_destroy(&e.free_mu);
	pthread_mutex_destroy(&e.restart_mu);
	if (st != RV_OK) {
		snprintf(err, errlen, "%s", e.err);
		report_free(r);
		*out = NULL;
		return st;
	}
	*out = r;
	return RV_OK;
}

void report_free(rv_report *r)
{
	if (!r)
		return;
	arena_free(r->arena);
	free(r);
}
