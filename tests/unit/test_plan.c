/*
 * The planner (plan.h): the exact up and down SQL, hazards and order of
 * the steps between two schemas given as text, for each kind of change,
 * and the changes it refuses ("not supported yet").  tests/pg runs plans
 * on a server.
 */
#include <criterion/criterion.h>
#include <stdarg.h>

#include "emit_sql.h"
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

static const sc_step *step_of(const planned *p, const char *what);
static void expect_pieces(const char *text, ...);

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
    /* within numbers (or strings) PostgreSQL carries a default over */
    expect_plan("table t {\n  a integer default 1\n  b text default 'x'\n}\n",
                "table t {\n  a bigint default 1\n  b text collate \"C\" default 'x'\n}\n",
                "ALTER TABLE public.t ALTER COLUMN a TYPE bigint;\n"
                "ALTER TABLE public.t ALTER COLUMN b TYPE text COLLATE \"C\";\n",
                "ALTER TABLE public.t ALTER COLUMN b TYPE text;\n"
                "ALTER TABLE public.t ALTER COLUMN a TYPE integer;\n",
                NULL);
    /* a changed default, and a default across families, go and come back */
    expect_plan("table t {\n  a integer default 1\n  b text default '1'\n}\n",
                "table t {\n  a bigint default 2\n  b integer default '1'\n}\n",
                "ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT;\n"
                "ALTER TABLE public.t ALTER COLUMN a TYPE bigint;\n"
                "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 2;\n"
                "ALTER TABLE public.t ALTER COLUMN b DROP DEFAULT;\n"
                "ALTER TABLE public.t ALTER COLUMN b TYPE integer USING b::integer;\n"
                "ALTER TABLE public.t ALTER COLUMN b SET DEFAULT '1';\n",
                "ALTER TABLE public.t ALTER COLUMN b DROP DEFAULT;\n"
                "ALTER TABLE public.t ALTER COLUMN b TYPE text USING b::text;\n"
                "ALTER TABLE public.t ALTER COLUMN b SET DEFAULT '1';\n"
                "ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT;\n"
                "ALTER TABLE public.t ALTER COLUMN a TYPE integer;\n"
                "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 1;\n",
                NULL);
}

Test(plan, narrowing_that_fails_is_data_dependent_rounding_is_data_loss)
{
    planned p = plan_of("table t {\n  a bigint\n  b character varying(64)\n"
                        "  c numeric(10,2)\n  d numeric(10,2)\n  e numeric\n"
                        "  f double precision\n  g integer\n}\n",
                        "table t {\n  a integer\n  b character varying(32)\n"
                        "  c numeric(6,2)\n  d numeric(10,1)\n  e integer\n  f real\n"
                        "  g numeric(12,2)\n}\n");
    cr_expect_eq(p.rc, 0, "%s", p.err);
    const char *fails[] = {"change type of column t.a", "change type of column t.b",
                           "change type of column t.c"};
    for (size_t i = 0; i < 3; i++) {
        const sc_step *s = step_of(&p, fails[i]);
        cr_expect(s->hazards & SC_HAZARD_DATA_DEPENDENT, "%s", fails[i]);
        cr_expect_eq(s->hazards & SC_HAZARD_DATA_LOSS, 0, "%s", fails[i]);
        cr_expect_not_null(s->preflight, "%s", fails[i]);
    }
    const char *rounds[] = {"change type of column t.d", "change type of column t.e",
                            "change type of column t.f"};
    for (size_t i = 0; i < 3; i++) {
        const sc_step *s = step_of(&p, rounds[i]);
        cr_expect(s->hazards & SC_HAZARD_DATA_LOSS, "%s", rounds[i]);
        cr_expect_eq(sc_step_risk(s), SC_RISK_DANGEROUS);
        expect_pieces(s->down_why, "rounded", NULL);
    }
    cr_expect_eq(step_of(&p, "change type of column t.g")->hazards & SC_HAZARD_DATA_LOSS, 0);
    planned_free(&p);
}

Test(plan, column_becomes_serial)
{
    planned p = plan_of("table t {\n  id integer\n  b bigint not null default 0\n}\n",
                        "table t {\n  id serial\n  b bigserial\n}\n");
    cr_expect_eq(p.rc, 0, "%s", p.err);
    const sc_step *s = step_of(&p, "make column t.id serial (sequence t_id_seq)");
    cr_expect_str_eq(s->up, "CREATE SEQUENCE public.t_id_seq AS integer;\n"
                            "ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;\n"
                            "ALTER TABLE public.t ALTER COLUMN id SET DEFAULT "
                            "nextval('public.t_id_seq'::regclass);\n"
                            "SELECT pg_catalog.setval('public.t_id_seq', max(id)) FROM public.t "
                            "HAVING max(id) > 0;\n");
    cr_expect_str_eq(s->down, "ALTER TABLE public.t ALTER COLUMN id DROP DEFAULT;\n"
                              "DROP SEQUENCE public.t_id_seq;\n");
    cr_expect_eq(s->hazards, SC_HAZARD_SCAN);
    cr_expect_null(s->down_why);
    /* serial implies NOT NULL, through the validated check */
    step_of(&p, "set not null on column t.id");
    /* a default that goes first; bigserial makes a sequence of bigint */
    step_of(&p, "drop default of column t.b");
    s = step_of(&p, "make column t.b serial (sequence t_b_seq)");
    expect_pieces(s->up, "CREATE SEQUENCE public.t_b_seq;\n",
                  "nextval('public.t_b_seq'::regclass)", NULL);
    planned_free(&p);
}

