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
    /* sequences: options in any order, aliases, and defaults written out */
    {"sequence s as int cache 5 start with 10", "SEQUENCE S START 10 AS INTEGER CACHE 5"},
    {"sequence s", "sequence s as bigint increment by 1 minvalue 1 no maxvalue start with 1 "
                   "cache 1 no cycle owned by none"},
    {"sequence s as int2 maxvalue 32767 no minvalue", "sequence s as smallint"},
    {"sequence s increment by -1",
     "sequence s increment -1 minvalue -9223372036854775808 maxvalue -1 start with -1"},
    {"sequence s minvalue 10", "sequence s start with 10 minvalue +10"},
    {"table t { c int }\nsequence s owned by t.c",
     "sequence public.s owned by public.t.c\ntable t { c int }"},
    {"sequence b\nsequence a", "sequence a\nsequence b"},
    {"table t { a bigint generated always as identity (maxvalue 9223372036854775807) }",
     "table t { a bigint generated always as identity (no maxvalue) }"},
    /* collations: defaults written out, equal lc_* as the locale, option order and case */
    {"collation c (locale = 'C')",
     "COLLATION public.c (LC_COLLATE = 'C', lc_ctype = \"C\", provider = libc, deterministic = true)"},
    {"collation c (provider = icu, locale = 'und')",
     "collation c (deterministic = on, locale = $$und$$, PROVIDER = 'ICU')"},
    {"collation b (locale = 'C')\ncollation a (locale = 'C')",
     "collation a (locale = 'C')\ncollation b (locale = 'C')"},
    /* deferrable keys: defaults, and the column or table form */
    {"table t { a int unique deferrable initially immediate }",
     "table t { a int\n unique (a) deferrable }"},
    {"table t { a int primary key not deferrable }", "table t { a int primary key }"},
    {"table t { a int\n b int\n unique (a, b) deferrable initially deferred }",
     "table t { a int\n b int\n UNIQUE (a, b) DEFERRABLE INITIALLY DEFERRED }"},
    {"table t { a int\n unique nulls not distinct (a) include (a) deferrable }",
     "table t { a int\n unique nulls not distinct (a) include (a) deferrable initially immediate }"},
    /* comments on constraints: a constraint on a line of its own below its
     * column takes the comment; written after another entry, the same */
    {"table t { a int\n  check (a > 0) comment 'x'\n  index (a) }",
     "table t { a int\n  index (a)\n  check (a > 0) comment 'x' }"},
    {"table t { a int\n  unique comment 'u' }", "table t { a int\n  unique (a) comment 'u' }"},
    {"table t { a int\n  constraint k check (a > 0) comment 'x' }",
     "table t {\n  a int,\n  constraint k check (a > 0) comment 'x'\n}"},
    /* ... but on the column's line, or indented under its attributes, the
     * comment is the column's */
    {"table t { a int not null check (a > 0) comment 'x' }",
     "table t {\n  a int not null\n        check (a > 0) comment 'x'\n}"},
    /* overlaps */
    {"table t { a date\n b date\n check ((a, b) overlaps (b, a)) }",
     "table t { a date\n b date\n CHECK ((a, b) /* c */ OVERLAPS (b,  a)) }"},
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
    {"sequence s", "sequence s as integer"},
    {"sequence s", "sequence s cycle"},
    {"sequence s start with 5", "sequence s start with 6"},
    {"sequence s", "sequence s comment 'x'"},
    {"sequence s", "sequence \"S\""},
    {"schema b\nsequence s", "schema b\nsequence b.s"},
    {"table t { c int }\nsequence s owned by t.c", "table t { c int }\nsequence s"},
    {"collation c (locale = 'C')", "collation c (locale = 'POSIX')"},
    {"collation c (locale = 'C')", "collation c (provider = icu, locale = 'C')"},
    {"collation c (provider = icu, locale = 'und')",
     "collation c (provider = icu, locale = 'und', deterministic = false)"},
    {"collation c (locale = 'C')", "collation c (locale = 'C') comment 'x'"},
    {"collation c (lc_collate = 'C', lc_ctype = 'POSIX')",
     "collation c (lc_collate = 'POSIX', lc_ctype = 'C')"},
    {"schema b\ncollation c (locale = 'C')", "schema b\ncollation b.c (locale = 'C')"},
    {"table t { a int unique }", "table t { a int unique deferrable }"},
    {"table t { a int primary key deferrable }",
     "table t { a int primary key deferrable initially deferred }"},
    {"table t { a int\n b int\n unique (a, b) }", "table t { a int\n b int\n unique (a, b) deferrable }"},
    {"table t { a int primary key }", "table t { a int\n primary key (a) comment 'x' }"},
    {"table t { a int\n index (a) }", "table t { a int\n index (a) comment 'x' }"},
    {"table t { a int check (a > 0) comment 'x' }", "table t { a int\n check (a > 0) comment 'x' }"},
    {"table t { a int references t (a)\n unique (a) }",
     "table t { a int\n references t (a) comment 'x'\n unique (a) }"},
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
    "-- numbers\nschema billing\nsequence billing.s CYCLE increment by 2 -- tail\n"
    "sequence t\n  /* inside */ start with 10\n  as integer\n"
    "sequence a_sequence_with_a_name_long_enough_to_wrap as smallint increment by -2 minvalue -30000 "
    "maxvalue -10 start with -20 cache 100 cycle owned by \"Events\".\"Id\" comment 'A ''long'' "
    "comment, long enough to need a line of its own when the sequence is written out'\n"
    "table \"Events\" { \"Id\" int }\n",
    "schema billing -- s\n-- the numbers\ncollation \"numeric\" (provider = icu, locale = 'en-u-kn-true')\n"
    "COLLATION billing.c2 (LC_CTYPE = 'POSIX', lc_collate = 'C') /* c2 */ comment 'x'\n"
    "collation posix (locale = 'POSIX', provider = libc)\n"
    "table t {\n  a text collate \"numeric\"\n  b text collate billing.c2\n  index (b collate posix)\n}\n",
    "table t {\n  id int primary key deferrable\n  code text\n"
    "  -- above the check\n  constraint positive check (id > 0) comment 'must be positive' -- tail\n"
    "  unique (id, code) deferrable initially deferred comment 'why'\n"
    "  check ((id, id) OVERLAPS (id, id))\n"
    "  index (code) where code <> '' comment 'for lookups'\n}\n",
    "table t {\n  a int\n  b int\n  comment 'the table'\n  check (a < b) comment 'ordered'\n"
    "  foreign key (a) references t (b) comment 'fk'\n  unique (b) comment 'needed by the fk'\n}\n",
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

