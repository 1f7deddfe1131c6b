/*
 * The planner (plan.h): compares two models and lists the steps that take
 * a database from the first to the second, each with its SQL, its inverse
 * and its hazards.
 *
 * How it works.  Objects are paired by name (and by rename hints: a table,
 * column or enum label of `to` whose `renamed from` names an object of
 * `from` that `to` no longer has).  Each kind of object is compared in its
 * own function, which appends steps tagged with a phase; at the end the
 * steps are sorted by phase, keeping the order in which they were added
 * within a phase.  The phases encode the dependencies between kinds:
 *
 *   schemas, extensions, collations, enums and sequences are created first;
 *   then foreign keys, indexes and constraints that go away or change are
 *   dropped (foreign keys first, since they depend on unique keys);
 *   then renames (so every step before them uses the names of `from`, every
 *   step after them the names of `to`, and the down script, which runs the
 *   inverses in reverse order, sees the same names);
 *   then tables are created and columns changed; constraints, indexes and
 *   foreign keys added; comments set;
 *   and last columns, tables, sequences, enums, collations, extensions and
 *   schemas dropped.
 *
 * Definitions are compared as the model spells them: the DDL text that
 * ddl.c writes for a constraint or an index (with the names of `from`
 * mapped through renames) must be equal on both sides, else the object is
 * dropped and added again.  A constraint or index whose name changed but
 * whose definition did not is renamed.
 *
 * Every string of a plan lives in the plan's arena; the plan borrows
 * nothing from the models.
 */
#include "plan.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ddl.h"
#include "ident.h"
#include "util.h"

/* Ordering keys of the steps (see the essay above). */
enum {
    PH_SCHEMA = 10,
    PH_EXTENSION = 20,
    PH_COLLATION = 30,
    PH_TYPE = 40, /* enums and sequences: creation and changes */
    PH_FK_DROP = 50,
    PH_INDEX_DROP = 55,
    PH_CON_DROP = 60,
    PH_RENAME = 70,
    PH_TABLE = 80, /* table creation and column changes */
    PH_SEQ_OWN = 85,
    PH_CON_ADD = 90,
    PH_INDEX_ADD = 100,
    PH_FK_ADD = 110,
    PH_COMMENT = 120,
    PH_DROP_COLUMN = 130,
    PH_DROP_TABLE = 140,
    PH_DROP_SEQUENCE = 150,
    PH_DROP_ENUM = 160,
    PH_DROP_COLLATION = 170,
    PH_DROP_EXTENSION = 180,
    PH_DROP_SCHEMA = 190,
};

typedef struct planner {
    sc_plan *plan;
    const sc_model *from, *to;
    sc_buf *err;
    bool failed;
} planner;

/* ------------------------------------------------------------- helpers */

static bool streq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

/* Records that the planner cannot express a change (the first one wins). */
static void unsupported(planner *P, const char *fmt, const char *name)
{
    if (P->failed)
        return;
    P->failed = true;
    sc_buf_printf(P->err, fmt, name);
}

/* schema.name in words: the schema is left out when it is public. */
static char *qname(planner *P, const char *schema, const char *name)
{
    sc_buf b = SC_BUF_INIT;
    sc_ident_append_qualified(&b, schema, name);
    char *s = sc_arena_strdup(P->plan->arena, sc_buf_str(&b));
    sc_buf_free(&b);
    return s;
}

/* table.column in words. */
static char *colname(planner *P, const sc_table *t, const char *column)
{
    sc_buf b = SC_BUF_INIT;
    sc_ident_append_qualified(&b, t->schema, t->name);
    sc_buf_putc(&b, '.');
    sc_ident_append(&b, column);
    char *s = sc_arena_strdup(P->plan->arena, sc_buf_str(&b));
    sc_buf_free(&b);
    return s;
}

/*
 * Appends a step.  `up` and `down` are emptied (their text copied into the
 * plan's arena); a NULL `down` means the step cannot be undone, and
 * `down_why` then says why.  A step is transactional unless its hazards
 * say otherwise.
 */
static void push(planner *P, int phase, const char *what, sc_buf *up, sc_buf *down,
                 const char *down_why, unsigned hazards)
{
    sc_plan *plan = P->plan;
    sc_step s;
    memset(&s, 0, sizeof s);
    s.what = sc_arena_strdup(plan->arena, what);
    s.up = sc_arena_strdup(plan->arena, sc_buf_str(up));
    s.down = down != NULL ? sc_arena_strdup(plan->arena, sc_buf_str(down)) : NULL;
    s.down_why = sc_arena_strdup(plan->arena, down_why);
    s.hazards = hazards;
    s.transactional = (hazards & SC_HAZARD_NON_TRANSACTIONAL) == 0;
    s.phase = phase;
    SC_PUSH(plan->arena, plan->steps, plan->nsteps, plan->capsteps, s);
    sc_buf_free(up);
    if (down != NULL)
        sc_buf_free(down);
}

/* ALTER TABLE schema.name  (no space after) */
static void alter_table(sc_buf *b, const sc_table *t)
{
    sc_buf_puts(b, "ALTER TABLE ");
    sc_ddl_qualified(b, t->schema, t->name);
}

/* ALTER TABLE t <kw> a TO b as `up`, and back as `down`. */
static void rename_both(sc_buf *up, sc_buf *down, const sc_table *t, const char *kw,
                        const char *a, const char *b)
{
    sc_buf *outs[] = {up, down};
    const char *names[][2] = {{a, b}, {b, a}};
    for (int i = 0; i < 2; i++) {
        alter_table(outs[i], t);
        sc_buf_puts(outs[i], kw);
        sc_ident_append(outs[i], names[i][0]);
        sc_buf_puts(outs[i], " TO ");
        sc_ident_append(outs[i], names[i][1]);
        sc_buf_puts(outs[i], ";\n");
    }
}


/* A shallow copy of `t` under another name, for statements that must name
 * the table as it is called at the time they run. */
static sc_table table_as(const sc_table *t, const char *schema, const char *name)
{
    sc_table v = *t;
    v.schema = (char *)schema;
    v.name = (char *)name;
    return v;
}

/* --------------------------------------------------------------- pairing */

/* The table of `from` that `tt` of `to` continues (same name, or the one
 * its rename hint names), or NULL for a new table. */
static sc_table *from_table_of(const planner *P, const sc_table *tt)
{
    sc_table *ft = sc_model_find_table(P->from, tt->schema, tt->name);
    if (ft != NULL || tt->renamed_from == NULL)
        return ft;
    if (sc_model_find_table(P->to, tt->schema, tt->renamed_from) != NULL)
        return NULL;
    return sc_model_find_table(P->from, tt->schema, tt->renamed_from);
}

/* The table of `to` that continues `ft` of `from`, or NULL when it goes. */
static sc_table *to_table_of(const planner *P, const sc_table *ft)
{
    sc_table *tt = sc_model_find_table(P->to, ft->schema, ft->name);
    if (tt != NULL)
        return tt;
    for (size_t i = 0; i < P->to->ntables; i++) {
        sc_table *t = P->to->tables[i];
        if (t->renamed_from != NULL && from_table_of(P, t) == ft)
            return t;
    }
    return NULL;
}

/* The column of `ft` that column `tc` of `tt` continues, or NULL. */
static sc_column *from_column_of(const sc_table *ft, const sc_table *tt, const sc_column *tc)
{
    sc_column *fc = sc_table_find_column(ft, tc->name);
    if (fc != NULL || tc->renamed_from == NULL)
        return fc;
    if (sc_table_find_column(tt, tc->renamed_from) != NULL)
        return NULL;
    return sc_table_find_column(ft, tc->renamed_from);
}

/* The name in `tt` of column `name` of `ft`, or NULL when it goes. */
static const char *to_column_name(const sc_table *ft, const sc_table *tt, const char *name)
{
    if (tt == NULL)
        return NULL;
    for (size_t i = 0; i < tt->ncolumns; i++) {
        sc_column *fc = from_column_of(ft, tt, tt->columns[i]);
        if (fc != NULL && strcmp(fc->name, name) == 0)
            return tt->columns[i]->name;
    }
    return NULL;
}

/* Copies names of `ft`'s columns into the arena, renamed as in `tt`. */
static char **map_columns(planner *P, const sc_table *ft, const sc_table *tt, char **names,
                          size_t n)
{
    if (n == 0)
        return names;
    char **out = sc_arena_alloc(P->plan->arena, n * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const char *m = to_column_name(ft, tt, names[i]);
        out[i] = (char *)(m != NULL ? m : names[i]);
    }
    return out;
}

/* A copy of constraint `c` of `ft` with the names of `to` (columns and the
 * referenced table renamed), for comparison with `to`'s constraints. */
static sc_constraint map_constraint(planner *P, const sc_table *ft, const sc_table *tt,
                                    const sc_constraint *c)
{
    sc_constraint m = *c;
    m.columns = map_columns(P, ft, tt, c->columns, c->ncolumns);
    m.include = map_columns(P, ft, tt, c->include, c->ninclude);
    m.delete_columns = map_columns(P, ft, tt, c->delete_columns, c->ndelete_columns);
    if (c->kind == SC_CON_FOREIGN) {
        sc_table *fref = sc_model_find_table(P->from, c->ref_schema, c->ref_table);
        sc_table *tref = fref != NULL ? to_table_of(P, fref) : NULL;
        if (tref != NULL) {
            m.ref_table = tref->name;
            m.ref_columns = map_columns(P, fref, tref, c->ref_columns, c->nref_columns);
        }
    }
    return m;
}

