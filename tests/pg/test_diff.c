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
#include "hash.h"
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

/* ------------------------------------------------ the expression cache */

/* What the get_url callbacks below were given and did. */
typedef struct url_ctx {
    const char *db; /* database whose conninfo to return; NULL: fail */
    int calls;
} url_ctx;

static char *get_url(void *ctx, sc_buf *err)
{
    url_ctx *u = ctx;
    u->calls++;
    if (u->db == NULL) {
        sc_buf_puts(err, "no development server in this test");
        return NULL;
    }
    return strdup(pgfix_conninfo(fx, u->db));
}

static void put_entry(void *ctx, const char *key, const char *value)
{
    sc_normcache_put(ctx, key, value);
}

/* A cache holding the used entries of `from`, as schema.lock would. */
static sc_normcache *round_trip(const sc_normcache *from)
{
    sc_normcache *c = sc_normcache_new();
    sc_normcache_each_used(from, put_entry, c);
    sc_normcache_set_major(c, sc_normcache_major(from));
    return c;
}

/* Logs the two canonical texts when they differ. */
static void log_difference(const sc_model *a, const sc_model *b)
{
    sc_buf x = SC_BUF_INIT, y = SC_BUF_INIT;
    sc_print_canonical(&x, a);
    sc_print_canonical(&y, b);
    if (strcmp(sc_buf_str(&x), sc_buf_str(&y)) != 0)
        cr_log_error("cached:\n%s\nold:\n%s", sc_buf_str(&x), sc_buf_str(&y));
    sc_buf_free(&x);
    sc_buf_free(&y);
}

/* Runs sc_normalize_model on a fresh compile; fails the test on error. */
static sc_compiler *normalize_cached(const char *path, const char *text, sc_normcache *cache,
                                     url_ctx *u, sc_norm_stats *stats)
{
    sc_compiler *c = compile(path, text);
    sc_buf err = SC_BUF_INIT;
    int down = 0;
    int rc = sc_normalize_model(c->model, cache, get_url, u, stats, &down, &err);
    cr_assert_eq(rc, 0, "normalise: %s", sc_buf_str(&err));
    cr_assert_eq(down, 0);
    sc_buf_free(&err);
    return c;
}

/* Whether database `db` holds no user table, enum, sequence or schema. */
static void expect_empty(const char *db)
{
    sc_model *left = pgshared_read_db(db, NULL);
    cr_expect_eq(left->ntables, 0, "the rolled-back transaction left tables");
    cr_expect_eq(left->nenums, 0, "the rolled-back transaction left enums");
    cr_expect_eq(left->nsequences, 0, "the rolled-back transaction left sequences");
    cr_expect_eq(left->nschemas, 0, "the rolled-back transaction left schemas");
    cr_expect_eq(left->nextensions, 0, "the rolled-back transaction left extensions");
    sc_model_free(left);
}

/* The server's major version, from a connection to it. */
static int server_major(void)
{
    sc_buf err = SC_BUF_INIT;
    PGconn *conn = sc_conn_open(pgfix_conninfo(fx, "postgres"), &err);
    cr_assert_not_null(conn, "%s", sc_buf_str(&err));
    int major = PQserverVersion(conn) / 10000;
    PQfinish(conn);
    sc_buf_free(&err);
    return major;
}

/*
 * (a) an empty cache gives the old normaliser's schema hash, (b) a second
 * run on the cache filled by the first needs no server and gives it too,
 * (e) the server's database is left as it was.
 */
static sc_normcache *cached_matches_old(const char *path, const char *text, const char *db)
{
    cr_assert_not_null(pgfix_createdb(fx, db));
    sc_compiler *c0 = compile(path, text);
    sc_model *old = normalized(c0->model);
    char want[SC_HASH_HEX_LEN + 1], have[SC_HASH_HEX_LEN + 1];
    sc_model_hash(want, old);

    sc_normcache *cache = sc_normcache_new();
    url_ctx u = {.db = db};
    sc_norm_stats st;
    sc_compiler *c1 = normalize_cached(path, text, cache, &u, &st);
    sc_model_hash(have, c1->model);
    log_difference(c1->model, old);
    cr_expect_str_eq(have, want, "an empty cache gives the old normaliser's model");
    cr_expect_eq(u.calls, 1);
    cr_expect(st.server_used);
    cr_expect_eq(st.server_major, server_major());
    cr_expect_eq(st.tables, c1->model->ntables);
    cr_expect_eq(st.tables_server, st.tables);
    cr_expect_eq(st.tables_cached, 0);
    expect_empty(db);

    sc_normcache *again = round_trip(cache);
    url_ctx none = {.db = NULL};
    sc_compiler *c2 = normalize_cached(path, text, again, &none, &st);
    sc_model_hash(have, c2->model);
    log_difference(c2->model, old);
    cr_expect_str_eq(have, want, "the cache alone gives the same model");
    cr_expect_eq(none.calls, 0, "no server is asked for");
    cr_expect_not(st.server_used);
    cr_expect_eq(st.tables_cached + st.tables_fallback, st.tables);

    sc_normcache_free(cache);
    sc_model_free(old);
    sc_compiler_free(c0);
    sc_compiler_free(c1);
    sc_compiler_free(c2);
    return again;
}


