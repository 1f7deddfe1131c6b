/*
 * The printer: a model as schema-language text.
 *
 * One printer serves two purposes.  In canonical mode it prints the whole
 * model in a fixed order (schemas, extensions, collations, enums,
 * sequences and tables by name; columns, constraints and indexes by name)
 * without source comments or rename hints: that text is the snapshot
 * stored in schema.lock and the input of the schema hash, so two models of
 * the same schema print the same bytes whichever producer made them.  In file
 * mode it prints the declarations of one source file in their file order,
 * with the file's comments and rename hints: that is `schemac fmt`.
 *
 * Layout (both modes): declarations separated by a blank line (one-line
 * declarations of one kind stay together); in a table, columns aligned
 * in three columns (name, type, attributes), attributes in the order of
 * the language reference, single-column constraints written on their
 * column (unless they carry a comment), then the table comment, a blank
 * line, table constraints and indexes.  Names are quoted only when needed;
 * a constraint or index name is written only when it differs from
 * PostgreSQL's default name.
 */
#ifndef SC_PRINT_H
#define SC_PRINT_H

#include "buf.h"
#include "model.h"

/* Appends the canonical text of the whole model. */
void sc_print_canonical(sc_buf *out, const sc_model *m);

/* Where a table's declaration lies in a canonical text: `len` bytes from
 * `offset` (relative to where the text starts), without the blank line
 * that separates it from the declaration before. */
typedef struct sc_print_span {
    const sc_table *table;
    size_t offset, len;
} sc_print_span;

/* sc_print_canonical(), also filling `spans` (m->ntables slots) with each
 * table's place, in the order of the text.  Tables come last in canonical
 * text, so the text before the first span holds every other object. */
void sc_print_canonical_spans(sc_buf *out, const sc_model *m, sc_print_span *spans);

/* Appends the declarations that came from `file`, as `schemac fmt` writes them. */
void sc_print_file(sc_buf *out, const sc_model *m, const char *file);

/* Appends a column's type as schema files spell it (serial types included). */
void sc_print_column_type(sc_buf *out, const sc_column *c);

#endif
