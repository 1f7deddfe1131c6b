/*
 * The C header emitter: the schema model as C types for applications
 * (`schemac gen`, and `schemac compile` after it writes a migration).
 *
 * One header holds the schema hash, one C enum per SQL enum with string
 * conversions (static inline, so the header alone is usable), and per
 * table a struct with one member per column and name constants.
 * docs/codegen.md lists the type mapping and the naming rules.
 *
 * SQL names become C identifiers by sc_c_mangle() (lower case, every
 * byte outside [a-z0-9_] as _xHH, a leading non-letter prefixed with x),
 * and each identifier is claimed in a sc_c_names set so that keywords,
 * reserved identifiers and earlier claims are avoided with a numeric
 * suffix (_2, _3, ...), deterministically: enums, then tables, each sorted
 * by schema and name, columns and labels in their declared order.
 */
#ifndef SC_EMIT_C_H
#define SC_EMIT_C_H

#include <stdbool.h>

#include "arena.h"
#include "buf.h"
#include "model.h"
#include "strmap.h"

/* Where the files go, relative to the output directory: the header, the
 * row descriptors with decoders and inserts, the validators. */
#define SC_EMIT_C_DIR "include"
#define SC_EMIT_C_FILE "schema.h"
#define SC_EMIT_C_DB_DIR "db"
#define SC_EMIT_C_DB_FILE "schema_db.c"
#define SC_EMIT_C_VALIDATE_DIR "validate"
#define SC_EMIT_C_VALIDATE_FILE "schema_validate.c"

/* A set of claimed C identifiers (the keys live in its arena). */
typedef struct sc_c_names {
    sc_arena *arena;
    sc_strmap used;
} sc_c_names;

void sc_c_names_init(sc_c_names *ns);
void sc_c_names_free(sc_c_names *ns);

/* Whether `ident` is taken in `ns` or reserved (see sc_c_reserved). */
bool sc_c_names_taken(const sc_c_names *ns, const char *ident);

/*
 * Claims `base`, else base_2, base_3, ... whichever is first free and not
 * reserved; returns the claimed identifier (owned by `ns`).
 */
const char *sc_c_names_claim(sc_c_names *ns, const char *base);

/*
 * Whether `ident` may not be used as an identifier of the header: C11 and
 * C23 keywords, names the included standard headers define (bool, true,
 * NULL, int32_t, INT32_MAX, ...) or reserve (INT..._MAX/_MIN/_C), names
 * beginning with an underscore, predefined GNU macros (unix, linux), and
 * schemac_ / SCHEMAC_ names, which the header keeps for itself.
 */
bool sc_c_reserved(const char *ident);

/*
 * Appends the mangled form of SQL name `name`: ASCII letters lower-cased,
 * [a-z0-9_] kept, every other byte as _xHH (lower-case hex), and an x in
 * front when the result would not start with a letter.  With a `schema`
 * other than NULL and "public", the result is schema_name, both parts
 * mangled so.  The result is a valid C identifier, but may be reserved or
 * taken: claim it in a sc_c_names.
 */
void sc_c_mangle(sc_buf *out, const char *schema, const char *name);

/* The header's note on its hash when it is schema.lock's (gen on the
 * files the lock records, and compile). */
#define SC_EMIT_C_LOCK_NOTE                                                                    \
    "The hash is that of schema.lock's schema: these schema files as\n"                          \
    "`schemac compile` last compiled them (normalised to the catalog's\n"                        \
    "spelling), extension schemas and versions left out, as\n"                                   \
    "schemac_verify() compares a live database."

/* What the header says beyond the model. */
typedef struct sc_emit_c_info {
    const char *schema_hash; /* 32 hex digits */
    const char *hash_note;   /* a sentence on where the hash comes from, or NULL */
} sc_emit_c_info;

/* Appends the header for model `m` to `out`. */
void sc_emit_c_header(sc_buf *out, const sc_model *m, const sc_emit_c_info *info);

/* Appends the three files for model `m` to the buffers that are not NULL. */
void sc_emit_c_files(const sc_model *m, const sc_emit_c_info *info, sc_buf *header, sc_buf *db,
                     sc_buf *validate);

/*
 * Writes the three files (include/schema.h, db/schema_db.c,
 * validate/schema_validate.c under OUT_DIR), each atomically, creating the
 * directories.  Returns 0, or -1 after one line in `err`.  `path`, when
 * not NULL, receives the three paths as a phrase ("A, B and C").
 */
int sc_emit_c_write(const char *out_dir, const sc_model *m, const sc_emit_c_info *info,
                    sc_buf *path, sc_buf *err);

#endif
