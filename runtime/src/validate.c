/*
 * The helpers of generated validators (schemac/validate.h): UTF-8
 * characters, what varchar(n)/char(n) keep, text equality under lower() and
 * upper(), PostgreSQL's float order, and numeric values.
 *
 * Numeric values are never converted to binary: a value is its significant
 * digits (pointing into the text when no rounding was needed, so that an
 * unconstrained numeric of any length costs no memory) and a decimal
 * exponent, which is all that ordering needs.  Rounding to a scale writes
 * the kept digits into the struct's buffer: a numeric(p,s) has at most
 * 1000 digits.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemac/validate.h"
#include "util.h"

/* ------------------------------------------------------------- text */

long schemac_utf8_chars(const char *s, size_t len)
{
    size_t bad;
    if (!sc_utf8_valid(s, len, &bad))
        return -1;
    return (long)sc_utf8_width(s, len);
}

long schemac_text_fit(const char *s, long n)
{
    size_t len = strlen(s), bad, cut = len;
    if (!sc_utf8_valid(s, len, &bad))
        return -1;
    long chars = 0;
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xc0) == 0x80)
            continue; /* not the first byte of a character */
        if (chars == n)
            cut = i;
        if (chars >= n && s[i] != ' ')
            return -1;
        chars++;
    }
    return chars > n ? (long)cut : (long)len;
}

static unsigned char fold(unsigned char c, int how)
{
    if (how == SCHEMAC_FOLD_LOWER && c >= 'A' && c <= 'Z')
        return (unsigned char)(c + 32);
    if (how == SCHEMAC_FOLD_UPPER && c >= 'a' && c <= 'z')
        return (unsigned char)(c - 32);
    return c;
}

int schemac_text_eq(const char *a, size_t alen, int afold, const char *b, size_t blen, int bfold)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (size_t i = 0; afold != SCHEMAC_FOLD_NONE && i < alen; i++)
        if (x[i] >= 0x80)
            return -1;
    for (size_t i = 0; bfold != SCHEMAC_FOLD_NONE && i < blen; i++)
        if (y[i] >= 0x80)
            return -1;
    if (alen != blen)
        return 0;
    for (size_t i = 0; i < alen; i++)
        if (fold(x[i], afold) != fold(y[i], bfold))
            return 0;
    return 1;
}

size_t schemac_rtrim_len(const char *s, size_t len)
{
    while (len > 0 && s[len - 1] == ' ')
        len--;
    return len;
}

/* ---------------------------------------------------------- numbers */

int schemac_float_cmp(double a, double b)
{
    bool an = a != a, bn = b != b;
    if (an || bn)
        return an && bn ? 0 : an ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Case-insensitive: whether `s` (up to `end`) is exactly `word`. */
static bool word_is(const char *s, const char *end, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(end - s) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != word[i])
            return false;
    }
    return true;
}

static size_t ndigits(const struct schemac_numeric *n)
{
    return n->len1 + n->len2;
}

static char digit_at(const struct schemac_numeric *n, size_t i)
{
    return i < n->len1 ? n->run1[i] : n->run2[i - n->len1];
}

static void set_zero(struct schemac_numeric *n)
{
    n->neg = false;
    n->run1 = n->run2 = "";
    n->len1 = n->len2 = 0;
    n->exp = 0;
}

