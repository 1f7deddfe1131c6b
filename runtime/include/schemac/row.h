/*
 * schemac runtime — rows of generated structs, to and from PostgreSQL.
 *
 * `schemac gen` writes, per table, a struct (include/schema.h) and a table
 * descriptor with two thin functions (db/schema_db.c):
 *
 *     int T_from_result(const PGresult *res, int row, struct T *out,
 *                       schemac_arena *arena);
 *     int T_insert(PGconn *conn, const struct T *row, struct T *returned,
 *                  schemac_arena *arena);
 *
 * which call schemac_row_decode() and schemac_row_insert() below with the
 * table's descriptor.  The descriptor says, per column, its SQL name, its
 * C kind, where its member (and its _count and _present members) lie in
 * the struct, and the OID of its type when that is built in.
 *
 * Values travel in PostgreSQL's text format (docs/codegen.md lists each
 * type's C form).  Decoding reads a result by column *name*, so `SELECT *`
 * and any column order work; a column of the struct that the result lacks,
 * a column whose type does not match the member, a NULL in a column the
 * struct cannot hold NULL in, or text that does not parse is an error.
 * Inserting sends one parameter per column through PQexecParams, never
 * SQL built from values.
 *
 * Strings, arrays and bytea data of decoded rows live in the arena the
 * caller passes, and stay valid until it is reset or freed; the PGresult
 * may be cleared right after decoding.
 */
#ifndef SCHEMAC_ROW_H
#define SCHEMAC_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* libpq's PGconn and PGresult (struct pg_conn, struct pg_result). */
struct pg_conn;
struct pg_result;

/* The value types of generated headers, defined identically there (a
 * generated header defines them under SCHEMAC_TYPES_DEFINED). */
#if !defined(SCHEMAC_VALUE_TYPES_DEFINED) && !defined(SCHEMAC_TYPES_DEFINED)
#define SCHEMAC_VALUE_TYPES_DEFINED
/* uuid: the 16 bytes in network order. */
struct schemac_uuid {
    uint8_t bytes[16];
};

/* bytea: the bytes and their number. */
struct schemac_bytes {
    uint8_t *data;
    size_t len;
};

/* interval: PostgreSQL's three fields, never normalised into each other. */
struct schemac_interval {
    int32_t months;
    int32_t days;
    int64_t micros;
};
#endif

/* ------------------------------------------------------------------ */
/* Arenas                                                             */
/* ------------------------------------------------------------------ */

/*
 * Memory for decoded rows, and the last error.  Allocation is a pointer
 * bump in large blocks; nothing is freed alone.
 */
typedef struct schemac_arena schemac_arena;

/* A new empty arena; NULL when memory is exhausted. */
schemac_arena *schemac_arena_new(void);

/* `size` bytes aligned for any type (zeroed), owned by the arena; NULL when
 * memory is exhausted. */
void *schemac_arena_alloc(schemac_arena *a, size_t size);

/* Forgets every allocation (keeping one block for reuse) and the error. */
void schemac_arena_reset(schemac_arena *a);

/* Frees the arena and everything in it; accepts NULL. */
void schemac_arena_free(schemac_arena *a);

/* The last error of a decode or insert through `a`, one line without a
 * trailing newline; "" when there was none since the last reset. */
const char *schemac_arena_error(const schemac_arena *a);

/* ------------------------------------------------------------------ */
/* Descriptors (written by schemac gen)                               */
/* ------------------------------------------------------------------ */

/* The C form of a column (of its elements, for an array). */
enum schemac_kind {
    SCHEMAC_KIND_INT16 = 1, /* int16_t: smallint */
    SCHEMAC_KIND_INT32,     /* int32_t: integer */
    SCHEMAC_KIND_INT64,     /* int64_t: bigint */
    SCHEMAC_KIND_BOOL,      /* bool: boolean */
    SCHEMAC_KIND_FLOAT,     /* float: real */
    SCHEMAC_KIND_DOUBLE,    /* double: double precision */
    SCHEMAC_KIND_TEXT,      /* char *: text, varchar, char, numeric, json, ... */
    SCHEMAC_KIND_UUID,      /* struct schemac_uuid */
    SCHEMAC_KIND_BYTES,     /* struct schemac_bytes: bytea */
    SCHEMAC_KIND_DATE,      /* int32_t: days since 1970-01-01 */
    SCHEMAC_KIND_TIMESTAMP, /* int64_t: microseconds since 1970-01-01 00:00 */
    SCHEMAC_KIND_TIMESTAMPTZ, /* int64_t: microseconds since 1970-01-01 00:00 UTC */
    SCHEMAC_KIND_TIME,      /* int64_t: microseconds since midnight */
    SCHEMAC_KIND_INTERVAL,  /* struct schemac_interval */
    SCHEMAC_KIND_ENUM,      /* a C enum numbered from 0 in label order */
};

