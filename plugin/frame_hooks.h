/* frame_hooks.h - the wrappers of the ip.proto entries for ICMP, ICMPv6, UDP and TCP, and
 * the per-frame analysis they run.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_FRAME_HOOKS_H
#define DNSFAIL_FRAME_HOOKS_H

#include <epan/packet.h>

#include "analysis_state.h"

/* Wraps the ip.proto handles; every frame's analysis then works on state. */
void frame_hooks_install(int proto, struct analysis_state *state);
/* The "dnsfail" dissector handle: the same analysis, for whoever calls it by name. */
int frame_hooks_dissect(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);

#endif