/* Rounds `n` to `scale` digits after the point, half away from zero. */
static void round_to(struct schemac_numeric *n, long scale)
{
    size_t nd = ndigits(n);
    long keep = n->exp + scale;
    if (keep >= (long)nd)
        return;
    if (keep < 0) {
        set_zero(n);
        return;
    }
    bool up = digit_at(n, (size_t)keep) >= '5';
    if (keep > (long)sizeof n->buf - 2)
        keep = (long)sizeof n->buf - 2; /* then it overflows: precision <= 1000 */
    char tmp[sizeof n->buf];
    for (long i = 0; i < keep; i++)
        tmp[i + 1] = digit_at(n, (size_t)i);
    tmp[0] = '0';
    long len = keep + 1;
    if (up) {
        long i = keep;
        while (i > 0 && tmp[i] == '9')
            tmp[i--] = '0';
        tmp[i]++;
    }
    long start = tmp[0] == '0' ? 1 : 0;
    if (start == 0)
        n->exp++;
    while (len > start && tmp[len - 1] == '0')
        len--;
    if (len == start) {
        set_zero(n);
        return;
    }
    memcpy(n->buf, tmp + start, (size_t)(len - start));
    n->run1 = n->buf;
    n->len1 = (size_t)(len - start);
    n->run2 = "";
    n->len2 = 0;
}

/* PostgreSQL's limits on numeric input: the exponent's magnitude (INT_MAX
 * / 2), the display scale (NUMERIC_DSCALE_MAX) and the digits before the
 * point (a weight of 32767 base-10000 digits). */
#define NUMERIC_EXP_LIMIT 1073741823L
#define NUMERIC_DSCALE_MAX 16383L
#define NUMERIC_INT_DIGITS_MAX 131072L

int schemac_numeric_parse(struct schemac_numeric *out, const char *s, int precision, int scale)
{
    memset(out, 0, offsetof(struct schemac_numeric, buf));
    set_zero(out);
    if (s == NULL)
        return SCHEMAC_NUMERIC_SYNTAX;
    const char *p = s;
    while (is_space(*p))
        p++;
    const char *end = p + strlen(p);
    while (end > p && is_space(end[-1]))
        end--;
    if (word_is(p, end, "nan")) {
        out->special = SCHEMAC_NUMERIC_NAN;
        return SCHEMAC_NUMERIC_OK;
    }
    bool neg = false;
    const char *q = p;
    if (*q == '+' || *q == '-')
        neg = *q++ == '-';
    if (word_is(q, end, "infinity") || word_is(q, end, "inf")) {
        out->special = neg ? SCHEMAC_NUMERIC_NINF : SCHEMAC_NUMERIC_PINF;
        return precision > 0 ? SCHEMAC_NUMERIC_OVERFLOW : SCHEMAC_NUMERIC_OK;
    }
    const char *ip = q;
    while (q < end && *q >= '0' && *q <= '9')
        q++;
    size_t ilen = (size_t)(q - ip);
    const char *fp = q;
    size_t flen = 0;
    if (q < end && *q == '.') {
        fp = ++q;
        while (q < end && *q >= '0' && *q <= '9')
            q++;
        flen = (size_t)(q - fp);
    }
    if (ilen + flen == 0)
        return SCHEMAC_NUMERIC_SYNTAX;
    long e = 0;
    if (q < end && (*q == 'e' || *q == 'E')) {
        /* PostgreSQL reads the exponent with strtol(): spaces, a sign,
         * digits; one of INT_MAX / 2 or more either way is out of range. */
        q++;
        while (q < end && is_space(*q))
            q++;
        bool eneg = false;
        if (q < end && (*q == '+' || *q == '-'))
            eneg = *q++ == '-';
        if (q == end || !(*q >= '0' && *q <= '9'))
            return SCHEMAC_NUMERIC_SYNTAX;
        while (q < end && *q >= '0' && *q <= '9') {
            e = e * 10 + (*q++ - '0');
            if (e >= NUMERIC_EXP_LIMIT)
                return SCHEMAC_NUMERIC_OVERFLOW;
        }
        if (eneg)
            e = -e;
    }
    if (q != end)
        return SCHEMAC_NUMERIC_SYNTAX;
    /* The value is read as an unconstrained numeric first (an INSERT's
     * text becomes numeric, then numeric(p,s)): its display scale, the
     * fraction digits written less the exponent, trailing zeros counted,
     * has at most 16383 digits. */
    if ((long)flen - e > NUMERIC_DSCALE_MAX)
        return SCHEMAC_NUMERIC_OVERFLOW;

    /* The significant digits of int ++ frac, and the point's place. */
    out->special = SCHEMAC_NUMERIC_FINITE;
    out->run1 = ip;
    out->len1 = ilen;
    out->run2 = fp;
    out->len2 = flen;
    size_t nd = ilen + flen, first = 0, last = nd;
    while (first < nd && digit_at(out, first) == '0')
        first++;
    while (last > first && digit_at(out, last - 1) == '0')
        last--;
    if (first == last) {
        set_zero(out);
    } else {
        out->neg = neg;
        out->exp = (long)ilen + e - (long)first;
        /* Cut the runs to [first, last). */
        if (first < ilen) {
            out->run1 = ip + first;
            out->len1 = ilen - first;
            if (last <= ilen) {
                out->len1 = last - first;
                out->len2 = 0;
            } else {
                out->len2 = last - ilen;
            }
        } else {
            out->run1 = fp + (first - ilen);
            out->len1 = last - first;
            out->run2 = "";
            out->len2 = 0;
        }
        /* and at most 131072 digits before the point (the weight of its
         * first base-10000 digit is an int16). */
        if (out->exp > NUMERIC_INT_DIGITS_MAX)
            return SCHEMAC_NUMERIC_OVERFLOW;
    }
    if (precision > 0) {
        round_to(out, scale);
        if (ndigits(out) > 0 && out->exp > (long)precision - scale)
            return SCHEMAC_NUMERIC_OVERFLOW;
    }
    return SCHEMAC_NUMERIC_OK;
}

