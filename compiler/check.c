/*
 * Semantic checks over the whole model, after every file is lowered:
 *
 *   - duplicates (schemas, extensions, collations, enums, sequences,
 *     tables, columns, labels, relation and constraint names), each naming
 *     both places;
 *   - schemas that are used but not declared;
 *   - types that are neither built in nor the schema's own enums (unless
 *     an extension is declared that may provide them);
 *   - primary keys (one per table), key, include and index columns that
 *     do not exist, foreign keys whose table, columns, column count or
 *     types do not match, or that reference columns without a unique key
 *     (or with only a deferrable one);
 *   - rename hints that collide with a declared object or with each other;
 *   - sequences whose name is taken by a table, an index, a key or the
 *     sequence a serial or identity column implies, or whose `owned by`
 *     column does not exist.
 *
 * It also settles what lowering could not: the schema of user types, the
 * columns a check constraint reads, NOT NULL on primary key columns, and
 * PostgreSQL's default names for unnamed constraints and indexes, with
 * its numbering when a name is taken.
 */
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "ident.h"
#include "naming.h"
#include "strmap.h"
#include "types.h"
#include "util.h"

typedef struct checker {
    sc_compiler *c;
    sc_model *m;
    sc_arena *scratch;
    sc_strmap schemas, enums, tables, sequences, collations;
    sc_strmap *columns; /* per table, by table index */
} checker;

/* "schema<US>name", a lookup key for objects in a schema. */
static const char *key2(checker *k, const char *a, const char *b)
{
    size_t na = a != NULL ? strlen(a) : 0, nb = strlen(b);
    char *key = sc_arena_alloc(k->scratch, na + nb + 2);
    if (na > 0)
        memcpy(key, a, na);
    key[na] = '\x1f';
    memcpy(key + na + 1, b, nb + 1);
    return key;
}

static void dup_error(checker *k, const sc_loc *here, const sc_loc *first, const char *what,
                      const char *name)
{
    sc_error(&k->c->diags, here, 1, "%s %s is declared twice", what, name);
    sc_note(&k->c->diags, first, 1, "first declared here");
}

static const char *qualified(checker *k, const char *schema, const char *name)
{
    sc_buf b = SC_BUF_INIT;
    sc_ident_append_qualified(&b, schema, name);
    const char *r = sc_arena_strdup(k->scratch, sc_buf_str(&b));
    sc_buf_free(&b);
    return r;
}

static bool schema_known(checker *k, const char *schema)
{
    return schema == NULL || strcmp(schema, "public") == 0 ||
           sc_strmap_get(&k->schemas, schema) != NULL;
}

/* ------------------------------------------------------- declarations */

