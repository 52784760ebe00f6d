/* tcp_stream.c - where DNS messages start in each direction of a TCP connection.
 *
 * Each direction remembers one sequence number: where its next two-byte length prefix
 * starts. All sequence arithmetic is modulo 2^32 (RFC 9293 3.4), so a stream whose
 * numbers wrap past 0xFFFFFFFF chains on as if they did not.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/tcp_stream.h"

#include <stdlib.h>

#include "addr_key.h"
#include "dnsfail/bytes.h"
#include "ring_table.h"

/* Segments are placed relative to the boundary by signed 32-bit differences, which only
 * mean something within half the sequence space; no real segment is anywhere near it. */
#define SEQ_HALF_SPACE UINT32_C(0x80000000)

/* One direction of one connection. */
struct stream_record {
    struct dnsfail_flow flow;
    uint32_t next;    /* sequence number of the next length prefix */
    uint32_t isn;     /* the SYN's sequence number */
    bool from_client;
    bool known;       /* false once the capture missed a boundary: next means nothing */
};

struct dnsfail_tcp_streams {
    struct ring_table table; /* keyed by flow and direction; its limit is max_streams */
};

struct dnsfail_tcp_streams *dnsfail_tcp_streams_new(uint32_t max_streams)
{
    struct dnsfail_tcp_streams *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    ring_table_init(&s->table, sizeof(struct stream_record),
                    max_streams ? max_streams : DNSFAIL_TCP_STREAMS_DEFAULT_MAX);
    return s;
}

void dnsfail_tcp_streams_free(struct dnsfail_tcp_streams *s)
{
    if (!s)
        return;
    ring_table_clear(&s->table);
    free(s);
}

void dnsfail_tcp_streams_reset(struct dnsfail_tcp_streams *s)
{
    ring_table_clear(&s->table);
}

/* Field by field, never the struct's bytes: its padding is not the caller's to set. */
static uint64_t hash_key(const struct dnsfail_flow *f, bool from_client)
{
    uint8_t tail[6] = {(uint8_t)(f->client_port >> 8), (uint8_t)f->client_port, (uint8_t)(f->server_port >> 8),
                       (uint8_t)f->server_port, f->transport, from_client ? 1u : 0u};
    uint64_t h = addr_key_hash(RING_HASH_SEED, &f->client);
    h = addr_key_hash(h, &f->server);
    return ring_hash_bytes(h, tail, sizeof tail);
}

/* Only syn() inserts, and only when this walk found nothing, so a key has one record. */
static struct stream_record *find(const struct dnsfail_tcp_streams *s, uint64_t h, const struct dnsfail_flow *flow,
                                  bool from_client)
{
    for (int32_t slot = ring_table_first(&s->table, h); slot != -1; slot = ring_table_next(&s->table, slot, h)) {
        struct stream_record *r = ring_table_record(&s->table, slot);
        if (r->from_client == from_client && flow_key_equal(&r->flow, flow))
            return r;
    }
    return NULL;
}

void dnsfail_tcp_streams_syn(struct dnsfail_tcp_streams *s, const struct dnsfail_flow *flow, bool from_client,
                             uint32_t seq)
{
    uint64_t h = hash_key(flow, from_client);
    struct stream_record *r = find(s, h, flow, from_client);
    if (!r) {
        int32_t slot = ring_table_insert(&s->table, h);
        if (slot == -1)
            return; /* out of memory: the direction stays unknown, which is safe */
        r = ring_table_record(&s->table, slot);
        r->flow = *flow;
        r->from_client = from_client;
    } else if (r->isn == seq) {
        return; /* the same SYN again (retransmitted, or captured twice): data may have flowed since */
    }
    /* The SYN takes one sequence number; the first data byte, a length prefix, is next. */
    r->isn = seq;
    r->next = seq + 1u;
    r->known = true;
}

/* The segment [seq, seq + len) does not reach the boundary: true when it lies wholly
 * before it (retransmitted or old data, or the middle of a long message), false when it
 * starts past it (the bytes holding the boundary were not captured). */
static bool wholly_before(uint32_t seq, size_t len, uint32_t next)
{
    uint32_t end = seq + (uint32_t)len;
    return (int32_t)(end - next) <= 0;
}

size_t dnsfail_tcp_streams_segment(struct dnsfail_tcp_streams *s, const struct dnsfail_flow *flow, bool from_client,
                                   uint32_t seq, const uint8_t *payload, size_t len, struct dnsfail_tcp_message *out,
                                   size_t max)
{
    struct stream_record *r = find(s, hash_key(flow, from_client), flow, from_client);
    if (!r || !r->known)
        return 0;
    if (len >= SEQ_HALF_SPACE) {
        /* Cannot be placed modulo 2^32; better lost than read wrongly. */
        r->known = false;
        return 0;
    }

    size_t offset = (uint32_t)(r->next - seq); /* of the next prefix in this payload */
    if (offset >= len) {
        if (!wholly_before(seq, len, r->next))
            r->known = false;
        return 0;
    }

    size_t found = 0;
    while (offset < len) {
        if (len - offset < 2) {
            /* The prefix continues in the next segment; its first byte alone cannot say
             * where the message after it starts, and the next segment is not read from
             * the middle of a prefix. */
            r->known = false;
            return found;
        }
        uint16_t length = dnsfail_read_u16(payload + offset);
        size_t start = offset + 2;
        /* A full out[] still walks the chain, so the next segment finds its boundary. */
        if (found < max) {
            size_t left = len - start;
            out[found].offset = start;
            out[found].length = length;
            out[found].captured = length < left ? length : left;
            found++;
        }
        r->next += 2u + (uint32_t)length;
        offset = start + length;
    }
    return found;
}

uint32_t dnsfail_tcp_streams_count(const struct dnsfail_tcp_streams *s)
{
    return s->table.count;
}

size_t dnsfail_tcp_streams_bytes(const struct dnsfail_tcp_streams *s)
{
    return sizeof *s + ring_table_bytes(&s->table);
}
