/*
 * Diagnostics of bad schemas: each error is reported at the right place
 * with a clear message, and every error of a run is reported.
 */
#include <criterion/criterion.h>

#include "testutil.h"

typedef struct bad_case {
    const char *input;
    const char *where;   /* "line:col" of the first error */
    const char *message; /* substring of its message */
} bad_case;

static const bad_case cases[] = {
    /* syntax */
    {"table t {\n  a int not\n}\n", "2:9", "unexpected 'not'"},
    {"table t {\n  a int check (a > )\n}\n", "2:19", "expected an expression"},
    {"table t (\n", "1:9", "unexpected '('; expected '{' or renamed from"},
    {"tabel t {}\n", "1:1", "unexpected 'tabel'"},
    {"table t {\n  a int\n", "2:8", "expected '}'"},
    /* names and strings */
    {"table \"\" { a int }\n", "1:7", "zero-length delimited identifier"},
    {"table t { aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa int }\n", "1:11",
     "64 bytes long"},
    {"enum e ('')\n", "1:9", "enum labels cannot be empty"},
    /* attributes */
    {"table t {\n  a int null not null\n}\n", "2:14", "both null and not null"},
    {"table t {\n  a int not null not null\n}\n", "2:18", "not null written twice"},
    {"table t {\n  a bigint generated always as identity default 1\n}\n", "2:41",
     "identity column cannot have a default"},
    {"table t {\n  a text generated always as identity\n}\n", "2:5", "identity columns must be"},
    {"table t {\n  a serial default 1\n}\n", "2:12", "serial column cannot have a default"},
    /* types */
    {"table t {\n  a intger\n}\n", "2:5", "unknown type \"intger\""},
    {"table t {\n  a varchar(0)\n}\n", "2:5", "length must be between"},
    {"table t {\n  a numeric(2000)\n}\n", "2:5", "precision must be between"},
    {"schema s\nenum s.e ('x')\ntable t {\n  a e\n}\n", "4:5", "did you mean s.e"},
    /* duplicates */
    {"table t { a int }\ntable t { b int }\n", "2:1", "table t is declared twice"},
    {"table t {\n  a int\n  a text\n}\n", "3:3", "column a is declared twice"},
    {"enum e ('x', 'y', 'x')\n", "1:19", "enum label 'x' is declared twice"},
    {"table s.t { a int }\n", "1:1", "schema s is not declared"},
    /* keys */
    {"table t {\n  a int primary key\n  b int primary key\n}\n", "3:9", "more than one primary key"},
    {"table t {\n  a int\n  unique (a, zz)\n}\n", "3:3", "column zz"},
    {"table t {\n  a int\n  index (zz)\n}\n", "3:3", "column zz"},
    {"table t {\n  a int\n  index (lower(zz))\n}\n", "3:10", "reads column zz"},
    {"table t {\n  a int check (b > 0)\n}\n", "2:16", "reads column b"},
    /* foreign keys */
    {"table t {\n  a int references nope\n}\n", "2:9", "not declared"},
    {"table p { id int primary key }\ntable t {\n  a text references p\n}\n", "3:10",
     "is text but references p.id of type integer"},
    {"table p { id int primary key\n x int }\ntable t {\n  a int\n  b int\n"
     "  foreign key (a, b) references p (id)\n}\n",
     "6:3", "has 2 columns but references 1 column"},
    {"table p { id int\n x int }\ntable t {\n  a int references p (x)\n}\n", "4:9",
     "no primary key or unique"},
    {"table p { x int }\ntable t {\n  a int references p\n}\n", "3:9", "has no primary key"},
    /* renames */
    {"table a { x int }\ntable b renamed from a { y int }\n", "2:1", "which is also declared"},
    {"table t {\n  a int\n  b int renamed from a\n}\n", "3:3", "which is also declared"},
    /* an expression running on into what reads as a new column */
    {"table t {\n  b boolean default true and false\n}\n", "2:26", "and is a reserved word"},
    {"table t {\n  user text\n}\n", "2:3", "user is a reserved word"},
    /* sequences */
    {"sequence s as text\n", "1:15", "sequence type must be smallint, integer or bigint"},
    {"sequence s\n  increment by 0\n", "2:3", "increment must not be zero"},
    {"sequence s as smallint maxvalue 32768\n", "1:24", "maxvalue 32768 is out of range"},
    {"sequence s minvalue 5 maxvalue 5\n", "1:23", "minvalue (5) must be less than maxvalue (5)"},
    {"sequence s start with 0\n", "1:12", "start value 0 is less than minvalue 1"},
    {"sequence s cache 0\n", "1:12", "cache must be at least 1"},
    {"sequence s cycle no cycle\n", "1:18", "sequence option cycle written twice"},
    {"schema b\nsequence b.s owned by public.t.c\n", "2:23", "owned by a table of its own schema"},
    {"sequence s\nsequence s\n", "2:1", "sequence s is declared twice"},
    {"table t { a int }\nsequence t\n", "2:1", "same name as table t"},
    {"table t { a serial }\nsequence t_a_seq\n", "2:1", "serial column t.a implies"},
    {"table t { a int }\nsequence s owned by t.b\n", "2:12", "owned by column b"},
    {"sequence s owned by t.b\n", "1:12", "owned by table t, which is not declared"},
    {"sequence x.s\n", "1:1", "schema x is not declared"},
    {"table t {\n  a smallint generated always as identity (start with 40000)\n}\n", "2:44",
     "start value 40000 is greater than maxvalue 32767"},
    {"sequence s owned by\n", "1:20", "expected table.column or none"},
    /* collations */
    {"collation c (provider = icu)\n", "1:1", "an icu collation needs a locale"},
    {"collation c (provider = icu, locale = 'und', lc_ctype = 'C')\n", "1:46",
     "lc_ctype is for libc collations; an icu collation takes a locale"},
    {"collation c (provider = builtin, locale = 'C')\n", "1:14",
     "collation provider must be libc or icu, not builtin"},
    {"collation c (lc_collate = 'C')\n", "1:14", "lc_collate needs lc_ctype too"},
    {"collation c (lc_ctype = 'C')\n", "1:14", "lc_ctype needs lc_collate too"},
    {"collation c (deterministic = true)\n", "1:1", "needs a locale, or lc_collate and lc_ctype"},
    {"collation c (locale = 'C', lc_collate = 'C')\n", "1:28",
     "a locale or lc_collate and lc_ctype, not both"},
    {"collation c (locale = 'C', deterministic = false)\n", "1:28",
     "nondeterministic collations need the icu provider"},
    {"collation c (provider = icu, locale = 'und', deterministic = maybe)\n", "1:46",
     "deterministic must be true or false"},
    {"collation c (locale = 'C', rules = '&a < b')\n", "1:28", "unknown collation option rules"},
    {"collation c (locale = 'C',\n  locale = 'D')\n", "2:3", "collation option locale written twice"},
    {"collation c (locale = B'1')\n", "1:23", "expected a string, not a bit string"},
    {"collation c (locale = 'C')\ncollation C (locale = 'D')\n", "2:1",
     "collation c is declared twice"},
    {"collation x.c (locale = 'C')\n", "1:1", "schema x is not declared"},
    {"collation c ()\n", "1:14", "unexpected ')'; expected collation options as name = value"},
    {"collation c (provider icu)\n", "1:23", "unexpected 'icu'; expected '=' and the option's value"},
    {"collation c (locale = )\n", "1:22", "expected the option's value"},
    {"collation c 'x'\n", "1:13", "expected '(' with collation options"},
    /* deferrable keys and comments on constraints and indexes */
    {"table t {\n  a int comment 'col' check (a > 0) comment 'chk'\n}\n", "2:37",
     "a constraint's own comment needs the constraint on a line of its own"},
    {"table t {\n  a int check (a > 0) deferrable\n}\n", "2:23", "unexpected 'deferrable'"},
    {"table t {\n  a int\n  unique (a) comment 'x' deferrable\n}\n", "3:26",
     "unexpected 'deferrable'"},
    {"table t {\n  a int\n  index (a) comment B'1'\n}\n", "3:21", "not a bit string"},
    {"table p { id int primary key deferrable }\ntable t {\n  a int references p\n}\n", "3:9",
     "references a deferrable key of p"},
    {"table p { id int primary key\n x int unique deferrable initially deferred }\n"
     "table t {\n  a int references p (x)\n}\n",
     "4:9", "references a deferrable key of p"},
    /* overlaps */
    {"table t {\n  a date\n  check ((a, a, a) overlaps (a, a))\n}\n", "3:10",
     "the left side of overlaps has 3 values; it takes two"},
    {"table t {\n  a date\n  index ((row(a, a) overlaps row(a)))\n}\n", "3:30",
     "the right side of overlaps has 1 value"},
    {"table t {\n  a date\n  check ((a, a) overlaps (a, b))\n}\n", "3:10", "reads column b"},
    /* bytes */
    {"table t { a int }\n\x01\xff\n", "2:2", "invalid UTF-8"},
};

