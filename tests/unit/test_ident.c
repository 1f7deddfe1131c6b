/* Identifier and literal quoting, name decoding and expression canonicalisation. */
#include <criterion/criterion.h>
#include <string.h>

#include "buf.h"
#include "ident.h"

static char *quoted(const char *name)
{
    sc_buf b = SC_BUF_INIT;
    sc_ident_append(&b, name);
    return sc_buf_detach(&b);
}

Test(ident, bare_names_stay_bare)
{
    const char *bare[] = {"funds", "vintage_year", "_x", "a$b", "key", "status", "name", "type"};
    for (size_t i = 0; i < sizeof bare / sizeof *bare; i++) {
        char *q = quoted(bare[i]);
        cr_expect_str_eq(q, bare[i]);
        free(q);
    }
}

Test(ident, names_needing_quotes)
{
    const struct {
        const char *in, *out;
    } cases[] = {
        {"Funds", "\"Funds\""},           {"select", "\"select\""},
        {"user", "\"user\""},             {"a b", "\"a b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""}, {"1abc", "\"1abc\""},
        {"comment", "\"comment\""},       {"index", "\"index\""},
        {"time", "\"time\""},             {"été", "\"été\""},
        {"a;drop", "\"a;drop\""},         {"$$", "\"$$\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *q = quoted(cases[i].in);
        cr_expect_str_eq(q, cases[i].out, "quoting %s", cases[i].in);
        free(q);
    }
}

Test(ident, qualified_leaves_out_public)
{
    sc_buf b = SC_BUF_INIT;
    sc_ident_append_qualified(&b, "public", "funds");
    sc_buf_puts(&b, " ");
    sc_ident_append_qualified(&b, "Billing", "invoices");
    sc_buf_puts(&b, " ");
    sc_ident_append_full(&b, "public", "funds");
    cr_expect_str_eq(sc_buf_str(&b), "funds \"Billing\".invoices public.funds");
    sc_buf_free(&b);
}

Test(ident, schema_strings_double_quotes_only)
{
    sc_buf b = SC_BUF_INIT;
    sc_string_append(&b, "it's a\\b");
    cr_expect_str_eq(sc_buf_str(&b), "'it''s a\\b'");
    sc_buf_free(&b);
}

Test(ident, sql_literals_like_pqescapeliteral)
{
    sc_buf b = SC_BUF_INIT;
    sc_sql_literal_append(&b, "it's");
    cr_expect_str_eq(sc_buf_str(&b), "'it''s'");
    sc_buf_reset(&b);
    sc_sql_literal_append(&b, "a\\b'c");
    cr_expect_str_eq(sc_buf_str(&b), " E'a\\\\b''c'");
    sc_buf_free(&b);
}

static char *canon(const char *s)
{
    sc_buf b = SC_BUF_INIT;
    sc_expr_canon(&b, s, strlen(s));
    return sc_buf_detach(&b);
}

Test(ident, expression_canonical_form)
{
    const struct {
        const char *in, *out;
    } cases[] = {
        {"length(Name)  BETWEEN 1\n\tAND 200", "length(name) between 1 and 200"},
        {"((x >= 1) AND (x <= 2))", "((x >= 1) and (x <= 2))"},
        {"'Keep  CASE' || \"Quoted  Name\"", "'Keep  CASE' || \"Quoted  Name\""},
        {"a /* note */ + -- tail\n b", "a + b"},
        {"a/* nested /* inner */ still */+b", "a +b"},
        {"E'It\\'s' || e'x'", "e'It\\'s' || e'x'"},
        {"$Tag$ Mixed $$ Case $Tag$", "$Tag$ Mixed $$ Case $Tag$"},
        {"X'1F' | B'01'", "x'1F' | b'01'"},
        {"  now()  ", "now()"},
        {"'a''b'", "'a''b'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *c = canon(cases[i].in);
        cr_expect_str_eq(c, cases[i].out, "canon of [%s]", cases[i].in);
        free(c);
    }
}

Test(ident, decode_identifiers)
{
    sc_buf b = SC_BUF_INIT;
    sc_ident_decode(&b, "FundS", 5);
    cr_expect_str_eq(sc_buf_str(&b), "funds");
    sc_ident_decode(&b, "\"Fund \"\"X\"\"\"", 13);
    cr_expect_str_eq(sc_buf_str(&b), "Fund \"X\"");
    sc_ident_decode(&b, "ÉtÉ", strlen("ÉtÉ"));
    cr_expect_str_eq(sc_buf_str(&b), "ÉtÉ", "only ASCII letters fold, as in PostgreSQL");
    sc_buf_free(&b);
}

Test(ident, decode_strings)
{
    sc_buf b = SC_BUF_INIT;
    cr_assert(sc_string_decode(&b, "'it''s'", 7));
    cr_expect_str_eq(sc_buf_str(&b), "it's");
    const char *e = "E'a\\nb\\'c\\x41\\101\\\\'";
    cr_assert(sc_string_decode(&b, e, strlen(e)));
    cr_expect_str_eq(sc_buf_str(&b), "a\nb'cAA\\");
    cr_assert(sc_string_decode(&b, "$x$ $$ 'q' $x$", 14));
    cr_expect_str_eq(sc_buf_str(&b), " $$ 'q' ");
    cr_expect_not(sc_string_decode(&b, "E'\\x00'", 7), "a NUL escape is rejected");
    cr_expect_not(sc_string_decode(&b, "abc", 3));
    sc_buf_free(&b);
}
