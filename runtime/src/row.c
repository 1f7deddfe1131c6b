/*
 * The row codec (see schemac/row.h): rows of generated structs to and from
 * PostgreSQL's text format.
 *
 * How it works.  A table descriptor lists, per column, the SQL name, the C
 * kind and where the member lies in the struct.  Decoding walks the
 * descriptor: each column is looked up in the result by exact name (its
 * own position first, which is where `SELECT *` puts it, then a scan), its
 * type OID is checked against the descriptor's when that is built in, and
 * the text is parsed by a hand-written parser for the kind into the member.
 * Inserting walks the descriptor the other way: each insertable member is
 * printed as text into one buffer, and the buffer's strings are sent as
 * the parameters of the descriptor's INSERT through PQexecParams, never as
 * SQL text.
 *
 * Text forms.  Each parser accepts exactly what PostgreSQL prints with the
 * default output settings (DateStyle ISO, IntervalStyle postgres,
 * bytea_output hex or escape; floats are exact with extra_float_digits 1,
 * the default, and rounded, undetectably, below it) and rejects
 * anything else with a reason; a date in another DateStyle or an interval
 * in another IntervalStyle is named as such, so the message says which
 * SET fixes it.  The printers write forms the server reads back to the
 * same value whatever the session's settings: floats with enough digits to
 * round-trip, timestamptz with an explicit +00 offset, intervals as
 * "M mons D days U microseconds" (the one spelling that reaches every
 * value, INT64_MIN microseconds included).
 *
 * Dates count days since 1970-01-01 in the proleptic Gregorian calendar
 * with astronomical years (1 BC is year 0), as PostgreSQL does; timestamps
 * count microseconds since 1970-01-01 00:00 (UTC for timestamptz).
 * PostgreSQL's own epoch is 2000-01-01, so its last ~30 years of
 * timestamps (after 294247-01-10 04:00:54.775806) do not fit an int64
 * counted from 1970: decoding one is an error that says so.  INT64_MAX and
 * INT64_MIN (INT32_MAX and INT32_MIN for dates) stand for 'infinity' and
 * '-infinity' and are never the value of a finite time.
 *
 * Arrays: `{...}` with an optional `[lo:hi]=` prefix, any number of
 * dimensions flattened in row-major order, elements quoted or not.  A
 * NULL element has no C form yet and is an error.  Arrays are sent
 * one-dimensional.
 *
 * Memory.  Strings, arrays and bytea of decoded rows come from the
 * caller's arena, which allocates by bumping a pointer in large blocks
 * (one malloc per allocation under SC_ARENA_MALLOC, the sanitizer build,
 * so that AddressSanitizer sees each).  Nothing else is allocated while
 * decoding: no per-value malloc, no sscanf, no locale lookups except
 * strtod_l/strtof_l with a "C" locale made once.  Inserting allocates one
 * growing buffer for the parameters and frees it before returning.
 *
 * Hostile input never crashes: parsers are bounded by the value's length,
 * every multiplication is checked before it is made, and array nesting is
 * limited to PostgreSQL's 6 dimensions.
 */
#define _GNU_SOURCE /* strtod_l, strtof_l */

#include "schemac/row.h"
#include "util.h"

#include <libpq-fe.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* Arenas                                                             */
/* ------------------------------------------------------------------ */

#define ALIGN 16
#define FIRST_BLOCK 8192
#define MAX_BLOCK ((size_t)1 << 20)

typedef struct ablock {
    struct ablock *next;
    size_t size;
    size_t used;
    _Alignas(ALIGN) unsigned char data[];
} ablock;

struct schemac_arena {
    ablock *head;      /* the block allocations come from, then older ones */
    size_t next_size;  /* of the next block */
    char *err;         /* malloc'd; NULL or the last error */
    size_t errcap;
};

schemac_arena *schemac_arena_new(void)
{
    schemac_arena *a = calloc(1, sizeof *a);
    if (a != NULL)
        a->next_size = FIRST_BLOCK;
    return a;
}

/* `size` uninitialised bytes aligned to `align` (a power of two, at most
 * ALIGN); NULL when memory is exhausted. */
static void *arena_raw(schemac_arena *a, size_t size, size_t align)
{
#ifdef SC_ARENA_MALLOC
    (void)align;
    if (size > SIZE_MAX - sizeof(ablock) - 1)
        return NULL;
    ablock *b = malloc(sizeof *b + (size == 0 ? 1 : size));
    if (b == NULL)
        return NULL;
    b->size = b->used = size;
    b->next = a->head;
    a->head = b;
    return b->data;
#else
    ablock *b = a->head;
    if (b != NULL) {
        size_t off = (b->used + align - 1) & ~(align - 1);
        if (off <= b->size && b->size - off >= size) {
            b->used = off + size;
            return b->data + off;
        }
    }
    size_t bsize = a->next_size;
    if (bsize < MAX_BLOCK)
        a->next_size *= 2;
    if (bsize < size)
        bsize = size;
    if (bsize > SIZE_MAX - sizeof(ablock))
        return NULL;
    ablock *nb = malloc(sizeof *nb + bsize);
    if (nb == NULL)
        return NULL;
    nb->size = bsize;
    nb->used = size;
    /* A one-off block for a large request goes behind a head block that
     * still has room. */
    if (b != NULL && bsize == size && b->size - b->used > 256) {
        nb->next = b->next;
        b->next = nb;
    } else {
        nb->next = b;
        a->head = nb;
    }
    return nb->data;
#endif
}

void *schemac_arena_alloc(schemac_arena *a, size_t size)
{
    if (a == NULL)
        return NULL;
    void *p = arena_raw(a, size, ALIGN);
    if (p != NULL && size > 0)
        memset(p, 0, size);
    return p;
}

void schemac_arena_reset(schemac_arena *a)
{
    if (a == NULL)
        return;
    /* Keep the largest block (none under SC_ARENA_MALLOC). */
    ablock *keep = NULL;
#ifndef SC_ARENA_MALLOC
    for (ablock *b = a->head; b != NULL; b = b->next)
        if (keep == NULL || b->size > keep->size)
            keep = b;
#endif
    ablock *b = a->head;
    while (b != NULL) {
        ablock *next = b->next;
        if (b != keep)
            free(b);
        b = next;
    }
    if (keep != NULL) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
    if (a->err != NULL)
        a->err[0] = '\0';
}

void schemac_arena_free(schemac_arena *a)
{
    if (a == NULL)
        return;
    ablock *b = a->head;
    while (b != NULL) {
        ablock *next = b->next;
        free(b);
        b = next;
    }
    free(a->err);
    free(a);
}

const char *schemac_arena_error(const schemac_arena *a)
{
    return a == NULL || a->err == NULL ? "" : a->err;
}

/* Sets the arena's error to one line made from `fmt`; returns -1. */
__attribute__((format(printf, 2, 3))) static int fail(schemac_arena *a, const char *fmt, ...)
{
    if (a == NULL)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n + 1 > a->errcap) {
        char *e = realloc(a->err, (size_t)n + 1);
        if (e == NULL) {
            /* Keep what fits in the old buffer. */
            if (a->err == NULL)
                return -1;
            n = (int)a->errcap - 1;
        } else {
            a->err = e;
            a->errcap = (size_t)n + 1;
        }
    }
    va_start(ap, fmt);
    vsnprintf(a->err, (size_t)n + 1, fmt, ap);
    va_end(ap);
    for (char *p = a->err; *p != '\0'; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    return -1;
}

