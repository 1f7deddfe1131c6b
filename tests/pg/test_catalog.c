/*
 * The catalog reader, `schemac pull` and connection handling against a
 * real PostgreSQL server: what the reader makes of each kind of object,
 * that it lists what the language cannot manage, that its query count
 * does not grow with the number of tables, that session settings do not
 * change what it reads, that pulled files are canonical and compile back
 * to the same schema hash, and that connection failures give one clear
 * line.
 *
 * One server serves every test: main() starts it and shares it with the
 * test workers (pgfix_share/pgfix_attach); each test makes its own
 * databases.
 */
#define _GNU_SOURCE

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "catalog.h"
#include "compiler.h"
#include "conn.h"
#include "ddl.h"
#include "hash.h"
#include "print.h"
#include "pull.h"
#include "pgfix.h"
#include "pgshared.h"

TestSuite(catalog, .init = pgshared_attach, .fini = pgshared_detach, .timeout = 120);
TestSuite(pull, .init = pgshared_attach, .fini = pgshared_detach, .timeout = 120);
TestSuite(conn, .init = pgshared_attach, .fini = pgshared_detach, .timeout = 120);

/* A fresh database loaded with `sql`; returns its conninfo. */
static const char *make_db(const char *name, const char *sql)
{
    const char *ci = pgfix_createdb(fx, name);
    cr_assert_not_null(ci, "createdb %s", name);
    if (sql != NULL)
        cr_assert_eq(pgfix_exec(fx, name, sql), 0, "loading %s", name);
    return ci;
}

static char *canonical_of(const sc_model *m)
{
    sc_buf b = SC_BUF_INIT;
    sc_print_canonical(&b, m);
    return sc_buf_detach(&b);
}

static sc_column *col(const sc_model *m, const char *schema, const char *table, const char *name)
{
    sc_table *t = sc_model_find_table(m, schema, table);
    cr_assert_not_null(t, "table %s.%s", schema, table);
    sc_column *c = sc_table_find_column(t, name);
    cr_assert_not_null(c, "column %s.%s", table, name);
    return c;
}

static sc_constraint *con(const sc_model *m, const char *table, const char *name)
{
    sc_table *t = sc_model_find_table(m, "public", table);
    cr_assert_not_null(t, "table %s", table);
    for (size_t i = 0; i < t->nconstraints; i++)
        if (strcmp(t->constraints[i]->name, name) == 0)
            return t->constraints[i];
    cr_assert_fail("no constraint %s on %s", name, table);
    return NULL;
}

static sc_index *idx(const sc_model *m, const char *table, const char *name)
{
    sc_table *t = sc_model_find_table(m, "public", table);
    cr_assert_not_null(t, "table %s", table);
    for (size_t i = 0; i < t->nindexes; i++)
        if (strcmp(t->indexes[i]->name, name) == 0)
            return t->indexes[i];
    cr_assert_fail("no index %s on %s", name, table);
    return NULL;
}

static void assert_str(const char *got, const char *want, const char *what)
{
    cr_assert(got != NULL && strcmp(got, want) == 0, "%s: got [%s], want [%s]", what,
              got != NULL ? got : "(null)", want);
}

/* Reads a whole file into a malloc'd NUL-terminated string; fails the
 * test when it cannot be opened. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "open %s", path);
    char *data = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len + 4096 > cap) {
            cap = cap * 2 + 4096;
            data = realloc(data, cap);
        }
        size_t n = fread(data + *len, 1, 4096, f);
        *len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    data[*len] = '\0';
    return data;
}

/* The SQL of tests/pg/<name> (rich.sql, hostile.sql: schemas shared with
 * the pg_dump round trip of peer_cases --builtin), malloc'd. */
static char *sql_file(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/pg/%s", SC_SOURCE_ROOT, name);
    size_t len;
    return read_file(path, &len);
}

/* A fresh database loaded with tests/pg/<file>. */
static void make_db_from(const char *name, const char *file)
{
    char *sql = sql_file(file);
    make_db(name, sql);
    free(sql);
}

/* --------------------------------------------------------------------- */

