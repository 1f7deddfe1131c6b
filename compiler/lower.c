/*
 * Lowering: the concrete syntax tree of each file into the model.
 *
 * One routine per node kind, in the manner of SQLite's grammar actions:
 * lower_table() handles a table_declaration, lower_column() a
 * column_definition, lower_sequence() a sequence_declaration,
 * lower_collation() a collation_declaration, and so on.
 * Lowering decodes names (folding unquoted ones to lower case), strings
 * and numbers, spells types canonically (types.c), canonicalises
 * expression text (sc_expr_canon) and reports what a single declaration
 * can get wrong on its own: names over 63 bytes, attributes written twice
 * or in conflict, sequence and collation options PostgreSQL would reject.
 * What needs the whole schema (unknown types, references, duplicates,
 * default names) is left to check.c.
 *
 * Children are read through one reusable tree cursor into small arrays,
 * never with ts_node_child(i) in a loop, which costs O(i) per call and
 * would make a table of 100,000 columns quadratic.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "ident.h"
#include "naming.h"
#include "types.h"
#include "util.h"

/* Children of one node with their field ids. */
typedef struct kids {
    TSNode *nodes;
    TSFieldId *fields;
    uint32_t n, cap;
    TSNode small_nodes[16];
    TSFieldId small_fields[16];
} kids;

/* State of lowering one file. */
typedef struct lower {
    sc_compiler *c;
    sc_unit *u;
    sc_model *m;
    const sc_syms *s;
    TSTreeCursor cursor;
    sc_buf tmp;
    /* trivia anchors (fmt only) */
    struct anchor *decls;
    size_t ndecls, capdecls;
} lower;

/* An object that source comments may attach to. */
typedef struct anchor {
    uint32_t start, end, start_row, end_row;
    sc_trivia *trivia;
    struct anchor *entries; /* for a table: its entries */
    size_t nentries, capentries;
    sc_trivia *footer; /* for a table: comments before '}' */
} anchor;

static void kids_init(kids *k)
{
    k->nodes = k->small_nodes;
    k->fields = k->small_fields;
    k->n = 0;
    k->cap = SC_ARRAY_LEN(k->small_nodes);
}

static void kids_free(kids *k)
{
    if (k->nodes != k->small_nodes) {
        free(k->nodes);
        free(k->fields);
    }
}

/* Reads the children of `n` (named and anonymous, comments skipped). */
static void get_kids(lower *L, TSNode n, kids *k)
{
    kids_init(k);
    ts_tree_cursor_reset(&L->cursor, n);
    if (!ts_tree_cursor_goto_first_child(&L->cursor))
        return;
    do {
        TSNode child = ts_tree_cursor_current_node(&L->cursor);
        TSSymbol sym = ts_node_symbol(child);
        if (sym == L->s->line_comment || sym == L->s->block_comment)
            continue;
        if (k->n == k->cap) {
            uint32_t cap = k->cap * 2;
            if (k->nodes == k->small_nodes) {
                k->nodes = sc_xmalloc(cap * sizeof *k->nodes);
                k->fields = sc_xmalloc(cap * sizeof *k->fields);
                memcpy(k->nodes, k->small_nodes, sizeof k->small_nodes);
                memcpy(k->fields, k->small_fields, sizeof k->small_fields);
            } else {
                k->nodes = sc_xrealloc(k->nodes, cap * sizeof *k->nodes);
                k->fields = sc_xrealloc(k->fields, cap * sizeof *k->fields);
            }
            k->cap = cap;
        }
        k->nodes[k->n] = child;
        k->fields[k->n] = ts_tree_cursor_current_field_id(&L->cursor);
        k->n++;
    } while (ts_tree_cursor_goto_next_sibling(&L->cursor));
}

/* First child with field `f`, or a null node. */
static TSNode kid(const kids *k, TSFieldId f)
{
    for (uint32_t i = 0; i < k->n; i++)
        if (k->fields[i] == f)
            return k->nodes[i];
    TSNode null = {{0, 0, 0, 0}, NULL, NULL};
    return null;
}

/* First child of symbol `sym`, or a null node. */
static TSNode kid_sym(const kids *k, TSSymbol sym)
{
    for (uint32_t i = 0; i < k->n; i++)
        if (ts_node_symbol(k->nodes[i]) == sym)
            return k->nodes[i];
    TSNode null = {{0, 0, 0, 0}, NULL, NULL};
    return null;
}

static sc_loc loc_of(lower *L, TSNode n)
{
    return sc_node_loc(L->u, n);
}

static void error_at(lower *L, TSNode n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void error_at(lower *L, TSNode n, const char *fmt, ...)
{
    sc_buf b = SC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    sc_loc loc = loc_of(L, n);
    sc_error(&L->c->diags, &loc, sc_node_span(L->u, n), "%s", sc_buf_str(&b));
    sc_buf_free(&b);
}

/* Lower-cased text of a keyword node. */
static bool text_is(lower *L, TSNode n, const char *word)
{
    size_t len;
    const char *s = sc_node_text(L->u, n, &len);
    if (len != strlen(word))
        return false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch + 32);
        if (ch != word[i])
            return false;
    }
    return true;
}

/*
 * Decodes an identifier node into the model's arena.  Quoted names keep
 * their case; empty quoted names and names over 63 bytes are errors (the
 * name is still returned, so lowering can go on).
 */
static char *name_of(lower *L, TSNode n)
{
    size_t len;
    const char *s = sc_node_text(L->u, n, &len);
    sc_ident_decode(&L->tmp, s, len);
    if (L->tmp.len == 0)
        error_at(L, n, "zero-length delimited identifier");
    else if (L->tmp.len > SC_NAMEDATALEN - 1)
        error_at(L, n, "name is %zu bytes long; PostgreSQL names hold at most 63 bytes",
                 L->tmp.len);
    return sc_arena_strndup(L->m->arena, sc_buf_str(&L->tmp), L->tmp.len);
}

/*
 * Decodes the name of something a declaration creates or a type it uses.
 * An unquoted reserved word there is an error, as in PostgreSQL: it
 * usually means an expression ran on (`default x is null` needs
 * parentheses) and the parser took the rest for a new column.
 */
static char *decl_name_of(lower *L, TSNode n)
{
    char *name = name_of(L, n);
    if (ts_node_symbol(n) == L->s->identifier && sc_ident_is_reserved(name))
        error_at(L, n, "%s is a reserved word; write \"%s\" to use it as a name, or put "
                       "parentheses around an expression before it",
                 name, name);
    return name;
}

/* Decodes an object_name node into schema (NULL when unqualified) and
 * name; `quoted` (may be NULL) tells whether the name was quoted. */
static void object_name_q(lower *L, TSNode n, char **schema, char **name, bool *quoted)
{
    kids k;
    get_kids(L, n, &k);
    TSNode sn = kid(&k, L->s->f_schema), nn = kid(&k, L->s->f_name);
    *schema = ts_node_is_null(sn) ? NULL : decl_name_of(L, sn);
    *name = ts_node_is_null(nn) ? sc_arena_strdup(L->m->arena, "") : decl_name_of(L, nn);
    if (quoted != NULL)
        *quoted = !ts_node_is_null(nn) && ts_node_symbol(nn) == L->s->quoted_identifier;
    kids_free(&k);
}

static void object_name_of(lower *L, TSNode n, char **schema, char **name)
{
    object_name_q(L, n, schema, name, NULL);
}

/* Decodes a string-literal node; reports and returns NULL when it is not text. */
static char *string_of(lower *L, TSNode n)
{
    if (ts_node_symbol(n) == L->s->bit_string) {
        error_at(L, n, "expected a string, not a bit string");
        return NULL;
    }
    size_t len;
    const char *s = sc_node_text(L->u, n, &len);
    if (!sc_string_decode(&L->tmp, s, len)) {
        error_at(L, n, "invalid string literal");
        return NULL;
    }
    if (memchr(sc_buf_str(&L->tmp), '\0', L->tmp.len) != NULL) {
        error_at(L, n, "string holds a NUL character");
        return NULL;
    }
    return sc_arena_strndup(L->m->arena, sc_buf_str(&L->tmp), L->tmp.len);
}

/* The text of a comment_clause node (NULL for a null node or a bad string). */
static char *comment_clause_of(lower *L, TSNode clause)
{
    if (ts_node_is_null(clause))
        return NULL;
    kids k;
    get_kids(L, clause, &k);
    TSNode tx = kid(&k, L->s->f_text);
    char *r = ts_node_is_null(tx) ? NULL : string_of(L, tx);
    kids_free(&k);
    return r;
}

/* Canonical text of an expression node. */
static char *expr_of(lower *L, TSNode n)
{
    size_t len;
    const char *s = sc_node_text(L->u, n, &len);
    sc_buf_reset(&L->tmp);
    sc_expr_canon(&L->tmp, s, len);
    return sc_arena_strndup(L->m->arena, sc_buf_str(&L->tmp), L->tmp.len);
}

