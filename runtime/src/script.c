/* Running migration scripts (see script.h). */
#include "script.h"

#include <stdlib.h>

#include "conn.h"
#include "sqlsplit.h"
#include "util.h"

/* Drops notices: a migration's NOTICEs are not errors. */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

int sc_script_exec(PGconn *conn, const char *text, size_t len, sc_buf *err)
{
    PQnoticeProcessor old = PQsetNoticeProcessor(conn, quiet, NULL);
    sc_sqlsplit s;
    sc_sqlsplit_init(&s, text, len);
    const char *stmt;
    size_t n;
    int rc = 0;
    while (sc_sql_next(&s, &stmt, &n)) {
        char *q = sc_xstrndup(stmt, n);
        PGresult *res = PQexec(conn, q);
        free(q);
        ExecStatusType st = PQresultStatus(res);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
            sc_buf_printf(err, "line %u", s.line);
            if (s.step != NULL) {
                sc_buf_puts(err, " (");
                sc_buf_append(err, s.step, s.step_len);
                sc_buf_putc(err, ')');
            }
            sc_buf_puts(err, ": ");
            sc_conn_error_line(err, res != NULL ? PQresultErrorMessage(res)
                                                : PQerrorMessage(conn));
            PQclear(res);
            if (PQtransactionStatus(conn) != PQTRANS_IDLE)
                PQclear(PQexec(conn, "ROLLBACK"));
            rc = -1;
            break;
        }
        PQclear(res);
    }
    PQsetNoticeProcessor(conn, old, NULL);
    return rc;
}
