/*
 * Helpers shared by the unit tests: compile schema text held in memory,
 * render its diagnostics to a string, print it canonically or as fmt does.
 * Every returned string is malloc'd; the caller frees it.
 */
#ifndef SC_TESTUTIL_H
#define SC_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "hash.h"
#include "print.h"

/* Compiles one in-memory file named `name` through every phase. */
static inline sc_compiler *compile_named(const char *name, const char *text, size_t len)
{
    sc_compiler *c = sc_compiler_new();
    sc_sources_add_text(&c->sources, name, text, len);
    sc_compiler_run(c);
    return c;
}

static inline sc_compiler *compile_text(const char *text)
{
    return compile_named("test.schema", text, strlen(text));
}

/* The rendered diagnostics of a compiler. */
static inline char *diagnostics(const sc_compiler *c)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    sc_compiler_render(c, f);
    fclose(f);
    return out;
}

/* The canonical text of the compiled model. */
static inline char *canonical(const sc_compiler *c)
{
    sc_buf b = SC_BUF_INIT;
    sc_print_canonical(&b, c->model);
    return sc_buf_detach(&b);
}

/* Schema hash of `text`, or "" when it does not compile; `out` has 33 bytes. */
static inline void hash_of(const char *text, char *out)
{
    sc_compiler *c = compile_text(text);
    if (c->diags.nerrors == 0)
        sc_model_hash(out, c->model);
    else
        out[0] = '\0';
    sc_compiler_free(c);
}

/* `schemac fmt` of one in-memory file; NULL when it does not parse. */
static inline char *fmt_text(const char *text)
{
    sc_compiler *c = sc_compiler_new();
    c->keep_trivia = true;
    sc_sources_add_text(&c->sources, "test.schema", text, strlen(text));
    char *out = NULL;
    if (sc_compiler_parse(c) == 0 && sc_compiler_lower(c) == 0) {
        (void)sc_compiler_check(c);
        sc_buf b = SC_BUF_INIT;
        sc_print_file(&b, c->model, "test.schema");
        out = sc_buf_detach(&b);
    }
    sc_compiler_free(c);
    return out;
}

/* Reads a whole file; NULL when it cannot be read. */
static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    fclose(f);
    buf[got] = '\0';
    if (len != NULL)
        *len = got;
    return buf;
}

#endif
