/* text.c - building a short text into a fixed buffer; durations in words, and read back.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/text.h"

#include <inttypes.h>
#include <stdbool.h>
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

/* ---- seconds as typed ------------------------------------------------------------------- */

#define MAX_DECIMALS 3
#define NS_PER_MS INT64_C(1000000)

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const char *skip_spaces(const char *p)
{
    while (is_space(*p))
        p++;
    return p;
}

/* Whole seconds, up to the first character that is no digit; false past max_s. Leading
 * zeros are read like any digit, so a long run of them is no overflow. */
static bool read_whole(const char **p, uint32_t max_s, uint64_t *whole, unsigned *digits)
{
    *whole = 0;
    *digits = 0;
    for (; is_digit(**p); (*p)++, (*digits)++) {
        *whole = *whole * 10 + (uint64_t)(**p - '0');
        if (*whole > max_s)
            return false;
    }
    return true;
}

/* The decimals after the point, as milliseconds; false after more than MAX_DECIMALS
 * (trailing zeros too: "2.5000" is refused rather than guessed at). */
static bool read_decimals(const char **p, int64_t *ms, unsigned *digits)
{
    static const int64_t weight[MAX_DECIMALS] = {100, 10, 1};

    *ms = 0;
    *digits = 0;
    for (; is_digit(**p); (*p)++, (*digits)++) {
        if (*digits == MAX_DECIMALS)
            return false;
        *ms += weight[*digits] * (**p - '0');
    }
    return true;
}

enum dnsfail_seconds_status dnsfail_parse_seconds(const char *text, uint32_t max_s, int64_t *ns)
{
    const char *p = skip_spaces(text ? text : "");
    uint64_t whole;
    int64_t ms = 0;
    unsigned whole_digits, decimal_digits = 0;
    bool too_large = !read_whole(&p, max_s, &whole, &whole_digits);

    while (too_large && is_digit(*p))
        p++;
    if (*p == '.') {
        p++;
        if (!read_decimals(&p, &ms, &decimal_digits)) {
            while (is_digit(*p))
                p++;
            p = skip_spaces(p);
            return *p ? DNSFAIL_SECONDS_NOT_A_NUMBER : DNSFAIL_SECONDS_TOO_PRECISE;
        }
    }
    p = skip_spaces(p);
    if (*p || whole_digits + decimal_digits == 0)
        return DNSFAIL_SECONDS_NOT_A_NUMBER;
    if (too_large || (whole == max_s && ms > 0))
        return DNSFAIL_SECONDS_TOO_LARGE;
    if (whole == 0 && ms == 0)
        return DNSFAIL_SECONDS_ZERO;
    *ns = (int64_t)whole * DNSFAIL_NS_PER_S + ms * NS_PER_MS;
    return DNSFAIL_SECONDS_OK;
}

const char *dnsfail_seconds_status_text(enum dnsfail_seconds_status status)
{
    switch (status) {
    case DNSFAIL_SECONDS_OK: return "";
    case DNSFAIL_SECONDS_NOT_A_NUMBER: return "not a number of seconds";
    case DNSFAIL_SECONDS_TOO_PRECISE: return "more than three decimals";
    case DNSFAIL_SECONDS_ZERO: return "not more than 0";
    case DNSFAIL_SECONDS_TOO_LARGE: return "too large";
    }
    return "not a number of seconds";
}
