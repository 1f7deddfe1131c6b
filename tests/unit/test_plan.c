/*
 * The planner (plan.h): the exact up and down SQL, hazards and order of
 * the steps between two schemas given as text, for each kind of change,
 * and the changes it refuses ("not supported yet").  tests/pg runs plans
 * on a server.
 */
#include <criterion/criterion.h>

#include "plan.h"
#include "testutil.h"

/* A plan between two schemas, with its scripts and description. */
typedef struct planned {
    sc_compiler *from, *to;
    sc_plan plan;
    int rc;
    char *err, *up, *down, *words;
} planned;

static sc_compiler *compiled(const char *text)
{
    sc_compiler *c = compile_text(text);
    if (c->diags.nerrors != 0) {
        char *d = diagnostics(c);
        cr_log_error("%s", d);
        free(d);
    }
    cr_assert_eq(c->diags.nerrors, 0, "the schema must compile: %s", text);
    return c;
}

static planned plan_of(const char *from, const char *to)
{
    planned p;
    memset(&p, 0, sizeof p);
    p.from = compiled(from);
    p.to = compiled(to);
    sc_buf err = SC_BUF_INIT, up = SC_BUF_INIT, down = SC_BUF_INIT, words = SC_BUF_INIT;
    p.rc = sc_plan_build(&p.plan, p.from->model, p.to->model, &err);
    sc_plan_up_sql(&up, &p.plan);
    sc_plan_down_sql(&down, &p.plan);
    sc_plan_describe(&words, &p.plan);
    p.err = sc_buf_detach(&err);
    p.up = sc_buf_detach(&up);
    p.down = sc_buf_detach(&down);
    p.words = sc_buf_detach(&words);
    return p;
}

static void planned_free(planned *p)
{
    sc_plan_free(&p->plan);
    sc_compiler_free(p->from);
    sc_compiler_free(p->to);
    free(p->err);
    free(p->up);
    free(p->down);
    free(p->words);
}

/* Checks the up and down scripts and the description of a plan. */
static void expect_plan(const char *from, const char *to, const char *up, const char *down,
                        const char *words)
{
    planned p = plan_of(from, to);
    cr_expect_eq(p.rc, 0, "plan fails: %s", p.err);
    cr_expect_str_eq(p.up, up);
    cr_expect_str_eq(p.down, down);
    if (words != NULL)
        cr_expect_str_eq(p.words, words);
    planned_free(&p);
}

/* Checks that planning fails with `message`. */
static void expect_unsupported(const char *from, const char *to, const char *message)
{
    planned p = plan_of(from, to);
    cr_expect_eq(p.rc, -1);
    cr_expect_str_eq(p.err, message);
    planned_free(&p);
}

#define T1 "table t {\n  id integer primary key\n}\n"

Test(plan, no_change_gives_no_steps)
{
    const char *text = "schema s\n"
                       "extension pgcrypto\n"
                       "enum mood ('a', 'b')\n"
                       "sequence q as integer start with 10\n"
                       "table t {\n  id integer primary key\n  m mood not null default 'a'\n"
                       "  r integer references t (id)\n  index (m)\n  comment 'x'\n}\n";
    planned p = plan_of(text, text);
    cr_expect_eq(p.rc, 0);
    cr_expect_eq(p.plan.nsteps, 0);
    cr_expect_str_eq(p.up, "");
    cr_expect_str_eq(p.down, "");
    planned_free(&p);
}

Test(plan, create_table)
{
    expect_plan("",
                "table t {\n  id integer primary key\n  name text not null comment 'the name'\n"
                "  comment 'a table'\n}\n",
                "CREATE TABLE public.t (\n    id integer NOT NULL,\n    name text NOT NULL,\n"
                "    CONSTRAINT t_pkey PRIMARY KEY (id)\n);\n"
                "COMMENT ON TABLE public.t IS 'a table';\n"
                "COMMENT ON COLUMN public.t.name IS 'the name';\n",
                "DROP TABLE public.t;\n", "create table t safe\n");
}

