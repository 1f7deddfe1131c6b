/*
 * The printer and the schema hash: canonical text, hash invariance under
 * spelling differences, and fmt's idempotence and faithfulness.
 */
#include <criterion/criterion.h>

#include "testutil.h"

Test(print, canonical_text)
{
    sc_compiler *c = compile_text(
        "enum fund_status ('active', 'closed')\n"
        "table funds {\n"
        "  id bigint primary key generated always as identity\n"
        "  name varchar(200) NOT NULL CHECK (length(name) > 0)\n"
        "  status fund_status not null default 'active'\n"
        "  comment 'Funds'\n"
        "  index (name)\n"
        "}\n"
        "table lots {\n"
        "  fund_id int8 not null references funds on delete cascade\n"
        "  qty numeric(12, 2)\n"
        "  unique (fund_id, qty)\n"
        "  constraint qty_positive check (qty > 0)\n"
        "}\n");
    cr_assert_eq(c->diags.nerrors, 0);
    char *text = canonical(c);
    cr_expect_str_eq(text,
                     "enum fund_status ('active', 'closed')\n"
                     "\n"
                     "table funds {\n"
                     "  id     bigint                 primary key generated always as identity\n"
                     "  name   character varying(200) not null check (length(name) > 0)\n"
                     "  status fund_status            not null default 'active'\n"
                     "  comment 'Funds'\n"
                     "\n"
                     "  index (name)\n"
                     "}\n"
                     "\n"
                     "table lots {\n"
                     "  fund_id bigint        not null references funds (id) on delete cascade\n"
                     "  qty     numeric(12,2) constraint qty_positive check (qty > 0)\n"
                     "\n"
                     "  unique (fund_id, qty)\n"
                     "}\n");
    free(text);
    sc_compiler_free(c);
}

/* Pairs of spellings of one schema: equal hashes. */
static const char *const same[][2] = {
    {"table t { a int }", "TABLE T { A INTEGER }"},
    {"table t { a int4\n b text }", "table t {\n  b text\n  a integer\n}"},
    {"table t { a int check (a > 0) }", "table t {\n a int\n check (a > 0)\n}"},
    {"table t { a int\n constraint t_a_check check (a > 0) }", "table t { a int check (a > 0) }"},
    {"table t { a int primary key }", "table t { a int not null\n primary key (a) }"},
    {"table t { a timestamptz(3) }", "table t { a timestamp(3) with time zone }"},
    {"table t { a varchar(5)[] }", "table t { a character varying(5)[][] }"},
    {"table t { a int\n index t_a_idx (a) }", "table t { a int\n index (a asc nulls last) }"},
    {"table t { a bigint generated always as identity (start with 1 increment by 1) }",
     "table t { a bigint generated always as identity }"},
    {"table t { a int default 1 } -- note", "/* x */ table t { a int default 1 }"},
    {"table t { a int renamed from b }", "table t { a int }"},
};

/* Pairs of different schemas: different hashes. */
static const char *const different[][2] = {
    {"table t { a int }", "table t { a bigint }"},
    {"table t { a int }", "table t { a int not null }"},
    {"table t { a int }", "table \"T\" { a int }"},
    {"table t { a int default 1 }", "table t { a int default 2 }"},
    {"table t { a int\n index (a) }", "table t { a int\n index (a desc) }"},
    {"enum e ('a', 'b')", "enum e ('b', 'a')"},
    {"table t { a text comment 'x' }", "table t { a text comment 'y' }"},
};

Test(print, hash_ignores_spelling)
{
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        char h1[33], h2[33];
        hash_of(same[i][0], h1);
        hash_of(same[i][1], h2);
        cr_expect(h1[0] != '\0' && h2[0] != '\0', "pair %zu does not compile", i);
        cr_expect_str_eq(h1, h2, "pair %zu:\n%s\n%s", i, same[i][0], same[i][1]);
    }
}

