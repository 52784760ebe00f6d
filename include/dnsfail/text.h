/* text.h - building a short text into a fixed buffer, piece by piece.
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

#ifdef __cplusplus
}
#endif

#endif