/* ------------------------------------------------------------------ */
/* Messages                                                           */
/* ------------------------------------------------------------------ */

#define QUOTE_MAX 60

/* Writes `"s"` into `out` (at least QUOTE_MAX * 4 + 8 bytes): at most
 * QUOTE_MAX bytes of `s`, cut on a UTF-8 boundary and followed by "..."
 * when longer, control bytes as \n, \t, \r or \xHH. */
static const char *quote_value(char *out, const char *s, size_t len)
{
    size_t n = len;
    bool cut = false;
    if (n > QUOTE_MAX) {
        n = QUOTE_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        cut = true;
    }
    char *o = out;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') {
            *o++ = '\\';
            *o++ = 'n';
        } else if (c == '\t') {
            *o++ = '\\';
            *o++ = 't';
        } else if (c == '\r') {
            *o++ = '\\';
            *o++ = 'r';
        } else if (c < 0x20 || c == 0x7f) {
            o += sprintf(o, "\\x%02x", c);
        } else {
            *o++ = (char)c;
        }
    }
    if (cut) {
        memcpy(o, "...", 3);
        o += 3;
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

#define QUOTE_BUF (QUOTE_MAX * 4 + 8)

/* ------------------------------------------------------------------ */
/* Parsers: each takes `len` bytes (not NUL-terminated) and returns   */
/* NULL, or why the text is no value of its kind ("" for no detail).  */
/* ------------------------------------------------------------------ */

#define USECS_PER_SEC INT64_C(1000000)
#define USECS_PER_MIN (60 * USECS_PER_SEC)
#define USECS_PER_HOUR (60 * USECS_PER_MIN)
#define USECS_PER_DAY (24 * USECS_PER_HOUR)

static const char R_SYNTAX[] = "";
static const char R_RANGE[] = "out of range";
static const char R_DATESTYLE[] = "not in DateStyle ISO; SET DateStyle = ISO";
static const char R_FLOAT_RANGE[] =
    "out of range; with extra_float_digits below 1 PostgreSQL rounds floats, SET "
    "extra_float_digits = 1";
static const char R_INTERVALSTYLE[] =
    "not in IntervalStyle postgres; SET IntervalStyle = postgres";

static inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A decimal integer, optionally signed, in [min, max]. */
static const char *parse_int(const char *s, size_t len, int64_t min, int64_t max, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '-' || s[i] == '+')) {
        neg = s[i] == '-';
        i++;
    }
    if (i == len)
        return R_SYNTAX;
    uint64_t v = 0;
    for (; i < len; i++) {
        if (!is_digit(s[i]))
            return R_SYNTAX;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > UINT64_MAX / 10 || (v == UINT64_MAX / 10 && d > UINT64_MAX % 10))
            return R_RANGE;
        v = v * 10 + d;
    }
    int64_t r;
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1)
            return R_RANGE;
        r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX)
            return R_RANGE;
        r = (int64_t)v;
    }
    if (r < min || r > max)
        return R_RANGE;
    *out = r;
    return NULL;
}

/* Exactly `n` digits at s[*i], advancing *i. */
static bool digits_n(const char *s, size_t len, size_t *i, int n, int *out)
{
    if (len - *i < (size_t)n)
        return false;
    int v = 0;
    for (int k = 0; k < n; k++) {
        char c = s[*i + (size_t)k];
        if (!is_digit(c))
            return false;
        v = v * 10 + (c - '0');
    }
    *i += (size_t)n;
    *out = v;
    return true;
}

/* Whether the `len` bytes at `s` are the string `w`.  Inline byte loops
 * here and in find_field: names and literals are short, and libc's
 * strcmp costs more in calls than in comparing. */
static inline bool lit(const char *s, size_t len, const char *w)
{
    size_t i = 0;
    for (; i < len; i++)
        if (w[i] != s[i]) /* stops at w's NUL too */
            return false;
    return w[i] == '\0';
}

static inline bool streq(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* The "C" locale for strtod_l and the float printers, made once. */
static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static locale_t get_c_locale(void)
{
    pthread_once(&c_locale_once, c_locale_init);
    return c_locale;
}

/* float8 or float4 text: NaN, Infinity, -Infinity or a decimal number. */
static const char *parse_float(const char *s, size_t len, bool single, double *out)
{
    if (len > 0 && (s[0] == 'N' || s[0] == 'I' || (s[0] == '-' && len > 1 && s[1] == 'I'))) {
        if (lit(s, len, "NaN"))
            *out = NAN;
        else if (lit(s, len, "Infinity"))
            *out = INFINITY;
        else if (lit(s, len, "-Infinity"))
            *out = -INFINITY;
        else
            return R_SYNTAX;
        return NULL;
    }
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return R_SYNTAX;
    /* Digits, signs, '.', and an exponent only: no hex, no "nan(...)", no
     * spaces, which strtod would take. */
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!is_digit(c) && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E')
            return R_SYNTAX;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    locale_t loc = get_c_locale();
    if (loc == (locale_t)0)
        return "no C locale";
    char *end;
    if (single) {
        float f = strtof_l(buf, &end, loc);
        if (end != buf + len)
            return R_SYNTAX;
        if (isinf(f))
            return R_FLOAT_RANGE;
        *out = f;
    } else {
        double d = strtod_l(buf, &end, loc);
        if (end != buf + len)
            return R_SYNTAX;
        if (isinf(d))
            return R_FLOAT_RANGE;
        *out = d;
    }
    return NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static const char *parse_uuid(const char *s, size_t len, struct schemac_uuid *out)
{
    if (len != 36)
        return R_SYNTAX;
    size_t k = 0;
    for (size_t i = 0; i < 36;) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return R_SYNTAX;
            i++;
            continue;
        }
        int hi = hexval(s[i]), lo = hexval(s[i + 1]);
        if (hi < 0 || lo < 0)
            return R_SYNTAX;
        out->bytes[k++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    return NULL;
}

/* bytea in hex (\x...) or escape format, into the arena. */
static const char *parse_bytea(const char *s, size_t len, schemac_arena *a,
                               struct schemac_bytes *out)
{
    if (len >= 2 && s[0] == '\\' && s[1] == 'x') {
        if ((len - 2) % 2 != 0)
            return "odd number of hex digits";
        size_t n = (len - 2) / 2;
        uint8_t *d = arena_raw(a, n, 1);
        if (d == NULL)
            return "out of memory";
        for (size_t i = 0; i < n; i++) {
            int hi = hexval(s[2 + 2 * i]), lo = hexval(s[3 + 2 * i]);
            if (hi < 0 || lo < 0)
                return "not a hex digit";
            d[i] = (uint8_t)(hi << 4 | lo);
        }
        out->data = d;
        out->len = n;
        return NULL;
    }
    uint8_t *d = arena_raw(a, len, 1);
    if (d == NULL)
        return "out of memory";
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] != '\\') {
            d[n++] = (uint8_t)s[i++];
        } else if (i + 1 < len && s[i + 1] == '\\') {
            d[n++] = '\\';
            i += 2;
        } else if (i + 3 < len && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
                   s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
            d[n++] = (uint8_t)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
            i += 4;
        } else {
            return "bad escape";
        }
    }
    out->data = d;
    out->len = n;
    return NULL;
}