Test(catalog, reads_every_kind)
{
    make_db_from("rich", "rich.sql");
    sc_model *m = pgshared_read_db("rich", NULL);

    cr_assert_eq(m->nschemas, 1);
    assert_str(m->schemas[0]->name, "billing", "schema");
    assert_str(m->schemas[0]->comment, "money", "schema comment");
    cr_assert_eq(m->nextensions, 1, "pg_trgm only (plpgsql is implied)");
    assert_str(m->extensions[0]->name, "pg_trgm", "extension");
    assert_str(m->extensions[0]->schema, "public", "extension schema");
    cr_assert_not_null(m->extensions[0]->version);
    cr_assert_null(m->extensions[0]->comment, "the control file's comment is not kept");

    sc_enum *e = sc_model_find_enum(m, "public", "status");
    cr_assert_not_null(e);
    cr_assert_eq(e->nlabels, 3);
    assert_str(e->labels[1].value, "it's", "label");
    assert_str(e->labels[2].value, "back\\slash", "label");

    sc_column *c = col(m, "public", "funds", "id");
    cr_assert_eq(c->identity, 'a');
    cr_assert(c->idopts.has_start && c->idopts.start == 100);
    cr_assert(c->idopts.has_increment && c->idopts.increment == 5);
    cr_assert(!c->idopts.has_min && !c->idopts.has_max && !c->idopts.has_cache);
    cr_assert(c->not_null);
    cr_assert_eq(col(m, "public", "funds", "code")->serial, 4);
    cr_assert_null(col(m, "public", "funds", "code")->default_expr);
    cr_assert_eq(col(m, "public", "funds", "small")->serial, 2);
    cr_assert_eq(col(m, "public", "funds", "big")->serial, 8);
    c = col(m, "public", "funds", "name");
    assert_str(c->type, "character varying(200)", "type");
    assert_str(c->collation, "C", "collation");
    cr_assert_null(c->collation_schema);
    assert_str(c->comment, "display name; may hold 'quotes'", "column comment");
    assert_str(col(m, "public", "funds", "status")->default_expr, "'active'::status", "default");
    assert_str(col(m, "public", "funds", "st")->type, "billing.state[]", "array of enum");
    assert_str(col(m, "public", "funds", "doubled")->generated_expr, "(amount * (2)::numeric)",
               "generated");
    cr_assert_null(col(m, "public", "funds", "doubled")->default_expr);
    assert_str(sc_model_find_table(m, "public", "funds")->comment, "Fund master data",
               "table comment");

    sc_constraint *k = con(m, "funds", "funds_name_uq");
    cr_assert_eq(k->kind, SC_CON_UNIQUE);
    cr_assert(k->nulls_not_distinct);
    cr_assert_eq(k->ninclude, 1);
    assert_str(k->include[0], "status", "include");
    k = con(m, "funds", "funds_amount_check");
    cr_assert_eq(k->kind, SC_CON_CHECK);
    assert_str(k->expr, "(amount > (0)::numeric)", "check expression");
    cr_assert_eq(k->ncolumns, 1);

    k = con(m, "lots", "lots_fund_id_fkey");
    cr_assert_eq(k->kind, SC_CON_FOREIGN);
    assert_str(k->ref_table, "funds", "referenced table");
    assert_str(k->ref_columns[0], "id", "referenced column");
    cr_assert_eq(k->on_delete, SC_FK_CASCADE);
    cr_assert_eq(k->on_update, SC_FK_SET_NULL);
    cr_assert(k->deferrable && k->initially_deferred && !k->not_valid);
    cr_assert(con(m, "lots", "lots_other_fkey")->not_valid);
    k = con(m, "lots", "positive");
    cr_assert(k->not_valid);
    assert_str(k->expr, "(id > 0)", "not valid check");

    sc_index *x = idx(m, "lots", "lots_expr");
    cr_assert_eq(x->nkeys, 3);
    assert_str(x->keys[0].expr, "lower((fund_id)::text)", "expression key");
    assert_str(x->keys[0].opclass, "text_pattern_ops", "opclass");
    cr_assert(x->keys[0].desc);
    cr_assert_eq(x->keys[0].nulls, 'l');
    assert_str(x->keys[1].expr, "((id + 1))", "parenthesised key");
    assert_str(x->keys[2].column, "other", "column key");
    cr_assert_null(x->keys[2].opclass);
    assert_str(x->include[0], "fund_id", "include");
    assert_str(x->where, "(other > 1)", "predicate");
    x = idx(m, "lots", "lots_other_idx");
    cr_assert(x->unique);
    cr_assert_eq(x->keys[0].nulls, 'f');
    x = idx(m, "funds", "funds_name_idx");
    assert_str(x->method, "gin", "method");
    assert_str(x->keys[0].opclass, "gin_trgm_ops", "extension opclass");
    x = idx(m, "funds", "funds_name_idx1");
    assert_str(x->keys[0].collation, "POSIX", "key collation");

    sc_sequence *q = sc_model_find_sequence(m, "billing", "numbers");
    cr_assert_not_null(q);
    assert_str(q->type, "integer", "sequence type");
    cr_assert(q->opts.has_increment && q->opts.increment == 10);
    cr_assert(q->opts.has_start && q->opts.start == 1000);
    cr_assert(q->opts.has_cache && q->opts.cache == 5);
    cr_assert_null(q->owned_table);
    q = sc_model_find_sequence(m, "public", "renamed_seq");
    cr_assert_not_null(q, "an owned sequence that is no serial stays a sequence");
    assert_str(q->owned_table, "lots", "owned by table");
    assert_str(q->owned_column, "other", "owned by column");
    cr_assert_eq(m->nsequences, 2, "serial sequences are implied by their columns");
    assert_str(col(m, "public", "counters", "id")->default_expr,
               "nextval('billing.numbers'::regclass)", "nextval default");
    cr_assert_eq(m->nunmanaged, 0, "extension members are not listed");
    sc_model_free(m);
}

