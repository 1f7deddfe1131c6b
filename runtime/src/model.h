/*
 * The schema model: the one picture of a schema that every part of
 * schemac shares.  The parser (compiler/lower.c), the catalog reader and
 * the snapshot reader produce it; the printer, the differ and the code
 * generators consume it.
 *
 * Names are stored as PostgreSQL stores them (unquoted names folded to
 * lower case).  Types and expressions are stored as text: types in the
 * spelling format_type() prints, expressions in the canonical token form
 * of sc_expr_canon().  Every constraint and index carries its name, the
 * one PostgreSQL would choose when the file gives none (see naming.c).
 *
 * A model and all it points to live in one arena: sc_model_free() frees
 * everything at once.  Source locations point at file names owned by the
 * caller, which must outlive the model.
 */
#ifndef SC_MODEL_H
#define SC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* Where an object was written; file is NULL for objects from a database. */
typedef struct sc_loc {
    const char *file;
    uint32_t line; /* 1-based */
    uint32_t col;  /* 1-based, in characters */
    uint32_t offset; /* byte offset of the start */
} sc_loc;

/*
 * Comments of the source file that belong to an object, kept so that
 * `schemac fmt` loses nothing: lines written above it and one written after
 * it on the same line.  Not part of the schema (the hash ignores them).
 */
typedef struct sc_trivia {
    char **lead;
    size_t nlead, caplead;
    char *trail;
    bool blank_after_lead; /* a blank line separated the comments above from the object */
} sc_trivia;

typedef enum sc_con_kind {
    SC_CON_PRIMARY,
    SC_CON_UNIQUE,
    SC_CON_FOREIGN,
    SC_CON_CHECK,
} sc_con_kind;

/* Referential actions, as pg_constraint.confupdtype/confdeltype spell them. */
enum {
    SC_FK_NO_ACTION = 'a',
    SC_FK_RESTRICT = 'r',
    SC_FK_CASCADE = 'c',
    SC_FK_SET_NULL = 'n',
    SC_FK_SET_DEFAULT = 'd',
};

/* Match types, as pg_constraint.confmatchtype spells them. */
enum {
    SC_MATCH_SIMPLE = 's',
    SC_MATCH_FULL = 'f',
    SC_MATCH_PARTIAL = 'p',
};

typedef struct sc_constraint {
    sc_con_kind kind;
    char *name;
    char **columns; /* key columns; for a check, the columns it reads */
    size_t ncolumns;
    char **include; /* primary key / unique INCLUDE columns */
    size_t ninclude;
    bool nulls_not_distinct;
    /* foreign key */
    char *ref_schema;
    char *ref_table;
    char **ref_columns;
    size_t nref_columns;
    char match;
    char on_delete;
    char on_update;
    char **delete_columns; /* ON DELETE SET NULL/DEFAULT (cols) */
    size_t ndelete_columns;
    bool deferrable;
    bool initially_deferred;
    /* check */
    char *expr;
    bool no_inherit;
    bool not_valid;
    char *comment; /* COMMENT ON CONSTRAINT */
    uint32_t ord; /* position among the table's entries, for fmt */
    sc_loc loc;
    sc_trivia trivia;
} sc_constraint;

/* Sequence options (identity columns and sequences); a `has_` flag is set
 * for each one written. */
typedef struct sc_seqopts {
    bool has_start, has_increment, has_min, has_max, has_cache, has_cycle;
    bool no_min, no_max;
    int64_t start, increment, min, max, cache;
    bool cycle;
} sc_seqopts;

typedef struct sc_column {
    char *name;
    char *type; /* format_type() spelling, e.g. "character varying(64)" */
    sc_loc type_loc;
    bool not_null;
    char *default_expr;
    char identity; /* 0, 'a' (always) or 'd' (by default) */
    sc_seqopts idopts;
    char *generated_expr; /* generated always as (...) stored */
    int serial; /* 0, or 2/4/8 for smallserial/serial/bigserial */
    char *collation_schema;
    char *collation;
    char *renamed_from;
    char *comment;
    sc_loc loc;
    sc_trivia trivia;
} sc_column;

