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
 * Steps are safe by default.  A step that may fail on existing rows
 * carries the data_dependent hazard and a preflight: DO blocks that count
 * the offending rows and raise "schemac pre-flight: ..." before anything
 * changes (see "pre-flight checks" below for how they read the database
 * as `from` left it, since the emitter runs them all before the first
 * step).  An inverse that may fail (the down of a widening narrows, the
 * down of a dropped unique key or check adds it back) carries a
 * down_preflight, written against `to`.  Constraints on tables that have
 * rows are added NOT VALID, and validated by a later step marked
 * `separate` (plan.h), which the emitter runs in a transaction of its own
 * after the NOT VALID one has committed, so that the scan holds no lock
 * that blocks reads or writes; the down of a dropped check or foreign key
 * does the same through a step whose up is only a comment.  SET NOT NULL
 * leans on such a validated check so that PostgreSQL skips its own scan:
 * the check is added with the other changes, validated in the validation
 * phase, and SET NOT NULL and the check's drop come after.  A unique key
 * (or a primary key over NOT NULL columns) on a table that has rows is
 * built as CREATE UNIQUE INDEX CONCURRENTLY, outside a transaction, and
 * then attached with ADD CONSTRAINT ... USING INDEX.  An enum
 * that loses or reorders labels is rebuilt (renamed aside, created again,
 * its columns converted through text, the old type dropped); its
 * preflight refuses rows that use a label that goes away.  A column that
 * becomes serial gets what PostgreSQL's serial makes (serial_attach_sql());
 * a column's default is dropped and set again around a type change only
 * when PostgreSQL may not carry it over (default_survives()).  Type
 * changes that round values are data_loss, narrowings that fail instead
 * are data_dependent (type_change_rounds()).
 *
 * Every string of a plan lives in the plan's arena; the plan borrows
 * nothing from the models.
 */
#include "plan.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ddl.h"
#include "ident.h"
#include "naming.h"
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
    PH_VALIDATE = 112,     /* VALIDATE CONSTRAINT, each `separate` */
    PH_SET_NOT_NULL = 114, /* SET NOT NULL on a validated check, then its drop */
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
 * say otherwise.  Returns the step, valid until the next push, for
 * set_preflights().
 */
