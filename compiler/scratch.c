/*
 * The private development server (see scratch.h for where it lives and
 * why).
 *
 * How it works.  sc_scratch_server() first works out, without touching
 * the disk beyond a few stat() calls, which binaries it would use, their
 * major version, the user that runs the server, and so the directories
 * and the conninfo; then it simply connects.  A server that answers and
 * is of the binaries' major version is the common case and ends the call
 * (a few milliseconds).  Otherwise it creates the directories, takes an
 * exclusive flock on <cache>/pgNN.lock (so concurrent runs do not both
 * initdb or start), connects again (another run may just have started
 * it), and then repairs whatever it finds: a data directory missing or of
 * another major version is (re)made by initdb into data.new and renamed
 * into place, so a half-made cluster is never mistaken for a whole one; a
 * postmaster.pid naming a process that is not postgres (left by a reboot)
 * is removed; a server that runs but cannot be reached (its socket
 * directory removed) is stopped; then data/schemac.conf is rewritten and
 * `pg_ctl start -w` starts the server, which pg_ctl detaches into its own
 * session with its output in server.log.
 *
 * Child programs run with fork + (setgroups/setgid/setuid when root) +
 * execve: no shell, no sudo; stdin from /dev/null, stdout and stderr into
 * a log file, every other descriptor closed (so the server never holds our
 * lock or our caller's pipes), PG* variables removed from the environment,
 * and a deadline after which the child's process group is killed.
 */
#define _GNU_SOURCE

#include "scratch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <locale.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "util.h"

/* The cluster's superuser (initdb -U) and the socket's port number (only
 * the socket file's name: there is no TCP listener). */
#define SCRATCH_ROLE "schemac"
#define SCRATCH_PORT 5432

/* Deadlines, in seconds. */
#define T_VERSION 10.0
#define T_INITDB 120.0
#define T_START 60 /* pg_ctl -t */
#define T_STOP 30  /* pg_ctl -t */
#define T_SLACK 15.0

/* Longest socket directory: "/.s.PGSQL.5432.lock" must still fit in
 * sockaddr_un.sun_path (108 bytes). */
#define SOCKDIR_MAX 86

/* Everything worked out about the private server. */
typedef struct scratch {
    char bindir[PATH_MAX];
    char major[16];    /* "15", or "9.6" for the old numbering */
    int major_num;     /* comparable with PQserverVersion()/100 */
    char base[PATH_MAX];     /* the cache directory */
    char cluster[PATH_MAX];  /* base/pgNN */
    char data[PATH_MAX];     /* cluster/data */
    char sockdir[PATH_MAX];  /* cluster/sock, or /tmp/schemac-<uid>-<hash> */
    int sock_outside;        /* sockdir is not under cluster */
    char lockfile[PATH_MAX]; /* base/pgNN.lock */
    int drop;                /* we are root: run children as uid/gid */
    uid_t uid;
    gid_t gid;
    char user[64]; /* name of that user, for messages */
} scratch;

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

/* Whether dir/prog is an executable regular file. */
static bool is_exec(const char *dir, const char *prog)
{
    char p[PATH_MAX];
    struct stat st;
    return fmt(p, sizeof p, "%s/%s", dir, prog) == 0 && stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
           access(p, X_OK) == 0;
}

/* Whether `dir` holds both programs we run. */
static bool has_server_bins(const char *dir)
{
    return is_exec(dir, "initdb") && is_exec(dir, "pg_ctl");
}

/* The size of file `path`, 0 when it cannot be read. */
static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/*
 * Appends the last `n` non-empty lines of file `path` after byte `start`
 * to `out`, joined by " | ", without the "2024-01-02 10:11:12.123 UTC
 * [pid] " prefix of server log lines; nothing when the file cannot be
 * read.
 */
static void tail_lines(sc_buf *out, const char *path, long start_at, int n)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return;
    char buf[4096];
    long size = fseek(fp, 0, SEEK_END) == 0 ? ftell(fp) : -1;
    long from = size > (long)sizeof buf - 1 ? size - (long)sizeof buf + 1 : 0;
    if (from < start_at)
        from = start_at;
    size_t len = 0;
    if (size >= 0 && fseek(fp, from, SEEK_SET) == 0)
        len = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[len] = '\0';
    /* Walk back over the last n lines that hold something. */
    const char *starts[8];
    const char *ends[8];
    int k = 0;
    size_t end = len;
    if (n > 8)
        n = 8;
    while (end > 0 && k < n) {
        size_t start = end;
        while (start > 0 && buf[start - 1] != '\n')
            start--;
        size_t e = end;
        while (e > start && (buf[e - 1] == '\n' || buf[e - 1] == '\r' || buf[e - 1] == ' '))
            e--;
        if (e > start && (from == start_at || start > 0)) {
            const char *shown = buf + start;
            const char *pid = buf[start] >= '0' && buf[start] <= '9' ? strstr(shown, "] ") : NULL;
            if (pid != NULL && pid + 2 < buf + e && pid - shown < 64)
                shown = pid + 2;
            starts[k] = shown;
            ends[k] = buf + e;
            k++;
        }
        end = start > 0 ? start - 1 : 0;
    }
    for (int i = k - 1; i >= 0; i--) {
        sc_buf_append(out, starts[i], (size_t)(ends[i] - starts[i]));
        if (i > 0)
            sc_buf_puts(out, " | ");
    }
}

