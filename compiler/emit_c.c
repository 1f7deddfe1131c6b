/*
 * The C header emitter (see emit_c.h): the last stage of the pipeline for
 * applications, beside emit_sql.c.  It reads only the model, so `schemac
 * gen` needs no database.
 *
 * How it works: first every name is settled (enums, then tables, sorted by
 * schema and name, so that the header depends on the schema and not on how
 * it is split into files), each claim checking every identifier it brings
 * along (an enum's functions and constants, a table's macros, a column's
 * _count and _present members and its macros) so that no two declarations
 * of the header can clash; then the text is written from the settled
 * names.  Text that comes from SQL reaches the header only through
 * c_string() (string literals) and c_comment() (comments), which escape
 * whatever could end or bend them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "emit_c.h"
#include "ident.h"
#include "source.h"
#include "util.h"

/* ------------------------------------------------------------- names */

void sc_c_names_init(sc_c_names *ns)
{
    ns->arena = sc_arena_new();
    ns->used = (sc_strmap)SC_STRMAP_INIT;
}

void sc_c_names_free(sc_c_names *ns)
{
    sc_strmap_free(&ns->used);
    sc_arena_free(ns->arena);
    ns->arena = NULL;
}

/* Words no identifier of the header may be. */
static const char *const reserved_words[] = {
    /* C11 keywords (the _Capitalised ones start with an underscore) */
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
    "union", "unsigned", "void", "volatile", "while",
    /* C23 keywords, and the macros of stdbool.h and stddef.h */
    "alignas", "alignof", "bool", "constexpr", "false", "nullptr", "static_assert",
    "thread_local", "true", "typeof", "typeof_unqual", "offsetof", "NULL",
    /* common extensions and predefined macros of GNU modes */
    "asm", "fortran", "unix", "linux", "i386",
    /* the types the header uses */
    "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
    "size_t", "ptrdiff_t", "intptr_t", "uintptr_t", "intmax_t", "uintmax_t", "max_align_t",
    "wchar_t",
};

/* Prefixes of stdint.h's limit macros, which end in _MAX, _MIN or _C. */
static const char *const limit_prefixes[] = {"INT", "UINT", "SIZE", "PTRDIFF", "SIG_ATOMIC",
                                             "WCHAR", "WINT"};

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

bool sc_c_reserved(const char *ident)
{
    if (ident[0] == '_' || ident[0] == '\0')
        return true;
    if (strncmp(ident, "schemac_", 8) == 0 || strncmp(ident, "SCHEMAC_", 8) == 0)
        return true;
    for (size_t i = 0; i < sizeof reserved_words / sizeof reserved_words[0]; i++)
        if (strcmp(ident, reserved_words[i]) == 0)
            return true;
    if (ends_with(ident, "_MAX") || ends_with(ident, "_MIN") || ends_with(ident, "_C"))
        for (size_t i = 0; i < sizeof limit_prefixes / sizeof limit_prefixes[0]; i++)
            if (strncmp(ident, limit_prefixes[i], strlen(limit_prefixes[i])) == 0)
                return true;
    return false;
}

bool sc_c_names_taken(const sc_c_names *ns, const char *ident)
{
    return sc_c_reserved(ident) || sc_strmap_get(&ns->used, ident) != NULL;
}

/* Adds `ident` to `ns` (it must be free). */
static const char *claim_exact(sc_c_names *ns, const char *ident)
{
    char *k = sc_arena_strdup(ns->arena, ident);
    sc_strmap_put(&ns->used, k, k);
    return k;
}

/* The candidate for attempt `k` (1: base itself, else base_k). */
static void candidate(sc_buf *b, const char *base, unsigned k)
{
    sc_buf_reset(b);
    sc_buf_puts(b, base);
    if (k > 1)
        sc_buf_printf(b, "_%u", k);
}

const char *sc_c_names_claim(sc_c_names *ns, const char *base)
{
    sc_buf b = SC_BUF_INIT;
    const char *got = NULL;
    for (unsigned k = 1; got == NULL; k++) {
        candidate(&b, base, k);
        if (!sc_c_names_taken(ns, sc_buf_str(&b)))
            got = claim_exact(ns, sc_buf_str(&b));
    }
    sc_buf_free(&b);
    return got;
}