static sc_step *push(planner *P, int phase, const char *what, sc_buf *up, sc_buf *down,
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
    return &plan->steps[plan->nsteps - 1];
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

/* -------------------------------------------------------- type changes */

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

/*
 * Narrowing and data loss.  A narrowing that PostgreSQL refuses for a
 * value that does not fit (bigint to integer, varchar(64) to varchar(32),
 * numeric(10,2) to numeric(6,2): "out of range", "value too long",
 * "numeric field overflow") cannot lose data silently: the step fails, or
 * its preflight refuses the rows first.  It is data_dependent, not
 * data_loss, so that compile does not ask for --allow-data-loss for a
 * change that either keeps every value or does nothing.  A conversion
 * that rounds instead (a smaller numeric scale, numeric or floating
 * point to an integer, to real or double precision from a type with more
 * digits) succeeds and changes values no preflight counts: that is
 * data_loss.  Conversions between other types (timestamp to date, say)
 * are not judged here and stay data_dependent.
 */
static bool type_change_rounds(const char *a, const char *b)
{
    long sa, sb;
    long pa = type_mod(a, "numeric", &sa), pb = type_mod(b, "numeric", &sb);
    bool a_float = strcmp(a, "real") == 0 || strcmp(a, "double precision") == 0;
    if (int_rank(b) > 0)
        return pa != -2 || a_float;
    if (pb >= 0)
        return a_float || pa == -1 || (pa >= 0 && sb < sa);
    if (strcmp(b, "real") == 0)
        return pa != -2 || strcmp(a, "double precision") == 0 || int_rank(a) >= 2;
    if (strcmp(b, "double precision") == 0)
        return pa != -2 || int_rank(a) == 3;
    return false;
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

/*
 * Whether ALTER COLUMN TYPE from `a` to `b` carries a column's default
 * over with its catalog text unchanged, so that it need not be dropped
 * and set again: with the type unchanged (a collation change), and within
 * numbers or within strings, where PostgreSQL strips the implicit casts
 * of the stored default and casts it again to the new type implicitly,
 * which pg_get_expr() does not show.  Across families (an enum or text
 * default of a column that becomes a number, say) the default may not
 * cast at all, and for other types we do not know: false.
 */
static bool default_survives(const char *a, const char *b)
{
    char fa = type_family(a);
    return streq(a, b) || (fa != 0 && fa == type_family(b));
}

/* ---------------------------------------------------- pre-flight checks */

/*
 * How pre-flight checks work.  A step that may fail on the rows of the
 * database (a new unique key, check or foreign key on a table that has
 * rows, SET NOT NULL, a type change that may fail, ...) gets a preflight:
 * DO blocks that count the rows that would make it fail and raise
 *
 *   schemac pre-flight: <count> <what> (for example <value>); <consequence>
 *
 * before anything has changed.  The emitter runs the preflights of all
 * steps first, so a check reads the database as `from` describes it:
 * tables and columns under their old names and types, and only the rows
 * that exist before the plan (a table created by the plan needs no check;
 * a constraint that reads a column the plan adds gets none).  Expressions
 * (checks, index expressions) are written in the names of `to`: the check
 * then reads the old table through a subquery that renames its columns
 * and converts the columns whose type changes (rows_from()).  Down
 * preflights are the mirror image: they read the database as `to`
 * describes it, for the inverses that may fail (a widening's down
 * narrows; the down of a dropped unique key adds it again).
 */

/* Appends `body` as a DO block, dollar-quoted when the body allows it. */
static void do_block(sc_buf *out, const char *body)
{
    if (strstr(body, "$schemac$") == NULL) {
        sc_buf_printf(out, "DO $schemac$\n%s$schemac$;\n", body);
        return;
    }
    sc_buf_puts(out, "DO ");
    sc_sql_literal_append(out, body);
    sc_buf_puts(out, ";\n");
}

/*
 * Appends a check: `query` returns one row of a count and an example (text
 * or NULL); when the count is positive the block raises
 * "schemac pre-flight: <count> <middle> (for example <example>); <tail>".
 */
static void count_check(sc_buf *out, const char *query, const char *middle, const char *tail)
{
    sc_buf body = SC_BUF_INIT, lit = SC_BUF_INIT;
    sc_buf_printf(&body,
                  "#variable_conflict use_column\n"
                  "DECLARE sc_n bigint; sc_ex text;\nBEGIN\n"
                  "  SELECT * INTO sc_n, sc_ex FROM (%s) AS q;\n"
                  "  IF sc_n > 0 THEN\n"
                  "    RAISE EXCEPTION USING MESSAGE = 'schemac pre-flight: ' || sc_n || ",
                  query);
    sc_buf_printf(&lit, " %s", middle);
    sc_sql_literal_append(&body, sc_buf_str(&lit));
    sc_buf_puts(&body, "\n      || coalesce(' (for example ' || sc_ex || ')', '') || ");
    sc_buf_reset(&lit);
    sc_buf_printf(&lit, "; %s", tail);
    sc_sql_literal_append(&body, sc_buf_str(&lit));
    sc_buf_puts(&body, ";\n  END IF;\nEND\n");
    do_block(out, sc_buf_str(&body));
    sc_buf_free(&body);
    sc_buf_free(&lit);
}

/*
 * A table as a check reads it: the rows of `data` (the table as it is when
 * the check runs, NULL when it does not exist then) under the column
 * names and types of the other side.  Up checks read `from`'s table under
 * `to`'s names; down checks the reverse.
 */
typedef struct rows {
    const sc_table *data;
    const sc_table *ft, *tt;
    bool up;
    const sc_model *data_model, *view_model; /* the models of `data` and the view */
} rows;

static rows rows_up(const planner *P, const sc_table *ft, const sc_table *tt)
{
    rows r = {ft, ft, tt, true, P->from, P->to};
    return r;
}

static rows rows_down(const planner *P, const sc_table *ft, const sc_table *tt)
{
    rows r = {tt, ft, tt, false, P->to, P->from};
    return r;
}

/* The table whose names the expressions of a check use. */
static const sc_table *rows_view(const rows *r)
{
    return r->up ? r->tt : r->ft;
}

/* Whether `name` is one of `names`. */
static bool names_have(char **names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (streq(names[i], name))
            return true;
    return false;
}

static sc_enum *enum_of_type(const sc_model *m, const char *type, bool *array);

/* The column of the data that holds view column `name`, or NULL (also
 * when the view's type of it is an enum that does not exist when the
 * check runs, so that it cannot be converted). */
static const sc_column *rows_column(const rows *r, const char *name)
{
    if (r->data == NULL || r->ft == NULL || r->tt == NULL)
        return NULL;
    const sc_column *vc, *dc;
    if (r->up) {
        vc = sc_table_find_column(r->tt, name);
        dc = vc != NULL ? from_column_of(r->ft, r->tt, vc) : NULL;
    } else {
        vc = sc_table_find_column(r->ft, name);
        const char *n = to_column_name(r->ft, r->tt, name);
        dc = n != NULL ? sc_table_find_column(r->tt, n) : NULL;
    }
    if (dc != NULL && !streq(dc->type, vc->type)) {
        bool array;
        const sc_enum *e = enum_of_type(r->view_model, vc->type, &array);
        if (e != NULL && sc_model_find_enum(r->data_model, e->schema, e->name) == NULL)
            return NULL;
    }
    return dc;
}

/* Whether the data holds all view columns `names`. */
static bool rows_have(const rows *r, char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (rows_column(r, names[i]) == NULL)
            return false;
    return r->data != NULL;
}

/* schema.name with the schema always written, for messages. */
static char *fullname(planner *P, const char *schema, const char *name)
{
    sc_buf b = SC_BUF_INIT;
    sc_ident_append_full(&b, schema != NULL ? schema : "public", name);
    char *s = sc_arena_strdup(P->plan->arena, sc_buf_str(&b));
    sc_buf_free(&b);
    return s;
}

/* schema.table.column with the schema always written, for messages. */
static char *full_colname(planner *P, const sc_table *t, const char *column)
{
    sc_buf b = SC_BUF_INIT;
    sc_ident_append(&b, column);
    char *s = sc_arena_printf(P->plan->arena, "%s.%s", fullname(P, t->schema, t->name),
                              sc_buf_str(&b));
    sc_buf_free(&b);
    return s;
}

/* schema.name of the data, in words. */
static char *rows_words(planner *P, const rows *r)
{
    return fullname(P, r->data->schema, r->data->name);
}

/* Appends `value` (SQL of type `a`) converted to type `b` as ALTER COLUMN
 * TYPE converts it. */
static void convert_sql(sc_buf *b, const char *value, const char *a, const char *b_type)
{
    const char *cast = using_cast_of(a, b_type);
    if (cast == NULL)
        sc_buf_printf(b, "CAST(%s AS %s)", value, b_type);
    else
        sc_buf_printf(b, "(%s%s%s)", value, cast, b_type);
}

/* Appends the rows as a FROM item called `alias`: the table itself when
 * no column is renamed or converted, else a subquery that does both, with
 * only the view columns `need` (all of them when `need` is NULL). */
static void rows_from(sc_buf *b, const rows *r, const char *alias, char **need, size_t nneed)
{
    const sc_table *v = rows_view(r);
    bool plain = true;
    for (size_t i = 0; i < v->ncolumns; i++) {
        if (need != NULL && !names_have(need, nneed, v->columns[i]->name))
            continue;
        const sc_column *dc = rows_column(r, v->columns[i]->name);
        if (dc != NULL && (strcmp(dc->name, v->columns[i]->name) != 0 ||
                           !streq(dc->type, v->columns[i]->type)))
            plain = false;
    }
    if (!plain) {
        sc_buf_puts(b, "(SELECT ");
        const char *sep = "";
        for (size_t i = 0; i < v->ncolumns; i++) {
            const sc_column *vc = v->columns[i];
            const sc_column *dc = rows_column(r, vc->name);
            if (dc == NULL || (need != NULL && !names_have(need, nneed, vc->name)))
                continue;
            sc_buf_puts(b, sep);
            sep = ", ";
            sc_buf name = SC_BUF_INIT;
            sc_ident_append(&name, dc->name);
            if (streq(dc->type, vc->type))
                sc_buf_puts(b, sc_buf_str(&name));
            else
                convert_sql(b, sc_buf_str(&name), dc->type, vc->type);
            sc_buf_free(&name);
            sc_buf_puts(b, " AS ");
            sc_ident_append(b, vc->name);
        }
        sc_buf_puts(b, " FROM ");
    }
    sc_ddl_qualified(b, r->data->schema, r->data->name);
    if (!plain)
        sc_buf_putc(b, ')');
    sc_buf_puts(b, " AS ");
    sc_ident_append(b, alias);
}

/* Appends `expr` in parentheses, unless it is wrapped in a pair already
 * (as a server-normalised check is). */
static void paren_sql(sc_buf *b, const char *expr)
{
    size_t n = strlen(expr);
    int depth = 0;
    bool wrapped = n >= 2 && expr[0] == '(' && expr[n - 1] == ')';
    for (size_t i = 0; wrapped && i < n; i++) {
        if (expr[i] == '(')
            depth++;
        else if (expr[i] == ')' && --depth == 0 && i != n - 1)
            wrapped = false;
        else if (expr[i] == '\'' || expr[i] == '"')
            wrapped = false; /* quotes may hide parentheses: keep it simple */
    }
    sc_buf_printf(b, wrapped ? "%s" : "(%s)", expr);
}

/* Appends ROW(k1, k2, ...)::text, or (k1)::text for one key. */
static void row_text(sc_buf *b, char **keys, size_t n)
{
    sc_buf_puts(b, n == 1 ? "(" : "ROW(");
    for (size_t i = 0; i < n; i++)
        sc_buf_printf(b, "%s%s", i > 0 ? ", " : "", keys[i]);
    sc_buf_puts(b, ")::text");
}

/* Column names as SQL (quoted when needed), in the arena. */
static char **quoted_names(planner *P, char **names, size_t n)
{
    char **out = sc_arena_alloc(P->plan->arena, (n + 1) * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        sc_buf b = SC_BUF_INIT;
        sc_ident_append(&b, names[i]);
        out[i] = sc_arena_strdup(P->plan->arena, sc_buf_str(&b));
        sc_buf_free(&b);
    }
    return out;
}

/* "(k1, k2)" in words. */
static char *keys_words(planner *P, char **keys, size_t n)
{
    sc_buf b = SC_BUF_INIT;
    sc_buf_putc(&b, '(');
    for (size_t i = 0; i < n; i++)
        sc_buf_printf(&b, "%s%s", i > 0 ? ", " : "", keys[i]);
    sc_buf_putc(&b, ')');
    char *s = sc_arena_strdup(P->plan->arena, sc_buf_str(&b));
    sc_buf_free(&b);
    return s;
}

/*
 * Appends the checks for a unique key over `keys` (SQL in the view's
 * names) of the rows `r`: no two rows with equal keys (rows with a NULL
 * key are left out unless NULLs are not distinct; `where` limits the rows
 * of a partial index) and, for a primary key, no NULL key.  `tail` says
 * what cannot be done; `need` lists the columns the keys read (NULL: all).
 */
static void unique_check(planner *P, sc_buf *out, const rows *r, char **keys, size_t nkeys,
                         bool nulls_not_distinct, bool primary, const char *where,
                         const char *tail, char **need, size_t nneed)
{
    sc_buf q = SC_BUF_INIT, cond = SC_BUF_INIT, mid = SC_BUF_INIT;
    char *kw = keys_words(P, keys, nkeys);
    for (size_t i = 0; i < nkeys && (primary || !nulls_not_distinct); i++)
        sc_buf_printf(&cond, "%s%s IS NOT NULL", i > 0 ? " AND " : "", keys[i]);
    if (where != NULL)
        sc_buf_printf(&cond, "%s(%s)", cond.len > 0 ? " AND " : "", where);
    sc_buf_puts(&q, "SELECT count(*), min(k) FROM (SELECT ");
    row_text(&q, keys, nkeys);
    sc_buf_puts(&q, " AS k FROM ");
    rows_from(&q, r, "r", need, nneed);
    if (cond.len > 0)
        sc_buf_printf(&q, " WHERE %s", sc_buf_str(&cond));
    sc_buf_puts(&q, " GROUP BY ");
    for (size_t i = 0; i < nkeys; i++)
        sc_buf_printf(&q, "%s%s", i > 0 ? ", " : "", keys[i]);
    sc_buf_puts(&q, " HAVING count(*) > 1) AS d");
    sc_buf_printf(&mid, "duplicate values of %s in %s", kw, rows_words(P, r));
    count_check(out, sc_buf_str(&q), sc_buf_str(&mid), tail);
    if (primary) {
        sc_buf_reset(&q);
        sc_buf_reset(&mid);
        sc_buf_puts(&q, "SELECT count(*), NULL::text FROM ");
        rows_from(&q, r, "r", need, nneed);
        sc_buf_puts(&q, " WHERE ");
        for (size_t i = 0; i < nkeys; i++)
            sc_buf_printf(&q, "%s%s IS NULL", i > 0 ? " OR " : "", keys[i]);
        sc_buf_printf(&mid, "rows of %s with a NULL in %s", rows_words(P, r), kw);
        count_check(out, sc_buf_str(&q), sc_buf_str(&mid), tail);
    }
    sc_buf_free(&q);
    sc_buf_free(&cond);
    sc_buf_free(&mid);
}

/*
 * Appends the checks that constraint `c` (a primary key, unique key, check
 * or foreign key, in the view's names) holds for the rows `r`, when it is
 * validated when added.  Nothing when the rows or a column the constraint
 * reads do not exist when the check runs.  `up` chooses the wording.
 */
static void constraint_check(planner *P, sc_buf *out, const rows *r, const sc_constraint *c,
                             bool up)
{
    if (r->data == NULL || !rows_have(r, c->columns, c->ncolumns))
        return;
    const char *verb = up ? "cannot be added" : "cannot be added back by the down";
    char *tail = sc_arena_printf(P->plan->arena, "the %s %s %s", sc_con_kind_name(c->kind),
                                 qname(P, NULL, c->name), verb);
    char **keys = quoted_names(P, c->columns, c->ncolumns);
    if (c->kind == SC_CON_PRIMARY || c->kind == SC_CON_UNIQUE) {
        unique_check(P, out, r, keys, c->ncolumns, c->nulls_not_distinct,
                     c->kind == SC_CON_PRIMARY, NULL, tail, c->columns, c->ncolumns);
        return;
    }
    if (c->not_valid)
        return;
    sc_buf q = SC_BUF_INIT, mid = SC_BUF_INIT;
    if (c->kind == SC_CON_CHECK) {
        sc_buf_puts(&q, "SELECT count(*), ");
        if (c->ncolumns == 0) {
            sc_buf_puts(&q, "NULL::text");
        } else {
            sc_buf_puts(&q, "min(");
            row_text(&q, keys, c->ncolumns);
            sc_buf_putc(&q, ')');
        }
        sc_buf_puts(&q, " FROM ");
        rows_from(&q, r, rows_view(r)->name, c->ncolumns > 0 ? c->columns : NULL, c->ncolumns);
        sc_buf_puts(&q, " WHERE NOT ");
        paren_sql(&q, c->expr);
        sc_buf_printf(&mid, "rows of %s fail CHECK ", rows_words(P, r));
        paren_sql(&mid, c->expr);
        count_check(out, sc_buf_str(&q), sc_buf_str(&mid), tail);
    } else if (c->kind == SC_CON_FOREIGN) {
        /* the referenced table, on both sides */
        const sc_model *vm = up ? P->to : P->from;
        sc_table *rv = sc_model_find_table(vm, c->ref_schema, c->ref_table);
        if (rv == NULL)
            goto done;
        rows pr = up ? rows_up(P, from_table_of(P, rv), rv)
                     : rows_down(P, rv, to_table_of(P, rv));
        if (pr.data != NULL && !rows_have(&pr, c->ref_columns, c->nref_columns))
            goto done;
        char **refs = quoted_names(P, c->ref_columns, c->nref_columns);
        sc_buf_puts(&q, "SELECT count(*), min(");
        char **ck = sc_arena_alloc(P->plan->arena, (c->ncolumns + 1) * sizeof *ck);
        for (size_t i = 0; i < c->ncolumns; i++)
            ck[i] = sc_arena_printf(P->plan->arena, "c.%s", keys[i]);
        row_text(&q, ck, c->ncolumns);
        sc_buf_puts(&q, ") FROM ");
        rows_from(&q, r, "c", c->columns, c->ncolumns);
        sc_buf_puts(&q, " WHERE ");
        if (c->match == SC_MATCH_FULL) {
            sc_buf_puts(&q, "NOT (");
            for (size_t i = 0; i < c->ncolumns; i++)
                sc_buf_printf(&q, "%s%s IS NULL", i > 0 ? " AND " : "", ck[i]);
            sc_buf_puts(&q, ") AND (");
            for (size_t i = 0; i < c->ncolumns; i++)
                sc_buf_printf(&q, "%s IS NULL OR ", ck[i]);
        } else {
            for (size_t i = 0; i < c->ncolumns; i++)
                sc_buf_printf(&q, "%s IS NOT NULL AND ", ck[i]);
        }
        if (pr.data == NULL) {
            sc_buf_puts(&q, "true"); /* the referenced table is empty then */
        } else {
            sc_buf_puts(&q, "NOT EXISTS (SELECT 1 FROM ");
            rows_from(&q, &pr, "p", c->ref_columns, c->nref_columns);
            sc_buf_puts(&q, " WHERE ");
            for (size_t i = 0; i < c->ncolumns && i < c->nref_columns; i++)
                sc_buf_printf(&q, "%sp.%s = %s", i > 0 ? " AND " : "", refs[i], ck[i]);
            sc_buf_putc(&q, ')');
        }
        if (c->match == SC_MATCH_FULL)
            sc_buf_putc(&q, ')');
        sc_buf_printf(&mid, "rows of %s %s have no match in %s %s", rows_words(P, r),
                      keys_words(P, keys, c->ncolumns),
                      pr.data != NULL ? rows_words(P, &pr) : fullname(P, rv->schema, rv->name),
                      keys_words(P, refs, c->nref_columns));
        count_check(out, sc_buf_str(&q), sc_buf_str(&mid), tail);
    }
done:
    sc_buf_free(&q);
    sc_buf_free(&mid);
}

/* Appends the checks that unique index `x` (in the view's names) can be
 * built on the rows `r`; nothing for an index that is not unique. */
static void index_check(planner *P, sc_buf *out, const rows *r, const sc_index *x, bool up)
{
    if (!x->unique || r->data == NULL)
        return;
    char **keys = sc_arena_alloc(P->plan->arena, (x->nkeys + 1) * sizeof *keys);
    char **need = sc_arena_alloc(P->plan->arena, (x->nkeys + 1) * sizeof *need);
    bool plain = x->where == NULL;
    for (size_t i = 0; i < x->nkeys; i++) {
        need[i] = x->keys[i].column;
        plain = plain && x->keys[i].column != NULL;
        if (x->keys[i].column != NULL) {
            if (rows_column(r, x->keys[i].column) == NULL)
                return;
            keys[i] = quoted_names(P, &x->keys[i].column, 1)[0];
        } else {
            keys[i] = sc_arena_printf(P->plan->arena, "(%s)", x->keys[i].expr);
        }
    }
    char *tail = sc_arena_printf(P->plan->arena, "the unique index %s %s",
                                 qname(P, NULL, x->name),
                                 up ? "cannot be created" : "cannot be created again by the down");
    unique_check(P, out, r, keys, x->nkeys, x->nulls_not_distinct, false, x->where, tail,
                 plain ? need : NULL, x->nkeys);
}

/* Appends the check that column `col` of table `t` (as it is when the check
 * runs) holds no NULL; `tail` says what cannot be done. */
static void not_null_check(planner *P, sc_buf *out, const sc_table *t, const char *col,
                           const char *tail)
{
    sc_buf q = SC_BUF_INIT, mid = SC_BUF_INIT;
    sc_buf_puts(&q, "SELECT count(*), NULL::text FROM ");
    sc_ddl_qualified(&q, t->schema, t->name);
    sc_buf_puts(&q, " WHERE ");
    sc_ident_append(&q, col);
    sc_buf_puts(&q, " IS NULL");
    sc_buf_printf(&mid, "NULL values in column %s", full_colname(P, t, col));
    count_check(out, sc_buf_str(&q), sc_buf_str(&mid), tail);
    sc_buf_free(&q);
    sc_buf_free(&mid);
}

/* Appends the check that table `t` has no rows; `tail` says what cannot be
 * done. */
static void empty_check(planner *P, sc_buf *out, const sc_table *t, const char *tail)
{
    sc_buf q = SC_BUF_INIT, mid = SC_BUF_INIT;
    sc_buf_puts(&q, "SELECT count(*), NULL::text FROM ");
    sc_ddl_qualified(&q, t->schema, t->name);
    sc_buf_printf(&mid, "rows in %s", fullname(P, t->schema, t->name));
    count_check(out, sc_buf_str(&q), sc_buf_str(&mid), tail);
    sc_buf_free(&q);
    sc_buf_free(&mid);
}

/* The enum of model `m` that type `type` names (as a column spells it:
 * "mood", "public.mood", "\"S\".\"Mood\"[]"), or NULL; `*array` tells
 * whether the type is an array of it. */
static sc_enum *enum_of_type(const sc_model *m, const char *type, bool *array)
{
    size_t len = strlen(type);
    *array = len > 2 && strcmp(type + len - 2, "[]") == 0;
    if (*array)
        len -= 2;
    /* split at a dot outside quotes */
    size_t dot = len;
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        if (type[i] == '"')
            quoted = !quoted;
        else if (type[i] == '.' && !quoted)
            dot = i;
    }
    sc_buf schema = SC_BUF_INIT, name = SC_BUF_INIT;
    if (dot < len) {
        sc_ident_decode(&schema, type, dot);
        sc_ident_decode(&name, type + dot + 1, len - dot - 1);
    } else {
        sc_ident_decode(&name, type, len);
    }
    sc_enum *e = NULL;
    for (size_t i = 0; i < m->nenums && e == NULL; i++) {
        sc_enum *x = m->enums[i];
        if (streq(x->name, sc_buf_str(&name)) &&
            (dot < len ? streq(x->schema, sc_buf_str(&schema))
                       : x->schema == NULL || strcmp(x->schema, "public") == 0))
            e = x;
    }
    sc_buf_free(&schema);
    sc_buf_free(&name);
    return e;
}

/* Appends label literals 'a', 'b', ... */
static void labels_sql(sc_buf *b, const char *const *labels, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            sc_buf_puts(b, ", ");
        sc_sql_literal_append(b, labels[i]);
    }
}

