/*
 * The peer-case round-trip suite: every in-scope schema of the peer cases
 * (PostgreSQL schemas taken from the test suites of other schema-diff
 * tools, kept outside the repository; see peer-cases/README.md) goes
 * through the whole of schemac and must come back unchanged.
 *
 * For each side (current.sql, desired.sql) of each in-scope case:
 *   1. load the SQL into a clean database with psql, as the peers' own
 *      harnesses did (autocommit, ON_ERROR_STOP), creating the roles it
 *      names;
 *   2. read the catalog into a model (catalog.c);
 *   3. write that model as schema files (pull.c), in both layouts, and
 *      compile them as `schemac validate` does: no diagnostics, the same
 *      schema hash as the catalog's model, and files as `schemac fmt`
 *      writes them;
 *   4. create the compiled model in a second clean database with the
 *      script of ddl.c, and require that pg_dump --schema-only of both
 *      databases agrees (column order aside) and that the second
 *      database's catalog hashes as the first.
 *
 * A side that PostgreSQL 15 itself rejected when the cases were collected
 * is listed as "not loadable" and is no failure; so is one this server
 * rejects for want of something outside schemac (a locale, a contrib
 * module).  A side whose SQL (and role) is that of an earlier side is not
 * run again: it shares that side's outcome.
 *
 * How it runs: one pgfix cluster for the whole run; a queue of sides in a
 * pipe; worker processes (fork) that each own two databases, which they
 * bring back to a clean slate between sides by dropping every schema and
 * extension (a reset takes ~5 ms, CREATE DATABASE ~60 ms; a database in
 * which something survives the reset is recreated instead).  Workers
 * record each side's outcome in shared memory and its report in a file;
 * the parent prints them in index order.  A worker that dies fails the
 * side it held and is replaced.  Child programs are started with
 * posix_spawn (fork is slow in a process built with AddressSanitizer).
 *
 * Usage: peer_cases [SOURCE_ROOT].  The cases are read from
 * $SCHEMAC_PEER_CASES, else SOURCE_ROOT/../shared/peer-cases; when that
 * folder is absent the suite is skipped (exit 77).
 *
 * Usage: peer_cases --builtin SOURCE_ROOT.  Instead of the peer cases,
 * schemac's own schemas make the same round trip, each a case of one side
 * (see builtin_cases()): the example schema (SOURCE_ROOT/schema, compiled
 * and loaded as the script ddl.c writes for it), and the schemas of
 * tests/pg/hostile.sql and tests/pg/rich.sql.  This suite never skips, and
 * a side that does not load fails.
 *
 * Usage: peer_cases --migrate SOURCE_ROOT.  Instead of round trips, the
 * migration from each in-scope case's current side to its desired side
 * (cases whose two sides PostgreSQL 15 loaded; one queue entry per case):
 *   1. load current.sql into database A, desired.sql into database B;
 *   2. read both catalogs (`from` = A's model); pull B's model to files
 *      and compile them, and plan towards the compiled model, as
 *      `schemac compile --db A` does with the desired schema in files;
 *   3. sc_plan_build(from, to): an error that says "not supported yet" is
 *      UNSUPPORTED (listed, no failure for now), any other error fails;
 *      when from and to hash alike the plan must have no step;
 *   4. apply the up steps to A in plan order: runs of transactional steps
 *      each in one transaction (psql --single-transaction), every other
 *      step alone in autocommit, each step's preflight right before its
 *      SQL; then pg_dump of A must equal B's (normal form as above) and
 *      A's catalog must hash as B's;
 *   5. apply the down steps (inverses, in reverse order) the same way;
 *      A's dump and hash must be as before step 4.  A plan with a step
 *      that has no inverse is not taken down (noted on its "ok" line).
 * The summary counts per source.
 *
 * Settings:
 *   SCHEMAC_PEER_FILTER=text  only the cases whose "source/case" contains it
 *   SCHEMAC_PEER_SAMPLE=n     only every n-th in-scope case (a fixed sample,
 *                             for the slower sanitizer build)
 *   SCHEMAC_PEER_JOBS=n       workers (default: the CPUs online, 2 to 8)
 *   SCHEMAC_PEER_DBMODE=create  every clean slate a new database (timing)
 *   SCHEMAC_PEER_SELFCHECK=1  check the harness instead of schemac: load
 *                             each side into both databases, compare dumps
 * Exit status: 0 all sides (cases) passed, 1 one failed (or the suite
 * could not run), 77 skipped.  UNSUPPORTED plans do not fail the run.
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "buf.h"
#include "catalog.h"
#include "commands.h"
#include "compiler.h"
#include "conn.h"
#include "ddl.h"
#include "hash.h"
#include "ident.h"
#include "pgfix.h"
#include "plan.h"
#include "print.h"
#include "pull.h"
#include "util.h"

/* Deadline of one psql, pg_dump or diff run, in seconds. */
#define CMD_TIMEOUT 120.0
/* Lines of a diff or an error message shown for one failure. */
#define DIFF_LINES 40
#define ERROR_LINES 8
/* Most workers. */
#define MAX_JOBS 16
/* Role-creation retries of one load (each creates one missing role). */
#define ROLE_RETRIES 32

/* The two sides of a peer case. */
static const char *const side_names[2] = {"current", "desired"};

/* One in-scope case of index.json, or a built-in case. */
typedef struct pcase {
    char *source;
    char *name;
    int nsides;               /* 2, or 1 for a built-in case */
    const char *side_name[2]; /* "current", "desired", or what a built-in case loads */
    char *file[2];            /* the SQL file of each side */
    bool ok[2];               /* pg15_<side>_ok (always true for a built-in case) */
    char *why_not[2];         /* pg15_<side>_failure_class, when not ok */
    char *user;               /* peer_options.user: the role the peer loaded it as */
    char *setup_error;        /* a built-in case whose SQL could not be made: why */
} pcase;

/* One side to run: side `s` of case `c`. */
typedef struct side_ref {
    int c;
    int s;
} side_ref;

/* Outcome of one side, in memory shared with the workers. */
enum {
    ST_PENDING,
    ST_RUNNING,
    ST_OK,
    ST_FAIL,
    ST_NOT_LOADABLE,
    ST_NOT_LOADABLE_HERE,
    ST_UNSUPPORTED, /* --migrate: the planner cannot express the change yet */
};

/* Phases timed per side. */
enum { PH_RESET, PH_LOAD, PH_READ, PH_COMPILE, PH_REBUILD, PH_DUMP, PH_COUNT };
static const char *const phase_names[PH_COUNT] = {"clean slate",  "load",    "catalog read",
                                                  "pull+compile", "rebuild", "pg_dump+compare"};
/* The same phases with --migrate, where "rebuild" plans and applies. */
static const char *const migrate_phase_names[PH_COUNT] = {
    "clean slate", "load", "catalog read", "pull+compile", "plan+apply", "pg_dump+compare"};

typedef struct side_result {
    int status;
    int same;           /* an earlier side with the same SQL and role, run in its place; or -1 */
    int worker;         /* slot that holds or held it */
    unsigned recreated; /* clean slates that needed a new database */
    double secs;
    double phase[PH_COUNT];
} side_result;

/* One worker's databases and scratch space. */
typedef struct worker {
    int slot;
    char db[2][32];         /* [0] the loaded database, [1] the rebuilt one */
    char conninfo[2][1024]; /* as the cluster superuser */
    const char *url[2];
    PGconn *admin;      /* to database postgres */
    PGconn *dbconn[2];  /* to db[i], for resets */
    char *clean_sig;    /* catalog signature of a brand-new database */
    char dir[PATH_MAX]; /* scratch directory */
    side_result *cur;   /* the side being run */
} worker;

/* The run's state, set up by main() before the workers fork. */
static pcase *cases; /* the in-scope cases, in index order */
static int ncases;
static side_ref *sides; /* every side of every case, in order */
static int nsides;
static side_result *results;    /* one per side, shared with the workers */
static bool builtin;            /* --builtin: schemac's own schemas */
static bool migrate;            /* --migrate: one migration per case */
static pgfix *fx;               /* the cluster */
static char **child_env;        /* environment of psql, pg_dump, diff */
static char tmp_root[PATH_MAX]; /* scratch directories and reports */
static bool db_mode_create;     /* SCHEMAC_PEER_DBMODE=create */
static bool self_check;         /* SCHEMAC_PEER_SELFCHECK=1 */

/* The suite's name in messages: "peer cases", or "dump round trip" with
 * --builtin. */
static const char *suite = "peer cases";

/* ---- small helpers --------------------------------------------------- */

/* Monotonic seconds. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* snprintf for paths and names, which are always far shorter than their
 * buffers: a truncation is a bug here, so it aborts. */
static void pathf(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void pathf(char *out, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(out, n, fmt, ap);
    va_end(ap);
    if (r < 0 || (size_t)r >= n) {
        fprintf(stderr, "peer cases: path too long: %s\n", out);
        abort();
    }
}

/* Reads a whole file into a malloc'd NUL-terminated string, or NULL. */
static char *read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    sc_buf b = SC_BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sc_buf_append(&b, chunk, n);
    fclose(f);
    if (len_out != NULL)
        *len_out = b.len;
    if (b.data == NULL)
        return strdup("");
    return sc_buf_detach(&b);
}

/* Writes `len` bytes to `path`; 0 or -1. */
static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* nftw callback of rm_rf: removes one entry. */
static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    remove(path);
    return 0;
}

/* Removes a directory tree; a missing one is fine. */
static void rm_rf(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Makes `path` an empty directory; 0 or -1. */
static int fresh_dir(const char *path)
{
    rm_rf(path);
    return mkdir(path, 0700);
}

/* Appends at most `max` lines of `text` to `out`, each indented, and a
 * note saying how many were left out. */
static void append_lines(sc_buf *out, const char *text, int max)
{
    int n = 0, dropped = 0;
    for (const char *p = text; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
        if (n < max) {
            sc_buf_puts(out, "    ");
            sc_buf_append(out, p, len);
            sc_buf_putc(out, '\n');
            n++;
        } else {
            dropped++;
        }
        p += len + (nl != NULL);
    }
    if (dropped > 0)
        sc_buf_printf(out, "    ... %d more line%s\n", dropped, dropped == 1 ? "" : "s");
}

/* ---- index.json and meta.json ---------------------------------------- */

/*
 * The value of string member `key` in a JSON text, unescaped, malloc'd;
 * NULL when absent.  The peer index is flat enough for a search: keys are
 * unique within what is searched, and values hold no \u escapes we need.
 */
static char *json_string(const char *text, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\": \"", key);
    const char *p = strstr(text, pat);
    if (p == NULL)
        return NULL;
    p += strlen(pat);
    sc_buf b = SC_BUF_INIT;
    for (; *p != '\0' && *p != '"'; p++) {
        if (*p == '\\' && p[1] != '\0') {
            p++;
            char c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
            sc_buf_putc(&b, c);
        } else {
            sc_buf_putc(&b, *p);
        }
    }
    if (b.data == NULL)
        return strdup("");
    return sc_buf_detach(&b);
}

/* 1 or 0 for boolean member `key`, -1 when absent or not a boolean. */
static int json_bool(const char *text, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(text, pat);
    if (p == NULL)
        return -1;
    p += strlen(pat);
    if (strncmp(p, "true", 4) == 0)
        return 1;
    if (strncmp(p, "false", 5) == 0)
        return 0;
    return -1;
}

/* Frees what a case owns (not the case itself). */
static void pcase_free(pcase *c)
{
    free(c->source);
    free(c->name);
    free(c->file[0]);
    free(c->file[1]);
    free(c->why_not[0]);
    free(c->why_not[1]);
    free(c->user);
    free(c->setup_error);
}

/*
 * Reads index.json (one case object per line) and keeps the in-scope
 * cases whose "source/case" contains `filter` (NULL: all).  Returns the
 * number kept, or -1 after a message when the index cannot be read.
 */
