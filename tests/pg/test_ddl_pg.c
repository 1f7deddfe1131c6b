/*
 * The DDL printer against a real server: the creation script of a model
 * (sc_ddl_create) runs in a fresh database without error, and the
 * database then holds what the model says: as many tables, constraints,
 * indexes and sequences, with the names the model gives them (so schemac's
 * default names agree with PostgreSQL's), and enum labels and comments
 * byte for byte.  The models are the repository's example schema (schema/)
 * and a schema of hostile names and literals.
 *
 * Each test starts its own server (Criterion runs each test in a worker).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "compiler.h"
#include "ddl.h"
#include "pgfix.h"

static pgfix *fx;

static void setup(void)
{
    fx = pgfix_start();
    cr_assert_not_null(fx, "the PostgreSQL fixture must start");
}

static void teardown(void)
{
    pgfix_stop(fx);
    fx = NULL;
}

TestSuite(ddl_pg, .init = setup, .fini = teardown, .timeout = 120);

/* Fails the test with the rendered diagnostics when `c` has errors. */
static void assert_compiled(sc_compiler *c)
{
    if (c->diags.nerrors > 0) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        sc_compiler_render(c, f);
        fclose(f);
        cr_log_error("%s", text);
        free(text);
    }
    cr_assert_eq(c->diags.nerrors, 0, "the schema must compile");
}

/* Runs a one-row, one-column query on `dbname`; returns the value
 * (malloc'd; "" for NULL).  Fails the test on error. */
static char *query1(const char *dbname, const char *sql)
{
    PGconn *conn = PQconnectdb(pgfix_conninfo(fx, dbname));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "connect: %s", PQerrorMessage(conn));
    PGresult *r = PQexec(conn, sql);
    cr_assert(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQnfields(r) == 1,
              "%s: %s", sql, PQresultErrorMessage(r));
    char *v = strdup(PQgetisnull(r, 0, 0) ? "" : PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(conn);
    return v;
}

