/*
 * The planner's pre-flight checks on a real server.  For each change that
 * depends on the rows of a table: a database is filled with rows that the
 * new schema refuses, the plan from its catalog to the schema is built,
 * and its preflights (run first, as the emitter runs them) must fail with
 * the expected message, leaving the schema and the rows as they were;
 * once the rows are fixed the preflights pass and the up script applies,
 * and the down script (its down_preflights first) takes the database
 * back.  Also the down_preflight of a widening, and enum rebuilds.
 */
#define _GNU_SOURCE

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "compiler.h"
#include "conn.h"
#include "hash.h"
#include "normalize.h"
#include "pgfix.h"
#include "pgshared.h"
#include "plan.h"

TestSuite(preflight, .init = pgshared_attach, .fini = pgshared_detach, .timeout = 120);

/* Runs `sql` (one or more statements, one implicit transaction) on
 * database `db`.  Returns NULL, or the server's message (malloc'd). */
static char *run(const char *db, const char *sql)
{
    PGconn *conn = PQconnectdb(pgfix_conninfo(fx, db));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "connect: %s", PQerrorMessage(conn));
    PGresult *r = PQexec(conn, sql);
    char *msg = NULL;
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
        msg = strdup(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) != NULL
                         ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
                         : PQerrorMessage(conn));
    PQclear(r);
    PQfinish(conn);
    return msg;
}

/* Runs `sql` on `db` and fails the test when it fails. */
static void run_ok(const char *db, const char *sql)
{
    char *msg = run(db, sql);
    cr_assert_null(msg, "%s\n-- fails: %s", sql, msg);
}

/* The one value of a one-row, one-column query ("" for NULL), malloc'd. */
static char *query1(const char *db, const char *sql)
{
    PGconn *conn = PQconnectdb(pgfix_conninfo(fx, db));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "connect: %s", PQerrorMessage(conn));
    PGresult *r = PQexec(conn, sql);
    cr_assert(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1, "%s: %s", sql,
              PQresultErrorMessage(r));
    char *v = strdup(PQgetisnull(r, 0, 0) ? "" : PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(conn);
    return v;
}

/* A plan from database `db` (its catalog) to schema `text`. */
typedef struct migration {
    const char *db;
    sc_model *from, *to;
    sc_compiler *c;
    sc_plan plan;
} migration;

static void migration_open(migration *m, const char *db, const char *text)
{
    memset(m, 0, sizeof *m);
    m->db = db;
    m->from = pgshared_read_db(db, NULL);
    m->c = sc_compiler_new();
    sc_sources_add_text(&m->c->sources, "test.schema", text, strlen(text));
    sc_compiler_run(m->c);
    cr_assert_eq(m->c->diags.nerrors, 0, "the schema compiles: %s", text);
    sc_buf err = SC_BUF_INIT;
    int down = 0;
    m->to = sc_normalize(m->c->model, pgfix_conninfo(fx, "postgres"), &down, &err);
    cr_assert_not_null(m->to, "normalise: %s", sc_buf_str(&err));
    sc_buf_reset(&err);
    int rc = sc_plan_build(&m->plan, m->from, m->to, &err);
    cr_assert_eq(rc, 0, "plan: %s", sc_buf_str(&err));
    sc_buf_free(&err);
}

static void migration_close(migration *m)
{
    sc_plan_free(&m->plan);
    sc_model_free(m->to);
    sc_model_free(m->from);
    sc_compiler_free(m->c);
}

/* All preflights of the up (or down) script, as the emitter puts them at
 * its top: up steps in order, down steps in reverse order. */
static char *preflights(const sc_plan *plan, bool down)
{
    sc_buf b = SC_BUF_INIT;
    for (size_t k = 0; k < plan->nsteps; k++) {
        const sc_step *s = &plan->steps[down ? plan->nsteps - 1 - k : k];
        const char *p = down ? s->down_preflight : s->preflight;
        if (p != NULL)
            sc_buf_puts(&b, p);
    }
    char *s = sc_buf_detach(&b);
    return s != NULL ? s : strdup("");
}

