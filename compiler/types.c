/*
 * Built-in type names and their canonical spelling (see types.h).
 *
 * The table maps every accepted spelling (lower case, keyword types as
 * their words joined by one space) to the base name format_type() uses,
 * with how modifiers attach: none allowed, a length, numeric's precision
 * and scale, or a time precision that goes before "with(out) time zone".
 */
#include "types.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

enum mod_kind {
    MOD_NONE,
    MOD_LENGTH,    /* varchar(n), bit(n): one positive integer */
    MOD_NUMERIC,   /* numeric(p[,s]) */
    MOD_FLOAT,     /* float(p) picks real or double precision */
    MOD_PRECISION, /* time(p), timestamp(p), interval(p): 0..6 */
    MOD_ANY,       /* modifiers passed through (unused for built-ins) */
};

typedef struct builtin {
    const char *spelling;
    const char *canon;
    enum mod_kind mods;
    int serial;
    const char *default_len; /* modifier used when none is written */
} builtin;

static const builtin builtins[] = {
    {"bigint", "bigint", MOD_NONE, 0, NULL},
    {"bigserial", "bigint", MOD_NONE, 8, NULL},
    {"bit", "bit", MOD_LENGTH, 0, "1"},
    {"bit varying", "bit varying", MOD_LENGTH, 0, NULL},
    {"bool", "boolean", MOD_NONE, 0, NULL},
    {"boolean", "boolean", MOD_NONE, 0, NULL},
    {"box", "box", MOD_NONE, 0, NULL},
    {"bpchar", "bpchar", MOD_LENGTH, 0, NULL},
    {"bytea", "bytea", MOD_NONE, 0, NULL},
    {"char", "character", MOD_LENGTH, 0, "1"},
    {"char varying", "character varying", MOD_LENGTH, 0, NULL},
    {"character", "character", MOD_LENGTH, 0, "1"},
    {"character varying", "character varying", MOD_LENGTH, 0, NULL},
    {"cid", "cid", MOD_NONE, 0, NULL},
    {"cidr", "cidr", MOD_NONE, 0, NULL},
    {"circle", "circle", MOD_NONE, 0, NULL},
    {"date", "date", MOD_NONE, 0, NULL},
    {"datemultirange", "datemultirange", MOD_NONE, 0, NULL},
    {"daterange", "daterange", MOD_NONE, 0, NULL},
    {"dec", "numeric", MOD_NUMERIC, 0, NULL},
    {"decimal", "numeric", MOD_NUMERIC, 0, NULL},
    {"double precision", "double precision", MOD_NONE, 0, NULL},
    {"float", "double precision", MOD_FLOAT, 0, NULL},
    {"float4", "real", MOD_NONE, 0, NULL},
    {"float8", "double precision", MOD_NONE, 0, NULL},
    {"inet", "inet", MOD_NONE, 0, NULL},
    {"int", "integer", MOD_NONE, 0, NULL},
    {"int2", "smallint", MOD_NONE, 0, NULL},
    {"int4", "integer", MOD_NONE, 0, NULL},
    {"int4multirange", "int4multirange", MOD_NONE, 0, NULL},
    {"int4range", "int4range", MOD_NONE, 0, NULL},
    {"int8", "bigint", MOD_NONE, 0, NULL},
    {"int8multirange", "int8multirange", MOD_NONE, 0, NULL},
    {"int8range", "int8range", MOD_NONE, 0, NULL},
    {"integer", "integer", MOD_NONE, 0, NULL},
    {"interval", "interval", MOD_PRECISION, 0, NULL},
    {"json", "json", MOD_NONE, 0, NULL},
    {"jsonb", "jsonb", MOD_NONE, 0, NULL},
    {"jsonpath", "jsonpath", MOD_NONE, 0, NULL},
    {"line", "line", MOD_NONE, 0, NULL},
    {"lseg", "lseg", MOD_NONE, 0, NULL},
    {"macaddr", "macaddr", MOD_NONE, 0, NULL},
    {"macaddr8", "macaddr8", MOD_NONE, 0, NULL},
    {"money", "money", MOD_NONE, 0, NULL},
    {"name", "name", MOD_NONE, 0, NULL},
    {"national char", "character", MOD_LENGTH, 0, "1"},
    {"national char varying", "character varying", MOD_LENGTH, 0, NULL},
    {"national character", "character", MOD_LENGTH, 0, "1"},
    {"national character varying", "character varying", MOD_LENGTH, 0, NULL},
    {"nchar", "character", MOD_LENGTH, 0, "1"},
    {"nchar varying", "character varying", MOD_LENGTH, 0, NULL},
    {"numeric", "numeric", MOD_NUMERIC, 0, NULL},
    {"nummultirange", "nummultirange", MOD_NONE, 0, NULL},
    {"numrange", "numrange", MOD_NONE, 0, NULL},
    {"oid", "oid", MOD_NONE, 0, NULL},
    {"path", "path", MOD_NONE, 0, NULL},
    {"pg_lsn", "pg_lsn", MOD_NONE, 0, NULL},
    {"pg_snapshot", "pg_snapshot", MOD_NONE, 0, NULL},
    {"point", "point", MOD_NONE, 0, NULL},
    {"polygon", "polygon", MOD_NONE, 0, NULL},
    {"real", "real", MOD_NONE, 0, NULL},
    {"regclass", "regclass", MOD_NONE, 0, NULL},
    {"regconfig", "regconfig", MOD_NONE, 0, NULL},
    {"regnamespace", "regnamespace", MOD_NONE, 0, NULL},
    {"regproc", "regproc", MOD_NONE, 0, NULL},
    {"regrole", "regrole", MOD_NONE, 0, NULL},
    {"regtype", "regtype", MOD_NONE, 0, NULL},
    {"serial", "integer", MOD_NONE, 4, NULL},
    {"serial2", "smallint", MOD_NONE, 2, NULL},
    {"serial4", "integer", MOD_NONE, 4, NULL},
    {"serial8", "bigint", MOD_NONE, 8, NULL},
    {"smallint", "smallint", MOD_NONE, 0, NULL},
    {"smallserial", "smallint", MOD_NONE, 2, NULL},
    {"text", "text", MOD_NONE, 0, NULL},
    {"tid", "tid", MOD_NONE, 0, NULL},
    {"time", "time", MOD_PRECISION, 0, NULL},
    {"timestamp", "timestamp", MOD_PRECISION, 0, NULL},
    {"timestamptz", "timestamptz", MOD_PRECISION, 0, NULL},
    {"timetz", "timetz", MOD_PRECISION, 0, NULL},
    {"tsmultirange", "tsmultirange", MOD_NONE, 0, NULL},
    {"tsquery", "tsquery", MOD_NONE, 0, NULL},
    {"tsrange", "tsrange", MOD_NONE, 0, NULL},
    {"tstzmultirange", "tstzmultirange", MOD_NONE, 0, NULL},
    {"tstzrange", "tstzrange", MOD_NONE, 0, NULL},
    {"tsvector", "tsvector", MOD_NONE, 0, NULL},
    {"txid_snapshot", "txid_snapshot", MOD_NONE, 0, NULL},
    {"uuid", "uuid", MOD_NONE, 0, NULL},
    {"varbit", "bit varying", MOD_LENGTH, 0, NULL},
    {"varchar", "character varying", MOD_LENGTH, 0, NULL},
    {"xid", "xid", MOD_NONE, 0, NULL},
    {"xid8", "xid8", MOD_NONE, 0, NULL},
    {"xml", "xml", MOD_NONE, 0, NULL},
};

