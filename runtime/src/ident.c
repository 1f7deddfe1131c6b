/*
 * Identifier and literal quoting (see ident.h), plus the token-level
 * canonicaliser for expression text.
 */
#include "ident.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * PostgreSQL 15's keywords that are not UNRESERVED_KEYWORD (kwlist.h):
 * reserved, type/function-name and column-name keywords.  pg_dump quotes
 * these; so do we.  Kept sorted for bsearch.
 */
static const char *const pg_keywords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast",
    "char", "character", "check", "coalesce", "collate", "collation", "column", "concurrently",
    "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
    "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
    "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant",
    "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout",
    "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "lateral",
    "leading", "least", "left", "like", "limit", "localtime", "localtimestamp", "national",
    "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif", "numeric",
    "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing",
    "position", "precision", "primary", "real", "references", "returning", "right", "row",
    "select", "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric",
    "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim",
    "true", "union", "unique", "user", "using", "values", "varchar", "variadic", "verbose",
    "when", "where", "window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists",
    "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable",
};

/*
 * Words of the schema language that may begin a table entry or a column
 * attribute where a name could also stand; a name spelled like one of them
 * is quoted so that it reads back as a name.
 */
static const char *const language_keywords[] = {
    "comment", "day", "generated", "hour", "include", "index", "match", "minute", "month",
    "nulls", "precision", "renamed", "second", "varying", "without", "year",
};

/* PostgreSQL 15's RESERVED and TYPE_FUNC_NAME keywords: never a column,
 * table or type name unless quoted.  Sorted. */
static const char *const reserved_keywords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "binary", "both", "case", "cast", "check", "collate", "collation", "column",
    "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
    "current_role", "current_schema", "current_time", "current_timestamp", "current_user",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch",
    "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in",
    "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral", "leading",
    "left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull", "null",
    "offset", "on", "only", "or", "order", "outer", "overlaps", "placing", "primary",
    "references", "returning", "right", "select", "session_user", "similar", "some",
    "symmetric", "table", "tablesample", "then", "to", "trailing", "true", "union", "unique",
    "user", "using", "variadic", "verbose", "when", "where", "window", "with",
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool in_list(const char *name, const char *const *list, size_t n)
{
    return bsearch(&name, list, n, sizeof *list, cmp_str) != NULL;
}

bool sc_ident_needs_quotes(const char *name)
{
    const unsigned char *s = (const unsigned char *)name;
    if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
        return true;
    for (; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '$'))
            return true;
    return in_list(name, pg_keywords, SC_ARRAY_LEN(pg_keywords)) ||
           in_list(name, language_keywords, SC_ARRAY_LEN(language_keywords));
}

bool sc_ident_is_reserved(const char *name)
{
    return in_list(name, reserved_keywords, SC_ARRAY_LEN(reserved_keywords));
}

void sc_ident_append(sc_buf *b, const char *name)
{
    if (!sc_ident_needs_quotes(name)) {
        sc_buf_puts(b, name);
        return;
    }
    sc_buf_putc(b, '"');
    for (const char *p = name; *p != '\0'; p++) {
        if (*p == '"')
            sc_buf_putc(b, '"');
        sc_buf_putc(b, *p);
    }
    sc_buf_putc(b, '"');
}

void sc_ident_append_qualified(sc_buf *b, const char *schema, const char *name)
{
    if (schema != NULL && strcmp(schema, "public") != 0) {
        sc_ident_append(b, schema);
        sc_buf_putc(b, '.');
    }
    sc_ident_append(b, name);
}

void sc_ident_append_full(sc_buf *b, const char *schema, const char *name)
{
    if (schema != NULL) {
        sc_ident_append(b, schema);
        sc_buf_putc(b, '.');
    }
    sc_ident_append(b, name);
}

void sc_string_append(sc_buf *b, const char *value)
{
    sc_buf_putc(b, '\'');
    for (const char *p = value; *p != '\0'; p++) {
        if (*p == '\'')
            sc_buf_putc(b, '\'');
        sc_buf_putc(b, *p);
    }
    sc_buf_putc(b, '\'');
}