Test(plan, drop_table)
{
    planned p = plan_of("table t {\n  id integer primary key\n  v text\n  index (v)\n}\n", "");
    cr_expect_eq(p.rc, 0);
    cr_expect_str_eq(p.up, "DROP TABLE public.t;\n");
    cr_expect_str_eq(p.down, "CREATE TABLE public.t (\n    id integer NOT NULL,\n    v text,\n"
                             "    CONSTRAINT t_pkey PRIMARY KEY (id)\n);\n"
                             "CREATE INDEX t_v_idx ON public.t (v);\n");
    cr_assert_eq(p.plan.nsteps, 1);
    cr_expect_eq(p.plan.steps[0].hazards, SC_HAZARD_DATA_LOSS);
    cr_expect_str_eq(p.plan.steps[0].down_why, "rows are not restored");
    cr_expect_str_eq(p.words, "drop table t [data_loss] dangerous\n");
    planned_free(&p);
}

Test(plan, add_columns)
{
    planned p = plan_of(T1, "table t {\n  id integer primary key\n  a text\n"
                            "  b integer not null\n  c integer not null default 0\n}\n");
    cr_expect_str_eq(p.up, "ALTER TABLE public.t ADD COLUMN a text;\n"
                           "ALTER TABLE public.t ADD COLUMN b integer NOT NULL;\n"
                           "ALTER TABLE public.t ADD COLUMN c integer DEFAULT 0 NOT NULL;\n");
    cr_expect_str_eq(p.down, "ALTER TABLE public.t DROP COLUMN c;\n"
                             "ALTER TABLE public.t DROP COLUMN b;\n"
                             "ALTER TABLE public.t DROP COLUMN a;\n");
    cr_expect_str_eq(p.words, "add column t.a (text) safe\n"
                              "add column t.b (integer, not null) [data_dependent] risky\n"
                              "add column t.c (integer, not null) safe\n");
    planned_free(&p);
}

Test(plan, drop_column)
{
    planned p = plan_of("table t {\n  id integer primary key\n  a text comment 'x'\n}\n", T1);
    cr_expect_str_eq(p.up, "ALTER TABLE public.t DROP COLUMN a;\n");
    cr_expect_str_eq(p.down, "ALTER TABLE public.t ADD COLUMN a text;\n"
                             "COMMENT ON COLUMN public.t.a IS 'x';\n");
    cr_expect_str_eq(p.words, "drop column t.a [data_loss] dangerous\n");
    planned_free(&p);
}

Test(plan, change_type_widening_and_narrowing)
{
    expect_plan("table t {\n  a integer\n  b character varying(10)\n  c bigint\n}\n",
                "table t {\n  a bigint\n  b character varying(20)\n  c integer\n}\n",
                "ALTER TABLE public.t ALTER COLUMN a TYPE bigint;\n"
                "ALTER TABLE public.t ALTER COLUMN b TYPE character varying(20);\n"
                "ALTER TABLE public.t ALTER COLUMN c TYPE integer;\n",
                "ALTER TABLE public.t ALTER COLUMN c TYPE bigint;\n"
                "ALTER TABLE public.t ALTER COLUMN b TYPE character varying(10);\n"
                "ALTER TABLE public.t ALTER COLUMN a TYPE integer;\n",
                "change type of column t.a from integer to bigint [rewrite, access_exclusive] risky\n"
                "change type of column t.b from character varying(10) to character varying(20)"
                " [access_exclusive] risky\n"
                "change type of column t.c from bigint to integer"
                " [rewrite, access_exclusive, data_dependent] risky\n");
}

Test(plan, change_type_with_default_and_collation)
{
    expect_plan("table t {\n  a integer default 1\n  b text\n}\n",
                "table t {\n  a bigint default 1\n  b text collate \"C\"\n}\n",
                "ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT;\n"
                "ALTER TABLE public.t ALTER COLUMN a TYPE bigint;\n"
                "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 1;\n"
                "ALTER TABLE public.t ALTER COLUMN b TYPE text COLLATE \"C\";\n",
                "ALTER TABLE public.t ALTER COLUMN b TYPE text;\n"
                "ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT;\n"
                "ALTER TABLE public.t ALTER COLUMN a TYPE integer;\n"
                "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 1;\n",
                NULL);
}

