/* PostgreSQL's default names for constraints and indexes. */
#include <criterion/criterion.h>

#include "naming.h"
#include "util.h"
#include "testutil.h"

static const char *con_name(sc_compiler *c, size_t table, size_t i)
{
    return c->model->tables[table]->constraints[i]->name;
}

Test(naming, defaults_match_postgresql)
{
    sc_compiler *c = compile_text(
        "table p { id int primary key\n code text unique }\n"
        "table t {\n"
        "  a int references p\n"
        "  b text check (length(b) > 1)\n"
        "  c int\n"
        "  check (a < c)\n"
        "  unique (a, b) include (c)\n"
        "  foreign key (c) references p (id)\n"
        "  index (a, c)\n"
        "  index (lower(b))\n"
        "  index ((a + c))\n"
        "  index (a, a)\n"
        "  unique index (b) include (c)\n"
        "}\n");
    cr_assert_eq(c->diags.nerrors, 0);
    cr_expect_str_eq(con_name(c, 0, 0), "p_pkey");
    cr_expect_str_eq(con_name(c, 0, 1), "p_code_key");
    cr_expect_str_eq(con_name(c, 1, 0), "t_a_fkey");
    cr_expect_str_eq(con_name(c, 1, 1), "t_b_check");
    cr_expect_str_eq(con_name(c, 1, 2), "t_check");
    cr_expect_str_eq(con_name(c, 1, 3), "t_a_b_c_key");
    cr_expect_str_eq(con_name(c, 1, 4), "t_c_fkey");
    sc_table *t = c->model->tables[1];
    cr_expect_str_eq(t->indexes[0]->name, "t_a_c_idx");
    cr_expect_str_eq(t->indexes[1]->name, "t_lower_idx");
    cr_expect_str_eq(t->indexes[2]->name, "t_expr_idx");
    cr_expect_str_eq(t->indexes[3]->name, "t_a_a1_idx");
    cr_expect_str_eq(t->indexes[4]->name, "t_b_c_idx");
    sc_compiler_free(c);
}

Test(naming, collisions_are_numbered)
{
    sc_compiler *c = compile_text("table t {\n  a int check (a > 0) check (a < 10)\n"
                                  "  index (a)\n  index (a)\n}\n");
    cr_assert_eq(c->diags.nerrors, 0);
    cr_expect_str_eq(con_name(c, 0, 0), "t_a_check");
    cr_expect_str_eq(con_name(c, 0, 1), "t_a_check1");
    cr_expect_str_eq(c->model->tables[0]->indexes[0]->name, "t_a_idx");
    cr_expect_str_eq(c->model->tables[0]->indexes[1]->name, "t_a_idx1");
    sc_compiler_free(c);
}

Test(naming, long_names_truncate_like_postgresql)
{
    sc_arena *a = sc_arena_new();
    /* 40 + 40 bytes: the longer part is cut first, to 63 bytes in all. */
    const char *t40 = "tttttttttttttttttttttttttttttttttttttttt";
    const char *c40 = "cccccccccccccccccccccccccccccccccccccccc";
    char *n = sc_name_make(a, t40, c40, "key");
    cr_expect_eq(strlen(n), 63);
    cr_expect_str_eq(n, "ttttttttttttttttttttttttttttt_ccccccccccccccccccccccccccccc_key");
    /* A multibyte character is never split. */
    char *u = sc_name_make(a, "ééééééééééééééééééééééééééééééééééééééééé", NULL, "pkey");
    cr_expect_leq(strlen(u), 63);
    size_t bad;
    cr_expect(sc_utf8_valid(u, strlen(u), &bad), "%s", u);
    sc_arena_free(a);
}

Test(naming, fmt_omits_default_names_only)
{
    char *out = fmt_text("table t {\n  a int constraint t_a_check check (a > 0)\n"
                         "  b int constraint b_positive check (b > 0)\n"
                         "  index t_a_idx (a)\n  index by_b (b)\n}\n");
    cr_assert_not_null(out);
    cr_expect(strstr(out, "t_a_check") == NULL, "%s", out);
    cr_expect(strstr(out, "t_a_idx") == NULL, "%s", out);
    cr_expect(strstr(out, "constraint b_positive") != NULL, "%s", out);
    cr_expect(strstr(out, "index by_b (b)") != NULL, "%s", out);
    free(out);
}