/* Whether a type change from `a` to `b` never fails: to text or to an
 * unbounded varchar, a widening, or a binary-coercible change. */
static bool type_change_safe(const char *a, const char *b)
{
    if (streq(a, b) || strcmp(b, "text") == 0 || strcmp(b, "character varying") == 0)
        return true;
    return classify_type_change(a, b) != TC_OTHER;
}

/*
 * Appends the check that the values of column `col` of table `t` (as it is
 * when the check runs, of type `a`) convert to type `b`, as ALTER COLUMN
 * TYPE with using_cast_of() converts them; `m` is the model whose enums
 * `b` may name (`to` for up, `from` for down); `tail` says what cannot be
 * done.  Ranges of integers, lengths of strings and the digits of numerics
 * are checked with one query and counted; an enum's labels too; any other
 * conversion is tried on the whole column at once and, when that fails,
 * value by value until the first that fails, which is reported.
 */
static void type_check(planner *P, sc_buf *out, const sc_model *m, const sc_table *t,
                       const char *col, const char *a, const char *b, const char *tail)
{
    if (type_change_safe(a, b))
        return;
    sc_buf q = SC_BUF_INIT, mid = SC_BUF_INIT, c = SC_BUF_INIT, tn = SC_BUF_INIT;
    sc_ident_append(&c, col);
    sc_ddl_qualified(&tn, t->schema, t->name);
    const char *cs = sc_buf_str(&c);
    char *cw = full_colname(P, t, col);
    long s, n = type_mod(b, "character varying", &s);
    if (n < 0)
        n = type_mod(b, "character", &s);
    long ps, p = type_mod(b, "numeric", &ps);
    bool is_array;
    sc_enum *e = enum_of_type(m, b, &is_array);
    if (int_rank(a) > 0 && int_rank(b) > 0) {
        const char *lo = int_rank(b) == 1 ? "-32768" : "-2147483648";
        const char *hi = int_rank(b) == 1 ? "32767" : "2147483647";
        const char *range = int_rank(b) == 1 ? "-32,768 to 32,767"
                                             : "-2,147,483,648 to 2,147,483,647";
        sc_buf_printf(&q, "SELECT count(*), min(%s::text) FROM %s WHERE %s < %s OR %s > %s", cs,
                      sc_buf_str(&tn), cs, lo, cs, hi);
        sc_buf_printf(&mid, "values of %s outside the range of %s (%s)", cw, b, range);
    } else if (n >= 0 && type_family(a) == 's') {
        sc_buf_printf(&q,
                      "SELECT count(*), min(%s::text) FROM %s WHERE char_length(rtrim(%s::text, "
                      "' ')) > %ld",
                      cs, sc_buf_str(&tn), cs, n);
        sc_buf_printf(&mid, "values of %s longer than %ld characters", cw, n);
    } else if (p >= 0 && type_family(a) == 'n') {
        sc_buf_printf(&q,
                      "SELECT count(*), min(%s::text) FROM %s WHERE %s::numeric <> 'NaN' AND "
                      "abs(round(%s::numeric, %ld)) >= 1e%ld",
                      cs, sc_buf_str(&tn), cs, cs, ps, p - ps);
        sc_buf_printf(&mid, "values of %s too large for %s", cw, b);
    } else if (e != NULL && !is_array) {
        const char **labels = calloc(e->nlabels + 1, sizeof *labels);
        for (size_t i = 0; i < e->nlabels; i++)
            labels[i] = e->labels[i].value;
        sc_buf_printf(&q, "SELECT count(*), min(%s::text) FROM %s WHERE %s::text NOT IN (", cs,
                      sc_buf_str(&tn), cs);
        labels_sql(&q, labels, e->nlabels);
        sc_buf_putc(&q, ')');
        free(labels);
        sc_buf_printf(&mid, "values of %s that are not labels of enum %s", cw,
                      fullname(P, e->schema, e->name));
    } else if (e != NULL) {
        goto done; /* an array of an enum the plan may create: not checked */
    }
    if (q.len > 0) {
        count_check(out, sc_buf_str(&q), sc_buf_str(&mid), tail);
        goto done;
    }
    sc_buf conv = SC_BUF_INIT, body = SC_BUF_INIT, lit = SC_BUF_INIT;
    convert_sql(&conv, "v", a, b);
    sc_buf_printf(&body,
                  "#variable_conflict use_column\n"
                  "DECLARE sc_r record; sc_bad text; sc_msg text;\nBEGIN\n"
                  "  BEGIN\n"
                  "    PERFORM count(%s) FROM (SELECT %s AS v FROM %s) AS q;\n"
                  "  EXCEPTION WHEN others THEN\n"
                  "    FOR sc_r IN SELECT %s AS v FROM %s WHERE %s IS NOT NULL LOOP\n"
                  "      BEGIN\n"
                  "        PERFORM %s FROM (SELECT sc_r.v AS v) AS q;\n"
                  "      EXCEPTION WHEN others THEN\n"
                  "        sc_bad := sc_r.v::text;\n"
                  "        sc_msg := SQLERRM;\n"
                  "        EXIT;\n"
                  "      END;\n"
                  "    END LOOP;\n"
                  "    RAISE EXCEPTION USING MESSAGE = ",
                  sc_buf_str(&conv), cs, sc_buf_str(&tn), cs, sc_buf_str(&tn), cs,
                  sc_buf_str(&conv));
    sc_buf_printf(&lit, "schemac pre-flight: values of %s do not convert to %s", cw, b);
    sc_sql_literal_append(&body, sc_buf_str(&lit));
    sc_buf_puts(&body, "\n      || coalesce(' (for example ' || quote_literal(sc_bad) || ': ' || "
                       "sc_msg || ')', '') || ");
    sc_buf_reset(&lit);
    sc_buf_printf(&lit, "; %s", tail);
    sc_sql_literal_append(&body, sc_buf_str(&lit));
    sc_buf_puts(&body, ";\n  END;\nEND\n");
    do_block(out, sc_buf_str(&body));
    sc_buf_free(&conv);
    sc_buf_free(&body);
    sc_buf_free(&lit);
done:
    sc_buf_free(&q);
    sc_buf_free(&mid);
    sc_buf_free(&c);
    sc_buf_free(&tn);
}