void schemac_numeric_from_int(struct schemac_numeric *out, int64_t v)
{
    memset(out, 0, offsetof(struct schemac_numeric, buf));
    set_zero(out);
    if (v == 0)
        return;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char tmp[24];
    int n = 0;
    while (u > 0) {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    }
    out->neg = v < 0;
    out->exp = n;
    int len = 0;
    for (int i = n - 1; i >= 0; i--)
        out->buf[len++] = tmp[i];
    while (len > 0 && out->buf[len - 1] == '0')
        len--;
    out->run1 = out->buf;
    out->len1 = (size_t)len;
}

/* -1, 0, 1: the order of the special values and finite numbers. */
static int rank(const struct schemac_numeric *n)
{
    switch (n->special) {
    case SCHEMAC_NUMERIC_NAN: return 3;
    case SCHEMAC_NUMERIC_PINF: return 2;
    case SCHEMAC_NUMERIC_NINF: return 0;
    default: return 1;
    }
}

int schemac_numeric_cmp(const struct schemac_numeric *a, const struct schemac_numeric *b)
{
    int ra = rank(a), rb = rank(b);
    if (ra != rb || ra != 1)
        return ra < rb ? -1 : ra > rb ? 1 : 0;
    size_t na = ndigits(a), nb = ndigits(b);
    int sa = na == 0 ? 0 : a->neg ? -1 : 1, sb = nb == 0 ? 0 : b->neg ? -1 : 1;
    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (sa == 0)
        return 0;
    int mag = 0;
    if (a->exp != b->exp) {
        mag = a->exp < b->exp ? -1 : 1;
    } else {
        size_t n = na > nb ? na : nb;
        for (size_t i = 0; i < n && mag == 0; i++) {
            char x = i < na ? digit_at(a, i) : '0', y = i < nb ? digit_at(b, i) : '0';
            mag = x < y ? -1 : x > y ? 1 : 0;
        }
    }
    return sa < 0 ? -mag : mag;
}

