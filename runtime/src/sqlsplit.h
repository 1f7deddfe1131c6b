/*
 * Splitting a migration script into its statements.
 *
 * Migration files hold statements that must run one at a time: CREATE
 * INDEX CONCURRENTLY refuses to run inside a transaction block, which a
 * multi-statement query string implicitly is.  sc_sql_next() finds the end
 * of the next statement, skipping what may hide a semicolon: quoted
 * literals and identifiers ('...', E'...', "..."), dollar-quoted bodies
 * ($$...$$, $tag$...$tag$), line comments (--) and nested block comments.
 *
 * It also remembers the last `-- step N: ...` comment seen, which the
 * emitter writes above each step, so that a failing statement can be
 * reported with the step it belongs to.
 */
#ifndef SC_SQLSPLIT_H
#define SC_SQLSPLIT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sc_sqlsplit {
    const char *text;
    size_t len, pos;
    const char *step; /* the last "-- step ..." comment line (not NUL-terminated) */
    size_t step_len;
    unsigned line;     /* 1-based line of the last statement's first character */
    unsigned cur_line; /* line at `pos` */
} sc_sqlsplit;

/* Starts splitting `len` bytes of `text` (borrowed). */
void sc_sqlsplit_init(sc_sqlsplit *s, const char *text, size_t len);

/*
 * Finds the next statement: sets `*stmt` and `*stmt_len` to its text
 * (without leading blanks and comments, with its terminating semicolon
 * when it has one) and returns true; false at the end of the text.
 */
bool sc_sql_next(sc_sqlsplit *s, const char **stmt, size_t *stmt_len);

/* Whether a statement (as sc_sql_next() returns it) is exactly the
 * keyword `word` followed by an optional semicolon, case-insensitively
 * ("BEGIN", "COMMIT"). */
bool sc_sql_is(const char *stmt, size_t len, const char *word);

#endif