static bool leap(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/* ISO "Y{4,9}-MM-DD" at s[*i]; the year as printed (BC not applied yet).
 * A text that does not start with four digits and '-' is another DateStyle. */
static const char *parse_ymd(const char *s, size_t len, size_t *i, int64_t *y, int *m, int *d)
{
    size_t k = *i;
    int64_t year = 0;
    int nd = 0;
    while (k < len && is_digit(s[k]) && nd < 10) {
        year = year * 10 + (s[k] - '0');
        k++;
        nd++;
    }
    if (nd < 4 || k >= len || s[k] != '-')
        return R_DATESTYLE;
    if (nd > 9)
        return R_RANGE;
    k++;
    if (!digits_n(s, len, &k, 2, m) || k >= len || s[k] != '-')
        return R_SYNTAX;
    k++;
    if (!digits_n(s, len, &k, 2, d))
        return R_SYNTAX;
    *y = year;
    *i = k;
    return NULL;
}

/* The day number of a printed year, month and day, BC or not. */
static const char *ymd_days(int64_t year, int m, int d, bool bc, int64_t *days)
{
    if (bc) {
        if (year == 0)
            return R_SYNTAX;
        year = 1 - year;
    }
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap(year)))
        return "no such day";
    *days = sc_days_from_civil(year, m, d);
    return NULL;
}

static bool ends_bc(const char *s, size_t len, size_t i)
{
    return len - i == 3 && memcmp(s + i, " BC", 3) == 0;
}

static const char *parse_date(const char *s, size_t len, int32_t *out)
{
    if (len > 0 && (s[0] == 'i' || s[0] == '-')) {
        if (lit(s, len, "infinity"))
            *out = SCHEMAC_DATE_INFINITY;
        else if (lit(s, len, "-infinity"))
            *out = SCHEMAC_DATE_NEG_INFINITY;
        else
            return R_SYNTAX;
        return NULL;
    }
    size_t i = 0;
    int64_t y;
    int m, d;
    const char *why = parse_ymd(s, len, &i, &y, &m, &d);
    if (why != NULL)
        return why;
    bool bc = ends_bc(s, len, i);
    if (!bc && i != len)
        return R_SYNTAX;
    int64_t days;
    if ((why = ymd_days(y, m, d, bc, &days)) != NULL)
        return why;
    if (days <= INT32_MIN || days >= INT32_MAX)
        return R_RANGE;
    *out = (int32_t)days;
    return NULL;
}

/* "HH:MM:SS[.f{1,6}]" at s[*i] into microseconds; hours up to `maxh`
 * digits, 24:00:00 the largest time of day when `maxh` is 2. */
static const char *parse_hms(const char *s, size_t len, size_t *i, int maxh, uint64_t *out)
{
    size_t k = *i;
    uint64_t h = 0;
    int nd = 0;
    while (k < len && is_digit(s[k])) {
        if (++nd > maxh)
            return maxh == 2 ? R_SYNTAX : R_RANGE;
        h = h * 10 + (uint64_t)(s[k] - '0');
        k++;
    }
    if (h > ((uint64_t)UINT64_MAX - (uint64_t)USECS_PER_HOUR) / (uint64_t)USECS_PER_HOUR)
        return R_RANGE;
    int mi, se;
    if (nd < 1 || k >= len || s[k] != ':')
        return R_SYNTAX;
    k++;
    if (!digits_n(s, len, &k, 2, &mi) || k >= len || s[k] != ':')
        return R_SYNTAX;
    k++;
    if (!digits_n(s, len, &k, 2, &se))
        return R_SYNTAX;
    if (mi > 59 || se > 59)
        return R_RANGE;
    uint64_t frac = 0;
    if (k < len && s[k] == '.') {
        k++;
        int nf = 0;
        while (k < len && is_digit(s[k])) {
            if (++nf > 6)
                return R_SYNTAX;
            frac = frac * 10 + (uint64_t)(s[k] - '0');
            k++;
        }
        if (nf == 0)
            return R_SYNTAX;
        while (nf++ < 6)
            frac *= 10;
    }
    /* h < 2^64 / USECS_PER_HOUR - 1 keeps this below 2^64. */
    uint64_t us = h * (uint64_t)USECS_PER_HOUR + (uint64_t)mi * (uint64_t)USECS_PER_MIN +
                  (uint64_t)se * (uint64_t)USECS_PER_SEC + frac;
    if (maxh == 2 && us > (uint64_t)USECS_PER_DAY)
        return R_RANGE;
    *i = k;
    *out = us;
    return NULL;
}

static const char *parse_time(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    uint64_t us;
    const char *why = parse_hms(s, len, &i, 2, &us);
    if (why != NULL)
        return why;
    if (i != len)
        return R_SYNTAX;
    *out = (int64_t)us;
    return NULL;
}

/* INT64_MAX microseconds from 1970 is 294247-01-10 04:00:54.775807 UTC,
 * and stands for infinity. */
static const char R_TS_RANGE[] = "after 294247-01-10 04:00:54.775806 UTC or before 4714 BC, "
                                 "beyond the member's int64 microseconds since 1970";

/* timestamp, or timestamptz when `tz`: ISO date, time, offset (tz only),
 * " BC". */
static const char *parse_timestamp(const char *s, size_t len, bool tz, int64_t *out)
{
    if (len > 0 && (s[0] == 'i' || s[0] == '-')) {
        if (lit(s, len, "infinity"))
            *out = SCHEMAC_TIMESTAMP_INFINITY;
        else if (lit(s, len, "-infinity"))
            *out = SCHEMAC_TIMESTAMP_NEG_INFINITY;
        else
            return R_SYNTAX;
        return NULL;
    }
    size_t i = 0;
    int64_t y;
    int m, d;
    const char *why = parse_ymd(s, len, &i, &y, &m, &d);
    if (why != NULL)
        return why;
    if (i >= len || s[i] != ' ')
        return R_DATESTYLE;
    i++;
    uint64_t tod;
    if ((why = parse_hms(s, len, &i, 2, &tod)) != NULL)
        return why;
    int64_t off = 0; /* seconds east of UTC */
    if (tz) {
        if (i >= len || (s[i] != '+' && s[i] != '-'))
            return R_SYNTAX;
        bool neg = s[i] == '-';
        i++;
        int oh, om = 0, os = 0;
        if (!digits_n(s, len, &i, 2, &oh))
            return R_SYNTAX;
        if (i < len && s[i] == ':') {
            i++;
            if (!digits_n(s, len, &i, 2, &om))
                return R_SYNTAX;
            if (i < len && s[i] == ':') {
                i++;
                if (!digits_n(s, len, &i, 2, &os))
                    return R_SYNTAX;
            }
        }
        if (om > 59 || os > 59)
            return R_RANGE;
        off = (int64_t)oh * 3600 + om * 60 + os;
        if (neg)
            off = -off;
    }
    bool bc = ends_bc(s, len, i);
    if (!bc && i != len)
        return R_SYNTAX;
    int64_t days;
    if ((why = ymd_days(y, m, d, bc, &days)) != NULL)
        return why;
    /* |days| < 4 * 10^11 here; check the product against int64. */
    if (days > INT64_MAX / USECS_PER_DAY || days < INT64_MIN / USECS_PER_DAY)
        return R_TS_RANGE;
    int64_t us = days * USECS_PER_DAY; /* division truncates: no overflow */
    int64_t rest = (int64_t)tod - off * USECS_PER_SEC; /* |rest| < 6 days */
    if ((rest > 0 && us > INT64_MAX - 1 - rest) || (rest < 0 && us < INT64_MIN + 1 - rest))
        return R_TS_RANGE;
    *out = us + rest;
    return NULL;
}

