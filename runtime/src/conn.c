/* Connections and error lines (see conn.h). */
#include "conn.h"

#include <stdlib.h>
#include <string.h>

/* Skips a prefix like `FATAL:  ` or `ERROR:  ` that libpq puts before the
 * server's text. */
static const char *skip_severity(const char *s)
{
    static const char *const levels[] = {"FATAL:", "ERROR:", "PANIC:"};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        size_t n = strlen(levels[i]);
        if (strncmp(s, levels[i], n) == 0) {
            s += n;
            while (*s == ' ')
                s++;
            return s;
        }
    }
    return s;
}

void sc_conn_error_line(sc_buf *out, const char *message)
{
    const char *s = message != NULL ? message : "";
    /* libpq 14+: `connection to server at "h" (addr), port 5432 failed: why` */
    if (strncmp(s, "connection to server ", 21) == 0) {
        const char *f = strstr(s, " failed: ");
        const char *nl = strchr(s, '\n');
        if (f != NULL && (nl == NULL || f < nl))
            s = f + 9;
    }
    s = skip_severity(s);
    size_t len = strcspn(s, "\n");
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\r'))
        len--;
    if (len == 0) {
        sc_buf_puts(out, "unknown error");
        return;
    }
    sc_buf_append(out, s, len);
}

PGconn *sc_conn_open(const char *target, sc_buf *err)
{
    if (target == NULL || target[0] == '\0') {
        const char *env = getenv("DATABASE_URL");
        target = env != NULL && env[0] != '\0' ? env : NULL;
    }
    /* expand_dbname: a URL or a conninfo string in "dbname" is parsed as
     * such; a bare word is a database name.  Missing settings fall back to
     * the PG* environment and service files, as in every libpq client. */
    const char *keys[] = {"dbname", "fallback_application_name", NULL};
    const char *values[] = {target, "schemac", NULL};
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    if (conn == NULL) {
        sc_buf_puts(err, "cannot connect to the database: out of memory");
        return NULL;
    }
    if (PQstatus(conn) == CONNECTION_OK)
        return conn;

    const char *db = PQdb(conn), *host = PQhost(conn), *port = PQport(conn), *user = PQuser(conn);
    sc_buf_puts(err, "cannot connect to database");
    if (db != NULL && db[0] != '\0')
        sc_buf_printf(err, " \"%s\"", db);
    if (host != NULL && host[0] != '\0') {
        sc_buf_printf(err, " on %s", host);
        if (port != NULL && port[0] != '\0')
            sc_buf_printf(err, " port %s", port);
    }
    if (user != NULL && user[0] != '\0')
        sc_buf_printf(err, " as user \"%s\"", user);
    sc_buf_puts(err, ": ");
    sc_conn_error_line(err, PQerrorMessage(conn));
    PQfinish(conn);
    return NULL;
}

PGconn *sc_conn_like(PGconn *conn, const char *dbname)
{
    PQconninfoOption *opts = PQconninfo(conn);
    if (opts == NULL)
        return NULL;
    size_t n = 0;
    for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
        n++;
    const char **keys = calloc(n + 2, sizeof *keys);
    const char **vals = calloc(n + 2, sizeof *vals);
    PGconn *c = NULL;
    if (keys != NULL && vals != NULL) {
        size_t k = 0;
        for (PQconninfoOption *o = opts; o->keyword != NULL; o++) {
            if (o->val == NULL || o->val[0] == '\0' ||
                (dbname != NULL && strcmp(o->keyword, "dbname") == 0))
                continue;
            keys[k] = o->keyword;
            vals[k++] = o->val;
        }
        if (dbname != NULL) {
            keys[k] = "dbname";
            vals[k] = dbname;
        }
        c = PQconnectdbParams(keys, vals, 0);
    }
    free(keys);
    free(vals);
    PQconninfoFree(opts);
    if (c != NULL && PQstatus(c) != CONNECTION_OK) {
        PQfinish(c);
        c = NULL;
    }
    return c;
}

PGresult *sc_conn_query(PGconn *conn, const char *sql, ExecStatusType status, const char *what,
                        sc_buf *err)
{
    PGresult *res = PQexec(conn, sql);
    if (res != NULL && PQresultStatus(res) == status)
        return res;
    sc_buf_printf(err, "%s: ", what);
    sc_conn_error_line(err, res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(conn));
    PQclear(res);
    return NULL;
}
