/*
 * The drift report (drift.h): the differences between a model read from a
 * live database and the schema it should have, one sentence each.
 *
 * How it works.  For each kind of object both models' lists are copied,
 * sorted by qualified name and walked side by side (a merge join), so every
 * name is visited once with the database's object, the schema's, or both;
 * the order of the report is the order of that walk, whatever order the
 * producers of the models used.  A visit with one side appends "missing in
 * the database" or "in the database, not in the schema"; a visit with both
 * compares the objects attribute by attribute and appends one item per
 * attribute that differs.  Constraints and indexes are compared as the
 * planner compares them: by the DDL text ddl.c writes for them without
 * their names, so every attribute ddl.c knows takes part.  Comments of a
 * table and of what it holds come after its columns, constraints and
 * indexes.
 */
#include "drift.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ddl.h"
#include "ident.h"
#include "print.h"
#include "util.h"

/* ------------------------------------------------------------- helpers */

static bool streq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

/* The schema part of a name as a sort key: "" for public (NULL or spelled). */
static const char *nsp_key(const char *schema)
{
    return schema == NULL || strcmp(schema, "public") == 0 ? "" : schema;
}

/* Appends an item whose object is `object` and whose message is printf'd. */
static void add(sc_drift *out, const sc_buf *object, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add(sc_drift *out, const sc_buf *object, const char *fmt, ...)
{
    if (out->n == out->cap) {
        out->cap = out->cap != 0 ? out->cap * 2 : 16;
        out->items = sc_xrealloc(out->items, out->cap * sizeof *out->items);
    }
    sc_buf msg = SC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sc_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    out->items[out->n].object = sc_xstrdup(sc_buf_str(object));
    out->items[out->n].message = sc_buf_detach(&msg);
    if (out->items[out->n].message == NULL)
        out->items[out->n].message = sc_xstrdup("");
    out->n++;
}

/* The two lines every kind shares. */
static void missing(sc_drift *out, const sc_buf *object)
{
    add(out, object, "missing in the database");
}

static void extra(sc_drift *out, const sc_buf *object)
{
    add(out, object, "in the database, not in the schema");
}

/* Appends "comment 'text'" or "no comment". */
static void put_comment(sc_buf *b, const char *comment)
{
    if (comment == NULL) {
        sc_buf_puts(b, "no comment");
    } else {
        sc_buf_puts(b, "comment ");
        sc_string_append(b, comment);
    }
}

/* Appends a comment difference on `object`, if any. */
static void compare_comment(sc_drift *out, const sc_buf *object, const char *db, const char *sc)
{
    if (streq(db, sc))
        return;
    sc_buf a = SC_BUF_INIT, b = SC_BUF_INIT;
    put_comment(&a, db);
    put_comment(&b, sc);
    add(out, object, "%s in the database, %s in the schema", sc_buf_str(&a), sc_buf_str(&b));
    sc_buf_free(&a);
    sc_buf_free(&b);
}

/* Appends a difference of two descriptions, if they differ. */
static void compare_words(sc_drift *out, const sc_buf *object, const char *db, const char *sc)
{
    if (strcmp(db, sc) != 0)
        add(out, object, "%s in the database, %s in the schema", db, sc);
}

/* Ordering of the objects of one kind, on pointers to elements. */
typedef int (*cmp_fn)(const void *, const void *);

/* Visits one name: `db`, `sc` or both are set; `t` is the schema's table
 * whose contents are visited (NULL for objects that are not in a table). */
typedef void (*visit_fn)(sc_drift *out, const sc_table *t, const void *db, const void *sc);

/* The merge join of the essay above: sorts copies of both lists with `cmp`
 * and calls `visit` once per name, in order. */
static void pair_up(sc_drift *out, const sc_table *t, void *const *dbv, size_t ndb,
                    void *const *scv, size_t nsc, cmp_fn cmp, visit_fn visit)
{
    void **a = sc_xmalloc((ndb + 1) * sizeof *a), **b = sc_xmalloc((nsc + 1) * sizeof *b);
    if (ndb > 0)
        memcpy(a, dbv, ndb * sizeof *a);
    if (nsc > 0)
        memcpy(b, scv, nsc * sizeof *b);
    qsort(a, ndb, sizeof *a, cmp);
    qsort(b, nsc, sizeof *b, cmp);
    size_t i = 0, j = 0;
    while (i < ndb || j < nsc) {
        int c = i >= ndb ? 1 : j >= nsc ? -1 : cmp(&a[i], &b[j]);
        if (c < 0) {
            visit(out, t, a[i++], NULL);
        } else if (c > 0) {
            visit(out, t, NULL, b[j++]);
        } else {
            visit(out, t, a[i], b[j]);
            i++;
            j++;
        }
    }
    free(a);
    free(b);
}

/* Orders by (schema, name), public first. */
static int cmp_qualified(const char *s1, const char *n1, const char *s2, const char *n2)
{
    int c = strcmp(nsp_key(s1), nsp_key(s2));
    return c != 0 ? c : strcmp(n1 != NULL ? n1 : "", n2 != NULL ? n2 : "");
}

/* `text` without `prefix` and without a trailing ";\n", in a new buffer
 * (`text` whole when it does not start with `prefix`). */
static char *strip(const char *text, const char *prefix)
{
    size_t lp = strlen(prefix);
    if (strncmp(text, prefix, lp) == 0)
        text += lp;
    size_t len = strlen(text);
    if (len >= 2 && strcmp(text + len - 2, ";\n") == 0)
        len -= 2;
    return sc_xstrndup(text, len);
}

/* ------------------------------------------------------------- schemas */

static int cmp_schema(const void *a, const void *b)
{
    return strcmp((*(sc_schema *const *)a)->name, (*(sc_schema *const *)b)->name);
}

static void visit_schema(sc_drift *out, const sc_table *t, const void *dbp, const void *scp)
{
    (void)t;
    const sc_schema *db = dbp, *sc = scp;
    sc_buf o = SC_BUF_INIT;
    sc_buf_puts(&o, "schema ");
    sc_ident_append(&o, (db != NULL ? db : sc)->name);
    if (db == NULL)
        missing(out, &o);
    else if (sc == NULL)
        extra(out, &o);
    else
        compare_comment(out, &o, db->comment, sc->comment);
    sc_buf_free(&o);
}

/* ---------------------------------------------------------- extensions */

static int cmp_extension(const void *a, const void *b)
{
    return strcmp((*(sc_extension *const *)a)->name, (*(sc_extension *const *)b)->name);
}

static void visit_extension(sc_drift *out, const sc_table *t, const void *dbp, const void *scp)
{
    (void)t;
    const sc_extension *db = dbp, *sc = scp;
    sc_buf o = SC_BUF_INIT;
    sc_buf_puts(&o, "extension ");
    sc_ident_append(&o, (db != NULL ? db : sc)->name);
    if (db == NULL) {
        missing(out, &o);
    } else if (sc == NULL) {
        extra(out, &o);
    } else {
        if (sc->version != NULL && !streq(db->version, sc->version))
            add(out, &o, "version %s in the database, version %s in the schema",
                db->version != NULL ? db->version : "unknown", sc->version);
        if (sc->schema != NULL && strcmp(nsp_key(db->schema), nsp_key(sc->schema)) != 0)
            add(out, &o, "in schema %s in the database, in schema %s in the schema",
                db->schema != NULL ? db->schema : "public", sc->schema);
        compare_comment(out, &o, db->comment, sc->comment);
    }
    sc_buf_free(&o);
}

/* ---------------------------------------------------------- collations */

static int cmp_collation(const void *a, const void *b)
{
    const sc_collation *x = *(sc_collation *const *)a, *y = *(sc_collation *const *)b;
    return cmp_qualified(x->schema, x->name, y->schema, y->name);
}

/* A collation's options as CREATE COLLATION writes them: "(provider = ...)". */
static char *collation_text(const sc_collation *k)
{
    sc_buf b = SC_BUF_INIT, prefix = SC_BUF_INIT;
    sc_ddl_create_collation(&b, k);
    sc_buf_puts(&prefix, "CREATE COLLATION ");
    sc_ddl_qualified(&prefix, k->schema, k->name);
    sc_buf_putc(&prefix, ' ');
    char *s = strip(sc_buf_str(&b), sc_buf_str(&prefix));
    sc_buf_free(&b);
    sc_buf_free(&prefix);
    return s;
}

static void visit_collation(sc_drift *out, const sc_table *t, const void *dbp, const void *scp)
{
    (void)t;
    const sc_collation *db = dbp, *sc = scp;
    sc_buf o = SC_BUF_INIT;
    sc_buf_puts(&o, "collation ");
    sc_ident_append_qualified(&o, (db != NULL ? db : sc)->schema, (db != NULL ? db : sc)->name);
    if (db == NULL) {
        missing(out, &o);
    } else if (sc == NULL) {
        extra(out, &o);
    } else {
        char *a = collation_text(db), *b = collation_text(sc);
        if (strcmp(a, b) != 0)
            add(out, &o, "differs: %s in the database, %s in the schema", a, b);
        free(a);
        free(b);
        compare_comment(out, &o, db->comment, sc->comment);
    }
    sc_buf_free(&o);
}

/* --------------------------------------------------------------- enums */

static int cmp_enum(const void *a, const void *b)
{
    const sc_enum *x = *(sc_enum *const *)a, *y = *(sc_enum *const *)b;
    return cmp_qualified(x->schema, x->name, y->schema, y->name);
}

/* Appends "('a', 'b')". */
static void put_labels(sc_buf *b, const sc_enum *e)
{
    sc_buf_putc(b, '(');
    for (size_t i = 0; i < e->nlabels; i++) {
        if (i > 0)
            sc_buf_puts(b, ", ");
        sc_string_append(b, e->labels[i].value);
    }
    sc_buf_putc(b, ')');
}

static void visit_enum(sc_drift *out, const sc_table *t, const void *dbp, const void *scp)
{
    (void)t;
    const sc_enum *db = dbp, *sc = scp;
    sc_buf o = SC_BUF_INIT;
    sc_buf_puts(&o, "enum ");
    sc_ident_append_qualified(&o, (db != NULL ? db : sc)->schema, (db != NULL ? db : sc)->name);
    if (db == NULL) {
        missing(out, &o);
    } else if (sc == NULL) {
        extra(out, &o);
    } else {
        bool same = db->nlabels == sc->nlabels;
        for (size_t i = 0; same && i < db->nlabels; i++)
            same = strcmp(db->labels[i].value, sc->labels[i].value) == 0;
        if (!same) {
            sc_buf a = SC_BUF_INIT, b = SC_BUF_INIT;
            put_labels(&a, db);
            put_labels(&b, sc);
            add(out, &o, "labels %s in the database, %s in the schema", sc_buf_str(&a),
                sc_buf_str(&b));
            sc_buf_free(&a);
            sc_buf_free(&b);
        }
        compare_comment(out, &o, db->comment, sc->comment);
    }
    sc_buf_free(&o);
}

/* ----------------------------------------------------------- sequences */

static int cmp_sequence(const void *a, const void *b)
{
    const sc_sequence *x = *(sc_sequence *const *)a, *y = *(sc_sequence *const *)b;
    return cmp_qualified(x->schema, x->name, y->schema, y->name);
}

/* Sequence options as SQL writes them, or "default options". */
static char *seqopts_text(const sc_seqopts *o)
{
    sc_buf b = SC_BUF_INIT;
    if (!sc_ddl_seqopts(&b, o))
        sc_buf_puts(&b, "default options");
    return sc_buf_detach(&b);
}

/* "owned by t.c" or "not owned by a column". */
static char *owner_text(const sc_sequence *q)
{
    sc_buf b = SC_BUF_INIT;
    if (q->owned_table == NULL) {
        sc_buf_puts(&b, "not owned by a column");
    } else {
        sc_buf_puts(&b, "owned by ");
        sc_ident_append_qualified(&b, q->schema, q->owned_table);
        sc_buf_putc(&b, '.');
        sc_ident_append(&b, q->owned_column);
    }
    return sc_buf_detach(&b);
}

static void visit_sequence(sc_drift *out, const sc_table *t, const void *dbp, const void *scp)
{
    (void)t;
    const sc_sequence *db = dbp, *sc = scp;
    sc_buf o = SC_BUF_INIT;
    sc_buf_puts(&o, "sequence ");
    sc_ident_append_qualified(&o, (db != NULL ? db : sc)->schema, (db != NULL ? db : sc)->name);
    if (db == NULL) {
        missing(out, &o);
    } else if (sc == NULL) {
        extra(out, &o);
    } else {
        const char *ta = db->type != NULL ? db->type : "bigint";
        const char *tb = sc->type != NULL ? sc->type : "bigint";
        if (strcmp(ta, tb) != 0)
            add(out, &o, "as %s in the database, as %s in the schema", ta, tb);
        char *a = seqopts_text(&db->opts), *b = seqopts_text(&sc->opts);
        compare_words(out, &o, a, b);
        free(a);
        free(b);
        a = owner_text(db);
        b = owner_text(sc);
        compare_words(out, &o, a, b);
        free(a);
        free(b);
        compare_comment(out, &o, db->comment, sc->comment);
    }
    sc_buf_free(&o);
}

/* -------------------------------------------------------------- tables */

static int cmp_table(const void *a, const void *b)
{
    const sc_table *x = *(sc_table *const *)a, *y = *(sc_table *const *)b;
    return cmp_qualified(x->schema, x->name, y->schema, y->name);
}

static int cmp_column(const void *a, const void *b)
{
    return strcmp((*(sc_column *const *)a)->name, (*(sc_column *const *)b)->name);
}

static int cmp_constraint(const void *a, const void *b)
{
    const sc_constraint *x = *(sc_constraint *const *)a, *y = *(sc_constraint *const *)b;
    return strcmp(x->name != NULL ? x->name : "", y->name != NULL ? y->name : "");
}

static int cmp_index(const void *a, const void *b)
{
    const sc_index *x = *(sc_index *const *)a, *y = *(sc_index *const *)b;
    return strcmp(x->name != NULL ? x->name : "", y->name != NULL ? y->name : "");
}

/* Appends "table.column" (the table qualified outside public). */
static void column_object(sc_buf *o, const sc_table *t, const char *column)
{
    sc_buf_puts(o, "column ");
    sc_ident_append_qualified(o, t->schema, t->name);
    sc_buf_putc(o, '.');
    sc_ident_append(o, column);
}

/* Appends "primary key name on table", "check constraint name on table", ... */
static void constraint_object(sc_buf *o, const sc_table *t, const sc_constraint *c)
{
    switch (c->kind) {
    case SC_CON_PRIMARY: sc_buf_puts(o, "primary key "); break;
    case SC_CON_UNIQUE: sc_buf_puts(o, "unique constraint "); break;
    case SC_CON_FOREIGN: sc_buf_puts(o, "foreign key "); break;
    case SC_CON_CHECK: sc_buf_puts(o, "check constraint "); break;
    }
    sc_ident_append(o, c->name != NULL ? c->name : "?");
    sc_buf_puts(o, " on ");
    sc_ident_append_qualified(o, t->schema, t->name);
}

/* Appends "index name", qualified by the table's schema outside public. */
static void index_object(sc_buf *o, const sc_table *t, const sc_index *x)
{
    sc_buf_puts(o, "index ");
    sc_ident_append_qualified(o, t->schema, x->name != NULL ? x->name : "?");
}

/* Appends the description of a column's default, generation or identity. */
static void put_default(sc_buf *b, const sc_column *c)
{
    if (c->default_expr != NULL)
        sc_buf_printf(b, "default %s", c->default_expr);
    else
        sc_buf_puts(b, "no default");
}

static void put_identity(sc_buf *b, const sc_column *c)
{
    if (c->identity == 'a')
        sc_buf_puts(b, "generated always as identity");
    else if (c->identity == 'd')
        sc_buf_puts(b, "generated by default as identity");
    else
        sc_buf_puts(b, "not an identity column");
}

static void put_generated(sc_buf *b, const sc_column *c)
{
    if (c->generated_expr != NULL)
        sc_buf_printf(b, "generated always as (%s) stored", c->generated_expr);
    else
        sc_buf_puts(b, "not generated");
}

/* The schema of a collation as a key: none for public and pg_catalog. */
static const char *coll_nsp(const char *schema)
{
    return schema == NULL || strcmp(schema, "public") == 0 || strcmp(schema, "pg_catalog") == 0
               ? ""
               : schema;
}

static void put_collation(sc_buf *b, const sc_column *c)
{
    if (c->collation == NULL) {
        sc_buf_puts(b, "default collation");
    } else {
        sc_buf_puts(b, "collation ");
        sc_ident_append_qualified(b, *coll_nsp(c->collation_schema) ? c->collation_schema : NULL,
                                  c->collation);
    }
}

/* Appends a difference of one column attribute, described by `put`. */
static void compare_described(sc_drift *out, const sc_buf *o, const sc_column *db,
                              const sc_column *sc, void (*put)(sc_buf *, const sc_column *))
{
    sc_buf a = SC_BUF_INIT, b = SC_BUF_INIT;
    put(&a, db);
    put(&b, sc);
    compare_words(out, o, sc_buf_str(&a), sc_buf_str(&b));
    sc_buf_free(&a);
    sc_buf_free(&b);
}

static void visit_column(sc_drift *out, const sc_table *t, const void *dbp, const void *scp)
{
    const sc_column *db = dbp, *sc = scp;
    sc_buf o = SC_BUF_INIT;
    column_object(&o, t, (db != NULL ? db : sc)->name);
    if (db == NULL) {
        missing(out, &o);
    } else if (sc == NULL) {
        extra(out, &o);
    } else {
        compare_described(out, &o, db, sc, sc_print_column_type);
        if (db->not_null != sc->not_null)
            add(out, &o, "%s in the database, %s in the schema",
                db->not_null ? "not null" : "nullable", sc->not_null ? "not null" : "nullable");
        compare_described(out, &o, db, sc, put_default);
        compare_described(out, &o, db, sc, put_identity);
        if (db->identity != 0 && db->identity == sc->identity) {
            char *a = seqopts_text(&db->idopts), *b = seqopts_text(&sc->idopts);
            if (strcmp(a, b) != 0)
                add(out, &o, "identity %s in the database, identity %s in the schema", a, b);
            free(a);
            free(b);
        }
        compare_described(out, &o, db, sc, put_generated);
        if (strcmp(coll_nsp(db->collation_schema), coll_nsp(sc->collation_schema)) != 0 ||
            !streq(db->collation, sc->collation))
            compare_described(out, &o, db, sc, put_collation);
    }
    sc_buf_free(&o);
}

/* A constraint's definition without its name, NOT VALID left out. */
static char *constraint_text(const sc_constraint *c)
{
    sc_constraint v = *c;
    v.name = NULL;
    v.comment = NULL;
    sc_buf b = SC_BUF_INIT;
    sc_ddl_constraint(&b, &v, false);
    return sc_buf_detach(&b);
}

static void visit_constraint(sc_drift *out, const sc_table *t, const void *dbp, const void *scp)
{
    const sc_constraint *db = dbp, *sc = scp;
    sc_buf o = SC_BUF_INIT;
    constraint_object(&o, t, sc != NULL ? sc : db);
    if (db == NULL) {
        missing(out, &o);
    } else if (sc == NULL) {
        extra(out, &o);
    } else {
        char *a = constraint_text(db), *b = constraint_text(sc);
        if (strcmp(a, b) != 0)
            add(out, &o, "differs: %s in the database, %s in the schema", a, b);
        else if (db->not_valid && !sc->not_valid)
            add(out, &o, "not valid in the database, valid in the schema");
        free(a);
        free(b);
    }
    sc_buf_free(&o);
}

/* An index's definition without its name and table: "(a DESC) WHERE ...",
 * prefixed with "UNIQUE " for a unique index. */
static char *index_text(const sc_table *t, const sc_index *x)
{
    sc_index v = *x;
    v.name = "x";
    v.comment = NULL;
    sc_buf b = SC_BUF_INIT, prefix = SC_BUF_INIT;
    sc_ddl_create_index(&b, t, &v, false);
    sc_buf_puts(&prefix, x->unique ? "CREATE UNIQUE INDEX x ON " : "CREATE INDEX x ON ");
    sc_ddl_qualified(&prefix, t->schema, t->name);
    sc_buf_putc(&prefix, ' ');
    char *s = strip(sc_buf_str(&b), sc_buf_str(&prefix));
    sc_buf_reset(&b);
    if (x->unique)
        sc_buf_puts(&b, "UNIQUE ");
    sc_buf_puts(&b, s);
    free(s);
    sc_buf_free(&prefix);
    return sc_buf_detach(&b);
}

static void visit_index(sc_drift *out, const sc_table *t, const void *dbp, const void *scp)
{
    const sc_index *db = dbp, *sc = scp;
    sc_buf o = SC_BUF_INIT;
    index_object(&o, t, db != NULL ? db : sc);
    if (db == NULL) {
        missing(out, &o);
    } else if (sc == NULL) {
        extra(out, &o);
    } else {
        char *a = index_text(t, db), *b = index_text(t, sc);
        if (strcmp(a, b) != 0)
            add(out, &o, "differs: %s in the database, %s in the schema", a, b);
        if (db->invalid && !sc->invalid)
            add(out, &o, "invalid in the database (a failed concurrent build)");
        free(a);
        free(b);
    }
    sc_buf_free(&o);
}

static void visit_column_comment(sc_drift *out, const sc_table *t, const void *dbp, const void *scp)
{
    const sc_column *db = dbp, *sc = scp;
    if (db == NULL || sc == NULL)
        return;
    sc_buf o = SC_BUF_INIT;
    column_object(&o, t, db->name);
    compare_comment(out, &o, db->comment, sc->comment);
    sc_buf_free(&o);
}

static void visit_constraint_comment(sc_drift *out, const sc_table *t, const void *dbp,
                                     const void *scp)
{
    const sc_constraint *db = dbp, *sc = scp;
    if (db == NULL || sc == NULL)
        return;
    sc_buf o = SC_BUF_INIT;
    constraint_object(&o, t, sc);
    compare_comment(out, &o, db->comment, sc->comment);
    sc_buf_free(&o);
}

static void visit_index_comment(sc_drift *out, const sc_table *t, const void *dbp, const void *scp)
{
    const sc_index *db = dbp, *sc = scp;
    if (db == NULL || sc == NULL)
        return;
    sc_buf o = SC_BUF_INIT;
    index_object(&o, t, sc);
    compare_comment(out, &o, db->comment, sc->comment);
    sc_buf_free(&o);
}

static void visit_table(sc_drift *out, const sc_table *t, const void *dbp, const void *scp)
{
    (void)t;
    const sc_table *db = dbp, *sc = scp;
    sc_buf o = SC_BUF_INIT;
    sc_buf_puts(&o, "table ");
    sc_ident_append_qualified(&o, (db != NULL ? db : sc)->schema, (db != NULL ? db : sc)->name);
    if (db == NULL) {
        missing(out, &o);
    } else if (sc == NULL) {
        extra(out, &o);
    } else {
        pair_up(out, sc, (void *const *)db->columns, db->ncolumns, (void *const *)sc->columns,
                sc->ncolumns, cmp_column, visit_column);
        pair_up(out, sc, (void *const *)db->constraints, db->nconstraints,
                (void *const *)sc->constraints, sc->nconstraints, cmp_constraint,
                visit_constraint);
        pair_up(out, sc, (void *const *)db->indexes, db->nindexes, (void *const *)sc->indexes,
                sc->nindexes, cmp_index, visit_index);
        compare_comment(out, &o, db->comment, sc->comment);
        pair_up(out, sc, (void *const *)db->columns, db->ncolumns, (void *const *)sc->columns,
                sc->ncolumns, cmp_column, visit_column_comment);
        pair_up(out, sc, (void *const *)db->constraints, db->nconstraints,
                (void *const *)sc->constraints, sc->nconstraints, cmp_constraint,
                visit_constraint_comment);
        pair_up(out, sc, (void *const *)db->indexes, db->nindexes, (void *const *)sc->indexes,
                sc->nindexes, cmp_index, visit_index_comment);
    }
    sc_buf_free(&o);
}

/* ----------------------------------------------------------- unmanaged */

static int cmp_unmanaged(const void *a, const void *b)
{
    const sc_unmanaged *x = *(sc_unmanaged *const *)a, *y = *(sc_unmanaged *const *)b;
    int c = strcmp(x->kind, y->kind);
    return c != 0 ? c : cmp_qualified(x->schema, x->name, y->schema, y->name);
}

static void visit_unmanaged(sc_drift *out, const sc_table *t, const void *dbp, const void *scp)
{
    (void)t;
    const sc_unmanaged *u = dbp != NULL ? dbp : scp;
    sc_buf o = SC_BUF_INIT;
    sc_buf_printf(&o, "%s ", u->kind);
    sc_ident_append_qualified(&o, u->schema, u->name);
    add(out, &o, "not managed by the schema");
    sc_buf_free(&o);
}

/* ---------------------------------------------------------------- API */

size_t sc_drift_compare(sc_drift *out, const sc_model *db, const sc_model *schema, bool strict)
{
    size_t before = out->n;
    pair_up(out, NULL, (void *const *)db->schemas, db->nschemas, (void *const *)schema->schemas,
            schema->nschemas, cmp_schema, visit_schema);
    pair_up(out, NULL, (void *const *)db->extensions, db->nextensions,
            (void *const *)schema->extensions, schema->nextensions, cmp_extension,
            visit_extension);
    pair_up(out, NULL, (void *const *)db->collations, db->ncollations,
            (void *const *)schema->collations, schema->ncollations, cmp_collation,
            visit_collation);
    pair_up(out, NULL, (void *const *)db->enums, db->nenums, (void *const *)schema->enums,
            schema->nenums, cmp_enum, visit_enum);
    pair_up(out, NULL, (void *const *)db->sequences, db->nsequences,
            (void *const *)schema->sequences, schema->nsequences, cmp_sequence, visit_sequence);
    pair_up(out, NULL, (void *const *)db->tables, db->ntables, (void *const *)schema->tables,
            schema->ntables, cmp_table, visit_table);
    if (strict)
        pair_up(out, NULL, (void *const *)db->unmanaged, db->nunmanaged, NULL, 0, cmp_unmanaged,
                visit_unmanaged);
    return out->n - before;
}

void sc_drift_free(sc_drift *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].object);
        free(d->items[i].message);
    }
    free(d->items);
    d->items = NULL;
    d->n = d->cap = 0;
}

void sc_drift_format(sc_buf *out, const sc_drift *d)
{
    for (size_t i = 0; i < d->n; i++)
        sc_buf_printf(out, "%s: %s\n", d->items[i].object, d->items[i].message);
}
