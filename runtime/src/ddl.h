/*
 * The model's DDL printer: SQL that creates the objects of a model.
 *
 * sc_ddl_create() writes a whole script that builds a model in an empty
 * database; tests rebuild a database from a model with it, and the
 * migration emitter uses the statement-level functions below for single
 * steps.  Everything is appended to an sc_buf; nothing here talks to a
 * server.
 *
 * Conventions of the text written:
 * - keywords are upper case; identifiers are quoted only when they must be
 *   (ident.c); string literals are written as PQescapeLiteral writes them;
 * - every relation, enum and sequence a statement names carries its schema,
 *   `public` included, so the statement means the same whatever the
 *   search_path;
 * - types, expressions, collations and operator classes are written as the
 *   model spells them: types of `public` (enums) and objects of extensions
 *   installed in `public` are unqualified there, so they resolve through a
 *   search_path that has `public` on it (sc_ddl_create() sets it);
 * - a "clause" function writes a fragment with no terminator; a
 *   "statement" function writes one statement ending with ";\n".
 */
#ifndef SC_DDL_H
#define SC_DDL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "model.h"

/* ------------------------------------------------------------ scripts */

/*
 * Appends a SQL script that creates every object of `m` in an empty
 * database (one where only the public schema exists).  The script first
 * sets search_path to public (see above), then creates, in this order:
 * schemas, extensions, enum types, sequences, tables (columns in model
 * order, with their primary keys, unique constraints and valid checks),
 * indexes, foreign keys and NOT VALID constraints, sequence ownership, and
 * comments.  Objects of one kind are written in model order, so the same
 * model always gives the same script.  Foreign keys come after every table
 * and index, so they never depend on the order of tables and may reference
 * a unique index.
 */
void sc_ddl_create(sc_buf *out, const sc_model *m);

/* ------------------------------------------------------------ clauses */

/* Appends schema.name, always with the schema; a NULL schema is public. */
void sc_ddl_qualified(sc_buf *out, const char *schema, const char *name);

/*
 * Appends a column definition as CREATE TABLE and ADD COLUMN take it:
 * name, type (smallserial/serial/bigserial for a serial column), COLLATE,
 * DEFAULT, NOT NULL, GENERATED ... AS IDENTITY [(options)] and
 * GENERATED ALWAYS AS (expr) STORED.
 */
void sc_ddl_column(sc_buf *out, const sc_column *c);

/*
 * Appends sequence options separated by single spaces (INCREMENT BY,
 * MINVALUE, MAXVALUE, START WITH, CACHE, [NO] CYCLE, for each one whose
 * has_ flag is set; NO MINVALUE / NO MAXVALUE when no_min / no_max).
 * Returns false, having written nothing, when no option is set.
 */
bool sc_ddl_seqopts(sc_buf *out, const sc_seqopts *o);

/*
 * Appends `CONSTRAINT name <definition>` for any kind of constraint, as
 * CREATE TABLE and ALTER TABLE ... ADD take it (the CONSTRAINT part is left
 * out when the name is NULL).  NOT VALID is appended when `not_valid` is
 * true: pass c->not_valid to reproduce the model, or true to add a check
 * or foreign key without scanning the table.
 */
void sc_ddl_constraint(sc_buf *out, const sc_constraint *c, bool not_valid);

/*
 * Whether sc_ddl_create_table() writes `c` inside CREATE TABLE: primary
 * keys, unique constraints and checks that are valid.  Foreign keys and
 * NOT VALID constraints are added afterwards with sc_ddl_add_constraint().
 */
bool sc_ddl_constraint_in_table(const sc_constraint *c);

/* -------------------------------------------------------- statements */

/* CREATE SCHEMA name; */
void sc_ddl_create_schema(sc_buf *out, const sc_schema *s);

/* CREATE EXTENSION name [WITH SCHEMA s] [VERSION 'v']; */
void sc_ddl_create_extension(sc_buf *out, const sc_extension *e);

/* CREATE TYPE schema.name AS ENUM ('label', ...); */
void sc_ddl_create_enum(sc_buf *out, const sc_enum *e);

/* CREATE SEQUENCE schema.name [AS type] [options]; (no ownership) */
void sc_ddl_create_sequence(sc_buf *out, const sc_sequence *q);

/* ALTER SEQUENCE schema.name OWNED BY schema.table.column;  (OWNED BY
 * NONE when the sequence has no owner) */
void sc_ddl_sequence_owned_by(sc_buf *out, const sc_sequence *q);

/*
 * CREATE TABLE schema.name (columns in model order, then the constraints
 * sc_ddl_constraint_in_table() accepts, in model order);
 */
void sc_ddl_create_table(sc_buf *out, const sc_table *t);

/* ALTER TABLE schema.table ADD CONSTRAINT name ... [NOT VALID]; (see
 * sc_ddl_constraint() for `not_valid`) */
void sc_ddl_add_constraint(sc_buf *out, const sc_table *t, const sc_constraint *c,
                           bool not_valid);

/*
 * CREATE [UNIQUE] INDEX [CONCURRENTLY] name ON schema.table [USING method]
 * (keys) [INCLUDE (...)] [NULLS NOT DISTINCT] [WHERE expr];
 * USING is written only for a method other than btree.
 */
void sc_ddl_create_index(sc_buf *out, const sc_table *t, const sc_index *x, bool concurrently);

/*
 * COMMENT ON <kind> <object> IS 'comment';  Each writes the object's own
 * comment, or IS NULL when it has none (which removes a comment).
 */
void sc_ddl_comment_schema(sc_buf *out, const sc_schema *s);
void sc_ddl_comment_extension(sc_buf *out, const sc_extension *e);
void sc_ddl_comment_enum(sc_buf *out, const sc_enum *e);
void sc_ddl_comment_sequence(sc_buf *out, const sc_sequence *q);
void sc_ddl_comment_table(sc_buf *out, const sc_table *t);
void sc_ddl_comment_column(sc_buf *out, const sc_table *t, const sc_column *c);
void sc_ddl_comment_constraint(sc_buf *out, const sc_table *t, const sc_constraint *c);
void sc_ddl_comment_index(sc_buf *out, const sc_table *t, const sc_index *x);
void sc_ddl_comment_collation(sc_buf *out, const sc_collation *k);

/* CREATE COLLATION name (provider = ..., locale = '...' | lc_collate, lc_ctype
 * [, deterministic = false]); */
void sc_ddl_create_collation(sc_buf *out, const sc_collation *k);

#endif
