/*
 * Quoting of identifiers and string literals, in one place.
 *
 * Identifiers follow pg_dump's rule: a name is written bare only when it
 * matches [a-z_][a-z0-9_$]* and is not a keyword that PostgreSQL reserves
 * in any way (reserved, type/function-name or column-name keywords) nor
 * one of the words that begin an entry or an attribute in schema files;
 * otherwise it is double-quoted with inner quotes doubled.  That is the
 * same text libpq's PQescapeIdentifier gives for names that need quotes.
 *
 * Literals come in two forms: schema-file strings (SQL standard strings,
 * quotes doubled, backslashes literal) and SQL literals for generated
 * scripts, quoted the way PQescapeLiteral quotes them (quotes and
 * backslashes doubled, and an E prefix when a backslash is present).
 */
#ifndef SC_IDENT_H
#define SC_IDENT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* True when `name` must be written in double quotes. */
bool sc_ident_needs_quotes(const char *name);

/* True for words PostgreSQL reserves for names (RESERVED and
 * TYPE_FUNC_NAME keywords): such a name must be quoted to be a name. */
bool sc_ident_is_reserved(const char *name);

/* Appends `name`, quoted when needed. */
void sc_ident_append(sc_buf *b, const char *name);

/* Appends schema.name, leaving out the schema when it is "public" or NULL. */
void sc_ident_append_qualified(sc_buf *b, const char *schema, const char *name);

/* Appends schema.name, always with the schema (for SQL). */
void sc_ident_append_full(sc_buf *b, const char *schema, const char *name);

/* Appends a schema-file string literal: 'it''s'. */
void sc_string_append(sc_buf *b, const char *value);

/* Appends a SQL literal as PQescapeLiteral writes it. */
void sc_sql_literal_append(sc_buf *b, const char *value);

/* What starts at a position of SQL text, for sc_sql_span(). */
typedef enum sc_span_kind {
    SC_SPAN_NONE,          /* an ordinary character */
    SC_SPAN_LINE_COMMENT,  /* -- to the end of the line (newline excluded) */
    SC_SPAN_BLOCK_COMMENT, /* nested slash-star comment */
    SC_SPAN_STRING,        /* '...', E'...' (the prefix letter stands before it) */
    SC_SPAN_QUOTED_NAME,   /* "..." */
    SC_SPAN_DOLLAR,        /* $tag$...$tag$ */
} sc_span_kind;

/*
 * Tells what starts at s[i] as PostgreSQL's lexer reads it: a comment, a
 * string literal, a quoted name or a dollar string, and where it ends
 * (`*end`, exclusive; the end of the text when unterminated).  A quote
 * after a lone E or e is an escape string, whose backslashes escape.
 */
sc_span_kind sc_sql_span(const char *s, size_t len, size_t i, size_t *end);

/*
 * Writes the canonical spelling of a PostgreSQL expression's text: words
 * outside quotes in lower case (PostgreSQL folds them anyway), comments
 * removed, and every run of white space or comments between two tokens
 * replaced by one space.  Quoted identifiers and all kinds of string
 * literals are kept byte for byte.
 */
void sc_expr_canon(sc_buf *out, const char *src, size_t len);

/*
 * Decodes a string literal token as written in a schema file ('..',
 * E'..', $tag$..$tag$) into `out`.  Returns false (with `out` undefined)
 * for a token that is not a well-formed literal of those kinds, or whose
 * value holds a NUL byte.
 */
bool sc_string_decode(sc_buf *out, const char *tok, size_t len);

/* Decodes a quoted or bare identifier token into the name PostgreSQL stores. */
void sc_ident_decode(sc_buf *out, const char *tok, size_t len);

#endif