/* The definition of a constraint as text, with or without its name. */
static char *con_text(planner *P, const sc_constraint *c, bool with_name)
{
    sc_constraint v = *c;
    if (!with_name)
        v.name = NULL;
    sc_buf b = SC_BUF_INIT;
    sc_ddl_constraint(&b, &v, v.not_valid);
    char *s = sc_arena_strdup(P->plan->arena, sc_buf_str(&b));
    sc_buf_free(&b);
    return s;
}

/* A copy of index `x` of `ft` with the column names of `tt`. */
static sc_index map_index(planner *P, const sc_table *ft, const sc_table *tt, const sc_index *x)
{
    sc_index m = *x;
    m.include = map_columns(P, ft, tt, x->include, x->ninclude);
    if (x->nkeys > 0) {
        m.keys = sc_arena_alloc(P->plan->arena, x->nkeys * sizeof *m.keys);
        for (size_t i = 0; i < x->nkeys; i++) {
            m.keys[i] = x->keys[i];
            if (x->keys[i].column != NULL) {
                const char *n = to_column_name(ft, tt, x->keys[i].column);
                if (n != NULL)
                    m.keys[i].column = (char *)n;
            }
        }
    }
    return m;
}

/* The definition of an index as text (on table `t`), with or without its
 * name. */
static char *index_text(planner *P, const sc_table *t, const sc_index *x, bool with_name)
{
    sc_index v = *x;
    if (!with_name)
        v.name = "?";
    sc_buf b = SC_BUF_INIT;
    sc_ddl_create_index(&b, t, &v, false);
    char *s = sc_arena_strdup(P->plan->arena, sc_buf_str(&b));
    sc_buf_free(&b);
    return s;
}

static sc_constraint *find_constraint(const sc_table *t, const char *name)
{
    for (size_t i = 0; t != NULL && i < t->nconstraints; i++)
        if (streq(t->constraints[i]->name, name))
            return t->constraints[i];
    return NULL;
}

static sc_index *find_index(const sc_table *t, const char *name)
{
    for (size_t i = 0; t != NULL && i < t->nindexes; i++)
        if (streq(t->indexes[i]->name, name))
            return t->indexes[i];
    return NULL;
}

/* ------------------------------------------------------ sequence options */

static bool seqopts_equal(const sc_seqopts *a, const sc_seqopts *b)
{
    return a->has_start == b->has_start && (!a->has_start || a->start == b->start) &&
           a->has_increment == b->has_increment &&
           (!a->has_increment || a->increment == b->increment) && a->has_min == b->has_min &&
           (!a->has_min || a->min == b->min) && a->has_max == b->has_max &&
           (!a->has_max || a->max == b->max) && a->has_cache == b->has_cache &&
           (!a->has_cache || a->cache == b->cache) && a->has_cycle == b->has_cycle &&
           (!a->has_cycle || a->cycle == b->cycle) && a->no_min == b->no_min &&
           a->no_max == b->no_max;
}

/* Whether options `b` narrow the range of options `a` (a higher minimum
 * or a lower maximum), which fails when the sequence's current value
 * falls outside the new range. */
static bool seqopts_narrow(const sc_seqopts *a, const sc_seqopts *b)
{
    return (b->has_min && (!a->has_min || b->min > a->min)) ||
           (b->has_max && (!a->has_max || b->max < a->max));
}

/*
 * Narrowing a sequence's range (a higher minimum, a lower maximum) fails
 * when its current value lies outside the new range.  The values handed
 * out so far then all lie beyond the new range on the side the sequence
 * came from, so restarting it at its new start never repeats one: the
 * statement in `sql` (one statement ending in ";\n") becomes a DO block
 * that adds RESTART only in that case.  `seq` is SQL giving the
 * sequence's name as text; `type` the sequence's integer type.
 */
static void restart_if_outside(sc_buf *sql, const char *seq, const sc_seqopts *b,
                               const char *type)
{
    int64_t inc = b->has_increment ? b->increment : 1;
    int64_t typemax = streq(type, "smallint") ? INT16_MAX
                      : streq(type, "integer") ? INT32_MAX
                                               : INT64_MAX;
    int64_t typemin = streq(type, "smallint") ? INT16_MIN
                      : streq(type, "integer") ? INT32_MIN
                                               : INT64_MIN;
    int64_t min = b->has_min ? b->min : inc > 0 ? 1 : typemin;
    int64_t max = b->has_max ? b->max : inc > 0 ? typemax : -1;
    size_t len = sql->len;
    while (len > 0 && (sql->data[len - 1] == '\n' || sql->data[len - 1] == ';'))
        len--;
    char *stmt = sc_xstrndup(sql->data, len);
    sc_buf plain = SC_BUF_INIT, restart = SC_BUF_INIT, body = SC_BUF_INIT;
    sc_sql_literal_append(&plain, stmt);
    sc_buf_printf(&restart, "%s RESTART", stmt);
    char *r = sc_buf_detach(&restart);
    sc_sql_literal_append(&restart, r);
    sc_buf_printf(&body,
                  "DECLARE v bigint; BEGIN "
                  "EXECUTE 'SELECT last_value FROM ' || %s INTO v; "
                  "IF v < %" PRId64 " OR v > %" PRId64 " THEN EXECUTE %s; ELSE EXECUTE %s; "
                  "END IF; END",
                  seq, min, max, sc_buf_str(&restart), sc_buf_str(&plain));
    sc_buf_reset(sql);
    sc_buf_puts(sql, "DO ");
    sc_sql_literal_append(sql, sc_buf_str(&body));
    sc_buf_puts(sql, ";\n");
    free(stmt);
    free(r);
    sc_buf_free(&plain);
    sc_buf_free(&restart);
    sc_buf_free(&body);
}

/* The start value of a sequence with options `o`: the one written, else
 * PostgreSQL's default (the minimum when ascending, the maximum when
 * descending). */
static int64_t effective_start(const sc_seqopts *o)
{
    int64_t inc = o->has_increment ? o->increment : 1;
    if (o->has_start)
        return o->start;
    if (inc > 0)
        return o->has_min ? o->min : 1;
    return o->has_max ? o->max : -1;
}

/*
 * Appends the options that turn sequence options `a` into `b`, each
 * preceded by `prefix` ("" for ALTER SEQUENCE, "SET " for an identity
 * column) and a space before all but the first.  An option `b` leaves out
 * is reset to PostgreSQL's default.
 */
static void seqopts_change(sc_buf *out, const sc_seqopts *a, const sc_seqopts *b,
                           const char *prefix)
{
    size_t start = out->len;
#define OPT(...)                                                                                \
    do {                                                                                        \
        if (out->len > start)                                                                   \
            sc_buf_putc(out, ' ');                                                              \
        sc_buf_puts(out, prefix);                                                               \
        sc_buf_printf(out, __VA_ARGS__);                                                        \
    } while (0)
    if (a->has_increment != b->has_increment ||
        (b->has_increment && a->increment != b->increment))
        OPT("INCREMENT BY %" PRId64, b->has_increment ? b->increment : 1);
    if (a->has_min != b->has_min || a->no_min != b->no_min || (b->has_min && a->min != b->min)) {
        if (b->has_min)
            OPT("MINVALUE %" PRId64, b->min);
        else
            OPT("NO MINVALUE");
    }
    if (a->has_max != b->has_max || a->no_max != b->no_max || (b->has_max && a->max != b->max)) {
        if (b->has_max)
            OPT("MAXVALUE %" PRId64, b->max);
        else
            OPT("NO MAXVALUE");
    }
    /* the start value defaults to the minimum (or maximum): compare the
     * values in effect, since ALTER SEQUENCE does not move it by itself */
    if (effective_start(a) != effective_start(b))
        OPT("START WITH %" PRId64, effective_start(b));
    if (a->has_cache != b->has_cache || (b->has_cache && a->cache != b->cache))
        OPT("CACHE %" PRId64, b->has_cache ? b->cache : 1);
    if (a->has_cycle != b->has_cycle || (b->has_cycle && a->cycle != b->cycle))
        OPT("%s", b->has_cycle && b->cycle ? "CYCLE" : "NO CYCLE");
#undef OPT
}

/* ------------------------------------------------------------- schemas */

static void plan_schemas(planner *P)
{
    for (size_t i = 0; i < P->to->nschemas; i++) {
        const sc_schema *s = P->to->schemas[i];
        if (strcmp(s->name, "public") == 0)
            continue;
        bool found = false;
        for (size_t j = 0; j < P->from->nschemas; j++)
            found = found || streq(P->from->schemas[j]->name, s->name);
        if (found)
            continue;
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        sc_ddl_create_schema(&up, s);
        sc_buf_puts(&down, "DROP SCHEMA ");
        sc_ident_append(&down, s->name);
        sc_buf_puts(&down, ";\n");
        push(P, PH_SCHEMA, sc_arena_printf(P->plan->arena, "create schema %s", qname(P, NULL, s->name)),
             &up, &down, NULL, 0);
    }
    for (size_t j = 0; j < P->from->nschemas; j++) {
        const sc_schema *s = P->from->schemas[j];
        if (strcmp(s->name, "public") == 0)
            continue;
        bool found = false;
        for (size_t i = 0; i < P->to->nschemas; i++)
            found = found || streq(P->to->schemas[i]->name, s->name);
        if (found)
            continue;
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        sc_buf_puts(&up, "DROP SCHEMA ");
        sc_ident_append(&up, s->name);
        sc_buf_puts(&up, ";\n");
        sc_ddl_create_schema(&down, s);
        if (s->comment != NULL)
            sc_ddl_comment_schema(&down, s);
        push(P, PH_DROP_SCHEMA, sc_arena_printf(P->plan->arena, "drop schema %s", qname(P, NULL, s->name)),
             &up, &down, NULL, 0);
    }
}

