/*
 * Tests of pgfix, the throwaway PostgreSQL server (pgfix.h): that the
 * server it starts is real, private and configured as promised, that
 * databases can be made and used through conninfo, URL and psql, that two
 * fixtures run side by side, and that stopping it (or dying without
 * stopping it) leaves no server and no files behind.
 *
 * Suite "pg" starts one fixture per test (Criterion forks a worker per
 * test and runs .init/.fini inside it); the other suites manage their own.
 */
#define _GNU_SOURCE

#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "pgfix.h"

static pgfix *fx;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void setup(void)
{
    double t0 = now_s();
    fx = pgfix_start();
    fprintf(stderr, "pgfix_start: %.2f s\n", now_s() - t0);
}

static void teardown(void)
{
    double t0 = now_s();
    pgfix_stop(fx);
    fx = NULL;
    fprintf(stderr, "pgfix_stop: %.2f s\n", now_s() - t0);
}

/* Runs a one-value query on `conninfo`; the value (or "<null>") goes to
 * `out`.  Returns 0, or -1 after printing the error. */
static int query1(const char *conninfo, const char *sql, char *out, size_t n)
{
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "connect %s: %s", conninfo, PQerrorMessage(c));
        PQfinish(c);
        return -1;
    }
    PGresult *r = PQexec(c, sql);
    int rc = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQnfields(r) >= 1) {
        snprintf(out, n, "%s", PQgetisnull(r, 0, 0) ? "<null>" : PQgetvalue(r, 0, 0));
        rc = 0;
    } else {
        fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(r));
    }
    PQclear(r);
    PQfinish(c);
    return rc;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

TestSuite(pg, .init = setup, .fini = teardown, .timeout = 90);

Test(pg, server_is_real_and_configured)
{
    cr_assert_not_null(fx, "pgfix_start failed (see stderr)");
    const char *ci = pgfix_conninfo(fx, "postgres");
    cr_assert_not_null(ci);
    char want[512];
    snprintf(want, sizeof want, "host=%s port=%d user=postgres dbname=postgres", pgfix_host(fx), pgfix_port(fx));
    cr_assert_str_eq(ci, want);

    char v[256];
    cr_assert_eq(query1(ci, "select current_setting('server_version_num')::int >= 130000", v, sizeof v), 0);
    cr_assert_str_eq(v, "t");
    cr_assert_eq(query1(ci, "select current_user", v, sizeof v), 0);
    cr_assert_str_eq(v, "postgres");
    cr_assert_str_eq(pgfix_user(fx), "postgres");

    static const char *const settings[][2] = {
        {"fsync", "off"},          {"full_page_writes", "off"}, {"synchronous_commit", "off"},
        {"listen_addresses", ""},  {"server_encoding", "UTF8"},
    };
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "select current_setting('%s')", settings[i][0]);
        cr_assert_eq(query1(ci, sql, v, sizeof v), 0);
        cr_assert_str_eq(v, settings[i][1], "%s = '%s'", settings[i][0], v);
    }
    cr_assert_eq(query1(ci, "select datcollate from pg_database where datname = 'postgres'", v, sizeof v), 0);
    cr_assert(strcmp(v, "C.UTF-8") == 0 || strcmp(v, "C") == 0, "collation %s", v);

    /* It is the server we think: our port, our socket directory, a unix
     * socket connection (no TCP address). */
    cr_assert_eq(query1(ci, "select current_setting('port')", v, sizeof v), 0);
    cr_assert_eq(atoi(v), pgfix_port(fx));
    cr_assert_eq(query1(ci, "select current_setting('unix_socket_directories')", v, sizeof v), 0);
    cr_assert_str_eq(v, pgfix_host(fx));
    cr_assert_eq(query1(ci, "select inet_server_addr()", v, sizeof v), 0);
    cr_assert_str_eq(v, "<null>");
    cr_assert_eq(query1(ci, "select pg_backend_pid() <> 0 and pg_postmaster_start_time() <= now()", v, sizeof v), 0);
    cr_assert_str_eq(v, "t");

    /* The socket path fits in sockaddr_un, and the data dir is a cluster
     * owned by the postmaster we were told about. */
    char sock[512];
    snprintf(sock, sizeof sock, "%s/.s.PGSQL.%d", pgfix_host(fx), pgfix_port(fx));
    cr_assert_lt(strlen(sock), 108);
    struct stat st;
    cr_assert_eq(stat(sock, &st), 0, "no socket %s", sock);
    cr_assert(S_ISSOCK(st.st_mode));
    char pv[512];
    snprintf(pv, sizeof pv, "%s/PG_VERSION", pgfix_datadir(fx));
    cr_assert(exists(pv));
    cr_assert_gt(pgfix_server_pid(fx), 1);
    cr_assert_not(pgfix_process_gone(pgfix_server_pid(fx)));
    if (geteuid() == 0) {
        snprintf(pv, sizeof pv, "%s", pgfix_datadir(fx));
        cr_assert_eq(stat(pv, &st), 0);
        cr_assert_neq(st.st_uid, 0, "running as root, the cluster must belong to another user");
    }
}