Test(plan, column_is_serial_no_more)
{
    planned p = plan_of("table t {\n  id bigserial\n  b serial\n}\n",
                        "table t {\n  id integer\n  b integer default 7\n}\n");
    cr_expect_eq(p.rc, 0, "%s", p.err);
    cr_expect_str_eq(p.up, "ALTER TABLE public.t ALTER COLUMN id DROP DEFAULT;\n"
                           "DROP SEQUENCE public.t_id_seq;\n"
                           "ALTER TABLE public.t ALTER COLUMN id DROP NOT NULL;\n"
                           "ALTER TABLE public.t ALTER COLUMN id TYPE integer;\n"
                           "ALTER TABLE public.t ALTER COLUMN b DROP DEFAULT;\n"
                           "DROP SEQUENCE public.t_b_seq;\n"
                           "ALTER TABLE public.t ALTER COLUMN b DROP NOT NULL;\n"
                           "ALTER TABLE public.t ALTER COLUMN b SET DEFAULT 7;\n");
    /* the down makes the sequence again, of the old type, past the rows */
    const sc_step *s = step_of(&p, "drop serial of column t.id");
    cr_expect_str_eq(s->down, "CREATE SEQUENCE public.t_id_seq;\n"
                              "ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;\n"
                              "ALTER TABLE public.t ALTER COLUMN id SET DEFAULT "
                              "nextval('public.t_id_seq'::regclass);\n"
                              "SELECT pg_catalog.setval('public.t_id_seq', max(id)) FROM "
                              "public.t HAVING max(id) > 0;\n");
    cr_expect_eq(s->hazards & SC_HAZARD_DATA_LOSS, 0);
    expect_pieces(s->down_why, "position is not restored", NULL);
    expect_pieces(step_of(&p, "drop serial of column t.b")->down, "AS integer", NULL);
    planned_free(&p);
}

Test(plan, serial_of_another_width)
{
    expect_plan("table t {\n  id serial\n}\n", "table t {\n  id bigserial\n}\n",
                "ALTER TABLE public.t ALTER COLUMN id TYPE bigint;\n"
                "ALTER SEQUENCE public.t_id_seq AS bigint;\n",
                "ALTER SEQUENCE public.t_id_seq AS integer;\n"
                "ALTER TABLE public.t ALTER COLUMN id TYPE integer;\n",
                "change type of column t.id from integer to bigint [rewrite, access_exclusive]"
                " risky\n"
                "change type of sequence t_id_seq from integer to bigint safe\n");
    planned p = plan_of("table t {\n  id serial\n}\n", "table t {\n  id smallserial\n}\n");
    const sc_step *s = step_of(&p, "change type of sequence t_id_seq");
    cr_expect(s->hazards & SC_HAZARD_DATA_DEPENDENT);
    expect_pieces(s->preflight,
                  "SELECT count(*), min(last_value::text) FROM public.t_id_seq WHERE "
                  "last_value > 32767",
                  "sequence public.t_id_seq stands beyond the range of smallint", NULL);
    cr_expect_null(s->down_preflight);
    planned_free(&p);
}

Test(plan, defaults_and_not_null)
{
    expect_plan("table t {\n  a integer default 1\n  b integer\n  c integer not null\n}\n",
                "table t {\n  a integer default 2\n  b integer not null default 5\n  c integer\n}\n",
                "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 2;\n"
                "ALTER TABLE public.t ADD CONSTRAINT schemac_nn_t_b CHECK (b IS NOT NULL) NOT VALID;\n"
                "ALTER TABLE public.t ALTER COLUMN b SET DEFAULT 5;\n"
                "ALTER TABLE public.t ALTER COLUMN c DROP NOT NULL;\n"
                "ALTER TABLE public.t VALIDATE CONSTRAINT schemac_nn_t_b;\n"
                "ALTER TABLE public.t ALTER COLUMN b SET NOT NULL;\n"
                "ALTER TABLE public.t DROP CONSTRAINT schemac_nn_t_b;\n",
                "ALTER TABLE public.t ALTER COLUMN b DROP NOT NULL;\n"
                "ALTER TABLE public.t ADD CONSTRAINT schemac_nn_t_b CHECK (b IS NOT NULL) NOT VALID;\n"
                "-- nothing to do: validating a constraint changes no definition\n"
                "ALTER TABLE public.t ALTER COLUMN c SET NOT NULL;\n"
                "ALTER TABLE public.t ALTER COLUMN b DROP DEFAULT;\n"
                "ALTER TABLE public.t DROP CONSTRAINT schemac_nn_t_b;\n"
                "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 1;\n",
                "change default of column t.a from 1 to 2 safe\n"
                "set not null on column t.b: add check schemac_nn_t_b not valid safe\n"
                "set default of column t.b to 5 safe\n"
                "drop not null of column t.c safe\n"
                "set not null on column t.b: validate check schemac_nn_t_b [data_dependent] risky\n"
                "set not null on column t.b safe\n");
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
                     "ALTER TABLE public.t ADD CONSTRAINT schemac_nn_t_id CHECK (id IS NOT NULL) NOT VALID;\n"
                     "ALTER TABLE public.t VALIDATE CONSTRAINT schemac_nn_t_id;\n"
                     "ALTER TABLE public.t ALTER COLUMN id SET NOT NULL;\n"
                     "ALTER TABLE public.t DROP CONSTRAINT schemac_nn_t_id;\n"
                     "ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);\n"
                     "ALTER TABLE public.t ADD CONSTRAINT t_v_check CHECK (v > 0) NOT VALID;\n"
                     "CREATE UNIQUE INDEX CONCURRENTLY t_v_key ON public.t (v);\n"
                     "ALTER TABLE public.t ADD CONSTRAINT t_v_key UNIQUE USING INDEX t_v_key;\n"
                     "ALTER TABLE public.t VALIDATE CONSTRAINT t_v_check;\n");
    cr_expect_str_eq(p.down, "-- nothing to do: validating a constraint changes no definition\n"
                             "ALTER TABLE public.t DROP CONSTRAINT t_v_key;\n"
                             "-- nothing to do: the index went with the constraint built on it\n"
                             "ALTER TABLE public.t DROP CONSTRAINT t_v_check;\n"
                             "ALTER TABLE public.t DROP CONSTRAINT t_pkey;\n"
                             "ALTER TABLE public.t ALTER COLUMN id DROP NOT NULL;\n");
    /* the primary key's column was nullable: the key keeps the plain form
     * (USING INDEX would scan for NULLs under ACCESS EXCLUSIVE too), and
     * SET NOT NULL stays in one step, before it */
    cr_expect_str_eq(p.words,
                     "set not null on column t.id [data_dependent] risky\n"
                     "add primary key t_pkey on t [access_exclusive, scan, data_dependent] risky\n"
                     "add check constraint t_v_check on t safe\n"
                     "build the index of unique constraint t_v_key on t [data_dependent, non_transactional] risky\n"
                     "add unique constraint t_v_key on t safe\n"
                     "validate check constraint t_v_check on t [data_dependent] risky\n");
    cr_expect(p.plan.steps[5].separate);
    cr_expect(p.plan.steps[5].transactional);
    cr_expect_not_null(p.plan.steps[3].preflight);
    cr_expect_null(p.plan.steps[4].preflight);
    for (size_t i = 0; i < 5; i++)
        cr_expect_not(p.plan.steps[i].separate, "%s", p.plan.steps[i].what);
    planned_free(&p);
}

