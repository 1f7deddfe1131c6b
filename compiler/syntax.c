/*
 * Parsing: each source file through the tree-sitter parser, then syntax
 * errors read off the tree.  Tree-sitter keeps going after an error and
 * marks what it could not parse with ERROR nodes and what it had to
 * assume with MISSING nodes; each outermost one becomes a diagnostic that
 * says where, what was found, and what the grammar expected there.
 *
 * Before parsing, a file must be valid UTF-8 without NUL bytes, as
 * PostgreSQL requires of names and strings.
 */
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "ident.h"
#include "util.h"

/* At most this many syntax errors are reported per file. */
#define MAX_ERRORS_PER_FILE 50

const char *sc_node_text(const sc_unit *u, TSNode n, size_t *len)
{
    uint32_t start = ts_node_start_byte(n), end = ts_node_end_byte(n);
    *len = end - start;
    return u->src->text + start;
}

static sc_loc loc_at(const sc_unit *u, uint32_t byte, TSPoint pt)
{
    sc_loc loc;
    loc.file = u->src->path;
    loc.line = pt.row + 1;
    uint32_t line_start = byte >= pt.column ? byte - pt.column : 0;
    loc.col = (uint32_t)sc_utf8_width(u->src->text + line_start, byte - line_start) + 1;
    loc.offset = byte;
    return loc;
}

sc_loc sc_node_loc(const sc_unit *u, TSNode n)
{
    return loc_at(u, ts_node_start_byte(n), ts_node_start_point(n));
}

uint32_t sc_node_span(const sc_unit *u, TSNode n)
{
    size_t len;
    const char *s = sc_node_text(u, n, &len);
    const char *nl = memchr(s, '\n', len);
    if (nl != NULL)
        len = (size_t)(nl - s);
    size_t w = sc_utf8_width(s, len);
    return w == 0 ? 1 : (uint32_t)(w > 200 ? 200 : w);
}

#define SEQUENCE_OPTIONS                                                                       \
    "a sequence option (as, increment by, minvalue, maxvalue, start with, cache, cycle, owned " \
    "by table.column, comment)"

#define COLLATION_OPTIONS                                                                      \
    "collation options as name = value (provider, locale, lc_collate, lc_ctype, deterministic)"

/* What the grammar expects inside a node of the given type, in words. */
static const char *expectation(const char *parent)
{
    static const struct {
        const char *type;
        const char *words;
    } table[] = {
        {"source_file",
         "a declaration (schema, extension, collation, enum, sequence or table)"},
        {"table_declaration", "a column, a table constraint, an index, a comment or '}'"},
        {"column_definition", "a column attribute (not null, default, primary key, unique, "
                              "references, check, generated, collate, renamed from, comment)"},
        {"column_constraint", "primary key, unique, references or check"},
        {"table_constraint", "primary key, unique, foreign key or check"},
        {"type", "a type name"},
        {"type_modifiers", "a type modifier"},
        {"index_definition", "an index key, using, include, nulls not distinct or where"},
        {"index_key", "collate, an operator class, asc, desc or nulls first/last"},
        {"enum_declaration", "a quoted enum label"},
        {"enum_label", "a quoted enum label"},
        {"references", "a referenced table, columns, or on delete/on update/deferrable"},
        {"foreign_key_constraint", "references, columns, or on delete/on update/deferrable"},
        {"identity", "sequence options (start with, increment by, ...)"},
        {"check", "an expression in parentheses"},
        {"default", "an expression"},
        {"schema_declaration", "a schema name"},
        {"extension_declaration", "an extension name, with schema, version or comment"},
        {"sequence_declaration", SEQUENCE_OPTIONS},
        {"collation_declaration", COLLATION_OPTIONS ", separated by commas"},
        {"collation_option", "'=' and the option's value"},
        {"sequence_type", "smallint, integer or bigint"},
        {"owned_by", "table.column or none"},
        {"start_with", "a number"},
        {"increment_by", "a number"},
        {"minvalue", "a number"},
        {"maxvalue", "a number"},
        {"cache", "a number"},
    };
    for (size_t i = 0; i < SC_ARRAY_LEN(table); i++)
        if (strcmp(parent, table[i].type) == 0)
            return table[i].words;
    return "an expression";
}

