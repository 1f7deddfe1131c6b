/* Diagnostic collection and rendering (see diag.h). */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

void sc_diags_free(sc_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->items[i].message);
    free(d->items);
    d->items = NULL;
    d->n = d->cap = d->nerrors = 0;
}

void sc_diag_add(sc_diags *d, sc_severity sev, const sc_loc *loc, uint32_t span, const char *fmt,
                 ...)
{
    if (d->n == d->cap) {
        d->cap = d->cap == 0 ? 16 : d->cap * 2;
        d->items = sc_xrealloc(d->items, d->cap * sizeof *d->items);
    }
    sc_diag *g = &d->items[d->n++];
    memset(g, 0, sizeof *g);
    g->severity = sev;
    if (loc != NULL)
        g->loc = *loc;
    g->span = span == 0 ? 1 : span;
    sc_buf b = SC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    g->message = sc_buf_detach(&b);
    if (sev == SC_ERROR)
        d->nerrors++;
}

static const char *severity_name(sc_severity s)
{
    switch (s) {
    case SC_ERROR: return "error";
    case SC_WARNING: return "warning";
    default: return "note";
    }
}

/* Finds line `line` (1-based) of `text`; returns its start and length. */
static const char *find_line(const char *text, size_t len, uint32_t line, size_t *linelen)
{
    const char *p = text, *end = text + len;
    for (uint32_t l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            return NULL;
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *linelen = (size_t)((nl != NULL ? nl : end) - p);
    if (*linelen > 0 && p[*linelen - 1] == '\r')
        (*linelen)--;
    return p;
}

/* Writes a source line, replacing control characters so the caret lines up. */
static void put_source_line(FILE *out, const char *line, size_t len, size_t max)
{
    for (size_t i = 0; i < len && i < max; i++) {
        unsigned char c = (unsigned char)line[i];
        fputc(c == '\t' ? '\t' : (c < 0x20 || c == 0x7f) ? ' ' : c, out);
    }
    if (len > max)
        fputs(" ...", out);
}

/* A diagnostic and the notes that follow it, ordered by where it points. */
typedef struct group {
    size_t first, count;
} group;

static const sc_diags *sort_diags;

static int cmp_group(const void *a, const void *b)
{
    const sc_loc *x = &sort_diags->items[((const group *)a)->first].loc;
    const sc_loc *y = &sort_diags->items[((const group *)b)->first].loc;
    int c = strcmp(x->file != NULL ? x->file : "", y->file != NULL ? y->file : "");
    if (c != 0)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    /* keep insertion order otherwise */
    return ((const group *)a)->first < ((const group *)b)->first ? -1 : 1;
}

static void render_one(const sc_diag *g, FILE *out, sc_text_lookup lookup, void *ctx);

void sc_diags_render(const sc_diags *d, FILE *out, sc_text_lookup lookup, void *ctx)
{
    group *groups = sc_xmalloc((d->n == 0 ? 1 : d->n) * sizeof *groups);
    size_t ng = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (d->items[i].severity == SC_NOTE && ng > 0)
            groups[ng - 1].count++;
        else
            groups[ng++] = (group){i, 1};
    }
    sort_diags = d;
    qsort(groups, ng, sizeof *groups, cmp_group);
    for (size_t i = 0; i < ng; i++)
        for (size_t k = 0; k < groups[i].count; k++)
            render_one(&d->items[groups[i].first + k], out, lookup, ctx);
    free(groups);
}

static void render_one(const sc_diag *g, FILE *out, sc_text_lookup lookup, void *ctx)
{
    {
        if (g->loc.file == NULL) {
            fprintf(out, "schemac: %s: %s\n", severity_name(g->severity), g->message);
            return;
        }
        if (g->loc.line == 0) {
            fprintf(out, "%s: %s: %s\n", g->loc.file, severity_name(g->severity), g->message);
            return;
        }
        fprintf(out, "%s:%u:%u: %s: %s\n", g->loc.file, g->loc.line, g->loc.col,
                severity_name(g->severity), g->message);
        size_t len = 0, linelen = 0;
        const char *text = lookup != NULL ? lookup(ctx, g->loc.file, &len) : NULL;
        const char *line = text != NULL ? find_line(text, len, g->loc.line, &linelen) : NULL;
        if (line == NULL)
            return;
        /* Very long lines (minified or garbage input) are cut. */
        const size_t max = 400;
        fprintf(out, "%5u | ", g->loc.line);
        put_source_line(out, line, linelen, max);
        fputc('\n', out);
        fputs("      | ", out);
        /* Pad to the column, copying tabs so the caret lines up. */
        uint32_t col = 1;
        for (size_t k = 0; k < linelen && col < g->loc.col && k < max; k++) {
            if (((unsigned char)line[k] & 0xC0) == 0x80)
                continue;
            fputc(line[k] == '\t' ? '\t' : ' ', out);
            col++;
        }
        fputc('^', out);
        for (uint32_t k = 1; k < g->span && k < 200; k++)
            fputc('~', out);
        fputc('\n', out);
    }
}