Test(plan, changed_constraint_is_dropped_and_added)
{
    expect_plan("table t {\n  v integer constraint pos check (v > 0)\n}\n",
                "table t {\n  v integer constraint pos check (v > 1)\n}\n",
                "-- nothing to do: the down validates the constraint it adds back\n"
                "ALTER TABLE public.t DROP CONSTRAINT pos;\n"
                "ALTER TABLE public.t ADD CONSTRAINT pos CHECK (v > 1) NOT VALID;\n"
                "ALTER TABLE public.t VALIDATE CONSTRAINT pos;\n",
                "-- nothing to do: validating a constraint changes no definition\n"
                "ALTER TABLE public.t DROP CONSTRAINT pos;\n"
                "ALTER TABLE public.t ADD CONSTRAINT pos CHECK (v > 0) NOT VALID;\n"
                "ALTER TABLE public.t VALIDATE CONSTRAINT pos;\n",
                "(down only) validate check constraint pos on t safe\n"
                "drop check constraint pos on t safe\n"
                "add check constraint pos on t safe\n"
                "validate check constraint pos on t [data_dependent] risky\n");
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
                "-- nothing to do: validating a constraint changes no definition\n"
                "ALTER TABLE public.a DROP CONSTRAINT a_b_id_fkey;\n",
                "add foreign key a_b_id_fkey on a safe\n"
                "validate foreign key a_b_id_fkey on a [data_dependent] risky\n");
}

Test(plan, foreign_key_dropped_before_table)
{
    planned p = plan_of("table b {\n  id integer primary key\n}\n"
                        "table a {\n  id integer\n  b_id integer references b (id)\n}\n",
                        "table a {\n  id integer\n}\n");
    cr_expect_str_eq(p.up, "-- nothing to do: the down validates the constraint it adds back\n"
                           "ALTER TABLE public.a DROP CONSTRAINT a_b_id_fkey;\n"
                           "ALTER TABLE public.a DROP COLUMN b_id;\n"
                           "DROP TABLE public.b;\n");
    cr_expect_str_eq(p.down, "CREATE TABLE public.b (\n    id integer NOT NULL,\n"
                             "    CONSTRAINT b_pkey PRIMARY KEY (id)\n);\n"
                             "ALTER TABLE public.a ADD COLUMN b_id integer;\n"
                             "ALTER TABLE public.a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id)"
                             " REFERENCES public.b (id) NOT VALID;\n"
                             "ALTER TABLE public.a VALIDATE CONSTRAINT a_b_id_fkey;\n");
    cr_expect(p.plan.steps[0].separate);
    planned_free(&p);
}

