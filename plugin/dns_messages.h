/* dns_messages.h - DNS queries and answers, over UDP or TCP.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_DNS_MESSAGES_H
#define DNSFAIL_DNS_MESSAGES_H

#include <epan/packet.h>

#include "analysis_state.h"
#include "dns_seen.h"
#include "frame_stash.h"

/* A frame with a UDP datagram to or from a DNS port: every pass. */
void dns_messages_analyse_udp(struct analysis_state *a, packet_info *pinfo, proto_tree *tree,
                              struct frame_stash *stash);
/* First pass: one DNS message (UDP or TCP). */
void dns_messages_first_pass(struct analysis_state *a, packet_info *pinfo, const struct dns_seen *seen);
/* Every pass, after the frame's messages: links, error answers, late answers, timeouts. */
void dns_messages_annotate(struct analysis_state *a, packet_info *pinfo, proto_tree *tree,
                           struct frame_stash *stash, tvbuff_t *tvb);

#endif