Test(plan, defaults_and_not_null)
{
    expect_plan("table t {\n  a integer default 1\n  b integer\n  c integer not null\n}\n",
                "table t {\n  a integer default 2\n  b integer not null default 5\n  c integer\n}\n",
                "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 2;\n"
                "ALTER TABLE public.t ALTER COLUMN b SET NOT NULL;\n"
                "ALTER TABLE public.t ALTER COLUMN b SET DEFAULT 5;\n"
                "ALTER TABLE public.t ALTER COLUMN c DROP NOT NULL;\n",
                "ALTER TABLE public.t ALTER COLUMN c SET NOT NULL;\n"
                "ALTER TABLE public.t ALTER COLUMN b DROP DEFAULT;\n"
                "ALTER TABLE public.t ALTER COLUMN b DROP NOT NULL;\n"
                "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 1;\n",
                "change default of column t.a from 1 to 2 safe\n"
                "set not null on column t.b [access_exclusive, scan, data_dependent] risky\n"
                "set default of column t.b to 5 safe\n"
                "drop not null of column t.c safe\n");
}

Test(plan, column_comment)
{
    expect_plan("table t {\n  a integer comment 'old'\n  b integer\n}\n",
                "table t {\n  a integer\n  b integer comment 'it''s'\n}\n",
                "COMMENT ON COLUMN public.t.a IS NULL;\n"
                "COMMENT ON COLUMN public.t.b IS 'it''s';\n",
                "COMMENT ON COLUMN public.t.b IS NULL;\n"
                "COMMENT ON COLUMN public.t.a IS 'old';\n",
                NULL);
}

Test(plan, identity)
{
    expect_plan("table t {\n  a integer not null\n  b integer generated always as identity\n"
                "  c bigint generated always as identity\n}\n",
                "table t {\n  a integer generated by default as identity\n  b integer not null\n"
                "  c bigint generated by default as identity (increment by 5)\n}\n",
                "ALTER TABLE public.t ALTER COLUMN a ADD GENERATED BY DEFAULT AS IDENTITY;\n"
                "ALTER TABLE public.t ALTER COLUMN b DROP IDENTITY;\n"
                "ALTER TABLE public.t ALTER COLUMN c SET GENERATED BY DEFAULT SET INCREMENT BY 5;\n",
                "ALTER TABLE public.t ALTER COLUMN c SET GENERATED ALWAYS SET INCREMENT BY 1;\n"
                "ALTER TABLE public.t ALTER COLUMN b ADD GENERATED ALWAYS AS IDENTITY;\n"
                "ALTER TABLE public.t ALTER COLUMN a DROP IDENTITY;\n",
                NULL);
}

Test(plan, generated_column_is_dropped_and_added)
{
    planned p = plan_of("table t {\n  a integer\n  g integer generated always as (a * 2) stored\n}\n",
                        "table t {\n  a integer\n  g integer generated always as (a * 3) stored\n}\n");
    cr_expect_str_eq(p.up, "ALTER TABLE public.t DROP COLUMN g;\n"
                           "ALTER TABLE public.t ADD COLUMN g integer GENERATED ALWAYS AS (a * 3) STORED;\n");
    cr_expect_str_eq(p.down, "ALTER TABLE public.t DROP COLUMN g;\n"
                             "ALTER TABLE public.t ADD COLUMN g integer GENERATED ALWAYS AS (a * 2) STORED;\n");
    cr_assert_eq(p.plan.nsteps, 1);
    cr_expect(p.plan.steps[0].hazards & SC_HAZARD_DATA_LOSS);
    planned_free(&p);
}

Test(plan, constraints_on_existing_table)
{
    planned p = plan_of("table t {\n  id integer\n  v integer\n}\n",
                        "table t {\n  id integer primary key\n  v integer check (v > 0)\n"
                        "  unique (v)\n}\n");
    cr_expect_str_eq(p.up,
                     "ALTER TABLE public.t ALTER COLUMN id SET NOT NULL;\n"
                     "ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);\n"
                     "ALTER TABLE public.t ADD CONSTRAINT t_v_check CHECK (v > 0) NOT VALID;\n"
                     "ALTER TABLE public.t VALIDATE CONSTRAINT t_v_check;\n"
                     "ALTER TABLE public.t ADD CONSTRAINT t_v_key UNIQUE (v);\n");
    cr_expect_str_eq(p.down, "ALTER TABLE public.t DROP CONSTRAINT t_v_key;\n"
                             "ALTER TABLE public.t DROP CONSTRAINT t_v_check;\n"
                             "ALTER TABLE public.t DROP CONSTRAINT t_pkey;\n"
                             "ALTER TABLE public.t ALTER COLUMN id DROP NOT NULL;\n");
    cr_expect_str_eq(p.words,
                     "set not null on column t.id [access_exclusive, scan, data_dependent] risky\n"
                     "add primary key t_pkey on t [access_exclusive, scan, data_dependent] risky\n"
                     "add check constraint t_v_check on t [data_dependent] risky\n"
                     "add unique constraint t_v_key on t [access_exclusive, scan, data_dependent] risky\n");
    planned_free(&p);
}