/* Sets the preflight and down_preflight of step `s` from `pre` and
 * `downpre` (either may be NULL or empty), which are emptied. */
static void set_preflights(planner *P, sc_step *s, sc_buf *pre, sc_buf *downpre)
{
    if (pre != NULL) {
        if (pre->len > 0)
            s->preflight = sc_arena_strdup(P->plan->arena, sc_buf_str(pre));
        sc_buf_free(pre);
    }
    if (downpre != NULL) {
        if (downpre->len > 0)
            s->down_preflight = sc_arena_strdup(P->plan->arena, sc_buf_str(downpre));
        sc_buf_free(downpre);
    }
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

/* A column of `from` whose type is an enum (or an array of it). */
typedef struct enum_use {
    const sc_table *ft;
    const sc_column *fc;
    bool array;
} enum_use;

/* Appends ALTER TYPE e RENAME TO `old`, CREATE TYPE e, the conversion of
 * each column of `uses` (its default dropped around it) and DROP TYPE old:
 * the rebuild of enum `e` (the labels it ends with) in place. */
static void rebuild_enum_sql(sc_buf *b, const sc_enum *e, const char *old, const enum_use *uses,
                             size_t nuses)
{
    sc_buf_puts(b, "ALTER TYPE ");
    sc_ddl_qualified(b, e->schema, e->name);
    sc_buf_puts(b, " RENAME TO ");
    sc_ident_append(b, old);
    sc_buf_puts(b, ";\n");
    sc_ddl_create_enum(b, e);
    if (e->comment != NULL)
        sc_ddl_comment_enum(b, e);
    sc_buf type = SC_BUF_INIT;
    sc_ddl_qualified(&type, e->schema, e->name);
    for (size_t i = 0; i < nuses; i++) {
        const enum_use *u = &uses[i];
        const char *arr = u->array ? "[]" : "";
        if (u->fc->default_expr != NULL)
            alter_column_sql(b, u->ft, u->fc->name, "DROP DEFAULT");
        alter_table(b, u->ft);
        sc_buf_puts(b, " ALTER COLUMN ");
        sc_ident_append(b, u->fc->name);
        sc_buf_printf(b, " TYPE %s%s USING ", sc_buf_str(&type), arr);
        sc_ident_append(b, u->fc->name);
        sc_buf_printf(b, "::text%s::%s%s;\n", arr, sc_buf_str(&type), arr);
        if (u->fc->default_expr != NULL)
            set_default_sql(b, u->ft, u->fc->name, u->fc->default_expr);
    }
    sc_buf_free(&type);
    sc_buf_puts(b, "DROP TYPE ");
    sc_ddl_qualified(b, e->schema, old);
    sc_buf_puts(b, ";\n");
}

/* Appends the check that column `col` of `t` (an enum, or an array of
 * one when `array`) holds none of `labels`, which enum `ename` loses;
 * `tail` says what cannot be done. */
static void labels_unused_check(planner *P, sc_buf *out, const sc_table *t, const char *col,
                                bool array, const char *const *labels, size_t nlabels,
                                const char *ename, const char *tail)
{
    if (nlabels == 0)
        return;
    sc_buf q = SC_BUF_INIT, mid = SC_BUF_INIT, c = SC_BUF_INIT, list = SC_BUF_INIT;
    sc_ident_append(&c, col);
    labels_sql(&list, labels, nlabels);
    sc_buf_printf(&q, "SELECT count(*), min(%s::text) FROM ", sc_buf_str(&c));
    sc_ddl_qualified(&q, t->schema, t->name);
    if (array)
        sc_buf_printf(&q, " WHERE %s::text[] && ARRAY[%s]", sc_buf_str(&c), sc_buf_str(&list));
    else
        sc_buf_printf(&q, " WHERE %s::text IN (%s)", sc_buf_str(&c), sc_buf_str(&list));
    sc_buf_printf(&mid, "rows of %s use labels that enum %s drops (%s)",
                  full_colname(P, t, col), ename, sc_buf_str(&list));
    count_check(out, sc_buf_str(&q), sc_buf_str(&mid), tail);
    sc_buf_free(&q);
    sc_buf_free(&mid);
    sc_buf_free(&c);
    sc_buf_free(&list);
}

/* Whether constraint or index text `text` may read column `col` (a
 * conservative test: the name appears in it). */
static bool text_mentions(const char *text, const char *col)
{
    return text != NULL && strstr(text, col) != NULL;
}

/*
 * Rebuilds enum `e` when labels of `f` go away or move (`have`: the labels
 * of `f` under the names `to` gives them, after the label renames):
 * PostgreSQL cannot drop or move a label, so the old type is renamed
 * aside, the new one created, every column of `from` of that type (or an
 * array of it) converted through text, and the old type dropped.  The
 * preflight refuses rows that use a label that goes away, so no value is
 * lost, and the down (the same rebuild back to the labels of `f`, guarded
 * by a down_preflight against rows using labels that only `to` has) is a
 * full inverse: the step has no data_loss hazard.  PostgreSQL re-creates
 * plain indexes and unique keys on a converted column by itself; checks,
 * foreign keys and index expressions or predicates that read one would
 * name the old type, so they are refused as not supported yet.
 */
static void plan_enum_rebuild(planner *P, const sc_enum *f, const sc_enum *e, const char **have)
{
    sc_arena *a = P->plan->arena;
    char *ename = qname(P, e->schema, e->name);
    enum_use *uses = NULL;
    size_t nuses = 0, capuses = 0;
    for (size_t i = 0; i < P->from->ntables; i++) {
        const sc_table *ft = P->from->tables[i];
        for (size_t j = 0; j < ft->ncolumns; j++) {
            bool array;
            if (enum_of_type(P->from, ft->columns[j]->type, &array) != f)
                continue;
            enum_use u = {ft, ft->columns[j], array};
            SC_PUSH(a, uses, nuses, capuses, u);
        }
    }
    for (size_t i = 0; i < nuses; i++) {
        const sc_table *ft = uses[i].ft;
        const char *col = uses[i].fc->name;
        bool blocked = false;
        for (size_t k = 0; k < ft->nconstraints; k++) {
            const sc_constraint *c = ft->constraints[k];
            if ((c->kind == SC_CON_CHECK || c->kind == SC_CON_FOREIGN) &&
                names_have(c->columns, c->ncolumns, col))
                blocked = true;
        }
        for (size_t k = 0; k < ft->nindexes; k++) {
            const sc_index *x = ft->indexes[k];
            blocked = blocked || text_mentions(x->where, col);
            for (size_t m = 0; m < x->nkeys; m++)
                blocked = blocked || text_mentions(x->keys[m].expr, col);
        }
        for (size_t t = 0; t < P->from->ntables; t++) {
            const sc_table *o = P->from->tables[t];
            for (size_t k = 0; k < o->nconstraints; k++) {
                const sc_constraint *c = o->constraints[k];
                if (c->kind == SC_CON_FOREIGN && streq(c->ref_table, ft->name) &&
                    streq(c->ref_schema, ft->schema) &&
                    names_have(c->ref_columns, c->nref_columns, col))
                    blocked = true;
            }
        }
        if (blocked) {
            unsupported(P,
                        "removing or reordering labels of enum %s, which a check, a foreign key "
                        "or an index expression reads, is not supported yet",
                        ename);
            return;
        }
    }
    /* the enum `down` rebuilds: the labels of `f` as `to` names them */
    sc_enum back = *f;
    back.schema = e->schema;
    back.name = e->name;
    back.labels = sc_arena_alloc(a, (f->nlabels + 1) * sizeof *back.labels);
    back.nlabels = back.caplabels = f->nlabels;
    for (size_t i = 0; i < f->nlabels; i++) {
        back.labels[i] = f->labels[i];
        back.labels[i].value = (char *)have[i];
        back.labels[i].renamed_from = NULL;
    }
    sc_enum fwd = *e;
    for (size_t i = 0; i < e->nlabels; i++)
        if (e->labels[i].renamed_from != NULL) {
            fwd.labels = sc_arena_alloc(a, (e->nlabels + 1) * sizeof *fwd.labels);
            for (size_t j = 0; j < e->nlabels; j++) {
                fwd.labels[j] = e->labels[j];
                fwd.labels[j].renamed_from = NULL;
            }
            break;
        }
    char *old = sc_arena_printf(a, "%s_schemac_old", e->name);
    if (strlen(old) > 63) {
        size_t n = 63;
        while (n > 0 && ((unsigned char)old[n] & 0xC0) == 0x80)
            n--;
        old[n] = '\0';
    }
    sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT, pre = SC_BUF_INIT, downpre = SC_BUF_INIT;
    rebuild_enum_sql(&up, &fwd, old, uses, nuses);
    rebuild_enum_sql(&down, &back, old, uses, nuses);

    /* labels that go away (named as in `from`) and labels that come (as in `to`) */
    const char **gone = calloc(f->nlabels + 1, sizeof *gone);
    const char **added = calloc(e->nlabels + 1, sizeof *added);
    size_t ngone = 0, nadded = 0;
    for (size_t i = 0; i < f->nlabels; i++)
        if (!enum_has(e, have[i]))
            gone[ngone++] = f->labels[i].value;
    for (size_t j = 0; j < e->nlabels; j++) {
        bool old_label = false;
        for (size_t i = 0; i < f->nlabels; i++)
            old_label = old_label || streq(have[i], e->labels[j].value);
        if (!old_label)
            added[nadded++] = e->labels[j].value;
    }
    char *fname = fullname(P, f->schema, f->name);
    for (size_t i = 0; i < nuses; i++) {
        const enum_use *u = &uses[i];
        labels_unused_check(P, &pre, u->ft, u->fc->name, u->array, gone, ngone, fname,
                            sc_arena_printf(a, "enum %s cannot be rebuilt without them", ename));
        /* the down converts the column back where it still has the type */
        const sc_table *tt = to_table_of(P, u->ft);
        const char *tn = to_column_name(u->ft, tt, u->fc->name);
        const sc_column *tc = tn != NULL ? sc_table_find_column(tt, tn) : NULL;
        bool array;
        if (tc == NULL || enum_of_type(P->to, tc->type, &array) != e)
            continue;
        labels_unused_check(P, &downpre, tt, tn, array, added, nadded,
                            fullname(P, e->schema, e->name),
                            sc_arena_printf(a, "rollback of enum %s is safe only without them",
                                            ename));
    }
    free(gone);
    free(added);
    sc_step *st = push(P, PH_TYPE,
                       sc_arena_printf(a, "rebuild enum %s with labels removed or reordered",
                                       ename),
                       &up, &down, NULL,
                       nuses > 0 ? SC_HAZARD_DATA_DEPENDENT | SC_HAZARD_REWRITE |
                                       SC_HAZARD_ACCESS_EXCLUSIVE
                                 : 0);
    set_preflights(P, st, &pre, &downpre);
}

/*
 * Changes of an enum that both models have: label renames, then added
 * labels.  When labels of `from` (renamed) go away or lose their order in
 * `to`, the enum is rebuilt instead (plan_enum_rebuild).  An added label
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
            plan_enum_rebuild(P, f, e, have);
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

static bool adopted_serial(planner *P, const sc_model *m, const sc_model *other,
                           const char *schema, const char *name, sc_sequence *out);

/* Steps from sequence `f` of `from` (NULL: none) to sequence `q` of `to`:
 * creation, type and options, ownership. */
static void plan_sequence_pair(planner *P, const sc_sequence *f, const sc_sequence *q)
{
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
        return;
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

static void plan_sequences(planner *P)
{
    for (size_t i = 0; i < P->to->nsequences; i++) {
        const sc_sequence *q = P->to->sequences[i];
        const sc_sequence *f = sc_model_find_sequence(P->from, q->schema, q->name);
        /* a serial column's sequence that becomes a declared one */
        sc_sequence implied;
        if (f == NULL && adopted_serial(P, P->from, P->to, q->schema, q->name, &implied))
            f = &implied;
        plan_sequence_pair(P, f, q);
    }
    for (size_t j = 0; j < P->from->nsequences; j++) {
        const sc_sequence *f = P->from->sequences[j];
        if (sc_model_find_sequence(P->to, f->schema, f->name) != NULL)
            continue;
        /* a declared sequence that a serial column takes over */
        sc_sequence implied;
        if (adopted_serial(P, P->to, P->from, f->schema, f->name, &implied)) {
            plan_sequence_pair(P, f, &implied);
            continue;
        }
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

/* ALTER TABLE t VALIDATE CONSTRAINT name; */
static void validate_sql(sc_buf *b, const sc_table *t, const char *name)
{
    alter_table(b, t);
    sc_buf_puts(b, " VALIDATE CONSTRAINT ");
    sc_ident_append(b, name);
    sc_buf_puts(b, ";\n");
}

/* The text of a step direction that has nothing to do: `why` as a comment. */
static void nothing_sql(sc_buf *b, const char *why)
{
    sc_buf_printf(b, "-- nothing to do: %s\n", why);
}

/*
 * Whether a unique key or primary key `c` can be built as a unique index
 * (CREATE UNIQUE INDEX CONCURRENTLY) and attached with ADD CONSTRAINT ...
 * USING INDEX: always for a unique key (NULLS NOT DISTINCT and INCLUDE
 * carry over from the index, DEFERRABLE is written on the ADD); for a
 * primary key only when every key column of `t` is NOT NULL when the ADD
 * runs (`t` as it is then), since USING INDEX would otherwise run SET NOT
 * NULL, which scans the table under ACCESS EXCLUSIVE.  Such a primary key
 * keeps the plain ADD PRIMARY KEY.
 */
static bool key_by_index(const sc_table *t, const sc_constraint *c)
{
    if (c->kind == SC_CON_UNIQUE)
        return true;
    if (c->kind != SC_CON_PRIMARY)
        return false;
    for (size_t i = 0; i < c->ncolumns; i++) {
        const sc_column *col = sc_table_find_column(t, c->columns[i]);
        if (col == NULL || !col->not_null)
            return false;
    }
    return true;
}

/* CREATE UNIQUE INDEX CONCURRENTLY <c's name> ON t (...) for unique key
 * or primary key `c` (see key_by_index()). */
static void key_index_sql(planner *P, sc_buf *b, const sc_table *t, const sc_constraint *c)
{
    sc_index x;
    memset(&x, 0, sizeof x);
    x.name = c->name;
    x.unique = true;
    x.nkeys = c->ncolumns;
    x.keys = sc_arena_alloc(P->plan->arena, (c->ncolumns + 1) * sizeof *x.keys);
    memset(x.keys, 0, (c->ncolumns + 1) * sizeof *x.keys);
    for (size_t i = 0; i < c->ncolumns; i++)
        x.keys[i].column = c->columns[i];
    x.include = c->include;
    x.ninclude = c->ninclude;
    x.nulls_not_distinct = c->nulls_not_distinct;
    sc_ddl_create_index(b, t, &x, true);
}

/* ALTER TABLE t ADD CONSTRAINT name UNIQUE|PRIMARY KEY USING INDEX name
 * [DEFERRABLE [INITIALLY DEFERRED]]; */
static void key_using_index_sql(sc_buf *b, const sc_table *t, const sc_constraint *c)
{
    alter_table(b, t);
    sc_buf_puts(b, " ADD CONSTRAINT ");
    sc_ident_append(b, c->name);
    sc_buf_puts(b, c->kind == SC_CON_PRIMARY ? " PRIMARY KEY" : " UNIQUE");
    sc_buf_puts(b, " USING INDEX ");
    sc_ident_append(b, c->name);
    if (c->deferrable)
        sc_buf_puts(b, c->initially_deferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE");
    sc_buf_puts(b, ";\n");
}

/* The SQL that adds constraint `c` to table `t`: when the table has rows
 * (`existing`), a check or foreign key is added NOT VALID (the caller
 * adds the VALIDATE step), and a primary key whose columns may hold
 * NULLs is added plainly (see key_by_index() for the other keys). */
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
    return 0;
}

/* Appends the step that validates constraint `name` of `t` (added NOT
 * VALID by an earlier step), in a transaction of its own.  Its down has
 * nothing to undo. */
static void push_validate(planner *P, const sc_table *t, const char *name, const char *what)
{
    sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
    validate_sql(&up, t, name);
    nothing_sql(&down, "validating a constraint changes no definition");
    sc_step *st = push(P, PH_VALIDATE, what, &up, &down, NULL, SC_HAZARD_DATA_DEPENDENT);
    st->separate = true;
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
        /*
         * The down adds the constraint back as the up of an addition
         * would: a check or foreign key NOT VALID, validated by the down
         * of a step pushed just before this one (so that it runs after
         * this one's down, in a transaction of its own); a unique key
         * through a unique index that the down of a step pushed just
         * after this one builds concurrently first.  The down runs on the
         * table as `from` has it.
         */
        int phase = c->kind == SC_CON_FOREIGN ? PH_FK_DROP : PH_CON_DROP;
        char *cwords = sc_arena_printf(P->plan->arena, "%s %s on %s", sc_con_kind_name(c->kind),
                                       qname(P, NULL, c->name), qname(P, ft->schema, ft->name));
        bool by_index = key_by_index(ft, c);
        bool validate = (c->kind == SC_CON_CHECK || c->kind == SC_CON_FOREIGN) && !c->not_valid;
        if (validate) {
            sc_buf vup = SC_BUF_INIT, vdown = SC_BUF_INIT;
            nothing_sql(&vup, "the down validates the constraint it adds back");
            validate_sql(&vdown, ft, c->name);
            sc_step *vs = push(P, phase,
                               sc_arena_printf(P->plan->arena, "(down only) validate %s", cwords),
                               &vup, &vdown, NULL, 0);
            vs->separate = true;
        }
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT, downpre = SC_BUF_INIT;
        drop_constraint_sql(&up, ft, c);
        if (by_index)
            key_using_index_sql(&down, ft, c);
        else
            sc_ddl_add_constraint(&down, ft, c, c->not_valid || validate);
        if (c->comment != NULL)
            sc_ddl_comment_constraint(&down, ft, c);
        rows r = rows_down(P, ft, tt);
        constraint_check(P, &downpre, &r, c, false);
        sc_step *st = push(P, phase, sc_arena_printf(P->plan->arena, "drop %s", cwords), &up,
                           &down, NULL, 0);
        set_preflights(P, st, NULL, &downpre);
        if (by_index) {
            sc_buf iup = SC_BUF_INIT, idown = SC_BUF_INIT;
            nothing_sql(&iup, "the down builds the index of the key it adds back");
            key_index_sql(P, &idown, ft, c);
            push(P, phase,
                 sc_arena_printf(P->plan->arena, "(down only) build the index of %s", cwords),
                 &iup, &idown, NULL, SC_HAZARD_NON_TRANSACTIONAL);
        }
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
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT, downpre = SC_BUF_INIT;
        drop_index_sql(&up, ft, x, true);
        sc_ddl_create_index(&down, ft, x, true);
        rows r = rows_down(P, ft, tt);
        index_check(P, &downpre, &r, x, false);
        sc_step *st = push(P, PH_INDEX_DROP,
                           sc_arena_printf(P->plan->arena, "drop index %s",
                                           qname(P, ft->schema, x->name)),
                           &up, &down, NULL, SC_HAZARD_NON_TRANSACTIONAL);
        set_preflights(P, st, NULL, &downpre);
    }
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

/* A name for the temporary check that SET NOT NULL on column `col` of
 * table `t` leans on: at most 63 bytes, cut at a character boundary. */
static char *not_null_check_name(planner *P, const sc_table *t, const char *col)
{
    char *s = sc_arena_printf(P->plan->arena, "schemac_nn_%s_%s", t->name, col);
    size_t n = strlen(s);
    if (n > 63) {
        n = 63;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        s[n] = '\0';
    }
    return s;
}

/* ------------------------------------------------------ serial columns */

/* The integer type of a serial of width `w` (2, 4 or 8). */
static const char *serial_type(int w)
{
    return w == 2 ? "smallint" : w == 4 ? "integer" : "bigint";
}

/*
 * The sequence PostgreSQL makes for a serial column: named `name_of`'s
 * table_column_seq (shortened as makeObjectName() does; the catalog
 * reader recognises a serial by that name), in the table's schema, owned
 * by column `col` of `t` (the table as it is named when the SQL runs).
 */
static sc_sequence serial_sequence(planner *P, const sc_table *name_of, const char *name_col,
                                   const sc_table *t, const char *col, int w)
{
    sc_sequence q;
    memset(&q, 0, sizeof q);
    q.schema = t->schema;
    q.name = sc_name_make(P->plan->arena, name_of->name, name_col, "seq");
    q.type = (char *)serial_type(w);
    q.owned_table = t->name;
    q.owned_column = (char *)col;
    return q;
}

/* The sequence `q` as a text literal, for nextval() and setval(). */
static void seq_literal(sc_buf *b, const sc_sequence *q)
{
    sc_buf name = SC_BUF_INIT;
    sc_ddl_qualified(&name, q->schema, q->name);
    sc_sql_literal_append(b, sc_buf_str(&name));
    sc_buf_free(&name);
}

/*
 * Appends what makes column `col` of `t` serial, as PostgreSQL's own
 * serial does: the sequence `q` (of the column's type) owned by the
 * column, the column's default nextval() of it, and the sequence moved
 * past the largest value the column holds, so that the rows that exist
 * do not collide with the values it hands out (setval() is skipped for
 * an empty table or one whose largest value is below 1, the sequence's
 * start).  The SELECT scans the table under SET DEFAULT's lock.
 */
static void serial_attach_sql(sc_buf *b, const sc_table *t, const char *col,
                              const sc_sequence *q)
{
    sc_buf lit = SC_BUF_INIT, rest = SC_BUF_INIT, c = SC_BUF_INIT;
    seq_literal(&lit, q);
    sc_ident_append(&c, col);
    sc_ddl_create_sequence(b, q);
    sc_ddl_sequence_owned_by(b, q);
    sc_buf_printf(&rest, "SET DEFAULT nextval(%s::regclass)", sc_buf_str(&lit));
    alter_column_sql(b, t, col, sc_buf_str(&rest));
    sc_buf_printf(b, "SELECT pg_catalog.setval(%s, max(%s)) FROM ", sc_buf_str(&lit),
                  sc_buf_str(&c));
    sc_ddl_qualified(b, t->schema, t->name);
    sc_buf_printf(b, " HAVING max(%s) > 0;\n", sc_buf_str(&c));
    sc_buf_free(&lit);
    sc_buf_free(&rest);
    sc_buf_free(&c);
}

/* Appends what makes column `col` of `t` an ordinary column again: its
 * default goes, then its sequence `q`. */
static void serial_detach_sql(sc_buf *b, const sc_table *t, const char *col,
                              const sc_sequence *q)
{
    alter_column_sql(b, t, col, "DROP DEFAULT");
    drop_sequence_sql(b, q);
}

/* Whether `expr` (a default) is nextval() of a sequence named `seq`. */
static bool nextval_of(const char *expr, const char *seq)
{
    if (expr == NULL || seq == NULL || strstr(expr, "nextval") == NULL)
        return false;
    const char *p = strstr(expr, seq);
    if (p == NULL)
        return false;
    /* the name must end there, before the closing quote */
    return p[strlen(seq)] == '\'' || p[strlen(seq)] == '"';
}

/*
 * The sequence a serial column of `m` implies whose name is `schema.name`,
 * when the column is serial in `m` and not in `other` (where a sequence of
 * that name is declared): the column keeps its sequence.  Fills `*out`
 * and returns true.
 */
static bool adopted_serial(planner *P, const sc_model *m, const sc_model *other,
                           const char *schema, const char *name, sc_sequence *out)
{
    for (size_t i = 0; i < m->ntables; i++) {
        const sc_table *t = m->tables[i];
        if (!streq(t->schema, schema) && !(t->schema == NULL && streq(schema, "public")) &&
            !(schema == NULL && streq(t->schema, "public")))
            continue;
        for (size_t j = 0; j < t->ncolumns; j++) {
            const sc_column *c = t->columns[j];
            if (c->serial == 0)
                continue;
            sc_sequence q = serial_sequence(P, t, c->name, t, c->name, c->serial);
            if (!streq(q.name, name))
                continue;
            const sc_table *ot = sc_model_find_table(other, t->schema, t->name);
            const sc_column *oc = ot != NULL ? sc_table_find_column(ot, c->name) : NULL;
            if (oc == NULL || oc->serial != 0)
                return false;
            *out = q;
            return true;
        }
    }
    return false;
}

/* Appends the check that sequence `q` (as it is when the check runs)
 * stands within the range of integer type `type`, which ALTER SEQUENCE
 * ... AS `type` requires of its current value; `tail` says what cannot be
 * done. */
static void serial_range_check(sc_buf *out, const sc_sequence *q, const char *type,
                               const char *tail)
{
    sc_buf query = SC_BUF_INIT, mid = SC_BUF_INIT, name = SC_BUF_INIT;
    sc_ddl_qualified(&name, q->schema, q->name);
    sc_buf_printf(&query,
                  "SELECT count(*), min(last_value::text) FROM %s WHERE last_value > %s",
                  sc_buf_str(&name), streq(type, "smallint") ? "32767" : "2147483647");
    sc_buf_printf(&mid, "sequence %s stands beyond the range of %s", sc_buf_str(&name), type);
    count_check(out, sc_buf_str(&query), sc_buf_str(&mid), tail);
    sc_buf_free(&query);
    sc_buf_free(&mid);
    sc_buf_free(&name);
}

/*
 * Steps that turn column `fc` of `ft` into `tc` of table `tt` (named as in
 * `to`; renames have run).  Returns true when the column was dropped and
 * added again (its comment then travels with it).
 */
static bool plan_column_change(planner *P, const sc_table *ft, const sc_table *tt,
                               const sc_column *fc, const sc_column *tc)
{
    char *what = colname(P, tt, tc->name);
    const char *n = tc->name;
    sc_arena *a = P->plan->arena;
    /* the sequences of a serial `fc` (named after `from`'s names, owned
     * by the column as `to` names it) and of a serial `tc` */
    sc_sequence fseq = serial_sequence(P, ft, fc->name, tt, n, fc->serial);
    sc_sequence tseq = serial_sequence(P, tt, n, tt, n, tc->serial);
    /* A serial column whose sequence becomes a declared one (or the
     * reverse) keeps its sequence: plan_sequences() changes the sequence's
     * type, options and owner; the column is planned as a column with a
     * nextval() default on both sides. */
    sc_column fcopy, tcopy;
    if (fc->serial == 0 && tc->serial != 0 &&
        sc_model_find_sequence(P->from, tseq.schema, tseq.name) != NULL) {
        if (!nextval_of(fc->default_expr, tseq.name)) {
            unsupported(P, "making column %s serial while a sequence of its sequence's name "
                           "exists, and the column's default is not its nextval(), is not "
                           "supported yet", what);
            return false;
        }
        tcopy = *tc;
        tcopy.serial = 0;
        tcopy.default_expr = fc->default_expr;
        tc = &tcopy;
    }
    if (fc->serial != 0 && tc->serial == 0 &&
        sc_model_find_sequence(P->to, fseq.schema, fseq.name) != NULL) {
        if (!nextval_of(tc->default_expr, fseq.name)) {
            unsupported(P, "turning serial column %s into a sequence of the same name with "
                           "another default is not supported yet", what);
            return false;
        }
        fcopy = *fc;
        fcopy.serial = 0;
        fcopy.default_expr = tc->default_expr;
        fc = &fcopy;
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
    /* a default that stays goes and comes back around a type change only
     * when PostgreSQL may not carry it over (default_survives()) */
    bool reset_default = default_changed || (type_changed && !default_survives(fc->type, tc->type));
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
    if (fc->default_expr != NULL && reset_default && fc->serial == 0 && !default_replaced) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        alter_column_sql(&up, tt, n, "DROP DEFAULT");
        set_default_sql(&down, tt, n, fc->default_expr);
        push(P, PH_TABLE, sc_arena_printf(a, "drop default of column %s", what), &up, &down,
             NULL, 0);
    }
    /* 1b. serial no more: the default and the sequence go (before a type
     * change, so that the down makes the sequence of the old type) */
    if (fc->serial != 0 && tc->serial == 0) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        serial_detach_sql(&up, tt, n, &fseq);
        serial_attach_sql(&down, tt, n, &fseq);
        push(P, PH_TABLE,
             sc_arena_printf(a, "drop serial of column %s (its default and sequence %s)", what,
                             qname(P, fseq.schema, fseq.name)),
             &up, &down,
             "the sequence's position is not restored: it starts again after the largest "
             "value of the column",
             0);
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
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT, downpre = SC_BUF_INIT;
        alter_column_sql(&up, tt, n, "DROP NOT NULL");
        alter_column_sql(&down, tt, n, "SET NOT NULL");
        not_null_check(P, &downpre, tt, n, "the down cannot set NOT NULL on it again");
        sc_step *st = push(P, PH_TABLE, sc_arena_printf(a, "drop not null of column %s", what),
                           &up, &down, NULL, 0);
        set_preflights(P, st, NULL, &downpre);
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
            if (type_change_rounds(fc->type, tc->type))
                h |= SC_HAZARD_DATA_LOSS; /* see type_change_rounds() */
        }
        sc_buf pre = SC_BUF_INIT, downpre = SC_BUF_INIT;
        if (!same_type) {
            type_check(P, &pre, P->to, ft, fc->name, fc->type, tc->type,
                       sc_arena_printf(a, "the type of %s cannot be changed from %s to %s",
                                       colname(P, ft, fc->name), fc->type, tc->type));
            type_check(P, &downpre, P->from, tt, n, tc->type, fc->type,
                       sc_arena_printf(a, "rollback to %s is safe only when there are none",
                                       fc->type));
        }
        if (pre.len > 0)
            h |= SC_HAZARD_DATA_DEPENDENT;
        sc_step *st = push(P, PH_TABLE,
                           streq(fc->type, tc->type)
                               ? sc_arena_printf(a, "change collation of column %s", what)
                               : sc_arena_printf(a, "change type of column %s from %s to %s",
                                                 what, fc->type, tc->type),
                           &up, &down,
                           (h & SC_HAZARD_DATA_LOSS) ? "the digits rounded away are not restored"
                                                     : NULL,
                           h);
        set_preflights(P, st, &pre, &downpre);
    }
    /* 4b. a serial of another width: its sequence changes type too */
    if (fc->serial != 0 && tc->serial != 0 && fc->serial != tc->serial) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT, pre = SC_BUF_INIT, downpre = SC_BUF_INIT;
        sc_buf_puts(&up, "ALTER SEQUENCE ");
        sc_ddl_qualified(&up, fseq.schema, fseq.name);
        sc_buf_printf(&up, " AS %s;\n", tseq.type);
        sc_buf_puts(&down, "ALTER SEQUENCE ");
        sc_ddl_qualified(&down, fseq.schema, fseq.name);
        sc_buf_printf(&down, " AS %s;\n", fseq.type);
        unsigned h = 0;
        if (tc->serial < fc->serial) {
            h |= SC_HAZARD_DATA_DEPENDENT;
            serial_range_check(&pre, &fseq, tseq.type,
                               sc_arena_printf(a, "its type cannot be changed to %s", tseq.type));
        } else {
            serial_range_check(&downpre, &fseq, fseq.type,
                               sc_arena_printf(a, "rollback to %s is safe only when it does not",
                                               fseq.type));
        }
        sc_step *st = push(P, PH_TABLE,
                           sc_arena_printf(a, "change type of sequence %s from %s to %s",
                                           qname(P, fseq.schema, fseq.name), fseq.type,
                                           tseq.type),
                           &up, &down, NULL, h);
        set_preflights(P, st, &pre, &downpre);
    }
    /* 5. set not null */
    if (!fc->not_null && tc->not_null) {
        /*
         * Through a validated check, which PostgreSQL 12 and later trust
         * instead of scanning the table under SET NOT NULL's lock: the
         * check is added NOT VALID here, validated in a transaction of its
         * own (PH_VALIDATE), and SET NOT NULL and the check's drop come
         * after (PH_SET_NOT_NULL).  A column that also gains identity
         * (ADD IDENTITY needs NOT NULL first) or is a key column of a
         * primary key of `tt` (the down would drop NOT NULL before the
         * key) keeps all of it in one step here, in one transaction.
         */
        bool in_pk = false;
        for (size_t i = 0; i < tt->nconstraints; i++)
            if (tt->constraints[i]->kind == SC_CON_PRIMARY &&
                names_have(tt->constraints[i]->columns, tt->constraints[i]->ncolumns, n))
                in_pk = true;
        bool split = !in_pk && !(fc->identity == 0 && tc->identity != 0);
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT, pre = SC_BUF_INIT;
        char *tmp = not_null_check_name(P, tt, n);
        char *nnwhat = sc_arena_printf(a, "set not null on column %s", what);
        alter_table(&up, tt);
        sc_buf_puts(&up, " ADD CONSTRAINT ");
        sc_ident_append(&up, tmp);
        sc_buf_puts(&up, " CHECK (");
        sc_ident_append(&up, n);
        sc_buf_puts(&up, " IS NOT NULL) NOT VALID;\n");
        not_null_check(P, &pre, ft, fc->name, "NOT NULL cannot be set on it");
        if (split) {
            /* 5a. the check, NOT VALID */
            sc_buf check = SC_BUF_INIT;
            sc_buf_printf(&check, "%s", sc_buf_str(&up));
            alter_table(&down, tt);
            sc_buf_puts(&down, " DROP CONSTRAINT ");
            sc_ident_append(&down, tmp);
            sc_buf_puts(&down, ";\n");
            sc_step *st = push(P, PH_TABLE,
                               sc_arena_printf(a, "%s: add check %s not valid", nnwhat, tmp),
                               &up, &down, NULL, 0);
            set_preflights(P, st, &pre, NULL);
            /* 5b. validated alone */
            push_validate(P, tt, tmp, sc_arena_printf(a, "%s: validate check %s", nnwhat, tmp));
            /* 5c. SET NOT NULL, and the check goes; the down puts the
             * check back (NOT VALID) for 5a's down to drop */
            alter_column_sql(&up, tt, n, "SET NOT NULL");
            alter_table(&up, tt);
            sc_buf_puts(&up, " DROP CONSTRAINT ");
            sc_ident_append(&up, tmp);
            sc_buf_puts(&up, ";\n");
            alter_column_sql(&down, tt, n, "DROP NOT NULL");
            sc_buf_puts(&down, sc_buf_str(&check));
            sc_buf_free(&check);
            push(P, PH_SET_NOT_NULL, nnwhat, &up, &down, NULL, 0);
        } else {
            validate_sql(&up, tt, tmp);
            alter_column_sql(&up, tt, n, "SET NOT NULL");
            alter_table(&up, tt);
            sc_buf_puts(&up, " DROP CONSTRAINT ");
            sc_ident_append(&up, tmp);
            sc_buf_puts(&up, ";\n");
            alter_column_sql(&down, tt, n, "DROP NOT NULL");
            sc_step *st = push(P, PH_TABLE, nnwhat, &up, &down, NULL, SC_HAZARD_DATA_DEPENDENT);
            set_preflights(P, st, &pre, NULL);
        }
    }
    /* 6. set the default */
    if (tc->default_expr != NULL && reset_default && tc->serial == 0 && !default_replaced) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        set_default_sql(&up, tt, n, tc->default_expr);
        alter_column_sql(&down, tt, n, "DROP DEFAULT");
        push(P, PH_TABLE, sc_arena_printf(a, "set default of column %s to %s", what, tc->default_expr),
             &up, &down, NULL, 0);
    }
    /* 6b. serial now: the sequence, the default, and the sequence moved
     * past the rows (NOT NULL, which serial implies, is step 5) */
    if (fc->serial == 0 && tc->serial != 0) {
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT;
        serial_attach_sql(&up, tt, n, &tseq);
        serial_detach_sql(&down, tt, n, &tseq);
        push(P, PH_TABLE,
             sc_arena_printf(a, "make column %s serial (sequence %s)", what,
                             qname(P, tseq.schema, tseq.name)),
             &up, &down, NULL, SC_HAZARD_SCAN);
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
            readded[i] = plan_column_change(P, ft, tt, fc, tc);
            continue;
        }
        sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT, pre = SC_BUF_INIT;
        add_column_sql(&up, tt, tc);
        drop_column_sql(&down, tt, tc->name);
        unsigned h = 0;
        if (tc->not_null && tc->default_expr == NULL && tc->identity == 0 && tc->serial == 0 &&
            tc->generated_expr == NULL) {
            h |= SC_HAZARD_DATA_DEPENDENT;
            empty_check(P, &pre, ft,
                        sc_arena_printf(a, "column %s cannot be added as NOT NULL without a "
                                           "default",
                                        colname(P, tt, tc->name)));
        }
        if (tc->generated_expr != NULL || tc->identity != 0 || tc->serial != 0)
            h |= SC_HAZARD_REWRITE | SC_HAZARD_ACCESS_EXCLUSIVE;
        sc_buf w = SC_BUF_INIT;
        sc_buf_printf(&w, "add column %s (%s%s)", colname(P, tt, tc->name), tc->type,
                      tc->not_null ? ", not null" : "");
        sc_step *st = push(P, PH_TABLE, sc_buf_str(&w), &up, &down, NULL, h);
        set_preflights(P, st, &pre, NULL);
        sc_buf_free(&w);
        readded[i] = true;
    }
    if (existing) {
        for (size_t i = 0; i < ft->ncolumns; i++) {
            const sc_column *fc = ft->columns[i];
            if (to_column_name(ft, tt, fc->name) != NULL)
                continue;
            sc_table named = table_as(ft, tt->schema, tt->name);
            sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT, downpre = SC_BUF_INIT;
            drop_column_sql(&up, &named, fc->name);
            add_column_sql(&down, &named, fc);
            if (fc->not_null && fc->default_expr == NULL && fc->identity == 0 &&
                fc->serial == 0 && fc->generated_expr == NULL)
                empty_check(P, &downpre, tt,
                            sc_arena_printf(a, "the down cannot add column %s back as NOT NULL "
                                               "without a default",
                                            colname(P, tt, fc->name)));
            sc_step *st = push(P, PH_DROP_COLUMN,
                               sc_arena_printf(a, "drop column %s", colname(P, tt, fc->name)),
                               &up, &down, "the values of the column are not restored",
                               SC_HAZARD_DATA_LOSS);
            set_preflights(P, st, NULL, &downpre);
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
            sc_buf up = SC_BUF_INIT, down = SC_BUF_INIT, pre = SC_BUF_INIT;
            int phase = c->kind == SC_CON_FOREIGN ? PH_FK_ADD : PH_CON_ADD;
            char *cwords = sc_arena_printf(a, "%s %s on %s", sc_con_kind_name(c->kind),
                                           qname(P, NULL, c->name), tname);
            if (existing) {
                rows r = rows_up(P, ft, tt);
                constraint_check(P, &pre, &r, c, true);
            }
            /* a primary key by index only over columns NOT NULL already in
             * `from`: the SET NOT NULL steps of this plan come later
             * (PH_SET_NOT_NULL) */
            bool by_index = existing && c->kind == SC_CON_UNIQUE;
            if (existing && c->kind == SC_CON_PRIMARY) {
                by_index = true;
                for (size_t k = 0; k < c->ncolumns && by_index; k++) {
                    const sc_column *tc = sc_table_find_column(tt, c->columns[k]);
                    const sc_column *fc = tc != NULL ? from_column_of(ft, tt, tc) : NULL;
                    by_index = fc != NULL && fc->not_null;
                }
            }
            if (by_index) {
                /* the index concurrently, outside a transaction; then the
                 * constraint on it, which takes ACCESS EXCLUSIVE only
                 * briefly.  Dropping the constraint drops the index, so
                 * the index step's down has nothing left to do. */
                key_index_sql(P, &up, tt, c);
                nothing_sql(&down, "the index went with the constraint built on it");
                sc_step *st = push(P, phase, sc_arena_printf(a, "build the index of %s", cwords),
                                   &up, &down, NULL,
                                   SC_HAZARD_NON_TRANSACTIONAL | SC_HAZARD_DATA_DEPENDENT);
                set_preflights(P, st, &pre, NULL);
                key_using_index_sql(&up, tt, c);
                drop_constraint_sql(&down, tt, c);
                push(P, phase, sc_arena_printf(a, "add %s", cwords), &up, &down, NULL, 0);
            } else {
                unsigned h = add_constraint_sql(&up, tt, c, existing);
                drop_constraint_sql(&down, tt, c);
                sc_step *st = push(P, phase, sc_arena_printf(a, "add %s", cwords), &up, &down,
                                   NULL, h);
                set_preflights(P, st, &pre, NULL);
                if (existing && (c->kind == SC_CON_CHECK || c->kind == SC_CON_FOREIGN) &&
                    !c->not_valid)
                    push_validate(P, tt, c->name, sc_arena_printf(a, "validate %s", cwords));
            }
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
            if (existing)
                drop_index_sql(&down, tt, x, true);
            else
                sc_buf_printf(&down, "-- dropped with its table %s\n",
                              fullname(P, tt->schema, tt->name));
            unsigned h = existing ? SC_HAZARD_NON_TRANSACTIONAL : 0;
            if (existing && x->unique)
                h |= SC_HAZARD_DATA_DEPENDENT;
            sc_buf pre = SC_BUF_INIT;
            if (existing) {
                rows r = rows_up(P, ft, tt);
                index_check(P, &pre, &r, x, true);
            }
            sc_step *st = push(P, PH_INDEX_ADD,
                               sc_arena_printf(a, "create index %s on %s", xname, tname), &up,
                               &down, NULL, h);
            set_preflights(P, st, &pre, NULL);
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

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (const void *const *)a, y = (uintptr_t) * (const void *const *)b;
    return x < y ? -1 : x > y;
}

/* Whether `t` is in `sorted` (n pointers sorted by cmp_ptr). */
static bool has_ptr(const sc_table *const *sorted, size_t n, const sc_table *t)
{
    return bsearch(&t, sorted, n, sizeof *sorted, cmp_ptr) != NULL;
}

/*
 * Tables.  A table object that both models share (compile takes unchanged
 * tables of schema.lock from the schema files' model) is the same table:
 * it needs no step and no lookup, which keeps a small change to a large
 * schema cheap.
 */
static void plan_tables(planner *P)
{
    size_t nf = P->from->ntables, nt = P->to->ntables;
    const sc_table **fs = sc_xcalloc(nf + 1, sizeof *fs), **ts = sc_xcalloc(nt + 1, sizeof *ts);
    if (nf > 0)
        memcpy(fs, P->from->tables, nf * sizeof *fs);
    if (nt > 0)
        memcpy(ts, P->to->tables, nt * sizeof *ts);
    qsort(fs, nf, sizeof *fs, cmp_ptr);
    qsort(ts, nt, sizeof *ts, cmp_ptr);
    for (size_t i = 0; i < nf; i++) {
        const sc_table *ft = P->from->tables[i];
        if (!has_ptr(ts, nt, ft))
            plan_table_removals(P, ft, to_table_of(P, ft));
    }
    for (size_t i = 0; i < nt; i++) {
        const sc_table *tt = P->to->tables[i];
        if (!has_ptr(fs, nf, tt))
            plan_table(P, from_table_of(P, tt), tt);
    }
    for (size_t i = 0; i < nf; i++)
        if (!has_ptr(ts, nt, P->from->tables[i]) && to_table_of(P, P->from->tables[i]) == NULL)
            plan_drop_table(P, P->from->tables[i]);
    free(fs);
    free(ts);
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

void sc_hazards_words(sc_buf *out, unsigned hazards)
{
    const char *sep = "";
    for (size_t b = 0; b < sizeof hazard_names / sizeof *hazard_names; b++)
        if (hazards & (1u << b)) {
            sc_buf_printf(out, "%s%s", sep, hazard_names[b]);
            sep = ", ";
        }
}

const char *sc_risk_name(sc_risk risk)
{
    static const char *const names[] = {"safe", "risky", "dangerous"};
    return names[risk];
}

void sc_plan_describe(sc_buf *out, const sc_plan *plan)
{
    for (size_t i = 0; i < plan->nsteps; i++) {
        const sc_step *s = &plan->steps[i];
        sc_buf_puts(out, s->what);
        if (s->hazards != 0) {
            sc_buf_puts(out, " [");
            sc_hazards_words(out, s->hazards);
            sc_buf_putc(out, ']');
        }
        sc_buf_printf(out, " %s\n", sc_risk_name(sc_step_risk(s)));
    }
}
