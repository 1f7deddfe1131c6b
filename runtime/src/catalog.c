/* The catalog reader (see catalog.h). */
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "ident.h"
#include "naming.h"
#include "util.h"

/* ------------------------------------------------------------ queries */

/* Schemas that hold user objects: not pg_catalog, pg_toast, temporary
 * schemas or information_schema. */
#define USER_NS(n) " " n ".nspname <> 'information_schema' AND " n ".nspname !~ '^pg_' "

/* The object is not a member of an extension. */
#define NOT_EXT(catalog, oid)                                                              \
    " NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = '" catalog        \
    "'::pg_catalog.regclass AND e.objid = " oid " AND e.deptype = 'e') "

/* The managed tables: ordinary tables that are not partitions, in user
 * schemas, not from extensions.  `c` is pg_class, `n` its namespace. */
#define MANAGED_TABLE                                                                      \
    " c.relkind = 'r' AND NOT c.relispartition AND" USER_NS("n") "AND" NOT_EXT("pg_class", \
                                                                               "c.oid")

/* The managed tables' oids, computed once per query (an anti-join with
 * pg_depend per column or constraint row costs more than the rest). */
#define TABS_CTE                                                                          \
    "tabs AS MATERIALIZED (SELECT c.oid AS relid FROM pg_catalog.pg_class c"                \
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE" MANAGED_TABLE ")"

