/*
 * `schemac compile` and `schemac diff`, end to end: the schemac program
 * run on schema files in a temporary directory, with the test server as
 * its development server (SCHEMAC_DEV_URL), writing migrations that are
 * then applied to real databases through the runtime's script runner.
 *
 * One server serves every test (pgshared.h).
 */
#define _GNU_SOURCE

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "conn.h"
#include "hash.h"
#include "pgfix.h"
#include "pgshared.h"
#include "script.h"

extern char **environ;

/* Strings the tests make, freed when the test ends (keep()). */
static char *kept[512];
static size_t nkept;

static char *keep(char *p)
{
    if (nkept < sizeof kept / sizeof *kept)
        kept[nkept++] = p;
    return p;
}

static void suite_fini(void)
{
    while (nkept > 0)
        free(kept[--nkept]);
    pgshared_detach();
}

TestSuite(compile, .init = pgshared_attach, .fini = suite_fini, .timeout = 180);

/* A fresh temporary directory (not removed: the test's scratch). */
static char *tmpdir(void)
{
    char *d = keep(strdup("/tmp/schemac-compile-XXXXXX"));
    cr_assert_not_null(mkdtemp(d));
    return d;
}

static void write_text(const char *dir, const char *file, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    sc_buf b = SC_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sc_buf_append(&b, chunk, n);
    fclose(f);
    char *s = sc_buf_detach(&b);
    return keep(s != NULL ? s : strdup(""));
}

/* Runs schemac with `args` (NULL-terminated) in `dir`; its output (stdout
 * and stderr together) in `*out` (free it).  Returns the exit code. */
static int schemac(const char *dir, char **out, const char *const *args)
{
    char log[4096];
    snprintf(log, sizeof log, "%s/.schemac-output", dir);
    const char *argv[32] = {SCHEMAC_BIN};
    size_t n = 1;
    for (; args[n - 1] != NULL && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    setenv("SCHEMAC_DEV_URL", pgfix_conninfo(fx, "postgres"), 1);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    char cwd[4096];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_assert_eq(chdir(dir), 0);
    pid_t pid;
    int rc = posix_spawn(&pid, SCHEMAC_BIN, &fa, NULL, (char *const *)argv, environ);
    cr_assert_eq(chdir(cwd), 0);
    posix_spawn_file_actions_destroy(&fa);
    cr_assert_eq(rc, 0, "spawn schemac: %s", strerror(rc));
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    *out = read_text(log);
    cr_assert(WIFEXITED(st), "schemac ended by a signal:\n%s", *out);
    return WEXITSTATUS(st);
}

#define RUN(dir, out, ...) schemac((dir), (out), (const char *const[]){__VA_ARGS__, NULL})

/* The names of dir/generated/migrations, sorted, one per line. */
static char *listing(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/generated/migrations", dir);
    DIR *d = opendir(path);
    if (d == NULL)
        return keep(strdup(""));
    char *names[64];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL && n < 64;)
        if (e->d_name[0] != '.')
            names[n++] = strdup(e->d_name);
    closedir(d);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(names[j], names[i]) < 0) {
                char *t = names[i];
                names[i] = names[j];
                names[j] = t;
            }
    sc_buf b = SC_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        sc_buf_printf(&b, "%s\n", names[i]);
        free(names[i]);
    }
    char *s = sc_buf_detach(&b);
    return keep(s != NULL ? s : strdup(""));
}

static char *gen_file(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/generated/migrations/%s", dir, name);
    return read_text(path);
}

/* A project directory with schema/main.schema holding `text`. */
static char *project(const char *text)
{
    char *d = tmpdir();
    char path[4096];
    snprintf(path, sizeof path, "%s/schema", d);
    cr_assert_eq(mkdir(path, 0755), 0);
    write_text(path, "main.schema", text);
    return d;
}

static void set_schema(const char *dir, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/schema", dir);
    write_text(path, "main.schema", text);
}

