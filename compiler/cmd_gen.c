/*
 * `schemac gen`: the C code for the schema files (emit_c.h), written
 * without any database: OUT/include/schema.h (types), OUT/db/schema_db.c
 * (row decoders and inserts over the runtime) and
 * OUT/validate/schema_validate.c (validators).
 *
 * The header carries a schema hash.  When OUT/schema.lock records exactly
 * these schema files (by hash), it is the lock's schema-hash, the one
 * `schemac compile` wrote and the migrations carry.  Otherwise it is the
 * hash of the checked files' model as written (`schemac validate` prints
 * the same): compile hashes the model after normalising it to the
 * catalog's spelling, so the two differ when normalisation respells
 * something (an expression, a default); the header says which it holds.
 *
 * Exit codes: 0 written; 2 usage or schema errors, or the header cannot
 * be written.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "compiler.h"
#include "emit_c.h"
#include "hash.h"
#include "lock.h"
#include "normalize.h"

/* gen uses no server: a table the lock's cache cannot normalise stops
 * the normalisation. */
static char *no_server(void *ctx, sc_buf *err)
{
    (void)ctx;
    sc_buf_puts(err, "gen uses no server");
    return NULL;
}

static void usage(void)
{
    fputs("usage: schemac gen [--schema DIR] [--out DIR]\n", stderr);
}

int sc_cmd_gen(int argc, char **argv)
{
    const char *schema = "schema", *out = "generated";
    for (int i = 0; i < argc; i++) {
        bool has = i + 1 < argc;
        if (strcmp(argv[i], "--schema") == 0 && has)
            schema = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && has)
            out = argv[++i];
        else {
            fprintf(stderr, "schemac gen: unknown argument '%s'\n", argv[i]);
            usage();
            return 2;
        }
    }
    int rc = 2;
    sc_compiler *snap = NULL, *plain = NULL;
    sc_buf err = SC_BUF_INIT, lock_path = SC_BUF_INIT, path = SC_BUF_INIT;
    sc_lock lock;
    sc_compiler *c = sc_compiler_new();
    sc_buf_printf(&lock_path, "%s/schema.lock", out);
    int lk = sc_lock_read(&lock, sc_buf_str(&lock_path), &err);
    if (lk < 0) {
        /* A damaged lock only costs the lock's hash. */
        fprintf(stderr, "schemac gen: warning: %s\n", sc_buf_str(&err));
        sc_buf_reset(&err);
    }
    sc_sources_add_path(&c->sources, schema, &c->diags);
    if (c->diags.nerrors > 0 || sc_compiler_run(c) != 0) {
        sc_compiler_render(c, stderr);
        goto done;
    }
    sc_compiler_render(c, stderr); /* warnings */

    /* The hash schemac_verify() compares a live database against: the
     * schema hash with extension schemas and versions left out, as the
     * migrations' headers and the ledger record it. */
    char hash[SC_HASH_HEX_LEN + 1];
    sc_emit_c_info info = {hash, NULL};
    const sc_model *model = c->model;
    bool locked = false;
    if (lk > 0 && sc_compile_files_match(&c->sources, &lock, schema)) {
        /* Files compile compiled: normalised through the lock's cache they
         * are compile's model (columns in their order, expressions as the
         * catalog spells them), with no server. */
        locked = true;
        sc_normcache *cache = sc_lock_normcache(&lock);
        int down = 0;
        if (sc_normalize_model(c->model, cache, no_server, NULL, NULL, &down, &err) != 0) {
            /* A table the cache cannot normalise (the server replaced it
             * when compile ran): the files as written, the lock's hash. */
            sc_buf_reset(&err);
            bool ok;
            snap = sc_lock_compile(lock.body, lock.body_len, sc_buf_str(&lock_path), false, &ok);
            plain = sc_compiler_new();
            sc_sources_add_path(&plain->sources, schema, &plain->diags);
            if (!ok || plain->diags.nerrors > 0 || sc_compiler_run(plain) != 0) {
                locked = false;
            } else {
                sc_model_hash_loose(hash, snap->model);
            }
            model = plain->model;
        } else {
            sc_model_hash_loose(hash, c->model);
        }
        sc_normcache_free(cache);
    }
    if (locked) {
        info.hash_note = SC_EMIT_C_LOCK_NOTE;
    } else {
        model = c->model;
        sc_model_hash_loose(hash, c->model);
        info.hash_note = "The hash is that of the schema files as written (extension schemas\n"
                         "and versions left out). `schemac compile` rewrites this header with\n"
                         "the hash of the schema normalised to the catalog's spelling, which is\n"
                         "what schemac_verify() compares a live database with; the two differ\n"
                         "when normalisation respells an expression or a type.";
    }
    if (sc_emit_c_write(out, model, &info, &path, &err) != 0) {
        fprintf(stderr, "schemac gen: %s\n", sc_buf_str(&err));
        goto done;
    }
    printf("wrote %s (schema %s)\n", sc_buf_str(&path), hash);
    rc = 0;
done:
    sc_compiler_free(snap);
    sc_compiler_free(plain);
    sc_compiler_free(c);
    sc_lock_free(&lock);
    sc_buf_free(&err);
    sc_buf_free(&lock_path);
    sc_buf_free(&path);
    return rc;
}