/* Session settings that fix how the server prints names and values. */
static const char q_begin[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;";
static const char q_settings[] =
    "SELECT pg_catalog.set_config('statement_timeout', '%d', true),"
    " pg_catalog.set_config('search_path', 'public', true),"
    " pg_catalog.set_config('DateStyle', 'ISO', true),"
    " pg_catalog.set_config('IntervalStyle', 'postgres', true),"
    " pg_catalog.set_config('extra_float_digits', '3', true),"
    " pg_catalog.set_config('bytea_output', 'hex', true),"
    " pg_catalog.set_config('work_mem', '64MB', true)%s";

static const char q_schemas[] =
    "SELECT n.nspname, pg_catalog.obj_description(n.oid, 'pg_namespace')"
    " FROM pg_catalog.pg_namespace n"
    " WHERE" USER_NS("n") "AND n.nspname <> 'public' AND" NOT_EXT("pg_namespace", "n.oid")
    " ORDER BY 1";

/* An extension's comment is kept only when it is not the one its control
 * file gives. */
static const char q_extensions[] =
    "SELECT x.extname, n.nspname, x.extversion,"
    " NULLIF(pg_catalog.obj_description(x.oid, 'pg_extension'),"
    "  (SELECT a.comment FROM pg_catalog.pg_available_extensions a WHERE a.name = x.extname))"
    " FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace"
    " WHERE x.extname <> 'plpgsql'"
    " ORDER BY 1";

/* Collations made with CREATE COLLATION.  %s: the ICU locale, whose
 * column changed name in PostgreSQL 15 and 17. */
static const char q_collations[] =
    "SELECT n.nspname, o.collname, o.collprovider, o.collcollate, o.collctype, %s,"
    " o.collisdeterministic, pg_catalog.obj_description(o.oid, 'pg_collation')"
    " FROM pg_catalog.pg_collation o JOIN pg_catalog.pg_namespace n ON n.oid = o.collnamespace"
    " WHERE" USER_NS("n") "AND" NOT_EXT("pg_collation", "o.oid")
    " ORDER BY 1, 2";

static const char q_enums[] =
    "SELECT n.nspname, t.typname, pg_catalog.obj_description(t.oid, 'pg_type'),"
    " ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid"
    "  ORDER BY e.enumsortorder)"
    " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
    " WHERE t.typtype = 'e' AND" USER_NS("n") "AND" NOT_EXT("pg_type", "t.oid")
    " ORDER BY 1, 2";

static const char q_tables[] =
    "SELECT c.oid, n.nspname, c.relname, ds.description"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = c.oid"
    "  AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ds.objsubid = 0"
    " WHERE" MANAGED_TABLE " ORDER BY 2, 3";

/* Columns.  A type outside pg_catalog comes with its schema and name so
 * that it is spelled the way the language spells names.  Comments and
 * identity sequences come through joins: a function call per column
 * (col_description) costs more than the rest of the query.  A default
 * cannot read columns, so it is printed without its table (relation 0),
 * which spares pg_get_expr() opening the table: 7 times faster. */
static const char q_columns[] =
    "WITH " TABS_CTE ", idseq AS (SELECT sd.refobjid, sd.refobjsubid, q.*"
    " FROM pg_catalog.pg_depend sd JOIN pg_catalog.pg_sequence q ON q.seqrelid = sd.objid"
    " WHERE sd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
    " AND sd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND sd.deptype = 'i')"
    " SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),"
    " a.attnotnull,"
    " CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, 0) END,"
    " CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END,"
    " a.attidentity,"
    " CASE WHEN a.attcollation <> t.typcollation THEN cn.nspname END,"
    " CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,"
    " ds.description,"
    " CASE WHEN en.nspname <> 'pg_catalog' THEN en.nspname END,"
    " CASE WHEN en.nspname <> 'pg_catalog' THEN et.typname END,"
    " s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, a.attnum"
    " FROM tabs JOIN pg_catalog.pg_attribute a ON a.attrelid = tabs.relid"
    " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
    " JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN t.typelem <> 0 AND t.typlen = -1"
    "  THEN t.typelem ELSE t.oid END"
    " JOIN pg_catalog.pg_namespace en ON en.oid = et.typnamespace"
    " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
    " LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation"
    " LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace"
    " LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = a.attrelid"
    "  AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ds.objsubid = a.attnum"
    " LEFT JOIN idseq s ON s.refobjid = a.attrelid AND s.refobjsubid = a.attnum"
    " WHERE a.attnum > 0 AND NOT a.attisdropped"
    " ORDER BY a.attrelid, a.attnum";

/* Names of the columns `attnums` of relation `rel`, in array order. */
#define ATTNAMES(attnums, rel)                                                         \
    "ARRAY(SELECT a.attname FROM pg_catalog.unnest(" attnums ") WITH ORDINALITY u(n, o)" \
    " JOIN pg_catalog.pg_attribute a ON a.attrelid = " rel " AND a.attnum = u.n ORDER BY u.o)"

/* Constraints.  Column numbers (conkey, the index's indkey, ...) are
 * turned into names by the client from the columns it has read; only the
 * referenced columns of a foreign key are named here, since the referenced
 * table may be one the reader does not list.  %s: PostgreSQL 15 parts. */
static const char q_constraints[] =
    "WITH " TABS_CTE " SELECT k.conrelid, k.conname, k.contype, k.conkey,"
    " rn.nspname, rc.relname, CASE WHEN k.contype = 'f' THEN " ATTNAMES("k.confkey", "k.confrelid")
    " END,"
    " k.confmatchtype, k.confdeltype, k.confupdtype, k.condeferrable, k.condeferred,"
    " k.convalidated, k.connoinherit,"
    " CASE WHEN k.contype = 'c' THEN pg_catalog.pg_get_expr(k.conbin, k.conrelid) END,"
    " i.indkey, i.indnkeyatts, %s, %s, dc.description"
    " FROM tabs JOIN pg_catalog.pg_constraint k ON k.conrelid = tabs.relid"
    " LEFT JOIN pg_catalog.pg_description dc ON dc.objoid = k.oid"
    "  AND dc.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND dc.objsubid = 0"
    " LEFT JOIN pg_catalog.pg_class rc ON rc.oid = k.confrelid"
    " LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace"
    " LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = k.conindid AND k.contype IN ('p', 'u')"
    " WHERE k.contype IN ('p', 'u', 'f', 'c')"
    " ORDER BY k.conrelid, k.conname";

static const char q15_con_nnd[] = "i.indnullsnotdistinct";
static const char q15_con_delset[] = "k.confdelsetcols";

/*
 * Indexes that back no constraint, one row per index column.  The key of
 * a plain column is its quoted name; pg_get_indexdef() is asked for the
 * text of expression keys, and for the whole statement (which is slow:
 * about 0.1 ms an index) only when a key may carry a COLLATE or operator
 * class that pg_get_indexdef would print: an operator class that is not
 * a default one, a default one of another type than the column's, a
 * collation other than the column's, or an expression with a collation
 * other than the database default.  (An explicit COLLATE "default" on an
 * expression whose own collation differs is not seen.)  %s: 15 parts.
 */
static const char q_indexes[] =
    "WITH " TABS_CTE ", ix AS (SELECT i.*, ic.relname AS iname, am.amname,"
    " EXISTS (SELECT 1 FROM ROWS FROM (pg_catalog.unnest(i.indkey::pg_catalog.int2[]),"
    "   pg_catalog.unnest(i.indclass::pg_catalog.oid[]),"
    "   pg_catalog.unnest(i.indcollation::pg_catalog.oid[])) WITH ORDINALITY y(n, cls, coll, o)"
    "  JOIN pg_catalog.pg_opclass opc ON opc.oid = y.cls"
    "  LEFT JOIN pg_catalog.pg_attribute ya ON ya.attrelid = i.indrelid AND ya.attnum = y.n"
    "   AND y.n > 0"
    "  WHERE y.o <= i.indnkeyatts AND (NOT opc.opcdefault"
    "   OR (y.n > 0 AND (opc.opcintype <> ya.atttypid"
    "    OR (y.coll <> 0 AND y.coll <> ya.attcollation)))"
    "   OR (y.n = 0 AND y.coll NOT IN (0, 100)))) AS needdef"
    " FROM tabs JOIN pg_catalog.pg_index i ON i.indrelid = tabs.relid"
    " JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
    " JOIN pg_catalog.pg_am am ON am.oid = ic.relam"
    " WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k"
    "  WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x')))"
    " SELECT i.indrelid, i.iname, i.indisunique, i.amname, i.indisvalid, i.indnkeyatts,"
    " x.o, ta.attname,"
    " CASE WHEN x.n = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, x.o::pg_catalog.int4, false)"
    "  ELSE pg_catalog.quote_ident(ta.attname) END,"
    " ia.attname, i.indoption[x.o - 1],"
    " CASE WHEN x.o = 1 AND i.needdef THEN pg_catalog.pg_get_indexdef(i.indexrelid) END,"
    " CASE WHEN x.o = 1 THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid) END,"
    " %s, ds.description"
    " FROM ix i"
    " CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY x(n, o)"
    " LEFT JOIN pg_catalog.pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = x.n"
    "  AND x.n > 0"
    " JOIN pg_catalog.pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = x.o"
    " LEFT JOIN pg_catalog.pg_description ds ON x.o = 1 AND ds.objoid = i.indexrelid"
    "  AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ds.objsubid = 0"
    " ORDER BY i.indrelid, i.iname, x.o";

/* Sequences, except those behind identity columns.  The owner, if any, is
 * the column OWNED BY names. */
static const char q_sequences[] =
    "SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL),"
    " s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,"
    " pg_catalog.obj_description(c.oid, 'pg_class'), d.refobjid, oc.relname, oa.attname,"
    " c.oid::pg_catalog.regclass::pg_catalog.text, onm.nspname"
    " FROM pg_catalog.pg_class c"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid"
    " LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
    "  AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
    "  AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')"
    " LEFT JOIN pg_catalog.pg_class oc ON oc.oid = d.refobjid"
    " LEFT JOIN pg_catalog.pg_namespace onm ON onm.oid = oc.relnamespace"
    " LEFT JOIN pg_catalog.pg_attribute oa ON oa.attrelid = d.refobjid"
    "  AND oa.attnum = d.refobjsubid"
    " WHERE c.relkind = 'S' AND" USER_NS("n") "AND" NOT_EXT("pg_class", "c.oid")
    " AND d.deptype IS DISTINCT FROM 'i'"
    " ORDER BY 1, 2";

/* Everything the language has no form for yet, as (kind, schema, name). */
static const char q_unmanaged[] =
    "SELECT * FROM ("
    "SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'"
    "  WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table'"
    "  WHEN 'c' THEN 'composite type' ELSE 'partition' END, n.nspname, c.relname"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE (c.relkind IN ('v', 'm', 'f', 'p', 'c') OR (c.relkind = 'r' AND c.relispartition))"
    " AND" USER_NS("n") "AND" NOT_EXT("pg_class", "c.oid")
    " UNION ALL"
    " SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'"
    "  WHEN 'w' THEN 'window function' ELSE 'function' END, n.nspname,"
    "  p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'"
    " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
    " WHERE" USER_NS("n") "AND" NOT_EXT("pg_proc", "p.oid")
    " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid ="
    "  'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objid = p.oid AND i.deptype = 'i')"
    " UNION ALL"
    " SELECT CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range type'"
    "  ELSE 'type' END, n.nspname, t.typname"
    " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
    " WHERE t.typtype IN ('d', 'r', 'b') AND t.typrelid = 0"
    " AND NOT (t.typtype = 'b' AND t.typelem <> 0 AND t.typlen = -1)"
    " AND" USER_NS("n") "AND" NOT_EXT("pg_type", "t.oid")

    " UNION ALL"
    " SELECT 'trigger', n.nspname, g.tgname || ' on ' || c.relname"
    " FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE NOT g.tgisinternal AND" USER_NS("n") "AND" NOT_EXT("pg_class", "c.oid")
    " UNION ALL"
    " SELECT 'policy', n.nspname, y.polname || ' on ' || c.relname"
    " FROM pg_catalog.pg_policy y JOIN pg_catalog.pg_class c ON c.oid = y.polrelid"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE" USER_NS("n") "AND" NOT_EXT("pg_class", "c.oid")
    " UNION ALL"
    " SELECT 'rule', n.nspname, r.rulename || ' on ' || c.relname"
    " FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE r.rulename <> '_RETURN' AND" USER_NS("n") "AND" NOT_EXT("pg_class", "c.oid")
    " UNION ALL"
    " SELECT 'exclusion constraint', n.nspname, k.conname || ' on ' || c.relname"
    " FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE k.contype = 'x' AND" MANAGED_TABLE
    " UNION ALL"
    " SELECT 'statistics', n.nspname, s.stxname"
    " FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_namespace n"
    "  ON n.oid = s.stxnamespace WHERE" USER_NS("n")
    " UNION ALL"
    " SELECT 'event trigger', NULL, v.evtname FROM pg_catalog.pg_event_trigger v"
    " WHERE" NOT_EXT("pg_event_trigger", "v.oid")
    " UNION ALL"
    " SELECT 'row level security', n.nspname, c.relname"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relrowsecurity AND" MANAGED_TABLE
    " UNION ALL"
    " SELECT 'unlogged table', n.nspname, c.relname"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relpersistence = 'u' AND" MANAGED_TABLE
    " UNION ALL"
    " SELECT 'table inheritance', n.nspname, c.relname"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhrelid = c.oid)"
    " AND" MANAGED_TABLE
    " UNION ALL"
    " SELECT 'table storage parameters', n.nspname, c.relname"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.reloptions IS NOT NULL AND" MANAGED_TABLE
    " UNION ALL"
    " SELECT 'index storage parameters', n.nspname, ic.relname"
    " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
    " JOIN pg_catalog.pg_class c ON c.oid = i.indrelid"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE ic.reloptions IS NOT NULL AND" MANAGED_TABLE
    ") u ORDER BY 1, 2, 3";

