/*
 * The compiler context (see compiler.h): creation, symbol lookup, the
 * phase driver and rendering.
 */
#include "compiler.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static TSSymbol sym(const TSLanguage *l, const char *name)
{
    TSSymbol s = ts_language_symbol_for_name(l, name, (uint32_t)strlen(name), true);
    if (s == 0) {
        fprintf(stderr, "schemac: grammar has no node type %s\n", name);
        abort();
    }
    return s;
}

static TSFieldId field(const TSLanguage *l, const char *name)
{
    TSFieldId f = ts_language_field_id_for_name(l, name, (uint32_t)strlen(name));
    if (f == 0) {
        fprintf(stderr, "schemac: grammar has no field %s\n", name);
        abort();
    }
    return f;
}

static void init_syms(sc_syms *s, const TSLanguage *l)
{
#define S(x) s->x = sym(l, #x)
#define S2(x, n) s->x = sym(l, n)
#define F(x) s->f_##x = field(l, #x)
    S(source_file); S(schema_declaration); S(extension_declaration); S(enum_declaration);
    S(table_declaration); S(enum_label); S(column_definition); S(table_constraint);
    S(index_definition); S(table_comment); S(not_null); S2(null_, "null"); S2(default_, "default");
    S(column_constraint); S(identity); S(generated); S(collate); S(renamed_from);
    S(comment_clause); S(primary_key); S(unique); S(nulls_not_distinct); S(references); S(match);
    S(on_delete); S(on_update); S(referential_action); S(deferrable); S(not_deferrable);
    S(not_valid); S(check); S(no_inherit); S(start_with); S(increment_by); S(minvalue);
    S(maxvalue); S(cache); S(cycle); S(signed_number); S(type); S(keyword_type);
    S(interval_fields); S(type_modifiers); S(time_zone); S(array_bound);
    S(primary_key_constraint); S(unique_constraint); S(foreign_key_constraint); S(column_list);
    S(include); S(index_key); S(identifier); S(quoted_identifier); S(object_name); S(string);
    S(escape_string); S(bit_string); S(dollar_string); S(number); S(line_comment);
    S(block_comment); S(column_reference); S(function_call); S(function_name);
    S(parenthesized_expression); S(cast_expression); S(case_expression); S(array_expression);
    S(row_expression); S(sequence_declaration); S(sequence_type); S(owned_by);
    S(collation_declaration); S(collation_option); S(overlaps_expression); S(boolean);
    F(name); F(schema); F(version); F(comment); F(renamed); F(label); F(value); F(old); F(text);
    F(type); F(attribute); F(table); F(columns); F(referenced); F(kind); F(action); F(initially);
    F(expression); F(when); F(collation); F(modifiers); F(time_zone); F(array); F(unique); F(key);
    F(method); F(where); F(opclass); F(order); F(nulls); F(function); F(argument); F(option);
    F(column);
#undef S
#undef S2
#undef F
}

sc_compiler *sc_compiler_new(void)
{
    sc_compiler *c = sc_xcalloc(1, sizeof *c);
    c->language = tree_sitter_schemac();
    c->parser = ts_parser_new();
    ts_parser_set_language(c->parser, c->language);
    init_syms(&c->syms, c->language);
    c->model = sc_model_new();
    return c;
}

void sc_compiler_free(sc_compiler *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->nunits; i++)
        ts_tree_delete(c->units[i].tree);
    free(c->units);
    ts_parser_delete(c->parser);
    sc_model_free(c->model);
    free(c->pending);
    free(c->check_refs);
    sc_diags_free(&c->diags);
    sc_sources_free(&c->sources);
    free(c);
}

int sc_compiler_run(sc_compiler *c)
{
    if (sc_compiler_parse(c) != 0)
        return -1;
    if (sc_compiler_lower(c) != 0)
        return -1;
    return sc_compiler_check(c);
}

void sc_compiler_render(const sc_compiler *c, FILE *out)
{
    sc_diags_render(&c->diags, out, sc_sources_lookup, (void *)&c->sources);
}