/* ---- running child programs ------------------------------------------ */

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

/*
 * Runs argv[0] (a path) with stdin from /dev/null and stdout and stderr
 * into `out_fd`, as s->uid/s->gid when s->drop, in its own process group,
 * from directory "/".  Kills the group after `timeout` seconds.  Returns
 * the exit status, or -1 after a line in `err` when it could not run,
 * died of a signal or timed out.
 */
static int run(const scratch *s, const char *const *argv, int out_fd, double timeout, sc_buf *err)
{
    extern char **environ;
    size_t n = 0;
    for (char **e = environ; *e != NULL; e++)
        n++;
    char **env = sc_xmalloc((n + 1) * sizeof *env);
    size_t k = 0;
    for (char **e = environ; *e != NULL; e++)
        if (strncmp(*e, "PG", 2) != 0) /* PGDATA, PGPORT, PGOPTIONS ... */
            env[k++] = *e;
    env[k] = NULL;
    long maxfd = sysconf(_SC_OPEN_MAX);
    if (maxfd < 0 || maxfd > 65536)
        maxfd = 65536;

    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        sc_buf_printf(err, "cannot run %s: fork: %s", argv[0], strerror(errno));
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
        if (s->drop && (setgroups(1, &s->gid) != 0 || setgid(s->gid) != 0 || setuid(s->uid) != 0))
            _exit(126);
        if (chdir("/") != 0)
            _exit(125);
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
            sc_buf_printf(err, "cannot run %s: waitpid: %s", argv[0], strerror(errno));
            return -1;
        }
        if (now_s() > deadline) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
            sc_buf_printf(err, "%s did not finish within %.0f s and was killed", argv[0], timeout);
            return -1;
        }
        sleep_ms(nap);
        if (nap < 16)
            nap *= 2;
    }
    if (WIFSIGNALED(st)) {
        sc_buf_printf(err, "%s died of signal %d", argv[0], WTERMSIG(st));
        return -1;
    }
    int code = WEXITSTATUS(st);
    if (code == 126 && s->drop) {
        sc_buf_printf(err, "cannot run %s as user %s (uid %d)", argv[0], s->user, (int)s->uid);
        return -1;
    }
    if (code == 127) {
        sc_buf_printf(err, "cannot execute %s", argv[0]);
        return -1;
    }
    return code;
}

/* ---- binaries and version --------------------------------------------- */

/* The newest /usr/lib/postgresql/<version>/bin with initdb and pg_ctl. */
static bool bindir_from_usr_lib(char *out, size_t n)
{
    DIR *d = opendir("/usr/lib/postgresql");
    if (d == NULL)
        return false;
    double best = -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *end;
        double v = strtod(e->d_name, &end);
        char dir[PATH_MAX];
        if (end == e->d_name || *end != '\0' || v <= best ||
            fmt(dir, sizeof dir, "/usr/lib/postgresql/%s/bin", e->d_name) != 0 || !has_server_bins(dir))
            continue;
        if (fmt(out, n, "%s", dir) == 0)
            best = v;
    }
    closedir(d);
    return best >= 0;
}

/* The first directory along $PATH with initdb and pg_ctl. */
static bool bindir_from_path(char *out, size_t n)
{
    const char *path = getenv("PATH");
    if (path == NULL)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path != '\0') {
        size_t len = strcspn(path, ":");
        if (len > 0 && len < n) {
            memcpy(out, path, len);
            out[len] = '\0';
            if (out[0] == '/' && has_server_bins(out))
                return true;
        }
        path += len;
        if (*path == ':')
            path++;
    }
    return false;
}

