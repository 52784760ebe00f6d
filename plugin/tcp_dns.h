/* tcp_dns.h - DNS over TCP: refused connections, and the messages in accepted ones.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_TCP_DNS_H
#define DNSFAIL_TCP_DNS_H

#include <epan/packet.h>

#include "analysis_state.h"
#include "frame_stash.h"

/* A frame with a TCP segment to or from a DNS port: every pass. */
void tcp_dns_analyse(struct analysis_state *a, packet_info *pinfo, proto_tree *tree, struct frame_stash *stash);

#endif