/* Column flags. */
#define SCHEMAC_COL_ARRAY 1u     /* T *member; size_t member_count; */
#define SCHEMAC_COL_NULLABLE 2u  /* bool member_present follows */
#define SCHEMAC_COL_NO_INSERT 4u /* generated, or identity ALWAYS: left to the database */

/* Infinite dates and timestamps (PostgreSQL's 'infinity' and '-infinity'). */
#define SCHEMAC_DATE_INFINITY INT32_MAX
#define SCHEMAC_DATE_NEG_INFINITY INT32_MIN
#define SCHEMAC_TIMESTAMP_INFINITY INT64_MAX
#define SCHEMAC_TIMESTAMP_NEG_INFINITY INT64_MIN

struct schemac_column {
    const char *name;        /* the SQL name, as PQfname() returns it */
    const char *type;        /* format_type() spelling, for messages */
    unsigned kind;           /* enum schemac_kind (of the elements, for an array) */
    unsigned flags;          /* SCHEMAC_COL_* */
    unsigned oid;            /* the type's OID (the array type's for an array) when
                              * built in; 0 (extension types, enums): not checked */
    size_t offset;           /* of the member */
    size_t size;             /* sizeof the member's element (the C enum's size) */
    size_t count_offset;     /* of member_count (arrays) */
    size_t present_offset;   /* of member_present (nullable columns) */
    const char *const *labels; /* enum labels, in order */
    size_t nlabels;
};

struct schemac_table {
    const char *name;                     /* the qualified SQL name, quoted as needed */
    const struct schemac_column *columns; /* in the table's column order */
    size_t ncolumns;
    const char *insert_sql; /* INSERT INTO name (cols) VALUES ($1, ...), every column
                             * without SCHEMAC_COL_NO_INSERT, in order */
};

/* ------------------------------------------------------------------ */
/* Decoding and inserting                                             */
/* ------------------------------------------------------------------ */

/*
 * Fills `*out` (a struct of table `t`) from row `row` of `res`, a result in
 * text format.  Columns are found by name; other columns of the result are
 * ignored.  Returns 0, or -1 with the reason in schemac_arena_error(a)
 * (naming the table, the column and the value): `res` is NULL or not
 * tuples, `row` is out of range, a column is missing, has another type, is
 * NULL where the struct has no presence flag, or does not parse.  `*out` is
 * left in an unspecified state on -1.
 */
int schemac_row_decode(const struct pg_result *res, int row, const struct schemac_table *t,
                       void *out, schemac_arena *a);

/*
 * Inserts `*row` (a struct of table `t`) with PQexecParams: one text
 * parameter per column without SCHEMAC_COL_NO_INSERT, NULL for a nullable
 * column whose presence flag is false.  When `returned` is not NULL, the
 * row as inserted (defaults, identity and generated columns included) is
 * read back into it with RETURNING *, its strings in `a`; a session whose
 * DateStyle is not ISO or IntervalStyle not postgres is refused first.
 * Returns 0; -1 with the reason in schemac_arena_error(a) when nothing was
 * inserted: the server's message (with its SQLSTATE), or a value that
 * cannot be sent (an enum value that is no label, a NULL string in a
 * column without presence flag); -2 when the row was inserted but could
 * not be read back into `returned` (the error says why).
 */
int schemac_row_insert(struct pg_conn *conn, const struct schemac_table *t, const void *row,
                       void *returned, schemac_arena *a);

#ifdef __cplusplus
}
#endif

#endif
