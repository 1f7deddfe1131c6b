/*
 * The round-trip test: rows of every supported column type through the
 * code `schemac gen` writes, used as an application uses it.
 *
 * The build runs `schemac gen` on types.schema (gen_glue.sh) and compiles
 * the generated schema.h, db/schema_db.c and validate/schema_validate.c
 * into this program.  A real server gets the same schema through the DDL
 * printer.  Then, per table, fixed edge rows and a few hundred random ones
 * (NULL in every nullable column now and then, empty strings and arrays,
 * strings with quotes, backslashes, commas, braces, newlines, UTF-8 and
 * 'NULL', integer limits, NaN, infinities and -0.0, infinite and extreme
 * dates and timestamps, extreme intervals, hostile enum labels), each
 * built with the typed structs and:
 *
 *   - T_validate says it is valid;
 *   - T_insert(conn, &row, &returned, arena) takes it, and `returned` is
 *     the row, except the columns the database computes (identity ALWAYS,
 *     generated), which are what PostgreSQL computed;
 *   - SELECT * (and once every column in reverse order with an extra one)
 *     decoded with T_from_result gives the rows inserted, after the
 *     PGresult is cleared.
 *
 * Rows are compared member by member with the typed structs: strings by
 * content, arrays element by element, floats bit for bit (NaN equals NaN),
 * numerics by value (schemac_numeric_cmp: numeric(10,2) '1.5' reads back
 * as '1.50').  Values PostgreSQL normalises (character(n) padding, jsonb,
 * time with time zone) are sent in their canonical form.  The scalars and
 * arrays run with TimeZone UTC, America/St_Johns (whose old dates have an
 * offset in seconds) and Pacific/Kiritimati (+14).  Decoding errors are tested too: a result of another
 * table, a type mismatch, a NULL for a member without presence flag, a
 * label that is none, NULL array elements, a binary result, and
 * DateStyle/IntervalStyle other than the codec's; multi-dimensional arrays
 * and arrays with bounds decode flattened.
 *
 * SCHEMAC_ROUNDTRIP_ROWS sets the random rows per table (default 300);
 * SCHEMAC_ROUNDTRIP_SEED the random seed (default 1).
 */
#define _GNU_SOURCE

#include <criterion/criterion.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <schemac/row.h>
#include <schemac/validate.h>

#include "compiler.h"
#include "ddl.h"
#include "pgshared.h"
#include "rng.h"
#include "schema.h"

typedef struct odd_x20_x22schema_x22_hostile_x20_x22table_x22_x20name hostile_row;
typedef enum odd_x20_x22schema_x22_hostile_x20mood hostile_mood;
#define hostile_insert odd_x20_x22schema_x22_hostile_x20_x22table_x22_x20name_insert
#define hostile_from_result odd_x20_x22schema_x22_hostile_x20_x22table_x22_x20name_from_result
#define hostile_validate odd_x20_x22schema_x22_hostile_x20_x22table_x22_x20name_validate
#define hostile_desc odd_x20_x22schema_x22_hostile_x20_x22table_x22_x20name_desc
#define HOSTILE_NCOLUMNS ODD_X20_X22SCHEMA_X22_HOSTILE_X20_X22TABLE_X22_X20NAME_NCOLUMNS

TestSuite(roundtrip, .init = pgshared_attach, .fini = pgshared_detach, .timeout = 600);

/* ------------------------------------------------------------ random */

#define PICK(arr) ((arr)[rnd() % (sizeof(arr) / sizeof((arr)[0]))])

static long nrows(void)
{
    const char *e = getenv("SCHEMAC_ROUNDTRIP_ROWS");
    return e != NULL ? strtol(e, NULL, 10) : 300;
}

static void seed(void)
{
    const char *e = getenv("SCHEMAC_ROUNDTRIP_SEED");
    rng_state = e != NULL ? strtoull(e, NULL, 10) : 1;
}

/* ------------------------------------------------------- strings */

/* A growing string (malloc'd). */
typedef struct {
    char *s;
    size_t len, cap;
} ds;

static void ds_put(ds *d, const char *s, size_t n)
{
    if (d->len + n + 1 > d->cap) {
        d->cap = (d->len + n + 1) * 2;
        d->s = realloc(d->s, d->cap);
        cr_assert_not_null(d->s);
    }
    memcpy(d->s + d->len, s, n);
    d->len += n;
    d->s[d->len] = '\0';
}

static void ds_puts(ds *d, const char *s)
{
    ds_put(d, s, strlen(s));
}

