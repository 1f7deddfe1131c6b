/* `schemac pull` (see pull.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "catalog.h"
#include "commands.h"
#include "conn.h"
#include "ledger.h"
#include "ident.h"
#include "print.h"
#include "pull.h"
#include "source.h"
#include "util.h"

/* The output files: one per PostgreSQL schema, or one for everything. */
typedef struct layout {
    const char *dir;
    bool single;
    char **paths;   /* malloc'd */
    char **schemas; /* the schema each file holds (borrowed); NULL in single-file mode */
    size_t n, cap;
} layout;

/* A file name for schema `name`: letters, digits, `_`, `-` and `.` kept,
 * anything else written as `_`; a number added if two schemas collide. */
static char *file_name(const layout *l, const char *name)
{
    sc_buf b = SC_BUF_INIT;
    for (int attempt = 1;; attempt++) {
        sc_buf_reset(&b);
        sc_buf_printf(&b, "%s/", l->dir);
        size_t start = b.len;
        for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
            bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
                      (*p == '.' && b.len > start);
            sc_buf_putc(&b, ok ? (char)*p : '_');
        }
        if (attempt > 1)
            sc_buf_printf(&b, "_%d", attempt);
        sc_buf_puts(&b, ".schema");
        bool taken = false;
        for (size_t i = 0; i < l->n && !taken; i++)
            taken = strcasecmp(l->paths[i], sc_buf_str(&b)) == 0;
        if (!taken)
            return sc_buf_detach(&b);
    }
}

/* The path of the file that holds objects of `schema` (NULL: public). */
static const char *file_for(layout *l, const char *schema)
{
    if (schema == NULL)
        schema = "public";
    for (size_t i = 0; i < l->n; i++)
        if (l->single || strcmp(l->schemas[i], schema) == 0)
            return l->paths[i];
    if (l->n == l->cap) {
        l->cap = l->cap == 0 ? 8 : l->cap * 2;
        l->paths = sc_xrealloc(l->paths, l->cap * sizeof *l->paths);
        l->schemas = sc_xrealloc(l->schemas, l->cap * sizeof *l->schemas);
    }
    if (l->single) {
        sc_buf b = SC_BUF_INIT;
        sc_buf_printf(&b, "%s/%s", l->dir, SC_PULL_SINGLE_FILE);
        l->paths[l->n] = sc_buf_detach(&b);
    } else {
        l->paths[l->n] = file_name(l, schema);
    }
    l->schemas[l->n] = (char *)schema;
    return l->paths[l->n++];
}

static void layout_free(layout *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->paths);
    free(l->schemas);
}

/*
 * Gives every object the file it goes to and its order there: the schema
 * itself, extensions, collations, enums, sequences, tables, each by name as the
 * catalog reader listed them.  File paths are copied into the model's
 * arena so that they live as long as the model.
 */
static void assign_files(sc_model *m, layout *l)
{
    uint32_t ord = 0;
#define PLACE(obj, schema)                                                      \
    do {                                                                        \
        (obj)->loc.file = sc_arena_strdup(m->arena, file_for(l, (schema)));     \
        (obj)->ord = ord++;                                                     \
    } while (0)
    for (size_t i = 0; i < m->nschemas; i++)
        PLACE(m->schemas[i], m->schemas[i]->name);
    for (size_t i = 0; i < m->nextensions; i++)
        PLACE(m->extensions[i], m->extensions[i]->schema);
    for (size_t i = 0; i < m->ncollations; i++)
        PLACE(m->collations[i], m->collations[i]->schema);
    for (size_t i = 0; i < m->nenums; i++)
        PLACE(m->enums[i], m->enums[i]->schema);
    for (size_t i = 0; i < m->nsequences; i++)
        PLACE(m->sequences[i], m->sequences[i]->schema);
    for (size_t i = 0; i < m->ntables; i++)
        PLACE(m->tables[i], m->tables[i]->schema);
#undef PLACE
    /* Files for schemas that hold only unmanaged objects. */
    for (size_t i = 0; i < m->nunmanaged; i++)
        file_for(l, m->unmanaged[i]->schema);
}

/* A name for a comment line: control characters would end the comment. */
static void put_comment_name(sc_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        sc_buf_putc(b, *p < 0x20 || *p == 0x7f ? '?' : (char)*p);
}

