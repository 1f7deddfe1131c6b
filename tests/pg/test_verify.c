/*
 * schemac_verify(), the start-up check an application makes, against a
 * real server: a database built from a schema passes with the hash
 * `schemac compile` gives that schema (the loose hash of the normalised
 * model); a change made by hand fails with both hashes in the report; a
 * migration ledger is left out of the hash and named in the report; a
 * connection that is lost or was never made gives -1 and one clear line.
 *
 * One server serves every test (pgshared.h); each test makes its own
 * databases.  The application's side uses the public header only.
 */
#define _GNU_SOURCE

#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <schemac/schemac.h>

#include "compiler.h"
#include "conn.h"
#include "ddl.h"
#include "hash.h"
#include "ledger.h"
#include "normalize.h"
#include "pgfix.h"
#include "pgshared.h"

TestSuite(verify, .init = pgshared_attach, .fini = pgshared_detach, .timeout = 120);

/* An extension whose schema and version the file leaves open (the loose
 * hash leaves them out), an enum, and tables with a default, a check, a
 * foreign key and an index: what a generated header's hash covers. */
static const char schema_text[] =
    "extension pg_trgm\n"
    "enum fund_status ('raising', 'investing', 'closed')\n"
    "table funds {\n"
    "  id           bigint primary key generated always as identity\n"
    "  name         text not null check (length(name) between 1 and 120)\n"
    "  status       fund_status not null default 'raising'\n"
    "  vintage_year integer\n"
    "  index (name)\n"
    "}\n"
    "table commitments {\n"
    "  id      bigint primary key generated always as identity\n"
    "  fund_id bigint not null references funds (id) on delete cascade\n"
    "  amount  numeric(18,2) not null default 0\n"
    "}\n";

/* Database `name` built from schema_text through the DDL printer; writes
 * into `hash` what `schemac compile` gives the schema: the loose hash of
 * the model normalised on a server. */
static void make_schema_db(const char *name, char hash[SC_HASH_HEX_LEN + 1])
{
    sc_compiler *c = sc_compiler_new();
    sc_sources_add_text(&c->sources, "test.schema", schema_text, strlen(schema_text));
    sc_compiler_run(c);
    cr_assert_eq(c->diags.nerrors, 0, "the schema compiles");
    sc_buf err = SC_BUF_INIT;
    int down = 0;
    sc_model *n = sc_normalize(c->model, pgfix_conninfo(fx, "postgres"), &down, &err);
    cr_assert_not_null(n, "normalise: %s", sc_buf_str(&err));
    sc_model_hash_loose(hash, n);

    sc_buf ddl = SC_BUF_INIT;
    sc_ddl_create(&ddl, c->model);
    cr_assert_not_null(pgfix_createdb(fx, name), "createdb %s", name);
    cr_assert_eq(pgfix_exec(fx, name, sc_buf_str(&ddl)), 0, "the CREATE script runs:\n%s",
                 sc_buf_str(&ddl));
    sc_buf_free(&ddl);
    sc_buf_free(&err);
    sc_model_free(n);
    sc_compiler_free(c);
}

/* A connection to database `name`; fails the test when none. */
static PGconn *connect_to(const char *name)
{
    PGconn *conn = PQconnectdb(pgfix_conninfo(fx, name));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "connect: %s", PQerrorMessage(conn));
    return conn;
}