Test(catalog, reads_collations_and_comments_on_constraints_and_indexes)
{
    make_db("extras",
            "CREATE SCHEMA s;"
            "CREATE COLLATION numeric (provider = icu, locale = 'en-u-kn-true');"
            "CREATE COLLATION s.posix2 FROM \"POSIX\";"
            "CREATE COLLATION split (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX');"
            "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2',"
            " deterministic = false);"
            "COMMENT ON COLLATION ci IS 'case-insensitive';"
            "CREATE TABLE t (a text COLLATE numeric, b text COLLATE s.posix2,"
            " c int CONSTRAINT c_positive CHECK (c > 0),"
            " CONSTRAINT t_a_key UNIQUE (a) DEFERRABLE INITIALLY DEFERRED);"
            "CREATE INDEX t_b_idx ON t (b);"
            "COMMENT ON CONSTRAINT c_positive ON t IS 'positive; ''really''';"
            "COMMENT ON INDEX t_b_idx IS 'lookups by b';");
    sc_model *m = pgshared_read_db("extras", NULL);
    cr_assert_eq(m->ncollations, 4);
    sc_collation *k = NULL;
    for (size_t i = 0; i < m->ncollations; i++) {
        k = m->collations[i];
        if (strcmp(k->name, "numeric") == 0) {
            cr_expect_eq(k->provider, SC_COLL_ICU);
            assert_str(k->locale, "en-u-kn-true", "icu locale");
            cr_expect(!k->nondeterministic);
        } else if (strcmp(k->name, "posix2") == 0) {
            assert_str(k->schema, "s", "collation schema");
            cr_expect_eq(k->provider, SC_COLL_LIBC);
            assert_str(k->locale, "POSIX", "libc locale");
        } else if (strcmp(k->name, "split") == 0) {
            cr_expect_null(k->locale);
            assert_str(k->lc_collate, "C", "lc_collate");
            assert_str(k->lc_ctype, "POSIX", "lc_ctype");
        } else {
            assert_str(k->name, "ci", "collation");
            cr_expect(k->nondeterministic);
            assert_str(k->comment, "case-insensitive", "collation comment");
        }
    }
    assert_str(col(m, "public", "t", "a")->collation, "numeric", "column collation");
    cr_expect_null(col(m, "public", "t", "a")->collation_schema);
    assert_str(col(m, "public", "t", "b")->collation_schema, "s", "collation schema");
    assert_str(con(m, "t", "c_positive")->comment, "positive; 'really'", "constraint comment");
    sc_constraint *u = con(m, "t", "t_a_key");
    cr_expect(u->deferrable && u->initially_deferred, "deferrable unique");
    assert_str(idx(m, "t", "t_b_idx")->comment, "lookups by b", "index comment");
    cr_expect_eq(m->nunmanaged, 0);
    sc_model_free(m);
}