Test(print, sequences_canonical_text)
{
    sc_compiler *c = compile_text(
        "table orders { number int }\n"
        "schema billing\n"
        "sequence zeta owned by orders.number comment 'it''s' cache 20 as int8\n"
        "sequence billing.\"Order Seq\" cycle maxvalue 99999 minvalue 10\n"
        "sequence alpha AS INT4 START WITH 1000 INCREMENT BY 1 NO CYCLE\n"
        "enum e ('x')\n");
    cr_assert_eq(c->diags.nerrors, 0);
    char *text = canonical(c);
    cr_expect_str_eq(text,
                     "schema billing\n"
                     "\n"
                     "enum e ('x')\n"
                     "\n"
                     "sequence billing.\"Order Seq\" minvalue 10 maxvalue 99999 cycle\n"
                     "sequence alpha as integer start with 1000\n"
                     "sequence zeta cache 20 owned by orders.number comment 'it''s'\n"
                     "\n"
                     "table orders {\n"
                     "  number integer\n"
                     "}\n");
    free(text);
    sc_compiler_free(c);
}

Test(print, sequences_keep_file_order_and_wrap_in_fmt)
{
    char *out = fmt_text(
        "table t { c int }\n"
        "sequence z\n"
        "sequence a_sequence_whose_options_do_not_fit_on_one_line as integer cache 10 "
        "increment by 3 minvalue 3 maxvalue 3000000 start with 300 cycle owned by t.c\n"
        "sequence b start with 2\n");
    cr_assert_not_null(out);
    cr_expect_str_eq(out,
                     "table t {\n"
                     "  c integer\n"
                     "}\n"
                     "\n"
                     "sequence z\n"
                     "sequence a_sequence_whose_options_do_not_fit_on_one_line as integer increment by 3 "
                     "minvalue 3\n"
                     "  maxvalue 3000000 start with 300 cache 10 cycle owned by t.c\n"
                     "\n"
                     "sequence b start with 2\n");
    char *again = fmt_text(out);
    cr_expect_str_eq(again, out, "fmt is not idempotent");
    free(again);
    free(out);
}