/* Appends one part of a name, mangled. */
static void mangle_part(sc_buf *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        unsigned char c = *p;
        if (c >= 'A' && c <= 'Z')
            sc_buf_putc(out, (char)(c - 'A' + 'a'));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
            sc_buf_putc(out, (char)c);
        else
            sc_buf_printf(out, "_x%02x", c);
    }
}

void sc_c_mangle(sc_buf *out, const char *schema, const char *name)
{
    sc_buf b = SC_BUF_INIT;
    if (schema != NULL && strcmp(schema, "public") != 0) {
        mangle_part(&b, schema);
        sc_buf_putc(&b, '_');
    }
    mangle_part(&b, name);
    const char *s = sc_buf_str(&b);
    if (!(s[0] >= 'a' && s[0] <= 'z'))
        sc_buf_putc(out, 'x');
    sc_buf_append(out, s, b.len);
    sc_buf_free(&b);
}

/* Appends `s` upper-cased (mangled names are [a-z0-9_]). */
static void upper(sc_buf *out, const char *s)
{
    for (; *s != '\0'; s++)
        sc_buf_putc(out, (*s >= 'a' && *s <= 'z') ? (char)(*s - 'a' + 'A') : *s);
}

/* ------------------------------------------------------------ escapes */

/* Appends `s` as a C string literal, quotes included: printable ASCII as
 * is (with \" \\ and \? for trigraphs), every other byte in octal. */
static void c_string(sc_buf *out, const char *s)
{
    sc_buf_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\' || *p == '?') {
            sc_buf_putc(out, '\\');
            sc_buf_putc(out, (char)*p);
        } else if (*p >= 0x20 && *p < 0x7f) {
            sc_buf_putc(out, (char)*p);
        } else {
            sc_buf_printf(out, "\\%03o", *p);
        }
    }
    sc_buf_putc(out, '"');
}

/* Appends `s` for the inside of a comment: nothing that ends or opens a
 * comment, no trigraph, no control byte (as \xHH); UTF-8 as is. */
static void c_comment(sc_buf *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f)
            sc_buf_printf(out, "\\x%02x", *p);
        else if ((*p == '*' && p[1] == '/') || (*p == '/' && p[1] == '*') ||
                 (*p == '?' && p[1] == '?')) {
            sc_buf_putc(out, (char)*p);
            sc_buf_putc(out, '\\');
        } else
            sc_buf_putc(out, (char)*p);
    }
}

/* ------------------------------------------------------------- types */

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

/* A column's C type. */
typedef struct ctype {
    ckind kind;
    bool array;
    long maxlen;      /* character varying(n) / character(n), else 0 */
    const cenum *en;  /* K_ENUM */
} ctype;

/* Whether `s` starts with the words `w`, followed by the end, a space or
 * a parenthesis. */
static bool words(const char *s, const char *w)
{
    size_t n = strlen(w);
    return strncmp(s, w, n) == 0 && (s[n] == '\0' || s[n] == ' ' || s[n] == '(');
}

/* The C type of format_type() spelling `type`; enums by their spelling in
 * `enums` (sc_ident_append_qualified). */
static ctype classify(const char *type, const sc_strmap *enums)
{
    ctype t = {K_TEXT, false, 0, NULL};
    size_t n = strlen(type);
    while (n >= 2 && type[n - 2] == '[' && type[n - 1] == ']') {
        n -= 2;
        t.array = true;
    }
    char *base = sc_xstrndup(type, n);
    const cenum *en = sc_strmap_get(enums, base);
    if (en != NULL) {
        t.kind = K_ENUM;
        t.en = en;
    } else if (strcmp(base, "smallint") == 0) {
        t.kind = K_I16;
    } else if (strcmp(base, "integer") == 0) {
        t.kind = K_I32;
    } else if (strcmp(base, "bigint") == 0) {
        t.kind = K_I64;
    } else if (strcmp(base, "boolean") == 0) {
        t.kind = K_BOOL;
    } else if (strcmp(base, "real") == 0) {
        t.kind = K_F32;
    } else if (strcmp(base, "double precision") == 0) {
        t.kind = K_F64;
    } else if (strcmp(base, "uuid") == 0) {
        t.kind = K_UUID;
    } else if (strcmp(base, "bytea") == 0) {
        t.kind = K_BYTES;
    } else if (strcmp(base, "date") == 0) {
        t.kind = K_DATE;
    } else if (words(base, "timestamp")) {
        t.kind = K_TIMESTAMP;
    } else if (words(base, "time")) {
        /* time with time zone keeps its offset: text */
        t.kind = strstr(base, "with time zone") != NULL ? K_TEXT : K_TIME;
    } else if (words(base, "interval")) {
        t.kind = K_INTERVAL;
    } else if (words(base, "character varying") || words(base, "character")) {
        const char *paren = strchr(base, '(');
        if (paren != NULL)
            t.maxlen = strtol(paren + 1, NULL, 10);
        else if (!words(base, "character varying"))
            t.maxlen = 1; /* character is character(1) */
    }
    free(base);
    return t;
}