/* Runs a migration file on database `db`; returns 0 or -1 with `err`. */
static int apply(const char *db, const char *text, sc_buf *err)
{
    PGconn *c = sc_conn_open(pgfix_conninfo(fx, db), err);
    cr_assert_not_null(c, "%s", sc_buf_str(err));
    int rc = sc_script_exec(c, text, strlen(text), err);
    PQfinish(c);
    return rc;
}

/* The single value of a query on `db`. */
static char *value(const char *db, const char *sql)
{
    sc_buf err = SC_BUF_INIT;
    PGconn *c = sc_conn_open(pgfix_conninfo(fx, db), &err);
    cr_assert_not_null(c, "%s", sc_buf_str(&err));
    PGresult *r = PQexec(c, sql);
    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(c));
    char *v = keep(strdup(PQgetisnull(r, 0, 0) ? "NULL" : PQgetvalue(r, 0, 0)));
    PQclear(r);
    PQfinish(c);
    sc_buf_free(&err);
    return v;
}

static const char v1[] = "table funds {\n"
                         "  id   bigint primary key generated always as identity\n"
                         "  name text   not null\n"
                         "}\n"
                         "\n"
                         "table lots {\n"
                         "  id      bigint  primary key generated always as identity\n"
                         "  fund_id bigint  not null references funds (id)\n"
                         "  key     text    unique\n"
                         "  version integer not null default 1\n"
                         "}\n";

static const char v2[] = "table funds {\n"
                         "  id   bigint primary key generated always as identity\n"
                         "  name text   not null\n"
                         "}\n"
                         "\n"
                         "table lots {\n"
                         "  id      bigint not null primary key generated always as identity\n"
                         "  fund_id bigint not null references funds (id)\n"
                         "  key     text   check (length(key) between 1 and 128)\n"
                         "  version bigint not null default 1\n"
                         "\n"
                         "  unique (fund_id, key)\n"
                         "}\n";

