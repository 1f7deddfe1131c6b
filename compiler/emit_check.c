/*
 * CHECK constraints as C (see sc_check_translate in emit_c_model.h).
 *
 * The expression is read with the schema language's own grammar (it is
 * placed in a one-line table, `table t { check (EXPR) }`), and its tree is
 * walked once.  Each node becomes C statements that leave its value in
 * temporaries: a value and a flag that is set when the value is NULL.  The
 * statements follow PostgreSQL's evaluation, not just its results:
 *
 *  - AND and OR stop at the first false (true) operand, as PostgreSQL's
 *    executor does, so an error in an operand it never evaluates is not
 *    raised here either; NULL follows SQL's three-valued logic.
 *  - Operators and functions are strict: every argument is evaluated, and
 *    a NULL argument makes the result NULL without computing it.
 *  - Integer arithmetic overflows at the width PostgreSQL computes in
 *    (smallint + smallint is smallint), and overflow, division by zero and
 *    float overflow or underflow are errors that fail the INSERT.
 *  - Types meet as PostgreSQL's operator resolution makes them meet: an
 *    integer and a numeric compare as numerics, a float and anything
 *    numeric as float8, an untyped string takes the other side's type.
 *  - Text compares byte for byte (= and <> only: ordering depends on the
 *    collation); character(n) ignores trailing spaces; lower() and upper()
 *    fold ASCII letters and hand a value with other characters to the
 *    application's hook, since their case mapping is the collation's.
 *
 * Anything else (regular expressions, numeric arithmetic, text ordering,
 * CASE, casts with a length, functions other than length, char_length,
 * lower and upper) is not translated: the caller declares a hook for the
 * constraint instead, and the generated code says so.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "compiler.h"
#include "emit_c_model.h"
#include "ident.h"
#include "schemac/validate.h"
#include "util.h"

typedef enum vt {
    V_BOOL,
    V_INT,
    V_FLOAT,
    V_NUM,
    V_TEXT,
    V_ENUM,
    V_DATE,
    V_TS,
    V_UNK, /* a string literal whose type the other side decides */
    V_NULL,
} vt;

/* A value: C expressions for it and for its NULL flag. */
typedef struct val {
    vt t;
    int width;       /* V_INT: 2, 4, 8; V_FLOAT: 4, 8 */
    bool tz;         /* V_TS */
    bool bpchar;     /* V_TEXT of a character(n): compared without trailing spaces */
    int fold;        /* V_TEXT: SCHEMAC_FOLD_* */
    const cenum *en; /* V_ENUM */
    const char *v;   /* the value (V_TEXT: the pointer; V_NUM: a struct's name) */
    const char *len; /* V_TEXT: the byte length */
    const char *nul; /* nonzero when NULL */
    bool is_const;
    int64_t ival;    /* V_INT constants */
    const char *lit; /* V_UNK: the string; V_NUM constants: the text */
} val;

typedef struct tr {
    const char *src;
    const ctable *ct;
    const sc_strmap *enums;
    sc_buf decls, body;
    int ntemp;
    int depth;
    bool may_defer;
    sc_buf *why;
    sc_buf *used; /* the columns read, each name followed by a NUL */
    sc_arena *arena;
} tr;

/* Records that the expression reads column `name`. */
static void note_column(tr *x, const char *name)
{
    if (x->used != NULL)
        sc_buf_append(x->used, name, strlen(name) + 1);
}

/* ------------------------------------------------------------ output */

