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
#include "compiler.h"
#include "emit_c_model.h"
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

void sc_c_string(sc_buf *out, const char *s, size_t len)
{
    sc_buf_putc(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\' || c == '?') {
            sc_buf_putc(out, '\\');
            sc_buf_putc(out, (char)c);
        } else if (c >= 0x20 && c < 0x7f) {
            sc_buf_putc(out, (char)c);
        } else {
            sc_buf_printf(out, "\\%03o", c);
        }
    }
    sc_buf_putc(out, '"');
}

static void c_string(sc_buf *out, const char *s)
{
    sc_c_string(out, s, strlen(s));
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

/* Whether `s` starts with the words `w`, followed by the end, a space or
 * a parenthesis. */
static bool words(const char *s, const char *w)
{
    size_t n = strlen(w);
    return strncmp(s, w, n) == 0 && (s[n] == '\0' || s[n] == ' ' || s[n] == '(');
}

/* The C type of format_type() spelling `type`; enums by their spelling in
 * `enums` (sc_ident_append_qualified). */
/* Built-in types' OIDs, and their array types', by the base of their
 * format_type() spelling (the words before a modifier). */
static const struct {
    const char *base;
    unsigned oid, array_oid;
} builtin_oids[] = {
    {"smallint", 21, 1005},
    {"integer", 23, 1007},
    {"bigint", 20, 1016},
    {"boolean", 16, 1000},
    {"real", 700, 1021},
    {"double precision", 701, 1022},
    {"text", 25, 1009},
    {"character varying", 1043, 1015},
    {"character", 1042, 1014},
    {"numeric", 1700, 1231},
    {"uuid", 2950, 2951},
    {"bytea", 17, 1001},
    {"date", 1082, 1182},
    {"timestamp without time zone", 1114, 1115},
    {"timestamp with time zone", 1184, 1185},
    {"time without time zone", 1083, 1183},
    {"time with time zone", 1266, 1270},
    {"interval", 1186, 1187},
    {"json", 114, 199},
    {"jsonb", 3802, 3807},
};

/* The OID of spelling `base` (modifiers dropped), or 0. */
static unsigned builtin_oid(const char *base, bool array)
{
    /* "timestamp(3) with time zone" -> "timestamp with time zone" */
    char plain[64];
    size_t k = 0;
    bool in_mod = false;
    for (const char *p = base; *p != '\0' && k + 1 < sizeof plain; p++) {
        if (*p == '(')
            in_mod = true;
        else if (*p == ')')
            in_mod = false;
        else if (!in_mod)
            plain[k++] = *p;
    }
    plain[k] = '\0';
    if (strcmp(plain, "timestamp") == 0)
        strcpy(plain, "timestamp without time zone");
    else if (strcmp(plain, "time") == 0)
        strcpy(plain, "time without time zone");
    for (size_t i = 0; i < sizeof builtin_oids / sizeof builtin_oids[0]; i++)
        if (strcmp(plain, builtin_oids[i].base) == 0)
            return array ? builtin_oids[i].array_oid : builtin_oids[i].oid;
    return 0;
}

/* The C type of format_type() spelling `type`; enums by their spelling in
 * `enums` (sc_ident_append_qualified). */
static ctype classify(const char *type, const sc_strmap *enums)
{
    ctype t;
    memset(&t, 0, sizeof t);
    t.kind = K_TEXT;
    t.text = T_OTHER;
    size_t n = strlen(type);
    while (n >= 2 && type[n - 2] == '[' && type[n - 1] == ']') {
        n -= 2;
        t.array = true;
    }
    char *base = sc_xstrndup(type, n);
    const cenum *en = sc_strmap_get(enums, base);
    t.oid = en != NULL ? 0 : builtin_oid(base, t.array);
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
        t.tz = strstr(base, "with time zone") != NULL;
    } else if (words(base, "time")) {
        /* time with time zone keeps its offset: text */
        t.kind = strstr(base, "with time zone") != NULL ? K_TEXT : K_TIME;
    } else if (words(base, "interval")) {
        t.kind = K_INTERVAL;
    } else if (strcmp(base, "text") == 0) {
        t.text = T_TEXT;
    } else if (words(base, "numeric")) {
        t.text = T_NUMERIC;
        const char *paren = strchr(base, '(');
        if (paren != NULL) {
            char *end;
            t.precision = (int)strtol(paren + 1, &end, 10);
            t.scale = *end == ',' ? (int)strtol(end + 1, NULL, 10) : 0;
        }
    } else if (words(base, "character varying") || words(base, "character")) {
        bool var = words(base, "character varying");
        t.text = var ? T_VARCHAR : T_BPCHAR;
        const char *paren = strchr(base, '(');
        if (paren != NULL)
            t.maxlen = strtol(paren + 1, NULL, 10);
        else if (!var)
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
    push_ident(ids, 'g', "", cand, "_from_result", false);
    push_ident(ids, 'g', "", cand, "_insert", false);
    push_ident(ids, 'g', "", cand, "_validate", false);
    push_ident(ids, 'g', "", cand, "_desc", false);
    return 7;
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


const ccol *sc_emit_c_column(const ctable *ct, const char *name)
{
    for (size_t i = 0; i < ct->t->ncolumns; i++)
        if (strcmp(ct->cols[i].col->name, name) == 0)
            return &ct->cols[i];
    return NULL;
}

/* Whether the database fills the column itself (generated, or identity
 * ALWAYS): inserts leave it out and validators do not judge it. */
static bool db_computed(const sc_column *col)
{
    return col->generated_expr != NULL || col->identity == 'a';
}

/* ------------------------------------------------------------ planning */

/* Everything settled before any text is written. */
typedef struct cplan {
    sc_c_names ns;
    const sc_enum **es;
    cenum *ces;
    size_t nenums;
    const sc_table **ts;
    ctable *cts;
    size_t ntables;
    sc_strmap enums;
    sc_strmap memo; /* CHECK text -> check_memo list */
} cplan;

/*
 * A translated CHECK, kept for other tables with the same CHECK text:
 * the C reads only the columns in `used`, so it is the same wherever
 * those columns have the same members and types (`sig`).
 */
typedef struct check_memo {
    const char *used; /* column names, each followed by a NUL */
    size_t used_len;
    const char *sig;
    const char *body; /* NULL: not translated */
    const char *why;
    bool defer;
    struct check_memo *next;
} check_memo;

/* The signature of columns `used` in `ct`, into `out`; false when one is
 * missing. */
static bool memo_sig(const ctable *ct, const char *used, size_t len, sc_buf *out)
{
    sc_buf_reset(out);
    for (const char *p = used; p < used + len; p += strlen(p) + 1) {
        const ccol *cc = sc_emit_c_column(ct, p);
        if (cc == NULL)
            return false;
        sc_buf_printf(out, "%s%c%s%c%s%c%d%d%c", p, 1, cc->member, 1, cc->col->type, 1,
                      cc->nullable, db_computed(cc->col), 2);
    }
    sc_buf_append(out, "", 0);
    return true;
}

static size_t derive_hook(void *ctx, const char *cand, sc_buf *ids)
{
    (void)ctx;
    push_ident(ids, 'g', "", cand, "", false);
    return 1;
}

/* Settles the checks of `ct`: translated, or a hook. */
static void plan_checks(cplan *p, ctable *ct, TSParser *parser)
{
    const sc_table *t = ct->t;
    size_t n = 0;
    for (size_t i = 0; i < t->nconstraints; i++)
        n += t->constraints[i]->kind == SC_CON_CHECK;
    ct->nchecks = n;
    ct->checks = sc_arena_alloc(p->ns.arena, (n + 1) * sizeof *ct->checks);
    ct->hooks = sc_arena_alloc(p->ns.arena, (n + 1) * sizeof *ct->hooks);
    ct->translated = sc_arena_alloc(p->ns.arena, (n + 1) * sizeof *ct->translated);
    ct->whys = sc_arena_alloc(p->ns.arena, (n + 1) * sizeof *ct->whys);
    sc_buf body = SC_BUF_INIT, why = SC_BUF_INIT, b = SC_BUF_INIT, used = SC_BUF_INIT,
           sig = SC_BUF_INIT;
    size_t k = 0;
    for (size_t i = 0; i < t->nconstraints; i++) {
        const sc_constraint *con = t->constraints[i];
        if (con->kind != SC_CON_CHECK)
            continue;
        ct->checks[k] = con;
        sc_buf_reset(&body);
        sc_buf_reset(&why);
        bool defer = false, ok = true;
        for (size_t j = 0; j < con->ncolumns && ok; j++) {
            const ccol *cc = sc_emit_c_column(ct, con->columns[j]);
            if (cc != NULL && db_computed(cc->col)) {
                sc_buf_printf(&why, "it reads %s, which the database computes", cc->col->name);
                ok = false;
            }
        }
        if (ok) {
            /* The same CHECK on columns of the same kinds: the same C. */
            const check_memo *hit = NULL;
            for (const check_memo *e = sc_strmap_get(&p->memo, con->expr); e != NULL && hit == NULL;
                 e = e->next)
                if (memo_sig(ct, e->used, e->used_len, &sig) && strcmp(sc_buf_str(&sig), e->sig) == 0)
                    hit = e;
            if (hit != NULL) {
                ok = hit->body != NULL;
                defer = hit->defer;
                sc_buf_puts(ok ? &body : &why, ok ? hit->body : hit->why);
            } else {
                sc_buf_reset(&used);
                ok = sc_check_translate(&body, parser, ct, con->expr, &p->enums, &defer, &why,
                                        &used);
                check_memo *e = sc_arena_alloc(p->ns.arena, sizeof *e);
                e->used = sc_arena_strndup(p->ns.arena, used.data != NULL ? used.data : "", used.len);
                e->used_len = used.len;
                memo_sig(ct, e->used, e->used_len, &sig);
                e->sig = sc_arena_strdup(p->ns.arena, sc_buf_str(&sig));
                e->body = ok ? sc_arena_strdup(p->ns.arena, sc_buf_str(&body)) : NULL;
                e->why = ok ? NULL : sc_arena_strdup(p->ns.arena, sc_buf_str(&why));
                e->defer = defer;
                /* Only a translation that read the columns it names is
                 * kept; one that failed early may not have read them all. */
                if (ok) {
                    check_memo *head = sc_strmap_put(&p->memo, con->expr, e);
                    if (head != NULL) {
                        e->next = head->next;
                        head->next = e;
                    }
                }
            }
        }
        if (ok)
            ct->translated[k] = sc_arena_strdup(p->ns.arena, sc_buf_str(&body));
        if (!ok || defer) {
            /* The hook: T_check_C. */
            sc_buf_reset(&b);
            sc_buf_puts(&b, ct->c);
            sc_buf_puts(&b, "_check_");
            sc_c_mangle(&b, NULL, con->name);
            ct->hooks[k] = claim_group(&p->ns, &p->ns, sc_buf_str(&b), derive_hook, NULL);
        }
        if (!ok)
            ct->whys[k] = sc_arena_strdup(p->ns.arena, sc_buf_str(&why));
        k++;
    }
    sc_buf_free(&body);
    sc_buf_free(&why);
    sc_buf_free(&b);
    sc_buf_free(&used);
    sc_buf_free(&sig);
}

static void plan_build(cplan *p, const sc_model *m)
{
    memset(p, 0, sizeof *p);
    sc_c_names_init(&p->ns);
    p->enums = (sc_strmap)SC_STRMAP_INIT;
    p->memo = (sc_strmap)SC_STRMAP_INIT;
    sc_buf b = SC_BUF_INIT;

    /* Enums: their tags, functions and constants. */
    p->nenums = m->nenums;
    p->es = sc_xcalloc(m->nenums + 1, sizeof *p->es);
    if (m->nenums > 0)
        memcpy(p->es, m->enums, m->nenums * sizeof *p->es);
    qsort(p->es, m->nenums, sizeof *p->es, cmp_enum);
    p->ces = sc_xcalloc(m->nenums + 1, sizeof *p->ces);
    for (size_t i = 0; i < m->nenums; i++) {
        cenum *ce = &p->ces[i];
        const sc_enum *e = p->es[i];
        ce->e = e;
        sc_buf_reset(&b);
        sc_c_mangle(&b, e->schema, e->name);
        ce->c = claim_group(&p->ns, &p->ns, sc_buf_str(&b), derive_enum, NULL);
        size_t nl = e->nlabels > 0 ? e->nlabels : 1;
        ce->labels = sc_arena_alloc(p->ns.arena, nl * sizeof *ce->labels);
        sc_buf prefix = SC_BUF_INIT;
        upper(&prefix, ce->c);
        sc_buf_putc(&prefix, '_');
        for (size_t j = 0; j < e->nlabels; j++) {
            sc_buf_reset(&b);
            sc_c_mangle(&b, NULL, e->labels[j].value);
            const char *l = claim_group(&p->ns, &p->ns, sc_buf_str(&b), derive_label,
                                        (void *)sc_buf_str(&prefix));
            sc_buf full = SC_BUF_INIT;
            sc_buf_puts(&full, sc_buf_str(&prefix));
            upper(&full, l);
            ce->labels[j] = sc_arena_strdup(p->ns.arena, sc_buf_str(&full));
            sc_buf_free(&full);
        }
        if (e->nlabels == 0) {
            sc_buf_reset(&b);
            sc_buf_puts(&b, sc_buf_str(&prefix));
            sc_buf_puts(&b, "NO_LABELS");
            ce->labels[0] = sc_c_names_claim(&p->ns, sc_buf_str(&b));
        }
        sc_buf_free(&prefix);
        sc_buf_reset(&b);
        sc_ident_append_qualified(&b, e->schema, e->name);
        sc_strmap_put(&p->enums, sc_arena_strdup(p->ns.arena, sc_buf_str(&b)), ce);
    }

    /* Tables: tags, macros, functions, members. */
    p->ntables = m->ntables;
    p->ts = sc_xcalloc(m->ntables + 1, sizeof *p->ts);
    if (m->ntables > 0)
        memcpy(p->ts, m->tables, m->ntables * sizeof *p->ts);
    qsort(p->ts, m->ntables, sizeof *p->ts, cmp_table);
    p->cts = sc_xcalloc(m->ntables + 1, sizeof *p->cts);
    for (size_t i = 0; i < m->ntables; i++) {
        ctable *ct = &p->cts[i];
        const sc_table *t = p->ts[i];
        ct->t = t;
        sc_buf_reset(&b);
        sc_c_mangle(&b, t->schema, t->name);
        ct->c = claim_group(&p->ns, &p->ns, sc_buf_str(&b), derive_table, NULL);
        sc_buf_reset(&b);
        upper(&b, ct->c);
        ct->upper = sc_arena_strdup(p->ns.arena, sc_buf_str(&b));
        sc_buf_puts(&b, "_COL_");
        char *prefix = sc_arena_strdup(p->ns.arena, sc_buf_str(&b));
        ct->cols = sc_arena_alloc(p->ns.arena, (t->ncolumns + 1) * sizeof *ct->cols);
        sc_c_names members;
        sc_c_names_init(&members);
        for (size_t j = 0; j < t->ncolumns; j++) {
            ccol *cc = &ct->cols[j];
            const sc_column *col = t->columns[j];
            cc->col = col;
            cc->type = classify(col->type, &p->enums);
            cc->nullable = !(col->not_null || col->identity != 0 || col->serial != 0 ||
                             in_primary_key(t, col->name));
            sc_buf_reset(&b);
            sc_c_mangle(&b, NULL, col->name);
            col_ctx x = {prefix, cc};
            cc->member = claim_group(&p->ns, &members, sc_buf_str(&b), derive_col, &x);
            sc_buf_reset(&b);
            sc_buf_puts(&b, prefix);
            upper(&b, cc->member);
            cc->macro = sc_arena_strdup(p->ns.arena, sc_buf_str(&b));
        }
        sc_c_names_free(&members);
    }

    /* CHECK constraints last, so that hooks never move a table's names. */
    TSParser *parser = ts_parser_new();
    ts_parser_set_language(parser, tree_sitter_schemac());
    for (size_t i = 0; i < m->ntables; i++)
        plan_checks(p, &p->cts[i], parser);
    ts_parser_delete(parser);
    sc_buf_free(&b);
}

static void plan_free(cplan *p)
{
    free(p->es);
    free(p->ces);
    free(p->ts);
    free(p->cts);
    sc_strmap_free(&p->enums);
    sc_strmap_free(&p->memo);
    sc_c_names_free(&p->ns);
}

/* ---------------------------------------------------------- the header */

/* The helper types and functions every schema header shares. */
static const char shared_defs[] =
    "#ifndef SCHEMAC_VALUE_TYPES_DEFINED\n"
    "#define SCHEMAC_VALUE_TYPES_DEFINED\n"
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
    "#endif\n"
    "\n"
    "#ifndef SCHEMAC_TYPES_DEFINED\n"
    "#define SCHEMAC_TYPES_DEFINED\n"
    "/* What a validator found wrong with a row. */\n"
    "struct schemac_violation {\n"
    "    const char *column;     /* the column's SQL name; NULL for a CHECK on several */\n"
    "    const char *constraint; /* the CHECK constraint's name; NULL for the column's\n"
    "                             * own rules (NOT NULL, length, type range, enum) */\n"
    "    const char *message;    /* what is wrong, e.g. \"must not be NULL\" */\n"
    "};\n"
    "\n"
    "/* The violations of one row: `count` of them, the first\n"
    " * SCHEMAC_VIOLATIONS_MAX kept in `items`.  Every string is static. */\n"
    "#define SCHEMAC_VIOLATIONS_MAX 16\n"
    "struct schemac_violations {\n"
    "    size_t count;\n"
    "    struct schemac_violation items[SCHEMAC_VIOLATIONS_MAX];\n"
    "};\n"
    "\n"
    "/* libpq's PGresult and PGconn, and the runtime's arena (schemac/row.h). */\n"
    "struct pg_result;\n"
    "struct pg_conn;\n"
    "struct schemac_arena;\n"
    "struct schemac_table;\n"
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

/* The member's declaration type, with a space or a '*' to end it. */
static void member_type(sc_buf *decl, const ccol *cc)
{
    if (cc->type.kind == K_ENUM)
        sc_buf_printf(decl, "enum %s ", cc->type.en->c);
    else {
        sc_buf_puts(decl, kind_c(&cc->type));
        if (decl->data[decl->len - 1] != '*')
            sc_buf_putc(decl, ' ');
    }
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
        member_type(&decl, cc);
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
        if (db_computed(cc->col))
            sc_buf_puts(out, ", computed by the database");
        sc_buf_puts(out, " */\n");
        if (cc->type.array)
            sc_buf_printf(out, "    size_t %s_count;\n", cc->member);
        if (cc->nullable)
            sc_buf_printf(out, "    bool %s_present; /* false: NULL */\n", cc->member);
        sc_buf_free(&decl);
    }
    if (t->ncolumns == 0)
        sc_buf_puts(out, "    char schemac_no_columns_; /* the table has no columns */\n");
    sc_buf_puts(out, "};\n\n");

    sc_buf_printf(out,
                  "/* The table's descriptor for the runtime (schemac/row.h). */\n"
                  "extern const struct schemac_table %s_desc;\n"
                  "/* Row `row` of `res` (text format, columns found by name) into `*out`,\n"
                  " * strings in `arena`; 0, or -1 with schemac_arena_error(arena). */\n"
                  "int %s_from_result(const struct pg_result *res, int row, struct %s *out,\n"
                  "    struct schemac_arena *arena);\n"
                  "/* INSERTs `*row` with PQexecParams (the database's own columns left\n"
                  " * out); with `returned`, reads the inserted row back into it.  0; -1,\n"
                  " * nothing inserted, or -2, inserted but not read back, with\n"
                  " * schemac_arena_error(arena). */\n"
                  "int %s_insert(struct pg_conn *conn, const struct %s *row, struct %s *returned,\n"
                  "    struct schemac_arena *arena);\n"
                  "/* Whether PostgreSQL would take `*row` (validate/schema_validate.c);\n"
                  " * what it would not take in `*out` (may be NULL). */\n"
                  "bool %s_validate(const struct %s *row, struct schemac_violations *out);\n",
                  ct->c, ct->c, ct->c, ct->c, ct->c, ct->c, ct->c, ct->c);
    for (size_t i = 0; i < ct->nchecks; i++) {
        if (ct->hooks[i] == NULL)
            continue;
        sc_buf_puts(out, "/* The application's hook for CHECK ");
        c_comment(out, ct->checks[i]->name);
        sc_buf_puts(out, ct->translated[i] != NULL
                             ? " (for values outside ASCII under lower()/upper()):\n"
                             : ":\n");
        sc_buf_puts(out, " * ");
        c_comment(out, ct->checks[i]->expr);
        sc_buf_printf(out, "\n * true when it holds (or is NULL). */\n"
                           "bool %s(const struct %s *row);\n",
                      ct->hooks[i], ct->c);
    }
    sc_buf_free(&sql);
}

static void emit_header(sc_buf *out, const cplan *p, const sc_emit_c_info *info)
{
    sc_buf_printf(out,
                  "/*\n"
                  " * C types for the schema: generated by schemac, do not edit.\n"
                  " * Regenerate with `schemac gen` (or `schemac compile`).\n"
                  " *\n"
                  " * schema hash %s\n",
                  info->schema_hash);
    if (info->hash_note != NULL) {
        sc_buf_puts(out, " *\n * ");
        for (const char *q = info->hash_note; *q != '\0'; q++) {
            if (*q == '\n')
                sc_buf_puts(out, "\n * ");
            else if (*q == '*' && q[1] == '/')
                sc_buf_puts(out, "*\\");
            else
                sc_buf_putc(out, *q);
        }
        sc_buf_putc(out, '\n');
    }
    sc_buf_puts(out,
                " *\n"
                " * Every struct has one member per column, in the table's column order;\n"
                " * a nullable column NAME is followed by `bool NAME_present` (false: NULL),\n"
                " * an array column by `size_t NAME_count`.  Times are microseconds since\n"
                " * 1970-01-01 00:00 UTC (timestamps) or since midnight (time), dates days\n"
                " * since 1970-01-01; numeric and unknown types are text.  Row decoders and\n"
                " * inserts are in db/schema_db.c (link the schemac runtime), validators in\n"
                " * validate/schema_validate.c.  See docs/codegen.md of schemac.\n"
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
    for (size_t i = 0; i < p->nenums; i++)
        emit_enum(out, &p->ces[i]);
    for (size_t i = 0; i < p->ntables; i++)
        emit_table(out, &p->cts[i]);
    sc_buf_puts(out, "\n#endif\n");
}

/* ----------------------------------------------------- row descriptors */

static const char *kind_name(ckind k, bool tz)
{
    switch (k) {
    case K_I16: return "SCHEMAC_KIND_INT16";
    case K_I32: return "SCHEMAC_KIND_INT32";
    case K_I64: return "SCHEMAC_KIND_INT64";
    case K_BOOL: return "SCHEMAC_KIND_BOOL";
    case K_F32: return "SCHEMAC_KIND_FLOAT";
    case K_F64: return "SCHEMAC_KIND_DOUBLE";
    case K_TEXT: return "SCHEMAC_KIND_TEXT";
    case K_UUID: return "SCHEMAC_KIND_UUID";
    case K_BYTES: return "SCHEMAC_KIND_BYTES";
    case K_DATE: return "SCHEMAC_KIND_DATE";
    case K_TIMESTAMP: return tz ? "SCHEMAC_KIND_TIMESTAMPTZ" : "SCHEMAC_KIND_TIMESTAMP";
    case K_TIME: return "SCHEMAC_KIND_TIME";
    case K_INTERVAL: return "SCHEMAC_KIND_INTERVAL";
    case K_ENUM: return "SCHEMAC_KIND_ENUM";
    }
    return "0";
}

/* Whether a column of some table has enum `ce` as its type (or elements). */
static bool enum_used(const cplan *p, const cenum *ce)
{
    for (size_t i = 0; i < p->ntables; i++)
        for (size_t j = 0; j < p->cts[i].t->ncolumns; j++)
            if (p->cts[i].cols[j].type.kind == K_ENUM && p->cts[i].cols[j].type.en == ce)
                return true;
    return false;
}

static void emit_db(sc_buf *out, const cplan *p)
{
    sc_buf_puts(out,
                "/*\n"
                " * Row decoders and inserts for the schema: generated by schemac, do not\n"
                " * edit.  Each table has a descriptor for the schemac runtime\n"
                " * (schemac/row.h), which does the work: link the runtime and libpq.\n"
                " */\n"
                "#include <stddef.h>\n"
                "\n"
                "#include <schemac/row.h>\n"
                "\n"
                "#include \"schema.h\"\n");
    for (size_t i = 0; i < p->nenums; i++) {
        const cenum *ce = &p->ces[i];
        if (ce->e->nlabels == 0 || !enum_used(p, ce))
            continue; /* an unused static array would be a warning */
        sc_buf_printf(out, "\nstatic const char *const schemac_labels_%s[] = {\n", ce->c);
        for (size_t j = 0; j < ce->e->nlabels; j++) {
            sc_buf_puts(out, "    ");
            c_string(out, ce->e->labels[j].value);
            sc_buf_puts(out, ",\n");
        }
        sc_buf_puts(out, "};\n");
    }
    sc_buf sql = SC_BUF_INIT, vals = SC_BUF_INIT;
    for (size_t i = 0; i < p->ntables; i++) {
        const ctable *ct = &p->cts[i];
        const sc_table *t = ct->t;
        sc_buf_reset(&sql);
        sc_ident_append_full(&sql, t->schema, t->name);
        sc_buf_puts(out, "\n/* ");
        c_comment(out, sc_buf_str(&sql));
        sc_buf_puts(out, " */\n");
        if (t->ncolumns > 0)
            sc_buf_printf(out, "static const struct schemac_column schemac_columns_%s[] = {\n",
                          ct->c);
        /* INSERT INTO t (c, ...) VALUES ($1, ...) */
        sc_buf_reset(&vals);
        sc_buf_puts(&sql, " (");
        unsigned nparams = 0;
        for (size_t j = 0; j < t->ncolumns; j++) {
            const ccol *cc = &ct->cols[j];
            const ctype *ty = &cc->type;
            unsigned flags = 0;
            if (ty->array)
                flags |= 1u;
            if (cc->nullable)
                flags |= 2u;
            if (db_computed(cc->col))
                flags |= 4u;
            else {
                if (nparams > 0) {
                    sc_buf_puts(&sql, ", ");
                    sc_buf_puts(&vals, ", ");
                }
                sc_ident_append(&sql, cc->col->name);
                sc_buf_printf(&vals, "$%u", ++nparams);
            }
            sc_buf_puts(out, "    {");
            c_string(out, cc->col->name);
            sc_buf_puts(out, ", ");
            c_string(out, cc->col->type);
            sc_buf_printf(out, ", %s, %uu, %uu,\n", kind_name(ty->kind, ty->tz), flags, ty->oid);
            sc_buf_printf(out, "     offsetof(struct %s, %s), sizeof(%s((struct %s *)0)->%s),\n",
                          ct->c, cc->member, ty->array ? "*" : "", ct->c, cc->member);
            if (ty->array)
                sc_buf_printf(out, "     offsetof(struct %s, %s_count), ", ct->c, cc->member);
            else
                sc_buf_puts(out, "     0, ");
            if (cc->nullable)
                sc_buf_printf(out, "offsetof(struct %s, %s_present), ", ct->c, cc->member);
            else
                sc_buf_puts(out, "0, ");
            if (ty->kind == K_ENUM && ty->en->e->nlabels > 0)
                sc_buf_printf(out, "schemac_labels_%s, %zu},\n", ty->en->c, ty->en->e->nlabels);
            else
                sc_buf_puts(out, "NULL, 0},\n");
        }
        if (t->ncolumns > 0)
            sc_buf_puts(out, "};\n");
        if (nparams > 0) {
            sc_buf_puts(&sql, ") VALUES (");
            sc_buf_puts(&sql, sc_buf_str(&vals));
            sc_buf_putc(&sql, ')');
        } else {
            sc_buf_reset(&sql);
            sc_ident_append_full(&sql, t->schema, t->name);
            sc_buf_puts(&sql, " DEFAULT VALUES");
        }
        sc_buf insert = SC_BUF_INIT;
        sc_buf_puts(&insert, "INSERT INTO ");
        sc_buf_puts(&insert, sc_buf_str(&sql));
        sc_buf name = SC_BUF_INIT;
        sc_ident_append_full(&name, t->schema, t->name);
        sc_buf_printf(out, "\nconst struct schemac_table %s_desc = {\n    ", ct->c);
        c_string(out, sc_buf_str(&name));
        sc_buf_printf(out, ",\n    %s%s,\n    %zu,\n    ", t->ncolumns > 0 ? "schemac_columns_" : "NULL",
                      t->ncolumns > 0 ? ct->c : "", t->ncolumns);
        c_string(out, sc_buf_str(&insert));
        sc_buf_puts(out, ",\n};\n");
        sc_buf_free(&insert);
        sc_buf_free(&name);

        sc_buf_printf(out,
                      "\nint %s_from_result(const struct pg_result *res, int row, struct %s *out,\n"
                      "    struct schemac_arena *arena)\n"
                      "{\n"
                      "    return schemac_row_decode(res, row, &%s_desc, out, arena);\n"
                      "}\n"
                      "\nint %s_insert(struct pg_conn *conn, const struct %s *row, struct %s *returned,\n"
                      "    struct schemac_arena *arena)\n"
                      "{\n"
                      "    return schemac_row_insert(conn, &%s_desc, row, returned, arena);\n"
                      "}\n",
                      ct->c, ct->c, ct->c, ct->c, ct->c, ct->c, ct->c);
    }
    sc_buf_free(&sql);
    sc_buf_free(&vals);
}

/* ---------------------------------------------------------- validators */

/* Appends a call recording a violation of column `col` (NULL: none),
 * constraint `con` (NULL: none) with message `msg`, indented by `ind`. */
static void violation(sc_buf *out, const char *ind, const char *col, const char *con,
                      const char *msg)
{
    sc_buf_printf(out, "%sschemac_violation_add(out, ", ind);
    if (col != NULL)
        c_string(out, col);
    else
        sc_buf_puts(out, "NULL");
    sc_buf_puts(out, ", ");
    if (con != NULL)
        c_string(out, con);
    else
        sc_buf_puts(out, "NULL");
    sc_buf_puts(out, ", ");
    c_string(out, msg);
    sc_buf_puts(out, ");\n");
}

/*
 * The rules of one value `v` (a C lvalue) of column `cc`: its text, enum
 * label or range.  `elem` says the value is an array element: the message
 * then reads "has an element that ...".  Appends nothing for types
 * without rules.
 */
static void value_rules(sc_buf *out, const char *ind, const ccol *cc, const char *v, bool elem)
{
    const ctype *ty = &cc->type;
    const char *name = cc->col->name;
    sc_buf msg = SC_BUF_INIT, in = SC_BUF_INIT;
    const char *pre = elem ? "has an element that " : "";
    sc_buf_printf(&in, "%s    ", ind);
    switch (ty->kind) {
    case K_TEXT:
        sc_buf_printf(out, "%sif (%s == NULL) {\n", ind, v);
        violation(out, sc_buf_str(&in), name, NULL,
                  elem ? "has a NULL element (elements cannot be NULL here)" : "must not be NULL");
        sc_buf_printf(out, "%s} else {\n", ind);
        if (ty->text == T_NUMERIC) {
            sc_buf_printf(out, "%s    switch (schemac_numeric_parse(&num, %s, %d, %d)) {\n", ind, v,
                          ty->precision, ty->scale);
            sc_buf_printf(out, "%s    case SCHEMAC_NUMERIC_SYNTAX:\n", ind);
            sc_buf_reset(&msg);
            sc_buf_printf(&msg, "%sis not a valid numeric", pre);
            sc_buf_printf(&in, "    ");
            violation(out, sc_buf_str(&in), name, NULL, sc_buf_str(&msg));
            sc_buf_printf(out, "%s        break;\n%s    case SCHEMAC_NUMERIC_OVERFLOW:\n", ind, ind);
            sc_buf_reset(&msg);
            sc_buf_printf(&msg, "%sdoes not fit %s", pre, cc->col->type);
            if (ty->array)
                msg.len -= 2, msg.data[msg.len] = '\0';
            violation(out, sc_buf_str(&in), name, NULL, sc_buf_str(&msg));
            sc_buf_printf(out, "%s        break;\n%s    default:\n%s        break;\n%s    }\n", ind,
                          ind, ind, ind);
        } else if (ty->maxlen > 0) {
            sc_buf_printf(out, "%s    if (schemac_text_fit(%s, %ld) < 0) {\n", ind, v, ty->maxlen);
            sc_buf_printf(out, "%s        if (schemac_utf8_chars(%s, strlen(%s)) < 0)\n", ind, v, v);
            sc_buf_reset(&msg);
            sc_buf_printf(&msg, "%sis not valid UTF-8", pre);
            sc_buf_printf(&in, "        ");
            violation(out, sc_buf_str(&in), name, NULL, sc_buf_str(&msg));
            sc_buf_printf(out, "%s        else\n", ind);
            sc_buf_reset(&msg);
            sc_buf_printf(&msg, "%sis longer than %ld character%s", pre, ty->maxlen,
                          ty->maxlen == 1 ? "" : "s");
            violation(out, sc_buf_str(&in), name, NULL, sc_buf_str(&msg));
            sc_buf_printf(out, "%s    }\n", ind);
        } else {
            sc_buf_printf(out, "%s    if (schemac_utf8_chars(%s, strlen(%s)) < 0)\n", ind, v, v);
            sc_buf_reset(&msg);
            sc_buf_printf(&msg, "%sis not valid UTF-8", pre);
            sc_buf_printf(&in, "    ");
            violation(out, sc_buf_str(&in), name, NULL, sc_buf_str(&msg));
        }
        sc_buf_printf(out, "%s}\n", ind);
        break;
    case K_ENUM: {
        sc_buf_printf(out, "%sif (%s_to_string(%s) == NULL)\n", ind, ty->en->c, v);
        sc_buf_reset(&msg);
        sc_buf_printf(&msg, "%sis not a label of enum %s", pre, ty->en->e->name);
        violation(out, sc_buf_str(&in), name, NULL, sc_buf_str(&msg));
        break;
    }
    case K_DATE:
        sc_buf_printf(out,
                      "%sif (%s != INT32_MAX && %s != INT32_MIN &&\n"
                      "%s    (%s < SCHEMAC_DATE_MIN || %s > SCHEMAC_DATE_MAX))\n",
                      ind, v, v, ind, v, v);
        sc_buf_reset(&msg);
        sc_buf_printf(&msg, "%sis out of range for type date", pre);
        violation(out, sc_buf_str(&in), name, NULL, sc_buf_str(&msg));
        break;
    case K_TIMESTAMP:
        sc_buf_printf(out, "%sif (%s != INT64_MIN && %s < SCHEMAC_TIMESTAMP_MIN)\n", ind, v, v);
        sc_buf_reset(&msg);
        sc_buf_printf(&msg, "%sis out of range for type timestamp", pre);
        violation(out, sc_buf_str(&in), name, NULL, sc_buf_str(&msg));
        break;
    case K_TIME:
        sc_buf_printf(out, "%sif (%s < 0 || %s > INT64_C(86400000000))\n", ind, v, v);
        sc_buf_reset(&msg);
        sc_buf_printf(&msg, "%sis out of range for type time", pre);
        violation(out, sc_buf_str(&in), name, NULL, sc_buf_str(&msg));
        break;
    case K_BYTES:
        sc_buf_printf(out, "%sif (%s.len > 0 && %s.data == NULL)\n", ind, v, v);
        sc_buf_reset(&msg);
        sc_buf_printf(&msg, "%shas a length but no data", pre);
        violation(out, sc_buf_str(&in), name, NULL, sc_buf_str(&msg));
        break;
    default:
        break;
    }
    sc_buf_free(&msg);
    sc_buf_free(&in);
}

/* Whether value_rules() writes anything for the column's values. */
static bool has_value_rules(const ccol *cc)
{
    switch (cc->type.kind) {
    case K_TEXT:
    case K_ENUM:
    case K_DATE:
    case K_TIMESTAMP:
    case K_TIME:
    case K_BYTES:
        return true;
    default:
        return false;
    }
}

static void column_rules(sc_buf *out, const ccol *cc)
{
    const char *m = cc->member, *name = cc->col->name;
    const ctype *ty = &cc->type;
    bool ptr = ty->kind == K_TEXT || ty->array;
    if (!has_value_rules(cc) && !ty->array)
        return;
    sc_buf_puts(out, "    /* ");
    sc_buf col = SC_BUF_INIT, v = SC_BUF_INIT;
    sc_ident_append(&col, name);
    c_comment(out, sc_buf_str(&col));
    sc_buf_putc(out, ' ');
    c_comment(out, cc->col->type);
    sc_buf_puts(out, cc->nullable ? " */\n" : " not null */\n");
    const char *ind = "    ";
    if (cc->nullable) {
        sc_buf_printf(out, "    if (row->%s_present) {\n", m);
        ind = "        ";
    }
    if (ty->array) {
        sc_buf_printf(out, "%sif (row->%s == NULL && row->%s_count > 0) {\n", ind, m, m);
        sc_buf in = SC_BUF_INIT;
        sc_buf_printf(&in, "%s    ", ind);
        violation(out, sc_buf_str(&in), name, NULL, "has a count but no elements");
        sc_buf_printf(out, "%s}", ind);
        if (has_value_rules(cc)) {
            /* The first element that breaks a rule is reported. */
            sc_buf_printf(out, " else {\n%s    size_t before = out->count;\n", ind);
            sc_buf_printf(out,
                          "%s    for (size_t i = 0; i < row->%s_count && out->count == before; i++) {\n",
                          ind, m);
            sc_buf_printf(&v, "row->%s[i]", m);
            sc_buf_reset(&in);
            sc_buf_printf(&in, "%s        ", ind);
            value_rules(out, sc_buf_str(&in), cc, sc_buf_str(&v), true);
            sc_buf_printf(out, "%s    }\n%s}", ind, ind);
        }
        sc_buf_putc(out, '\n');
        sc_buf_free(&in);
    } else if (ptr) {
        if (cc->nullable) {
            /* NULL is said with the presence flag, not the pointer. */
            sc_buf_printf(out, "%sif (row->%s == NULL) {\n", ind, m);
            sc_buf in = SC_BUF_INIT;
            sc_buf_printf(&in, "%s    ", ind);
            violation(out, sc_buf_str(&in), name, NULL, "is present but its pointer is NULL");
            sc_buf_printf(out, "%s} else {\n", ind);
            sc_buf_printf(&v, "row->%s", m);
            value_rules(out, sc_buf_str(&in), cc, sc_buf_str(&v), false);
            sc_buf_printf(out, "%s}\n", ind);
            sc_buf_free(&in);
        } else {
            sc_buf_printf(&v, "row->%s", m);
            value_rules(out, ind, cc, sc_buf_str(&v), false);
        }
    } else {
        sc_buf_printf(&v, "row->%s", m);
        value_rules(out, ind, cc, sc_buf_str(&v), false);
    }
    if (cc->nullable)
        sc_buf_puts(out, "    }\n");
    sc_buf_free(&col);
    sc_buf_free(&v);
}

static bool uses_numeric(const ctable *ct)
{
    for (size_t i = 0; i < ct->t->ncolumns; i++)
        if (ct->cols[i].type.kind == K_TEXT && ct->cols[i].type.text == T_NUMERIC &&
            !db_computed(ct->cols[i].col))
            return true;
    return false;
}

static void emit_validate(sc_buf *out, const cplan *p)
{
    sc_buf_puts(out,
                "/*\n"
                " * Validators for the schema: generated by schemac, do not edit.\n"
                " *\n"
                " * T_validate(row, out) says whether PostgreSQL would take the row in an\n"
                " * INSERT, as far as the row alone decides: NOT NULL, the length of\n"
                " * varchar(n) and char(n) in characters (excess spaces are cut, as\n"
                " * PostgreSQL cuts them), valid UTF-8, numeric syntax and precision, the\n"
                " * ranges of date, timestamp and time, enum labels, and the CHECK\n"
                " * constraints.  Keys, foreign keys, triggers, the syntax of json, inet\n"
                " * and other types kept as text, and columns the database computes\n"
                " * (generated, identity ALWAYS) are not judged.\n"
                " *\n");
    size_t nhooks = 0;
    for (size_t i = 0; i < p->ntables; i++)
        for (size_t j = 0; j < p->cts[i].nchecks; j++)
            nhooks += p->cts[i].hooks[j] != NULL;
    if (nhooks == 0) {
        sc_buf_puts(out, " * Every CHECK constraint is translated to C: the application implements\n"
                         " * no hook.\n");
    } else {
        sc_buf_puts(out, " * CHECK constraints this file does not decide: the application\n"
                         " * implements these hooks (declared in schema.h), each returning true\n"
                         " * when the constraint holds or is NULL:\n");
        for (size_t i = 0; i < p->ntables; i++) {
            const ctable *ct = &p->cts[i];
            for (size_t j = 0; j < ct->nchecks; j++) {
                if (ct->hooks[j] == NULL)
                    continue;
                sc_buf_printf(out, " *\n *   bool %s(const struct %s *row);\n *       CHECK (", ct->hooks[j],
                              ct->c);
                c_comment(out, ct->checks[j]->expr);
                sc_buf_puts(out, ")\n *       ");
                if (ct->translated[j] != NULL)
                    sc_buf_puts(out, "translated; the hook decides values outside ASCII under\n"
                                     " *       lower()/upper(), whose case mapping is the collation's\n");
                else {
                    sc_buf_puts(out, "not translated: ");
                    c_comment(out, ct->whys[j]);
                    sc_buf_putc(out, '\n');
                }
            }
        }
    }
    sc_buf_puts(out,
                " */\n"
                "#include <stdbool.h>\n"
                "#include <stddef.h>\n"
                "#include <stdint.h>\n"
                "#include <string.h>\n"
                "\n"
                "#include <schemac/validate.h>\n"
                "\n"
                "#include \"schema.h\"\n"
                "\n"
                "static inline void schemac_violation_add(struct schemac_violations *v,\n"
                "    const char *column, const char *constraint, const char *message)\n"
                "{\n"
                "    if (v->count < SCHEMAC_VIOLATIONS_MAX) {\n"
                "        v->items[v->count].column = column;\n"
                "        v->items[v->count].constraint = constraint;\n"
                "        v->items[v->count].message = message;\n"
                "    }\n"
                "    v->count++;\n"
                "}\n");
    for (size_t i = 0; i < p->ntables; i++) {
        const ctable *ct = &p->cts[i];
        sc_buf sql = SC_BUF_INIT;
        sc_ident_append_full(&sql, ct->t->schema, ct->t->name);
        for (size_t j = 0; j < ct->nchecks; j++) {
            if (ct->translated[j] == NULL)
                continue;
            sc_buf_puts(out, "\n/* ");
            c_comment(out, sc_buf_str(&sql));
            sc_buf_puts(out, ": CHECK ");
            c_comment(out, ct->checks[j]->name);
            sc_buf_puts(out, " (");
            c_comment(out, ct->checks[j]->expr);
            sc_buf_printf(out, ") */\nstatic int schemac_check_%s_%zu(const struct %s *row)\n", ct->c,
                          j + 1, ct->c);
            sc_buf_puts(out, ct->translated[j]);
        }
        sc_buf_puts(out, "\n/* ");
        c_comment(out, sc_buf_str(&sql));
        sc_buf_puts(out, " */\n");
        sc_buf_printf(out, "bool %s_validate(const struct %s *row, struct schemac_violations *out)\n{\n",
                      ct->c, ct->c);
        sc_buf_puts(out, "    struct schemac_violations local;\n");
        if (uses_numeric(ct))
            sc_buf_puts(out, "    struct schemac_numeric num;\n");
        sc_buf_puts(out, "    if (out == NULL)\n        out = &local;\n    out->count = 0;\n");
        size_t before_rules = out->len;
        for (size_t j = 0; j < ct->t->ncolumns; j++)
            if (!db_computed(ct->cols[j].col))
                column_rules(out, &ct->cols[j]);
        bool row_used = out->len != before_rules || ct->nchecks > 0;
        for (size_t j = 0; j < ct->nchecks; j++) {
            const sc_constraint *con = ct->checks[j];
            const char *col = con->ncolumns == 1 ? con->columns[0] : NULL;
            sc_buf_puts(out, "    /* CHECK ");
            c_comment(out, con->name);
            sc_buf_puts(out, " */\n");
            const char *hook_msg = "violates the CHECK constraint (so says the application's hook)";
            if (ct->translated[j] == NULL) {
                sc_buf_printf(out, "    if (!%s(row))\n", ct->hooks[j]);
                violation(out, "        ", col, con->name, hook_msg);
                continue;
            }
            sc_buf_printf(out, "    switch (schemac_check_%s_%zu(row)) {\n    case 0:\n", ct->c, j + 1);
            violation(out, "        ", col, con->name, "violates the CHECK constraint");
            sc_buf_puts(out, "        break;\n    case -1:\n");
            violation(out, "        ", col, con->name,
                      "makes PostgreSQL raise an error evaluating the CHECK constraint "
                      "(a value out of range or a division by zero)");
            sc_buf_puts(out, "        break;\n");
            if (ct->hooks[j] != NULL) {
                sc_buf_printf(out, "    case 2:\n        if (!%s(row))\n", ct->hooks[j]);
                violation(out, "            ", col, con->name, hook_msg);
                sc_buf_puts(out, "        break;\n");
            }
            sc_buf_puts(out, "    default:\n        break;\n    }\n");
        }
        if (!row_used) /* no rule reads the row (no column has one, no CHECK) */
            sc_buf_puts(out, "    (void)row;\n");
        sc_buf_puts(out, "    return out->count == 0;\n}\n");
        sc_buf_free(&sql);
    }
}

/* ------------------------------------------------------------- entry */

void sc_emit_c_files(const sc_model *m, const sc_emit_c_info *info, sc_buf *header, sc_buf *db,
                     sc_buf *validate)
{
    cplan p;
    plan_build(&p, m);
    if (header != NULL)
        emit_header(header, &p, info);
    if (db != NULL)
        emit_db(db, &p);
    if (validate != NULL)
        emit_validate(validate, &p);
    plan_free(&p);
}

void sc_emit_c_header(sc_buf *out, const sc_model *m, const sc_emit_c_info *info)
{
    sc_emit_c_files(m, info, out, NULL, NULL);
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
    static const char *const dirs[] = {SC_EMIT_C_DIR, SC_EMIT_C_DB_DIR, SC_EMIT_C_VALIDATE_DIR};
    static const char *const files[] = {SC_EMIT_C_FILE, SC_EMIT_C_DB_FILE, SC_EMIT_C_VALIDATE_FILE};
    sc_buf dir = SC_BUF_INIT, file = SC_BUF_INIT, text[3] = {SC_BUF_INIT, SC_BUF_INIT, SC_BUF_INIT};
    int rc = -1;
    if (make_dir(out_dir, err) != 0)
        goto done;
    sc_emit_c_files(m, info, &text[0], &text[1], &text[2]);
    for (int i = 0; i < 3; i++) {
        sc_buf_reset(&dir);
        sc_buf_printf(&dir, "%s/%s", out_dir, dirs[i]);
        sc_buf_reset(&file);
        sc_buf_printf(&file, "%s/%s", sc_buf_str(&dir), files[i]);
        if (make_dir(sc_buf_str(&dir), err) != 0)
            goto done;
        if (sc_file_write_atomic(sc_buf_str(&file), sc_buf_str(&text[i]), text[i].len) != 0) {
            sc_buf_printf(err, "%s: %s", sc_buf_str(&file), strerror(errno));
            goto done;
        }
        if (path != NULL)
            sc_buf_printf(path, "%s%s", i == 0 ? "" : i == 1 ? ", " : " and ", sc_buf_str(&file));
    }
    rc = 0;
done:
    sc_buf_free(&dir);
    sc_buf_free(&file);
    for (int i = 0; i < 3; i++)
        sc_buf_free(&text[i]);
    return rc;
}
