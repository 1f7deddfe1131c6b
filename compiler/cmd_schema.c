/*
 * Commands that work on schema files alone, with no database:
 * `validate` (parse and check, print a summary), `fmt` (canonical
 * layout, or --check) and `print` (the canonical snapshot text).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "compiler.h"
#include "hash.h"
#include "print.h"
#include "util.h"

/* Collects PATH arguments (default schema/) into the compiler's sources.
 * Returns -1 on a usage error. */
static int load_paths(sc_compiler *c, int argc, char **argv, int first)
{
    int n = 0;
    for (int i = first; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "schemac: unknown option '%s'\n", argv[i]);
            return -1;
        }
        sc_sources_add_path(&c->sources, argv[i], &c->diags);
        n++;
    }
    if (n == 0)
        sc_sources_add_path(&c->sources, "schema", &c->diags);
    return 0;
}

int sc_cmd_validate(int argc, char **argv)
{
    sc_compiler *c = sc_compiler_new();
    if (load_paths(c, argc, argv, 0) != 0) {
        sc_compiler_free(c);
        return 2;
    }
    int rc = 0;
    if (c->diags.nerrors > 0 || sc_compiler_run(c) != 0) {
        sc_compiler_render(c, stderr);
        fprintf(stderr, "%zu error%s\n", c->diags.nerrors, c->diags.nerrors == 1 ? "" : "s");
        rc = 2;
    } else {
        sc_compiler_render(c, stderr);
        const sc_model *m = c->model;
        size_t ncols = 0, ncons = 0, nidx = 0;
        for (size_t i = 0; i < m->ntables; i++) {
            ncols += m->tables[i]->ncolumns;
            ncons += m->tables[i]->nconstraints;
            nidx += m->tables[i]->nindexes;
        }
        char hash[SC_HASH_HEX_LEN + 1];
        sc_model_hash(hash, m);
        /* Collations and sequences are counted only in schemas that
         * declare some. */
        char colls[64] = "", seqs[64] = "";
        if (m->ncollations > 0)
            snprintf(colls, sizeof colls, " %zu collation%s,", m->ncollations,
                     m->ncollations == 1 ? "" : "s");
        if (m->nsequences > 0)
            snprintf(seqs, sizeof seqs, " %zu sequence%s,", m->nsequences,
                     m->nsequences == 1 ? "" : "s");
        printf("%zu file%s: %zu schema%s, %zu extension%s,%s %zu enum%s,%s %zu table%s, "
               "%zu column%s, %zu constraint%s, %zu index%s\n",
               c->sources.n, c->sources.n == 1 ? "" : "s", m->nschemas,
               m->nschemas == 1 ? "" : "s", m->nextensions, m->nextensions == 1 ? "" : "s",
               colls, m->nenums, m->nenums == 1 ? "" : "s", seqs, m->ntables,
               m->ntables == 1 ? "" : "s", ncols, ncols == 1 ? "" : "s", ncons,
               ncons == 1 ? "" : "s", nidx, nidx == 1 ? "" : "es");
        printf("schema hash %s\n", hash);
    }
    sc_compiler_free(c);
    return rc;
}

int sc_cmd_print(int argc, char **argv)
{
    sc_compiler *c = sc_compiler_new();
    if (load_paths(c, argc, argv, 0) != 0) {
        sc_compiler_free(c);
        return 2;
    }
    int rc = 0;
    if (c->diags.nerrors > 0 || sc_compiler_run(c) != 0) {
        sc_compiler_render(c, stderr);
        rc = 2;
    } else {
        sc_buf b = SC_BUF_INIT;
        sc_print_canonical(&b, c->model);
        fwrite(sc_buf_str(&b), 1, b.len, stdout);
        sc_buf_free(&b);
    }
    sc_compiler_free(c);
    return rc;
}

int sc_cmd_fmt(int argc, char **argv)
{
    bool check = false;
    int first = 0;
    if (argc > 0 && strcmp(argv[0], "--check") == 0) {
        check = true;
        first = 1;
    }
    sc_compiler *c = sc_compiler_new();
    c->keep_trivia = true;
    if (load_paths(c, argc, argv, first) != 0) {
        sc_compiler_free(c);
        return 2;
    }
    /* fmt needs well-formed files, not a valid schema: semantic errors do
     * not stop it (the check phase still settles default names, so that
     * fmt leaves out names equal to them). */
    if (c->diags.nerrors > 0 || sc_compiler_parse(c) != 0 || sc_compiler_lower(c) != 0) {
        sc_compiler_render(c, stderr);
        sc_compiler_free(c);
        return 2;
    }
    (void)sc_compiler_check(c);
    int rc = 0;
    for (size_t i = 0; i < c->sources.n; i++) {
        sc_source *src = c->sources.items[i];
        sc_buf b = SC_BUF_INIT;
        sc_print_file(&b, c->model, src->path);
        bool same = b.len == src->len && memcmp(sc_buf_str(&b), src->text, b.len) == 0;
        if (!same) {
            if (check) {
                printf("%s\n", src->path);
                rc = 1;
            } else if (sc_file_write_atomic(src->path, sc_buf_str(&b), b.len) != 0) {
                fprintf(stderr, "schemac: cannot write %s\n", src->path);
                rc = 2;
            }
        }
        sc_buf_free(&b);
    }
    sc_compiler_free(c);
    return rc;
}