Test(diagnostics, each_bad_input_is_located)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sc_compiler *c = compile_text(cases[i].input);
        char *d = diagnostics(c);
        cr_expect(c->diags.nerrors > 0, "case %zu: no error for:\n%s", i, cases[i].input);
        char where[64];
        snprintf(where, sizeof where, "test.schema:%s: error:", cases[i].where);
        cr_expect(strstr(d, where) != NULL, "case %zu: expected %s in:\n%s", i, where, d);
        cr_expect(strstr(d, cases[i].message) != NULL, "case %zu: expected \"%s\" in:\n%s", i,
                  cases[i].message, d);
        free(d);
        sc_compiler_free(c);
    }
}

Test(diagnostics, source_line_and_caret)
{
    sc_compiler *c = compile_text("table t {\n  vintage intger not null\n}\n");
    char *d = diagnostics(c);
    cr_expect_str_eq(d, "test.schema:2:11: error: unknown type \"intger\"\n"
                        "    2 |   vintage intger not null\n"
                        "      |           ^~~~~~\n");
    free(d);
    sc_compiler_free(c);
}

Test(diagnostics, every_error_of_a_run)
{
    sc_compiler *c = compile_text("table t {\n  a intger\n  b text references nowhere\n"
                                  "  c int check (zz > 0)\n}\ntable t { x int }\n");
    cr_expect_eq(c->diags.nerrors, 4, "got %zu errors", c->diags.nerrors);
    sc_compiler_free(c);
}

