/* text.c - building a short text into a fixed buffer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dnsfail/duration.h"

void dnsfail_text_init(struct dnsfail_text *t, char *buf, size_t size)
{
    t->buf = buf;
    t->size = size;
    t->len = 0;
    if (size > 0)
        buf[0] = '\0';
}

void dnsfail_text_put(struct dnsfail_text *t, const char *s)
{
    if (t->size == 0)
        return;
    size_t room = t->size - 1 - t->len;
    const char *nul = memchr(s, '\0', room); /* the string may be longer than the room */
    size_t n = nul ? (size_t)(nul - s) : room;
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

void dnsfail_text_put_uint(struct dnsfail_text *t, unsigned long value)
{
    char digits[24];
    size_t n = sizeof digits - 1;
    digits[n] = '\0';
    do {
        digits[--n] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0);
    dnsfail_text_put(t, digits + n);
}

/* "6.2 s": the whole seconds and the tenth, truncated. */
static void format_tenths(int64_t ns, char *buf, size_t size)
{
    int tenth = (int)(ns % DNSFAIL_NS_PER_S / (DNSFAIL_NS_PER_S / 10));
    snprintf(buf, size, "%" PRId64 ".%01d s", ns / DNSFAIL_NS_PER_S, tenth);
}

void dnsfail_format_timeout(int64_t ns, char *buf, size_t size)
{
    int64_t ms = ns / (DNSFAIL_NS_PER_S / 1000);
    if (ms % 1000 == 0)
        snprintf(buf, size, "%" PRId64 " s", ms / 1000);
    else if (ms % 100 == 0)
        snprintf(buf, size, "%" PRId64 ".%01" PRId64 " s", ms / 1000, ms % 1000 / 100);
    else
        snprintf(buf, size, "%" PRId64 ".%03" PRId64 " s", ms / 1000, ms % 1000);
}

void dnsfail_format_wait(int64_t ns, char *buf, size_t size)
{
    format_tenths(ns < 0 ? 0 : ns, buf, size);
}
