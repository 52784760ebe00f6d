/* timeout.h - queries that nothing answered within the timeout, and answers after it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_TIMEOUT_H
#define DNSFAIL_TIMEOUT_H

#include <epan/packet.h>

#include "dnsfail/tap.h"

#include "analysis_state.h"
#include "dns_seen.h"
#include "frame_stash.h"

/* First pass, when the frame's time is at or past a->next_deadline_ns: the queries whose
 * timeout it has passed; then caches the next deadline. */
void timeouts_expire(struct analysis_state *a, packet_info *pinfo);
/* Caches the tracker's next deadline, after a frame's analysis could have moved it (so
 * that the next frames need not ask). */
void timeouts_refresh(struct analysis_state *a);
/* First pass: an answer to a query that had timed out. */
void late_answer_first_pass(struct analysis_state *a, packet_info *pinfo, const struct dns_seen *seen,
                            const struct dnsfail_query_match *m);
/* Every pass: a late answer on this frame; in later passes, a timed-out query. */
void timeouts_annotate(const struct analysis_state *a, packet_info *pinfo, proto_tree *tree,
                       const struct frame_stash *stash, tvbuff_t *tvb, const struct late_answer *late);
/* The tree items a timeout's tap record shows on its query's frame in a later pass, added
 * to tree (the totals' filter reads them when single pass found the timeout on a later
 * frame). */
void timeout_show_tap_record(packet_info *pinfo, proto_tree *tree, const struct dnsfail_tap_record *rec);
/* Forgets the file's timeouts. */
void timeouts_reset(void);

#endif