/* Fills s->bindir, or writes the "binaries not found" line. */
static int find_bindir(scratch *s, sc_buf *err)
{
    static const char hint[] = "install postgresql (Debian package postgresql-15) or pass --dev-url / "
                               "set SCHEMAC_PG_BINDIR";
    const char *env = getenv("SCHEMAC_PG_BINDIR");
    if (env != NULL && env[0] != '\0') {
        if (fmt(s->bindir, sizeof s->bindir, "%s", env) == 0 && has_server_bins(env))
            return 0;
        sc_buf_printf(err,
                      "PostgreSQL server binaries not found (SCHEMAC_PG_BINDIR=%s holds no initdb and "
                      "pg_ctl): %s",
                      env, hint);
        return -1;
    }
    if (bindir_from_usr_lib(s->bindir, sizeof s->bindir) || bindir_from_path(s->bindir, sizeof s->bindir))
        return 0;
    sc_buf_printf(err,
                  "PostgreSQL server binaries not found (looked for initdb and pg_ctl in "
                  "/usr/lib/postgresql/*/bin and along PATH): %s",
                  hint);
    return -1;
}

/* Parses a major version ("15", "9.6") from the start of `v` into s. */
static int set_major(scratch *s, const char *v)
{
    char *end;
    long a = strtol(v, &end, 10);
    if (end == v || a <= 0 || a > 999)
        return -1;
    if (a >= 10) {
        s->major_num = (int)a * 100;
        return fmt(s->major, sizeof s->major, "%ld", a);
    }
    if (*end != '.')
        return -1;
    long b = strtol(end + 1, NULL, 10);
    s->major_num = (int)(a * 100 + b);
    return fmt(s->major, sizeof s->major, "%ld.%ld", a, b);
}

/* Fills s->major: from the Debian layout /usr/lib/postgresql/N/bin when
 * that is where the binaries are (no program to run), else from
 * `pg_ctl --version` ("pg_ctl (PostgreSQL) 15.5 ..."). */
