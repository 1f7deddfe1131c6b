/*
 * Source files: loading the .schema files a command names (files, or
 * directories searched recursively, in name order), and looking their
 * text up again to show lines in diagnostics.
 */
#ifndef SC_SOURCE_H
#define SC_SOURCE_H

#include <stddef.h>

#include "diag.h"

typedef struct sc_source {
    char *path;
    char *text;
    size_t len;
} sc_source;

typedef struct sc_sources {
    sc_source **items;
    size_t n, cap;
} sc_sources;

void sc_sources_free(sc_sources *s);

/*
 * Adds the files `path` names: a file as it is, a directory by every
 * *.schema file below it.  Unreadable paths become errors in `d`.
 */
void sc_sources_add_path(sc_sources *s, const char *path, sc_diags *d);

/* Adds a source from memory (tests, benchmarks). */
sc_source *sc_sources_add_text(sc_sources *s, const char *path, const char *text, size_t len);

/* Reads a whole file into a NUL-terminated string (free() it) and its
 * length; NULL with errno set when it cannot be read. */
char *sc_file_read(const char *path, size_t *len);

/* Writes `len` bytes to `path` through a temporary file in the same
 * directory and a rename, so that a failure never leaves a half-written
 * file.  Returns 0, or -1 with errno set. */
int sc_file_write_atomic(const char *path, const char *data, size_t len);

/* sc_text_lookup over a source list (ctx is the sc_sources). */
const char *sc_sources_lookup(void *ctx, const char *file, size_t *len);

#endif