static void check_declarations(checker *k)
{
    sc_model *m = k->m;
    for (size_t i = 0; i < m->nschemas; i++) {
        sc_schema *s = m->schemas[i];
        if (strcmp(s->name, "public") == 0 || strncmp(s->name, "pg_", 3) == 0) {
            sc_error(&k->c->diags, &s->loc, 1, "schema name %s is reserved", s->name);
            continue;
        }
        sc_schema *prev = sc_strmap_put(&k->schemas, s->name, s);
        if (prev != NULL)
            dup_error(k, &s->loc, &prev->loc, "schema", s->name);
    }
    sc_strmap exts = SC_STRMAP_INIT;
    for (size_t i = 0; i < m->nextensions; i++) {
        sc_extension *e = m->extensions[i];
        sc_extension *prev = sc_strmap_put(&exts, e->name, e);
        if (prev != NULL)
            dup_error(k, &e->loc, &prev->loc, "extension", e->name);
        if (e->schema != NULL && !schema_known(k, e->schema))
            sc_error(&k->c->diags, &e->loc, 1, "schema %s is not declared", e->schema);
    }
    sc_strmap_free(&exts);

    /* Collations have a namespace of their own in each schema. */
    for (size_t i = 0; i < m->ncollations; i++) {
        sc_collation *coll = m->collations[i];
        if (!schema_known(k, coll->schema))
            sc_error(&k->c->diags, &coll->loc, 1, "schema %s is not declared", coll->schema);
        sc_collation *prev =
            sc_strmap_put(&k->collations, key2(k, coll->schema, coll->name), coll);
        if (prev != NULL)
            dup_error(k, &coll->loc, &prev->loc, "collation",
                      qualified(k, coll->schema, coll->name));
    }

    for (size_t i = 0; i < m->nenums; i++) {
        sc_enum *e = m->enums[i];
        if (!schema_known(k, e->schema))
            sc_error(&k->c->diags, &e->loc, 1, "schema %s is not declared", e->schema);
        sc_enum *prev = sc_strmap_put(&k->enums, key2(k, e->schema, e->name), e);
        if (prev != NULL)
            dup_error(k, &e->loc, &prev->loc, "enum", qualified(k, e->schema, e->name));
        sc_strmap labels = SC_STRMAP_INIT;
        for (size_t j = 0; j < e->nlabels; j++) {
            sc_enum_label *prevl = sc_strmap_put(&labels, e->labels[j].value, &e->labels[j]);
            if (prevl != NULL) {
                sc_error(&k->c->diags, &e->labels[j].loc, 1, "enum label '%s' is declared twice",
                         e->labels[j].value);
                sc_note(&k->c->diags, &prevl->loc, 1, "first declared here");
            }
        }
        for (size_t j = 0; j < e->nlabels; j++) {
            const char *old = e->labels[j].renamed_from;
            if (old != NULL && sc_strmap_get(&labels, old) != NULL)
                sc_error(&k->c->diags, &e->labels[j].loc, 1,
                         "label '%s' is renamed from '%s', which is also declared",
                         e->labels[j].value, old);
        }
        sc_strmap_free(&labels);
    }

    for (size_t i = 0; i < m->ntables; i++) {
        sc_table *t = m->tables[i];
        if (!schema_known(k, t->schema))
            sc_error(&k->c->diags, &t->loc, 1, "schema %s is not declared", t->schema);
        sc_table *prev = sc_strmap_put(&k->tables, key2(k, t->schema, t->name), t);
        if (prev != NULL)
            dup_error(k, &t->loc, &prev->loc, "table", qualified(k, t->schema, t->name));
    }

    for (size_t i = 0; i < m->nsequences; i++) {
        sc_sequence *q = m->sequences[i];
        if (!schema_known(k, q->schema))
            sc_error(&k->c->diags, &q->loc, 1, "schema %s is not declared", q->schema);
        sc_sequence *prev = sc_strmap_put(&k->sequences, key2(k, q->schema, q->name), q);
        if (prev != NULL)
            dup_error(k, &q->loc, &prev->loc, "sequence", qualified(k, q->schema, q->name));
    }
}

/* Rename hints: the old name must not be declared too, and two objects
 * cannot claim the same old name. */
static void check_renames(checker *k)
{
    sc_model *m = k->m;
    sc_strmap claimed = SC_STRMAP_INIT;
    for (size_t i = 0; i < m->ntables; i++) {
        sc_table *t = m->tables[i];
        if (t->renamed_from == NULL)
            continue;
        const char *key = key2(k, t->schema, t->renamed_from);
        sc_table *other = sc_strmap_get(&k->tables, key);
        if (other != NULL && other != t) {
            sc_error(&k->c->diags, &t->loc, 1,
                     "table %s is renamed from %s, which is also declared",
                     qualified(k, t->schema, t->name), qualified(k, t->schema, t->renamed_from));
            sc_note(&k->c->diags, &other->loc, 1, "%s is declared here", t->renamed_from);
        }
        sc_table *prev = sc_strmap_put(&claimed, key, t);
        if (prev != NULL) {
            sc_error(&k->c->diags, &t->loc, 1, "tables %s and %s are both renamed from %s",
                     prev->name, t->name, t->renamed_from);
            sc_note(&k->c->diags, &prev->loc, 1, "the other hint is here");
        }
    }
    sc_strmap_free(&claimed);

    sc_strmap eclaimed = SC_STRMAP_INIT;
    for (size_t i = 0; i < m->nenums; i++) {
        sc_enum *e = m->enums[i];
        if (e->renamed_from == NULL)
            continue;
        const char *key = key2(k, e->schema, e->renamed_from);
        sc_enum *other = sc_strmap_get(&k->enums, key);
        if (other != NULL && other != e)
            sc_error(&k->c->diags, &e->loc, 1, "enum %s is renamed from %s, which is also declared",
                     e->name, e->renamed_from);
        sc_enum *prev = sc_strmap_put(&eclaimed, key, e);
        if (prev != NULL)
            sc_error(&k->c->diags, &e->loc, 1, "enums %s and %s are both renamed from %s",
                     prev->name, e->name, e->renamed_from);
    }
    sc_strmap_free(&eclaimed);
}