static int find_major(scratch *s, sc_buf *err)
{
    static const char prefix[] = "/usr/lib/postgresql/";
    const char *b = s->bindir;
    if (strncmp(b, prefix, sizeof prefix - 1) == 0) {
        const char *v = b + sizeof prefix - 1;
        size_t len = strspn(v, "0123456789.");
        if (len > 0 && strcmp(v + len, "/bin") == 0 && set_major(s, v) == 0)
            return 0;
    }
    char pg_ctl[PATH_MAX];
    int fds[2];
    if (fmt(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", b) != 0 || pipe2(fds, O_CLOEXEC) != 0) {
        sc_buf_printf(err, "cannot run %s/pg_ctl --version", b);
        return -1;
    }
    scratch plain = *s;
    plain.drop = 0;
    const char *argv[] = {pg_ctl, "--version", NULL};
    int rc = run(&plain, argv, fds[1], T_VERSION, err);
    close(fds[1]);
    char out[256];
    size_t len = 0;
    ssize_t r;
    while (len + 1 < sizeof out && (r = read(fds[0], out + len, sizeof out - 1 - len)) > 0)
        len += (size_t)r;
    close(fds[0]);
    out[len] = '\0';
    if (rc < 0)
        return -1;
    const char *v = strstr(out, ") ");
    if (rc != 0 || v == NULL || set_major(s, v + 2) != 0) {
        sc_buf_printf(err, "cannot tell the version of %s (its --version printed \"%.60s\")", pg_ctl, out);
        return -1;
    }
    return 0;
}

/* ---- the user and the directories -------------------------------------- */

/* When root, picks the user that runs the server: `postgres`, else
 * `nobody`. */
static int pick_user(scratch *s, sc_buf *err)
{
    if (geteuid() != 0)
        return 0;
    struct passwd *pw = getpwnam("postgres");
    if (pw == NULL)
        pw = getpwnam("nobody");
    if (pw == NULL || pw->pw_uid == 0) {
        sc_buf_puts(err, "running as root, but there is neither a `postgres` nor a `nobody` user to run "
                         "the development server as (PostgreSQL refuses to run as root)");
        return -1;
    }
    s->drop = 1;
    s->uid = pw->pw_uid;
    s->gid = pw->pw_gid;
    fmt(s->user, sizeof s->user, "%s", pw->pw_name);
    return 0;
}

/*
 * Whether user uid/gid (with no supplementary groups, as the children run)
 * can search every existing directory on the way to `path` and `path`
 * itself.  Missing directories count as reachable: we create them with
 * mode 755 when root.
 */
static bool reachable(const char *path, uid_t uid, gid_t gid)
{
    char p[PATH_MAX];
    if (fmt(p, sizeof p, "%s", path) != 0)
        return false;
    size_t len = strlen(p);
    for (size_t i = 1; i <= len; i++) {
        if (i < len && p[i] != '/')
            continue;
        char c = p[i];
        p[i] = '\0';
        struct stat st;
        bool ok = true;
        if (stat(p, &st) == 0) {
            mode_t bit = st.st_uid == uid ? S_IXUSR : st.st_gid == gid ? S_IXGRP : S_IXOTH;
            ok = S_ISDIR(st.st_mode) && (st.st_mode & bit) != 0;
        }
        p[i] = c;
        if (!ok)
            return false;
    }
    return true;
}

/* Fills the paths under s->base. */
static int set_paths(scratch *s, sc_buf *err)
{
    if (fmt(s->cluster, sizeof s->cluster, "%s/pg%s", s->base, s->major) != 0 ||
        fmt(s->data, sizeof s->data, "%s/data", s->cluster) != 0 ||
        fmt(s->lockfile, sizeof s->lockfile, "%s/pg%s.lock", s->base, s->major) != 0 ||
        strlen(s->cluster) + 32 >= PATH_MAX) {
        sc_buf_printf(err, "the development server's directory is too long: %s", s->base);
        return -1;
    }
    s->sock_outside = strlen(s->cluster) + 5 > SOCKDIR_MAX;
    if (!s->sock_outside)
        return fmt(s->sockdir, sizeof s->sockdir, "%s/sock", s->cluster);
    uint64_t h = sc_hash_bytes(s->cluster, strlen(s->cluster));
    return fmt(s->sockdir, sizeof s->sockdir, "/tmp/schemac-%d-%08llx", (int)geteuid(),
               (unsigned long long)(h & 0xffffffffULL));
}

/*
 * Chooses the cache directory (see scratch.h) and the paths in it; when
 * root, switches to the owner of an existing cluster directory, and falls
 * back to /var/tmp/schemac-<uid> when the server's user cannot reach the
 * default directory.  Touches nothing.
 */
static int choose_dirs(scratch *s, sc_buf *err)
{
    const char *env = getenv("SCHEMAC_CACHE_DIR");
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    bool explicit = env != NULL && env[0] != '\0';
    char dir[PATH_MAX];
    int r;
    if (explicit)
        r = fmt(dir, sizeof dir, "%s", env);
    else if (xdg != NULL && xdg[0] == '/')
        r = fmt(dir, sizeof dir, "%s/schemac", xdg);
    else if (home != NULL && home[0] == '/')
        r = fmt(dir, sizeof dir, "%s/.cache/schemac", home);
    else {
        struct passwd *pw = getpwuid(geteuid());
        if (pw == NULL || pw->pw_dir == NULL || pw->pw_dir[0] != '/') {
            sc_buf_puts(err, "no cache directory for the development server: set SCHEMAC_CACHE_DIR or HOME");
            return -1;
        }
        r = fmt(dir, sizeof dir, "%s/.cache/schemac", pw->pw_dir);
    }
    if (r == 0 && dir[0] != '/') {
        char cwd[PATH_MAX], rel[PATH_MAX];
        memcpy(rel, dir, sizeof rel);
        r = getcwd(cwd, sizeof cwd) != NULL ? fmt(dir, sizeof dir, "%s/%s", cwd, rel) : -1;
    }
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        dir[--len] = '\0';
    if (r != 0 || fmt(s->base, sizeof s->base, "%s", dir) != 0) {
        sc_buf_puts(err, "the development server's cache directory path is too long");
        return -1;
    }
    if (set_paths(s, err) != 0)
        return -1;
    if (!s->drop)
        return 0;

    struct stat st;
    if (stat(s->cluster, &st) == 0 && st.st_uid != 0 && st.st_uid != s->uid) {
        struct passwd *pw = getpwuid(st.st_uid);
        s->uid = st.st_uid;
        s->gid = pw != NULL ? pw->pw_gid : st.st_gid;
        if (pw != NULL)
            fmt(s->user, sizeof s->user, "%s", pw->pw_name);
        else
            fmt(s->user, sizeof s->user, "%d", (int)st.st_uid);
    }
    if (reachable(s->base, s->uid, s->gid))
        return 0;
    if (explicit) {
        sc_buf_printf(err,
                      "SCHEMAC_CACHE_DIR=%s cannot be reached by user %s, who runs the development "
                      "server since PostgreSQL refuses to run as root: make it and its parents searchable "
                      "by that user (chmod o+x), or choose another directory",
                      s->base, s->user);
        return -1;
    }
    fmt(s->base, sizeof s->base, "/var/tmp/schemac-%d", (int)geteuid());
    return set_paths(s, err);
}

/* Works out everything about the server (see the top of the file). */
static int setup(scratch *s, sc_buf *err)
{
    memset(s, 0, sizeof *s);
    if (find_bindir(s, err) != 0 || find_major(s, err) != 0 || pick_user(s, err) != 0 ||
        choose_dirs(s, err) != 0)
        return -1;
    return 0;
}

/* mkdir -p, each directory made with `mode`. */
static int mkdir_p(const char *path, mode_t mode, sc_buf *err)
{
    char p[PATH_MAX];
    if (fmt(p, sizeof p, "%s", path) != 0)
        return -1;
    size_t len = strlen(p);
    for (size_t i = 1; i <= len; i++) {
        if (i < len && p[i] != '/')
            continue;
        p[i] = '\0';
        struct stat st;
        if (mkdir(p, mode) != 0 && (errno != EEXIST || stat(p, &st) != 0 || !S_ISDIR(st.st_mode))) {
            sc_buf_printf(err, "cannot create directory %s: %s", p, strerror(errno));
            return -1;
        }
        if (i < len)
            p[i] = '/';
    }
    return 0;
}

/* Makes `path` a directory of the server's user with mode 700; when it
 * is outside a directory of ours, refuses an existing one that belongs to
 * anyone but us or that user. */
static int own_dir(const scratch *s, const char *path, bool outside, sc_buf *err)
{
    bool made = mkdir(path, 0700) == 0;
    if (!made && errno != EEXIST) {
        sc_buf_printf(err, "cannot create directory %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    uid_t want = s->drop ? s->uid : geteuid();
    if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        sc_buf_printf(err, "%s is not a directory", path);
        return -1;
    }
    if (st.st_uid != want) {
        if ((outside && !made && st.st_uid != geteuid()) || !s->drop) {
            sc_buf_printf(err, "%s belongs to uid %d, not to the development server's user (uid %d)", path,
                          (int)st.st_uid, (int)want);
            return -1;
        }
        if (chown(path, s->uid, s->gid) != 0) {
            sc_buf_printf(err, "cannot chown %s to user %s: %s", path, s->user, strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* Creates the cache, cluster and socket directories. */
static int make_dirs(const scratch *s, sc_buf *err)
{
    if (mkdir_p(s->base, s->drop ? 0755 : 0700, err) != 0)
        return -1;
    if (s->drop && strncmp(s->base, "/var/tmp/schemac-", 17) == 0) {
        /* Our fallback in a world-writable directory: anyone could have made it. */
        struct stat st;
        if (lstat(s->base, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
            (st.st_mode & 022) != 0) {
            sc_buf_printf(err, "%s is not a directory of ours that only we can write to", s->base);
            return -1;
        }
    }
    if (own_dir(s, s->cluster, false, err) != 0 || own_dir(s, s->sockdir, s->sock_outside, err) != 0)
        return -1;
    return 0;
}

/* Takes the exclusive lock; returns its descriptor, or -1 + err. */
static int take_lock(const scratch *s, sc_buf *err)
{
    int fd = open(s->lockfile, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        sc_buf_printf(err, "cannot open %s: %s", s->lockfile, strerror(errno));
        return -1;
    }
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            sc_buf_printf(err, "cannot lock %s: %s", s->lockfile, strerror(errno));
            close(fd);
            return -1;
        }
    }
    return fd;
}

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

/* rm -rf; 0 when `path` is gone. */
static int rm_rf(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return access(path, F_OK) == 0 ? -1 : 0;
}

/* ---- the server --------------------------------------------------------- */

/* Appends key=value to a conninfo string, quoting the value when needed. */
static void conn_pair(sc_buf *b, const char *key, const char *v)
{
    if (b->len > 0)
        sc_buf_putc(b, ' ');
    sc_buf_printf(b, "%s=", key);
    bool quote = v[0] == '\0' || strpbrk(v, " \t\n\r'\\") != NULL;
    if (quote)
        sc_buf_putc(b, '\'');
    for (const char *p = v; *p != '\0'; p++) {
        if (*p == '\'' || *p == '\\')
            sc_buf_putc(b, '\\');
        sc_buf_putc(b, *p);
    }
    if (quote)
        sc_buf_putc(b, '\'');
}

/* The conninfo for database postgres, malloc'd. */
static char *conninfo(const scratch *s)
{
    sc_buf b = SC_BUF_INIT;
    char port[16];
    snprintf(port, sizeof port, "%d", SCRATCH_PORT);
    conn_pair(&b, "host", s->sockdir);
    conn_pair(&b, "port", port);
    conn_pair(&b, "user", SCRATCH_ROLE);
    conn_pair(&b, "dbname", "postgres");
    return sc_buf_detach(&b);
}

/* Connects once: 1 when the server answers and is of our major version,
 * -1 when it answers but is of another, 0 when we cannot connect (the
 * first line of libpq's message then goes into `why` when not NULL). */
static int probe(const scratch *s, const char *ci, sc_buf *why)
{
    sc_buf b = SC_BUF_INIT;
    sc_buf_printf(&b, "%s connect_timeout=5", ci);
    PGconn *c = PQconnectdb(sc_buf_str(&b));
    sc_buf_free(&b);
    int r = 0;
    if (PQstatus(c) == CONNECTION_OK)
        r = PQserverVersion(c) / 100 == s->major_num ? 1 : -1;
    else if (why != NULL) {
        const char *m = PQerrorMessage(c);
        sc_buf_append(why, m, strcspn(m, "\n"));
    }
    PQfinish(c);
    return r;
}

/* The pid in data/postmaster.pid, or 0. */
static long postmaster_pid(const scratch *s)
{
    char p[PATH_MAX];
    if (fmt(p, sizeof p, "%s/postmaster.pid", s->data) != 0)
        return 0;
    FILE *fp = fopen(p, "r");
    if (fp == NULL)
        return 0;
    long pid = 0;
    if (fscanf(fp, "%ld", &pid) != 1 || pid <= 1)
        pid = 0;
    fclose(fp);
    return pid;
}

/* Whether process `pid` runs and is a postgres server (not a zombie, not
 * a process that got the pid of a server that died in a reboot). */
static bool is_postgres(long pid)
{
    if (pid <= 1 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH))
        return false;
    char p[64], buf[512];
    snprintf(p, sizeof p, "/proc/%ld/stat", pid);
    FILE *fp = fopen(p, "r");
    if (fp == NULL)
        return access("/proc/self/stat", F_OK) != 0; /* no /proc: trust kill() */
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    /* "pid (comm) state ..." */
    const char *lp = strchr(buf, '(');
    const char *rp = strrchr(buf, ')');
    if (lp == NULL || rp == NULL || rp[1] != ' ' || rp[2] == 'Z' || rp[2] == 'X')
        return false;
    size_t len = (size_t)(rp - lp - 1);
    return (len == 8 && strncmp(lp + 1, "postgres", 8) == 0) ||
           (len == 10 && strncmp(lp + 1, "postmaster", 10) == 0);
}

/* Opens cluster/<name> for a child's output, truncated. */
static int open_log(const scratch *s, const char *name, char *path, size_t n, sc_buf *err)
{
    if (fmt(path, n, "%s/%s", s->cluster, name) != 0)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        sc_buf_printf(err, "cannot create %s: %s", path, strerror(errno));
    return fd;
}

/*
 * pg_ctl stop -m fast (then -m immediate) when postmaster.pid names a
 * running server; a pid file naming no server is removed.
 */
static int stop_server(const scratch *s, sc_buf *err)
{
    long pid = postmaster_pid(s);
    char pidfile[PATH_MAX];
    fmt(pidfile, sizeof pidfile, "%s/postmaster.pid", s->data);
    if (!is_postgres(pid)) {
        if (unlink(pidfile) != 0 && errno != ENOENT) {
            sc_buf_printf(err, "cannot remove the stale %s: %s", pidfile, strerror(errno));
            return -1;
        }
        return 0;
    }
    char pg_ctl[PATH_MAX], log[PATH_MAX], t[16];
    fmt(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", s->bindir);
    snprintf(t, sizeof t, "%d", T_STOP);
    int fd = open_log(s, "pg_ctl.log", log, sizeof log, err);
    if (fd < 0)
        return -1;
    sc_buf why = SC_BUF_INIT;
    const char *mode = "fast";
    int rc = -1;
    for (int i = 0; i < 2 && rc != 0; i++, mode = "immediate") {
        const char *argv[] = {pg_ctl, "-D", s->data, "-m", mode, "-w", "-t", t, "stop", NULL};
        sc_buf_reset(&why);
        rc = run(s, argv, fd, T_STOP + T_SLACK, &why);
    }
    close(fd);
    /* The postmaster removes its pid file before it exits; wait for that. */
    for (double end = now_s() + 10; rc == 0 && is_postgres(pid) && now_s() < end;)
        sleep_ms(5);
    if (rc != 0) {
        sc_buf_printf(err, "cannot stop the development server in %s", s->data);
        if (why.len > 0)
            sc_buf_printf(err, ": %s", sc_buf_str(&why));
        else
            sc_buf_printf(err, " (pg_ctl exited with status %d)", rc);
        sc_buf_printf(err, "; see %s: ", log);
        tail_lines(err, log, 0, 2);
    }
    sc_buf_free(&why);
    return rc == 0 ? 0 : -1;
}

/* The first line of data/PG_VERSION into `out`; "" when there is none. */
static void data_version(const scratch *s, char *out, size_t n)
{
    char p[PATH_MAX];
    out[0] = '\0';
    if (fmt(p, sizeof p, "%s/PG_VERSION", s->data) != 0)
        return;
    FILE *fp = fopen(p, "r");
    if (fp == NULL)
        return;
    if (fgets(out, (int)n, fp) == NULL)
        out[0] = '\0';
    out[strcspn(out, "\r\n")] = '\0';
    fclose(fp);
}

/* Runs initdb into cluster/data.new and renames that to cluster/data. */
static int make_cluster(const scratch *s, sc_buf *err)
{
    char tmp[PATH_MAX], log[PATH_MAX], initdb[PATH_MAX], conf[PATH_MAX], locale[32];
    if (fmt(tmp, sizeof tmp, "%s/data.new", s->cluster) != 0 ||
        fmt(initdb, sizeof initdb, "%s/initdb", s->bindir) != 0 ||
        fmt(conf, sizeof conf, "%s/postgresql.conf", tmp) != 0)
        return -1;
    if (rm_rf(tmp) != 0 || rm_rf(s->data) != 0) {
        sc_buf_printf(err, "cannot remove the old cluster in %s", s->cluster);
        return -1;
    }
    locale_t loc = newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0);
    snprintf(locale, sizeof locale, "--locale=%s", loc != (locale_t)0 ? "C.UTF-8" : "C");
    if (loc != (locale_t)0)
        freelocale(loc);
    int fd = open_log(s, "initdb.log", log, sizeof log, err);
    if (fd < 0)
        return -1;
    const char *argv[] = {initdb, "-D", tmp, "-U", SCRATCH_ROLE, "--auth-local=trust", "--auth-host=reject",
                          "-E", "UTF8", locale, "-N", NULL};
    sc_buf why = SC_BUF_INIT;
    int rc = run(s, argv, fd, T_INITDB, &why);
    close(fd);
    if (rc != 0) {
        sc_buf_printf(err, "cannot create the development server in %s: ", s->cluster);
        if (why.len > 0)
            sc_buf_printf(err, "%s", sc_buf_str(&why));
        else
            sc_buf_printf(err, "initdb exited with status %d", rc);
        sc_buf_printf(err, " (output in %s): ", log);
        tail_lines(err, log, 0, 3);
        sc_buf_free(&why);
        rm_rf(tmp);
        return -1;
    }
    sc_buf_free(&why);
    FILE *fp = fopen(conf, "a");
    if (fp == NULL || fputs("\n# schemac's settings, rewritten before every start\n"
                            "include_if_exists = 'schemac.conf'\n",
                            fp) < 0 ||
        fclose(fp) != 0) {
        sc_buf_printf(err, "cannot append to %s: %s", conf, strerror(errno));
        return -1;
    }
    if (rename(tmp, s->data) != 0) {
        sc_buf_printf(err, "cannot rename %s to %s: %s", tmp, s->data, strerror(errno));
        return -1;
    }
    return 0;
}

/* Writes data/schemac.conf (through a temporary file and rename). */
static int write_conf(const scratch *s, sc_buf *err)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    if (fmt(path, sizeof path, "%s/schemac.conf", s->data) != 0 ||
        fmt(tmp, sizeof tmp, "%s/schemac.conf.tmp", s->data) != 0)
        return -1;
    sc_buf b = SC_BUF_INIT;
    sc_buf_printf(&b,
                  "# The settings of schemac's private development server, written by schemac\n"
                  "# before every start: edits here are lost.  The cluster is disposable.\n"
                  "listen_addresses = ''\n"
                  "port = %d\n"
                  "unix_socket_directories = '",
                  SCRATCH_PORT);
    for (const char *p = s->sockdir; *p != '\0'; p++) {
        if (*p == '\'')
            sc_buf_putc(&b, '\'');
        sc_buf_putc(&b, *p);
    }
    sc_buf_puts(&b, "'\n"
                    "max_connections = 20\n"
                    "shared_buffers = 64MB\n"
                    "# normalising thousands of tables in one transaction, or a down file\n"
                    "# that drops them, takes many locks (the lock table holds this many\n"
                    "# per connection slot)\n"
                    "max_locks_per_transaction = 4096\n"
                    "fsync = off\n"
                    "synchronous_commit = off\n"
                    "full_page_writes = off\n"
                    "wal_level = minimal\n"
                    "max_wal_senders = 0\n"
                    "logging_collector = off\n");
    FILE *fp = fopen(tmp, "w");
    bool ok = fp != NULL && fwrite(b.data, 1, b.len, fp) == b.len;
    if (fp != NULL && fclose(fp) != 0)
        ok = false;
    sc_buf_free(&b);
    if (ok && s->drop && chown(tmp, s->uid, s->gid) != 0)
        ok = false;
    if (!ok || rename(tmp, path) != 0) {
        sc_buf_printf(err, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* pg_ctl start -w; the error names the server log and quotes its end. */
static int start_server(const scratch *s, sc_buf *err)
{
    char pg_ctl[PATH_MAX], log[PATH_MAX], serverlog[PATH_MAX], t[16];
    if (fmt(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", s->bindir) != 0 ||
        fmt(serverlog, sizeof serverlog, "%s/server.log", s->cluster) != 0)
        return -1;
    snprintf(t, sizeof t, "%d", T_START);
    int fd = open_log(s, "pg_ctl.log", log, sizeof log, err);
    if (fd < 0)
        return -1;
    const char *argv[] = {pg_ctl, "-D", s->data, "-l", serverlog, "-w", "-t", t, "start", NULL};
    long logged_before = file_size(serverlog);
    sc_buf why = SC_BUF_INIT;
    int rc = run(s, argv, fd, T_START + T_SLACK, &why);
    close(fd);
    if (rc != 0) {
        sc_buf_printf(err, "cannot start the development server in %s (", s->data);
        if (why.len > 0)
            sc_buf_printf(err, "%s", sc_buf_str(&why));
        else
            sc_buf_printf(err, "pg_ctl exited with status %d", rc);
        bool logged = file_size(serverlog) > logged_before;
        sc_buf_printf(err, "); its log is %s: ", logged ? serverlog : log);
        tail_lines(err, logged ? serverlog : log, logged ? logged_before : 0, 3);
    }
    sc_buf_free(&why);
    return rc == 0 ? 0 : -1;
}

/*
 * The slow path of sc_scratch_server(), under the lock: brings the
 * cluster to a running server of our version (see the top of the file).
 */
static int ensure_running(const scratch *s, const char *ci, sc_buf *err)
{
    int r = probe(s, ci, NULL);
    if (r == 1)
        return 0;
    if (r == 0) {
        /* Starting up, or up but refusing us (too many connections)? */
        PGPing ping = PQping(ci);
        for (double end = now_s() + T_START; ping == PQPING_REJECT && now_s() < end; ping = PQping(ci))
            sleep_ms(50);
        if (ping == PQPING_OK) {
            r = probe(s, ci, NULL);
            if (r == 1 || (r == 0 && is_postgres(postmaster_pid(s))))
                return 0; /* the caller's own connection will say why, if it fails */
        }
    }

    char version[32];
    data_version(s, version, sizeof version);
    bool fresh = r == -1 || strcmp(version, s->major) != 0;
    /* A server of another version, one that cannot be reached (its socket
     * directory was removed), or a stale pid file. */
    if (stop_server(s, err) != 0)
        return -1;
    if (fresh && make_cluster(s, err) != 0)
        return -1;
    if (write_conf(s, err) != 0 || start_server(s, err) != 0)
        return -1;
    sc_buf why = SC_BUF_INIT;
    r = probe(s, ci, &why);
    if (r != 1) {
        if (r == -1)
            sc_buf_printf(err, "the development server in %s is not PostgreSQL %s", s->data, s->major);
        else
            sc_buf_printf(err, "the development server in %s started but does not accept connections: %s",
                          s->data, sc_buf_str(&why));
    }
    sc_buf_free(&why);
    return r == 1 ? 0 : -1;
}

char *sc_scratch_server(sc_buf *err)
{
    scratch s;
    if (setup(&s, err) != 0)
        return NULL;
    char *ci = conninfo(&s);
    if (probe(&s, ci, NULL) == 1)
        return ci;

    int lock = -1;
    if (make_dirs(&s, err) != 0 || (lock = take_lock(&s, err)) < 0 || ensure_running(&s, ci, err) != 0) {
        free(ci);
        ci = NULL;
    }
    if (lock >= 0)
        close(lock); /* releases the flock */
    return ci;
}

int sc_scratch_stop(sc_buf *err)
{
    scratch s;
    if (setup(&s, err) != 0)
        return -1;
    if (access(s.cluster, F_OK) != 0)
        return 0; /* never made */
    int lock = take_lock(&s, err);
    if (lock < 0)
        return -1;
    int rc = stop_server(&s, err);
    close(lock);
    return rc;
}

char *sc_scratch_dir(sc_buf *err)
{
    scratch s;
    if (setup(&s, err) != 0)
        return NULL;
    return sc_xstrdup(s.cluster);
}
