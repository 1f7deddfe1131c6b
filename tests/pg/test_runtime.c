/*
 * The runtime's reliability, end to end: the schemac program's migrate,
 * rollback, status, baseline and check commands run against real
 * databases of the test server, over migration directories written by
 * hand in temporary directories (NNNN_name.up.sql/.down.sql, summed with
 * `schemac sum`) or compiled by `schemac compile` (the test server as the
 * development server, SCHEMAC_DEV_URL).
 *
 * Concurrent deployers, a deployer killed with SIGKILL mid-migration (one
 * transaction, and unit by unit with a concurrent index build), a
 * connection the server terminates, drift and tampering found by check,
 * a rollback stopped by its pre-flight guard, edited files, dry runs,
 * baselines and lock_timeout retries.
 *
 * One server serves every test (pgshared.h), each test its own database.
 * Every schemac process a test starts is killed and reaped, and its
 * temporary directories removed, when the test ends, whatever happened.
 */
#define _GNU_SOURCE

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "conn.h"
#include "pgfix.h"
#include "pgshared.h"
#include "script.h"

extern char **environ;

/* Strings the tests make, freed when the test ends (keep()). */
static char *kept[1024];
static size_t nkept;

static char *keep(char *p)
{
    if (nkept < sizeof kept / sizeof *kept)
        kept[nkept++] = p;
    return p;
}

/* Processes started and not reaped yet: killed when the test ends. */
static pid_t running[32];
static size_t nrunning;

static void forget(pid_t pid)
{
    for (size_t i = 0; i < nrunning; i++)
        if (running[i] == pid) {
            running[i] = running[--nrunning];
            return;
        }
}

/* Connections a test holds open (lock holders): closed when it ends. */
static PGconn *held[8];
static size_t nheld;