double schemac_numeric_to_double(const struct schemac_numeric *n)
{
    switch (n->special) {
    case SCHEMAC_NUMERIC_NAN: return strtod("nan", NULL);
    case SCHEMAC_NUMERIC_PINF: return strtod("inf", NULL);
    case SCHEMAC_NUMERIC_NINF: return strtod("-inf", NULL);
    default: break;
    }
    size_t nd = ndigits(n);
    if (nd == 0)
        return 0.0;
    /* digits as an integer and an exponent: no decimal point, so the
     * locale's radix character does not matter.  800 digits decide the
     * rounding of a double; a nonzero digit past them is kept as a 1. */
    char text[840];
    size_t k = 0, keep = nd > 800 ? 800 : nd;
    if (n->neg)
        text[k++] = '-';
    for (size_t i = 0; i < keep; i++)
        text[k++] = digit_at(n, i);
    long exp = n->exp - (long)keep;
    if (keep < nd) {
        text[k++] = '1';
        exp--;
    }
    snprintf(text + k, sizeof text - k, "e%ld", exp);
    return strtod(text, NULL);
}

bool schemac_int_arith(int64_t a, int64_t b, char op, int width, int64_t *out)
{
    int64_t lo = width == 2 ? INT16_MIN : width == 4 ? INT32_MIN : INT64_MIN;
    int64_t hi = width == 2 ? INT16_MAX : width == 4 ? INT32_MAX : INT64_MAX;
    int64_t r;
    switch (op) {
    case '+':
        if (__builtin_add_overflow(a, b, &r))
            return false;
        break;
    case '-':
        if (__builtin_sub_overflow(a, b, &r))
            return false;
        break;
    case '*':
        if (__builtin_mul_overflow(a, b, &r))
            return false;
        break;
    case '/':
        if (b == 0 || (b == -1 && a == lo))
            return false;
        r = a / b;
        break;
    case '%':
        if (b == 0)
            return false;
        r = b == -1 ? 0 : a % b;
        break;
    default:
        return false;
    }
    if (r < lo || r > hi)
        return false;
    *out = r;
    return true;
}

bool schemac_float_arith(double a, double b, char op, int width, double *out)
{
    bool ainf = isinf(a), binf = isinf(b);
    double r;
    if (op == '/' && b == 0.0 && !isnan(a))
        return false;
    if (width == 4) {
        float x = (float)a, y = (float)b, f;
        switch (op) {
        case '+': f = x + y; break;
        case '-': f = x - y; break;
        case '*': f = x * y; break;
        case '/': f = x / y; break;
        default: return false;
        }
        r = f;
    } else {
        switch (op) {
        case '+': r = a + b; break;
        case '-': r = a - b; break;
        case '*': r = a * b; break;
        case '/': r = a / b; break;
        default: return false;
        }
    }
    switch (op) {
    case '+':
    case '-':
        if (isinf(r) && !ainf && !binf)
            return false;
        break;
    case '*':
        if (isinf(r) && !ainf && !binf)
            return false;
        if (r == 0.0 && a != 0.0 && b != 0.0)
            return false;
        break;
    case '/':
        if (isinf(r) && !ainf)
            return false;
        if (r == 0.0 && a != 0.0 && !binf)
            return false;
        break;
    }
    *out = r;
    return true;
}

int64_t schemac_date_to_timestamp(int64_t days)
{
    if (days >= INT32_MAX)
        return INT64_MAX;
    if (days <= INT32_MIN)
        return INT64_MIN;
    /* A date after 292277-01-09 (PostgreSQL's timestamps go on to 294276,
     * past what int64_t microseconds since 1970 hold) is later than every
     * finite timestamp: the last one stands for it. */
    if (days > INT64_MAX / INT64_C(86400000000))
        return INT64_MAX - 1;
    return days * INT64_C(86400000000);
}

bool schemac_numeric_double(const struct schemac_numeric *n, double *out)
{
    double d = schemac_numeric_to_double(n);
    if (n->special == SCHEMAC_NUMERIC_FINITE && (isinf(d) || (d == 0.0 && ndigits(n) > 0)))
        return false;
    *out = d;
    return true;
}