Test(plan, changed_constraint_is_dropped_and_added)
{
    expect_plan("table t {\n  v integer constraint pos check (v > 0)\n}\n",
                "table t {\n  v integer constraint pos check (v > 1)\n}\n",
                "ALTER TABLE public.t DROP CONSTRAINT pos;\n"
                "ALTER TABLE public.t ADD CONSTRAINT pos CHECK (v > 1) NOT VALID;\n"
                "ALTER TABLE public.t VALIDATE CONSTRAINT pos;\n",
                "ALTER TABLE public.t DROP CONSTRAINT pos;\n"
                "ALTER TABLE public.t ADD CONSTRAINT pos CHECK (v > 0);\n",
                "drop check constraint pos on t safe\n"
                "add check constraint pos on t [data_dependent] risky\n");
}

Test(plan, foreign_key_to_new_table_comes_after_both_tables)
{
    planned p = plan_of("", "table a {\n  id integer primary key\n  b_id integer references b (id)\n}\n"
                            "table b {\n  id integer primary key\n}\n");
    cr_expect_str_eq(p.up, "CREATE TABLE public.a (\n    id integer NOT NULL,\n    b_id integer,\n"
                           "    CONSTRAINT a_pkey PRIMARY KEY (id)\n);\n"
                           "CREATE TABLE public.b (\n    id integer NOT NULL,\n"
                           "    CONSTRAINT b_pkey PRIMARY KEY (id)\n);\n"
                           "ALTER TABLE public.a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id)"
                           " REFERENCES public.b (id);\n");
    cr_expect_str_eq(p.down, "ALTER TABLE public.a DROP CONSTRAINT a_b_id_fkey;\n"
                             "DROP TABLE public.b;\n"
                             "DROP TABLE public.a;\n");
    planned_free(&p);
}

Test(plan, foreign_key_on_existing_table_is_validated)
{
    expect_plan("table b {\n  id integer primary key\n}\ntable a {\n  b_id integer\n}\n",
                "table b {\n  id integer primary key\n}\n"
                "table a {\n  b_id integer references b (id) on delete cascade\n}\n",
                "ALTER TABLE public.a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id) REFERENCES"
                " public.b (id) ON DELETE CASCADE NOT VALID;\n"
                "ALTER TABLE public.a VALIDATE CONSTRAINT a_b_id_fkey;\n",
                "ALTER TABLE public.a DROP CONSTRAINT a_b_id_fkey;\n",
                "add foreign key a_b_id_fkey on a [data_dependent] risky\n");
}

Test(plan, foreign_key_dropped_before_table)
{
    planned p = plan_of("table b {\n  id integer primary key\n}\n"
                        "table a {\n  id integer\n  b_id integer references b (id)\n}\n",
                        "table a {\n  id integer\n}\n");
    cr_expect_str_eq(p.up, "ALTER TABLE public.a DROP CONSTRAINT a_b_id_fkey;\n"
                           "ALTER TABLE public.a DROP COLUMN b_id;\n"
                           "DROP TABLE public.b;\n");
    cr_expect_str_eq(p.down, "CREATE TABLE public.b (\n    id integer NOT NULL,\n"
                             "    CONSTRAINT b_pkey PRIMARY KEY (id)\n);\n"
                             "ALTER TABLE public.a ADD COLUMN b_id integer;\n"
                             "ALTER TABLE public.a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id)"
                             " REFERENCES public.b (id);\n");
    planned_free(&p);
}

Test(plan, dropping_two_tables_drops_their_foreign_keys_first)
{
    planned p = plan_of("table b {\n  id integer primary key\n}\n"
                        "table a {\n  b_id integer references b (id)\n}\n",
                        "");
    cr_expect_str_eq(p.up, "ALTER TABLE public.a DROP CONSTRAINT a_b_id_fkey;\n"
                           "DROP TABLE public.b;\n"
                           "DROP TABLE public.a;\n");
    planned_free(&p);
}