/* ---------------------------------------------------------- extensions */

static sc_extension *find_extension(const sc_model *m, const char *name)
{
    for (size_t i = 0; i < m->nextensions; i++)
        if (streq(m->extensions[i]->name, name))
            return m->extensions[i];
    return NULL;
}

/* ALTER EXTENSION name UPDATE TO 'version'; */
static void extension_update(sc_buf *b, const sc_extension *e, const char *version)
{
    sc_buf_puts(b, "ALTER EXTENSION ");
    sc_ident_append(b, e->name);
    sc_buf_puts(b, " UPDATE TO ");
    sc_sql_literal_append(b, version);
    sc_buf_puts(b, ";\n");
}

static void plan_extensions(planner *P)
{
    for (size_t i = 0; i < P->to->nextensions; i++) {
        const sc_extension *e = P->to->extensions[i];
        const sc_extension *f = find_extension(P->from, e->name);
        char *what = NULL;
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        if (f == NULL) {
            sc_ddl_create_extension(&up, e);
            sc_buf_puts(&down, "DROP EXTENSION ");
            sc_ident_append(&down, e->name);
            sc_buf_puts(&down, ";\n");
            what = sc_arena_printf(P->plan->arena, "create extension %s", e->name);
            push(P, PH_EXTENSION, what, &up, &down, NULL, 0);
            continue;
        }
        if (e->schema != NULL && f->schema != NULL && !streq(e->schema, f->schema)) {
            unsupported(P, "moving extension %s to another schema is not supported yet", e->name);
            continue;
        }
        if (e->version != NULL && f->version != NULL && !streq(e->version, f->version)) {
            extension_update(&up, e, e->version);
            what = sc_arena_printf(P->plan->arena, "update extension %s from version %s to %s",
                                   e->name, f->version, e->version);
            sc_buf_free(&down);
            push(P, PH_EXTENSION, what, &up, NULL,
                 "extensions ship update scripts to newer versions only", 0);
        }
    }
    for (size_t j = 0; j < P->from->nextensions; j++) {
        const sc_extension *f = P->from->extensions[j];
        if (find_extension(P->to, f->name) != NULL)
            continue;
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        sc_buf_puts(&up, "DROP EXTENSION ");
        sc_ident_append(&up, f->name);
        sc_buf_puts(&up, ";\n");
        sc_ddl_create_extension(&down, f);
        if (f->comment != NULL)
            sc_ddl_comment_extension(&down, f);
        push(P, PH_DROP_EXTENSION, sc_arena_printf(P->plan->arena, "drop extension %s", f->name),
             &up, &down, NULL, 0);
    }
}

/* ---------------------------------------------------------- collations */

static void drop_collation_sql(sc_buf *b, const sc_collation *k)
{
    sc_buf_puts(b, "DROP COLLATION ");
    sc_ddl_qualified(b, k->schema, k->name);
    sc_buf_puts(b, ";\n");
}

static void plan_collations(planner *P)
{
    for (size_t i = 0; i < P->to->ncollations; i++) {
        const sc_collation *k = P->to->collations[i];
        const sc_collation *f = sc_model_find_collation(P->from, k->schema, k->name);
        if (f != NULL) {
            if (f->provider != k->provider || !streq(f->locale, k->locale) ||
                !streq(f->lc_collate, k->lc_collate) || !streq(f->lc_ctype, k->lc_ctype) ||
                f->nondeterministic != k->nondeterministic)
                unsupported(P, "changing the definition of collation %s is not supported yet",
                            qname(P, k->schema, k->name));
            continue;
        }
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        sc_ddl_create_collation(&up, k);
        drop_collation_sql(&down, k);
        push(P, PH_COLLATION,
             sc_arena_printf(P->plan->arena, "create collation %s", qname(P, k->schema, k->name)),
             &up, &down, NULL, 0);
    }
    for (size_t j = 0; j < P->from->ncollations; j++) {
        const sc_collation *f = P->from->collations[j];
        if (sc_model_find_collation(P->to, f->schema, f->name) != NULL)
            continue;
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        drop_collation_sql(&up, f);
        sc_ddl_create_collation(&down, f);
        if (f->comment != NULL)
            sc_ddl_comment_collation(&down, f);
        push(P, PH_DROP_COLLATION,
             sc_arena_printf(P->plan->arena, "drop collation %s", qname(P, f->schema, f->name)),
             &up, &down, NULL, 0);
    }
}

/* --------------------------------------------------------------- enums */

static bool enum_has(const sc_enum *e, const char *value)
{
    for (size_t i = 0; i < e->nlabels; i++)
        if (streq(e->labels[i].value, value))
            return true;
    return false;
}

static void drop_type_sql(sc_buf *b, const sc_enum *e)
{
    sc_buf_puts(b, "DROP TYPE ");
    sc_ddl_qualified(b, e->schema, e->name);
    sc_buf_puts(b, ";\n");
}

/* ALTER TYPE schema.name RENAME VALUE 'a' TO 'b'; */
static void rename_value_sql(sc_buf *b, const sc_enum *e, const char *from, const char *to)
{
    sc_buf_puts(b, "ALTER TYPE ");
    sc_ddl_qualified(b, e->schema, e->name);
    sc_buf_puts(b, " RENAME VALUE ");
    sc_sql_literal_append(b, from);
    sc_buf_puts(b, " TO ");
    sc_sql_literal_append(b, to);
    sc_buf_puts(b, ";\n");
}

/*
 * Changes of an enum that both models have: label renames, then added
 * labels.  The labels of `from` (renamed) must keep their order in `to`;
 * removing or reordering labels is not supported yet.  An added label
 * cannot be removed by PostgreSQL, so its step has no down.
 */
static void plan_enum_change(planner *P, const sc_enum *f, const sc_enum *e)
{
    char *ename = qname(P, e->schema, e->name);
    /* the labels of `from` as `to` calls them */
    const char **have = calloc(f->nlabels + 1, sizeof *have);
    for (size_t i = 0; i < f->nlabels; i++) {
        have[i] = f->labels[i].value;
        for (size_t j = 0; j < e->nlabels; j++) {
            const sc_enum_label *l = &e->labels[j];
            if (l->renamed_from != NULL && streq(l->renamed_from, f->labels[i].value) &&
                !enum_has(f, l->value) && !enum_has(e, l->renamed_from)) {
                have[i] = l->value;
                sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
                rename_value_sql(&up, e, l->renamed_from, l->value);
                rename_value_sql(&down, e, l->value, l->renamed_from);
                push(P, PH_TYPE,
                     sc_arena_printf(P->plan->arena, "rename label '%s' of enum %s to '%s'",
                                     l->renamed_from, ename, l->value),
                     &up, &down, NULL, 0);
            }
        }
    }
    /* every old label must be in `to`, in the same order */
    size_t pos = 0;
    for (size_t i = 0; i < f->nlabels; i++) {
        while (pos < e->nlabels && !streq(e->labels[pos].value, have[i]))
            pos++;
        if (pos == e->nlabels) {
            unsupported(P, "removing or reordering labels of enum %s is not supported yet", ename);
            free(have);
            return;
        }
    }
    for (size_t j = 0; j < e->nlabels; j++) {
        const char *v = e->labels[j].value;
        bool old = false;
        for (size_t i = 0; i < f->nlabels; i++)
            old = old || streq(have[i], v);
        if (old)
            continue;
        sc_buf up = SC_BUF_INIT;
        sc_buf_puts(&up, "ALTER TYPE ");
        sc_ddl_qualified(&up, e->schema, e->name);
        sc_buf_puts(&up, " ADD VALUE ");
        sc_sql_literal_append(&up, v);
        if (j > 0) {
            sc_buf_puts(&up, " AFTER ");
            sc_sql_literal_append(&up, e->labels[j - 1].value);
        } else if (f->nlabels > 0) {
            sc_buf_puts(&up, " BEFORE ");
            sc_sql_literal_append(&up, have[0]);
        }
        sc_buf_puts(&up, ";\n");
        push(P, PH_TYPE,
             sc_arena_printf(P->plan->arena, "add label '%s' to enum %s", v, ename), &up, NULL,
             "PostgreSQL cannot remove a label from an enum",
             SC_HAZARD_NON_TRANSACTIONAL);
    }
    free(have);
}

