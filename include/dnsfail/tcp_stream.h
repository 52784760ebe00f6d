/* tcp_stream.h - where DNS messages start in a TCP connection to a DNS port.
 *
 * DNS over TCP sends each message after a two-byte length (RFC 1035 4.2.2, RFC 7766).
 * Knowing where a direction's byte stream starts (its SYN's sequence number plus one),
 * the length prefixes chain from one message to the next. A message is read from the
 * segment where it starts (its header and question are near the front); when the
 * capture misses bytes at a boundary, the direction loses its place and its later
 * messages are not read, rather than read wrongly.
 *
 * Memory is bounded: at most max_streams directions are remembered, the oldest are
 * forgotten first.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_TCP_STREAM_H
#define DNSFAIL_TCP_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnsfail/tracker.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DNSFAIL_TCP_STREAMS_DEFAULT_MAX 16384u
#define DNSFAIL_TCP_MESSAGES_PER_SEGMENT_MAX 8u

/* One DNS message that starts in a segment. */
struct dnsfail_tcp_message {
    size_t offset;                 /* of the DNS message in the payload (after its length) */
    uint16_t length;               /* as the prefix says */
    size_t captured;               /* bytes of it in this segment: min(length, what is left) */
};

struct dnsfail_tcp_streams;

/* max_streams 0: the default. NULL on allocation failure. */
struct dnsfail_tcp_streams *dnsfail_tcp_streams_new(uint32_t max_streams);
void dnsfail_tcp_streams_free(struct dnsfail_tcp_streams *s);
/* Forgets every stream (a new capture file). */
void dnsfail_tcp_streams_reset(struct dnsfail_tcp_streams *s);

/* A SYN from the client (from_client) or the server's SYN/ACK: that direction's stream
 * starts at seq + 1. flow is seen from the client in both cases. A SYN with a new
 * sequence number (a new connection on the same ports) restarts the direction; the same
 * SYN again changes nothing. Data carried on a SYN (TCP Fast Open) is at seq + 1: pass
 * it to dnsfail_tcp_streams_segment() with that sequence number. */
void dnsfail_tcp_streams_syn(struct dnsfail_tcp_streams *s, const struct dnsfail_flow *flow, bool from_client,
                             uint32_t seq);

/* A segment of the direction (from_client or not) with sequence number seq and payload
 * bytes payload[0..len). Fills out[] with the messages starting in it (at most max) and
 * returns their count; moves the direction's expected boundary past them. A segment
 * entirely before the boundary (a retransmission) gives 0 and changes nothing; one that
 * skips past the boundary, or splits a length prefix, loses the direction's place. */
size_t dnsfail_tcp_streams_segment(struct dnsfail_tcp_streams *s, const struct dnsfail_flow *flow, bool from_client,
                                   uint32_t seq, const uint8_t *payload, size_t len, struct dnsfail_tcp_message *out,
                                   size_t max);

/* Directions remembered now, and memory held. */
uint32_t dnsfail_tcp_streams_count(const struct dnsfail_tcp_streams *s);
size_t dnsfail_tcp_streams_bytes(const struct dnsfail_tcp_streams *s);

#ifdef __cplusplus
}
#endif

#endif