static char **names_of_list(lower *L, TSNode list, size_t *n)
{
    kids k;
    get_kids(L, list, &k);
    char **out = sc_arena_alloc(L->m->arena, (k.n == 0 ? 1 : k.n) * sizeof *out);
    *n = 0;
    for (uint32_t i = 0; i < k.n; i++) {
        TSSymbol sym = ts_node_symbol(k.nodes[i]);
        if (sym == L->s->identifier || sym == L->s->quoted_identifier)
            out[(*n)++] = name_of(L, k.nodes[i]);
    }
    kids_free(&k);
    return out;
}

/* Parses a signed_number node as an int64; reports overflow. */
static bool int_of(lower *L, TSNode n, int64_t *out)
{
    size_t len;
    const char *s = sc_node_text(L->u, n, &len);
    char buf[64];
    size_t k = 0;
    for (size_t i = 0; i < len && k + 1 < sizeof buf; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '+')
            buf[k++] = s[i];
    buf[k] = '\0';
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (errno != 0 || *end != '\0' || k == 0) {
        error_at(L, n, "expected an integer between -9223372036854775808 and 9223372036854775807");
        return false;
    }
    *out = v;
    return true;
}

/* ------------------------------------------------------------ trivia */

/* Adds an anchor covering the nodes from `first` to `last`. */
static anchor *add_anchor(lower *L, anchor **arr, size_t *n, size_t *cap, TSNode first,
                          TSNode last, sc_trivia *trivia)
{
    if (*n == *cap) {
        *cap = *cap == 0 ? 16 : *cap * 2;
        *arr = sc_xrealloc(*arr, *cap * sizeof **arr);
    }
    anchor *a = &(*arr)[(*n)++];
    memset(a, 0, sizeof *a);
    a->start = ts_node_start_byte(first);
    a->end = ts_node_end_byte(last);
    a->start_row = ts_node_start_point(first).row;
    a->end_row = ts_node_end_point(last).row;
    a->trivia = trivia;
    (void)L;
    return a;
}

static anchor *decl_anchor(lower *L, TSNode node, sc_trivia *trivia)
{
    if (!L->c->keep_trivia)
        return NULL;
    return add_anchor(L, &L->decls, &L->ndecls, &L->capdecls, node, node, trivia);
}

/* An entry of a table spanning the nodes from `first` to `last`. */
static void entry_anchor_span(lower *L, anchor *table, TSNode first, TSNode last,
                              sc_trivia *trivia)
{
    if (table != NULL)
        add_anchor(L, &table->entries, &table->nentries, &table->capentries, first, last, trivia);
}

static void entry_anchor(lower *L, anchor *table, TSNode node, sc_trivia *trivia)
{
    entry_anchor_span(L, table, node, node, trivia);
}

static void add_trail(lower *L, sc_trivia *t, const char *text)
{
    if (t->trail == NULL)
        t->trail = sc_arena_strdup(L->m->arena, text);
    else
        t->trail = sc_arena_printf(L->m->arena, "%s %s", t->trail, text);
}