Test(compile, first_compile_writes_a_proven_pair_and_the_snapshot)
{
    char *d = project(v1), *out;
    int rc = RUN(d, &out, "compile");
    cr_assert_eq(rc, 0, "compile:\n%s", out);
    cr_assert(strstr(out, "create table lots") != NULL, "the plan in words:\n%s", out);
    cr_assert(strstr(out, "proven on a scratch database") != NULL, "%s", out);
    char *ls = listing(d);
    cr_assert_str_eq(ls, "0001_initial.down.sql\n0001_initial.up.sql\nschemac.sum\n");
    char *up = gen_file(d, "0001_initial.up.sql");
    cr_assert(strstr(up, "-- schemac migration 0001_initial (up)") != NULL, "%s", up);
    cr_assert(strstr(up, "SET lock_timeout") != NULL && strstr(up, "SET statement_timeout"));
    cr_assert(strstr(up, "-- transaction: one") != NULL, "%s", up);
    /* The lock's snapshot is the schema's canonical text; its hash is the
     * up file's "to" hash. */
    char lock_path[4096];
    snprintf(lock_path, sizeof lock_path, "%s/generated/schema.lock", d);
    char *lock = read_text(lock_path);
    cr_assert_not_null(lock);
    const char *hash = strstr(lock, "-- schema-hash ");
    cr_assert_not_null(hash);
    char want[64];
    snprintf(want, sizeof want, "-- to schema   %.32s", hash + 15);
    cr_assert(strstr(up, want) != NULL, "the up file's header names the lock's hash:\n%s", up);
    /* The C header, with the hash the runtime's schemac_verify() checks:
     * the up file's "to" hash. */
    char hpath[4096];
    snprintf(hpath, sizeof hpath, "%s/generated/include/schema.h", d);
    char *h = read_text(hpath);
    cr_assert_not_null(h, "compile writes the C header");
    char define[96];
    snprintf(define, sizeof define, "#define SCHEMAC_SCHEMA_HASH \"%.32s\"", hash + 15);
    cr_assert(strstr(h, define) != NULL, "%s", h);
    cr_assert(strstr(h, "struct lots {") != NULL || strstr(h, "struct lots\n{") != NULL, "%s", h);
    /* gen on the files the lock records writes what compile wrote, byte
     * for byte (columns in the table's order, expressions as compile
     * normalised them), with no server.  (read_text's strings are freed
     * with the test.) */
    {
        static const char *const files[] = {"include/schema.h", "db/schema_db.c",
                                            "validate/schema_validate.c"};
        char *before[3];
        for (int i = 0; i < 3; i++) {
            char p[4096];
            snprintf(p, sizeof p, "%s/generated/%s", d, files[i]);
            before[i] = read_text(p);
            cr_assert_not_null(before[i], "compile writes %s", files[i]);
        }
        char *gout;
        setenv("SCHEMAC_DEV_URL", "postgresql://127.0.0.1:1/none", 1);
        cr_assert_eq(RUN(d, &gout, "gen"), 0, "gen:\n%s", gout);
        unsetenv("SCHEMAC_DEV_URL");
        for (int i = 0; i < 3; i++) {
            char p[4096];
            snprintf(p, sizeof p, "%s/generated/%s", d, files[i]);
            char *after = read_text(p);
            cr_assert_not_null(after);
            cr_expect_str_eq(after, before[i], "gen rewrote %s differently", files[i]);
        }
    }
    /* The up file builds the schema on an empty database, the down file
     * removes it again. */
    pgfix_createdb(fx, "c_first");
    sc_buf err = SC_BUF_INIT;
    cr_assert_eq(apply("c_first", up, &err), 0, "%s", sc_buf_str(&err));
    cr_assert_str_eq(value("c_first", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "2");
    char *down = gen_file(d, "0001_initial.down.sql");
    cr_assert_eq(apply("c_first", down, &err), 0, "%s", sc_buf_str(&err));
    cr_assert_str_eq(value("c_first", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "0");

    /* Nothing changed: no parsing, nothing written. */
    rc = RUN(d, &out, "compile");
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "no changes") != NULL, "%s", out);
    cr_assert_str_eq(listing(d), ls);
    /* A comment changes the file but not the schema: still no changes. */
    char *text = NULL;
    cr_assert_neq(asprintf(&text, "-- funds and their lots\n%s", v1), -1);
    keep(text);
    set_schema(d, text);
    rc = RUN(d, &out, "compile");
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "no changes") != NULL, "%s", out);
    cr_assert_str_eq(listing(d), ls);
    rc = RUN(d, &out, "diff");
    cr_assert_eq(rc, 0, "diff with no difference exits 0:\n%s", out);
    sc_buf_free(&err);
}

