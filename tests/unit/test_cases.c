/*
 * Golden cases: each folder under tests/cases holds input.schema and one
 * or both of expected.diagnostics (what `schemac validate` reports) and
 * expected.fmt (what `schemac fmt` writes).  SCHEMAC_UPDATE_GOLDEN=1
 * rewrites the expectations from the current output, for review in git.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <sys/stat.h>

#include "testutil.h"

static char *run_diagnostics(const char *text, size_t len)
{
    sc_compiler *c = compile_named("input.schema", text, len);
    char *d = diagnostics(c);
    sc_compiler_free(c);
    return d;
}

static char *run_fmt(const char *text, size_t len)
{
    sc_compiler *c = sc_compiler_new();
    c->keep_trivia = true;
    sc_sources_add_text(&c->sources, "input.schema", text, len);
    char *out = NULL;
    if (sc_compiler_parse(c) == 0 && sc_compiler_lower(c) == 0) {
        (void)sc_compiler_check(c);
        sc_buf b = SC_BUF_INIT;
        sc_print_file(&b, c->model, "input.schema");
        out = sc_buf_detach(&b);
    } else {
        out = diagnostics(c);
    }
    sc_compiler_free(c);
    return out;
}

static void compare(const char *path, const char *actual, bool update, size_t *checked)
{
    char *expected = slurp(path, NULL);
    if (expected == NULL)
        return;
    (*checked)++;
    if (update) {
        FILE *f = fopen(path, "wb");
        fputs(actual, f);
        fclose(f);
    } else {
        cr_expect_str_eq(actual, expected, "%s differs", path);
    }
    free(expected);
}

Test(cases, golden)
{
    const char *root = SC_SOURCE_ROOT "/tests/cases";
    bool update = getenv("SCHEMAC_UPDATE_GOLDEN") != NULL;
    DIR *dir = opendir(root);
    cr_assert_not_null(dir, "cannot open %s", root);
    size_t checked = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s/input.schema", root, e->d_name);
        size_t len;
        char *input = slurp(path, &len);
        if (input == NULL)
            continue;
        char *d = run_diagnostics(input, len);
        snprintf(path, sizeof path, "%s/%s/expected.diagnostics", root, e->d_name);
        compare(path, d, update, &checked);
        char *f = run_fmt(input, len);
        snprintf(path, sizeof path, "%s/%s/expected.fmt", root, e->d_name);
        compare(path, f, update, &checked);
        free(d);
        free(f);
        free(input);
    }
    closedir(dir);
    cr_expect_gt(checked, 5, "only %zu golden files found", checked);
}
