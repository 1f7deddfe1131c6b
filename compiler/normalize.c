/* Normalisation through a scratch database (see normalize.h). */
#include "normalize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "conn.h"
#include "ddl.h"
#include "ident.h"
#include "util.h"

/* Carries the file model's rename hints over to the normalised model. */
static void copy_hints(sc_model *m, const sc_model *files)
{
    for (size_t i = 0; i < files->ntables; i++) {
        const sc_table *ft = files->tables[i];
        sc_table *t = sc_model_find_table(m, ft->schema, ft->name);
        if (t == NULL)
            continue;
        if (ft->renamed_from != NULL)
            t->renamed_from = sc_arena_strdup(m->arena, ft->renamed_from);
        for (size_t j = 0; j < ft->ncolumns; j++) {
            const sc_column *fc = ft->columns[j];
            sc_column *c = sc_table_find_column(t, fc->name);
            if (c != NULL && fc->renamed_from != NULL)
                c->renamed_from = sc_arena_strdup(m->arena, fc->renamed_from);
        }
    }
    for (size_t i = 0; i < files->nenums; i++) {
        const sc_enum *fe = files->enums[i];
        sc_enum *e = sc_model_find_enum(m, fe->schema, fe->name);
        if (e == NULL)
            continue;
        if (fe->renamed_from != NULL)
            e->renamed_from = sc_arena_strdup(m->arena, fe->renamed_from);
        for (size_t j = 0; j < fe->nlabels && j < e->nlabels; j++)
            if (fe->labels[j].renamed_from != NULL && strcmp(fe->labels[j].value, e->labels[j].value) == 0)
                e->labels[j].renamed_from = sc_arena_strdup(m->arena, fe->labels[j].renamed_from);
    }
    /* Extensions: a file that names no schema or version does not care. */
    for (size_t i = 0; i < files->nextensions; i++) {
        const sc_extension *fx = files->extensions[i];
        for (size_t j = 0; j < m->nextensions; j++) {
            sc_extension *x = m->extensions[j];
            if (strcmp(x->name, fx->name) != 0)
                continue;
            if (fx->schema == NULL)
                x->schema = NULL;
            if (fx->version == NULL)
                x->version = NULL;
        }
    }
}

sc_model *sc_normalize(const sc_model *files, const char *dev_url, int *connect_failed,
                       sc_buf *err)
{
    *connect_failed = 0;
    sc_buf msg = SC_BUF_INIT;
    PGconn *admin = sc_conn_open(dev_url, &msg);
    if (admin == NULL) {
        sc_buf_printf(err, "development server: %s", sc_buf_str(&msg));
        sc_buf_free(&msg);
        *connect_failed = 1;
        return NULL;
    }
    static unsigned counter;
    char name[64];
    snprintf(name, sizeof name, "schemac_scratch_%ld_%u", (long)getpid(), counter++);
    sc_buf sql = SC_BUF_INIT;
    sc_buf_puts(&sql, "CREATE DATABASE ");
    sc_ident_append(&sql, name);
    sc_buf_puts(&sql, " TEMPLATE template0");
    PGresult *res = sc_conn_query(admin, sc_buf_str(&sql), PGRES_COMMAND_OK,
                                  "creating a scratch database on the development server", err);
    sc_buf_free(&sql);
    if (res == NULL) {
        PQfinish(admin);
        sc_buf_free(&msg);
        return NULL;
    }
    PQclear(res);

    sc_model *m = NULL;
    PGconn *scratch = sc_conn_like(admin, name);
    if (scratch == NULL) {
        sc_buf_printf(err, "cannot connect to the scratch database %s", name);
    } else {
        sc_buf ddl = SC_BUF_INIT;
        sc_ddl_create(&ddl, files);
        res = sc_conn_query(scratch, sc_buf_str(&ddl), PGRES_COMMAND_OK,
                            "the schema does not create on the development server", err);
        sc_buf_free(&ddl);
        if (res != NULL) {
            PQclear(res);
            m = sc_catalog_read(scratch, NULL, err);
        }
        PQfinish(scratch);
    }
    if (m != NULL)
        copy_hints(m, files);

    sc_buf drop = SC_BUF_INIT;
    sc_buf_puts(&drop, "DROP DATABASE IF EXISTS ");
    sc_ident_append(&drop, name);
    sc_buf_puts(&drop, " WITH (FORCE)");
    PQclear(PQexec(admin, sc_buf_str(&drop)));
    sc_buf_free(&drop);
    PQfinish(admin);
    sc_buf_free(&msg);
    return m;
}
