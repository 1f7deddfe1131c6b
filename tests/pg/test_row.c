/*
 * The row codec (schemac/row.h) against a real server: a table with a
 * column of every kind, nullable and not, arrays of every kind, an enum,
 * an identity ALWAYS and a generated column, described by hand as
 * `schemac gen` will describe it.  Rows of edge values are inserted with
 * schemac_row_insert and read back with schemac_row_decode, under several
 * session time zones and output settings; bad results and failed inserts
 * give their messages.
 *
 * One server serves every test (pgshared.h); each test makes its own
 * database.  The application's side uses the public header only.
 */
#define _GNU_SOURCE

#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <schemac/row.h>

#include "pgfix.h"
#include "pgshared.h"

TestSuite(row, .init = pgshared_attach, .fini = pgshared_detach, .timeout = 120);

/* ------------------------------------------------------------ the table */

static const char schema_sql[] =
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'with space', 'a,b', 'quo\"te', 'NULL', "
    "  'back\\slash', '{br}', 'ünï', '');\n"
    "CREATE TABLE everything (\n"
    "  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
    "  i16    smallint NOT NULL,\n"
    "  i32    integer NOT NULL CHECK (i32 <> 12345),\n"
    "  i64    bigint NOT NULL,\n"
    "  b      boolean NOT NULL,\n"
    "  f4     real NOT NULL,\n"
    "  f8     double precision NOT NULL,\n"
    "  t      text NOT NULL,\n"
    "  u      uuid NOT NULL,\n"
    "  by     bytea NOT NULL,\n"
    "  d      date NOT NULL,\n"
    "  ts     timestamp NOT NULL,\n"
    "  tstz   timestamptz NOT NULL,\n"
    "  tm     time NOT NULL,\n"
    "  iv     interval NOT NULL,\n"
    "  m      mood NOT NULL,\n"
    "  i16n   smallint,\n"
    "  i32n   integer,\n"
    "  i64n   bigint,\n"
    "  bn     boolean,\n"
    "  f4n    real,\n"
    "  f8n    double precision,\n"
    "  vc     varchar(200),\n"
    "  ch     char(5),\n"
    "  num    numeric,\n"
    "  js     jsonb,\n"
    "  un     uuid,\n"
    "  byn    bytea,\n"
    "  dn     date,\n"
    "  tsn    timestamp,\n"
    "  tstzn  timestamptz,\n"
    "  tmn    time,\n"
    "  ivn    interval,\n"
    "  mn     mood,\n"
    "  a_i16  smallint[] NOT NULL,\n"
    "  a_i32  integer[] NOT NULL,\n"
    "  a_i64  bigint[],\n"
    "  a_b    boolean[],\n"
    "  a_f4   real[],\n"
    "  a_f8   double precision[],\n"
    "  a_t    text[] NOT NULL,\n"
    "  a_vc   varchar(20)[],\n"
    "  a_num  numeric[],\n"
    "  a_u    uuid[],\n"
    "  a_by   bytea[],\n"
    "  a_d    date[],\n"
    "  a_ts   timestamp[],\n"
    "  a_tstz timestamptz[],\n"
    "  a_tm   time[],\n"
    "  a_iv   interval[],\n"
    "  a_m    mood[],\n"
    "  t_len  integer GENERATED ALWAYS AS (length(t)) STORED\n"
    ");\n";

enum mood {
    MOOD_SAD,
    MOOD_OK,
    MOOD_WITH_X20SPACE,
    MOOD_A_X2CB,
    MOOD_QUO_X22TE,
    MOOD_NULL_,
    MOOD_BACK_X5CSLASH,
    MOOD_X_X7BBR_X7D,
    MOOD_X_XC3_XBCN_XC3_XAF,
    MOOD_X,
};
static const char *const mood_labels[] = {"sad",  "ok",          "with space", "a,b",  "quo\"te",
                                          "NULL", "back\\slash", "{br}",       "ünï", ""};
#define NMOOD (sizeof mood_labels / sizeof mood_labels[0])

struct everything {
    int64_t id;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    bool b;
    float f4;
    double f8;
    char *t;
    struct schemac_uuid u;
    struct schemac_bytes by;
    int32_t d;
    int64_t ts;
    int64_t tstz;
    int64_t tm;
    struct schemac_interval iv;
    enum mood m;
    int16_t i16n;
    bool i16n_present;
    int32_t i32n;
    bool i32n_present;
    int64_t i64n;
    bool i64n_present;
    bool bn;
    bool bn_present;
    float f4n;
    bool f4n_present;
    double f8n;
    bool f8n_present;
    char *vc;
    bool vc_present;
    char *ch;
    bool ch_present;
    char *num;
    bool num_present;
    char *js;
    bool js_present;
    struct schemac_uuid un;
    bool un_present;
    struct schemac_bytes byn;
    bool byn_present;
    int32_t dn;
    bool dn_present;
    int64_t tsn;
    bool tsn_present;
    int64_t tstzn;
    bool tstzn_present;
    int64_t tmn;
    bool tmn_present;
    struct schemac_interval ivn;
    bool ivn_present;
    enum mood mn;
    bool mn_present;
    int16_t *a_i16;
    size_t a_i16_count;
    int32_t *a_i32;
    size_t a_i32_count;
    int64_t *a_i64;
    size_t a_i64_count;
    bool a_i64_present;
    bool *a_b;
    size_t a_b_count;
    bool a_b_present;
    float *a_f4;
    size_t a_f4_count;
    bool a_f4_present;
    double *a_f8;
    size_t a_f8_count;
    bool a_f8_present;
    char **a_t;
    size_t a_t_count;
    char **a_vc;
    size_t a_vc_count;
    bool a_vc_present;
    char **a_num;
    size_t a_num_count;
    bool a_num_present;
    struct schemac_uuid *a_u;
    size_t a_u_count;
    bool a_u_present;
    struct schemac_bytes *a_by;
    size_t a_by_count;
    bool a_by_present;
    int32_t *a_d;
    size_t a_d_count;
    bool a_d_present;
    int64_t *a_ts;
    size_t a_ts_count;
    bool a_ts_present;
    int64_t *a_tstz;
    size_t a_tstz_count;
    bool a_tstz_present;
    int64_t *a_tm;
    size_t a_tm_count;
    bool a_tm_present;
    struct schemac_interval *a_iv;
    size_t a_iv_count;
    bool a_iv_present;
    enum mood *a_m;
    size_t a_m_count;
    bool a_m_present;
    int32_t t_len;
    bool t_len_present;
};