/* Temporary directories the test made: removed when it ends. */
static char *dirs[64];
static size_t ndirs;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void suite_fini(void)
{
    while (nrunning > 0) {
        pid_t pid = running[--nrunning];
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    while (nheld > 0)
        PQfinish(held[--nheld]);
    while (ndirs > 0)
        nftw(dirs[--ndirs], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    while (nkept > 0)
        free(kept[--nkept]);
    pgshared_detach();
}

TestSuite(runtime, .init = pgshared_attach, .fini = suite_fini, .timeout = 240);

static void sleep_ms(long ms)
{
    nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000000L}, NULL);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- files */

static char *tmpdir(void)
{
    char *d = keep(strdup("/tmp/schemac-runtime-XXXXXX"));
    cr_assert_not_null(mkdtemp(d));
    if (ndirs < sizeof dirs / sizeof *dirs)
        dirs[ndirs++] = d;
    return d;
}

static char *path_of(const char *dir, const char *file)
{
    char *p = NULL;
    cr_assert_neq(asprintf(&p, "%s/%s", dir, file), -1);
    return keep(p);
}

static void write_text(const char *dir, const char *file, const char *text)
{
    const char *path = path_of(dir, file);
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

/* Appends `text` to dir/file. */
static void append_text(const char *dir, const char *file, const char *text)
{
    const char *path = path_of(dir, file);
    FILE *f = fopen(path, "a");
    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    fputs(text, f);
    fclose(f);
}

/* Writes migration NNNN_name (up and down) into `dir`. */
static void migration(const char *dir, unsigned n, const char *name, const char *up,
                      const char *down)
{
    char file[256];
    snprintf(file, sizeof file, "%04u_%s.up.sql", n, name);
    write_text(dir, file, up);
    snprintf(file, sizeof file, "%04u_%s.down.sql", n, name);
    write_text(dir, file, down);
}

/* ----------------------------------------------------------- schemac */

/* A schemac process: its id and where its output goes. */
typedef struct proc {
    pid_t pid;
    char *out, *err; /* file names */
} proc;

/* Starts schemac with `args` (NULL-terminated) in `cwd`, with `extra_env`
 * ("NAME=value", NULL-terminated, or NULL) added to the environment. */
static proc start(const char *cwd, const char *const *extra_env, const char *const *args)
{
    static unsigned seq;
    proc p;
    char *o = NULL, *e = NULL;
    cr_assert_neq(asprintf(&o, "%s/.schemac-%d-%u.out", cwd, (int)getpid(), seq), -1);
    cr_assert_neq(asprintf(&e, "%s/.schemac-%d-%u.err", cwd, (int)getpid(), seq++), -1);
    p.out = keep(o);
    p.err = keep(e);
    const char *argv[32] = {SCHEMAC_BIN};
    size_t n = 1;
    for (; args[n - 1] != NULL && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    setenv("SCHEMAC_DEV_URL", pgfix_conninfo(fx, "postgres"), 1);
    const char *envp[512];
    size_t ne = 0;
    for (char **v = environ; *v != NULL && ne < 500; v++)
        envp[ne++] = *v;
    for (size_t i = 0; extra_env != NULL && extra_env[i] != NULL && ne < 510; i++)
        envp[ne++] = extra_env[i];
    envp[ne] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, p.out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, p.err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char here[4096];
    cr_assert_not_null(getcwd(here, sizeof here));
    cr_assert_eq(chdir(cwd), 0);
    int rc = posix_spawn(&p.pid, SCHEMAC_BIN, &fa, NULL, (char *const *)argv, (char *const *)envp);
    cr_assert_eq(chdir(here), 0);
    posix_spawn_file_actions_destroy(&fa);
    cr_assert_eq(rc, 0, "spawn schemac: %s", strerror(rc));
    if (nrunning < sizeof running / sizeof *running)
        running[nrunning++] = p.pid;
    return p;
}

/* A finished run: exit code, stdout, stderr and both together. */
typedef struct result {
    int rc;
    char *out, *err, *all;
} result;

static result finish(proc p)
{
    int st;
    cr_assert_eq(waitpid(p.pid, &st, 0), p.pid);
    forget(p.pid);
    result r;
    r.out = read_text(p.out);
    r.err = read_text(p.err);
    cr_assert_neq(asprintf(&r.all, "%s%s", r.out != NULL ? r.out : "", r.err != NULL ? r.err : ""),
                  -1);
    keep(r.all);
    r.rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (getenv("SCHEMAC_TEST_VERBOSE") != NULL)
        fprintf(stderr, "--- schemac exited %d\n%s", r.rc, r.all);
    return r;
}

/* Kills a process with SIGKILL and reaps it. */
static void kill9(proc p)
{
    cr_assert_eq(kill(p.pid, SIGKILL), 0);
    int st;
    cr_assert_eq(waitpid(p.pid, &st, 0), p.pid);
    forget(p.pid);
    cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "schemac ended before it was killed:\n%s%s",
              read_text(p.out), read_text(p.err));
}

#define START(cwd, env, ...) start((cwd), (env), (const char *const[]){__VA_ARGS__, NULL})
#define RUN(cwd, ...) finish(start((cwd), NULL, (const char *const[]){__VA_ARGS__, NULL}))

/* `schemac sum --dir dir`, which must succeed. */
static void sum(const char *dir)
{
    result r = RUN(dir, "sum", "--dir", dir);
    cr_assert_eq(r.rc, 0, "schemac sum:\n%s", r.all);
}

/* -------------------------------------------------------- the server */

/* A connection of the test's own (application_name schemac_test: the
 * tests find schemac's sessions by their name, schemac). */
static PGconn *connect_db(const char *db)
{
    char *ci = NULL;
    cr_assert_neq(asprintf(&ci, "%s application_name=schemac_test", pgfix_conninfo(fx, db)), -1);
    PGconn *c = PQconnectdb(ci);
    free(ci);
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
    return c;
}

/* A connection that stays open until the test ends (or hold_end()). */
static PGconn *hold(const char *db)
{
    PGconn *c = connect_db(db);
    if (nheld < sizeof held / sizeof *held)
        held[nheld++] = c;
    return c;
}

static void exec_on(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    cr_assert(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
}

/* The single value of a query on `db` ("NULL" for null). */
static char *value(const char *db, const char *sql)
{
    PGconn *c = connect_db(db);
    PGresult *r = PQexec(c, sql);
    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(c));
    cr_assert_eq(PQntuples(r), 1, "%s: %d rows", sql, PQntuples(r));
    char *v = keep(strdup(PQgetisnull(r, 0, 0) ? "NULL" : PQgetvalue(r, 0, 0)));
    PQclear(r);
    PQfinish(c);
    return v;
}

static void exec_db(const char *db, const char *sql)
{
    cr_assert_eq(pgfix_exec(fx, db, sql), 0, "%s", sql);
}

/* Waits (up to `seconds`) until `sql` on `db` returns "t"; whether it did. */
static bool wait_for(const char *db, const char *sql, double seconds)
{
    double end = now_s() + seconds;
    do {
        if (strcmp(value(db, sql), "t") == 0)
            return true;
        sleep_ms(50);
    } while (now_s() < end);
    return false;
}

/* SQL: whether a schemac session on the current database runs a
 * statement containing `text`, and (when `waiting` is not NULL) waits on
 * that kind of event. */
static char *running_sql(const char *text, const char *waiting)
{
    char *q = NULL;
    cr_assert_neq(asprintf(&q,
                           "SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = "
                           "current_database() AND application_name = 'schemac' AND state = "
                           "'active' AND pid <> pg_backend_pid() AND query LIKE '%%%s%%'%s%s%s",
                           text, waiting != NULL ? " AND wait_event_type = '" : "",
                           waiting != NULL ? waiting : "", waiting != NULL ? "'" : ""),
                  -1);
    return keep(q);
}

static const char no_schemac_sessions[] =
    "SELECT count(*) = 0 FROM pg_stat_activity WHERE datname = current_database() "
    "AND application_name = 'schemac' AND pid <> pg_backend_pid()";

/* pg_dump --schema-only of `db`, without the lines that change from run
 * to run. */
static char *dump(const char *db)
{
    char *d = tmpdir();
    const char *file = path_of(d, "dump.sql");
    char exe[4096];
    snprintf(exe, sizeof exe, "%s/pg_dump", pgfix_bindir(fx));
    const char *argv[] = {exe, "--schema-only", "--no-owner", "--no-privileges", "-f", file,
                          "-d", pgfix_conninfo(fx, db), NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, exe, NULL, NULL, (char *const *)argv, environ);
    cr_assert_eq(rc, 0, "spawn pg_dump: %s", strerror(rc));
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "pg_dump failed");
    char *text = read_text(file);
    cr_assert_not_null(text);
    sc_buf b = SC_BUF_INIT;
    for (char *line = text; *line != '\0';) {
        size_t n = strcspn(line, "\n");
        bool skip = strncmp(line, "-- Dumped ", 10) == 0 || strncmp(line, "\\restrict ", 10) == 0 ||
                    strncmp(line, "\\unrestrict ", 12) == 0;
        if (!skip)
            sc_buf_printf(&b, "%.*s\n", (int)n, line);
        line += n + (line[n] == '\n');
    }
    char *s = sc_buf_detach(&b);
    return keep(s != NULL ? s : strdup(""));
}

/* The number of lines of `s`. */
static size_t lines(const char *s)
{
    size_t n = 0;
    for (; s != NULL && *s != '\0'; s++)
        n += *s == '\n';
    return n;
}

/* ------------------------------------------------ compiled projects */

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

/* v1 with lots.version widened to bigint. */
static const char v2[] = "table funds {\n"
                         "  id   bigint primary key generated always as identity\n"
                         "  name text   not null\n"
                         "}\n"
                         "\n"
                         "table lots {\n"
                         "  id      bigint  primary key generated always as identity\n"
                         "  fund_id bigint  not null references funds (id)\n"
                         "  key     text    unique\n"
                         "  version bigint  not null default 1\n"
                         "}\n";

/* A project directory with schema/main.schema holding `text`, compiled. */
static char *project(const char *text)
{
    char *d = tmpdir();
    cr_assert_eq(mkdir(path_of(d, "schema"), 0755), 0);
    write_text(d, "schema/main.schema", text);
    result r = RUN(d, "compile", "-m", "initial");
    cr_assert_eq(r.rc, 0, "compile:\n%s", r.all);
    return d;
}

static void recompile(const char *d, const char *text, const char *msg)
{
    write_text(d, "schema/main.schema", text);
    result r = RUN(d, "compile", "-m", msg);
    cr_assert_eq(r.rc, 0, "compile:\n%s", r.all);
}

/* =========================================================== tests */

Test(runtime, eight_concurrent_deployers_apply_each_migration_once)
{
    const char *db = "rt_concurrent";
    pgfix_createdb(fx, db);
    char *dir = tmpdir();
    migration(dir, 1, "applied", "CREATE TABLE applied (name text NOT NULL);\n"
                                 "INSERT INTO applied VALUES ('0001');\n",
              "DROP TABLE applied;\n");
    migration(dir, 2, "slow", "CREATE TABLE a (id int);\nSELECT pg_sleep(0.3);\n"
                              "INSERT INTO applied VALUES ('0002');\n",
              "DROP TABLE a;\nDELETE FROM applied WHERE name = '0002';\n");
    migration(dir, 3, "b", "ALTER TABLE a ADD COLUMN b int;\nINSERT INTO applied VALUES ('0003');\n",
              "ALTER TABLE a DROP COLUMN b;\n");
    /* Unit by unit: a concurrent index build. */
    migration(dir, 4, "index", "CREATE INDEX CONCURRENTLY a_b ON a (b);\n"
                               "INSERT INTO applied VALUES ('0004');\n",
              "DROP INDEX a_b;\n");
    migration(dir, 5, "c", "CREATE TABLE c (id int);\nINSERT INTO applied VALUES ('0005');\n",
              "DROP TABLE c;\n");
    sum(dir);
    const char *conninfo = pgfix_conninfo(fx, db);
    proc p[8];
    for (int i = 0; i < 8; i++)
        p[i] = START(dir, NULL, "migrate", "--db", conninfo, "--dir", dir);
    int nothing = 0;
    for (int i = 0; i < 8; i++) {
        result r = finish(p[i]);
        cr_expect_eq(r.rc, 0, "deployer %d exits 0:\n%s", i, r.all);
        nothing += strstr(r.out, "nothing to apply") != NULL;
    }
    cr_expect_geq(nothing, 1, "the later deployers find the work done");
    cr_assert_str_eq(value(db, "SELECT string_agg(name, ',' ORDER BY name) FROM applied"),
                     "0001,0002,0003,0004,0005", "each migration ran exactly once");
    cr_assert_str_eq(value(db, "SELECT string_agg(version || ':' || name, ',' ORDER BY version) "
                               "FROM schemac.migrations"),
                     "1:0001_applied,2:0002_slow,3:0003_b,4:0004_index,5:0005_c");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations_progress"), "0");
    cr_assert_str_eq(value(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'a_b'::regclass"),
                     "t");
    result r = RUN(dir, "status", "--db", conninfo, "--dir", dir, "--format", "json");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    cr_assert(strstr(r.out, "pending") == NULL && strstr(r.out, "false") == NULL, "%s", r.out);
}

/* The test hook of the killed migrations: sleeps for the seconds in the
 * session setting schemac_test.sleep (PGOPTIONS), 0 when unset. */
#define HOOK_SLEEP                                                                          \
    "SELECT pg_sleep(coalesce(nullif(current_setting('schemac_test.sleep', true), ''), '0')" \
    "::float8);\n"

/* The environment of a run the test kills: the hook sleeps 30 s, and the
 * server notices a vanished client within 100 ms. */
static const char *const sleepy_env[] = {
    "PGOPTIONS=-c schemac_test.sleep=30 -c client_connection_check_interval=100", NULL};

Test(runtime, kill_9_mid_transaction_leaves_nothing_and_the_next_run_completes)
{
    const char *db = "rt_kill_tx";
    pgfix_createdb(fx, db);
    const char *conninfo = pgfix_conninfo(fx, db);
    char *dir = tmpdir();
    migration(dir, 1, "base", "CREATE TABLE t (id int PRIMARY KEY, v text);\n"
                              "INSERT INTO t VALUES (1, 'one');\n",
              "DROP TABLE t;\n");
    sum(dir);
    result r = RUN(dir, "migrate", "--db", conninfo, "--dir", dir);
    cr_assert_eq(r.rc, 0, "%s", r.all);
    char *before = dump(db);
    migration(dir, 2, "long", "CREATE TABLE u (id int PRIMARY KEY, t_id int REFERENCES t (id));\n"
                              "ALTER TABLE t ADD COLUMN w bigint NOT NULL DEFAULT 0;\n"
                              "CREATE INDEX t_w ON t (w);\n"
                              "INSERT INTO u VALUES (1, 1);\n" HOOK_SLEEP
                              "ALTER TABLE t RENAME COLUMN v TO label;\n",
              "ALTER TABLE t RENAME COLUMN label TO v;\nDROP TABLE u;\n"
              "ALTER TABLE t DROP COLUMN w;\n");
    sum(dir);
    proc p = START(dir, sleepy_env, "migrate", "--db", conninfo, "--dir", dir);
    cr_assert(wait_for(db, running_sql("pg_sleep", NULL), 20), "the migration reaches its sleep");
    kill9(p);
    cr_assert(wait_for(db, no_schemac_sessions, 20), "the server ends the orphaned session");
    cr_assert_str_eq(dump(db), before, "the schema is as before the migration");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations WHERE version = 2"), "0");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations_progress"), "0");

    r = RUN(dir, "migrate", "--db", conninfo, "--dir", dir);
    cr_assert_eq(r.rc, 0, "the next run completes it:\n%s", r.all);
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations WHERE version = 2"), "1");
    cr_assert_str_eq(value(db, "SELECT string_agg(id || ':' || label || ':' || w, ',') FROM t"),
                     "1:one:0");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM u"), "1");
}

