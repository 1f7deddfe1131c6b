/*
 * Plans: the ordered steps that take a database from one model to
 * another, each with its SQL, its inverse and its hazards.
 *
 * sc_plan_build() compares two checked models (`from`, the current state:
 * a database's catalog or the last snapshot; `to`, the desired schema) and
 * lists the steps in an order that respects dependencies: schemas,
 * extensions, collations and types before the tables that use them, tables
 * before their foreign keys, drops of dependants before what they depend
 * on.  The down script is the inverse of every step, in reverse order.
 *
 * Expressions and types are compared as the model holds them (catalog
 * spellings for a pulled or catalog-read model).  Normalising file
 * spellings through a server is a separate step, done before planning.
 */
#ifndef SC_PLAN_H
#define SC_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "model.h"

/* Hazards of a step (a bit set). */
enum {
    SC_HAZARD_DATA_LOSS = 1 << 0,         /* drops a column, table, label, ... or changes a
                                           * type so that values are rounded (a narrowing
                                           * that fails instead is only data_dependent) */
    SC_HAZARD_REWRITE = 1 << 1,           /* rewrites the table */
    SC_HAZARD_ACCESS_EXCLUSIVE = 1 << 2,  /* takes a lock that blocks reads and writes */
    SC_HAZARD_SCAN = 1 << 3,              /* scans the whole table under a lock */
    SC_HAZARD_DATA_DEPENDENT = 1 << 4,    /* may fail on existing rows */
    SC_HAZARD_NON_TRANSACTIONAL = 1 << 5, /* cannot run in a transaction block */
};

typedef enum sc_risk {
    SC_RISK_SAFE,
    SC_RISK_RISKY,
    SC_RISK_DANGEROUS,
} sc_risk;

typedef struct sc_step {
    char *what;     /* in words: "add column funds.vintage_year (integer, not null)" */
    char *up;       /* SQL, one or more statements each ending in ";\n" (or only
                     * "-- ..." comment lines, for a step whose work is in `down`) */
    char *down;     /* the inverse, or NULL when the step cannot be undone; only
                     * comment lines when the up needs no undoing of its own */
    char *down_why; /* when down cannot restore what up removed: why, in words */
    /*
     * Guards, or NULL.  `preflight` is SQL (DO blocks) that fails with
     * RAISE EXCEPTION ("schemac pre-flight: ...", with a count and, when
     * cheap, an example value) when rows of the database would make `up`
     * fail.  It is written against the state before the whole plan (the
     * names and types of `from`, before any rename) and reads only data
     * that exists then, because the emitter runs the preflights of all
     * steps, in step order, before the first step.  `down_preflight` is
     * the same for `down`, written against the state after the whole plan
     * (the names and types of `to`); the down script runs all of them, in
     * reverse step order, before its first step.  Neither changes anything.
     */
    char *preflight;
    char *down_preflight;
    unsigned hazards;
    bool transactional; /* false for CREATE/DROP INDEX CONCURRENTLY, ALTER TYPE ADD VALUE in old servers */
    /*
     * A transactional step that runs in a transaction of its own after the
     * steps before it have committed: the emitter writes COMMIT and BEGIN
     * before it unless the step before it (in the file's order, leaving
     * out steps whose SQL there is only comments) is `separate` too, so
     * consecutive separate steps share one transaction, and later steps
     * that are not separate join it.  Set on VALIDATE CONSTRAINT steps, so
     * that the scan runs under SHARE UPDATE EXCLUSIVE only, after the
     * NOT VALID constraint (and its ACCESS EXCLUSIVE lock) has committed.
     * It applies to whichever of `up` and `down` holds SQL: the other is
     * then only comments (a validation has nothing to undo).
     */
    bool separate;
    int phase;          /* ordering key; steps run in phase order, then in the order added */
} sc_step;

typedef struct sc_plan {
    sc_arena *arena; /* every string of the plan */
    sc_step *steps;
    size_t nsteps, capsteps;
} sc_plan;

/*
 * Fills `plan` with the steps from `from` to `to` (both checked models;
 * `from` may be an empty model).  Returns 0, or -1 after one line in `err`
 * for a change the planner cannot express yet (the message says so).
 * Free with sc_plan_free() in both cases.
 *
 * Not supported yet (each fails with "... is not supported yet"):
 * renaming an enum, removing or reordering the labels of an enum that a
 * check constraint, a foreign key, or an index expression or predicate
 * reads through a column, making a column serial when a sequence of its
 * sequence's name exists and the column's default is not its nextval()
 * (or the reverse; with nextval() the sequence is kept and altered),
 * changing a collation's
 * definition, moving an extension to another schema.  Steps
 * without an inverse (down NULL, with down_why): adding an enum label
 * (when no label goes away or moves), updating an extension's version.
 *
 * A column made serial gets the sequence PostgreSQL would make
 * (table_column_seq, owned by the column), nextval() as its default, NOT
 * NULL, and the sequence moved past the largest value of the column; a
 * serial column made ordinary loses its default and sequence (the down
 * makes them again, not at the sequence's old position); a serial of
 * another width changes the type of its sequence too.
 *
 * Steps that may fail on existing rows carry SC_HAZARD_DATA_DEPENDENT and
 * a preflight (see sc_step): new unique keys, unique indexes, checks and
 * foreign keys on existing tables, SET NOT NULL, type changes that may
 * fail, NOT NULL columns without a default, enum rebuilds.  Inverses that
 * may fail carry a down_preflight (the down of a widening narrows).
 */
int sc_plan_build(sc_plan *plan, const sc_model *from, const sc_model *to, sc_buf *err);

void sc_plan_free(sc_plan *plan);

/* The risk of a step: dangerous with data loss, risky with any other
 * hazard, else safe. */
sc_risk sc_step_risk(const sc_step *s);

/* Appends the up script (all steps in order) / the down script (inverses
 * in reverse order), without headers. */
void sc_plan_up_sql(sc_buf *out, const sc_plan *plan);
void sc_plan_down_sql(sc_buf *out, const sc_plan *plan);

/* Appends the names of the hazard bits in `hazards`, comma-separated. */
void sc_hazards_words(sc_buf *out, unsigned hazards);

/* "safe", "risky" or "dangerous". */
const char *sc_risk_name(sc_risk risk);

/* Appends the plan in words, one line per step with its hazards. */
void sc_plan_describe(sc_buf *out, const sc_plan *plan);

#endif
