/*
 * `schemac diff`: the plan that would take a database to the schema files,
 * in words (and with --sql, the up script); writes nothing.  Exit 0 when
 * there is no difference, 1 when there is, 2 on usage or schema errors, 3
 * when a database cannot be reached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "commands.h"
#include "compiler.h"
#include "conn.h"
#include "normalize.h"
#include "plan.h"

static void usage(void)
{
    fputs("usage: schemac diff [--schema DIR] [--db URL] [--dev-url URL] [--sql]\n", stderr);
}

int sc_cmd_diff(int argc, char **argv)
{
    const char *schema_dir = "schema", *db = NULL, *dev = getenv("SCHEMAC_DEV_URL");
    bool sql = false;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--schema") == 0 && i + 1 < argc)
            schema_dir = argv[++i];
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--dev-url") == 0 && i + 1 < argc)
            dev = argv[++i];
        else if (strcmp(argv[i], "--sql") == 0)
            sql = true;
        else {
            fprintf(stderr, "schemac diff: unknown argument '%s'\n", argv[i]);
            usage();
            return 2;
        }
    }
    if (dev == NULL || dev[0] == '\0') {
        fputs("schemac diff: comparing schema files with a database needs a development "
              "server to bring the files to the catalog's spelling: pass --dev-url URL (or set "
              "SCHEMAC_DEV_URL) naming a server where schemac may create and drop a scratch "
              "database (a private server that schemac starts itself is not implemented yet)\n",
              stderr);
        return 2;
    }

    sc_compiler *c = sc_compiler_new();
    sc_sources_add_path(&c->sources, schema_dir, &c->diags);
    if (c->diags.nerrors > 0 || sc_compiler_run(c) != 0) {
        sc_compiler_render(c, stderr);
        sc_compiler_free(c);
        return 2;
    }
    sc_compiler_render(c, stderr);

    int rc = 0, down = 0;
    sc_buf err = SC_BUF_INIT;
    sc_model *want = sc_normalize(c->model, dev, &down, &err);
    sc_model *have = NULL;
    PGconn *conn = NULL;
    if (want == NULL) {
        fprintf(stderr, "schemac diff: %s\n", sc_buf_str(&err));
        rc = down ? SC_EXIT_CONNECT : 2;
        goto out;
    }
    conn = sc_conn_open(db, &err);
    if (conn == NULL) {
        fprintf(stderr, "schemac diff: %s\n", sc_buf_str(&err));
        rc = SC_EXIT_CONNECT;
        goto out;
    }
    have = sc_catalog_read(conn, NULL, &err);
    if (have == NULL) {
        fprintf(stderr, "schemac diff: database \"%s\": %s\n", PQdb(conn), sc_buf_str(&err));
        rc = SC_EXIT_CONNECT;
        goto out;
    }
    /* An extension whose schema or version the files leave open keeps the
     * database's. */
    for (size_t i = 0; i < want->nextensions; i++)
        for (size_t j = 0; j < have->nextensions; j++)
            if (strcmp(want->extensions[i]->name, have->extensions[j]->name) == 0) {
                sc_extension *w = want->extensions[i], *h = have->extensions[j];
                if (w->schema == NULL && h->schema != NULL)
                    w->schema = sc_arena_strdup(want->arena, h->schema);
                if (w->version == NULL && h->version != NULL)
                    w->version = sc_arena_strdup(want->arena, h->version);
            }

    sc_plan plan;
    if (sc_plan_build(&plan, have, want, &err) != 0) {
        fprintf(stderr, "schemac diff: %s\n", sc_buf_str(&err));
        rc = 2;
        goto out;
    }
    if (plan.nsteps == 0) {
        printf("no changes\n");
    } else {
        sc_buf out = SC_BUF_INIT;
        sc_plan_describe(&out, &plan);
        if (sql) {
            sc_buf_puts(&out, "\n");
            sc_plan_up_sql(&out, &plan);
        }
        fwrite(out.data, 1, out.len, stdout);
        sc_buf_free(&out);
        rc = 1;
    }
    sc_plan_free(&plan);
out:
    PQfinish(conn);
    sc_model_free(have);
    sc_model_free(want);
    sc_buf_free(&err);
    sc_compiler_free(c);
    return rc;
}