Test(print, hash_sees_differences)
{
    for (size_t i = 0; i < sizeof different / sizeof *different; i++) {
        char h1[33], h2[33];
        hash_of(different[i][0], h1);
        hash_of(different[i][1], h2);
        cr_expect(h1[0] != '\0' && h2[0] != '\0', "pair %zu does not compile", i);
        cr_expect_str_neq(h1, h2, "pair %zu:\n%s\n%s", i, different[i][0], different[i][1]);
    }
}

static const char *const fmt_inputs[] = {
    "-- top\nschema billing -- s\n\n/* b */\nenum billing.st ('a', 'b' renamed from 'c')\n"
    "table billing.inv renamed from invoices { -- hdr\n"
    "  -- the key\n  id bigint primary key\n"
    "  s billing.st not null default 'a' , -- tail\n"
    "  note text COLLATE \"C\" comment 'it''s'\n"
    "  comment 'Invoices'\n"
    "  index (s) where note is not null\n"
    "  /* closing */\n}\n-- end\n",
    "table t { a int check (a > 0 /* inside */) }\n",
    "table t {\n  x int generated always as identity (start with 10 increment by -1 maxvalue 100)\n"
    "  y numeric generated always as (x * 2) stored\n"
    "  z text\n  unique nulls not distinct (y, z) include (x)\n"
    "  index ((lower(z)) collate \"C\" text_pattern_ops desc nulls last, y) using btree\n}\n",
    "enum a_very_long_enum_name_for_wrapping ('first_label', 'second_label', 'third_label', "
    "'fourth_label', 'fifth_label')\n",
};

Test(print, fmt_is_idempotent_and_keeps_meaning)
{
    for (size_t i = 0; i < sizeof fmt_inputs / sizeof *fmt_inputs; i++) {
        char *once = fmt_text(fmt_inputs[i]);
        cr_assert_not_null(once, "input %zu does not parse", i);
        char *twice = fmt_text(once);
        cr_assert_not_null(twice);
        cr_expect_str_eq(twice, once, "input %zu: fmt is not idempotent", i);
        char h1[33], h2[33];
        hash_of(fmt_inputs[i], h1);
        hash_of(once, h2);
        cr_expect_str_eq(h1, h2, "input %zu: fmt changed the schema:\n%s", i, once);
        free(once);
        free(twice);
    }
}

Test(print, fmt_keeps_every_comment)
{
    char *out = fmt_text(fmt_inputs[0]);
    cr_assert_not_null(out);
    const char *comments[] = {"-- top", "-- s", "/* b */", "-- hdr", "-- the key", "-- tail",
                              "/* closing */", "-- end"};
    for (size_t i = 0; i < sizeof comments / sizeof *comments; i++)
        cr_expect(strstr(out, comments[i]) != NULL, "lost %s in:\n%s", comments[i], out);
    cr_expect(strstr(out, "renamed from invoices") != NULL, "%s", out);
    cr_expect(strstr(out, "'b' renamed from 'c'") != NULL, "%s", out);
    free(out);
    out = fmt_text(fmt_inputs[1]);
    cr_expect(strstr(out, "/* inside */") != NULL, "%s", out);
    free(out);
}

Test(print, column_comment_never_starts_a_line)
{
    /* A long column whose comment would wrap: it must stay on the line, or
     * it would read back as the table's comment. */
    char *out = fmt_text("table t {\n  a_rather_long_column_name character varying(200) not null "
                         "default 'something' check (length(a_rather_long_column_name) > 3) "
                         "comment 'a comment long enough to pass the width'\n}\n");
    cr_assert_not_null(out);
    sc_compiler *c = compile_text(out);
    cr_assert_eq(c->diags.nerrors, 0, "%s", out);
    cr_expect_null(c->model->tables[0]->comment, "column comment became the table's:\n%s", out);
    cr_expect_not_null(c->model->tables[0]->columns[0]->comment);
    sc_compiler_free(c);
    free(out);
}