static int load_index(const char *dir, const char *filter, pcase **out)
{
    char path[PATH_MAX];
    pathf(path, sizeof path, "%s/index.json", dir);
    char *text = read_file(path, NULL);
    if (text == NULL) {
        printf("peer cases: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    pcase *cases = NULL;
    int n = 0, cap = 0;
    const char *sample_env = getenv("SCHEMAC_PEER_SAMPLE");
    long sample = sample_env != NULL ? strtol(sample_env, NULL, 10) : 1, seen = 0;
    if (sample < 1)
        sample = 1;
    for (char *line = text, *next; line != NULL && *line != '\0'; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        if (line[0] != '{' || json_bool(line, "in_scope") != 1)
            continue;
        char *source = json_string(line, "source"), *name = json_string(line, "case");
        if (source == NULL || name == NULL || strchr(name, '/') != NULL ||
            strchr(source, '/') != NULL) {
            free(source);
            free(name);
            continue;
        }
        char full[PATH_MAX];
        snprintf(full, sizeof full, "%s/%s", source, name);
        if ((filter != NULL && strstr(full, filter) == NULL) || seen++ % sample != 0) {
            free(source);
            free(name);
            continue;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            cases = realloc(cases, (size_t)cap * sizeof *cases);
            if (cases == NULL)
                abort();
        }
        pcase *c = &cases[n++];
        memset(c, 0, sizeof *c);
        c->source = source;
        c->name = name;
        c->nsides = 2;
        for (int s = 0; s < 2; s++) {
            c->side_name[s] = side_names[s];
            pathf(path, sizeof path, "%s/%s/%s/%s.sql", dir, source, name, side_names[s]);
            c->file[s] = sc_xstrdup(path);
        }
        c->ok[0] = json_bool(line, "pg15_current_ok") == 1;
        c->ok[1] = json_bool(line, "pg15_desired_ok") == 1;
        pathf(path, sizeof path, "%s/%s/%s/meta.json", dir, source, name);
        char *meta = read_file(path, NULL);
        if (meta != NULL) {
            c->why_not[0] = json_string(meta, "pg15_current_failure_class");
            c->why_not[1] = json_string(meta, "pg15_desired_failure_class");
            c->user = json_string(meta, "user");
            free(meta);
        }
    }
    free(text);
    *out = cases;
    return n;
}

/* ---- child programs --------------------------------------------------- */

/*
 * The environment of child programs: ours without PG* variables (which
 * would point psql and pg_dump elsewhere), and with notices silenced.
 */
static char **make_child_env(void)
{
    extern char **environ;
    size_t n = 0;
    for (char **e = environ; *e != NULL; e++)
        n++;
    char **env = calloc(n + 2, sizeof *env);
    if (env == NULL)
        abort();
    size_t k = 0;
    for (char **e = environ; *e != NULL; e++)
        if (strncmp(*e, "PG", 2) != 0)
            env[k++] = *e;
    env[k++] = "PGOPTIONS=-c client_min_messages=warning";
    env[k] = NULL;
    return env;
}

/* Appends what is ready on `fd` to `b` (NULL: discard); false at EOF. */
static bool drain(int fd, sc_buf *b)
{
    char chunk[16384];
    ssize_t r = read(fd, chunk, sizeof chunk);
    if (r < 0)
        return errno == EINTR || errno == EAGAIN;
    if (r == 0)
        return false;
    if (b != NULL)
        sc_buf_append(b, chunk, (size_t)r);
    return true;
}

/*
 * Runs argv (argv[0] a path) with stdin from /dev/null, collecting its
 * stdout in `out` and stderr in `err` (either may be NULL to discard).
 * Returns the exit status, or -1 (with a line in `err`) when it could not
 * run, died of a signal or ran past CMD_TIMEOUT.
 */
static int run_cmd(const char *const *argv, sc_buf *out, sc_buf *err)
{
    int po[2], pe[2];
    if (pipe2(po, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(pe, O_CLOEXEC) != 0) {
        close(po[0]);
        close(po[1]);
        return -1;
    }
    /* posix_spawn, not fork: copying the page tables of a process built
     * with AddressSanitizer costs milliseconds per child. */
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&at, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, &at, (char *const *)argv, child_env);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(po[1]);
    close(pe[1]);
    if (rc != 0) {
        close(po[0]);
        close(pe[0]);
        if (err != NULL)
            sc_buf_printf(err, "cannot run %s: %s\n", argv[0], strerror(rc));
        return -1;
    }
    double deadline = now_s() + CMD_TIMEOUT;
    bool open_out = true, open_err = true, late = false;
    while (open_out || open_err) {
        struct pollfd p[2] = {{open_out ? po[0] : -1, POLLIN, 0},
                              {open_err ? pe[0] : -1, POLLIN, 0}};
        int r = poll(p, 2, 200);
        if (r < 0 && errno != EINTR)
            break;
        if (p[0].revents != 0)
            open_out = drain(po[0], out);
        if (p[1].revents != 0)
            open_err = drain(pe[0], err);
        if (now_s() > deadline) {
            kill(-pid, SIGKILL);
            late = true;
            break;
        }
    }
    close(po[0]);
    close(pe[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (late) {
        if (err != NULL)
            sc_buf_printf(err, "%s did not finish within %.0f s\n", argv[0], CMD_TIMEOUT);
        return -1;
    }
    if (WIFEXITED(st))
        return WEXITSTATUS(st) == 127 ? -1 : WEXITSTATUS(st);
    if (err != NULL)
        sc_buf_printf(err, "%s died of signal %d\n", argv[0], WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return -1;
}

/* `<bindir>/<prog>` of the cluster, written into `buf`. */
static const char *pg_prog(const char *prog, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", pgfix_bindir(fx), prog);
    return buf;
}

/* Conninfo for `db` as role `user`. */
static void make_conninfo(char *out, size_t n, const char *db, const char *user)
{
    snprintf(out, n, "host=%s port=%d user=%s dbname=%s", pgfix_host(fx), pgfix_port(fx), user, db);
}

/*
 * Runs a SQL file with psql as the peer harnesses did: -X, quiet,
 * ON_ERROR_STOP, autocommit (psql_run: or all in one transaction).
 * Returns 0, or -1 with psql's messages (notices left out) in `err`.
 */
static int psql_run(const char *conninfo, const char *file, bool single_transaction,
                    sc_buf *err)
{
    char exe[PATH_MAX];
    pg_prog("psql", exe, sizeof exe);
    const char *argv[] = {exe,  "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-f",
                          file, NULL, NULL};
    if (single_transaction)
        argv[9] = "--single-transaction";
    sc_buf e = SC_BUF_INIT;
    int rc = run_cmd(argv, NULL, &e);
    if (rc != 0) {
        for (const char *p = sc_buf_str(&e); *p != '\0';) {
            const char *nl = strchr(p, '\n');
            size_t len = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);
            if (memmem(p, len, "NOTICE:", 7) == NULL && memmem(p, len, "WARNING:", 8) == NULL)
                sc_buf_append(err, p, len);
            p += len;
        }
        if (err->len == 0)
            sc_buf_printf(err, "psql exited with status %d\n", rc);
    }
    sc_buf_free(&e);
    return rc == 0 ? 0 : -1;
}

static int psql_file(const char *conninfo, const char *file, sc_buf *err)
{
    return psql_run(conninfo, file, false, err);
}

/* ---- databases -------------------------------------------------------- */

/* Runs `sql` on `conn`; 0, or -1 with the server's message in `err`. */
static int exec_sql(PGconn *conn, const char *sql, sc_buf *err)
{
    PGresult *r = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
        if (err != NULL)
            sc_buf_puts(err, r != NULL ? PQresultErrorMessage(r) : PQerrorMessage(conn));
        rc = -1;
    }
    PQclear(r);
    return rc;
}

/* Drops the server's notices (DROP ... CASCADE lists what it drops). */
static void no_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* Connects to `conninfo`; NULL with libpq's message in `err`. */
static PGconn *connect_to(const char *conninfo, sc_buf *err)
{
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) {
        sc_buf_printf(err, "cannot connect (%s): %s", conninfo, PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, no_notices, NULL);
    return c;
}


/*
 * A one-line text of what a clean slate may not have, to compare with a
 * brand-new database: every schema, extension, and the count of each kind
 * of object that lives outside schemas (so that dropping the schemas does
 * not remove it) or that a case could add to pg_catalog.
 */
static const char SIG_SQL[] =
    "SELECT concat_ws(' | ',"
    " (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_catalog.pg_namespace"
    "   WHERE nspname !~ '^pg_(toast_)?temp_'),"
    " (SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_catalog.pg_extension),"
    " (SELECT count(*) FROM pg_catalog.pg_class WHERE oid >= 16384),"
    " (SELECT count(*) FROM pg_catalog.pg_type WHERE oid >= 16384),"
    " (SELECT count(*) FROM pg_catalog.pg_proc WHERE oid >= 16384),"
    " (SELECT count(*) FROM pg_catalog.pg_collation WHERE oid >= 16384),"
    " (SELECT count(*) FROM pg_catalog.pg_operator WHERE oid >= 16384),"
    " (SELECT count(*) FROM pg_catalog.pg_cast WHERE oid >= 16384),"
    " (SELECT count(*) FROM pg_catalog.pg_language WHERE oid >= 16384),"
    " (SELECT count(*) FROM pg_catalog.pg_am WHERE oid >= 16384),"
    " (SELECT count(*) FROM pg_catalog.pg_event_trigger),"
    " (SELECT count(*) FROM pg_catalog.pg_foreign_data_wrapper),"
    " (SELECT count(*) FROM pg_catalog.pg_foreign_server),"
    " (SELECT count(*) FROM pg_catalog.pg_publication),"
    " (SELECT count(*) FROM pg_catalog.pg_default_acl),"
    " (SELECT count(*) FROM pg_catalog.pg_largeobject_metadata),"
    " (SELECT count(*) FROM pg_catalog.pg_db_role_setting s, pg_catalog.pg_database d"
    "   WHERE s.setdatabase = d.oid AND d.datname = current_database()),"
    " (SELECT count(*) FROM pg_catalog.pg_shdescription s, pg_catalog.pg_database d"
    "   WHERE s.objoid = d.oid AND d.datname = current_database()),"
    " (SELECT d.datacl::text FROM pg_catalog.pg_database d WHERE d.datname = current_database()),"
    " (SELECT pg_catalog.obj_description(n.oid, 'pg_namespace') || ':' ||"
    "   pg_catalog.pg_get_userbyid(n.nspowner) || ':' || coalesce(n.nspacl::text, '')"
    "   FROM pg_catalog.pg_namespace n WHERE n.nspname = 'public'))";

/*
 * Brings a database back to a clean slate: drops every extension but
 * plpgsql and every schema but the system ones, and makes public again as
 * initdb makes it.
 */
static const char RESET_SQL[] =
    "DO $$\n"
    "DECLARE r record;\n"
    "BEGIN\n"
    "  FOR r IN SELECT extname FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql' LOOP\n"
    "    EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);\n"
    "  END LOOP;\n"
    "  FOR r IN SELECT nspname FROM pg_catalog.pg_namespace\n"
    "           WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')\n"
    "             AND nspname !~ '^pg_(toast_)?temp_' LOOP\n"
    "    EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', r.nspname);\n"
    "  END LOOP;\n"
    "END $$;\n"
    "CREATE SCHEMA public AUTHORIZATION pg_database_owner;\n"
    "GRANT USAGE ON SCHEMA public TO PUBLIC;\n"
    "COMMENT ON SCHEMA public IS 'standard public schema';\n";

/* The clean-slate signature of the database behind `conn`, malloc'd, or NULL. */
static char *db_signature(PGconn *conn, sc_buf *err)
{
    PGresult *r = PQexec(conn, SIG_SQL);
    char *sig = NULL;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        sig = strdup(PQgetvalue(r, 0, 0));
    else
        sc_buf_printf(err, "signature query: %s", PQresultErrorMessage(r));
    PQclear(r);
    return sig;
}

/* Drops and creates database `i` of the worker from template0. */
static int recreate_db(worker *w, int i, sc_buf *err)
{
    if (w->dbconn[i] != NULL) {
        PQfinish(w->dbconn[i]);
        w->dbconn[i] = NULL;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", w->db[i]);
    if (exec_sql(w->admin, sql, err) != 0)
        return -1;
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0", w->db[i]);
    if (exec_sql(w->admin, sql, err) != 0)
        return -1;
    w->dbconn[i] = connect_to(w->conninfo[i], err);
    return w->dbconn[i] != NULL ? 0 : -1;
}

/*
 * Makes database `i` of the worker a clean slate: reset in place, checked
 * against the signature of a new database, and recreated when anything
 * survived (or always, with SCHEMAC_PEER_DBMODE=create).
 */
static int clean_db(worker *w, int i, sc_buf *err)
{
    if (db_mode_create || w->dbconn[i] == NULL || PQstatus(w->dbconn[i]) != CONNECTION_OK)
        return recreate_db(w, i, err);
    sc_buf e = SC_BUF_INIT;
    char *sig = NULL;
    if (exec_sql(w->dbconn[i], RESET_SQL, &e) == 0)
        sig = db_signature(w->dbconn[i], &e);
    bool clean = sig != NULL && strcmp(sig, w->clean_sig) == 0;
    free(sig);
    sc_buf_free(&e);
    if (clean)
        return 0;
    if (w->cur != NULL)
        w->cur->recreated++;
    return recreate_db(w, i, err);
}

/*
 * Creates role `name` (NOLOGIN unless `login`) on the cluster unless it
 * exists.  Another worker may create it at the same moment; that is fine.
 */
static int ensure_role(PGconn *admin, const char *name, bool login, sc_buf *err)
{
    const char *params[1] = {name};
    PGresult *r = PQexecParams(admin, "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", 1,
                               NULL, params, NULL, NULL, 0);
    bool exists = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;
    PQclear(r);
    if (exists)
        return 0;
    sc_buf sql = SC_BUF_INIT;
    sc_buf_puts(&sql, "CREATE ROLE ");
    sc_ident_append(&sql, name);
    sc_buf_puts(&sql, login ? " LOGIN" : " NOLOGIN");
    sc_buf e = SC_BUF_INIT;
    int rc = exec_sql(admin, sc_buf_str(&sql), &e);
    if (rc != 0) {
        r = PQexecParams(admin, "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", 1, NULL,
                         params, NULL, NULL, 0);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
            rc = 0;
        else
            sc_buf_printf(err, "cannot create role %s: %s", name, sc_buf_str(&e));
        PQclear(r);
    }
    sc_buf_free(&e);
    sc_buf_free(&sql);
    return rc;
}

/*
 * The role a psql error says is missing ("role "x" does not exist"),
 * malloc'd, or NULL.
 */
static char *missing_role(const char *msg)
{
    const char *p = strstr(msg, "role \"");
    for (; p != NULL; p = strstr(p + 1, "role \"")) {
        const char *start = p + 6;
        sc_buf b = SC_BUF_INIT;
        const char *q = start;
        for (; *q != '\0'; q++) {
            if (*q == '"') {
                if (q[1] == '"') {
                    sc_buf_putc(&b, '"');
                    q++;
                    continue;
                }
                break;
            }
            sc_buf_putc(&b, *q);
        }
        if (*q == '"' && strncmp(q, "\" does not exist", 16) == 0 && b.len > 0)
            return sc_buf_detach(&b);
        sc_buf_free(&b);
    }
    return NULL;
}

/*
 * Loads `file` into database `i` of the worker, which must be clean, as
 * role `user` (NULL: the superuser; else a login role whose search_path
 * starts with its own schema foo, as the peer's harness set it up).
 * Roles the SQL names but the cluster lacks are created and the load
 * retried on a clean slate.  Returns 0, or -1 with psql's error in `err`.
 */
static int load_side(worker *w, int i, const char *file, const char *user, double *reset_secs,
                     sc_buf *err)
{
    for (int attempt = 0;; attempt++) {
        char ci[1024];
        if (user != NULL) {
            sc_buf sql = SC_BUF_INIT;
            sc_buf_puts(&sql, "CREATE SCHEMA foo AUTHORIZATION ");
            sc_ident_append(&sql, user);
            int rc = exec_sql(w->dbconn[i], sc_buf_str(&sql), err);
            sc_buf_free(&sql);
            if (rc != 0)
                return -1;
            make_conninfo(ci, sizeof ci, w->db[i], user);
        } else {
            snprintf(ci, sizeof ci, "%s", w->conninfo[i]);
        }
        sc_buf e = SC_BUF_INIT;
        if (psql_file(ci, file, &e) == 0) {
            sc_buf_free(&e);
            return 0;
        }
        char *role = attempt < ROLE_RETRIES ? missing_role(sc_buf_str(&e)) : NULL;
        if (role == NULL) {
            sc_buf_append(err, sc_buf_str(&e), e.len);
            sc_buf_free(&e);
            return -1;
        }
        sc_buf_free(&e);
        int rc = ensure_role(w->admin, role, false, err);
        free(role);
        double t0 = now_s();
        if (rc != 0 || clean_db(w, i, err) != 0)
            return -1;
        *reset_secs += now_s() - t0;
    }
}

/* ---- pg_dump and its normal form -------------------------------------- */

/* pg_dump --schema-only --no-owner --no-privileges of `conninfo` into
 * `out`; 0, or -1 with the error in `err`. */
static int pg_dump_db(const char *conninfo, sc_buf *out, sc_buf *err)
{
    char exe[PATH_MAX];
    pg_prog("pg_dump", exe, sizeof exe);
    const char *argv[] = {exe, "--schema-only", "--no-owner", "--no-privileges", "-d", conninfo,
                          NULL};
    sc_buf e = SC_BUF_INIT;
    int rc = run_cmd(argv, out, &e);
    if (rc != 0)
        sc_buf_printf(err, "pg_dump: %s", e.len > 0 ? sc_buf_str(&e) : "failed\n");
    sc_buf_free(&e);
    return rc == 0 ? 0 : -1;
}

/* Lines of pg_dump's output that differ from run to run: versions,
 * times, and the random key of \restrict (pg_dump 13.22, 14.19, 15.14,
 * 16.10, 17.6 and later). */
static bool volatile_line(const char *line, size_t len)
{
    static const char *const prefixes[] = {"-- Dumped from database version",
                                           "-- Dumped by pg_dump version",
                                           "-- Started on",
                                           "-- Completed on",
                                           "\\restrict ",
                                           "\\unrestrict "};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        if (len >= n && memcmp(line, prefixes[i], n) == 0)
            return true;
    }
    return false;
}

/* Whether `line` opens a CREATE [...] TABLE name ( block. */
static bool table_opener(const char *line, size_t len)
{
    return len > 14 && memcmp(line, "CREATE ", 7) == 0 && memmem(line, len, " TABLE ", 7) != NULL &&
           line[len - 1] == '(';
}

/* Flips the quote state over one line: '...' and "..." ('' and "" need
 * no care: they close and reopen). */
static void scan_quotes(const char *line, size_t len, char *quote)
{
    for (size_t i = 0; i < len; i++) {
        if (*quote == 0 && (line[i] == '\'' || line[i] == '"'))
            *quote = line[i];
        else if (*quote != 0 && line[i] == *quote)
            *quote = 0;
    }
}

/* A list of strings, for sorting. */
typedef struct strv {
    char **v;
    size_t n, cap;
} strv;

/* Appends `str`, which the list then owns. */
static void strv_push(strv *s, char *str)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (s->v == NULL)
            abort();
    }
    s->v[s->n++] = str;
}

/* qsort comparison of two strings. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Frees the list and its strings. */
static void strv_free(strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

/*
 * How the normal form works.  Two databases hold the same schema when
 * their dumps agree once what is not schema is taken out: the header
 * lines naming versions and times, and the order of columns.  Column
 * order shows in two places: the column lines of CREATE TABLE, and the
 * order of entries pg_dump writes per column (column comments, separate
 * column defaults), which follows attnum.  So the column lines of each
 * CREATE TABLE (...) are sorted (trailing commas dropped, a line that
 * continues a quoted literal kept with its column), and the dump is cut
 * into its entries (each starts at a "--" line followed by "-- Name: ...")
 * and the entries between the preamble and the closing comment are sorted
 * too.  Entry order carries no meaning of its own: pg_dump orders by kind,
 * name and dependencies.
 */
static void normalise_dump(const char *dump, sc_buf *out)
{
    strv entries = {0};
    sc_buf cur = SC_BUF_INIT;
    sc_buf preamble = SC_BUF_INIT;
    bool in_preamble = true;
    const char *epilogue = NULL;
    const char *p = dump;
    while (*p != '\0') {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
        const char *next = p + len + (nl != NULL);
        if (volatile_line(p, len)) {
            p = next;
            continue;
        }
        bool rule = len == 2 && memcmp(p, "--", 2) == 0;
        if (rule && strncmp(next, "-- PostgreSQL database dump complete", 36) == 0) {
            epilogue = p;
            break;
        }
        if (rule && strncmp(next, "-- Name: ", 9) == 0) {
            if (in_preamble)
                sc_buf_append(&preamble, sc_buf_str(&cur), cur.len);
            else
                strv_push(&entries, sc_buf_detach(&cur));
            sc_buf_reset(&cur);
            in_preamble = false;
        }
        sc_buf_append(&cur, p, len);
        sc_buf_putc(&cur, '\n');
        p = next;
        if (!table_opener(cur.data + cur.len - len - 1, len))
            continue;
        /* Column lines up to the closing parenthesis. */
        strv cols = {0};
        sc_buf col = SC_BUF_INIT;
        char quote = 0;
        while (*p != '\0') {
            nl = strchr(p, '\n');
            len = nl != NULL ? (size_t)(nl - p) : strlen(p);
            next = p + len + (nl != NULL);
            if (quote == 0 && col.len == 0 && len > 0 && p[0] == ')')
                break;
            if (col.len > 0)
                sc_buf_putc(&col, '\n');
            sc_buf_append(&col, p, len);
            scan_quotes(p, len, &quote);
            p = next;
            if (quote == 0) {
                if (col.len > 0 && col.data[col.len - 1] == ',')
                    col.data[--col.len] = '\0';
                strv_push(&cols, sc_buf_detach(&col));
            }
        }
        if (col.len > 0)
            strv_push(&cols, sc_buf_detach(&col));
        sc_buf_free(&col);
        if (cols.n > 1)
            qsort(cols.v, cols.n, sizeof *cols.v, cmp_str);
        for (size_t i = 0; i < cols.n; i++) {
            sc_buf_puts(&cur, cols.v[i]);
            sc_buf_putc(&cur, '\n');
        }
        strv_free(&cols);
    }
    if (in_preamble)
        sc_buf_append(&preamble, sc_buf_str(&cur), cur.len);
    else
        strv_push(&entries, sc_buf_detach(&cur));
    sc_buf_free(&cur);
    if (entries.n > 1)
        qsort(entries.v, entries.n, sizeof *entries.v, cmp_str);
    sc_buf_append(out, sc_buf_str(&preamble), preamble.len);
    for (size_t i = 0; i < entries.n; i++)
        sc_buf_puts(out, entries.v[i]);
    for (p = epilogue != NULL ? epilogue : ""; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
        if (!volatile_line(p, len)) {
            sc_buf_append(out, p, len);
            sc_buf_putc(out, '\n');
        }
        p += len + (nl != NULL);
    }
    sc_buf_free(&preamble);
    strv_free(&entries);
}

/*
 * Appends `diff -u` of two texts (labelled) to `out`, at most DIFF_LINES
 * lines, written through files in `dir`.
 */
static void append_diff(sc_buf *out, const char *dir, const char *la, const char *a, const char *lb,
                        const char *b)
{
    char pa[PATH_MAX], pb[PATH_MAX];
    pathf(pa, sizeof pa, "%s/diff.a", dir);
    pathf(pb, sizeof pb, "%s/diff.b", dir);
    if (write_file(pa, a, strlen(a)) != 0 || write_file(pb, b, strlen(b)) != 0) {
        sc_buf_printf(out, "    (cannot write %s to show a diff)\n", dir);
        return;
    }
    const char *argv[] = {"/usr/bin/diff", "-u", "--label", la, "--label", lb, pa, pb, NULL};
    sc_buf d = SC_BUF_INIT;
    run_cmd(argv, &d, NULL);
    append_lines(out, sc_buf_str(&d), DIFF_LINES);
    sc_buf_free(&d);
    remove(pa);
    remove(pb);
}

/* ---- one side ----------------------------------------------------------- */

/* What went wrong with a side: short reasons for the summary line, and the
 * details printed under it. */
typedef struct report {
    sc_buf reasons;
    sc_buf details;
} report;

/* Records one failure of a side: its reason, and a heading for details. */
static void fail(report *rep, const char *reason)
{
    if (rep->reasons.len > 0)
        sc_buf_puts(&rep->reasons, "; ");
    sc_buf_puts(&rep->reasons, reason);
    sc_buf_printf(&rep->details, "  %s:\n", reason);
}

/* Replaces every "`dir`/" in `b` by nothing, so messages name files as
 * the schema directory does. */
static void strip_dir(sc_buf *b, const char *dir)
{
    char pat[PATH_MAX + 1];
    pathf(pat, sizeof pat, "%s/", dir);
    size_t n = strlen(pat);
    sc_buf o = SC_BUF_INIT;
    const char *p = sc_buf_str(b), *q;
    while ((q = strstr(p, pat)) != NULL) {
        sc_buf_append(&o, p, (size_t)(q - p));
        p = q + n;
    }
    sc_buf_puts(&o, p);
    sc_buf_reset(b);
    sc_buf_append(b, sc_buf_str(&o), o.len);
    sc_buf_free(&o);
}

/* pg_dump of `conninfo` in normal form into `out`; 0, or -1 with the
 * error in `err`. */
static int dump_normalised(const char *conninfo, sc_buf *out, sc_buf *err)
{
    sc_buf d = SC_BUF_INIT;
    int rc = pg_dump_db(conninfo, &d, err);
    if (rc == 0)
        normalise_dump(sc_buf_str(&d), out);
    sc_buf_free(&d);
    return rc;
}

/* Compares the dumps of the worker's two databases. */
static void compare_dumps(worker *w, report *rep)
{
    sc_buf n0 = SC_BUF_INIT, n1 = SC_BUF_INIT, e = SC_BUF_INIT;
    if (dump_normalised(w->conninfo[0], &n0, &e) != 0 ||
        dump_normalised(w->conninfo[1], &n1, &e) != 0) {
        fail(rep, "pg_dump failed");
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
        goto done;
    }
    if (strcmp(sc_buf_str(&n0), sc_buf_str(&n1)) != 0) {
        fail(rep, "pg_dump of the rebuilt database differs");
        append_diff(&rep->details, w->dir, "loaded", sc_buf_str(&n0), "rebuilt", sc_buf_str(&n1));
    }
done:
    sc_buf_free(&n0);
    sc_buf_free(&n1);
    sc_buf_free(&e);
}

/* Reads the catalog behind `url`; NULL with the reason in `err`. */
static sc_model *read_catalog(const char *url, sc_buf *err)
{
    PGconn *conn = sc_conn_open(url, err);
    if (conn == NULL)
        return NULL;
    sc_catalog_stats st;
    sc_model *m = sc_catalog_read(conn, &st, err);
    PQfinish(conn);
    return m;
}

/*
 * Compiles the schema files under `dir` as `schemac validate` does.
 * Returns the compiler (the caller frees it), or NULL with the rendered
 * diagnostics in `err` when there is any diagnostic at all.
 */
static sc_compiler *compile_dir(const char *dir, sc_buf *err)
{
    sc_compiler *c = sc_compiler_new();
    sc_sources_add_path(&c->sources, dir, &c->diags);
    if (c->diags.nerrors == 0)
        (void)sc_compiler_run(c);
    if (c->diags.n == 0 && c->model != NULL)
        return c;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f != NULL) {
        sc_compiler_render(c, f);
        fclose(f);
        sc_buf d = SC_BUF_INIT;
        sc_buf_append(&d, text, len);
        strip_dir(&d, dir);
        sc_buf_append(err, sc_buf_str(&d), d.len);
        sc_buf_free(&d);
        free(text);
    }
    if (err->len == 0)
        sc_buf_puts(err, "compiler failed without a diagnostic\n");
    sc_compiler_free(c);
    return NULL;
}

/*
 * Whether the schema files under `dir` are as `schemac fmt` writes them
 * (what `fmt --check` checks); when one is not, appends its diff to `out`
 * and returns false.
 */
static bool fmt_clean(const char *dir, const char *scratch, sc_buf *out)
{
    sc_compiler *c = sc_compiler_new();
    c->keep_trivia = true;
    sc_sources_add_path(&c->sources, dir, &c->diags);
    bool ok = true;
    if (c->diags.nerrors > 0 || sc_compiler_parse(c) != 0 || sc_compiler_lower(c) != 0) {
        sc_buf_puts(out, "    fmt cannot read them\n");
        ok = false;
    } else {
        (void)sc_compiler_check(c);
        for (size_t i = 0; i < c->sources.n && ok; i++) {
            sc_source *src = c->sources.items[i];
            sc_buf b = SC_BUF_INIT;
            sc_print_file(&b, c->model, src->path);
            if (b.len != src->len || memcmp(sc_buf_str(&b), src->text, b.len) != 0) {
                char *text = sc_xstrndup(src->text, src->len);
                const char *slash = strrchr(src->path, '/');
                sc_buf_printf(out, "    %s:\n", slash != NULL ? slash + 1 : src->path);
                append_diff(out, scratch, "pulled", text, "fmt", sc_buf_str(&b));
                free(text);
                ok = false;
            }
            sc_buf_free(&b);
        }
    }
    sc_compiler_free(c);
    return ok;
}

/* Appends the diff of two models' canonical texts. */
static void append_model_diff(sc_buf *out, const char *dir, const char *la, const sc_model *a,
                              const char *lb, const sc_model *b)
{
    sc_buf ta = SC_BUF_INIT, tb = SC_BUF_INIT;
    sc_print_canonical(&ta, a);
    sc_print_canonical(&tb, b);
    if (strcmp(sc_buf_str(&ta), sc_buf_str(&tb)) == 0)
        sc_buf_puts(out, "    (the canonical texts are equal; the hashes are not)\n");
    else
        append_diff(out, dir, la, sc_buf_str(&ta), lb, sc_buf_str(&tb));
    sc_buf_free(&ta);
    sc_buf_free(&tb);
}

/*
 * Steps 2 to 4 on a loaded database 0: catalog, pull, compile, rebuild in
 * database 1, compare.
 */
static void roundtrip(worker *w, side_result *r, report *rep)
{
    sc_buf e = SC_BUF_INIT;
    sc_compiler *compiled = NULL;
    sc_model *rebuilt = NULL;
    double t = now_s();
    sc_model *m = read_catalog(w->url[0], &e);
    r->phase[PH_READ] += now_s() - t;
    if (m == NULL) {
        fail(rep, "catalog read failed");
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
        goto done;
    }
    char hash[SC_HASH_HEX_LEN + 1], h[SC_HASH_HEX_LEN + 1];
    sc_model_hash(hash, m);

    /* Pull in both layouts; each must compile to the catalog's model. */
    t = now_s();
    static const char *const layouts[2] = {"files", "single file"};
    for (int single = 0; single < 2; single++) {
        char dir[PATH_MAX], reason[128];
        pathf(dir, sizeof dir, "%s/%s", w->dir, single ? "single" : "files");
        sc_buf_reset(&e);
        if (fresh_dir(dir) != 0 || sc_pull_write(m, dir, single != 0, &e) < 0) {
            snprintf(reason, sizeof reason, "pull (%s) failed", layouts[single]);
            fail(rep, reason);
            append_lines(&rep->details, e.len > 0 ? sc_buf_str(&e) : strerror(errno), ERROR_LINES);
            continue;
        }
        sc_compiler *c = compile_dir(dir, &e);
        if (c == NULL) {
            snprintf(reason, sizeof reason, "pulled files (%s) do not compile cleanly",
                     layouts[single]);
            fail(rep, reason);
            append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES * 2);
            continue;
        }
        sc_buf_reset(&e);
        if (!fmt_clean(dir, w->dir, &e)) {
            snprintf(reason, sizeof reason, "pulled files (%s) are not as fmt writes them",
                     layouts[single]);
            fail(rep, reason);
            sc_buf_append(&rep->details, sc_buf_str(&e), e.len);
        }
        sc_model_hash(h, c->model);
        if (strcmp(h, hash) != 0) {
            snprintf(reason, sizeof reason, "compiled model (%s) differs from the catalog's",
                     layouts[single]);
            fail(rep, reason);
            append_model_diff(&rep->details, w->dir, "catalog", m, "compiled", c->model);
        }
        if (compiled == NULL)
            compiled = c;
        else
            sc_compiler_free(c);
    }
    r->phase[PH_COMPILE] += now_s() - t;
    if (compiled == NULL)
        goto done;

    /* Rebuild from the compiled model. */
    t = now_s();
    sc_buf sql = SC_BUF_INIT;
    sc_ddl_create(&sql, compiled->model);
    char script[PATH_MAX];
    pathf(script, sizeof script, "%s/create.sql", w->dir);
    sc_buf_reset(&e);
    int rc = write_file(script, sc_buf_str(&sql), sql.len);
    sc_buf_free(&sql);
    if (rc != 0 || clean_db(w, 1, &e) != 0) {
        fail(rep, "cannot make a clean database for the rebuild");
        append_lines(&rep->details, e.len > 0 ? sc_buf_str(&e) : script, ERROR_LINES);
        goto done;
    }
    rc = psql_file(w->conninfo[1], script, &e);
    r->phase[PH_REBUILD] += now_s() - t;
    if (rc != 0) {
        fail(rep, "create script fails");
        strip_dir(&e, w->dir);
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
        goto done;
    }
    t = now_s();
    compare_dumps(w, rep);
    r->phase[PH_DUMP] += now_s() - t;
    t = now_s();
    sc_buf_reset(&e);
    rebuilt = read_catalog(w->url[1], &e);
    r->phase[PH_READ] += now_s() - t;
    if (rebuilt == NULL) {
        fail(rep, "catalog read of the rebuilt database failed");
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
        goto done;
    }
    sc_model_hash(h, rebuilt);
    if (strcmp(h, hash) != 0) {
        fail(rep, "rebuilt database's catalog differs");
        append_model_diff(&rep->details, w->dir, "loaded", m, "rebuilt", rebuilt);
    }
done:
    sc_model_free(rebuilt);
    sc_compiler_free(compiled);
    sc_model_free(m);
    sc_buf_free(&e);
}

