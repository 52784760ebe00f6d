/* strbuf.c - a growable string for the reports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "strbuf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_add(struct sb *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (n > SIZE_MAX - 1 - b->len) {
        b->failed = true;
        return;
    }
    size_t need = b->len + n + 1;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < need)
            cap = cap <= SIZE_MAX / 2 ? cap * 2 : need;
        char *p = realloc(b->buf, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->buf = p;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

void sb_puts(struct sb *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

void sb_char(struct sb *b, char c)
{
    sb_add(b, &c, 1);
}

void sb_u64(struct sb *b, uint64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%" PRIu64, v);
    if (n > 0 && (size_t)n < sizeof t)
        sb_add(b, t, (size_t)n);
}

/* A string from a record, for plain text: bytes outside printable ASCII as \DDD. */
void sb_text(struct sb *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f) {
            sb_char(b, (char)*p);
        } else {
            char t[8];
            snprintf(t, sizeof t, "\\%03u", (unsigned)*p);
            sb_puts(b, t);
        }
    }
}

char *sb_finish(struct sb *b)
{
    if (!b->failed && !b->buf)
        sb_add(b, "", 0);
    if (b->failed) {
        free(b->buf);
        return NULL;
    }
    return b->buf;
}

/* "1 failed attempt", "3 failed attempts". */
void sb_count(struct sb *b, uint64_t n, const char *singular, const char *plural)
{
    sb_u64(b, n);
    sb_char(b, ' ');
    sb_puts(b, n == 1 ? singular : plural);
}

