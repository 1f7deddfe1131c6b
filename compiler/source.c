/* Loading schema files (see source.h). */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

void sc_sources_free(sc_sources *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i]->path);
        free(s->items[i]->text);
        free(s->items[i]);
    }
    free(s->items);
    s->items = NULL;
    s->n = s->cap = 0;
}

static sc_source *push(sc_sources *s, char *path, char *text, size_t len)
{
    if (s->n == s->cap) {
        s->cap = s->cap == 0 ? 16 : s->cap * 2;
        s->items = sc_xrealloc(s->items, s->cap * sizeof *s->items);
    }
    sc_source *src = sc_xcalloc(1, sizeof *src);
    src->path = path;
    src->text = text;
    src->len = len;
    s->items[s->n++] = src;
    return src;
}

sc_source *sc_sources_add_text(sc_sources *s, const char *path, const char *text, size_t len)
{
    char *copy = sc_xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    return push(s, sc_xstrdup(path), copy, len);
}

char *sc_file_read(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *text = sc_xmalloc(cap + 1);
    for (;;) {
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
        if (len == cap) {
            cap *= 2;
            text = sc_xrealloc(text, cap + 1);
        }
    }
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        free(text);
        errno = EIO;
        return NULL;
    }
    text[len] = '\0';
    *len_out = len;
    return text;
}

static void add_file(sc_sources *s, const char *path, sc_diags *d)
{
    size_t len;
    char *text = sc_file_read(path, &len);
    if (text == NULL) {
        sc_error(d, NULL, 0, "cannot read %s: %s", path, strerror(errno));
        return;
    }
    push(s, sc_xstrdup(path), text, len);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

static void add_dir(sc_sources *s, const char *path, sc_diags *d, int depth)
{
    DIR *dir = opendir(path);
    if (dir == NULL) {
        sc_error(d, NULL, 0, "cannot read directory %s: %s", path, strerror(errno));
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap == 0 ? 16 : cap * 2;
            names = sc_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = sc_xstrdup(e->d_name);
    }
    closedir(dir);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        size_t plen = strlen(path);
        bool slash = plen > 0 && path[plen - 1] == '/';
        size_t len = plen + strlen(names[i]) + 2;
        char *full = sc_xmalloc(len);
        snprintf(full, len, "%s%s%s", path, slash ? "" : "/", names[i]);
        struct stat st;
        if (stat(full, &st) == 0) {
            if (S_ISDIR(st.st_mode) && depth < 32)
                add_dir(s, full, d, depth + 1);
            else if (S_ISREG(st.st_mode) && has_suffix(names[i], ".schema"))
                add_file(s, full, d);
        }
        free(full);
        free(names[i]);
    }
    free(names);
}

void sc_sources_add_path(sc_sources *s, const char *path, sc_diags *d)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        sc_error(d, NULL, 0, "cannot read %s: %s", path, strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode))
        add_dir(s, path, d, 0);
    else
        add_file(s, path, d);
}

const char *sc_sources_lookup(void *ctx, const char *file, size_t *len)
{
    const sc_sources *s = ctx;
    for (size_t i = 0; i < s->n; i++) {
        if (s->items[i]->path == file || strcmp(s->items[i]->path, file) == 0) {
            *len = s->items[i]->len;
            return s->items[i]->text;
        }
    }
    return NULL;
}

int sc_file_write_atomic(const char *path, const char *data, size_t len)
{
    size_t n = strlen(path) + 16;
    char *tmp = sc_xmalloc(n);
    snprintf(tmp, n, "%s.schemac-tmp", path);
    FILE *f = fopen(tmp, "wb");
    int rc = -1;
    if (f != NULL) {
        bool ok = fwrite(data, 1, len, f) == len;
        ok = fclose(f) == 0 && ok;
        if (ok && rename(tmp, path) == 0)
            rc = 0;
        else
            remove(tmp);
    }
    free(tmp);
    return rc;
}
