/* test_tcp_stream.c - where DNS messages start in a TCP byte stream.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/tcp_stream.h"

#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "packet_builder.h"

/* The streams' flows are TCP, between the builder's client and server. */
static struct dnsfail_flow flow_v4(uint16_t client_port)
{
    return flow_of_v4(PB_V4_CLIENT, client_port, PB_V4_SERVER, DNSFAIL_TRANSPORT_TCP);
}

static struct dnsfail_flow flow_v6(uint16_t client_port)
{
    return flow_of_v6(client_port, DNSFAIL_TRANSPORT_TCP);
}

/* A byte stream being written: length-prefixed messages and raw bytes. Message bodies
 * start with a marker byte, so a test can see that an offset points at the right one. */
struct stream {
    uint8_t b[2048];
    size_t len;
};

static void put_raw(struct stream *st, const uint8_t *p, size_t n)
{
    if (st->len + n > sizeof st->b) { /* a test bug: reported, then ignored */
        CHECK(st->len + n <= sizeof st->b);
        return;
    }
    memcpy(st->b + st->len, p, n);
    st->len += n;
}

/* Appends a prefix and a body of length bytes, the first being marker; returns where
 * the body starts. */
static size_t put_msg(struct stream *st, uint16_t length, uint8_t marker)
{
    uint8_t prefix[2] = {(uint8_t)(length >> 8), (uint8_t)length};
    put_raw(st, prefix, 2);
    size_t body = st->len;
    for (uint16_t i = 0; i < length && st->len < sizeof st->b; i++)
        st->b[st->len++] = i == 0 ? marker : (uint8_t)(0xA0 + i);
    return body;
}

struct fixture {
    struct dnsfail_tcp_streams *s;
    struct dnsfail_flow flow;
    struct dnsfail_tcp_message out[DNSFAIL_TCP_MESSAGES_PER_SEGMENT_MAX];
};

static bool setup(struct fixture *fx, uint32_t max_streams)
{
    memset(fx, 0, sizeof *fx);
    fx->s = dnsfail_tcp_streams_new(max_streams);
    fx->flow = flow_v4(40000);
    return CHECK(fx->s != NULL);
}

/* The client's segment carrying stream bytes [from, from + n), the stream starting at
 * sequence number isn + 1. */
static size_t client_seg(struct fixture *fx, uint32_t isn, const struct stream *st, size_t from, size_t n)
{
    return dnsfail_tcp_streams_segment(fx->s, &fx->flow, true, isn + 1u + (uint32_t)from, st->b + from, n, fx->out,
                                       DNSFAIL_TCP_MESSAGES_PER_SEGMENT_MAX);
}

static bool check_msg(const struct dnsfail_tcp_message *m, size_t offset, uint16_t length, size_t captured)
{
    bool ok = CHECK_EQ_INT(m->offset, offset);
    ok = CHECK_EQ_INT(m->length, length) && ok;
    return CHECK_EQ_INT(m->captured, captured) && ok;
}

static void test_normal_client_stream(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    put_msg(&st, 30, 0x11);
    size_t second = st.len;
    put_msg(&st, 45, 0x22);

    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 1000);
    /* The first query at seq 1001, its prefix first. */
    if (CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, true, 1001, st.b, 32, fx.out, 8), 1)) {
        check_msg(&fx.out[0], 2, 30, 30);
        CHECK_EQ_INT(st.b[fx.out[0].offset], 0x11);
    }
    /* The next one on the same connection at 1001 + 32. */
    if (CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, true, 1033, st.b + second, 47, fx.out, 8), 1)) {
        check_msg(&fx.out[0], 2, 45, 45);
        CHECK_EQ_INT(st.b[second + fx.out[0].offset], 0x22);
    }
    /* A pure ACK at the boundary (no payload, none given) changes nothing. */
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, true, 1080, NULL, 0, fx.out, 8), 0);
    struct stream third = {0};
    put_msg(&third, 12, 0x33);
    if (CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, true, 1080, third.b, third.len, fx.out, 8), 1))
        check_msg(&fx.out[0], 2, 12, 12);
    dnsfail_tcp_streams_free(fx.s);
}