/* ---- one migration (--migrate) ------------------------------------------ */


/* Lines of a plan's script shown under a failure. */
#define SCRIPT_LINES 30

/*
 * Checks the database behind database 0 of the worker against an
 * expected dump (normal form) and model hash, after `what` ("up",
 * "down"); records failures.
 */
static void check_state(worker *w, side_result *r, report *rep, const char *what,
                        const char *want_label, const char *want_dump, const char *want_hash,
                        const sc_model *want_model)
{
    char reason[128];
    sc_buf got = SC_BUF_INIT, e = SC_BUF_INIT;
    double t = now_s();
    if (dump_normalised(w->conninfo[0], &got, &e) != 0) {
        snprintf(reason, sizeof reason, "pg_dump after %s failed", what);
        fail(rep, reason);
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
    } else if (strcmp(sc_buf_str(&got), want_dump) != 0) {
        snprintf(reason, sizeof reason, "pg_dump after %s differs from %s", what, want_label);
        fail(rep, reason);
        char la[64];
        snprintf(la, sizeof la, "after %s", what);
        append_diff(&rep->details, w->dir, want_label, want_dump, la, sc_buf_str(&got));
    }
    r->phase[PH_DUMP] += now_s() - t;
    t = now_s();
    sc_buf_reset(&e);
    sc_model *m = read_catalog(w->url[0], &e);
    r->phase[PH_READ] += now_s() - t;
    if (m == NULL) {
        snprintf(reason, sizeof reason, "catalog read after %s failed", what);
        fail(rep, reason);
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
    } else {
        char h[SC_HASH_HEX_LEN + 1];
        sc_model_hash(h, m);
        if (strcmp(h, want_hash) != 0) {
            snprintf(reason, sizeof reason, "catalog after %s hashes unlike %s", what,
                     want_label);
            fail(rep, reason);
            char la[64];
            snprintf(la, sizeof la, "after %s", what);
            append_model_diff(&rep->details, w->dir, want_label, want_model, la, m);
        }
    }
    sc_model_free(m);
    sc_buf_free(&got);
    sc_buf_free(&e);
}

