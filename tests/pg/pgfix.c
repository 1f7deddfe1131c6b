/*
 * pgfix — a throwaway PostgreSQL server for tests (see pgfix.h).
 *
 * Layout of one fixture, all under a fresh mkdtemp directory ("base"):
 *   base/data        the cluster (made by initdb)
 *   base/s           the unix socket directory (or /tmp/pgfs.XXXXXX when
 *                    base is too long for a socket path)
 *   base/pgfix.log   output of initdb and pg_ctl, printed on failure
 *   base/server.log  the server's own log, printed on failure
 *
 * Child programs are run with fork + (setgid/setuid when root) + execve,
 * with every inherited descriptor above stderr closed, PG* environment
 * variables removed, and a deadline after which their process group is
 * killed.  Nothing between fork and exec allocates memory.
 *
 * A watchdog (/bin/sh, in its own session) holds the read end of a pipe
 * whose write end only the fixture's process holds; when that process
 * dies without pgfix_stop() the pipe reaches EOF and the watchdog stops
 * the server and removes the directories, so crashed tests leak nothing.
 */
#define _GNU_SOURCE

#include "pgfix.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

/* Name of the cluster's superuser (initdb -U). */
#define PGFIX_SUPERUSER "postgres"

/* Deadlines, in seconds. */
#define T_PG_CONFIG 10.0
#define T_INITDB 90.0
#define T_START 60 /* pg_ctl -t */
#define T_STOP 30  /* pg_ctl -t */
#define T_SLACK 15.0

/* Longest socket directory we accept: the socket file name appended to it
 * ("/.s.PGSQL.65535.lock") must fit in sockaddr_un.sun_path (108 bytes). */
#define SOCKDIR_MAX 80

/* A string handed out to the caller, freed by pgfix_stop. */
typedef struct strnode {
    struct strnode *next;
    char s[];
} strnode;

struct pgfix {
    char bindir[PATH_MAX];
    char base[PATH_MAX];
    char datadir[PATH_MAX];
    char sockdir[PATH_MAX];
    int sock_outside;   /* sockdir is not under base */
    char log[PATH_MAX]; /* initdb/pg_ctl output */
    char serverlog[PATH_MAX];
    int port;
    pid_t server_pid;
    pid_t owner;      /* process that started the fixture */
    pid_t watchdog;   /* 0 if none */
    int watch_fd;     /* write end of the watchdog's pipe, or -1 */
    int log_fd;       /* base/pgfix.log, or -1 */
    int drop;         /* run binaries as uid/gid below (we are root) */
    uid_t uid;
    gid_t gid;
    strnode *strings;
    int attached; /* made by pgfix_attach(): the server belongs to another process */
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("pgfix: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(stderr);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* snprintf that reports truncation as failure. */
static int fmt(char *dst, size_t n, const char *f, ...) __attribute__((format(printf, 3, 4)));

static int fmt(char *dst, size_t n, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int r = vsnprintf(dst, n, f, ap);
    va_end(ap);
    return r < 0 || (size_t)r >= n ? -1 : 0;
}

static int is_exec(const char *dir, const char *prog)
{
    char p[PATH_MAX];
    if (fmt(p, sizeof p, "%s/%s", dir, prog) != 0)
        return 0;
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

/* ---- running child programs ---------------------------------------- */

/* The environment for children: ours without PG* variables, which would
 * otherwise redirect pg_ctl or initdb (PGDATA, PGPORT, PGOPTIONS ...). */
static char **child_env(void)
{
    extern char **environ;
    size_t n = 0;
    for (char **e = environ; *e != NULL; e++)
        n++;
    char **env = malloc((n + 1) * sizeof *env);
    if (env == NULL)
        return NULL;
    size_t k = 0;
    for (char **e = environ; *e != NULL; e++)
        if (strncmp(*e, "PG", 2) != 0)
            env[k++] = *e;
    env[k] = NULL;
    return env;
}

/* Closes every descriptor from `lo` up; async-signal-safe. */
static void close_from(int lo, long maxfd)
{
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)lo, ~0U, 0) == 0)
        return;
#endif
    for (long fd = lo; fd < maxfd; fd++)
        close((int)fd);
}

