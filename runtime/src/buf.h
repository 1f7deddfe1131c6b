/*
 * sc_buf: a growable byte buffer, always NUL-terminated, used to build
 * text (canonical schema text, SQL, diagnostics).  It owns its memory
 * (malloc), so it can outlive any arena.
 */
#ifndef SC_BUF_H
#define SC_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct sc_buf {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
} sc_buf;

#define SC_BUF_INIT {NULL, 0, 0}

void sc_buf_free(sc_buf *b);
void sc_buf_reset(sc_buf *b);
void sc_buf_reserve(sc_buf *b, size_t extra);
void sc_buf_append(sc_buf *b, const char *s, size_t len);
void sc_buf_puts(sc_buf *b, const char *s);
void sc_buf_putc(sc_buf *b, char c);
void sc_buf_printf(sc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sc_buf_vprintf(sc_buf *b, const char *fmt, va_list ap);
/* Appends `n` spaces. */
void sc_buf_pad(sc_buf *b, size_t n);
/* The text so far; "" for an empty buffer (never NULL). */
const char *sc_buf_str(const sc_buf *b);
/* Hands the text to the caller (free() it) and empties the buffer. */
char *sc_buf_detach(sc_buf *b);

#endif
