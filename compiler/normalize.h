/*
 * Normalisation: a model read from schema files, brought to the spellings
 * the catalog prints (format_type, pg_get_expr, pg_get_indexdef), so that
 * it compares with a model read from a database.  The schema is created in
 * a scratch database on a development server (`--dev-url`) through the DDL
 * printer and read back through the catalog reader; the file model's rename
 * hints are carried over.  The scratch database is dropped afterwards.
 */
#ifndef SC_NORMALIZE_H
#define SC_NORMALIZE_H

#include "buf.h"
#include "model.h"

/*
 * Returns the normalised model, or NULL after one line in `err`; sets
 * `*connect_failed` when the development server could not be reached (the
 * caller's exit code 3) as opposed to a schema the server refused.
 */
sc_model *sc_normalize(const sc_model *files, const char *dev_url, int *connect_failed,
                       sc_buf *err);

#endif
