/* Canonical and file-mode printing of a model (see print.h). */
#include "print.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "naming.h"
#include "strmap.h"
#include "util.h"

/* Lines longer than this wrap before an attribute. */
#define MAX_WIDTH 100

typedef struct printer {
    sc_buf *out;
    const sc_model *m;
    bool canonical;
    sc_arena *tmp; /* default names computed while printing */
    sc_print_span *spans; /* where tables land (sc_print_canonical_spans), or NULL */
    size_t nspans;
    size_t base; /* out->len when printing began */
} printer;

/* ------------------------------------------------------------ ordering */

static int cmp_null_str(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int cmp_schema(const void *a, const void *b)
{
    return strcmp((*(sc_schema *const *)a)->name, (*(sc_schema *const *)b)->name);
}

static int cmp_extension(const void *a, const void *b)
{
    return strcmp((*(sc_extension *const *)a)->name, (*(sc_extension *const *)b)->name);
}

static int cmp_collation(const void *a, const void *b)
{
    const sc_collation *x = *(sc_collation *const *)a, *y = *(sc_collation *const *)b;
    int c = cmp_null_str(x->schema, y->schema);
    return c != 0 ? c : strcmp(x->name, y->name);
}

static int cmp_enum(const void *a, const void *b)
{
    const sc_enum *x = *(sc_enum *const *)a, *y = *(sc_enum *const *)b;
    int c = cmp_null_str(x->schema, y->schema);
    return c != 0 ? c : strcmp(x->name, y->name);
}

static int cmp_sequence(const void *a, const void *b)
{
    const sc_sequence *x = *(sc_sequence *const *)a, *y = *(sc_sequence *const *)b;
    int c = cmp_null_str(x->schema, y->schema);
    return c != 0 ? c : strcmp(x->name, y->name);
}

static int cmp_table(const void *a, const void *b)
{
    const sc_table *x = *(sc_table *const *)a, *y = *(sc_table *const *)b;
    int c = cmp_null_str(x->schema, y->schema);
    return c != 0 ? c : strcmp(x->name, y->name);
}

static int cmp_column(const void *a, const void *b)
{
    return strcmp((*(sc_column *const *)a)->name, (*(sc_column *const *)b)->name);
}

static int cmp_constraint_name(const void *a, const void *b)
{
    const sc_constraint *x = *(sc_constraint *const *)a, *y = *(sc_constraint *const *)b;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return cmp_null_str(x->name, y->name);
}

static int cmp_constraint_ord(const void *a, const void *b)
{
    const sc_constraint *x = *(sc_constraint *const *)a, *y = *(sc_constraint *const *)b;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static int cmp_index_name(const void *a, const void *b)
{
    return cmp_null_str((*(sc_index *const *)a)->name, (*(sc_index *const *)b)->name);
}

static int cmp_index_ord(const void *a, const void *b)
{
    const sc_index *x = *(sc_index *const *)a, *y = *(sc_index *const *)b;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* A malloc'd copy of a pointer array, sorted when `cmp` is given. */
static void *sorted_copy(void *const *items, size_t n, int (*cmp)(const void *, const void *))
{
    void **copy = sc_xmalloc((n == 0 ? 1 : n) * sizeof *copy);
    if (n > 0)
        memcpy(copy, items, n * sizeof *copy);
    if (cmp != NULL && n > 1)
        qsort(copy, n, sizeof *copy, cmp);
    return copy;
}

/* -------------------------------------------------------------- pieces */

static void put_lead(printer *p, const sc_trivia *t, size_t indent)
{
    if (p->canonical)
        return;
    for (size_t i = 0; i < t->nlead; i++) {
        sc_buf_pad(p->out, indent);
        sc_buf_puts(p->out, t->lead[i]);
        sc_buf_putc(p->out, '\n');
    }
    if (t->nlead > 0 && t->blank_after_lead)
        sc_buf_putc(p->out, '\n');
}

static void put_trail(printer *p, const sc_trivia *t)
{
    if (!p->canonical && t->trail != NULL) {
        sc_buf_putc(p->out, ' ');
        sc_buf_puts(p->out, t->trail);
    }
}

static void put_name_list(sc_buf *b, char *const *names, size_t n)
{
    sc_buf_putc(b, '(');
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            sc_buf_puts(b, ", ");
        sc_ident_append(b, names[i]);
    }
    sc_buf_putc(b, ')');
}

static const char *action_text(char action)
{
    switch (action) {
    case SC_FK_RESTRICT: return "restrict";
    case SC_FK_CASCADE: return "cascade";
    case SC_FK_SET_NULL: return "set null";
    case SC_FK_SET_DEFAULT: return "set default";
    default: return "no action";
    }
}

/* ` deferrable [initially deferred]`, when the constraint is deferrable. */
static void put_deferrable(sc_buf *b, const sc_constraint *c)
{
    if (c->deferrable)
        sc_buf_puts(b, c->initially_deferred ? " deferrable initially deferred" : " deferrable");
}

/* The `references ...` part of a foreign key, shared by both placements. */
static void put_references(sc_buf *b, const sc_constraint *c)
{
    sc_buf_puts(b, "references ");
    sc_ident_append_qualified(b, c->ref_schema, c->ref_table);
    if (c->nref_columns > 0) {
        sc_buf_putc(b, ' ');
        put_name_list(b, c->ref_columns, c->nref_columns);
    }
    if (c->match == SC_MATCH_FULL)
        sc_buf_puts(b, " match full");
    else if (c->match == SC_MATCH_PARTIAL)
        sc_buf_puts(b, " match partial");
    if (c->on_delete != SC_FK_NO_ACTION) {
        sc_buf_puts(b, " on delete ");
        sc_buf_puts(b, action_text(c->on_delete));
        if (c->ndelete_columns > 0) {
            sc_buf_putc(b, ' ');
            put_name_list(b, c->delete_columns, c->ndelete_columns);
        }
    }
    if (c->on_update != SC_FK_NO_ACTION)
        sc_buf_printf(b, " on update %s", action_text(c->on_update));
    put_deferrable(b, c);
    if (c->not_valid)
        sc_buf_puts(b, " not valid");
}

static void put_constraint_name(printer *p, sc_buf *b, const sc_table *t, const sc_constraint *c)
{
    if (c->name == NULL)
        return;
    const char *def = sc_constraint_default_name(p->tmp, t, c);
    if (strcmp(def, c->name) == 0)
        return;
    sc_buf_puts(b, "constraint ");
    sc_ident_append(b, c->name);
    sc_buf_putc(b, ' ');
}

/* A constraint's body as written on its column: `primary key`, `references t (c)`, ... */
static void put_constraint_body(sc_buf *b, const sc_constraint *c)
{
    switch (c->kind) {
    case SC_CON_PRIMARY:
        sc_buf_puts(b, "primary key");
        put_deferrable(b, c);
        break;
    case SC_CON_UNIQUE:
        sc_buf_puts(b, c->nulls_not_distinct ? "unique nulls not distinct" : "unique");
        put_deferrable(b, c);
        break;
    case SC_CON_FOREIGN:
        put_references(b, c);
        break;
    case SC_CON_CHECK:
        sc_buf_puts(b, "check (");
        sc_buf_puts(b, c->expr);
        sc_buf_putc(b, ')');
        if (c->no_inherit)
            sc_buf_puts(b, " no inherit");
        if (c->not_valid)
            sc_buf_puts(b, " not valid");
        break;
    }
}

static void put_inline_constraint(printer *p, sc_buf *b, const sc_table *t, const sc_constraint *c)
{
    put_constraint_name(p, b, t, c);
    put_constraint_body(b, c);
}

static void put_table_constraint(printer *p, sc_buf *b, const sc_table *t, const sc_constraint *c)
{
    put_constraint_name(p, b, t, c);
    switch (c->kind) {
    case SC_CON_PRIMARY:
    case SC_CON_UNIQUE:
        sc_buf_puts(b, c->kind == SC_CON_PRIMARY ? "primary key " : "unique ");
        if (c->nulls_not_distinct)
            sc_buf_puts(b, "nulls not distinct ");
        put_name_list(b, c->columns, c->ncolumns);
        if (c->ninclude > 0) {
            sc_buf_puts(b, " include ");
            put_name_list(b, c->include, c->ninclude);
        }
        put_deferrable(b, c);
        break;
    case SC_CON_FOREIGN:
        sc_buf_puts(b, "foreign key ");
        put_name_list(b, c->columns, c->ncolumns);
        sc_buf_putc(b, ' ');
        put_references(b, c);
        break;
    case SC_CON_CHECK:
        put_constraint_body(b, c);
        break;
    }
    if (c->comment != NULL) {
        sc_buf_puts(b, " comment ");
        sc_string_append(b, c->comment);
    }
}

static void put_index(printer *p, sc_buf *b, const sc_table *t, const sc_index *x)
{
    if (x->unique)
        sc_buf_puts(b, "unique ");
    sc_buf_puts(b, "index ");
    if (x->name != NULL && strcmp(x->name, sc_index_default_name(p->tmp, t, x)) != 0) {
        sc_ident_append(b, x->name);
        sc_buf_putc(b, ' ');
    }
    sc_buf_putc(b, '(');
    for (size_t i = 0; i < x->nkeys; i++) {
        const sc_index_key *k = &x->keys[i];
        if (i > 0)
            sc_buf_puts(b, ", ");
        if (k->column != NULL)
            sc_ident_append(b, k->column);
        else
            sc_buf_puts(b, k->expr);
        if (k->collation != NULL) {
            sc_buf_puts(b, " collate ");
            sc_ident_append_qualified(b, k->collation_schema, k->collation);
        }
        if (k->opclass != NULL) {
            sc_buf_putc(b, ' ');
            sc_ident_append_qualified(b, k->opclass_schema, k->opclass);
        }
        if (k->desc)
            sc_buf_puts(b, " desc");
        /* Default: nulls last ascending, nulls first descending. */
        if (k->nulls == 'f' && !k->desc)
            sc_buf_puts(b, " nulls first");
        else if (k->nulls == 'l' && k->desc)
            sc_buf_puts(b, " nulls last");
    }
    sc_buf_putc(b, ')');
    if (x->method != NULL && strcmp(x->method, "btree") != 0) {
        sc_buf_puts(b, " using ");
        sc_ident_append(b, x->method);
    }
    if (x->ninclude > 0) {
        sc_buf_puts(b, " include ");
        put_name_list(b, x->include, x->ninclude);
    }
    if (x->nulls_not_distinct)
        sc_buf_puts(b, " nulls not distinct");
    if (x->where != NULL) {
        sc_buf_puts(b, " where ");
        sc_buf_puts(b, x->where);
    }
    if (x->comment != NULL) {
        sc_buf_puts(b, " comment ");
        sc_string_append(b, x->comment);
    }
}

void sc_print_column_type(sc_buf *out, const sc_column *c)
{
    switch (c->serial) {
    case 2: sc_buf_puts(out, "smallserial"); return;
    case 4: sc_buf_puts(out, "serial"); return;
    case 8: sc_buf_puts(out, "bigserial"); return;
    default: sc_buf_puts(out, c->type);
    }
}

static void put_seqopts(sc_buf *b, const sc_seqopts *o)
{
    sc_buf b2 = SC_BUF_INIT;
    if (o->has_start)
        sc_buf_printf(&b2, " start with %" PRId64, o->start);
    if (o->has_increment)
        sc_buf_printf(&b2, " increment by %" PRId64, o->increment);
    if (o->has_min)
        sc_buf_printf(&b2, " minvalue %" PRId64, o->min);
    if (o->has_max)
        sc_buf_printf(&b2, " maxvalue %" PRId64, o->max);
    if (o->has_cache)
        sc_buf_printf(&b2, " cache %" PRId64, o->cache);
    if (o->has_cycle)
        sc_buf_puts(&b2, o->cycle ? " cycle" : " no cycle");
    if (b2.len > 0)
        sc_buf_printf(b, " (%s)", sc_buf_str(&b2) + 1);
    sc_buf_free(&b2);
}

/* ------------------------------------------------------------- tables */

/* The constraints of one column that are written on the column. */
typedef struct inline_set {
    sc_constraint *pk, *unique, *fk, *check;
} inline_set;

typedef struct attr {
    char *text;
    bool sticky; /* never begins a continuation line */
} attr;

static void add_attr(attr **attrs, size_t *n, size_t *cap, sc_buf *b, bool sticky)
{
    if (*n == *cap) {
        *cap = *cap == 0 ? 8 : *cap * 2;
        *attrs = sc_xrealloc(*attrs, *cap * sizeof **attrs);
    }
    (*attrs)[*n].text = sc_buf_detach(b);
    (*attrs)[*n].sticky = sticky;
    (*n)++;
}

static void put_column(printer *p, const sc_table *t, const sc_column *c, const inline_set *in,
                       const char *name, const char *type, size_t wname, size_t wtype)
{
    sc_buf *out = p->out;
    attr *attrs = NULL;
    size_t nattrs = 0, cap = 0;
    sc_buf b = SC_BUF_INIT;
    bool implied_not_null = in->pk != NULL || c->identity != 0 || c->serial != 0;

    if (c->not_null && !implied_not_null) {
        sc_buf_puts(&b, "not null");
        add_attr(&attrs, &nattrs, &cap, &b, false);
    }
    if (c->default_expr != NULL && c->serial == 0) {
        sc_buf_puts(&b, "default ");
        sc_buf_puts(&b, c->default_expr);
        add_attr(&attrs, &nattrs, &cap, &b, false);
    }
    const sc_constraint *cons[] = {in->pk, in->unique, in->fk, in->check};
    for (size_t i = 0; i < SC_ARRAY_LEN(cons); i++) {
        if (cons[i] == NULL)
            continue;
        put_inline_constraint(p, &b, t, cons[i]);
        add_attr(&attrs, &nattrs, &cap, &b, false);
    }
    if (c->identity != 0) {
        sc_buf_puts(&b, c->identity == 'a' ? "generated always as identity"
                                           : "generated by default as identity");
        put_seqopts(&b, &c->idopts);
        add_attr(&attrs, &nattrs, &cap, &b, false);
    }
    if (c->generated_expr != NULL) {
        sc_buf_printf(&b, "generated always as (%s) stored", c->generated_expr);
        add_attr(&attrs, &nattrs, &cap, &b, false);
    }
    if (c->collation != NULL) {
        sc_buf_puts(&b, "collate ");
        sc_ident_append_qualified(&b, c->collation_schema, c->collation);
        add_attr(&attrs, &nattrs, &cap, &b, false);
    }
    if (c->renamed_from != NULL && !p->canonical) {
        sc_buf_puts(&b, "renamed from ");
        sc_ident_append(&b, c->renamed_from);
        add_attr(&attrs, &nattrs, &cap, &b, false);
    }
    if (c->comment != NULL) {
        /* A line beginning with `comment` is the table's comment, so the
         * column's comment never starts a continuation line. */
        sc_buf_puts(&b, "comment ");
        sc_string_append(&b, c->comment);
        add_attr(&attrs, &nattrs, &cap, &b, true);
    }

    put_lead(p, &c->trivia, 2);
    size_t line_start = out->len;
    sc_buf_pad(out, 2);
    sc_buf_puts(out, name);
    sc_buf_pad(out, wname - sc_utf8_width(name, strlen(name)) + 1);
    sc_buf_puts(out, type);
    size_t attr_col = 2 + wname + 1 + wtype + 1;
    if (nattrs > 0)
        sc_buf_pad(out, wtype - sc_utf8_width(type, strlen(type)) + 1);
    for (size_t i = 0; i < nattrs; i++) {
        size_t len = sc_utf8_width(attrs[i].text, strlen(attrs[i].text));
        size_t cur = sc_utf8_width(out->data + line_start, out->len - line_start);
        bool first_on_line = cur == attr_col;
        if (!first_on_line && cur + 1 + len > MAX_WIDTH && !attrs[i].sticky) {
            sc_buf_putc(out, '\n');
            line_start = out->len;
            sc_buf_pad(out, attr_col);
        } else if (!first_on_line) {
            sc_buf_putc(out, ' ');
        }
        sc_buf_puts(out, attrs[i].text);
        free(attrs[i].text);
    }
    free(attrs);
    sc_buf_free(&b);
    put_trail(p, &c->trivia);
    sc_buf_putc(out, '\n');
}

static void put_table(printer *p, const sc_table *t)
{
    sc_buf *out = p->out;
    size_t nc = t->ncolumns;

    put_lead(p, &t->trivia, 0);
    sc_buf_puts(out, "table ");
    sc_ident_append_qualified(out, t->schema, t->name);
    if (t->renamed_from != NULL && !p->canonical) {
        sc_buf_puts(out, " renamed from ");
        sc_ident_append(out, t->renamed_from);
    }
    sc_buf_puts(out, " {");
    put_trail(p, &t->trivia);
    sc_buf_putc(out, '\n');

    sc_column **cols = sorted_copy((void *const *)t->columns, nc, p->canonical ? cmp_column : NULL);
    sc_constraint **cons = sorted_copy((void *const *)t->constraints, t->nconstraints,
                                       p->canonical ? cmp_constraint_name : cmp_constraint_ord);
    sc_index **idx = sorted_copy((void *const *)t->indexes, t->nindexes,
                                 p->canonical ? cmp_index_name : cmp_index_ord);

    /* Decide which constraints are written on their column. */
    sc_strmap bycol = SC_STRMAP_INIT;
    inline_set *in = sc_xcalloc(nc == 0 ? 1 : nc, sizeof *in);
    size_t *colidx = sc_xmalloc((nc == 0 ? 1 : nc) * sizeof *colidx);
    for (size_t i = 0; i < nc; i++) {
        colidx[i] = i;
        sc_strmap_put(&bycol, cols[i]->name, &colidx[i]);
    }
    bool *is_inline = sc_xcalloc(t->nconstraints == 0 ? 1 : t->nconstraints, sizeof *is_inline);
    for (size_t i = 0; i < t->nconstraints; i++) {
        sc_constraint *c = cons[i];
        /* On its column, a constraint's comment would read as the column's. */
        if (c->ncolumns != 1 || c->ninclude > 0 || c->comment != NULL)
            continue;
        size_t *ci = sc_strmap_get(&bycol, c->columns[0]);
        if (ci == NULL)
            continue;
        sc_constraint **slot = c->kind == SC_CON_PRIMARY  ? &in[*ci].pk
                               : c->kind == SC_CON_UNIQUE ? &in[*ci].unique
                               : c->kind == SC_CON_FOREIGN ? &in[*ci].fk
                                                           : &in[*ci].check;
        if (*slot == NULL) {
            *slot = c;
            is_inline[i] = true;
        }
    }

    /* Column layout. */
    char **names = sc_xmalloc((nc == 0 ? 1 : nc) * sizeof *names);
    char **types = sc_xmalloc((nc == 0 ? 1 : nc) * sizeof *types);
    size_t wname = 0, wtype = 0;
    for (size_t i = 0; i < nc; i++) {
        sc_buf b = SC_BUF_INIT;
        sc_ident_append(&b, cols[i]->name);
        names[i] = sc_buf_detach(&b);
        sc_print_column_type(&b, cols[i]);
        types[i] = sc_buf_detach(&b);
        size_t wn = sc_utf8_width(names[i], strlen(names[i]));
        size_t wt = sc_utf8_width(types[i], strlen(types[i]));
        if (wn > wname)
            wname = wn;
        if (wt > wtype)
            wtype = wt;
    }
    for (size_t i = 0; i < nc; i++) {
        put_column(p, t, cols[i], &in[i], names[i], types[i], wname, wtype);
        free(names[i]);
        free(types[i]);
    }
    free(names);
    free(types);

    if (t->comment != NULL) {
        put_lead(p, &t->comment_trivia, 2);
        sc_buf_puts(out, "  comment ");
        sc_string_append(out, t->comment);
        put_trail(p, &t->comment_trivia);
        sc_buf_putc(out, '\n');
    }

    bool blank = nc > 0 || t->comment != NULL;
    for (size_t i = 0; i < t->nconstraints; i++) {
        if (is_inline[i])
            continue;
        if (blank) {
            sc_buf_putc(out, '\n');
            blank = false;
        }
        put_lead(p, &cons[i]->trivia, 2);
        sc_buf_pad(out, 2);
        put_table_constraint(p, out, t, cons[i]);
        put_trail(p, &cons[i]->trivia);
        sc_buf_putc(out, '\n');
    }
    for (size_t i = 0; i < t->nindexes; i++) {
        if (blank) {
            sc_buf_putc(out, '\n');
            blank = false;
        }
        put_lead(p, &idx[i]->trivia, 2);
        sc_buf_pad(out, 2);
        put_index(p, out, t, idx[i]);
        put_trail(p, &idx[i]->trivia);
        sc_buf_putc(out, '\n');
    }
    put_lead(p, &t->footer, 2);
    sc_buf_puts(out, "}\n");

    sc_strmap_free(&bycol);
    free(in);
    free(colidx);
    free(is_inline);
    free(cols);
    free(cons);
    free(idx);
}

/* ------------------------------------------------------- declarations */

static void put_comment_clause(sc_buf *b, const char *comment)
{
    if (comment != NULL) {
        sc_buf_puts(b, " comment ");
        sc_string_append(b, comment);
    }
}

static void put_schema(printer *p, const sc_schema *s)
{
    put_lead(p, &s->trivia, 0);
    sc_buf_puts(p->out, "schema ");
    sc_ident_append(p->out, s->name);
    put_comment_clause(p->out, s->comment);
    put_trail(p, &s->trivia);
    sc_buf_putc(p->out, '\n');
}

static void put_extension(printer *p, const sc_extension *e)
{
    put_lead(p, &e->trivia, 0);
    sc_buf_puts(p->out, "extension ");
    sc_ident_append(p->out, e->name);
    if (e->schema != NULL) {
        sc_buf_puts(p->out, " with schema ");
        sc_ident_append(p->out, e->schema);
    }
    if (e->version != NULL) {
        sc_buf_puts(p->out, " version ");
        sc_string_append(p->out, e->version);
    }
    put_comment_clause(p->out, e->comment);
    put_trail(p, &e->trivia);
    sc_buf_putc(p->out, '\n');
}

/*
 * A collation: `collation name (provider = icu, locale = '...',
 * deterministic = false)`, leaving out what is the default (the libc
 * provider, deterministic).  lc_collate and lc_ctype are written only when
 * they differ; equal ones are the locale, and so is the lc_collate of an
 * icu collation, so that every producer's model prints one way.
 */
static void put_collation(printer *p, const sc_collation *k)
{
    sc_buf *out = p->out;
    put_lead(p, &k->trivia, 0);
    sc_buf_puts(out, "collation ");
    sc_ident_append_qualified(out, k->schema, k->name);
    const char *locale = k->locale;
    bool split = false;
    if (locale == NULL && k->lc_collate != NULL) {
        if (k->provider == SC_COLL_ICU ||
            (k->lc_ctype != NULL && strcmp(k->lc_collate, k->lc_ctype) == 0))
            locale = k->lc_collate;
        else
            split = true;
    }
    const char *sep = " (";
    if (k->provider == SC_COLL_ICU) {
        sc_buf_puts(out, " (provider = icu");
        sep = ", ";
    }
    if (locale != NULL) {
        sc_buf_printf(out, "%slocale = ", sep);
        sc_string_append(out, locale);
        sep = ", ";
    } else if (split) {
        sc_buf_printf(out, "%slc_collate = ", sep);
        sc_string_append(out, k->lc_collate);
        sc_buf_puts(out, ", lc_ctype = ");
        sc_string_append(out, k->lc_ctype != NULL ? k->lc_ctype : "");
        sep = ", ";
    }
    if (k->nondeterministic) {
        sc_buf_printf(out, "%sdeterministic = false", sep);
        sep = ", ";
    }
    sc_buf_puts(out, strcmp(sep, " (") == 0 ? " ()" : ")");
    put_comment_clause(out, k->comment);
    put_trail(p, &k->trivia);
    sc_buf_putc(out, '\n');
}

/* Returns true when the enum was printed on more than one line. */
static bool put_enum(printer *p, const sc_enum *e)
{
    sc_buf head = SC_BUF_INIT;
    sc_buf_puts(&head, "enum ");
    sc_ident_append_qualified(&head, e->schema, e->name);
    if (e->renamed_from != NULL && !p->canonical) {
        sc_buf_puts(&head, " renamed from ");
        sc_ident_append(&head, e->renamed_from);
    }
    sc_buf_puts(&head, " (");

    sc_buf labels = SC_BUF_INIT;
    for (size_t i = 0; i < e->nlabels; i++) {
        if (i > 0)
            sc_buf_puts(&labels, ", ");
        sc_string_append(&labels, e->labels[i].value);
        if (e->labels[i].renamed_from != NULL && !p->canonical) {
            sc_buf_puts(&labels, " renamed from ");
            sc_string_append(&labels, e->labels[i].renamed_from);
        }
    }
    sc_buf tail = SC_BUF_INIT;
    sc_buf_putc(&tail, ')');
    put_comment_clause(&tail, e->comment);

    put_lead(p, &e->trivia, 0);
    bool multi = head.len + labels.len + tail.len > MAX_WIDTH || memchr(sc_buf_str(&labels), '\n', labels.len);
    sc_buf_append(p->out, head.data, head.len);
    if (!multi) {
        sc_buf_append(p->out, sc_buf_str(&labels), labels.len);
    } else {
        sc_buf_putc(p->out, '\n');
        for (size_t i = 0; i < e->nlabels; i++) {
            sc_buf_pad(p->out, 2);
            sc_string_append(p->out, e->labels[i].value);
            if (e->labels[i].renamed_from != NULL && !p->canonical) {
                sc_buf_puts(p->out, " renamed from ");
                sc_string_append(p->out, e->labels[i].renamed_from);
            }
            sc_buf_puts(p->out, i + 1 < e->nlabels ? ",\n" : "\n");
        }
    }
    sc_buf_append(p->out, tail.data, tail.len);
    put_trail(p, &e->trivia);
    sc_buf_putc(p->out, '\n');
    sc_buf_free(&head);
    sc_buf_free(&labels);
    sc_buf_free(&tail);
    return multi;
}

/*
 * A sequence: `sequence name [as type]`, then the options that differ
 * from PostgreSQL's defaults in a fixed order (increment by, minvalue,
 * maxvalue, start with, cache, cycle), `owned by table.column` and the
 * comment.  One line if it fits in MAX_WIDTH; otherwise the options
 * continue on lines indented by two spaces, each line filled as far as it
 * fits.  Returns true when it took more than one line.
 */
static bool put_sequence(printer *p, const sc_sequence *q)
{
    sc_buf *out = p->out;
    char *opts[9];
    size_t n = 0;
    sc_buf b = SC_BUF_INIT;
    const sc_seqopts *o = &q->opts;
    if (o->has_increment) {
        sc_buf_printf(&b, "increment by %" PRId64, o->increment);
        opts[n++] = sc_buf_detach(&b);
    }
    if (o->has_min) {
        sc_buf_printf(&b, "minvalue %" PRId64, o->min);
        opts[n++] = sc_buf_detach(&b);
    }
    if (o->has_max) {
        sc_buf_printf(&b, "maxvalue %" PRId64, o->max);
        opts[n++] = sc_buf_detach(&b);
    }
    if (o->has_start) {
        sc_buf_printf(&b, "start with %" PRId64, o->start);
        opts[n++] = sc_buf_detach(&b);
    }
    if (o->has_cache) {
        sc_buf_printf(&b, "cache %" PRId64, o->cache);
        opts[n++] = sc_buf_detach(&b);
    }
    if (o->has_cycle) {
        sc_buf_puts(&b, o->cycle ? "cycle" : "no cycle");
        opts[n++] = sc_buf_detach(&b);
    }
    if (q->owned_table != NULL) {
        sc_buf_puts(&b, "owned by ");
        sc_ident_append(&b, q->owned_table);
        sc_buf_putc(&b, '.');
        sc_ident_append(&b, q->owned_column);
        opts[n++] = sc_buf_detach(&b);
    }
    if (q->comment != NULL) {
        sc_buf_puts(&b, "comment ");
        sc_string_append(&b, q->comment);
        opts[n++] = sc_buf_detach(&b);
    }
    sc_buf_free(&b);

    put_lead(p, &q->trivia, 0);
    size_t line_start = out->len;
    sc_buf_puts(out, "sequence ");
    sc_ident_append_qualified(out, q->schema, q->name);
    if (q->type != NULL && strcmp(q->type, "bigint") != 0) {
        sc_buf_puts(out, " as ");
        sc_buf_puts(out, q->type);
    }
    bool multi = false;
    for (size_t i = 0; i < n; i++) {
        size_t len = sc_utf8_width(opts[i], strlen(opts[i]));
        size_t cur = sc_utf8_width(out->data + line_start, out->len - line_start);
        if (cur > 2 && cur + 1 + len > MAX_WIDTH) {
            sc_buf_putc(out, '\n');
            line_start = out->len;
            sc_buf_pad(out, 2);
            multi = true;
        } else {
            sc_buf_putc(out, ' ');
        }
        sc_buf_puts(out, opts[i]);
        free(opts[i]);
    }
    put_trail(p, &q->trivia);
    sc_buf_putc(out, '\n');
    return multi;
}

/* Kinds of top-level declarations, in the order canonical text lists them. */
enum decl_kind {
    DECL_SCHEMA,
    DECL_EXTENSION,
    DECL_COLLATION,
    DECL_ENUM,
    DECL_SEQUENCE,
    DECL_TABLE,
};

/* One top-level declaration, for ordering in file mode. */
typedef struct decl {
    enum decl_kind kind;
    uint32_t ord;
    const void *obj;
} decl;

static int cmp_decl(const void *a, const void *b)
{
    const decl *x = a, *y = b;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static const sc_trivia *decl_trivia(const decl *d)
{
    switch (d->kind) {
    case DECL_SCHEMA: return &((const sc_schema *)d->obj)->trivia;
    case DECL_EXTENSION: return &((const sc_extension *)d->obj)->trivia;
    case DECL_COLLATION: return &((const sc_collation *)d->obj)->trivia;
    case DECL_ENUM: return &((const sc_enum *)d->obj)->trivia;
    case DECL_SEQUENCE: return &((const sc_sequence *)d->obj)->trivia;
    case DECL_TABLE: break;
    }
    return &((const sc_table *)d->obj)->trivia;
}

/*
 * Declarations with blank lines between them: before every table, before
 * a declaration of another kind than the one above, after one written on
 * several lines, and (in file mode) before one with comment lines above.
 */
static void put_decls(printer *p, decl *d, size_t n)
{
    int prev_kind = -1;
    bool prev_multi = false;
    for (size_t i = 0; i < n; i++) {
        bool lead = !p->canonical && decl_trivia(&d[i])->nlead > 0;
        if (i > 0 && ((int)d[i].kind != prev_kind || d[i].kind == DECL_TABLE || prev_multi || lead))
            sc_buf_putc(p->out, '\n');
        prev_multi = false;
        switch (d[i].kind) {
        case DECL_SCHEMA: put_schema(p, d[i].obj); break;
        case DECL_EXTENSION: put_extension(p, d[i].obj); break;
        case DECL_COLLATION: put_collation(p, d[i].obj); break;
        case DECL_ENUM: prev_multi = put_enum(p, d[i].obj); break;
        case DECL_SEQUENCE: prev_multi = put_sequence(p, d[i].obj); break;
        case DECL_TABLE:
            if (p->spans != NULL)
                p->spans[p->nspans] = (sc_print_span){d[i].obj, p->out->len - p->base, 0};
            put_table(p, d[i].obj);
            if (p->spans != NULL) {
                sc_print_span *sp = &p->spans[p->nspans++];
                sp->len = p->out->len - p->base - sp->offset;
            }
            break;
        }
        prev_kind = (int)d[i].kind;
    }
}

static size_t collect(const sc_model *m, const char *file, decl *d)
{
    size_t n = 0;
#define COLLECT(arr, count, k)                                                                  \
    for (size_t i = 0; i < m->count; i++)                                                       \
        if (file == NULL || (m->arr[i]->loc.file != NULL && strcmp(m->arr[i]->loc.file, file) == 0)) \
            d[n++] = (decl){k, m->arr[i]->ord, m->arr[i]};
    COLLECT(schemas, nschemas, DECL_SCHEMA)
    COLLECT(extensions, nextensions, DECL_EXTENSION)
    COLLECT(collations, ncollations, DECL_COLLATION)
    COLLECT(enums, nenums, DECL_ENUM)
    COLLECT(sequences, nsequences, DECL_SEQUENCE)
    COLLECT(tables, ntables, DECL_TABLE)
#undef COLLECT
    return n;
}

void sc_print_canonical(sc_buf *out, const sc_model *m)
{
    sc_print_canonical_spans(out, m, NULL);
}

void sc_print_canonical_spans(sc_buf *out, const sc_model *m, sc_print_span *spans)
{
    printer p = {out, m, true, sc_arena_new(), spans, 0, out->len};
    size_t total = m->nschemas + m->nextensions + m->ncollations + m->nenums + m->nsequences +
                   m->ntables;
    decl *d = sc_xmalloc((total == 0 ? 1 : total) * sizeof *d);
    size_t n = 0;

    sc_schema **s = sorted_copy((void *const *)m->schemas, m->nschemas, cmp_schema);
    sc_extension **e = sorted_copy((void *const *)m->extensions, m->nextensions, cmp_extension);
    sc_collation **co = sorted_copy((void *const *)m->collations, m->ncollations, cmp_collation);
    sc_enum **en = sorted_copy((void *const *)m->enums, m->nenums, cmp_enum);
    sc_sequence **q = sorted_copy((void *const *)m->sequences, m->nsequences, cmp_sequence);
    sc_table **t = sorted_copy((void *const *)m->tables, m->ntables, cmp_table);
    for (size_t i = 0; i < m->nschemas; i++)
        d[n++] = (decl){DECL_SCHEMA, 0, s[i]};
    for (size_t i = 0; i < m->nextensions; i++)
        d[n++] = (decl){DECL_EXTENSION, 0, e[i]};
    for (size_t i = 0; i < m->ncollations; i++)
        d[n++] = (decl){DECL_COLLATION, 0, co[i]};
    for (size_t i = 0; i < m->nenums; i++)
        d[n++] = (decl){DECL_ENUM, 0, en[i]};
    for (size_t i = 0; i < m->nsequences; i++)
        d[n++] = (decl){DECL_SEQUENCE, 0, q[i]};
    for (size_t i = 0; i < m->ntables; i++)
        d[n++] = (decl){DECL_TABLE, 0, t[i]};
    put_decls(&p, d, n);

    free(s);
    free(e);
    free(co);
    free(en);
    free(q);
    free(t);
    free(d);
    sc_arena_free(p.tmp);
}

void sc_print_file(sc_buf *out, const sc_model *m, const char *file)
{
    printer p = {out, m, false, sc_arena_new(), NULL, 0, 0};
    size_t total = m->nschemas + m->nextensions + m->ncollations + m->nenums + m->nsequences +
                   m->ntables;
    decl *d = sc_xmalloc((total == 0 ? 1 : total) * sizeof *d);
    size_t n = collect(m, file, d);
    qsort(d, n, sizeof *d, cmp_decl);
    put_decls(&p, d, n);
    for (size_t i = 0; i < m->nfooters; i++) {
        const sc_file_footer *f = m->footers[i];
        if (strcmp(f->file, file) != 0 || f->trivia.nlead == 0)
            continue;
        if (n > 0)
            sc_buf_putc(out, '\n');
        put_lead(&p, &f->trivia, 0);
    }
    free(d);
    sc_arena_free(p.tmp);
}