Test(plan, indexes_on_existing_table_are_concurrent)
{
    planned p = plan_of("table t {\n  a integer\n  b integer\n  index (a)\n}\n",
                        "table t {\n  a integer\n  b integer\n  index (b)\n  unique index (a, b)\n}\n");
    cr_expect_str_eq(p.up, "DROP INDEX CONCURRENTLY public.t_a_idx;\n"
                           "CREATE INDEX CONCURRENTLY t_b_idx ON public.t (b);\n"
                           "CREATE UNIQUE INDEX CONCURRENTLY t_a_b_idx ON public.t (a, b);\n");
    cr_expect_str_eq(p.down, "DROP INDEX CONCURRENTLY public.t_a_b_idx;\n"
                             "DROP INDEX CONCURRENTLY public.t_b_idx;\n"
                             "CREATE INDEX CONCURRENTLY t_a_idx ON public.t (a);\n");
    cr_assert_eq(p.plan.nsteps, 3);
    for (size_t i = 0; i < 3; i++)
        cr_expect_not(p.plan.steps[i].transactional);
    cr_expect_str_eq(p.words, "drop index t_a_idx [non_transactional] risky\n"
                              "create index t_b_idx on t [non_transactional] risky\n"
                              "create index t_a_b_idx on t [data_dependent, non_transactional] risky\n");
    planned_free(&p);
}

Test(plan, index_on_new_table_is_plain)
{
    planned p = plan_of("", "table t {\n  a integer\n  index (a) where a > 0\n}\n");
    cr_expect_str_eq(p.up, "CREATE TABLE public.t (\n    a integer\n);\n"
                           "CREATE INDEX t_a_idx ON public.t (a) WHERE a > 0;\n");
    cr_expect_str_eq(p.down, "DROP INDEX public.t_a_idx;\n"
                             "DROP TABLE public.t;\n");
    cr_assert_eq(p.plan.nsteps, 2);
    cr_expect(p.plan.steps[1].transactional);
    planned_free(&p);
}

Test(plan, changed_index_is_dropped_and_created)
{
    expect_plan("table t {\n  a integer\n  index i (a)\n}\n",
                "table t {\n  a integer\n  index i (a desc)\n}\n",
                "DROP INDEX CONCURRENTLY public.i;\n"
                "CREATE INDEX CONCURRENTLY i ON public.t (a DESC);\n",
                "DROP INDEX CONCURRENTLY public.i;\n"
                "CREATE INDEX CONCURRENTLY i ON public.t (a);\n",
                NULL);
}

Test(plan, enums)
{
    expect_plan("", "enum mood ('sad', 'ok')\n",
                "CREATE TYPE public.mood AS ENUM ('sad', 'ok');\n",
                "DROP TYPE public.mood;\n", "create enum mood safe\n");
    expect_plan("enum mood ('sad', 'ok')\n", "",
                "DROP TYPE public.mood;\n",
                "CREATE TYPE public.mood AS ENUM ('sad', 'ok');\n", "drop enum mood safe\n");
}

Test(plan, enum_labels_added)
{
    planned p = plan_of("enum mood ('sad', 'ok')\n", "enum mood ('bad', 'sad', 'meh', 'ok', 'happy')\n");
    cr_expect_eq(p.rc, 0);
    cr_expect_str_eq(p.up, "ALTER TYPE public.mood ADD VALUE 'bad' BEFORE 'sad';\n"
                           "ALTER TYPE public.mood ADD VALUE 'meh' AFTER 'sad';\n"
                           "ALTER TYPE public.mood ADD VALUE 'happy' AFTER 'ok';\n");
    cr_expect_str_eq(p.down,
                     "-- cannot undo: add label 'happy' to enum mood: PostgreSQL cannot remove a label from an enum\n"
                     "-- cannot undo: add label 'meh' to enum mood: PostgreSQL cannot remove a label from an enum\n"
                     "-- cannot undo: add label 'bad' to enum mood: PostgreSQL cannot remove a label from an enum\n");
    cr_assert_eq(p.plan.nsteps, 3);
    cr_expect_null(p.plan.steps[0].down);
    cr_expect_not(p.plan.steps[0].transactional);
    planned_free(&p);
}

