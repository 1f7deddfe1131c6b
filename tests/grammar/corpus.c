/*
 * Corpus test runner for the schemac tree-sitter grammar.
 *
 * Reads every `*.txt` file of the directory named on the command line in
 * tree-sitter's corpus format (a test is a header of `===` lines around its
 * name, the input, a `---` line and the expected s-expression), parses each
 * input with the compiled parser and compares `ts_node_string` of the root
 * with the expected tree, whitespace normalised.  Tests marked `:error` or
 * `:skip` (on a line below their name, or after it) are not run.
 *
 * A tree with ERROR or MISSING nodes is accepted only in `errors.txt`, the
 * file of error-recovery tests, and every test there must expect one: a
 * valid input that fails to parse elsewhere is a failure even when the
 * expected tree agrees.
 *
 * With `--update` the expected trees are rewritten in place from the
 * parser's output, pretty-printed as the tree-sitter CLI prints them (one
 * node per line, two spaces of indentation per level); trees with
 * unexpected errors are reported and left as they are.
 *
 * Usage: corpus [--update] CORPUS_DIR.  Prints each failure and a final
 * `N passed, M failed` line; exits 1 when a test failed.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_schemac(void);

/* A growable byte buffer. */
typedef struct buffer {
    char *data;
    size_t len;
    size_t cap;
} buffer;

/* One test of a corpus file, as byte ranges into the file's text. */
typedef struct corpus_test {
    char *name;            /* the test's name, without the header bars */
    bool skipped;          /* marked :error or :skip */
    size_t input_start;    /* first byte of the input */
    size_t input_end;      /* end of the input (its last newline dropped) */
    size_t expected_start; /* first byte after the divider line */
    size_t expected_end;   /* start of the next test's header, or EOF */
} corpus_test;

/* The counts printed at the end. */
typedef struct totals {
    int passed;
    int failed;
} totals;

/* Aborts with a message when memory runs out. */
static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL) {
        fprintf(stderr, "corpus: out of memory\n");
        exit(2);
    }
    return q;
}