/* The C spelling of a type kind (without the array's pointer). */
static const char *kind_c(const ctype *t)
{
    switch (t->kind) {
    case K_I16: return "int16_t";
    case K_I32: return "int32_t";
    case K_I64: return "int64_t";
    case K_BOOL: return "bool";
    case K_F32: return "float";
    case K_F64: return "double";
    case K_TEXT: return "char *";
    case K_UUID: return "struct schemac_uuid";
    case K_BYTES: return "struct schemac_bytes";
    case K_DATE: return "int32_t";
    case K_TIMESTAMP: return "int64_t";
    case K_TIME: return "int64_t";
    case K_INTERVAL: return "struct schemac_interval";
    case K_ENUM: return NULL;
    }
    return NULL;
}

/* ------------------------------------------------------------ planning */

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
    const char *c;     /* the struct tag */
    const char *upper; /* the macros' prefix */
    ccol *cols;
} ctable;

/* Orders enums or tables by schema, then name (bytes). */
static int cmp_names(const char *s1, const char *n1, const char *s2, const char *n2)
{
    int c = strcmp(s1 != NULL ? s1 : "", s2 != NULL ? s2 : "");
    return c != 0 ? c : strcmp(n1, n2);
}

static int cmp_enum(const void *a, const void *b)
{
    const sc_enum *x = *(const sc_enum *const *)a, *y = *(const sc_enum *const *)b;
    return cmp_names(x->schema, x->name, y->schema, y->name);
}

static int cmp_table(const void *a, const void *b)
{
    const sc_table *x = *(const sc_table *const *)a, *y = *(const sc_table *const *)b;
    return cmp_names(x->schema, x->name, y->schema, y->name);
}

/*
 * Claims the first candidate base, base_2, ... for which every identifier
 * `make` derives is free; `make` fills `out` with `n` NUL-separated
 * identifiers for candidate `cand`, the first going to `first` (if not
 * NULL).  Returns the claimed candidate, owned by `ns`.
 */
typedef size_t (*derive_fn)(void *ctx, const char *cand, sc_buf *idents);

static const char *claim_group(sc_c_names *ns, sc_c_names *local, const char *base,
                               derive_fn make, void *ctx)
{
    sc_buf cand = SC_BUF_INIT, ids = SC_BUF_INIT;
    const char *got = NULL;
    for (unsigned k = 1; got == NULL; k++) {
        candidate(&cand, base, k);
        sc_buf_reset(&ids);
        size_t n = make(ctx, sc_buf_str(&cand), &ids);
        /* Each identifier is prefixed: 'g' global, 'l' the local set. */
        bool free_all = true;
        const char *p = sc_buf_str(&ids);
        for (size_t i = 0; i < n && free_all; i++, p += strlen(p) + 1) {
            sc_c_names *set = p[0] == 'g' ? ns : local;
            free_all = !sc_c_names_taken(set, p + 1);
            /* two identifiers of one group may not clash either */
            const char *q = sc_buf_str(&ids);
            for (size_t j = 0; j < i && free_all; j++, q += strlen(q) + 1)
                free_all = strcmp(q, p) != 0;
        }
        if (!free_all)
            continue;
        p = sc_buf_str(&ids);
        for (size_t i = 0; i < n; i++, p += strlen(p) + 1)
            claim_exact(p[0] == 'g' ? ns : local, p + 1);
        got = sc_arena_strdup(ns->arena, sc_buf_str(&cand));
    }
    sc_buf_free(&cand);
    sc_buf_free(&ids);
    return got;
}

