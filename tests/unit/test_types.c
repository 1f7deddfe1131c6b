/* Built-in type spellings and their canonical (format_type) form. */
#include <criterion/criterion.h>

#include "testutil.h"

static const struct {
    const char *written, *canon;
} types[] = {
    {"int", "integer"},
    {"int4", "integer"},
    {"integer", "integer"},
    {"int2", "smallint"},
    {"int8", "bigint"},
    {"bool", "boolean"},
    {"float4", "real"},
    {"float", "double precision"},
    {"float(10)", "real"},
    {"float(40)", "double precision"},
    {"float8", "double precision"},
    {"double precision", "double precision"},
    {"decimal(10, 2)", "numeric(10,2)"},
    {"numeric(12)", "numeric(12,0)"},
    {"numeric", "numeric"},
    {"varchar", "character varying"},
    {"varchar(64)", "character varying(64)"},
    {"character varying(64)", "character varying(64)"},
    {"char", "character(1)"},
    {"char(3)", "character(3)"},
    {"nchar(2)", "character(2)"},
    {"national character varying(9)", "character varying(9)"},
    {"bpchar", "bpchar"},
    {"\"char\"", "\"char\""},
    {"timestamp", "timestamp without time zone"},
    {"timestamptz", "timestamp with time zone"},
    {"timestamp with time zone", "timestamp with time zone"},
    {"timestamp(3) without time zone", "timestamp(3) without time zone"},
    {"timestamptz(0)", "timestamp(0) with time zone"},
    {"time", "time without time zone"},
    {"timetz", "time with time zone"},
    {"time(2) with time zone", "time(2) with time zone"},
    {"interval", "interval"},
    {"interval year to month", "interval year to month"},
    {"interval day to second(3)", "interval day to second(3)"},
    {"interval(2)", "interval(2)"},
    {"bit", "bit(1)"},
    {"bit(8)", "bit(8)"},
    {"varbit", "bit varying"},
    {"bit varying(8)", "bit varying(8)"},
    {"text[]", "text[]"},
    {"int[][]", "integer[]"},
    {"integer[3]", "integer[]"},
    {"jsonb", "jsonb"},
    {"uuid", "uuid"},
    {"pg_catalog.int4", "integer"},
    {"tstzrange", "tstzrange"},
    {"nummultirange", "nummultirange"},
    {"xml", "xml"},
};

Test(types, canonical_spelling)
{
    for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
        char src[256];
        snprintf(src, sizeof src, "table t { a %s }", types[i].written);
        sc_compiler *c = compile_text(src);
        char *d = diagnostics(c);
        cr_expect_eq(c->diags.nerrors, 0, "%s: %s", types[i].written, d);
        if (c->diags.nerrors == 0)
            cr_expect_str_eq(c->model->tables[0]->columns[0]->type, types[i].canon, "%s",
                             types[i].written);
        free(d);
        sc_compiler_free(c);
    }
}

Test(types, serial_types)
{
    sc_compiler *c = compile_text("table t {\n a serial\n b bigserial\n c smallserial\n d serial8\n}");
    cr_assert_eq(c->diags.nerrors, 0);
    sc_table *t = c->model->tables[0];
    const char *canon[] = {"integer", "bigint", "smallint", "bigint"};
    int serial[] = {4, 8, 2, 8};
    for (int i = 0; i < 4; i++) {
        cr_expect_str_eq(t->columns[i]->type, canon[i]);
        cr_expect_eq(t->columns[i]->serial, serial[i]);
        cr_expect(t->columns[i]->not_null, "serial columns are NOT NULL");
    }
    char *text = canonical(c);
    cr_expect(strstr(text, "a bigserial") == NULL && strstr(text, "bigserial") != NULL, "%s", text);
    free(text);
    sc_compiler_free(c);
}

Test(types, enums_resolve_with_their_schema)
{
    sc_compiler *c = compile_text("schema billing\nenum billing.st ('a')\nenum mood ('x')\n"
                                  "table t {\n a billing.st\n b mood[]\n c public.mood\n}");
    cr_assert_eq(c->diags.nerrors, 0);
    sc_table *t = c->model->tables[0];
    cr_expect_str_eq(t->columns[0]->type, "billing.st");
    cr_expect_str_eq(t->columns[1]->type, "mood[]");
    cr_expect_str_eq(t->columns[2]->type, "mood");
    sc_compiler_free(c);
}

/* Quoted, a name is a type's name: "int4" is integer, but "int" and
 * "integer" (spellings of the grammar, as in PostgreSQL) are user types. */
Test(types, quoted_names_are_type_names)
{
    sc_compiler *c = compile_text("enum \"int\" ('a')\n"
                                  "table t {\n a \"int\"\n b int\n c \"int4\"\n d \"varchar\"(3)\n}");
    cr_assert_eq(c->diags.nerrors, 0, "%s", diagnostics(c));
    sc_table *t = c->model->tables[0];
    cr_expect_str_eq(t->columns[0]->type, "\"int\"");
    cr_expect_str_eq(t->columns[1]->type, "integer");
    cr_expect_str_eq(t->columns[2]->type, "integer");
    cr_expect_str_eq(t->columns[3]->type, "character varying(3)");
    sc_compiler_free(c);
    c = compile_text("table t {\n a \"integer\"\n}");
    cr_expect_gt(c->diags.nerrors, 0, "\"integer\" is no type");
    sc_compiler_free(c);
}