/* -------------------------------------------------------------- types */

static void resolve_types(checker *k)
{
    sc_compiler *c = k->c;
    bool have_extensions = k->m->nextensions > 0;
    for (size_t i = 0; i < c->npending; i++) {
        sc_pending_type *p = &c->pending[i];
        const char *schema = p->schema != NULL ? p->schema : "public";
        sc_enum *e = sc_strmap_get(&k->enums, key2(k, schema, p->name));
        if (e == NULL && p->schema == NULL) {
            /* An unqualified name may still name an enum of another schema:
             * say so rather than just "unknown". */
            for (size_t j = 0; j < k->m->nenums; j++)
                if (strcmp(k->m->enums[j]->name, p->name) == 0) {
                    sc_error(&c->diags, &p->loc, p->span,
                             "unknown type \"%s\"; did you mean %s.%s?", p->name,
                             k->m->enums[j]->schema, p->name);
                    goto next;
                }
        }
        if (e != NULL) {
            if (strlen(p->suffix) > 0 && p->suffix[0] == '(') {
                sc_error(&c->diags, &p->loc, p->span, "enum type %s takes no modifiers",
                         p->name);
                continue;
            }
        } else if (!have_extensions) {
            sc_error(&c->diags, &p->loc, p->span, "unknown type \"%s\"",
                     p->schema != NULL ? qualified(k, p->schema, p->name) : p->name);
            continue;
        } else if (p->schema != NULL && !schema_known(k, p->schema) &&
                   strcmp(p->schema, "pg_catalog") != 0) {
            sc_error(&c->diags, &p->loc, p->span, "schema %s is not declared", p->schema);
            continue;
        }
        /* Enum types are spelled with their schema unless it is public;
         * extension types as written (checked later against a server). */
        sc_buf b = SC_BUF_INIT;
        sc_ident_append_qualified(&b, e != NULL ? e->schema : p->schema, p->name);
        sc_buf_puts(&b, p->suffix);
        p->column->type = sc_arena_strdup(k->m->arena, sc_buf_str(&b));
        sc_buf_free(&b);
    next:;
    }
}

/* ------------------------------------------------------------- tables */

static sc_column *find_col(checker *k, size_t ti, const char *name)
{
    return sc_strmap_get(&k->columns[ti], name);
}

/* Reports names in `names` that are not columns of table `ti`. */
static bool check_cols(checker *k, size_t ti, char *const *names, size_t n, const sc_loc *loc,
                       const char *what)
{
    bool ok = true;
    sc_table *t = k->m->tables[ti];
    for (size_t i = 0; i < n; i++) {
        if (find_col(k, ti, names[i]) == NULL) {
            sc_error(&k->c->diags, loc, 1, "%s names column %s, which table %s does not have",
                     what, names[i], t->name);
            ok = false;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0) {
                sc_error(&k->c->diags, loc, 1, "%s names column %s twice", what, names[i]);
                ok = false;
            }
    }
    return ok;
}

/* True when the `n` names of `a` are the `n` names of `b`, in any order. */
static bool same_columns(char *const *a, char *const *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t j = 0; j < n && !found; j++)
            found = strcmp(a[i], b[j]) == 0;
        if (!found)
            return false;
    }
    return true;
}