Test(pg, createdb_table_roundtrip)
{
    cr_assert_not_null(fx);
    const char *ci = pgfix_createdb(fx, "app");
    cr_assert_not_null(ci);
    cr_assert_str_eq(ci, pgfix_conninfo(fx, "app"));
    cr_assert_eq(pgfix_exec(fx, "app",
                            "create table t (id int primary key, name text not null);"
                            "insert into t values (1, 'one'), (2, 'two ünïcode');"),
                 0);

    char v[256];
    cr_assert_eq(query1(ci, "select name from t where id = 2", v, sizeof v), 0);
    cr_assert_str_eq(v, "two ünïcode");
    cr_assert_eq(query1(ci, "select current_database()", v, sizeof v), 0);
    cr_assert_str_eq(v, "app");
    cr_assert_eq(query1(ci, "select pg_encoding_to_char(encoding) from pg_database where datname = 'app'", v,
                        sizeof v),
                 0);
    cr_assert_str_eq(v, "UTF8");

    /* The table lives in "app" only. */
    cr_assert_eq(query1(pgfix_conninfo(fx, "postgres"), "select to_regclass('public.t') is null", v, sizeof v), 0);
    cr_assert_str_eq(v, "t");

    /* Errors are reported, not swallowed. */
    cr_assert_null(pgfix_createdb(fx, "app"), "creating an existing database must fail");
    cr_assert_eq(pgfix_exec(fx, "app", "insert into t values (1, 'dup')"), -1);
    cr_assert_eq(pgfix_exec(fx, "app", "select nonsense from"), -1);
    cr_assert_eq(pgfix_exec(fx, "no_such_db", "select 1"), -1);
    cr_assert_eq(query1(ci, "select count(*) from t", v, sizeof v), 0);
    cr_assert_str_eq(v, "2");
}

Test(pg, odd_names_and_url)
{
    cr_assert_not_null(fx);
    const char *name = "we\"ird db's/name";
    const char *ci = pgfix_createdb(fx, name);
    cr_assert_not_null(ci);
    char v[256];
    cr_assert_eq(query1(ci, "select current_database()", v, sizeof v), 0);
    cr_assert_str_eq(v, name);

    const char *url = pgfix_url(fx, name);
    cr_assert_not_null(url);
    cr_assert(strncmp(url, "postgresql:///", 14) == 0, "%s", url);
    cr_assert_eq(query1(url, "select current_database()", v, sizeof v), 0);
    cr_assert_str_eq(v, name);

    char want[512];
    snprintf(want, sizeof want, "postgresql:///postgres?host=%s&port=%d&user=postgres", pgfix_host(fx),
             pgfix_port(fx));
    cr_assert_str_eq(pgfix_url(fx, "postgres"), want);
    cr_assert_eq(query1(want, "select current_user || '@' || current_database()", v, sizeof v), 0);
    cr_assert_str_eq(v, "postgres@postgres");
}

Test(pg, psql_and_pg_dump_from_bindir)
{
    cr_assert_not_null(fx);
    cr_assert_eq(pgfix_exec(fx, "postgres", "create table dumped (x int); insert into dumped values (42)"), 0);
    char cmd[2048], out[256] = "";
    snprintf(cmd, sizeof cmd, "'%s/psql' -X -At -h '%s' -p %d -U '%s' -d postgres -c 'select x + 1 from dumped'",
             pgfix_bindir(fx), pgfix_host(fx), pgfix_port(fx), pgfix_user(fx));
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    cr_assert_eq(pclose(p), 0, "%s", cmd);
    cr_assert_str_eq(out, "43\n");

    snprintf(cmd, sizeof cmd, "'%s/pg_dump' -s -h '%s' -p %d -U '%s' postgres", pgfix_bindir(fx), pgfix_host(fx),
             pgfix_port(fx), pgfix_user(fx));
    p = popen(cmd, "r");
    cr_assert_not_null(p);
    int found = 0;
    char line[1024];
    while (fgets(line, sizeof line, p) != NULL)
        if (strstr(line, "CREATE TABLE public.dumped") != NULL)
            found = 1;
    cr_assert_eq(pclose(p), 0, "%s", cmd);
    cr_assert(found, "pg_dump output lacks the table");
}