Test(compile, second_compile_hardens_with_guards_and_data_survives)
{
    char *d = project(v1), *out;
    cr_assert_eq(RUN(d, &out, "compile"), 0, "%s", out);
    set_schema(d, v2);
    int rc = RUN(d, &out, "diff");
    cr_assert_eq(rc, 1, "diff with differences exits 1:\n%s", out);
    char *before = listing(d);
    rc = RUN(d, &out, "compile", "--dry-run");
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert_str_eq(listing(d), before, "--dry-run writes nothing");
    rc = RUN(d, &out, "compile", "-m", "hardening");
    cr_assert_eq(rc, 0, "%s", out);
    char *up = gen_file(d, "0002_hardening.up.sql"), *down = gen_file(d, "0002_hardening.down.sql");
    cr_assert_not_null(up, "%s", listing(d));
    cr_assert_not_null(down);
    /* The guards are in the files, for review. */
    cr_assert(strstr(up, "pre-flight") != NULL, "the up file checks before changing:\n%s", up);
    cr_assert(strstr(down, "2147483647") != NULL || strstr(down, "2,147,483,647") != NULL,
              "the down file guards the narrowing back to integer:\n%s", down);

    /* On a database with rows: the history, rows, then the new pair. */
    pgfix_createdb(fx, "c_harden");
    sc_buf err = SC_BUF_INIT;
    char *first = gen_file(d, "0001_initial.up.sql");
    cr_assert_eq(apply("c_harden", first, &err), 0, "%s", sc_buf_str(&err));
    cr_assert_eq(pgfix_exec(fx, "c_harden",
                            "INSERT INTO funds (name) VALUES ('a'), ('b');"
                            "INSERT INTO lots (fund_id, key) VALUES (1, 'k1'), (2, 'k2'), (1, NULL);"),
                 0);
    cr_assert_eq(apply("c_harden", up, &err), 0, "%s", sc_buf_str(&err));
    cr_assert_str_eq(value("c_harden", "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                                       "WHERE attrelid = 'lots'::regclass AND attname = 'version'"),
                     "bigint");
    cr_assert_str_eq(value("c_harden", "SELECT string_agg(key, ',' ORDER BY id) FROM lots"), "k1,k2");
    /* A value that does not fit integer: the down file refuses, and
     * changes nothing. */
    cr_assert_eq(pgfix_exec(fx, "c_harden", "UPDATE lots SET version = 3000000000 WHERE id = 1"), 0);
    sc_buf_reset(&err);
    cr_assert_neq(apply("c_harden", down, &err), 0, "the narrowing guard fires");
    cr_assert(strstr(sc_buf_str(&err), "pre-flight") != NULL, "%s", sc_buf_str(&err));
    cr_assert_str_eq(value("c_harden", "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                                       "WHERE attrelid = 'lots'::regclass AND attname = 'version'"),
                     "bigint");
    cr_assert_eq(pgfix_exec(fx, "c_harden", "UPDATE lots SET version = 1"), 0);
    sc_buf_reset(&err);
    cr_assert_eq(apply("c_harden", down, &err), 0, "%s", sc_buf_str(&err));
    cr_assert_str_eq(value("c_harden", "SELECT count(*) FROM lots"), "3");
    sc_buf_free(&err);
}

Test(compile, violating_rows_stop_the_up_file_before_any_change)
{
    char *d = project(v1), *out;
    cr_assert_eq(RUN(d, &out, "compile"), 0, "%s", out);
    set_schema(d, v2);
    cr_assert_eq(RUN(d, &out, "compile", "-m", "hardening"), 0, "%s", out);
    pgfix_createdb(fx, "c_violate");
    sc_buf err = SC_BUF_INIT;
    cr_assert_eq(apply("c_violate", gen_file(d, "0001_initial.up.sql"), &err), 0, "%s",
                 sc_buf_str(&err));
    /* An empty key violates the new length check. */
    cr_assert_eq(pgfix_exec(fx, "c_violate",
                            "INSERT INTO funds (name) VALUES ('a');"
                            "INSERT INTO lots (fund_id, key) VALUES (1, ''), (1, 'ok');"),
                 0);
    char *sig = value("c_violate", "SELECT string_agg(format_type(atttypid, atttypmod), ',' ORDER BY attnum) "
                                   "FROM pg_attribute WHERE attrelid = 'lots'::regclass AND attnum > 0");
    cr_assert_neq(apply("c_violate", gen_file(d, "0002_hardening.up.sql"), &err), 0);
    cr_assert(strstr(sc_buf_str(&err), "pre-flight") != NULL, "%s", sc_buf_str(&err));
    cr_assert_str_eq(value("c_violate", "SELECT string_agg(format_type(atttypid, atttypmod), ',' ORDER BY attnum) "
                                        "FROM pg_attribute WHERE attrelid = 'lots'::regclass AND attnum > 0"),
                     sig, "the table is unchanged");
    cr_assert_str_eq(value("c_violate", "SELECT string_agg(key, ',' ORDER BY id) FROM lots"), ",ok");
    cr_assert_str_eq(value("c_violate", "SELECT count(*) FROM pg_constraint WHERE conrelid = 'lots'::regclass"),
                     "3", "no constraint was added or dropped");
    sc_buf_free(&err);
}

Test(compile, data_loss_is_refused_without_consent)
{
    char *d = project(v1), *out;
    cr_assert_eq(RUN(d, &out, "compile"), 0, "%s", out);
    char *before = listing(d);
    set_schema(d, "table funds {\n"
                  "  id   bigint primary key generated always as identity\n"
                  "  name text   not null\n"
                  "}\n");
    int rc = RUN(d, &out, "compile");
    cr_assert_eq(rc, 1, "refused:\n%s", out);
    cr_assert(strstr(out, "refused") != NULL && strstr(out, "drop table lots") != NULL, "%s", out);
    cr_assert(strstr(out, "--allow-data-loss") != NULL, "%s", out);
    cr_assert_str_eq(listing(d), before, "nothing written");
    rc = RUN(d, &out, "compile", "--allow-data-loss");
    cr_assert_eq(rc, 0, "%s", out);
    char *ls = listing(d);
    cr_assert(strstr(ls, "0002_drop_table_lots.down.sql") != NULL, "%s", ls);
}

Test(compile, edited_migrations_and_a_damaged_lock_are_refused)
{
    char *d = project(v1), *out;
    cr_assert_eq(RUN(d, &out, "compile"), 0, "%s", out);
    set_schema(d, v2);
    char path[4096];
    snprintf(path, sizeof path, "%s/generated/migrations/0001_initial.up.sql", d);
    char *up = read_text(path);
    char *edited = NULL;
    cr_assert_neq(asprintf(&edited, "%s\n-- a hand edit\n", up), -1);
    keep(edited);
    write_text(d, "generated/migrations/0001_initial.up.sql", edited);
    int rc = RUN(d, &out, "compile");
    cr_assert_eq(rc, 2, "%s", out);
    cr_assert(strstr(out, "0001_initial.up.sql does not match") != NULL, "%s", out);
    write_text(d, "generated/migrations/0001_initial.up.sql", up);

    snprintf(path, sizeof path, "%s/generated/schema.lock", d);
    char *lock = read_text(path);
    char *p = strstr(lock, "table lots");
    cr_assert_not_null(p);
    p[6] = 'X'; /* "table lXts" */
    write_text(d, "generated/schema.lock", lock);
    rc = RUN(d, &out, "compile");
    cr_assert_eq(rc, 2, "%s", out);
    cr_assert(strstr(out, "edited or damaged") != NULL, "%s", out);
}

Test(compile, against_a_live_database)
{
    /* A database made by hand, compiled against with --db. */
    pgfix_createdb(fx, "c_live");
    cr_assert_eq(pgfix_exec(fx, "c_live",
                            "CREATE TABLE funds (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                            " name text NOT NULL);"
                            "INSERT INTO funds (name) VALUES ('x'), ('y');"),
                 0);
    char *d = project("table funds {\n"
                      "  id   bigint primary key generated always as identity\n"
                      "  name text   not null\n"
                      "}\n"), *out;
    int rc = RUN(d, &out, "compile", "--db", pgfix_conninfo(fx, "c_live"));
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "no changes") != NULL, "the same schema: %s", out);
    set_schema(d, "table funds {\n"
                  "  id           bigint  primary key generated always as identity\n"
                  "  name         text    not null unique\n"
                  "  vintage_year integer check (vintage_year > 1900)\n"
                  "}\n");
    rc = RUN(d, &out, "compile", "--db", pgfix_conninfo(fx, "c_live"), "-m", "vintage");
    cr_assert_eq(rc, 0, "%s", out);
    sc_buf err = SC_BUF_INIT;
    cr_assert_eq(apply("c_live", gen_file(d, "0001_vintage.up.sql"), &err), 0, "%s",
                 sc_buf_str(&err));
    cr_assert_str_eq(value("c_live", "SELECT string_agg(name, ',' ORDER BY id) FROM funds"), "x,y");
    rc = RUN(d, &out, "compile", "--db", pgfix_conninfo(fx, "c_live"));
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "no changes") != NULL, "after the up file: %s", out);
    sc_buf_free(&err);
}

Test(compile, schema_errors_exit_2_and_write_nothing)
{
    char *d = project("table t {\n  id int primary key\n  id text\n}\n"), *out;
    int rc = RUN(d, &out, "compile");
    cr_assert_eq(rc, 2, "%s", out);
    cr_assert(strstr(out, "main.schema:3:") != NULL, "%s", out);
    cr_assert_str_eq(listing(d), "");
}

PGSHARED_MAIN