/* Appends n bytes to a buffer, keeping it NUL-terminated. */
static void buf_append(buffer *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* Appends a NUL-terminated string to a buffer. */
static void buf_puts(buffer *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

/* Appends one character to a buffer. */
static void buf_putc(buffer *b, char c)
{
    buf_append(b, &c, 1);
}

/* Reads a whole file into a NUL-terminated buffer; NULL on error. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    buffer b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    bool failed = ferror(f) != 0;
    fclose(f);
    if (failed) {
        free(b.data);
        return NULL;
    }
    if (b.data == NULL)
        buf_append(&b, "", 0);
    *len = b.len;
    return b.data;
}

/* Writes a buffer to a file, replacing it; false on error. */
static bool write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    if (fclose(f) != 0)
        ok = false;
    return ok;
}

/* Returns the end of the line starting at pos (the offset of its '\n', or
 * len), and the line's length without a trailing '\r' in *content_len. */
static size_t line_end(const char *text, size_t len, size_t pos, size_t *content_len)
{
    size_t end = pos;
    while (end < len && text[end] != '\n')
        end++;
    size_t n = end - pos;
    if (n > 0 && text[pos + n - 1] == '\r')
        n--;
    if (content_len != NULL)
        *content_len = n;
    return end;
}

/* Returns the offset of the line after the one ending at end. */
static size_t next_line(size_t len, size_t end)
{
    return end < len ? end + 1 : len;
}

/* True when the line is made of at least three copies of c and nothing
 * else. */
static bool is_bar(const char *line, size_t n, char c)
{
    if (n < 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (line[i] != c)
            return false;
    return true;
}

/*
 * Recognises a test header at pos: a bar of '=', one or more lines that do
 * not begin with '=' (the name, then attribute lines such as `:error`),
 * and a closing bar.  On success fills the test's name and skipped flag
 * and returns the offset after the header; returns 0 otherwise.
 */
static size_t parse_header(const char *text, size_t len, size_t pos, corpus_test *t)
{
    size_t n;
    size_t end = line_end(text, len, pos, &n);
    if (!is_bar(text + pos, n, '=') || end >= len)
        return 0;
    size_t p = next_line(len, end);
    size_t name_start = 0, name_len = 0;
    bool have_name = false, skipped = false;
    int lines = 0;
    for (;;) {
        if (p >= len)
            return 0;
        end = line_end(text, len, p, &n);
        if (is_bar(text + p, n, '='))
            break;
        if (n > 0 && text[p] == '=')
            return 0;
        /* Trim the line for the name and attributes. */
        size_t a = p, b = p + n;
        while (a < b && (text[a] == ' ' || text[a] == '\t'))
            a++;
        while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t'))
            b--;
        if (b > a && text[a] == ':' && have_name) {
            if ((b - a == 6 && strncmp(text + a, ":error", 6) == 0) ||
                (b - a == 5 && strncmp(text + a, ":skip", 5) == 0))
                skipped = true;
        } else if (b > a && !have_name) {
            /* An attribute may also follow the name on its line. */
            if (b - a > 7 && strncmp(text + b - 7, " :error", 7) == 0) {
                skipped = true;
                b -= 7;
            } else if (b - a > 6 && strncmp(text + b - 6, " :skip", 6) == 0) {
                skipped = true;
                b -= 6;
            }
            while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t'))
                b--;
            name_start = a;
            name_len = b - a;
            have_name = true;
        }
        if (++lines > 16)
            return 0;
        p = next_line(len, end);
    }
    if (!have_name)
        return 0;
    t->name = xrealloc(NULL, name_len + 1);
    memcpy(t->name, text + name_start, name_len);
    t->name[name_len] = '\0';
    t->skipped = skipped;
    return next_line(len, end);
}

/*
 * Splits a corpus file into its tests.  The input of a test runs from its
 * header to the longest `---` line of its body (the last of the longest,
 * as the tree-sitter CLI chooses), without its final newline; the
 * expected tree runs from there to the next header.  Returns the number
 * of tests, or -1 (with a message) when the file is malformed.
 */
static int split_tests(const char *path, const char *text, size_t len, corpus_test **out)
{
    corpus_test *tests = NULL;
    int count = 0;
    size_t pos = 0;

    /* Find the first header, skipping blank lines. */
    corpus_test cur = {0};
    size_t body = 0;
    while (pos < len) {
        body = parse_header(text, len, pos, &cur);
        if (body != 0)
            break;
        size_t n;
        size_t end = line_end(text, len, pos, &n);
        for (size_t i = 0; i < n; i++)
            if (text[pos + i] != ' ' && text[pos + i] != '\t') {
                fprintf(stderr, "%s: text before the first test header\n", path);
                return -1;
            }
        pos = next_line(len, end);
    }

    while (body != 0) {
        /* Scan the body up to the next header. */
        size_t p = body;
        size_t div_start = 0, div_end = 0, div_len = 0;
        corpus_test next = {0};
        size_t next_body = 0;
        size_t body_end = len;
        while (p < len) {
            next_body = parse_header(text, len, p, &next);
            if (next_body != 0) {
                body_end = p;
                break;
            }
            size_t n;
            size_t end = line_end(text, len, p, &n);
            if (is_bar(text + p, n, '-') && n >= div_len) {
                div_start = p;
                div_end = next_line(len, end);
                div_len = n;
            }
            p = next_line(len, end);
        }
        if (div_len == 0) {
            fprintf(stderr, "%s: test '%s' has no '---' divider\n", path, cur.name);
            free(cur.name);
            free(next.name);
            for (int i = 0; i < count; i++)
                free(tests[i].name);
            free(tests);
            return -1;
        }
        cur.input_start = body;
        cur.input_end = div_start;
        if (cur.input_end > cur.input_start && text[cur.input_end - 1] == '\n')
            cur.input_end--;
        if (cur.input_end > cur.input_start && text[cur.input_end - 1] == '\r')
            cur.input_end--;
        cur.expected_start = div_end;
        cur.expected_end = body_end;
        tests = xrealloc(tests, sizeof *tests * (size_t)(count + 1));
        tests[count++] = cur;
        cur = next;
        body = next_body;
    }
    *out = tests;
    return count;
}

/*
 * Normalises an s-expression for comparison: runs of whitespace become
 * one space, the ends are trimmed, and spaces after '(' and before ')'
 * are removed.  Returns a new string.
 */
static char *normalise(const char *s, size_t n)
{
    char *out = xrealloc(NULL, n + 1);
    size_t len = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = true;
            continue;
        }
        if (space && len > 0 && out[len - 1] != '(' && c != ')')
            out[len++] = ' ';
        space = false;
        out[len++] = c;
    }
    out[len] = '\0';
    return out;
}