/* Applies the steps (or their inverses), each on its own as psql -1
 * would not (CREATE INDEX CONCURRENTLY must run alone). */
static void apply(const migration *m, bool down)
{
    size_t n = m->plan.nsteps;
    for (size_t k = 0; k < n; k++) {
        const sc_step *s = &m->plan.steps[down ? n - 1 - k : k];
        cr_assert_not_null(down ? s->down : s->up, "step %s has no %s", s->what,
                           down ? "down" : "up");
        run_ok(m->db, down ? s->down : s->up);
    }
}

/* The hash of the catalog of `db`, in `out` (33 bytes). */
static void catalog_hash(const char *db, char *out)
{
    sc_model *m = pgshared_read_db(db, NULL);
    sc_model_hash(out, m);
    sc_model_free(m);
}

/* Runs the preflights of `m` (up or down) and expects them to fail with a
 * message containing `expect`, and to change neither the schema nor the
 * rows `rows_sql` shows. */
static void expect_refused(const migration *m, bool down, const char *expect, const char *rows_sql)
{
    char before[SC_HASH_HEX_LEN + 1], after[SC_HASH_HEX_LEN + 1];
    catalog_hash(m->db, before);
    char *rows_before = query1(m->db, rows_sql);
    char *sql = preflights(&m->plan, down);
    cr_assert(sql[0] != '\0', "the plan has %s preflights", down ? "down" : "up");
    char *msg = run(m->db, sql);
    cr_assert_not_null(msg, "the preflights pass but should not:\n%s", sql);
    cr_expect(strstr(msg, expect) != NULL, "message \"%s\" lacks \"%s\"", msg, expect);
    cr_expect(strncmp(msg, "schemac pre-flight: ", 20) == 0, "message: %s", msg);
    catalog_hash(m->db, after);
    cr_expect_str_eq(after, before, "the schema is unchanged");
    char *rows_after = query1(m->db, rows_sql);
    cr_expect_str_eq(rows_after, rows_before, "the rows are unchanged");
    free(rows_before);
    free(rows_after);
    free(sql);
    free(msg);
}

/* Runs the preflights of `m` (up or down) and expects them to pass. */
static void expect_passed(const migration *m, bool down)
{
    char *sql = preflights(&m->plan, down);
    char *msg = run(m->db, sql);
    cr_expect_null(msg, "the preflights fail: %s\n%s", msg, sql);
    free(sql);
    free(msg);
}

/*
 * One data-dependent change: database `db` is made by `setup` (schema and
 * rows); planning to schema `to` must give up preflights that fail with
 * `expect` without touching the schema or the rows of `rows_sql`; after
 * `fix` they pass, the up applies, and the down (preflights, then steps)
 * takes the database back to the schema it started with.
 */
static void check_case(const char *db, const char *setup, const char *to, const char *expect,
                       const char *fix, const char *rows_sql)
{
    cr_assert_not_null(pgfix_createdb(fx, db));
    run_ok(db, setup);
    char start[SC_HASH_HEX_LEN + 1], end[SC_HASH_HEX_LEN + 1];
    catalog_hash(db, start);
    migration m;
    migration_open(&m, db, to);
    expect_refused(&m, false, expect, rows_sql);
    run_ok(db, fix);
    expect_passed(&m, false);
    apply(&m, false);
    expect_passed(&m, true);
    apply(&m, true);
    catalog_hash(db, end);
    cr_expect_str_eq(end, start, "the down takes the schema back");
    migration_close(&m);
}

#define ROWS(t) "SELECT coalesce(string_agg(x::text, ';' ORDER BY x::text), '') FROM " t " AS x"

