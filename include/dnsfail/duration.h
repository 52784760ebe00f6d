/* duration.h - the unit the core counts time in.
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

/* a - b, saturated: capture times are attacker-controlled and may sit at the ends of the
 * range. */
static inline int64_t dnsfail_time_diff(int64_t a, int64_t b)
{
    if (b < 0 && a > INT64_MAX + b)
        return INT64_MAX;
    if (b > 0 && a < INT64_MIN + b)
        return INT64_MIN;
    return a - b;
}

#endif