/* A space-free token at s[*i]; its length. */
static size_t token(const char *s, size_t len, size_t i)
{
    size_t k = i;
    while (k < len && s[k] != ' ')
        k++;
    return k - i;
}

/* IntervalStyle postgres: "[N year[s]] [N mon[s]] [N day[s]] [[+-]H:MM:SS[.f]]",
 * at least one part, "00:00:00" for zero. */
static const char *parse_interval(const char *s, size_t len, struct schemac_interval *out)
{
    int64_t years = 0, mons = 0, days = 0, us = 0;
    int seen = 0; /* 1 year, 2 mon, 4 day, 8 time */
    size_t i = 0;
    if (len == 0)
        return R_INTERVALSTYLE;
    while (i < len) {
        if (seen != 0) {
            if (s[i] != ' ' || i + 1 >= len)
                return R_INTERVALSTYLE;
            i++;
        }
        size_t n = token(s, len, i);
        if (memchr(s + i, ':', n) != NULL) {
            if (seen & 8)
                return R_INTERVALSTYLE;
            bool neg = false;
            size_t k = i;
            if (s[k] == '-' || s[k] == '+') {
                neg = s[k] == '-';
                k++;
            }
            uint64_t mag;
            const char *why = parse_hms(s, i + n, &k, 10, &mag);
            if (why == R_RANGE)
                return R_RANGE;
            if (why != NULL || k != i + n)
                return R_INTERVALSTYLE;
            if (neg ? mag > (uint64_t)INT64_MAX + 1 : mag > (uint64_t)INT64_MAX)
                return R_RANGE;
            us = !neg ? (int64_t)mag : mag == 0 ? 0 : -(int64_t)(mag - 1) - 1;
            seen |= 8;
            i += n;
            continue;
        }
        if (seen & 8)
            return R_INTERVALSTYLE;
        int64_t v;
        const char *why = parse_int(s + i, n, -(INT64_C(1) << 40), INT64_C(1) << 40, &v);
        if (why == R_RANGE)
            return R_RANGE;
        if (why != NULL)
            return R_INTERVALSTYLE;
        i += n;
        if (i >= len || s[i] != ' ')
            return R_INTERVALSTYLE;
        i++;
        size_t u = token(s, len, i);
        const char *unit = s + i;
        int bit;
        if (lit(unit, u, "year") || lit(unit, u, "years"))
            bit = 1, years = v;
        else if (lit(unit, u, "mon") || lit(unit, u, "mons"))
            bit = 2, mons = v;
        else if (lit(unit, u, "day") || lit(unit, u, "days"))
            bit = 4, days = v;
        else
            return R_INTERVALSTYLE;
        if (seen >= bit)
            return R_INTERVALSTYLE; /* repeated or out of order */
        seen |= bit;
        i += u;
    }
    int64_t months = years * 12 + mons; /* |years|, |mons| <= 2^40 */
    if (months < INT32_MIN || months > INT32_MAX || days < INT32_MIN || days > INT32_MAX)
        return R_RANGE;
    out->months = (int32_t)months;
    out->days = (int32_t)days;
    out->micros = us;
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Decoding                                                           */
/* ------------------------------------------------------------------ */

/* Kinds' C sizes (0: the descriptor's size, for enums). */
static size_t kind_size(unsigned kind)
{
    switch (kind) {
    case SCHEMAC_KIND_INT16: return sizeof(int16_t);
    case SCHEMAC_KIND_INT32: return sizeof(int32_t);
    case SCHEMAC_KIND_INT64: return sizeof(int64_t);
    case SCHEMAC_KIND_BOOL: return sizeof(bool);
    case SCHEMAC_KIND_FLOAT: return sizeof(float);
    case SCHEMAC_KIND_DOUBLE: return sizeof(double);
    case SCHEMAC_KIND_TEXT: return sizeof(char *);
    case SCHEMAC_KIND_UUID: return sizeof(struct schemac_uuid);
    case SCHEMAC_KIND_BYTES: return sizeof(struct schemac_bytes);
    case SCHEMAC_KIND_DATE: return sizeof(int32_t);
    case SCHEMAC_KIND_TIMESTAMP:
    case SCHEMAC_KIND_TIMESTAMPTZ:
    case SCHEMAC_KIND_TIME: return sizeof(int64_t);
    case SCHEMAC_KIND_INTERVAL: return sizeof(struct schemac_interval);
    default: return 0;
    }
}

/* Parses one value of `c`'s kind from `len` bytes at `s` into `dst`.
 * `s[len]` need not be NUL.  Returns NULL or the reason. */
static const char *decode_value(const struct schemac_column *c, const char *s, size_t len,
                                void *dst, schemac_arena *a)
{
    const char *why;
    int64_t v;
    switch (c->kind) {
    case SCHEMAC_KIND_INT16:
        if ((why = parse_int(s, len, INT16_MIN, INT16_MAX, &v)) != NULL)
            return why;
        *(int16_t *)dst = (int16_t)v;
        return NULL;
    case SCHEMAC_KIND_INT32:
        if ((why = parse_int(s, len, INT32_MIN, INT32_MAX, &v)) != NULL)
            return why;
        *(int32_t *)dst = (int32_t)v;
        return NULL;
    case SCHEMAC_KIND_INT64:
        if ((why = parse_int(s, len, INT64_MIN, INT64_MAX, &v)) != NULL)
            return why;
        *(int64_t *)dst = v;
        return NULL;
    case SCHEMAC_KIND_BOOL:
        if (lit(s, len, "t"))
            *(bool *)dst = true;
        else if (lit(s, len, "f"))
            *(bool *)dst = false;
        else
            return R_SYNTAX;
        return NULL;
    case SCHEMAC_KIND_FLOAT:
    case SCHEMAC_KIND_DOUBLE: {
        double d;
        bool single = c->kind == SCHEMAC_KIND_FLOAT;
        if ((why = parse_float(s, len, single, &d)) != NULL)
            return why;
        if (single)
            *(float *)dst = (float)d;
        else
            *(double *)dst = d;
        return NULL;
    }
    case SCHEMAC_KIND_TEXT: {
        char *p = arena_raw(a, len + 1, 1);
        if (p == NULL)
            return "out of memory";
        memcpy(p, s, len);
        p[len] = '\0';
        *(char **)dst = p;
        return NULL;
    }
    case SCHEMAC_KIND_UUID: return parse_uuid(s, len, dst);
    case SCHEMAC_KIND_BYTES: return parse_bytea(s, len, a, dst);
    case SCHEMAC_KIND_DATE: return parse_date(s, len, dst);
    case SCHEMAC_KIND_TIMESTAMP: return parse_timestamp(s, len, false, dst);
    case SCHEMAC_KIND_TIMESTAMPTZ: return parse_timestamp(s, len, true, dst);
    case SCHEMAC_KIND_TIME: return parse_time(s, len, dst);
    case SCHEMAC_KIND_INTERVAL: return parse_interval(s, len, dst);
    case SCHEMAC_KIND_ENUM: {
        size_t k = 0;
        while (k < c->nlabels && !lit(s, len, c->labels[k]))
            k++;
        if (k == c->nlabels)
            return "no such label";
        switch (c->size) {
        case 1: {
            uint8_t x = (uint8_t)k;
            memcpy(dst, &x, 1);
            return NULL;
        }
        case 2: {
            uint16_t x = (uint16_t)k;
            memcpy(dst, &x, 2);
            return NULL;
        }
        case 4: {
            uint32_t x = (uint32_t)k;
            memcpy(dst, &x, 4);
            return NULL;
        }
        case 8: {
            uint64_t x = (uint64_t)k;
            memcpy(dst, &x, 8);
            return NULL;
        }
        default: return "the descriptor's enum size is not 1, 2, 4 or 8";
        }
    }
    default: return "the descriptor's kind is unknown";
    }
}

/* ---- arrays ---- */

#define MAX_DIMS 6

/* One walk over an array's text.  With `out` NULL it only counts the
 * elements; otherwise it decodes element k into out + k * esize. */
typedef struct arr_walk {
    const struct schemac_column *c;
    schemac_arena *a;
    unsigned char *out;
    size_t esize;
    size_t n;           /* elements so far */
    const char *why;    /* of the failing element */
    const char *bad;    /* its text, for the message */
    size_t badlen;
} arr_walk;

static inline bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The unescaped copy of `len` bytes at `s` (backslash quotes the next
 * byte) in the arena, NUL-terminated; its length in *n. */
static char *unescape(schemac_arena *a, const char *s, size_t len, size_t *n)
{
    char *p = arena_raw(a, len + 1, 1);
    if (p == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len)
            i++;
        p[k++] = s[i];
    }
    p[k] = '\0';
    *n = k;
    return p;
}