Test(plan, dropping_two_tables_drops_their_foreign_keys_first)
{
    planned p = plan_of("table b {\n  id integer primary key\n}\n"
                        "table a {\n  b_id integer references b (id)\n}\n",
                        "");
    cr_expect_str_eq(p.up, "-- nothing to do: the down validates the constraint it adds back\n"
                           "ALTER TABLE public.a DROP CONSTRAINT a_b_id_fkey;\n"
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
    /* DROP TABLE takes the index: its own inverse is only a comment */
    cr_expect_str_eq(p.down, "-- dropped with its table public.t\n"
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

Test(plan, enum_label_removed_or_reordered_rebuilds_the_enum)
{
    planned p = plan_of("enum mood ('sad', 'ok', 'happy')\n"
                        "table t {\n  m mood default 'sad'\n  ms mood[]\n}\n",
                        "enum mood ('happy', 'sad', 'meh')\n"
                        "table t {\n  m mood default 'sad'\n  ms mood[]\n}\n");
    cr_expect_eq(p.rc, 0, "%s", p.err);
    cr_expect_str_eq(p.up, "ALTER TYPE public.mood RENAME TO mood_schemac_old;\n"
                           "CREATE TYPE public.mood AS ENUM ('happy', 'sad', 'meh');\n"
                           "ALTER TABLE public.t ALTER COLUMN m DROP DEFAULT;\n"
                           "ALTER TABLE public.t ALTER COLUMN m TYPE public.mood USING m::text::public.mood;\n"
                           "ALTER TABLE public.t ALTER COLUMN m SET DEFAULT 'sad';\n"
                           "ALTER TABLE public.t ALTER COLUMN ms TYPE public.mood[] USING ms::text[]::public.mood[];\n"
                           "DROP TYPE public.mood_schemac_old;\n");
    cr_expect_str_eq(p.down, "ALTER TYPE public.mood RENAME TO mood_schemac_old;\n"
                             "CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');\n"
                             "ALTER TABLE public.t ALTER COLUMN m DROP DEFAULT;\n"
                             "ALTER TABLE public.t ALTER COLUMN m TYPE public.mood USING m::text::public.mood;\n"
                             "ALTER TABLE public.t ALTER COLUMN m SET DEFAULT 'sad';\n"
                             "ALTER TABLE public.t ALTER COLUMN ms TYPE public.mood[] USING ms::text[]::public.mood[];\n"
                             "DROP TYPE public.mood_schemac_old;\n");
    cr_assert_eq(p.plan.nsteps, 1);
    const sc_step *s = &p.plan.steps[0];
    cr_expect_eq(s->hazards, SC_HAZARD_DATA_DEPENDENT | SC_HAZARD_REWRITE | SC_HAZARD_ACCESS_EXCLUSIVE);
    cr_assert_not_null(s->preflight);
    cr_expect(strstr(s->preflight, "FROM public.t WHERE m::text IN ('ok')") != NULL, "%s", s->preflight);
    cr_expect(strstr(s->preflight, "WHERE ms::text[] && ARRAY['ok']") != NULL, "%s", s->preflight);
    cr_expect(strstr(s->preflight, "rows of public.t.m use labels that enum public.mood drops") != NULL);
    cr_assert_not_null(s->down_preflight);
    cr_expect(strstr(s->down_preflight, "WHERE m::text IN ('meh')") != NULL, "%s", s->down_preflight);
    planned_free(&p);

    /* a reorder without users is a rebuild without hazards or checks */
    p = plan_of("enum mood ('sad', 'ok')\n", "enum mood ('ok', 'sad')\n");
    cr_expect_eq(p.rc, 0);
    cr_assert_eq(p.plan.nsteps, 1);
    cr_expect_eq(p.plan.steps[0].hazards, 0);
    cr_expect_null(p.plan.steps[0].preflight);
    cr_expect_null(p.plan.steps[0].down_preflight);
    planned_free(&p);
}

Test(plan, enum_rebuild_under_a_check_is_not_supported)
{
    expect_unsupported("enum mood ('sad', 'ok')\ntable t {\n  m mood check (m <> 'ok')\n}\n",
                       "enum mood ('sad')\ntable t {\n  m mood check (m <> 'ok')\n}\n",
                       "removing or reordering labels of enum mood, which a check, a foreign key "
                       "or an index expression reads, is not supported yet");
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
    expect_unsupported("sequence t_a_seq\ntable t {\n  a integer\n}\n",
                       "table t {\n  a serial\n}\n",
                       "making column t.a serial while a sequence of its sequence's name "
                       "exists, and the column's default is not its nextval(), is not "
                       "supported yet");
}

Test(plan, a_serial_column_keeps_its_sequence_when_it_becomes_a_declared_one)
{
    /* serial -> the same sequence declared (bigint, owned by nothing) and
     * nextval() written out: the sequence is altered, never dropped */
    planned p = plan_of("table t {\n  id serial primary key\n}\n",
                        "sequence t_id_seq\n"
                        "table t {\n  id integer not null primary key default nextval('t_id_seq'::regclass)\n}\n");
    cr_expect(strstr(p.up, "DROP SEQUENCE") == NULL, "%s", p.up);
    cr_expect(strstr(p.up, "CREATE SEQUENCE") == NULL, "%s", p.up);
    cr_expect(strstr(p.up, "AS bigint") != NULL, "%s", p.up);
    cr_expect(strstr(p.up, "OWNED BY NONE") != NULL, "%s", p.up);
    cr_expect(strstr(p.down, "AS integer") != NULL, "%s", p.down);
    cr_expect(strstr(p.down, "OWNED BY public.t.id") != NULL, "%s", p.down);
    planned_free(&p);
    /* and back: the declared sequence is taken over by the serial column */
    p = plan_of("sequence t_id_seq\n"
                "table t {\n  id integer not null primary key default nextval('t_id_seq'::regclass)\n}\n",
                "table t {\n  id serial primary key\n}\n");
    cr_expect(strstr(p.up, "DROP SEQUENCE") == NULL, "%s", p.up);
    cr_expect(strstr(p.up, "CREATE SEQUENCE") == NULL, "%s", p.up);
    cr_expect(strstr(p.up, "AS integer") != NULL, "%s", p.up);
    cr_expect(strstr(p.up, "OWNED BY public.t.id") != NULL, "%s", p.up);
    planned_free(&p);
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
    cr_expect_str_eq(p.up, "-- nothing to do: the down validates the constraint it adds back\n"
                           "ALTER TABLE public.a DROP CONSTRAINT a_b_id_fkey;\n"
                           "ALTER TABLE public.b DROP CONSTRAINT b_id_key;\n"
                           "-- nothing to do: the down builds the index of the key it adds back\n");
    cr_expect_str_eq(p.down, "CREATE UNIQUE INDEX CONCURRENTLY b_id_key ON public.b (id);\n"
                             "ALTER TABLE public.b ADD CONSTRAINT b_id_key UNIQUE USING INDEX b_id_key;\n"
                             "ALTER TABLE public.a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id)"
                             " REFERENCES public.b (id) NOT VALID;\n"
                             "ALTER TABLE public.a VALIDATE CONSTRAINT a_b_id_fkey;\n");
    cr_expect_not(p.plan.steps[3].transactional);
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

/* ------------------------------------------------------ pre-flight checks */

/* The one step of `p` whose description starts with `what`. */
static const sc_step *step_of(const planned *p, const char *what)
{
    for (size_t i = 0; i < p->plan.nsteps; i++)
        if (strncmp(p->plan.steps[i].what, what, strlen(what)) == 0)
            return &p->plan.steps[i];
    cr_assert_fail("no step \"%s\" in:\n%s", what, p->words);
    return NULL;
}

/* Expects `text` (a preflight) to hold each of the NULL-terminated pieces. */
static void expect_pieces(const char *text, ...)
{
    cr_assert_not_null(text, "a preflight is expected");
    va_list ap;
    va_start(ap, text);
    for (const char *piece = va_arg(ap, const char *); piece != NULL;
         piece = va_arg(ap, const char *))
        cr_expect(strstr(text, piece) != NULL, "missing \"%s\" in:\n%s", piece, text);
    va_end(ap);
}

Test(plan, steps_without_data_dependence_have_no_preflight)
{
    planned p = plan_of("table t {\n  id integer primary key\n  a text\n  b integer not null\n"
                        "  v character varying(10)\n}\n",
                        "table t {\n  id integer primary key\n  a text comment 'x'\n  b integer\n"
                        "  c text\n  d integer not null default 0\n  v character varying(20)\n"
                        "  index (a)\n}\n"
                        "table n {\n  id integer primary key\n  r integer not null references t (id)"
                        "\n  unique (r)\n  check (r > 0)\n}\n");
    cr_expect_eq(p.rc, 0, "%s", p.err);
    for (size_t i = 0; i < p.plan.nsteps; i++) {
        const sc_step *s = &p.plan.steps[i];
        cr_expect_null(s->preflight, "%s has a preflight", s->what);
        cr_expect_eq(s->hazards & SC_HAZARD_DATA_DEPENDENT, 0, "%s", s->what);
        /* only the inverses that narrow or add a constraint back are guarded */
        if (strncmp(s->what, "drop not null", 13) != 0 && strncmp(s->what, "change type", 11) != 0)
            cr_expect_null(s->down_preflight, "%s has a down_preflight", s->what);
    }
    expect_pieces(step_of(&p, "drop not null of column t.b")->down_preflight,
                  "FROM public.t WHERE b IS NULL", "NULL values in column public.t.b",
                  "the down cannot set NOT NULL on it again", NULL);
    expect_pieces(step_of(&p, "change type of column t.v")->down_preflight,
                  "WHERE char_length(rtrim(v::text, ' ')) > 10", NULL);
    planned_free(&p);
}

Test(plan, set_not_null_goes_through_a_validated_check)
{
    planned p = plan_of("table t {\n  a integer\n}\n", "table t {\n  b integer not null renamed from a\n}\n");
    cr_expect_eq(p.rc, 0, "%s", p.err);
    /* three steps: the check NOT VALID, its validation in a transaction
     * of its own, then SET NOT NULL and the check's drop */
    cr_assert_eq(p.plan.nsteps, 4, "%s", p.words);
    const sc_step *s = step_of(&p, "set not null on column t.b: add check");
    cr_expect_str_eq(s->up,
                     "ALTER TABLE public.t ADD CONSTRAINT schemac_nn_t_b CHECK (b IS NOT NULL) NOT VALID;\n");
    cr_expect_str_eq(s->down, "ALTER TABLE public.t DROP CONSTRAINT schemac_nn_t_b;\n");
    cr_expect_not(s->separate);
    const sc_step *v = step_of(&p, "set not null on column t.b: validate");
    cr_expect_str_eq(v->up, "ALTER TABLE public.t VALIDATE CONSTRAINT schemac_nn_t_b;\n");
    cr_expect(v->separate);
    cr_expect(v->transactional);
    cr_expect(v->hazards & SC_HAZARD_DATA_DEPENDENT);
    cr_expect_null(v->preflight);
    const sc_step *f = &p.plan.steps[3];
    cr_expect_str_eq(f->what, "set not null on column t.b");
    cr_expect_str_eq(f->up, "ALTER TABLE public.t ALTER COLUMN b SET NOT NULL;\n"
                            "ALTER TABLE public.t DROP CONSTRAINT schemac_nn_t_b;\n");
    cr_expect_str_eq(f->down, "ALTER TABLE public.t ALTER COLUMN b DROP NOT NULL;\n"
                              "ALTER TABLE public.t ADD CONSTRAINT schemac_nn_t_b CHECK (b IS NOT NULL) NOT VALID;\n");
    cr_expect_not(f->separate);
    cr_expect_null(f->preflight);
    /* the preflight runs before the rename: it names the column a */
    expect_pieces(s->preflight, "DO $schemac$", "FROM public.t WHERE a IS NULL",
                  "RAISE EXCEPTION", "'schemac pre-flight: ' || sc_n || ' NULL values in column public.t.a'",
                  NULL);
    cr_expect_null(s->down_preflight);
    cr_expect_null(step_of(&p, "rename column")->preflight);
    planned_free(&p);

    /* a new table or a new column needs none of this */
    p = plan_of("", "table t {\n  a integer not null\n}\n");
    cr_expect(strstr(p.up, "VALIDATE") == NULL);
    cr_expect_null(p.plan.steps[0].preflight);
    planned_free(&p);
}

Test(plan, preflight_for_unique_keys)
{
    planned p = plan_of("table investment_lots {\n  fund_id integer\n  idempotency_key text\n}\n",
                        "table investment_lots {\n  fund_id integer\n  idempotency_key text\n"
                        "  unique (fund_id, idempotency_key)\n"
                        "  unique index lots_key (idempotency_key) where fund_id > 0\n}\n");
    cr_expect_eq(p.rc, 0, "%s", p.err);
    /* the index is built first, outside a transaction, and carries the
     * preflight; the constraint is then attached to it */
    const sc_step *s = step_of(&p, "build the index of unique constraint");
    cr_expect(s->hazards & SC_HAZARD_DATA_DEPENDENT);
    cr_expect_not(s->transactional);
    cr_expect_str_eq(s->up, "CREATE UNIQUE INDEX CONCURRENTLY investment_lots_fund_id_idempotency_key_key"
                            " ON public.investment_lots (fund_id, idempotency_key);\n");
    const sc_step *u = step_of(&p, "add unique constraint");
    cr_expect_str_eq(u->up, "ALTER TABLE public.investment_lots ADD CONSTRAINT"
                            " investment_lots_fund_id_idempotency_key_key UNIQUE USING INDEX"
                            " investment_lots_fund_id_idempotency_key_key;\n");
    cr_expect_null(u->preflight);
    cr_expect(u->transactional);
    expect_pieces(s->preflight,
                  "SELECT ROW(fund_id, idempotency_key)::text AS k FROM public.investment_lots AS r",
                  "WHERE fund_id IS NOT NULL AND idempotency_key IS NOT NULL",
                  "GROUP BY fund_id, idempotency_key HAVING count(*) > 1",
                  " duplicate values of (fund_id, idempotency_key) in public.investment_lots",
                  "(for example ",
                  "; the unique constraint investment_lots_fund_id_idempotency_key_key cannot be added",
                  NULL);
    cr_expect_null(s->down_preflight);
    s = step_of(&p, "create index lots_key");
    cr_expect(s->hazards & SC_HAZARD_DATA_DEPENDENT);
    expect_pieces(s->preflight, "WHERE idempotency_key IS NOT NULL AND (fund_id > 0)",
                  "the unique index lots_key cannot be created", NULL);
    planned_free(&p);

    /* NULLs count when they are not distinct; a primary key refuses them */
    p = plan_of("table t {\n  a integer\n}\n",
                "table t {\n  a integer unique nulls not distinct\n}\n");
    s = step_of(&p, "build the index of unique constraint");
    cr_expect(strstr(s->preflight, "IS NOT NULL") == NULL, "%s", s->preflight);
    cr_expect_str_eq(s->up, "CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON public.t (a) NULLS NOT DISTINCT;\n");
    planned_free(&p);
    /* a primary key over NOT NULL columns is built by index too */
    p = plan_of("table t {\n  a integer not null\n}\n", "table t {\n  a integer primary key\n}\n");
    expect_pieces(step_of(&p, "build the index of primary key")->preflight, "HAVING count(*) > 1",
                  "WHERE a IS NULL", "rows of public.t with a NULL in (a)", NULL);
    cr_expect_str_eq(p.up, "CREATE UNIQUE INDEX CONCURRENTLY t_pkey ON public.t (a);\n"
                           "ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_pkey;\n");
    planned_free(&p);

    /* dropping one: the down adds it back, so the down is guarded */
    p = plan_of("table t {\n  a integer\n  unique (a)\n  index i (a)\n}\n", "table t {\n  a integer\n}\n");
    s = step_of(&p, "drop unique constraint");
    cr_expect_null(s->preflight);
    expect_pieces(s->down_preflight, "HAVING count(*) > 1",
                  "the unique constraint t_a_key cannot be added back by the down", NULL);
    cr_expect_null(step_of(&p, "drop index")->down_preflight);
    planned_free(&p);
}

Test(plan, preflight_for_checks_reads_the_old_names)
{
    planned p = plan_of("table t {\n  a integer\n  s text\n}\n",
                        "table t {\n  b integer renamed from a check (b > 0)\n  s text\n}\n");
    cr_expect_eq(p.rc, 0, "%s", p.err);
    const sc_step *s = step_of(&p, "add check constraint");
    expect_pieces(s->preflight, "FROM (SELECT a AS b FROM public.t) AS t WHERE NOT (b > 0)",
                  "min((b)::text)", " rows of public.t fail CHECK (b > 0)",
                  "; the check constraint t_b_check cannot be added", NULL);
    planned_free(&p);

    /* not valid: nothing is validated, nothing to check */
    p = plan_of("table t {\n  a integer\n}\n",
                "table t {\n  a integer\n  constraint c check (a > 0) not valid\n}\n");
    cr_expect_null(step_of(&p, "add check constraint")->preflight);
    planned_free(&p);

    /* dropping a check guards its return */
    p = plan_of("table t {\n  a integer check (a > 0)\n}\n", "table t {\n  a integer\n}\n");
    expect_pieces(step_of(&p, "drop check constraint")->down_preflight,
                  "FROM public.t AS t WHERE NOT (a > 0)", NULL);
    planned_free(&p);
}

Test(plan, preflight_for_type_changes)
{
    planned p = plan_of("table t {\n  v bigint\n  w integer\n  s character varying(64)\n"
                        "  x text\n  n numeric(10,2)\n  z text\n}\n",
                        "table t {\n  v integer\n  w bigint\n  s character varying(32)\n"
                        "  x integer\n  n numeric(6,2)\n  z character varying(8)\n}\n");
    cr_expect_eq(p.rc, 0, "%s", p.err);
    const sc_step *s = step_of(&p, "change type of column t.v");
    cr_expect(s->hazards & SC_HAZARD_DATA_DEPENDENT);
    expect_pieces(s->preflight, "FROM public.t WHERE v < -2147483648 OR v > 2147483647",
                  "values of public.t.v outside the range of integer",
                  "the type of t.v cannot be changed from bigint to integer", NULL);
    cr_expect_null(s->down_preflight);
    s = step_of(&p, "change type of column t.w");
    cr_expect_null(s->preflight);
    cr_expect_eq(s->hazards & SC_HAZARD_DATA_DEPENDENT, 0);
    expect_pieces(s->down_preflight, "WHERE w < -2147483648 OR w > 2147483647",
                  "(-2,147,483,648 to 2,147,483,647)", "rollback to integer is safe only", NULL);
    expect_pieces(step_of(&p, "change type of column t.s")->preflight,
                  "WHERE char_length(rtrim(s::text, ' ')) > 32",
                  "values of public.t.s longer than 32 characters", NULL);
    expect_pieces(step_of(&p, "change type of column t.z")->preflight,
                  "WHERE char_length(rtrim(z::text, ' ')) > 8", NULL);
    expect_pieces(step_of(&p, "change type of column t.n")->preflight,
                  "abs(round(n::numeric, 2)) >= 1e4", "too large for numeric(6,2)", NULL);
    s = step_of(&p, "change type of column t.x");
    expect_pieces(s->preflight, "PERFORM count((v::integer)) FROM (SELECT x AS v FROM public.t)",
                  "EXCEPTION WHEN others", "EXIT;",
                  "values of public.t.x do not convert to integer", NULL);
    cr_expect_null(s->down_preflight); /* integer to text never fails */
    planned_free(&p);

    /* to an enum: its labels, which need not exist yet */
    p = plan_of("table t {\n  m text\n}\n", "enum mood ('a', 'b')\ntable t {\n  m mood\n}\n");
    expect_pieces(step_of(&p, "change type of column t.m")->preflight,
                  "WHERE m::text NOT IN ('a', 'b')", "not labels of enum public.mood", NULL);
    planned_free(&p);
}

Test(plan, preflight_for_not_null_columns_and_foreign_keys)
{
    planned p = plan_of("table p {\n  id integer primary key\n}\ntable t {\n  a integer\n}\n",
                        "table p {\n  id integer primary key\n}\n"
                        "table t {\n  a integer references p (id)\n  b integer not null\n}\n");
    cr_expect_eq(p.rc, 0, "%s", p.err);
    expect_pieces(step_of(&p, "add column t.b")->preflight,
                  "SELECT count(*), NULL::text FROM public.t", " rows in public.t",
                  "column t.b cannot be added as NOT NULL without a default", NULL);
    expect_pieces(step_of(&p, "add foreign key")->preflight,
                  "FROM public.t AS c WHERE c.a IS NOT NULL AND NOT EXISTS "
                  "(SELECT 1 FROM public.p AS p WHERE p.id = c.a)",
                  "rows of public.t (a) have no match in public.p (id)",
                  "the foreign key t_a_fkey cannot be added", NULL);
    planned_free(&p);

    /* a new referenced table is empty when the check runs */
    p = plan_of("table t {\n  a integer\n}\n",
                "table p {\n  id integer primary key\n}\ntable t {\n  a integer references p (id)\n}\n");
    expect_pieces(step_of(&p, "add foreign key")->preflight, "WHERE c.a IS NOT NULL AND true",
                  NULL);
    planned_free(&p);

    /* dropping a not null column: the down adds it back only to an empty table */
    p = plan_of("table t {\n  a integer\n  b integer not null\n}\n", "table t {\n  a integer\n}\n");
    expect_pieces(step_of(&p, "drop column t.b")->down_preflight, "rows in public.t", NULL);
    planned_free(&p);
}

Test(plan, no_preflight_reads_a_type_the_plan_creates)
{
    planned p = plan_of("table t {\n  m text\n  n integer\n}\n",
                        "enum mood ('a', 'b')\n"
                        "table t {\n  m mood check (m <> 'a')\n  n integer check (n > 0)\n}\n");
    cr_expect_eq(p.rc, 0, "%s", p.err);
    /* the check on m would need the new type: left to the step itself */
    cr_expect_null(step_of(&p, "add check constraint t_m_check")->preflight);
    expect_pieces(step_of(&p, "add check constraint t_n_check")->preflight,
                  "FROM public.t AS t WHERE NOT (n > 0)", NULL);
    for (size_t i = 0; i < p.plan.nsteps; i++)
        if (p.plan.steps[i].preflight != NULL)
            cr_expect(strstr(p.plan.steps[i].preflight, "::mood") == NULL &&
                          strstr(p.plan.steps[i].preflight, "AS mood") == NULL,
                      "%s", p.plan.steps[i].preflight);
    planned_free(&p);
}

Test(plan, unique_keys_by_index_keep_include_nulls_and_deferrable)
{
    planned p = plan_of("table t {\n  a integer\n  b integer\n  c text\n}\n",
                        "table t {\n  a integer\n  b integer\n  c text\n"
                        "  constraint t_ab unique nulls not distinct (a, b) include (c)\n"
                        "  constraint t_b unique (b) deferrable initially deferred\n}\n");
    cr_expect_eq(p.rc, 0, "%s", p.err);
    cr_expect_str_eq(p.up, "CREATE UNIQUE INDEX CONCURRENTLY t_ab ON public.t (a, b) INCLUDE (c)"
                           " NULLS NOT DISTINCT;\n"
                           "ALTER TABLE public.t ADD CONSTRAINT t_ab UNIQUE USING INDEX t_ab;\n"
                           "CREATE UNIQUE INDEX CONCURRENTLY t_b ON public.t (b);\n"
                           "ALTER TABLE public.t ADD CONSTRAINT t_b UNIQUE USING INDEX t_b"
                           " DEFERRABLE INITIALLY DEFERRED;\n");
    planned_free(&p);

    /* the down of a dropped one builds the index first, outside a transaction */
    p = plan_of("table t {\n  b integer\n  constraint t_b unique (b) deferrable\n}\n",
                "table t {\n  b integer\n}\n");
    cr_expect_str_eq(p.down, "CREATE UNIQUE INDEX CONCURRENTLY t_b ON public.t (b);\n"
                             "ALTER TABLE public.t ADD CONSTRAINT t_b UNIQUE USING INDEX t_b DEFERRABLE;\n");
    cr_assert_eq(p.plan.nsteps, 2);
    cr_expect(p.plan.steps[0].transactional);
    cr_expect_not(p.plan.steps[1].transactional);
    cr_expect_not_null(p.plan.steps[0].down_preflight);
    planned_free(&p);
}

/* The body of an emitted file: from the first SET on. */
static char *emitted_body(const sc_plan *plan, bool down)
{
    sc_buf b = SC_BUF_INIT;
    sc_emit_info info = {"0002_x", "aaaa", "bbbb"};
    if (down)
        sc_emit_down(&b, plan, &info);
    else
        sc_emit_up(&b, plan, &info);
    const char *set = strstr(sc_buf_str(&b), "\nSET statement_timeout");
    cr_assert_not_null(set);
    const char *nl = strchr(set + 1, '\n');
    char *s = strdup(nl + 1);
    sc_buf_free(&b);
    return s;
}

Test(plan, emitter_commits_before_separate_steps)
{
    planned p = plan_of("table b {\n  id integer primary key\n}\ntable a {\n  b_id integer\n"
                        "  v integer\n}\n",
                        "table b {\n  id integer primary key\n}\ntable a {\n"
                        "  b_id integer references b (id)\n  v integer not null check (v > 0)\n}\n");
    cr_expect_eq(p.rc, 0, "%s", p.err);
    char *up = emitted_body(&p.plan, false);
    /* the NOT VALID additions commit; the validations share a transaction
     * of their own, which SET NOT NULL joins */
    const char *want =
        "\nBEGIN;\n"
        "\n-- step 1: set not null on column a.v: add check schemac_nn_a_v not valid\n"
        "ALTER TABLE public.a ADD CONSTRAINT schemac_nn_a_v CHECK (v IS NOT NULL) NOT VALID;\n"
        "\n-- step 2: add check constraint a_v_check on a\n"
        "ALTER TABLE public.a ADD CONSTRAINT a_v_check CHECK (v > 0) NOT VALID;\n"
        "\n-- step 3: add foreign key a_b_id_fkey on a\n"
        "ALTER TABLE public.a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id) REFERENCES public.b (id)"
        " NOT VALID;\n"
        "\nCOMMIT;\n"
        "\nBEGIN;\n"
        "\n-- step 4: set not null on column a.v: validate check schemac_nn_a_v (in a transaction of"
        " its own, after the steps before it have committed)\n"
        "ALTER TABLE public.a VALIDATE CONSTRAINT schemac_nn_a_v;\n"
        "\n-- step 5: validate foreign key a_b_id_fkey on a\n"
        "ALTER TABLE public.a VALIDATE CONSTRAINT a_b_id_fkey;\n"
        "\n-- step 6: validate check constraint a_v_check on a\n"
        "ALTER TABLE public.a VALIDATE CONSTRAINT a_v_check;\n"
        "\n-- step 7: set not null on column a.v\n"
        "ALTER TABLE public.a ALTER COLUMN v SET NOT NULL;\n"
        "ALTER TABLE public.a DROP CONSTRAINT schemac_nn_a_v;\n"
        "\nCOMMIT;\n";
    const char *body = strstr(up, "\nBEGIN;\n");
    cr_assert_not_null(body, "%s", up);
    cr_expect_str_eq(body, want);
    cr_expect_not(sc_plan_transactional(&p.plan));
    free(up);
    /* the down: the validations' inverses are comments and open nothing */
    char *down = emitted_body(&p.plan, true);
    cr_expect(strstr(down, "\n-- step 4: undo: set not null on column a.v: validate check "
                           "schemac_nn_a_v\n-- nothing to do: ") != NULL, "%s", down);
    cr_expect(strstr(down, "COMMIT;\n\nBEGIN;") == NULL, "%s", down);
    free(down);
    planned_free(&p);

    /* a separate step right after a non-transactional one only begins */
    p = plan_of("table t {\n  a integer\n  b integer\n}\n",
                "table t {\n  a integer check (a > 0)\n  b integer unique\n}\n");
    up = emitted_body(&p.plan, false);
    cr_expect(strstr(up, "CREATE UNIQUE INDEX CONCURRENTLY t_b_key ON public.t (b);\n\nBEGIN;\n"
                         "\n-- step 3: add unique constraint t_b_key on t\n") != NULL, "%s", up);
    cr_expect(strstr(up, "USING INDEX t_b_key;\n\nCOMMIT;\n\nBEGIN;\n\n-- step 4: validate") != NULL,
              "%s", up);
    free(up);
    sc_buf head = SC_BUF_INIT;
    sc_emit_info info = {"0002_x", "aaaa", "bbbb"};
    sc_emit_up(&head, &p.plan, &info);
    cr_expect(strstr(sc_buf_str(&head),
                     "-- transaction: several (step 2 cannot run in a transaction block and "
                     "runs on its own; step 4 starts a new transaction after the steps before "
                     "it have committed)\n") != NULL, "%s", sc_buf_str(&head));
    sc_buf_free(&head);
    planned_free(&p);
}

Test(plan, sql_only_comments)
{
    cr_expect(sc_sql_only_comments("-- a\n-- b\n"));
    cr_expect(sc_sql_only_comments(""));
    cr_expect(sc_sql_only_comments(NULL));
    cr_expect_not(sc_sql_only_comments("-- a\nSELECT 1;\n"));
    cr_expect_not(sc_sql_only_comments("SELECT 1; -- a\n"));
}