Test(plan, enum_label_removed_or_reordered_is_not_supported)
{
    expect_unsupported("enum mood ('sad', 'ok')\n", "enum mood ('sad')\n",
                       "removing or reordering labels of enum mood is not supported yet");
    expect_unsupported("enum mood ('sad', 'ok')\n", "enum mood ('ok', 'sad')\n",
                       "removing or reordering labels of enum mood is not supported yet");
}

Test(plan, schemas_extensions_sequences_collations)
{
    expect_plan("",
                "schema s comment 'sch'\n"
                "extension pgcrypto\n"
                "collation s.num (provider = icu, locale = 'en-u-kn-true')\n"
                "sequence s.q as integer start with 10\n",
                "CREATE SCHEMA s;\n"
                "CREATE EXTENSION pgcrypto;\n"
                "CREATE COLLATION s.num (provider = icu, locale = 'en-u-kn-true');\n"
                "CREATE SEQUENCE s.q AS integer START WITH 10;\n"
                "COMMENT ON SCHEMA s IS 'sch';\n",
                "COMMENT ON SCHEMA s IS NULL;\n"
                "DROP SEQUENCE s.q;\n"
                "DROP COLLATION s.num;\n"
                "DROP EXTENSION pgcrypto;\n"
                "DROP SCHEMA s;\n",
                NULL);
    expect_plan("schema s\n"
                "extension pgcrypto\n"
                "collation s.num (provider = icu, locale = 'en-u-kn-true')\n"
                "sequence s.q as integer start with 10\n",
                "",
                "DROP SEQUENCE s.q;\n"
                "DROP COLLATION s.num;\n"
                "DROP EXTENSION pgcrypto;\n"
                "DROP SCHEMA s;\n",
                "CREATE SCHEMA s;\n"
                "CREATE EXTENSION pgcrypto;\n"
                "CREATE COLLATION s.num (provider = icu, locale = 'en-u-kn-true');\n"
                "CREATE SEQUENCE s.q AS integer START WITH 10;\n",
                NULL);
}

Test(plan, sequence_options)
{
    expect_plan("sequence q start with 10 cache 5\n",
                "sequence q as integer increment by 2 cache 5 cycle\n",
                "ALTER SEQUENCE public.q AS integer INCREMENT BY 2 START WITH 1 CYCLE;\n",
                "ALTER SEQUENCE public.q AS bigint INCREMENT BY 1 START WITH 10 NO CYCLE;\n",
                "change options of sequence q safe\n");
}

Test(plan, comments_on_every_kind)
{
    expect_plan("schema s\nenum e ('a')\nsequence q\ntable t {\n  a integer\n  index i (a)\n"
                "  constraint c check (a > 0)\n}\n",
                "schema s comment 's'\nenum e ('a') comment 'e'\nsequence q comment 'q'\n"
                "table t {\n  a integer\n  index i (a) comment 'i'\n"
                "  constraint c check (a > 0) comment 'c'\n  comment 't'\n}\n",
                "COMMENT ON CONSTRAINT c ON public.t IS 'c';\n"
                "COMMENT ON INDEX public.i IS 'i';\n"
                "COMMENT ON TABLE public.t IS 't';\n"
                "COMMENT ON SCHEMA s IS 's';\n"
                "COMMENT ON TYPE public.e IS 'e';\n"
                "COMMENT ON SEQUENCE public.q IS 'q';\n",
                "COMMENT ON SEQUENCE public.q IS NULL;\n"
                "COMMENT ON TYPE public.e IS NULL;\n"
                "COMMENT ON SCHEMA s IS NULL;\n"
                "COMMENT ON TABLE public.t IS NULL;\n"
                "COMMENT ON INDEX public.i IS NULL;\n"
                "COMMENT ON CONSTRAINT c ON public.t IS NULL;\n",
                NULL);
}

Test(plan, renames)
{
    planned p = plan_of("table funds {\n  id integer constraint funds_pkey primary key\n  name text\n}\n"
                        "table f2 {\n  fund integer references funds (id)\n}\n"
                        "enum mood ('sad', 'ok')\n",
                        "table portfolios renamed from funds {\n"
                        "  id integer constraint funds_pkey primary key\n"
                        "  display_name text renamed from name\n}\n"
                        "table f2 {\n  fund integer constraint f2_fund_fkey references portfolios (id)\n}\n"
                        "enum mood ('unhappy' renamed from 'sad', 'ok')\n");
    cr_expect_eq(p.rc, 0, "%s", p.err);
    cr_expect_str_eq(p.up, "ALTER TYPE public.mood RENAME VALUE 'sad' TO 'unhappy';\n"
                           "ALTER TABLE public.funds RENAME TO portfolios;\n"
                           "ALTER TABLE public.portfolios RENAME COLUMN name TO display_name;\n");
    cr_expect_str_eq(p.down, "ALTER TABLE public.portfolios RENAME COLUMN display_name TO name;\n"
                             "ALTER TABLE public.portfolios RENAME TO funds;\n"
                             "ALTER TYPE public.mood RENAME VALUE 'unhappy' TO 'sad';\n");
    planned_free(&p);
}

