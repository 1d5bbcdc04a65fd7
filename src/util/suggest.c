/* suggest.c: nearest-name suggestions for error messages. */
#include "util/suggest.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* Optimal string alignment distance (Levenshtein with adjacent swaps),
 * case-insensitive; names longer than 63 bytes are not compared. */
static int osa(const char *a, size_t la, const char *b, size_t lb)
{
	int d[64][64];
	if (la >= 64 || lb >= 64)
		return 1000;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]),
			    cb = tolower((unsigned char)b[j - 1]);
			int cost = ca != cb;
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

static bool is_subsequence(const char *word, size_t len, const char *c)
{
	size_t i = 0;
	for (; *c && i < len; c++)
		if (tolower((unsigned char)*c) == tolower((unsigned char)word[i]))
			i++;
	return i == len;
}

const char *suggest(const char *word, size_t len, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	int best_score = 1 << 30;
	for (size_t i = 0; n ? i < n : candidates[i] != NULL; i++) {
		const char *c = candidates[i];
		size_t lc = strlen(c);
		int dist = osa(word, len, c, lc);
		/* a word that is a prefix of the candidate, or the reverse ("maxlen"
		 * for "max_length"), is a strong hint even at a large distance */
		size_t shorter = len < lc ? len : lc;
		size_t common = 0;
		while (common < shorter &&
		       tolower((unsigned char)word[common]) == tolower((unsigned char)c[common]))
			common++;
		/* a short word may be one edit away, a longer one a third of its length */
		int limit = len <= 4 ? 1 : len <= 8 ? 2 : (int)len / 3;
		int score = dist * 4 - (int)common;
		/* an abbreviation ("maxlen" for "max_length": every letter in order)
		 * beats a short neighbour at a smaller distance ("max") */
		bool abbrev = len >= 3 && len < lc && len * 2 >= lc && is_subsequence(word, len, c);
		if (abbrev)
			score -= 100;
		if ((dist <= limit || abbrev || (common >= 3 && common * 2 >= shorter)) &&
		    score < best_score) {
			best = c;
			best_score = score;
		}
	}
	return best;
}