/* The comment block listing the unmanaged objects that go with `schema`
 * (every one when `schema` is NULL). */
static void put_unmanaged(sc_buf *out, const sc_model *m, const char *schema, bool first_file)
{
    size_t count = 0;
    for (size_t i = 0; i < m->nunmanaged; i++) {
        const sc_unmanaged *u = m->unmanaged[i];
        bool mine = schema == NULL || (u->schema != NULL ? strcmp(u->schema, schema) == 0
                                                         : first_file);
        if (!mine)
            continue;
        if (count++ == 0)
            sc_buf_puts(out, "-- Not managed by schemac (the schema language has no form for "
                             "these yet);\n-- they stay in the database as they are:\n");
        sc_buf_puts(out, "--   ");
        sc_buf_puts(out, u->kind);
        sc_buf_putc(out, ' ');
        sc_buf b = SC_BUF_INIT;
        if (u->schema != NULL) {
            sc_ident_append(&b, u->schema);
            sc_buf_putc(&b, '.');
        }
        sc_buf_puts(&b, u->name);
        put_comment_name(out, sc_buf_str(&b));
        sc_buf_free(&b);
        sc_buf_putc(out, '\n');
    }
}

/* A warning for the indexes of `schema`'s tables (every schema when NULL)
 * that PostgreSQL marks invalid: what a failed CREATE INDEX CONCURRENTLY
 * leaves behind.  Pull writes them like the others; the database does not
 * use them. */
static void put_invalid(sc_buf *out, const sc_model *m, const char *schema)
{
    size_t count = 0;
    for (size_t i = 0; i < m->ntables; i++) {
        const sc_table *t = m->tables[i];
        if (schema != NULL && strcmp(t->schema, schema) != 0)
            continue;
        for (size_t j = 0; j < t->nindexes; j++) {
            if (!t->indexes[j]->invalid)
                continue;
            if (count++ == 0)
                sc_buf_puts(out, "-- Invalid indexes (left by a failed CREATE INDEX "
                                 "CONCURRENTLY; PostgreSQL does not use them,\n-- drop and "
                                 "build them again):\n");
            sc_buf b = SC_BUF_INIT;
            sc_ident_append_qualified(&b, t->schema, t->indexes[j]->name);
            sc_buf_puts(&b, " on ");
            sc_ident_append(&b, t->name);
            sc_buf_puts(out, "--   ");
            put_comment_name(out, sc_buf_str(&b));
            sc_buf_putc(out, '\n');
            sc_buf_free(&b);
        }
    }
}

/* The text of one file: the unmanaged block, a blank line, the declarations. */
static void file_text(sc_buf *out, const sc_model *m, const layout *l, size_t i)
{
    size_t start = out->len;
    put_unmanaged(out, m, l->single ? NULL : l->schemas[i], i == 0);
    put_invalid(out, m, l->single ? NULL : l->schemas[i]);
    sc_buf decls = SC_BUF_INIT;
    sc_print_file(&decls, m, l->paths[i]);
    if (out->len > start && decls.len > 0)
        sc_buf_putc(out, '\n');
    sc_buf_append(out, sc_buf_str(&decls), decls.len);
    sc_buf_free(&decls);
}