/* First leaf token in an ERROR node, for "unexpected X". */
static TSNode first_leaf(TSNode n)
{
    while (ts_node_child_count(n) > 0)
        n = ts_node_child(n, 0);
    return n;
}

static bool is_name_node(const char *type)
{
    return strcmp(type, "identifier") == 0 || strcmp(type, "quoted_identifier") == 0 ||
           strcmp(type, "object_name") == 0;
}

/* True for a complete declaration node (schema_declaration, ...). */
static bool is_declaration(TSNode n)
{
    const char *t = ts_node_type(n);
    size_t len = strlen(t);
    return ts_node_is_named(n) && len > 12 && strcmp(t + len - 12, "_declaration") == 0;
}

/*
 * When a declaration's header is fine but what follows is not (`table t
 * (`), tree-sitter wraps the whole declaration in one ERROR node.  Point
 * at the first token after the valid `keyword name` header instead of at
 * the keyword, and say what the header wanted next.  Recovery may also
 * take complete declarations before it into the ERROR (they are skipped),
 * or put the header alone in one ERROR and the rest in the next one; then
 * the two are one mistake, reported at the start of the second, which is
 * returned in `merged` so that it is not reported again.
 */
static TSNode skip_valid_header(TSNode err, const char **expected, TSNode *merged)
{
    TSNode outer = err;
    /* Recovery may nest the broken declaration in a further ERROR. */
    while (ts_node_child_count(err) > 0 && ts_node_symbol(ts_node_child(err, 0)) == (TSSymbol)-1)
        err = ts_node_child(err, 0);
    uint32_t n = ts_node_child_count(err), first = 0;
    while (first < n && is_declaration(ts_node_child(err, first)))
        first++;
    if (first == n || n - first < 2)
        return first_leaf(first < n ? ts_node_child(err, first) : err);
    TSNode kwnode = ts_node_child(err, first);
    const char *kw = ts_node_type(kwnode);
    const char *want = strcmp(kw, "table") == 0 ? "'{' or renamed from"
                       : strcmp(kw, "enum") == 0 ? "'(' with the enum's labels"
                       : strcmp(kw, "collation") == 0 ? "'(' with " COLLATION_OPTIONS
                       : strcmp(kw, "schema") == 0 || strcmp(kw, "extension") == 0
                           ? "a new declaration"
                           : NULL;
    if (want == NULL || ts_node_is_named(kwnode))
        return first_leaf(kwnode);
    uint32_t i = first + 1;
    while (i < n) {
        TSNode c = ts_node_child(err, i);
        const char *t = ts_node_type(c);
        if (is_name_node(t) || strcmp(t, ".") == 0)
            i++;
        else
            break;
    }
    if (i == n && i > first + 1) {
        TSNode next = ts_node_next_sibling(outer);
        if (!ts_node_is_null(next) && ts_node_symbol(next) == (TSSymbol)-1) {
            *merged = next;
            *expected = want;
            return first_leaf(next);
        }
    }
    if (i == first + 1 || i >= n)
        return first_leaf(kwnode);
    /* A collation's '(' is fine: the mistake is in the first option, a
     * name without '=' or no option at all. */
    if (strcmp(kw, "collation") == 0 && strcmp(ts_node_type(ts_node_child(err, i)), "(") == 0) {
        i++;
        if (i + 1 < n && is_name_node(ts_node_type(ts_node_child(err, i)))) {
            *expected = "'=' and the option's value";
            return first_leaf(ts_node_child(err, i + 1));
        }
        *expected = COLLATION_OPTIONS;
        return first_leaf(i < n ? ts_node_child(err, i) : ts_node_child(err, n - 1));
    }
    *expected = want;
    return first_leaf(ts_node_child(err, i));
}

/* Words for a node the parser had to assume. */
static const char *missing_words(const char *type)
{
    if (strcmp(type, "identifier") == 0)
        return "a name";
    if (strcmp(type, "number") == 0)
        return "a number";
    if (strcmp(type, "string") == 0)
        return "a string";
    return type;
}

