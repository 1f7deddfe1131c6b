/*
 * Arenas: every object of a model lives in one arena and is freed with it.
 *
 * Allocation is a pointer bump inside large blocks.  Built with
 * SC_ARENA_MALLOC (the `sanitize` build option), every allocation is a
 * malloc of its own, so that AddressSanitizer and valgrind see each one.
 */
#ifndef SC_ARENA_H
#define SC_ARENA_H

#include <stddef.h>

typedef struct sc_arena sc_arena;

/* Creates an empty arena; aborts when memory is exhausted. */
sc_arena *sc_arena_new(void);

/* Frees the arena and everything allocated in it; accepts NULL. */
void sc_arena_free(sc_arena *arena);

/* Returns `size` zeroed bytes, aligned for any type, owned by the arena. */
void *sc_arena_alloc(sc_arena *arena, size_t size);

/* Copies `len` bytes of `s` and a terminating NUL into the arena. */
char *sc_arena_strndup(sc_arena *arena, const char *s, size_t len);

/* Copies the NUL-terminated `s` into the arena; NULL gives NULL. */
char *sc_arena_strdup(sc_arena *arena, const char *s);

/* printf into the arena. */
char *sc_arena_printf(sc_arena *arena, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Grows an arena array of `*cap` elements of `elem` bytes holding `n`
 * elements so that it holds at least one more; returns the (possibly moved)
 * array.  The old block stays in the arena until the arena is freed.
 */
void *sc_arena_grow(sc_arena *arena, void *array, size_t n, size_t *cap, size_t elem);

/* Appends `item` to the arena-backed pointer array `*items` of `*n`. */
#define SC_PUSH(arena, items, n, cap, item)                                                     \
    do {                                                                                        \
        if ((n) == (cap))                                                                       \
            (items) = sc_arena_grow((arena), (items), (n), &(cap), sizeof *(items));            \
        (items)[(n)++] = (item);                                                                \
    } while (0)

/* Bytes handed out so far (for benchmarks). */
size_t sc_arena_used(const sc_arena *arena);

#endif