static int cmp_builtin(const void *key, const void *elem)
{
    return strcmp(key, ((const builtin *)elem)->spelling);
}

/* Parses a non-negative decimal integer of at most 9 digits. */
static bool parse_uint(const char *s, long *out)
{
    if (*s == '\0' || strlen(s) > 9)
        return false;
    long v = 0;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return true;
}

/*
 * Spellings SQL's grammar turns into types but no type is named: quoted,
 * they are looked up as type names (`"int"` is a user's type called int,
 * as in PostgreSQL, where `"int"` alone does not exist).
 */
static bool grammar_only(const char *name)
{
    static const char *const words[] = {
        "bigint",  "bigserial", "boolean",     "character", "dec",     "decimal",
        "float",   "int",       "integer",     "nchar",     "real",    "serial",
        "serial2", "serial4",   "serial8",     "smallint",  "smallserial",
    };
    for (size_t i = 0; i < SC_ARRAY_LEN(words); i++)
        if (strcmp(name, words[i]) == 0)
            return true;
    return false;
}

sc_type_result sc_type_canonical(const sc_type_spec *spec, sc_buf *out, int *serial,
                                 const char **err)
{
    *serial = 0;
    *err = NULL;
    if (spec->schema != NULL && strcmp(spec->schema, "pg_catalog") != 0)
        return SC_TYPE_UNKNOWN;

    const builtin *b = NULL;
    if (spec->quoted) {
        /* "char" is the internal one-byte type; other quoted names must
         * match a type's stored name exactly. */
        if (strcmp(spec->name, "char") == 0) {
            if (spec->nmods > 0) {
                *err = "type \"char\" takes no modifiers";
                return SC_TYPE_BAD;
            }
            sc_buf_puts(out, "\"char\"");
            goto array;
        }
        b = bsearch(spec->name, builtins, SC_ARRAY_LEN(builtins), sizeof *builtins, cmp_builtin);
        if (b == NULL || strchr(spec->name, ' ') != NULL || grammar_only(spec->name))
            return SC_TYPE_UNKNOWN;
    } else {
        b = bsearch(spec->name, builtins, SC_ARRAY_LEN(builtins), sizeof *builtins, cmp_builtin);
        if (b == NULL)
            return SC_TYPE_UNKNOWN;
    }
    *serial = b->serial;
    if (b->serial != 0 && spec->array_dims > 0) {
        *err = "array of serial is not implemented by PostgreSQL";
        return SC_TYPE_BAD;
    }

    long v[2] = {0, 0};
    for (size_t i = 0; i < spec->nmods && i < 2; i++) {
        /* numeric's scale may be negative (PostgreSQL 15). */
        bool neg = i == 1 && b->mods == MOD_NUMERIC && spec->mods[i][0] == '-';
        if (!parse_uint(spec->mods[i] + neg, &v[i])) {
            *err = "type modifiers must be simple integer constants";
            return SC_TYPE_BAD;
        }
        if (neg)
            v[i] = -v[i];
    }

    const char *canon = b->canon;
    bool tz_with = spec->time_zone > 0;
    if (strcmp(canon, "timestamptz") == 0 || strcmp(canon, "timetz") == 0) {
        if (spec->time_zone < 0) {
            *err = "time zone conflicts with the type's name";
            return SC_TYPE_BAD;
        }
        tz_with = true;
        canon = canon[4] == 's' ? "timestamp" : "time";
    } else if (spec->time_zone != 0 && strcmp(canon, "timestamp") != 0 && strcmp(canon, "time") != 0) {
        *err = "only time and timestamp take with/without time zone";
        return SC_TYPE_BAD;
    }
    if (spec->interval_fields != NULL && strcmp(canon, "interval") != 0) {
        *err = "only interval takes fields";
        return SC_TYPE_BAD;
    }

    switch (b->mods) {
    case MOD_NONE:
        if (spec->nmods > 0) {
            *err = "this type takes no modifiers";
            return SC_TYPE_BAD;
        }
        sc_buf_puts(out, canon);
        break;
    case MOD_LENGTH:
        if (spec->nmods > 1) {
            *err = "this type takes one length";
            return SC_TYPE_BAD;
        }
        if (spec->nmods == 1 && (v[0] < 1 || v[0] > 10485760)) {
            *err = "length must be between 1 and 10485760";
            return SC_TYPE_BAD;
        }
        sc_buf_puts(out, canon);
        if (spec->nmods == 1)
            sc_buf_printf(out, "(%ld)", v[0]);
        else if (b->default_len != NULL)
            sc_buf_printf(out, "(%s)", b->default_len);
        break;
    case MOD_NUMERIC:
        if (spec->nmods > 2) {
            *err = "numeric takes a precision and a scale";
            return SC_TYPE_BAD;
        }
        if (spec->nmods >= 1 && (v[0] < 1 || v[0] > 1000)) {
            *err = "numeric precision must be between 1 and 1000";
            return SC_TYPE_BAD;
        }
        if (spec->nmods == 2 && (v[1] > 1000 || v[1] < -1000)) {
            *err = "numeric scale must be between -1000 and 1000";
            return SC_TYPE_BAD;
        }
        sc_buf_puts(out, canon);
        if (spec->nmods >= 1)
            sc_buf_printf(out, "(%ld,%ld)", v[0], spec->nmods == 2 ? v[1] : 0L);
        break;
    case MOD_FLOAT:
        if (spec->nmods > 1) {
            *err = "float takes one precision";
            return SC_TYPE_BAD;
        }
        if (spec->nmods == 1 && (v[0] < 1 || v[0] > 53)) {
            *err = "float precision must be between 1 and 53";
            return SC_TYPE_BAD;
        }
        sc_buf_puts(out, spec->nmods == 1 && v[0] <= 24 ? "real" : "double precision");
        break;
    case MOD_PRECISION:
        if (spec->nmods > 1) {
            *err = "this type takes one precision";
            return SC_TYPE_BAD;
        }
        if (spec->nmods == 1 && v[0] > 6) {
            *err = "precision must be between 0 and 6";
            return SC_TYPE_BAD;
        }
        sc_buf_puts(out, canon);
        if (strcmp(canon, "interval") == 0) {
            if (spec->interval_fields != NULL)
                sc_buf_printf(out, " %s", spec->interval_fields);
            if (spec->nmods == 1)
                sc_buf_printf(out, "(%ld)", v[0]);
        } else {
            if (spec->nmods == 1)
                sc_buf_printf(out, "(%ld)", v[0]);
            sc_buf_puts(out, tz_with ? " with time zone" : " without time zone");
        }
        break;
    case MOD_ANY:
        sc_buf_puts(out, canon);
        break;
    }
array:
    if (spec->array_dims > 0)
        sc_buf_puts(out, "[]");
    return SC_TYPE_BUILTIN;
}

bool sc_type_is_integer(const char *canon)
{
    return strcmp(canon, "smallint") == 0 || strcmp(canon, "integer") == 0 ||
           strcmp(canon, "bigint") == 0;
}

int sc_type_category(const char *canon)
{
    if (sc_type_is_integer(canon) || strncmp(canon, "numeric", 7) == 0 ||
        strcmp(canon, "real") == 0 || strcmp(canon, "double precision") == 0)
        return 1;
    if (strcmp(canon, "text") == 0 || strncmp(canon, "character", 9) == 0 ||
        strncmp(canon, "bpchar", 6) == 0 || strcmp(canon, "name") == 0)
        return 2;
    if (strncmp(canon, "timestamp", 9) == 0 || strcmp(canon, "date") == 0)
        return 3;
    return 0;
}