Test(pg, two_fixtures_at_once)
{
    cr_assert_not_null(fx);
    pgfix *g = pgfix_start();
    cr_assert_not_null(g);
    cr_assert_neq(pgfix_port(fx), pgfix_port(g), "ports must differ (both %d)", pgfix_port(g));
    cr_assert_str_neq(pgfix_host(fx), pgfix_host(g));
    cr_assert_str_neq(pgfix_datadir(fx), pgfix_datadir(g));
    cr_assert_neq(pgfix_server_pid(fx), pgfix_server_pid(g));

    cr_assert_eq(pgfix_exec(fx, "postgres", "create table only_in_first (x int)"), 0);
    char v[64];
    cr_assert_eq(query1(pgfix_conninfo(g, "postgres"), "select to_regclass('only_in_first') is null", v, sizeof v),
                 0);
    cr_assert_str_eq(v, "t");
    cr_assert_eq(query1(pgfix_conninfo(fx, "postgres"), "select to_regclass('only_in_first') is null", v, sizeof v),
                 0);
    cr_assert_str_eq(v, "f");
    cr_assert_eq(query1(pgfix_conninfo(g, "postgres"), "select current_setting('port')", v, sizeof v), 0);
    cr_assert_eq(atoi(v), pgfix_port(g));
    pgfix_stop(g);

    /* Stopping one leaves the other running. */
    cr_assert_eq(query1(pgfix_conninfo(fx, "postgres"), "select 1", v, sizeof v), 0);
    cr_assert_str_eq(v, "1");
}

TestSuite(lifecycle, .timeout = 90);

Test(lifecycle, stop_removes_everything)
{
    pgfix *g = pgfix_start();
    cr_assert_not_null(g);
    char datadir[512], host[512], ci[1024], base[512];
    snprintf(datadir, sizeof datadir, "%s", pgfix_datadir(g));
    snprintf(host, sizeof host, "%s", pgfix_host(g));
    snprintf(ci, sizeof ci, "%s connect_timeout=5", pgfix_conninfo(g, "postgres"));
    snprintf(base, sizeof base, "%s", datadir);
    *strrchr(base, '/') = '\0';
    pid_t pid = pgfix_server_pid(g);
    cr_assert(exists(datadir));
    cr_assert(exists(host));

    PGconn *c = PQconnectdb(ci);
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
    PQfinish(c);

    double t0 = now_s();
    pgfix_stop(g);
    fprintf(stderr, "pgfix_stop: %.2f s\n", now_s() - t0);

    cr_assert_not(exists(datadir), "%s still exists", datadir);
    cr_assert_not(exists(base), "%s still exists", base);
    cr_assert_not(exists(host), "%s still exists", host);
    cr_assert(pgfix_process_gone(pid), "postmaster %d still runs", (int)pid);
    c = PQconnectdb(ci);
    cr_assert_eq(PQstatus(c), CONNECTION_BAD, "connecting after stop must fail");
    PQfinish(c);

    pgfix_stop(NULL);
}

/* A process that dies without pgfix_stop leaves nothing behind: the
 * watchdog stops its server and removes its files. */
Test(lifecycle, watchdog_cleans_up_after_crash)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0) {
        close(fds[0]);
        pgfix *g = pgfix_start();
        char msg[600] = "";
        if (g != NULL)
            snprintf(msg, sizeof msg, "%d %s\n", pgfix_server_pid(g), pgfix_datadir(g));
        if (write(fds[1], msg, strlen(msg)) < 0)
            _exit(2);
        raise(SIGKILL); /* "crash" without stopping the server */
        _exit(3);
    }
    close(fds[1]);
    char msg[600];
    ssize_t n = read(fds[0], msg, sizeof msg - 1);
    close(fds[0]);
    int st;
    waitpid(child, &st, 0);
    cr_assert(WIFSIGNALED(st));
    cr_assert_gt(n, 0, "child could not start a fixture");
    msg[n] = '\0';
    int pid = 0;
    char datadir[600];
    cr_assert_eq(sscanf(msg, "%d %599s", &pid, datadir), 2);
    cr_assert_gt(pid, 1);

    double end = now_s() + 30;
    while ((exists(datadir) || !pgfix_process_gone(pid)) && now_s() < end)
        usleep(20000);
    cr_assert(pgfix_process_gone(pid), "orphaned postmaster %d still runs", pid);
    cr_assert_not(exists(datadir), "orphaned %s still exists", datadir);
}

Test(lifecycle, missing_binaries_fail_cleanly)
{
    cr_assert_eq(setenv("SCHEMAC_PG_BINDIR", "/nonexistent/pg/bin", 1), 0);
    cr_assert_null(pgfix_start());
}
