/* Splitting SQL scripts into statements (see sqlsplit.h). */
#include "sqlsplit.h"

#include <ctype.h>
#include <string.h>

void sc_sqlsplit_init(sc_sqlsplit *s, const char *text, size_t len)
{
    memset(s, 0, sizeof *s);
    s->text = text;
    s->len = len;
    s->line = s->cur_line = 1;
}

/* Counts the newlines of text[from, to). */
static unsigned newlines(const char *text, size_t from, size_t to)
{
    unsigned n = 0;
    for (size_t i = from; i < to; i++)
        n += text[i] == '\n';
    return n;
}

/* The end of a line comment starting at `i` (the position of its newline or the end). */
static size_t line_end(const sc_sqlsplit *s, size_t i)
{
    while (i < s->len && s->text[i] != '\n')
        i++;
    return i;
}

/* The position after a (nested) block comment starting at `i`. */
static size_t block_end(const sc_sqlsplit *s, size_t i)
{
    int depth = 0;
    while (i < s->len) {
        if (s->text[i] == '/' && i + 1 < s->len && s->text[i + 1] == '*') {
            depth++;
            i += 2;
        } else if (s->text[i] == '*' && i + 1 < s->len && s->text[i + 1] == '/') {
            i += 2;
            if (--depth == 0)
                return i;
        } else {
            i++;
        }
    }
    return i;
}

/* The position after a quoted run starting at `i` (which holds the quote).
 * `backslash`: E'' strings, where a backslash escapes the next byte. */
static size_t quoted_end(const sc_sqlsplit *s, size_t i, bool backslash)
{
    char q = s->text[i++];
    while (i < s->len) {
        char c = s->text[i];
        if (backslash && c == '\\' && i + 1 < s->len) {
            i += 2;
        } else if (c == q) {
            if (i + 1 < s->len && s->text[i + 1] == q)
                i += 2; /* doubled quote */
            else
                return i + 1;
        } else {
            i++;
        }
    }
    return i;
}

/* When a dollar quote opens at `i` ($$ or $tag$), its tag length
 * (including both dollars); else 0. */
static size_t dollar_tag(const sc_sqlsplit *s, size_t i)
{
    size_t j = i + 1;
    if (j < s->len && (isalpha((unsigned char)s->text[j]) || s->text[j] == '_'))
        while (j < s->len && (isalnum((unsigned char)s->text[j]) || s->text[j] == '_'))
            j++;
    if (j < s->len && s->text[j] == '$')
        return j + 1 - i;
    return 0;
}

/* The position after the dollar-quoted body opened at `i` by a tag of `tag` bytes. */
static size_t dollar_end(const sc_sqlsplit *s, size_t i, size_t tag)
{
    const char *open = s->text + i;
    for (size_t j = i + tag; j + tag <= s->len; j++)
        if (memcmp(s->text + j, open, tag) == 0)
            return j + tag;
    return s->len;
}

/* Skips blanks and comments before a statement, noting step comments. */
static void skip_gap(sc_sqlsplit *s)
{
    size_t i = s->pos;
    for (;;) {
        while (i < s->len && isspace((unsigned char)s->text[i]))
            i++;
        if (i + 1 < s->len && s->text[i] == '-' && s->text[i + 1] == '-') {
            size_t e = line_end(s, i);
            size_t k = i + 2;
            while (k < e && s->text[k] == ' ')
                k++;
            if (e - k > 5 && strncmp(s->text + k, "step ", 5) == 0) {
                s->step = s->text + k;
                s->step_len = e - k;
            }
            i = e;
        } else if (i + 1 < s->len && s->text[i] == '/' && s->text[i + 1] == '*') {
            i = block_end(s, i);
        } else {
            break;
        }
    }
    s->cur_line += newlines(s->text, s->pos, i);
    s->pos = i;
}

bool sc_sql_next(sc_sqlsplit *s, const char **stmt, size_t *stmt_len)
{
    skip_gap(s);
    if (s->pos >= s->len)
        return false;
    size_t start = s->pos, i = start;
    while (i < s->len) {
        char c = s->text[i];
        if (c == ';') {
            i++;
            break;
        }
        if (c == '\'') {
            bool esc = i > start && (s->text[i - 1] == 'E' || s->text[i - 1] == 'e') &&
                       (i - 1 == start || !isalnum((unsigned char)s->text[i - 2]));
            i = quoted_end(s, i, esc);
        } else if (c == '"') {
            i = quoted_end(s, i, false);
        } else if (c == '-' && i + 1 < s->len && s->text[i + 1] == '-') {
            i = line_end(s, i);
        } else if (c == '/' && i + 1 < s->len && s->text[i + 1] == '*') {
            i = block_end(s, i);
        } else if (c == '$' && (i == start || !isalnum((unsigned char)s->text[i - 1]))) {
            size_t tag = dollar_tag(s, i);
            i = tag > 0 ? dollar_end(s, i, tag) : i + 1;
        } else {
            i++;
        }
    }
    *stmt = s->text + start;
    *stmt_len = i - start;
    s->line = s->cur_line;
    s->cur_line += newlines(s->text, start, i);
    s->pos = i;
    return true;
}

bool sc_sql_is(const char *stmt, size_t len, const char *word)
{
    size_t n = strlen(word);
    while (len > 0 && (isspace((unsigned char)stmt[len - 1]) || stmt[len - 1] == ';'))
        len--;
    if (len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)stmt[i]) != tolower((unsigned char)word[i]))
            return false;
    return true;
}