Test(preflight, duplicates_before_a_unique_constraint)
{
    check_case("pf_unique",
               "CREATE TABLE investment_lots (fund_id integer, idempotency_key text);\n"
               "INSERT INTO investment_lots VALUES (1, 'a'), (1, 'a'), (1, 'a'), (2, 'b'),"
               " (3, NULL), (3, NULL);\n",
               "table investment_lots {\n  fund_id integer\n  idempotency_key text\n"
               "  unique (fund_id, idempotency_key)\n}\n",
               "schemac pre-flight: 1 duplicate values of (fund_id, idempotency_key) in "
               "public.investment_lots (for example (1,a)); the unique constraint "
               "investment_lots_fund_id_idempotency_key_key cannot be added",
               "DELETE FROM investment_lots WHERE ctid NOT IN (SELECT min(ctid) FROM "
               "investment_lots GROUP BY fund_id, idempotency_key) AND idempotency_key IS NOT NULL",
               ROWS("investment_lots"));
}

Test(preflight, duplicates_before_a_unique_index)
{
    check_case("pf_unique_index",
               "CREATE TABLE t (a integer, b integer);\n"
               "INSERT INTO t VALUES (1, 1), (1, 2), (2, -1), (2, -2);\n",
               "table t {\n  a integer\n  b integer\n  unique index t_a_uq (a) where b > 0\n}\n",
               "1 duplicate values of (a) in public.t (for example 1); the unique index t_a_uq",
               "DELETE FROM t WHERE b = 2", ROWS("t"));
}

Test(preflight, nulls_before_not_null)
{
    check_case("pf_not_null",
               "CREATE TABLE t (a integer, b text);\n"
               "INSERT INTO t VALUES (1, 'x'), (NULL, 'y'), (NULL, NULL);\n",
               "table t {\n  a integer not null\n  b text\n}\n",
               "schemac pre-flight: 2 NULL values in column public.t.a; NOT NULL cannot be set",
               "DELETE FROM t WHERE a IS NULL", ROWS("t"));
}

Test(preflight, violating_rows_before_a_check)
{
    check_case("pf_check",
               "CREATE TABLE t (a integer);\n"
               "INSERT INTO t VALUES (1), (-1), (NULL), (-5);\n",
               "table t {\n  b integer renamed from a check (b > 0)\n}\n",
               "schemac pre-flight: 2 rows of public.t fail CHECK (b > 0) (for example -1); "
               "the check constraint t_b_check cannot be added",
               "DELETE FROM t WHERE a < 0", ROWS("t"));
}

Test(preflight, narrowing_an_integer)
{
    check_case("pf_bigint",
               "CREATE TABLE t (v bigint, s smallint);\n"
               "INSERT INTO t VALUES (1, 1), (3000000000, 2), (-3000000000, 3);\n",
               "table t {\n  v integer\n  s smallint\n}\n",
               "schemac pre-flight: 2 values of public.t.v outside the range of integer "
               "(-2,147,483,648 to 2,147,483,647) (for example -3000000000); the type of t.v "
               "cannot be changed from bigint to integer",
               "DELETE FROM t WHERE abs(v) > 2000000000", ROWS("t"));
}

Test(preflight, narrowing_a_varchar)
{
    check_case("pf_varchar",
               "CREATE TABLE t (s varchar(64), x text);\n"
               "INSERT INTO t VALUES ('short', 'ok'), (repeat('y', 40), 'fine'),"
               " ('padded' || repeat(' ', 40), 'z');\n",
               "table t {\n  s character varying(32)\n  x text\n}\n",
               "schemac pre-flight: 1 values of public.t.s longer than 32 characters",
               "DELETE FROM t WHERE length(s) = 40 AND s NOT LIKE 'padded%'", ROWS("t"));
    check_case("pf_text_varchar",
               "CREATE TABLE t (x text);\nINSERT INTO t VALUES ('abc'), ('abcdefgh');\n",
               "table t {\n  x character varying(5)\n}\n",
               "1 values of public.t.x longer than 5 characters (for example abcdefgh)",
               "UPDATE t SET x = 'abcde' WHERE x = 'abcdefgh'", ROWS("t"));
}

