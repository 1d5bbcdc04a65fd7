/* arena.h: a bump allocator for things that live as long as a compiled rule set.
 *
 * Everything a rule file compiles into (document tree, IR, graph, regex
 * handles aside) is carved from one arena and freed with it at once, so the
 * compiler needs no per-object free paths. Not thread-safe; after compilation
 * the memory is only read, which is safe from any thread. */
#ifndef RV_ARENA_H
#define RV_ARENA_H

#include <stddef.h>

typedef struct rv_arena rv_arena;

rv_arena *arena_new(void);
/* Frees every block. Accepts NULL. */
void arena_free(rv_arena *a);
/* Zeroed memory aligned for any type; never NULL (aborts when memory is out). */
void *arena_alloc(rv_arena *a, size_t n);
/* A NUL-terminated copy of s[0..n). */
char *arena_strndup(rv_arena *a, const char *s, size_t n);
char *arena_strdup(rv_arena *a, const char *s);
/* printf into the arena. */
char *arena_printf(rv_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A growable array of pointers whose storage lives in the arena. */
typedef struct {
	void **items;
	size_t n, cap;
} rv_ptrvec;
void ptrvec_push(rv_arena *a, rv_ptrvec *v, void *item);

#endif