#define S struct everything
#define MSIZE(m) sizeof(((S *)0)->m)
#define ESIZE(m) sizeof(*((S *)0)->m)
/* Not null, nullable, array, nullable array. */
#define COL(n, ty, k, oid) {#n, ty, SCHEMAC_KIND_##k, 0, oid, offsetof(S, n), MSIZE(n), 0, 0, NULL, 0}
#define COLN(n, ty, k, oid)                                                                      \
    {#n, ty, SCHEMAC_KIND_##k, SCHEMAC_COL_NULLABLE, oid, offsetof(S, n), MSIZE(n), 0,            \
     offsetof(S, n##_present), NULL, 0}
#define COLA(n, ty, k, oid)                                                                      \
    {#n, ty, SCHEMAC_KIND_##k, SCHEMAC_COL_ARRAY, oid, offsetof(S, n), ESIZE(n),                  \
     offsetof(S, n##_count), 0, NULL, 0}
#define COLAN(n, ty, k, oid)                                                                     \
    {#n, ty, SCHEMAC_KIND_##k, SCHEMAC_COL_ARRAY | SCHEMAC_COL_NULLABLE, oid, offsetof(S, n),     \
     ESIZE(n), offsetof(S, n##_count), offsetof(S, n##_present), NULL, 0}

static const struct schemac_column everything_cols[] = {
    {"id", "bigint", SCHEMAC_KIND_INT64, SCHEMAC_COL_NO_INSERT, 20, offsetof(S, id), MSIZE(id),
     0, 0, NULL, 0},
    COL(i16, "smallint", INT16, 21),
    COL(i32, "integer", INT32, 23),
    COL(i64, "bigint", INT64, 20),
    COL(b, "boolean", BOOL, 16),
    COL(f4, "real", FLOAT, 700),
    COL(f8, "double precision", DOUBLE, 701),
    COL(t, "text", TEXT, 25),
    COL(u, "uuid", UUID, 2950),
    COL(by, "bytea", BYTES, 17),
    COL(d, "date", DATE, 1082),
    COL(ts, "timestamp without time zone", TIMESTAMP, 1114),
    COL(tstz, "timestamp with time zone", TIMESTAMPTZ, 1184),
    COL(tm, "time without time zone", TIME, 1083),
    COL(iv, "interval", INTERVAL, 1186),
    {"m", "mood", SCHEMAC_KIND_ENUM, 0, 0, offsetof(S, m), MSIZE(m), 0, 0, mood_labels, NMOOD},
    COLN(i16n, "smallint", INT16, 21),
    COLN(i32n, "integer", INT32, 23),
    COLN(i64n, "bigint", INT64, 20),
    COLN(bn, "boolean", BOOL, 16),
    COLN(f4n, "real", FLOAT, 700),
    COLN(f8n, "double precision", DOUBLE, 701),
    COLN(vc, "character varying(200)", TEXT, 1043),
    COLN(ch, "character(5)", TEXT, 1042),
    COLN(num, "numeric", TEXT, 1700),
    COLN(js, "jsonb", TEXT, 3802),
    COLN(un, "uuid", UUID, 2950),
    COLN(byn, "bytea", BYTES, 17),
    COLN(dn, "date", DATE, 1082),
    COLN(tsn, "timestamp without time zone", TIMESTAMP, 1114),
    COLN(tstzn, "timestamp with time zone", TIMESTAMPTZ, 1184),
    COLN(tmn, "time without time zone", TIME, 1083),
    COLN(ivn, "interval", INTERVAL, 1186),
    {"mn", "mood", SCHEMAC_KIND_ENUM, SCHEMAC_COL_NULLABLE, 0, offsetof(S, mn), MSIZE(mn), 0,
     offsetof(S, mn_present), mood_labels, NMOOD},
    COLA(a_i16, "smallint[]", INT16, 1005),
    COLA(a_i32, "integer[]", INT32, 1007),
    COLAN(a_i64, "bigint[]", INT64, 1016),
    COLAN(a_b, "boolean[]", BOOL, 1000),
    COLAN(a_f4, "real[]", FLOAT, 1021),
    COLAN(a_f8, "double precision[]", DOUBLE, 1022),
    COLA(a_t, "text[]", TEXT, 1009),
    COLAN(a_vc, "character varying(20)[]", TEXT, 1015),
    COLAN(a_num, "numeric[]", TEXT, 1231),
    COLAN(a_u, "uuid[]", UUID, 2951),
    COLAN(a_by, "bytea[]", BYTES, 1001),
    COLAN(a_d, "date[]", DATE, 1182),
    COLAN(a_ts, "timestamp without time zone[]", TIMESTAMP, 1115),
    COLAN(a_tstz, "timestamp with time zone[]", TIMESTAMPTZ, 1185),
    COLAN(a_tm, "time without time zone[]", TIME, 1183),
    COLAN(a_iv, "interval[]", INTERVAL, 1187),
    {"a_m", "mood[]", SCHEMAC_KIND_ENUM, SCHEMAC_COL_ARRAY | SCHEMAC_COL_NULLABLE, 0,
     offsetof(S, a_m), ESIZE(a_m), offsetof(S, a_m_count), offsetof(S, a_m_present),
     mood_labels, NMOOD},
    {"t_len", "integer", SCHEMAC_KIND_INT32, SCHEMAC_COL_NULLABLE | SCHEMAC_COL_NO_INSERT, 23,
     offsetof(S, t_len), MSIZE(t_len), 0, offsetof(S, t_len_present), NULL, 0},
};
#define NCOLS (sizeof everything_cols / sizeof everything_cols[0])

/* The INSERT schemac gen writes: every column but id and t_len. */
static char insert_sql[4096];

static struct schemac_table everything_table = {"public.everything", everything_cols, NCOLS,
                                                insert_sql};

static void init_insert_sql(void)
{
    char cols[2048] = "", vals[2048] = "";
    int n = 0;
    for (size_t i = 0; i < NCOLS; i++) {
        if (everything_cols[i].flags & SCHEMAC_COL_NO_INSERT)
            continue;
        n++;
        snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s%s", n > 1 ? ", " : "",
                 everything_cols[i].name);
        snprintf(vals + strlen(vals), sizeof vals - strlen(vals), "%s$%d", n > 1 ? ", " : "", n);
    }
    snprintf(insert_sql, sizeof insert_sql, "INSERT INTO public.everything (%s) VALUES (%s)", cols,
             vals);
}

/* ------------------------------------------------------------ comparing */

static bool float_same(double x, double y)
{
    if (isnan(x) || isnan(y))
        return isnan(x) && isnan(y);
    return x == y && signbit(x) == signbit(y);
}

/* Whether one value of column `c`'s kind is the same at p and q. */
static bool value_same(const struct schemac_column *c, const void *p, const void *q)
{
    switch (c->kind) {
    case SCHEMAC_KIND_FLOAT: return float_same(*(const float *)p, *(const float *)q);
    case SCHEMAC_KIND_DOUBLE: return float_same(*(const double *)p, *(const double *)q);
    case SCHEMAC_KIND_TEXT: {
        const char *x = *(char *const *)p, *y = *(char *const *)q;
        return x != NULL && y != NULL && strcmp(x, y) == 0;
    }
    case SCHEMAC_KIND_BYTES: {
        const struct schemac_bytes *x = p, *y = q;
        return x->len == y->len && (x->len == 0 || memcmp(x->data, y->data, x->len) == 0);
    }
    case SCHEMAC_KIND_INTERVAL: {
        const struct schemac_interval *x = p, *y = q;
        return x->months == y->months && x->days == y->days && x->micros == y->micros;
    }
    case SCHEMAC_KIND_BOOL: return *(const bool *)p == *(const bool *)q;
    default: return memcmp(p, q, c->size) == 0;
    }
}

/* The first column whose value differs between rows x and y (NULL: none);
 * NO_INSERT columns only when `all`. */
static const char *row_diff(const void *xv, const void *yv, bool all)
{
    const unsigned char *x = xv, *y = yv;
    for (size_t i = 0; i < NCOLS; i++) {
        const struct schemac_column *c = &everything_cols[i];
        if ((c->flags & SCHEMAC_COL_NO_INSERT) && !all)
            continue;
        if (c->flags & SCHEMAC_COL_NULLABLE) {
            bool px = *(const bool *)(x + c->present_offset);
            bool py = *(const bool *)(y + c->present_offset);
            if (px != py)
                return c->name;
            if (!px)
                continue;
        }
        if (c->flags & SCHEMAC_COL_ARRAY) {
            size_t nx = *(const size_t *)(x + c->count_offset);
            size_t ny = *(const size_t *)(y + c->count_offset);
            if (nx != ny)
                return c->name;
            const unsigned char *ax = *(unsigned char *const *)(x + c->offset);
            const unsigned char *ay = *(unsigned char *const *)(y + c->offset);
            for (size_t k = 0; k < nx; k++)
                if (!value_same(c, ax + k * c->size, ay + k * c->size))
                    return c->name;
        } else if (!value_same(c, x + c->offset, y + c->offset)) {
            return c->name;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------ edge values */

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define USEC_DAY INT64_C(86400000000)

static const int16_t e_i16[] = {0, INT16_MIN, INT16_MAX, -1, 1};
static const int32_t e_i32[] = {0, INT32_MIN, INT32_MAX, -1, 1, 42};
static const int64_t e_i64[] = {0, INT64_MIN, INT64_MAX, -1, 1, 1234567890123};
static const char *const e_str[] = {"",
                                    "plain",
                                    "it's",
                                    "back\\slash",
                                    "a,b",
                                    "{braces}",
                                    "\"double quotes\"",
                                    " spaces around ",
                                    "NULL",
                                    "null",
                                    "line\nbreak",
                                    "tab\there",
                                    "ünïcødé 日本語 🎉",
                                    "'); DROP TABLE everything; --",
                                    "$1 \\x00 %s",
                                    "{\"a\",b}\\"};
static const char *const e_num[] = {"0", "-1.50", "12345678901234567890.123456789", "NaN", "0.00001"};
static const char *const e_json[] = {"{}", "[1, \"a\\\"b\", null]", "{\"k\": \"v,}\"}"};
static const uint8_t e_uuid[][16] = {
    {0},
    {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x0f, 0xed, 0xcb, 0xa9, 0x87, 0x65, 0x43, 0x21},
};
static uint8_t all_bytes[256];
static const uint8_t some_bytes[] = {0, '\\', 'x', '"', ',', '{', 0xff};
static const struct schemac_bytes e_bytes[] = {
    {NULL, 0}, {all_bytes, 256}, {(uint8_t *)some_bytes, sizeof some_bytes}, {all_bytes, 1}};
static const int32_t e_date[] = {0,           /* 1970-01-01 */
                                 11016,       /* 2000-02-29 */
                                 -719528,     /* 0001-01-01 BC */
                                 -2440588,    /* 4714-11-24 BC, the first */
                                 2145042905,  /* 5874897-12-31, the last */
                                 SCHEMAC_DATE_INFINITY,
                                 SCHEMAC_DATE_NEG_INFINITY,
                                 -1,
                                 -719529}; /* 0002-12-31 BC */
static const int64_t e_ts[] = {0,
                               1,
                               -1,
                               11016 * USEC_DAY + 123456,
                               -719528 * USEC_DAY + 1,
                               -719528 * USEC_DAY - 1,
                               -2440588 * USEC_DAY, /* 4714-11-24 00:00 BC */
                               INT64_MAX - 1,       /* 294247-01-10 04:00:54.775806 */
                               SCHEMAC_TIMESTAMP_INFINITY,
                               SCHEMAC_TIMESTAMP_NEG_INFINITY,
                               -3786825600000000 + 999999}; /* 1850-01-01, LMT in Amsterdam */
static const int64_t e_time[] = {0, USEC_DAY, USEC_DAY - 1, 1, 45296789012};
static const struct schemac_interval e_iv[] = {
    {0, 0, 0},
    {14, -3, 14706789000},
    {-1, 3, -1},
    {INT32_MAX, INT32_MAX, INT64_MAX},
    {INT32_MIN, INT32_MIN, INT64_MIN},
    {0, 0, -1},
    {-12, 0, 0},
    {0, -1, 86400000000},
};
static const float e_f4[] = {0.0f,     -0.0f,   NAN,       INFINITY, -INFINITY,  FLT_MAX,
                             -FLT_MAX, FLT_MIN, 1e-45f,    0.1f,     3.1415927f, 16777216.0f};
static const double e_f8[] = {0.0,      -0.0,    NAN,     INFINITY, -INFINITY, DBL_MAX,
                              -DBL_MAX, DBL_MIN, 4.9406564584124654e-324, 0.1, M_PI, 1e300};

/* A row of edge values, varied by `k`; arrays and strings point into
 * static data or `a`. */
static void make_row(struct everything *r, unsigned k, schemac_arena *a)
{
    memset(r, 0, sizeof *r);
    r->i16 = e_i16[k % N(e_i16)];
    r->i32 = e_i32[k % N(e_i32)];
    r->i64 = e_i64[k % N(e_i64)];
    r->b = k % 2;
    r->f4 = e_f4[k % N(e_f4)];
    r->f8 = e_f8[k % N(e_f8)];
    r->t = (char *)e_str[k % N(e_str)];
    memcpy(r->u.bytes, e_uuid[k % N(e_uuid)], 16);
    r->by = e_bytes[k % N(e_bytes)];
    r->d = e_date[k % N(e_date)];
    r->ts = e_ts[k % N(e_ts)];
    r->tstz = e_ts[(k + 3) % N(e_ts)];
    r->tm = e_time[k % N(e_time)];
    r->iv = e_iv[k % N(e_iv)];
    r->m = (enum mood)(k % NMOOD);

    bool p = k % 3 != 2;
    r->i16n_present = r->i32n_present = r->i64n_present = r->bn_present = p;
    r->f4n_present = r->f8n_present = r->vc_present = r->ch_present = p;
    r->num_present = r->js_present = r->un_present = r->byn_present = p;
    r->dn_present = r->tsn_present = r->tstzn_present = r->tmn_present = p;
    r->ivn_present = r->mn_present = p;
    r->i16n = e_i16[(k + 1) % N(e_i16)];
    r->i32n = e_i32[(k + 1) % N(e_i32)];
    r->i64n = e_i64[(k + 1) % N(e_i64)];
    r->bn = !r->b;
    r->f4n = e_f4[(k + 1) % N(e_f4)];
    r->f8n = e_f8[(k + 1) % N(e_f8)];
    r->vc = (char *)e_str[(k + 1) % N(e_str)];
    r->ch = (char *)(k % 2 ? "ab   " : "xyz12");
    r->num = (char *)e_num[k % N(e_num)];
    r->js = (char *)e_json[k % N(e_json)];
    memcpy(r->un.bytes, e_uuid[(k + 1) % N(e_uuid)], 16);
    r->byn = e_bytes[(k + 1) % N(e_bytes)];
    r->dn = e_date[(k + 1) % N(e_date)];
    r->tsn = e_ts[(k + 1) % N(e_ts)];
    r->tstzn = e_ts[(k + 2) % N(e_ts)];
    r->tmn = e_time[(k + 1) % N(e_time)];
    r->ivn = e_iv[(k + 1) % N(e_iv)];
    r->mn = (enum mood)((k + 1) % NMOOD);

    /* Arrays: every edge value, or none, or one. */
    size_t pick = k % 3; /* 0: all, 1: empty, 2: one */
#define ARR(member, src)                                                                   \
    do {                                                                                   \
        size_t n_ = pick == 0 ? N(src) : pick == 1 ? 0 : 1;                                \
        r->member = schemac_arena_alloc(a, (n_ + 1) * sizeof *r->member);                  \
        for (size_t i_ = 0; i_ < n_; i_++)                                                 \
            memcpy(&r->member[i_], &(src)[(i_ + k) % N(src)], sizeof *r->member);          \
        r->member##_count = n_;                                                            \
    } while (0)
    ARR(a_i16, e_i16);
    ARR(a_i32, e_i32);
    ARR(a_i64, e_i64);
    static const bool e_bool[] = {true, false};
    ARR(a_b, e_bool);
    ARR(a_f4, e_f4);
    ARR(a_f8, e_f8);
    ARR(a_t, e_str);
    static const char *const e_short[] = {"", "NULL", "a b", "\"", "\\", "ü"};
    ARR(a_vc, e_short);
    ARR(a_num, e_num);
    ARR(a_u, e_uuid);
    ARR(a_by, e_bytes);
    ARR(a_d, e_date);
    ARR(a_ts, e_ts);
    ARR(a_tstz, e_ts);
    ARR(a_tm, e_time);
    ARR(a_iv, e_iv);
    static const enum mood e_mood[] = {MOOD_SAD,    MOOD_WITH_X20SPACE, MOOD_A_X2CB,
                                       MOOD_QUO_X22TE, MOOD_NULL_,       MOOD_BACK_X5CSLASH,
                                       MOOD_X_X7BBR_X7D, MOOD_X_XC3_XBCN_XC3_XAF, MOOD_X};
    ARR(a_m, e_mood);
#undef ARR
    r->a_i64_present = r->a_b_present = r->a_f4_present = r->a_f8_present = k % 4 != 3;
    r->a_vc_present = r->a_num_present = r->a_u_present = r->a_by_present = k % 4 != 3;
    r->a_d_present = r->a_ts_present = r->a_tstz_present = r->a_tm_present = k % 4 != 3;
    r->a_iv_present = r->a_m_present = k % 4 != 3;
}

/* ------------------------------------------------------------ helpers */

static PGconn *make_db(const char *name)
{
    for (int i = 0; i < 256; i++)
        all_bytes[i] = (uint8_t)i;
    init_insert_sql();
    cr_assert_not_null(pgfix_createdb(fx, name), "createdb %s", name);
    cr_assert_eq(pgfix_exec(fx, name, schema_sql), 0, "the schema loads");
    PGconn *conn = PQconnectdb(pgfix_conninfo(fx, name));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "connect: %s", PQerrorMessage(conn));
    return conn;
}

static void exec_ok(PGconn *conn, const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(r);
    cr_assert(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK, "%s: %s", sql,
              PQerrorMessage(conn));
    PQclear(r);
}

static PGresult *query(PGconn *conn, const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(conn));
    return r;
}

static bool contains(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

/* Inserts row k, checks what RETURNING gives, and reads it back with
 * SELECT * under the session's current settings. */
static void round_trip(PGconn *conn, unsigned k, schemac_arena *a)
{
    struct everything in, ret, back;
    make_row(&in, k, a);
    memset(&ret, 0, sizeof ret);
    int rc = schemac_row_insert(conn, &everything_table, &in, &ret, a);
    cr_assert_eq(rc, 0, "row %u: insert: %s", k, schemac_arena_error(a));
    const char *d = row_diff(&in, &ret, false);
    cr_assert_null(d, "row %u: RETURNING gives another %s", k, d);
    cr_assert(ret.id > 0, "row %u: the identity column is read back", k);
    cr_assert(ret.t_len_present, "row %u: the generated column is read back", k);

    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM everything WHERE id = %lld", (long long)ret.id);
    PGresult *res = query(conn, sql);
    memset(&back, 0, sizeof back);
    rc = schemac_row_decode(res, 0, &everything_table, &back, a);
    PQclear(res);
    cr_assert_eq(rc, 0, "row %u: decode: %s", k, schemac_arena_error(a));
    d = row_diff(&ret, &back, true);
    cr_assert_null(d, "row %u: SELECT * gives another %s", k, d);
}

#define NROWS 60

/* ------------------------------------------------------------ tests */

Test(row, edge_values_round_trip)
{
    PGconn *conn = make_db("r_edges");
    schemac_arena *a = schemac_arena_new();
    cr_assert_not_null(a);
    cr_expect_str_eq(schemac_arena_error(a), "");
    for (unsigned k = 0; k < NROWS; k++)
        round_trip(conn, k, a);
    cr_expect_str_eq(schemac_arena_error(a), "", "no error after successes");

    /* The generated column is length(t), in characters. */
    struct everything in, ret;
    make_row(&in, 1, a);
    in.t = "ünï";
    cr_assert_eq(schemac_row_insert(conn, &everything_table, &in, &ret, a), 0, "%s",
                 schemac_arena_error(a));
    cr_expect_eq(ret.t_len, 3);
    /* Without `returned` nothing is read back. */
    cr_assert_eq(schemac_row_insert(conn, &everything_table, &in, NULL, a), 0, "%s",
                 schemac_arena_error(a));
    PGresult *res = query(conn, "SELECT count(*) FROM everything");
    cr_expect_eq(atoi(PQgetvalue(res, 0, 0)), NROWS + 2);
    PQclear(res);
    schemac_arena_free(a);
    PQfinish(conn);
}

Test(row, session_time_zones_and_output_settings)
{
    PGconn *conn = make_db("r_zones");
    schemac_arena *a = schemac_arena_new();
    static const char *const settings[] = {
        "SET TimeZone = 'Asia/Kolkata'",
        "SET TimeZone = 'America/St_Johns'",
        "SET TimeZone = 'Europe/Amsterdam'", /* 1850 is LMT: +00:19:32 */
        "SET TimeZone = 'Pacific/Kiritimati'",
        "SET bytea_output = escape",
        "SET extra_float_digits = 3",
        "SET DateStyle = 'ISO, DMY'",
    };
    for (size_t i = 0; i < N(settings); i++) {
        exec_ok(conn, settings[i]);
        for (unsigned k = 0; k < 24; k++)
            round_trip(conn, k, a);
        schemac_arena_reset(a);
    }

    /* The 1850 value really is printed with a seconds offset here. */
    exec_ok(conn, "SET TimeZone = 'Europe/Amsterdam'");
    PGresult *res = query(conn, "SELECT '1850-01-01 00:00:00.999999+00'::timestamptz::text");
    cr_expect_str_eq(PQgetvalue(res, 0, 0), "1850-01-01 00:19:32.999999+00:19:32");
    PQclear(res);
    schemac_arena_free(a);
    PQfinish(conn);
}

Test(row, columns_found_by_name_in_any_order)
{
    PGconn *conn = make_db("r_order");
    schemac_arena *a = schemac_arena_new();
    struct everything in, ret, back;
    make_row(&in, 0, a);
    cr_assert_eq(schemac_row_insert(conn, &everything_table, &in, &ret, a), 0, "%s",
                 schemac_arena_error(a));

    /* Reversed, with other columns in between. */
    char sql[4096] = "SELECT 1 AS extra";
    for (size_t i = NCOLS; i-- > 0;)
        snprintf(sql + strlen(sql), sizeof sql - strlen(sql), ", %s, 'x' AS \"x%zu\"",
                 everything_cols[i].name, i);
    strcat(sql, " FROM everything");
    PGresult *res = query(conn, sql);
    memset(&back, 0, sizeof back);
    cr_assert_eq(schemac_row_decode(res, 0, &everything_table, &back, a), 0, "%s",
                 schemac_arena_error(a));
    cr_expect_null(row_diff(&ret, &back, true));
    /* The PGresult may go: the strings live in the arena. */
    PQclear(res);
    cr_expect_null(row_diff(&ret, &back, true));
    cr_expect_str_eq(back.t, in.t);
    schemac_arena_free(a);
    PQfinish(conn);
}

/* A one-column table "probe.v" for decoding single values. */
struct probe {
    _Alignas(16) unsigned char v[32];
    size_t count;
    bool present;
};

static struct schemac_column probe_col(unsigned kind, unsigned flags, unsigned oid,
                                       const char *type)
{
    size_t size = kind == SCHEMAC_KIND_INT16 ? 2
                  : kind == SCHEMAC_KIND_INT32 || kind == SCHEMAC_KIND_DATE ||
                          kind == SCHEMAC_KIND_FLOAT || kind == SCHEMAC_KIND_ENUM
                      ? 4
                  : kind == SCHEMAC_KIND_BOOL      ? 1
                  : kind == SCHEMAC_KIND_UUID      ? 16
                  : kind == SCHEMAC_KIND_BYTES     ? sizeof(struct schemac_bytes)
                  : kind == SCHEMAC_KIND_INTERVAL  ? sizeof(struct schemac_interval)
                  : 8;
    struct schemac_column c = {"v",  type, kind, flags, oid, offsetof(struct probe, v), size,
                               offsetof(struct probe, count), offsetof(struct probe, present),
                               mood_labels, NMOOD};
    return c;
}

/* Decodes column v of `sql`'s first row; the return of schemac_row_decode. */
static int probe(PGconn *conn, const char *sql, struct schemac_column c, struct probe *out,
                 schemac_arena *a)
{
    struct schemac_table t = {"probe", &c, 1, NULL};
    PGresult *res = PQexec(conn, sql);
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(conn));
    memset(out, 0, sizeof *out);
    int rc = schemac_row_decode(res, 0, &t, out, a);
    PQclear(res);
    return rc;
}

#define PROBE_OK(sql, c, out)                                                               \
    cr_assert_eq(probe(conn, sql, c, out, a), 0, "%s: %s", sql, schemac_arena_error(a))

static void expect_probe_error(PGconn *conn, schemac_arena *a, const char *sql,
                               struct schemac_column c, const char *want)
{
    struct probe p;
    cr_expect_eq(probe(conn, sql, c, &p, a), -1, "%s decodes, but should not", sql);
    cr_expect(contains(schemac_arena_error(a), want), "%s: the message\n  %s\nlacks\n  %s", sql,
              schemac_arena_error(a), want);
}

Test(row, values_from_the_server)
{
    PGconn *conn = make_db("r_values");
    schemac_arena *a = schemac_arena_new();
    struct probe p;
    struct schemac_column date = probe_col(SCHEMAC_KIND_DATE, 0, 1082, "date");
    struct {
        const char *lit;
        int32_t days;
    } dates[] = {{"1970-01-01", 0},          {"2000-02-29", 11016},
                 {"0001-01-01 BC", -719528}, {"4714-11-24 BC", -2440588},
                 {"5874897-12-31", 2145042905}, {"infinity", SCHEMAC_DATE_INFINITY},
                 {"-infinity", SCHEMAC_DATE_NEG_INFINITY}};
    for (size_t i = 0; i < N(dates); i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT '%s'::date AS v", dates[i].lit);
        PROBE_OK(sql, date, &p);
        int32_t got;
        memcpy(&got, p.v, 4);
        cr_expect_eq(got, dates[i].days, "%s: %d", dates[i].lit, got);
    }

    struct schemac_column ts = probe_col(SCHEMAC_KIND_TIMESTAMP, 0, 1114, "timestamp");
    struct {
        const char *lit;
        int64_t us;
    } stamps[] = {{"1970-01-01 00:00:00.000001", 1},
                  {"1969-12-31 23:59:59.999999", -1},
                  {"0001-01-01 00:00:00 BC", -719528 * USEC_DAY},
                  {"4714-11-24 00:00:00 BC", -2440588 * USEC_DAY},
                  {"294247-01-10 04:00:54.775806", INT64_MAX - 1},
                  {"infinity", SCHEMAC_TIMESTAMP_INFINITY}};
    for (size_t i = 0; i < N(stamps); i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT '%s'::timestamp AS v", stamps[i].lit);
        PROBE_OK(sql, ts, &p);
        int64_t got;
        memcpy(&got, p.v, 8);
        cr_expect_eq(got, stamps[i].us, "%s: %lld", stamps[i].lit, (long long)got);
    }
    /* PostgreSQL's last ~30 years do not fit int64 microseconds from 1970. */
    expect_probe_error(conn, a, "SELECT '294276-12-31 23:59:59.999999'::timestamp AS v", ts,
                       "294247-01-10");

    struct schemac_column tz = probe_col(SCHEMAC_KIND_TIMESTAMPTZ, 0, 1184, "timestamptz");
    static const char *const zones[] = {"UTC", "Asia/Kolkata", "America/St_Johns",
                                        "Europe/Amsterdam", "Asia/Kathmandu"};
    for (size_t z = 0; z < N(zones); z++) {
        char set[80];
        snprintf(set, sizeof set, "SET TimeZone = '%s'", zones[z]);
        exec_ok(conn, set);
        PROBE_OK("SELECT '1850-06-01 12:00:00.5+00'::timestamptz AS v", tz, &p);
        int64_t got;
        memcpy(&got, p.v, 8);
        cr_expect_eq(got, INT64_C(-3773736000000000) + 500000, "%s: %lld", zones[z],
                     (long long)got);
        PROBE_OK("SELECT '0001-01-01 00:00:00+00 BC'::timestamptz AS v", tz, &p);
        memcpy(&got, p.v, 8);
        cr_expect_eq(got, -719528 * USEC_DAY, "%s: %lld", zones[z], (long long)got);
    }
    exec_ok(conn, "SET TimeZone = 'UTC'");

    struct schemac_column tm = probe_col(SCHEMAC_KIND_TIME, 0, 1083, "time");
    PROBE_OK("SELECT '24:00:00'::time AS v", tm, &p);
    cr_expect_eq(*(int64_t *)p.v, USEC_DAY);
    PROBE_OK("SELECT '23:59:59.999999'::time AS v", tm, &p);
    cr_expect_eq(*(int64_t *)p.v, USEC_DAY - 1);

    struct schemac_column iv = probe_col(SCHEMAC_KIND_INTERVAL, 0, 1186, "interval");
    PROBE_OK("SELECT '178956970 years 7 mons 2147483647 days 2562047788:00:54.775807'::interval "
             "AS v",
             iv, &p);
    struct schemac_interval *ip = (struct schemac_interval *)p.v;
    cr_expect(ip->months == INT32_MAX && ip->days == INT32_MAX && ip->micros == INT64_MAX);
    PROBE_OK("SELECT '-2147483648 mons -2147483648 days -9223372036854775808 microseconds'"
             "::interval AS v",
             iv, &p);
    cr_expect(ip->months == INT32_MIN && ip->days == INT32_MIN && ip->micros == INT64_MIN);
    PROBE_OK("SELECT '1 year 2 mons -3 days +04:05:06.789'::interval AS v", iv, &p);
    cr_expect(ip->months == 14 && ip->days == -3 && ip->micros == 14706789000);
    PROBE_OK("SELECT '-00:00:00.000001'::interval AS v", iv, &p);
    cr_expect(ip->months == 0 && ip->days == 0 && ip->micros == -1);

    struct schemac_column f8 = probe_col(SCHEMAC_KIND_DOUBLE, 0, 701, "double precision");
    PROBE_OK("SELECT '-0'::float8 AS v", f8, &p);
    cr_expect(*(double *)p.v == 0 && signbit(*(double *)p.v), "-0 keeps its sign");
    PROBE_OK("SELECT '1.5'::real AS v", f8, &p); /* real into double */
    cr_expect_eq(*(double *)p.v, 1.5);
    PROBE_OK("SELECT '4.9406564584124654e-324'::float8 AS v", f8, &p);
    cr_expect_eq(*(double *)p.v, 4.9406564584124654e-324);

    /* Smaller integers widen. */
    struct schemac_column i64 = probe_col(SCHEMAC_KIND_INT64, 0, 20, "bigint");
    PROBE_OK("SELECT (-32768)::smallint AS v", i64, &p);
    cr_expect_eq(*(int64_t *)p.v, -32768);
    PROBE_OK("SELECT 2147483647 AS v", i64, &p);
    cr_expect_eq(*(int64_t *)p.v, INT32_MAX);

    /* Text types stand for each other. */
    struct schemac_column txt = probe_col(SCHEMAC_KIND_TEXT, 0, 25, "text");
    PROBE_OK("SELECT 'ab '::char(4) AS v", txt, &p);
    cr_expect_str_eq(*(char **)p.v, "ab  ");
    PROBE_OK("SELECT 'x'::varchar AS v", txt, &p);
    PROBE_OK("SELECT 'pg_class'::name AS v", txt, &p);

    /* uuid in upper case is accepted too (as text of a uuid column would
     * never be, but the parser takes both). */
    struct schemac_column uu = probe_col(SCHEMAC_KIND_UUID, 0, 0, "uuid");
    PROBE_OK("SELECT 'ABCDEF01-2345-6789-ABCD-EF0123456789' AS v", uu, &p);
    cr_expect_eq(p.v[0], 0xab);
    cr_expect_eq(p.v[15], 0x89);

    /* bytea in escape format. */
    exec_ok(conn, "SET bytea_output = escape");
    struct schemac_column by = probe_col(SCHEMAC_KIND_BYTES, 0, 17, "bytea");
    PROBE_OK("SELECT '\\x005c7801ff41'::bytea AS v", by, &p);
    struct schemac_bytes *bp = (struct schemac_bytes *)p.v;
    cr_assert_eq(bp->len, 6);
    cr_expect(memcmp(bp->data, "\0\\x\001\377A", 6) == 0);
    exec_ok(conn, "SET bytea_output = hex");

    /* Enum labels, including ones that need quoting in arrays. */
    struct schemac_column en = probe_col(SCHEMAC_KIND_ENUM, 0, 0, "mood");
    PROBE_OK("SELECT 'quo\"te'::mood AS v", en, &p);
    cr_expect_eq(*(uint32_t *)p.v, MOOD_QUO_X22TE);
    PROBE_OK("SELECT ''::mood AS v", en, &p);
    cr_expect_eq(*(uint32_t *)p.v, MOOD_X);
    struct schemac_column ena = probe_col(SCHEMAC_KIND_ENUM, SCHEMAC_COL_ARRAY, 0, "mood[]");
    PROBE_OK("SELECT enum_range(NULL::mood) AS v", ena, &p);
    cr_assert_eq(p.count, NMOOD);
    for (size_t i = 0; i < NMOOD; i++)
        cr_expect_eq((*(uint32_t **)p.v)[i], i);

    schemac_arena_free(a);
    PQfinish(conn);
}

Test(row, arrays_from_the_server)
{
    PGconn *conn = make_db("r_arrays");
    schemac_arena *a = schemac_arena_new();
    struct probe p;
    struct schemac_column ia = probe_col(SCHEMAC_KIND_INT32, SCHEMAC_COL_ARRAY, 1007, "integer[]");
    PROBE_OK("SELECT '{{1,2,3},{4,5,6}}'::int[] AS v", ia, &p);
    cr_assert_eq(p.count, 6, "two dimensions flattened");
    for (int i = 0; i < 6; i++)
        cr_expect_eq((*(int32_t **)p.v)[i], i + 1);
    PROBE_OK("SELECT '[0:1]={7,8}'::int[] AS v", ia, &p);
    cr_assert_eq(p.count, 2);
    cr_expect_eq((*(int32_t **)p.v)[1], 8);
    PROBE_OK("SELECT '[2:2][-1:0]={{9,10}}'::int[] AS v", ia, &p);
    cr_assert_eq(p.count, 2);
    PROBE_OK("SELECT '{}'::int[] AS v", ia, &p);
    cr_expect_eq(p.count, 0);
    PROBE_OK("SELECT '{{{1},{2}},{{3},{4}}}'::smallint[] AS v", ia, &p);
    cr_expect_eq(p.count, 4, "smallint[] into integer[], three dimensions");
    PROBE_OK("SELECT '{ 1 , 2 }'::text AS v", probe_col(SCHEMAC_KIND_INT32, SCHEMAC_COL_ARRAY, 0,
                                                           "integer[]"),
             &p);
    cr_expect_eq(p.count, 2, "whitespace around elements");

    struct schemac_column ta = probe_col(SCHEMAC_KIND_TEXT, SCHEMAC_COL_ARRAY, 1009, "text[]");
    PROBE_OK("SELECT ARRAY['a', 'b c', '', 'NULL', '\"q\"', '\\x', '{}', E'\\n', 'ü,', "
             "E'\\\\'] AS v",
             ta, &p);
    static const char *const want[] = {"a", "b c", "", "NULL", "\"q\"", "\\x", "{}", "\n",
                                       "ü,", "\\"};
    cr_assert_eq(p.count, N(want));
    for (size_t i = 0; i < N(want); i++)
        cr_expect_str_eq((*(char ***)p.v)[i], want[i], "element %zu", i);
    PROBE_OK("SELECT '{{a,b},{\"c d\",e}}'::varchar[] AS v", ta, &p);
    cr_expect_eq(p.count, 4);
    cr_expect_str_eq((*(char ***)p.v)[2], "c d");

    struct schemac_column ba = probe_col(SCHEMAC_KIND_BYTES, SCHEMAC_COL_ARRAY, 1001, "bytea[]");
    PROBE_OK("SELECT ARRAY['\\x00ff'::bytea, '\\x'::bytea] AS v", ba, &p);
    cr_assert_eq(p.count, 2);
    struct schemac_bytes *bs = *(struct schemac_bytes **)p.v;
    cr_expect(bs[0].len == 2 && bs[0].data[0] == 0 && bs[0].data[1] == 0xff);
    cr_expect_eq(bs[1].len, 0);
    schemac_arena_free(a);
    PQfinish(conn);
}

Test(row, decode_errors)
{
    PGconn *conn = make_db("r_errors");
    schemac_arena *a = schemac_arena_new();
    struct schemac_column i32 = probe_col(SCHEMAC_KIND_INT32, 0, 23, "integer");
    expect_probe_error(conn, a, "SELECT 1 AS w", i32, "probe: the result has no column \"v\"");
    expect_probe_error(conn, a, "SELECT 'x'::text AS v", i32,
                       "probe.v: the result's column has type OID 25, the struct wants integer");
    expect_probe_error(conn, a, "SELECT 1::bigint AS v", i32, "type OID 20");
    expect_probe_error(conn, a, "SELECT NULL::int AS v", i32,
                       "probe.v: NULL, but the member has no presence flag");
    struct schemac_column any32 = probe_col(SCHEMAC_KIND_INT32, 0, 0, "integer");
    expect_probe_error(conn, a, "SELECT 'abc'::text AS v", any32,
                       "probe.v: \"abc\" is not a valid integer");
    expect_probe_error(conn, a, "SELECT '2147483648'::text AS v", any32, "out of range");
    struct schemac_column i16 = probe_col(SCHEMAC_KIND_INT16, 0, 0, "smallint");
    expect_probe_error(conn, a, "SELECT 40000 AS v", i16, "\"40000\" is not a valid smallint");
    expect_probe_error(conn, a, "SELECT repeat('9', 100) AS v", any32, "...\"");
    struct schemac_column en = probe_col(SCHEMAC_KIND_ENUM, 0, 0, "mood");
    expect_probe_error(conn, a, "SELECT 'SAD' AS v", en, "\"SAD\" is not a valid mood");
    struct schemac_column ia = probe_col(SCHEMAC_KIND_INT32, SCHEMAC_COL_ARRAY, 1007, "integer[]");
    expect_probe_error(conn, a, "SELECT '{1,NULL,3}'::int[] AS v", ia, "NULL element");
    expect_probe_error(conn, a, "SELECT '{1,2'::text AS v",
                       probe_col(SCHEMAC_KIND_INT32, SCHEMAC_COL_ARRAY, 0, "integer[]"),
                       "is not a valid integer[]");
    expect_probe_error(conn, a, "SELECT '{1,x}'::text AS v",
                       probe_col(SCHEMAC_KIND_INT32, SCHEMAC_COL_ARRAY, 0, "integer[]"),
                       "element 2, \"x\", is not a valid integer");
    struct schemac_column b = probe_col(SCHEMAC_KIND_BOOL, 0, 16, "boolean");
    expect_probe_error(conn, a, "SELECT 'true'::text::bool::text AS v",
                       probe_col(SCHEMAC_KIND_BOOL, 0, 0, "boolean"), "\"true\"");
    (void)b;

    struct schemac_column date = probe_col(SCHEMAC_KIND_DATE, 0, 1082, "date");
    struct schemac_column ts = probe_col(SCHEMAC_KIND_TIMESTAMPTZ, 0, 1184, "timestamptz");
    static const char *const styles[] = {"SQL, DMY", "Postgres, MDY", "German"};
    for (size_t i = 0; i < N(styles); i++) {
        char set[64];
        snprintf(set, sizeof set, "SET DateStyle = '%s'", styles[i]);
        exec_ok(conn, set);
        expect_probe_error(conn, a, "SELECT '2000-02-29'::date AS v", date, "DateStyle");
        expect_probe_error(conn, a, "SELECT '2000-02-29 01:02:03+00'::timestamptz AS v", ts,
                           "DateStyle");
    }
    exec_ok(conn, "SET DateStyle = ISO");
    /* Rounded floats: the largest double reads as more than the largest. */
    exec_ok(conn, "SET extra_float_digits = 0");
    expect_probe_error(conn, a, "SELECT '1.7976931348623157e308'::float8 AS v",
                       probe_col(SCHEMAC_KIND_DOUBLE, 0, 701, "double precision"),
                       "extra_float_digits");
    exec_ok(conn, "SET extra_float_digits = 1");
    struct schemac_column iv = probe_col(SCHEMAC_KIND_INTERVAL, 0, 1186, "interval");
    static const char *const istyles[] = {"sql_standard", "iso_8601", "postgres_verbose"};
    for (size_t i = 0; i < N(istyles); i++) {
        char set[64];
        snprintf(set, sizeof set, "SET IntervalStyle = %s", istyles[i]);
        exec_ok(conn, set);
        expect_probe_error(conn, a, "SELECT '1 year 2 mons -3 days 04:05:06'::interval AS v", iv,
                           "IntervalStyle");
    }
    exec_ok(conn, "SET IntervalStyle = postgres");

    /* The row and the result themselves. */
    struct everything r;
    PGresult *res = query(conn, "SELECT * FROM everything");
    cr_expect_eq(schemac_row_decode(res, 0, &everything_table, &r, a), -1);
    cr_expect(contains(schemac_arena_error(a), "row 0 is out of range"), "%s",
              schemac_arena_error(a));
    PQclear(res);
    cr_expect_eq(schemac_row_decode(NULL, 0, &everything_table, &r, a), -1);
    cr_expect(contains(schemac_arena_error(a), "public.everything: no result"));
    res = PQexec(conn, "SET TimeZone = 'UTC'");
    cr_expect_eq(schemac_row_decode(res, 0, &everything_table, &r, a), -1);
    cr_expect(contains(schemac_arena_error(a), "PGRES_COMMAND_OK"), "%s",
              schemac_arena_error(a));
    PQclear(res);

    /* Reset forgets the error. */
    schemac_arena_reset(a);
    cr_expect_str_eq(schemac_arena_error(a), "");
    schemac_arena_free(a);
    PQfinish(conn);
}

/* Hostile texts decode to an error or a value, never a crash. */
Test(row, hostile_text)
{
    PGconn *conn = make_db("r_hostile");
    schemac_arena *a = schemac_arena_new();
    static const char *const texts[] = {
        "", "-", "+", "--1", "99999999999999999999999", "1e5", " 1", "{", "}", "{{{{{{{{1}}}}}}}}",
        "{\"", "{\"\\", "{1,", "[1:2]={1", "[", "\\x1", "\\x1g", "\\", "\\0", "\\400", "x",
        "99999999999-01-01", "2000-13-01", "2000-02-30", "1999-02-29", "2000-01-01 24:00:01",
        "2000-01-01 00:00:00+99:99", "0000-01-01 BC", "2000-01-01 00:00:00.1234567",
        "99999999999999999999 years", "5124095576:00:00", "9999999999:00:00", "1 day 1 day",
        "1 days 1 year", "- 1 day", "1  day", "00:60:00", "NaNx", "0x1p3", "nan", "infinity",
        "1e999", "-1e999", "1,5", "12345678-1234-1234-1234-12345678901", "t ", "ab\"c",
        "{a,\"b\"c}", "{,}", "{a b}", "{NULL}", "{\"NULL\"}", "0001-01-01 00:00:00+00 BC x",
    };
    static const unsigned kinds[] = {
        SCHEMAC_KIND_INT16,     SCHEMAC_KIND_INT32,       SCHEMAC_KIND_INT64, SCHEMAC_KIND_BOOL,
        SCHEMAC_KIND_FLOAT,     SCHEMAC_KIND_DOUBLE,      SCHEMAC_KIND_TEXT,  SCHEMAC_KIND_UUID,
        SCHEMAC_KIND_BYTES,     SCHEMAC_KIND_DATE,        SCHEMAC_KIND_TIMESTAMP,
        SCHEMAC_KIND_TIMESTAMPTZ, SCHEMAC_KIND_TIME,      SCHEMAC_KIND_INTERVAL,
        SCHEMAC_KIND_ENUM};
    for (size_t i = 0; i < N(texts); i++) {
        char *lit = PQescapeLiteral(conn, texts[i], strlen(texts[i]));
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT %s::text AS v", lit);
        PQfreemem(lit);
        for (size_t k = 0; k < N(kinds); k++)
            for (unsigned arr = 0; arr < 2; arr++) {
                struct probe p;
                struct schemac_column c =
                    probe_col(kinds[k], arr ? SCHEMAC_COL_ARRAY : 0, 0, "x");
                int rc = probe(conn, sql, c, &p, a);
                if (rc != 0)
                    cr_expect_neq(schemac_arena_error(a)[0], '\0');
            }
    }
    schemac_arena_free(a);
    PQfinish(conn);
}

Test(row, insert_errors_and_injection)
{
    PGconn *conn = make_db("r_insert");
    schemac_arena *a = schemac_arena_new();
    struct everything in, ret;

    /* A check violation: the server's message and SQLSTATE. */
    make_row(&in, 0, a);
    in.i32 = 12345;
    cr_expect_eq(schemac_row_insert(conn, &everything_table, &in, &ret, a), -1);
    const char *e = schemac_arena_error(a);
    cr_expect(contains(e, "violates check constraint \"everything_i32_check\""), "%s", e);
    cr_expect(contains(e, "SQLSTATE 23514"), "%s", e);
    cr_expect(strchr(e, '\n') == NULL, "one line: %s", e);

    /* A NULL string where the column cannot be NULL: refused before sending. */
    make_row(&in, 0, a);
    in.t = NULL;
    cr_expect_eq(schemac_row_insert(conn, &everything_table, &in, NULL, a), -1);
    cr_expect(contains(schemac_arena_error(a), "public.everything.t: a NULL string"), "%s",
              schemac_arena_error(a));
    /* ... but a nullable one with its flag false is NULL. */
    make_row(&in, 0, a);
    in.vc = NULL;
    in.vc_present = false;
    cr_expect_eq(schemac_row_insert(conn, &everything_table, &in, &ret, a), 0, "%s",
                 schemac_arena_error(a));
    cr_expect(!ret.vc_present);

    /* An enum value that is no label. */
    make_row(&in, 0, a);
    in.m = (enum mood)NMOOD;
    cr_expect_eq(schemac_row_insert(conn, &everything_table, &in, NULL, a), -1);
    cr_expect(contains(schemac_arena_error(a), "public.everything.m"), "%s",
              schemac_arena_error(a));
    cr_expect(contains(schemac_arena_error(a), "no label"), "%s", schemac_arena_error(a));
    make_row(&in, 0, a);
    in.a_m[0] = (enum mood)-1;
    cr_expect_eq(schemac_row_insert(conn, &everything_table, &in, NULL, a), -1);
    cr_expect(contains(schemac_arena_error(a), "element 1"), "%s", schemac_arena_error(a));

    /* Strings that look like SQL arrive as they are. */
    static const char *const evil[] = {"'); DROP TABLE everything; --",
                                       "\\'; SELECT pg_sleep(10); --", "$1, $2", "\"t\"",
                                       "E'\\\\x00'"};
    for (size_t i = 0; i < N(evil); i++) {
        make_row(&in, 0, a);
        in.t = (char *)evil[i];
        char *arr[] = {(char *)evil[i], (char *)evil[i]};
        in.a_t = arr;
        in.a_t_count = 2;
        cr_assert_eq(schemac_row_insert(conn, &everything_table, &in, &ret, a), 0, "%s",
                     schemac_arena_error(a));
        cr_expect_str_eq(ret.t, evil[i]);
        cr_expect_str_eq(ret.a_t[1], evil[i]);
    }
    PGresult *res = query(conn, "SELECT count(*) FROM everything");
    cr_expect_eq(atoi(PQgetvalue(res, 0, 0)), 1 + (int)N(evil));
    PQclear(res);

    /* A lost connection. */
    PQfinish(conn);
    conn = PQconnectdb("host=/nonexistent port=1");
    make_row(&in, 0, a);
    cr_expect_eq(schemac_row_insert(conn, &everything_table, &in, NULL, a), -1);
    cr_expect(contains(schemac_arena_error(a), "public.everything: insert failed"), "%s",
              schemac_arena_error(a));
    schemac_arena_free(a);
    PQfinish(conn);
}

Test(row, arena)
{
    schemac_arena *a = schemac_arena_new();
    cr_assert_not_null(a);
    for (size_t i = 0; i < 10000; i++) {
        unsigned char *p = schemac_arena_alloc(a, i % 300);
        cr_assert_not_null(p);
        cr_assert_eq((uintptr_t)p % 16, 0);
        for (size_t k = 0; k < i % 300; k++)
            cr_assert_eq(p[k], 0);
        memset(p, 0xab, i % 300);
    }
    unsigned char *big = schemac_arena_alloc(a, 5 << 20);
    cr_assert_not_null(big);
    big[(5 << 20) - 1] = 1;
    schemac_arena_reset(a);
    unsigned char *p = schemac_arena_alloc(a, 100);
    cr_assert_not_null(p);
    cr_expect_eq(p[99], 0, "zeroed after reset");
    schemac_arena_free(a);
    schemac_arena_free(NULL);
    cr_expect_str_eq(schemac_arena_error(NULL), "");
}

PGSHARED_MAIN

/* Reading the inserted row back needs DateStyle ISO and IntervalStyle
 * postgres: in another session style nothing is inserted (-1), so that a
 * caller never inserts a row twice; without `returned` the insert goes
 * through. */
Test(row, insert_returning_needs_readable_styles)
{
    PGconn *conn = make_db("r_styles");
    schemac_arena *a = schemac_arena_new();
    struct everything in, ret;
    static const char *const sets[] = {"SET DateStyle = 'SQL, DMY'", "SET IntervalStyle = iso_8601"};
    static const char *const names[] = {"DateStyle", "IntervalStyle"};
    for (int i = 0; i < 2; i++) {
        exec_ok(conn, sets[i]);
        PGresult *r = query(conn, "SELECT count(*) FROM everything");
        long before = strtol(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        make_row(&in, 0, a);
        cr_expect_eq(schemac_row_insert(conn, &everything_table, &in, &ret, a), -1);
        const char *e = schemac_arena_error(a);
        cr_expect(contains(e, "nothing inserted") && contains(e, names[i]), "%s", e);
        r = query(conn, "SELECT count(*) FROM everything");
        cr_expect_eq(strtol(PQgetvalue(r, 0, 0), NULL, 10), before, "no row was inserted");
        PQclear(r);
        make_row(&in, 0, a);
        cr_expect_eq(schemac_row_insert(conn, &everything_table, &in, NULL, a), 0, "%s",
                     schemac_arena_error(a));
        exec_ok(conn, "RESET DateStyle");
        exec_ok(conn, "RESET IntervalStyle");
    }
    schemac_arena_free(a);
    PQfinish(conn);
}