/* One element: `len` bytes at `s`, with backslash escapes when `esc`. */
static bool arr_element(arr_walk *w, const char *s, size_t len, bool quoted, bool esc)
{
    if (!quoted && !esc && len == 4 && strncasecmp(s, "NULL", 4) == 0) {
        w->why = "a NULL element, which the member cannot hold";
        w->bad = s;
        w->badlen = len;
        return false;
    }
    if (w->out == NULL) {
        w->n++;
        return true;
    }
    const char *v = s;
    size_t vlen = len;
    if (esc) {
        v = unescape(w->a, s, len, &vlen);
        if (v == NULL) {
            w->why = "out of memory";
            w->bad = s, w->badlen = len;
            return false;
        }
        if (w->c->kind == SCHEMAC_KIND_TEXT) { /* already a copy */
            memcpy(w->out + w->n * w->esize, &v, sizeof v);
            w->n++;
            return true;
        }
    }
    const char *why = decode_value(w->c, v, vlen, w->out + w->n * w->esize, w->a);
    if (why != NULL) {
        w->why = why;
        w->bad = v, w->badlen = vlen;
        return false;
    }
    w->n++;
    return true;
}

/* One `{...}` level at s[*i] (which is '{'). */
static const char *arr_level(arr_walk *w, const char *s, size_t len, size_t *i, int depth)
{
    if (depth > MAX_DIMS)
        return "more than 6 dimensions";
    size_t k = *i + 1;
    while (k < len && is_space(s[k]))
        k++;
    if (k < len && s[k] == '}') {
        *i = k + 1;
        return NULL;
    }
    for (;;) {
        while (k < len && is_space(s[k]))
            k++;
        if (k >= len)
            return R_SYNTAX;
        if (s[k] == '{') {
            const char *why = arr_level(w, s, len, &k, depth + 1);
            if (why != NULL)
                return why;
        } else if (s[k] == '"') {
            size_t start = ++k;
            bool esc = false;
            while (k < len && s[k] != '"') {
                if (s[k] == '\\') {
                    esc = true;
                    k++;
                }
                k++;
            }
            if (k >= len)
                return R_SYNTAX;
            if (!arr_element(w, s + start, k - start, true, esc))
                return w->why;
            k++;
        } else {
            size_t start = k;
            bool esc = false;
            while (k < len && s[k] != ',' && s[k] != '}') {
                if (s[k] == '{' || s[k] == '"')
                    return R_SYNTAX;
                if (s[k] == '\\') {
                    esc = true;
                    k++;
                }
                k++;
            }
            if (k > len)
                return R_SYNTAX;
            size_t end = k;
            while (end > start && is_space(s[end - 1]))
                end--;
            if (end == start)
                return R_SYNTAX;
            if (!arr_element(w, s + start, end - start, false, esc))
                return w->why;
        }
        while (k < len && is_space(s[k]))
            k++;
        if (k >= len)
            return R_SYNTAX;
        if (s[k] == ',') {
            k++;
            continue;
        }
        if (s[k] == '}') {
            *i = k + 1;
            return NULL;
        }
        return R_SYNTAX;
    }
}

/* A whole array text: optional "[lo:hi]...=" then one level. */
static const char *arr_text(arr_walk *w, const char *s, size_t len)
{
    size_t i = 0;
    if (len > 0 && s[0] == '[') {
        while (i < len && s[i] != '=') {
            char ch = s[i];
            if (!is_digit(ch) && ch != '[' && ch != ']' && ch != ':' && ch != '-' && ch != '+')
                return R_SYNTAX;
            i++;
        }
        if (i >= len)
            return R_SYNTAX;
        i++;
    }
    if (i >= len || s[i] != '{')
        return R_SYNTAX;
    const char *why = arr_level(w, s, len, &i, 1);
    if (why != NULL)
        return why;
    while (i < len && is_space(s[i]))
        i++;
    return i == len ? NULL : R_SYNTAX;
}

/* The element type's name: column.type without its trailing "[]"s. */
static int elem_type_len(const char *type)
{
    size_t n = strlen(type);
    while (n >= 2 && type[n - 2] == '[' && type[n - 1] == ']')
        n -= 2;
    return (int)n;
}

static int fail_value(schemac_arena *a, const struct schemac_table *t,
                      const struct schemac_column *c, const char *s, size_t len,
                      const char *why)
{
    char q[QUOTE_BUF];
    quote_value(q, s, len);
    if (why[0] == '\0')
        return fail(a, "%s.%s: %s is not a valid %s", t->name, c->name, q, c->type);
    return fail(a, "%s.%s: %s is not a valid %s (%s)", t->name, c->name, q, c->type, why);
}