/* What a foreign key may reference: the result of has_unique_key(). */
typedef enum key_found { KEY_NONE, KEY_FOUND, KEY_DEFERRABLE } key_found;

/* Whether `cols` are exactly the columns of a primary key, a unique
 * constraint or a non-partial unique index of plain columns of `t`;
 * KEY_DEFERRABLE when only deferrable constraints match, which PostgreSQL
 * does not let a foreign key use. */
static key_found has_unique_key(checker *k, const sc_table *t, char *const *cols, size_t n)
{
    key_found found = KEY_NONE;
    for (size_t i = 0; i < t->nconstraints; i++) {
        const sc_constraint *c = t->constraints[i];
        if ((c->kind == SC_CON_PRIMARY || c->kind == SC_CON_UNIQUE) && c->ncolumns == n &&
            same_columns(cols, c->columns, n)) {
            if (!c->deferrable)
                return KEY_FOUND;
            found = KEY_DEFERRABLE;
        }
    }
    for (size_t i = 0; i < t->nindexes; i++) {
        const sc_index *x = t->indexes[i];
        if (!x->unique || x->where != NULL || x->nkeys != n)
            continue;
        char **keys = sc_arena_alloc(k->scratch, (n == 0 ? 1 : n) * sizeof *keys);
        bool plain = true;
        for (size_t j = 0; j < n && plain; j++)
            plain = (keys[j] = x->keys[j].column) != NULL;
        if (plain && same_columns(cols, keys, n))
            return KEY_FOUND;
    }
    return found;
}

static void check_foreign_key(checker *k, size_t ti, sc_constraint *con)
{
    sc_table *t = k->m->tables[ti];
    if (!check_cols(k, ti, con->columns, con->ncolumns, &con->loc, "foreign key"))
        return;
    sc_table *ref = sc_strmap_get(&k->tables, key2(k, con->ref_schema, con->ref_table));
    if (ref == NULL && k->c->partial)
        return; /* a part of a checked schema: the table is elsewhere */
    if (ref == NULL) {
        sc_error(&k->c->diags, &con->loc, 1, "foreign key references table %s, which is not declared",
                 qualified(k, con->ref_schema, con->ref_table));
        return;
    }
    size_t ri = 0;
    while (k->m->tables[ri] != ref)
        ri++;
    if (con->nref_columns == 0) {
        sc_constraint *pk = sc_table_primary_key(ref);
        if (pk == NULL) {
            sc_error(&k->c->diags, &con->loc, 1,
                     "foreign key references table %s, which has no primary key; name the "
                     "referenced columns",
                     ref->name);
            return;
        }
        con->ref_columns = pk->columns;
        con->nref_columns = pk->ncolumns;
    }
    if (con->nref_columns != con->ncolumns) {
        sc_error(&k->c->diags, &con->loc, 1,
                 "foreign key has %zu column%s but references %zu column%s of %s",
                 con->ncolumns, con->ncolumns == 1 ? "" : "s", con->nref_columns,
                 con->nref_columns == 1 ? "" : "s", ref->name);
        return;
    }
    if (!check_cols(k, ri, con->ref_columns, con->nref_columns, &con->loc, "foreign key"))
        return;
    for (size_t i = 0; i < con->ncolumns; i++) {
        sc_column *a = find_col(k, ti, con->columns[i]);
        sc_column *b = find_col(k, ri, con->ref_columns[i]);
        if (strcmp(a->type, b->type) == 0)
            continue;
        int ca = sc_type_category(a->type), cb = sc_type_category(b->type);
        if (ca != 0 && ca == cb)
            continue;
        sc_error(&k->c->diags, &con->loc, 1,
                 "foreign key column %s.%s is %s but references %s.%s of type %s", t->name,
                 a->name, a->type, ref->name, b->name, b->type);
    }
    key_found key = has_unique_key(k, ref, con->ref_columns, con->nref_columns);
    if (key == KEY_NONE)
        sc_error(&k->c->diags, &con->loc, 1,
                 "foreign key references columns of %s that have no primary key or unique "
                 "constraint",
                 ref->name);
    else if (key == KEY_DEFERRABLE)
        sc_error(&k->c->diags, &con->loc, 1,
                 "foreign key references a deferrable key of %s; PostgreSQL needs a key that "
                 "is not deferrable",
                 ref->name);
    for (size_t i = 0; i < con->ndelete_columns; i++) {
        bool in = false;
        for (size_t j = 0; j < con->ncolumns; j++)
            if (strcmp(con->delete_columns[i], con->columns[j]) == 0)
                in = true;
        if (!in)
            sc_error(&k->c->diags, &con->loc, 1,
                     "column %s of on delete set null/default is not a foreign key column",
                     con->delete_columns[i]);
    }
}