/*
 * `cur` stands on a MISSING node.  When that node stands for the type of
 * a column whose name is an unquoted reserved word, the "column" is most
 * likely a keyword in the wrong place (`check (...) deferrable`, `comment
 * '...' deferrable`): returns the name's node, to be reported as
 * unexpected.  Otherwise returns a null node.
 */
static TSNode misplaced_keyword(const sc_unit *u, const TSTreeCursor *cur)
{
    TSNode null = {{0, 0, 0, 0}, NULL, NULL};
    TSTreeCursor up = ts_tree_cursor_copy(cur);
    static const char *const parents[] = {"object_name", "type", "column_definition"};
    bool ok = true;
    for (size_t i = 0; i < SC_ARRAY_LEN(parents) && ok; i++)
        ok = ts_tree_cursor_goto_parent(&up) &&
             strcmp(ts_node_type(ts_tree_cursor_current_node(&up)), parents[i]) == 0;
    TSNode col = ts_tree_cursor_current_node(&up);
    ts_tree_cursor_delete(&up);
    if (!ok)
        return null;
    TSNode name = ts_node_child_by_field_name(col, "name", 4);
    if (ts_node_is_null(name) || strcmp(ts_node_type(name), "identifier") != 0)
        return null;
    size_t len;
    const char *s = sc_node_text(u, name, &len);
    char word[32];
    if (len >= sizeof word)
        return null;
    for (size_t i = 0; i < len; i++)
        word[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    word[len] = '\0';
    return sc_ident_is_reserved(word) ? name : null;
}

static void describe_token(const sc_unit *u, TSNode leaf, char *out, size_t size)
{
    size_t len;
    const char *s = sc_node_text(u, leaf, &len);
    const char *nl = memchr(s, '\n', len);
    if (nl != NULL)
        len = (size_t)(nl - s);
    if (len == 0) {
        snprintf(out, size, "end of file");
        return;
    }
    if (len > 40)
        len = sc_utf8_clip(s, len, 40);
    /* Show the token without bytes that would garble a terminal. */
    char tok[64];
    size_t k = 0;
    for (size_t i = 0; i < len && k + 1 < sizeof tok; i++) {
        unsigned char c = (unsigned char)s[i];
        tok[k++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    tok[k] = '\0';
    if (tok[0] == '\'' || tok[0] == '"')
        snprintf(out, size, "%s", tok);
    else
        snprintf(out, size, "'%s'", tok);
}

static void report_syntax(sc_compiler *c, const sc_unit *u)
{
    TSNode root = ts_tree_root_node(u->tree);
    if (!ts_node_has_error(root))
        return;
    size_t nerr = 0;
    TSTreeCursor cur = ts_tree_cursor_new(root);
    bool descend = true;
    uint32_t skip_byte = UINT32_MAX;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&cur);
        if (descend && ts_node_symbol(n) == (TSSymbol)-1 && ts_node_start_byte(n) == skip_byte) {
            descend = false; /* the second half of an error already reported */
        } else if (descend && (ts_node_symbol(n) == (TSSymbol)-1 || ts_node_is_missing(n))) {
            if (++nerr > MAX_ERRORS_PER_FILE) {
                sc_loc loc = sc_node_loc(u, n);
                sc_error(&c->diags, &loc, 1, "too many syntax errors; giving up on this file");
                break;
            }
            /* The cursor knows the parent; ts_node_parent() can miss it
             * for zero-width MISSING nodes. */
            TSTreeCursor up = ts_tree_cursor_copy(&cur);
            const char *ptype = "source_file";
            if (ts_tree_cursor_goto_parent(&up))
                ptype = ts_node_type(ts_tree_cursor_current_node(&up));
            ts_tree_cursor_delete(&up);
            sc_loc loc = sc_node_loc(u, n);
            TSNode word = {{0, 0, 0, 0}, NULL, NULL};
            if (ts_node_is_missing(n))
                word = misplaced_keyword(u, &cur);
            if (!ts_node_is_null(word)) {
                char tok[96];
                describe_token(u, word, tok, sizeof tok);
                sc_loc wloc = sc_node_loc(u, word);
                sc_error(&c->diags, &wloc, sc_node_span(u, word), "unexpected %s; expected %s",
                         tok, expectation("table_declaration"));
            } else if (ts_node_is_missing(n)) {
                const char *what = ts_node_type(n);
                bool in_expr = strstr(ptype, "expression") != NULL ||
                               strcmp(ptype, "column_reference") == 0;
                if (ts_node_is_named(n) && in_expr)
                    sc_error(&c->diags, &loc, 1, "expected an expression");
                else if (strcmp(ptype, "owned_by") == 0)
                    sc_error(&c->diags, &loc, 1, "expected %s", expectation(ptype));
                else if (strcmp(ptype, "collation_option") == 0 && ts_node_is_named(n))
                    sc_error(&c->diags, &loc, 1, "expected the option's value");
                else if (ts_node_is_named(n))
                    sc_error(&c->diags, &loc, 1, "expected %s", missing_words(what));
                else
                    sc_error(&c->diags, &loc, 1, "expected '%s'", what);
            } else {
                char tok[96];
                const char *expected = expectation(ptype);
                TSNode merged = {{0, 0, 0, 0}, NULL, NULL};
                TSNode leaf = strcmp(ptype, "source_file") == 0
                                  ? skip_valid_header(n, &expected, &merged)
                                  : first_leaf(n);
                if (!ts_node_is_null(merged))
                    skip_byte = ts_node_start_byte(merged);
                /* Right after a sequence, what does not parse is most
                 * often a misspelled or incomplete option of it. */
                TSNode prev = ts_node_prev_sibling(n);
                if (strcmp(ptype, "source_file") == 0 && expected == expectation(ptype) &&
                    !ts_node_is_null(prev) &&
                    strcmp(ts_node_type(prev), "sequence_declaration") == 0)
                    expected = SEQUENCE_OPTIONS " or a new declaration";
                describe_token(u, leaf, tok, sizeof tok);
                sc_loc lloc = sc_node_loc(u, leaf);
                sc_error(&c->diags, &lloc, sc_node_span(u, leaf), "unexpected %s; expected %s",
                         tok, expected);
            }
            descend = false; /* errors inside an error are not reported */
        }
        if (descend && ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&cur))
            continue;
        descend = true;
        while (!ts_tree_cursor_goto_next_sibling(&cur)) {
            if (!ts_tree_cursor_goto_parent(&cur))
                goto done;
        }
    }
done:
    ts_tree_cursor_delete(&cur);
}

