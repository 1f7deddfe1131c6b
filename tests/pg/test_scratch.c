/*
 * The private development server (compiler/scratch.c) on real PostgreSQL
 * binaries: created and started on first use, reused while it runs,
 * stopped and started again, repaired when its socket directory or pid
 * file went stale or its data directory is of another version, shared by
 * processes that start it at the same moment, and a clear error when
 * there are no binaries.
 *
 * Each test gets its own cache directory ($SCHEMAC_CACHE_DIR, a fresh
 * directory under /tmp, mode 711 so that the server's user can reach it
 * when the test runs as root); .fini stops the server and removes it.
 */
#define _GNU_SOURCE

#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "scratch.h"

static char cache_dir[PATH_MAX];

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    remove(path);
    return 0;
}

static void setup_cache(void)
{
    strcpy(cache_dir, "/tmp/schemac-scratch-test.XXXXXX");
    cr_assert_not_null(mkdtemp(cache_dir));
    cr_assert_eq(chmod(cache_dir, 0711), 0);
    setenv("SCHEMAC_CACHE_DIR", cache_dir, 1);
}

static void teardown_cache(void)
{
    sc_buf err = SC_BUF_INIT;
    unsetenv("SCHEMAC_PG_BINDIR");
    if (sc_scratch_stop(&err) != 0)
        fprintf(stderr, "test_scratch: stop: %s\n", sc_buf_str(&err));
    sc_buf_free(&err);
    nftw(cache_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(scratch, .init = setup_cache, .fini = teardown_cache, .timeout = 180);

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* sc_scratch_server() that must succeed. */
static char *server(void)
{
    sc_buf err = SC_BUF_INIT;
    char *ci = sc_scratch_server(&err);
    cr_assert_not_null(ci, "sc_scratch_server: %s", sc_buf_str(&err));
    cr_assert_eq(err.len, 0, "no message on success: %s", sc_buf_str(&err));
    sc_buf_free(&err);
    return ci;
}

/* The first value of `sql` on `ci`, malloc'd; NULL when it cannot connect. */
static char *query1(const char *ci, const char *sql)
{
    PGconn *c = PQconnectdb(ci);
    if (PQstatus(c) != CONNECTION_OK) {
        PQfinish(c);
        return NULL;
    }
    PGresult *r = PQexec(c, sql);
    char *v = NULL;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
        v = strdup(PQgetvalue(r, 0, 0));
    else
        fprintf(stderr, "test_scratch: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return v;
}

static void expect(const char *ci, const char *sql, const char *want)
{
    char *v = query1(ci, sql);
    cr_assert_not_null(v, "%s on %s", sql, ci);
    cr_expect_str_eq(v, want, "%s", sql);
    free(v);
}

/* The cluster directory, malloc'd. */
static char *cluster_dir(void)
{
    sc_buf err = SC_BUF_INIT;
    char *d = sc_scratch_dir(&err);
    cr_assert_not_null(d, "sc_scratch_dir: %s", sc_buf_str(&err));
    sc_buf_free(&err);
    return d;
}

/* The pid in data/postmaster.pid, or 0. */
static long postmaster_pid(void)
{
    char *d = cluster_dir();
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/data/postmaster.pid", d);
    free(d);
    FILE *fp = fopen(p, "r");
    long pid = 0;
    if (fp != NULL) {
        if (fscanf(fp, "%ld", &pid) != 1)
            pid = 0;
        fclose(fp);
    }
    return pid;
}

/* Whether `pid` no longer runs: gone, or a zombie nobody reaped yet. */
static int gone(long pid)
{
    if (kill((pid_t)pid, 0) != 0)
        return 1;
    char p[64], buf[256];
    snprintf(p, sizeof p, "/proc/%ld/stat", pid);
    FILE *fp = fopen(p, "r");
    if (fp == NULL)
        return 1;
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    const char *rp = strrchr(buf, ')');
    return rp != NULL && rp[1] == ' ' && (rp[2] == 'Z' || rp[2] == 'X');
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char p[2 * PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *fp = fopen(p, "w");
    cr_assert_not_null(fp, "open %s: %s", p, strerror(errno));
    fputs(text, fp);
    fclose(fp);
}

Test(scratch, starts_then_reuses)
{
    double t0 = now_ms();
    char *ci = server();
    double cold = now_ms() - t0;

    char *dir = cluster_dir();
    cr_expect_eq(strncmp(dir, cache_dir, strlen(cache_dir)), 0, "cluster %s is under %s", dir, cache_dir);
    cr_expect_not_null(strstr(ci, "user=schemac"), "%s", ci);
    cr_expect_eq(access(dir, F_OK), 0);

    expect(ci, "SELECT 1", "1");
    expect(ci, "SELECT current_user", "schemac");
    expect(ci, "SHOW fsync", "off");
    expect(ci, "SHOW synchronous_commit", "off");
    expect(ci, "SHOW full_page_writes", "off");
    expect(ci, "SHOW max_locks_per_transaction", "4096");
    expect(ci, "SHOW listen_addresses", "");
    expect(ci, "SHOW max_connections", "20");
    /* Nothing is created beyond what initdb makes. */
    expect(ci, "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database",
           "postgres,template0,template1");
    char *started = query1(ci, "SELECT pg_postmaster_start_time()::text");
    cr_assert_not_null(started);
    long pid = postmaster_pid();
    cr_assert_gt(pid, 0);

    /* Reuse: the same server, found by one connection. */
    double best = 1e9, total = 0;
    for (int i = 0; i < 10; i++) {
        double t = now_ms();
        char *again = server();
        double took = now_ms() - t;
        total += took;
        if (took < best)
            best = took;
        cr_expect_str_eq(again, ci);
        free(again);
    }
    expect(ci, "SELECT pg_postmaster_start_time()::text", started);
    cr_expect_eq(postmaster_pid(), pid);
    cr_expect(!gone(pid), "postmaster %ld still runs", pid);
    fprintf(stderr, "test_scratch: cold start (initdb + start) %.0f ms; reuse %.1f ms best, %.1f ms mean\n",
            cold, best, total / 10);
    cr_expect_lt(best, 1000.0, "reusing the server takes one connection, not %.0f ms", best);

    free(started);
    free(dir);
    free(ci);
}

Test(scratch, stop_then_start_again)
{
    char *ci = server();
    char *started = query1(ci, "SELECT pg_postmaster_start_time()::text");
    cr_assert_not_null(started);

    sc_buf err = SC_BUF_INIT;
    cr_assert_eq(sc_scratch_stop(&err), 0, "stop: %s", sc_buf_str(&err));
    cr_expect_eq(PQping(ci), PQPING_NO_RESPONSE);
    cr_expect_null(query1(ci, "SELECT 1"), "no connection after stop");
    cr_expect_eq(postmaster_pid(), 0, "no postmaster.pid after stop");
    cr_assert_eq(sc_scratch_stop(&err), 0, "stopping a stopped server: %s", sc_buf_str(&err));
    sc_buf_free(&err);

    double t0 = now_ms();
    char *again = server();
    double warm = now_ms() - t0;
    cr_expect_str_eq(again, ci);
    expect(again, "SELECT 1", "1");
    char *restarted = query1(again, "SELECT pg_postmaster_start_time()::text");
    cr_assert_not_null(restarted);
    cr_expect_str_neq(restarted, started, "a new postmaster");
    fprintf(stderr, "test_scratch: start of an existing cluster %.0f ms\n", warm);

    free(restarted);
    free(again);
    free(started);
    free(ci);
}

Test(scratch, no_binaries_is_a_clear_error)
{
    char empty[] = "/tmp/schemac-no-bin.XXXXXX";
    cr_assert_not_null(mkdtemp(empty));
    setenv("SCHEMAC_PG_BINDIR", empty, 1);

    sc_buf err = SC_BUF_INIT;
    char *ci = sc_scratch_server(&err);
    cr_expect_null(ci);
    cr_expect_not_null(strstr(sc_buf_str(&err), "PostgreSQL server binaries not found"), "%s",
                       sc_buf_str(&err));
    cr_expect_not_null(strstr(sc_buf_str(&err), empty), "names the directory: %s", sc_buf_str(&err));
    cr_expect_not_null(strstr(sc_buf_str(&err), "--dev-url"), "%s", sc_buf_str(&err));
    cr_expect_null(strchr(sc_buf_str(&err), '\n'), "one line: %s", sc_buf_str(&err));
    sc_buf_reset(&err);
    cr_expect_eq(sc_scratch_stop(&err), -1);
    cr_expect_not_null(strstr(sc_buf_str(&err), "PostgreSQL server binaries not found"));
    sc_buf_reset(&err);
    cr_expect_null(sc_scratch_dir(&err));
    sc_buf_free(&err);
    free(ci);

    /* Nothing was created. */
    char p[PATH_MAX + 16];
    snprintf(p, sizeof p, "%s/pg15", cache_dir);
    cr_expect_neq(access(p, F_OK), 0);
    rmdir(empty);
    unsetenv("SCHEMAC_PG_BINDIR");
}

/* Several processes started together each get the one server. */
Test(scratch, concurrent_starts_share_one_server)
{
    enum { N = 4 };
    int go[2], out[2];
    cr_assert_eq(pipe(go), 0);
    cr_assert_eq(pipe(out), 0);
    pid_t kids[N];
    fflush(NULL);
    for (int i = 0; i < N; i++) {
        kids[i] = fork();
        cr_assert_geq(kids[i], 0);
        if (kids[i] == 0) {
            close(go[1]);
            close(out[0]);
            char c;
            while (read(go[0], &c, 1) > 0) /* wait for the parent's go (EOF) */
                ;
            sc_buf err = SC_BUF_INIT;
            char *ci = sc_scratch_server(&err);
            char line[256];
            if (ci == NULL) {
                snprintf(line, sizeof line, "ERROR %.200s\n", sc_buf_str(&err));
            } else {
                char *v = query1(ci, "SELECT pg_postmaster_start_time()::text");
                snprintf(line, sizeof line, "%s\n", v != NULL ? v : "ERROR cannot connect");
                free(v);
            }
            if (write(out[1], line, strlen(line)) < 0)
                _exit(2);
            _exit(ci != NULL ? 0 : 1);
        }
    }
    close(go[0]);
    close(out[1]);
    close(go[1]); /* go */
    for (int i = 0; i < N; i++) {
        int st = 0;
        cr_assert_eq(waitpid(kids[i], &st, 0), kids[i]);
        cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %d: status %d", i, st);
    }
    char buf[4096];
    size_t len = 0;
    ssize_t r;
    while (len + 1 < sizeof buf && (r = read(out[0], buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)r;
    buf[len] = '\0';
    close(out[0]);
    cr_assert_null(strstr(buf, "ERROR"), "%s", buf);
    /* N identical lines: one postmaster. */
    char *first = strtok(buf, "\n");
    cr_assert_not_null(first);
    int n = 1;
    for (char *l = strtok(NULL, "\n"); l != NULL; l = strtok(NULL, "\n"), n++)
        cr_expect_str_eq(l, first, "one server for everyone");
    cr_expect_eq(n, N);
}

/* A data directory of another major version is disposable: re-created. */
Test(scratch, other_version_is_recreated)
{
    char *ci = server();
    char *version = query1(ci, "SELECT current_setting('server_version_num')::int / 10000");
    cr_assert_not_null(version);
    sc_buf err = SC_BUF_INIT;
    cr_assert_eq(sc_scratch_stop(&err), 0, "stop: %s", sc_buf_str(&err));
    sc_buf_free(&err);

    char *dir = cluster_dir();
    char data[PATH_MAX], marker[PATH_MAX + 16];
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(marker, sizeof marker, "%s/old-cluster", data);
    write_file(data, "PG_VERSION", "9.6\n");
    write_file(data, "old-cluster", "x\n");

    char *again = server();
    expect(again, "SELECT 1", "1");
    cr_expect_neq(access(marker, F_OK), 0, "the old cluster is gone");
    char p[PATH_MAX + 16], got[32] = "";
    snprintf(p, sizeof p, "%s/PG_VERSION", data);
    FILE *fp = fopen(p, "r");
    cr_assert_not_null(fp);
    cr_assert_not_null(fgets(got, sizeof got, fp));
    fclose(fp);
    got[strcspn(got, "\n")] = '\0';
    cr_expect_str_eq(got, version);

    free(again);
    free(dir);
    free(version);
    free(ci);
}

/* A pid file naming another process (left by a reboot), and a running
 * server whose socket directory was removed, do not stop the next run. */
Test(scratch, stale_state_is_repaired)
{
    char *ci = server();
    sc_buf err = SC_BUF_INIT;
    cr_assert_eq(sc_scratch_stop(&err), 0, "stop: %s", sc_buf_str(&err));

    char *dir = cluster_dir();
    char data[PATH_MAX], sock[PATH_MAX];
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(sock, sizeof sock, "%s/sock", dir);
    /* pid 1 runs, and is not a postgres server. */
    write_file(data, "postmaster.pid", "1\n");
    char *again = server();
    expect(again, "SELECT 1", "1");
    long pid = postmaster_pid();
    cr_assert_gt(pid, 1);

    /* The server runs, but nobody can reach it any more. */
    nftw(sock, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    cr_assert_neq(access(sock, F_OK), 0);
    char *third = server();
    expect(third, "SELECT 1", "1");
    cr_expect_neq(postmaster_pid(), pid, "a new postmaster");
    cr_expect(gone(pid), "the unreachable one was stopped");

    sc_buf_free(&err);
    free(third);
    free(again);
    free(dir);
    free(ci);
}

/* Writes an executable shell script dir/name. */
static void write_script(const char *dir, const char *name, const char *body)
{
    write_file(dir, name, body);
    char p[2 * PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    cr_assert_eq(chmod(p, 0755), 0);
}

/* initdb's failure names its log and quotes its last lines; the major
 * version of binaries outside /usr/lib/postgresql comes from pg_ctl. */
Test(scratch, initdb_failure_is_reported)
{
    char bin[] = "/tmp/schemac-fake-bin.XXXXXX";
    cr_assert_not_null(mkdtemp(bin));
    cr_assert_eq(chmod(bin, 0755), 0);
    write_script(bin, "pg_ctl", "#!/bin/sh\necho 'pg_ctl (PostgreSQL) 42.1 (Test)'\n");
    write_script(bin, "initdb", "#!/bin/sh\necho 'initdb: starting'\necho 'initdb: error: the disk is made of cheese'\nexit 1\n");
    setenv("SCHEMAC_PG_BINDIR", bin, 1);

    char *dir = cluster_dir();
    char want[PATH_MAX + 16];
    snprintf(want, sizeof want, "%s/pg42", cache_dir);
    cr_expect_str_eq(dir, want, "named after pg_ctl --version");

    sc_buf err = SC_BUF_INIT;
    char *ci = sc_scratch_server(&err);
    const char *e = sc_buf_str(&err);
    cr_expect_null(ci);
    cr_expect_not_null(strstr(e, "initdb exited with status 1"), "%s", e);
    cr_expect_not_null(strstr(e, "the disk is made of cheese"), "quotes the output: %s", e);
    cr_expect_not_null(strstr(e, "/pg42/initdb.log"), "names the log: %s", e);
    cr_expect_null(strchr(e, '\n'), "one line: %s", e);
    snprintf(want, sizeof want, "%s/data.new", dir);
    cr_expect_neq(access(want, F_OK), 0, "no half-made cluster is left");
    sc_buf_free(&err);
    free(dir);

    nftw(bin, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    unsetenv("SCHEMAC_PG_BINDIR");
}

/* A server that cannot start: the error names the server's log and
 * quotes its last lines. */
Test(scratch, start_failure_is_reported)
{
    char *ci = server();
    sc_buf err = SC_BUF_INIT;
    cr_assert_eq(sc_scratch_stop(&err), 0, "stop: %s", sc_buf_str(&err));
    char *dir = cluster_dir();
    char conf[PATH_MAX + 32];
    snprintf(conf, sizeof conf, "%s/data/postgresql.conf", dir);
    FILE *fp = fopen(conf, "a");
    cr_assert_not_null(fp);
    fputs("work_mem = 'plenty'\n", fp);
    fclose(fp);

    char *again = sc_scratch_server(&err);
    const char *e = sc_buf_str(&err);
    cr_expect_null(again);
    cr_expect_not_null(strstr(e, "cannot start the development server"), "%s", e);
    cr_expect_not_null(strstr(e, "/server.log"), "names the log: %s", e);
    cr_expect_not_null(strstr(e, "work_mem"), "quotes the log: %s", e);
    cr_expect_null(strchr(e, '\n'), "one line: %s", e);
    fprintf(stderr, "test_scratch: start failure reads: %s\n", e);

    sc_buf_free(&err);
    free(again);
    free(dir);
    free(ci);
}
