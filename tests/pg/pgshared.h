/*
 * One PostgreSQL server for every test of a Criterion executable.
 * Criterion runs each test in a re-executed worker that shares no memory
 * with main(), so PGSHARED_MAIN starts the server once and records it in
 * the environment (pgfix_share), and each suite's .init/.fini
 * (pgshared_attach/pgshared_detach) take a handle to it in `fx`.
 *
 *   TestSuite(catalog, .init = pgshared_attach, .fini = pgshared_detach);
 *   ...
 *   PGSHARED_MAIN
 *
 * Also: pgshared_read_db(), a database read through the catalog reader.
 * Include once, in the test's one source file.
 */
#ifndef SCHEMAC_TESTS_PGSHARED_H
#define SCHEMAC_TESTS_PGSHARED_H

#include <criterion/criterion.h>
#include <stdio.h>

#include <libpq-fe.h>

#include "catalog.h"
#include "conn.h"
#include "pgfix.h"

static pgfix *fx;

static void pgshared_attach(void)
{
    fx = pgfix_attach();
    cr_assert_not_null(fx, "the shared PostgreSQL server");
}

static void pgshared_detach(void)
{
    pgfix_stop(fx);
    fx = NULL;
}

/* Reads database `name` into a model; fails the test on error. */
static inline sc_model *pgshared_read_db(const char *name, sc_catalog_stats *stats)
{
    sc_buf err = SC_BUF_INIT;
    PGconn *conn = sc_conn_open(pgfix_conninfo(fx, name), &err);
    cr_assert_not_null(conn, "connect: %s", sc_buf_str(&err));
    sc_model *m = sc_catalog_read(conn, stats, &err);
    cr_assert_not_null(m, "catalog read: %s", sc_buf_str(&err));
    cr_assert_eq(PQtransactionStatus(conn), PQTRANS_IDLE, "the read leaves no transaction open");
    PQfinish(conn);
    sc_buf_free(&err);
    return m;
}

#define PGSHARED_MAIN                                                                   \
    int main(int argc, char *argv[])                                                    \
    {                                                                                   \
        struct criterion_test_set *tests = criterion_initialize();                      \
        int rc = 0;                                                                     \
        if (criterion_handle_args(argc, argv, true)) {                                  \
            fx = pgfix_start();                                                         \
            if (fx == NULL) {                                                           \
                fprintf(stderr, "%s: the PostgreSQL fixture did not start\n", argv[0]); \
                criterion_finalize(tests);                                              \
                return 1;                                                               \
            }                                                                           \
            pgfix_share(fx);                                                            \
            rc = !criterion_run_all_tests(tests);                                       \
            pgfix_stop(fx);                                                             \
        }                                                                               \
        criterion_finalize(tests);                                                      \
        return rc;                                                                      \
    }

#endif