/* ----------------------------------------------------------- helpers */

typedef struct reader {
    PGconn *conn;
    sc_model *m;
    sc_buf *err;
    sc_catalog_stats stats;
    /* tables by oid: open addressing, capacity a power of two */
    struct tslot *slots;
    size_t cap;
    /* results of the queries the sibling connection ran, taken by the
     * reads below instead of running them (NULL when none) */
    PGresult *pre_indexes, *pre_sequences, *pre_unmanaged;
} reader;

/* A table the reader lists, with its column names by attnum (dropped
 * columns leave NULL gaps). */
typedef struct tslot {
    uint32_t oid;
    sc_table *table;
    char **att;
    size_t natt, capatt;
} tslot;

static PGresult *run(reader *r, const char *sql, const char *what)
{
    r->stats.queries++;
    return sc_conn_query(r->conn, sql, PGRES_TUPLES_OK, what, r->err);
}

static const char *val(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

static char *dup(reader *r, const PGresult *res, int row, int col)
{
    const char *v = val(res, row, col);
    return v != NULL ? sc_arena_strdup(r->m->arena, v) : NULL;
}

static bool flag(const PGresult *res, int row, int col)
{
    const char *v = val(res, row, col);
    return v != NULL && v[0] == 't';
}

static char chr(const PGresult *res, int row, int col)
{
    const char *v = val(res, row, col);
    return v != NULL ? v[0] : 0;
}

static int64_t num(const PGresult *res, int row, int col)
{
    const char *v = val(res, row, col);
    return v != NULL ? strtoll(v, NULL, 10) : 0;
}

static uint32_t oid_of(const PGresult *res, int row, int col)
{
    const char *v = val(res, row, col);
    return v != NULL ? (uint32_t)strtoul(v, NULL, 10) : 0;
}

/* An expression in the model's token form. */
static char *expr(reader *r, const char *text)
{
    if (text == NULL)
        return NULL;
    sc_buf b = SC_BUF_INIT;
    sc_expr_canon(&b, text, strlen(text));
    char *s = sc_arena_strdup(r->m->arena, sc_buf_str(&b));
    sc_buf_free(&b);
    return s;
}

static tslot *slot_of(const reader *r, uint32_t oid)
{
    if (r->cap == 0)
        return NULL;
    size_t i = (size_t)(oid * 2654435761u) & (r->cap - 1);
    while (r->slots[i].oid != 0 && r->slots[i].oid != oid)
        i = (i + 1) & (r->cap - 1);
    return &r->slots[i];
}

static tslot *table_slot(const reader *r, uint32_t oid)
{
    tslot *t = slot_of(r, oid);
    return t != NULL && t->oid == oid ? t : NULL;
}

static sc_table *table_of(const reader *r, uint32_t oid)
{
    tslot *t = table_slot(r, oid);
    return t != NULL ? t->table : NULL;
}

/* Records column `name` (arena-owned) of a table at `attnum`. */
static void set_attname(reader *r, tslot *t, long attnum, char *name)
{
    if (attnum <= 0)
        return;
    while ((size_t)attnum >= t->capatt) {
        size_t cap = t->capatt;
        t->att = sc_arena_grow(r->m->arena, t->att, t->capatt, &cap, sizeof *t->att);
        memset(t->att + t->capatt, 0, (cap - t->capatt) * sizeof *t->att);
        t->capatt = cap;
    }
    t->att[attnum] = name;
    if ((size_t)attnum >= t->natt)
        t->natt = (size_t)attnum + 1;
}

/*
 * Column names for the numbers in `text` (an int2[] such as `{1,3}` or an
 * int2vector such as `1 3`), positions [from, to) of it (to = 0: all).
 * Returns false when a number names no column of the table.
 */
static bool attnames(reader *r, const tslot *t, const char *text, size_t from, size_t to,
                     char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (text == NULL)
        return true;
    size_t cap = 0, pos = 0;
    for (const char *p = text; *p != '\0';) {
        if (*p < '0' || *p > '9') {
            p++;
            continue;
        }
        char *end;
        long num = strtol(p, &end, 10);
        p = end;
        if (pos++ < from || (to != 0 && pos > to))
            continue;
        if (num <= 0 || (size_t)num >= t->natt || t->att[num] == NULL)
            return false;
        SC_PUSH(r->m->arena, *out, *n, cap, t->att[num]);
    }
    return true;
}

/* ------------------------------------------------------------ arrays */

bool sc_pg_array_each(const char *text, void (*fn)(void *ctx, const char *elem), void *ctx)
{
    if (text == NULL || text[0] != '{')
        return false;
    const char *p = text + 1;
    if (*p == '}')
        return p[1] == '\0';
    sc_buf b = SC_BUF_INIT;
    for (;;) {
        sc_buf_reset(&b);
        bool quoted = false;
        if (*p == '"') {
            quoted = true;
            p++;
            while (*p != '"') {
                if (*p == '\0')
                    goto bad;
                if (*p == '\\') {
                    p++;
                    if (*p == '\0')
                        goto bad;
                }
                sc_buf_putc(&b, *p++);
            }
            p++;
        } else {
            while (*p != ',' && *p != '}') {
                if (*p == '\0' || *p == '{')
                    goto bad;
                if (*p == '\\' && p[1] != '\0')
                    p++;
                sc_buf_putc(&b, *p++);
            }
        }
        const char *s = sc_buf_str(&b);
        fn(ctx, !quoted && strcmp(s, "NULL") == 0 ? NULL : s);
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p == '}' && p[1] == '\0')
            break;
        goto bad;
    }
    sc_buf_free(&b);
    return true;
bad:
    sc_buf_free(&b);
    return false;
}