/* Appends one identifier of a group: its set ('g' or 'l'), the text,
 * `suffix` (upper-cased with the text when `up`), a NUL. */
static void push_ident(sc_buf *ids, char set, const char *prefix, const char *text,
                       const char *suffix, bool up)
{
    sc_buf_putc(ids, set);
    sc_buf_puts(ids, prefix);
    if (up)
        upper(ids, text);
    else
        sc_buf_puts(ids, text);
    sc_buf_puts(ids, suffix);
    sc_buf_append(ids, "", 1);
}

static size_t derive_enum(void *ctx, const char *cand, sc_buf *ids)
{
    (void)ctx;
    push_ident(ids, 'g', "", cand, "", false);
    push_ident(ids, 'g', "", cand, "_to_string", false);
    push_ident(ids, 'g', "", cand, "_from_string", false);
    return 3;
}

/* An enum label's constant: E_LABEL. */
static size_t derive_label(void *ctx, const char *cand, sc_buf *ids)
{
    push_ident(ids, 'g', (const char *)ctx, cand, "", true);
    return 1;
}

static size_t derive_table(void *ctx, const char *cand, sc_buf *ids)
{
    (void)ctx;
    push_ident(ids, 'g', "", cand, "", false);
    push_ident(ids, 'g', "", cand, "_TABLE", true);
    push_ident(ids, 'g', "", cand, "_NCOLUMNS", true);
    return 3;
}

typedef struct col_ctx {
    const char *prefix; /* T_COL_ */
    const ccol *col;
} col_ctx;

static size_t derive_col(void *vctx, const char *cand, sc_buf *ids)
{
    col_ctx *x = vctx;
    size_t n = 0;
    push_ident(ids, 'l', "", cand, "", false), n++;
    if (x->col->type.array)
        push_ident(ids, 'l', "", cand, "_count", false), n++;
    if (x->col->nullable)
        push_ident(ids, 'l', "", cand, "_present", false), n++;
    push_ident(ids, 'g', x->prefix, cand, "", true), n++;
    if (x->col->type.maxlen > 0)
        push_ident(ids, 'g', x->prefix, cand, "_MAXLEN", true), n++;
    return n;
}