static void plan_enums(planner *P)
{
    for (size_t i = 0; i < P->to->nenums; i++) {
        const sc_enum *e = P->to->enums[i];
        const sc_enum *f = sc_model_find_enum(P->from, e->schema, e->name);
        if (f == NULL && e->renamed_from != NULL &&
            sc_model_find_enum(P->from, e->schema, e->renamed_from) != NULL) {
            unsupported(P, "renaming enum %s is not supported yet", qname(P, e->schema, e->name));
            continue;
        }
        if (f != NULL) {
            plan_enum_change(P, f, e);
            continue;
        }
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        sc_ddl_create_enum(&up, e);
        drop_type_sql(&down, e);
        push(P, PH_TYPE,
             sc_arena_printf(P->plan->arena, "create enum %s", qname(P, e->schema, e->name)), &up,
             &down, NULL, 0);
    }
    for (size_t j = 0; j < P->from->nenums; j++) {
        const sc_enum *f = P->from->enums[j];
        if (sc_model_find_enum(P->to, f->schema, f->name) != NULL)
            continue;
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        drop_type_sql(&up, f);
        sc_ddl_create_enum(&down, f);
        if (f->comment != NULL)
            sc_ddl_comment_enum(&down, f);
        push(P, PH_DROP_ENUM,
             sc_arena_printf(P->plan->arena, "drop enum %s", qname(P, f->schema, f->name)), &up,
             &down, NULL, 0);
    }
}

/* ----------------------------------------------------------- sequences */

static void drop_sequence_sql(sc_buf *b, const sc_sequence *q)
{
    sc_buf_puts(b, "DROP SEQUENCE ");
    sc_ddl_qualified(b, q->schema, q->name);
    sc_buf_puts(b, ";\n");
}

static const char *seq_type(const sc_sequence *q)
{
    return q->type != NULL ? q->type : "bigint";
}

/* ALTER SEQUENCE q [AS type] options  that turn `a` into `b`. */
static void alter_sequence_sql(sc_buf *out, const sc_sequence *a, const sc_sequence *b)
{
    sc_buf_puts(out, "ALTER SEQUENCE ");
    sc_ddl_qualified(out, b->schema, b->name);
    if (!streq(seq_type(a), seq_type(b)))
        sc_buf_printf(out, " AS %s", seq_type(b));
    sc_buf opts = SC_BUF_INIT;
    seqopts_change(&opts, &a->opts, &b->opts, "");
    if (opts.len > 0) {
        sc_buf_putc(out, ' ');
        sc_buf_puts(out, sc_buf_str(&opts));
    }
    sc_buf_free(&opts);
    sc_buf_puts(out, ";\n");
}

/* The owner of `f` (a sequence of `from`) with the names of `to`, so that
 * it can be compared with the owner in `to`. */
static void mapped_owner(planner *P, const sc_sequence *f, const char **table, const char **column)
{
    *table = f->owned_table;
    *column = f->owned_column;
    if (f->owned_table == NULL)
        return;
    sc_table *ft = sc_model_find_table(P->from, f->schema, f->owned_table);
    sc_table *tt = ft != NULL ? to_table_of(P, ft) : NULL;
    if (tt == NULL)
        return;
    *table = tt->name;
    const char *c = to_column_name(ft, tt, f->owned_column);
    if (c != NULL)
        *column = c;
}

static void plan_sequences(planner *P)
{
    for (size_t i = 0; i < P->to->nsequences; i++) {
        const sc_sequence *q = P->to->sequences[i];
        const sc_sequence *f = sc_model_find_sequence(P->from, q->schema, q->name);
        char *name = qname(P, q->schema, q->name);
        if (f == NULL) {
            sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
            sc_ddl_create_sequence(&up, q);
            drop_sequence_sql(&down, q);
            push(P, PH_TYPE, sc_arena_printf(P->plan->arena, "create sequence %s", name), &up,
                 &down, NULL, 0);
        } else if (!streq(seq_type(f), seq_type(q)) || !seqopts_equal(&f->opts, &q->opts)) {
            sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
            alter_sequence_sql(&up, f, q);
            alter_sequence_sql(&down, q, f);
            if (seqopts_narrow(&f->opts, &q->opts) || seqopts_narrow(&q->opts, &f->opts)) {
                sc_buf name = SC_BUF_INIT, lit = SC_BUF_INIT;
                sc_ddl_qualified(&name, q->schema, q->name);
                sc_sql_literal_append(&lit, sc_buf_str(&name));
                if (seqopts_narrow(&f->opts, &q->opts))
                    restart_if_outside(&up, sc_buf_str(&lit), &q->opts, seq_type(q));
                sc_buf_reset(&lit);
                sc_buf_reset(&name);
                sc_ddl_qualified(&name, f->schema, f->name);
                sc_sql_literal_append(&lit, sc_buf_str(&name));
                if (seqopts_narrow(&q->opts, &f->opts))
                    restart_if_outside(&down, sc_buf_str(&lit), &f->opts, seq_type(f));
                sc_buf_free(&name);
                sc_buf_free(&lit);
            }
            push(P, PH_TYPE, sc_arena_printf(P->plan->arena, "change options of sequence %s", name),
                 &up, &down, NULL,
                 seqopts_narrow(&f->opts, &q->opts) ? SC_HAZARD_DATA_DEPENDENT : 0);
        }
        /* ownership: released before renames and drops, taken after tables exist */
        const char *ot = NULL, *oc = NULL;
        if (f != NULL)
            mapped_owner(P, f, &ot, &oc);
        if (streq(ot, q->owned_table) && streq(oc, q->owned_column))
            continue;
        if (f != NULL && f->owned_table != NULL) {
            sc_sequence none = *f;
            none.owned_table = NULL;
            sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
            sc_ddl_sequence_owned_by(&up, &none);
            sc_ddl_sequence_owned_by(&down, f);
            push(P, PH_CON_DROP,
                 sc_arena_printf(P->plan->arena, "release sequence %s from column %s", name,
                                 qname(P, f->owned_table, f->owned_column)),
                 &up, &down, NULL, 0);
        }
        if (q->owned_table != NULL) {
            sc_sequence none = *q;
            none.owned_table = NULL;
            sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
            sc_ddl_sequence_owned_by(&up, q);
            sc_ddl_sequence_owned_by(&down, &none);
            push(P, PH_SEQ_OWN,
                 sc_arena_printf(P->plan->arena, "make column %s own sequence %s",
                                 qname(P, q->owned_table, q->owned_column), name),
                 &up, &down, NULL, 0);
        }
    }
    for (size_t j = 0; j < P->from->nsequences; j++) {
        const sc_sequence *f = P->from->sequences[j];
        if (sc_model_find_sequence(P->to, f->schema, f->name) != NULL)
            continue;
        char *name = qname(P, f->schema, f->name);
        if (f->owned_table != NULL) {
            /* DROP TABLE would drop an owned sequence; release it first */
            sc_sequence none = *f;
            none.owned_table = NULL;
            sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
            sc_ddl_sequence_owned_by(&up, &none);
            sc_ddl_sequence_owned_by(&down, f);
            push(P, PH_CON_DROP,
                 sc_arena_printf(P->plan->arena, "release sequence %s from column %s", name,
                                 qname(P, f->owned_table, f->owned_column)),
                 &up, &down, NULL, 0);
        }
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        drop_sequence_sql(&up, f);
        sc_ddl_create_sequence(&down, f);
        if (f->comment != NULL)
            sc_ddl_comment_sequence(&down, f);
        push(P, PH_DROP_SEQUENCE, sc_arena_printf(P->plan->arena, "drop sequence %s", name), &up,
             &down, "the sequence's current value is not restored", 0);
    }
}

/* -------------------------------------------------------------- tables */

static void drop_table_sql(sc_buf *b, const sc_table *t)
{
    sc_buf_puts(b, "DROP TABLE ");
    sc_ddl_qualified(b, t->schema, t->name);
    sc_buf_puts(b, ";\n");
}

/* CREATE TABLE with the comments of the table, its columns and the
 * constraints written inside it. */
static void create_table_sql(sc_buf *b, const sc_table *t)
{
    sc_ddl_create_table(b, t);
    if (t->comment != NULL)
        sc_ddl_comment_table(b, t);
    for (size_t i = 0; i < t->ncolumns; i++)
        if (t->columns[i]->comment != NULL)
            sc_ddl_comment_column(b, t, t->columns[i]);
    for (size_t i = 0; i < t->nconstraints; i++)
        if (sc_ddl_constraint_in_table(t->constraints[i]) && t->constraints[i]->comment != NULL)
            sc_ddl_comment_constraint(b, t, t->constraints[i]);
}

/* ALTER TABLE t DROP CONSTRAINT name; */
static void drop_constraint_sql(sc_buf *b, const sc_table *t, const sc_constraint *c)
{
    alter_table(b, t);
    sc_buf_puts(b, " DROP CONSTRAINT ");
    sc_ident_append(b, c->name);
    sc_buf_puts(b, ";\n");
}

/* DROP INDEX [CONCURRENTLY] schema.name; */
static void drop_index_sql(sc_buf *b, const sc_table *t, const sc_index *x, bool concurrently)
{
    sc_buf_puts(b, concurrently ? "DROP INDEX CONCURRENTLY " : "DROP INDEX ");
    sc_ddl_qualified(b, t->schema, x->name);
    sc_buf_puts(b, ";\n");
}

/* The SQL that adds constraint `c` to table `t`: when the table has rows
 * (`existing`), a check or foreign key is added NOT VALID and then
 * validated, so that no lock is held while the rows are read. */