/* Appends a newline and the indentation of the given depth. */
static void new_line(buffer *b, int depth)
{
    buf_putc(b, '\n');
    for (int i = 0; i < depth; i++)
        buf_puts(b, "  ");
}

/* Returns the length of the token at s: a quoted string with its escapes,
 * or a run of characters up to whitespace or a parenthesis. */
static size_t token_length(const char *s)
{
    size_t i = 0;
    if (s[0] == '"') {
        i = 1;
        while (s[i] != '\0' && s[i] != '"') {
            if (s[i] == '\\' && s[i + 1] != '\0')
                i++;
            i++;
        }
        return s[i] == '"' ? i + 1 : i;
    }
    while (s[i] != '\0' && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '(' &&
           s[i] != ')')
        i++;
    return i;
}

/*
 * Pretty-prints an s-expression as the tree-sitter CLI writes it into a
 * corpus: each node on its own line, indented two spaces per level, a
 * field name on the same line as its node (`name: (identifier)`).
 */
static void pretty_print(const char *sexp, buffer *out)
{
    int depth = 0;
    bool pending_field = false; /* a `field:` was just written */
    bool at_start = true;
    const char *s = sexp;
    while (*s != '\0') {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            s++;
            continue;
        }
        if (*s == '(') {
            if (!pending_field && !at_start)
                new_line(out, depth);
            buf_putc(out, '(');
            depth++;
            s++;
            size_t n = token_length(s);
            buf_append(out, s, n);
            s += n;
            pending_field = false;
            at_start = false;
            continue;
        }
        if (*s == ')') {
            buf_putc(out, ')');
            depth--;
            s++;
            continue;
        }
        size_t n = token_length(s);
        if (n == 0) { /* a stray character: copy it */
            buf_putc(out, *s++);
            continue;
        }
        if (s[n - 1] == ':' && s[0] != '"') {
            /* A field name: on a new line, its node follows on the same. */
            if (!at_start)
                new_line(out, depth);
            buf_append(out, s, n);
            buf_putc(out, ' ');
            pending_field = true;
        } else {
            /* More of a node's head, e.g. `MISSING identifier`. */
            buf_putc(out, ' ');
            buf_append(out, s, n);
        }
        at_start = false;
        s += n;
    }
}

/* True when the string mentions an ERROR or MISSING node. */
static bool mentions_error(const char *s)
{
    return strstr(s, "(ERROR") != NULL || strstr(s, "(MISSING") != NULL;
}

/* True when path's last component is errors.txt. */
static bool is_errors_file(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    return strcmp(base, "errors.txt") == 0;
}

/* Prints a failing test's file, name, message, expected and actual trees. */
static void report_failure(const char *path, const char *name, const char *why,
                           const char *expected, const char *actual)
{
    printf("FAIL %s: %s\n", path, name);
    if (why != NULL)
        printf("  %s\n", why);
    printf("  expected: %s\n", expected);
    printf("  actual:   %s\n", actual);
}

/*
 * Runs the tests of one corpus file, adding to the totals; with update,
 * rewrites the file's expected trees from the parser's output.  Returns
 * false when the file could not be read, split or written.
 */