Test(runtime, kill_9_of_a_unit_by_unit_migration_continues_from_its_progress)
{
    const char *db = "rt_kill_units";
    pgfix_createdb(fx, db);
    const char *conninfo = pgfix_conninfo(fx, db);
    char *dir = tmpdir();
    migration(dir, 1, "base", "CREATE SCHEMA app;\n"
                              "CREATE TABLE app.big (id int PRIMARY KEY, v int);\n"
                              "CREATE TABLE app.marks (name text NOT NULL);\n"
                              "INSERT INTO app.big SELECT g, g % 97 FROM generate_series(1, 5000) g;\n",
              "DROP SCHEMA app CASCADE;\n");
    /* Five parts: a transaction, an index build, the hook's sleep, an
     * index build, a transaction.  The names are the search path's: a
     * continued run must set it again. */
    migration(dir, 2, "indexes", "SET search_path = app;\n"
                                 "ALTER TABLE big ADD COLUMN w int;\n"
                                 "UPDATE big SET w = id % 13;\n"
                                 "CREATE INDEX CONCURRENTLY big_v ON big (v);\n" HOOK_SLEEP
                                 "CREATE INDEX CONCURRENTLY big_w ON big (w);\n"
                                 "INSERT INTO marks VALUES ('0002');\n",
              "SET search_path = app;\nDROP INDEX big_w;\nDROP INDEX big_v;\nALTER TABLE big DROP COLUMN w;\n"
              "DELETE FROM marks;\n");
    sum(dir);

    /* 1. Killed in the third part: two are recorded. */
    proc p = START(dir, sleepy_env, "migrate", "--db", conninfo, "--dir", dir);
    cr_assert(wait_for(db, running_sql("pg_sleep", NULL), 20), "the migration reaches its sleep");
    kill9(p);
    cr_assert(wait_for(db, no_schemac_sessions, 20), "the server ends the orphaned session");
    cr_assert_str_eq(value(db, "SELECT units_done FROM schemac.migrations_progress WHERE version = 2"),
                     "2");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations WHERE version = 2"), "0");
    cr_assert_str_eq(value(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'app.big_v'::regclass"),
                     "t");

    /* 2. Killed while the second index build waits for a writer: the
     * build leaves an INVALID index (the orphaned session is ended, as
     * a server restart or a DBA would). */
    PGconn *writer = hold(db);
    exec_on(writer, "BEGIN");
    exec_on(writer, "INSERT INTO app.big VALUES (100000, 1, 1)");
    p = START(dir, NULL, "migrate", "--db", conninfo, "--dir", dir);
    cr_assert(wait_for(db, running_sql("big_w", "Lock"), 20), "the index build waits");
    cr_assert_str_eq(value(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'app.big_w'::regclass"),
                     "f");
    kill9(p);
    exec_db(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                "current_database() AND application_name = 'schemac' AND pid <> pg_backend_pid()");
    cr_assert(wait_for(db, no_schemac_sessions, 20), "the orphaned session ends");
    exec_on(writer, "ROLLBACK");
    cr_assert_str_eq(value(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'app.big_w'::regclass"),
                     "f");
    cr_assert_str_eq(value(db, "SELECT units_done FROM schemac.migrations_progress WHERE version = 2"),
                     "3");

    /* 3. The next run drops the invalid index, builds it and finishes. */
    result r = RUN(dir, "migrate", "--db", conninfo, "--dir", dir);
    cr_assert_eq(r.rc, 0, "%s", r.all);
    cr_assert(strstr(r.out, "continuing an interrupted run after 3 of 5 parts") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "dropping the invalid index big_w") != NULL, "%s", r.out);
    cr_assert_str_eq(value(db, "SELECT bool_and(indisvalid) || ':' || count(*) FROM pg_index WHERE "
                               "indexrelid IN ('app.big_v'::regclass, 'app.big_w'::regclass)"),
                     "true:2");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations WHERE version = 2"), "1");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations_progress"), "0");
    cr_assert_str_eq(value(db, "SELECT string_agg(name, ',') FROM app.marks"), "0002");
}