Test(normalize, cache_example_schema)
{
    sc_normcache *c = cached_matches_old(SC_SOURCE_ROOT "/schema", NULL, "cache_example");
    sc_normcache_free(c);
}

/* Features of rich.sql, as schema text. */
static const char rich_schema[] =
    "schema billing comment 'money'\n"
    "extension pg_trgm\n"
    "enum status ('active', 'it''s', 'closed')\n"
    "enum billing.state ('open', 'paid')\n"
    "sequence billing.numbers as integer increment by 10 start with 1000 cache 5\n"
    "table funds {\n"
    "  id       bigint primary key generated always as identity (start with 100 increment by 5)\n"
    "  code     serial\n"
    "  name     varchar(200) not null collate \"C\"\n"
    "  status   status not null default 'active'\n"
    "  st       billing.state default 'open'\n"
    "  amount   numeric(12,2) check (amount > 0)\n"
    "  rate     numeric check (rate between 0 and 1)\n"
    "  kind     text check (kind in ('a', 'b', 'c'))\n"
    "  made     timestamptz default now()\n"
    "  doubled  numeric generated always as (amount * 2) stored\n"
    "  flag     bool default true\n"
    "  big      int8 default 1+1\n"
    "\n"
    "  check (amount < 1000000 or status = 'closed')\n"
    "  index (lower(name)) where status <> 'closed' and amount between 1 and 2\n"
    "  index funds_expr_idx (lower(name) desc, (amount * 2), id) where kind in ('a', 'b')\n"
    "  index (name gin_trgm_ops) using gin\n"
    "}\n"
    "table billing.invoices {\n"
    "  id      int primary key generated by default as identity\n"
    "  fund_id bigint not null references funds (id) on delete cascade\n"
    "  number  int not null default nextval('billing.numbers')\n"
    "  state   billing.state not null default 'open'::billing.state\n"
    "  due     date default current_date + 30\n"
    "  note    character varying(20) default 'x' check (note is not null and length(note) > 1)\n"
    "  comment 'invoices'\n"
    "\n"
    "  unique (fund_id, number)\n"
    "  index (fund_id) where state = 'open'\n"
    "}\n";

Test(normalize, cache_rich_features)
{
    sc_normcache *c = cached_matches_old(NULL, rich_schema, "cache_rich");
    sc_normcache_free(c);
}

Test(normalize, cache_one_changed_table_goes_to_the_server)
{
    sc_normcache *cache = cached_matches_old(SC_SOURCE_ROOT "/schema", NULL, "cache_change");

    /* The example schema with one check changed. */
    sc_compiler *c = compile(SC_SOURCE_ROOT "/schema", NULL);
    sc_table *t = sc_model_find_table(c->model, "public", "funds");
    cr_assert_not_null(t);
    sc_constraint *k = NULL;
    for (size_t i = 0; i < t->nconstraints && k == NULL; i++)
        if (t->constraints[i]->kind == SC_CON_CHECK)
            k = t->constraints[i];
    cr_assert_not_null(k);
    k->expr = sc_arena_strdup(c->model->arena, "length(name) between 2 and 300");

    /* The old normaliser's view of it. */
    sc_model *old = normalized(c->model);
    char want[SC_HASH_HEX_LEN + 1], have[SC_HASH_HEX_LEN + 1];
    sc_model_hash(want, old);

    url_ctx u = {.db = "cache_change"};
    sc_norm_stats st;
    sc_buf err = SC_BUF_INIT;
    int down = 0;
    cr_assert_eq(sc_normalize_model(c->model, cache, get_url, &u, &st, &down, &err), 0, "%s",
                 sc_buf_str(&err));
    cr_expect_eq(u.calls, 1);
    cr_expect_eq(st.tables_server, 1, "only the changed table goes to the server");
    cr_expect_eq(st.tables_cached, st.tables - 1);
    sc_model_hash(have, c->model);
    log_difference(c->model, old);
    cr_expect_str_eq(have, want);
    expect_empty("cache_change");
    sc_buf_free(&err);
    sc_model_free(old);
    sc_compiler_free(c);
    sc_normcache_free(cache);
}

Test(normalize, cache_refused_schema_gives_the_servers_message)
{
    cr_assert_not_null(pgfix_createdb(fx, "cache_refused"));
    sc_compiler *c = compile(NULL, "table ok { a int }\n"
                                   "table t {\n"
                                   "  a int check (no_such_function(a) > 0)\n"
                                   "}\n");
    sc_normcache *cache = sc_normcache_new();
    url_ctx u = {.db = "cache_refused"};
    sc_buf err = SC_BUF_INIT;
    int down = 0;
    cr_expect_eq(sc_normalize_model(c->model, cache, get_url, &u, NULL, &down, &err), -1);
    cr_expect_eq(down, 0, "a refused schema is not a connection failure");
    cr_expect(strstr(sc_buf_str(&err), "function no_such_function(integer) does not exist") != NULL,
              "the server's message: %s", sc_buf_str(&err));
    cr_expect(strchr(sc_buf_str(&err), '\n') == NULL, "one line");
    expect_empty("cache_refused");

    /* An unreachable server is a connection failure. */
    sc_buf_reset(&err);
    url_ctx none = {.db = NULL};
    cr_expect_eq(sc_normalize_model(c->model, cache, get_url, &none, NULL, &down, &err), -1);
    cr_expect_eq(down, 1);
    sc_buf_free(&err);
    sc_normcache_free(cache);
    sc_compiler_free(c);
}