static unsigned add_constraint_sql(sc_buf *b, const sc_table *t, const sc_constraint *c,
                                   bool existing)
{
    if (!existing) {
        sc_ddl_add_constraint(b, t, c, c->not_valid);
        return 0;
    }
    if (c->kind == SC_CON_PRIMARY || c->kind == SC_CON_UNIQUE) {
        sc_ddl_add_constraint(b, t, c, false);
        return SC_HAZARD_DATA_DEPENDENT | SC_HAZARD_SCAN | SC_HAZARD_ACCESS_EXCLUSIVE;
    }
    sc_ddl_add_constraint(b, t, c, true);
    if (c->not_valid)
        return 0;
    alter_table(b, t);
    sc_buf_puts(b, " VALIDATE CONSTRAINT ");
    sc_ident_append(b, c->name);
    sc_buf_puts(b, ";\n");
    return SC_HAZARD_DATA_DEPENDENT;
}

/* Drop steps of the constraints and indexes of `ft` that `tt` does not have
 * as they are (all of them when `tt` is NULL: only foreign keys, then, as
 * DROP TABLE takes the rest).  Returns nothing; the matching add steps come
 * from plan_table_additions(). */
static void plan_table_removals(planner *P, const sc_table *ft, const sc_table *tt)
{
    for (size_t i = 0; i < ft->nconstraints; i++) {
        const sc_constraint *c = ft->constraints[i];
        if (tt == NULL && c->kind != SC_CON_FOREIGN)
            continue;
        if (tt != NULL) {
            const sc_constraint *d = find_constraint(tt, c->name);
            sc_constraint m = map_constraint(P, ft, tt, c);
            if (d != NULL && strcmp(con_text(P, &m, true), con_text(P, d, true)) == 0)
                continue;
            /* renamed: same definition under a name `from` lacks */
            bool renamed = false;
            if (d == NULL) {
                char *def = con_text(P, &m, false);
                for (size_t j = 0; j < tt->nconstraints && !renamed; j++) {
                    const sc_constraint *e = tt->constraints[j];
                    renamed = find_constraint(ft, e->name) == NULL &&
                              strcmp(con_text(P, e, false), def) == 0;
                }
            }
            if (renamed)
                continue;
        }
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        drop_constraint_sql(&up, ft, c);
        sc_ddl_add_constraint(&down, ft, c, c->not_valid);
        if (c->comment != NULL)
            sc_ddl_comment_constraint(&down, ft, c);
        push(P, c->kind == SC_CON_FOREIGN ? PH_FK_DROP : PH_CON_DROP,
             sc_arena_printf(P->plan->arena, "drop %s %s on %s", sc_con_kind_name(c->kind),
                             qname(P, NULL, c->name), qname(P, ft->schema, ft->name)),
             &up, &down, NULL, 0);
    }
    if (tt == NULL)
        return;
    for (size_t i = 0; i < ft->nindexes; i++) {
        const sc_index *x = ft->indexes[i];
        const sc_index *y = find_index(tt, x->name);
        sc_index m = map_index(P, ft, tt, x);
        if (y != NULL && strcmp(index_text(P, tt, &m, true), index_text(P, tt, y, true)) == 0)
            continue;
        if (y == NULL) {
            bool renamed = false;
            char *def = index_text(P, tt, &m, false);
            for (size_t j = 0; j < tt->nindexes && !renamed; j++) {
                const sc_index *e = tt->indexes[j];
                renamed = find_index(ft, e->name) == NULL &&
                          strcmp(index_text(P, tt, e, false), def) == 0;
            }
            if (renamed)
                continue;
        }
        if (x->comment != NULL) {
            /* CREATE INDEX CONCURRENTLY must run alone: the comment is
             * cleared (and set again by the down) in a step of its own */
            sc_index none = *x;
            none.comment = NULL;
            sc_buf cup = SC_BUF_INIT, cdown = SC_BUF_INIT;
            sc_ddl_comment_index(&cup, ft, &none);
            sc_ddl_comment_index(&cdown, ft, x);
            push(P, PH_INDEX_DROP,
                 sc_arena_printf(P->plan->arena, "drop comment of index %s",
                                 qname(P, ft->schema, x->name)),
                 &cup, &cdown, NULL, 0);
        }
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        drop_index_sql(&up, ft, x, true);
        sc_ddl_create_index(&down, ft, x, true);
        push(P, PH_INDEX_DROP,
             sc_arena_printf(P->plan->arena, "drop index %s", qname(P, ft->schema, x->name)), &up,
             &down, NULL, SC_HAZARD_NON_TRANSACTIONAL);
    }
}

/* How a type change behaves: whether it rewrites the table and whether it
 * may fail on existing values. */
typedef enum type_change {
    TC_BINARY, /* no rewrite, never fails (varchar widened, numeric widened) */
    TC_WIDEN,  /* rewrite, never fails */
    TC_OTHER,  /* rewrite, may fail (narrowing or a conversion) */
} type_change;

/* The length of varchar(n) / the precision of numeric(p[,s]) in `type`
 * after `prefix`: n, or -1 for no modifier, or -2 when the type is not of
 * that kind.  `scale` receives s (0 when absent). */
static long type_mod(const char *type, const char *prefix, long *scale)
{
    size_t n = strlen(prefix);
    *scale = 0;
    if (strncmp(type, prefix, n) != 0)
        return -2;
    if (type[n] == '\0')
        return -1;
    if (type[n] != '(')
        return -2;
    char *end;
    long v = strtol(type + n + 1, &end, 10);
    if (*end == ',')
        *scale = strtol(end + 1, &end, 10);
    if (strcmp(end, ")") != 0)
        return -2;
    return v;
}

static int int_rank(const char *t)
{
    if (strcmp(t, "smallint") == 0)
        return 1;
    if (strcmp(t, "integer") == 0)
        return 2;
    if (strcmp(t, "bigint") == 0)
        return 3;
    return 0;
}

static type_change classify_type_change(const char *a, const char *b)
{
    if (int_rank(a) > 0 && int_rank(b) > int_rank(a))
        return TC_WIDEN;
    long sa, sb;
    long va = type_mod(a, "character varying", &sa), vb = type_mod(b, "character varying", &sb);
    if (va != -2 && (vb == -1 || (vb >= 0 && va >= 0 && vb >= va)))
        return TC_BINARY;
    if (va != -2 && strcmp(b, "text") == 0)
        return TC_BINARY;
    va = type_mod(a, "numeric", &sa);
    vb = type_mod(b, "numeric", &sb);
    if (va != -2 && (vb == -1 || (va >= 0 && vb >= va && sb == sa)))
        return TC_BINARY;
    return TC_OTHER;
}

/* The family of a type for conversions: 'n' numbers, 's' strings, 0 others. */
static char type_family(const char *t)
{
    long scale;
    if (int_rank(t) > 0 || type_mod(t, "numeric", &scale) != -2 || strcmp(t, "real") == 0 ||
        strcmp(t, "double precision") == 0)
        return 'n';
    if (strcmp(t, "text") == 0 || type_mod(t, "character varying", &scale) != -2 ||
        type_mod(t, "character", &scale) != -2)
        return 's';
    return 0;
}

/*
 * How ALTER COLUMN TYPE converts values from type `a` to `b`: NULL when
 * within numbers or within strings (PostgreSQL's assignment casts, which
 * fail rather than truncate a string), else the cast of a USING clause:
 * "::" from a string, "::text::" otherwise, so that enums and other types
 * without a cast between them convert through their text form.
 */
static const char *using_cast_of(const char *a, const char *b)
{
    char fa = type_family(a), fb = type_family(b);
    if (fa != 0 && fa == fb)
        return NULL;
    if (fa == 's' || strcmp(b, "text") == 0)
        return "::";
    return "::text::";
}

/* ALTER TABLE t ALTER COLUMN c TYPE type [USING ...] [COLLATE x]; for column
 * `c`'s type and collation under the name `name`; `using_cast` (or NULL)
 * from using_cast_of(). */
static void alter_type_sql(sc_buf *b, const sc_table *t, const char *name, const sc_column *c,
                           const char *using_cast)
{
    alter_table(b, t);
    sc_buf_puts(b, " ALTER COLUMN ");
    sc_ident_append(b, name);
    sc_buf_puts(b, " TYPE ");
    sc_buf_puts(b, c->type);
    if (using_cast != NULL) {
        sc_buf_puts(b, " USING ");
        sc_ident_append(b, name);
        sc_buf_puts(b, using_cast);
        sc_buf_puts(b, c->type);
    }
    if (c->collation != NULL) {
        sc_buf_puts(b, " COLLATE ");
        if (c->collation_schema != NULL) {
            sc_ident_append(b, c->collation_schema);
            sc_buf_putc(b, '.');
        }
        sc_ident_append(b, c->collation);
    }
    sc_buf_puts(b, ";\n");
}

/* ALTER TABLE t ALTER COLUMN c <rest>; */
static void alter_column_sql(sc_buf *b, const sc_table *t, const char *name, const char *rest)
{
    alter_table(b, t);
    sc_buf_puts(b, " ALTER COLUMN ");
    sc_ident_append(b, name);
    sc_buf_printf(b, " %s;\n", rest);
}

/* ... SET DEFAULT expr; */
static void set_default_sql(sc_buf *b, const sc_table *t, const char *name, const char *expr)
{
    sc_buf rest = SC_BUF_INIT;
    sc_buf_printf(&rest, "SET DEFAULT %s", expr);
    alter_column_sql(b, t, name, sc_buf_str(&rest));
    sc_buf_free(&rest);
}