/* The first line of `text` (at most 300 bytes), for a summary line. */
static void first_line(sc_buf *out, const char *text)
{
    size_t len = strcspn(text, "\n");
    if (len > 300)
        len = 300;
    sc_buf_append(out, text, len);
}

/*
 * Runs `schemac compile --db <current> --schema <files> --out <out_dir>
 * --allow-data-loss` in this process (the worker), with the shared server
 * as the development server, its output captured in `log` and appended to
 * `out`.  Returns its exit code.
 */
static int compile_in_process(const char *files, const char *out_dir, const char *db,
                              const char *log, sc_buf *out)
{
    sc_compile_opts o = {.cmd = "compile",
                         .schema = files,
                         .out = out_dir,
                         .db = db,
                         .dev = pgfix_conninfo(fx, "postgres"),
                         .allow_loss = true};
    fflush(stdout);
    fflush(stderr);
    int saved1 = dup(1), saved2 = dup(2);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || saved1 < 0 || saved2 < 0)
        abort();
    dup2(fd, 1);
    dup2(fd, 2);
    close(fd);
    int rc = sc_compile_run(&o);
    fflush(stdout);
    fflush(stderr);
    dup2(saved1, 1);
    dup2(saved2, 2);
    close(saved1);
    close(saved2);
    size_t len = 0;
    char *text = read_file(log, &len);
    if (text != NULL)
        sc_buf_append(out, text, len);
    free(text);
    return rc;
}