static bool run_file(TSParser *parser, const char *path, bool update, totals *tot)
{
    size_t len;
    char *text = read_file(path, &len);
    if (text == NULL) {
        fprintf(stderr, "corpus: cannot read %s\n", path);
        return false;
    }
    corpus_test *tests = NULL;
    int count = split_tests(path, text, len, &tests);
    if (count < 0) {
        free(text);
        return false;
    }
    bool errors_file = is_errors_file(path);
    buffer rewritten = {0};
    size_t copied = 0; /* bytes of text already copied to rewritten */
    bool changed = false;
    bool ok = true;

    for (int i = 0; i < count; i++) {
        corpus_test *t = &tests[i];
        if (t->skipped)
            continue;
        TSTree *tree = ts_parser_parse_string(parser, NULL, text + t->input_start,
                                              (uint32_t)(t->input_end - t->input_start));
        if (tree == NULL) {
            fprintf(stderr, "corpus: %s: %s: the parser returned no tree\n", path, t->name);
            tot->failed++;
            continue;
        }
        TSNode root = ts_tree_root_node(tree);
        char *sexp = ts_node_string(root);
        bool has_error = ts_node_has_error(root);
        char *actual = normalise(sexp, strlen(sexp));
        char *expected = normalise(text + t->expected_start, t->expected_end - t->expected_start);
        const char *why = NULL;
        if (has_error && !errors_file)
            why = "the tree has ERROR or MISSING nodes; error-recovery tests belong in errors.txt";
        else if (errors_file && !mentions_error(expected) && !(update && has_error))
            why = "a test in errors.txt must expect an ERROR or MISSING node";

        bool same = strcmp(actual, expected) == 0;
        if (update && why == NULL) {
            if (!same) {
                buf_append(&rewritten, text + copied, t->expected_start - copied);
                buf_putc(&rewritten, '\n');
                pretty_print(sexp, &rewritten);
                buf_puts(&rewritten, i + 1 < count ? "\n\n" : "\n");
                copied = t->expected_end;
                changed = true;
                printf("updated %s: %s\n", path, t->name);
            }
            tot->passed++;
        } else if (same && why == NULL) {
            tot->passed++;
        } else {
            report_failure(path, t->name, why, expected, actual);
            tot->failed++;
        }
        free(expected);
        free(actual);
        free(sexp);
        ts_tree_delete(tree);
    }

    if (changed) {
        buf_append(&rewritten, text + copied, len - copied);
        if (!write_file(path, rewritten.data, rewritten.len)) {
            fprintf(stderr, "corpus: cannot write %s\n", path);
            ok = false;
        }
    }
    free(rewritten.data);
    for (int i = 0; i < count; i++)
        free(tests[i].name);
    free(tests);
    free(text);
    return ok;
}

/* Orders file names for qsort. */
static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the `*.txt` files of a directory, sorted by name; -1 on error. */
static int list_corpus(const char *dir, char ***out)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    char **names = NULL;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || e->d_name[0] == '.' || strcmp(e->d_name + n - 4, ".txt") != 0)
            continue;
        size_t size = strlen(dir) + 1 + n + 1;
        char *path = xrealloc(NULL, size);
        snprintf(path, size, "%s/%s", dir, e->d_name);
        names = xrealloc(names, sizeof *names * (size_t)(count + 1));
        names[count++] = path;
    }
    closedir(d);
    if (count > 0)
        qsort(names, (size_t)count, sizeof *names, compare_names);
    *out = names;
    return count;
}

/* Parses the arguments, runs every corpus file and prints the totals. */
int main(int argc, char **argv)
{
    bool update = false;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--update") == 0)
            update = true;
        else if (dir == NULL && argv[i][0] != '-')
            dir = argv[i];
        else {
            fprintf(stderr, "usage: corpus [--update] CORPUS_DIR\n");
            return 2;
        }
    }
    if (dir == NULL) {
        fprintf(stderr, "usage: corpus [--update] CORPUS_DIR\n");
        return 2;
    }

    char **files = NULL;
    int nfiles = list_corpus(dir, &files);
    if (nfiles < 0) {
        fprintf(stderr, "corpus: cannot read directory %s\n", dir);
        return 2;
    }
    if (nfiles == 0) {
        fprintf(stderr, "corpus: no *.txt files in %s\n", dir);
        return 2;
    }

    TSParser *parser = ts_parser_new();
    if (!ts_parser_set_language(parser, tree_sitter_schemac())) {
        fprintf(stderr, "corpus: the parser's ABI does not match the library\n");
        ts_parser_delete(parser);
        return 2;
    }
    totals tot = {0, 0};
    bool io_ok = true;
    for (int i = 0; i < nfiles; i++) {
        if (!run_file(parser, files[i], update, &tot))
            io_ok = false;
        free(files[i]);
    }
    free(files);
    ts_parser_delete(parser);

    printf("%d passed, %d failed\n", tot.passed, tot.failed);
    if (!io_ok)
        return 2;
    return tot.failed > 0 ? 1 : 0;
}