/* v2 with an index on lots added: built concurrently, unit by unit. */
static const char v3[] = "table funds {\n"
                         "  id   bigint primary key generated always as identity\n"
                         "  name text   not null\n"
                         "}\n"
                         "\n"
                         "table lots {\n"
                         "  id      bigint  primary key generated always as identity\n"
                         "  fund_id bigint  not null references funds (id)\n"
                         "  key     text    unique\n"
                         "  version bigint  not null default 1\n"
                         "  note    text\n"
                         "\n"
                         "  index (fund_id, version)\n"
                         "}\n";

Test(runtime, kill_9_of_a_compiled_concurrent_index_build_is_resumed)
{
    const char *db = "rt_kill_compiled";
    pgfix_createdb(fx, db);
    const char *conninfo = pgfix_conninfo(fx, db);
    char *d = project(v2);
    recompile(d, v3, "index");
    char *up = read_text(path_of(d, "generated/migrations/0002_index.up.sql"));
    cr_assert_not_null(up);
    cr_assert(strstr(up, "CONCURRENTLY") != NULL, "%s", up);
    result r = RUN(d, "migrate", "--db", conninfo, "--dir", "generated/migrations", "--to", "1");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    exec_db(db, "INSERT INTO funds (name) VALUES ('a');"
                "INSERT INTO lots (fund_id, key) SELECT 1, 'k' || g FROM generate_series(1, 1000) g");
    /* A transaction with an old snapshot: the build waits for it to
     * end before it marks the index valid (and the ALTER TABLE before it
     * does not wait). */
    PGconn *writer = hold(db);
    exec_on(writer, "BEGIN ISOLATION LEVEL REPEATABLE READ");
    exec_on(writer, "SELECT count(*) FROM funds");
    proc p = START(d, NULL, "migrate", "--db", conninfo, "--dir", "generated/migrations");
    cr_assert(wait_for(db, running_sql("CONCURRENTLY", "Lock"), 20), "the index build waits:\n%s",
              up);
    kill9(p);
    exec_db(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                "current_database() AND application_name = 'schemac' AND pid <> pg_backend_pid()");
    cr_assert(wait_for(db, no_schemac_sessions, 20), "the orphaned session ends");
    exec_on(writer, "ROLLBACK");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "1",
                     "an invalid index is left");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations"), "1");
    r = RUN(d, "migrate", "--db", conninfo, "--dir", "generated/migrations");
    cr_assert_eq(r.rc, 0, "the next run resumes:\n%s", r.all);
    cr_assert_str_eq(value(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "0");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations"), "2");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations_progress"), "0");
    r = RUN(d, "check", "--db", conninfo);
    cr_assert_eq(r.rc, 0, "%s", r.all);
}

