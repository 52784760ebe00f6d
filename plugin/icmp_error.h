/* icmp_error.h - ICMP and ICMPv6 errors that quote DNS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_ICMP_ERROR_H
#define DNSFAIL_ICMP_ERROR_H

#include <epan/packet.h>

#include "analysis_state.h"
#include "frame_stash.h"

/* A frame with an ICMP error: every pass. */
void icmp_error_analyse(struct analysis_state *a, packet_info *pinfo, proto_tree *tree, struct frame_stash *stash);

#endif