/* ... ADD GENERATED ... AS IDENTITY [(options)]; */
static void add_identity_sql(sc_buf *b, const sc_table *t, const char *name, const sc_column *c)
{
    sc_buf rest = SC_BUF_INIT;
    sc_buf_puts(&rest, c->identity == 'a' ? "ADD GENERATED ALWAYS AS IDENTITY"
                                          : "ADD GENERATED BY DEFAULT AS IDENTITY");
    sc_buf opts = SC_BUF_INIT;
    if (sc_ddl_seqopts(&opts, &c->idopts))
        sc_buf_printf(&rest, " (%s)", sc_buf_str(&opts));
    sc_buf_free(&opts);
    alter_column_sql(b, t, name, sc_buf_str(&rest));
    sc_buf_free(&rest);
}

/* ALTER TABLE t ADD COLUMN def; */
static void add_column_sql(sc_buf *b, const sc_table *t, const sc_column *c)
{
    alter_table(b, t);
    sc_buf_puts(b, " ADD COLUMN ");
    sc_ddl_column(b, c);
    sc_buf_puts(b, ";\n");
    if (c->comment != NULL)
        sc_ddl_comment_column(b, t, c);
}

static void drop_column_sql(sc_buf *b, const sc_table *t, const char *name)
{
    alter_table(b, t);
    sc_buf_puts(b, " DROP COLUMN ");
    sc_ident_append(b, name);
    sc_buf_puts(b, ";\n");
}

/*
 * Steps that turn column `fc` into `tc` of table `tt` (named as in `to`;
 * renames have run).  Returns true when the column was dropped and added
 * again (its comment then travels with it).
 */
static bool plan_column_change(planner *P, const sc_table *tt, const sc_column *fc,
                               const sc_column *tc)
{
    char *what = colname(P, tt, tc->name);
    const char *n = tc->name;
    sc_arena *a = P->plan->arena;
    if (fc->serial != tc->serial) {
        unsupported(P, "changing serial on column %s is not supported yet", what);
        return false;
    }
    if (!streq(fc->generated_expr, tc->generated_expr)) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        drop_column_sql(&up, tt, n);
        add_column_sql(&up, tt, tc);
        drop_column_sql(&down, tt, n);
        sc_column old = *fc;
        old.name = (char *)n;
        add_column_sql(&down, tt, &old);
        push(P, PH_TABLE,
             sc_arena_printf(a, "drop and add again column %s (generated expression changed)", what),
             &up, &down, "the values of the column are not restored",
             SC_HAZARD_DATA_LOSS | SC_HAZARD_REWRITE | SC_HAZARD_ACCESS_EXCLUSIVE);
        return true;
    }
    bool type_changed = !streq(fc->type, tc->type) || !streq(fc->collation, tc->collation) ||
                        !streq(fc->collation_schema, tc->collation_schema);
    bool default_changed = !streq(fc->default_expr, tc->default_expr);
    bool identity_changed = fc->identity != tc->identity;
    /* a changed default, with the type unchanged, is one step */
    bool default_replaced = default_changed && !type_changed && fc->default_expr != NULL &&
                            tc->default_expr != NULL && fc->serial == 0;
    if (default_replaced) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        set_default_sql(&up, tt, n, tc->default_expr);
        set_default_sql(&down, tt, n, fc->default_expr);
        push(P, PH_TABLE,
             sc_arena_printf(a, "change default of column %s from %s to %s", what,
                             fc->default_expr, tc->default_expr),
             &up, &down, NULL, 0);
    }
    /* 1. drop the default (a default may not survive a type change) */
    if (fc->default_expr != NULL && (default_changed || type_changed) && fc->serial == 0 &&
        !default_replaced) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        alter_column_sql(&up, tt, n, "DROP DEFAULT");
        set_default_sql(&down, tt, n, fc->default_expr);
        push(P, PH_TABLE, sc_arena_printf(a, "drop default of column %s", what), &up, &down,
             NULL, 0);
    }
    /* 2. drop or change identity */
    if (fc->identity != 0 && tc->identity == 0) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        alter_column_sql(&up, tt, n, "DROP IDENTITY");
        add_identity_sql(&down, tt, n, fc);
        push(P, PH_TABLE, sc_arena_printf(a, "drop identity of column %s", what), &up, &down,
             "the identity sequence restarts from its start value", 0);
    } else if (fc->identity != 0 && tc->identity != 0 &&
               (identity_changed || !seqopts_equal(&fc->idopts, &tc->idopts))) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT, rest = SC_BUF_INIT;
        if (identity_changed)
            sc_buf_puts(&rest, tc->identity == 'a' ? "SET GENERATED ALWAYS"
                                                   : "SET GENERATED BY DEFAULT");
        sc_buf opts = SC_BUF_INIT;
        seqopts_change(&opts, &fc->idopts, &tc->idopts, "SET ");
        if (opts.len > 0)
            sc_buf_printf(&rest, "%s%s", rest.len > 0 ? " " : "", sc_buf_str(&opts));
        alter_column_sql(&up, tt, n, sc_buf_str(&rest));
        sc_buf_reset(&rest);
        sc_buf_reset(&opts);
        if (identity_changed)
            sc_buf_puts(&rest, fc->identity == 'a' ? "SET GENERATED ALWAYS"
                                                   : "SET GENERATED BY DEFAULT");
        seqopts_change(&opts, &tc->idopts, &fc->idopts, "SET ");
        if (opts.len > 0)
            sc_buf_printf(&rest, "%s%s", rest.len > 0 ? " " : "", sc_buf_str(&opts));
        alter_column_sql(&down, tt, n, sc_buf_str(&rest));
        sc_buf_free(&rest);
        sc_buf_free(&opts);
        if (seqopts_narrow(&fc->idopts, &tc->idopts) || seqopts_narrow(&tc->idopts, &fc->idopts)) {
            sc_buf tname_sql = SC_BUF_INIT, seq = SC_BUF_INIT, lit = SC_BUF_INIT;
            sc_ddl_qualified(&tname_sql, tt->schema, tt->name);
            sc_sql_literal_append(&lit, sc_buf_str(&tname_sql));
            sc_buf_printf(&seq, "pg_catalog.pg_get_serial_sequence(%s, ", sc_buf_str(&lit));
            sc_buf_reset(&lit);
            sc_sql_literal_append(&lit, tc->name);
            sc_buf_printf(&seq, "%s)", sc_buf_str(&lit));
            if (seqopts_narrow(&fc->idopts, &tc->idopts))
                restart_if_outside(&up, sc_buf_str(&seq), &tc->idopts, tc->type);
            /* the down step runs after the up, with the column's new name */
            if (seqopts_narrow(&tc->idopts, &fc->idopts))
                restart_if_outside(&down, sc_buf_str(&seq), &fc->idopts, tc->type);
            sc_buf_free(&tname_sql);
            sc_buf_free(&seq);
            sc_buf_free(&lit);
        }
        push(P, PH_TABLE, sc_arena_printf(a, "change identity of column %s", what), &up, &down,
             NULL, seqopts_narrow(&fc->idopts, &tc->idopts) ? SC_HAZARD_DATA_DEPENDENT : 0);
    }
    /* 3. drop not null */
    if (fc->not_null && !tc->not_null) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        alter_column_sql(&up, tt, n, "DROP NOT NULL");
        alter_column_sql(&down, tt, n, "SET NOT NULL");
        push(P, PH_TABLE, sc_arena_printf(a, "drop not null of column %s", what), &up, &down,
             NULL, 0);
    }
    /* 4. type and collation */
    if (type_changed) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        bool same_type = streq(fc->type, tc->type);
        alter_type_sql(&up, tt, n, tc, same_type ? NULL : using_cast_of(fc->type, tc->type));
        alter_type_sql(&down, tt, n, fc, same_type ? NULL : using_cast_of(tc->type, fc->type));
        unsigned h = SC_HAZARD_ACCESS_EXCLUSIVE;
        if (streq(fc->type, tc->type)) {
            h |= SC_HAZARD_SCAN; /* indexes on the column are rebuilt */
        } else {
            type_change k = classify_type_change(fc->type, tc->type);
            if (k != TC_BINARY)
                h |= SC_HAZARD_REWRITE;
            if (k == TC_OTHER)
                h |= SC_HAZARD_DATA_DEPENDENT;
        }
        push(P, PH_TABLE,
             streq(fc->type, tc->type)
                 ? sc_arena_printf(a, "change collation of column %s", what)
                 : sc_arena_printf(a, "change type of column %s from %s to %s", what, fc->type,
                                   tc->type),
             &up, &down, NULL, h);
    }
    /* 5. set not null */
    if (!fc->not_null && tc->not_null) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        alter_column_sql(&up, tt, n, "SET NOT NULL");
        alter_column_sql(&down, tt, n, "DROP NOT NULL");
        push(P, PH_TABLE, sc_arena_printf(a, "set not null on column %s", what), &up, &down,
             NULL, SC_HAZARD_DATA_DEPENDENT | SC_HAZARD_SCAN | SC_HAZARD_ACCESS_EXCLUSIVE);
    }
    /* 6. set the default */
    if (tc->default_expr != NULL && (default_changed || type_changed) && tc->serial == 0 &&
        !default_replaced) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        set_default_sql(&up, tt, n, tc->default_expr);
        alter_column_sql(&down, tt, n, "DROP DEFAULT");
        push(P, PH_TABLE, sc_arena_printf(a, "set default of column %s to %s", what, tc->default_expr),
             &up, &down, NULL, 0);
    }
    /* 7. add identity */
    if (fc->identity == 0 && tc->identity != 0) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        add_identity_sql(&up, tt, n, tc);
        alter_column_sql(&down, tt, n, "DROP IDENTITY");
        push(P, PH_TABLE, sc_arena_printf(a, "add identity to column %s", what), &up, &down,
             NULL, 0);
    }
    return false;
}