static long max_fd(void)
{
    long m = sysconf(_SC_OPEN_MAX);
    if (m < 0 || m > 65536)
        m = 65536;
    return m;
}

/*
 * Runs argv[0] (a path) with stdin from /dev/null and stdout/stderr on
 * out_fd, as the fixture's unprivileged user when f->drop.  With argv NULL
 * the child instead checks that it can use directory `probe` and exits.
 * Kills the child's process group after `timeout` seconds.  Returns the
 * exit status, or -1 (with a message) if it could not run, died of a
 * signal or timed out.
 */
static int run(const pgfix *f, const char *const *argv, const char *probe, int out_fd, double timeout)
{
    char **env = child_env();
    if (env == NULL) {
        say("out of memory");
        return -1;
    }
    long maxfd = max_fd();
    const char *what = argv != NULL ? argv[0] : "access check";
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        say("fork: %s", strerror(errno));
        free(env);
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0);
        int nul = open("/dev/null", O_RDWR);
        if (nul < 0)
            _exit(125);
        dup2(nul, 0);
        dup2(out_fd >= 0 ? out_fd : nul, 1);
        dup2(out_fd >= 0 ? out_fd : nul, 2);
        close_from(3, maxfd);
        if (f->drop) {
            if (setgroups(1, &f->gid) != 0 || setgid(f->gid) != 0 || setuid(f->uid) != 0)
                _exit(126);
        }
        if (argv == NULL)
            _exit(access(probe, R_OK | W_OK | X_OK) == 0 ? 0 : 1);
        execve(argv[0], (char *const *)argv, env);
        _exit(127);
    }
    setpgid(pid, pid);
    free(env);

    double deadline = now_s() + timeout;
    long nap = 1;
    int st = 0;
    for (;;) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            say("waitpid(%s): %s", what, strerror(errno));
            return -1;
        }
        if (now_s() > deadline) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
            say("%s did not finish within %.0f s; killed", what, timeout);
            return -1;
        }
        sleep_ms(nap);
        if (nap < 20)
            nap *= 2;
    }
    if (WIFEXITED(st)) {
        int code = WEXITSTATUS(st);
        if (code == 126)
            say("%s: could not switch to uid %d", what, (int)f->uid);
        else if (code == 127)
            say("%s: could not execute", what);
        return code;
    }
    say("%s died of signal %d", what, WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return -1;
}

/* ---- locating PostgreSQL ------------------------------------------- */

/* Looks for `prog` along $PATH. */
static int in_path(const char *prog, char *out, size_t n)
{
    const char *path = getenv("PATH");
    if (path == NULL)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path != '\0') {
        const char *end = strchr(path, ':');
        size_t len = end != NULL ? (size_t)(end - path) : strlen(path);
        if (len > 0 && len < PATH_MAX) {
            char dir[PATH_MAX];
            memcpy(dir, path, len);
            dir[len] = '\0';
            if (is_exec(dir, prog) && fmt(out, n, "%s/%s", dir, prog) == 0)
                return 0;
        }
        path += len;
        if (*path == ':')
            path++;
    }
    return -1;
}

/* `pg_config --bindir`, or -1. */
static int bindir_from_pg_config(const pgfix *f, char *out, size_t n)
{
    char exe[PATH_MAX];
    if (in_path("pg_config", exe, sizeof exe) != 0)
        return -1;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    pgfix plain = *f;
    plain.drop = 0;
    const char *argv[] = {exe, "--bindir", NULL};
    int rc = run(&plain, argv, NULL, fds[1], T_PG_CONFIG);
    close(fds[1]);
    char buf[PATH_MAX];
    size_t len = 0;
    ssize_t r;
    struct pollfd pfd = {fds[0], POLLIN, 0};
    while (len + 1 < sizeof buf && poll(&pfd, 1, 0) > 0 &&
           (r = read(fds[0], buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)r;
    close(fds[0]);
    if (rc != 0)
        return -1;
    buf[len] = '\0';
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' '))
        buf[--len] = '\0';
    if (len == 0 || fmt(out, n, "%s", buf) != 0)
        return -1;
    return 0;
}

