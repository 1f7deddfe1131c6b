/*
 * External scanner for the schemac grammar.
 *
 * Handles the tokens a regular expression cannot describe:
 *
 *   block_comment        slash-star comments, nested as PostgreSQL nests them;
 *   dollar_string        $tag$ ... $tag$ strings;
 *   custom_operator      a multi-character operator, cut the way
 *                        PostgreSQL's lexer cuts it (it never contains "--" or
 *                        slash-star, and a trailing + or - is dropped unless
 *                        the operator holds one of ~ ! @ # % ^ & | ` ?), so that
 *                        "x=-1" reads as "x = -1";
 *   _table_comment_start the word `comment` as the first word of a line
 *                        inside a table body: the table's own comment, not
 *                        an attribute of the column above it.
 *
 * The scanner keeps no state between tokens.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <tree_sitter/parser.h>

enum token_type {
    BLOCK_COMMENT,
    DOLLAR_STRING,
    CUSTOM_OPERATOR,
    TABLE_COMMENT_START,
};

/* The longest operator PostgreSQL accepts (NAMEDATALEN - 1). */
#define MAX_OPERATOR 63

static bool is_space(int32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_op_char(int32_t c)
{
    return c != 0 && strchr("+-*/<>=~!@#%^&|`?", (int)c) != NULL;
}

static bool is_special_op_char(int32_t c)
{
    return c != 0 && strchr("~!@#%^&|`?", (int)c) != NULL;
}

static bool is_ident_start(int32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_ident_char(int32_t c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

/* Scans a nested block comment; the opening slash has been consumed. */
static bool scan_block_comment(TSLexer *lexer)
{
    if (lexer->lookahead != '*')
        return false;
    lexer->advance(lexer, false);
    unsigned depth = 1;
    while (depth > 0) {
        if (lexer->eof(lexer))
            return false;
        int32_t c = lexer->lookahead;
        lexer->advance(lexer, false);
        if (c == '*' && lexer->lookahead == '/') {
            lexer->advance(lexer, false);
            depth--;
        } else if (c == '/' && lexer->lookahead == '*') {
            lexer->advance(lexer, false);
            depth++;
        }
    }
    lexer->mark_end(lexer);
    lexer->result_symbol = BLOCK_COMMENT;
    return true;
}

/* Scans $tag$...$tag$; the lexer stands on the first dollar sign. */
static bool scan_dollar_string(TSLexer *lexer)
{
    char tag[64];
    size_t ntag = 0;

    lexer->advance(lexer, false);
    if (lexer->lookahead != '$') {
        if (!is_ident_start(lexer->lookahead) || lexer->lookahead >= 0x80)
            return false;
        while (lexer->lookahead != '$') {
            int32_t c = lexer->lookahead;
            if (!(is_ident_char(c) && c < 0x80) || ntag + 1 >= sizeof tag)
                return false;
            tag[ntag++] = (char)c;
            lexer->advance(lexer, false);
        }
    }
    lexer->advance(lexer, false); /* the dollar closing the opening tag */

    for (;;) {
        if (lexer->eof(lexer))
            return false;
        int32_t c = lexer->lookahead;
        lexer->advance(lexer, false);
        if (c != '$')
            continue;
        size_t i = 0;
        while (i < ntag && lexer->lookahead == (int32_t)(unsigned char)tag[i]) {
            lexer->advance(lexer, false);
            i++;
        }
        if (i == ntag && lexer->lookahead == '$') {
            lexer->advance(lexer, false);
            lexer->mark_end(lexer);
            lexer->result_symbol = DOLLAR_STRING;
            return true;
        }
    }
}

/*
 * Scans an operator by PostgreSQL's rules.  Returns true only for an
 * operator the grammar does not spell out itself; for the standard ones
 * (=, <>, +, ...) it returns false and the generated lexer takes over,
 * since it produces exactly the same token.  `first` is the operator's
 * first character, already consumed.
 */
static bool scan_operator(TSLexer *lexer, int32_t first)
{
    char op[MAX_OPERATOR + 1];
    size_t len = 0;
    bool special = false;
    int32_t c = first;

    for (;;) {
        /* An operator never contains the start of a comment. */
        if ((c == '-' && lexer->lookahead == '-') || (c == '/' && lexer->lookahead == '*'))
            break;
        if (len == MAX_OPERATOR)
            return false;
        op[len++] = (char)c;
        if (is_special_op_char(c))
            special = true;
        if (len == 1 || (c != '+' && c != '-') || special)
            lexer->mark_end(lexer);
        if (!is_op_char(lexer->lookahead))
            break;
        c = lexer->lookahead;
        lexer->advance(lexer, false);
    }
    if (len == 0)
        return false;

    /* Drop a trailing + or - unless the operator holds a special char. */
    if (!special)
        while (len > 1 && (op[len - 1] == '+' || op[len - 1] == '-'))
            len--;
    op[len] = '\0';

    static const char *const standard[] = {
        "+", "-", "*", "/", "%", "^", "<", ">", "=", "<=", ">=", "<>", "!=", "||", "=>",
    };
    for (size_t i = 0; i < sizeof standard / sizeof standard[0]; i++)
        if (strcmp(op, standard[i]) == 0)
            return false;
    lexer->result_symbol = CUSTOM_OPERATOR;
    return true;
}

/* Matches the word `comment` (any case) followed by a non-name character. */
static bool scan_table_comment_start(TSLexer *lexer)
{
    static const char word[] = "comment";
    for (size_t i = 0; word[i] != '\0'; i++) {
        int32_t c = lexer->lookahead;
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (c != word[i])
            return false;
        lexer->advance(lexer, false);
    }
    if (is_ident_char(lexer->lookahead))
        return false;
    lexer->mark_end(lexer);
    lexer->result_symbol = TABLE_COMMENT_START;
    return true;
}

void *tree_sitter_schemac_external_scanner_create(void)
{
    return NULL;
}

void tree_sitter_schemac_external_scanner_destroy(void *payload)
{
    (void)payload;
}

unsigned tree_sitter_schemac_external_scanner_serialize(void *payload, char *buffer)
{
    (void)payload;
    (void)buffer;
    return 0;
}

void tree_sitter_schemac_external_scanner_deserialize(void *payload, const char *buffer,
                                                      unsigned length)
{
    (void)payload;
    (void)buffer;
    (void)length;
}

bool tree_sitter_schemac_external_scanner_scan(void *payload, TSLexer *lexer,
                                               const bool *valid_symbols)
{
    (void)payload;
    /* During error recovery every symbol is marked valid: then only
     * comments are recognised, so that recovery stays predictable. */
    bool recovering = valid_symbols[TABLE_COMMENT_START] && valid_symbols[CUSTOM_OPERATOR] &&
                      valid_symbols[DOLLAR_STRING];
    bool newline = false;

    while (is_space(lexer->lookahead)) {
        if (lexer->lookahead == '\n')
            newline = true;
        lexer->advance(lexer, true);
    }

    int32_t c = lexer->lookahead;
    if (c == '/') {
        lexer->advance(lexer, false);
        if (lexer->lookahead == '*')
            return valid_symbols[BLOCK_COMMENT] && scan_block_comment(lexer);
        return !recovering && valid_symbols[CUSTOM_OPERATOR] && scan_operator(lexer, c);
    }
    if (recovering)
        return false;
    if (c == '$' && valid_symbols[DOLLAR_STRING])
        return scan_dollar_string(lexer);
    if (is_op_char(c) && valid_symbols[CUSTOM_OPERATOR]) {
        lexer->advance(lexer, false);
        return scan_operator(lexer, c);
    }
    if ((c == 'c' || c == 'C') && newline && valid_symbols[TABLE_COMMENT_START])
        return scan_table_comment_start(lexer);
    return false;
}