static void ds_printf(ds *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ds_printf(ds *d, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    cr_assert(n >= 0 && (size_t)n < sizeof tmp);
    ds_put(d, tmp, (size_t)n);
}

/* The string in the arena; frees `d`. */
static char *ds_take(ds *d, schemac_arena *a)
{
    char *s = schemac_arena_alloc(a, d->len + 1);
    cr_assert_not_null(s);
    if (d->len > 0)
        memcpy(s, d->s, d->len);
    s[d->len] = '\0';
    free(d->s);
    d->s = NULL;
    d->len = d->cap = 0;
    return s;
}

static char *astr(schemac_arena *a, const char *s)
{
    ds d = {0};
    ds_puts(&d, s);
    return ds_take(&d, a);
}

/* Pieces of hostile text, each one or more characters of valid UTF-8. */
static const struct {
    const char *s;
    int chars;
} pieces[] = {
    {"a", 1},     {"Z", 1},      {" ", 1},    {"'", 1},      {"\"", 1},     {"\\", 1},
    {",", 1},     {"{", 1},      {"}", 1},    {"\n", 1},     {"\t", 1},     {"\r", 1},
    {"\v", 1},    {"\f", 1},     {"é", 1},    {"€", 1},      {"😀", 1},     {"NULL", 4},
    {"null", 4},  {"(", 1},      {")", 1},    {"\\x", 2},    {"$$", 2},     {";", 1},
    {"--", 2},    {"ß", 1},      {"\x7f", 1}, {"\xe2\x80\xa8", 1}, {"\xc2\xa0", 1}, {"\x01", 1},
    {"%s", 2},    {"\\N", 2},    {"0", 1},    {"=", 1},
};

static const char *const hostile_strings[] = {
    "", "NULL", "null", " ", "  leading", "trailing  ", "{}", "{a,b}", "\"", "\\", "\\\\",
    "a\\\"b", "\\x41", "E'x'", "'; DROP TABLE scalars; --", "😀", "\n", "ünï", "{\"NULL\"}",
    "\"NULL\"", ",", "a,b", "NaN", "Infinity", "-",
};

/* A hostile string of at most `max` characters (no limit when max < 0). */
static char *hostile_text(schemac_arena *a, long max)
{
    ds d = {0};
    ds_puts(&d, "");
    if (chance(20)) {
        const char *s = PICK(hostile_strings);
        long chars = schemac_utf8_chars(s, strlen(s));
        if (max < 0 || chars <= max)
            ds_puts(&d, s);
        return ds_take(&d, a);
    }
    long want = max < 0 ? (chance(3) ? range(500, 3000) : range(0, 20)) : range(0, max);
    long have = 0;
    while (have < want) {
        int k = (int)(rnd() % (sizeof pieces / sizeof pieces[0]));
        if (have + pieces[k].chars > want)
            continue;
        ds_puts(&d, pieces[k].s);
        have += pieces[k].chars;
    }
    return ds_take(&d, a);
}

/* A character(n) value as PostgreSQL keeps it: n characters, blank-padded. */
static char *bpchar_text(schemac_arena *a, long n)
{
    char *s = hostile_text(a, n);
    long chars = schemac_utf8_chars(s, strlen(s));
    ds d = {0};
    ds_puts(&d, s);
    for (long i = chars; i < n; i++)
        ds_puts(&d, " ");
    return ds_take(&d, a);
}

/* numeric(10,2): at most 8 digits before the point and 2 after. */
static char *numeric_10_2(schemac_arena *a)
{
    static const char *const edge[] = {"0", "-0", "0.00", "99999999.99", "-99999999.99", "0.01",
                                       "-0.01", "NaN", "1.5", "12345678", "  7.1  ", "+3", ".5",
                                       "5.", "1e2", "1.5e-1"};
    if (chance(15))
        return astr(a, PICK(edge));
    ds d = {0};
    if (chance(30))
        ds_puts(&d, "-");
    int ip = (int)range(0, 8), fp = (int)range(0, 2);
    for (int i = 0; i < ip; i++)
        ds_printf(&d, "%d", (int)range(0, 9));
    if (ip == 0)
        ds_puts(&d, "0");
    if (fp > 0) {
        ds_puts(&d, ".");
        for (int i = 0; i < fp; i++)
            ds_printf(&d, "%d", (int)range(0, 9));
    }
    return ds_take(&d, a);
}

/* numeric without precision: long, tiny, huge, special. */
static char *numeric_any(schemac_arena *a)
{
    static const char *const edge[] = {"0", "-0", "0.000000", "NaN", "Infinity", "-Infinity",
                                       "inf", "-inf", "nan", "1e-20", "1.5E+30", "-123.4500",
                                       "0.1", "100000000000000000000000000000000000000000"};
    if (chance(15))
        return astr(a, PICK(edge));
    ds d = {0};
    if (chance(40))
        ds_puts(&d, "-");
    int ip = (int)range(0, chance(10) ? 200 : 30), fp = (int)range(0, chance(10) ? 200 : 30);
    for (int i = 0; i < ip; i++)
        ds_printf(&d, "%d", (int)range(0, 9));
    if (ip == 0)
        ds_puts(&d, "0");
    if (fp > 0) {
        ds_puts(&d, ".");
        for (int i = 0; i < fp; i++)
            ds_printf(&d, "%d", (int)range(0, 9));
    }
    if (chance(10))
        ds_printf(&d, "e%d", (int)range(-50, 50));
    return ds_take(&d, a);
}

/* A JSON string literal of a hostile text; `canonical`: as jsonb writes it. */
static void json_string(ds *d, schemac_arena *a, bool canonical)
{
    const char *s = hostile_text(a, 8);
    ds_puts(d, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        switch (*p) {
        case '"': ds_puts(d, "\\\""); break;
        case '\\': ds_puts(d, "\\\\"); break;
        case '\n': ds_puts(d, "\\n"); break;
        case '\t': ds_puts(d, "\\t"); break;
        case '\r': ds_puts(d, "\\r"); break;
        case '\b': ds_puts(d, "\\b"); break;
        case '\f': ds_puts(d, "\\f"); break;
        default:
            if (*p < 0x20)
                ds_printf(d, "\\u%04x", *p);
            else
                ds_put(d, (const char *)p, 1);
        }
    }
    if (!canonical && chance(30))
        ds_puts(d, PICK(((const char *const[]){"\\u00e9", "\\/", "\\u0041", "\\ud83d\\ude00"})));
    ds_puts(d, "\"");
}

static int key_cmp(const void *x, const void *y)
{
    const char *a = *(const char *const *)x, *b = *(const char *const *)y;
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return la < lb ? -1 : 1;
    return memcmp(a, b, la);
}

/* A JSON value; `canonical`: jsonb's output (keys unique, shorter keys
 * first then by bytes, ", " and ": "), else with odd spacing. */
static void json_value(ds *d, schemac_arena *a, bool canonical, int depth)
{
    const char *ws = canonical ? "" : PICK(((const char *const[]){"", " ", "\n", "\t ", "  "}));
    int pick = (int)range(0, depth > 2 ? 4 : 6);
    switch (pick) {
    case 0: ds_puts(d, PICK(((const char *const[]){"null", "true", "false"}))); break;
    case 1: ds_printf(d, "%" PRId64, (int64_t)rnd()); break;
    case 2:
        if (canonical)
            ds_puts(d, PICK(((const char *const[]){"1.50", "-0.001", "0", "123456789012345678901234567890", "3.14"})));
        else
            ds_puts(d, PICK(((const char *const[]){"1e3", "-0", "1.50E-2", "0.0", "-1"})));
        break;
    case 3:
    case 4: json_string(d, a, canonical); break;
    case 5: {
        int n = (int)range(0, 3);
        ds_puts(d, "[");
        for (int i = 0; i < n; i++) {
            if (i > 0)
                ds_puts(d, canonical ? ", " : ",");
            ds_puts(d, ws);
            json_value(d, a, canonical, depth + 1);
        }
        ds_puts(d, ws);
        ds_puts(d, "]");
        break;
    }
    default: {
        /* keys: distinct JSON strings, sorted as jsonb sorts them */
        const char *keys[4];
        int n = (int)range(0, 4), k = 0;
        for (int i = 0; i < n; i++) {
            ds kd = {0};
            json_string(&kd, a, canonical);
            const char *key = ds_take(&kd, a);
            bool dup = false;
            for (int j = 0; j < k; j++)
                dup |= strcmp(keys[j], key) == 0;
            if (!dup)
                keys[k++] = key;
        }
        if (canonical)
            qsort(keys, (size_t)k, sizeof keys[0], key_cmp); /* (escaped = raw order here) */
        ds_puts(d, "{");
        for (int i = 0; i < k; i++) {
            if (i > 0)
                ds_puts(d, canonical ? ", " : ",");
            ds_puts(d, ws);
            ds_puts(d, keys[i]);
            ds_puts(d, canonical ? ": " : ":");
            ds_puts(d, ws);
            json_value(d, a, canonical, depth + 1);
        }
        ds_puts(d, ws);
        ds_puts(d, "}");
        break;
    }
    }
}

static char *json_text(schemac_arena *a, bool canonical)
{
    ds d = {0};
    json_value(&d, a, canonical, 0);
    return ds_take(&d, a);
}

/* jsonb sorts keys by the length and bytes of the *unescaped* key; the
 * generator sorts escaped ones.  Keys are compared after reading back, so
 * the canonical form is what the server writes: ask it. */
static char *jsonb_canonical(PGconn *conn, schemac_arena *a, const char *json)
{
    const char *params[1] = {json};
    PGresult *r = PQexecParams(conn, "SELECT $1::jsonb::text", 1, NULL, params, NULL, NULL, 0);
    cr_assert(PQresultStatus(r) == PGRES_TUPLES_OK, "jsonb %s: %s", json, PQerrorMessage(conn));
    char *s = astr(a, PQgetvalue(r, 0, 0));
    PQclear(r);
    return s;
}

/* time with time zone, as PostgreSQL writes it: HH:MM:SS[.f]+HH[:MM[:SS]]. */
static char *timetz_text(schemac_arena *a)
{
    static const char *const edge[] = {"00:00:00+00", "24:00:00+15:59:59", "23:59:59.999999-15:59:59",
                                       "12:34:56.5-08", "01:02:03+05:30:15", "00:00:00.000001-03:30"};
    if (chance(15))
        return astr(a, PICK(edge));
    ds d = {0};
    int h = (int)range(0, 23), m = (int)range(0, 59), s = (int)range(0, 59);
    ds_printf(&d, "%02d:%02d:%02d", h, m, s);
    if (chance(50)) {
        char f[16];
        snprintf(f, sizeof f, "%06d", (int)range(1, 999999));
        size_t n = strlen(f);
        while (f[n - 1] == '0')
            f[--n] = '\0';
        ds_printf(&d, ".%s", f);
    }
    int off = (int)range(-(15 * 3600 + 59 * 60 + 59), 15 * 3600 + 59 * 60 + 59);
    if (chance(50))
        off -= off % 3600;
    else if (chance(50))
        off -= off % 60;
    int mag = off < 0 ? -off : off;
    ds_printf(&d, "%c%02d", off < 0 ? '-' : '+', mag / 3600);
    if (mag % 3600 != 0)
        ds_printf(&d, ":%02d", mag / 60 % 60);
    if (mag % 60 != 0)
        ds_printf(&d, ":%02d", mag % 60);
    return ds_take(&d, a);
}

/* ------------------------------------------------------- scalars */

static int16_t gen_i16(void)
{
    static const int16_t edge[] = {INT16_MIN, INT16_MAX, 0, -1, 1};
    return chance(20) ? PICK(edge) : (int16_t)range(INT16_MIN, INT16_MAX);
}

static int32_t gen_i32(void)
{
    static const int32_t edge[] = {INT32_MIN, INT32_MAX, 0, -1, 1};
    return chance(20) ? PICK(edge) : (int32_t)range(INT32_MIN, INT32_MAX);
}

static int64_t gen_i64(void)
{
    static const int64_t edge[] = {INT64_MIN, INT64_MAX, 0, -1, 1};
    return chance(20) ? PICK(edge) : (int64_t)rnd();
}

static bool gen_bool(void)
{
    return chance(50);
}

static float gen_f4(void)
{
    static const float edge[] = {0.0f, -0.0f, NAN, INFINITY, -INFINITY, FLT_MAX, -FLT_MAX,
                                 FLT_MIN, FLT_TRUE_MIN, -FLT_TRUE_MIN, 0.1f, 1.0f / 3.0f, 16777217.0f};
    if (chance(25))
        return PICK(edge);
    uint32_t bits = (uint32_t)rnd();
    float f;
    memcpy(&f, &bits, sizeof f);
    return isnan(f) ? 1.5f : f;
}

static double gen_f8(void)
{
    static const double edge[] = {0.0, -0.0, NAN, INFINITY, -INFINITY, DBL_MAX, -DBL_MAX,
                                  DBL_MIN, DBL_TRUE_MIN, -DBL_TRUE_MIN, 0.1, 1.0 / 3.0, 9007199254740993.0};
    if (chance(25))
        return PICK(edge);
    uint64_t bits = rnd();
    double f;
    memcpy(&f, &bits, sizeof f);
    return isnan(f) ? 2.5 : f;
}

static struct schemac_uuid gen_uuid(void)
{
    struct schemac_uuid u;
    int pick = (int)range(0, 9);
    for (int i = 0; i < 16; i++)
        u.bytes[i] = pick == 0 ? 0 : pick == 1 ? 0xff : (uint8_t)rnd();
    return u;
}

static struct schemac_bytes gen_bytes(schemac_arena *a)
{
    struct schemac_bytes b;
    b.len = chance(15) ? 0 : (size_t)range(1, chance(5) ? 5000 : 40);
    b.data = schemac_arena_alloc(a, b.len + 1);
    for (size_t i = 0; i < b.len; i++)
        b.data[i] = (uint8_t)rnd();
    if (b.len == 0 && chance(50))
        b.data = NULL; /* no bytes: NULL data is fine */
    return b;
}

static int32_t gen_date(void)
{
    static const int32_t edge[] = {
        SCHEMAC_DATE_INFINITY, SCHEMAC_DATE_NEG_INFINITY, SCHEMAC_DATE_MIN, SCHEMAC_DATE_MAX,
        0, -1, 11016 /* 2000-02-29 */, -719162 /* 0001-01-01 */, -719163 /* 0001-12-31 BC */,
        -25509 /* 1900-03-01 */, 2932896 /* 9999-12-31 */, 2932897 /* 10000-01-01 */};
    if (chance(20))
        return PICK(edge);
    if (chance(50))
        return (int32_t)range(-30000, 30000);
    return (int32_t)range(SCHEMAC_DATE_MIN, SCHEMAC_DATE_MAX);
}

#define USEC_DAY INT64_C(86400000000)

static int64_t gen_timestamp(void)
{
    static const int64_t edge[] = {
        SCHEMAC_TIMESTAMP_INFINITY, SCHEMAC_TIMESTAMP_NEG_INFINITY, SCHEMAC_TIMESTAMP_MIN,
        SCHEMAC_TIMESTAMP_MIN + 1, INT64_MAX - 1, 0, -1, 1,
        -719162 * USEC_DAY, -719162 * USEC_DAY - 1, /* 0001-01-01 and a microsecond before */
        INT64_C(946684800000000),                   /* 2000-01-01 */
        INT64_C(253402300799999999),                /* 9999-12-31 23:59:59.999999 */
        INT64_C(253402300800000000),                /* 10000-01-01 */
    };
    if (chance(20))
        return PICK(edge);
    if (chance(50))
        return range(INT64_C(-5000000000000000), INT64_C(5000000000000000));
    return range(SCHEMAC_TIMESTAMP_MIN, INT64_MAX - 1);
}

static int64_t gen_time(void)
{
    static const int64_t edge[] = {0, 1, USEC_DAY, USEC_DAY - 1, USEC_DAY / 2};
    return chance(20) ? PICK(edge) : range(0, USEC_DAY);
}

static struct schemac_interval gen_interval(void)
{
    static const struct schemac_interval edge[] = {
        {0, 0, 0},
        {INT32_MAX, INT32_MIN, INT64_MAX},
        {INT32_MIN, INT32_MAX, INT64_MIN},
        {INT32_MIN, INT32_MIN, INT64_MIN},
        {INT32_MAX, INT32_MAX, INT64_MAX},
        {12, 0, 0},
        {-1, 1, -1},
        {0, 0, 1},
        {0, 0, -USEC_DAY},
    };
    if (chance(20))
        return PICK(edge);
    struct schemac_interval v;
    if (chance(50)) {
        v.months = (int32_t)range(-100, 100);
        v.days = (int32_t)range(-100, 100);
        v.micros = range(-100 * USEC_DAY, 100 * USEC_DAY);
    } else {
        v.months = (int32_t)rnd();
        v.days = (int32_t)rnd();
        v.micros = (int64_t)rnd();
    }
    return v;
}

static enum mood gen_mood(void)
{
    return (enum mood)range(MOOD_WITH_X20SPACE, MOOD_PLAIN);
}

static hostile_mood gen_hostile_mood(void)
{
    return (hostile_mood)range(ODD_X20_X22SCHEMA_X22_HOSTILE_X20MOOD_WITH_X20SPACE,
                               ODD_X20_X22SCHEMA_X22_HOSTILE_X20MOOD_X_X5C_X22_X7B_X7D_X27_X20);
}

/* ------------------------------------------------------ comparison */

static bool eq_int(int64_t a, int64_t b)
{
    return a == b;
}

static bool eq_f4(float a, float b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static bool eq_f8(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static bool eq_str(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Numerics by value (NaN equals NaN, as PostgreSQL orders them). */
static bool eq_num(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return false;
    struct schemac_numeric x, y;
    if (schemac_numeric_parse(&x, a, 0, 0) != SCHEMAC_NUMERIC_OK ||
        schemac_numeric_parse(&y, b, 0, 0) != SCHEMAC_NUMERIC_OK)
        return false;
    return schemac_numeric_cmp(&x, &y) == 0;
}

static bool eq_uuid(struct schemac_uuid a, struct schemac_uuid b)
{
    return memcmp(a.bytes, b.bytes, 16) == 0;
}

static bool eq_bytes(struct schemac_bytes a, struct schemac_bytes b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

static bool eq_iv(struct schemac_interval a, struct schemac_interval b)
{
    return a.months == b.months && a.days == b.days && a.micros == b.micros;
}

/* Values in words, for a failure. */
static void fmt_int(ds *d, int64_t v)
{
    ds_printf(d, "%" PRId64, v);
}

static void fmt_f4(ds *d, float v)
{
    ds_printf(d, "%.9g", v);
}

static void fmt_f8(ds *d, double v)
{
    ds_printf(d, "%.17g", v);
}

static void fmt_str(ds *d, const char *s)
{
    if (s == NULL) {
        ds_puts(d, "(null pointer)");
        return;
    }
    ds_puts(d, "'");
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == '\\')
            ds_printf(d, "\\x%02x", *p);
        else
            ds_put(d, (const char *)p, 1);
    }
    ds_printf(d, "' (%zu bytes)", strlen(s));
}

#define fmt_num fmt_str

static void fmt_uuid(ds *d, struct schemac_uuid u)
{
    for (int i = 0; i < 16; i++)
        ds_printf(d, "%02x", u.bytes[i]);
}

static void fmt_bytes(ds *d, struct schemac_bytes b)
{
    ds_printf(d, "%zu bytes:", b.len);
    for (size_t i = 0; i < b.len && i < 16; i++)
        ds_printf(d, " %02x", b.data[i]);
}

static void fmt_iv(ds *d, struct schemac_interval v)
{
    ds_printf(d, "%" PRId32 " months %" PRId32 " days %" PRId64 " us", v.months, v.days, v.micros);
}

/* A comparison of two rows of one table. */
typedef struct {
    const char *what; /* "returned", "SELECT *", ... */
    long row;
    int fields;       /* columns compared */
    int mismatches;
} cmpctx;

static void mismatch(cmpctx *cx, const char *field, long index, ds *want, ds *got)
{
    cx->mismatches++;
    if (cx->mismatches > 10)
        return;
    if (index >= 0)
        cr_log_error("%s, row %ld: %s[%ld] is %s, want %s", cx->what, cx->row, field, index,
                     got->s ? got->s : "", want->s ? want->s : "");
    else
        cr_log_error("%s, row %ld: %s is %s, want %s", cx->what, cx->row, field, got->s ? got->s : "",
                     want->s ? want->s : "");
}

/* `w` is the row as wanted, `g` as got; K names eq_K and fmt_K. */
#define CMP_VALUE(field, K, wv, gv, index)                                   \
    do {                                                                     \
        if (!eq_##K((wv), (gv))) {                                           \
            ds want_ = {0}, got_ = {0};                                      \
            fmt_##K(&want_, (wv));                                           \
            fmt_##K(&got_, (gv));                                            \
            mismatch(cx, field, index, &want_, &got_);                       \
            free(want_.s);                                                   \
            free(got_.s);                                                    \
        }                                                                    \
    } while (0)

/* Whether both rows have the column present (a difference is a mismatch). */
static bool both_present(cmpctx *cx, const char *field, bool w, bool g)
{
    if (w == g)
        return w;
    cx->mismatches++;
    cr_log_error("%s, row %ld: %s is %s, want %s", cx->what, cx->row, field, g ? "present" : "NULL",
                 w ? "present" : "NULL");
    return false;
}

#define CMP_PRESENT(f) both_present(cx, #f, w->f##_present, g->f##_present)

/* Not null. */
#define CMP(f, K)                                  \
    do {                                           \
        cx->fields++;                              \
        CMP_VALUE(#f, K, w->f, g->f, -1L);         \
    } while (0)

/* Nullable. */
#define CMP_N(f, K)                                \
    do {                                           \
        cx->fields++;                              \
        if (CMP_PRESENT(f))                        \
            CMP_VALUE(#f, K, w->f, g->f, -1L);     \
    } while (0)

#define CMP_ELEMS(f, K)                                                                       \
    do {                                                                                      \
        if (w->f##_count != g->f##_count) {                                                   \
            cx->mismatches++;                                                                 \
            cr_log_error("%s, row %ld: " #f " has %zu elements, want %zu", cx->what, cx->row, \
                         g->f##_count, w->f##_count);                                         \
            break;                                                                            \
        }                                                                                     \
        if (g->f##_count > 0 && g->f == NULL) {                                               \
            cx->mismatches++;                                                                 \
            cr_log_error("%s, row %ld: " #f " has a count but no elements", cx->what, cx->row); \
            break;                                                                            \
        }                                                                                     \
        for (size_t i_ = 0; i_ < w->f##_count; i_++)                                          \
            CMP_VALUE(#f, K, w->f[i_], g->f[i_], (long)i_);                                   \
    } while (0)

/* Array, not null. */
#define CMP_A(f, K)                                \
    do {                                           \
        cx->fields++;                              \
        CMP_ELEMS(f, K);                           \
    } while (0)

/* Array, nullable. */
#define CMP_AN(f, K)                               \
    do {                                           \
        cx->fields++;                              \
        if (CMP_PRESENT(f))                        \
            CMP_ELEMS(f, K);                       \
    } while (0)

/* Every column of each table, member by member: the count is checked
 * against T_NCOLUMNS, so a column the schema gains is not forgotten. */
static void cmp_scalars(cmpctx *cx, const struct scalars *w, const struct scalars *g)
{
    CMP(id, int);
    CMP(i2, int);
    CMP_N(i2_n, int);
    CMP(i4, int);
    CMP_N(i4_n, int);
    CMP(i8, int);
    CMP_N(i8_n, int);
    CMP(b, int);
    CMP_N(b_n, int);
    CMP(f4, f4);
    CMP_N(f4_n, f4);
    CMP(f8, f8);
    CMP_N(f8_n, f8);
    CMP(t, str);
    CMP_N(t_n, str);
    CMP(vc, str);
    CMP_N(vc_n, str);
    CMP(ch, str);
    CMP_N(ch_n, str);
    CMP_N(ch1, str);
    CMP(num, num);
    CMP_N(num_n, num);
    CMP(numu, num);
    CMP_N(numu_n, num);
    CMP(js, str);
    CMP_N(js_n, str);
    CMP(jb, str);
    CMP_N(jb_n, str);
    CMP(u, uuid);
    CMP_N(u_n, uuid);
    CMP(bin, bytes);
    CMP_N(bin_n, bytes);
    CMP(d, int);
    CMP_N(d_n, int);
    CMP(ts, int);
    CMP_N(ts_n, int);
    CMP(tstz, int);
    CMP_N(tstz_n, int);
    CMP(tm, int);
    CMP_N(tm_n, int);
    CMP(iv, iv);
    CMP_N(iv_n, iv);
    CMP(ttz, str);
    CMP_N(ttz_n, str);
    CMP(e, int);
    CMP_N(e_n, int);
    CMP_N(i4x2, int);
    CMP_N(tn_len, int);
    cr_assert_eq(cx->fields, SCALARS_NCOLUMNS, "cmp_scalars compares every column");
}

static void cmp_arrays(cmpctx *cx, const struct arrays *w, const struct arrays *g)
{
    CMP(id, int);
    CMP_A(ai2, int);
    CMP_AN(ai2_n, int);
    CMP_A(ai4, int);
    CMP_AN(ai4_n, int);
    CMP_A(ai8, int);
    CMP_AN(ai8_n, int);
    CMP_A(ab, int);
    CMP_AN(ab_n, int);
    CMP_A(af4, f4);
    CMP_AN(af4_n, f4);
    CMP_A(af8, f8);
    CMP_AN(af8_n, f8);
    CMP_A(at, str);
    CMP_AN(at_n, str);
    CMP_A(avc, str);
    CMP_AN(avc_n, str);
    CMP_A(ach, str);
    CMP_AN(ach_n, str);
    CMP_A(anum, num);
    CMP_AN(anum_n, num);
    CMP_A(anum2, num);
    CMP_AN(anum2_n, num);
    CMP_A(ajs, str);
    CMP_AN(ajs_n, str);
    CMP_A(ajb, str);
    CMP_AN(ajb_n, str);
    CMP_A(au, uuid);
    CMP_AN(au_n, uuid);
    CMP_A(abin, bytes);
    CMP_AN(abin_n, bytes);
    CMP_A(ad, int);
    CMP_AN(ad_n, int);
    CMP_A(ats, int);
    CMP_AN(ats_n, int);
    CMP_A(atstz, int);
    CMP_AN(atstz_n, int);
    CMP_A(atm, int);
    CMP_AN(atm_n, int);
    CMP_A(aiv, iv);
    CMP_AN(aiv_n, iv);
    CMP_A(attz, str);
    CMP_AN(attz_n, str);
    CMP_A(ae, int);
    CMP_AN(ae_n, int);
    cr_assert_eq(cx->fields, ARRAYS_NCOLUMNS, "cmp_arrays compares every column");
}

static void cmp_hostile(cmpctx *cx, const hostile_row *w, const hostile_row *g)
{
    CMP(int_2, int);
    CMP(struct_2, str);
    CMP_N(mixed_x20case, int);
    CMP_N(with_x20_x22quote_x22, str);
    CMP_N(select, int);
    CMP_AN(a_x2cb_x20c, int);
    CMP_N(x_xc3_xbcn_xc3_xaf, str);
    CMP_N(a_x2cb_x20c_count_2, int);
    CMP(upper, int);
    CMP_N(upper_2, int);
    cr_assert_eq(cx->fields, HOSTILE_NCOLUMNS, "cmp_hostile compares every column");
}

/* ------------------------------------------------------ row makers */

/* What an absent column's member holds: meaningless, never read.  Text
 * that is not UTF-8, so reading it would be noticed. */
static char garbage_text[] = "\xff\xfe not read";

/* Draws whether a nullable column is present (about one in six is NULL). */
#define NULLABLE(f, expr)                        \
    do {                                         \
        r->f##_present = !chance(17);            \
        if (r->f##_present)                      \
            r->f = (expr);                       \
    } while (0)

/* An absent text member points at garbage now and then. */
#define NULLABLE_TEXT(f, expr)                   \
    do {                                         \
        r->f##_present = !chance(17);            \
        r->f = r->f##_present ? (expr) : chance(50) ? garbage_text : NULL; \
    } while (0)

#define ARRAY(f, T, expr)                                                         \
    do {                                                                          \
        size_t n_ = chance(15) ? 0 : (size_t)range(1, 5);                         \
        r->f = n_ == 0 && chance(50) ? NULL : schemac_arena_alloc(a, (n_ + 1) * sizeof(T)); \
        for (size_t i_ = 0; i_ < n_; i_++)                                        \
            r->f[i_] = (expr);                                                    \
        r->f##_count = n_;                                                        \
    } while (0)

/* An absent array's members are meaningless: a count without elements
 * now and then. */
#define ARRAY_N(f, T, expr)                      \
    do {                                         \
        r->f##_present = !chance(17);            \
        if (r->f##_present)                      \
            ARRAY(f, T, expr);                   \
        else if (chance(50))                     \
            r->f##_count = 7;                    \
    } while (0)

static void make_scalars(PGconn *conn, schemac_arena *a, struct scalars *r)
{
    memset(r, 0, sizeof *r);
    r->id = -12345; /* computed by the database: not sent */
    r->i2 = gen_i16();
    NULLABLE(i2_n, gen_i16());
    r->i4 = gen_i32();
    NULLABLE(i4_n, gen_i32());
    r->i8 = gen_i64();
    NULLABLE(i8_n, gen_i64());
    r->b = gen_bool();
    NULLABLE(b_n, gen_bool());
    r->f4 = gen_f4();
    NULLABLE(f4_n, gen_f4());
    r->f8 = gen_f8();
    NULLABLE(f8_n, gen_f8());
    r->t = hostile_text(a, -1);
    NULLABLE_TEXT(t_n, hostile_text(a, -1));
    r->vc = hostile_text(a, 12);
    NULLABLE_TEXT(vc_n, hostile_text(a, 12));
    r->ch = bpchar_text(a, 5);
    NULLABLE_TEXT(ch_n, bpchar_text(a, 5));
    NULLABLE_TEXT(ch1, bpchar_text(a, 1));
    r->num = numeric_10_2(a);
    NULLABLE_TEXT(num_n, numeric_10_2(a));
    r->numu = numeric_any(a);
    NULLABLE_TEXT(numu_n, numeric_any(a));
    r->js = json_text(a, false);
    NULLABLE_TEXT(js_n, json_text(a, false));
    r->jb = jsonb_canonical(conn, a, json_text(a, true));
    NULLABLE_TEXT(jb_n, jsonb_canonical(conn, a, json_text(a, true)));
    r->u = gen_uuid();
    NULLABLE(u_n, gen_uuid());
    r->bin = gen_bytes(a);
    NULLABLE(bin_n, gen_bytes(a));
    r->d = gen_date();
    NULLABLE(d_n, gen_date());
    r->ts = gen_timestamp();
    NULLABLE(ts_n, gen_timestamp());
    r->tstz = gen_timestamp();
    NULLABLE(tstz_n, gen_timestamp());
    r->tm = gen_time();
    NULLABLE(tm_n, gen_time());
    r->iv = gen_interval();
    NULLABLE(iv_n, gen_interval());
    r->ttz = timetz_text(a);
    NULLABLE_TEXT(ttz_n, timetz_text(a));
    r->e = gen_mood();
    NULLABLE(e_n, gen_mood());
    r->i4x2 = 99; /* computed */
    r->i4x2_present = chance(50);
    r->tn_len = -7; /* computed */
    r->tn_len_present = chance(50);
}

static void make_arrays(PGconn *conn, schemac_arena *a, struct arrays *r, int32_t id)
{
    memset(r, 0, sizeof *r);
    r->id = id;
    ARRAY(ai2, int16_t, gen_i16());
    ARRAY_N(ai2_n, int16_t, gen_i16());
    ARRAY(ai4, int32_t, gen_i32());
    ARRAY_N(ai4_n, int32_t, gen_i32());
    ARRAY(ai8, int64_t, gen_i64());
    ARRAY_N(ai8_n, int64_t, gen_i64());
    ARRAY(ab, bool, gen_bool());
    ARRAY_N(ab_n, bool, gen_bool());
    ARRAY(af4, float, gen_f4());
    ARRAY_N(af4_n, float, gen_f4());
    ARRAY(af8, double, gen_f8());
    ARRAY_N(af8_n, double, gen_f8());
    ARRAY(at, char *, hostile_text(a, 30));
    ARRAY_N(at_n, char *, hostile_text(a, 30));
    ARRAY(avc, char *, hostile_text(a, 4));
    ARRAY_N(avc_n, char *, hostile_text(a, 4));
    ARRAY(ach, char *, bpchar_text(a, 3));
    ARRAY_N(ach_n, char *, bpchar_text(a, 3));
    ARRAY(anum, char *, numeric_any(a));
    ARRAY_N(anum_n, char *, numeric_any(a));
    ARRAY(anum2, char *, numeric_10_2(a));
    ARRAY_N(anum2_n, char *, numeric_10_2(a));
    ARRAY(ajs, char *, json_text(a, false));
    ARRAY_N(ajs_n, char *, json_text(a, false));
    ARRAY(ajb, char *, jsonb_canonical(conn, a, json_text(a, true)));
    ARRAY_N(ajb_n, char *, jsonb_canonical(conn, a, json_text(a, true)));
    ARRAY(au, struct schemac_uuid, gen_uuid());
    ARRAY_N(au_n, struct schemac_uuid, gen_uuid());
    ARRAY(abin, struct schemac_bytes, gen_bytes(a));
    ARRAY_N(abin_n, struct schemac_bytes, gen_bytes(a));
    ARRAY(ad, int32_t, gen_date());
    ARRAY_N(ad_n, int32_t, gen_date());
    ARRAY(ats, int64_t, gen_timestamp());
    ARRAY_N(ats_n, int64_t, gen_timestamp());
    ARRAY(atstz, int64_t, gen_timestamp());
    ARRAY_N(atstz_n, int64_t, gen_timestamp());
    ARRAY(atm, int64_t, gen_time());
    ARRAY_N(atm_n, int64_t, gen_time());
    ARRAY(aiv, struct schemac_interval, gen_interval());
    ARRAY_N(aiv_n, struct schemac_interval, gen_interval());
    ARRAY(attz, char *, timetz_text(a));
    ARRAY_N(attz_n, char *, timetz_text(a));
    ARRAY(ae, enum mood, gen_mood());
    ARRAY_N(ae_n, enum mood, gen_mood());
}

static void make_hostile(schemac_arena *a, hostile_row *r, int32_t id)
{
    memset(r, 0, sizeof *r);
    r->int_2 = id;
    r->struct_2 = hostile_text(a, -1);
    NULLABLE(mixed_x20case, gen_hostile_mood());
    NULLABLE_TEXT(with_x20_x22quote_x22, hostile_text(a, 10));
    NULLABLE(select, gen_bool());
    ARRAY_N(a_x2cb_x20c, hostile_mood, gen_hostile_mood());
    NULLABLE_TEXT(x_xc3_xbcn_xc3_xaf, hostile_text(a, 3));
    NULLABLE(a_x2cb_x20c_count_2, gen_i32());
    r->upper = gen_i64();
    NULLABLE(upper_2, gen_date());
}

/* ------------------------------------------------------ edge rows */

/* Fixed rows: each nullable column NULL at once, every edge of a type at
 * once, and empty everything. */
static void edge_scalars(schemac_arena *a, int k, struct scalars *r)
{
    memset(r, 0, sizeof *r);
    switch (k) {
    case 0: /* minima, empty strings, NULL everywhere it may be */
        r->i2 = INT16_MIN;
        r->i4 = INT32_MIN;
        r->i8 = INT64_MIN;
        r->f4 = -0.0f;
        r->f8 = -0.0;
        r->t = astr(a, "");
        r->vc = astr(a, "");
        r->ch = astr(a, "     ");
        r->num = astr(a, "-99999999.99");
        r->numu = astr(a, "-Infinity");
        r->js = astr(a, "null");
        r->jb = astr(a, "null");
        r->bin.len = 0;
        r->d = SCHEMAC_DATE_NEG_INFINITY;
        r->ts = SCHEMAC_TIMESTAMP_NEG_INFINITY;
        r->tstz = SCHEMAC_TIMESTAMP_NEG_INFINITY;
        r->tm = 0;
        r->iv = (struct schemac_interval){INT32_MIN, INT32_MIN, INT64_MIN};
        r->ttz = astr(a, "00:00:00-15:59:59");
        r->e = MOOD_WITH_X20SPACE;
        break;
    case 1: /* maxima and the other infinities, every nullable column set */
        r->i2 = INT16_MAX;
        r->i4 = INT32_MAX;
        r->i8 = INT64_MAX;
        r->f4 = NAN;
        r->f8 = NAN;
        r->t = astr(a, "NULL");
        r->vc = astr(a, "😀😀😀😀😀😀😀😀😀😀😀😀");
        r->ch = astr(a, "ünï,\"");
        r->num = astr(a, "99999999.99");
        r->numu = astr(a, "Infinity");
        r->js = astr(a, " { \"a\" : [ 1 , 2 ] , \"a\" : \"dup\\u0000\" } ");
        r->jb = astr(a, "{\"a\": [1, 2], \"ab\": {\"\": \"\\\"\\\\\\n\"}}");
        memset(r->u.bytes, 0xff, 16);
        r->bin.len = 3;
        r->bin.data = schemac_arena_alloc(a, 3);
        memcpy(r->bin.data, "\\\0x", 3);
        r->d = SCHEMAC_DATE_INFINITY;
        r->ts = SCHEMAC_TIMESTAMP_INFINITY;
        r->tstz = SCHEMAC_TIMESTAMP_INFINITY;
        r->tm = USEC_DAY;
        r->iv = (struct schemac_interval){INT32_MAX, INT32_MAX, INT64_MAX};
        r->ttz = astr(a, "24:00:00+15:59:59");
        r->e = MOOD_PLAIN;
        r->i2_n_present = r->i4_n_present = r->i8_n_present = r->b_n_present = true;
        r->f4_n = INFINITY;
        r->f8_n = -INFINITY;
        r->f4_n_present = r->f8_n_present = true;
        r->t_n = astr(a, "'\"\\,{}\n\t\r\xe2\x82\xac NULL");
        r->vc_n = astr(a, "null");
        r->ch_n = astr(a, "{}   ");
        r->ch1 = astr(a, "\"");
        r->num_n = astr(a, "NaN");
        r->numu_n = astr(a, "NaN");
        r->js_n = astr(a, "\"NULL\"");
        r->jb_n = astr(a, "\"NULL\"");
        r->t_n_present = r->vc_n_present = r->ch_n_present = r->ch1_present = true;
        r->num_n_present = r->numu_n_present = r->js_n_present = r->jb_n_present = true;
        r->u_n_present = r->bin_n_present = true;
        r->d_n = SCHEMAC_DATE_MAX;
        r->ts_n = INT64_MAX - 1;
        r->tstz_n = INT64_MAX - 1;
        r->tm_n = USEC_DAY - 1;
        r->ttz_n = astr(a, "23:59:59.999999+15:59:59");
        r->e_n = MOOD_NULL;
        r->d_n_present = r->ts_n_present = r->tstz_n_present = r->tm_n_present = true;
        r->iv_n_present = r->ttz_n_present = r->e_n_present = true;
        break;
    default: /* the least finite dates and timestamps, denormals */
        r->i2 = -1;
        r->i4 = 0;
        r->i8 = 1;
        r->b = true;
        r->f4 = FLT_TRUE_MIN;
        r->f8 = -DBL_TRUE_MIN;
        r->t = astr(a, "\\");
        r->vc = astr(a, "            ");
        r->ch = astr(a, "a\nb\\ ");
        r->num = astr(a, "-0");
        r->numu = astr(a, "-0.000");
        r->js = astr(a, "[]");
        r->jb = astr(a, "[]");
        r->bin.len = 0;
        r->bin.data = (uint8_t *)astr(a, "");
        r->d = SCHEMAC_DATE_MIN;
        r->ts = SCHEMAC_TIMESTAMP_MIN;
        r->tstz = SCHEMAC_TIMESTAMP_MIN;
        r->tm = 1;
        r->ttz = astr(a, "12:00:00+00");
        r->e = MOOD_QUO_X22TE;
        r->d_n = SCHEMAC_DATE_MIN + 1;
        r->ts_n = SCHEMAC_TIMESTAMP_MIN + USEC_DAY - 1;
        r->tstz_n = SCHEMAC_TIMESTAMP_MIN + USEC_DAY - 1;
        r->d_n_present = r->ts_n_present = r->tstz_n_present = true;
        r->e_n = MOOD_BACK_X5CSLASH;
        r->e_n_present = true;
        break;
    }
}

/* ------------------------------------------------------ the rounds */

/* The test's database: the schema loaded through the DDL printer. */
static PGconn *open_db(const char *db, const char *timezone)
{
    PGconn *conn = NULL;
    const char *ci = pgfix_conninfo(fx, db);
    conn = PQconnectdb(ci);
    if (PQstatus(conn) != CONNECTION_OK) {
        PQfinish(conn);
        cr_assert_not_null(pgfix_createdb(fx, db), "create database %s", db);
        sc_compiler *c = sc_compiler_new();
        sc_sources_add_path(&c->sources, SC_SOURCE_ROOT "/tests/codegen/types", &c->diags);
        cr_assert_eq(sc_compiler_run(c), 0, "types.schema compiles");
        sc_buf ddl = SC_BUF_INIT;
        sc_ddl_create(&ddl, c->model);
        cr_assert_eq(pgfix_exec(fx, db, sc_buf_str(&ddl)), 0, "the schema loads");
        sc_buf_free(&ddl);
        sc_compiler_free(c);
        conn = PQconnectdb(ci);
    }
    cr_assert(PQstatus(conn) == CONNECTION_OK, "%s", PQerrorMessage(conn));
    char sql[128];
    snprintf(sql, sizeof sql, "SET TimeZone = '%s'", timezone);
    PGresult *r = PQexec(conn, sql);
    cr_assert(PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql, PQerrorMessage(conn));
    PQclear(r);
    return conn;
}

static void exec_ok(PGconn *conn, const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    cr_assert(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK,
              "%s: %s", sql, PQerrorMessage(conn));
    PQclear(r);
}

static PGresult *query(PGconn *conn, const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    cr_assert(PQresultStatus(r) == PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(conn));
    return r;
}

/* SELECT every column of `t` in reverse order, with an extra column first
 * and last, ordered by column `order`. */
static char *reverse_select(PGconn *conn, const struct schemac_table *t, const char *order)
{
    ds d = {0};
    ds_puts(&d, "SELECT 'extra'::text AS \"extra first\"");
    for (size_t i = t->ncolumns; i-- > 0;) {
        char *q = PQescapeIdentifier(conn, t->columns[i].name, strlen(t->columns[i].name));
        ds_puts(&d, ", ");
        ds_puts(&d, q);
        PQfreemem(q);
    }
    ds_printf(&d, ", 42 AS extra FROM %s ORDER BY %s", t->name, order);
    return d.s;
}

static void report_violations(const char *what, long row, const struct schemac_violations *v)
{
    for (size_t i = 0; i < v->count && i < SCHEMAC_VIOLATIONS_MAX; i++)
        cr_log_error("%s row %ld: the validator finds %s%s%s %s", what, row,
                     v->items[i].column ? v->items[i].column : "",
                     v->items[i].constraint ? " CHECK " : "",
                     v->items[i].constraint ? v->items[i].constraint : "", v->items[i].message);
}

/*
 * One round over a table: make rows (MAKE(k, row)), validate, insert,
 * compare `returned` (FIX_COMPUTED(want, got) checks and copies the
 * columns the database computes), then read everything back twice.
 */
#define ROUND(T, CMPFN, MAKE, FIX_COMPUTED, ORDER)                                              \
    do {                                                                                        \
        long total_ = nrows() + NEDGE;                                                          \
        struct T *want = calloc((size_t)total_, sizeof *want);                                  \
        struct T *got = calloc((size_t)total_, sizeof *got);                                    \
        schemac_arena *ga = schemac_arena_new(), *ra = schemac_arena_new();                     \
        long bad = 0;                                                                           \
        for (long k = 0; k < total_; k++) {                                                     \
            struct T *row = &want[k], ret;                                                      \
            MAKE(k, row);                                                                       \
            struct schemac_violations v;                                                        \
            if (!T##_validate(row, &v)) {                                                       \
                bad++;                                                                          \
                report_violations(#T, k, &v);                                                   \
                continue;                                                                       \
            }                                                                                   \
            schemac_arena_reset(ra);                                                            \
            memset(&ret, 0x5a, sizeof ret);                                                     \
            if (T##_insert(conn, row, &ret, ra) != 0) {                                         \
                bad++;                                                                          \
                cr_log_error(#T " row %ld: insert: %s", k, schemac_arena_error(ra));            \
                continue;                                                                       \
            }                                                                                   \
            FIX_COMPUTED(row, (&ret));                                                          \
            cmpctx cx_ = {"returned", k, 0, 0};                                                 \
            cmpctx *cx = &cx_;                                                                  \
            CMPFN(cx, row, &ret);                                                               \
            bad += cx_.mismatches > 0;                                                          \
        }                                                                                       \
        cr_assert_eq(bad, 0, #T ": %ld of %ld rows were not valid, not taken or not returned as sent", \
                     bad, total_);                                                              \
        /* Read back: SELECT *, then reversed with extra columns; the                           \
         * PGresult is cleared before comparing. */                                             \
        for (int pass_ = 0; pass_ < 2; pass_++) {                                               \
            char *sql_ = pass_ == 0 ? NULL : reverse_select(conn, &T##_desc, ORDER);            \
            char star_[256];                                                                    \
            snprintf(star_, sizeof star_, "SELECT * FROM %s ORDER BY %s", T##_desc.name, ORDER); \
            PGresult *res_ = query(conn, pass_ == 0 ? star_ : sql_);                            \
            cr_assert_eq(PQntuples(res_), total_, #T ": every row reads back");                 \
            schemac_arena_reset(ra);                                                            \
            memset(got, 0x5a, (size_t)total_ * sizeof *got);                                    \
            for (long k = 0; k < total_; k++)                                                   \
                cr_assert_eq(T##_from_result(res_, (int)k, &got[k], ra), 0,                     \
                             #T " row %ld: decode: %s", k, schemac_arena_error(ra));            \
            PQclear(res_);                                                                      \
            long diff_ = 0;                                                                     \
            for (long k = 0; k < total_; k++) {                                                 \
                cmpctx cx_ = {pass_ == 0 ? "SELECT *" : "reversed SELECT", k, 0, 0};           \
                cmpctx *cx = &cx_;                                                              \
                CMPFN(cx, &want[k], &got[k]);                                                   \
                diff_ += cx_.mismatches > 0;                                                    \
            }                                                                                   \
            cr_assert_eq(diff_, 0, #T ": %ld rows read back otherwise (%s)", diff_,             \
                         pass_ == 0 ? "SELECT *" : "reversed");                                 \
            free(sql_);                                                                         \
        }                                                                                       \
        printf(#T ": %ld rows validated, inserted, returned and read back twice\n", total_);   \
        schemac_arena_free(ga);                                                                 \
        schemac_arena_free(ra);                                                                 \
        free(want);                                                                             \
        free(got);                                                                              \
    } while (0)

/* UTC; an offset in seconds for old dates (-03:30:52 LMT) and half hours;
 * +14 hours (and -10:29:20 LMT). */
static const char *const timezones[] = {"UTC", "America/St_Johns", "Pacific/Kiritimati"};

#define NEDGE 3

Test(roundtrip, scalars)
{
    for (size_t z = 0; z < sizeof timezones / sizeof timezones[0]; z++) {
        seed();
        rng_state += z;
        PGconn *conn = open_db("scalars", timezones[z]);
        exec_ok(conn, "TRUNCATE scalars RESTART IDENTITY");
        printf("TimeZone %s\n", timezones[z]);
#define MAKE_SCALARS(k, row)                 \
    do {                                     \
        if ((k) < NEDGE)                     \
            edge_scalars(ga, (int)(k), row); \
        else                                 \
            make_scalars(conn, ga, row);     \
        row->id = -1;                        \
    } while (0)
        /* id is the identity's next value; i4x2 = i4 * 2; tn_len = octet_length(t_n) */
        long next_id = 1;
#define FIX_SCALARS(w, g)                                                                      \
    do {                                                                                       \
        cr_expect_eq((g)->id, next_id, "the identity's value");                                \
        cr_expect((g)->i4x2_present && (g)->i4x2 == (int64_t)(w)->i4 * 2, "i4x2 = i4 * 2");    \
        if ((w)->t_n_present)                                                                  \
            cr_expect((g)->tn_len_present && (g)->tn_len == (int32_t)strlen((w)->t_n),         \
                      "tn_len = octet_length(t_n)");                                           \
        else                                                                                   \
            cr_expect(!(g)->tn_len_present, "tn_len is NULL with t_n");                        \
        (w)->id = (g)->id;                                                                     \
        (w)->i4x2 = (g)->i4x2;                                                                 \
        (w)->i4x2_present = (g)->i4x2_present;                                                 \
        (w)->tn_len = (g)->tn_len;                                                             \
        (w)->tn_len_present = (g)->tn_len_present;                                             \
        next_id++;                                                                             \
    } while (0)
        ROUND(scalars, cmp_scalars, MAKE_SCALARS, FIX_SCALARS, "id");
        PQfinish(conn);
    }
}

#define NO_COMPUTED(w, g) ((void)(w), (void)(g))

Test(roundtrip, arrays)
{
    for (size_t z = 0; z < sizeof timezones / sizeof timezones[0]; z++) {
        seed();
        rng_state += 100 + z;
        PGconn *conn = open_db("arrays", timezones[z]);
        exec_ok(conn, "TRUNCATE arrays");
        printf("TimeZone %s\n", timezones[z]);
#define MAKE_ARRAYS(k, row)                                                   \
    do {                                                                      \
        make_arrays(conn, ga, row, (int32_t)(k) + 1);                         \
        if ((k) == 0) { /* every array empty, the nullable ones NULL */       \
            memset(row, 0, sizeof *row);                                      \
            row->id = 1;                                                      \
        } else if ((k) == 1) { /* every nullable array present and empty */  \
            memset(row, 0, sizeof *row);                                      \
            row->id = 2;                                                      \
            row->ai2_n_present = row->ai4_n_present = row->ai8_n_present = true; \
            row->ab_n_present = row->af4_n_present = row->af8_n_present = true;  \
            row->at_n_present = row->avc_n_present = row->ach_n_present = true;  \
            row->anum_n_present = row->anum2_n_present = row->ajs_n_present = true; \
            row->ajb_n_present = row->au_n_present = row->abin_n_present = true; \
            row->ad_n_present = row->ats_n_present = row->atstz_n_present = true; \
            row->atm_n_present = row->aiv_n_present = row->attz_n_present = true; \
            row->ae_n_present = true;                                         \
        } else if ((k) == 2) { /* hostile elements */                         \
            static char *texts[] = {"", "NULL", "null", " ", "\"", "\\", "{", "}", ",", \
                                    "a b", "\n", "{\"NULL\"}", "\\\"", "😀", "NULL "};   \
            row->at = texts;                                                  \
            row->at_count = sizeof texts / sizeof texts[0];                   \
            static enum mood moods[] = {MOOD_WITH_X20SPACE, MOOD_A_X2CB, MOOD_QUO_X22TE, \
                                        MOOD_BACK_X5CSLASH, MOOD_NULL, MOOD_X_X7BBRACE_X7D, \
                                        MOOD_IT_X27S, MOOD_X_XC3_XBCN_XC3_XAF, MOOD_PLAIN}; \
            row->ae = moods;                                                  \
            row->ae_count = sizeof moods / sizeof moods[0];                   \
        }                                                                     \
    } while (0)
        ROUND(arrays, cmp_arrays, MAKE_ARRAYS, NO_COMPUTED, "id");
        PQfinish(conn);
    }
}

Test(roundtrip, hostile_names)
{
    seed();
    rng_state += 200;
    PGconn *conn = open_db("hostile", "UTC");
    char sql[256];
    snprintf(sql, sizeof sql, "TRUNCATE %s", hostile_desc.name);
    exec_ok(conn, sql);
#define MAKE_HOSTILE(k, row) make_hostile(ga, row, (int32_t)(k) + 1000)
    {
        long total_ = nrows() + NEDGE;
        hostile_row *want = calloc((size_t)total_, sizeof *want);
        hostile_row *got = calloc((size_t)total_, sizeof *got);
        schemac_arena *ga = schemac_arena_new(), *ra = schemac_arena_new();
        for (long k = 0; k < total_; k++) {
            hostile_row *row = &want[k], ret;
            MAKE_HOSTILE(k, row);
            struct schemac_violations v;
            bool ok = hostile_validate(row, &v);
            if (!ok)
                report_violations("hostile", k, &v);
            cr_assert(ok, "hostile row %ld is valid", k);
            schemac_arena_reset(ra);
            cr_assert_eq(hostile_insert(conn, row, &ret, ra), 0, "hostile row %ld: insert: %s", k,
                         schemac_arena_error(ra));
            cmpctx cx_ = {"returned", k, 0, 0};
            cmpctx *cx = &cx_;
            cmp_hostile(cx, row, &ret);
            cr_assert_eq(cx_.mismatches, 0, "hostile row %ld is returned as sent", k);
        }
        for (int pass = 0; pass < 2; pass++) {
            char *rev = reverse_select(conn, &hostile_desc, "\"int\"");
            snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY \"int\"", hostile_desc.name);
            PGresult *res = query(conn, pass == 0 ? sql : rev);
            cr_assert_eq(PQntuples(res), total_);
            schemac_arena_reset(ra);
            for (long k = 0; k < total_; k++)
                cr_assert_eq(hostile_from_result(res, (int)k, &got[k], ra), 0, "decode row %ld: %s",
                             k, schemac_arena_error(ra));
            PQclear(res);
            for (long k = 0; k < total_; k++) {
                cmpctx cx_ = {pass == 0 ? "SELECT *" : "reversed SELECT", k, 0, 0};
                cmpctx *cx = &cx_;
                cmp_hostile(cx, &want[k], &got[k]);
                cr_assert_eq(cx_.mismatches, 0, "hostile row %ld reads back as inserted", k);
            }
            free(rev);
        }
        printf("hostile: %ld rows validated, inserted, returned and read back twice\n", total_);
        schemac_arena_free(ga);
        schemac_arena_free(ra);
        free(want);
        free(got);
    }
    PQfinish(conn);
}

/* ------------------------------------------------------ errors */

/* Decoding `sql`'s first row as a scalars row fails with every `needles`
 * in the message. */
static void decode_fails(PGconn *conn, const char *sql, const char *const *needles)
{
    PGresult *r = query(conn, sql);
    schemac_arena *a = schemac_arena_new();
    struct scalars s;
    cr_expect_eq(scalars_from_result(r, 0, &s, a), -1, "decoding fails: %s", sql);
    const char *err = schemac_arena_error(a);
    for (size_t i = 0; needles[i] != NULL; i++)
        cr_expect(strstr(err, needles[i]) != NULL, "the error '%s' says '%s' (%s)", err, needles[i],
                  sql);
    printf("%s\n  -> %s\n", sql, err);
    schemac_arena_free(a);
    PQclear(r);
}

/* SELECT every column of `t`, column `col` replaced by `expr`. */
static char *select_from(PGconn *conn, const struct schemac_table *t, const char *col,
                         const char *expr)
{
    ds d = {0};
    ds_puts(&d, "SELECT ");
    for (size_t i = 0; i < t->ncolumns; i++) {
        const char *name = t->columns[i].name;
        char *q = PQescapeIdentifier(conn, name, strlen(name));
        if (i > 0)
            ds_puts(&d, ", ");
        if (strcmp(name, col) == 0) {
            ds_puts(&d, expr);
            ds_puts(&d, " AS ");
        }
        ds_puts(&d, q);
        PQfreemem(q);
    }
    ds_printf(&d, " FROM %s ORDER BY id LIMIT 1", t->name);
    return d.s;
}

static char *select_with(PGconn *conn, const char *col, const char *expr)
{
    return select_from(conn, &scalars_desc, col, expr);
}

/* Decodes the arrays row of `sql`: 0 or -1, the error in `a`. */
static int arrays_of(PGconn *conn, const char *sql, struct arrays *out, schemac_arena *a)
{
    PGresult *r = query(conn, sql);
    int rc = arrays_from_result(r, 0, out, a);
    PQclear(r);
    printf("%s\n  -> %s\n", sql, rc == 0 ? "decoded" : schemac_arena_error(a));
    return rc;
}

Test(roundtrip, decode_errors)
{
    seed();
    PGconn *conn = open_db("errors", "UTC");
    exec_ok(conn, "TRUNCATE scalars, arrays");
    schemac_arena *a = schemac_arena_new();
    struct scalars s, ret;
    edge_scalars(a, 2, &s);
    cr_assert_eq(scalars_insert(conn, &s, &ret, a), 0, "%s", schemac_arena_error(a));
    struct arrays ar;
    memset(&ar, 0, sizeof ar);
    ar.id = 1;
    cr_assert_eq(arrays_insert(conn, &ar, NULL, a), 0, "%s", schemac_arena_error(a));

    /* Another table's result: the first column it lacks is named. */
    decode_fails(conn, "SELECT * FROM arrays",
                 (const char *const[]){"scalars", "no column \"i2\"", NULL});
    {
        PGresult *r = query(conn, "SELECT id::integer AS id, i2 FROM scalars");
        struct arrays x;
        cr_expect_eq(arrays_from_result(r, 0, &x, a), -1);
        cr_expect(strstr(schemac_arena_error(a), "no column \"ai2\"") != NULL, "%s",
                  schemac_arena_error(a));
        printf("arrays from scalars -> %s\n", schemac_arena_error(a));
        PQclear(r);
    }
    /* Type mismatches. */
    char *q = select_with(conn, "i4", "'x'::text");
    decode_fails(conn, q, (const char *const[]){"i4", "integer", "OID 25", NULL});
    free(q);
    q = select_with(conn, "i2", "1::integer");
    decode_fails(conn, q, (const char *const[]){"i2", "smallint", NULL});
    free(q);
    q = select_with(conn, "ts", "now()");
    decode_fails(conn, q, (const char *const[]){"ts", "timestamp without time zone", NULL});
    free(q);
    q = select_with(conn, "t", "42");
    decode_fails(conn, q, (const char *const[]){"scalars", "t", NULL});
    free(q);
    /* NULL for a member without presence flag. */
    q = select_with(conn, "i8", "NULL::bigint");
    decode_fails(conn, q, (const char *const[]){"i8", "NULL", NULL});
    free(q);
    /* A label that is none (enums are not checked by OID). */
    q = select_with(conn, "e", "'nope'::text");
    decode_fails(conn, q, (const char *const[]){"e", "nope", NULL});
    free(q);
    /* Arrays: more dimensions and bounds are flattened; a NULL element
     * has no C form. */
    {
        struct arrays x;
        q = select_from(conn, &arrays_desc, "ai4", "'{{1,2},{3,4}}'::integer[]");
        cr_assert_eq(arrays_of(conn, q, &x, a), 0, "%s", schemac_arena_error(a));
        cr_expect(x.ai4_count == 4 && x.ai4[0] == 1 && x.ai4[1] == 2 && x.ai4[2] == 3 && x.ai4[3] == 4,
                  "{{1,2},{3,4}} is 1, 2, 3, 4");
        free(q);
        q = select_from(conn, &arrays_desc, "at", "'[0:2]={\"a b\",c,\"\"}'::text[]");
        cr_assert_eq(arrays_of(conn, q, &x, a), 0, "%s", schemac_arena_error(a));
        cr_expect(x.at_count == 3 && strcmp(x.at[0], "a b") == 0 && strcmp(x.at[1], "c") == 0 &&
                      strcmp(x.at[2], "") == 0,
                  "[0:2]={\"a b\",c,\"\"}");
        free(q);
        q = select_from(conn, &arrays_desc, "ai4", "'{1,NULL}'::integer[]");
        cr_expect_eq(arrays_of(conn, q, &x, a), -1);
        cr_expect(strstr(schemac_arena_error(a), "ai4") != NULL &&
                      strstr(schemac_arena_error(a), "NULL element") != NULL,
                  "%s", schemac_arena_error(a));
        free(q);
        q = select_from(conn, &arrays_desc, "ae", "ARRAY['plain', NULL]::mood[]");
        cr_expect_eq(arrays_of(conn, q, &x, a), -1);
        cr_expect(strstr(schemac_arena_error(a), "NULL element") != NULL, "%s", schemac_arena_error(a));
        free(q);
    }
    /* A binary result. */
    {
        PGresult *r = PQexecParams(conn, "SELECT * FROM scalars", 0, NULL, NULL, NULL, NULL, 1);
        cr_assert(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQerrorMessage(conn));
        cr_expect_eq(scalars_from_result(r, 0, &s, a), -1);
        cr_expect(strstr(schemac_arena_error(a), "binary") != NULL, "%s", schemac_arena_error(a));
        PQclear(r);
    }
    /* Row out of range. */
    {
        PGresult *r = query(conn, "SELECT * FROM scalars");
        cr_expect_eq(scalars_from_result(r, 5, &s, a), -1);
        cr_expect(strstr(schemac_arena_error(a), "out of range") != NULL, "%s", schemac_arena_error(a));
        PQclear(r);
    }
    /* DateStyle and IntervalStyle other than the codec's are said. */
    exec_ok(conn, "SET DateStyle = 'German'");
    decode_fails(conn, "SELECT * FROM scalars", (const char *const[]){"DateStyle", NULL});
    exec_ok(conn, "SET DateStyle = 'ISO'");
    exec_ok(conn, "SET IntervalStyle = 'iso_8601'");
    decode_fails(conn, "SELECT * FROM scalars", (const char *const[]){"IntervalStyle", NULL});
    exec_ok(conn, "SET IntervalStyle = 'postgres'");
    {
        PGresult *r = query(conn, "SELECT * FROM scalars");
        cr_expect_eq(scalars_from_result(r, 0, &s, a), 0, "%s", schemac_arena_error(a));
        PQclear(r);
    }
    schemac_arena_free(a);
    PQfinish(conn);
}

PGSHARED_MAIN
