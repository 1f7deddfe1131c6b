/*
 * The drift report: how a live database differs from the schema it should
 * have, in words, for `schemac check` (the CI gate "the live catalog
 * equals the schema at the ledger's version").
 *
 * sc_drift_compare() pairs the objects of two models by name, as the
 * planner does, and lists each difference as one item: the object, named
 * the way a PostgreSQL user names it ("column funds.vintage_year", schema
 * qualified only outside public), and what differs, the database's side
 * first ("integer in the database, bigint in the schema").  There is no
 * rename inference: a renamed column is one missing and one extra.  Both
 * models must spell types and expressions the same way (the catalog's
 * spelling), which is what they hold when the expected schema comes from
 * the ledger's snapshot and the other from the catalog reader.
 */
#ifndef SC_DRIFT_H
#define SC_DRIFT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "model.h"

/* One difference: `object` ("column funds.name") and `message` ("nullable
 * in the database, not null in the schema").  Both are malloc'd and owned
 * by the sc_drift that holds the item. */
typedef struct sc_drift_item {
    char *object;
    char *message;
} sc_drift_item;

/* A list of differences; start from SC_DRIFT_INIT and release with
 * sc_drift_free(). */
typedef struct sc_drift {
    sc_drift_item *items;
    size_t n, cap;
} sc_drift;

#define SC_DRIFT_INIT {NULL, 0, 0}

/*
 * Compares `db` (a model read from a live database) with `schema` (the
 * expected schema) and appends one item to `out` per difference, in a
 * stable order: schemas, extensions, collations, enums, sequences, then
 * tables, each kind by qualified name; within a table, its columns (by
 * name), constraints, indexes, then comments (the table's, its columns',
 * constraints' and indexes').  The contents of a table, enum or sequence
 * that one side lacks are not listed: the object's own line says it all.
 * An extension's version and schema are compared only when `schema` states
 * them (NULL means any).  A constraint that is NOT VALID in the database
 * but not in the schema is a difference; so is an index that is invalid
 * in the database.  With `strict`, each object of db->unmanaged (kinds the
 * language does not manage yet) is a difference too, listed last.
 * Returns the number of items appended; cannot fail.  Nothing in `out`
 * borrows from the models.
 */
size_t sc_drift_compare(sc_drift *out, const sc_model *db, const sc_model *schema, bool strict);

/* Frees the items of `d` and empties it; accepts NULL. */
void sc_drift_free(sc_drift *d);

/* Appends the report to `out`, one line per item ("object: message\n"),
 * in the order of the items; nothing for an empty list. */
void sc_drift_format(sc_buf *out, const sc_drift *d);

#endif