Test(runtime, a_multi_part_migration_that_misses_its_schema_is_rolled_back_with_its_down)
{
    const char *db = "rt_after_hash";
    pgfix_createdb(fx, db);
    const char *conninfo = pgfix_conninfo(fx, db);
    char *d = project(v2);
    recompile(d, v3, "index");
    result r = RUN(d, "migrate", "--db", conninfo, "--dir", "generated/migrations", "--to", "1");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    char *before = dump(db);
    /* A hand edit (re-summed, so it is let through) that leaves the
     * database other than the header says: the after-hash check catches
     * it, and the down file (which knows the extra table) undoes all. */
    char *up = read_text(path_of(d, "generated/migrations/0002_index.up.sql"));
    char *dn = read_text(path_of(d, "generated/migrations/0002_index.down.sql"));
    cr_assert(strstr(up, "CONCURRENTLY") != NULL, "a multi-part file:\n%s", up);
    append_text(d, "generated/migrations/0002_index.up.sql", "\nCREATE TABLE public.stray (a integer);\n");
    char *dn2 = NULL;
    cr_assert_neq(asprintf(&dn2, "DROP TABLE IF EXISTS public.stray;\n%s", dn), -1);
    write_text(d, "generated/migrations/0002_index.down.sql", keep(dn2));
    sum(path_of(d, "generated/migrations"));
    r = RUN(d, "migrate", "--db", conninfo, "--dir", "generated/migrations");
    cr_assert_eq(r.rc, 1, "%s", r.all);
    cr_assert(strstr(r.err, "after it ran") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "rolled back with 0002_index.down.sql: the database is as it was "
                            "before") != NULL,
              "%s", r.err);
    cr_assert_str_eq(dump(db), before, "the down file undid the up file");
    cr_assert_str_eq(value(db, "SELECT string_agg(version::text, ',') FROM schemac.migrations"), "1");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations_progress"), "0");
    /* The real files again: it applies. */
    write_text(d, "generated/migrations/0002_index.up.sql", up);
    write_text(d, "generated/migrations/0002_index.down.sql", dn);
    sum(path_of(d, "generated/migrations"));
    r = RUN(d, "migrate", "--db", conninfo, "--dir", "generated/migrations");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations"), "2");
    /* A multi-part down file (DROP INDEX CONCURRENTLY) rolls back too. */
    char *down_file = read_text(path_of(d, "generated/migrations/0002_index.down.sql"));
    cr_assert(strstr(down_file, "CONCURRENTLY") != NULL, "%s", down_file);
    r = RUN(d, "rollback", "--db", conninfo, "--dir", "generated/migrations");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    cr_assert_str_eq(dump(db), before, "back to the first migration's schema");
    cr_assert_str_eq(value(db, "SELECT string_agg(version::text, ',') FROM schemac.migrations"), "1");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations_progress"), "0");
}

Test(runtime, a_terminated_connection_fails_cleanly_and_changes_nothing)
{
    const char *db = "rt_terminate";
    pgfix_createdb(fx, db);
    const char *conninfo = pgfix_conninfo(fx, db);
    char *dir = tmpdir();
    migration(dir, 1, "base", "CREATE TABLE t (id int PRIMARY KEY);\n", "DROP TABLE t;\n");
    sum(dir);
    result r = RUN(dir, "migrate", "--db", conninfo, "--dir", dir);
    cr_assert_eq(r.rc, 0, "%s", r.all);
    char *before = dump(db);
    migration(dir, 2, "long", "ALTER TABLE t ADD COLUMN c text;\nCREATE TABLE u (id int);\n"
                              "SELECT pg_sleep(30);\n",
              "DROP TABLE u;\nALTER TABLE t DROP COLUMN c;\n");
    sum(dir);
    proc p = START(dir, NULL, "migrate", "--db", conninfo, "--dir", dir);
    cr_assert(wait_for(db, running_sql("pg_sleep", NULL), 20), "the migration reaches its sleep");
    /* A second deployer meanwhile gives up on the lock after its wait. */
    r = RUN(dir, "migrate", "--db", conninfo, "--dir", dir, "--lock-wait", "1");
    cr_assert_eq(r.rc, 1, "%s", r.all);
    cr_assert(strstr(r.err, "another schemac run holds the migration lock") != NULL, "%s", r.err);
    exec_db(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                "current_database() AND application_name = 'schemac' AND pid <> pg_backend_pid()");
    double t0 = now_s();
    r = finish(p);
    cr_assert_lt(now_s() - t0, 10.0, "schemac does not hang");
    cr_assert_neq(r.rc, 0, "%s", r.all);
    cr_assert_eq(lines(r.err), 1, "one line of error:\n%s", r.err);
    cr_assert(strstr(r.err, "0002_long.up.sql") != NULL, "the error names the file:\n%s", r.err);
    cr_assert(strstr(r.err, "terminat") != NULL, "the error says why:\n%s", r.err);
    cr_assert_str_eq(dump(db), before, "nothing half-applied");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations"), "1");
    r = RUN(dir, "migrate", "--db", conninfo, "--dir", dir, "--dry-run");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    cr_assert(strstr(r.out, "0002_long") != NULL, "still pending:\n%s", r.out);
}