Test(print, quoting_round_trips)
{
    const char *src = "schema \"Billing\"\n"
                      "enum \"Billing\".\"Mood\" ('it''s', 'a;b', '$$', 'x\\y')\n"
                      "table \"Billing\".\"Weird \"\"Table\"\"\" {\n"
                      "  \"select\" int primary key\n"
                      "  \"Mixed Case\" text comment 'semi; colon -- and $$ dollars'\n"
                      "  \"comment\" text\n"
                      "  \"índice\" int\n"
                      "  index \"My Index\" (\"Mixed Case\")\n"
                      "}\n";
    sc_compiler *c = compile_text(src);
    cr_assert_eq(c->diags.nerrors, 0);
    char *text = canonical(c);
    sc_compiler *c2 = compile_text(text);
    cr_assert_eq(c2->diags.nerrors, 0, "canonical text does not compile:\n%s", text);
    char *text2 = canonical(c2);
    cr_expect_str_eq(text2, text);
    cr_expect(strstr(text, "\"select\"") != NULL);
    cr_expect(strstr(text, "\"comment\"") != NULL);
    cr_expect(strstr(text, "'x\\y'") != NULL);
    free(text);
    free(text2);
    sc_compiler_free(c);
    sc_compiler_free(c2);
}

Test(print, named_table_checks_round_trip)
{
    /* A named multi-column check, and numbered default names, print once. */
    const char *src = "table t {\n  a int check (a > 0) check (a < 10)\n  b int\n"
                      "  constraint a_lt_b check (a < b)\n  check (a <> b)\n  check (b <> a)\n}\n";
    sc_compiler *c = compile_text(src);
    cr_assert_eq(c->diags.nerrors, 0);
    char *text = canonical(c);
    cr_expect(strstr(text, "constraint a_lt_b check (a < b)") != NULL, "%s", text);
    cr_expect(strstr(text, "constraint a_lt_b constraint") == NULL, "%s", text);
    sc_compiler *c2 = compile_text(text);
    cr_expect_eq(c2->diags.nerrors, 0, "canonical text does not compile:\n%s", text);
    char *text2 = canonical(c2);
    cr_expect_str_eq(text2, text);
    free(text);
    free(text2);
    sc_compiler_free(c);
    sc_compiler_free(c2);
}

Test(print, unique_index_after_a_column_is_an_index)
{
    sc_compiler *c = compile_text("table t {\n  a int\n  unique index (a)\n}\n");
    cr_assert_eq(c->diags.nerrors, 0);
    cr_expect_eq(c->model->tables[0]->nconstraints, 0);
    cr_assert_eq(c->model->tables[0]->nindexes, 1);
    cr_expect(c->model->tables[0]->indexes[0]->unique);
    sc_compiler_free(c);
}

Test(print, keyword_like_names_are_quoted_where_they_would_misread)
{
    const char *src = "table u { id int primary key }\n"
                      "table t {\n  a int references u\n  \"match\" text\n  b interval\n  \"year\" int\n"
                      "  c timestamp\n  \"without\" int\n  d int unique\n  \"nulls\" int\n}\n";
    sc_compiler *c = compile_text(src);
    cr_assert_eq(c->diags.nerrors, 0);
    char *out = fmt_text(src);
    sc_compiler *c2 = compile_text(out);
    cr_expect_eq(c2->diags.nerrors, 0, "fmt output does not compile:\n%s", out);
    cr_expect_eq(c2->model->tables[1]->ncolumns, 8, "%s", out);
    free(out);
    sc_compiler_free(c);
    sc_compiler_free(c2);
}

Test(print, fmt_keeps_a_blank_line_under_a_comment_block)
{
    char *out = fmt_text("-- header of the file\n\ntable a { x int }\n\n-- about b\ntable b { y int }\n");
    cr_assert_not_null(out);
    cr_expect_str_eq(out, "-- header of the file\n\ntable a {\n  x integer\n}\n\n"
                          "-- about b\ntable b {\n  y integer\n}\n");
    free(out);
}