static void test_pipelined_messages_in_one_segment(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    size_t a = put_msg(&st, 28, 0x11);
    size_t b = put_msg(&st, 33, 0x22);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 7);
    if (CHECK_EQ_INT(client_seg(&fx, 7, &st, 0, st.len), 2)) {
        check_msg(&fx.out[0], a, 28, 28);
        check_msg(&fx.out[1], b, 33, 33);
        CHECK_EQ_INT(st.b[fx.out[1].offset], 0x22);
    }
    /* The stream continues right after both. */
    struct stream next = {0};
    put_msg(&next, 5, 0x33);
    if (CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, true, 8u + (uint32_t)st.len, next.b, next.len,
                                                 fx.out, 8), 1))
        check_msg(&fx.out[0], 2, 5, 5);
    dnsfail_tcp_streams_free(fx.s);
}

static void test_zero_length_message_is_emitted_and_skipped(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    put_msg(&st, 0, 0);
    size_t b = put_msg(&st, 9, 0x22);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 100);
    if (CHECK_EQ_INT(client_seg(&fx, 100, &st, 0, st.len), 2)) {
        check_msg(&fx.out[0], 2, 0, 0);
        check_msg(&fx.out[1], b, 9, 9);
    }
    dnsfail_tcp_streams_free(fx.s);
}

static void test_message_spanning_segments(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    put_msg(&st, 100, 0x11);  /* stream bytes [0, 102) */
    size_t b = put_msg(&st, 20, 0x22);
    const uint32_t isn = 5000;
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, isn);
    /* The prefix and 40 bytes of the body. */
    if (CHECK_EQ_INT(client_seg(&fx, isn, &st, 0, 42), 1))
        check_msg(&fx.out[0], 2, 100, 40);
    /* 50 more bytes of the body: no message starts here. */
    CHECK_EQ_INT(client_seg(&fx, isn, &st, 42, 50), 0);
    /* The last 10 bytes of the body, then the next message at stream offset 102. */
    if (CHECK_EQ_INT(client_seg(&fx, isn, &st, 92, st.len - 92), 1)) {
        check_msg(&fx.out[0], b - 92, 20, 20);
        CHECK_EQ_INT(st.b[92 + fx.out[0].offset], 0x22);
    }
    dnsfail_tcp_streams_free(fx.s);
}

/* A prefix ending exactly at the end of a segment: the message starts there, with
 * nothing of it captured yet. */
static void test_prefix_at_the_end_of_a_segment(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    put_msg(&st, 10, 0x11);
    put_msg(&st, 15, 0x22);
    size_t c = put_msg(&st, 3, 0x33);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 1);
    if (CHECK_EQ_INT(client_seg(&fx, 1, &st, 0, 14), 2)) {
        check_msg(&fx.out[0], 2, 10, 10);
        check_msg(&fx.out[1], 14, 15, 0);
    }
    if (CHECK_EQ_INT(client_seg(&fx, 1, &st, 14, st.len - 14), 1))
        check_msg(&fx.out[0], c - 14, 3, 3);
    dnsfail_tcp_streams_free(fx.s);
}