/* Index of the last anchor starting at or before `pos`, or -1. */
static ptrdiff_t last_before(const anchor *a, size_t n, uint32_t pos)
{
    ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, found = -1;
    while (lo <= hi) {
        ptrdiff_t mid = (lo + hi) / 2;
        if (a[mid].start <= pos) {
            found = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return found;
}

/*
 * Places one comment: inside an entry or a one-line declaration it moves
 * above that object; between the entries of a table it stays at the end
 * of the line of the entry before it, or goes above the entry after it,
 * or before the closing brace; at top level likewise between declarations,
 * or at the end of the file.
 */
/* Adds a comment above an object, noting whether a blank line stood
 * between the comment (ending on row `end_row`) and the object. */
static void add_lead(lower *L, anchor *a, uint32_t end_row, const char *text)
{
    sc_trivia_add_lead(L->m, a->trivia, text);
    a->trivia->blank_after_lead = a->start_row > end_row + 1;
}

static void place_comment(lower *L, sc_file_footer *footer, uint32_t pos, uint32_t row,
                          const char *text)
{
    uint32_t end_row = row;
    for (const char *p = text; *p != '\0'; p++)
        end_row += *p == '\n';
    ptrdiff_t d = last_before(L->decls, L->ndecls, pos);
    if (d >= 0 && pos < L->decls[d].end) {
        anchor *t = &L->decls[d];
        if (t->footer == NULL) { /* not a table: move above the declaration */
            sc_trivia_add_lead(L->m, t->trivia, text);
            return;
        }
        ptrdiff_t e = last_before(t->entries, t->nentries, pos);
        if (e >= 0 && pos < t->entries[e].end) {
            sc_trivia_add_lead(L->m, t->entries[e].trivia, text);
            return;
        }
        if (e >= 0 && t->entries[e].end_row == row) {
            add_trail(L, t->entries[e].trivia, text);
            return;
        }
        if (e < 0 && t->start_row == row) {
            add_trail(L, t->trivia, text);
            return;
        }
        if ((size_t)(e + 1) < t->nentries)
            add_lead(L, &t->entries[e + 1], end_row, text);
        else
            sc_trivia_add_lead(L->m, t->footer, text);
        return;
    }
    if (d >= 0 && L->decls[d].end_row == row) {
        add_trail(L, L->decls[d].trivia, text);
        return;
    }
    if ((size_t)(d + 1) < L->ndecls)
        add_lead(L, &L->decls[d + 1], end_row, text);
    else
        sc_trivia_add_lead(L->m, &footer->trivia, text);
}

/* Line breaks in s[from, to). */
static uint32_t count_rows(const char *s, size_t from, size_t to)
{
    uint32_t n = 0;
    for (const char *p = s + from; (p = memchr(p, '\n', (size_t)(s + to - p))) != NULL; p++)
        n++;
    return n;
}

/*
 * Finds the file's comments by scanning its text as the lexer does
 * (sc_sql_span skips strings, quoted names and dollar strings), which is
 * far cheaper than walking every node of the tree, and places each one.
 * Only called for files that parsed without errors.
 */
static void collect_comments(lower *L)
{
    sc_file_footer *footer = sc_arena_alloc(L->m->arena, sizeof *footer);
    footer->file = L->u->src->path;
    SC_PUSH(L->m->arena, L->m->footers, L->m->nfooters, L->m->capfooters, footer);

    const char *s = L->u->src->text;
    size_t len = L->u->src->len, i = 0;
    uint32_t row = 0;
    while (i < len) {
        size_t end;
        sc_span_kind kind = sc_sql_span(s, len, i, &end);
        if (kind == SC_SPAN_NONE) {
            row += s[i] == '\n';
            i++;
            continue;
        }
        if (kind == SC_SPAN_LINE_COMMENT || kind == SC_SPAN_BLOCK_COMMENT) {
            size_t e = end;
            while (e > i && (s[e - 1] == '\r' || s[e - 1] == ' ' || s[e - 1] == '\t'))
                e--;
            char *text = sc_xstrndup(s + i, e - i);
            place_comment(L, footer, (uint32_t)i, row, text);
            free(text);
        }
        row += count_rows(s, i, end);
        i = end;
    }
}

/* -------------------------------------------------------------- types */

/*
 * Spells a type node canonically into the column.  Built-in types are
 * normalised here; other names are queued for the checker, which knows
 * the schema's enums and extensions.
 */
static void lower_type(lower *L, sc_table *t, sc_column *col, TSNode type)
{
    const sc_syms *s = L->s;
    kids k;
    get_kids(L, type, &k);
    sc_type_spec spec = {0};
    char *mods[8];
    size_t nmods = 0;
    sc_buf words = SC_BUF_INIT, fields = SC_BUF_INIT, suffix = SC_BUF_INIT;
    char *schema = NULL, *name = NULL;

    TSNode nm = kid(&k, s->f_name);
    if (!ts_node_is_null(nm) && ts_node_symbol(nm) == s->object_name) {
        object_name_q(L, nm, &schema, &name, &spec.quoted);
        spec.schema = schema;
        spec.name = name;
    } else if (!ts_node_is_null(nm)) {
        kids wk;
        get_kids(L, nm, &wk);
        for (uint32_t i = 0; i < wk.n; i++) {
            TSNode w = wk.nodes[i];
            size_t len;
            const char *txt = sc_node_text(L->u, w, &len);
            sc_buf *dst = ts_node_symbol(w) == s->interval_fields ? &fields : &words;
            if (dst->len > 0)
                sc_buf_putc(dst, ' ');
            sc_expr_canon(dst, txt, len);
        }
        kids_free(&wk);
        spec.name = sc_buf_str(&words);
        spec.interval_fields = fields.len > 0 ? sc_buf_str(&fields) : NULL;
    }

    for (uint32_t i = 0; i < k.n; i++) {
        TSNode c = k.nodes[i];
        if (k.fields[i] == s->f_modifiers) {
            kids mk;
            get_kids(L, c, &mk);
            for (uint32_t j = 0; j < mk.n; j++) {
                TSSymbol sym = ts_node_symbol(mk.nodes[j]);
                if (sym == ts_node_symbol(c) || !ts_node_is_named(mk.nodes[j]))
                    continue;
                if (nmods < SC_ARRAY_LEN(mods)) {
                    size_t len;
                    const char *txt = sc_node_text(L->u, mk.nodes[j], &len);
                    sc_buf_reset(&L->tmp);
                    sc_expr_canon(&L->tmp, txt, len);
                    const char *v = sc_buf_str(&L->tmp);
                    if (v[0] == '+')
                        v++;
                    mods[nmods++] = sc_xstrdup(v);
                }
            }
            kids_free(&mk);
        } else if (k.fields[i] == s->f_time_zone) {
            kids tk;
            get_kids(L, c, &tk);
            spec.time_zone = tk.n > 0 && text_is(L, tk.nodes[0], "with") ? 1 : -1;
            kids_free(&tk);
        } else if (k.fields[i] == s->f_array) {
            spec.array_dims++;
        }
    }
    spec.mods = (const char *const *)mods;
    spec.nmods = nmods;

    sc_buf canon = SC_BUF_INIT;
    int serial = 0;
    const char *err = NULL;
    switch (sc_type_canonical(&spec, &canon, &serial, &err)) {
    case SC_TYPE_BUILTIN:
        col->type = sc_arena_strndup(L->m->arena, sc_buf_str(&canon), canon.len);
        col->serial = serial;
        break;
    case SC_TYPE_BAD:
        error_at(L, type, "%s", err);
        col->type = sc_arena_strdup(L->m->arena, spec.name);
        break;
    case SC_TYPE_UNKNOWN:
        if (spec.time_zone != 0 || spec.interval_fields != NULL || name == NULL) {
            error_at(L, type, "unknown type \"%s\"", spec.name);
            col->type = sc_arena_strdup(L->m->arena, spec.name);
            break;
        }
        if (nmods > 0) {
            sc_buf_putc(&suffix, '(');
            for (size_t i = 0; i < nmods; i++) {
                if (i > 0)
                    sc_buf_putc(&suffix, ',');
                sc_buf_puts(&suffix, mods[i]);
            }
            sc_buf_putc(&suffix, ')');
        }
        if (spec.array_dims > 0)
            sc_buf_puts(&suffix, "[]");
        sc_pending_type pt = {col, t, schema, name,
                              sc_arena_strndup(L->m->arena, sc_buf_str(&suffix), suffix.len),
                              loc_of(L, type), sc_node_span(L->u, type)};
        if (L->c->npending == L->c->cappending) {
            L->c->cappending = L->c->cappending == 0 ? 16 : L->c->cappending * 2;
            L->c->pending = sc_xrealloc(L->c->pending, L->c->cappending * sizeof *L->c->pending);
        }
        L->c->pending[L->c->npending++] = pt;
        /* Provisional spelling; the checker settles the schema. */
        sc_buf_reset(&canon);
        sc_ident_append_qualified(&canon, schema, name);
        sc_buf_puts(&canon, sc_buf_str(&suffix));
        col->type = sc_arena_strndup(L->m->arena, sc_buf_str(&canon), canon.len);
        break;
    }
    for (size_t i = 0; i < nmods; i++)
        free(mods[i]);
    sc_buf_free(&canon);
    sc_buf_free(&words);
    sc_buf_free(&fields);
    sc_buf_free(&suffix);
    kids_free(&k);
}

/* ------------------------------------------------------- constraints */

static char action_of(lower *L, TSNode n, sc_constraint *con, bool on_delete)
{
    kids k;
    get_kids(L, n, &k);
    char a = SC_FK_NO_ACTION;
    if (k.n > 0) {
        if (text_is(L, k.nodes[0], "cascade"))
            a = SC_FK_CASCADE;
        else if (text_is(L, k.nodes[0], "restrict"))
            a = SC_FK_RESTRICT;
        else if (text_is(L, k.nodes[0], "set"))
            a = k.n > 1 && text_is(L, k.nodes[1], "null") ? SC_FK_SET_NULL : SC_FK_SET_DEFAULT;
    }
    TSNode cols = kid_sym(&k, L->s->column_list);
    if (!ts_node_is_null(cols)) {
        if (!on_delete)
            error_at(L, cols, "a column list is only allowed for on delete set null/set default");
        else
            con->delete_columns = names_of_list(L, cols, &con->ndelete_columns);
    }
    kids_free(&k);
    return a;
}

/* Foreign key options shared by `references` and `foreign key`. */
static void lower_fk_options(lower *L, const kids *k, sc_constraint *con)
{
    const sc_syms *s = L->s;
    bool seen_match = false, seen_del = false, seen_upd = false, seen_def = false, seen_nv = false;
    for (uint32_t i = 0; i < k->n; i++) {
        TSNode n = k->nodes[i];
        TSSymbol sym = ts_node_symbol(n);
        bool *seen = sym == s->match         ? &seen_match
                     : sym == s->on_delete   ? &seen_del
                     : sym == s->on_update   ? &seen_upd
                     : sym == s->deferrable || sym == s->not_deferrable ? &seen_def
                     : sym == s->not_valid   ? &seen_nv
                                             : NULL;
        if (seen == NULL)
            continue;
        if (*seen) {
            error_at(L, n, "foreign key option written twice");
            continue;
        }
        *seen = true;
        kids ok;
        get_kids(L, n, &ok);
        if (sym == s->match) {
            TSNode kind = kid(&ok, s->f_kind);
            if (!ts_node_is_null(kind))
                con->match = text_is(L, kind, "full")     ? SC_MATCH_FULL
                             : text_is(L, kind, "partial") ? SC_MATCH_PARTIAL
                                                           : SC_MATCH_SIMPLE;
            if (con->match == SC_MATCH_PARTIAL)
                error_at(L, n, "match partial is not implemented by PostgreSQL");
        } else if (sym == s->on_delete || sym == s->on_update) {
            TSNode act = kid(&ok, s->f_action);
            if (!ts_node_is_null(act)) {
                char a = action_of(L, act, con, sym == s->on_delete);
                if (sym == s->on_delete)
                    con->on_delete = a;
                else
                    con->on_update = a;
            }
        } else if (sym == s->deferrable) {
            con->deferrable = true;
            TSNode ini = kid(&ok, s->f_initially);
            con->initially_deferred = !ts_node_is_null(ini) && text_is(L, ini, "deferred");
        } else if (sym == s->not_valid) {
            con->not_valid = true;
        }
        kids_free(&ok);
    }
}

/*
 * DEFERRABLE [INITIALLY DEFERRED | INITIALLY IMMEDIATE] or NOT DEFERRABLE
 * among the children `k` of a primary key or unique constraint.  The
 * defaults (not deferrable, initially immediate) leave the model as it is.
 */
static void lower_deferrability(lower *L, const kids *k, sc_constraint *con)
{
    TSNode d = kid_sym(k, L->s->deferrable);
    if (ts_node_is_null(d))
        return;
    con->deferrable = true;
    TSNode ini = ts_node_child_by_field_id(d, L->s->f_initially);
    con->initially_deferred = !ts_node_is_null(ini) && text_is(L, ini, "deferred");
}

/*
 * OVERLAPS compares two periods, each a start and an end (or a length):
 * PostgreSQL's parser rejects a row of any other size on either side.
 */
static void check_overlaps(lower *L, TSNode n)
{
    static const char *const sides[] = {"left", "right"};
    uint32_t side = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(n) && side < 2; i++) {
        TSNode row = ts_node_named_child(n, i);
        if (ts_node_symbol(row) != L->s->row_expression)
            continue;
        uint32_t values = 0;
        for (uint32_t j = 0; j < ts_node_named_child_count(row); j++) {
            TSSymbol sym = ts_node_symbol(ts_node_named_child(row, j));
            values += sym != L->s->line_comment && sym != L->s->block_comment;
        }
        if (values != 2)
            error_at(L, row,
                     "the %s side of overlaps has %u value%s; it takes two, a start and an end",
                     sides[side], values, values == 1 ? "" : "s");
        side++;
    }
}

/*
 * Collects the distinct names of the column references in an expression
 * and queues them for the checker, which knows the table's columns.
 * Returns the queued entry.
 */
static sc_check_refs *collect_refs(lower *L, TSNode expr, sc_table *t, const char *what)
{
    char **names = NULL;
    size_t n = 0, cap = 0;
    TSTreeCursor cur = ts_tree_cursor_new(expr);
    for (;;) {
        TSNode node = ts_tree_cursor_current_node(&cur);
        bool descend = true;
        if (ts_node_symbol(node) == L->s->overlaps_expression)
            check_overlaps(L, node);
        if (ts_node_symbol(node) == L->s->column_reference) {
            descend = false;
            /* The last name of a.b.c is the column. */
            uint32_t cc = ts_node_named_child_count(node);
            if (cc > 0) {
                char *name = name_of(L, ts_node_named_child(node, cc - 1));
                bool dup = false;
                for (size_t i = 0; i < n && !dup; i++)
                    dup = strcmp(names[i], name) == 0;
                if (!dup)
                    SC_PUSH(L->m->arena, names, n, cap, name);
            }
        }
        if (descend && ts_tree_cursor_goto_first_child(&cur))
            continue;
        while (!ts_tree_cursor_goto_next_sibling(&cur))
            if (!ts_tree_cursor_goto_parent(&cur))
                goto done;
    }
done:
    ts_tree_cursor_delete(&cur);
    if (L->c->ncheck_refs == L->c->capcheck_refs) {
        L->c->capcheck_refs = L->c->capcheck_refs == 0 ? 16 : L->c->capcheck_refs * 2;
        L->c->check_refs =
            sc_xrealloc(L->c->check_refs, L->c->capcheck_refs * sizeof *L->c->check_refs);
    }
    sc_check_refs *r = &L->c->check_refs[L->c->ncheck_refs++];
    *r = (sc_check_refs){NULL, t, names, n, loc_of(L, expr), what};
    return r;
}

static void lower_check(lower *L, TSNode check, sc_table *t, sc_constraint *con)
{
    kids k;
    get_kids(L, check, &k);
    TSNode e = kid(&k, L->s->f_expression);
    if (!ts_node_is_null(e)) {
        con->expr = expr_of(L, e);
        collect_refs(L, e, t, "check constraint")->con = con;
    }
    for (uint32_t i = 0; i < k.n; i++) {
        TSSymbol sym = ts_node_symbol(k.nodes[i]);
        if (sym == L->s->no_inherit)
            con->no_inherit = true;
        else if (sym == L->s->not_valid)
            con->not_valid = true;
    }
    kids_free(&k);
}

/* `constraint name` prefix, shared by column and table constraints. */
static void constraint_name(lower *L, const kids *k, sc_constraint *con)
{
    TSNode nm = kid(k, L->s->f_name);
    if (!ts_node_is_null(nm))
        con->name = name_of(L, nm);
}

/* A constraint written on a column: primary key, unique, references, check.
 * Returns it, or NULL when the node holds none. */
static sc_constraint *lower_column_constraint(lower *L, TSNode n, sc_table *t, sc_column *col)
{
    const sc_syms *s = L->s;
    kids k;
    get_kids(L, n, &k);
    TSNode body = {{0, 0, 0, 0}, NULL, NULL};
    for (uint32_t i = 0; i < k.n; i++)
        if (ts_node_is_named(k.nodes[i]) && k.fields[i] != s->f_name)
            body = k.nodes[i];
    if (ts_node_is_null(body)) {
        kids_free(&k);
        return NULL;
    }
    TSSymbol sym = ts_node_symbol(body);
    sc_con_kind kind = sym == s->primary_key ? SC_CON_PRIMARY
                       : sym == s->unique    ? SC_CON_UNIQUE
                       : sym == s->references ? SC_CON_FOREIGN
                                              : SC_CON_CHECK;
    sc_constraint *con = sc_table_add_constraint(L->m, t, kind);
    con->loc = loc_of(L, n);
    constraint_name(L, &k, con);
    if (kind != SC_CON_CHECK) {
        con->columns = sc_arena_alloc(L->m->arena, sizeof *con->columns);
        con->columns[0] = col->name;
        con->ncolumns = 1;
    }
    kids bk;
    get_kids(L, body, &bk);
    if (kind == SC_CON_PRIMARY) {
        lower_deferrability(L, &bk, con);
    } else if (kind == SC_CON_UNIQUE) {
        con->nulls_not_distinct = !ts_node_is_null(kid_sym(&bk, s->nulls_not_distinct));
        lower_deferrability(L, &bk, con);
    } else if (kind == SC_CON_FOREIGN) {
        TSNode tbl = kid(&bk, s->f_table), cols = kid(&bk, s->f_columns);
        if (!ts_node_is_null(tbl))
            object_name_of(L, tbl, &con->ref_schema, &con->ref_table);
        if (con->ref_schema == NULL)
            con->ref_schema = sc_arena_strdup(L->m->arena, "public");
        if (!ts_node_is_null(cols))
            con->ref_columns = names_of_list(L, cols, &con->nref_columns);
        lower_fk_options(L, &bk, con);
    } else if (kind == SC_CON_CHECK) {
        lower_check(L, body, t, con);
    }
    kids_free(&bk);
    kids_free(&k);
    return con;
}

/* A table-level constraint entry. */
static void lower_table_constraint(lower *L, TSNode n, sc_table *t, anchor *ta)
{
    const sc_syms *s = L->s;
    kids k;
    get_kids(L, n, &k);
    TSNode body = {{0, 0, 0, 0}, NULL, NULL};
    for (uint32_t i = 0; i < k.n; i++)
        if (ts_node_is_named(k.nodes[i]) && k.fields[i] != s->f_name &&
            k.fields[i] != s->f_comment)
            body = k.nodes[i];
    if (ts_node_is_null(body)) {
        kids_free(&k);
        return;
    }
    TSSymbol sym = ts_node_symbol(body);
    sc_con_kind kind = sym == s->primary_key_constraint   ? SC_CON_PRIMARY
                       : sym == s->unique_constraint      ? SC_CON_UNIQUE
                       : sym == s->foreign_key_constraint ? SC_CON_FOREIGN
                                                          : SC_CON_CHECK;
    sc_constraint *con = sc_table_add_constraint(L->m, t, kind);
    con->loc = loc_of(L, n);
    entry_anchor(L, ta, n, &con->trivia);
    constraint_name(L, &k, con);
    con->comment = comment_clause_of(L, kid(&k, s->f_comment));
    kids bk;
    get_kids(L, body, &bk);
    if (kind == SC_CON_CHECK) {
        lower_check(L, body, t, con);
    } else {
        TSNode cols = kid(&bk, s->f_columns);
        if (!ts_node_is_null(cols))
            con->columns = names_of_list(L, cols, &con->ncolumns);
        TSNode inc = kid_sym(&bk, s->include);
        if (!ts_node_is_null(inc)) {
            kids ik;
            get_kids(L, inc, &ik);
            TSNode ic = kid(&ik, s->f_columns);
            if (!ts_node_is_null(ic))
                con->include = names_of_list(L, ic, &con->ninclude);
            kids_free(&ik);
        }
        con->nulls_not_distinct = !ts_node_is_null(kid_sym(&bk, s->nulls_not_distinct));
        lower_deferrability(L, &bk, con);
        if (kind == SC_CON_FOREIGN) {
            TSNode tbl = kid(&bk, s->f_table), ref = kid(&bk, s->f_referenced);
            if (!ts_node_is_null(tbl))
                object_name_of(L, tbl, &con->ref_schema, &con->ref_table);
            if (con->ref_schema == NULL)
                con->ref_schema = sc_arena_strdup(L->m->arena, "public");
            if (!ts_node_is_null(ref))
                con->ref_columns = names_of_list(L, ref, &con->nref_columns);
            lower_fk_options(L, &bk, con);
        }
    }
    kids_free(&bk);
    kids_free(&k);
}

/* ----------------------------------------------------------- columns */

/* The nodes of the sequence options written, for errors about their values. */
typedef struct seqopt_nodes {
    TSNode start, increment, min, max, cache, cycle;
} seqopt_nodes;

/*
 * Reads one sequence option (start with, increment by, minvalue,
 * maxvalue, cache, cycle) of an identity column or a sequence into `o`,
 * remembering its node in `at`.  Returns false when `opt` is not a
 * sequence option.  An option written twice is reported; its values are
 * checked later, by check_seqopts(), once the type is known.
 */
static bool lower_seqopt(lower *L, TSNode opt, sc_seqopts *o, seqopt_nodes *at)
{
    const sc_syms *s = L->s;
    TSSymbol sym = ts_node_symbol(opt);
    TSNode *slot = sym == s->start_with     ? &at->start
                   : sym == s->increment_by ? &at->increment
                   : sym == s->minvalue     ? &at->min
                   : sym == s->maxvalue     ? &at->max
                   : sym == s->cache        ? &at->cache
                   : sym == s->cycle        ? &at->cycle
                                            : NULL;
    if (slot == NULL)
        return false;
    static const char *const names[] = {"start with", "increment by", "minvalue",
                                        "maxvalue",   "cache",        "cycle"};
    if (!ts_node_is_null(*slot)) {
        error_at(L, opt, "sequence option %s written twice", names[slot - &at->start]);
        return true;
    }
    *slot = opt;
    kids ok;
    get_kids(L, opt, &ok);
    TSNode v = kid(&ok, s->f_value);
    int64_t val = 0;
    bool has_val = !ts_node_is_null(v) && int_of(L, v, &val);
    if (sym == s->start_with) {
        o->has_start = has_val;
        o->start = val;
    } else if (sym == s->increment_by) {
        o->has_increment = has_val;
        o->increment = val;
    } else if (sym == s->minvalue) {
        o->has_min = has_val;
        o->no_min = ts_node_is_null(v);
        o->min = val;
    } else if (sym == s->maxvalue) {
        o->has_max = has_val;
        o->no_max = ts_node_is_null(v);
        o->max = val;
    } else if (sym == s->cache) {
        o->has_cache = has_val;
        o->cache = val;
    } else {
        o->has_cycle = true;
        o->cycle = text_is(L, opt, "cycle");
    }
    kids_free(&ok);
    return true;
}

/* Reports at `n` if it was written, else at `whole`. */
static void error_at_or(lower *L, TSNode n, TSNode whole, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void error_at_or(lower *L, TSNode n, TSNode whole, const char *fmt, ...)
{
    sc_buf b = SC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    error_at(L, ts_node_is_null(n) ? whole : n, "%s", sc_buf_str(&b));
    sc_buf_free(&b);
}

/*
 * Checks the options of a sequence of integer type `type` as CREATE
 * SEQUENCE does: a non-zero increment, bounds within the type's range,
 * minvalue below maxvalue, a start value between them and a cache of at
 * least 1.  Unwritten options take PostgreSQL's defaults, which depend on
 * the sign of the increment.  Errors point at the option concerned, or
 * at `whole` when it was not written.
 */
static void check_seqopts(lower *L, const sc_seqopts *o, const seqopt_nodes *at, TSNode whole,
                          const char *type)
{
    int64_t typemin = strcmp(type, "smallint") == 0  ? INT16_MIN
                      : strcmp(type, "integer") == 0 ? INT32_MIN
                                                     : INT64_MIN;
    int64_t typemax = strcmp(type, "smallint") == 0  ? INT16_MAX
                      : strcmp(type, "integer") == 0 ? INT32_MAX
                                                     : INT64_MAX;
    if (o->has_cache && o->cache < 1)
        error_at(L, at->cache, "cache must be at least 1");
    if (o->has_increment && o->increment == 0) {
        error_at(L, at->increment, "increment must not be zero");
        return;
    }
    bool range_ok = true;
    if (o->has_min && (o->min < typemin || o->min > typemax)) {
        error_at(L, at->min, "minvalue %" PRId64 " is out of range for type %s", o->min, type);
        range_ok = false;
    }
    if (o->has_max && (o->max < typemin || o->max > typemax)) {
        error_at(L, at->max, "maxvalue %" PRId64 " is out of range for type %s", o->max, type);
        range_ok = false;
    }
    if (!range_ok)
        return;
    bool up = !o->has_increment || o->increment > 0;
    int64_t min = o->has_min ? o->min : up ? 1 : typemin;
    int64_t max = o->has_max ? o->max : up ? typemax : -1;
    if (min >= max) {
        error_at_or(L, o->has_max ? at->max : at->min, whole,
                    "minvalue (%" PRId64 ") must be less than maxvalue (%" PRId64 ")", min, max);
        return;
    }
    if (o->has_start && o->start < min)
        error_at(L, at->start, "start value %" PRId64 " is less than minvalue %" PRId64,
                 o->start, min);
    else if (o->has_start && o->start > max)
        error_at(L, at->start, "start value %" PRId64 " is greater than maxvalue %" PRId64,
                 o->start, max);
}

static void lower_identity(lower *L, TSNode n, sc_column *col, seqopt_nodes *at)
{
    kids k;
    get_kids(L, n, &k);
    col->identity = k.n > 1 && text_is(L, k.nodes[1], "always") ? 'a' : 'd';
    for (uint32_t i = 0; i < k.n; i++)
        lower_seqopt(L, k.nodes[i], &col->idopts, at);
    kids_free(&k);
}

/* Remembers the first node of each attribute kind to report repeats and conflicts. */
typedef struct seen_attrs {
    TSNode not_null, null, def, pk, unique, fk, check, identity, generated, collate, renamed,
        comment;
} seen_attrs;

static bool first_time(lower *L, TSNode *slot, TSNode n, const char *what)
{
    if (!ts_node_is_null(*slot)) {
        error_at(L, n, "%s written twice for this column", what);
        return false;
    }
    *slot = n;
    return true;
}

static void conflict(lower *L, TSNode a, TSNode b, const char *msg)
{
    if (!ts_node_is_null(a) && !ts_node_is_null(b)) {
        TSNode later = ts_node_start_byte(a) > ts_node_start_byte(b) ? a : b;
        error_at(L, later, "%s", msg);
    }
}

/*
 * True when attribute `a` of column `col`, after the node `prev`, begins a
 * line of its own no further right than the column itself: it is written
 * like a table entry, not like the continuation of the column, which
 * `fmt` indents under the column's attributes.
 */
static bool starts_entry_line(TSNode col, TSNode prev, TSNode a)
{
    TSPoint at = ts_node_start_point(a);
    return at.row > ts_node_end_point(prev).row && at.column <= ts_node_start_point(col).column;
}

/*
 * A column and its attributes.  Entries need no separator, so a
 * constraint without a column list below a column continues it, and so
 * does a `comment` after that constraint.  When such a constraint begins
 * its own line like a table entry and a `comment` follows it, the comment
 * is the constraint's (COMMENT ON CONSTRAINT), not the column's: that is
 * how a commented check constraint reads back after `fmt`, which writes
 * it among the table constraints.
 */
static void lower_column(lower *L, TSNode n, sc_table *t, anchor *ta)
{
    const sc_syms *s = L->s;
    kids k;
    get_kids(L, n, &k);
    TSNode nm = kid(&k, s->f_name), ty = kid(&k, s->f_type);
    char *name = ts_node_is_null(nm) ? sc_arena_strdup(L->m->arena, "") : decl_name_of(L, nm);
    sc_column *col = sc_table_add_column(L->m, t, name, "");
    col->loc = loc_of(L, n);
    TSNode col_end = n; /* the last node of the column proper, for fmt's comments */
    bool split = false;
    if (!ts_node_is_null(ty)) {
        col->type_loc = loc_of(L, ty);
        lower_type(L, t, col, ty);
    }

    seen_attrs seen;
    memset(&seen, 0, sizeof seen);
    seqopt_nodes idnodes;
    memset(&idnodes, 0, sizeof idnodes);
    for (uint32_t i = 0; i < k.n; i++) {
        if (k.fields[i] != s->f_attribute)
            continue;
        TSNode a = k.nodes[i];
        TSSymbol sym = ts_node_symbol(a);
        if (sym == s->not_null) {
            if (first_time(L, &seen.not_null, a, "not null"))
                col->not_null = true;
        } else if (sym == s->null_) {
            first_time(L, &seen.null, a, "null");
        } else if (sym == s->default_) {
            if (first_time(L, &seen.def, a, "default")) {
                kids dk;
                get_kids(L, a, &dk);
                TSNode v = kid(&dk, s->f_value);
                if (!ts_node_is_null(v))
                    col->default_expr = expr_of(L, v);
                kids_free(&dk);
            }
        } else if (sym == s->column_constraint) {
            /* Which kind, for repeat detection. */
            TSNode body = ts_node_named_child(a, ts_node_named_child_count(a) - 1);
            TSSymbol bs = ts_node_symbol(body);
            TSNode *slot = bs == s->primary_key ? &seen.pk
                           : bs == s->unique    ? &seen.unique
                           : bs == s->references ? &seen.fk
                                                 : &seen.check;
            const char *what = bs == s->primary_key ? "primary key"
                               : bs == s->unique    ? "unique"
                               : bs == s->references ? "references"
                                                     : NULL;
            if (what == NULL || first_time(L, slot, a, what)) {
                if (what == NULL && ts_node_is_null(seen.check))
                    seen.check = a;
                sc_constraint *con = lower_column_constraint(L, a, t, col);
                bool commented = i + 1 < k.n && k.fields[i + 1] == s->f_attribute &&
                                 ts_node_symbol(k.nodes[i + 1]) == s->comment_clause;
                if (con != NULL && commented && starts_entry_line(n, k.nodes[i - 1], a)) {
                    con->comment = comment_clause_of(L, k.nodes[i + 1]);
                    entry_anchor_span(L, ta, a, k.nodes[i + 1], &con->trivia);
                    if (!split)
                        col_end = k.nodes[i - 1];
                    split = true;
                    i++;
                }
            }
        } else if (sym == s->identity) {
            if (first_time(L, &seen.identity, a, "generated as identity"))
                lower_identity(L, a, col, &idnodes);
        } else if (sym == s->generated) {
            if (first_time(L, &seen.generated, a, "generated always as")) {
                kids gk;
                get_kids(L, a, &gk);
                TSNode e = kid(&gk, s->f_expression);
                if (!ts_node_is_null(e)) {
                    col->generated_expr = expr_of(L, e);
                    collect_refs(L, e, t, "generated column");
                }
                kids_free(&gk);
            }
        } else if (sym == s->collate) {
            if (first_time(L, &seen.collate, a, "collate")) {
                kids ck;
                get_kids(L, a, &ck);
                TSNode cn = kid(&ck, s->f_collation);
                if (!ts_node_is_null(cn))
                    object_name_of(L, cn, &col->collation_schema, &col->collation);
                kids_free(&ck);
            }
        } else if (sym == s->renamed_from) {
            if (first_time(L, &seen.renamed, a, "renamed from")) {
                kids rk;
                get_kids(L, a, &rk);
                TSNode rn = kid(&rk, s->f_name);
                if (!ts_node_is_null(rn))
                    col->renamed_from = name_of(L, rn);
                kids_free(&rk);
            }
        } else if (sym == s->comment_clause) {
            if (!ts_node_is_null(seen.comment) &&
                ts_node_symbol(k.nodes[i - 1]) == s->column_constraint) {
                error_at(L, a, "comment written twice for this column; a constraint's own "
                               "comment needs the constraint on a line of its own, below the "
                               "column");
            } else if (first_time(L, &seen.comment, a, "comment")) {
                kids ck;
                get_kids(L, a, &ck);
                TSNode tx = kid(&ck, s->f_text);
                if (!ts_node_is_null(tx))
                    col->comment = string_of(L, tx);
                kids_free(&ck);
            }
        }
    }

    if (split)
        entry_anchor_span(L, ta, n, col_end, &col->trivia);
    else
        entry_anchor(L, ta, n, &col->trivia);

    conflict(L, seen.not_null, seen.null, "column is declared both null and not null");
    conflict(L, seen.null, seen.pk, "a primary key column cannot be null");
    conflict(L, seen.identity, seen.def, "an identity column cannot have a default");
    conflict(L, seen.identity, seen.generated, "a column cannot be both identity and generated");
    conflict(L, seen.generated, seen.def, "a generated column cannot have a default");
    conflict(L, seen.null, seen.identity, "an identity column cannot be null");
    if (col->serial != 0) {
        if (!ts_node_is_null(seen.def))
            error_at(L, seen.def, "a serial column cannot have a default");
        if (!ts_node_is_null(seen.identity))
            error_at(L, seen.identity, "a serial column cannot be an identity column");
        if (!ts_node_is_null(seen.generated))
            error_at(L, seen.generated, "a serial column cannot be generated");
        if (!ts_node_is_null(seen.null))
            error_at(L, seen.null, "a serial column cannot be null");
    }
    if (col->identity != 0 && !ts_node_is_null(ty) && !sc_type_is_integer(col->type))
        error_at(L, ty, "identity columns must be smallint, integer or bigint, not %s", col->type);

    /* PostgreSQL makes identity and serial columns NOT NULL. */
    if (col->identity != 0 || col->serial != 0)
        col->not_null = true;
    if (col->identity != 0 && sc_type_is_integer(col->type))
        check_seqopts(L, &col->idopts, &idnodes, seen.identity, col->type);
    if (col->identity != 0)
        sc_seqopts_normalise(&col->idopts, col->type);
    kids_free(&k);
}

/* ------------------------------------------------------------ indexes */

/* The index column name PostgreSQL derives from an expression
 * (FigureColname): a function's name, a column's name, or NULL ("expr"). */
static char *figure_colname(lower *L, TSNode e)
{
    const sc_syms *s = L->s;
    for (int depth = 0; depth < 64; depth++) {
        TSSymbol sym = ts_node_symbol(e);
        if (sym == s->parenthesized_expression) {
            e = ts_node_named_child(e, 0);
            continue;
        }
        if (sym == s->column_reference || sym == s->identifier || sym == s->quoted_identifier) {
            if (sym == s->column_reference)
                e = ts_node_named_child(e, ts_node_named_child_count(e) - 1);
            return name_of(L, e);
        }
        if (sym == s->function_call) {
            TSNode fn = ts_node_child_by_field_id(e, s->f_function);
            if (ts_node_is_null(fn))
                return NULL;
            uint32_t nc = ts_node_named_child_count(fn);
            if (nc == 0) { /* cast(...) / extract(...) keywords */
                if (text_is(L, fn, "cast")) {
                    TSNode arg = ts_node_child_by_field_id(e, s->f_argument);
                    return ts_node_is_null(arg) ? NULL : figure_colname(L, arg);
                }
                size_t len;
                const char *txt = sc_node_text(L->u, fn, &len);
                sc_buf_reset(&L->tmp);
                sc_expr_canon(&L->tmp, txt, len);
                return sc_arena_strdup(L->m->arena, sc_buf_str(&L->tmp));
            }
            return name_of(L, ts_node_named_child(fn, nc - 1));
        }
        if (sym == s->cast_expression) {
            e = ts_node_child_by_field_id(e, s->f_value);
            if (ts_node_is_null(e))
                return NULL;
            continue;
        }
        if (sym == s->case_expression)
            return sc_arena_strdup(L->m->arena, "case");
        if (sym == s->array_expression)
            return sc_arena_strdup(L->m->arena, "array");
        if (sym == s->row_expression)
            return sc_arena_strdup(L->m->arena, "row");
        if (sym == s->overlaps_expression) /* PostgreSQL calls overlaps() */
            return sc_arena_strdup(L->m->arena, "overlaps");
        return NULL;
    }
    return NULL;
}

static void lower_index(lower *L, TSNode n, sc_table *t, anchor *ta)
{
    const sc_syms *s = L->s;
    kids k;
    get_kids(L, n, &k);
    sc_index *x = sc_table_add_index(L->m, t);
    x->loc = loc_of(L, n);
    entry_anchor(L, ta, n, &x->trivia);
    x->unique = !ts_node_is_null(kid(&k, s->f_unique));
    TSNode nm = kid(&k, s->f_name);
    if (!ts_node_is_null(nm))
        x->name = name_of(L, nm);
    size_t nkeys = 0;
    for (uint32_t i = 0; i < k.n; i++)
        if (k.fields[i] == s->f_key)
            nkeys++;
    x->keys = sc_arena_alloc(L->m->arena, (nkeys == 0 ? 1 : nkeys) * sizeof *x->keys);
    for (uint32_t i = 0; i < k.n; i++) {
        TSNode c = k.nodes[i];
        if (k.fields[i] == s->f_key) {
            sc_index_key *key = &x->keys[x->nkeys++];
            kids kk;
            get_kids(L, c, &kk);
            TSNode v = kid(&kk, s->f_value);
            TSSymbol vs = ts_node_symbol(v);
            if (vs == s->identifier || vs == s->quoted_identifier) {
                key->column = name_of(L, v);
            } else {
                key->expr = expr_of(L, v);
                key->colname = figure_colname(L, v);
                collect_refs(L, v, t, "index expression");
            }
            TSNode coll = kid(&kk, s->f_collation);
            if (!ts_node_is_null(coll))
                object_name_of(L, coll, &key->collation_schema, &key->collation);
            TSNode opc = kid(&kk, s->f_opclass);
            if (!ts_node_is_null(opc))
                object_name_of(L, opc, &key->opclass_schema, &key->opclass);
            TSNode ord = kid(&kk, s->f_order);
            key->desc = !ts_node_is_null(ord) && text_is(L, ord, "desc");
            TSNode nulls = kid(&kk, s->f_nulls);
            if (!ts_node_is_null(nulls)) {
                bool first = text_is(L, nulls, "first");
                /* Store only what differs from the default for the order. */
                if (first != key->desc)
                    key->nulls = first ? 'f' : 'l';
            }
            kids_free(&kk);
        } else if (k.fields[i] == s->f_method) {
            x->method = name_of(L, c);
            if (strcmp(x->method, "btree") == 0)
                x->method = NULL;
        } else if (ts_node_symbol(c) == s->include) {
            kids ik;
            get_kids(L, c, &ik);
            TSNode ic = kid(&ik, s->f_columns);
            if (!ts_node_is_null(ic))
                x->include = names_of_list(L, ic, &x->ninclude);
            kids_free(&ik);
        } else if (ts_node_symbol(c) == s->nulls_not_distinct) {
            x->nulls_not_distinct = true;
        } else if (k.fields[i] == s->f_where) {
            x->where = expr_of(L, c);
            collect_refs(L, c, t, "index predicate");
        } else if (k.fields[i] == s->f_comment) {
            x->comment = comment_clause_of(L, c);
        }
    }
    if (x->nulls_not_distinct && !x->unique)
        error_at(L, n, "nulls not distinct applies only to unique indexes");
    kids_free(&k);
}

/* ------------------------------------------------------- declarations */

static void lower_schema(lower *L, TSNode n)
{
    kids k;
    get_kids(L, n, &k);
    TSNode nm = kid(&k, L->s->f_name);
    sc_schema *sch = sc_model_add_schema(L->m, ts_node_is_null(nm) ? "" : name_of(L, nm));
    sch->loc = loc_of(L, n);
    sch->comment = comment_clause_of(L, kid(&k, L->s->f_comment));
    decl_anchor(L, n, &sch->trivia);
    kids_free(&k);
}

static void lower_extension(lower *L, TSNode n)
{
    const sc_syms *s = L->s;
    kids k;
    get_kids(L, n, &k);
    TSNode nm = kid(&k, s->f_name);
    sc_extension *e = sc_model_add_extension(L->m, ts_node_is_null(nm) ? "" : name_of(L, nm));
    e->loc = loc_of(L, n);
    TSNode sch = kid(&k, s->f_schema), ver = kid(&k, s->f_version);
    if (!ts_node_is_null(sch))
        e->schema = name_of(L, sch);
    if (!ts_node_is_null(ver))
        e->version = string_of(L, ver);
    e->comment = comment_clause_of(L, kid(&k, s->f_comment));
    decl_anchor(L, n, &e->trivia);
    kids_free(&k);
}

static char *renamed_of(lower *L, TSNode r)
{
    if (ts_node_is_null(r))
        return NULL;
    kids k;
    get_kids(L, r, &k);
    TSNode nm = kid(&k, L->s->f_name);
    char *out = ts_node_is_null(nm) ? NULL : name_of(L, nm);
    kids_free(&k);
    return out;
}

static void lower_enum(lower *L, TSNode n)
{
    const sc_syms *s = L->s;
    kids k;
    get_kids(L, n, &k);
    char *schema = NULL, *name = NULL;
    TSNode nm = kid(&k, s->f_name);
    if (!ts_node_is_null(nm))
        object_name_of(L, nm, &schema, &name);
    sc_enum *e = sc_model_add_enum(L->m, schema != NULL ? schema : "public",
                                   name != NULL ? name : "");
    e->loc = loc_of(L, n);
    e->renamed_from = renamed_of(L, kid(&k, s->f_renamed));
    e->comment = comment_clause_of(L, kid(&k, s->f_comment));
    decl_anchor(L, n, &e->trivia);
    for (uint32_t i = 0; i < k.n; i++) {
        if (k.fields[i] != s->f_label)
            continue;
        kids lk;
        get_kids(L, k.nodes[i], &lk);
        TSNode v = kid(&lk, s->f_value), old = kid(&lk, s->f_old);
        char *value = ts_node_is_null(v) ? NULL : string_of(L, v);
        if (value != NULL) {
            if (strlen(value) == 0)
                error_at(L, v, "enum labels cannot be empty");
            else if (strlen(value) > SC_NAMEDATALEN - 1)
                error_at(L, v, "enum label is %zu bytes long; PostgreSQL allows at most 63",
                         strlen(value));
            sc_enum_label *l = sc_enum_add_label(L->m, e, value);
            l->loc = loc_of(L, k.nodes[i]);
            if (!ts_node_is_null(old))
                l->renamed_from = string_of(L, old);
        }
        kids_free(&lk);
    }
    kids_free(&k);
}

/* The options a collation declaration may have, indexes into
 * collation_option_names. */
enum { COLL_PROVIDER, COLL_LOCALE, COLL_LC_COLLATE, COLL_LC_CTYPE, COLL_DETERMINISTIC, COLL_NOPTS };

static const char *const collation_option_names[COLL_NOPTS] = {
    "provider", "locale", "lc_collate", "lc_ctype", "deterministic",
};

/*
 * The value of a collation option as text: a string decoded, a name
 * folded as PostgreSQL folds it, `true`/`false` in lower case.  NULL (and
 * reported) for a string that is not text.
 */
static char *collation_value_of(lower *L, TSNode v)
{
    TSSymbol sym = ts_node_symbol(v);
    if (sym == L->s->identifier || sym == L->s->quoted_identifier)
        return name_of(L, v);
    if (sym == L->s->boolean)
        return sc_arena_strdup(L->m->arena, text_is(L, v, "true") ? "true" : "false");
    return string_of(L, v);
}

/* ASCII case-insensitive equality, as PostgreSQL compares option words. */
static bool word_eq(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

/*
 * A collation declaration (CREATE COLLATION), with PostgreSQL's rules for
 * its options: `provider` is libc (the default) or icu; libc needs a
 * `locale`, or `lc_collate` and `lc_ctype` (not both forms); icu needs a
 * `locale` and takes no lc_*; `deterministic = false` needs icu.  The
 * model keeps one spelling of each meaning: equal lc_collate and lc_ctype
 * become `locale`, and only a nondeterministic collation is marked.
 */
static void lower_collation(lower *L, TSNode n)
{
    const sc_syms *s = L->s;
    kids k;
    get_kids(L, n, &k);
    char *schema = NULL, *name = NULL;
    TSNode nm = kid(&k, s->f_name);
    if (!ts_node_is_null(nm))
        object_name_of(L, nm, &schema, &name);
    sc_collation *coll = sc_model_add_collation(L->m, schema != NULL ? schema : "public",
                                                name != NULL ? name : "");
    coll->loc = loc_of(L, n);
    coll->comment = comment_clause_of(L, kid(&k, s->f_comment));
    decl_anchor(L, n, &coll->trivia);

    TSNode at[COLL_NOPTS];
    char *val[COLL_NOPTS] = {NULL};
    memset(at, 0, sizeof at);
    bool ok = true;
    for (uint32_t i = 0; i < k.n; i++) {
        if (k.fields[i] != s->f_option)
            continue;
        TSNode on = ts_node_child_by_field_id(k.nodes[i], s->f_name);
        TSNode ov = ts_node_child_by_field_id(k.nodes[i], s->f_value);
        if (ts_node_is_null(on) || ts_node_is_null(ov))
            continue;
        char *oname = name_of(L, on);
        size_t o = 0;
        while (o < COLL_NOPTS && strcmp(oname, collation_option_names[o]) != 0)
            o++;
        if (o == COLL_NOPTS) {
            error_at(L, on,
                     "unknown collation option %s; expected provider, locale, lc_collate, "
                     "lc_ctype or deterministic",
                     oname);
            ok = false;
            continue;
        }
        if (!ts_node_is_null(at[o])) {
            error_at(L, k.nodes[i], "collation option %s written twice", oname);
            ok = false;
            continue;
        }
        at[o] = k.nodes[i];
        val[o] = collation_value_of(L, ov);
        if (val[o] == NULL)
            ok = false;
    }
    if (!ok) {
        kids_free(&k);
        return;
    }

    if (val[COLL_PROVIDER] != NULL) {
        if (word_eq(val[COLL_PROVIDER], "icu"))
            coll->provider = SC_COLL_ICU;
        else if (!word_eq(val[COLL_PROVIDER], "libc")) {
            error_at(L, at[COLL_PROVIDER], "collation provider must be libc or icu, not %s",
                     val[COLL_PROVIDER]);
            kids_free(&k);
            return;
        }
    }
    if (val[COLL_DETERMINISTIC] != NULL) {
        const char *d = val[COLL_DETERMINISTIC];
        if (word_eq(d, "false") || word_eq(d, "off"))
            coll->nondeterministic = true;
        else if (!word_eq(d, "true") && !word_eq(d, "on"))
            error_at(L, at[COLL_DETERMINISTIC], "deterministic must be true or false");
    }
    const char *lc = val[COLL_LC_COLLATE] != NULL ? "lc_collate" : "lc_ctype";
    TSNode lc_at = !ts_node_is_null(at[COLL_LC_COLLATE]) ? at[COLL_LC_COLLATE] : at[COLL_LC_CTYPE];
    bool has_lc = !ts_node_is_null(lc_at);
    if (coll->provider == SC_COLL_ICU) {
        if (has_lc)
            error_at(L, lc_at, "%s is for libc collations; an icu collation takes a locale", lc);
        else if (val[COLL_LOCALE] == NULL)
            error_at(L, n, "an icu collation needs a locale");
        coll->locale = val[COLL_LOCALE];
    } else {
        if (coll->nondeterministic)
            error_at(L, at[COLL_DETERMINISTIC],
                     "nondeterministic collations need the icu provider");
        if (val[COLL_LOCALE] != NULL && has_lc)
            error_at(L, lc_at, "a collation takes a locale or lc_collate and lc_ctype, not both");
        else if (val[COLL_LOCALE] == NULL && val[COLL_LC_COLLATE] == NULL &&
                 val[COLL_LC_CTYPE] == NULL)
            error_at(L, n, "a libc collation needs a locale, or lc_collate and lc_ctype");
        else if (val[COLL_LOCALE] == NULL && (val[COLL_LC_COLLATE] == NULL ||
                                              val[COLL_LC_CTYPE] == NULL))
            error_at(L, lc_at, "%s needs %s too (or write locale)", lc,
                     val[COLL_LC_COLLATE] == NULL ? "lc_collate" : "lc_ctype");
        if (val[COLL_LOCALE] != NULL) {
            coll->locale = val[COLL_LOCALE];
        } else if (val[COLL_LC_COLLATE] != NULL && val[COLL_LC_CTYPE] != NULL &&
                   strcmp(val[COLL_LC_COLLATE], val[COLL_LC_CTYPE]) == 0) {
            coll->locale = val[COLL_LC_COLLATE];
        } else {
            coll->lc_collate = val[COLL_LC_COLLATE];
            coll->lc_ctype = val[COLL_LC_CTYPE];
        }
    }
    kids_free(&k);
}

/*
 * The type of `sequence ... as type`: smallint, integer or bigint under any
 * of their names (int2, int4, int, int8, pg_catalog.int4, ...).  Anything
 * else is reported and gives NULL.
 */
static char *sequence_type_of(lower *L, TSNode type)
{
    const sc_syms *s = L->s;
    kids k;
    get_kids(L, type, &k);
    char *out = NULL;
    TSNode nm = kid(&k, s->f_name);
    bool plain = ts_node_is_null(kid(&k, s->f_modifiers)) &&
                 ts_node_is_null(kid(&k, s->f_time_zone)) && ts_node_is_null(kid(&k, s->f_array));
    if (plain && !ts_node_is_null(nm) && ts_node_symbol(nm) == s->object_name) {
        sc_type_spec spec = {0};
        char *schema = NULL, *name = NULL;
        object_name_q(L, nm, &schema, &name, &spec.quoted);
        spec.schema = schema;
        spec.name = name;
        sc_buf canon = SC_BUF_INIT;
        int serial = 0;
        const char *err = NULL;
        if (sc_type_canonical(&spec, &canon, &serial, &err) == SC_TYPE_BUILTIN && serial == 0 &&
            sc_type_is_integer(sc_buf_str(&canon)))
            out = sc_arena_strdup(L->m->arena, sc_buf_str(&canon));
        sc_buf_free(&canon);
    }
    if (out == NULL)
        error_at(L, type, "sequence type must be smallint, integer or bigint");
    kids_free(&k);
    return out;
}

/* `owned by [schema.]table.column` or `owned by none` (q->owned_table stays NULL). */
static void lower_owned_by(lower *L, TSNode n, sc_sequence *q)
{
    const sc_syms *s = L->s;
    kids k;
    get_kids(L, n, &k);
    TSNode sch = kid(&k, s->f_schema), tbl = kid(&k, s->f_table), col = kid(&k, s->f_column);
    if (!ts_node_is_null(tbl) && !ts_node_is_null(col)) {
        q->owned_table = name_of(L, tbl);
        q->owned_column = name_of(L, col);
        q->owned_loc = loc_of(L, n);
        if (!ts_node_is_null(sch)) {
            char *schema = name_of(L, sch);
            if (strcmp(schema, q->schema) != 0)
                error_at(L, sch, "a sequence can only be owned by a table of its own schema (%s)",
                         q->schema);
        }
    }
    kids_free(&k);
}

/*
 * A sequence declaration.  Options come in any order, each at most once;
 * their values are checked against each other and the type, and those
 * equal to PostgreSQL's defaults are dropped, so that `start with 1` and
 * nothing are the same schema.
 */
static void lower_sequence(lower *L, TSNode n)
{
    const sc_syms *s = L->s;
    kids k;
    get_kids(L, n, &k);
    char *schema = NULL, *name = NULL;
    TSNode nm = kid(&k, s->f_name);
    if (!ts_node_is_null(nm))
        object_name_of(L, nm, &schema, &name);
    sc_sequence *q = sc_model_add_sequence(L->m, schema != NULL ? schema : "public",
                                           name != NULL ? name : "");
    q->loc = loc_of(L, n);
    decl_anchor(L, n, &q->trivia);
    seqopt_nodes at;
    memset(&at, 0, sizeof at);
    TSNode type_node = {{0, 0, 0, 0}, NULL, NULL}, owned = type_node, comment = type_node;
    bool type_ok = true;
    for (uint32_t i = 0; i < k.n; i++) {
        if (k.fields[i] != s->f_option)
            continue;
        TSNode c = k.nodes[i];
        TSSymbol sym = ts_node_symbol(c);
        TSNode *slot = sym == s->sequence_type   ? &type_node
                       : sym == s->owned_by      ? &owned
                       : sym == s->comment_clause ? &comment
                                                  : NULL;
        if (slot == NULL) {
            lower_seqopt(L, c, &q->opts, &at);
            continue;
        }
        if (!ts_node_is_null(*slot)) {
            error_at(L, c, "sequence option %s written twice",
                     sym == s->sequence_type ? "as" : sym == s->owned_by ? "owned by" : "comment");
            continue;
        }
        *slot = c;
        if (sym == s->sequence_type) {
            TSNode ty = ts_node_child_by_field_id(c, s->f_type);
            char *type = ts_node_is_null(ty) ? NULL : sequence_type_of(L, ty);
            if (type != NULL)
                q->type = type;
            else
                type_ok = false;
        } else if (sym == s->owned_by) {
            lower_owned_by(L, c, q);
        } else {
            q->comment = comment_clause_of(L, c);
        }
    }
    if (type_ok)
        check_seqopts(L, &q->opts, &at, n, q->type);
    sc_seqopts_normalise(&q->opts, q->type);
    kids_free(&k);
}

static void lower_table(lower *L, TSNode n)
{
    const sc_syms *s = L->s;
    kids k;
    get_kids(L, n, &k);
    char *schema = NULL, *name = NULL;
    TSNode nm = kid(&k, s->f_name);
    if (!ts_node_is_null(nm))
        object_name_of(L, nm, &schema, &name);
    sc_table *t = sc_model_add_table(L->m, schema != NULL ? schema : "public",
                                     name != NULL ? name : "");
    t->loc = loc_of(L, n);
    t->renamed_from = renamed_of(L, kid(&k, s->f_renamed));
    anchor *ta = decl_anchor(L, n, &t->trivia);
    if (ta != NULL)
        ta->footer = &t->footer;
    TSNode comment_node = {{0, 0, 0, 0}, NULL, NULL};
    for (uint32_t i = 0; i < k.n; i++) {
        TSNode c = k.nodes[i];
        TSSymbol sym = ts_node_symbol(c);
        if (sym == s->column_definition) {
            lower_column(L, c, t, ta);
        } else if (sym == s->table_constraint) {
            lower_table_constraint(L, c, t, ta);
        } else if (sym == s->index_definition) {
            lower_index(L, c, t, ta);
        } else if (sym == s->table_comment) {
            if (!ts_node_is_null(comment_node)) {
                error_at(L, c, "table comment written twice");
                continue;
            }
            comment_node = c;
            kids ck;
            get_kids(L, c, &ck);
            TSNode tx = kid(&ck, s->f_text);
            if (!ts_node_is_null(tx))
                t->comment = string_of(L, tx);
            t->comment_loc = loc_of(L, c);
            entry_anchor(L, ta, c, &t->comment_trivia);
            kids_free(&ck);
        }
    }
    /* In anchors, a table's entries must be ordered by position. */
    kids_free(&k);
}

static int cmp_anchor(const void *a, const void *b)
{
    const anchor *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static void lower_unit(sc_compiler *c, sc_unit *u)
{
    lower L;
    memset(&L, 0, sizeof L);
    L.c = c;
    L.u = u;
    L.m = c->model;
    L.s = &c->syms;
    TSNode root = ts_tree_root_node(u->tree);
    L.cursor = ts_tree_cursor_new(root);

    kids k;
    get_kids(&L, root, &k);
    for (uint32_t i = 0; i < k.n; i++) {
        TSNode n = k.nodes[i];
        TSSymbol sym = ts_node_symbol(n);
        if (sym == c->syms.schema_declaration)
            lower_schema(&L, n);
        else if (sym == c->syms.extension_declaration)
            lower_extension(&L, n);
        else if (sym == c->syms.collation_declaration)
            lower_collation(&L, n);
        else if (sym == c->syms.enum_declaration)
            lower_enum(&L, n);
        else if (sym == c->syms.sequence_declaration)
            lower_sequence(&L, n);
        else if (sym == c->syms.table_declaration)
            lower_table(&L, n);
    }
    kids_free(&k);

    if (c->keep_trivia) {
        for (size_t i = 0; i < L.ndecls; i++)
            if (L.decls[i].nentries > 1)
                qsort(L.decls[i].entries, L.decls[i].nentries, sizeof *L.decls[i].entries,
                      cmp_anchor);
        collect_comments(&L);
    }
    for (size_t i = 0; i < L.ndecls; i++)
        free(L.decls[i].entries);
    free(L.decls);
    ts_tree_cursor_delete(&L.cursor);
    sc_buf_free(&L.tmp);
}

int sc_compiler_lower(sc_compiler *c)
{
    if (c->diags.nerrors > 0)
        return -1;
    size_t before = c->diags.nerrors;
    for (size_t i = 0; i < c->nunits; i++)
        lower_unit(c, &c->units[i]);
    return c->diags.nerrors > before ? -1 : 0;
}