typedef struct strv_ctx {
    sc_model *m;
    char **v;
    size_t n, cap;
} strv_ctx;

static void strv_add(void *ctx, const char *elem)
{
    strv_ctx *c = ctx;
    char *s = sc_arena_strdup(c->m->arena, elem != NULL ? elem : "");
    SC_PUSH(c->m->arena, c->v, c->n, c->cap, s);
}

/* A name[] or text[] column as an arena string vector. */
static char **strv(reader *r, const PGresult *res, int row, int col, size_t *n)
{
    strv_ctx c = {r->m, NULL, 0, 0};
    const char *v = val(res, row, col);
    if (v != NULL)
        sc_pg_array_each(v, strv_add, &c);
    *n = c.n;
    return c.v;
}

/* ------------------------------------------------------------- names */

/* The schema part the model writes for a name in `nsp`: none for public. */
static const char *model_schema(const char *nsp)
{
    return nsp != NULL && strcmp(nsp, "public") != 0 ? nsp : NULL;
}

/*
 * A type outside pg_catalog, spelled as the parser spells it: the name
 * quoted by the language's rules, qualified unless it lives in public,
 * then what format_type() printed after the name (modifiers, `[]`).
 */
static char *respell_type(reader *r, const char *formatted, const char *nsp, const char *name)
{
    /* Skip the (possibly qualified, possibly quoted) name format_type wrote. */
    const char *p = formatted;
    for (;;) {
        if (*p == '"') {
            p++;
            while (*p != '\0' && !(*p == '"' && p[1] != '"'))
                p += *p == '"' ? 2 : 1;
            if (*p == '"')
                p++;
        } else {
            while (*p != '\0' && *p != '.' && *p != '(' && *p != '[')
                p++;
        }
        if (*p != '.')
            break;
        p++;
    }
    sc_buf b = SC_BUF_INIT;
    sc_ident_append_qualified(&b, model_schema(nsp), name);
    sc_buf_puts(&b, p);
    char *s = sc_arena_strdup(r->m->arena, sc_buf_str(&b));
    sc_buf_free(&b);
    return s;
}

/* pg_sequence's seqstart, seqincrement, seqmin, seqmax, seqcache and
 * seqcycle at columns col.. col+5, as options differing from the defaults
 * of a sequence of type `type`. */