/* The highest /usr/lib/postgresql/<version>/bin holding initdb, or -1. */
static int bindir_from_usr_lib(char *out, size_t n)
{
    const char *root = "/usr/lib/postgresql";
    DIR *d = opendir(root);
    if (d == NULL)
        return -1;
    double best = -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *end;
        double v = strtod(e->d_name, &end);
        if (end == e->d_name || *end != '\0' || v <= best)
            continue;
        char dir[PATH_MAX];
        if (fmt(dir, sizeof dir, "%s/%s/bin", root, e->d_name) != 0 || !is_exec(dir, "initdb"))
            continue;
        if (fmt(out, n, "%s", dir) == 0)
            best = v;
    }
    closedir(d);
    return best >= 0 ? 0 : -1;
}

static int find_bindir(pgfix *f)
{
    const char *env = getenv("SCHEMAC_PG_BINDIR");
    if (env != NULL && *env != '\0') {
        if (fmt(f->bindir, sizeof f->bindir, "%s", env) != 0 || !is_exec(env, "initdb") ||
            !is_exec(env, "pg_ctl")) {
            say("SCHEMAC_PG_BINDIR=%s has no executable initdb and pg_ctl", env);
            return -1;
        }
        return 0;
    }
    if (bindir_from_pg_config(f, f->bindir, sizeof f->bindir) == 0 && is_exec(f->bindir, "initdb") &&
        is_exec(f->bindir, "pg_ctl"))
        return 0;
    if (bindir_from_usr_lib(f->bindir, sizeof f->bindir) == 0 && is_exec(f->bindir, "pg_ctl"))
        return 0;
    f->bindir[0] = '\0';
    say("cannot find the PostgreSQL server programs (initdb, pg_ctl): install the `postgresql` "
        "package (e.g. apt-get install postgresql), or set SCHEMAC_PG_BINDIR to the directory "
        "holding them");
    return -1;
}

/* ---- files ---------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    if (remove(path) != 0 && errno != ENOENT)
        say("cannot remove %s: %s", path, strerror(errno));
    return 0;
}

static void rm_rf(const char *path)
{
    if (path[0] != '\0')
        nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void dump_file(const char *title, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return;
    fprintf(stderr, "----- %s (%s) -----\n", title, path);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        fwrite(buf, 1, n, stderr);
    fprintf(stderr, "----- end of %s -----\n", title);
    fclose(fp);
    fflush(stderr);
}

static void dump_logs(const pgfix *f)
{
    dump_file("initdb/pg_ctl output", f->log);
    dump_file("server log", f->serverlog);
}

/* Postmaster pid from data/postmaster.pid, or 0. */
static pid_t read_server_pid(const pgfix *f)
{
    char p[PATH_MAX];
    if (fmt(p, sizeof p, "%s/postmaster.pid", f->datadir) != 0)
        return 0;
    FILE *fp = fopen(p, "r");
    if (fp == NULL)
        return 0;
    long pid = 0;
    if (fscanf(fp, "%ld", &pid) != 1)
        pid = 0;
    fclose(fp);
    return (pid_t)pid;
}

static int pidfile_exists(const pgfix *f)
{
    char p[PATH_MAX];
    return fmt(p, sizeof p, "%s/postmaster.pid", f->datadir) == 0 && access(p, F_OK) == 0;
}

/* Whether `pid` no longer runs: gone, or a zombie nobody reaped yet. */
int pgfix_process_gone(long pid)
{
    if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
        return 1;
    char p[64], buf[256];
    snprintf(p, sizeof p, "/proc/%ld/stat", (long)pid);
    FILE *fp = fopen(p, "r");
    if (fp == NULL)
        return 1;
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    const char *rp = strrchr(buf, ')');
    return rp != NULL && rp[1] == ' ' && (rp[2] == 'Z' || rp[2] == 'X');
}

/* ---- the fixture ---------------------------------------------------- */

static const char *keep(pgfix *f, const char *s)
{
    size_t len = strlen(s);
    strnode *n = malloc(sizeof *n + len + 1);
    if (n == NULL)
        return NULL;
    memcpy(n->s, s, len + 1);
    n->next = f->strings;
    f->strings = n;
    return n->s;
}