static bool contains(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

Test(verify, database_built_from_the_schema_passes)
{
    char hash[SC_HASH_HEX_LEN + 1];
    make_schema_db("v_pass", hash);
    PGconn *conn = connect_to("v_pass");

    schemac_report *r = NULL;
    cr_assert_eq(schemac_verify(conn, hash, &r), 1, "%s", schemac_report_text(r));
    cr_expect_str_eq(schemac_report_text(r), "", "no finding");
    cr_expect_str_eq(schemac_report_hash(r), hash);
    cr_expect_eq(PQtransactionStatus(conn), PQTRANS_IDLE, "no transaction left open");
    schemac_report_free(r);

    /* The report is optional; upper-case digits are the same hash. */
    cr_expect_eq(schemac_verify(conn, hash, NULL), 1);
    char upper[SC_HASH_HEX_LEN + 1];
    for (size_t i = 0; i <= SC_HASH_HEX_LEN; i++)
        upper[i] = (char)toupper((unsigned char)hash[i]);
    cr_expect_eq(schemac_verify(conn, upper, NULL), 1);

    /* Inside the caller's transaction: read there, left open. */
    PQclear(PQexec(conn, "BEGIN"));
    cr_expect_eq(schemac_verify(conn, hash, NULL), 1);
    cr_expect_eq(PQtransactionStatus(conn), PQTRANS_INTRANS, "the caller's transaction stays open");
    PQclear(PQexec(conn, "ROLLBACK"));
    PQfinish(conn);
}

Test(verify, manual_alter_table_fails_with_both_hashes)
{
    char hash[SC_HASH_HEX_LEN + 1];
    make_schema_db("v_alter", hash);
    const char *alter = "ALTER TABLE funds ALTER COLUMN vintage_year TYPE bigint";
    cr_assert_eq(pgfix_exec(fx, "v_alter", alter), 0);
    PGconn *conn = connect_to("v_alter");

    schemac_report *r = NULL;
    cr_assert_eq(schemac_verify(conn, hash, &r), 0, "%s", schemac_report_text(r));
    const char *text = schemac_report_text(r);
    const char *live = schemac_report_hash(r);
    cr_assert_eq(strlen(live), SC_HASH_HEX_LEN);
    cr_expect_str_neq(live, hash);
    cr_expect(contains(text, hash), "names the program's hash:\n%s", text);
    cr_expect(contains(text, live), "names the database's hash:\n%s", text);
    cr_expect(contains(text, "the program was built for schema"), "%s", text);
    cr_expect(contains(text, "no migration is recorded"), "%s", text);
    cr_expect(contains(text, "schemac check"), "points to schemac check:\n%s", text);
    cr_expect_eq(text[strlen(text) - 1], '\n');
    schemac_report_free(r);

    cr_expect_eq(schemac_verify(conn, hash, NULL), 0, "the report is optional");
    PQfinish(conn);
}

/* Creates the ledger schemac.migrations in database `name` with one row:
 * migration `version` that left schema `after`. */
static void add_ledger_row(const char *name, unsigned version, const char *mname,
                           const char *after)
{
    PGconn *conn = connect_to(name);
    sc_ledger l;
    sc_buf err = SC_BUF_INIT;
    cr_assert_eq(sc_ledger_init(&l, NULL, &err), 0);
    cr_assert_eq(sc_ledger_ensure(conn, &l, &err), 0, "%s", sc_buf_str(&err));
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO schemac.migrations (version, name, up_checksum, schema_after, "
             "duration_ms) VALUES (%u, '%s', 'x', '%s', 1)",
             version, mname, after);
    PGresult *res = PQexec(conn, sql);
    cr_assert_eq(PQresultStatus(res), PGRES_COMMAND_OK, "%s", PQerrorMessage(conn));
    PQclear(res);
    sc_ledger_free(&l);
    sc_buf_free(&err);
    PQfinish(conn);
}

Test(verify, ledger_is_left_out_and_named)
{
    char hash[SC_HASH_HEX_LEN + 1];
    make_schema_db("v_ledger", hash);
    add_ledger_row("v_ledger", 2, "add_vintage", hash);
    PGconn *conn = connect_to("v_ledger");
    cr_expect_eq(schemac_verify(conn, hash, NULL), 1, "the ledger's tables are not the schema's");

    cr_assert_eq(pgfix_exec(fx, "v_ledger", "ALTER TABLE funds ADD COLUMN note text"), 0);
    schemac_report *r = NULL;
    cr_assert_eq(schemac_verify(conn, hash, &r), 0, "%s", schemac_report_text(r));
    const char *text = schemac_report_text(r);
    cr_expect(contains(text, "the database is at migration 0002 (add_vintage), which left schema"),
              "%s", text);
    cr_expect(contains(text, "changed outside migrations"), "%s", text);
    schemac_report_free(r);
    PQfinish(conn);
}

Test(verify, program_built_for_another_migration)
{
    char hash[SC_HASH_HEX_LEN + 1];
    make_schema_db("v_other", hash);
    add_ledger_row("v_other", 1, "init", hash);
    PGconn *conn = connect_to("v_other");
    /* The program expects a schema the database has not reached. */
    const char *newer = "0123456789abcdef0123456789abcdef";
    schemac_report *r = NULL;
    cr_assert_eq(schemac_verify(conn, newer, &r), 0, "%s", schemac_report_text(r));
    const char *text = schemac_report_text(r);
    cr_expect(contains(text, "migration 0001 (init)"), "%s", text);
    cr_expect(contains(text, "built for another migration"), "%s", text);
    cr_expect(contains(text, newer), "%s", text);
    schemac_report_free(r);
    PQfinish(conn);
}

Test(verify, lost_connection_gives_minus_one)
{
    char hash[SC_HASH_HEX_LEN + 1];
    make_schema_db("v_lost", hash);
    PGconn *conn = connect_to("v_lost");
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)", PQbackendPID(conn));
    cr_assert_eq(pgfix_exec(fx, "postgres", sql), 0);

    schemac_report *r = NULL;
    cr_expect_eq(schemac_verify(conn, hash, &r), -1, "%s", schemac_report_text(r));
    cr_expect(contains(schemac_report_text(r), "cannot read the database's catalog: "), "%s",
              schemac_report_text(r));
    cr_expect_str_eq(schemac_report_hash(r), "");
    schemac_report_free(r);
    /* Now closed: libpq says the connection is bad. */
    cr_expect_eq(schemac_verify(conn, hash, NULL), -1);
    PQfinish(conn);
}

Test(verify, connection_never_made_gives_minus_one)
{
    const char *hash = "0123456789abcdef0123456789abcdef";
    PGconn *conn = PQconnectdb("host=/nonexistent-dir port=1 dbname=x connect_timeout=2");
    cr_assert_neq(PQstatus(conn), CONNECTION_OK);
    schemac_report *r = NULL;
    cr_expect_eq(schemac_verify(conn, hash, &r), -1);
    const char *text = schemac_report_text(r);
    cr_expect(contains(text, "cannot check the schema: the database connection is not open"), "%s",
              text);
    cr_expect_eq(strchr(text, '\n'), text + strlen(text) - 1, "one line:\n%s", text);
    schemac_report_free(r);
    PQfinish(conn);

    cr_expect_eq(schemac_verify(NULL, hash, &r), -1);
    cr_expect(contains(schemac_report_text(r), "no database connection"));
    schemac_report_free(r);
}

Test(verify, bad_expected_hash_gives_minus_one)
{
    schemac_report *r = NULL;
    cr_expect_eq(schemac_verify(NULL, "abc", &r), -1);
    cr_expect(contains(schemac_report_text(r), "not 32 hex digits"));
    schemac_report_free(r);
    cr_expect_eq(schemac_verify(NULL, NULL, NULL), -1);
    cr_expect_eq(schemac_verify(NULL, "0123456789abcdef0123456789abcdeg", NULL), -1);
    /* NULL everywhere else is accepted. */
    cr_expect_str_eq(schemac_report_text(NULL), "");
    cr_expect_str_eq(schemac_report_hash(NULL), "");
    schemac_report_free(NULL);
}

PGSHARED_MAIN