static void seqopts_of(sc_seqopts *o, const PGresult *res, int row, int col, const char *type)
{
    o->has_start = o->has_increment = o->has_min = o->has_max = true;
    o->has_cache = o->has_cycle = true;
    o->start = num(res, row, col);
    o->increment = num(res, row, col + 1);
    o->min = num(res, row, col + 2);
    o->max = num(res, row, col + 3);
    o->cache = num(res, row, col + 4);
    o->cycle = flag(res, row, col + 5);
    sc_seqopts_normalise(o, type);
}

/* --------------------------------------------------------- the reads */

static bool read_schemas(reader *r)
{
    PGresult *res = run(r, q_schemas, "reading schemas");
    if (res == NULL)
        return false;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        sc_schema *s = sc_model_add_schema(r->m, val(res, i, 0));
        s->comment = dup(r, res, i, 1);
    }
    PQclear(res);
    return true;
}

static bool read_extensions(reader *r)
{
    PGresult *res = run(r, q_extensions, "reading extensions");
    if (res == NULL)
        return false;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        sc_extension *e = sc_model_add_extension(r->m, val(res, i, 0));
        e->schema = dup(r, res, i, 1);
        e->version = dup(r, res, i, 2);
        e->comment = dup(r, res, i, 3);
    }
    PQclear(res);
    return true;
}

static bool read_collations(reader *r)
{
    int v = r->stats.server_version;
    sc_buf q = SC_BUF_INIT;
    sc_buf_printf(&q, q_collations,
                  v >= 170000   ? "o.colllocale"
                  : v >= 150000 ? "o.colliculocale"
                                : "CASE WHEN o.collprovider = 'i' THEN o.collcollate END");
    PGresult *res = run(r, sc_buf_str(&q), "reading collations");
    sc_buf_free(&q);
    if (res == NULL)
        return false;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        sc_collation *k = sc_model_add_collation(r->m, val(res, i, 0), val(res, i, 1));
        const char *coll = val(res, i, 3), *ctype = val(res, i, 4);
        if (chr(res, i, 2) == 'i') {
            k->provider = SC_COLL_ICU;
            k->locale = dup(r, res, i, 5);
        } else if (coll != NULL && ctype != NULL && strcmp(coll, ctype) != 0) {
            k->lc_collate = dup(r, res, i, 3);
            k->lc_ctype = dup(r, res, i, 4);
        } else {
            k->locale = dup(r, res, i, 3);
        }
        k->nondeterministic = !flag(res, i, 6);
        k->comment = dup(r, res, i, 7);
    }
    PQclear(res);
    return true;
}

static void label_add(void *ctx, const char *elem)
{
    void **c = ctx;
    sc_enum_add_label(c[0], c[1], elem != NULL ? elem : "");
}

static bool read_enums(reader *r)
{
    PGresult *res = run(r, q_enums, "reading enum types");
    if (res == NULL)
        return false;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        sc_enum *e = sc_model_add_enum(r->m, val(res, i, 0), val(res, i, 1));
        e->comment = dup(r, res, i, 2);
        void *ctx[2] = {r->m, e};
        sc_pg_array_each(val(res, i, 3), label_add, ctx);
    }
    PQclear(res);
    return true;
}

static bool read_tables(reader *r)
{
    PGresult *res = run(r, q_tables, "reading tables");
    if (res == NULL)
        return false;
    int n = PQntuples(res);
    r->cap = 16;
    while (r->cap < (size_t)n * 2)
        r->cap *= 2;
    r->slots = sc_xcalloc(r->cap, sizeof *r->slots);
    for (int i = 0; i < n; i++) {
        sc_table *t = sc_model_add_table(r->m, val(res, i, 1), val(res, i, 2));
        t->comment = dup(r, res, i, 3);
        uint32_t oid = oid_of(res, i, 0);
        tslot *slot = slot_of(r, oid);
        slot->oid = oid;
        slot->table = t;
    }
    PQclear(res);
    return true;
}

static bool read_columns(reader *r)
{
    PGresult *res = run(r, q_columns, "reading columns");
    if (res == NULL)
        return false;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        tslot *slot = table_slot(r, oid_of(res, i, 0));
        if (slot == NULL)
            continue;
        sc_table *t = slot->table;
        const char *type = val(res, i, 2);
        const char *tnsp = val(res, i, 10);
        sc_column *c = sc_table_add_column(r->m, t, val(res, i, 1), type);
        if (tnsp != NULL)
            c->type = respell_type(r, type, tnsp, val(res, i, 11));
        c->not_null = flag(res, i, 3);
        c->default_expr = expr(r, val(res, i, 4));
        c->generated_expr = expr(r, val(res, i, 5));
        c->identity = chr(res, i, 6);
        if (c->identity != 0) {
            seqopts_of(&c->idopts, res, i, 12, c->type);
        }
        const char *cnsp = val(res, i, 7);
        if (val(res, i, 8) != NULL) {
            c->collation_schema = cnsp != NULL && strcmp(cnsp, "pg_catalog") != 0 &&
                                          strcmp(cnsp, "public") != 0
                                      ? sc_arena_strdup(r->m->arena, cnsp)
                                      : NULL;
            c->collation = dup(r, res, i, 8);
        }
        c->comment = dup(r, res, i, 9);
        set_attname(r, slot, (long)num(res, i, 18), c->name);
    }
    PQclear(res);
    return true;
}