static int decode_array(const struct schemac_table *t, const struct schemac_column *c,
                        const char *s, size_t len, unsigned char *base, schemac_arena *a)
{
    size_t esize = c->kind == SCHEMAC_KIND_ENUM ? c->size : kind_size(c->kind);
    arr_walk w = {.c = c, .a = a, .esize = esize};
    const char *why = arr_text(&w, s, len);
    if (why == NULL && w.n > 0) {
        if (w.n > SIZE_MAX / esize)
            why = "out of memory";
        else if ((w.out = arena_raw(a, w.n * esize, ALIGN)) == NULL)
            why = "out of memory";
        else {
            memset(w.out, 0, w.n * esize);
            w.n = 0;
            why = arr_text(&w, s, len);
        }
    }
    if (why != NULL) {
        if (w.bad == NULL)
            return fail_value(a, t, c, s, len, why[0] == '\0' ? "bad array syntax" : why);
        char q[QUOTE_BUF];
        quote_value(q, w.bad, w.badlen);
        int tl = elem_type_len(c->type);
        if (why[0] == '\0')
            return fail(a, "%s.%s: element %zu, %s, is not a valid %.*s", t->name, c->name,
                        w.n + 1, q, tl, c->type);
        return fail(a, "%s.%s: element %zu, %s, is not a valid %.*s (%s)", t->name, c->name,
                    w.n + 1, q, tl, c->type, why);
    }
    void *arr = w.out;
    memcpy(base + c->offset, &arr, sizeof arr);
    memcpy(base + c->count_offset, &w.n, sizeof w.n);
    return 0;
}

/* ---- types ---- */

static bool textlike(unsigned oid)
{
    return oid == 25 || oid == 1043 || oid == 1042 || oid == 19 || oid == 705;
}

static bool textlike_array(unsigned oid)
{
    return oid == 1009 || oid == 1015 || oid == 1014 || oid == 1003;
}

/* Whether a result column of type `got` fills a member of column `c`. */
static bool type_ok(const struct schemac_column *c, unsigned got)
{
    unsigned want = c->oid;
    if (want == 0 || got == want)
        return true;
    if (c->flags & SCHEMAC_COL_ARRAY) {
        switch (c->kind) {
        case SCHEMAC_KIND_INT32: return got == 1005;
        case SCHEMAC_KIND_INT64: return got == 1005 || got == 1007;
        case SCHEMAC_KIND_DOUBLE: return got == 1021;
        case SCHEMAC_KIND_TEXT: return textlike_array(want) && textlike_array(got);
        default: return false;
        }
    }
    switch (c->kind) {
    case SCHEMAC_KIND_INT32: return got == 21;
    case SCHEMAC_KIND_INT64: return got == 21 || got == 23;
    case SCHEMAC_KIND_DOUBLE: return got == 700;
    case SCHEMAC_KIND_TEXT: return textlike(want) && textlike(got);
    default: return false;
    }
}

/* The result column named `name`, trying `hint` first; -1 when none. */
static int find_field(const PGresult *res, int nf, const char *name, int hint)
{
    if (hint < nf) {
        const char *f = PQfname(res, hint);
        if (f != NULL && streq(f, name))
            return hint;
    }
    for (int i = 0; i < nf; i++) {
        const char *f = PQfname(res, i);
        if (i != hint && f != NULL && streq(f, name))
            return i;
    }
    return -1;
}