/* Whether column `name` is in table `t`'s primary key. */
static bool in_primary_key(const sc_table *t, const char *name)
{
    const sc_constraint *pk = sc_table_primary_key(t);
    for (size_t i = 0; pk != NULL && i < pk->ncolumns; i++)
        if (strcmp(pk->columns[i], name) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------- writing */

/* The helper types and functions every schema header shares. */
static const char shared_defs[] =
    "#ifndef SCHEMAC_TYPES_DEFINED\n"
    "#define SCHEMAC_TYPES_DEFINED\n"
    "/* uuid: the 16 bytes in network order. */\n"
    "struct schemac_uuid {\n"
    "    uint8_t bytes[16];\n"
    "};\n"
    "\n"
    "/* bytea: the bytes and their number. */\n"
    "struct schemac_bytes {\n"
    "    uint8_t *data;\n"
    "    size_t len;\n"
    "};\n"
    "\n"
    "/* interval: PostgreSQL's three fields, never normalised into each other. */\n"
    "struct schemac_interval {\n"
    "    int32_t months;\n"
    "    int32_t days;\n"
    "    int64_t micros;\n"
    "};\n"
    "\n"
    "/* String equality for the enum conversions (no <string.h> needed). */\n"
    "static inline bool schemac_streq(const char *a, const char *b)\n"
    "{\n"
    "    while (*a != '\\0' && *a == *b) {\n"
    "        a++;\n"
    "        b++;\n"
    "    }\n"
    "    return *a == *b;\n"
    "}\n"
    "#endif\n";

static void emit_enum(sc_buf *out, const cenum *ce)
{
    const sc_enum *e = ce->e;
    sc_buf sql = SC_BUF_INIT;
    sc_ident_append_full(&sql, e->schema, e->name);
    sc_buf_puts(out, "\n/* enum ");
    c_comment(out, sc_buf_str(&sql));
    sc_buf_puts(out, " */\n");
    sc_buf_printf(out, "enum %s {\n", ce->c);
    for (size_t i = 0; i < e->nlabels; i++) {
        sc_buf_printf(out, "    %s, /* '", ce->labels[i]);
        c_comment(out, e->labels[i].value);
        sc_buf_puts(out, "' */\n");
    }
    if (e->nlabels == 0)
        sc_buf_printf(out, "    %s /* the enum has no labels */\n", ce->labels[0]);
    sc_buf_puts(out, "};\n\n");

    sc_buf_printf(out,
                  "/* The label of `v`, or NULL when `v` is not a label of the enum. */\n"
                  "static inline const char *%s_to_string(enum %s v);\n"
                  "/* Sets `*out` to the value of label `s` (compared exactly, as PostgreSQL\n"
                  " * does); false when `s` is NULL or no label. */\n"
                  "static inline bool %s_from_string(const char *s, enum %s *out);\n\n",
                  ce->c, ce->c, ce->c, ce->c);

    sc_buf_printf(out, "static inline const char *%s_to_string(enum %s v)\n{\n", ce->c, ce->c);
    if (e->nlabels == 0) {
        sc_buf_puts(out, "    (void)v;\n    return NULL;\n}\n\n");
    } else {
        sc_buf_puts(out, "    switch (v) {\n");
        for (size_t i = 0; i < e->nlabels; i++) {
            sc_buf_printf(out, "    case %s:\n        return ", ce->labels[i]);
            c_string(out, e->labels[i].value);
            sc_buf_puts(out, ";\n");
        }
        sc_buf_puts(out, "    }\n    return NULL;\n}\n\n");
    }

    sc_buf_printf(out, "static inline bool %s_from_string(const char *s, enum %s *out)\n{\n",
                  ce->c, ce->c);
    sc_buf_puts(out, "    if (s == NULL)\n        return false;\n");
    for (size_t i = 0; i < e->nlabels; i++) {
        sc_buf_puts(out, "    if (schemac_streq(s, ");
        c_string(out, e->labels[i].value);
        sc_buf_printf(out, ")) {\n        *out = %s;\n        return true;\n    }\n",
                      ce->labels[i]);
    }
    if (e->nlabels == 0)
        sc_buf_puts(out, "    (void)out;\n");
    sc_buf_puts(out, "    return false;\n}\n");
    sc_buf_free(&sql);
}

static void emit_table(sc_buf *out, const ctable *ct)
{
    const sc_table *t = ct->t;
    sc_buf sql = SC_BUF_INIT;
    sc_ident_append_full(&sql, t->schema, t->name);
    sc_buf_puts(out, "\n/* table ");
    c_comment(out, sc_buf_str(&sql));
    sc_buf_puts(out, " */\n");
    sc_buf_printf(out, "#define %s_TABLE ", ct->upper);
    c_string(out, sc_buf_str(&sql));
    sc_buf_printf(out, "\n#define %s_NCOLUMNS %zu\n", ct->upper, t->ncolumns);
    for (size_t i = 0; i < t->ncolumns; i++) {
        const ccol *cc = &ct->cols[i];
        sc_buf_reset(&sql);
        sc_ident_append(&sql, cc->col->name);
        sc_buf_printf(out, "#define %s ", cc->macro);
        c_string(out, sc_buf_str(&sql));
        sc_buf_putc(out, '\n');
        if (cc->type.maxlen > 0)
            sc_buf_printf(out, "#define %s_MAXLEN %ld\n", cc->macro, cc->type.maxlen);
    }
    sc_buf_printf(out, "\nstruct %s {\n", ct->c);
    for (size_t i = 0; i < t->ncolumns; i++) {
        const ccol *cc = &ct->cols[i];
        sc_buf decl = SC_BUF_INIT;
        if (cc->type.kind == K_ENUM)
            sc_buf_printf(&decl, "enum %s ", cc->type.en->c);
        else {
            sc_buf_puts(&decl, kind_c(&cc->type));
            if (decl.data[decl.len - 1] != '*')
                sc_buf_putc(&decl, ' ');
        }
        if (cc->type.array)
            sc_buf_putc(&decl, '*');
        sc_buf_printf(out, "    %s%s; /* ", sc_buf_str(&decl), cc->member);
        sc_buf_reset(&sql);
        sc_ident_append(&sql, cc->col->name);
        c_comment(out, sc_buf_str(&sql));
        sc_buf_putc(out, ' ');
        c_comment(out, cc->col->type);
        if (!cc->nullable)
            sc_buf_puts(out, " not null");
        sc_buf_puts(out, " */\n");
        if (cc->type.array)
            sc_buf_printf(out, "    size_t %s_count;\n", cc->member);
        if (cc->nullable)
            sc_buf_printf(out, "    bool %s_present; /* false: NULL */\n", cc->member);
        sc_buf_free(&decl);
    }
    if (t->ncolumns == 0)
        sc_buf_puts(out, "    char schemac_no_columns_; /* the table has no columns */\n");
    sc_buf_puts(out, "};\n");
    sc_buf_free(&sql);
}

void sc_emit_c_header(sc_buf *out, const sc_model *m, const sc_emit_c_info *info)
{
    sc_c_names ns;
    sc_c_names_init(&ns);
    sc_buf b = SC_BUF_INIT;

    /* Enums: their tags, functions and constants. */
    const sc_enum **es = sc_xcalloc(m->nenums + 1, sizeof *es);
    if (m->nenums > 0)
        memcpy(es, m->enums, m->nenums * sizeof *es);
    qsort(es, m->nenums, sizeof *es, cmp_enum);
    cenum *ces = sc_xcalloc(m->nenums + 1, sizeof *ces);
    sc_strmap enums = SC_STRMAP_INIT;
    for (size_t i = 0; i < m->nenums; i++) {
        cenum *ce = &ces[i];
        ce->e = es[i];
        sc_buf_reset(&b);
        sc_c_mangle(&b, es[i]->schema, es[i]->name);
        ce->c = claim_group(&ns, &ns, sc_buf_str(&b), derive_enum, NULL);
        size_t nl = es[i]->nlabels > 0 ? es[i]->nlabels : 1;
        ce->labels = sc_arena_alloc(ns.arena, nl * sizeof *ce->labels);
        sc_buf prefix = SC_BUF_INIT;
        upper(&prefix, ce->c);
        sc_buf_putc(&prefix, '_');
        for (size_t j = 0; j < es[i]->nlabels; j++) {
            sc_buf_reset(&b);
            sc_c_mangle(&b, NULL, es[i]->labels[j].value);
            const char *l = claim_group(&ns, &ns, sc_buf_str(&b), derive_label,
                                        (void *)sc_buf_str(&prefix));
            sc_buf full = SC_BUF_INIT;
            sc_buf_puts(&full, sc_buf_str(&prefix));
            upper(&full, l);
            ce->labels[j] = sc_arena_strdup(ns.arena, sc_buf_str(&full));
            sc_buf_free(&full);
        }
        if (es[i]->nlabels == 0) {
            sc_buf_reset(&b);
            sc_buf_puts(&b, sc_buf_str(&prefix));
            sc_buf_puts(&b, "NO_LABELS");
            ce->labels[0] = sc_c_names_claim(&ns, sc_buf_str(&b));
        }
        sc_buf_free(&prefix);
        sc_buf_reset(&b);
        sc_ident_append_qualified(&b, es[i]->schema, es[i]->name);
        sc_strmap_put(&enums, sc_arena_strdup(ns.arena, sc_buf_str(&b)), ce);
    }

    /* Tables: tags, macros, members. */
    const sc_table **ts = sc_xcalloc(m->ntables + 1, sizeof *ts);
    if (m->ntables > 0)
        memcpy(ts, m->tables, m->ntables * sizeof *ts);
    qsort(ts, m->ntables, sizeof *ts, cmp_table);
    ctable *cts = sc_xcalloc(m->ntables + 1, sizeof *cts);
    for (size_t i = 0; i < m->ntables; i++) {
        ctable *ct = &cts[i];
        const sc_table *t = ts[i];
        ct->t = t;
        sc_buf_reset(&b);
        sc_c_mangle(&b, t->schema, t->name);
        ct->c = claim_group(&ns, &ns, sc_buf_str(&b), derive_table, NULL);
        sc_buf_reset(&b);
        upper(&b, ct->c);
        ct->upper = sc_arena_strdup(ns.arena, sc_buf_str(&b));
        sc_buf_puts(&b, "_COL_");
        char *prefix = sc_arena_strdup(ns.arena, sc_buf_str(&b));
        ct->cols = sc_arena_alloc(ns.arena, (t->ncolumns + 1) * sizeof *ct->cols);
        sc_c_names members;
        sc_c_names_init(&members);
        for (size_t j = 0; j < t->ncolumns; j++) {
            ccol *cc = &ct->cols[j];
            const sc_column *col = t->columns[j];
            cc->col = col;
            cc->type = classify(col->type, &enums);
            cc->nullable = !(col->not_null || col->identity != 0 || col->serial != 0 ||
                             in_primary_key(t, col->name));
            sc_buf_reset(&b);
            sc_c_mangle(&b, NULL, col->name);
            col_ctx x = {prefix, cc};
            cc->member = claim_group(&ns, &members, sc_buf_str(&b), derive_col, &x);
            sc_buf_reset(&b);
            sc_buf_puts(&b, prefix);
            upper(&b, cc->member);
            cc->macro = sc_arena_strdup(ns.arena, sc_buf_str(&b));
        }
        sc_c_names_free(&members);
    }

    /* The text. */
    sc_buf_printf(out,
                  "/*\n"
                  " * C types for the schema: generated by schemac, do not edit.\n"
                  " * Regenerate with `schemac gen` (or `schemac compile`).\n"
                  " *\n"
                  " * schema hash %s\n",
                  info->schema_hash);
    if (info->hash_note != NULL) {
        sc_buf_puts(out, " *\n * ");
        for (const char *p = info->hash_note; *p != '\0'; p++) {
            if (*p == '\n')
                sc_buf_puts(out, "\n * ");
            else if (*p == '*' && p[1] == '/')
                sc_buf_puts(out, "*\\");
            else
                sc_buf_putc(out, *p);
        }
        sc_buf_putc(out, '\n');
    }
    sc_buf_puts(out,
                " *\n"
                " * Every struct has one member per column, in the table's column order;\n"
                " * a nullable column NAME is followed by `bool NAME_present` (false: NULL),\n"
                " * an array column by `size_t NAME_count`.  Times are microseconds since\n"
                " * 1970-01-01 00:00 UTC (timestamps) or since midnight (time), dates days\n"
                " * since 1970-01-01; numeric and unknown types are text.  See\n"
                " * docs/codegen.md of schemac.\n"
                " */\n"
                "#ifndef SCHEMAC_SCHEMA_H\n"
                "#define SCHEMAC_SCHEMA_H\n"
                "\n"
                "#include <stdbool.h>\n"
                "#include <stddef.h>\n"
                "#include <stdint.h>\n"
                "\n");
    sc_buf_printf(out, "#define SCHEMAC_SCHEMA_HASH \"%s\"\n\n", info->schema_hash);
    sc_buf_puts(out, shared_defs);
    for (size_t i = 0; i < m->nenums; i++)
        emit_enum(out, &ces[i]);
    for (size_t i = 0; i < m->ntables; i++)
        emit_table(out, &cts[i]);
    sc_buf_puts(out, "\n#endif\n");

    free(es);
    free(ces);
    free(ts);
    free(cts);
    sc_strmap_free(&enums);
    sc_buf_free(&b);
    sc_c_names_free(&ns);
}

/* mkdir that accepts an existing directory. */
static int make_dir(const char *path, sc_buf *err)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        sc_buf_printf(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int sc_emit_c_write(const char *out_dir, const sc_model *m, const sc_emit_c_info *info,
                    sc_buf *path, sc_buf *err)
{
    sc_buf dir = SC_BUF_INIT, file = SC_BUF_INIT, text = SC_BUF_INIT;
    int rc = -1;
    sc_buf_printf(&dir, "%s/%s", out_dir, SC_EMIT_C_DIR);
    sc_buf_printf(&file, "%s/%s", sc_buf_str(&dir), SC_EMIT_C_FILE);
    if (make_dir(out_dir, err) != 0 || make_dir(sc_buf_str(&dir), err) != 0)
        goto done;
    sc_emit_c_header(&text, m, info);
    if (sc_file_write_atomic(sc_buf_str(&file), sc_buf_str(&text), text.len) != 0) {
        sc_buf_printf(err, "%s: %s", sc_buf_str(&file), strerror(errno));
        goto done;
    }
    if (path != NULL)
        sc_buf_puts(path, sc_buf_str(&file));
    rc = 0;
done:
    sc_buf_free(&dir);
    sc_buf_free(&file);
    sc_buf_free(&text);
    return rc;
}