typedef struct sc_index_key {
    char *column; /* a plain column, or NULL */
    char *expr;   /* else the expression, as written in the key position */
    char *colname; /* the name PostgreSQL gives this index column */
    char *collation_schema;
    char *collation;
    char *opclass_schema;
    char *opclass;
    bool desc;
    char nulls; /* 0 (default), 'f' (first) or 'l' (last) */
} sc_index_key;

typedef struct sc_index {
    char *name;
    bool unique;
    char *method; /* NULL means btree */
    sc_index_key *keys;
    size_t nkeys;
    char **include;
    size_t ninclude;
    bool nulls_not_distinct;
    char *where;
    char *comment; /* COMMENT ON INDEX */
    bool invalid; /* from a database: indisvalid is false */
    uint32_t ord;
    sc_loc loc;
    sc_trivia trivia;
} sc_index;

typedef struct sc_table {
    char *schema;
    char *name;
    char *renamed_from;
    sc_column **columns;
    size_t ncolumns, capcolumns;
    sc_constraint **constraints;
    size_t nconstraints, capconstraints;
    sc_index **indexes;
    size_t nindexes, capindexes;
    char *comment;
    sc_loc comment_loc;
    sc_trivia comment_trivia;
    sc_trivia footer; /* comments before the closing brace */
    uint32_t ord;
    uint32_t next_entry; /* next `ord` for an entry */
    sc_loc loc;
    sc_trivia trivia;
} sc_table;

typedef struct sc_enum_label {
    char *value;
    char *renamed_from;
    sc_loc loc;
} sc_enum_label;

typedef struct sc_enum {
    char *schema;
    char *name;
    char *renamed_from;
    sc_enum_label *labels;
    size_t nlabels, caplabels;
    char *comment;
    uint32_t ord;
    sc_loc loc;
    sc_trivia trivia;
} sc_enum;

typedef struct sc_schema {
    char *name;
    char *comment;
    uint32_t ord;
    sc_loc loc;
    sc_trivia trivia;
} sc_schema;

typedef struct sc_extension {
    char *name;
    char *schema;  /* WITH SCHEMA, or NULL */
    char *version; /* or NULL */
    char *comment;
    uint32_t ord;
    sc_loc loc;
    sc_trivia trivia;
} sc_extension;

/*
 * A sequence declared on its own (`sequence s as integer start with 100`).
 * Sequences made by serial and identity columns are not listed here: the
 * column implies them.  A sequence may be owned by a column of a table in
 * its own schema (OWNED BY), as PostgreSQL requires.
 */
typedef struct sc_sequence {
    char *schema;
    char *name;
    char *type; /* "smallint", "integer" or "bigint" (the default) */
    sc_seqopts opts; /* normalised: only options differing from the defaults */
    char *owned_table;  /* or NULL */
    char *owned_column;
    sc_loc owned_loc;   /* where `owned by` was written */
    char *comment;
    uint32_t ord;
    sc_loc loc;
    sc_trivia trivia;
} sc_sequence;

/*
 * A collation declared in the schema (CREATE COLLATION), for columns and
 * index keys that use it: `collation numeric (provider = icu, locale =
 * 'en-u-kn-true')`.  The libc provider takes `locale`, or `lc_collate` and
 * `lc_ctype` when they differ; icu takes `locale`.
 */
typedef struct sc_collation {
    char *schema;
    char *name;
    char provider; /* SC_COLL_LIBC or SC_COLL_ICU, as pg_collation.collprovider */
    char *locale;     /* or NULL when lc_collate/lc_ctype are given */
    char *lc_collate; /* libc only, with lc_ctype, when they differ */
    char *lc_ctype;
    bool nondeterministic; /* deterministic = false */
    char *comment;
    uint32_t ord;
    sc_loc loc;
    sc_trivia trivia;
} sc_collation;

enum {
    SC_COLL_LIBC = 'c',
    SC_COLL_ICU = 'i',
};