int sc_compiler_parse(sc_compiler *c)
{
    size_t before = c->diags.nerrors;
    c->units = sc_xcalloc(c->sources.n == 0 ? 1 : c->sources.n, sizeof *c->units);
    c->nunits = 0;
    for (size_t i = 0; i < c->sources.n; i++) {
        sc_source *src = c->sources.items[i];
        size_t bad;
        if (!sc_utf8_valid(src->text, src->len, &bad)) {
            /* Locate the bad byte by line and column. */
            uint32_t line = 1;
            size_t line_start = 0;
            for (size_t k = 0; k < bad; k++)
                if (src->text[k] == '\n') {
                    line++;
                    line_start = k + 1;
                }
            sc_loc loc = {src->path, line,
                          (uint32_t)sc_utf8_width(src->text + line_start, bad - line_start) + 1,
                          (uint32_t)bad};
            if (src->text[bad] == '\0')
                sc_error(&c->diags, &loc, 1, "NUL byte in schema file");
            else
                sc_error(&c->diags, &loc, 1, "invalid UTF-8 (byte 0x%02x)",
                         (unsigned char)src->text[bad]);
            continue;
        }
        if (src->len > UINT32_MAX / 2) {
            sc_error(&c->diags, NULL, 0, "%s is too large", src->path);
            continue;
        }
        TSTree *tree = ts_parser_parse_string(c->parser, NULL, src->text, (uint32_t)src->len);
        if (tree == NULL) {
            sc_error(&c->diags, NULL, 0, "%s could not be parsed", src->path);
            continue;
        }
        sc_unit *u = &c->units[c->nunits++];
        u->src = src;
        u->tree = tree;
        report_syntax(c, u);
    }
    return c->diags.nerrors > before ? -1 : 0;
}