void sc_sql_literal_append(sc_buf *b, const char *value)
{
    if (strchr(value, '\\') != NULL)
        sc_buf_puts(b, " E");
    sc_buf_putc(b, '\'');
    for (const char *p = value; *p != '\0'; p++) {
        if (*p == '\'' || *p == '\\')
            sc_buf_putc(b, *p);
        sc_buf_putc(b, *p);
    }
    sc_buf_putc(b, '\'');
}

static bool is_word_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_word_char(unsigned char c)
{
    return is_word_start(c) || (c >= '0' && c <= '9') || c == '$';
}

/* End of a quoted span starting at s[i] == q ('' or "" doubling; with
 * `backslash`, a backslash escapes the next byte). */
static size_t quoted_end(const char *s, size_t len, size_t i, char q, bool backslash)
{
    for (size_t j = i + 1; j < len; j++) {
        if (backslash && s[j] == '\\' && j + 1 < len)
            j++;
        else if (s[j] == q) {
            if (j + 1 < len && s[j + 1] == q)
                j++;
            else
                return j + 1;
        }
    }
    return len;
}

sc_span_kind sc_sql_span(const char *s, size_t len, size_t i, size_t *end)
{
    char c = s[i];
    if (c == '-' && i + 1 < len && s[i + 1] == '-') {
        const char *nl = memchr(s + i, '\n', len - i);
        *end = nl != NULL ? (size_t)(nl - s) : len;
        return SC_SPAN_LINE_COMMENT;
    }
    if (c == '/' && i + 1 < len && s[i + 1] == '*') {
        unsigned depth = 0;
        size_t j = i;
        while (j < len) {
            if (s[j] == '/' && j + 1 < len && s[j + 1] == '*') {
                depth++;
                j += 2;
            } else if (s[j] == '*' && j + 1 < len && s[j + 1] == '/') {
                j += 2;
                if (--depth == 0)
                    break;
            } else {
                j++;
            }
        }
        *end = j;
        return SC_SPAN_BLOCK_COMMENT;
    }
    if (c == '\'') {
        bool e = i > 0 && (s[i - 1] == 'e' || s[i - 1] == 'E') &&
                 (i < 2 || !is_word_char((unsigned char)s[i - 2]));
        *end = quoted_end(s, len, i, '\'', e);
        return SC_SPAN_STRING;
    }
    if (c == '"') {
        *end = quoted_end(s, len, i, '"', false);
        return SC_SPAN_QUOTED_NAME;
    }
    if (c == '$' && (i == 0 || !is_word_char((unsigned char)s[i - 1]))) {
        size_t j = i + 1;
        while (j < len && s[j] != '$') {
            unsigned char w = (unsigned char)s[j];
            if (!is_word_char(w) || (j == i + 1 && w >= '0' && w <= '9'))
                return SC_SPAN_NONE;
            j++;
        }
        if (j >= len)
            return SC_SPAN_NONE;
        size_t taglen = j + 1 - i;
        *end = len;
        for (size_t k = j + 1; k + taglen <= len; k++)
            if (memcmp(s + k, s + i, taglen) == 0) {
                *end = k + taglen;
                break;
            }
        return SC_SPAN_DOLLAR;
    }
    return SC_SPAN_NONE;
}

