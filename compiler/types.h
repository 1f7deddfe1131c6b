/*
 * PostgreSQL's built-in types as schema files may spell them, and their
 * canonical spelling: the text format_type() prints in the catalog, so
 * that `int`, `int4` and `integer` are one type, and `varchar(64)` is
 * `character varying(64)`.
 */
#ifndef SC_TYPES_H
#define SC_TYPES_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* A type as parsed: its name words and modifiers, before normalisation. */
typedef struct sc_type_spec {
    const char *schema;    /* NULL when unqualified */
    const char *name;      /* folded name, or the lower-case keyword words */
    bool quoted;           /* the name was written in double quotes */
    const char *const *mods; /* modifier texts */
    size_t nmods;
    int time_zone;         /* 0 unspecified, 1 with, -1 without */
    const char *interval_fields; /* e.g. "year to month", or NULL */
    size_t array_dims;
} sc_type_spec;

typedef enum sc_type_result {
    SC_TYPE_BUILTIN, /* canonical text written */
    SC_TYPE_UNKNOWN, /* not a built-in type: the caller resolves it */
    SC_TYPE_BAD,     /* a built-in type with bad modifiers: `err` says why */
} sc_type_result;

/*
 * Writes the canonical spelling of a built-in type into `out`.  `serial`
 * receives 2, 4 or 8 for the serial pseudo-types (whose canonical type is
 * the matching integer), else 0.  `err` receives a static message for
 * SC_TYPE_BAD.
 */
sc_type_result sc_type_canonical(const sc_type_spec *spec, sc_buf *out, int *serial,
                                 const char **err);

/* True for integer types (smallint, integer, bigint). */
bool sc_type_is_integer(const char *canon);

/* A coarse category for comparing foreign key column types. */
int sc_type_category(const char *canon);

#endif
