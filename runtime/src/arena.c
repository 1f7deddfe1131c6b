/*
 * Arena allocator (see arena.h).  Blocks double in size up to 1 MiB; a
 * request larger than a block gets a block of its own.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ALIGN 16
#define FIRST_BLOCK 4096
#define MAX_BLOCK (1u << 20)

typedef struct block {
    struct block *next;
    size_t size;
    size_t used;
    _Alignas(ALIGN) unsigned char data[];
} block;

struct sc_arena {
    block *head;
    size_t next_size;
    size_t used;
};

sc_arena *sc_arena_new(void)
{
    sc_arena *arena = sc_xcalloc(1, sizeof *arena);
    arena->next_size = FIRST_BLOCK;
    return arena;
}

void sc_arena_free(sc_arena *arena)
{
    if (arena == NULL)
        return;
    block *b = arena->head;
    while (b != NULL) {
        block *next = b->next;
        free(b);
        b = next;
    }
    free(arena);
}

void *sc_arena_alloc(sc_arena *arena, size_t size)
{
    size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (size == 0)
        size = ALIGN;
    arena->used += size;
#ifdef SC_ARENA_MALLOC
    block *b = sc_xcalloc(1, sizeof *b + size);
    b->size = b->used = size;
    b->next = arena->head;
    arena->head = b;
    return b->data;
#else
    block *b = arena->head;
    if (b == NULL || b->size - b->used < size) {
        size_t bsize = arena->next_size;
        if (bsize < MAX_BLOCK)
            arena->next_size *= 2;
        if (bsize < size)
            bsize = size;
        block *nb = sc_xmalloc(sizeof *nb + bsize);
        nb->size = bsize;
        nb->used = 0;
        /* Keep a partly used block in front when the new one is a
         * one-off for a large request. */
        if (b != NULL && bsize == size && b->size - b->used > 256) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            arena->head = nb;
        }
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
#endif
}

char *sc_arena_strndup(sc_arena *arena, const char *s, size_t len)
{
    char *p = sc_arena_alloc(arena, len + 1);
    if (len > 0)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *sc_arena_strdup(sc_arena *arena, const char *s)
{
    return s == NULL ? NULL : sc_arena_strndup(arena, s, strlen(s));
}

char *sc_arena_printf(sc_arena *arena, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *p = sc_arena_alloc(arena, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *sc_arena_grow(sc_arena *arena, void *array, size_t n, size_t *cap, size_t elem)
{
    size_t ncap = *cap < 4 ? 4 : *cap * 2;
    void *p = sc_arena_alloc(arena, ncap * elem);
    if (n > 0)
        memcpy(p, array, n * elem);
    *cap = ncap;
    return p;
}

size_t sc_arena_used(const sc_arena *arena)
{
    return arena->used;
}
