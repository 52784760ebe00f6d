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

#endif
