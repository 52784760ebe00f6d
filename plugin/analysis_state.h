/* analysis_state.h - what the analysis keeps between frames: the settings in force, the
 * tracker of queries, the TCP streams, the links from failed queries to their failures,
 * and each frame's results (for the passes after the first).
 *
 * protocol.c owns the one instance and hands it to the hooks, which pass it down to each
 * kind of failure's file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_ANALYSIS_STATE_H
#define DNSFAIL_ANALYSIS_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include <epan/packet.h>

#include "dnsfail/answer_log.h"
#include "dnsfail/chain.h"
#include "dnsfail/port_set.h"
#include "dnsfail/tcp_stream.h"
#include "dnsfail/tracker.h"

#include "failure_record.h"
#include "frame_stash.h"

struct analysis_state {
    int proto;                        /* whose proto data holds the frames' results */
    struct dnsfail_port_set dns_ports; /* the preference dnsfail.dns_ports */
    int64_t timeout_ns;               /* the preference dnsfail.timeout */
    struct dnsfail_tracker *tracker;
    struct dnsfail_answer_log *answers; /* recent UDP answers, for errors that quote one */
    struct dnsfail_tcp_streams *tcp_streams;
    struct dnsfail_chain *chain;      /* resolvers' upstream failures (resolver_chain.c) */
    int64_t retry_window_ns;          /* the tracker's, for the chain's reset */
    /* The earliest deadline of a waiting query, as the tracker last said; INT64_MIN when
     * it must be asked again. Every frame compares its time with it: one comparison
     * instead of two calls into the tracker. */
    int64_t next_deadline_ns;
    wmem_map_t *query_links;          /* query frame number -> struct query_link, per file */
    wmem_map_t *answer_links;         /* answer frame number -> the error that quotes it, per file */
    wmem_map_t *chain_links;          /* failure frame number -> struct chain_links, per file */
    bool tracking_limit_reported;     /* per file: the first frame where queries were forgotten */
    uint64_t dns_messages;            /* per file: DNS messages read in the first pass (the report says) */
    bool later_pass_seen;             /* per file: a frame was analysed again (tshark -2, the GUI) */
    struct epan_session *session;     /* the session of the last frame analysed: the end of the
                                       * capture tests a totals filter in it */
};

/* Registration time: no tracker yet; the links are made ready for every file. */
void analysis_state_init(struct analysis_state *a, int proto);
/* The preferences were applied: the tracker made or reconfigured. */
void analysis_state_configure(struct analysis_state *a, const struct dnsfail_tracker_config *config);
/* A capture file is opened or closed: forget it. */
void analysis_state_reset_file(struct analysis_state *a);
/* Wireshark is exiting. */
void analysis_state_free(struct analysis_state *a);
/* The DNS messages read in the file's first pass (the report says how many it looked at). */
uint64_t analysis_state_dns_messages(const void *a);

/* The tracker's waiting list may change (a frame with DNS or an ICMP error is about to be
 * analysed, the preferences were applied): the next frame asks the tracker again. Set
 * before the change, so an exception in the middle of it cannot leave a stale deadline. */
static inline void analysis_deadline_recheck(struct analysis_state *a)
{
    a->next_deadline_ns = INT64_MIN;
}

/* The frame's results: NULL when it has none. */
const struct frame_results *analysis_results_get(const struct analysis_state *a, packet_info *pinfo,
                                                 struct frame_stash *stash);
/* First pass: the frame's results, made when needed (file scope). */
struct frame_results *analysis_results_make(const struct analysis_state *a, packet_info *pinfo,
                                            struct frame_stash *stash);

/* Points the matched query's frame at this one (what: "ICMP error", "ServFail"). */
void analysis_link_query(struct analysis_state *a, packet_info *pinfo, uint32_t query_frame, uint32_t attempt,
                         const char *what);
/* The link from this query frame to its failure; NULL when none (or in the first pass,
 * when the failure is still to come). */
const struct query_link *analysis_query_link_of(const struct analysis_state *a, packet_info *pinfo);

/* Points the answer's frame at this frame, the error saying it could not be delivered. */
void analysis_link_answer(struct analysis_state *a, packet_info *pinfo, uint32_t answer_frame);
/* The error that quotes this answer frame; 0 when none (or in the first pass, when the
 * error is still to come). */
uint32_t analysis_answer_link_of(const struct analysis_state *a, packet_info *pinfo);

/* First pass, on a frame that added a query: whether queries began to be forgotten here
 * (reported once per file). */
bool analysis_tracking_limit_reached(struct analysis_state *a);

#endif