static void line(tr *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(tr *x, const char *fmt, ...)
{
    for (int i = 0; i < x->depth; i++)
        sc_buf_puts(&x->body, "    ");
    va_list ap;
    va_start(ap, fmt);
    sc_buf_vprintf(&x->body, fmt, ap);
    va_end(ap);
    sc_buf_putc(&x->body, '\n');
}

static int temp(tr *x)
{
    return ++x->ntemp;
}

/* Records why the expression is not translated (the first reason) and
 * returns false. */
static bool no(tr *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool no(tr *x, const char *fmt, ...)
{
    if (x->why->len == 0) {
        va_list ap;
        va_start(ap, fmt);
        sc_buf_vprintf(x->why, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* printf into the translator's arena. */
static const char *fmt(tr *x, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(tr *x, const char *f, ...)
{
    sc_buf b = SC_BUF_INIT;
    va_list ap;
    va_start(ap, f);
    sc_buf_vprintf(&b, f, ap);
    va_end(ap);
    const char *r = sc_arena_strndup(x->arena, b.data != NULL ? b.data : "", b.len);
    sc_buf_free(&b);
    return r;
}

static const char *arena_str(tr *x, const sc_buf *b)
{
    return sc_arena_strndup(x->arena, b->data != NULL ? b->data : "", b->len);
}

/* ------------------------------------------------------------- nodes */

static bool is(TSNode n, const char *type)
{
    return strcmp(ts_node_type(n), type) == 0;
}

static void text_of(const tr *x, TSNode n, sc_buf *out)
{
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    sc_buf_reset(out);
    sc_buf_append(out, x->src + a, b - a);
}

/* The node's text lower-cased with single spaces (keywords, type names). */
static void words_of(const tr *x, TSNode n, sc_buf *out)
{
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    sc_buf_reset(out);
    bool space = false;
    for (uint32_t i = a; i < b; i++) {
        char c = x->src[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = out->len > 0;
            continue;
        }
        if (space)
            sc_buf_putc(out, ' ');
        space = false;
        sc_buf_putc(out, (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c);
    }
    sc_buf_append(out, "", 0);
}

static TSNode field(TSNode n, const char *name)
{
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

static bool has_field(TSNode n, const char *name)
{
    return !ts_node_is_null(field(n, name));
}

/* ------------------------------------------------------------ values */

static void set_bool_const(val *v, bool b)
{
    memset(v, 0, sizeof *v);
    v->t = V_BOOL;
    v->v = b ? "1" : "0";
    v->nul = "0";
    v->is_const = true;
}

static void set_null(val *v)
{
    memset(v, 0, sizeof *v);
    v->t = V_NULL;
    v->v = "0";
    v->nul = "1";
    v->is_const = true;
}

static void set_int_const(tr *x, val *v, int64_t i, int width)
{
    memset(v, 0, sizeof *v);
    v->t = V_INT;
    v->width = width;
    v->is_const = true;
    v->ival = i;
    if (i == INT64_MIN)
        v->v = "(-INT64_C(9223372036854775807) - 1)";
    else
        v->v = fmt(x, "INT64_C(%" PRId64 ")", i);
    v->nul = "0";
}

/* A numeric constant from its text (already checked to parse). */
static void set_num_const(tr *x, val *v, const char *text)
{
    memset(v, 0, sizeof *v);
    int k = temp(x);
    sc_buf_printf(&x->decls, "    struct schemac_numeric t%d;\n", k);
    sc_buf lit = SC_BUF_INIT;
    sc_c_string(&lit, text, strlen(text));
    line(x, "schemac_numeric_parse(&t%d, %s, 0, 0);", k, sc_buf_str(&lit));
    sc_buf_free(&lit);
    v->t = V_NUM;
    v->is_const = true;
    v->lit = sc_arena_strdup(x->arena, text);
    v->v = fmt(x, "t%d", k);
    v->nul = fmt(x, "0");
}

/* The text constant `s` as a V_TEXT (trailing spaces cut for bpchar). */
static void set_text_const(tr *x, val *v, const char *s, bool bpchar)
{
    memset(v, 0, sizeof *v);
    size_t len = strlen(s);
    if (bpchar)
        len = schemac_rtrim_len(s, len);
    sc_buf lit = SC_BUF_INIT;
    sc_c_string(&lit, s, len);
    int k = temp(x);
    sc_buf_printf(&x->decls, "    static const char s%d[] = %s;\n", k, sc_buf_str(&lit));
    sc_buf_free(&lit);
    v->t = V_TEXT;
    v->is_const = true;
    v->bpchar = bpchar;
    v->v = fmt(x, "s%d", k);
    v->len = fmt(x, "%zu", len);
    v->nul = fmt(x, "0");
}

/* A date literal: YYYY-MM-DD, infinity or -infinity.  False otherwise. */
static bool parse_date(const char *s, int64_t *days)
{
    if (strcmp(s, "infinity") == 0) {
        *days = INT32_MAX;
        return true;
    }
    if (strcmp(s, "-infinity") == 0) {
        *days = INT32_MIN;
        return true;
    }
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || s[4] != '-' ||
        s[7] != '-' || y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return false;
    *days = sc_days_from_civil(y, m, d);
    return true;
}

/* An integer literal of `s` (decimal digits with a sign). */
static bool parse_int(const char *s, int64_t *out)
{
    const char *p = s;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    if (*p == '\0')
        return false;
    uint64_t u = 0;
    for (; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return false;
        if (u > (UINT64_MAX - 9) / 10)
            return false;
        u = u * 10 + (uint64_t)(*p - '0');
    }
    if (neg) {
        if (u > (uint64_t)INT64_MAX + 1)
            return false;
        *out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
    } else {
        if (u > (uint64_t)INT64_MAX)
            return false;
        *out = (int64_t)u;
    }
    return true;
}

static bool fits(int64_t v, int width)
{
    if (width == 2)
        return v >= INT16_MIN && v <= INT16_MAX;
    if (width == 4)
        return v >= INT32_MIN && v <= INT32_MAX;
    return true;
}

/* The enum label index of `s` in `en`, or -1. */
static long label_index(const cenum *en, const char *s)
{
    for (size_t i = 0; i < en->e->nlabels; i++)
        if (strcmp(en->e->labels[i].value, s) == 0)
            return (long)i;
    return -1;
}

/* Gives an untyped literal `u` the type of `other`. */
static bool coerce_unknown(tr *x, val *u, const val *other)
{
    const char *s = u->lit;
    int64_t i;
    switch (other->t) {
    case V_TEXT:
        set_text_const(x, u, s, other->bpchar);
        return true;
    case V_ENUM: {
        long k = label_index(other->en, s);
        if (k < 0)
            return no(x, "'%s' is not a label of the enum", s);
        set_int_const(x, u, k, 4);
        u->t = V_ENUM;
        u->en = other->en;
        u->v = fmt(x, "%ld", k);
        return true;
    }
    case V_INT:
        if (!parse_int(s, &i) || !fits(i, other->width))
            return no(x, "'%s' as an integer", s);
        set_int_const(x, u, i, other->width);
        return true;
    case V_NUM: {
        struct schemac_numeric n;
        if (schemac_numeric_parse(&n, s, 0, 0) != SCHEMAC_NUMERIC_OK)
            return no(x, "'%s' as a numeric", s);
        set_num_const(x, u, s);
        return true;
    }
    case V_BOOL:
        if (strcmp(s, "t") == 0 || strcmp(s, "true") == 0)
            set_bool_const(u, true);
        else if (strcmp(s, "f") == 0 || strcmp(s, "false") == 0)
            set_bool_const(u, false);
        else
            return no(x, "'%s' as a boolean", s);
        return true;
    case V_DATE:
        if (!parse_date(s, &i))
            return no(x, "'%s' as a date (only YYYY-MM-DD is read)", s);
        set_int_const(x, u, i, 4);
        u->t = V_DATE;
        return true;
    default:
        return no(x, "an untyped string compared with this type");
    }
}

/* --------------------------------------------------------- the walk */

static bool gen(tr *x, TSNode n, val *out);

/* The column a column_reference names (noted as read), or NULL after
 * recording why. */
static const ccol *column_of(tr *x, TSNode n)
{
    if (ts_node_named_child_count(n) != 1) {
        no(x, "a qualified column reference");
        return NULL;
    }
    sc_buf b = SC_BUF_INIT, name = SC_BUF_INIT;
    text_of(x, ts_node_named_child(n, 0), &b);
    sc_ident_decode(&name, b.data, b.len);
    const ccol *cc = sc_emit_c_column(x->ct, sc_buf_str(&name));
    if (cc != NULL)
        note_column(x, cc->col->name);
    else
        no(x, "no column %s", sc_buf_str(&name));
    sc_buf_free(&b);
    sc_buf_free(&name);
    return cc;
}

static bool gen_column(tr *x, TSNode n, val *out)
{
    memset(out, 0, sizeof *out);
    const ccol *cc = column_of(x, n);
    if (cc == NULL)
        return false;
    const char *m = cc->member;
    const ctype *ty = &cc->type;
    if (ty->array)
        return no(x, "array column %s", cc->col->name);
    if (cc->nullable)
        out->nul = fmt(x, "!row->%s_present", m);
    else
        out->nul = fmt(x, "0");
    switch (ty->kind) {
    case K_I16:
    case K_I32:
    case K_I64:
        out->t = V_INT;
        out->width = ty->kind == K_I16 ? 2 : ty->kind == K_I32 ? 4 : 8;
        out->v = fmt(x, "(int64_t)row->%s", m);
        return true;
    case K_BOOL:
        out->t = V_BOOL;
        out->v = fmt(x, "(int)row->%s", m);
        return true;
    case K_F32:
    case K_F64:
        out->t = V_FLOAT;
        out->width = ty->kind == K_F32 ? 4 : 8;
        out->v = fmt(x, "(double)row->%s", m);
        return true;
    case K_ENUM:
        out->t = V_ENUM;
        out->en = ty->en;
        out->v = fmt(x, "(long)row->%s", m);
        return true;
    case K_DATE:
        out->t = V_DATE;
        out->v = fmt(x, "(int64_t)row->%s", m);
        return true;
    case K_TIMESTAMP:
        out->t = V_TS;
        out->tz = ty->tz;
        out->v = fmt(x, "row->%s", m);
        return true;
    case K_TEXT:
        break;
    default:
        return no(x, "column %s of type %s", cc->col->name, cc->col->type);
    }
    if (ty->text == T_OTHER)
        return no(x, "column %s of type %s", cc->col->name, cc->col->type);
    /* Text and numeric: a temporary, filled when the value is there. */
    int k = temp(x);
    sc_buf_printf(&x->decls, "    int n%d = 0;\n", k);
    line(x, "n%d = %s%srow->%s == NULL;", k, cc->nullable ? out->nul : "",
         cc->nullable ? " || " : "", m);
    out->nul = fmt(x, "n%d", k);
    if (ty->text == T_NUMERIC) {
        sc_buf_printf(&x->decls, "    struct schemac_numeric t%d;\n", k);
        line(x, "if (!n%d && schemac_numeric_parse(&t%d, row->%s, %d, %d) != SCHEMAC_NUMERIC_OK)",
             k, k, m, ty->precision, ty->scale);
        line(x, "    return -1;");
        out->t = V_NUM;
        out->v = fmt(x, "t%d", k);
        return true;
    }
    sc_buf_printf(&x->decls, "    const char *p%d = \"\";\n    size_t l%d = 0;\n", k, k);
    line(x, "if (!n%d) {", k);
    x->depth++;
    line(x, "p%d = row->%s;", k, m);
    if (ty->maxlen > 0) {
        line(x, "long f = schemac_text_fit(p%d, %ld);", k, ty->maxlen);
        line(x, "if (f < 0)");
        line(x, "    return -1;");
        line(x, "l%d = (size_t)f;", k);
    } else {
        line(x, "l%d = strlen(p%d);", k, k);
        line(x, "if (schemac_utf8_chars(p%d, l%d) < 0)", k, k);
        line(x, "    return -1;");
    }
    if (ty->text == T_BPCHAR)
        line(x, "l%d = schemac_rtrim_len(p%d, l%d);", k, k, k);
    x->depth--;
    line(x, "}");
    out->t = V_TEXT;
    out->bpchar = ty->text == T_BPCHAR;
    out->v = fmt(x, "p%d", k);
    out->len = fmt(x, "l%d", k);
    return true;
}

static bool gen_number(tr *x, TSNode n, val *out)
{
    sc_buf b = SC_BUF_INIT;
    text_of(x, n, &b);
    const char *s = sc_buf_str(&b);
    int64_t i;
    bool ok = true;
    if (strspn(s, "0123456789") == b.len && parse_int(s, &i))
        set_int_const(x, out, i, fits(i, 4) ? 4 : 8);
    else
        set_num_const(x, out, s);
    sc_buf_free(&b);
    return ok;
}

static bool gen_string(tr *x, TSNode n, val *out)
{
    sc_buf b = SC_BUF_INIT, s = SC_BUF_INIT;
    text_of(x, n, &b);
    bool ok = sc_string_decode(&s, b.data, b.len);
    if (ok) {
        memset(out, 0, sizeof *out);
        out->t = V_UNK;
        out->is_const = true;
        out->lit = arena_str(x, &s);
        out->nul = fmt(x, "0");
    } else {
        no(x, "a string literal of this kind");
    }
    sc_buf_free(&b);
    sc_buf_free(&s);
    return ok;
}

/* A new V_BOOL result: int bK (value) and nK (NULL). */
static int new_bool(tr *x, val *out)
{
    int k = temp(x);
    sc_buf_printf(&x->decls, "    int b%d = 0, n%d = 0;\n", k, k);
    memset(out, 0, sizeof *out);
    out->t = V_BOOL;
    out->v = fmt(x, "b%d", k);
    out->nul = fmt(x, "n%d", k);
    return k;
}

/* Something to evaluate later: a node, or the comparison of two nodes. */
typedef struct thunk {
    TSNode node;
    TSNode a, b;
    const char *op; /* NULL: evaluate `node` */
} thunk;

static bool compare(tr *x, val *a, const char *op, val *b, val *out);

static bool run(tr *x, const thunk *t, val *out)
{
    if (t->op == NULL)
        return gen(x, t->node, out);
    val a, b;
    return gen(x, t->a, &a) && gen(x, t->b, &b) && compare(x, &a, t->op, &b, out);
}

/* AND (is_and) or OR of two thunks, stopping as PostgreSQL stops. */
static bool and_or(tr *x, bool is_and, const thunk *l, const thunk *r, val *out)
{
    val a, b;
    if (!run(x, l, &a))
        return false;
    if (a.t != V_BOOL && a.t != V_NULL)
        return no(x, "%s of a value that is not boolean", is_and ? "AND" : "OR");
    int k = new_bool(x, out);
    /* The deciding value: false for AND, true for OR. */
    const char *decides = is_and ? "!" : "";
    line(x, "if (!(%s) && %s(%s)) {", a.nul, decides, a.v);
    line(x, "    b%d = %d;", k, is_and ? 0 : 1);
    line(x, "} else {");
    x->depth++;
    if (!run(x, r, &b))
        return false;
    if (b.t != V_BOOL && b.t != V_NULL)
        return no(x, "%s of a value that is not boolean", is_and ? "AND" : "OR");
    line(x, "if (!(%s) && %s(%s))", b.nul, decides, b.v);
    line(x, "    b%d = %d;", k, is_and ? 0 : 1);
    line(x, "else if ((%s) || (%s))", a.nul, b.nul);
    line(x, "    n%d = 1;", k);
    line(x, "else");
    line(x, "    b%d = %d;", k, is_and ? 1 : 0);
    x->depth--;
    line(x, "}");
    return true;
}

/* OR of the thunks t[0..n), left to right. */
static bool or_list(tr *x, const thunk *t, size_t n, val *out);

static bool or_list(tr *x, const thunk *t, size_t n, val *out)
{
    if (n == 1)
        return run(x, &t[0], out);
    /* a OR (rest): the same result and the same order of evaluation as
     * a flat OR. */
    val a, rest;
    if (!run(x, &t[0], &a))
        return false;
    int k = new_bool(x, out);
    line(x, "if (!(%s) && (%s)) {", a.nul, a.v);
    line(x, "    b%d = 1;", k);
    line(x, "} else {");
    x->depth++;
    if (!or_list(x, t + 1, n - 1, &rest))
        return false;
    line(x, "if (!(%s) && (%s))", rest.nul, rest.v);
    line(x, "    b%d = 1;", k);
    line(x, "else if ((%s) || (%s))", a.nul, rest.nul);
    line(x, "    n%d = 1;", k);
    x->depth--;
    line(x, "}");
    return true;
}

/* A numeric struct for an integer value (when it is not NULL). */
static void int_to_num(tr *x, val *v)
{
    int k = temp(x);
    sc_buf_printf(&x->decls, "    struct schemac_numeric t%d;\n", k);
    line(x, "if (!(%s))", v->nul);
    line(x, "    schemac_numeric_from_int(&t%d, %s);", k, v->v);
    v->t = V_NUM;
    v->v = fmt(x, "t%d", k);
}

static bool is_cmp_op(const char *op)
{
    return strcmp(op, "=") == 0 || strcmp(op, "<>") == 0 || strcmp(op, "!=") == 0 ||
           strcmp(op, "<") == 0 || strcmp(op, ">") == 0 || strcmp(op, "<=") == 0 ||
           strcmp(op, ">=") == 0;
}

/* Brings two operands to one type as PostgreSQL's operator resolution
 * does; `how` receives 'i' (int64), 'f' (double), 'n' (numeric), 't'
 * (text), 'e' (enum), 'b' (bool), 'd' (date), 's' (timestamp). */
static bool unify(tr *x, val *a, val *b, char *how)
{
    if (a->t == V_UNK && b->t == V_UNK)
        return no(x, "two untyped strings");
    if (a->t == V_UNK && !coerce_unknown(x, a, b))
        return false;
    if (b->t == V_UNK && !coerce_unknown(x, b, a))
        return false;
    vt s = a->t, t = b->t;
    if (s == V_INT && t == V_INT) {
        *how = 'i';
    } else if ((s == V_FLOAT && (t == V_FLOAT || t == V_INT || t == V_NUM)) ||
               (t == V_FLOAT && (s == V_INT || s == V_NUM))) {
        *how = 'f';
        for (int i = 0; i < 2; i++) {
            val *v = i == 0 ? a : b;
            if (v->t == V_NUM) {
                /* numeric to float8 fails where the value is out of the
                 * double's range, as PostgreSQL's cast does */
                int k = temp(x);
                sc_buf_printf(&x->decls, "    double d%d = 0;\n", k);
                line(x, "if (!(%s) && !schemac_numeric_double(&%s, &d%d))", v->nul, v->v, k);
                line(x, "    return -1;");
                v->v = fmt(x, "d%d", k);
            } else if (v->t == V_INT) {
                v->v = fmt(x, "(double)%s", v->v);
            }
        }
    } else if ((s == V_NUM || s == V_INT) && (t == V_NUM || t == V_INT)) {
        *how = 'n';
        if (s == V_INT)
            int_to_num(x, a);
        if (t == V_INT)
            int_to_num(x, b);
    } else if (s == V_TEXT && t == V_TEXT) {
        *how = 't';
    } else if (s == V_ENUM && t == V_ENUM) {
        if (a->en != b->en)
            return no(x, "values of two enums");
        *how = 'e';
    } else if (s == V_BOOL && t == V_BOOL) {
        *how = 'b';
    } else if (s == V_DATE && t == V_DATE) {
        *how = 'd';
    } else if ((s == V_TS || s == V_DATE) && (t == V_TS || t == V_DATE)) {
        /* timestamp with time zone meets only its own kind: a date or a
         * timestamp without one would go through the session's TimeZone. */
        bool tz_a = s == V_TS && a->tz, tz_b = t == V_TS && b->tz;
        if (tz_a != tz_b || (tz_a && (s == V_DATE || t == V_DATE)))
            return no(x, "dates or timestamps with and without time zone");
        *how = 's';
        for (int i = 0; i < 2; i++) {
            val *v = i == 0 ? a : b;
            if (v->t == V_DATE) {
                v->v = fmt(x, "schemac_date_to_timestamp(%s)", v->v);
            }
        }
    } else {
        return no(x, "operands of these types");
    }
    return true;
}

static bool compare(tr *x, val *a, const char *op, val *b, val *out)
{
    if (a->t == V_NULL || b->t == V_NULL) {
        set_null(out);
        return true;
    }
    char how;
    if (!unify(x, a, b, &how))
        return false;
    bool eq = strcmp(op, "=") == 0, ne = strcmp(op, "<>") == 0 || strcmp(op, "!=") == 0;
    if (how == 't' && !eq && !ne)
        return no(x, "text compared with %s (the order is the collation's)", op);
    int k = new_bool(x, out);
    line(x, "n%d = (%s) || (%s);", k, a->nul, b->nul);
    line(x, "if (!n%d) {", k);
    x->depth++;
    const char *cop = ne ? "!=" : eq ? "==" : op;
    switch (how) {
    case 't':
        line(x, "int e = schemac_text_eq(%s, %s, %d, %s, %s, %d);", a->v, a->len, a->fold, b->v,
             b->len, b->fold);
        if (a->fold != SCHEMAC_FOLD_NONE || b->fold != SCHEMAC_FOLD_NONE) {
            /* Only a case-mapped side can leave it undecided. */
            line(x, "if (e < 0)");
            line(x, "    return 2;");
            x->may_defer = true;
        }
        line(x, "b%d = e %s 1;", k, ne ? "!=" : "==");
        break;
    case 'f':
        line(x, "b%d = schemac_float_cmp(%s, %s) %s 0;", k, a->v, b->v, cop);
        break;
    case 'n':
        line(x, "b%d = schemac_numeric_cmp(&%s, &%s) %s 0;", k, a->v, b->v, cop);
        break;
    default:
        line(x, "b%d = (%s) %s (%s);", k, a->v, cop, b->v);
        break;
    }
    x->depth--;
    line(x, "}");
    return true;
}

static bool arith(tr *x, val *a, const char *op, val *b, val *out)
{
    if (a->t == V_NULL || b->t == V_NULL) {
        set_null(out);
        return true;
    }
    if (a->t == V_UNK || b->t == V_UNK)
        return no(x, "arithmetic on an untyped string");
    char how;
    if (!unify(x, a, b, &how))
        return false;
    int k = temp(x);
    memset(out, 0, sizeof *out);
    out->nul = fmt(x, "n%d", k);
    out->v = fmt(x, "t%d", k);
    if (how == 'i') {
        int w = a->width > b->width ? a->width : b->width;
        sc_buf_printf(&x->decls, "    int64_t t%d = 0;\n    int n%d = 0;\n", k, k);
        line(x, "n%d = (%s) || (%s);", k, a->nul, b->nul);
        line(x, "if (!n%d && !schemac_int_arith(%s, %s, '%c', %d, &t%d))", k, a->v, b->v, op[0], w,
             k);
        line(x, "    return -1;");
        out->t = V_INT;
        out->width = w;
        return true;
    }
    if (how == 'f') {
        if (op[0] == '%')
            return no(x, "%% on floats");
        int w = a->t == V_FLOAT && b->t == V_FLOAT && a->width == 4 && b->width == 4 ? 4 : 8;
        sc_buf_printf(&x->decls, "    double t%d = 0;\n    int n%d = 0;\n", k, k);
        line(x, "n%d = (%s) || (%s);", k, a->nul, b->nul);
        line(x, "if (!n%d && !schemac_float_arith(%s, %s, '%c', %d, &t%d))", k, a->v, b->v, op[0],
             w, k);
        line(x, "    return -1;");
        out->t = V_FLOAT;
        out->width = w;
        return true;
    }
    return no(x, "arithmetic on %s", how == 'n' ? "numeric" : "these types");
}

static bool gen_binary(tr *x, TSNode n, val *out)
{
    TSNode l = field(n, "left"), r = field(n, "right"), o = field(n, "operator");
    sc_buf op = SC_BUF_INIT;
    words_of(x, o, &op);
    bool ok;
    if (strcmp(sc_buf_str(&op), "and") == 0 || strcmp(sc_buf_str(&op), "or") == 0) {
        thunk tl = {l, l, l, NULL}, trr = {r, r, r, NULL};
        ok = and_or(x, op.data[0] == 'a', &tl, &trr, out);
    } else if (is_cmp_op(sc_buf_str(&op))) {
        thunk t = {n, l, r, sc_arena_strdup(x->arena, sc_buf_str(&op))};
        ok = run(x, &t, out);
    } else if (op.len == 1 && strchr("+-*/%", op.data[0]) != NULL) {
        val a, b;
        ok = gen(x, l, &a) && gen(x, r, &b) && arith(x, &a, sc_buf_str(&op), &b, out);
    } else {
        ok = no(x, "operator %s", sc_buf_str(&op));
    }
    sc_buf_free(&op);
    return ok;
}

static bool negate_bool(tr *x, const val *a, val *out)
{
    if (a->t == V_NULL) {
        set_null(out);
        return true;
    }
    if (a->t != V_BOOL)
        return no(x, "NOT of a value that is not boolean");
    int k = new_bool(x, out);
    line(x, "n%d = %s;", k, a->nul);
    line(x, "b%d = !(%s);", k, a->v);
    return true;
}

static bool gen_unary(tr *x, TSNode n, val *out)
{
    TSNode o = field(n, "operator"), operand = field(n, "operand");
    sc_buf op = SC_BUF_INIT;
    words_of(x, o, &op);
    char c = op.data[0];
    bool not_op = strcmp(sc_buf_str(&op), "not") == 0;
    bool sign = strcmp(sc_buf_str(&op), "-") == 0 || strcmp(sc_buf_str(&op), "+") == 0;
    sc_buf_free(&op);
    val a;
    if (!not_op && !sign)
        return no(x, "a prefix operator");
    if (!gen(x, operand, &a))
        return false;
    if (not_op)
        return negate_bool(x, &a, out);
    if (c == '+') {
        if (a.t != V_INT && a.t != V_FLOAT && a.t != V_NUM)
            return no(x, "unary + of this type");
        *out = a;
        return true;
    }
    if (a.t == V_INT && a.is_const) {
        /* PostgreSQL folds a minus into a number and types the result. */
        if (a.ival == INT64_MIN)
            return no(x, "a literal out of range");
        int64_t v = -a.ival;
        set_int_const(x, out, v, fits(v, 4) ? 4 : 8);
        return true;
    }
    if (a.t == V_NUM && a.is_const) {
        sc_buf t = SC_BUF_INIT;
        if (a.lit[0] == '-')
            sc_buf_puts(&t, a.lit + 1);
        else {
            sc_buf_putc(&t, '-');
            sc_buf_puts(&t, a.lit);
        }
        set_num_const(x, out, sc_buf_str(&t));
        sc_buf_free(&t);
        return true;
    }
    if (a.t == V_INT) {
        int k = temp(x);
        sc_buf_printf(&x->decls, "    int64_t t%d = 0;\n    int n%d = 0;\n", k, k);
        line(x, "n%d = %s;", k, a.nul);
        line(x, "if (!n%d && !schemac_int_arith(0, %s, '-', %d, &t%d))", k, a.v, a.width, k);
        line(x, "    return -1;");
        memset(out, 0, sizeof *out);
        out->t = V_INT;
        out->width = a.width;
        out->v = fmt(x, "t%d", k);
        out->nul = fmt(x, "n%d", k);
        return true;
    }
    if (a.t == V_FLOAT) {
        *out = a;
        out->v = fmt(x, "(-%s)", a.v);
        return true;
    }
    return no(x, "unary minus of this type");
}

static bool gen_between(tr *x, TSNode n, val *out)
{
    if (has_field(n, "symmetric"))
        return no(x, "BETWEEN SYMMETRIC");
    TSNode v = field(n, "value"), lo = field(n, "low"), hi = field(n, "high");
    bool not_ = has_field(n, "not");
    /* PostgreSQL reads it as v >= lo AND v <= hi (NOT: v < lo OR v > hi). */
    thunk a = {v, v, lo, not_ ? "<" : ">="}, b = {v, v, hi, not_ ? ">" : "<="};
    return and_or(x, !not_, &a, &b, out);
}

static bool gen_in(tr *x, TSNode n, val *out)
{
    TSNode v = field(n, "value"), list = field(n, "list");
    uint32_t count = ts_node_named_child_count(list);
    if (count == 0)
        return no(x, "an empty IN list");
    thunk *t = sc_xcalloc(count, sizeof *t);
    for (uint32_t i = 0; i < count; i++) {
        TSNode e = ts_node_named_child(list, i);
        t[i] = (thunk){e, v, e, "="};
    }
    val in;
    bool ok = or_list(x, t, count, &in);
    free(t);
    if (!ok)
        return false;
    if (has_field(n, "not"))
        return negate_bool(x, &in, out);
    *out = in;
    return true;
}

static bool gen_is(tr *x, TSNode n, val *out)
{
    TSNode v = field(n, "value"), test = field(n, "test");
    sc_buf t = SC_BUF_INIT;
    words_of(x, test, &t);
    bool negated = has_field(n, "not");
    const char *w = sc_buf_str(&t);
    char what;
    if (strcmp(w, "null") == 0 || strcmp(w, "isnull") == 0)
        what = 'n';
    else if (strcmp(w, "notnull") == 0) {
        what = 'n';
        negated = true;
    } else if (strcmp(w, "true") == 0)
        what = 't';
    else if (strcmp(w, "false") == 0)
        what = 'f';
    else if (strcmp(w, "unknown") == 0)
        what = 'u';
    else
        what = 0;
    sc_buf_free(&t);
    if (what == 0)
        return no(x, "this IS test");
    val a;
    if (what == 'n' && is(v, "column_reference")) {
        /* The presence of a column of any type. */
        const ccol *cc = column_of(x, v);
        if (cc == NULL)
            return false;
        memset(&a, 0, sizeof a);
        a.t = V_BOOL;
        bool ptr = cc->type.kind == K_TEXT || cc->type.array;
        if (cc->nullable)
            a.nul = fmt(x, "(!row->%s_present%s%s%s)", cc->member,
                     ptr ? " || row->" : "", ptr ? cc->member : "", ptr ? " == NULL" : "");
        else if (ptr)
            a.nul = fmt(x, "(row->%s == NULL)", cc->member);
        else
            a.nul = fmt(x, "0");
    } else if (!gen(x, v, &a)) {
        return false;
    }
    if (what != 'n' && a.t != V_BOOL && a.t != V_NULL)
        return no(x, "IS TRUE/FALSE of a value that is not boolean");
    int k = new_bool(x, out);
    switch (what) {
    case 'n':
    case 'u':
        line(x, "b%d = %s(%s);", k, negated ? "!" : "", a.nul);
        break;
    case 't':
        line(x, "b%d = %s(!(%s) && (%s));", k, negated ? "!" : "", a.nul, a.v);
        break;
    default:
        line(x, "b%d = %s(!(%s) && !(%s));", k, negated ? "!" : "", a.nul, a.v);
        break;
    }
    return true;
}

/* A type name as the cast wrote it: its words, lower case. */
static bool gen_cast_to(tr *x, val *a, const char *type, val *out)
{
    bool to_int = strcmp(type, "integer") == 0 || strcmp(type, "int") == 0 ||
                  strcmp(type, "int4") == 0;
    bool to_big = strcmp(type, "bigint") == 0 || strcmp(type, "int8") == 0;
    bool to_small = strcmp(type, "smallint") == 0 || strcmp(type, "int2") == 0;
    if (to_int || to_big || to_small) {
        int w = to_small ? 2 : to_int ? 4 : 8;
        if (a->t == V_UNK) {
            int64_t i;
            if (!parse_int(a->lit, &i) || !fits(i, w))
                return no(x, "'%s' as an integer", a->lit);
            set_int_const(x, out, i, w);
            return true;
        }
        if (a->t == V_INT && a->is_const) {
            if (!fits(a->ival, w))
                return no(x, "a constant out of range of the cast");
            set_int_const(x, out, a->ival, w);
            return true;
        }
        if (a->t == V_INT && a->width <= w) {
            *out = *a;
            out->width = w;
            return true;
        }
        return no(x, "a cast to %s", type);
    }
    if (strcmp(type, "numeric") == 0 || strcmp(type, "decimal") == 0) {
        if (a->t == V_NUM) {
            *out = *a;
            return true;
        }
        if (a->t == V_INT && a->is_const) {
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%" PRId64, a->ival);
            set_num_const(x, out, tmp);
            return true;
        }
        if (a->t == V_UNK) {
            struct schemac_numeric nv;
            if (schemac_numeric_parse(&nv, a->lit, 0, 0) != SCHEMAC_NUMERIC_OK)
                return no(x, "'%s' as a numeric", a->lit);
            set_num_const(x, out, a->lit);
            return true;
        }
        if (a->t == V_INT) {
            *out = *a;
            int_to_num(x, out);
            return true;
        }
        return no(x, "a cast to numeric");
    }
    if (strcmp(type, "text") == 0 || strcmp(type, "character varying") == 0 ||
        strcmp(type, "varchar") == 0) {
        if (a->t == V_UNK) {
            set_text_const(x, out, a->lit, false);
            return true;
        }
        if (a->t == V_TEXT) {
            *out = *a;
            out->bpchar = false; /* character(n) to text drops trailing spaces */
            return true;
        }
        return no(x, "a cast to %s", type);
    }
    if (strcmp(type, "bpchar") == 0 && a->t == V_UNK) {
        set_text_const(x, out, a->lit, true);
        return true;
    }
    if (strcmp(type, "date") == 0 && a->t == V_UNK) {
        int64_t d;
        if (!parse_date(a->lit, &d))
            return no(x, "'%s' as a date (only YYYY-MM-DD is read)", a->lit);
        set_int_const(x, out, d, 4);
        out->t = V_DATE;
        return true;
    }
    if ((strcmp(type, "boolean") == 0 || strcmp(type, "bool") == 0) && a->t == V_UNK) {
        val b;
        memset(&b, 0, sizeof b);
        b.t = V_BOOL;
        *out = *a;
        return coerce_unknown(x, out, &b);
    }
    if (strcmp(type, "double precision") == 0 || strcmp(type, "float8") == 0 ||
        strcmp(type, "real") == 0 || strcmp(type, "float4") == 0) {
        int w = type[0] == 'r' || strcmp(type, "float4") == 0 ? 4 : 8;
        if (a->t == V_FLOAT && a->width <= w) {
            *out = *a;
            out->width = w;
            return true;
        }
        if (a->t == V_INT && w == 8) {
            *out = *a;
            out->t = V_FLOAT;
            out->width = 8;
            out->v = fmt(x, "(double)%s", a->v);
            return true;
        }
        return no(x, "a cast to %s", type);
    }
    /* An enum: its labels. */
    if (a->t == V_UNK) {
        const cenum *en = NULL;
        for (size_t i = 0; en == NULL && i < x->ct->t->ncolumns; i++) {
            const ccol *cc = &x->ct->cols[i];
            sc_buf q = SC_BUF_INIT;
            if (cc->type.kind == K_ENUM) {
                sc_ident_append_qualified(&q, cc->type.en->e->schema, cc->type.en->e->name);
                if (strcmp(sc_buf_str(&q), type) == 0)
                    en = cc->type.en;
            }
            sc_buf_free(&q);
        }
        if (en == NULL)
            en = sc_strmap_get(x->enums, type);
        if (en != NULL) {
            val e;
            memset(&e, 0, sizeof e);
            e.t = V_ENUM;
            e.en = en;
            *out = *a;
            return coerce_unknown(x, out, &e);
        }
    }
    return no(x, "a cast to %s", type);
}

static bool gen_cast(tr *x, TSNode n, val *out)
{
    val a;
    if (!gen(x, field(n, "value"), &a))
        return false;
    sc_buf type = SC_BUF_INIT;
    words_of(x, field(n, "type"), &type);
    bool ok = gen_cast_to(x, &a, sc_buf_str(&type), out);
    sc_buf_free(&type);
    return ok;
}

static bool gen_call(tr *x, TSNode n, val *out)
{
    sc_buf name = SC_BUF_INIT;
    words_of(x, field(n, "function"), &name);
    const char *f = sc_buf_str(&name);
    if (strncmp(f, "pg_catalog.", 11) == 0)
        f += 11;
    bool len_fn = strcmp(f, "length") == 0 || strcmp(f, "char_length") == 0 ||
                  strcmp(f, "character_length") == 0;
    int fold = strcmp(f, "lower") == 0 ? SCHEMAC_FOLD_LOWER
               : strcmp(f, "upper") == 0 ? SCHEMAC_FOLD_UPPER
                                         : SCHEMAC_FOLD_NONE;
    if (!len_fn && fold == SCHEMAC_FOLD_NONE) {
        no(x, "function %s", f);
        sc_buf_free(&name);
        return false;
    }
    sc_buf_free(&name);
    /* One argument, not named. */
    TSNode arg = {{0}, NULL, NULL};
    uint32_t nargs = 0;
    TSTreeCursor c = ts_tree_cursor_new(n);
    if (ts_tree_cursor_goto_first_child(&c)) {
        do {
            const char *fn = ts_tree_cursor_current_field_name(&c);
            if (fn != NULL && strcmp(fn, "argument") == 0) {
                arg = ts_tree_cursor_current_node(&c);
                nargs++;
            } else if (fn != NULL && strcmp(fn, "function") != 0) {
                nargs = 99;
            }
        } while (ts_tree_cursor_goto_next_sibling(&c));
    }
    ts_tree_cursor_delete(&c);
    if (nargs != 1 || is(arg, "named_argument") || is(arg, "variadic_argument"))
        return no(x, "this call");
    val a;
    if (!gen(x, arg, &a))
        return false;
    if (a.t == V_NULL) {
        set_null(out);
        return true;
    }
    if (a.t == V_UNK)
        set_text_const(x, &a, a.lit, false);
    if (a.t != V_TEXT)
        return no(x, "%s of a value that is not text", len_fn ? "length" : "a case mapping");
    if (fold != SCHEMAC_FOLD_NONE) {
        *out = a;
        out->fold = fold;
        out->bpchar = false; /* the function takes text */
        return true;
    }
    if (a.fold != SCHEMAC_FOLD_NONE)
        return no(x, "the length of a case-mapped value");
    int k = temp(x);
    sc_buf_printf(&x->decls, "    int64_t t%d = 0;\n    int n%d = 0;\n", k, k);
    line(x, "n%d = %s;", k, a.nul);
    line(x, "if (!n%d)", k);
    line(x, "    t%d = schemac_utf8_chars(%s, %s);", k, a.v, a.len);
    memset(out, 0, sizeof *out);
    out->t = V_INT;
    out->width = 4;
    out->v = fmt(x, "t%d", k);
    out->nul = fmt(x, "n%d", k);
    return true;
}

static bool gen(tr *x, TSNode n, val *out)
{
    const char *type = ts_node_type(n);
    if (strcmp(type, "parenthesized_expression") == 0) {
        TSNode inner = ts_node_named_child(n, 0);
        /* skip comments */
        for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
            TSNode k = ts_node_named_child(n, i);
            if (!is(k, "line_comment") && !is(k, "block_comment")) {
                inner = k;
                break;
            }
        }
        return gen(x, inner, out);
    }
    if (strcmp(type, "column_reference") == 0)
        return gen_column(x, n, out);
    if (strcmp(type, "number") == 0)
        return gen_number(x, n, out);
    if (strcmp(type, "string") == 0 || strcmp(type, "escape_string") == 0)
        return gen_string(x, n, out);
    if (strcmp(type, "boolean") == 0) {
        sc_buf w = SC_BUF_INIT;
        words_of(x, n, &w);
        set_bool_const(out, strcmp(sc_buf_str(&w), "true") == 0);
        sc_buf_free(&w);
        return true;
    }
    if (strcmp(type, "null_literal") == 0) {
        set_null(out);
        return true;
    }
    if (strcmp(type, "binary_expression") == 0)
        return gen_binary(x, n, out);
    if (strcmp(type, "unary_expression") == 0)
        return gen_unary(x, n, out);
    if (strcmp(type, "between_expression") == 0)
        return gen_between(x, n, out);
    if (strcmp(type, "in_expression") == 0)
        return gen_in(x, n, out);
    if (strcmp(type, "is_expression") == 0)
        return gen_is(x, n, out);
    if (strcmp(type, "cast_expression") == 0)
        return gen_cast(x, n, out);
    if (strcmp(type, "typed_literal") == 0) {
        val a;
        if (!gen_string(x, field(n, "value"), &a))
            return false;
        sc_buf t = SC_BUF_INIT;
        words_of(x, field(n, "type"), &t);
        bool ok = gen_cast_to(x, &a, sc_buf_str(&t), out);
        sc_buf_free(&t);
        return ok;
    }
    if (strcmp(type, "function_call") == 0)
        return gen_call(x, n, out);
    if (strcmp(type, "like_expression") == 0)
        return no(x, "LIKE");
    if (strcmp(type, "case_expression") == 0)
        return no(x, "CASE");
    return no(x, "%s", type);
}

/* The check's expression node in the parsed snippet, or a null node. */
static TSNode find_check(TSNode n)
{
    if (is(n, "check"))
        return field(n, "expression");
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; i++) {
        TSNode r = find_check(ts_node_named_child(n, i));
        if (!ts_node_is_null(r))
            return r;
    }
    TSNode none = {{0}, NULL, NULL};
    return none;
}

bool sc_check_translate(sc_buf *out, TSParser *parser, const ctable *ct, const char *expr,
                        const sc_strmap *enums, bool *may_defer, sc_buf *why, sc_buf *used)
{
    sc_buf src = SC_BUF_INIT;
    sc_buf_printf(&src, "table t {\n  check (%s)\n}\n", expr);
    TSTree *tree = ts_parser_parse_string(parser, NULL, src.data, (uint32_t)src.len);
    tr x = {0};
    x.src = src.data;
    x.ct = ct;
    x.enums = enums;
    x.why = why;
    x.used = used;
    x.arena = sc_arena_new();
    x.depth = 1;
    sc_buf_reset(why);
    bool ok = false;
    TSNode root = ts_tree_root_node(tree);
    TSNode e = find_check(root);
    val v;
    if (ts_node_has_error(root) || ts_node_is_null(e))
        no(&x, "the expression does not parse on its own");
    else if (gen(&x, e, &v)) {
        if (v.t == V_NULL) {
            ok = true;
            sc_buf_puts(out, "{\n    (void)row;\n    return 1; /* CHECK (NULL) always holds */\n}\n");
        } else if (v.t == V_BOOL) {
            ok = true;
            sc_buf_puts(out, "{\n");
            sc_buf_append(out, x.decls.data, x.decls.len);
            sc_buf_append(out, x.body.data, x.body.len);
            if (v.is_const)
                sc_buf_printf(out, "    (void)row;\n    return %s;\n}\n", v.v);
            else
                sc_buf_printf(out, "    if (%s)\n        return 1;\n    return (%s) ? 1 : 0;\n}\n",
                              v.nul, v.v);
        } else {
            no(&x, "the expression is not boolean");
        }
    }
    *may_defer = ok && x.may_defer;
    ts_tree_delete(tree);
    sc_buf_free(&src);
    sc_buf_free(&x.decls);
    sc_buf_free(&x.body);
    sc_arena_free(x.arena);
    return ok;
}
