/* frame_stash.h - what the dissector hooks saw of one frame, for its analysis, and the
 * frame's results from the first pass.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_FRAME_STASH_H
#define DNSFAIL_FRAME_STASH_H

#include <stdbool.h>
#include <stdint.h>

#include <epan/packet.h>

#include "dnsfail/addr.h"

/* What the first pass found on a DNS frame, for every pass to show: one lookup per frame.
 * Each member is NULL (false) when the frame has none; each kind's file defines its own. */
struct answer_after_failure;     /* dns_messages.c: an answer that ended failures */
struct error_answer;             /* error_answer.c */
struct late_answer;              /* timeout.c */
struct tcp_refusal;              /* tcp_dns.c: a reset that refused a DNS connection */
struct frame_results {
    const struct answer_after_failure *answer;
    const struct error_answer *error_answer;
    const struct late_answer *late_answer;
    const struct tcp_refusal *refusal;
    bool tracking_limit;         /* queries began to be forgotten here */
};

/* What the hooks saw of this frame (frame_stash.c). Each group's members are set together
 * with its tvb and mean nothing while it is NULL. */
struct frame_stash {
    tvbuff_t *icmp_tvb;          /* outermost ICMP/ICMPv6 error message */
    uint8_t icmp_version;        /* 4 or 6 */
    struct dnsfail_addr reporter; /* the IP source of that message */
    tvbuff_t *udp_tvb;           /* outermost UDP datagram with a DNS port */
    struct dnsfail_addr udp_src; /* addresses are copied in: later layers (tunnels) change pinfo's */
    struct dnsfail_addr udp_dst;
    tvbuff_t *tcp_tvb;           /* outermost TCP segment with a DNS port */
    struct dnsfail_addr tcp_src;
    struct dnsfail_addr tcp_dst;
    struct frame_results *results; /* see analysis_results_get() */
    bool results_known;
};

/* The frame's stash, begun afresh unless this frame holds it: *began says which. The hook
 * that begins it analyses the frame when its dissector returns. */
struct frame_stash *frame_stash_for(packet_info *pinfo, bool *began);
/* Whether this frame holds the stash (a hook noted it). */
bool frame_stash_is_this_frames(const packet_info *pinfo);
/* The analysis' read of the stash: NULL on frames no hook noted, or once taken. */
struct frame_stash *frame_stash_take(packet_info *pinfo);
/* At exit: the packet pools stop calling into the plugin. */
void frame_stash_shutdown(void);

#endif
