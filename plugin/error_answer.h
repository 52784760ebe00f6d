/* error_answer.h - answers with a failing RCODE, and NXDOMAIN.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_ERROR_ANSWER_H
#define DNSFAIL_ERROR_ANSWER_H

#include <stdbool.h>

#include <epan/packet.h>

#include "analysis_state.h"
#include "dns_seen.h"

/* First pass, for a response from a DNS port: seen->bytes is the whole DNS message as
 * captured, m its query (NULL when none matched). Returns true when the answer was an
 * error or NXDOMAIN (then it has been dealt with). */
bool error_answer_first_pass(struct analysis_state *a, packet_info *pinfo, const struct dns_seen *seen,
                             const struct dnsfail_query_match *m);
/* Every pass: shows the frame's error answer. */
void error_answer_annotate(const struct analysis_state *a, packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb,
                           const struct error_answer *answer);

#endif
