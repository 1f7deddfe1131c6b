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
    SC_HAZARD_DATA_LOSS = 1 << 0,         /* drops a column, table, label, ... or narrows a type */
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
    char *up;       /* SQL, one or more statements each ending in ";\n" */
    char *down;     /* the inverse, or NULL when the step cannot be undone */
    char *down_why; /* when down cannot restore what up removed: why, in words */
    char *preflight; /* SQL run before `up` that fails with a clear message on bad rows, or NULL */
    unsigned hazards;
    bool transactional; /* false for CREATE/DROP INDEX CONCURRENTLY, ALTER TYPE ADD VALUE in old servers */
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
 * removing or reordering enum labels, renaming an enum, changing a
 * column to or from serial, changing a collation's definition, moving an
 * extension to another schema.  Steps without an inverse (down NULL, with
 * down_why): adding an enum label, updating an extension's version.
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

/* Appends the plan in words, one line per step with its hazards. */
void sc_plan_describe(sc_buf *out, const sc_plan *plan);

#endif