static const char unmanaged_sql[] =
    "CREATE TABLE base (id int PRIMARY KEY, v text);"
    "CREATE VIEW v AS SELECT id FROM base;"
    "CREATE MATERIALIZED VIEW mv AS SELECT id FROM base;"
    "CREATE FUNCTION f(a int, b text) RETURNS int LANGUAGE sql AS $$ SELECT a $$;"
    "CREATE PROCEDURE p() LANGUAGE sql AS $$ SELECT 1 $$;"
    "CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;"
    "CREATE TRIGGER base_touch BEFORE UPDATE ON base FOR EACH ROW EXECUTE FUNCTION trg();"
    "ALTER TABLE base ENABLE ROW LEVEL SECURITY;"
    "CREATE POLICY own ON base USING (true);"
    "CREATE DOMAIN positive AS int CHECK (VALUE > 0);"
    "CREATE TYPE pair AS (a int, b int);"
    "CREATE TYPE span AS RANGE (subtype = int4);"
    "CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);"
    "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO "
    "('2027-01-01');"
    "CREATE RULE nothing AS ON DELETE TO base DO INSTEAD NOTHING;"
    "CREATE TABLE rooms (r int4range, EXCLUDE USING gist (r WITH &&));"
    "CREATE STATISTICS base_stats ON id, v FROM base;"
    "CREATE UNLOGGED TABLE scratch (x int);"
    "CREATE TABLE child (extra int) INHERITS (base);"
    "CREATE TABLE tuned (x int) WITH (fillfactor = 70);";

static bool has_unmanaged(const sc_model *m, const char *kind, const char *name)
{
    for (size_t i = 0; i < m->nunmanaged; i++)
        if (strcmp(m->unmanaged[i]->kind, kind) == 0 && strcmp(m->unmanaged[i]->name, name) == 0)
            return true;
    return false;
}