void sc_expr_canon(sc_buf *out, const char *s, size_t len)
{
    bool space = false;
    size_t start_len = out->len;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = true;
            i++;
            continue;
        }
        size_t end;
        sc_span_kind kind = sc_sql_span(s, len, i, &end);
        if (kind == SC_SPAN_LINE_COMMENT || kind == SC_SPAN_BLOCK_COMMENT) {
            space = true;
            i = end;
            continue;
        }
        if (space && out->len > start_len)
            sc_buf_putc(out, ' ');
        space = false;
        if (kind != SC_SPAN_NONE) {
            sc_buf_append(out, s + i, end - i);
            i = end;
            continue;
        }
        if (is_word_start(c)) {
            /* A string prefix (E'', B'', X'', N'', U&'') stays with its
             * string, in lower case. */
            char lc = (char)(c | 0x20);
            if (i + 1 < len && s[i + 1] == '\'' && strchr("ebxn", lc) != NULL) {
                sc_buf_putc(out, lc);
                i++;
                continue;
            }
            if (lc == 'u' && i + 2 < len && s[i + 1] == '&' && (s[i + 2] == '\'' || s[i + 2] == '"')) {
                sc_buf_append(out, "u&", 2);
                i += 2;
                continue;
            }
            while (i < len && is_word_char((unsigned char)s[i])) {
                unsigned char w = (unsigned char)s[i++];
                sc_buf_putc(out, (char)(w >= 'A' && w <= 'Z' ? w + 32 : w));
            }
            continue;
        }
        sc_buf_putc(out, (char)c);
        i++;
    }
}

bool sc_string_decode(sc_buf *out, const char *tok, size_t len)
{
    sc_buf_reset(out);
    sc_buf_reserve(out, len);
    if (len >= 2 && tok[0] == '\'' && tok[len - 1] == '\'') {
        for (size_t i = 1; i + 1 < len; i++) {
            if (tok[i] == '\'')
                i++;
            sc_buf_putc(out, tok[i]);
        }
        return true;
    }
    if (len >= 3 && (tok[0] == 'e' || tok[0] == 'E') && tok[1] == '\'' && tok[len - 1] == '\'') {
        for (size_t i = 2; i + 1 < len; i++) {
            char c = tok[i];
            if (c == '\'') {
                i++;
                sc_buf_putc(out, '\'');
                continue;
            }
            if (c != '\\') {
                sc_buf_putc(out, c);
                continue;
            }
            c = tok[++i];
            switch (c) {
            case 'b': sc_buf_putc(out, '\b'); break;
            case 'f': sc_buf_putc(out, '\f'); break;
            case 'n': sc_buf_putc(out, '\n'); break;
            case 'r': sc_buf_putc(out, '\r'); break;
            case 't': sc_buf_putc(out, '\t'); break;
            case 'x': {
                unsigned v = 0, k = 0;
                while (k < 2 && i + 1 + 1 < len && strchr("0123456789abcdefABCDEF", tok[i + 1]) &&
                       tok[i + 1] != '\0') {
                    char h = tok[++i];
                    v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
                    k++;
                }
                if (k == 0 || v == 0)
                    return false;
                sc_buf_putc(out, (char)v);
                break;
            }
            default:
                if (c >= '0' && c <= '7') {
                    unsigned v = (unsigned)(c - '0'), k = 1;
                    while (k < 3 && i + 1 + 1 < len && tok[i + 1] >= '0' && tok[i + 1] <= '7') {
                        v = v * 8 + (unsigned)(tok[++i] - '0');
                        k++;
                    }
                    if (v == 0 || v > 255)
                        return false;
                    sc_buf_putc(out, (char)v);
                } else {
                    sc_buf_putc(out, c);
                }
            }
        }
        return true;
    }
    if (len >= 2 && tok[0] == '$') {
        const char *end = memchr(tok + 1, '$', len - 1);
        if (end == NULL)
            return false;
        size_t taglen = (size_t)(end - tok) + 1;
        if (len < 2 * taglen)
            return false;
        sc_buf_append(out, tok + taglen, len - 2 * taglen);
        return memchr(sc_buf_str(out), '\0', out->len) == NULL;
    }
    return false;
}

void sc_ident_decode(sc_buf *out, const char *tok, size_t len)
{
    sc_buf_reset(out);
    if (len >= 2 && tok[0] == '"') {
        for (size_t i = 1; i + 1 < len; i++) {
            if (tok[i] == '"')
                i++;
            sc_buf_putc(out, tok[i]);
        }
        if (out->data == NULL)
            sc_buf_append(out, "", 0);
        return;
    }
    sc_buf_reserve(out, len);
    for (size_t i = 0; i < len; i++) {
        char c = tok[i];
        sc_buf_putc(out, c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
    }
}
