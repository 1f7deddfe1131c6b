/*
 * What the C emitters share (emit_c.c writes the header, the row
 * descriptors and the validators; emit_check.c translates CHECK
 * constraints): the schema's tables, columns and enums with their settled
 * C names and C types.
 */
#ifndef SC_EMIT_C_MODEL_H
#define SC_EMIT_C_MODEL_H

#include <stdbool.h>
#include <tree_sitter/api.h>

#include "buf.h"
#include "strmap.h"
#include "model.h"

typedef enum ckind {
    K_I16,
    K_I32,
    K_I64,
    K_BOOL,
    K_F32,
    K_F64,
    K_TEXT,
    K_UUID,
    K_BYTES,
    K_DATE,
    K_TIMESTAMP,
    K_TIME,
    K_INTERVAL,
    K_ENUM,
} ckind;

/* An enum with its settled names. */
typedef struct cenum {
    const sc_enum *e;
    const char *c;       /* the tag, and the functions' prefix */
    const char **labels; /* the constants */
} cenum;

/* What a text column holds. */
typedef enum ctext {
    T_OTHER,   /* json, inet, ...: text the validator cannot judge */
    T_TEXT,    /* text */
    T_VARCHAR, /* character varying[(n)] */
    T_BPCHAR,  /* character(n) */
    T_NUMERIC, /* numeric[(p,s)] */
} ctext;

/* A column's C type. */
typedef struct ctype {
    ckind kind;
    bool array;
    bool tz;          /* K_TIMESTAMP: with time zone */
    ctext text;       /* K_TEXT */
    long maxlen;      /* character varying(n) / character(n), else 0 */
    int precision;    /* numeric(p,s), else 0 */
    int scale;
    unsigned oid;     /* the built-in type's OID (the array type's for arrays), else 0 */
    const cenum *en;  /* K_ENUM */
} ctype;

/* A column with its settled names. */
typedef struct ccol {
    const sc_column *col;
    ctype type;
    bool nullable;
    const char *member; /* the member; _count and _present follow it */
    const char *macro;  /* T_COL_C */
} ccol;

typedef struct ctable {
    const sc_table *t;
    const char *c;     /* the struct tag, and the functions' prefix */
    const char *upper; /* the macros' prefix */
    ccol *cols;
    /* CHECK constraints, in the table's order. */
    const sc_constraint **checks;
    char **translated;  /* per check: the C function's body, or NULL */
    const char **whys;  /* per check not translated: why */
    const char **hooks; /* per check: the application's hook, or NULL (a
                         * translated check whose C may defer to it has one) */
    size_t nchecks;
} ctable;

/* Appends the `len` bytes at `s` as a C string literal, quotes included:
 * printable ASCII as is (with \" \\ and \? against trigraphs), every other
 * byte in octal. */
void sc_c_string(sc_buf *out, const char *s, size_t len);

/* The column of `ct` named `name` (SQL), or NULL. */
const ccol *sc_emit_c_column(const ctable *ct, const char *name);

/*
 * Translates CHECK expression `expr` (the model's token form) of table
 * `ct` into the body of a C function
 *
 *     static int NAME(const struct T *row)
 *
 * that returns 1 when the check holds (true or NULL, as in PostgreSQL), 0
 * when it fails, -1 when PostgreSQL would raise an error evaluating it
 * (an overflow, a division by zero: the INSERT fails as well), and 2 when
 * this row needs the application's hook (a case mapping outside ASCII).
 * Appends the body (from "{" to "}") to `out` and returns true; or returns
 * false, appending nothing, with the reason in `why`.  `used`, when not
 * NULL, receives the SQL names of the columns the expression reads, each
 * followed by a NUL (the text depends on nothing else of the table).  `parser` is a parser
 * of the schema language, which reads the expression.  *may_defer is set
 * when the body can return 2.  `enums` maps enum spellings
 * (sc_ident_append_qualified) to their cenum.
 */
bool sc_check_translate(sc_buf *out, TSParser *parser, const ctable *ct, const char *expr,
                        const sc_strmap *enums, bool *may_defer, sc_buf *why, sc_buf *used);

#endif