Test(diagnostics, duplicate_names_both_places)
{
    sc_compiler *c = compile_text("table t { a int }\n\ntable t { b int }\n");
    char *d = diagnostics(c);
    cr_expect(strstr(d, "test.schema:3:1: error: table t is declared twice") != NULL, "%s", d);
    cr_expect(strstr(d, "test.schema:1:1: note: first declared here") != NULL, "%s", d);
    free(d);
    sc_compiler_free(c);
}

Test(diagnostics, several_syntax_errors_in_one_file)
{
    sc_compiler *c = compile_text("table a {\n  x int check (\n}\n"
                                  "table b {\n  y int\n}\n"
                                  "table c {\n  z int default\n}\n");
    cr_expect_geq(c->diags.nerrors, 2, "got %zu", c->diags.nerrors);
    sc_compiler_free(c);
}

Test(diagnostics, extension_types_allowed_with_an_extension)
{
    sc_compiler *c = compile_text("extension vector\ntable t {\n  v vector(1536)\n}\n");
    cr_expect_eq(c->diags.nerrors, 0);
    cr_expect_str_eq(c->model->tables[0]->columns[0]->type, "vector(1536)");
    sc_compiler_free(c);
    c = compile_text("table t {\n  v vector(1536)\n}\n");
    cr_expect_eq(c->diags.nerrors, 1);
    sc_compiler_free(c);
}