static void check_table(checker *k, size_t ti)
{
    sc_table *t = k->m->tables[ti];
    sc_strmap *cols = &k->columns[ti];
    for (size_t i = 0; i < t->ncolumns; i++) {
        sc_column *c = t->columns[i];
        sc_column *prev = sc_strmap_put(cols, c->name, c);
        if (prev != NULL) {
            sc_error(&k->c->diags, &c->loc, 1, "column %s is declared twice in table %s", c->name,
                     t->name);
            sc_note(&k->c->diags, &prev->loc, 1, "first declared here");
        }
    }
    if (t->ncolumns > 1600)
        sc_error(&k->c->diags, &t->loc, 1,
                 "table %s has %zu columns; PostgreSQL allows at most 1600", t->name,
                 t->ncolumns);
    for (size_t i = 0; i < t->ncolumns; i++) {
        sc_column *c = t->columns[i];
        if (c->renamed_from == NULL)
            continue;
        sc_column *other = sc_strmap_get(cols, c->renamed_from);
        if (other != NULL && other != c)
            sc_error(&k->c->diags, &c->loc, 1,
                     "column %s is renamed from %s, which is also declared", c->name,
                     c->renamed_from);
        for (size_t j = 0; j < i; j++)
            if (t->columns[j]->renamed_from != NULL &&
                strcmp(t->columns[j]->renamed_from, c->renamed_from) == 0)
                sc_error(&k->c->diags, &c->loc, 1, "columns %s and %s are both renamed from %s",
                         t->columns[j]->name, c->name, c->renamed_from);
    }

    sc_constraint *pk = NULL;
    for (size_t i = 0; i < t->nconstraints; i++) {
        sc_constraint *con = t->constraints[i];
        switch (con->kind) {
        case SC_CON_PRIMARY:
            if (pk != NULL) {
                sc_error(&k->c->diags, &con->loc, 1, "table %s has more than one primary key",
                         t->name);
                sc_note(&k->c->diags, &pk->loc, 1, "the first primary key is here");
                break;
            }
            pk = con;
            /* fall through */
        case SC_CON_UNIQUE:
            check_cols(k, ti, con->columns, con->ncolumns, &con->loc,
                       con->kind == SC_CON_PRIMARY ? "primary key" : "unique constraint");
            check_cols(k, ti, con->include, con->ninclude, &con->loc, "include");
            if (con->kind == SC_CON_PRIMARY)
                for (size_t j = 0; j < con->ncolumns; j++) {
                    sc_column *c = find_col(k, ti, con->columns[j]);
                    if (c != NULL)
                        c->not_null = true;
                }
            break;
        case SC_CON_FOREIGN:
        case SC_CON_CHECK:
            break;
        }
    }
    for (size_t i = 0; i < t->nindexes; i++) {
        sc_index *x = t->indexes[i];
        for (size_t j = 0; j < x->nkeys; j++)
            if (x->keys[j].column != NULL && find_col(k, ti, x->keys[j].column) == NULL)
                sc_error(&k->c->diags, &x->loc, 1,
                         "index names column %s, which table %s does not have",
                         x->keys[j].column, t->name);
        check_cols(k, ti, x->include, x->ninclude, &x->loc, "include");
    }
}

