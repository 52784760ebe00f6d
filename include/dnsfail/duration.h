/* duration.h - the unit the core counts time in, and durations typed by a person.
 *
 * Capture times and durations are nanoseconds throughout (int64_t): one constant turns
 * seconds into them, for the core and the glue alike.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_DURATION_H
#define DNSFAIL_DURATION_H

#include <stdint.h>

#define DNSFAIL_NS_PER_S INT64_C(1000000000)

/* What reading a number of seconds found. */
enum dnsfail_seconds_status {
    DNSFAIL_SECONDS_OK,
    DNSFAIL_SECONDS_NOT_A_NUMBER, /* empty, a sign, letters, an exponent, a second point */
    DNSFAIL_SECONDS_TOO_PRECISE,  /* more than three decimals */
    DNSFAIL_SECONDS_ZERO,
    DNSFAIL_SECONDS_TOO_LARGE,    /* over max_s */
};

/* Seconds in decimal as a person types them: "5", "2.5", "0.25", ".5", with spaces
 * around allowed. At most three decimals, since the reasons word a timeout to the
 * millisecond; more than 0 and at most max_s. *ns is written only when the result is
 * DNSFAIL_SECONDS_OK. */
enum dnsfail_seconds_status dnsfail_parse_seconds(const char *text, uint32_t max_s, int64_t *ns);
/* What is wrong, in a few words: "not a number of seconds", ... ("" for OK). */
const char *dnsfail_seconds_status_text(enum dnsfail_seconds_status status);

#endif