/* Stops the server however it can: pg_ctl stop -m immediate, then SIGKILL. */
static void server_down(pgfix *f)
{
    if (f->datadir[0] == '\0' || !pidfile_exists(f))
        return;
    pid_t pid = read_server_pid(f);
    if (pid <= 0)
        pid = f->server_pid;
    char t[16];
    snprintf(t, sizeof t, "%d", T_STOP);
    char pg_ctl[PATH_MAX];
    if (fmt(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", f->bindir) == 0) {
        const char *argv[] = {pg_ctl, "-D", f->datadir, "-m", "immediate", "-w", "-t", t, "stop", NULL};
        run(f, argv, NULL, f->log_fd, T_STOP + T_SLACK);
    }
    if (pidfile_exists(f) && pid > 0 && !pgfix_process_gone(pid)) {
        say("pg_ctl stop failed; killing postmaster %ld", (long)pid);
        kill(pid, SIGKILL);
    }
    /* The postmaster leaves once its children have; wait for that. */
    if (pid > 0)
        for (double end = now_s() + 10; !pgfix_process_gone(pid) && now_s() < end;)
            sleep_ms(5);
}

static void destroy(pgfix *f)
{
    if (f->attached) {
        for (strnode *n = f->strings, *next; n != NULL; n = next) {
            next = n->next;
            free(n);
        }
        free(f);
        return;
    }
    server_down(f);
    if (f->log_fd >= 0)
        close(f->log_fd);
    f->log_fd = -1;
    if (f->sock_outside)
        rm_rf(f->sockdir);
    rm_rf(f->base);
    if (f->watchdog > 0) {
        kill(f->watchdog, SIGKILL);
        if (getpid() == f->owner)
            while (waitpid(f->watchdog, NULL, 0) < 0 && errno == EINTR)
                ;
    }
    if (f->watch_fd >= 0)
        close(f->watch_fd);
    for (strnode *n = f->strings, *next; n != NULL; n = next) {
        next = n->next;
        free(n);
    }
    free(f);
}

/* Picks the user that runs the server when we are root. */
static int pick_user(pgfix *f)
{
    if (geteuid() != 0)
        return 0;
    struct passwd *pw = getpwnam("postgres");
    if (pw == NULL)
        pw = getpwnam("nobody");
    if (pw == NULL) {
        say("running as root, but there is neither a `postgres` nor a `nobody` user to run "
            "PostgreSQL as (it refuses to run as root)");
        return -1;
    }
    f->drop = 1;
    f->uid = pw->pw_uid;
    f->gid = pw->pw_gid;
    return 0;
}

static int own(const pgfix *f, const char *path)
{
    if (f->drop && chown(path, f->uid, f->gid) != 0) {
        say("chown %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Makes base (and the socket dir) in `tmp`, usable by the server's user. */
static int make_dirs(pgfix *f, const char *tmp)
{
    if (fmt(f->base, sizeof f->base, "%s/pgfix.XXXXXX", tmp) != 0) {
        f->base[0] = '\0';
        return -1;
    }
    if (mkdtemp(f->base) == NULL) {
        say("mkdtemp %s: %s", f->base, strerror(errno));
        f->base[0] = '\0';
        return -1;
    }
    if (own(f, f->base) != 0)
        return -1;
    if (f->drop && run(f, NULL, f->base, -1, 10) != 0) {
        say("user %d cannot use %s", (int)f->uid, f->base);
        return -1;
    }
    if (fmt(f->datadir, sizeof f->datadir, "%s/data", f->base) != 0 ||
        fmt(f->log, sizeof f->log, "%s/pgfix.log", f->base) != 0 ||
        fmt(f->serverlog, sizeof f->serverlog, "%s/server.log", f->base) != 0) {
        say("temporary directory path too long: %s", f->base);
        return -1;
    }
    if (strlen(f->base) + 2 <= SOCKDIR_MAX) {
        fmt(f->sockdir, sizeof f->sockdir, "%s/s", f->base);
        if (mkdir(f->sockdir, 0700) != 0) {
            say("mkdir %s: %s", f->sockdir, strerror(errno));
            return -1;
        }
    } else {
        strcpy(f->sockdir, "/tmp/pgfs.XXXXXX");
        if (mkdtemp(f->sockdir) == NULL) {
            say("mkdtemp %s: %s", f->sockdir, strerror(errno));
            f->sockdir[0] = '\0';
            return -1;
        }
        f->sock_outside = 1;
    }
    return own(f, f->sockdir);
}

static int random_port(void)
{
    static unsigned counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long x = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 20) ^
                           ((unsigned long long)getpid() << 32) ^ (++counter * 0x9E3779B97F4A7C15ULL);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return 20000 + (int)(x % 40000);
}

/* Appends our settings to postgresql.conf. */
static int configure(pgfix *f)
{
    char conf[PATH_MAX];
    if (fmt(conf, sizeof conf, "%s/postgresql.conf", f->datadir) != 0)
        return -1;
    FILE *fp = fopen(conf, "a");
    if (fp == NULL) {
        say("cannot open %s: %s", conf, strerror(errno));
        return -1;
    }
    fprintf(fp, "\n# pgfix: private throwaway test server\n"
                "listen_addresses = ''\n"
                "port = %d\n"
                "unix_socket_directories = '",
            f->port);
    for (const char *p = f->sockdir; *p != '\0'; p++) {
        if (*p == '\'')
            fputc('\'', fp);
        fputc(*p, fp);
    }
    fputs("'\n"
          "fsync = off\n"
          "full_page_writes = off\n"
          "synchronous_commit = off\n"
          "logging_collector = off\n"
          "# creating or dropping thousands of tables in one transaction\n"
          "# (benchmarks): the lock table holds max_locks_per_transaction\n"
          "# times max_connections (and a few) locks\n"
          "max_connections = 60\n"
          "max_locks_per_transaction = 2048\n",
          fp);
    return fclose(fp) == 0 ? 0 : -1;
}

/* Starts the watchdog that cleans up if this process dies first. */
static void start_watchdog(pgfix *f)
{
    static const char script[] =
        "read -r x\n"
        "pid=\n"
        "[ -e \"$1/postmaster.pid\" ] && read -r pid < \"$1/postmaster.pid\"\n"
        "case \"$pid\" in ''|*[!0-9]*|0|1) pid= ;; esac\n"
        "if [ -n \"$pid\" ]; then\n"
        "  kill -QUIT \"$pid\" 2>/dev/null\n"
        "  i=0\n"
        "  while [ -e \"$1/postmaster.pid\" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done\n"
        "  [ -e \"$1/postmaster.pid\" ] && kill -KILL \"$pid\" 2>/dev/null\n"
        "fi\n"
        "rm -rf \"$2\" ${3:+\"$3\"}\n";
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        say("pipe: %s (no watchdog)", strerror(errno));
        return;
    }
    const char *argv[] = {"/bin/sh", "-c", script, "pgfix-watchdog", f->datadir, f->base,
                          f->sock_outside ? f->sockdir : "", NULL};
    char **env = child_env();
    long maxfd = max_fd();
    fflush(NULL);
    pid_t w = env != NULL ? fork() : -1;
    if (w == 0) {
        setsid();
        int nul = open("/dev/null", O_RDWR);
        dup2(fds[0], 0);
        dup2(nul, 1);
        dup2(nul, 2);
        close_from(3, maxfd);
        execve(argv[0], (char *const *)argv, env);
        _exit(127);
    }
    free(env);
    close(fds[0]);
    if (w < 0) {
        say("fork: %s (no watchdog)", strerror(errno));
        close(fds[1]);
        return;
    }
    f->watchdog = w;
    f->watch_fd = fds[1];
}

/* Creates the cluster, starts it and waits until it answers. */
pgfix *pgfix_start(void)
{
    pgfix *f = calloc(1, sizeof *f);
    if (f == NULL) {
        say("out of memory");
        return NULL;
    }
    f->watch_fd = -1;
    f->log_fd = -1;
    f->owner = getpid();
    if (pick_user(f) != 0 || find_bindir(f) != 0)
        goto fail;

    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] != '/' || strlen(tmp) > 200)
        tmp = "/tmp";
    if (make_dirs(f, tmp) != 0) {
        if (strcmp(tmp, "/tmp") == 0)
            goto fail;
        say("retrying in /tmp");
        rm_rf(f->base);
        if (f->sock_outside)
            rm_rf(f->sockdir);
        f->sock_outside = 0;
        f->sockdir[0] = '\0';
        if (make_dirs(f, "/tmp") != 0)
            goto fail;
    }
    f->log_fd = open(f->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (f->log_fd < 0) {
        say("cannot create %s: %s", f->log, strerror(errno));
        goto fail;
    }

    /* initdb */
    const char *locale = "C.UTF-8";
    locale_t loc = newlocale(LC_ALL_MASK, locale, (locale_t)0);
    if (loc == (locale_t)0)
        locale = "C";
    else
        freelocale(loc);
    char initdb[PATH_MAX], pg_ctl[PATH_MAX], locale_opt[64];
    fmt(initdb, sizeof initdb, "%s/initdb", f->bindir);
    fmt(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", f->bindir);
    snprintf(locale_opt, sizeof locale_opt, "--locale=%s", locale);
    const char *initdb_argv[] = {initdb,        "-D",        f->datadir, "-U", PGFIX_SUPERUSER, "-A", "trust",
                                 "-E",          "UTF8",      locale_opt, "-N", NULL};
    if (run(f, initdb_argv, NULL, f->log_fd, T_INITDB) != 0) {
        say("initdb failed");
        goto fail_logs;
    }

    /* start */
    f->port = random_port();
    if (configure(f) != 0)
        goto fail_logs;
    char t[16];
    snprintf(t, sizeof t, "%d", T_START);
    const char *start_argv[] = {pg_ctl, "-D", f->datadir, "-l", f->serverlog, "-w", "-t", t, "start", NULL};
    if (run(f, start_argv, NULL, f->log_fd, T_START + T_SLACK) != 0) {
        say("pg_ctl start failed");
        goto fail_logs;
    }
    f->server_pid = read_server_pid(f);
    start_watchdog(f);

    PGPing ping = PQping(pgfix_conninfo(f, "postgres"));
    if (ping != PQPING_OK) {
        say("server started but does not answer on %s (PQping %d)", pgfix_conninfo(f, "postgres"), (int)ping);
        goto fail_logs;
    }
    return f;

fail_logs:
    dump_logs(f);
fail:
    destroy(f);
    return NULL;
}

/* Stops the server, removes its directories and frees the fixture. */
void pgfix_stop(pgfix *f)
{
    if (f != NULL)
        destroy(f);
}

/* Appends `v` to `b` as a conninfo value, quoted when needed. */
static void conn_value(char *b, size_t n, const char *v)
{
    size_t len = strlen(b);
    int quote = v[0] == '\0' || strpbrk(v, " \t\n\r'\\") != NULL;
    if (quote && len + 1 < n)
        b[len++] = '\'';
    for (const char *p = v; *p != '\0' && len + 2 < n; p++) {
        if (*p == '\'' || *p == '\\')
            b[len++] = '\\';
        b[len++] = *p;
    }
    if (quote && len + 1 < n)
        b[len++] = '\'';
    b[len] = '\0';
}

/* conninfo for `dbname`, kept in the fixture's string list. */
const char *pgfix_conninfo(pgfix *f, const char *dbname)
{
    if (f == NULL || dbname == NULL)
        return NULL;
    char b[3 * PATH_MAX];
    strcpy(b, "host=");
    conn_value(b, sizeof b, f->sockdir);
    snprintf(b + strlen(b), sizeof b - strlen(b), " port=%d user=%s dbname=", f->port, PGFIX_SUPERUSER);
    conn_value(b, sizeof b, dbname);
    return keep(f, b);
}

/* Appends `v` percent-encoded; '/' is kept when `slash`. */
static void url_value(char *b, size_t n, const char *v, int slash)
{
    size_t len = strlen(b);
    for (const unsigned char *p = (const unsigned char *)v; *p != '\0' && len + 4 < n; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p) != NULL || (slash && *p == '/'))
            b[len++] = (char)*p;
        else
            len += (size_t)snprintf(b + len, n - len, "%%%02X", *p);
    }
    b[len] = '\0';
}