static long query_long(const char *dbname, const char *sql)
{
    char *v = query1(dbname, sql);
    long n = strtol(v, NULL, 10);
    free(v);
    return n;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Names sorted bytewise and joined by newlines (malloc'd). */
static char *sorted_lines(const char **names, size_t n)
{
    qsort(names, n, sizeof *names, cmp_str);
    sc_buf b = SC_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            sc_buf_putc(&b, '\n');
        sc_buf_puts(&b, names[i]);
    }
    char *s = sc_buf_detach(&b);
    return s != NULL ? s : strdup("");
}

/* Catalog filters: relations in the schemas a model makes. */
#define USER_NS "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"

/*
 * Creates database `dbname`, runs the creation script of `m` in it and
 * checks that the catalog holds the model's tables, constraints, indexes,
 * enums, sequences (the model's own and those of identity and serial
 * columns) and relation comments.  The database's search_path names a
 * schema that does not exist, so the script cannot lean on the default.
 */
static void check_rebuild(const sc_model *m, const char *dbname)
{
    cr_assert_not_null(pgfix_createdb(fx, dbname));
    char alter[200];
    snprintf(alter, sizeof alter, "ALTER DATABASE \"%s\" SET search_path = nowhere", dbname);
    cr_assert_eq(pgfix_exec(fx, "postgres", alter), 0);
    sc_buf sql = SC_BUF_INIT;
    sc_ddl_create(&sql, m);
    int rc = pgfix_exec(fx, dbname, sc_buf_str(&sql));
    if (rc != 0)
        cr_log_error("script:\n%s", sc_buf_str(&sql));
    cr_assert_eq(rc, 0, "the creation script must run");
    sc_buf_free(&sql);

    size_t ncons = 0, nidx = 0, nseq = m->nsequences, ncomments = 0, nnotvalid = 0;
    for (size_t i = 0; i < m->nsequences; i++)
        ncomments += m->sequences[i]->comment != NULL;
    for (size_t i = 0; i < m->ntables; i++) {
        const sc_table *t = m->tables[i];
        ncons += t->nconstraints;
        nidx += t->nindexes;
        ncomments += t->comment != NULL;
        for (size_t j = 0; j < t->nconstraints; j++) {
            nidx += t->constraints[j]->kind == SC_CON_PRIMARY ||
                    t->constraints[j]->kind == SC_CON_UNIQUE;
            nnotvalid += t->constraints[j]->not_valid;
        }
        for (size_t j = 0; j < t->ncolumns; j++) {
            nseq += t->columns[j]->identity != 0 || t->columns[j]->serial != 0;
            ncomments += t->columns[j]->comment != NULL;
        }
    }

    cr_expect_eq(query_long(dbname, "SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                                    " ON n.oid = c.relnamespace"
                                    " WHERE c.relkind = 'r' AND " USER_NS),
                 (long)m->ntables, "tables");
    cr_expect_eq(query_long(dbname, "SELECT count(*) FROM pg_constraint k JOIN pg_class c"
                                    " ON c.oid = k.conrelid JOIN pg_namespace n"
                                    " ON n.oid = c.relnamespace"
                                    " WHERE k.contype IN ('p', 'u', 'f', 'c') AND " USER_NS),
                 (long)ncons, "constraints");
    cr_expect_eq(query_long(dbname, "SELECT count(*) FROM pg_constraint k JOIN pg_class c"
                                    " ON c.oid = k.conrelid JOIN pg_namespace n"
                                    " ON n.oid = c.relnamespace"
                                    " WHERE NOT k.convalidated AND " USER_NS),
                 (long)nnotvalid, "NOT VALID constraints");
    cr_expect_eq(query_long(dbname, "SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                                    " ON n.oid = c.relnamespace"
                                    " WHERE c.relkind = 'i' AND " USER_NS),
                 (long)nidx, "indexes");
    cr_expect_eq(query_long(dbname, "SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                                    " ON n.oid = c.relnamespace"
                                    " WHERE c.relkind = 'S' AND " USER_NS),
                 (long)nseq, "sequences");
    cr_expect_eq(query_long(dbname, "SELECT count(*) FROM pg_type t JOIN pg_namespace n"
                                    " ON n.oid = t.typnamespace"
                                    " WHERE t.typtype = 'e' AND " USER_NS),
                 (long)m->nenums, "enums");
    cr_expect_eq(query_long(dbname, "SELECT count(*) FROM pg_description d JOIN pg_class c"
                                    " ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid"
                                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                                    " WHERE " USER_NS),
                 (long)ncomments, "table, column and sequence comments");

    /* Names: the constraints' and indexes' as the model has them. */
    const char **names = malloc((ncons + nidx + 1) * sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < m->ntables; i++)
        for (size_t j = 0; j < m->tables[i]->nconstraints; j++)
            names[n++] = m->tables[i]->constraints[j]->name;
    char *want = sorted_lines(names, n);
    char *got = query1(dbname, "SELECT string_agg(k.conname, E'\\n'"
                               " ORDER BY k.conname COLLATE \"C\")"
                               " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
                               " JOIN pg_namespace n ON n.oid = c.relnamespace"
                               " WHERE k.contype IN ('p', 'u', 'f', 'c') AND " USER_NS);
    cr_expect_str_eq(got, want, "constraint names");
    free(want);
    free(got);

    n = 0;
    for (size_t i = 0; i < m->ntables; i++) {
        const sc_table *t = m->tables[i];
        for (size_t j = 0; j < t->nindexes; j++)
            names[n++] = t->indexes[j]->name;
        for (size_t j = 0; j < t->nconstraints; j++)
            if (t->constraints[j]->kind == SC_CON_PRIMARY ||
                t->constraints[j]->kind == SC_CON_UNIQUE)
                names[n++] = t->constraints[j]->name;
    }
    want = sorted_lines(names, n);
    got = query1(dbname, "SELECT string_agg(c.relname, E'\\n' ORDER BY c.relname COLLATE \"C\")"
                         " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                         " WHERE c.relkind = 'i' AND " USER_NS);
    cr_expect_str_eq(got, want, "index names");
    free(want);
    free(got);
    free(names);
}

Test(ddl_pg, example_schema)
{
    sc_compiler *c = sc_compiler_new();
    sc_sources_add_path(&c->sources, SC_SOURCE_ROOT "/schema", &c->diags);
    sc_compiler_run(c);
    assert_compiled(c);
    cr_assert_gt(c->model->ntables, 0, "the example schema has tables");
    check_rebuild(c->model, "example");
    sc_compiler_free(c);
}

/* Names that need quotes, keywords, and literals that need escaping. */
static const char hostile_schema[] =
    "schema \"Odd Schema\" comment 'it''s odd'\n"
    "schema \"select\"\n"
    "extension pg_trgm with schema \"select\"\n"
    "enum \"Odd Schema\".\"Mood\" ('it''s', E'back\\\\slash', '$$', '$q$x$q$', 'two words',"
    " '\"', 'ÿ') comment E'a \\\\ b ''c'''\n"
    "enum \"order\" ('a', 'b')\n"
    "\n"
    "table \"Odd Schema\".\"Order\" {\n"
    "  \"select\" integer primary key generated by default as identity"
    " (start with 10 increment by 5 cache 3)\n"
    "  \"Mixed Case\" \"Odd Schema\".\"Mood\" not null default 'it''s'\n"
    "  \"quo\"\"te\" text collate \"C\" comment 'say \"hi\" and ''bye'''\n"
    "  \"from\" \"order\" default 'b'\n"
    "  \"user\" serial\n"
    "  total numeric(12,2) generated always as (\"select\" * 2) stored\n"
    "  constraint \"weird name\" check (\"select\" > 0)\n"
    "  constraint \"lazy check\" check (total >= 0) no inherit not valid\n"
    "  unique nulls not distinct (\"quo\"\"te\", \"from\") include (total)\n"
    "  index \"idx \"\"q\"\"\" (\"quo\"\"te\" collate \"C\" text_pattern_ops desc nulls last)"
    " where \"from\" = 'a'\n"
    "  index (lower(\"quo\"\"te\"), (\"select\" + 1))\n"
    "  index (\"quo\"\"te\" \"select\".gin_trgm_ops) using gin\n"
    "  comment E'back\\\\slash table'\n"
    "}\n"
    "\n"
    "table \"user\" {\n"
    "  id bigserial primary key\n"
    "  \"order\" integer references \"Odd Schema\".\"Order\" on delete set null"
    " on update cascade deferrable initially deferred\n"
    "  a integer\n"
    "  b integer\n"
    "  foreign key (a, b) references pair (x, y) match full on delete set null (b) not valid\n"
    "  check (a <> b) not valid\n"
    "}\n"
    "\n"
    "table pair {\n"
    "  x integer not null\n"
    "  y integer not null\n"
    "  primary key (x, y)\n"
    "}\n";

Test(ddl_pg, hostile_names)
{
    sc_compiler *c = sc_compiler_new();
    sc_sources_add_text(&c->sources, "hostile.schema", hostile_schema, strlen(hostile_schema));
    sc_compiler_run(c);
    assert_compiled(c);
    sc_model *m = c->model;

    /* Sequences cannot be written in schema files yet: add two by hand. */
    sc_sequence *q = sc_model_add_sequence(m, "Odd Schema", "Seq \"1\"");
    q->type = sc_arena_strdup(m->arena, "integer");
    q->opts.has_start = true;
    q->opts.start = 100;
    q->opts.has_increment = true;
    q->opts.increment = -3;
    q->opts.has_min = true;
    q->opts.min = -1000;
    q->opts.has_max = true;
    q->opts.max = 1000;
    q->opts.has_cycle = true;
    q->opts.cycle = true;
    q->owned_table = sc_arena_strdup(m->arena, "Order");
    q->owned_column = sc_arena_strdup(m->arena, "quo\"te");
    q->comment = sc_arena_strdup(m->arena, "counts 'down'\\");
    sc_model_add_sequence(m, "public", "plain");

    check_rebuild(m, "hostile");

    char *v = query1("hostile", "SELECT string_agg(enumlabel, E'\\n' ORDER BY enumsortorder)"
                                " FROM pg_enum"
                                " WHERE enumtypid = '\"Odd Schema\".\"Mood\"'::regtype");
    cr_expect_str_eq(v, "it's\nback\\slash\n$$\n$q$x$q$\ntwo words\n\"\nÿ");
    free(v);
    v = query1("hostile", "SELECT obj_description('\"Odd Schema\".\"Mood\"'::regtype, 'pg_type')");
    cr_expect_str_eq(v, "a \\ b 'c'");
    free(v);
    v = query1("hostile",
               "SELECT obj_description('\"Odd Schema\".\"Order\"'::regclass, 'pg_class')");
    cr_expect_str_eq(v, "back\\slash table");
    free(v);
    v = query1("hostile", "SELECT col_description('\"Odd Schema\".\"Order\"'::regclass, 3)");
    cr_expect_str_eq(v, "say \"hi\" and 'bye'");
    free(v);
    v = query1("hostile", "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace"
                          " WHERE nspname = 'Odd Schema'");
    cr_expect_str_eq(v, "it's odd");
    free(v);
    v = query1("hostile", "SELECT obj_description('\"Odd Schema\".\"Seq \"\"1\"\"\"'::regclass,"
                          " 'pg_class')");
    cr_expect_str_eq(v, "counts 'down'\\");
    free(v);
    v = query1("hostile", "SELECT format('%s %s %s %s %s %s', seqtypid::regtype, seqstart,"
                          " seqincrement, seqmin, seqmax, seqcycle) FROM pg_sequence"
                          " WHERE seqrelid = '\"Odd Schema\".\"Seq \"\"1\"\"\"'::regclass");
    cr_expect_str_eq(v, "integer 100 -3 -1000 1000 t");
    free(v);
    v = query1("hostile", "SELECT pg_get_serial_sequence('\"Odd Schema\".\"Order\"', 'quo\"te')");
    cr_expect_str_eq(v, "\"Odd Schema\".\"Seq \"\"1\"\"\"");
    free(v);
    v = query1("hostile", "SELECT format('%s %s %s', seqstart, seqincrement, seqcache)"
                          " FROM pg_sequence WHERE seqrelid = pg_get_serial_sequence("
                          "'\"Odd Schema\".\"Order\"', 'select')::regclass");
    cr_expect_str_eq(v, "10 5 3");
    free(v);
    v = query1("hostile", "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                          " WHERE conname = 'user_a_b_fkey'");
    cr_expect_str_eq(v, "FOREIGN KEY (a, b) REFERENCES public.pair(x, y) MATCH FULL"
                        " ON DELETE SET NULL (b) NOT VALID");
    free(v);
    sc_compiler_free(c);
}