Test(print, sequence_model)
{
    sc_compiler *c = compile_text("schema b\ntable b.t { c int }\n"
                                  "sequence b.s as int2 increment by -5 maxvalue -1 start -1 "
                                  "owned by t.c comment 'x'\n"
                                  "sequence n owned by none\n");
    cr_assert_eq(c->diags.nerrors, 0);
    cr_assert_eq(c->model->nsequences, 2);
    const sc_sequence *q = sc_model_find_sequence(c->model, "b", "s");
    cr_assert_not_null(q);
    cr_expect_str_eq(q->type, "smallint");
    cr_expect(q->opts.has_increment && q->opts.increment == -5);
    /* maxvalue -1 and start -1 are the defaults of a descending sequence. */
    cr_expect(!q->opts.has_max && !q->opts.has_start && !q->opts.has_min);
    cr_expect_str_eq(q->owned_table, "t");
    cr_expect_str_eq(q->owned_column, "c");
    cr_expect_str_eq(q->comment, "x");
    const sc_sequence *n = sc_model_find_sequence(c->model, "public", "n");
    cr_assert_not_null(n);
    cr_expect_str_eq(n->type, "bigint");
    cr_expect_null(n->owned_table);
    sc_compiler_free(c);
}

Test(print, collations_canonical_text)
{
    sc_compiler *c = compile_text(
        "enum e ('x')\n"
        "collation posix (lc_collate = 'POSIX', lc_ctype = 'POSIX', provider = libc)\n"
        "schema billing\n"
        "collation billing.c2 (lc_ctype = 'POSIX', lc_collate = 'C') comment 'it''s'\n"
        "COLLATION Numeric (Provider = ICU, Locale = 'en-u-kn-true', Deterministic = TRUE)\n"
        "collation ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)\n"
        "extension citext\n"
        "table t { a text collate ci\n b text collate \"C\" }\n");
    cr_assert_eq(c->diags.nerrors, 0);
    char *text = canonical(c);
    cr_expect_str_eq(text,
                     "schema billing\n"
                     "\n"
                     "extension citext\n"
                     "\n"
                     "collation billing.c2 (lc_collate = 'C', lc_ctype = 'POSIX') comment 'it''s'\n"
                     "collation ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)\n"
                     "collation \"numeric\" (provider = icu, locale = 'en-u-kn-true')\n"
                     "collation posix (locale = 'POSIX')\n"
                     "\n"
                     "enum e ('x')\n"
                     "\n"
                     "table t {\n"
                     "  a text collate ci\n"
                     "  b text collate \"C\"\n"
                     "}\n");
    free(text);
    sc_compiler_free(c);
}

Test(print, collations_keep_file_order_in_fmt)
{
    char *out = fmt_text("collation z (locale = 'C')\n"
                         "collation a (provider = icu, locale = 'und')\n"
                         "enum e ('x')\n"
                         "collation b (locale = 'C')\n");
    cr_assert_not_null(out);
    cr_expect_str_eq(out,
                     "collation z (locale = 'C')\n"
                     "collation a (provider = icu, locale = 'und')\n"
                     "\n"
                     "enum e ('x')\n"
                     "\n"
                     "collation b (locale = 'C')\n");
    free(out);
}