static bool read_constraints(reader *r)
{
    bool v15 = r->stats.server_version >= 150000;
    sc_buf q = SC_BUF_INIT;
    sc_buf_printf(&q, q_constraints, v15 ? q15_con_nnd : "false",
                  v15 ? q15_con_delset : "NULL::pg_catalog.name[]");
    PGresult *res = run(r, sc_buf_str(&q), "reading constraints");
    sc_buf_free(&q);
    if (res == NULL)
        return false;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        tslot *slot = table_slot(r, oid_of(res, i, 0));
        if (slot == NULL)
            continue;
        sc_table *t = slot->table;
        char type = chr(res, i, 2);
        sc_con_kind kind = type == 'p'   ? SC_CON_PRIMARY
                           : type == 'u' ? SC_CON_UNIQUE
                           : type == 'f' ? SC_CON_FOREIGN
                                         : SC_CON_CHECK;
        sc_constraint *k = sc_table_add_constraint(r->m, t, kind);
        k->name = dup(r, res, i, 1);
        bool ok = attnames(r, slot, val(res, i, 3), 0, 0, &k->columns, &k->ncolumns);
        k->deferrable = flag(res, i, 10);
        k->initially_deferred = flag(res, i, 11);
        k->not_valid = !flag(res, i, 12);
        k->no_inherit = flag(res, i, 13);
        k->comment = dup(r, res, i, 19);
        switch (kind) {
        case SC_CON_PRIMARY:
        case SC_CON_UNIQUE:
            ok = ok && attnames(r, slot, val(res, i, 15), (size_t)num(res, i, 16), 0, &k->include,
                                &k->ninclude);
            k->nulls_not_distinct = flag(res, i, 17);
            break;
        case SC_CON_FOREIGN:
            k->ref_schema = dup(r, res, i, 4);
            k->ref_table = dup(r, res, i, 5);
            k->ref_columns = strv(r, res, i, 6, &k->nref_columns);
            k->match = chr(res, i, 7);
            k->on_delete = chr(res, i, 8);
            k->on_update = chr(res, i, 9);
            ok = ok && attnames(r, slot, val(res, i, 18), 0, 0, &k->delete_columns,
                                &k->ndelete_columns);
            break;
        case SC_CON_CHECK:
            /* pg_get_expr(conbin) prints what pg_get_constraintdef() puts
             * inside CHECK (...), at a third of the cost. */
            k->expr = expr(r, val(res, i, 14));
            if (k->expr == NULL) {
                sc_buf_printf(r->err, "reading constraints: check constraint %s has no expression",
                              k->name);
                PQclear(res);
                return false;
            }
            break;
        }
        if (!ok) {
            sc_buf_printf(r->err, "reading constraints: constraint %s names a column of %s "
                                  "that was not read",
                          k->name, t->name);
            PQclear(res);
            return false;
        }
    }
    PQclear(res);
    return true;
}

/* Skips one identifier (quoted or not) at `p`; returns the end. */
static const char *skip_ident(const char *p)
{
    if (*p == '"') {
        p++;
        while (*p != '\0') {
            if (*p == '"') {
                if (p[1] != '"')
                    return p + 1;
                p++;
            }
            p++;
        }
        return p;
    }
    while (*p != '\0' && *p != ' ' && *p != ',' && *p != ')' && *p != '.' && *p != '(')
        p++;
    return p;
}

/* Decodes a possibly qualified name at `*pp` into schema and name. */
static void take_qualified(reader *r, const char **pp, char **schema, char **name)
{
    const char *p = *pp;
    const char *a = p;
    p = skip_ident(p);
    sc_buf b = SC_BUF_INIT;
    if (*p == '.') {
        sc_ident_decode(&b, a, (size_t)(p - a));
        *schema = sc_arena_strdup(r->m->arena, sc_buf_str(&b));
        sc_buf_reset(&b);
        p++;
        a = p;
        p = skip_ident(p);
    } else {
        *schema = NULL;
    }
    sc_ident_decode(&b, a, (size_t)(p - a));
    *name = sc_arena_strdup(r->m->arena, sc_buf_str(&b));
    sc_buf_free(&b);
    if (*schema != NULL && (strcmp(*schema, "pg_catalog") == 0 || strcmp(*schema, "public") == 0))
        *schema = NULL;
    *pp = p;
}

/*
 * The part of a CREATE INDEX statement (pg_get_indexdef) that follows key
 * `k`'s text: COLLATE, the operator class, DESC and NULLS, which
 * pg_get_indexdef prints only where they differ from the defaults.
 * `def` is the whole statement, `keys` the key texts in order.
 */
static bool read_key_options(reader *r, const char *def, char **keys, size_t nkeys,
                             sc_index_key *out)
{
    /* The key list starts after "USING method (". */
    const char *p = strstr(def, " USING ");
    if (p == NULL)
        return false;
    p = strchr(p + 7, '(');
    if (p == NULL)
        return false;
    p++;
    size_t dlen = strlen(def);
    for (size_t k = 0; k < nkeys; k++) {
        size_t klen = strlen(keys[k]);
        if (strncmp(p, keys[k], klen) != 0)
            return false;
        const char *q = p + klen;
        /* The element ends at the next top-level comma or the closing paren. */
        size_t end = (size_t)(q - def);
        int depth = 0;
        while (end < dlen) {
            size_t span_end;
            if (sc_sql_span(def, dlen, end, &span_end) != SC_SPAN_NONE) {
                end = span_end;
                continue;
            }
            char ch = def[end];
            if ((ch == ')' && depth == 0) || (ch == ',' && depth == 0))
                break;
            depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
            end++;
        }
        /* Options between the key text and the end of the element. */
        const char *o = q, *stop = def + end;
        while (o < stop) {
            while (o < stop && *o == ' ')
                o++;
            if (o >= stop)
                break;
            if (strncmp(o, "COLLATE ", 8) == 0) {
                o += 8;
                take_qualified(r, &o, &out[k].collation_schema, &out[k].collation);
            } else if (strncmp(o, "DESC", 4) == 0 || strncmp(o, "ASC", 3) == 0) {
                o += o[0] == 'D' ? 4 : 3;
            } else if (strncmp(o, "NULLS FIRST", 11) == 0 || strncmp(o, "NULLS LAST", 10) == 0) {
                o += o[6] == 'F' ? 11 : 10;
            } else {
                take_qualified(r, &o, &out[k].opclass_schema, &out[k].opclass);
                if (*o == '(') /* opclass parameters: not in the language yet */
                    return false;
            }
        }
        p = stop;
        if (*p == ',')
            p += 2;
    }
    return true;
}

static void indexes_sql(const reader *r, sc_buf *q)
{
    sc_buf_printf(q, q_indexes,
                  r->stats.server_version >= 150000 ? "i.indnullsnotdistinct" : "false");
}

