/*
 * Diagnostics are data: every phase appends to one list, nothing prints
 * until the command renders the list at the end, gcc-style:
 *
 *   schema/funds.schema:12:3: error: unknown type "intger"
 *      12 |   vintage_year intger not null
 *         |                ^~~~~~
 *
 * Messages are one line, lower case, and say what is wrong.
 */
#ifndef SC_DIAG_H
#define SC_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

typedef enum sc_severity {
    SC_ERROR,
    SC_WARNING,
    SC_NOTE,
} sc_severity;

typedef struct sc_diag {
    sc_severity severity;
    sc_loc loc;     /* file NULL: a message about the run itself */
    uint32_t span;  /* characters to underline, at least 1 */
    char *message;
} sc_diag;

typedef struct sc_diags {
    sc_diag *items;
    size_t n, cap;
    size_t nerrors;
} sc_diags;

void sc_diags_free(sc_diags *d);

/* Appends a diagnostic; `loc` may be NULL. */
void sc_diag_add(sc_diags *d, sc_severity sev, const sc_loc *loc, uint32_t span, const char *fmt,
                 ...) __attribute__((format(printf, 5, 6)));

#define sc_error(d, loc, span, ...) sc_diag_add((d), SC_ERROR, (loc), (span), __VA_ARGS__)
#define sc_note(d, loc, span, ...) sc_diag_add((d), SC_NOTE, (loc), (span), __VA_ARGS__)

/*
 * Source text for rendering: returns the text of `file` (and its length)
 * or NULL.  Implemented by the source list (source.c).
 */
typedef const char *(*sc_text_lookup)(void *ctx, const char *file, size_t *len);

/* Renders every diagnostic to `out`, with source lines when `lookup` finds them. */
void sc_diags_render(const sc_diags *d, FILE *out, sc_text_lookup lookup, void *ctx);

#endif
