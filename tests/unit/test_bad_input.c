/*
 * Broken input, fuzz-style: truncated files, garbage, NUL bytes, invalid
 * UTF-8, unbalanced parentheses, keywords as names, deep nesting, a
 * 100,000-column table.  Each must end in success or located errors:
 * never a crash, and (under the sanitizer build) never a leak or an
 * out-of-bounds access.
 */
#include <criterion/criterion.h>
#include <stdint.h>

#include "testutil.h"

static const char sample[] =
    "schema billing\n"
    "extension pgcrypto with schema public version '1.3'\n"
    "enum fund_status ('active', 'closed' renamed from 'done')\n"
    "collation billing.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)\n"
    "  comment 'ci'\n"
    "collation c2 (lc_collate = 'C', lc_ctype = \"POSIX\")\n"
    "sequence lot_numbers as int increment by -2 minvalue -100 no maxvalue\n"
    "  start -3 cache 5 cycle owned by funds.x comment 'lots'\n"
    "table funds renamed from fund {\n"
    "  id bigint primary key generated always as identity (start with 10)\n"
    "  name text not null check (length(name) between 1 and 200) -- name\n"
    "  status fund_status not null default 'active'::fund_status\n"
    "  payload jsonb default '{}' check (payload ? 'k' or payload @> '{\"a\": [1]}')\n"
    "  total numeric(12, 2) generated always as (coalesce(x, 0) * 2) stored\n"
    "  x int default -1 collate \"C\" comment 'it''s'\n"
    "  d date unique deferrable initially deferred\n"
    "  check ((d, d) overlaps (d, x)) comment 'check'\n"
    "  comment 'Funds'\n"
    "  constraint d_key unique (d, x) deferrable comment 'uq'\n"
    "  unique nulls not distinct (name, status) include (x)\n"
    "  constraint fk foreign key (x) references funds (id) on delete set null (x) deferrable\n"
    "  unique index (lower(name) text_pattern_ops desc nulls last, (x + 1)) using btree\n"
    "    where status in ('active') and x is not null /* nested /* c */ */ comment 'ix'\n"
    "}\n";

/* Compiles `len` bytes and checks the outcome is success or located errors. */
static void survive(const char *text, size_t len)
{
    sc_compiler *c = compile_named("bad.schema", text, len);
    char *d = diagnostics(c);
    for (size_t i = 0; i < c->diags.n; i++) {
        const sc_diag *g = &c->diags.items[i];
        cr_assert(g->loc.file != NULL && g->loc.line >= 1,
                  "unlocated diagnostic: %s", g->message);
        cr_assert(g->message[0] != '\0');
    }
    free(d);
    sc_compiler_free(c);
}

Test(bad_input, sample_is_valid)
{
    sc_compiler *c = compile_named("bad.schema", sample, sizeof sample - 1);
    char *d = diagnostics(c);
    cr_expect_eq(c->diags.nerrors, 0, "%s", d);
    free(d);
    sc_compiler_free(c);
}

Test(bad_input, every_truncation)
{
    size_t errors = 0;
    for (size_t n = 0; n < sizeof sample - 1; n++) {
        sc_compiler *c = compile_named("bad.schema", sample, n);
        errors += c->diags.nerrors > 0;
        for (size_t i = 0; i < c->diags.n; i++)
            cr_assert(c->diags.items[i].loc.line >= 1, "truncation %zu: %s", n,
                      c->diags.items[i].message);
        sc_compiler_free(c);
    }
    /* Most prefixes end mid-declaration and must be rejected. */
    cr_expect_gt(errors, (sizeof sample - 1) / 2);
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

Test(bad_input, ten_megabytes_of_garbage, .timeout = 240)
{
    size_t len = 10u << 20;
    char *buf = malloc(len);
    /* Garbage made of the language's own tokens, so the parser works hard. */
    static const char *const toks[] = {"table", "{", "}", "(", ")", "int", "not", "null", ",",
                                       "check", "'x'", "a", "\n", "--c\n", "::", "+", "index",
                                       "references", "\"q\"", "1.5", "unique", " ", "default"};
    size_t n = 0;
    while (n < len) {
        const char *t = toks[next_rand() % (sizeof toks / sizeof *toks)];
        size_t k = strlen(t);
        if (n + k + 1 > len)
            break;
        memcpy(buf + n, t, k);
        n += k;
        buf[n++] = ' ';
    }
    survive(buf, n);
    /* And raw random bytes. */
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)(next_rand() & 0xff);
    survive(buf, len);
    free(buf);
}