static void test_retransmission_is_not_read_twice(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    put_msg(&st, 30, 0x11);   /* [0, 32) */
    put_msg(&st, 30, 0x22);   /* [32, 64) */
    put_msg(&st, 30, 0x33);   /* [64, 96) */
    const uint32_t isn = 1000;
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, isn);
    CHECK_EQ_INT(client_seg(&fx, isn, &st, 0, 32), 1);
    /* The same segment again, and a piece of it. */
    CHECK_EQ_INT(client_seg(&fx, isn, &st, 0, 32), 0);
    CHECK_EQ_INT(client_seg(&fx, isn, &st, 10, 22), 0);
    /* A keep-alive (one old byte) is old data too. */
    CHECK_EQ_INT(client_seg(&fx, isn, &st, 31, 1), 0);
    /* The place is kept. */
    if (CHECK_EQ_INT(client_seg(&fx, isn, &st, 32, 32), 1))
        CHECK_EQ_INT(st.b[32 + fx.out[0].offset], 0x22);
    /* A retransmission that repacks old and new bytes: only the new message is read. */
    if (CHECK_EQ_INT(client_seg(&fx, isn, &st, 0, 96), 1)) {
        check_msg(&fx.out[0], 66, 30, 30);
        CHECK_EQ_INT(st.b[fx.out[0].offset], 0x33);
    }
    CHECK_EQ_INT(client_seg(&fx, isn, &st, 0, 96), 0);
    dnsfail_tcp_streams_free(fx.s);
}

static void test_gap_loses_the_place_until_a_new_syn(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    put_msg(&st, 30, 0x11);   /* [0, 32) */
    put_msg(&st, 30, 0x22);   /* [32, 64): not captured */
    put_msg(&st, 30, 0x33);   /* [64, 96) */
    put_msg(&st, 30, 0x44);   /* [96, 128) */
    const uint32_t isn = 1000;
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, isn);
    CHECK_EQ_INT(client_seg(&fx, isn, &st, 0, 32), 1);
    CHECK_EQ_INT(client_seg(&fx, isn, &st, 64, 32), 0);
    /* Even a segment that happens to start where a message does is not trusted now. */
    CHECK_EQ_INT(client_seg(&fx, isn, &st, 96, 32), 0);
    /* Nor the missing segment, arriving late. */
    CHECK_EQ_INT(client_seg(&fx, isn, &st, 32, 32), 0);
    CHECK_EQ_INT(dnsfail_tcp_streams_count(fx.s), 1);
    /* A new connection on the same ports starts over. */
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 90000);
    if (CHECK_EQ_INT(client_seg(&fx, 90000, &st, 0, 32), 1))
        check_msg(&fx.out[0], 2, 30, 30);
    dnsfail_tcp_streams_free(fx.s);
}

/* A pure ACK past the boundary shows that bytes holding it went by uncaptured. */
static void test_empty_segment_past_the_boundary_is_a_gap(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    put_msg(&st, 30, 0x11);
    put_msg(&st, 30, 0x22);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 10);
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, true, 12, NULL, 0, fx.out, 8), 0);
    CHECK_EQ_INT(client_seg(&fx, 10, &st, 0, st.len), 0);
    dnsfail_tcp_streams_free(fx.s);
}

static void test_split_prefix_loses_the_place(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    put_msg(&st, 30, 0x11);   /* [0, 32) */
    put_msg(&st, 300, 0x22);  /* [32, 334): its prefix split 1 + 1 */
    put_msg(&st, 30, 0x33);
    const uint32_t isn = 3;
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, isn);
    /* The message found before the split is still given. */
    if (CHECK_EQ_INT(client_seg(&fx, isn, &st, 0, 33), 1))
        check_msg(&fx.out[0], 2, 30, 30);
    CHECK_EQ_INT(client_seg(&fx, isn, &st, 33, st.len - 33), 0);
    CHECK_EQ_INT(client_seg(&fx, isn, &st, 334, st.len - 334), 0);
    dnsfail_tcp_streams_free(fx.s);
}

/* A one-byte segment holding half a prefix: the split with nothing found before it. */
static void test_split_prefix_alone(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    put_msg(&st, 30, 0x11);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 3);
    CHECK_EQ_INT(client_seg(&fx, 3, &st, 0, 1), 0);
    CHECK_EQ_INT(client_seg(&fx, 3, &st, 0, st.len), 0);
    dnsfail_tcp_streams_free(fx.s);
}