static bool read_indexes(reader *r)
{
    sc_buf q = SC_BUF_INIT;
    if (r->pre_indexes == NULL)
        indexes_sql(r, &q);
    PGresult *res = r->pre_indexes != NULL ? r->pre_indexes : run(r, sc_buf_str(&q), "reading indexes");
    r->pre_indexes = NULL;
    sc_buf_free(&q);
    if (res == NULL)
        return false;
    int n = PQntuples(res);
    for (int i = 0; i < n;) {
        /* Rows i .. j-1 are the columns of one index. */
        int j = i + 1;
        while (j < n && num(res, j, 6) != 1)
            j++;
        sc_table *t = table_of(r, oid_of(res, i, 0));
        if (t == NULL) {
            i = j;
            continue;
        }
        sc_index *x = sc_table_add_index(r->m, t);
        x->name = dup(r, res, i, 1);
        x->unique = flag(res, i, 2);
        const char *am = val(res, i, 3);
        x->method = am != NULL && strcmp(am, "btree") != 0 ? sc_arena_strdup(r->m->arena, am) : NULL;
        x->invalid = !flag(res, i, 4);
        x->nulls_not_distinct = flag(res, i, 13);
        x->where = expr(r, val(res, i, 12));
        x->comment = dup(r, res, i, 14);
        int nkey = (int)num(res, i, 5);
        x->nkeys = (size_t)(nkey < j - i ? nkey : j - i);
        x->keys = sc_arena_alloc(r->m->arena, (x->nkeys == 0 ? 1 : x->nkeys) * sizeof *x->keys);
        char **keytext = sc_xcalloc(x->nkeys == 0 ? 1 : x->nkeys, sizeof *keytext);
        for (size_t k = 0; k < x->nkeys; k++) {
            int row = i + (int)k;
            sc_index_key *key = &x->keys[k];
            memset(key, 0, sizeof *key);
            keytext[k] = (char *)val(res, row, 8);
            if (val(res, row, 7) != NULL)
                key->column = dup(r, res, row, 7);
            else
                key->expr = expr(r, keytext[k]);
            key->colname = dup(r, res, row, 9);
            int64_t opt = num(res, row, 10);
            key->desc = (opt & 1) != 0;
            bool nulls_first = (opt & 2) != 0;
            key->nulls = nulls_first == key->desc ? 0 : nulls_first ? 'f' : 'l';
        }
        const char *def = val(res, i, 11); /* only when a key may have options */
        if (def != NULL && !read_key_options(r, def, keytext, x->nkeys, x->keys)) {
            sc_buf_printf(r->err, "reading indexes: cannot read the definition of index %s: %s",
                          x->name, val(res, i, 11));
            free(keytext);
            PQclear(res);
            return false;
        }
        free(keytext);
        size_t ninc = (size_t)(j - i) - x->nkeys;
        if (ninc > 0) {
            x->include = sc_arena_alloc(r->m->arena, ninc * sizeof *x->include);
            for (size_t k = 0; k < ninc; k++)
                x->include[k] = dup(r, res, i + (int)x->nkeys + (int)k, 7);
            x->ninclude = ninc;
        }
        i = j;
    }
    PQclear(res);
    return true;
}

/* Whether options read from pg_sequence are all the defaults. */
static bool seqopts_default(const sc_seqopts *o)
{
    return !o->has_start && !o->has_increment && !o->has_min && !o->has_max && !o->has_cache &&
           !o->has_cycle;
}

/*
 * A sequence owned by a column whose default is its nextval(), with the
 * column's type, default options, no comment and the name PostgreSQL
 * gives a serial column's sequence, is that column's serial: the column
 * says it all and the sequence is not listed.
 */
static bool take_as_serial(reader *r, sc_sequence *q, const char *regclass_text)
{
    if (q->owned_table == NULL || q->comment != NULL || !seqopts_default(&q->opts))
        return false;
    sc_table *t = sc_model_find_table(r->m, q->schema, q->owned_table);
    if (t == NULL)
        return false;
    sc_column *c = sc_table_find_column(t, q->owned_column);
    if (c == NULL || c->default_expr == NULL || c->identity != 0 || c->generated_expr != NULL)
        return false;
    int width = strcmp(c->type, "smallint") == 0  ? 2
                : strcmp(c->type, "integer") == 0 ? 4
                : strcmp(c->type, "bigint") == 0  ? 8
                                                  : 0;
    if (width == 0 || strcmp(c->type, q->type) != 0 || !c->not_null)
        return false;
    sc_arena *tmp = sc_arena_new();
    sc_buf want = SC_BUF_INIT, lit = SC_BUF_INIT;
    sc_sql_literal_append(&lit, regclass_text);
    sc_buf_printf(&want, "nextval(%s::regclass)", sc_buf_str(&lit));
    bool is_serial = strcmp(c->default_expr, sc_buf_str(&want)) == 0 &&
                     strcmp(q->name, sc_name_make(tmp, t->name, c->name, "seq")) == 0;
    sc_buf_free(&want);
    sc_buf_free(&lit);
    sc_arena_free(tmp);
    if (is_serial) {
        c->serial = width;
        c->default_expr = NULL;
    }
    return is_serial;
}

static bool read_sequences(reader *r)
{
    PGresult *res = r->pre_sequences != NULL ? r->pre_sequences
                                              : run(r, q_sequences, "reading sequences");
    r->pre_sequences = NULL;
    if (res == NULL)
        return false;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        sc_sequence *q = sc_model_add_sequence(r->m, val(res, i, 0), val(res, i, 1));
        q->type = dup(r, res, i, 2);
        seqopts_of(&q->opts, res, i, 3, q->type);
        q->comment = dup(r, res, i, 9);
        /* OWNED BY needs the table in the sequence's schema; a managed one. */
        const char *onsp = val(res, i, 14);
        if (val(res, i, 10) != NULL && table_of(r, oid_of(res, i, 10)) != NULL && onsp != NULL &&
            strcmp(onsp, q->schema) == 0) {
            q->owned_table = dup(r, res, i, 11);
            q->owned_column = dup(r, res, i, 12);
        }
        if (take_as_serial(r, q, val(res, i, 13)))
            r->m->nsequences--; /* the column implies it */
    }
    PQclear(res);
    return true;
}