/* The up and down files compile wrote under out_dir/migrations (the
 * first pair); 0 or -1. */
static int migration_files(const char *out_dir, char *up, char *down, size_t n)
{
    char dir[PATH_MAX];
    pathf(dir, sizeof dir, "%s/migrations", out_dir);
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int rc = -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t l = strlen(e->d_name);
        if (l > 7 && strcmp(e->d_name + l - 7, ".up.sql") == 0) {
            pathf(up, n, "%s/%s", dir, e->d_name);
            pathf(down, n, "%s/%.*s.down.sql", dir, (int)(l - 7), e->d_name);
            rc = 0;
            break;
        }
    }
    closedir(d);
    return rc;
}

/* The user tables of a database: qualified name (quoted) and row count. */
typedef struct counts {
    char **names;
    long *rows;
    size_t n;
} counts;

static const char TABLES_SQL[] =
    "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_catalog.pg_class c"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
    " AND n.nspname !~ '^pg_' ORDER BY 1";

static counts table_counts(const char *conninfo)
{
    counts k = {0};
    sc_buf e = SC_BUF_INIT;
    PGconn *c = connect_to(conninfo, &e);
    sc_buf_free(&e);
    if (c == NULL)
        return k;
    PGresult *r = PQexec(c, TABLES_SQL);
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        int n = PQntuples(r);
        k.names = calloc((size_t)n + 1, sizeof *k.names);
        k.rows = calloc((size_t)n + 1, sizeof *k.rows);
        for (int i = 0; i < n; i++) {
            char q[1200];
            snprintf(q, sizeof q, "SELECT count(*) FROM %s", PQgetvalue(r, i, 0));
            PGresult *cr = PQexec(c, q);
            k.names[k.n] = strdup(PQgetvalue(r, i, 0));
            k.rows[k.n++] = PQresultStatus(cr) == PGRES_TUPLES_OK ? atol(PQgetvalue(cr, 0, 0)) : -1;
            PQclear(cr);
        }
    }
    PQclear(r);
    PQfinish(c);
    return k;
}

static void before_free(counts *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->names[i]);
    free(k->names);
    free(k->rows);
    memset(k, 0, sizeof *k);
}

/* Inserts one row of defaults into every user table that accepts one. */
static void seed_rows(const char *conninfo)
{
    sc_buf e = SC_BUF_INIT;
    PGconn *c = connect_to(conninfo, &e);
    sc_buf_free(&e);
    if (c == NULL)
        return;
    PGresult *r = PQexec(c, TABLES_SQL);
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
        char q[1200];
        snprintf(q, sizeof q, "INSERT INTO %s DEFAULT VALUES", PQgetvalue(r, i, 0));
        PQclear(PQexec(c, q));
    }
    PQclear(r);
    PQfinish(c);
}

/* Empties every user table (for a second try on empty tables). */
static void truncate_all(const char *conninfo)
{
    sc_buf e = SC_BUF_INIT;
    PGconn *c = connect_to(conninfo, &e);
    sc_buf_free(&e);
    if (c == NULL)
        return;
    PGresult *r = PQexec(c, TABLES_SQL);
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
        char q[1200];
        snprintf(q, sizeof q, "TRUNCATE %s CASCADE", PQgetvalue(r, i, 0));
        PQclear(PQexec(c, q));
    }
    PQclear(r);
    PQfinish(c);
}

/* Every table counted in `before` that still exists holds as many rows. */
static void check_rows(worker *w, report *rep, const char *what, const counts *before)
{
    counts now = table_counts(w->conninfo[0]);
    for (size_t i = 0; i < before->n; i++)
        for (size_t j = 0; j < now.n; j++)
            if (strcmp(before->names[i], now.names[j]) == 0 && before->rows[i] != now.rows[j]) {
                char reason[160];
                snprintf(reason, sizeof reason, "rows lost by the %s file", what);
                fail(rep, reason);
                sc_buf_printf(&rep->details, "    %s: %ld rows before, %ld after\n",
                              before->names[i], before->rows[i], now.rows[j]);
            }
    before_free(&now);
}

/* After a pre-flight refused: the schema (dump) and the rows are as before. */
static void unchanged_after_refusal(worker *w, side_result *r, report *rep, const char *what,
                                    const char *want_dump, const counts *before)
{
    sc_buf got = SC_BUF_INIT, e = SC_BUF_INIT;
    double t = now_s();
    if (dump_normalised(w->conninfo[0], &got, &e) != 0 || strcmp(sc_buf_str(&got), want_dump) != 0) {
        char reason[128];
        snprintf(reason, sizeof reason, "the %s file's pre-flight refused, yet the schema changed",
                 what);
        fail(rep, reason);
    }
    r->phase[PH_DUMP] += now_s() - t;
    check_rows(w, rep, what, before);
    sc_buf_free(&got);
    sc_buf_free(&e);
}

/* Loads side `s` of case `c` into database `i`; 0, or -1 after marking the
 * case not loadable here. */
static int load_for_migration(worker *w, const pcase *c, int i, int s, side_result *r,
                              report *rep)
{
    sc_buf e = SC_BUF_INIT;
    double t = now_s();
    int rc = clean_db(w, i, &e);
    r->phase[PH_RESET] += now_s() - t;
    if (rc != 0) {
        fail(rep, "cannot make a clean database");
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
        r->status = ST_FAIL;
        sc_buf_free(&e);
        return -1;
    }
    t = now_s();
    double resets = 0;
    rc = load_side(w, i, c->file[s], c->user, &resets, &e);
    r->phase[PH_RESET] += resets;
    r->phase[PH_LOAD] += now_s() - t - resets;
    if (rc != 0) {
        sc_buf_printf(&rep->reasons, "%s not loadable here", side_names[s]);
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
        r->status = ST_NOT_LOADABLE_HERE;
    }
    sc_buf_free(&e);
    return rc;
}

