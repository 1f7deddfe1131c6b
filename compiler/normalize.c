/*
 * Normalisation (see normalize.h): through a scratch database
 * (sc_normalize), or table by table through the expression cache
 * (sc_normalize_model).
 *
 * How the cache works.  A file model differs from the model the catalog
 * reader makes of the same schema only in the spelling of a few fields:
 * column types, defaults, generated expressions, check expressions, index
 * key expressions and index predicates (`int` is `integer`, `x between 1
 * and 2` is `((x >= 1) and (x <= 2))`).  How PostgreSQL spells one of them
 * depends on the expression and on what its names resolve to: the
 * schema's non-table objects (enums, sequences, collations, extensions)
 * and the table's own columns.  So each field's entry is keyed by
 *
 *   table context = H(H(canonical text of the non-table objects),
 *                     schema, table name, each column's name and file type)
 *   key           = H(table context, kind of field, file text)
 *
 * (H is XXH3-128 in hex; parts separated by NUL bytes) and holds the
 * catalog's text.  Two more kinds are markers, for what the server may drop
 * although the model has no text of its own for it: a column's collation
 * and an index key's collation and operator class (an explicit default one
 * disappears).  Their entry maps the file's text to itself; it exists only
 * once a table carrying them passed the check below.
 *
 * A table whose every key is in the cache takes the cached texts and needs
 * no server.  The other tables are created on the server, in one transaction with the
 * non-table objects and without their foreign keys (they may reference
 * tables not created), read back through the catalog reader inside the
 * same transaction, which is then rolled back.  Each file table's fields
 * are paired with the server table's by name (columns by name, checks by
 * constraint name, index keys by index name and position, predicates by
 * index name) and take the server's text.  Then the check: the canonical
 * text of the table so substituted must equal the server table's (foreign
 * keys and comments left out, since they were not created).  When it does,
 * the pairs go into the cache; when it does not, the server normalised
 * something beyond these fields (an index key `(a)` written as an
 * expression, an explicit default operator class, ...), and the table is
 * replaced by a copy of the server's, with the file's foreign keys, rename
 * hints, comments and source locations; nothing of it is cached, so it
 * goes to the server again next time.
 *
 * The cache's entries hold for one PostgreSQL major version, the cache's;
 * a server of another version invalidates them all.
 */
#include "normalize.h"

/* The advisory lock key normalisations serialise on (an arbitrary constant:
 * "schemac" in ASCII). */
#define SC_NORMALISE_LOCK "7310575166026083"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "conn.h"
#include "ddl.h"
#include "hash.h"
#include "ident.h"
#include "print.h"
#include "strmap.h"
#include "util.h"

/* Carries the file model's rename hints over to the normalised model. */
static void copy_hints(sc_model *m, const sc_model *files)
{
    for (size_t i = 0; i < files->ntables; i++) {
        const sc_table *ft = files->tables[i];
        sc_table *t = sc_model_find_table(m, ft->schema, ft->name);
        if (t == NULL)
            continue;
        if (ft->renamed_from != NULL)
            t->renamed_from = sc_arena_strdup(m->arena, ft->renamed_from);
        for (size_t j = 0; j < ft->ncolumns; j++) {
            const sc_column *fc = ft->columns[j];
            sc_column *c = sc_table_find_column(t, fc->name);
            if (c != NULL && fc->renamed_from != NULL)
                c->renamed_from = sc_arena_strdup(m->arena, fc->renamed_from);
        }
    }
    for (size_t i = 0; i < files->nenums; i++) {
        const sc_enum *fe = files->enums[i];
        sc_enum *e = sc_model_find_enum(m, fe->schema, fe->name);
        if (e == NULL)
            continue;
        if (fe->renamed_from != NULL)
            e->renamed_from = sc_arena_strdup(m->arena, fe->renamed_from);
        for (size_t j = 0; j < fe->nlabels && j < e->nlabels; j++)
            if (fe->labels[j].renamed_from != NULL && strcmp(fe->labels[j].value, e->labels[j].value) == 0)
                e->labels[j].renamed_from = sc_arena_strdup(m->arena, fe->labels[j].renamed_from);
    }
    /* Extensions: a file that names no schema or version does not care. */
    for (size_t i = 0; i < files->nextensions; i++) {
        const sc_extension *fx = files->extensions[i];
        for (size_t j = 0; j < m->nextensions; j++) {
            sc_extension *x = m->extensions[j];
            if (strcmp(x->name, fx->name) != 0)
                continue;
            if (fx->schema == NULL)
                x->schema = NULL;
            if (fx->version == NULL)
                x->version = NULL;
        }
    }
}