static void test_sequence_numbers_wrap(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    size_t a = put_msg(&st, 20, 0x11);   /* [0, 22): seq 0xFFFFFFF1 .. 0x00000006 */
    size_t b = put_msg(&st, 40, 0x22);   /* [22, 64) */
    size_t c = put_msg(&st, 10, 0x33);   /* [64, 76) */
    const uint32_t isn = 0xFFFFFFF0u;
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, isn);
    if (CHECK_EQ_INT(client_seg(&fx, isn, &st, 0, 22), 1))
        check_msg(&fx.out[0], a, 20, 20);
    /* The next segment starts at sequence number 7, past the wrap. */
    if (CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, true, 7, st.b + 22, 30, fx.out, 8), 1))
        check_msg(&fx.out[0], b - 22, 40, 28);
    /* A retransmission from before the wrap, reaching across it, is old data. */
    CHECK_EQ_INT(client_seg(&fx, isn, &st, 10, 30), 0);
    CHECK_EQ_INT(client_seg(&fx, isn, &st, 52, 12), 0);
    if (CHECK_EQ_INT(client_seg(&fx, isn, &st, 64, 12), 1))
        check_msg(&fx.out[0], c - 64, 10, 10);
    /* One segment across the wrap holding two whole messages. */
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 0xFFFFFFFBu);
    if (CHECK_EQ_INT(client_seg(&fx, 0xFFFFFFFBu, &st, 0, 64), 2)) {
        check_msg(&fx.out[0], a, 20, 20);
        check_msg(&fx.out[1], b, 40, 40);
    }
    /* A gap across the wrap is still a gap. */
    CHECK_EQ_INT(client_seg(&fx, 0xFFFFFFFBu, &st, 65, 11), 0);
    CHECK_EQ_INT(client_seg(&fx, 0xFFFFFFFBu, &st, 64, 12), 0);
    dnsfail_tcp_streams_free(fx.s);
}

static void test_full_out_keeps_the_stream_in_sync(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    size_t a = put_msg(&st, 12, 0x11);
    put_msg(&st, 13, 0x22);
    put_msg(&st, 14, 0x33);
    put_msg(&st, 15, 0x44);
    size_t first_len = st.len;
    size_t e = put_msg(&st, 16, 0x55);
    const uint32_t isn = 77;
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, isn);
    fx.out[1].offset = 999;
    if (CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, true, isn + 1, st.b, first_len, fx.out, 1), 1))
        check_msg(&fx.out[0], a, 12, 12);
    CHECK_EQ_INT(fx.out[1].offset, 999); /* nothing written past max */
    if (CHECK_EQ_INT(client_seg(&fx, isn, &st, first_len, st.len - first_len), 1))
        check_msg(&fx.out[0], e - first_len, 16, 16);

    /* max 0 (out may then be NULL) still walks the chain. A new connection (new ISN) on the same ports. */
    const uint32_t isn2 = isn + 100000;
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, isn2);
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, true, isn2 + 1, st.b, first_len, NULL, 0), 0);
    if (CHECK_EQ_INT(client_seg(&fx, isn2, &st, first_len, st.len - first_len), 1))
        check_msg(&fx.out[0], e - first_len, 16, 16);

    /* More messages than DNSFAIL_TCP_MESSAGES_PER_SEGMENT_MAX in one segment. */
    const uint32_t isn3 = isn + 200000;
    struct stream many = {0};
    for (unsigned i = 0; i < DNSFAIL_TCP_MESSAGES_PER_SEGMENT_MAX + 3; i++)
        put_msg(&many, 1, (uint8_t)i);
    size_t last = put_msg(&many, 4, 0x99);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, isn3);
    CHECK_EQ_INT(client_seg(&fx, isn3, &many, 0, last - 2), DNSFAIL_TCP_MESSAGES_PER_SEGMENT_MAX);
    CHECK_EQ_INT(fx.out[1].offset, 5);
    if (CHECK_EQ_INT(client_seg(&fx, isn3, &many, last - 2, 6), 1))
        check_msg(&fx.out[0], 2, 4, 4);
    dnsfail_tcp_streams_free(fx.s);
}