/*
 * Words PostgreSQL reads as functions although they are written like
 * column names (SQL value functions).
 */
static bool is_value_function(const char *name)
{
    static const char *const words[] = {
        "current_catalog", "current_date", "current_role", "current_schema", "current_time",
        "current_timestamp", "current_user", "localtime", "localtimestamp", "session_user",
        "system_user", "user",
    };
    for (size_t i = 0; i < SC_ARRAY_LEN(words); i++)
        if (strcmp(name, words[i]) == 0)
            return true;
    return false;
}

/*
 * Expression column references: each name must be a column of the table
 * (or a SQL value function).  A check constraint's columns become the
 * columns it reads, which decide its default name.
 */
static void check_expression_refs(checker *k)
{
    for (size_t i = 0; i < k->c->ncheck_refs; i++) {
        sc_check_refs *r = &k->c->check_refs[i];
        size_t ti = 0;
        while (k->m->tables[ti] != r->table)
            ti++;
        size_t n = 0;
        for (size_t j = 0; j < r->nnames; j++) {
            if (find_col(k, ti, r->names[j]) != NULL)
                r->names[n++] = r->names[j];
            else if (!is_value_function(r->names[j]))
                sc_error(&k->c->diags, &r->loc, 1, "%s reads column %s, which table %s does not have",
                         r->what, r->names[j], r->table->name);
        }
        if (r->con != NULL) {
            r->con->columns = r->names;
            r->con->ncolumns = n;
        }
    }
}

/* ------------------------------------------------------------- names */

/*
 * Names.  Relations (tables, indexes, the indexes behind primary keys and
 * unique constraints, serial sequences) share one namespace per schema;
 * constraint names must be distinct within a table, and PostgreSQL picks
 * default constraint names that are distinct within the schema.  Written
 * names are taken first; then each unnamed constraint and index gets its
 * default name, numbered (label1, label2, ...) when the name is taken.
 */
static void assign_names(checker *k)
{
    sc_model *m = k->m;
    sc_strmap relations = SC_STRMAP_INIT, connames = SC_STRMAP_INIT;
    sc_arena *a = m->arena;

    for (size_t i = 0; i < m->ntables; i++) {
        sc_table *t = m->tables[i];
        sc_strmap_put(&relations, key2(k, t->schema, t->name), t);
    }
    /* Written names first. */
    for (size_t i = 0; i < m->ntables; i++) {
        sc_table *t = m->tables[i];
        sc_strmap local = SC_STRMAP_INIT;
        for (size_t j = 0; j < t->nconstraints; j++) {
            sc_constraint *c = t->constraints[j];
            if (c->name == NULL)
                continue;
            sc_constraint *prev = sc_strmap_put(&local, c->name, c);
            if (prev != NULL) {
                sc_error(&k->c->diags, &c->loc, 1, "constraint name %s is used twice in table %s",
                         c->name, t->name);
                sc_note(&k->c->diags, &prev->loc, 1, "first used here");
            }
            sc_strmap_put(&connames, key2(k, t->schema, c->name), c);
            if (c->kind == SC_CON_PRIMARY || c->kind == SC_CON_UNIQUE) {
                void *prevrel = sc_strmap_put(&relations, key2(k, t->schema, c->name), c);
                if (prevrel != NULL && prevrel != (void *)c)
                    sc_error(&k->c->diags, &c->loc, 1,
                             "name %s is already used by another table, index or key in schema %s",
                             c->name, t->schema);
            }
        }
        sc_strmap_free(&local);
        for (size_t j = 0; j < t->nindexes; j++) {
            sc_index *x = t->indexes[j];
            if (x->name == NULL)
                continue;
            void *prev = sc_strmap_put(&relations, key2(k, t->schema, x->name), x);
            if (prev != NULL)
                sc_error(&k->c->diags, &x->loc, 1,
                         "name %s is already used by another table, index or key in schema %s",
                         x->name, t->schema);
        }
    }
    /* Then default names, in the order PostgreSQL creates them. */
    for (size_t i = 0; i < m->ntables; i++) {
        sc_table *t = m->tables[i];
        for (int pass = 0; pass < 2; pass++) {
            for (size_t j = 0; j < t->nconstraints; j++) {
                sc_constraint *c = t->constraints[j];
                /* checks, then keys and foreign keys */
                if (c->name != NULL || (pass == 0) != (c->kind == SC_CON_CHECK))
                    continue;
                const char *label = sc_con_label(c->kind);
                bool is_rel = c->kind == SC_CON_PRIMARY || c->kind == SC_CON_UNIQUE;
                char *name2 = sc_constraint_name_addition(a, t, c);
                for (int n = 0;; n++) {
                    char lab[32];
                    if (n == 0)
                        snprintf(lab, sizeof lab, "%s", label);
                    else
                        snprintf(lab, sizeof lab, "%s%d", label, n);
                    char *cand = sc_name_make(a, t->name, name2, lab);
                    const char *ck = key2(k, t->schema, cand);
                    if (sc_strmap_get(&connames, ck) != NULL ||
                        (is_rel && sc_strmap_get(&relations, ck) != NULL))
                        continue;
                    c->name = cand;
                    sc_strmap_put(&connames, ck, c);
                    if (is_rel)
                        sc_strmap_put(&relations, ck, c);
                    break;
                }
            }
        }
        for (size_t j = 0; j < t->nindexes; j++) {
            sc_index *x = t->indexes[j];
            if (x->name != NULL)
                continue;
            char *name2 = sc_index_name_addition(a, x);
            for (int n = 0;; n++) {
                char lab[32];
                if (n == 0)
                    snprintf(lab, sizeof lab, "idx");
                else
                    snprintf(lab, sizeof lab, "idx%d", n);
                char *cand = sc_name_make(a, t->name, name2, lab);
                const char *ck = key2(k, t->schema, cand);
                if (sc_strmap_get(&relations, ck) != NULL || sc_strmap_get(&connames, ck) != NULL)
                    continue;
                x->name = cand;
                sc_strmap_put(&relations, ck, x);
                break;
            }
        }
    }
    sc_strmap_free(&relations);
    sc_strmap_free(&connames);
}