Test(runtime, check_finds_tampering_drift_and_unreachable_databases)
{
    const char *db = "rt_check";
    pgfix_createdb(fx, db);
    const char *conninfo = pgfix_conninfo(fx, db);
    char *d = project(v1);
    recompile(d, v2, "widen");
    result r = RUN(d, "migrate", "--db", conninfo, "--dir", "generated/migrations");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    r = RUN(d, "check", "--db", conninfo);
    cr_assert_eq(r.rc, 0, "a clean state:\n%s", r.all);

    const char *up = "generated/migrations/0001_initial.up.sql";
    const char *sumf = "generated/migrations/schemac.sum";
    char *up_text = read_text(path_of(d, up));
    char *sum_text = read_text(path_of(d, sumf));

    /* An applied file edited. */
    append_text(d, up, "-- an edit after the fact\n");
    r = RUN(d, "check", "--db", conninfo);
    cr_expect_eq(r.rc, 1, "an edited applied file:\n%s", r.all);
    cr_expect(strstr(r.all, "0001_initial.up.sql") != NULL, "%s", r.all);
    write_text(d, up, up_text);

    /* The sum edited. */
    char *bad = keep(strdup(sum_text));
    char *h = strstr(bad, "0001_initial.up.sql");
    cr_assert_not_null(h);
    while (h > bad && h[-1] != '\n')
        h--;
    h[0] = h[0] == 'a' ? 'b' : 'a'; /* the file's recorded hash */
    write_text(d, sumf, bad);
    r = RUN(d, "check", "--db", conninfo);
    cr_expect_eq(r.rc, 1, "a tampered schemac.sum:\n%s", r.all);
    cr_expect(strstr(r.all, "schemac.sum") != NULL || strstr(r.all, "0001_initial") != NULL, "%s",
              r.all);
    write_text(d, sumf, sum_text);

    /* An applied migration deleted (the last one: a directory left with
     * no migration at all is not tried here, see the report). */
    const char *up2 = "generated/migrations/0002_widen.up.sql";
    const char *down2 = "generated/migrations/0002_widen.down.sql";
    char *up2_text = read_text(path_of(d, up2)), *down2_text = read_text(path_of(d, down2));
    cr_assert_eq(unlink(path_of(d, up2)), 0);
    cr_assert_eq(unlink(path_of(d, down2)), 0);
    r = RUN(d, "check", "--db", conninfo);
    cr_expect_eq(r.rc, 1, "a deleted applied file:\n%s", r.all);
    cr_expect(strstr(r.all, "0002_widen: applied, but its files are gone") != NULL, "%s", r.all);
    write_text(d, up2, up2_text);
    write_text(d, down2, down2_text);
    r = RUN(d, "check", "--db", conninfo);
    cr_assert_eq(r.rc, 0, "restored:\n%s", r.all);

    /* A change made by hand. */
    exec_db(db, "ALTER TABLE lots ADD COLUMN note text");
    r = RUN(d, "check", "--db", conninfo);
    cr_expect_eq(r.rc, 1, "a manual ALTER TABLE:\n%s", r.all);
    cr_expect(strstr(r.all, "lots") != NULL && strstr(r.all, "note") != NULL, "%s", r.all);
    exec_db(db, "ALTER TABLE lots DROP COLUMN note; ALTER TABLE funds ALTER COLUMN name DROP NOT NULL");
    r = RUN(d, "check", "--db", conninfo, "--format", "json");
    cr_expect_eq(r.rc, 1, "%s", r.all);
    cr_expect(strstr(r.out, "\"drift\"") != NULL && strstr(r.out, "funds") != NULL, "%s", r.out);
    exec_db(db, "ALTER TABLE funds ALTER COLUMN name SET NOT NULL");
    r = RUN(d, "check", "--db", conninfo);
    cr_assert_eq(r.rc, 0, "clean again:\n%s", r.all);

    /* No server there. */
    r = RUN(d, "check", "--db", "host=/nonexistent-schemac-socket port=1 dbname=x connect_timeout=2");
    cr_expect_eq(r.rc, 3, "an unreachable database:\n%s", r.all);
    cr_expect_eq(lines(r.err), 1, "%s", r.err);
}

