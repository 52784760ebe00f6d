/* text.h - building a short text into a fixed buffer, piece by piece; durations in words,
 * and read back from the words a person types.
 *
 * For the words dnsfail writes on every failure (the reason, the Info column's note):
 * snprintf parses its format and walks stdio's machinery each time, several times the
 * cost of copying the pieces. Writes never pass the buffer: what does not fit is cut, as
 * snprintf cuts, and the buffer always holds a terminated string (size > 0).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_TEXT_H
#define DNSFAIL_TEXT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dnsfail_text {
    char *buf;
    size_t size;
    size_t len; /* characters written, at most size - 1 */
};

/* Starts an empty text in buf[0, size); size 0 writes nothing ever. */
void dnsfail_text_init(struct dnsfail_text *t, char *buf, size_t size);
/* Appends a string, cut at the end of the buffer. */
void dnsfail_text_put(struct dnsfail_text *t, const char *s);
/* Appends an unsigned number in decimal. */
void dnsfail_text_put_uint(struct dnsfail_text *t, unsigned long value);

/* Durations in the words of the reasons, one wording for every place that shows them.
 * A timeout: "5 s" when whole seconds, "1.5 s" when whole tenths, else to the
 * millisecond, truncated ("2.345 s"). */
void dnsfail_format_timeout(int64_t ns, char *buf, size_t size);
/* A wait: always to a tenth of a second, truncated ("6.0 s"); a negative wait is 0. */
void dnsfail_format_wait(int64_t ns, char *buf, size_t size);

/* What reading a number of seconds found. */
enum dnsfail_seconds_status {
    DNSFAIL_SECONDS_OK,
    DNSFAIL_SECONDS_NOT_A_NUMBER, /* empty, a sign, letters, an exponent, a second point */
    DNSFAIL_SECONDS_TOO_PRECISE,  /* more than three decimals */
    DNSFAIL_SECONDS_ZERO,
    DNSFAIL_SECONDS_TOO_LARGE,    /* over max_s */
};

/* Seconds in decimal as a person types them (a preference): "5", "2.5", "0.25", ".5",
 * with spaces around allowed. At most three decimals, as dnsfail_format_timeout words a
 * timeout to the millisecond; more than 0 and at most max_s. Read exactly, without a
 * binary double: "2.3" is 2300000000 ns. *ns is written only when the result is
 * DNSFAIL_SECONDS_OK. */
enum dnsfail_seconds_status dnsfail_parse_seconds(const char *text, uint32_t max_s, int64_t *ns);
/* What is wrong, in a few words: "not a number of seconds", ... ("" for OK). */
const char *dnsfail_seconds_status_text(enum dnsfail_seconds_status status);

#ifdef __cplusplus
}
#endif

#endif