/* ---------------------------------------------------------- sequences */

/* Reports a sequence whose name is taken by another relation of its
 * schema, `what`; `note` says where that one comes from. */
static void sequence_clash(checker *k, const char *schema, const char *name, const char *what,
                           const sc_loc *where, const char *note)
{
    sc_sequence *q = sc_strmap_get(&k->sequences, key2(k, schema, name));
    if (q == NULL)
        return;
    sc_error(&k->c->diags, &q->loc, 1, "sequence %s has the same name as %s",
             qualified(k, q->schema, q->name), what);
    sc_note(&k->c->diags, where, 1, "%s", note);
}

/*
 * Sequences, once every name is settled.  A sequence shares its schema's
 * relation namespace with tables, indexes (the indexes of primary keys
 * and unique constraints too) and the sequences that serial and identity
 * columns imply (named table_column_seq, as PostgreSQL names them); a
 * name taken twice is an error, whether written or a default.  `owned by`
 * must name a column of a declared table of the sequence's schema.
 */
static void check_sequences(checker *k)
{
    sc_model *m = k->m;
    if (m->nsequences == 0)
        return;
    sc_buf what = SC_BUF_INIT;
    for (size_t i = 0; i < m->ntables; i++) {
        sc_table *t = m->tables[i];
        sc_buf_reset(&what);
        sc_buf_puts(&what, "table ");
        sc_ident_append_qualified(&what, t->schema, t->name);
        sequence_clash(k, t->schema, t->name, sc_buf_str(&what), &t->loc,
                       "the table is declared here");
        for (size_t j = 0; j < t->nconstraints; j++) {
            sc_constraint *c = t->constraints[j];
            if ((c->kind != SC_CON_PRIMARY && c->kind != SC_CON_UNIQUE) || c->name == NULL)
                continue;
            sc_buf_reset(&what);
            sc_buf_printf(&what, "%s ",
                          c->kind == SC_CON_PRIMARY ? "primary key" : "unique constraint");
            sc_ident_append(&what, c->name);
            sc_buf_puts(&what, " of table ");
            sc_ident_append_qualified(&what, t->schema, t->name);
            sequence_clash(k, t->schema, c->name, sc_buf_str(&what), &c->loc,
                           "the constraint is declared here");
        }
        for (size_t j = 0; j < t->nindexes; j++) {
            sc_index *x = t->indexes[j];
            if (x->name == NULL)
                continue;
            sc_buf_reset(&what);
            sc_buf_puts(&what, "index ");
            sc_ident_append(&what, x->name);
            sc_buf_puts(&what, " of table ");
            sc_ident_append_qualified(&what, t->schema, t->name);
            sequence_clash(k, t->schema, x->name, sc_buf_str(&what), &x->loc,
                           "the index is declared here");
        }
        for (size_t j = 0; j < t->ncolumns; j++) {
            sc_column *c = t->columns[j];
            if (c->serial == 0 && c->identity == 0)
                continue;
            sc_buf_reset(&what);
            sc_buf_printf(&what, "the sequence that %s column ",
                          c->serial != 0 ? "serial" : "identity");
            sc_ident_append_qualified(&what, t->schema, t->name);
            sc_buf_putc(&what, '.');
            sc_ident_append(&what, c->name);
            sc_buf_puts(&what, " implies");
            sequence_clash(k, t->schema, sc_name_make(k->scratch, t->name, c->name, "seq"),
                           sc_buf_str(&what), &c->loc, "the column is declared here");
        }
    }
    sc_buf_free(&what);
    for (size_t i = 0; i < m->nsequences; i++) {
        sc_sequence *q = m->sequences[i];
        if (q->owned_table == NULL)
            continue;
        sc_table *t = sc_strmap_get(&k->tables, key2(k, q->schema, q->owned_table));
        if (t == NULL && k->c->partial)
            continue;
        if (t == NULL) {
            sc_error(&k->c->diags, &q->owned_loc, 1,
                     "sequence %s is owned by table %s, which is not declared",
                     qualified(k, q->schema, q->name), qualified(k, q->schema, q->owned_table));
            continue;
        }
        size_t ti = 0;
        while (m->tables[ti] != t)
            ti++;
        if (find_col(k, ti, q->owned_column) == NULL)
            sc_error(&k->c->diags, &q->owned_loc, 1,
                     "sequence %s is owned by column %s, which table %s does not have",
                     qualified(k, q->schema, q->name), q->owned_column,
                     qualified(k, t->schema, t->name));
    }
}