Test(runtime, a_rollback_stopped_by_its_guard_changes_nothing)
{
    const char *db = "rt_rollback";
    pgfix_createdb(fx, db);
    const char *conninfo = pgfix_conninfo(fx, db);
    char *d = project(v1);
    recompile(d, v2, "widen");
    result r = RUN(d, "migrate", "--db", conninfo, "--dir", "generated/migrations");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    exec_db(db, "INSERT INTO funds (name) VALUES ('a');"
                "INSERT INTO lots (fund_id, key, version) VALUES (1, 'big', 3000000000)");
    char *before = dump(db);
    r = RUN(d, "rollback", "--db", conninfo, "--dir", "generated/migrations");
    cr_assert_eq(r.rc, 1, "%s", r.all);
    cr_assert(strstr(r.all, "pre-flight") != NULL, "%s", r.all);
    cr_assert_eq(lines(r.err), 1, "%s", r.err);
    cr_assert_str_eq(dump(db), before);
    cr_assert_str_eq(value(db, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                               "WHERE attrelid = 'lots'::regclass AND attname = 'version'"),
                     "bigint");
    cr_assert_str_eq(value(db, "SELECT version FROM lots WHERE key = 'big'"), "3000000000");
    cr_assert_str_eq(value(db, "SELECT string_agg(version::text, ',' ORDER BY version) "
                               "FROM schemac.migrations"),
                     "1,2");
    /* With the row fixed the rollback goes through. */
    exec_db(db, "UPDATE lots SET version = 7");
    r = RUN(d, "rollback", "--db", conninfo, "--dir", "generated/migrations");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    cr_assert_str_eq(value(db, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                               "WHERE attrelid = 'lots'::regclass AND attname = 'version'"),
                     "integer");
    cr_assert_str_eq(value(db, "SELECT string_agg(version::text, ',') FROM schemac.migrations"), "1");
}

Test(runtime, drift_before_a_migration_is_refused_with_a_report)
{
    const char *db = "rt_drift_before";
    pgfix_createdb(fx, db);
    const char *conninfo = pgfix_conninfo(fx, db);
    char *d = project(v1);
    recompile(d, v2, "widen");
    result r = RUN(d, "migrate", "--db", conninfo, "--dir", "generated/migrations", "--to", "1");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    /* A hand change between deploys: the next migration must not run on it. */
    exec_db(db, "ALTER TABLE funds ADD COLUMN region text");
    char *before = dump(db);
    r = RUN(d, "migrate", "--db", conninfo, "--dir", "generated/migrations");
    cr_assert_eq(r.rc, 1, "%s", r.all);
    cr_assert(strstr(r.err, "before it ran") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "column funds.region: in the database, not in the schema") != NULL,
              "the report names the object:\n%s", r.err);
    cr_assert_str_eq(dump(db), before, "nothing ran");
    cr_assert_str_eq(value(db, "SELECT string_agg(version::text, ',') FROM schemac.migrations"), "1");
    /* Put back, the migration runs. */
    exec_db(db, "ALTER TABLE funds DROP COLUMN region");
    r = RUN(d, "migrate", "--db", conninfo, "--dir", "generated/migrations");
    cr_assert_eq(r.rc, 0, "%s", r.all);
}

Test(runtime, edited_applied_files_are_refused_and_reported)
{
    const char *db = "rt_edited";
    pgfix_createdb(fx, db);
    const char *conninfo = pgfix_conninfo(fx, db);
    char *dir = tmpdir();
    migration(dir, 1, "base", "CREATE TABLE t (id int);\n", "DROP TABLE t;\n");
    migration(dir, 2, "more", "CREATE TABLE u (id int);\n", "DROP TABLE u;\n");
    sum(dir);
    result r = RUN(dir, "migrate", "--db", conninfo, "--dir", dir);
    cr_assert_eq(r.rc, 0, "%s", r.all);
    migration(dir, 3, "next", "CREATE TABLE v (id int);\n", "DROP TABLE v;\n");
    append_text(dir, "0001_base.up.sql", "CREATE TABLE sneaky (id int);\n");
    /* Without a new sum: the directory itself is refused. */
    r = RUN(dir, "migrate", "--db", conninfo, "--dir", dir);
    cr_assert_neq(r.rc, 0, "%s", r.all);
    cr_assert(strstr(r.err, "0001_base.up.sql") != NULL || strstr(r.err, "0003_next") != NULL, "%s",
              r.err);
    /* Summed again, as someone covering the edit would: the ledger's
     * checksum still refuses it. */
    sum(dir);
    r = RUN(dir, "migrate", "--db", conninfo, "--dir", dir);
    cr_assert_eq(r.rc, 1, "%s", r.all);
    cr_assert(strstr(r.err, "0001_base.up.sql was edited") != NULL, "%s", r.err);
    cr_assert_str_eq(value(db, "SELECT to_regclass('v') IS NULL AND to_regclass('sneaky') IS NULL"),
                     "t", "nothing applied");
    r = RUN(dir, "status", "--db", conninfo, "--dir", dir, "--format", "json");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    cr_assert(strstr(r.out, "\"name\": \"0001_base\", \"state\": \"applied\"") != NULL, "%s", r.out);
    const char *one = strstr(r.out, "\"0001_base\"");
    const char *two = strstr(r.out, "\"0002_more\"");
    cr_assert(one != NULL && two != NULL);
    const char *bad = strstr(one, "\"checksum_ok\": false");
    cr_assert(bad != NULL && bad < two, "checksum_ok false for 0001:\n%s", r.out);
    cr_assert(strstr(two, "\"checksum_ok\": true") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "\"name\": \"0003_next\", \"state\": \"pending\"") != NULL, "%s", r.out);
}

Test(runtime, dry_run_lists_pending_migrations_and_changes_nothing)
{
    const char *db = "rt_dry";
    pgfix_createdb(fx, db);
    const char *conninfo = pgfix_conninfo(fx, db);
    char *dir = tmpdir();
    migration(dir, 1, "base", "CREATE TABLE t (id int);\n", "DROP TABLE t;\n");
    migration(dir, 2, "more", "CREATE TABLE u (id int);\n", "DROP TABLE u;\n");
    sum(dir);
    char *before = dump(db);
    result r = RUN(dir, "migrate", "--db", conninfo, "--dir", dir, "--dry-run");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    cr_assert(strstr(r.out, "would apply 2 migrations") != NULL, "%s", r.out);
    const char *a = strstr(r.out, "0001_base"), *b = strstr(r.out, "0002_more");
    cr_assert(a != NULL && b != NULL && a < b, "in order:\n%s", r.out);
    cr_assert_str_eq(dump(db), before, "no ledger, no table");
    r = RUN(dir, "migrate", "--db", conninfo, "--dir", dir, "--to", "1");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    before = dump(db);
    r = RUN(dir, "migrate", "--db", conninfo, "--dir", dir, "--dry-run");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    cr_assert(strstr(r.out, "would apply 1 migration") != NULL && strstr(r.out, "0001_base") == NULL &&
                  strstr(r.out, "0002_more") != NULL,
              "%s", r.out);
    cr_assert_str_eq(dump(db), before);
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations"), "1");
}

