/* dns_seen.h - one DNS message seen in a UDP datagram or a TCP segment, as the kinds of
 * failure read it in the first pass.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_DNS_SEEN_H
#define DNSFAIL_DNS_SEEN_H

#include <stddef.h>
#include <stdint.h>

#include <epan/packet.h>

#include "dnsfail/dns_message.h"
#include "dnsfail/tracker.h"

#include "frame_stash.h"

/* The message with its flow from the client's side. bytes holds what was captured of it
 * (for a query, at most what its question needs). */
struct dns_seen {
    struct frame_stash *stash;
    struct dnsfail_flow flow;
    tvbuff_t *tvb;                /* the UDP datagram or TCP segment it is in */
    const uint8_t *datagram;      /* UDP: the whole datagram as captured; TCP: NULL */
    size_t datagram_len;
    int offset;                   /* where the DNS message starts in tvb */
    const uint8_t *bytes;
    size_t len;
    const struct dnsfail_dns_message *msg;
};

#endif