/* Runs the migration of case `k` (see the head of this file). */
static void run_migration(worker *w, int k, report *rep)
{
    const pcase *c = &cases[sides[k].c];
    side_result *r = &results[k];
    sc_buf e = SC_BUF_INIT, orig = SC_BUF_INIT, want = SC_BUF_INIT, up = SC_BUF_INIT;
    sc_model *from = NULL, *target = NULL;
    counts before = {0}; /* rows per table before the up file, then before the down file */
    sc_compiler *compiled = NULL;
    if (load_for_migration(w, c, 0, 0, r, rep) != 0 || load_for_migration(w, c, 1, 1, r, rep) != 0)
        goto out;

    /* The two catalogs; the desired one through files. */
    double t = now_s();
    from = read_catalog(w->url[0], &e);
    if (from != NULL)
        target = read_catalog(w->url[1], &e);
    r->phase[PH_READ] += now_s() - t;
    if (from == NULL || target == NULL) {
        fail(rep, from == NULL ? "catalog read of current failed"
                               : "catalog read of desired failed");
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
        goto done;
    }
    char from_hash[SC_HASH_HEX_LEN + 1], target_hash[SC_HASH_HEX_LEN + 1], h[SC_HASH_HEX_LEN + 1];
    sc_model_hash(from_hash, from);
    sc_model_hash(target_hash, target);
    t = now_s();
    char dir[PATH_MAX];
    pathf(dir, sizeof dir, "%s/files", w->dir);
    sc_buf_reset(&e);
    if (fresh_dir(dir) != 0 || sc_pull_write(target, dir, false, &e) < 0) {
        fail(rep, "pull of desired failed");
        append_lines(&rep->details, e.len > 0 ? sc_buf_str(&e) : strerror(errno), ERROR_LINES);
        r->phase[PH_COMPILE] += now_s() - t;
        goto done;
    }
    compiled = compile_dir(dir, &e);
    r->phase[PH_COMPILE] += now_s() - t;
    if (compiled == NULL) {
        fail(rep, "pulled desired files do not compile cleanly");
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES * 2);
        goto done;
    }
    sc_model_hash(h, compiled->model);
    if (strcmp(h, target_hash) != 0) {
        /* A round-trip bug (the peer cases suite shows it too); the
         * migration is still tried. */
        fail(rep, "compiled desired model differs from its catalog (round trip)");
        append_model_diff(&rep->details, w->dir, "catalog", target, "compiled", compiled->model);
    }

    /* The dumps to reach: B's, and A's own for the way back. */
    t = now_s();
    sc_buf_reset(&e);
    if (dump_normalised(w->conninfo[0], &orig, &e) != 0 ||
        dump_normalised(w->conninfo[1], &want, &e) != 0) {
        fail(rep, "pg_dump failed");
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
        r->phase[PH_DUMP] += now_s() - t;
        goto done;
    }
    r->phase[PH_DUMP] += now_s() - t;

    /* Compile: `schemac compile --db A` on the pulled files. */
    t = now_s();
    char out_dir[PATH_MAX], log[PATH_MAX];
    pathf(out_dir, sizeof out_dir, "%s/generated", w->dir);
    pathf(log, sizeof log, "%s/compile.log", w->dir);
    rm_rf(out_dir);
    sc_buf clog = SC_BUF_INIT;
    int rc = compile_in_process(dir, out_dir, w->conninfo[0], log, &clog);
    r->phase[PH_REBUILD] += now_s() - t;
    strip_dir(&clog, w->dir);
    if (rc != 0) {
        if (strstr(sc_buf_str(&clog), "not supported yet") != NULL && rep->reasons.len == 0) {
            const char *m = strstr(sc_buf_str(&clog), "schemac compile: ");
            first_line(&rep->reasons, m != NULL ? m + 17 : sc_buf_str(&clog));
            r->status = ST_UNSUPPORTED;
            sc_buf_free(&clog);
            goto out;
        }
        char reason[64];
        snprintf(reason, sizeof reason, "schemac compile exits %d", rc);
        fail(rep, reason);
        append_lines(&rep->details, sc_buf_str(&clog), ERROR_LINES * 3);
        sc_buf_free(&clog);
        goto done;
    }
    bool no_change = strstr(sc_buf_str(&clog), "no changes") != NULL;
    sc_buf_free(&clog);
    if (no_change) {
        if (strcmp(from_hash, h) != 0)
            fail(rep, "compile says no changes, yet the schemas differ");
        goto done;
    }
    if (strcmp(from_hash, h) == 0) {
        fail(rep, "no change, yet compile wrote a migration");
        goto done;
    }
    char up_file[PATH_MAX], down_file[PATH_MAX];
    if (migration_files(out_dir, up_file, down_file, sizeof up_file) != 0) {
        fail(rep, "compile wrote no migration pair");
        goto done;
    }
    size_t up_len = 0;
    char *up_text = read_file(up_file, &up_len);
    if (up_text != NULL)
        sc_buf_append(&up, up_text, up_len);
    free(up_text);

    /* Rows: one per table where DEFAULT VALUES allows, counted before. */
    const char *conninfo = w->conninfo[0];
    char user_ci[1024];
    if (c->user != NULL) {
        /* As the role the case was loaded as, as the peer ran it. */
        make_conninfo(user_ci, sizeof user_ci, w->db[0], c->user);
        conninfo = user_ci;
    }
    seed_rows(w->conninfo[0]);
    before = table_counts(w->conninfo[0]);

    /* Up, with psql. */
    t = now_s();
    sc_buf_reset(&e);
    bool truncated = false;
    rc = psql_file(conninfo, up_file, &e);
    if (rc != 0 && strstr(sc_buf_str(&e), "schemac pre-flight") != NULL) {
        /* The seeded rows violate the new schema: the pre-flight must have
         * left everything as it was; then again on empty tables. */
        unchanged_after_refusal(w, r, rep, "up", sc_buf_str(&orig), &before);
        truncate_all(w->conninfo[0]);
        truncated = true;
        if (rep->reasons.len == 0)
            sc_buf_puts(&rep->reasons, "(pre-flight refused the seeded rows, nothing changed; "
                                       "applied to empty tables)");
        sc_buf_reset(&e);
        rc = psql_file(conninfo, up_file, &e);
    }
    r->phase[PH_REBUILD] += now_s() - t;
    if (rc != 0) {
        fail(rep, "up file fails");
        strip_dir(&e, w->dir);
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
        goto done;
    }
    check_state(w, r, rep, "up", "desired", sc_buf_str(&want), target_hash, target);
    if (!truncated)
        check_rows(w, rep, "up", &before);
    /* pull + compile --db against the migrated database: no changes. */
    sc_buf_reset(&clog);
    t = now_s();
    rc = compile_in_process(dir, out_dir, w->conninfo[0], log, &clog);
    r->phase[PH_REBUILD] += now_s() - t;
    if (rc != 0 || strstr(sc_buf_str(&clog), "no changes") == NULL) {
        fail(rep, "compile --db after the up file does not say \"no changes\"");
        strip_dir(&clog, w->dir);
        append_lines(&rep->details, sc_buf_str(&clog), ERROR_LINES * 2);
    }
    sc_buf_free(&clog);

    /* Down, with psql, unless the pair cannot go back. */
    size_t down_len = 0;
    char *down_text = read_file(down_file, &down_len);
    bool no_down = down_text == NULL || strstr(down_text, "cannot be rolled back") != NULL;
    free(down_text);
    if (no_down) {
        if (rep->reasons.len == 0)
            sc_buf_puts(&rep->reasons, "(down not run: the down file cannot undo this migration)");
        goto done;
    }
    if (!truncated) {
        before_free(&before);
        before = table_counts(w->conninfo[0]);
    }
    t = now_s();
    sc_buf_reset(&e);
    rc = psql_file(conninfo, down_file, &e);
    if (rc != 0 && strstr(sc_buf_str(&e), "schemac pre-flight") != NULL) {
        unchanged_after_refusal(w, r, rep, "down", sc_buf_str(&want), &before);
        truncate_all(w->conninfo[0]);
        truncated = true;
        if (rep->reasons.len == 0)
            sc_buf_puts(&rep->reasons, "(pre-flight of the down file refused the seeded rows, "
                                       "nothing changed; rolled back on empty tables)");
        sc_buf_reset(&e);
        rc = psql_file(conninfo, down_file, &e);
    }
    r->phase[PH_REBUILD] += now_s() - t;
    if (rc != 0) {
        fail(rep, "down file fails");
        strip_dir(&e, w->dir);
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
        goto done;
    }
    check_state(w, r, rep, "down", "current", sc_buf_str(&orig), from_hash, from);
    if (!truncated)
        check_rows(w, rep, "down", &before);
done:
    if (rep->details.len > 0 && up.len > 0) {
        sc_buf_puts(&rep->details, "  the up file:\n");
        append_lines(&rep->details, sc_buf_str(&up), SCRIPT_LINES);
    }
    r->status = rep->details.len > 0 ? ST_FAIL : ST_OK;
out:
    before_free(&before);
    sc_compiler_free(compiled);
    sc_model_free(from);
    sc_model_free(target);
    sc_buf_free(&e);
    sc_buf_free(&orig);
    sc_buf_free(&want);
    sc_buf_free(&up);
}


/* ---- workers ------------------------------------------------------------ */

/* Where the worker leaves the report of side `k`. */
static void report_path(char *out, size_t n, int k)
{
    pathf(out, n, "%s/report.%d", tmp_root, k);
}

/* Runs one side: clean slate, load, then the round trip (or, checking the
 * harness, the same load into the second database). */
static void run_side(worker *w, int k, report *rep)
{
    const pcase *c = &cases[sides[k].c];
    side_result *r = &results[k];
    const char *file = c->file[sides[k].s];
    sc_buf e = SC_BUF_INIT;
    if (c->setup_error != NULL) {
        fail(rep, "its SQL could not be made");
        append_lines(&rep->details, c->setup_error, ERROR_LINES * 2);
        r->status = ST_FAIL;
        goto done;
    }
    if (migrate) {
        run_migration(w, k, rep);
        goto done;
    }
    double t = now_s();
    if (clean_db(w, 0, &e) != 0) {
        fail(rep, "cannot make a clean database");
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
        r->status = ST_FAIL;
        goto done;
    }
    r->phase[PH_RESET] += now_s() - t;
    t = now_s();
    double resets = 0;
    int rc = load_side(w, 0, file, c->user, &resets, &e);
    r->phase[PH_RESET] += resets;
    r->phase[PH_LOAD] += now_s() - t - resets;
    if (rc != 0 && builtin) {
        /* schemac's own schemas must load anywhere. */
        fail(rep, "load failed");
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
        r->status = ST_FAIL;
        goto done;
    }
    if (rc != 0) {
        /* PostgreSQL 15 loaded it where the cases were collected, so what
         * is missing is in this installation (a locale, a module). */
        sc_buf_puts(&rep->reasons, "not loadable here");
        append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
        r->status = ST_NOT_LOADABLE_HERE;
        goto done;
    }
    if (self_check) {
        t = now_s();
        rc = clean_db(w, 1, &e);
        if (rc == 0)
            rc = load_side(w, 1, file, c->user, &resets, &e);
        r->phase[PH_REBUILD] += now_s() - t;
        if (rc != 0) {
            fail(rep, "second load failed");
            append_lines(&rep->details, sc_buf_str(&e), ERROR_LINES);
        } else {
            t = now_s();
            compare_dumps(w, rep);
            r->phase[PH_DUMP] += now_s() - t;
        }
    } else {
        roundtrip(w, r, rep);
    }
    r->status = rep->reasons.len > 0 ? ST_FAIL : ST_OK;
done:
    sc_buf_free(&e);
}

/* Creates the worker's databases and learns what a clean one looks like.
 * 0, or -1 after a message on stderr. */