/* Applies every up file of a compiled project to `db`, by hand. */
static void apply_ups(const char *d, const char *db)
{
    PGconn *c = connect_db(db);
    sc_buf err = SC_BUF_INIT;
    for (int n = 1;; n++) {
        char name[128];
        snprintf(name, sizeof name, "generated/migrations/%04d_%s.up.sql", n,
                 n == 1 ? "initial" : "widen");
        char *text = read_text(path_of(d, name));
        if (text == NULL)
            break;
        cr_assert_eq(sc_script_exec(c, text, strlen(text), &err), 0, "%s: %s", name,
                     sc_buf_str(&err));
    }
    PQfinish(c);
    sc_buf_free(&err);
}

Test(runtime, baseline_records_a_matching_schema_and_refuses_another)
{
    char *d = project(v1);
    recompile(d, v2, "widen");
    const char *db = "rt_baseline", *other = "rt_baseline_other";
    pgfix_createdb(fx, db);
    pgfix_createdb(fx, other);
    apply_ups(d, db);
    apply_ups(d, other);
    exec_db(other, "ALTER TABLE funds ADD COLUMN extra int");

    result r = RUN(d, "baseline", "--version", "2", "--db", pgfix_conninfo(fx, other), "--dir",
                   "generated/migrations");
    cr_assert_eq(r.rc, 1, "a different schema is refused:\n%s", r.all);
    cr_assert(strstr(r.err, "refused") != NULL, "%s", r.err);
    cr_assert_str_eq(value(other, "SELECT count(*) FROM schemac.migrations"), "0");

    r = RUN(d, "baseline", "--version", "1", "--db", pgfix_conninfo(fx, db), "--dir",
            "generated/migrations");
    cr_assert_eq(r.rc, 1, "the schema is at version 2, not 1:\n%s", r.all);

    r = RUN(d, "baseline", "--version", "2", "--db", pgfix_conninfo(fx, db), "--dir",
            "generated/migrations");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    cr_assert_str_eq(value(db, "SELECT string_agg(version || ':' || name, ',' ORDER BY version) "
                               "FROM schemac.migrations"),
                     "1:0001_initial,2:0002_widen");
    r = RUN(d, "migrate", "--db", pgfix_conninfo(fx, db), "--dir", "generated/migrations");
    cr_assert_eq(r.rc, 0, "%s", r.all);
    cr_assert(strstr(r.out, "nothing to apply") != NULL, "%s", r.out);
    r = RUN(d, "check", "--db", pgfix_conninfo(fx, db));
    cr_assert_eq(r.rc, 0, "%s", r.all);
    r = RUN(d, "baseline", "--version", "2", "--db", pgfix_conninfo(fx, db), "--dir",
            "generated/migrations");
    cr_assert_eq(r.rc, 1, "a second baseline is refused:\n%s", r.all);
}

Test(runtime, a_lock_timeout_is_retried_until_the_lock_is_free)
{
    const char *db = "rt_locks";
    pgfix_createdb(fx, db);
    const char *conninfo = pgfix_conninfo(fx, db);
    char *dir = tmpdir();
    migration(dir, 1, "base", "CREATE TABLE t (id int);\n", "DROP TABLE t;\n");
    sum(dir);
    result r = RUN(dir, "migrate", "--db", conninfo, "--dir", dir);
    cr_assert_eq(r.rc, 0, "%s", r.all);
    migration(dir, 2, "alter", "SET lock_timeout = '100ms';\nALTER TABLE t ADD COLUMN c int;\n",
              "ALTER TABLE t DROP COLUMN c;\n");
    sum(dir);
    PGconn *holder = hold(db);
    exec_on(holder, "BEGIN");
    exec_on(holder, "LOCK TABLE t IN ACCESS SHARE MODE");
    double t0 = now_s();
    proc p = START(dir, NULL, "migrate", "--db", conninfo, "--dir", dir);
    sleep_ms(500);
    exec_on(holder, "COMMIT");
    r = finish(p);
    cr_assert_eq(r.rc, 0, "%s", r.all);
    cr_assert(strstr(r.out, "could not take a lock in time; retry 1 of") != NULL, "%s", r.out);
    cr_assert_lt(now_s() - t0, 10.0);
    cr_assert_str_eq(value(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass "
                               "AND attname = 'c'"),
                     "1");
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations"), "2");

    /* Held for longer than every retry: refused, nothing applied. */
    migration(dir, 3, "alter_again", "SET lock_timeout = '100ms';\nALTER TABLE t ADD COLUMN d int;\n",
              "ALTER TABLE t DROP COLUMN d;\n");
    sum(dir);
    exec_on(holder, "BEGIN");
    exec_on(holder, "LOCK TABLE t IN ACCESS SHARE MODE");
    r = RUN(dir, "migrate", "--db", conninfo, "--dir", dir);
    exec_on(holder, "COMMIT");
    cr_assert_eq(r.rc, 1, "%s", r.all);
    cr_assert(strstr(r.out, "retry 4 of 4") != NULL, "%s", r.out);
    cr_assert(strstr(r.err, "lock") != NULL && lines(r.err) == 1, "%s", r.err);
    cr_assert_str_eq(value(db, "SELECT count(*) FROM schemac.migrations"), "2");
}

PGSHARED_MAIN