Test(bad_input, nul_bytes_and_invalid_utf8)
{
    const char nul[] = "table t {\n  a int\0 }\n";
    sc_compiler *c = compile_named("bad.schema", nul, sizeof nul - 1);
    char *d = diagnostics(c);
    cr_expect(strstr(d, "bad.schema:2:8: error: NUL byte") != NULL, "%s", d);
    free(d);
    sc_compiler_free(c);

    const char *bad[] = {"table t { a int } \xc3\x28", "table \xe2\x82 { }", "\xff\xfe", "\xed\xa0\x80",
                         "\xf8\x88\x80\x80\x80", "\xc0\xaf"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        c = compile_named("bad.schema", bad[i], strlen(bad[i]));
        cr_expect_eq(c->diags.nerrors, 1, "case %zu", i);
        cr_expect(strstr(c->diags.items[0].message, "invalid UTF-8") != NULL, "%s",
                  c->diags.items[0].message);
        sc_compiler_free(c);
    }
}

Test(bad_input, unbalanced_and_odd)
{
    const char *inputs[] = {
        "table t { a int check ((((((( }",
        "table t { a int check (a > 0))) }",
        "table t { a int default ) }",
        "table t }{",
        "}}}}}}",
        "table table { select int }",
        "table t { \"\" int }",
        "table t { a int references }",
        "enum e (",
        "enum e ('a' 'b')",
        "table t { a int[ }",
        "table t { a numeric(1,2,3) }",
        "table t { a int default $$unterminated }",
        "table t { a int default 'unterminated }",
        "table t { a int /* unterminated comment }",
        "table t { index () }",
        "table t { a int generated always as identity (start with 99999999999999999999) }",
        "table t { a int check (a = any (array[1,2])) unique unique }",
        "schema\nextension\nenum\ntable\n",
        "",
        "   \n\n  -- only a comment\n",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
        survive(inputs[i], strlen(inputs[i]));
}

Test(bad_input, deep_nesting, .timeout = 120)
{
    size_t depth = 100000;
    char *buf = malloc(depth * 2 + 64);
    size_t n = (size_t)sprintf(buf, "table t { a int check (");
    memset(buf + n, '(', depth);
    n += depth;
    buf[n++] = 'a';
    memset(buf + n, ')', depth);
    n += depth;
    n += (size_t)sprintf(buf + n, ") }\n");
    survive(buf, n);
    free(buf);
}

Test(bad_input, hundred_thousand_columns, .timeout = 120)
{
    size_t cols = 100000;
    char *buf = malloc(cols * 32 + 64);
    size_t n = (size_t)sprintf(buf, "table wide {\n");
    for (size_t i = 0; i < cols; i++)
        n += (size_t)sprintf(buf + n, "  c%zu int not null\n", i);
    n += (size_t)sprintf(buf + n, "}\n");
    sc_compiler *c = compile_named("wide.schema", buf, n);
    cr_expect_eq(c->diags.nerrors, 1, "only the 1600-column limit is an error");
    cr_expect(strstr(c->diags.items[0].message, "at most 1600") != NULL, "%s",
              c->diags.items[0].message);
    cr_expect_eq(c->model->tables[0]->ncolumns, cols);
    sc_compiler_free(c);
    free(buf);
}

Test(bad_input, too_many_errors_stop_per_file)
{
    size_t lines = 5000;
    char *buf = malloc(lines * 8 + 1);
    size_t n = 0;
    for (size_t i = 0; i < lines; i++)
        n += (size_t)sprintf(buf + n, "@ %% ;\n");
    sc_compiler *c = compile_named("noise.schema", buf, n);
    cr_expect_gt(c->diags.nerrors, 0);
    cr_expect_leq(c->diags.nerrors, 51);
    sc_compiler_free(c);
    free(buf);
}