/* postgresql:// URL for `dbname`, kept in the fixture's string list. */
const char *pgfix_url(pgfix *f, const char *dbname)
{
    if (f == NULL || dbname == NULL)
        return NULL;
    char b[4 * PATH_MAX];
    strcpy(b, "postgresql:///");
    url_value(b, sizeof b, dbname, 0);
    strcat(b, "?host=");
    url_value(b, sizeof b, f->sockdir, 1);
    snprintf(b + strlen(b), sizeof b - strlen(b), "&port=%d&user=%s", f->port, PGFIX_SUPERUSER);
    return keep(f, b);
}

/* Runs `sql` through one short-lived connection (simple query protocol,
 * so several statements are allowed). */
int pgfix_exec(pgfix *f, const char *dbname, const char *sql)
{
    if (f == NULL || dbname == NULL || sql == NULL)
        return -1;
    const char *ci = pgfix_conninfo(f, dbname);
    if (ci == NULL)
        return -1;
    char b[3 * PATH_MAX + 32];
    snprintf(b, sizeof b, "%s connect_timeout=10", ci);
    PGconn *c = PQconnectdb(b);
    if (PQstatus(c) != CONNECTION_OK) {
        say("cannot connect to %s: %s", ci, PQerrorMessage(c));
        PQfinish(c);
        return -1;
    }
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
        const char *msg = r != NULL ? PQresultErrorMessage(r) : PQerrorMessage(c);
        say("SQL failed on database %s: %s", dbname, msg);
        rc = -1;
    }
    PQclear(r);
    PQfinish(c);
    return rc;
}