Test(plan, renamed_constraint_and_index)
{
    expect_plan("table t {\n  a integer\n  constraint old check (a > 0)\n  index i1 (a)\n}\n",
                "table t {\n  a integer\n  constraint new check (a > 0)\n  index i2 (a)\n}\n",
                "ALTER TABLE public.t RENAME CONSTRAINT old TO new;\n"
                "ALTER INDEX public.i1 RENAME TO i2;\n",
                "ALTER INDEX public.i2 RENAME TO i1;\n"
                "ALTER TABLE public.t RENAME CONSTRAINT new TO old;\n",
                NULL);
}

Test(plan, unsupported_changes_say_so)
{
    expect_unsupported("enum a ('x')\n", "enum b renamed from a ('x')\n",
                       "renaming enum b is not supported yet");
    expect_unsupported("table t {\n  a integer\n}\n", "table t {\n  a serial\n}\n",
                       "changing serial on column t.a is not supported yet");
}

Test(plan, renamed_table_keeps_its_default_named_keys)
{
    expect_plan("table funds {\n  id integer primary key\n  name text\n  index (name)\n}\n",
                "table portfolios renamed from funds {\n  id integer primary key\n"
                "  name text\n  index (name)\n}\n",
                "ALTER TABLE public.funds RENAME TO portfolios;\n"
                "ALTER TABLE public.portfolios RENAME CONSTRAINT funds_pkey TO portfolios_pkey;\n"
                "ALTER INDEX public.funds_name_idx RENAME TO portfolios_name_idx;\n",
                "ALTER INDEX public.portfolios_name_idx RENAME TO funds_name_idx;\n"
                "ALTER TABLE public.portfolios RENAME CONSTRAINT portfolios_pkey TO funds_pkey;\n"
                "ALTER TABLE public.portfolios RENAME TO funds;\n",
                NULL);
}

Test(plan, foreign_key_dropped_before_the_unique_key_it_uses)
{
    planned p = plan_of("table b {\n  id integer unique\n}\n"
                        "table a {\n  b_id integer references b (id)\n}\n",
                        "table b {\n  id integer\n}\n"
                        "table a {\n  b_id integer\n}\n");
    cr_expect_str_eq(p.up, "ALTER TABLE public.a DROP CONSTRAINT a_b_id_fkey;\n"
                           "ALTER TABLE public.b DROP CONSTRAINT b_id_key;\n");
    cr_expect_str_eq(p.down, "ALTER TABLE public.b ADD CONSTRAINT b_id_key UNIQUE (id);\n"
                             "ALTER TABLE public.a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id)"
                             " REFERENCES public.b (id);\n");
    planned_free(&p);
}

Test(plan, sequence_ownership_follows_the_table)
{
    expect_plan("", "table t {\n  id bigint\n}\nsequence q owned by t.id\n",
                "CREATE SEQUENCE public.q;\n"
                "CREATE TABLE public.t (\n    id bigint\n);\n"
                "ALTER SEQUENCE public.q OWNED BY public.t.id;\n",
                "ALTER SEQUENCE public.q OWNED BY NONE;\n"
                "DROP TABLE public.t;\n"
                "DROP SEQUENCE public.q;\n",
                NULL);
    expect_plan("table t {\n  id bigint\n}\nsequence q owned by t.id\n", "",
                "ALTER SEQUENCE public.q OWNED BY NONE;\n"
                "DROP TABLE public.t;\n"
                "DROP SEQUENCE public.q;\n",
                "CREATE SEQUENCE public.q;\n"
                "CREATE TABLE public.t (\n    id bigint\n);\n"
                "ALTER SEQUENCE public.q OWNED BY public.t.id;\n",
                NULL);
}