sc_model *sc_normalize(const sc_model *files, const char *dev_url, int *connect_failed,
                       sc_buf *err)
{
    *connect_failed = 0;
    sc_buf msg = SC_BUF_INIT;
    PGconn *admin = sc_conn_open(dev_url, &msg);
    if (admin == NULL) {
        sc_buf_printf(err, "development server: %s", sc_buf_str(&msg));
        sc_buf_free(&msg);
        *connect_failed = 1;
        return NULL;
    }
    static unsigned counter;
    char name[64];
    snprintf(name, sizeof name, "schemac_scratch_%ld_%u", (long)getpid(), counter++);
    sc_buf sql = SC_BUF_INIT;
    sc_buf_puts(&sql, "CREATE DATABASE ");
    sc_ident_append(&sql, name);
    sc_buf_puts(&sql, " TEMPLATE template0");
    PGresult *res = sc_conn_query(admin, sc_buf_str(&sql), PGRES_COMMAND_OK,
                                  "creating a scratch database on the development server", err);
    sc_buf_free(&sql);
    if (res == NULL) {
        PQfinish(admin);
        sc_buf_free(&msg);
        return NULL;
    }
    PQclear(res);

    sc_model *m = NULL;
    PGconn *scratch = sc_conn_like(admin, name);
    if (scratch == NULL) {
        sc_buf_printf(err, "cannot connect to the scratch database %s", name);
    } else {
        sc_buf ddl = SC_BUF_INIT;
        sc_ddl_create(&ddl, files);
        res = sc_conn_query(scratch, sc_buf_str(&ddl), PGRES_COMMAND_OK,
                            "the schema does not create on the development server", err);
        sc_buf_free(&ddl);
        if (res != NULL) {
            PQclear(res);
            m = sc_catalog_read(scratch, NULL, err);
        }
        PQfinish(scratch);
    }
    if (m != NULL)
        copy_hints(m, files);

    sc_buf drop = SC_BUF_INIT;
    sc_buf_puts(&drop, "DROP DATABASE IF EXISTS ");
    sc_ident_append(&drop, name);
    sc_buf_puts(&drop, " WITH (FORCE)");
    PQclear(PQexec(admin, sc_buf_str(&drop)));
    sc_buf_free(&drop);
    PQfinish(admin);
    sc_buf_free(&msg);
    return m;
}

/* ------------------------------------------------- expression cache */

typedef struct entry {
    char *key;
    char *value;
    bool used;
} entry;

struct sc_normcache {
    sc_arena *arena; /* keys, values and entries */
    sc_strmap map;   /* key -> entry */
    entry **entries;
    size_t nentries, capentries;
    int major;
};

sc_normcache *sc_normcache_new(void)
{
    sc_normcache *c = sc_xcalloc(1, sizeof *c);
    c->arena = sc_arena_new();
    return c;
}

void sc_normcache_free(sc_normcache *c)
{
    if (c == NULL)
        return;
    sc_strmap_free(&c->map);
    sc_arena_free(c->arena);
    free(c);
}

/* Stores `value` under `key` and returns the entry. */
static entry *cache_set(sc_normcache *c, const char *key, const char *value)
{
    entry *e = sc_strmap_get(&c->map, key);
    if (e != NULL) {
        if (strcmp(e->value, value) != 0)
            e->value = sc_arena_strdup(c->arena, value);
        return e;
    }
    e = sc_arena_alloc(c->arena, sizeof *e);
    e->key = sc_arena_strdup(c->arena, key);
    e->value = sc_arena_strdup(c->arena, value);
    sc_strmap_put(&c->map, e->key, e);
    SC_PUSH(c->arena, c->entries, c->nentries, c->capentries, e);
    return e;
}