/* Steps for a table of `to` and its counterpart `ft` of `from` (NULL for a
 * new table): creation or rename, column changes, and the additions of
 * constraints and indexes, and comments. */
static void plan_table(planner *P, const sc_table *ft, const sc_table *tt)
{
    sc_arena *a = P->plan->arena;
    char *tname = qname(P, tt->schema, tt->name);
    bool existing = ft != NULL;
    if (ft == NULL) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        create_table_sql(&up, tt);
        drop_table_sql(&down, tt);
        push(P, PH_TABLE, sc_arena_printf(a, "create table %s", tname), &up, &down, NULL, 0);
    } else {
        if (strcmp(ft->name, tt->name) != 0) {
            sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
            alter_table(&up, ft);
            sc_buf_puts(&up, " RENAME TO ");
            sc_ident_append(&up, tt->name);
            sc_buf_puts(&up, ";\n");
            alter_table(&down, tt);
            sc_buf_puts(&down, " RENAME TO ");
            sc_ident_append(&down, ft->name);
            sc_buf_puts(&down, ";\n");
            push(P, PH_RENAME,
                 sc_arena_printf(a, "rename table %s to %s", qname(P, ft->schema, ft->name),
                                 tt->name),
                 &up, &down, NULL, 0);
        }
        for (size_t i = 0; i < tt->ncolumns; i++) {
            const sc_column *tc = tt->columns[i];
            const sc_column *fc = from_column_of(ft, tt, tc);
            if (fc == NULL || strcmp(fc->name, tc->name) == 0)
                continue;
            sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
            rename_both(&up, &down, tt, " RENAME COLUMN ", fc->name, tc->name);
            push(P, PH_RENAME,
                 sc_arena_printf(a, "rename column %s to %s", colname(P, tt, fc->name), tc->name),
                 &up, &down, NULL, 0);
        }
    }

    /* columns */
    bool *readded = calloc(tt->ncolumns + 1, sizeof *readded);
    for (size_t i = 0; existing && i < tt->ncolumns; i++) {
        const sc_column *tc = tt->columns[i];
        const sc_column *fc = from_column_of(ft, tt, tc);
        if (fc != NULL) {
            readded[i] = plan_column_change(P, tt, fc, tc);
            continue;
        }
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        add_column_sql(&up, tt, tc);
        drop_column_sql(&down, tt, tc->name);
        unsigned h = 0;
        if (tc->not_null && tc->default_expr == NULL && tc->identity == 0 && tc->serial == 0 &&
            tc->generated_expr == NULL)
            h |= SC_HAZARD_DATA_DEPENDENT;
        if (tc->generated_expr != NULL || tc->identity != 0 || tc->serial != 0)
            h |= SC_HAZARD_REWRITE | SC_HAZARD_ACCESS_EXCLUSIVE;
        sc_buf w = SC_BUF_INIT;
        sc_buf_printf(&w, "add column %s (%s%s)", colname(P, tt, tc->name), tc->type,
                      tc->not_null ? ", not null" : "");
        push(P, PH_TABLE, sc_buf_str(&w), &up, &down, NULL, h);
        sc_buf_free(&w);
        readded[i] = true;
    }
    if (existing) {
        for (size_t i = 0; i < ft->ncolumns; i++) {
            const sc_column *fc = ft->columns[i];
            if (to_column_name(ft, tt, fc->name) != NULL)
                continue;
            sc_table named = table_as(ft, tt->schema, tt->name);
            sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
            drop_column_sql(&up, &named, fc->name);
            add_column_sql(&down, &named, fc);
            push(P, PH_DROP_COLUMN,
                 sc_arena_printf(a, "drop column %s", colname(P, tt, fc->name)), &up, &down,
                 "the values of the column are not restored", SC_HAZARD_DATA_LOSS);
        }
    }

    /* constraints */
    for (size_t i = 0; i < tt->nconstraints; i++) {
        const sc_constraint *c = tt->constraints[i];
        const sc_constraint *d = existing ? find_constraint(ft, c->name) : NULL;
        bool same = false;
        if (d != NULL) {
            sc_constraint m = map_constraint(P, ft, tt, d);
            same = strcmp(con_text(P, &m, true), con_text(P, c, true)) == 0;
        } else if (existing) {
            /* renamed: a constraint of `from` with this definition */
            char *def = con_text(P, c, false);
            for (size_t j = 0; j < ft->nconstraints && d == NULL; j++) {
                const sc_constraint *o = ft->constraints[j];
                if (find_constraint(tt, o->name) != NULL)
                    continue;
                sc_constraint m = map_constraint(P, ft, tt, o);
                if (strcmp(con_text(P, &m, false), def) == 0)
                    d = o;
            }
            if (d != NULL) {
                same = true;
                sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
                rename_both(&up, &down, tt, " RENAME CONSTRAINT ", d->name, c->name);
                push(P, PH_RENAME,
                     sc_arena_printf(a, "rename %s %s on %s to %s", sc_con_kind_name(c->kind),
                                     qname(P, NULL, d->name), tname, c->name),
                     &up, &down, NULL, 0);
            }
        }
        const char *from_comment = same ? d->comment : NULL;
        if (!same) {
            if (!existing && sc_ddl_constraint_in_table(c))
                continue; /* written inside CREATE TABLE, with its comment */
            sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
            unsigned h = add_constraint_sql(&up, tt, c, existing);
            drop_constraint_sql(&down, tt, c);
            push(P, c->kind == SC_CON_FOREIGN ? PH_FK_ADD : PH_CON_ADD,
                 sc_arena_printf(a, "add %s %s on %s", sc_con_kind_name(c->kind),
                                 qname(P, NULL, c->name), tname),
                 &up, &down, NULL, h);
        }
        if (!streq(from_comment, c->comment)) {
            sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
            sc_constraint old = *c;
            old.comment = (char *)from_comment;
            sc_ddl_comment_constraint(&up, tt, c);
            sc_ddl_comment_constraint(&down, tt, &old);
            push(P, PH_COMMENT,
                 sc_arena_printf(a, "set comment of %s %s on %s", sc_con_kind_name(c->kind),
                                 qname(P, NULL, c->name), tname),
                 &up, &down, NULL, 0);
        }
    }

    /* indexes */
    for (size_t i = 0; i < tt->nindexes; i++) {
        const sc_index *x = tt->indexes[i];
        const sc_index *y = existing ? find_index(ft, x->name) : NULL;
        char *xname = qname(P, tt->schema, x->name);
        bool same = false;
        if (y != NULL) {
            sc_index m = map_index(P, ft, tt, y);
            same = strcmp(index_text(P, tt, &m, true), index_text(P, tt, x, true)) == 0;
        } else if (existing) {
            char *def = index_text(P, tt, x, false);
            for (size_t j = 0; j < ft->nindexes && y == NULL; j++) {
                const sc_index *o = ft->indexes[j];
                if (find_index(tt, o->name) != NULL)
                    continue;
                sc_index m = map_index(P, ft, tt, o);
                if (strcmp(index_text(P, tt, &m, false), def) == 0)
                    y = o;
            }
            if (y != NULL) {
                same = true;
                sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
                sc_buf_puts(&up, "ALTER INDEX ");
                sc_ddl_qualified(&up, tt->schema, y->name);
                sc_buf_puts(&up, " RENAME TO ");
                sc_ident_append(&up, x->name);
                sc_buf_puts(&up, ";\n");
                sc_buf_puts(&down, "ALTER INDEX ");
                sc_ddl_qualified(&down, tt->schema, x->name);
                sc_buf_puts(&down, " RENAME TO ");
                sc_ident_append(&down, y->name);
                sc_buf_puts(&down, ";\n");
                push(P, PH_RENAME,
                     sc_arena_printf(a, "rename index %s to %s", qname(P, tt->schema, y->name),
                                     x->name),
                     &up, &down, NULL, 0);
            }
        }
        const char *from_comment = same ? y->comment : NULL;
        if (!same) {
            sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
            sc_ddl_create_index(&up, tt, x, existing);
            drop_index_sql(&down, tt, x, existing);
            unsigned h = existing ? SC_HAZARD_NON_TRANSACTIONAL : 0;
            if (existing && x->unique)
                h |= SC_HAZARD_DATA_DEPENDENT;
            push(P, PH_INDEX_ADD, sc_arena_printf(a, "create index %s on %s", xname, tname), &up,
                 &down, NULL, h);
        }
        if (!streq(from_comment, x->comment)) {
            sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
            sc_index old = *x;
            old.comment = (char *)from_comment;
            sc_ddl_comment_index(&up, tt, x);
            sc_ddl_comment_index(&down, tt, &old);
            push(P, PH_COMMENT, sc_arena_printf(a, "set comment of index %s", xname), &up, &down,
                 NULL, 0);
        }
    }

    /* comments of the table and its columns (a new table has them already) */
    if (existing && !streq(ft->comment, tt->comment)) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        sc_table old = *tt;
        old.comment = ft->comment;
        sc_ddl_comment_table(&up, tt);
        sc_ddl_comment_table(&down, &old);
        push(P, PH_COMMENT, sc_arena_printf(a, "set comment of table %s", tname), &up, &down,
             NULL, 0);
    }
    for (size_t i = 0; existing && i < tt->ncolumns; i++) {
        const sc_column *tc = tt->columns[i];
        const sc_column *fc = from_column_of(ft, tt, tc);
        if (readded[i] || fc == NULL || streq(fc->comment, tc->comment))
            continue;
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        sc_column old = *tc;
        old.comment = fc->comment;
        sc_ddl_comment_column(&up, tt, tc);
        sc_ddl_comment_column(&down, tt, &old);
        push(P, PH_COMMENT, sc_arena_printf(a, "set comment of column %s", colname(P, tt, tc->name)),
             &up, &down, NULL, 0);
    }
    free(readded);
}

