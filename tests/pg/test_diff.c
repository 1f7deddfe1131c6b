/*
 * Normalisation and planning against a real server: schema files brought
 * to the catalog's spelling through a scratch database compare equal to a
 * database built from the same files (no steps), a change in the files is
 * one step, and rename hints survive normalisation.
 *
 * One server serves every test (shared with the Criterion workers through
 * pgfix_share/pgfix_attach); its `postgres` database is the development
 * server's entry point.
 */
#define _GNU_SOURCE

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "compiler.h"
#include "conn.h"
#include "ddl.h"
#include "normalize.h"
#include "pgfix.h"
#include "pgshared.h"
#include "plan.h"
#include "print.h"

TestSuite(normalize, .init = pgshared_attach, .fini = pgshared_detach, .timeout = 120);

static sc_compiler *compile(const char *path_or_null, const char *text)
{
    sc_compiler *c = sc_compiler_new();
    if (path_or_null != NULL)
        sc_sources_add_path(&c->sources, path_or_null, &c->diags);
    else
        sc_sources_add_text(&c->sources, "test.schema", text, strlen(text));
    sc_compiler_run(c);
    cr_assert_eq(c->diags.nerrors, 0, "the schema compiles");
    return c;
}

static sc_model *normalized(const sc_model *m)
{
    sc_buf err = SC_BUF_INIT;
    int down = 0;
    sc_model *n = sc_normalize(m, pgfix_conninfo(fx, "postgres"), &down, &err);
    cr_assert_not_null(n, "normalise: %s", sc_buf_str(&err));
    sc_buf_free(&err);
    return n;
}

Test(normalize, file_spellings_become_catalog_spellings)
{
    sc_compiler *c = compile(NULL, "enum mood ('ok', 'bad')\n"
                                   "table t {\n"
                                   "  a int default 1+1 check (a > 0 and a < 10)\n"
                                   "  s varchar(20) default 'x'\n"
                                   "  m mood default 'ok'\n"
                                   "  index (lower(s)) where a > 1\n"
                                   "}\n");
    sc_model *n = normalized(c->model);
    sc_table *t = sc_model_find_table(n, "public", "t");
    cr_assert_not_null(t);
    cr_expect_str_eq(sc_table_find_column(t, "a")->default_expr, "(1 + 1)");
    cr_expect_str_eq(sc_table_find_column(t, "s")->default_expr, "'x'::character varying");
    cr_expect_str_eq(sc_table_find_column(t, "m")->default_expr, "'ok'::mood");
    cr_expect_str_eq(t->constraints[0]->expr, "((a > 0) and (a < 10))");
    cr_expect_str_eq(t->indexes[0]->where, "(a > 1)");
    sc_model_free(n);
    sc_compiler_free(c);
}

Test(normalize, rename_hints_survive)
{
    sc_compiler *c = compile(NULL, "table b renamed from a {\n"
                                   "  y int renamed from x\n"
                                   "}\n");
    sc_model *n = normalized(c->model);
    sc_table *t = sc_model_find_table(n, "public", "b");
    cr_assert_not_null(t);
    cr_expect_str_eq(t->renamed_from, "a");
    cr_expect_str_eq(sc_table_find_column(t, "y")->renamed_from, "x");
    sc_model_free(n);
    sc_compiler_free(c);
}

Test(normalize, example_schema_against_its_own_database_has_no_steps)
{
    sc_compiler *c = compile(SC_SOURCE_ROOT "/schema", NULL);
    sc_buf ddl = SC_BUF_INIT;
    sc_ddl_create(&ddl, c->model);
    cr_assert_not_null(pgfix_createdb(fx, "target"));
    cr_assert_eq(pgfix_exec(fx, "target", sc_buf_str(&ddl)), 0);
    sc_buf_free(&ddl);

    sc_model *want = normalized(c->model);
    sc_model *have = pgshared_read_db("target", NULL);
    for (size_t i = 0; i < want->nextensions; i++) {
        want->extensions[i]->schema = have->extensions[i]->schema;
        want->extensions[i]->version = have->extensions[i]->version;
    }
    sc_plan plan;
    sc_buf err = SC_BUF_INIT;
    cr_assert_eq(sc_plan_build(&plan, have, want, &err), 0, "%s", sc_buf_str(&err));
    if (plan.nsteps > 0) {
        sc_buf d = SC_BUF_INIT;
        sc_plan_describe(&d, &plan);
        cr_log_error("%s", sc_buf_str(&d));
        sc_buf_free(&d);
    }
    cr_expect_eq(plan.nsteps, 0, "the files and the database they built do not differ");
    sc_plan_free(&plan);

    /* One more column in the files is one step. */
    sc_table *t = sc_model_find_table(want, "public", "funds");
    cr_assert_not_null(t);
    sc_table_add_column(want, t, "extra_note", "text");
    cr_assert_eq(sc_plan_build(&plan, have, want, &err), 0, "%s", sc_buf_str(&err));
    cr_expect_eq(plan.nsteps, 1);
    sc_plan_free(&plan);
    sc_buf_free(&err);
    sc_model_free(want);
    sc_model_free(have);
    sc_compiler_free(c);
}

PGSHARED_MAIN