Test(catalog, lists_what_it_does_not_manage)
{
    make_db("unmanaged", unmanaged_sql);
    sc_model *m = pgshared_read_db("unmanaged", NULL);
    static const char *const want[][2] = {
        {"view", "v"},
        {"materialized view", "mv"},
        {"function", "f(a integer, b text)"},
        {"procedure", "p()"},
        {"function", "trg()"},
        {"trigger", "base_touch on base"},
        {"policy", "own on base"},
        {"row level security", "base"},
        {"domain", "positive"},
        {"composite type", "pair"},
        {"range type", "span"},
        {"partitioned table", "events"},
        {"partition", "events_2026"},
        {"rule", "nothing on base"},
        {"exclusion constraint", "rooms_r_excl on rooms"},
        {"statistics", "base_stats"},
        {"unlogged table", "scratch"},
        {"table inheritance", "child"},
        {"table storage parameters", "tuned"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_expect(has_unmanaged(m, want[i][0], want[i][1]), "%s %s is listed", want[i][0],
                  want[i][1]);
    cr_expect_eq(m->nunmanaged, sizeof want / sizeof want[0], "nothing else is listed");
    cr_expect_null(sc_model_find_table(m, "public", "events"), "partitioned tables are not tables");
    cr_expect_null(sc_model_find_table(m, "public", "events_2026"), "nor are partitions");
    cr_expect_not_null(sc_model_find_table(m, "public", "base"));

    /* The pulled text names them at the top. */
    sc_buf text = SC_BUF_INIT;
    sc_pull_text(&text, m);
    const char *s = sc_buf_str(&text);
    cr_expect(strncmp(s, "-- Not managed by schemac", 25) == 0, "header first: %.80s", s);
    cr_expect(strstr(s, "--   view v\n") != NULL || strstr(s, "--   view public.v\n") != NULL,
              "the view is named: %s", s);
    cr_expect(strstr(s, "--   function public.f(a integer, b text)\n") != NULL, "%s", s);
    sc_buf_free(&text);
    sc_model_free(m);
}

Test(catalog, query_count_does_not_grow_with_tables)
{
    sc_buf sql = SC_BUF_INIT;
    for (int i = 0; i < 300; i++)
        sc_buf_printf(&sql,
                      "CREATE TABLE t%d (id int PRIMARY KEY, a text NOT NULL DEFAULT 'x' CHECK "
                      "(a <> ''), r int REFERENCES t0 (id));"
                      "CREATE INDEX ON t%d (a);",
                      i, i);
    make_db("one", "CREATE TABLE t0 (id int PRIMARY KEY);");
    make_db("many", sc_buf_str(&sql));
    sc_buf_free(&sql);
    sc_catalog_stats s1, s2;
    sc_model *m1 = pgshared_read_db("one", &s1);
    sc_model *m2 = pgshared_read_db("many", &s2);
    cr_assert_eq(m1->ntables, 1);
    cr_assert_eq(m2->ntables, 300);
    cr_assert_eq(s1.queries, s2.queries, "1 table: %u queries, 300 tables: %u", s1.queries,
                 s2.queries);
    cr_assert_lt(s1.queries, 16);
    cr_assert_geq(s1.server_version, 130000);
    sc_model_free(m1);
    sc_model_free(m2);
}

Test(catalog, session_settings_do_not_change_what_is_read)
{
    static const char sql[] =
        "CREATE SCHEMA other; CREATE TYPE other.e AS ENUM ('x');"
        "CREATE TABLE t (a timestamp DEFAULT '2020-01-02 03:04:05', b float8 DEFAULT 0.1,"
        " c interval DEFAULT '1 day 2 hours', d bytea DEFAULT '\\x0102', e other.e);";
    make_db("plain", sql);
    make_db("odd", sql);
    cr_assert_eq(pgfix_exec(fx, "odd",
                            "ALTER DATABASE odd SET search_path = other, public;"
                            "ALTER DATABASE odd SET DateStyle = 'German, DMY';"
                            "ALTER DATABASE odd SET IntervalStyle = 'sql_standard';"
                            "ALTER DATABASE odd SET extra_float_digits = -3;"
                            "ALTER DATABASE odd SET bytea_output = 'escape';"),
                 0);
    sc_model *a = pgshared_read_db("plain", NULL), *b = pgshared_read_db("odd", NULL);
    char *ta = canonical_of(a), *tb = canonical_of(b);
    cr_assert_str_eq(ta, tb);
    cr_assert(strstr(ta, "'2020-01-02 03:04:05'::timestamp without time zone") != NULL, "%s", ta);
    cr_assert(strstr(ta, "other.e") != NULL, "%s", ta);
    free(ta);
    free(tb);
    sc_model_free(a);
    sc_model_free(b);
}

/* Compiles every .schema file under `dir`; fails the test on diagnostics. */
static sc_compiler *compile_dir(const char *dir)
{
    sc_compiler *c = sc_compiler_new();
    sc_sources_add_path(&c->sources, dir, &c->diags);
    sc_compiler_run(c);
    if (c->diags.nerrors > 0) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        sc_compiler_render(c, f);
        fclose(f);
        cr_log_error("%s", text);
        free(text);
    }
    cr_assert_eq(c->diags.nerrors, 0, "pulled files compile");
    return c;
}

Test(pull, files_are_canonical_and_compile_to_the_same_hash)
{
    make_db_from("pulled", "rich.sql");
    cr_assert_eq(pgfix_exec(fx, "pulled", "CREATE VIEW billing.open_numbers AS SELECT 1 AS one;"),
                 0);
    sc_model *m = pgshared_read_db("pulled", NULL);
    char dir[] = "/tmp/schemac-pull-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    sc_buf err = SC_BUF_INIT;
    int n = sc_pull_write(m, dir, false, &err);
    cr_assert_eq(n, 2, "public.schema and billing.schema: %d (%s)", n, sc_buf_str(&err));

    sc_compiler *c = compile_dir(dir);
    char h1[SC_HASH_HEX_LEN + 1], h2[SC_HASH_HEX_LEN + 1];
    sc_model_hash(h1, m);
    sc_model_hash(h2, c->model);
    if (strcmp(h1, h2) != 0) {
        char *a = canonical_of(m), *b = canonical_of(c->model);
        cr_log_error("catalog:\n%s\npulled files:\n%s", a, b);
        free(a);
        free(b);
    }
    cr_assert_str_eq(h1, h2, "the pulled files hash like the catalog");

    /* fmt --check: each file is already what fmt writes. */
    sc_compiler *f = sc_compiler_new();
    f->keep_trivia = true;
    sc_sources_add_path(&f->sources, dir, &f->diags);
    cr_assert_eq(sc_compiler_run(f), 0);
    for (size_t i = 0; i < f->sources.n; i++) {
        sc_buf b = SC_BUF_INIT;
        sc_print_file(&b, f->model, f->sources.items[i]->path);
        cr_expect_str_eq(sc_buf_str(&b), f->sources.items[i]->text, "%s is canonical",
                         f->sources.items[i]->path);
        sc_buf_free(&b);
    }
    char path[256];
    snprintf(path, sizeof path, "%s/billing.schema", dir);
    size_t len;
    char *text = read_file(path, &len);
    cr_expect(strstr(text, "--   view billing.open_numbers\n") != NULL, "%s", text);
    cr_expect(strstr(text, "schema billing comment 'money'\n") != NULL, "%s", text);
    free(text);

    /* A stray schema file in the directory stops a second pull. */
    snprintf(path, sizeof path, "%s/stray.schema", dir);
    FILE *stray = fopen(path, "w");
    fputs("table x { a int }\n", stray);
    fclose(stray);
    sc_buf_reset(&err);
    cr_expect_eq(sc_pull_write(m, dir, false, &err), -1);
    cr_expect(strstr(sc_buf_str(&err), "stray.schema") != NULL, "%s", sc_buf_str(&err));
    remove(path);
    sc_buf_reset(&err);
    cr_expect_eq(sc_pull_write(m, dir, false, &err), 2, "pulling again over its own files");

    sc_compiler_free(c);
    sc_compiler_free(f);
    sc_buf_free(&err);
    sc_model_free(m);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}


/* ---------------------------------------------------------- round trips */

/*
 * Database `name` -> pull into a temporary directory -> compile the files:
 * the compiled model must hash like the catalog.  Then the compiled model's
 * CREATE script builds database `rebuilt`, whose catalog must read back the
 * same too.  Returns the original's canonical text (malloc'd).
 */
static char *round_trip(const char *name, const char *rebuilt)
{
    sc_model *m = pgshared_read_db(name, NULL);
    char dir[] = "/tmp/schemac-roundtrip-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    sc_buf err = SC_BUF_INIT;
    cr_assert_geq(sc_pull_write(m, dir, false, &err), 0, "pull: %s", sc_buf_str(&err));
    sc_compiler *c = compile_dir(dir);
    char *want = canonical_of(m), *got = canonical_of(c->model);
    cr_assert_str_eq(got, want, "the pulled files compile to the catalog's model");

    sc_buf ddl = SC_BUF_INIT;
    sc_ddl_create(&ddl, c->model);
    make_db(rebuilt, NULL);
    cr_assert_eq(pgfix_exec(fx, rebuilt, sc_buf_str(&ddl)), 0, "the CREATE script runs:\n%s",
                 sc_buf_str(&ddl));
    sc_model *r = pgshared_read_db(rebuilt, NULL);
    char *again = canonical_of(r);
    cr_assert_str_eq(again, want, "the rebuilt database reads back the same");

    free(got);
    free(again);
    sc_buf_free(&ddl);
    sc_buf_free(&err);
    sc_compiler_free(c);
    sc_model_free(m);
    sc_model_free(r);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    return want;
}

Test(pull, rich_database_round_trips)
{
    make_db_from("rich_rt", "rich.sql");
    free(round_trip("rich_rt", "rich_rt_rebuilt"));
}

Test(pull, hostile_names_round_trip)
{
    make_db_from("hostile", "hostile.sql");
    char *text = round_trip("hostile", "hostile_rebuilt");
    cr_expect(strstr(text, "\"Weird \"\"col\"\"; --x\"") != NULL, "%s", text);
    cr_expect(strstr(text, "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123") !=
                  NULL,
              "%s", text);
    free(text);
}

Test(pull, example_schema_round_trips)
{
    sc_compiler *c = compile_dir(SC_SOURCE_ROOT "/schema");
    sc_buf ddl = SC_BUF_INIT;
    sc_ddl_create(&ddl, c->model);
    make_db("example", sc_buf_str(&ddl));
    sc_model *m = pgshared_read_db("example", NULL);
    cr_expect_eq(m->ntables, c->model->ntables);
    cr_expect_eq(m->nenums, c->model->nenums);
    cr_expect_eq(m->nunmanaged, 0);
    sc_model_free(m);
    sc_buf_free(&ddl);
    sc_compiler_free(c);
    free(round_trip("example", "example_rebuilt"));
}

Test(pull, warns_of_invalid_indexes)
{
    make_db("invalid", "CREATE TABLE t (a int); INSERT INTO t VALUES (1), (1);");
    /* A unique index built concurrently over duplicates fails and stays, invalid. */
    cr_assert_neq(pgfix_exec(fx, "invalid", "CREATE UNIQUE INDEX CONCURRENTLY t_a_idx ON t (a)"),
                  0, "the concurrent build must fail");
    sc_model *m = pgshared_read_db("invalid", NULL);
    sc_table *t = sc_model_find_table(m, "public", "t");
    cr_assert_not_null(t);
    cr_assert_eq(t->nindexes, 1);
    cr_expect(t->indexes[0]->invalid, "indisvalid is recorded");
    sc_buf text = SC_BUF_INIT;
    sc_pull_text(&text, m);
    cr_expect(strstr(sc_buf_str(&text), "-- Invalid indexes (left by a failed CREATE INDEX "
                                        "CONCURRENTLY") != NULL,
              "%s", sc_buf_str(&text));
    cr_expect(strstr(sc_buf_str(&text), "--   t_a_idx on t\n") != NULL, "%s", sc_buf_str(&text));
    sc_buf_free(&text);
    sc_model_free(m);
    /* The files still compile to the same schema, and build a database. */
    free(round_trip("invalid", "invalid_rebuilt"));
}

/* --------------------------------------------------------- connections */

static char *connect_error(const char *target)
{
    sc_buf err = SC_BUF_INIT;
    PGconn *conn = sc_conn_open(target, &err);
    cr_assert_null(conn, "connecting to %s must fail", target);
    cr_assert_null(strchr(sc_buf_str(&err), '\n'), "one line: %s", sc_buf_str(&err));
    return sc_buf_detach(&err);
}

Test(conn, failures_are_one_clear_line)
{
    char target[512], want[512];
    char *e;

    snprintf(target, sizeof target, "host=%s port=%d user=postgres dbname=no_such_db",
             pgfix_host(fx), pgfix_port(fx));
    e = connect_error(target);
    snprintf(want, sizeof want, "cannot connect to database \"no_such_db\" on %s port %d",
             pgfix_host(fx), pgfix_port(fx));
    cr_expect(strstr(e, want) != NULL, "%s", e);
    cr_expect(strstr(e, "does not exist") != NULL, "%s", e);
    free(e);

    snprintf(target, sizeof target, "host=%s port=%d user=no_such_role dbname=postgres",
             pgfix_host(fx), pgfix_port(fx));
    e = connect_error(target);
    cr_expect(strstr(e, "as user \"no_such_role\"") != NULL, "%s", e);
    cr_expect(strstr(e, "role \"no_such_role\" does not exist") != NULL, "%s", e);
    free(e);

    /* Nothing listens on port 1; the password never shows. */
    e = connect_error("postgresql://alice:s3cr3t-pw@127.0.0.1:1/appdb?connect_timeout=5");
    cr_expect(strstr(e, "\"appdb\" on 127.0.0.1 port 1") != NULL, "%s", e);
    cr_expect(strstr(e, "s3cr3t-pw") == NULL, "no password: %s", e);
    free(e);

    e = connect_error("postgresql://%zz");
    cr_expect(strstr(e, "cannot connect to database") != NULL, "%s", e);
    free(e);
}

Test(conn, target_falls_back_to_database_url_then_libpq_environment)
{
    make_db("via_env", "CREATE TABLE marker (id int);");
    sc_buf err = SC_BUF_INIT;

    setenv("DATABASE_URL", pgfix_url(fx, "via_env"), 1);
    PGconn *conn = sc_conn_open(NULL, &err);
    cr_assert_not_null(conn, "DATABASE_URL: %s", sc_buf_str(&err));
    cr_expect_str_eq(PQdb(conn), "via_env");
    PQfinish(conn);

    unsetenv("DATABASE_URL");
    char port[16];
    snprintf(port, sizeof port, "%d", pgfix_port(fx));
    setenv("PGHOST", pgfix_host(fx), 1);
    setenv("PGPORT", port, 1);
    setenv("PGUSER", pgfix_user(fx), 1);
    setenv("PGDATABASE", "via_env", 1);
    conn = sc_conn_open("", &err);
    cr_assert_not_null(conn, "PG* environment: %s", sc_buf_str(&err));
    cr_expect_str_eq(PQdb(conn), "via_env");
    PQfinish(conn);

    /* --db wins over both. */
    setenv("DATABASE_URL", "postgresql://127.0.0.1:1/wrong", 1);
    conn = sc_conn_open(pgfix_conninfo(fx, "postgres"), &err);
    cr_assert_not_null(conn, "--db: %s", sc_buf_str(&err));
    cr_expect_str_eq(PQdb(conn), "postgres");
    PQfinish(conn);
    sc_buf_free(&err);
}

PGSHARED_MAIN