static void test_unknown_direction_gives_nothing(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    put_msg(&st, 30, 0x11);
    /* No SYN seen (the capture started mid-connection). */
    CHECK_EQ_INT(client_seg(&fx, 1000, &st, 0, st.len), 0);
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, false, 1001, st.b, st.len, fx.out, 8), 0);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 1000);
    /* The client's SYN says nothing of the server's direction... */
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, false, 1001, st.b, st.len, fx.out, 8), 0);
    /* ...nor of another connection, differing in a port or the transport. */
    struct dnsfail_flow other = flow_v4(40001);
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &other, true, 1001, st.b, st.len, fx.out, 8), 0);
    other = fx.flow;
    other.transport = 17;
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &other, true, 1001, st.b, st.len, fx.out, 8), 0);
    other = fx.flow;
    other.server_port = 853;
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &other, true, 1001, st.b, st.len, fx.out, 8), 0);
    CHECK_EQ_INT(client_seg(&fx, 1000, &st, 0, st.len), 1);
    dnsfail_tcp_streams_free(fx.s);
}

static void test_server_direction_via_syn_ack(void)
{
    struct fixture fx;
    struct stream query = {0}, answer = {0};
    if (!setup(&fx, 0))
        return;
    fx.flow = flow_v6(51000);
    put_msg(&query, 30, 0x11);
    put_msg(&answer, 200, 0x22);
    put_msg(&answer, 60, 0x33);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 100);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, false, 0x7FFFFFFFu);
    CHECK_EQ_INT(dnsfail_tcp_streams_count(fx.s), 2);
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, true, 101, query.b, query.len, fx.out, 8), 1);
    if (CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, false, 0x80000000u, answer.b, 150, fx.out, 8), 1))
        check_msg(&fx.out[0], 2, 200, 148);
    if (CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, false, 0x80000000u + 150u, answer.b + 150,
                                                 answer.len - 150, fx.out, 8), 1))
        check_msg(&fx.out[0], 54, 60, 60);
    /* The server's gap loses only the server's place. */
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, false, 0x90000000u, answer.b, 10, fx.out, 8), 0);
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &fx.flow, true, 133, query.b, query.len, fx.out, 8), 1);
    dnsfail_tcp_streams_free(fx.s);
}

static void test_syn_again_restarts(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    put_msg(&st, 30, 0x11);
    put_msg(&st, 30, 0x22);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 1000);
    CHECK_EQ_INT(client_seg(&fx, 1000, &st, 0, 32), 1);
    /* The same ports again, a new connection with a new ISN. */
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 200000);
    CHECK_EQ_INT(dnsfail_tcp_streams_count(fx.s), 1);
    CHECK_EQ_INT(client_seg(&fx, 1000, &st, 32, 32), 0); /* the old connection's bytes */
    if (CHECK_EQ_INT(client_seg(&fx, 200000, &st, 0, st.len), 2)) {
        check_msg(&fx.out[0], 2, 30, 30);
        check_msg(&fx.out[1], 34, 30, 30);
    }
    /* The same SYN captured again after data flowed does not rewind the stream. */
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 200000);
    CHECK_EQ_INT(client_seg(&fx, 200000, &st, 0, st.len), 0);
    /* A SYN sent again with the same ISN before any data also starts at ISN + 1. */
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 5);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 5);
    CHECK_EQ_INT(client_seg(&fx, 5, &st, 0, 32), 1);
    dnsfail_tcp_streams_free(fx.s);
}

