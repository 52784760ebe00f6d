/* duration.c - durations typed by a person (a preference), read into nanoseconds.
 *
 * Written out rather than with strtod: a binary double cannot hold 0.1 exactly, and a
 * timeout of 2.3 s must be 2300000000 ns, not one nanosecond less.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/duration.h"

#include <stdbool.h>

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