/* CREATE DATABASE "dbname" TEMPLATE template0, run on database postgres. */
const char *pgfix_createdb(pgfix *f, const char *dbname)
{
    if (f == NULL || dbname == NULL)
        return NULL;
    size_t len = strlen(dbname);
    char *sql = malloc(2 * len + 64);
    if (sql == NULL)
        return NULL;
    char *p = sql + sprintf(sql, "CREATE DATABASE \"");
    for (const char *s = dbname; *s != '\0'; s++) {
        if (*s == '"')
            *p++ = '"';
        *p++ = *s;
    }
    strcpy(p, "\" TEMPLATE template0");
    int rc = pgfix_exec(f, "postgres", sql);
    free(sql);
    return rc == 0 ? pgfix_conninfo(f, dbname) : NULL;
}

/* Accessors: see pgfix.h. */
const char *pgfix_bindir(pgfix *f)
{
    return f != NULL ? f->bindir : NULL;
}

/* The socket directory doubles as libpq's host. */
const char *pgfix_host(pgfix *f)
{
    return f != NULL ? f->sockdir : NULL;
}

/* The port chosen at start. */
int pgfix_port(pgfix *f)
{
    return f != NULL ? f->port : -1;
}

/* Always the initdb -U superuser. */
const char *pgfix_user(pgfix *f)
{
    return f != NULL ? PGFIX_SUPERUSER : NULL;
}