void sc_normcache_put(sc_normcache *c, const char *key, const char *value)
{
    cache_set(c, key, value);
}

void sc_normcache_set_major(sc_normcache *c, int major)
{
    c->major = major;
}

int sc_normcache_major(const sc_normcache *c)
{
    return c->major;
}

/* Drops every entry (the arena keeps their memory until the cache goes). */
static void cache_clear(sc_normcache *c)
{
    sc_strmap_free(&c->map);
    c->map = (sc_strmap)SC_STRMAP_INIT;
    c->nentries = 0;
}

/* Orders entries by key. */
static int cmp_entry(const void *a, const void *b)
{
    return strcmp((*(entry *const *)a)->key, (*(entry *const *)b)->key);
}

void sc_normcache_each_used(const sc_normcache *c,
                            void (*fn)(void *ctx, const char *key, const char *value),
                            void *ctx)
{
    entry **v = sc_xmalloc((c->nentries == 0 ? 1 : c->nentries) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < c->nentries; i++)
        if (c->entries[i]->used)
            v[n++] = c->entries[i];
    qsort(v, n, sizeof *v, cmp_entry);
    for (size_t i = 0; i < n; i++)
        fn(ctx, v[i]->key, v[i]->value);
    free(v);
}

/* ------------------------------------------------------------ fields */

/* The fields of a table whose spelling the server decides. */
typedef enum field_kind {
    F_TYPE,
    F_DEFAULT,
    F_GENERATED,
    F_CHECK,
    F_INDEX_KEY,
    F_INDEX_WHERE,
    /* Markers: parts the server may respell that are no text of their own
     * in the model (an explicit default operator class or collation is
     * dropped).  Their entry maps the file text to itself: it records that
     * a table with them passed the check, and a table that adds one goes
     * to the server. */
    F_COLUMN_COLLATION,
    F_INDEX_KEY_OPTIONS,
} field_kind;

static const char *const field_kind_name[] = {
    "column type",      "column default",       "generated expression",
    "check expression", "index key expression", "index predicate",
    "column collation", "index key options",
};

/* One field of a file table: its kind, where it is (column, constraint or
 * index number `i`, key position `j`), its cache key and, for a marker,
 * its text. */
typedef struct field {
    field_kind kind;
    size_t i, j;
    const char *marker;
    char key[SC_HASH_HEX_LEN + 1];
} field;

/* A file table being normalised. */
typedef struct tab {
    char ctx[SC_HASH_HEX_LEN + 1]; /* the table context */
    field *fields;
    size_t nfields, capfields;
    bool hit; /* every field is in the cache */
} tab;

/* The text of field `f` in the file table `t` (NULL for a marker). */
static char **file_field(const sc_table *t, const field *f)
{
    switch (f->kind) {
    case F_COLUMN_COLLATION:
    case F_INDEX_KEY_OPTIONS: return NULL;
    case F_TYPE: return &t->columns[f->i]->type;
    case F_DEFAULT: return &t->columns[f->i]->default_expr;
    case F_GENERATED: return &t->columns[f->i]->generated_expr;
    case F_CHECK: return &t->constraints[f->i]->expr;
    case F_INDEX_KEY: return &t->indexes[f->i]->keys[f->j].expr;
    case F_INDEX_WHERE: return &t->indexes[f->i]->where;
    }
    return NULL;
}

