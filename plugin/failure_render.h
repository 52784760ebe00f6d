/* failure_render.h - the one place that turns a failure record (failure_record.h) into
 * what a reader sees: the Info note, the tree items (failure_tree.c), the expert items
 * (failure_expert.c) and the record on the "dnsfail" tap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_FAILURE_RENDER_H
#define DNSFAIL_FAILURE_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include <epan/packet.h>

#include "dnsfail/dns_message.h"
#include "dnsfail/flow.h"
#include "dnsfail/tap.h"

#include "failure_record.h"

/* Registration: dnsfail's fields, expert fields and tap. */
void failure_render_register(int proto);
/* Once every protocol and tap is registered, and at each file: the ids the wanted-tests
 * below read. */
void failure_render_init(void);

/* Whether anything will show this frame's words: a tree, the Info or Expert column, an
 * expert listener (tshark -z expert), or the dnsfail tap. Formatting costs; when nobody
 * reads, the first pass still decides, and later passes skip the frame. */
bool failure_output_wanted(packet_info *pinfo, proto_tree *tree);
/* Whether a tap listener reads records: without one, a record made only for the tap (a
 * timeout found in the first pass) is not worth making. */
bool failure_tap_wanted(void);

/* Every output of the record: the Info note, the tree items under one "dnsfail" item
 * (tree may be NULL), the expert items, the tap record; each only when something reads it. */
void failure_render(packet_info *pinfo, proto_tree *tree, const struct failure_record *r);
/* Only the tree items, in a tree of their own (the totals' filter, totals_filter.c). */
void failure_render_tree(packet_info *pinfo, proto_tree *tree, const struct failure_record *r);
/* Only the tap record: a timeout found in the first pass on a later frame than its query. */
void failure_render_tap(packet_info *pinfo, const struct failure_record *r);
/* The same tap record, filled in rec rather than queued: for what is known only when the
 * capture has been read, with no frame to queue it on (timeout.c). */
void failure_render_tap_record(struct dnsfail_tap_record *rec, const struct failure_record *r);

/* A failed query's frame: its link to the frame of its failure. */
void failure_render_query_link(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const struct query_link *link);
/* On a DNS answer's frame, in a later pass: the ICMP error that quotes it. */
void failure_render_undelivered_link(proto_tree *tree, tvbuff_t *tvb, uint32_t error_frame);
/* An answer that ended a run of failures of its question: a tap record, no words. */
void failure_render_answer(packet_info *pinfo, const struct dnsfail_flow *flow, const struct dnsfail_question *q);
/* A client's answer after its server's upstream failures, which it recovered from: a tap
 * record (DNSFAIL_TAP_UPSTREAM_RECOVERED), no words. */
void failure_render_recovered(packet_info *pinfo, const struct chain_links *c);
/* The frame where queries began to be forgotten (more than max_queries at once). */
void failure_render_tracking_limit(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, uint32_t max_queries);
/* An ICMP error whose quote cannot be read far enough to tell whether it was DNS. */
void failure_render_unreadable_quote(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const char *why);

#endif
