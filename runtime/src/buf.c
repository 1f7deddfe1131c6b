/* Growable text buffer (see buf.h). */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void sc_buf_free(sc_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void sc_buf_reset(sc_buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

void sc_buf_reserve(sc_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap < 64 ? 64 : b->cap;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = sc_xrealloc(b->data, cap);
    b->cap = cap;
}

void sc_buf_append(sc_buf *b, const char *s, size_t len)
{
    sc_buf_reserve(b, len);
    if (len > 0)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void sc_buf_puts(sc_buf *b, const char *s)
{
    sc_buf_append(b, s, strlen(s));
}

void sc_buf_putc(sc_buf *b, char c)
{
    sc_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void sc_buf_vprintf(sc_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0)
        return;
    sc_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void sc_buf_printf(sc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sc_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void sc_buf_pad(sc_buf *b, size_t n)
{
    sc_buf_reserve(b, n);
    memset(b->data + b->len, ' ', n);
    b->len += n;
    b->data[b->len] = '\0';
}

const char *sc_buf_str(const sc_buf *b)
{
    return b->data == NULL ? "" : b->data;
}

char *sc_buf_detach(sc_buf *b)
{
    char *s = b->data == NULL ? sc_xstrdup("") : b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}
