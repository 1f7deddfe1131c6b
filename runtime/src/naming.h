/*
 * PostgreSQL's default names for constraints, indexes and sequences, so
 * that an unnamed constraint in a schema file gets exactly the name the
 * server would give it (funds_pkey, funds_name_key, funds_fund_id_fkey,
 * funds_name_check, funds_vintage_year_created_at_idx, funds_id_seq).
 *
 * The rules follow PostgreSQL's makeObjectName() and ChooseIndexName():
 * parts are joined with underscores and, when the result would exceed 63
 * bytes, the longer of the two name parts is shortened first (on a UTF-8
 * character boundary).  Collisions are resolved by the caller, which
 * appends 1, 2, ... to the label as PostgreSQL does.
 */
#ifndef SC_NAMING_H
#define SC_NAMING_H

#include <stddef.h>

#include "arena.h"
#include "model.h"

#define SC_NAMEDATALEN 64 /* names hold at most 63 bytes */

/* makeObjectName(name1, name2, label); name2 and label may be NULL. */
char *sc_name_make(sc_arena *a, const char *name1, const char *name2, const char *label);

/* Joins names with '_' the way ChooseIndexNameAddition() does. */
char *sc_name_join(sc_arena *a, char *const *names, size_t n);

/* The label PostgreSQL uses for a kind: pkey, key, fkey, check. */
const char *sc_con_label(sc_con_kind kind);

/* The middle part of a constraint's default name (NULL for a primary key
 * and for a check that reads no single column). */
char *sc_constraint_name_addition(sc_arena *a, const sc_table *t, const sc_constraint *c);

/* The middle part of an index's default name: its column names joined. */
char *sc_index_name_addition(sc_arena *a, const sc_index *x);

/* Base default name of a constraint (no collision suffix). */
char *sc_constraint_default_name(sc_arena *a, const sc_table *t, const sc_constraint *c);

/* Base default name of an index (no collision suffix). */
char *sc_index_default_name(sc_arena *a, const sc_table *t, const sc_index *x);

#endif