/* Whether two names are both given and equal. */
static bool same(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* The server table's counterpart of field `f` of file table `ft`, found by
 * name; NULL when there is none. */
static char **server_field(const sc_table *st, const sc_table *ft, const field *f)
{
    switch (f->kind) {
    case F_COLUMN_COLLATION:
    case F_INDEX_KEY_OPTIONS: return NULL;
    case F_TYPE:
    case F_DEFAULT:
    case F_GENERATED: {
        sc_column *c = sc_table_find_column(st, ft->columns[f->i]->name);
        if (c == NULL)
            return NULL;
        return f->kind == F_TYPE      ? &c->type
               : f->kind == F_DEFAULT ? &c->default_expr
                                      : &c->generated_expr;
    }
    case F_CHECK:
        for (size_t i = 0; i < st->nconstraints; i++)
            if (st->constraints[i]->kind == SC_CON_CHECK &&
                same(st->constraints[i]->name, ft->constraints[f->i]->name))
                return &st->constraints[i]->expr;
        return NULL;
    case F_INDEX_KEY:
    case F_INDEX_WHERE:
        for (size_t i = 0; i < st->nindexes; i++) {
            sc_index *x = st->indexes[i];
            if (!same(x->name, ft->indexes[f->i]->name))
                continue;
            if (f->kind == F_INDEX_WHERE)
                return &x->where;
            return f->j < x->nkeys ? &x->keys[f->j].expr : NULL;
        }
        return NULL;
    }
    return NULL;
}

/* XXH3-128 hex of NUL-separated parts. */
static void hash_parts(char out[SC_HASH_HEX_LEN + 1], sc_buf *scratch, const char *const *parts,
                       size_t nparts)
{
    sc_buf_reset(scratch);
    for (size_t i = 0; i < nparts; i++)
        sc_buf_append(scratch, parts[i], strlen(parts[i]) + 1);
    sc_hash_hex(out, scratch->data, scratch->len);
}

/* Adds field (kind, i, j) to `tb` when file table `t` has a text there;
 * `marker` is a marker's text (NULL: none, or not a marker). */
static void add_field(tab *tb, const sc_table *t, field_kind kind, size_t i, size_t j,
                      const char *marker, sc_buf *scratch)
{
    field f = {.kind = kind, .i = i, .j = j, .marker = marker};
    char **ff = file_field(t, &f);
    const char *text = ff != NULL ? *ff : marker;
    if (text == NULL)
        return;
    const char *parts[] = {tb->ctx, field_kind_name[kind], text};
    hash_parts(f.key, scratch, parts, SC_ARRAY_LEN(parts));
    if (tb->nfields == tb->capfields) {
        tb->capfields = tb->capfields == 0 ? 16 : tb->capfields * 2;
        tb->fields = sc_xrealloc(tb->fields, tb->capfields * sizeof *tb->fields);
    }
    tb->fields[tb->nfields++] = f;
}

/* The marker text of a column's collation, or NULL when it has none. */
static const char *collation_marker(const sc_column *c, sc_arena *tmp)
{
    if (c->collation == NULL)
        return NULL;
    sc_buf b = SC_BUF_INIT;
    sc_ident_append(&b, c->name);
    sc_buf_puts(&b, " collate ");
    sc_ident_append_qualified(&b, c->collation_schema, c->collation);
    char *s = sc_arena_strdup(tmp, sc_buf_str(&b));
    sc_buf_free(&b);
    return s;
}

/* The marker text of an index key's collation and operator class, or
 * NULL when it has neither. */
static const char *key_marker(const sc_index_key *k, sc_arena *tmp)
{
    if (k->collation == NULL && k->opclass == NULL)
        return NULL;
    sc_buf b = SC_BUF_INIT;
    if (k->column != NULL)
        sc_ident_append(&b, k->column);
    else
        sc_buf_puts(&b, k->expr);
    if (k->collation != NULL) {
        sc_buf_puts(&b, " collate ");
        sc_ident_append_qualified(&b, k->collation_schema, k->collation);
    }
    if (k->opclass != NULL) {
        sc_buf_putc(&b, ' ');
        sc_ident_append_qualified(&b, k->opclass_schema, k->opclass);
    }
    char *s = sc_arena_strdup(tmp, sc_buf_str(&b));
    sc_buf_free(&b);
    return s;
}

/* Fills in table `t`'s context and fields (with their keys); `objects` is
 * the hash of the non-table objects.  Marker texts live in `tmp`. */
static void collect_fields(tab *tb, const sc_table *t, const char *objects, sc_buf *scratch,
                           sc_arena *tmp)
{
    sc_buf_reset(scratch);
    const char *head[] = {objects, t->schema != NULL ? t->schema : "public", t->name};
    for (size_t i = 0; i < SC_ARRAY_LEN(head); i++)
        sc_buf_append(scratch, head[i], strlen(head[i]) + 1);
    for (size_t i = 0; i < t->ncolumns; i++) {
        sc_buf_append(scratch, t->columns[i]->name, strlen(t->columns[i]->name) + 1);
        sc_buf_append(scratch, t->columns[i]->type, strlen(t->columns[i]->type) + 1);
    }
    sc_hash_hex(tb->ctx, scratch->data, scratch->len);

    for (size_t i = 0; i < t->ncolumns; i++) {
        add_field(tb, t, F_TYPE, i, 0, NULL, scratch);
        add_field(tb, t, F_DEFAULT, i, 0, NULL, scratch);
        add_field(tb, t, F_GENERATED, i, 0, NULL, scratch);
        add_field(tb, t, F_COLUMN_COLLATION, i, 0, collation_marker(t->columns[i], tmp),
                  scratch);
    }
    for (size_t i = 0; i < t->nconstraints; i++)
        if (t->constraints[i]->kind == SC_CON_CHECK)
            add_field(tb, t, F_CHECK, i, 0, NULL, scratch);
    for (size_t i = 0; i < t->nindexes; i++) {
        for (size_t j = 0; j < t->indexes[i]->nkeys; j++) {
            const sc_index_key *k = &t->indexes[i]->keys[j];
            if (k->column == NULL)
                add_field(tb, t, F_INDEX_KEY, i, j, NULL, scratch);
            add_field(tb, t, F_INDEX_KEY_OPTIONS, i, j, key_marker(k, tmp), scratch);
        }
        add_field(tb, t, F_INDEX_WHERE, i, 0, NULL, scratch);
    }
}

/* ----------------------------------------------------------- printing */

/* A shallow model of `m`'s non-table objects. */
static sc_model objects_of(const sc_model *m)
{
    sc_model o = {.arena = m->arena};
    o.schemas = m->schemas;
    o.nschemas = m->nschemas;
    o.extensions = m->extensions;
    o.nextensions = m->nextensions;
    o.collations = m->collations;
    o.ncollations = m->ncollations;
    o.enums = m->enums;
    o.nenums = m->nenums;
    o.sequences = m->sequences;
    o.nsequences = m->nsequences;
    return o;
}

/*
 * Appends the canonical text of table `t` as the check compares it:
 * without foreign keys and comments (the server's copy has neither).
 * Shallow copies live in `tmp`.
 */
static void table_text(sc_buf *out, const sc_table *t, sc_arena *tmp)
{
    sc_table *v = sc_arena_alloc(tmp, sizeof *v);
    *v = *t;
    v->comment = NULL;
    v->columns = sc_arena_alloc(tmp, (t->ncolumns + 1) * sizeof *v->columns);
    for (size_t i = 0; i < t->ncolumns; i++) {
        sc_column *c = sc_arena_alloc(tmp, sizeof *c);
        *c = *t->columns[i];
        c->comment = NULL;
        v->columns[i] = c;
    }
    v->constraints = sc_arena_alloc(tmp, (t->nconstraints + 1) * sizeof *v->constraints);
    v->nconstraints = 0;
    for (size_t i = 0; i < t->nconstraints; i++) {
        if (t->constraints[i]->kind == SC_CON_FOREIGN)
            continue;
        sc_constraint *c = sc_arena_alloc(tmp, sizeof *c);
        *c = *t->constraints[i];
        c->comment = NULL;
        v->constraints[v->nconstraints++] = c;
    }
    v->indexes = sc_arena_alloc(tmp, (t->nindexes + 1) * sizeof *v->indexes);
    for (size_t i = 0; i < t->nindexes; i++) {
        sc_index *x = sc_arena_alloc(tmp, sizeof *x);
        *x = *t->indexes[i];
        x->comment = NULL;
        v->indexes[i] = x;
    }
    sc_model sh = {.arena = tmp, .tables = &v, .ntables = 1};
    sc_print_canonical(out, &sh);
}

/* ------------------------------------------------------------- server */

/* The key under which a table is found by schema and name. */
static char *table_key(sc_arena *a, const sc_table *t)
{
    return sc_arena_printf(a, "%s.%s", t->schema != NULL ? t->schema : "public", t->name);
}

/*
 * Appends the script that creates, in one transaction left open, the
 * non-table objects of `m` and its tables that missed the cache, without
 * foreign keys, sequence ownership or comments.
 */
static void server_script(sc_buf *out, const sc_model *m, const tab *tabs)
{
    /* Normalisations take turns on a server: two transactions creating a
     * table of one name with a serial column at once would make PostgreSQL
     * name the second one's sequence t_c_seq1. */
    sc_buf_puts(out, "BEGIN;\nSELECT pg_catalog.pg_advisory_xact_lock(" SC_NORMALISE_LOCK ");\n"
                     "SET LOCAL search_path = public;\n");
    for (size_t i = 0; i < m->nschemas; i++)
        if (strcmp(m->schemas[i]->name, "public") != 0)
            sc_ddl_create_schema(out, m->schemas[i]);
    for (size_t i = 0; i < m->nextensions; i++)
        sc_ddl_create_extension(out, m->extensions[i]);
    for (size_t i = 0; i < m->ncollations; i++)
        sc_ddl_create_collation(out, m->collations[i]);
    for (size_t i = 0; i < m->nenums; i++)
        sc_ddl_create_enum(out, m->enums[i]);
    for (size_t i = 0; i < m->nsequences; i++)
        sc_ddl_create_sequence(out, m->sequences[i]);
    for (size_t i = 0; i < m->ntables; i++)
        if (!tabs[i].hit)
            sc_ddl_create_table(out, m->tables[i]);
    for (size_t i = 0; i < m->ntables; i++)
        for (size_t j = 0; !tabs[i].hit && j < m->tables[i]->nindexes; j++)
            sc_ddl_create_index(out, m->tables[i], m->tables[i]->indexes[j], false);
    for (size_t i = 0; i < m->ntables; i++) {
        const sc_table *t = m->tables[i];
        for (size_t j = 0; !tabs[i].hit && j < t->nconstraints; j++) {
            const sc_constraint *c = t->constraints[j];
            if (c->kind != SC_CON_FOREIGN && !sc_ddl_constraint_in_table(c))
                sc_ddl_add_constraint(out, t, c, c->not_valid);
        }
    }
}

/* Seconds since `t0`. */
static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * Creates the missed tables on `conn` in a transaction, reads the catalog
 * inside it and rolls it back.  Returns the server's model, or NULL after
 * one line in `err`.
 */
static sc_model *server_model(PGconn *conn, const sc_model *m, const tab *tabs, sc_buf *err)
{
    sc_buf script = SC_BUF_INIT;
    server_script(&script, m, tabs);
    sc_model *sm = NULL;
    PGresult *res = sc_conn_query(conn, sc_buf_str(&script), PGRES_COMMAND_OK,
                                  "the schema does not create on the development server", err);
    sc_buf_free(&script);
    if (res != NULL) {
        PQclear(res);
        if (PQtransactionStatus(conn) != PQTRANS_INTRANS)
            sc_buf_puts(err, "the development server left the normalisation transaction");
        else
            sm = sc_catalog_read(conn, NULL, err);
    }
    if (PQtransactionStatus(conn) != PQTRANS_IDLE)
        PQclear(PQexec(conn, "ROLLBACK"));
    return sm;
}

/*
 * Replaces file table `ft` (at m->tables[k]) by a copy of the server's
 * table `st` that keeps the file's foreign keys, rename hints, comments
 * and source locations.
 */
static void take_server_table(sc_model *m, size_t k, const sc_table *st)
{
    const sc_table *ft = m->tables[k];
    sc_table *t = sc_table_copy(m, st);
    t->renamed_from = ft->renamed_from;
    t->comment = ft->comment;
    t->comment_loc = ft->comment_loc;
    t->comment_trivia = ft->comment_trivia;
    t->footer = ft->footer;
    t->trivia = ft->trivia;
    t->loc = ft->loc;
    t->ord = ft->ord;
    t->next_entry = ft->next_entry;
    for (size_t i = 0; i < t->ncolumns; i++) {
        sc_column *c = t->columns[i];
        const sc_column *fc = sc_table_find_column(ft, c->name);
        if (fc == NULL)
            continue;
        c->renamed_from = fc->renamed_from;
        c->comment = fc->comment;
        c->loc = fc->loc;
        c->type_loc = fc->type_loc;
        c->trivia = fc->trivia;
    }
    for (size_t i = 0; i < t->nconstraints; i++) {
        sc_constraint *c = t->constraints[i];
        for (size_t j = 0; j < ft->nconstraints; j++) {
            const sc_constraint *fc = ft->constraints[j];
            if (fc->kind == c->kind && same(fc->name, c->name)) {
                c->comment = fc->comment;
                c->ord = fc->ord;
                c->loc = fc->loc;
                c->trivia = fc->trivia;
                break;
            }
        }
    }
    for (size_t i = 0; i < t->nindexes; i++) {
        sc_index *x = t->indexes[i];
        for (size_t j = 0; j < ft->nindexes; j++) {
            const sc_index *fx = ft->indexes[j];
            if (same(fx->name, x->name)) {
                x->comment = fx->comment;
                x->ord = fx->ord;
                x->loc = fx->loc;
                x->trivia = fx->trivia;
                break;
            }
        }
    }
    for (size_t j = 0; j < ft->nconstraints; j++)
        if (ft->constraints[j]->kind == SC_CON_FOREIGN)
            SC_PUSH(m->arena, t->constraints, t->nconstraints, t->capconstraints,
                    ft->constraints[j]);
    m->tables[k] = t;
}

/*
 * Brings the missed table m->tables[k] to the server's table `st`: its
 * fields take the server's text, and when the result prints as the
 * server's table does, the pairs go into the cache; else the table is
 * replaced by the server's.  Returns whether it was a fallback.
 */
static bool settle_table(sc_model *m, size_t k, const tab *tb, const sc_table *st,
                         sc_normcache *cache, sc_arena *tmp)
{
    sc_table *ft = m->tables[k];
    bool paired = true;
    const char **vals = sc_arena_alloc(tmp, (tb->nfields + 1) * sizeof *vals);
    for (size_t i = 0; i < tb->nfields; i++) {
        char **sf = server_field(st, ft, &tb->fields[i]);
        vals[i] = tb->fields[i].marker != NULL ? tb->fields[i].marker : sf != NULL ? *sf : NULL;
        if (vals[i] == NULL)
            paired = false;
    }
    bool equal = false;
    if (paired) {
        for (size_t i = 0; i < tb->nfields; i++) {
            char **ff = file_field(ft, &tb->fields[i]);
            if (ff != NULL && strcmp(*ff, vals[i]) != 0)
                *ff = sc_arena_strdup(m->arena, vals[i]);
        }
        sc_buf a = SC_BUF_INIT, b = SC_BUF_INIT;
        table_text(&a, ft, tmp);
        table_text(&b, st, tmp);
        equal = a.len == b.len && memcmp(sc_buf_str(&a), sc_buf_str(&b), a.len) == 0;
        sc_buf_free(&a);
        sc_buf_free(&b);
    }
    if (!equal) {
        take_server_table(m, k, st);
        return true;
    }
    for (size_t i = 0; i < tb->nfields; i++)
        cache_set(cache, tb->fields[i].key, vals[i])->used = true;
    return false;
}


int sc_normalize_model(sc_model *m, sc_normcache *cache,
                       char *(*get_url)(void *ctx, sc_buf *err), void *ctx,
                       sc_norm_stats *stats, int *connect_failed, sc_buf *err)
{
    *connect_failed = 0;
    sc_norm_stats st = {.tables = m->ntables};
    int rc = -1;
    PGconn *conn = NULL;
    sc_model *sm = NULL;
    sc_arena *tmp = sc_arena_new();
    sc_buf scratch = SC_BUF_INIT;
    tab *tabs = sc_xcalloc(m->ntables + 1, sizeof *tabs);

    /* Keys of every field, and which tables the cache covers. */
    char objects[SC_HASH_HEX_LEN + 1];
    sc_model om = objects_of(m);
    sc_print_canonical(&scratch, &om);
    sc_hash_hex(objects, scratch.data != NULL ? scratch.data : "", scratch.len);
    size_t nmiss = 0;
    for (size_t i = 0; i < m->ntables; i++) {
        tab *tb = &tabs[i];
        collect_fields(tb, m->tables[i], objects, &scratch, tmp);
        tb->hit = true;
        for (size_t j = 0; j < tb->nfields && tb->hit; j++)
            tb->hit = sc_strmap_get(&cache->map, tb->fields[j].key) != NULL;
        nmiss += !tb->hit;
    }

    if (nmiss > 0) {
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        char *url = get_url(ctx, err);
        if (url == NULL) {
            *connect_failed = 1;
            goto done;
        }
        sc_buf msg = SC_BUF_INIT;
        conn = sc_conn_open(url, &msg);
        free(url);
        if (conn == NULL) {
            sc_buf_printf(err, "development server: %s", sc_buf_str(&msg));
            sc_buf_free(&msg);
            *connect_failed = 1;
            goto done;
        }
        sc_buf_free(&msg);
        st.server_used = true;
        st.server_major = PQserverVersion(conn) / 10000;
        /* Entries of another (or an unknown) major version are void. */
        if (cache->nentries > 0 && cache->major != st.server_major) {
            cache_clear(cache);
            for (size_t i = 0; i < m->ntables; i++)
                tabs[i].hit = false;
            nmiss = m->ntables;
        }
        cache->major = st.server_major;

        sm = server_model(conn, m, tabs, err);
        PQfinish(conn);
        conn = NULL;
        st.server_seconds = seconds_since(&t0);
        if (sm == NULL)
            goto done;
        sc_strmap byname = SC_STRMAP_INIT;
        for (size_t i = 0; i < sm->ntables; i++)
            sc_strmap_put(&byname, table_key(tmp, sm->tables[i]), sm->tables[i]);
        const sc_table **found = sc_arena_alloc(tmp, (m->ntables + 1) * sizeof *found);
        for (size_t i = 0; i < m->ntables; i++) {
            if (tabs[i].hit)
                continue;
            found[i] = sc_strmap_get(&byname, table_key(tmp, m->tables[i]));
            if (found[i] == NULL) {
                sc_buf_printf(err, "table %s was not read back from the development server",
                              table_key(tmp, m->tables[i]));
                sc_strmap_free(&byname);
                goto done;
            }
        }
        sc_strmap_free(&byname);
        for (size_t i = 0; i < m->ntables; i++) {
            if (tabs[i].hit)
                continue;
            st.tables_server++;
            if (settle_table(m, i, &tabs[i], found[i], cache, tmp))
                st.tables_fallback++;
        }
    }

    /* The tables the cache covers take its texts. */
    for (size_t i = 0; i < m->ntables; i++) {
        if (!tabs[i].hit)
            continue;
        st.tables_cached++;
        for (size_t j = 0; j < tabs[i].nfields; j++) {
            entry *e = sc_strmap_get(&cache->map, tabs[i].fields[j].key);
            e->used = true;
            char **ff = file_field(m->tables[i], &tabs[i].fields[j]);
            if (ff != NULL && strcmp(*ff, e->value) != 0)
                *ff = sc_arena_strdup(m->arena, e->value);
        }
    }
    rc = 0;

done:
    if (conn != NULL)
        PQfinish(conn);
    sc_model_free(sm);
    for (size_t i = 0; i < m->ntables; i++)
        free(tabs[i].fields);
    free(tabs);
    sc_buf_free(&scratch);
    sc_arena_free(tmp);
    if (stats != NULL)
        *stats = st;
    return rc;
}