/* base/data. */
const char *pgfix_datadir(pgfix *f)
{
    return f != NULL ? f->datadir : NULL;
}

/* Read from postmaster.pid once the server is up. */
int pgfix_server_pid(pgfix *f)
{
    return f != NULL ? (int)f->server_pid : -1;
}

/* The environment variable through which pgfix_share() passes a server on. */
#define SHARE_ENV "PGFIX_SHARED"

int pgfix_share(pgfix *f)
{
    char v[3 * PATH_MAX + 64];
    if (fmt(v, sizeof v, "%d\n%s\n%s", f->port, f->sockdir, f->bindir) != 0)
        return -1;
    return setenv(SHARE_ENV, v, 1);
}

pgfix *pgfix_attach(void)
{
    const char *v = getenv(SHARE_ENV);
    if (v == NULL)
        return NULL;
    pgfix *f = calloc(1, sizeof *f);
    if (f == NULL)
        return NULL;
    f->attached = 1;
    f->watch_fd = -1;
    f->log_fd = -1;
    const char *a = strchr(v, '\n');
    const char *b = a != NULL ? strchr(a + 1, '\n') : NULL;
    if (b == NULL || (size_t)(b - a - 1) >= sizeof f->sockdir || strlen(b + 1) >= sizeof f->bindir) {
        free(f);
        return NULL;
    }
    f->port = atoi(v);
    memcpy(f->sockdir, a + 1, (size_t)(b - a - 1));
    f->sockdir[b - a - 1] = '\0';
    strcpy(f->bindir, b + 1);
    return f;
}