/* Drops a table of `from` that `to` does not have: its foreign keys go in
 * an early phase (plan_table_removals), the table itself late.  The down
 * builds the table again with its indexes, constraints and comments. */
static void plan_drop_table(planner *P, const sc_table *ft)
{
    sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
    drop_table_sql(&up, ft);
    create_table_sql(&down, ft);
    for (size_t i = 0; i < ft->nconstraints; i++) {
        const sc_constraint *c = ft->constraints[i];
        if (c->kind == SC_CON_FOREIGN || sc_ddl_constraint_in_table(c))
            continue;
        sc_ddl_add_constraint(&down, ft, c, c->not_valid);
        if (c->comment != NULL)
            sc_ddl_comment_constraint(&down, ft, c);
    }
    for (size_t i = 0; i < ft->nindexes; i++) {
        sc_ddl_create_index(&down, ft, ft->indexes[i], false);
        if (ft->indexes[i]->comment != NULL)
            sc_ddl_comment_index(&down, ft, ft->indexes[i]);
    }
    push(P, PH_DROP_TABLE,
         sc_arena_printf(P->plan->arena, "drop table %s", qname(P, ft->schema, ft->name)), &up,
         &down, "rows are not restored", SC_HAZARD_DATA_LOSS);
}

static void plan_tables(planner *P)
{
    for (size_t i = 0; i < P->from->ntables; i++) {
        const sc_table *ft = P->from->tables[i];
        plan_table_removals(P, ft, to_table_of(P, ft));
    }
    for (size_t i = 0; i < P->to->ntables; i++) {
        const sc_table *tt = P->to->tables[i];
        plan_table(P, from_table_of(P, tt), tt);
    }
    for (size_t i = 0; i < P->from->ntables; i++)
        if (to_table_of(P, P->from->tables[i]) == NULL)
            plan_drop_table(P, P->from->tables[i]);
}

/* ------------------------------------------------ comments of the rest */

/* Appends a comment step when the comment of object `obj` (of `type`)
 * changed from `fromc` to `toc`; `fn` writes its COMMENT statement. */
#define COMMENT_STEP(P, type, what, fromc, toc, obj, fn)                                            \
    do {                                                                                        \
        if (!streq((fromc), (toc))) {                                                           \
            type _old = *(obj);                                                                 \
            _old.comment = (char *)(fromc);                                                     \
            sc_buf _up = SC_BUF_INIT, _down = SC_BUF_INIT;                                      \
            fn(&_up, (obj));                                                                    \
            fn(&_down, &_old);                                                                  \
            push((P), PH_COMMENT, (what), &_up, &_down, NULL, 0);                               \
        }                                                                                       \
    } while (0)

static void plan_other_comments(planner *P)
{
    sc_arena *a = P->plan->arena;
    for (size_t i = 0; i < P->to->nschemas; i++) {
        const sc_schema *s = P->to->schemas[i], *f = NULL;
        for (size_t j = 0; j < P->from->nschemas; j++)
            if (streq(P->from->schemas[j]->name, s->name))
                f = P->from->schemas[j];
        COMMENT_STEP(P, sc_schema, sc_arena_printf(a, "set comment of schema %s", s->name),
                     f != NULL ? f->comment : NULL, s->comment, s, sc_ddl_comment_schema);
    }
    for (size_t i = 0; i < P->to->nextensions; i++) {
        const sc_extension *e = P->to->extensions[i];
        const sc_extension *f = find_extension(P->from, e->name);
        COMMENT_STEP(P, sc_extension, sc_arena_printf(a, "set comment of extension %s", e->name),
                     f != NULL ? f->comment : NULL, e->comment, e, sc_ddl_comment_extension);
    }
    for (size_t i = 0; i < P->to->ncollations; i++) {
        const sc_collation *k = P->to->collations[i];
        const sc_collation *f = sc_model_find_collation(P->from, k->schema, k->name);
        COMMENT_STEP(P, sc_collation,
                     sc_arena_printf(a, "set comment of collation %s", qname(P, k->schema, k->name)),
                     f != NULL ? f->comment : NULL, k->comment, k, sc_ddl_comment_collation);
    }
    for (size_t i = 0; i < P->to->nenums; i++) {
        const sc_enum *e = P->to->enums[i];
        const sc_enum *f = sc_model_find_enum(P->from, e->schema, e->name);
        COMMENT_STEP(P, sc_enum, sc_arena_printf(a, "set comment of enum %s", qname(P, e->schema, e->name)),
                     f != NULL ? f->comment : NULL, e->comment, e, sc_ddl_comment_enum);
    }
    for (size_t i = 0; i < P->to->nsequences; i++) {
        const sc_sequence *q = P->to->sequences[i];
        const sc_sequence *f = sc_model_find_sequence(P->from, q->schema, q->name);
        COMMENT_STEP(P, sc_sequence,
                     sc_arena_printf(a, "set comment of sequence %s", qname(P, q->schema, q->name)),
                     f != NULL ? f->comment : NULL, q->comment, q, sc_ddl_comment_sequence);
    }
}

/* ---------------------------------------------------------------- plan */

typedef struct ordered {
    sc_step step;
    size_t seq;
} ordered;

static int cmp_ordered(const void *pa, const void *pb)
{
    const ordered *a = pa, *b = pb;
    if (a->step.phase != b->step.phase)
        return a->step.phase < b->step.phase ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Sorts the steps by phase, keeping the order of addition within one. */
static void sort_steps(sc_plan *plan)
{
    if (plan->nsteps < 2)
        return;
    ordered *v = malloc(plan->nsteps * sizeof *v);
    for (size_t i = 0; i < plan->nsteps; i++) {
        v[i].step = plan->steps[i];
        v[i].seq = i;
    }
    qsort(v, plan->nsteps, sizeof *v, cmp_ordered);
    for (size_t i = 0; i < plan->nsteps; i++)
        plan->steps[i] = v[i].step;
    free(v);
}

int sc_plan_build(sc_plan *plan, const sc_model *from, const sc_model *to, sc_buf *err)
{
    memset(plan, 0, sizeof *plan);
    plan->arena = sc_arena_new();
    planner P = {.plan = plan, .from = from, .to = to, .err = err, .failed = false};
    plan_schemas(&P);
    plan_extensions(&P);
    plan_collations(&P);
    plan_enums(&P);
    plan_sequences(&P);
    plan_tables(&P);
    plan_other_comments(&P);
    sort_steps(plan);
    return P.failed ? -1 : 0;
}

void sc_plan_free(sc_plan *plan)
{
    if (plan == NULL)
        return;
    sc_arena_free(plan->arena);
    memset(plan, 0, sizeof *plan);
}

sc_risk sc_step_risk(const sc_step *s)
{
    if (s->hazards & SC_HAZARD_DATA_LOSS)
        return SC_RISK_DANGEROUS;
    return s->hazards != 0 ? SC_RISK_RISKY : SC_RISK_SAFE;
}

void sc_plan_up_sql(sc_buf *out, const sc_plan *plan)
{
    for (size_t i = 0; i < plan->nsteps; i++)
        sc_buf_puts(out, plan->steps[i].up);
}

void sc_plan_down_sql(sc_buf *out, const sc_plan *plan)
{
    for (size_t i = plan->nsteps; i-- > 0;) {
        const sc_step *s = &plan->steps[i];
        if (s->down != NULL)
            sc_buf_puts(out, s->down);
        else
            sc_buf_printf(out, "-- cannot undo: %s: %s\n", s->what,
                          s->down_why != NULL ? s->down_why : "no inverse");
    }
}

/* Names of the hazard bits, in bit order. */
static const char *const hazard_names[] = {
    "data_loss", "rewrite", "access_exclusive", "scan", "data_dependent", "non_transactional",
};

void sc_plan_describe(sc_buf *out, const sc_plan *plan)
{
    static const char *const risks[] = {"safe", "risky", "dangerous"};
    for (size_t i = 0; i < plan->nsteps; i++) {
        const sc_step *s = &plan->steps[i];
        sc_buf_puts(out, s->what);
        if (s->hazards != 0) {
            sc_buf_puts(out, " [");
            const char *sep = "";
            for (size_t b = 0; b < sizeof hazard_names / sizeof *hazard_names; b++) {
                if (s->hazards & (1u << b)) {
                    sc_buf_printf(out, "%s%s", sep, hazard_names[b]);
                    sep = ", ";
                }
            }
            sc_buf_putc(out, ']');
        }
        sc_buf_printf(out, " %s\n", risks[sc_step_risk(s)]);
    }
}