Test(preflight, narrowing_a_numeric)
{
    check_case("pf_numeric",
               "CREATE TABLE t (n numeric(10,2));\n"
               "INSERT INTO t VALUES (1.5), (12345.67), (9999.994), (NULL);\n",
               "table t {\n  n numeric(6,2)\n}\n",
               "schemac pre-flight: 1 values of public.t.n too large for numeric(6,2) (for "
               "example 12345.67)",
               "DELETE FROM t WHERE n > 10000", ROWS("t"));
}

Test(preflight, values_that_do_not_cast)
{
    check_case("pf_cast",
               "CREATE TABLE t (x text);\n"
               "INSERT INTO t VALUES ('1'), ('abc'), (NULL), (' 7 ');\n",
               "table t {\n  x integer\n}\n",
               "schemac pre-flight: values of public.t.x do not convert to integer (for example "
               "'abc': invalid input syntax for type integer",
               "UPDATE t SET x = '2' WHERE x = 'abc'", ROWS("t"));
}

Test(preflight, not_null_column_without_default)
{
    check_case("pf_add_column",
               "CREATE TABLE t (a integer);\nINSERT INTO t VALUES (1), (2);\n",
               "table t {\n  a integer\n  b integer not null\n}\n",
               "schemac pre-flight: 2 rows in public.t; column t.b cannot be added as NOT NULL "
               "without a default",
               "DELETE FROM t", ROWS("t"));
}

Test(preflight, orphans_before_a_foreign_key)
{
    check_case("pf_fk",
               "CREATE TABLE p (id integer PRIMARY KEY);\n"
               "CREATE TABLE c (pid integer);\n"
               "INSERT INTO p VALUES (1);\nINSERT INTO c VALUES (1), (2), (NULL);\n",
               "table p {\n  id integer primary key\n}\n"
               "table c {\n  pid integer references p (id)\n}\n",
               "schemac pre-flight: 1 rows of public.c (pid) have no match in public.p (id) (for "
               "example 2); the foreign key c_pid_fkey cannot be added",
               "INSERT INTO p VALUES (2)", ROWS("c"));
}

Test(preflight, widening_guards_its_rollback)
{
    const char *db = "pf_widen";
    cr_assert_not_null(pgfix_createdb(fx, db));
    run_ok(db, "CREATE TABLE t (version integer);\nINSERT INTO t VALUES (1), (2147483647);\n");
    migration m;
    migration_open(&m, db, "table t {\n  version bigint\n}\n");
    char *up = preflights(&m.plan, false);
    cr_expect_str_eq(up, "", "a widening needs no up preflight");
    free(up);
    apply(&m, false);
    run_ok(db, "INSERT INTO t VALUES (2147483648)");
    expect_refused(&m, true,
                   "schemac pre-flight: 1 values of public.t.version outside the range of integer "
                   "(-2,147,483,648 to 2,147,483,647) (for example 2147483648); rollback to "
                   "integer is safe only when there are none",
                   ROWS("t"));
    run_ok(db, "DELETE FROM t WHERE version > 2147483647");
    expect_passed(&m, true);
    apply(&m, true);
    char *type = query1(db, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                            "WHERE attrelid = 'public.t'::regclass AND attname = 'version'");
    cr_expect_str_eq(type, "integer");
    free(type);
    migration_close(&m);
}

/* Applies the up of `m` and expects the catalog to be the model it aims
 * at. */
static void apply_up_reaches_to(const migration *m)
{
    char want[SC_HASH_HEX_LEN + 1], got[SC_HASH_HEX_LEN + 1];
    expect_passed(m, false);
    apply(m, false);
    sc_model_hash(want, m->to);
    catalog_hash(m->db, got);
    cr_expect_str_eq(got, want, "the up reaches the schema");
}