/* An object found in a database that the language does not manage yet. */
typedef struct sc_unmanaged {
    char *kind; /* "view", "function", ... */
    char *schema;
    char *name;
} sc_unmanaged;

/* Comments at the end of a file, after its last declaration. */
typedef struct sc_file_footer {
    const char *file;
    sc_trivia trivia;
} sc_file_footer;

typedef struct sc_model {
    sc_arena *arena;
    sc_schema **schemas;
    size_t nschemas, capschemas;
    sc_extension **extensions;
    size_t nextensions, capextensions;
    sc_enum **enums;
    size_t nenums, capenums;
    sc_table **tables;
    size_t ntables, captables;
    sc_sequence **sequences;
    size_t nsequences, capsequences;
    sc_collation **collations;
    size_t ncollations, capcollations;
    sc_unmanaged **unmanaged;
    size_t nunmanaged, capunmanaged;
    sc_file_footer **footers;
    size_t nfooters, capfooters;
    uint32_t next_ord;
} sc_model;

/* Creates an empty model with its own arena. */
sc_model *sc_model_new(void);

/* Frees the model and everything in its arena; accepts NULL. */
void sc_model_free(sc_model *model);

/* Constructors: each returns a zeroed object appended to its owner. */
sc_schema *sc_model_add_schema(sc_model *m, const char *name);
sc_extension *sc_model_add_extension(sc_model *m, const char *name);
sc_enum *sc_model_add_enum(sc_model *m, const char *schema, const char *name);
sc_enum_label *sc_enum_add_label(sc_model *m, sc_enum *e, const char *value);
sc_table *sc_model_add_table(sc_model *m, const char *schema, const char *name);
sc_column *sc_table_add_column(sc_model *m, sc_table *t, const char *name, const char *type);
sc_constraint *sc_table_add_constraint(sc_model *m, sc_table *t, sc_con_kind kind);
sc_index *sc_table_add_index(sc_model *m, sc_table *t);
sc_sequence *sc_model_add_sequence(sc_model *m, const char *schema, const char *name);
sc_collation *sc_model_add_collation(sc_model *m, const char *schema, const char *name);
sc_unmanaged *sc_model_add_unmanaged(sc_model *m, const char *kind, const char *schema,
                                     const char *name);

/*
 * Drops sequence options equal to PostgreSQL's defaults for a sequence of
 * integer type `type` ("smallint", "integer", "bigint"), so that writing
 * `start with 1` and leaving it out are the same schema.  `no minvalue`
 * and `no maxvalue` are the defaults and are dropped too.
 */
void sc_seqopts_normalise(sc_seqopts *o, const char *type);

/* Appends a comment line to trivia. */
void sc_trivia_add_lead(sc_model *m, sc_trivia *t, const char *text);

/* Lookups by name (linear; for small models and tests); a NULL schema
 * means public.  NULL when absent. */
sc_table *sc_model_find_table(const sc_model *m, const char *schema, const char *name);
sc_enum *sc_model_find_enum(const sc_model *m, const char *schema, const char *name);
sc_sequence *sc_model_find_sequence(const sc_model *m, const char *schema, const char *name);
sc_collation *sc_model_find_collation(const sc_model *m, const char *schema, const char *name);
sc_column *sc_table_find_column(const sc_table *t, const char *name);
sc_constraint *sc_table_primary_key(const sc_table *t);

/*
 * Returns a deep copy of table `t` (columns, constraints, indexes, their
 * comments, rename hints, source locations and trivia) allocated in the
 * arena of `dst`, which may be another model's.  The copy is not added to
 * `dst`'s tables: the caller places it (appends it, or replaces a table).
 * Source locations keep pointing at the file names `t`'s do.
 */
sc_table *sc_table_copy(sc_model *dst, const sc_table *t);

/* Copies an array of `n` strings into the model's arena. */
char **sc_model_strv(sc_model *m, char *const *v, size_t n);

/* Name of a constraint kind in words ("primary key", ...). */
const char *sc_con_kind_name(sc_con_kind kind);

#endif