int sc_compiler_check(sc_compiler *c)
{
    if (c->diags.nerrors > 0)
        return -1;
    checker k;
    memset(&k, 0, sizeof k);
    k.c = c;
    k.m = c->model;
    k.scratch = sc_arena_new();
    k.columns = sc_xcalloc(k.m->ntables == 0 ? 1 : k.m->ntables, sizeof *k.columns);

    check_declarations(&k);
    check_renames(&k);
    resolve_types(&k);
    for (size_t i = 0; i < k.m->ntables; i++)
        check_table(&k, i);
    check_expression_refs(&k);
    for (size_t i = 0; i < k.m->ntables; i++)
        for (size_t j = 0; j < k.m->tables[i]->nconstraints; j++)
            if (k.m->tables[i]->constraints[j]->kind == SC_CON_FOREIGN)
                check_foreign_key(&k, i, k.m->tables[i]->constraints[j]);
    assign_names(&k);
    check_sequences(&k);

    for (size_t i = 0; i < k.m->ntables; i++)
        sc_strmap_free(&k.columns[i]);
    free(k.columns);
    sc_strmap_free(&k.schemas);
    sc_strmap_free(&k.enums);
    sc_strmap_free(&k.tables);
    sc_strmap_free(&k.sequences);
    sc_strmap_free(&k.collations);
    sc_arena_free(k.scratch);
    return c->diags.nerrors > 0 ? -1 : 0;
}
