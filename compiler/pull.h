/*
 * `schemac pull`: a model read from a database, written back as schema
 * files in the layout `schemac fmt` keeps (so `fmt --check` passes on
 * them): one file per PostgreSQL schema (`public.schema`,
 * `billing.schema`, ...) or one file for everything, each with the objects
 * schemac does not manage yet listed in a comment block at its top.
 */
#ifndef SC_PULL_H
#define SC_PULL_H

#include <stdbool.h>

#include "buf.h"
#include "model.h"

/* Name of the file written with --single-file. */
#define SC_PULL_SINGLE_FILE "database.schema"

/*
 * Writes `m` into directory `dir` (created if missing).  Sets the source
 * location file and order of the model's objects to the files and order
 * they are written in.  Refuses, before writing anything, when `dir`
 * already holds .schema files this pull would not write (they would be
 * read together with the new ones).  Returns the number of files written,
 * or -1 after one line in `err`.
 */
int sc_pull_write(sc_model *m, const char *dir, bool single_file, sc_buf *err);

/* Appends the whole model as one file's text (what --out - prints). */
void sc_pull_text(sc_buf *out, sc_model *m);

#endif
