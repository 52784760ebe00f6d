/* strbuf.h - a growable string for the reports, written piece by piece. Internal to the
 * core.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_STRBUF_H
#define DNSFAIL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growable string; after a failed allocation it ignores everything and finishes as NULL. */
struct sb {
    char *buf;
    size_t len;
    size_t cap;
    bool failed;
};

/* Appends n bytes, a NUL-terminated string, one character, a number in decimal. */
void sb_add(struct sb *b, const char *s, size_t n);
void sb_puts(struct sb *b, const char *s);
void sb_char(struct sb *b, char c);
void sb_u64(struct sb *b, uint64_t v);
/* A string from a record, for plain text: bytes outside printable ASCII as \DDD. */
void sb_text(struct sb *b, const char *s);
/* The string, malloc'd (the caller frees it; "" when nothing was added), or NULL after a
 * failed allocation. */
char *sb_finish(struct sb *b);
/* "1 failed attempt", "3 failed attempts". */
void sb_count(struct sb *b, uint64_t n, const char *singular, const char *plural);

#endif
