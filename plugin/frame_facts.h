/* frame_facts.h - what a frame says in the core's terms: its time and its IP addresses.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_FRAME_FACTS_H
#define DNSFAIL_FRAME_FACTS_H

#include <stdint.h>
#include <string.h>

#include <epan/packet.h>

#include "dnsfail/addr.h"
#include "dnsfail/duration.h"


static inline void frame_addr_from_ws(const address *in, struct dnsfail_addr *out)
{
    memset(out, 0, sizeof *out);
    if (in->type == AT_IPv4 && in->len == 4)
        dnsfail_addr_set_ipv4(out, (const uint8_t *)in->data);
    else if (in->type == AT_IPv6 && in->len == 16)
        dnsfail_addr_set_ipv6(out, (const uint8_t *)in->data);
}

/* Nanoseconds since the epoch, saturated: a hostile timestamp must not overflow. */
static inline int64_t frame_time_ns(const packet_info *pinfo)
{
    const int64_t limit = INT64_MAX / DNSFAIL_NS_PER_S - 1;
    int64_t secs = (int64_t)pinfo->abs_ts.secs;
    if (secs > limit)
        secs = limit;
    else if (secs < -limit)
        secs = -limit;
    return secs * DNSFAIL_NS_PER_S + pinfo->abs_ts.nsecs;
}

static inline nstime_t frame_nstime(int64_t ns)
{
    nstime_t t = {.secs = (time_t)(ns / DNSFAIL_NS_PER_S), .nsecs = (int)(ns % DNSFAIL_NS_PER_S)};
    return t;
}

#endif