Test(print, collation_model)
{
    sc_compiler *c = compile_text("schema b\n"
                                  "collation b.same (lc_collate = 'C', lc_ctype = 'C')\n"
                                  "collation split (lc_collate = 'C', lc_ctype = 'en_US.utf8')\n"
                                  "collation ci (provider = icu, locale = 'und', deterministic = false)"
                                  " comment 'x'\n");
    cr_assert_eq(c->diags.nerrors, 0);
    cr_assert_eq(c->model->ncollations, 3);
    const sc_collation *same = c->model->collations[0], *split = c->model->collations[1],
                       *ci = c->model->collations[2];
    cr_expect_str_eq(same->schema, "b");
    cr_expect_eq(same->provider, SC_COLL_LIBC);
    cr_expect_str_eq(same->locale, "C");
    cr_expect_null(same->lc_collate);
    cr_expect_null(same->lc_ctype);
    cr_expect_null(split->locale);
    cr_expect_str_eq(split->lc_collate, "C");
    cr_expect_str_eq(split->lc_ctype, "en_US.utf8");
    cr_expect(!split->nondeterministic);
    cr_expect_eq(ci->provider, SC_COLL_ICU);
    cr_expect_str_eq(ci->locale, "und");
    cr_expect(ci->nondeterministic);
    cr_expect_str_eq(ci->comment, "x");
    sc_compiler_free(c);
}

Test(print, constraint_and_index_comments_canonical_text)
{
    sc_compiler *c = compile_text(
        "table t {\n"
        "  id int primary key comment 'the column'\n"
        "  code text unique deferrable initially deferred\n"
        "  a date\n"
        "  b date\n"
        "  constraint positive check (id > 0) comment 'must be positive'\n"
        "  foreign key (id) references t (id) comment 'self'\n"
        "  unique (a, b) deferrable comment 'why'\n"
        "  check ((a, b) OVERLAPS (b, a))\n"
        "  index (code) comment 'for lookups'\n"
        "}\n");
    cr_assert_eq(c->diags.nerrors, 0);
    char *text = canonical(c);
    cr_expect_str_eq(text,
                     "table t {\n"
                     "  a    date\n"
                     "  b    date\n"
                     "  code text    unique deferrable initially deferred\n"
                     "  id   integer primary key comment 'the column'\n"
                     "\n"
                     "  unique (a, b) deferrable comment 'why'\n"
                     "  foreign key (id) references t (id) comment 'self'\n"
                     "  constraint positive check (id > 0) comment 'must be positive'\n"
                     "  check ((a, b) overlaps (b, a))\n"
                     "  index (code) comment 'for lookups'\n"
                     "}\n");
    /* Read back, the text is the same schema. */
    sc_compiler *again = compile_text(text);
    cr_assert_eq(again->diags.nerrors, 0);
    char *text2 = canonical(again);
    cr_expect_str_eq(text2, text);
    free(text2);
    sc_compiler_free(again);
    free(text);
    sc_compiler_free(c);
}

Test(print, commented_check_below_the_columns_reads_back)
{
    /* The check is the first entry after the columns: it reads as part of
     * the last column, and its comment must still be the check's. */
    sc_compiler *c = compile_text("table test {\n"
                                  "  id integer\n"
                                  "\n"
                                  "  constraint \"my.constraint\" check (id > 0) comment 'with dot'\n"
                                  "}\n");
    cr_assert_eq(c->diags.nerrors, 0);
    const sc_table *t = c->model->tables[0];
    cr_assert_eq(t->nconstraints, 1);
    cr_expect_str_eq(t->constraints[0]->comment, "with dot");
    cr_expect_null(t->columns[0]->comment);
    char *text = canonical(c);
    cr_expect(strstr(text, "\n\n  constraint \"my.constraint\" check (id > 0) comment 'with dot'\n") !=
                  NULL,
              "%s", text);
    free(text);
    sc_compiler_free(c);
}

Test(print, fmt_keeps_comments_around_a_commented_check)
{
    char *out = fmt_text("table t {\n"
                         "  a int -- a\n"
                         "  -- why\n"
                         "  check (a > 0) comment 'positive' -- tail\n"
                         "}\n");
    cr_assert_not_null(out);
    cr_expect_str_eq(out,
                     "table t {\n"
                     "  a integer -- a\n"
                     "\n"
                     "  -- why\n"
                     "  check (a > 0) comment 'positive' -- tail\n"
                     "}\n");
    free(out);
}