int schemac_row_decode(const struct pg_result *cres, int row, const struct schemac_table *t,
                       void *out, schemac_arena *a)
{
    const PGresult *res = (const PGresult *)cres;
    if (a == NULL)
        return -1;
    if (t == NULL || out == NULL)
        return fail(a, "schemac_row_decode: no table descriptor or no struct");
    if (res == NULL)
        return fail(a, "%s: no result to decode", t->name);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_SINGLE_TUPLE)
        return fail(a, "%s: the result holds no rows (%s)", t->name, PQresStatus(st));
    int nrows = PQntuples(res);
    if (row < 0 || row >= nrows)
        return fail(a, "%s: row %d is out of range (the result has %d rows)", t->name, row, nrows);
    int nf = PQnfields(res);
    unsigned char *base = out;
    for (size_t ci = 0; ci < t->ncolumns; ci++) {
        const struct schemac_column *c = &t->columns[ci];
        int hint = ci < (size_t)nf ? (int)ci : 0;
        int f = find_field(res, nf, c->name, hint);
        if (f < 0)
            return fail(a, "%s: the result has no column \"%s\"", t->name, c->name);
        if (c->oid != 0) {
            unsigned got = (unsigned)PQftype(res, f);
            if (!type_ok(c, got))
                return fail(a, "%s.%s: the result's column has type OID %u, the struct wants %s",
                            t->name, c->name, got, c->type);
        }
        if (PQfformat(res, f) != 0)
            return fail(a, "%s.%s: the result's column is in binary format; only text is read",
                        t->name, c->name);
        bool nullable = (c->flags & SCHEMAC_COL_NULLABLE) != 0;
        /* libpq gives NULL as "" of length 0: ask only then. */
        const char *s = PQgetvalue(res, row, f);
        int ilen = PQgetlength(res, row, f);
        if (ilen == 0 && PQgetisnull(res, row, f)) {
            if (!nullable)
                return fail(a, "%s.%s: NULL, but the member has no presence flag", t->name,
                            c->name);
            bool no = false;
            memcpy(base + c->present_offset, &no, sizeof no);
            if (c->flags & SCHEMAC_COL_ARRAY) {
                void *none = NULL;
                size_t zero = 0;
                memcpy(base + c->offset, &none, sizeof none);
                memcpy(base + c->count_offset, &zero, sizeof zero);
            }
            continue;
        }
        size_t len = ilen < 0 ? 0 : (size_t)ilen;
        if (c->flags & SCHEMAC_COL_ARRAY) {
            if (decode_array(t, c, s, len, base, a) != 0)
                return -1;
        } else {
            const char *why = decode_value(c, s, len, base + c->offset, a);
            if (why != NULL)
                return fail_value(a, t, c, s, len, why);
        }
        if (nullable) {
            bool yes = true;
            memcpy(base + c->present_offset, &yes, sizeof yes);
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Encoding                                                           */
/* ------------------------------------------------------------------ */

/* A growing malloc'd byte buffer; `oom` once an append failed. */
typedef struct strb {
    char *data;
    size_t len, cap;
    bool oom;
} strb;

static bool sb_reserve(strb *b, size_t extra)
{
    if (b->oom)
        return false;
    if (b->cap - b->len >= extra)
        return true;
    size_t cap = b->cap < 256 ? 256 : b->cap;
    while (cap - b->len < extra) {
        if (cap > SIZE_MAX / 2) {
            b->oom = true;
            return false;
        }
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (d == NULL) {
        b->oom = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

static void sb_put(strb *b, const char *s, size_t n)
{
    if (n > 0 && sb_reserve(b, n)) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
    }
}

static void sb_puts(strb *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_putc(strb *b, char c)
{
    sb_put(b, &c, 1);
}

/* A decimal integer, zero-padded to `width` digits. */
static void sb_int(strb *b, int64_t v, int width)
{
    char tmp[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    while (n < width)
        tmp[n++] = '0';
    if (v < 0)
        sb_putc(b, '-');
    if (sb_reserve(b, (size_t)n))
        while (n > 0)
            b->data[b->len++] = tmp[--n];
}

static void sb_hex(strb *b, const uint8_t *p, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    if (n > SIZE_MAX / 2 || !sb_reserve(b, 2 * n))
        return;
    for (size_t i = 0; i < n; i++) {
        b->data[b->len++] = hx[p[i] >> 4];
        b->data[b->len++] = hx[p[i] & 15];
    }
}

static void sb_float(strb *b, double v, bool single)
{
    if (isnan(v)) {
        sb_puts(b, "NaN");
        return;
    }
    if (isinf(v)) {
        sb_puts(b, v > 0 ? "Infinity" : "-Infinity");
        return;
    }
    char tmp[40];
    locale_t loc = get_c_locale();
    locale_t old = loc != (locale_t)0 ? uselocale(loc) : (locale_t)0;
    snprintf(tmp, sizeof tmp, single ? "%.9g" : "%.17g", v);
    if (old != (locale_t)0)
        uselocale(old);
    sb_puts(b, tmp);
}

/* y-m-d for day number `days` (finite), with " BC" written by the caller. */
static bool sb_date(strb *b, int64_t days)
{
    int64_t y;
    int m, d;
    sc_civil_from_days(days, &y, &m, &d);
    bool bc = y <= 0;
    sb_int(b, bc ? 1 - y : y, 4);
    sb_putc(b, '-');
    sb_int(b, m, 2);
    sb_putc(b, '-');
    sb_int(b, d, 2);
    return bc;
}

static void sb_hms(strb *b, int64_t us)
{
    sb_int(b, us / USECS_PER_HOUR, 2);
    sb_putc(b, ':');
    sb_int(b, us / USECS_PER_MIN % 60, 2);
    sb_putc(b, ':');
    sb_int(b, us / USECS_PER_SEC % 60, 2);
    sb_putc(b, '.');
    sb_int(b, us % USECS_PER_SEC, 6);
}

/* Appends the text of one value at `p`; NULL or why it cannot be sent. */
static const char *encode_value(strb *b, const struct schemac_column *c, const void *p)
{
    switch (c->kind) {
    case SCHEMAC_KIND_INT16: {
        int16_t v;
        memcpy(&v, p, sizeof v);
        sb_int(b, v, 1);
        return NULL;
    }
    case SCHEMAC_KIND_INT32: {
        int32_t v;
        memcpy(&v, p, sizeof v);
        sb_int(b, v, 1);
        return NULL;
    }
    case SCHEMAC_KIND_INT64: {
        int64_t v;
        memcpy(&v, p, sizeof v);
        sb_int(b, v, 1);
        return NULL;
    }
    case SCHEMAC_KIND_BOOL: {
        bool v;
        memcpy(&v, p, sizeof v);
        sb_putc(b, v ? 't' : 'f');
        return NULL;
    }
    case SCHEMAC_KIND_FLOAT: {
        float v;
        memcpy(&v, p, sizeof v);
        sb_float(b, v, true);
        return NULL;
    }
    case SCHEMAC_KIND_DOUBLE: {
        double v;
        memcpy(&v, p, sizeof v);
        sb_float(b, v, false);
        return NULL;
    }
    case SCHEMAC_KIND_TEXT: {
        const char *s;
        memcpy(&s, p, sizeof s);
        if (s == NULL)
            return "a NULL string";
        sb_puts(b, s);
        return NULL;
    }
    case SCHEMAC_KIND_UUID: {
        const uint8_t *u = ((const struct schemac_uuid *)p)->bytes;
        sb_hex(b, u, 4);
        sb_putc(b, '-');
        sb_hex(b, u + 4, 2);
        sb_putc(b, '-');
        sb_hex(b, u + 6, 2);
        sb_putc(b, '-');
        sb_hex(b, u + 8, 2);
        sb_putc(b, '-');
        sb_hex(b, u + 10, 6);
        return NULL;
    }
    case SCHEMAC_KIND_BYTES: {
        struct schemac_bytes v;
        memcpy(&v, p, sizeof v);
        if (v.data == NULL && v.len > 0)
            return "NULL data with a nonzero length";
        sb_puts(b, "\\x");
        sb_hex(b, v.data, v.len);
        return NULL;
    }
    case SCHEMAC_KIND_DATE: {
        int32_t v;
        memcpy(&v, p, sizeof v);
        if (v == SCHEMAC_DATE_INFINITY)
            sb_puts(b, "infinity");
        else if (v == SCHEMAC_DATE_NEG_INFINITY)
            sb_puts(b, "-infinity");
        else if (sb_date(b, v))
            sb_puts(b, " BC");
        return NULL;
    }
    case SCHEMAC_KIND_TIMESTAMP:
    case SCHEMAC_KIND_TIMESTAMPTZ: {
        int64_t v;
        memcpy(&v, p, sizeof v);
        if (v == SCHEMAC_TIMESTAMP_INFINITY) {
            sb_puts(b, "infinity");
            return NULL;
        }
        if (v == SCHEMAC_TIMESTAMP_NEG_INFINITY) {
            sb_puts(b, "-infinity");
            return NULL;
        }
        int64_t days = v / USECS_PER_DAY, tod = v % USECS_PER_DAY;
        if (tod < 0) {
            tod += USECS_PER_DAY;
            days--;
        }
        bool bc = sb_date(b, days);
        sb_putc(b, ' ');
        sb_hms(b, tod);
        if (c->kind == SCHEMAC_KIND_TIMESTAMPTZ)
            sb_puts(b, "+00");
        if (bc)
            sb_puts(b, " BC");
        return NULL;
    }
    case SCHEMAC_KIND_TIME: {
        int64_t v;
        memcpy(&v, p, sizeof v);
        if (v < 0 || v > USECS_PER_DAY)
            return "a time of day outside 00:00:00 to 24:00:00";
        sb_hms(b, v);
        return NULL;
    }
    case SCHEMAC_KIND_INTERVAL: {
        struct schemac_interval v;
        memcpy(&v, p, sizeof v);
        sb_int(b, v.months, 1);
        sb_puts(b, " mons ");
        sb_int(b, v.days, 1);
        sb_puts(b, " days ");
        sb_int(b, v.micros, 1);
        sb_puts(b, " microseconds");
        return NULL;
    }
    case SCHEMAC_KIND_ENUM: {
        int64_t v;
        switch (c->size) {
        case 1: {
            int8_t x;
            memcpy(&x, p, 1);
            v = x;
            break;
        }
        case 2: {
            int16_t x;
            memcpy(&x, p, 2);
            v = x;
            break;
        }
        case 4: {
            int32_t x;
            memcpy(&x, p, 4);
            v = x;
            break;
        }
        case 8: {
            memcpy(&v, p, 8);
            break;
        }
        default: return "the descriptor's enum size is not 1, 2, 4 or 8";
        }
        if (v < 0 || (uint64_t)v >= c->nlabels)
            return "an enum value that is no label";
        sb_puts(b, c->labels[v]);
        return NULL;
    }
    default: return "the descriptor's kind is unknown";
    }
}

/* Whether an array element's text must be quoted. */
static bool needs_quotes(const char *s, size_t n)
{
    if (n == 0 || (n == 4 && strncasecmp(s, "NULL", 4) == 0))
        return true;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '"' || ch == '\\' || ch == '{' || ch == '}' || ch == ',' || is_space(ch))
            return true;
    }
    return false;
}

/* A one-dimensional array literal; NULL or why it cannot be sent (and
 * the failing element's index in *bad). */
static const char *encode_array(strb *b, const struct schemac_column *c, const unsigned char *base,
                                size_t *bad)
{
    const unsigned char *arr;
    size_t n;
    memcpy(&arr, base + c->offset, sizeof arr);
    memcpy(&n, base + c->count_offset, sizeof n);
    if (arr == NULL && n > 0)
        return "a NULL array with a nonzero count";
    size_t esize = c->kind == SCHEMAC_KIND_ENUM ? c->size : kind_size(c->kind);
    sb_putc(b, '{');
    strb e = {0};
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            sb_putc(b, ',');
        e.len = 0;
        const char *why = encode_value(&e, c, arr + i * esize);
        if (why == NULL && e.oom)
            why = "out of memory";
        if (why != NULL) {
            free(e.data);
            *bad = i;
            return why;
        }
        if (!needs_quotes(e.data, e.len)) {
            sb_put(b, e.data, e.len);
            continue;
        }
        sb_putc(b, '"');
        for (size_t k = 0; k < e.len; k++) {
            if (e.data[k] == '"' || e.data[k] == '\\')
                sb_putc(b, '\\');
            sb_putc(b, e.data[k]);
        }
        sb_putc(b, '"');
    }
    free(e.data);
    sb_putc(b, '}');
    return NULL;
}

/* The server's error as one line: primary message and SQLSTATE. */
static int fail_server(schemac_arena *a, const struct schemac_table *t, PGconn *conn,
                       const PGresult *res)
{
    const char *msg = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (msg == NULL) {
        msg = PQerrorMessage(conn);
        if (msg == NULL || *msg == '\0')
            msg = "the server gave no result";
    }
    /* Without its trailing newline. */
    int n = (int)strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    if (state != NULL)
        return fail(a, "%s: insert failed: %.*s (SQLSTATE %s)", t->name, n, msg, state);
    return fail(a, "%s: insert failed: %.*s", t->name, n, msg);
}

int schemac_row_insert(struct pg_conn *cconn, const struct schemac_table *t, const void *row,
                       void *returned, schemac_arena *a)
{
    PGconn *conn = (PGconn *)cconn;
    if (a == NULL)
        return -1;
    if (t == NULL || row == NULL || t->insert_sql == NULL)
        return fail(a, "schemac_row_insert: no table descriptor or no row");
    if (conn == NULL)
        return fail(a, "%s: no connection", t->name);
    const unsigned char *base = row;

    /* Every parameter's text goes into `b`, NUL-terminated, at ofs[k]
     * (SIZE_MAX for NULL); pointers are made once `b` stops moving. */
    size_t nparams = 0;
    for (size_t ci = 0; ci < t->ncolumns; ci++)
        if (!(t->columns[ci].flags & SCHEMAC_COL_NO_INSERT))
            nparams++;
    if (nparams > 65535)
        return fail(a, "%s: more than 65535 columns to insert", t->name);
    size_t *ofs = malloc((nparams + 1) * sizeof *ofs);
    const char **values = malloc((nparams + 1) * sizeof *values);
    strb b = {0};
    int rc = -1;
    if (ofs == NULL || values == NULL) {
        fail(a, "%s: out of memory", t->name);
        goto out;
    }
    size_t k = 0;
    for (size_t ci = 0; ci < t->ncolumns; ci++) {
        const struct schemac_column *c = &t->columns[ci];
        if (c->flags & SCHEMAC_COL_NO_INSERT)
            continue;
        bool present = true;
        if (c->flags & SCHEMAC_COL_NULLABLE)
            memcpy(&present, base + c->present_offset, sizeof present);
        if (!present) {
            ofs[k++] = SIZE_MAX;
            continue;
        }
        ofs[k++] = b.len;
        const char *why;
        size_t bad = 0;
        if (c->flags & SCHEMAC_COL_ARRAY) {
            why = encode_array(&b, c, base, &bad);
            if (why != NULL) {
                fail(a, "%s.%s: element %zu of the array cannot be sent: %s", t->name, c->name,
                     bad + 1, why);
                goto out;
            }
        } else {
            why = encode_value(&b, c, base + c->offset);
            if (why != NULL) {
                if (c->kind == SCHEMAC_KIND_TEXT && (c->flags & SCHEMAC_COL_NULLABLE))
                    fail(a, "%s.%s: a NULL string with the presence flag true (set the flag "
                         "false to send NULL)", t->name, c->name);
                else if (c->kind == SCHEMAC_KIND_TEXT)
                    fail(a, "%s.%s: a NULL string, but the column is not nullable (the member "
                         "has no presence flag)", t->name, c->name);
                else
                    fail(a, "%s.%s: cannot be sent: %s", t->name, c->name, why);
                goto out;
            }
        }
        sb_putc(&b, '\0');
    }
    size_t sql_ofs = b.len;
    sb_puts(&b, t->insert_sql);
    if (returned != NULL) {
        /* Without a trailing ';' the RETURNING clause can follow. */
        while (b.len > sql_ofs && (b.data[b.len - 1] == ';' || is_space(b.data[b.len - 1])))
            b.len--;
        sb_puts(&b, " RETURNING *");
    }
    sb_putc(&b, '\0');
    if (b.oom) {
        fail(a, "%s: out of memory", t->name);
        goto out;
    }
    for (size_t i = 0; i < nparams; i++)
        values[i] = ofs[i] == SIZE_MAX ? NULL : b.data + ofs[i];
    if (returned != NULL) {
        /* The row is read back after it is in: settings the decoder cannot
         * read are refused before anything is inserted (libpq knows both
         * from the server's reports, without a query). */
        const char *ds = PQparameterStatus(conn, "DateStyle");
        const char *is = PQparameterStatus(conn, "IntervalStyle");
        if (ds != NULL && strncmp(ds, "ISO", 3) != 0) {
            fail(a, "%s: nothing inserted: the session's DateStyle is %s, and the row could not be "
                 "read back; SET DateStyle = ISO", t->name, ds);
            goto out;
        }
        if (is != NULL && strcmp(is, "postgres") != 0) {
            fail(a, "%s: nothing inserted: the session's IntervalStyle is %s, and the row could not "
                 "be read back; SET IntervalStyle = postgres", t->name, is);
            goto out;
        }
    }
    PGresult *res = PQexecParams(conn, b.data + sql_ofs, (int)nparams, NULL, values, NULL,
                                 NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        fail_server(a, t, conn, res);
    } else if (returned != NULL) {
        if (st != PGRES_TUPLES_OK || PQntuples(res) != 1)
            fail(a, "%s: the insert returned %d rows, not 1", t->name,
                 st == PGRES_TUPLES_OK ? PQntuples(res) : 0);
        else if (schemac_row_decode(res, 0, t, returned, a) == 0)
            rc = 0;
        else {
            /* The row is in: say so, so that a caller does not insert it
             * again. */
            char *why = strdup(schemac_arena_error(a));
            fail(a, "%s: the row was inserted, but reading it back failed: %s", t->name,
                 why != NULL ? why : "");
            free(why);
            rc = -2;
        }
    } else {
        rc = 0;
    }
    PQclear(res);
out:
    free(b.data);
    free(values);
    free(ofs);
    return rc;
}
