/* simple_re.h: a plain matcher compiled in place of simple regular patterns.
 *
 * A pattern that is a sequence of ASCII literals and ASCII classes ([a-z_],
 * \d, \w, \s, escaped punctuation), each with an optional quantifier
 * (?, *, +, {n}, {n,}, {n,m}), optionally between ^ and $, is matched by a
 * bit-parallel Glushkov automaton instead of PCRE2. rvalid matches patterns
 * against the whole cell (PCRE2_ANCHORED | PCRE2_ENDANCHORED), so a match is
 * exactly membership in the pattern's language, which the automaton
 * decides; a test compares both on generated cells. Anything else (groups,
 * alternation, '.', negated classes, non-ASCII, caseless matching, lazy
 * quantifiers, anchors inside the pattern) is left to PCRE2.
 *
 * Read-only after compilation: thread-safe. */
#ifndef RV_SIMPLE_RE_H
#define RV_SIMPLE_RE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { SRE_MAX_POSITIONS = 63, SRE_MAX_STATES = 64 };

typedef struct {
	uint64_t byte_mask[256];                /* positions whose class holds the byte */
	uint64_t follow[SRE_MAX_POSITIONS + 1]; /* the last one: the start, followed by first */
	uint64_t first, last;
	bool nullable;
	int n;
	/* every position is mandatory and not repeated (^\d{6}$): a cell
	 * matches when it has exactly n bytes, byte i in position i's class */
	bool fixed;
	/* the same automaton made deterministic, when it has few states: one
	 * table lookup per byte; state 0 is dead, state 1 the start */
	int n_states;
	uint8_t dfa[SRE_MAX_STATES][256];
	bool accept[SRE_MAX_STATES];
	/* per state, the bytes it loops on ([\w.+-]+) as a nibble table, for
	 * finding where such a run ends 16 bytes a step: byte b is in the set
	 * when run_lo[s][b & 15] has bit b >> 4 (the sets are ASCII, so b >> 4
	 * is below 8); has_run[s] says the table is set */
	uint8_t run_lo[SRE_MAX_STATES][16];
	bool has_run[SRE_MAX_STATES];
} rv_simple_re;

/* Compiles pattern if it is simple enough; false (and out untouched in
 * meaning) when it must stay with PCRE2. */
bool simple_re_compile(const char *pattern, bool caseless, rv_simple_re *out);
/* Whole-subject match. */
bool simple_re_match(const rv_simple_re *re, const char *p, size_t n);

#endif
