/*
 * The compiler context: one object that travels through every phase of a
 * run (parse, lower, check) and collects diagnostics, in the manner of
 * SQLite's Parse.  Each phase returns early when an earlier one failed.
 */
#ifndef SC_COMPILER_H
#define SC_COMPILER_H

#include <stdbool.h>
#include <tree_sitter/api.h>

#include "diag.h"
#include "model.h"
#include "source.h"

/* Symbol and field ids of the grammar, looked up once. */
typedef struct sc_syms {
    TSSymbol source_file, schema_declaration, extension_declaration, enum_declaration,
        table_declaration, enum_label, column_definition, table_constraint, index_definition,
        table_comment, not_null, null_, default_, column_constraint, identity, generated, collate,
        renamed_from, comment_clause, primary_key, unique, nulls_not_distinct, references, match,
        on_delete, on_update, referential_action, deferrable, not_deferrable, not_valid, check,
        no_inherit, start_with, increment_by, minvalue, maxvalue, cache, cycle, signed_number,
        type, keyword_type, interval_fields, type_modifiers, time_zone, array_bound,
        primary_key_constraint, unique_constraint, foreign_key_constraint, column_list, include,
        index_key, identifier, quoted_identifier, object_name, string, escape_string, bit_string,
        dollar_string, number, line_comment, block_comment, column_reference, function_call,
        function_name, parenthesized_expression, cast_expression, case_expression,
        array_expression, row_expression, sequence_declaration, sequence_type, owned_by,
        collation_declaration, collation_option, overlaps_expression, boolean;
    TSFieldId f_name, f_schema, f_version, f_comment, f_renamed, f_label, f_value, f_old, f_text,
        f_type, f_attribute, f_table, f_columns, f_referenced, f_kind, f_action, f_initially,
        f_expression, f_when, f_collation, f_modifiers, f_time_zone, f_array, f_unique, f_key,
        f_method, f_where, f_opclass, f_order, f_nulls, f_function, f_argument, f_option,
        f_column;
} sc_syms;

/* One parsed source file. */
typedef struct sc_unit {
    sc_source *src;
    TSTree *tree;
} sc_unit;

/* A column whose type is not built in, resolved by the checker. */
typedef struct sc_pending_type {
    sc_column *column;
    sc_table *table;
    char *schema; /* NULL when unqualified */
    char *name;
    char *suffix; /* modifiers and array brackets, already spelled */
    sc_loc loc;
    uint32_t span;
} sc_pending_type;

typedef struct sc_compiler {
    sc_diags diags;
    sc_sources sources;
    TSParser *parser;
    const TSLanguage *language;
    sc_syms syms;
    sc_unit *units;
    size_t nunits;
    sc_model *model;
    bool keep_trivia; /* collect source comments for fmt */
    /* The sources are a part of a schema checked before (chunks of
     * schema.lock): a foreign key or an `owned by` may name a table that is
     * not among them. */
    bool partial;
    sc_pending_type *pending;
    size_t npending, cappending;
    /* Column references of expressions (checks, indexes, generated columns). */
    struct sc_check_refs *check_refs;
    size_t ncheck_refs, capcheck_refs;
} sc_compiler;

/* Column names an expression reads, checked once the table is complete. */
typedef struct sc_check_refs {
    sc_constraint *con; /* a check constraint, whose columns are settled, or NULL */
    sc_table *table;
    char **names;
    size_t nnames;
    sc_loc loc;
    const char *what; /* "check constraint", "index", "generated column" */
} sc_check_refs;

const TSLanguage *tree_sitter_schemac(void);

/* Creates a compiler with no sources. */
sc_compiler *sc_compiler_new(void);

/* Frees the compiler, its sources, trees and model; accepts NULL. */
void sc_compiler_free(sc_compiler *c);

/* Parses every source; syntax errors become diagnostics.  0 or -1. */
int sc_compiler_parse(sc_compiler *c);

/* Builds the model from the trees (syntax.c must have succeeded).  0 or -1. */
int sc_compiler_lower(sc_compiler *c);

/* Semantic checks and default names over the whole model.  0 or -1. */
int sc_compiler_check(sc_compiler *c);

/* parse + lower + check, stopping after the first phase with errors. */
int sc_compiler_run(sc_compiler *c);

/* Renders the diagnostics to `out`. */
void sc_compiler_render(const sc_compiler *c, FILE *out);

/* Text of a node (a pointer into the source) and its length. */
const char *sc_node_text(const sc_unit *u, TSNode n, size_t *len);

/* Location of a node's start. */
sc_loc sc_node_loc(const sc_unit *u, TSNode n);

/* Characters a node covers on its first line (for carets). */
uint32_t sc_node_span(const sc_unit *u, TSNode n);

#endif
