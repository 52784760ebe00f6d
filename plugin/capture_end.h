/* capture_end.h - what the end of a capture leaves to the totals: the queries still
 * waiting when it was read, each told to the stats tree and the report as they are drawn
 * (timeout.c's timeouts_capture_end).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_CAPTURE_END_H
#define DNSFAIL_CAPTURE_END_H

#include <stdbool.h>

#include <epan/epan.h>

#include "dnsfail/tap.h"

/* One query still waiting when the capture ended. */
struct capture_end_query {
    const struct dnsfail_tap_record *rec; /* the query, described as a timeout record */
    bool failed;                    /* the client retried it and nothing answered it since: a
                                     * failed attempt, told only when no later pass showed it
                                     * on its frame (tshark's single pass); otherwise a query
                                     * still waiting, no failure */
    epan_t *session;                /* the capture's session, to test a totals filter on rec */
};

#endif