void sc_pull_text(sc_buf *out, sc_model *m)
{
    layout l = {.dir = ".", .single = true};
    assign_files(m, &l);
    if (l.n > 0)
        file_text(out, m, &l, 0);
    layout_free(&l);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Creates `dir` and its parents as needed. */
static int make_dirs(const char *dir)
{
    char *p = sc_xstrdup(dir);
    for (char *s = p + 1; *s != '\0'; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(p);
    return rc;
}

int sc_pull_write(sc_model *m, const char *dir, bool single_file, sc_buf *err)
{
    layout l = {.dir = dir, .single = single_file};
    assign_files(m, &l);

    if (make_dirs(dir) != 0) {
        sc_buf_printf(err, "cannot create directory %s: %s", dir, strerror(errno));
        layout_free(&l);
        return -1;
    }
    /* Other schema files in the directory would be read with ours. */
    DIR *d = opendir(dir);
    if (d == NULL) {
        sc_buf_printf(err, "cannot read directory %s: %s", dir, strerror(errno));
        layout_free(&l);
        return -1;
    }
    sc_buf others = SC_BUF_INIT;
    size_t nothers = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.' || !ends_with(e->d_name, ".schema"))
            continue;
        bool ours = false;
        for (size_t i = 0; i < l.n && !ours; i++) {
            const char *base = strrchr(l.paths[i], '/');
            ours = strcmp(base != NULL ? base + 1 : l.paths[i], e->d_name) == 0;
        }
        if (!ours) {
            sc_buf_printf(&others, "%s%s", nothers++ == 0 ? "" : ", ", e->d_name);
        }
    }
    closedir(d);
    if (nothers > 0) {
        sc_buf_printf(err,
                      "%s already holds schema file%s this pull would not write (%s); "
                      "remove %s or pull into another directory",
                      dir, nothers == 1 ? "" : "s", sc_buf_str(&others),
                      nothers == 1 ? "it" : "them");
        sc_buf_free(&others);
        layout_free(&l);
        return -1;
    }
    sc_buf_free(&others);

    int written = 0;
    for (size_t i = 0; i < l.n; i++) {
        sc_buf text = SC_BUF_INIT;
        file_text(&text, m, &l, i);
        int rc = sc_file_write_atomic(l.paths[i], sc_buf_str(&text), text.len);
        sc_buf_free(&text);
        if (rc != 0) {
            sc_buf_printf(err, "cannot write %s: %s", l.paths[i], strerror(errno));
            layout_free(&l);
            return -1;
        }
        written++;
    }
    layout_free(&l);
    return written;
}

static void usage(void)
{
    fputs("usage: schemac pull [--db URL] [--out DIR | --out -] [--single-file]\n", stderr);
}

int sc_cmd_pull(int argc, char **argv)
{
    const char *db = NULL, *out = "schema";
    bool single = false;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            db = argv[i] + 5;
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strncmp(argv[i], "--out=", 6) == 0) {
            out = argv[i] + 6;
        } else if (strcmp(argv[i], "--single-file") == 0) {
            single = true;
        } else {
            fprintf(stderr, "schemac pull: unknown argument '%s'\n", argv[i]);
            usage();
            return 2;
        }
    }
    sc_buf err = SC_BUF_INIT;
    PGconn *conn = sc_conn_open(db, &err);
    if (conn == NULL) {
        fprintf(stderr, "schemac pull: %s\n", sc_buf_str(&err));
        sc_buf_free(&err);
        return SC_EXIT_CONNECT;
    }
    sc_catalog_stats stats;
    sc_model *m = sc_catalog_read(conn, &stats, &err);
    /* The migration ledger is the runtime's, not part of the schema. */
    if (m != NULL)
        sc_ledger_strip_default(m);
    char *dbname = sc_xstrdup(PQdb(conn));
    PQfinish(conn);
    if (m == NULL) {
        fprintf(stderr, "schemac pull: database \"%s\": %s\n", dbname, sc_buf_str(&err));
        free(dbname);
        sc_buf_free(&err);
        return SC_EXIT_CONNECT;
    }

    int rc = 0;
    if (strcmp(out, "-") == 0) {
        sc_buf text = SC_BUF_INIT;
        sc_pull_text(&text, m);
        fwrite(sc_buf_str(&text), 1, text.len, stdout);
        sc_buf_free(&text);
    } else {
        int files = sc_pull_write(m, out, single, &err);
        if (files < 0) {
            fprintf(stderr, "schemac pull: %s\n", sc_buf_str(&err));
            rc = 2;
        } else {
            size_t nseq = m->nsequences;
            fprintf(stderr,
                    "pulled database \"%s\" into %s: %d file%s, %zu schema%s, %zu extension%s, "
                    "%zu enum%s, %zu sequence%s, %zu table%s (%u queries)\n",
                    dbname, out, files, files == 1 ? "" : "s", m->nschemas,
                    m->nschemas == 1 ? "" : "s", m->nextensions, m->nextensions == 1 ? "" : "s",
                    m->nenums, m->nenums == 1 ? "" : "s", nseq, nseq == 1 ? "" : "s",
                    m->ntables, m->ntables == 1 ? "" : "s", stats.queries);
            if (m->nunmanaged > 0)
                fprintf(stderr,
                        "%zu object%s not under management are listed at the top of the "
                        "files\n",
                        m->nunmanaged, m->nunmanaged == 1 ? "" : "s");
        }
    }
    free(dbname);
    sc_buf_free(&err);
    sc_model_free(m);
    return rc;
}