Test(plan, dropped_index_comment_comes_back_with_the_down)
{
    expect_plan("table t {\n  a integer\n  index i (a) comment 'x'\n}\n",
                "table t {\n  a integer\n}\n",
                "COMMENT ON INDEX public.i IS NULL;\n"
                "DROP INDEX CONCURRENTLY public.i;\n",
                "CREATE INDEX CONCURRENTLY i ON public.t (a);\n"
                "COMMENT ON INDEX public.i IS 'x';\n",
                NULL);
}

Test(plan, risk_of_a_step)
{
    sc_step s;
    memset(&s, 0, sizeof s);
    cr_expect_eq(sc_step_risk(&s), SC_RISK_SAFE);
    s.hazards = SC_HAZARD_SCAN;
    cr_expect_eq(sc_step_risk(&s), SC_RISK_RISKY);
    s.hazards |= SC_HAZARD_DATA_LOSS;
    cr_expect_eq(sc_step_risk(&s), SC_RISK_DANGEROUS);
}

Test(plan, type_change_without_assignment_cast_has_using)
{
    expect_plan("enum mood ('a', 'b')\ntable t {\n  m text\n  n integer\n}\n",
                "enum mood ('a', 'b')\ntable t {\n  m mood\n  n text\n}\n",
                "ALTER TABLE public.t ALTER COLUMN m TYPE mood USING m::mood;\n"
                "ALTER TABLE public.t ALTER COLUMN n TYPE text USING n::text;\n",
                "ALTER TABLE public.t ALTER COLUMN n TYPE integer USING n::integer;\n"
                "ALTER TABLE public.t ALTER COLUMN m TYPE text USING m::text;\n",
                NULL);
    expect_plan("enum a ('x')\nenum b ('x')\ntable t {\n  m a\n}\n",
                "enum a ('x')\nenum b ('x')\ntable t {\n  m b\n}\n",
                "ALTER TABLE public.t ALTER COLUMN m TYPE b USING m::text::b;\n",
                "ALTER TABLE public.t ALTER COLUMN m TYPE a USING m::text::a;\n", NULL);
}

/* A narrower range restarts the sequence only when its current value
 * lies outside the new range (then no value handed out can come again). */
Test(plan, sequence_start_follows_a_new_minimum)
{
    expect_plan("sequence q increment by -1 minvalue -200 maxvalue -5\n",
                "sequence q increment by -1 minvalue -200 maxvalue -10\n",
                "DO 'DECLARE v bigint; BEGIN EXECUTE ''SELECT last_value FROM '' || "
                "''public.q'' INTO v; IF v < -200 OR v > -10 THEN EXECUTE ''ALTER SEQUENCE "
                "public.q MAXVALUE -10 START WITH -10 RESTART''; ELSE EXECUTE ''ALTER SEQUENCE "
                "public.q MAXVALUE -10 START WITH -10''; END IF; END';\n",
                "ALTER SEQUENCE public.q MAXVALUE -5 START WITH -5;\n", NULL);
}

Test(plan, identity_with_a_higher_minimum_restarts_only_when_outside)
{
    planned p = plan_of("table t { c integer generated by default as identity (start with -200 "
                        "minvalue -200) }\n",
                        "table t { c integer generated by default as identity (start with -100 "
                        "minvalue -100) }\n");
    cr_expect(strstr(p.up, "pg_catalog.pg_get_serial_sequence(''public.t'', ''c'')") != NULL,
              "%s", p.up);
    cr_expect(strstr(p.up, "IF v < -100 OR v > 2147483647 THEN") != NULL, "%s", p.up);
    cr_expect(strstr(p.up, "SET MINVALUE -100 SET START WITH -100 RESTART''") != NULL, "%s",
              p.up);
    cr_expect_str_eq(p.down, "ALTER TABLE public.t ALTER COLUMN c SET MINVALUE -200 SET START "
                             "WITH -200;\n");
    planned_free(&p);
}

Test(plan, extension_update_has_no_down)
{
    planned p = plan_of("extension pg_trgm version '1.5'\n", "extension pg_trgm version '1.6'\n");
    cr_expect_str_eq(p.up, "ALTER EXTENSION pg_trgm UPDATE TO '1.6';\n");
    cr_expect_str_eq(p.down, "-- cannot undo: update extension pg_trgm from version 1.5 to 1.6: "
                             "extensions ship update scripts to newer versions only\n");
    planned_free(&p);
}