static void test_eviction_keeps_the_newest(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 2))
        return;
    put_msg(&st, 30, 0x11);
    struct dnsfail_flow f1 = flow_v4(1001), f2 = flow_v4(1002), f3 = flow_v4(1003);
    dnsfail_tcp_streams_syn(fx.s, &f1, true, 10);
    dnsfail_tcp_streams_syn(fx.s, &f2, true, 20);
    CHECK_EQ_INT(dnsfail_tcp_streams_count(fx.s), 2);
    dnsfail_tcp_streams_syn(fx.s, &f3, true, 30);
    CHECK_EQ_INT(dnsfail_tcp_streams_count(fx.s), 2);
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &f1, true, 11, st.b, st.len, fx.out, 8), 0);
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &f2, true, 21, st.b, st.len, fx.out, 8), 1);
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &f3, true, 31, st.b, st.len, fx.out, 8), 1);
    /* The forgotten one comes back with its next SYN, pushing out the oldest (f2). */
    dnsfail_tcp_streams_syn(fx.s, &f1, true, 40);
    CHECK_EQ_INT(dnsfail_tcp_streams_count(fx.s), 2);
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &f1, true, 41, st.b, st.len, fx.out, 8), 1);
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &f2, true, 53, st.b, st.len, fx.out, 8), 0);
    dnsfail_tcp_streams_free(fx.s);
}

static void test_reset_forgets_everything(void)
{
    struct fixture fx;
    struct stream st = {0};
    if (!setup(&fx, 0))
        return;
    put_msg(&st, 30, 0x11);
    size_t empty_bytes = dnsfail_tcp_streams_bytes(fx.s);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 1000);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, false, 9000);
    CHECK_EQ_INT(dnsfail_tcp_streams_count(fx.s), 2);
    dnsfail_tcp_streams_reset(fx.s);
    CHECK_EQ_INT(dnsfail_tcp_streams_count(fx.s), 0);
    CHECK_EQ_INT(dnsfail_tcp_streams_bytes(fx.s), empty_bytes);
    CHECK_EQ_INT(client_seg(&fx, 1000, &st, 0, st.len), 0);
    /* Usable again. */
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 1000);
    CHECK_EQ_INT(client_seg(&fx, 1000, &st, 0, st.len), 1);
    dnsfail_tcp_streams_free(fx.s);
    dnsfail_tcp_streams_free(NULL);
}

static void test_count_and_bytes(void)
{
    struct fixture fx;
    if (!setup(&fx, 0))
        return;
    CHECK_EQ_INT(dnsfail_tcp_streams_count(fx.s), 0);
    size_t empty_bytes = dnsfail_tcp_streams_bytes(fx.s);
    CHECK(empty_bytes > 0);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 1);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, 1); /* the same direction: one record */
    CHECK_EQ_INT(dnsfail_tcp_streams_count(fx.s), 1);
    dnsfail_tcp_streams_syn(fx.s, &fx.flow, false, 1);
    CHECK_EQ_INT(dnsfail_tcp_streams_count(fx.s), 2);
    size_t some_bytes = dnsfail_tcp_streams_bytes(fx.s);
    CHECK(some_bytes > empty_bytes);
    /* Segments, known or not, add no record. */
    struct dnsfail_flow other = flow_v4(2);
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &other, true, 1, NULL, 0, fx.out, 8), 0);
    CHECK_EQ_INT(dnsfail_tcp_streams_count(fx.s), 2);
    /* Many streams, bounded by max_streams. */
    dnsfail_tcp_streams_free(fx.s);
    if (!setup(&fx, 1000))
        return;
    for (uint16_t port = 1; port <= 3000; port++) {
        struct dnsfail_flow f = flow_v4(port);
        dnsfail_tcp_streams_syn(fx.s, &f, true, port);
    }
    CHECK_EQ_INT(dnsfail_tcp_streams_count(fx.s), 1000);
    CHECK(dnsfail_tcp_streams_bytes(fx.s) < 1024u * 1024u);
    struct stream st = {0};
    put_msg(&st, 3, 1);
    struct dnsfail_flow newest = flow_v4(3000), gone = flow_v4(2000);
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &newest, true, 3001, st.b, st.len, fx.out, 8), 1);
    CHECK_EQ_INT(dnsfail_tcp_streams_segment(fx.s, &gone, true, 2001, st.b, st.len, fx.out, 8), 0);
    dnsfail_tcp_streams_free(fx.s);
}