Test(preflight, column_made_serial_continues_after_its_rows)
{
    const char *db = "pf_serial";
    cr_assert_not_null(pgfix_createdb(fx, db));
    run_ok(db, "CREATE TABLE t (id integer, n bigint DEFAULT 1);\n"
               "INSERT INTO t VALUES (1), (10), (5);\n");
    char start[SC_HASH_HEX_LEN + 1], end[SC_HASH_HEX_LEN + 1];
    catalog_hash(db, start);
    migration m;
    migration_open(&m, db, "table t {\n  id serial\n  n integer default 1\n}\n");
    apply_up_reaches_to(&m);
    char *id = query1(db, "INSERT INTO t (n) VALUES (2) RETURNING id");
    cr_expect_str_eq(id, "11", "the sequence continues after the largest id");
    free(id);
    expect_passed(&m, true);
    apply(&m, true);
    catalog_hash(db, end);
    cr_expect_str_eq(end, start, "the down takes the schema back");
    migration_close(&m);

    /* and back: the down makes the sequence again, past the rows */
    run_ok(db, "DROP TABLE t;\nCREATE TABLE t (id serial, n bigint DEFAULT 1);\n"
               "INSERT INTO t VALUES (20);\n");
    migration_open(&m, db, "table t {\n  id integer not null\n  n bigint default 1\n}\n");
    apply_up_reaches_to(&m);
    apply(&m, true);
    id = query1(db, "INSERT INTO t (n) VALUES (2) RETURNING id");
    cr_expect_str_eq(id, "21", "the sequence made again continues after the largest id");
    free(id);
    migration_close(&m);
}

Test(preflight, serial_narrowed_with_its_sequence)
{
    check_case("pf_smallserial",
               "CREATE TABLE t (id serial);\n"
               "INSERT INTO t VALUES (7);\n"
               "SELECT setval('t_id_seq', 40000);\n",
               "table t {\n  id smallserial\n}\n",
               "schemac pre-flight: 1 sequence public.t_id_seq stands beyond the range of "
               "smallint (for example 40000); its type cannot be changed to smallint",
               "SELECT setval('t_id_seq', 7)", ROWS("t"));
}

#define LABELS "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum " \
               "WHERE enumtypid = 'public.mood'::regtype"

Test(preflight, enum_rebuild_keeps_rows)
{
    const char *db = "pf_enum";
    cr_assert_not_null(pgfix_createdb(fx, db));
    run_ok(db, "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n"
               "CREATE TABLE t (id integer PRIMARY KEY, m mood DEFAULT 'sad' NOT NULL,"
               " ms mood[]);\n"
               "CREATE INDEX t_m_idx ON t (m);\n"
               "INSERT INTO t VALUES (1, 'sad', '{happy,sad}'), (2, 'happy', NULL),"
               " (3, 'ok', '{ok}');\n");
    const char *rows_sql = ROWS("t");
    migration m;
    migration_open(&m, db,
                   "enum mood ('happy', 'sad', 'meh')\n"
                   "table t {\n  id integer primary key\n  m mood not null default 'sad'\n"
                   "  ms mood[]\n  index (m)\n}\n");
    expect_refused(&m, false,
                   "schemac pre-flight: 1 rows of public.t.m use labels that enum public.mood "
                   "drops ('ok') (for example ok)",
                   rows_sql);
    run_ok(db, "UPDATE t SET m = 'sad', ms = '{sad}' WHERE id = 3");
    char *before = query1(db, rows_sql);
    expect_passed(&m, false);
    apply(&m, false);
    char *labels = query1(db, LABELS);
    cr_expect_str_eq(labels, "happy,sad,meh");
    free(labels);
    char *after = query1(db, rows_sql);
    cr_expect_str_eq(after, before, "the rows survive the rebuild");
    free(after);
    run_ok(db, "INSERT INTO t (id) VALUES (4)"); /* the default works */
    run_ok(db, "INSERT INTO t VALUES (5, 'meh', NULL)");
    expect_refused(&m, true, "rows of public.t.m use labels that enum public.mood drops ('meh')",
                   rows_sql);
    run_ok(db, "DELETE FROM t WHERE id >= 4");
    expect_passed(&m, true);
    apply(&m, true);
    labels = query1(db, LABELS);
    cr_expect_str_eq(labels, "sad,ok,happy");
    free(labels);
    after = query1(db, rows_sql);
    cr_expect_str_eq(after, before, "the rows survive the way back");
    free(after);
    free(before);
    migration_close(&m);
}

PGSHARED_MAIN