static bool read_unmanaged(reader *r)
{
    PGresult *res = r->pre_unmanaged != NULL ? r->pre_unmanaged
                                              : run(r, q_unmanaged, "reading other objects");
    r->pre_unmanaged = NULL;
    if (res == NULL)
        return false;
    for (int i = 0, n = PQntuples(res); i < n; i++)
        sc_model_add_unmanaged(r->m, val(res, i, 0), val(res, i, 1), val(res, i, 2));
    PQclear(res);
    return true;
}

/* The settings both connections' transactions start with; without the
 * BEGIN when `in_tx` (the caller's transaction is open already). */
static void begin_sql(sc_buf *q, const char *snapshot, bool export, bool in_tx)
{
    if (!in_tx) {
        sc_buf_puts(q, q_begin);
        if (snapshot != NULL) {
            sc_buf_puts(q, "SET TRANSACTION SNAPSHOT ");
            sc_sql_literal_append(q, snapshot);
            sc_buf_putc(q, ';');
        }
    }
    sc_buf_printf(q, q_settings, SC_CATALOG_TIMEOUT_MS,
                  export ? ", pg_catalog.pg_export_snapshot()" : "");
}

/*
 * A second connection to the same database, in a transaction that shares
 * the first one's snapshot (pg_export_snapshot), so that two backends
 * read the catalog at once and still see one consistent picture.  Sends
 * it the index, sequence and unmanaged-object queries without waiting.
 * Returns NULL (and the reader goes on alone) when it cannot be had, e.g.
 * at the server's connection limit.
 */
static PGconn *start_sibling(reader *r, const char *snapshot)
{
    PGconn *c2 = sc_conn_like(r->conn, NULL);
    if (c2 == NULL)
        return NULL;
    sc_buf q = SC_BUF_INIT;
    begin_sql(&q, snapshot, false, false);
    PGresult *res = PQexec(c2, sc_buf_str(&q));
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    PQclear(res);
    if (ok) {
        sc_buf_reset(&q);
        indexes_sql(r, &q);
        sc_buf_printf(&q, ";%s;%s", q_sequences, q_unmanaged);
        ok = PQsendQuery(c2, sc_buf_str(&q)) == 1;
    }
    sc_buf_free(&q);
    if (!ok) {
        PQfinish(c2);
        return NULL;
    }
    r->stats.queries += 4;
    return c2;
}

/* Collects the sibling's three results into the reader. */
static bool finish_sibling(reader *r, PGconn *c2)
{
    PGresult **slots[] = {&r->pre_indexes, &r->pre_sequences, &r->pre_unmanaged};
    static const char *const what[] = {"reading indexes", "reading sequences",
                                       "reading other objects"};
    bool ok = true;
    size_t i = 0;
    for (PGresult *res; (res = PQgetResult(c2)) != NULL;) {
        if (ok && PQresultStatus(res) != PGRES_TUPLES_OK) {
            sc_buf_printf(r->err, "%s: ", i < 3 ? what[i] : "reading");
            sc_conn_error_line(r->err, PQresultErrorMessage(res));
            ok = false;
        }
        if (ok && i < 3)
            *slots[i] = res;
        else
            PQclear(res);
        i++;
    }
    if (ok && i != 3) {
        sc_buf_puts(r->err, "reading indexes: the second connection returned no result");
        ok = false;
    }
    PQfinish(c2);
    return ok;
}

sc_model *sc_catalog_read(PGconn *conn, sc_catalog_stats *stats, sc_buf *err)
{
    reader r = {.conn = conn, .err = err};
    r.stats.server_version = PQserverVersion(conn);
    if (r.stats.server_version < 130000) {
        sc_buf_printf(err, "PostgreSQL %d.%d is not supported; schemac needs 13 or later",
                      r.stats.server_version / 10000, r.stats.server_version / 100 % 100);
        return NULL;
    }
    r.m = sc_model_new();

    /* Inside the caller's transaction: its settings only, one connection
     * (a sibling would not see what the transaction made). */
    bool in_tx = PQtransactionStatus(conn) == PQTRANS_INTRANS;
    sc_buf q = SC_BUF_INIT;
    begin_sql(&q, NULL, !in_tx, in_tx);
    PGresult *res = run(&r, sc_buf_str(&q),
                        in_tx ? "setting up the catalog read" : "starting a read-only transaction");
    sc_buf_free(&q);
    bool ok = res != NULL;
    PGconn *sibling = NULL;
    if (ok && !in_tx)
        sibling = start_sibling(&r, PQgetvalue(res, 0, PQnfields(res) - 1));
    PQclear(res);
    ok = ok && read_schemas(&r) && read_extensions(&r) && read_collations(&r) &&
         read_enums(&r) && read_tables(&r) && read_columns(&r) && read_constraints(&r);
    if (sibling != NULL && !finish_sibling(&r, sibling))
        ok = false;
    ok = ok && read_indexes(&r) && read_sequences(&r) && read_unmanaged(&r);
    PQclear(r.pre_indexes);
    PQclear(r.pre_sequences);
    PQclear(r.pre_unmanaged);

    /* End the transaction whatever happened (it only read), unless it is
     * the caller's. */
    if (!in_tx && PQtransactionStatus(conn) != PQTRANS_IDLE) {
        r.stats.queries++;
        PQclear(PQexec(conn, "ROLLBACK"));
    }
    free(r.slots);
    if (stats != NULL)
        *stats = r.stats;
    if (!ok) {
        sc_model_free(r.m);
        return NULL;
    }
    return r.m;
}