Test(normalize, cache_of_another_major_version_is_void)
{
    cr_assert_not_null(pgfix_createdb(fx, "cache_major"));
    const char *text = "table t { a int default 1+1 check (a between 1 and 2) }\n"
                       "table u { b int default 2+2 }\n";
    sc_normcache *cache = sc_normcache_new();
    url_ctx u = {.db = "cache_major"};
    sc_norm_stats st;
    sc_compiler *c1 = normalize_cached(NULL, text, cache, &u, &st);
    sc_normcache *again = round_trip(cache);
    sc_normcache_set_major(again, sc_normcache_major(cache) - 1);

    /* One table changed: the server is needed, its version differs, so
     * every table goes to it. */
    const char *changed = "table t { a int default 1+1 check (a between 1 and 2) }\n"
                          "table u { b int default 3+3 }\n";
    sc_compiler *c2 = normalize_cached(NULL, changed, again, &u, &st);
    cr_expect_eq(st.tables_server, 2);
    cr_expect_eq(sc_normcache_major(again), sc_normcache_major(cache));
    sc_compiler_free(c1);
    sc_compiler_free(c2);
    sc_normcache_free(cache);
    sc_normcache_free(again);
}

Test(normalize, cache_fallback_keeps_the_files_parts)
{
    cr_assert_not_null(pgfix_createdb(fx, "cache_fallback"));
    /* An explicit default operator class is dropped by the server: no
     * field says so, so the table is replaced by the server's. */
    const char *text = "table a { id int primary key }\n"
                       "table b renamed from old_b {\n"
                       "  y int renamed from x references a (id) comment 'the y'\n"
                       "  comment 'bee'\n"
                       "\n"
                       "  index (y int4_ops)\n"
                       "}\n";
    sc_compiler *c0 = compile(NULL, text);
    sc_model *old = normalized(c0->model);
    char want[SC_HASH_HEX_LEN + 1], have[SC_HASH_HEX_LEN + 1];
    sc_model_hash(want, old);

    sc_normcache *cache = sc_normcache_new();
    url_ctx u = {.db = "cache_fallback"};
    sc_norm_stats st;
    sc_compiler *c = normalize_cached(NULL, text, cache, &u, &st);
    cr_expect_eq(st.tables_fallback, 1);
    sc_model_hash(have, c->model);
    log_difference(c->model, old);
    cr_expect_str_eq(have, want);
    sc_table *t = sc_model_find_table(c->model, "public", "b");
    cr_assert_not_null(t);
    cr_expect_str_eq(t->renamed_from, "old_b");
    cr_expect_str_eq(t->comment, "bee");
    cr_expect_not_null(t->loc.file);
    sc_column *y = sc_table_find_column(t, "y");
    cr_assert_not_null(y);
    cr_expect_str_eq(y->renamed_from, "x");
    cr_expect_str_eq(y->comment, "the y");
    bool fk = false;
    for (size_t i = 0; i < t->nconstraints; i++)
        fk = fk || t->constraints[i]->kind == SC_CON_FOREIGN;
    cr_expect(fk, "the file's foreign key is kept");

    /* Nothing of the fallback table was cached: it goes to the server again. */
    sc_normcache *again = round_trip(cache);
    sc_compiler *c2 = normalize_cached(NULL, text, again, &u, &st);
    cr_expect_eq(st.tables_server, 1);
    cr_expect_eq(st.tables_cached, 1);
    sc_model_hash(have, c2->model);
    cr_expect_str_eq(have, want);

    /* A cached table that adds an explicit operator class is checked again. */
    const char *plain = "table t { a text\n index (a) }\n";
    const char *with_ops = "table t { a text\n index (a text_ops) }\n";
    sc_normcache *pc = sc_normcache_new();
    sc_compiler *c3 = normalize_cached(NULL, plain, pc, &u, &st);
    sc_normcache *pc2 = round_trip(pc);
    sc_compiler *c4 = normalize_cached(NULL, with_ops, pc2, &u, &st);
    cr_expect_eq(st.tables_server, 1, "the table goes to the server");
    sc_model_hash(have, c4->model);
    sc_model_hash(want, c3->model);
    cr_expect_str_eq(have, want, "text_ops is the default: the same schema");
    expect_empty("cache_fallback");

    sc_compiler_free(c4);
    sc_compiler_free(c3);
    sc_normcache_free(pc2);
    sc_normcache_free(pc);
    sc_compiler_free(c2);
    sc_normcache_free(again);
    sc_compiler_free(c);
    sc_normcache_free(cache);
    sc_model_free(old);
    sc_compiler_free(c0);
}

PGSHARED_MAIN