/* ---- random segmentation ------------------------------------------------------------- */

static uint32_t rng_state = 12345;

static uint32_t rng(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

/* A stream of random messages cut into random segments (never inside a prefix), some
 * sent twice, from an ISN near the wrap: every message is found once, where it is. */
static void test_random_segmentation_finds_every_message_once(void)
{
    struct fixture fx;
    if (!setup(&fx, 0))
        return;
    for (int round = 0; round < 200; round++) {
        struct stream st = {0};
        size_t starts[200];
        uint16_t lengths[200];
        size_t n = 0;
        bool is_prefix_inner[2048] = {false}; /* a cut here would split a prefix */
        while (n < 200) {
            uint16_t length = (uint16_t)(rng() % 3 == 0 ? 0 : rng() % 60);
            if (st.len + 2 + length > sizeof st.b)
                break;
            is_prefix_inner[st.len + 1] = true;
            lengths[n] = length;
            starts[n] = put_msg(&st, length, (uint8_t)n);
            n++;
        }
        uint32_t isn = 0xFFFFFFFFu - (rng() % 4096);
        dnsfail_tcp_streams_syn(fx.s, &fx.flow, true, isn);
        size_t seen = 0, from = 0;
        bool ok = true;
        while (from < st.len && ok) {
            size_t to = from + 1 + rng() % 120;
            if (to > st.len)
                to = st.len;
            while (to < st.len && is_prefix_inner[to])
                to++;
            /* Up to 128 bytes of two-byte empty messages: room for every one. */
            struct dnsfail_tcp_message out[80];
            size_t got = dnsfail_tcp_streams_segment(fx.s, &fx.flow, true, isn + 1u + (uint32_t)from, st.b + from,
                                                     to - from, out, sizeof out / sizeof out[0]);
            for (size_t i = 0; i < got && ok; i++) {
                ok = CHECK(seen < n) && CHECK_EQ_INT(from + out[i].offset, starts[seen]) &&
                     CHECK_EQ_INT(out[i].length, lengths[seen]);
                size_t left = to - starts[seen];
                ok = ok && CHECK_EQ_INT(out[i].captured, lengths[seen] < left ? lengths[seen] : left);
                seen++;
            }
            if (rng() % 4 == 0) /* sent again, whole or from a random earlier point */
                ok = CHECK_EQ_INT(client_seg(&fx, isn, &st, rng() % (from + 1), to - from), 0) && ok;
            from = to;
        }
        if (!CHECK_EQ_INT(seen, n))
            break;
    }
    dnsfail_tcp_streams_free(fx.s);
}

int main(void)
{
    RUN_TEST(test_normal_client_stream);
    RUN_TEST(test_pipelined_messages_in_one_segment);
    RUN_TEST(test_zero_length_message_is_emitted_and_skipped);
    RUN_TEST(test_message_spanning_segments);
    RUN_TEST(test_prefix_at_the_end_of_a_segment);
    RUN_TEST(test_retransmission_is_not_read_twice);
    RUN_TEST(test_gap_loses_the_place_until_a_new_syn);
    RUN_TEST(test_empty_segment_past_the_boundary_is_a_gap);
    RUN_TEST(test_split_prefix_loses_the_place);
    RUN_TEST(test_split_prefix_alone);
    RUN_TEST(test_sequence_numbers_wrap);
    RUN_TEST(test_full_out_keeps_the_stream_in_sync);
    RUN_TEST(test_unknown_direction_gives_nothing);
    RUN_TEST(test_server_direction_via_syn_ack);
    RUN_TEST(test_syn_again_restarts);
    RUN_TEST(test_eviction_keeps_the_newest);
    RUN_TEST(test_reset_forgets_everything);
    RUN_TEST(test_count_and_bytes);
    RUN_TEST(test_random_segmentation_finds_every_message_once);
    return check_finish();
}
