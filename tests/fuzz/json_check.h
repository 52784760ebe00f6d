/* json_check.h - a strict, small JSON syntax check (RFC 8259) for the fuzz harnesses:
 * one value, then only whitespace. Recursion is bounded; no allocation.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_FUZZ_JSON_CHECK_H
#define DNSFAIL_FUZZ_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define JSON_CHECK_MAX_DEPTH 64

static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static bool json_is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Returns the character after the closing quote, or NULL. Raw control characters are
 * not allowed inside strings; bytes >= 0x80 are taken as they come. */
static const char *json_string(const char *p)
{
    if (*p++ != '"')
        return NULL;
    for (;;) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            return p + 1;
        if (c < 0x20)
            return NULL; /* includes the terminating NUL */
        if (c != '\\') {
            p++;
            continue;
        }
        p++;
        if (strchr("\"\\/bfnrt", *p) != NULL && *p != '\0') {
            p++;
        } else if (*p == 'u') {
            for (int i = 1; i <= 4; i++)
                if (!json_is_hex(p[i]))
                    return NULL;
            p += 5;
        } else {
            return NULL;
        }
    }
}

static const char *json_digits(const char *p)
{
    if (*p < '0' || *p > '9')
        return NULL;
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

static const char *json_number(const char *p)
{
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if ((p = json_digits(p)) == NULL)
        return NULL;
    if (*p == '.' && (p = json_digits(p + 1)) == NULL)
        return NULL;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if ((p = json_digits(p)) == NULL)
            return NULL;
    }
    return p;
}

static const char *json_members(const char *p, int depth, char close, bool keyed)
{
    p = json_ws(p + 1);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (keyed) {
            if ((p = json_string(json_ws(p))) == NULL)
                return NULL;
            p = json_ws(p);
            if (*p++ != ':')
                return NULL;
        }
        if ((p = json_value(p, depth + 1)) == NULL)
            return NULL;
        p = json_ws(p);
        if (*p == close)
            return p + 1;
        if (*p++ != ',')
            return NULL;
    }
}

static const char *json_value(const char *p, int depth)
{
    if (depth > JSON_CHECK_MAX_DEPTH)
        return NULL;
    p = json_ws(p);
    switch (*p) {
    case '{': return json_members(p, depth, '}', true);
    case '[': return json_members(p, depth, ']', false);
    case '"': return json_string(p);
    case 't': return strncmp(p, "true", 4) == 0 ? p + 4 : NULL;
    case 'f': return strncmp(p, "false", 5) == 0 ? p + 5 : NULL;
    case 'n': return strncmp(p, "null", 4) == 0 ? p + 4 : NULL;
    default: return json_number(p);
    }
}

/* True when text (NUL-terminated) is exactly one JSON value. */
static inline bool json_check(const char *text)
{
    const char *end = json_value(text, 0);
    return end != NULL && *json_ws(end) == '\0';
}

#endif
