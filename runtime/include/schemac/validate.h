/*
 * schemac runtime — what generated validators call.
 *
 * `schemac gen` writes validate/schema_validate.c: per table a function
 * `bool T_validate(const struct T *row, struct schemac_violations *out)`
 * that checks a row the way PostgreSQL would on INSERT (NOT NULL, the
 * length of varchar(n) and char(n) in characters, valid UTF-8, numeric
 * precision and scale, date and timestamp ranges, enum membership, and the
 * CHECK constraints it can translate to C).  These helpers do the parts
 * that are the same for every schema.  They allocate nothing.
 */
#ifndef SCHEMAC_VALIDATE_H
#define SCHEMAC_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Text */

/*
 * The number of characters of the `len` bytes at `s`, or -1 when they are
 * not valid UTF-8 as PostgreSQL's UTF8 encoding takes it (no overlong
 * forms, no surrogates, nothing above U+10FFFF, no NUL).
 */
long schemac_utf8_chars(const char *s, size_t len);

/*
 * What PostgreSQL stores of `s` in a character varying(n) or character(n)
 * column: the number of bytes it keeps.  A longer value is cut to n
 * characters when the characters past n are all spaces; otherwise it does
 * not fit and the result is -1 (so is invalid UTF-8).
 */
long schemac_text_fit(const char *s, long n);

/* Case folding of a text value in a CHECK (lower() or upper()). */
#define SCHEMAC_FOLD_NONE 0
#define SCHEMAC_FOLD_LOWER 1
#define SCHEMAC_FOLD_UPPER 2

/*
 * Whether the `alen` bytes at `a` folded by `afold` equal the `blen` bytes
 * at `b` folded by `bfold` (PostgreSQL's = on text, a deterministic
 * collation: the same bytes): 1 or 0, or -1 when a folded side holds a
 * byte outside ASCII, whose case mapping depends on the database's
 * collation and so cannot be decided here.
 */
int schemac_text_eq(const char *a, size_t alen, int afold, const char *b, size_t blen, int bfold);

/* `len` less the trailing spaces of `s` (what character(n) compares and
 * counts). */
size_t schemac_rtrim_len(const char *s, size_t len);

/* Numbers */

/*
 * PostgreSQL's order of float4 and float8 values, NaN included: NaN equals
 * NaN and is greater than every other value.  Returns -1, 0 or 1.
 */
int schemac_float_cmp(double a, double b);

/*
 * A numeric value, parsed from its text form.  `digits` are the
 * significant digits without leading or trailing zeros (none for zero) and
 * the value is 0.d1d2...dn x 10^exp.  The digits may point into the parsed
 * string or into `buf`: do not copy the struct, pass it by pointer.
 */
struct schemac_numeric {
    int special;        /* SCHEMAC_NUMERIC_FINITE, _NAN, _PINF, _NINF */
    bool neg;
    const char *run1;   /* the significant digits, in one or two runs */
    size_t len1;        /* (the integer and the fraction part of the */
    const char *run2;   /* text, or `buf`) */
    size_t len2;
    long exp;
    char buf[1004];
};
#define SCHEMAC_NUMERIC_FINITE 0
#define SCHEMAC_NUMERIC_NAN 1
#define SCHEMAC_NUMERIC_PINF 2
#define SCHEMAC_NUMERIC_NINF 3

/* schemac_numeric_parse() results */
#define SCHEMAC_NUMERIC_OK 0
#define SCHEMAC_NUMERIC_SYNTAX (-1)   /* not a numeric (PostgreSQL: invalid input syntax) */
#define SCHEMAC_NUMERIC_OVERFLOW (-2) /* does not fit numeric(p,s) (numeric field overflow) */

/*
 * Parses `s` as PostgreSQL's numeric input does (surrounding spaces, a
 * sign, digits with a point, an exponent; NaN, Infinity, inf) and, when
 * `precision` > 0, rounds it to `scale` (half away from zero) and checks
 * that it fits numeric(precision, scale); an infinity never fits a
 * numeric with a precision.  `precision` 0 or less: no limit.
 */
int schemac_numeric_parse(struct schemac_numeric *out, const char *s, int precision, int scale);

/* The numeric value of `v`. */
void schemac_numeric_from_int(struct schemac_numeric *out, int64_t v);

/* PostgreSQL's numeric order (NaN greatest, then +Infinity): -1, 0, 1. */
int schemac_numeric_cmp(const struct schemac_numeric *a, const struct schemac_numeric *b);

/* The value as a double, as PostgreSQL's numeric-to-float8 cast gives it
 * (infinite or zero where the value is out of the double's range). */
double schemac_numeric_to_double(const struct schemac_numeric *n);

/* The same, false where PostgreSQL's cast raises an error: a finite value
 * that overflows to infinity or underflows to zero. */
bool schemac_numeric_double(const struct schemac_numeric *n, double *out);

/*
 * PostgreSQL's integer arithmetic at `width` bytes (2: smallint, 4:
 * integer, 8: bigint): `op` is '+', '-', '*', '/' or '%'.  False where
 * PostgreSQL raises an error: a result out of range, a division by zero.
 * (Division truncates toward zero; MIN % -1 is 0.)
 */
bool schemac_int_arith(int64_t a, int64_t b, char op, int width, int64_t *out);

/*
 * PostgreSQL's float arithmetic (`width` 4: real, 8: double precision):
 * `op` is '+', '-', '*' or '/'.  False where PostgreSQL raises an error:
 * an infinite result from finite operands, a zero product or quotient of
 * nonzero operands, a division by zero.
 */
bool schemac_float_arith(double a, double b, char op, int width, double *out);

/* A date as a timestamp (midnight), infinities kept. */
int64_t schemac_date_to_timestamp(int64_t days);

/* Dates and times: the ranges PostgreSQL accepts, in the header's units */

/* 4714-11-24 BC and 5874897-12-31 as days since 1970-01-01. */
#define SCHEMAC_DATE_MIN (-2440588)
#define SCHEMAC_DATE_MAX 2145042905
/* 4714-11-24 00:00 BC in microseconds since 1970-01-01.  PostgreSQL's last
 * timestamp (294276-12-31) lies past what int64_t microseconds since 1970
 * hold (292277-01-09): every value below INT64_MAX from here up is one. */
#define SCHEMAC_TIMESTAMP_MIN (-210866803200000000LL)

#ifdef __cplusplus
}
#endif

#endif