static int worker_setup(worker *w, int slot)
{
    memset(w, 0, sizeof *w);
    w->slot = slot;
    sc_buf e = SC_BUF_INIT;
    char ci[1024];
    make_conninfo(ci, sizeof ci, "postgres", pgfix_user(fx));
    w->admin = connect_to(ci, &e);
    int rc = w->admin != NULL ? 0 : -1;
    for (int i = 0; i < 2 && rc == 0; i++) {
        snprintf(w->db[i], sizeof w->db[i], "peer_w%d_%s", slot, i == 0 ? "loaded" : "rebuilt");
        make_conninfo(w->conninfo[i], sizeof w->conninfo[i], w->db[i], pgfix_user(fx));
        w->url[i] = pgfix_url(fx, w->db[i]);
        rc = recreate_db(w, i, &e);
    }
    if (rc == 0) {
        w->clean_sig = db_signature(w->dbconn[0], &e);
        rc = w->clean_sig != NULL ? 0 : -1;
    }
    pathf(w->dir, sizeof w->dir, "%s/w%d", tmp_root, slot);
    if (rc == 0 && fresh_dir(w->dir) != 0) {
        sc_buf_printf(&e, "cannot make %s: %s", w->dir, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        fprintf(stderr, "peer cases: worker %d: %s\n", slot, sc_buf_str(&e));
    sc_buf_free(&e);
    return rc;
}

/* Exit statuses of a worker. */
enum { WORKER_DONE = 0, WORKER_SETUP_FAILED = 3 };

/* A worker process: takes side numbers from the queue until it is empty.
 * Never returns. */
static void worker_main(int slot, int queue_fd)
{
    worker w;
    if (worker_setup(&w, slot) != 0)
        exit(WORKER_SETUP_FAILED);
    int k;
    while (read(queue_fd, &k, sizeof k) == (ssize_t)sizeof k) {
        if (k < 0 || k >= nsides)
            continue;
        results[k].worker = slot;
        results[k].status = ST_RUNNING;
        w.cur = &results[k];
        double t = now_s();
        report rep = {SC_BUF_INIT, SC_BUF_INIT};
        run_side(&w, k, &rep);
        results[k].secs = now_s() - t;
        char path[PATH_MAX];
        report_path(path, sizeof path, k);
        sc_buf text = SC_BUF_INIT;
        sc_buf_printf(&text, "%s\n%s", sc_buf_str(&rep.reasons), sc_buf_str(&rep.details));
        write_file(path, sc_buf_str(&text), text.len);
        sc_buf_free(&text);
        sc_buf_free(&rep.reasons);
        sc_buf_free(&rep.details);
    }
    for (int i = 0; i < 2; i++)
        PQfinish(w.dbconn[i]);
    PQfinish(w.admin);
    free(w.clean_sig);
    fflush(NULL);
    exit(WORKER_DONE);
}

/* ---- the run ------------------------------------------------------------ */

/* Checks the dump normaliser on made-up dumps: column order must not
 * matter, a changed default must. */
static bool normaliser_works(void)
{
    static const char a[] =
        "--\n-- Dumped from database version 15.1\n--\n\nSET x = 1;\n\n"
        "--\n-- Name: t; Type: TABLE; Schema: public; Owner: -\n--\n\n"
        "CREATE TABLE public.t (\n    a integer,\n    b text DEFAULT 'x,\ny'::text,\n"
        "    c integer\n);\n\n"
        "--\n-- Name: COLUMN t.a; Type: COMMENT; Schema: public; Owner: -\n--\n\n"
        "COMMENT ON COLUMN public.t.a IS 'a';\n\n"
        "--\n-- Name: COLUMN t.c; Type: COMMENT; Schema: public; Owner: -\n--\n\n"
        "COMMENT ON COLUMN public.t.c IS 'c';\n\n"
        "--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict abc\n";
    static const char b[] =
        "--\n-- Dumped from database version 15.2\n--\n\nSET x = 1;\n\n"
        "--\n-- Name: t; Type: TABLE; Schema: public; Owner: -\n--\n\n"
        "CREATE TABLE public.t (\n    c integer,\n    b text DEFAULT 'x,\ny'::text,\n"
        "    a integer\n);\n\n"
        "--\n-- Name: COLUMN t.c; Type: COMMENT; Schema: public; Owner: -\n--\n\n"
        "COMMENT ON COLUMN public.t.c IS 'c';\n\n"
        "--\n-- Name: COLUMN t.a; Type: COMMENT; Schema: public; Owner: -\n--\n\n"
        "COMMENT ON COLUMN public.t.a IS 'a';\n\n"
        "--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict def\n";
    sc_buf na = SC_BUF_INIT, nb = SC_BUF_INIT, nc = SC_BUF_INIT;
    normalise_dump(a, &na);
    normalise_dump(b, &nb);
    char *changed = strdup(b);
    if (changed == NULL)
        abort();
    memcpy(strstr(changed, "'x,"), "'z,", 3);
    normalise_dump(changed, &nc);
    bool ok = strcmp(sc_buf_str(&na), sc_buf_str(&nb)) == 0 &&
              strcmp(sc_buf_str(&na), sc_buf_str(&nc)) != 0 &&
              strstr(sc_buf_str(&na), "    b text DEFAULT 'x,\ny'::text\n") != NULL;
    free(changed);
    sc_buf_free(&na);
    sc_buf_free(&nb);
    sc_buf_free(&nc);
    return ok;
}

/* Creates the roles the peers' harnesses had before loading anything:
 * migra's test role, and each `user` a case is loaded as (a login role
 * whose search_path starts with its schema foo). */
static int create_roles(void)
{
    sc_buf e = SC_BUF_INIT;
    char ci[1024];
    make_conninfo(ci, sizeof ci, "postgres", pgfix_user(fx));
    PGconn *admin = connect_to(ci, &e);
    int rc = admin != NULL ? ensure_role(admin, "schemainspect_test_role", false, &e) : -1;
    for (int i = 0; i < ncases && rc == 0; i++) {
        if (cases[i].user == NULL)
            continue;
        rc = ensure_role(admin, cases[i].user, true, &e);
        sc_buf sql = SC_BUF_INIT;
        sc_buf_puts(&sql, "ALTER ROLE ");
        sc_ident_append(&sql, cases[i].user);
        sc_buf_puts(&sql, " SET search_path = foo, public");
        if (rc == 0)
            rc = exec_sql(admin, sc_buf_str(&sql), &e);
        sc_buf_free(&sql);
    }
    if (rc != 0)
        printf("peer cases: cannot create the roles: %s\n", sc_buf_str(&e));
    PQfinish(admin);
    sc_buf_free(&e);
    return rc;
}

/*
 * Marks each loadable side whose SQL and role are those of an earlier
 * side (a third of them: many cases start from the same schema, or from
 * an empty file); such a side is not run and shares the earlier one's
 * outcome.
 */
static void find_duplicates(void)
{
    int n = nsides;
    char(*keys)[SC_HASH_HEX_LEN + 1] = calloc((size_t)n, sizeof *keys);
    if (keys == NULL)
        abort();
    for (int k = 0; k < n; k++) {
        results[k].same = -1;
        const pcase *c = &cases[sides[k].c];
        if (migrate || !c->ok[sides[k].s] || c->setup_error != NULL)
            continue;
        size_t len = 0;
        char *text = read_file(c->file[sides[k].s], &len);
        if (text == NULL)
            continue;
        sc_buf b = SC_BUF_INIT;
        sc_buf_append(&b, text, len);
        sc_buf_putc(&b, '\0');
        sc_buf_puts(&b, c->user != NULL ? c->user : "");
        sc_hash_hex(keys[k], b.data, b.len);
        sc_buf_free(&b);
        free(text);
        for (int j = 0; j < k; j++) {
            if (keys[j][0] != '\0' && results[j].same < 0 && strcmp(keys[j], keys[k]) == 0) {
                results[k].same = j;
                break;
            }
        }
    }
    free(keys);
}

/* Forks worker `slot`; its pid, or -1. */
static pid_t spawn_worker(int slot, int queue_fd)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        worker_main(slot, queue_fd);
    if (pid < 0)
        fprintf(stderr, "peer cases: fork: %s\n", strerror(errno));
    return pid;
}

/* Runs the queue with `jobs` workers, replacing any that dies while sides
 * remain; the side a dead worker held fails. */
static void run_workers(int jobs, int queue_fd)
{
    pid_t pids[MAX_JOBS];
    int live = 0;
    for (int s = 0; s < jobs; s++) {
        pids[s] = spawn_worker(s, queue_fd);
        live += pids[s] > 0;
    }
    while (live > 0) {
        int st;
        pid_t pid = waitpid(-1, &st, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        int slot = -1;
        for (int s = 0; s < jobs; s++)
            if (pids[s] == pid)
                slot = s;
        if (slot < 0)
            continue;
        pids[slot] = -1;
        live--;
        if (WIFEXITED(st) &&
            (WEXITSTATUS(st) == WORKER_DONE || WEXITSTATUS(st) == WORKER_SETUP_FAILED))
            continue;
        for (int k = 0; k < nsides; k++) {
            if (results[k].status != ST_RUNNING || results[k].worker != slot)
                continue;
            results[k].status = ST_FAIL;
            char path[PATH_MAX], text[128];
            report_path(path, sizeof path, k);
            if (WIFSIGNALED(st))
                snprintf(text, sizeof text, "schemac crashed (signal %d)\n", WTERMSIG(st));
            else
                snprintf(text, sizeof text,
                         "worker exited with status %d (a sanitizer report, if any, is above)\n",
                         WEXITSTATUS(st));
            write_file(path, text, strlen(text));
        }
        int queued = 0;
        if (ioctl(queue_fd, FIONREAD, &queued) == 0 && queued > 0) {
            pids[slot] = spawn_worker(slot, queue_fd);
            live += pids[slot] > 0;
        }
    }
}

/* The end of a timing line: the mean cost of each phase per run, and how
 * the clean slates were made. */
static void print_phases(const char *const names[PH_COUNT], const double phase[PH_COUNT],
                         int nrun, unsigned recreated)
{
    for (int p = 0; p < PH_COUNT; p++)
        printf("%s %s %.0f", p ? "," : "", names[p], 1000 * phase[p] / nrun);
    if (db_mode_create)
        printf(" (every clean slate a new database)\n");
    else
        printf(" (%u clean slate%s needed a new database)\n", recreated,
               recreated == 1 ? "" : "s");
}

/* Prints one line per side (and the details of failures) and the summary;
 * returns the number of failed sides. */
static int print_report(int jobs, double wall)
{
    int nok = 0, nfail = 0, nnot = 0, nhere = 0, nrun = 0;
    unsigned recreated = 0;
    double work = 0, phase[PH_COUNT] = {0};
    for (int k = 0; k < nsides; k++) {
        const pcase *c = &cases[sides[k].c];
        const side_result *r = &results[k];
        const char *name = c->side_name[sides[k].s];
        if (r->status != ST_NOT_LOADABLE && r->same >= 0) {
            const pcase *o = &cases[sides[r->same].c];
            int st = results[r->same].status;
            bool failed = st == ST_FAIL || st == ST_PENDING || st == ST_RUNNING;
            const char *verdict = st == ST_OK ? "ok  " : failed ? "FAIL" : "--  ";
            printf("%s %s/%s %s: same SQL as %s/%s %s\n", verdict, c->source, c->name, name,
                   o->source, o->name, o->side_name[sides[r->same].s]);
            nok += st == ST_OK;
            nfail += failed;
            nnot += st == ST_NOT_LOADABLE_HERE;
            nhere += st == ST_NOT_LOADABLE_HERE;
            continue;
        }
        char path[PATH_MAX];
        report_path(path, sizeof path, k);
        char *text = r->status == ST_NOT_LOADABLE ? NULL : read_file(path, NULL);
        char *details = text != NULL ? strchr(text, '\n') : NULL;
        if (details != NULL)
            *details++ = '\0';
        switch (r->status) {
        case ST_OK:
            printf("ok   %s/%s %s\n", c->source, c->name, name);
            nok++;
            break;
        case ST_NOT_LOADABLE:
            printf("--   %s/%s %s: not loadable (PostgreSQL 15 rejects it: %s)\n", c->source,
                   c->name, name,
                   c->why_not[sides[k].s] != NULL ? c->why_not[sides[k].s] : "see meta.json");
            nnot++;
            break;
        case ST_NOT_LOADABLE_HERE:
            printf("--   %s/%s %s: not loadable on this server\n%s", c->source, c->name, name,
                   details != NULL ? details : "");
            nnot++;
            nhere++;
            break;
        case ST_FAIL:
            printf("FAIL %s/%s %s: %s\n%s", c->source, c->name, name,
                   text != NULL ? text : "(no report)", details != NULL ? details : "");
            nfail++;
            break;
        default:
            printf("FAIL %s/%s %s: not run\n", c->source, c->name, name);
            nfail++;
            break;
        }
        free(text);
        recreated += r->recreated;
        if ((r->status == ST_OK || r->status == ST_FAIL) && c->setup_error == NULL) {
            nrun++;
            work += r->secs;
            for (int p = 0; p < PH_COUNT; p++)
                phase[p] += r->phase[p];
        }
    }
    printf("%s: %d sides ok, %d failed, %d not loadable (of %d %s cases)\n", suite, nok, nfail,
           nnot, ncases, builtin ? "built-in" : "in-scope");
    if (nhere > 0)
        printf("%s: %d of the not loadable sides loaded on the PostgreSQL 15 that "
               "collected the cases but not on this server\n",
               suite, nhere);
    if (nrun > 0) {
        printf("%s: %.1f s, %d sides run (the others share their SQL) by %d worker%s; "
               "per side %.0f ms:",
               suite, wall, nrun, jobs, jobs == 1 ? "" : "s", 1000 * work / nrun);
        print_phases(phase_names, phase, nrun, recreated);
    }
    return nfail;
}

/* Per-source counts of --migrate. */
typedef struct source_count {
    const char *source;
    int ok, fail, unsupported, not_loadable;
} source_count;

/* One UNSUPPORTED reason and how many cases gave it. */
typedef struct reason_count {
    char *reason;
    int n;
    const pcase *example;
} reason_count;

/* qsort: most frequent reason first, then by text. */
static int cmp_reason(const void *a, const void *b)
{
    const reason_count *x = a, *y = b;
    if (x->n != y->n)
        return y->n - x->n;
    return strcmp(x->reason, y->reason);
}

/* --migrate: prints one line per case (and the details of failures), the
 * UNSUPPORTED reasons and the counts per source; returns the number of
 * failed cases. */
static int print_migrate_report(int jobs, double wall)
{
    source_count src[16];
    int nsrc = 0, nrun = 0, nfail = 0, nunsup = 0;
    reason_count *why = calloc((size_t)nsides + 1, sizeof *why);
    if (why == NULL)
        abort();
    int nwhy = 0;
    unsigned recreated = 0;
    double work = 0, phase[PH_COUNT] = {0};
    for (int k = 0; k < nsides; k++) {
        const pcase *c = &cases[sides[k].c];
        const side_result *r = &results[k];
        source_count *sc = NULL;
        for (int i = 0; i < nsrc && sc == NULL; i++)
            if (strcmp(src[i].source, c->source) == 0)
                sc = &src[i];
        if (sc == NULL) {
            if (nsrc == (int)(sizeof src / sizeof src[0]))
                sc = &src[nsrc - 1]; /* more sources than expected: lumped in the last */
            else {
                sc = &src[nsrc++];
                memset(sc, 0, sizeof *sc);
                sc->source = c->source;
            }
        }
        char path[PATH_MAX];
        report_path(path, sizeof path, k);
        char *text = r->status == ST_NOT_LOADABLE ? NULL : read_file(path, NULL);
        char *details = text != NULL ? strchr(text, '\n') : NULL;
        if (details != NULL)
            *details++ = '\0';
        switch (r->status) {
        case ST_OK:
            printf("ok   %s/%s%s%s\n", c->source, c->name, text != NULL && *text ? " " : "",
                   text != NULL ? text : "");
            sc->ok++;
            break;
        case ST_NOT_LOADABLE: {
            int s = c->ok[0] ? 1 : 0;
            printf("--   %s/%s: not loadable (PostgreSQL 15 rejects %s: %s)\n", c->source,
                   c->name, side_names[s],
                   c->why_not[s] != NULL ? c->why_not[s] : "see meta.json");
            sc->not_loadable++;
            break;
        }
        case ST_NOT_LOADABLE_HERE:
            printf("--   %s/%s: %s on this server\n%s", c->source, c->name,
                   text != NULL ? text : "not loadable", details != NULL ? details : "");
            sc->not_loadable++;
            break;
        case ST_UNSUPPORTED: {
            const char *reason = text != NULL ? text : "(no reason)";
            printf("UNSUPPORTED %s/%s: %s\n", c->source, c->name, reason);
            sc->unsupported++;
            nunsup++;
            int i = 0;
            while (i < nwhy && strcmp(why[i].reason, reason) != 0)
                i++;
            if (i == nwhy) {
                why[nwhy].reason = sc_xstrdup(reason);
                why[nwhy++].example = c;
            }
            why[i].n++;
            break;
        }
        case ST_FAIL:
            printf("FAIL %s/%s: %s\n%s", c->source, c->name, text != NULL ? text : "(no report)",
                   details != NULL ? details : "");
            sc->fail++;
            nfail++;
            break;
        default:
            printf("FAIL %s/%s: not run\n", c->source, c->name);
            sc->fail++;
            nfail++;
            break;
        }
        free(text);
        recreated += r->recreated;
        if (r->status == ST_OK || r->status == ST_FAIL || r->status == ST_UNSUPPORTED) {
            nrun++;
            work += r->secs;
            for (int p = 0; p < PH_COUNT; p++)
                phase[p] += r->phase[p];
        }
    }
    if (nwhy > 0) {
        qsort(why, (size_t)nwhy, sizeof *why, cmp_reason);
        printf("\n%s: %d UNSUPPORTED case%s (no failure for now), by reason:\n", suite, nunsup,
               nunsup == 1 ? "" : "s");
        for (int i = 0; i < nwhy; i++) {
            printf("  %4d  %s  (e.g. %s/%s)\n", why[i].n, why[i].reason, why[i].example->source,
                   why[i].example->name);
            free(why[i].reason);
        }
        printf("\n");
    }
    free(why);
    int total_ok = 0, total_not = 0;
    for (int i = 0; i < nsrc; i++) {
        printf("%s: %-15s %4d passed, %4d failed, %4d unsupported, %4d not loadable\n", suite,
               src[i].source, src[i].ok, src[i].fail, src[i].unsupported, src[i].not_loadable);
        total_ok += src[i].ok;
        total_not += src[i].not_loadable;
    }
    printf("%s: %d cases passed, %d failed, %d UNSUPPORTED, %d not loadable (of %d in-scope "
           "cases)\n",
           suite, total_ok, nfail, nunsup, total_not, ncases);
    if (nrun > 0) {
        printf("%s: %.1f s, %d cases run by %d worker%s; per case %.0f ms:", suite, wall, nrun,
               jobs, jobs == 1 ? "" : "s", 1000 * work / nrun);
        print_phases(migrate_phase_names, phase, nrun, recreated);
    }
    return nfail;
}

/* Adds built-in case `name` (source "schemac") of one side, `side` naming
 * what it loads, to `cases` (room for it is there). */
static pcase *add_builtin(pcase *cases, int *n, const char *name, const char *side)
{
    pcase *c = &cases[(*n)++];
    memset(c, 0, sizeof *c);
    c->source = sc_xstrdup("schemac");
    c->name = sc_xstrdup(name);
    c->nsides = 1;
    c->side_name[0] = side;
    c->ok[0] = true;
    return c;
}

/*
 * The built-in cases, schemac's own schemas, whose "source/case" contains
 * `filter` (NULL: all):
 *   schemac/example  the script sc_ddl_create() writes for the example
 *                    schema (every .schema file under SOURCE_ROOT/schema,
 *                    compiled as the round trip compiles pulled files),
 *                    written into the scratch directory;
 *   schemac/hostile  tests/pg/hostile.sql: names and values that break
 *                    naive quoting;
 *   schemac/rich     tests/pg/rich.sql: one of each kind of object.
 * The catalog tests load the same two files.  A case whose SQL cannot be
 * made or read keeps the reason in setup_error and fails when run, so the
 * suite never skips.  Returns the number of cases.
 */
static int builtin_cases(const char *root, const char *filter, pcase **out)
{
    static const char *const files[][2] = {
        {"hostile", "tests/pg/hostile.sql"},
        {"rich", "tests/pg/rich.sql"},
    };
    pcase *cases = calloc(1 + sizeof files / sizeof files[0], sizeof *cases);
    if (cases == NULL)
        abort();
    int n = 0;
    char path[PATH_MAX];
    if (filter == NULL || strstr("schemac/example", filter) != NULL) {
        pcase *c = add_builtin(cases, &n, "example", "create script of schema/");
        pathf(path, sizeof path, "%s/schema", root);
        sc_buf e = SC_BUF_INIT;
        sc_compiler *comp = compile_dir(path, &e);
        if (comp == NULL) {
            sc_buf_printf(&e, "(compiling %s)\n", path);
            c->setup_error = sc_buf_detach(&e);
        } else {
            sc_buf sql = SC_BUF_INIT;
            sc_ddl_create(&sql, comp->model);
            pathf(path, sizeof path, "%s/example.sql", tmp_root);
            if (write_file(path, sc_buf_str(&sql), sql.len) != 0) {
                sc_buf_printf(&e, "cannot write %s: %s\n", path, strerror(errno));
                c->setup_error = sc_buf_detach(&e);
            }
            sc_buf_free(&sql);
            sc_compiler_free(comp);
        }
        c->file[0] = sc_xstrdup(path);
        sc_buf_free(&e);
    }
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char full[64];
        snprintf(full, sizeof full, "schemac/%s", files[i][0]);
        if (filter != NULL && strstr(full, filter) == NULL)
            continue;
        pcase *c = add_builtin(cases, &n, files[i][0], files[i][1]);
        pathf(path, sizeof path, "%s/%s", root, files[i][1]);
        c->file[0] = sc_xstrdup(path);
        if (access(path, R_OK) != 0) {
            sc_buf e = SC_BUF_INIT;
            sc_buf_printf(&e, "cannot read %s: %s\n", path, strerror(errno));
            c->setup_error = sc_buf_detach(&e);
        }
    }
    *out = cases;
    return n;
}

int main(int argc, char **argv)
{
    double t0 = now_s();
    setvbuf(stdout, NULL, _IOLBF, 0);
    builtin = argc > 1 && strcmp(argv[1], "--builtin") == 0;
    migrate = argc > 1 && strcmp(argv[1], "--migrate") == 0;
    int nopts = builtin || migrate;
    const char *root = argc > 1 + nopts ? argv[1 + nopts] : ".";
    char dir[PATH_MAX], real[PATH_MAX];
    const char *peer_dir = NULL;
    if (migrate)
        suite = "peer migrations";
    if (builtin) {
        suite = "dump round trip";
    } else {
        const char *env = getenv("SCHEMAC_PEER_CASES");
        if (env != NULL && *env != '\0')
            snprintf(dir, sizeof dir, "%s", env);
        else
            snprintf(dir, sizeof dir, "%s/../shared/peer-cases", root);
        struct stat st;
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            printf("%s: no peer-case folder at %s; suite skipped\n", suite, dir);
            return 77;
        }
        peer_dir = realpath(dir, real) != NULL ? real : dir;
    }
    if (!normaliser_works()) {
        printf("%s: the pg_dump normaliser fails its self-test\n", suite);
        return 1;
    }
    const char *filter = getenv("SCHEMAC_PEER_FILTER");
    if (filter != NULL && *filter == '\0')
        filter = NULL;
    const char *env = getenv("SCHEMAC_PEER_JOBS");
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = env != NULL && atoi(env) > 0 ? atoi(env) : cpus < 2 ? 2 : cpus > 8 ? 8 : (int)cpus;
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    env = getenv("SCHEMAC_PEER_DBMODE");
    db_mode_create = env != NULL && strcmp(env, "create") == 0;
    env = getenv("SCHEMAC_PEER_SELFCHECK");
    self_check = env != NULL && strcmp(env, "1") == 0;

    int rc = 1;
    int qfd[2] = {-1, -1};
    const char *tmp = getenv("TMPDIR");
    snprintf(tmp_root, sizeof tmp_root, "%s/schemac-peer.XXXXXX",
             tmp != NULL && *tmp == '/' ? tmp : "/tmp");
    if (mkdtemp(tmp_root) == NULL) {
        printf("%s: cannot make a scratch directory: %s\n", suite, strerror(errno));
        tmp_root[0] = '\0';
        goto done;
    }
    ncases = builtin ? builtin_cases(root, filter, &cases) : load_index(peer_dir, filter, &cases);
    if (ncases <= 0) {
        if (ncases == 0)
            printf("%s: no %s case%s%s in %s\n", suite, builtin ? "built-in" : "in-scope",
                   filter != NULL ? " matches " : "", filter != NULL ? filter : "",
                   builtin ? "this program" : peer_dir);
        goto done;
    }
    /* With --migrate, one entry per case (its side 0 stands for both). */
    for (int i = 0; i < ncases; i++)
        nsides += migrate ? 1 : cases[i].nsides;
    sides = calloc((size_t)nsides, sizeof *sides);
    if (sides == NULL)
        abort();
    for (int i = 0, k = 0; i < ncases; i++)
        for (int j = 0; j < (migrate ? 1 : cases[i].nsides); j++)
            sides[k++] = (side_ref){i, j};
    results = mmap(NULL, (size_t)nsides * sizeof *results, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (results == MAP_FAILED) {
        printf("%s: cannot set up: %s\n", suite, strerror(errno));
        goto done;
    }
    child_env = make_child_env();
    fx = pgfix_start();
    if (fx == NULL || create_roles() != 0)
        goto done;

    /* The queue: every loadable side, in index order. */
    if (pipe2(qfd, O_CLOEXEC) != 0) {
        printf("%s: pipe: %s\n", suite, strerror(errno));
        goto done;
    }
    if ((size_t)nsides * sizeof(int) > 65536)
        fcntl(qfd[1], F_SETPIPE_SZ, (int)((size_t)nsides * sizeof(int)));
    int nqueued = 0;
    find_duplicates();
    for (int k = 0; k < nsides; k++) {
        const pcase *c = &cases[sides[k].c];
        if (migrate ? !c->ok[0] || !c->ok[1] : !c->ok[sides[k].s]) {
            results[k].status = ST_NOT_LOADABLE;
            continue;
        }
        if (results[k].same >= 0)
            continue;
        if (write(qfd[1], &k, sizeof k) != (ssize_t)sizeof k) {
            printf("%s: cannot queue %d sides: %s\n", suite, nsides, strerror(errno));
            goto done;
        }
        nqueued++;
    }
    close(qfd[1]);
    qfd[1] = -1;
    if (jobs > nqueued)
        jobs = nqueued > 0 ? nqueued : 1;
    run_workers(jobs, qfd[0]);
    if (migrate)
        rc = print_migrate_report(jobs, now_s() - t0) > 0 ? 1 : 0;
    else
        rc = print_report(jobs, now_s() - t0) > 0 ? 1 : 0;
done:
    if (qfd[0] >= 0)
        close(qfd[0]);
    if (qfd[1] >= 0)
        close(qfd[1]);
    pgfix_stop(fx);
    if (tmp_root[0] != '\0')
        rm_rf(tmp_root);
    if (results != MAP_FAILED && results != NULL)
        munmap(results, (size_t)nsides * sizeof *results);
    for (int i = 0; i < ncases; i++)
        pcase_free(&cases[i]);
    free(cases);
    free(sides);
    free(child_env);
    return rc;
}
