/* test_tracker.c - numbering of retries and matching ICMP errors to queries.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/tracker.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "fixtures.h"
#include "packet_builder.h"

static char cookies[8];

/* The tracker's flows are UDP unless a test says otherwise. */
static struct dnsfail_flow flow_v4(const uint8_t client[4], uint16_t client_port, const uint8_t server[4])
{
    return flow_of_v4(client, client_port, server, DNSFAIL_TRANSPORT_UDP);
}

static struct dnsfail_flow flow_v6(uint16_t client_port)
{
    return flow_of_v6(client_port, DNSFAIL_TRANSPORT_UDP);
}

/* A query with a question; its fingerprint is made from frame, id and type so that
 * two queries differ in it unless a test sets it. */
static struct dnsfail_query_obs query(uint32_t frame, int64_t time_ns, struct dnsfail_flow flow, uint16_t id,
                                      const char *name, uint16_t qtype)
{
    struct dnsfail_query_obs q;
    memset(&q, 0, sizeof q);
    q.frame = frame;
    q.time_ns = time_ns;
    q.flow = flow;
    q.dns_id = id;
    q.has_question = true;
    q.question = question(name, qtype);
    q.fingerprint.has_ip_id = flow.client.family == DNSFAIL_AF_IPV4;
    q.fingerprint.ip_id = q.fingerprint.has_ip_id ? (uint16_t)(1000 + frame) : 0;
    q.fingerprint.has_udp_fields = true;
    q.fingerprint.udp_length = (uint16_t)(8 + 12 + q.question.qname.wire_len + 4);
    q.fingerprint.udp_checksum = (uint16_t)(0x5000 + id * 7 + qtype);
    q.cookie = &cookies[frame % sizeof cookies];
    return q;
}

/* The ICMP error such a query would get: same flow, its fingerprint, its id if quoted. */
static struct dnsfail_error_obs error_for(const struct dnsfail_query_obs *q, uint32_t frame, int64_t time_ns,
                                          bool quotes_dns_id)
{
    struct dnsfail_error_obs e;
    memset(&e, 0, sizeof e);
    e.frame = frame;
    e.time_ns = time_ns;
    e.flow = q->flow;
    e.fingerprint = q->fingerprint;
    e.has_dns_id = quotes_dns_id;
    e.dns_id = quotes_dns_id ? q->dns_id : 0;
    return e;
}

/* The ICMP error matches a query, by that means and of that frame: three checks, all
 * made even when one fails. */
static void expect_error_match(struct dnsfail_tracker *t, const struct dnsfail_error_obs *e,
                               struct dnsfail_query_match *m, enum dnsfail_match_by by, uint32_t frame)
{
    CHECK(dnsfail_tracker_match_error(t, e, m));
    CHECK_EQ_INT(m->by, by);
    CHECK_EQ_INT(m->frame, frame);
}

/* Adds the query and checks the attempt number it gets. */
static void expect_attempt(struct dnsfail_tracker *t, struct dnsfail_query_obs q, uint32_t attempt)
{
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), attempt);
}

static struct dnsfail_tracker *new_tracker(uint32_t max_queries, int64_t window_ns)
{
    struct dnsfail_tracker_config c = {max_queries, window_ns, 0};
    return dnsfail_tracker_new(&c);
}

static char *name_text(const struct dnsfail_question *q, char *buf, size_t size)
{
    dnsfail_dns_name_format(&q->qname, buf, size);
    return buf;
}


/* Most tests start from a new tracker with the default limits and a 10 s retry window, and
 * end by freeing it: RUN_TRACKER_TEST(fn) runs fn(t) on one (a failed allocation fails the
 * test). */
static void (*tracker_test)(struct dnsfail_tracker *t);

static void run_on_new_tracker(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    if (!CHECK(t != NULL))
        return;
    tracker_test(t);
    dnsfail_tracker_free(t);
}

#define RUN_TRACKER_TEST(fn) (tracker_test = (fn), check_run_(run_on_new_tracker, #fn))

/* ---- configuration ---------------------------------------------------------------- */

static void test_new_without_config_uses_defaults(void)
{
    struct dnsfail_tracker *t = dnsfail_tracker_new(NULL);
    struct dnsfail_tracker_stats s;
    if (!CHECK(t != NULL))
        return;
    dnsfail_tracker_get_stats(t, &s);
    CHECK_EQ_INT(s.max_queries, DNSFAIL_TRACKER_DEFAULT_MAX_QUERIES);
    CHECK_EQ_INT(s.queries, 0);
    CHECK_EQ_INT(s.tracked, 0);
    CHECK_EQ_INT(s.evicted, 0);
    CHECK(s.bytes > 0);
    dnsfail_tracker_free(t);

    t = new_tracker(0, 0);
    if (!CHECK(t != NULL))
        return;
    dnsfail_tracker_get_stats(t, &s);
    CHECK_EQ_INT(s.max_queries, DNSFAIL_TRACKER_DEFAULT_MAX_QUERIES);
    dnsfail_tracker_free(t);
}

static void test_default_retry_window_is_ten_seconds(void)
{
    struct dnsfail_tracker *t = dnsfail_tracker_new(NULL);
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    if (!CHECK(t != NULL))
        return;
    expect_attempt(t, query(1, 0, f, 1, "example.com", PB_TYPE_A), 1);
    expect_attempt(t, query(2, SEC(10), f, 2, "example.com", PB_TYPE_A), 2);
    expect_attempt(t, query(3, SEC(20) + 1, f, 3, "example.com", PB_TYPE_A), 1);
    dnsfail_tracker_free(t);
}

/* ---- attempt numbering -------------------------------------------------------------- */

static void test_attempts_count_1_2_3_within_retry_window(struct dnsfail_tracker *t)
{
    const char *name = "www.example.com";
    /* Retries from new ports and with new ids: still the same question. */
    expect_attempt(t, query(1, 0, flow_v4(PB_V4_CLIENT, 40001, PB_V4_SERVER), 0x1001, name, PB_TYPE_A), 1);
    expect_attempt(t, query(2, SEC(2), flow_v4(PB_V4_CLIENT, 40002, PB_V4_SERVER), 0x1002, name, PB_TYPE_A), 2);
    expect_attempt(t, query(3, SEC(4), flow_v4(PB_V4_CLIENT, 40003, PB_V4_SERVER), 0x1003, name, PB_TYPE_A), 3);
}

static void test_attempt_resets_to_1_after_retry_window(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    expect_attempt(t, query(1, 0, f, 1, "www.example.com", PB_TYPE_A), 1);
    expect_attempt(t, query(2, SEC(3), f, 2, "www.example.com", PB_TYPE_A), 2);
    expect_attempt(t, query(3, SEC(13) + 1, f, 3, "www.example.com", PB_TYPE_A), 1);
    expect_attempt(t, query(4, SEC(14), f, 4, "www.example.com", PB_TYPE_A), 2);
}

static void test_retry_window_runs_from_the_previous_try(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    for (uint32_t i = 0; i < 4; i++) {
        struct dnsfail_query_obs q = query(i + 1, SEC(8) * i, f, (uint16_t)i, "example.org", PB_TYPE_A);
        CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), i + 1);
    }
}

static void test_custom_retry_window(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(1));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    if (!CHECK(t != NULL))
        return;
    expect_attempt(t, query(1, 0, f, 1, "example.com", PB_TYPE_A), 1);
    expect_attempt(t, query(2, MSEC(500), f, 2, "example.com", PB_TYPE_A), 2);
    expect_attempt(t, query(3, SEC(2), f, 3, "example.com", PB_TYPE_A), 1);
    dnsfail_tracker_free(t);
}

static void test_names_compare_without_case(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q;
    expect_attempt(t, query(1, 0, f, 1, "WWW.Example.COM", PB_TYPE_A), 1);
    expect_attempt(t, query(2, SEC(1), f, 2, "www.example.com", PB_TYPE_A), 2);
    expect_attempt(t, query(3, SEC(2), f, 3, "wWw.eXaMpLe.cOm", PB_TYPE_A), 3);
    q = query(4, SEC(3), f, 4, "www.example.co", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
}

static void test_different_type_is_a_new_question(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q;
    expect_attempt(t, query(1, 0, f, 1, "example.com", PB_TYPE_A), 1);
    expect_attempt(t, query(2, SEC(1), f, 2, "example.com", PB_TYPE_AAAA), 1);
    expect_attempt(t, query(3, SEC(2), f, 3, "example.com", PB_TYPE_A), 2);
    q = query(4, SEC(3), f, 4, "example.com", PB_TYPE_AAAA);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 2);
}

static void test_different_server_starts_a_new_series(struct dnsfail_tracker *t)
{
    struct dnsfail_query_obs q;
    expect_attempt(t, query(1, 0, flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER), 1, "example.com", PB_TYPE_A), 1);
    expect_attempt(t, query(2, SEC(1), flow_v4(PB_V4_CLIENT, 40001, PB_V4_OTHER), 2, "example.com", PB_TYPE_A), 1);
    expect_attempt(t, query(3, SEC(2), flow_v4(PB_V4_CLIENT, 40002, PB_V4_SERVER), 3, "example.com", PB_TYPE_A), 2);
    q = query(4, SEC(3), flow_v4(PB_V4_CLIENT, 40003, PB_V4_OTHER), 4, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 2);
}

static void test_different_client_starts_a_new_series(struct dnsfail_tracker *t)
{
    expect_attempt(t, query(1, 0, flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER), 1, "example.com", PB_TYPE_A), 1);
    expect_attempt(t, query(2, SEC(1), flow_v4(PB_V4_OTHER, 40000, PB_V4_SERVER), 1, "example.com", PB_TYPE_A), 1);
}

static void test_query_without_question_is_attempt_0_but_matchable(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q = query(1, 0, f, 9, "example.com", PB_TYPE_A);
    struct dnsfail_query_match m;
    struct dnsfail_tracker_stats s;
    q.has_question = false;
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 0);
    dnsfail_tracker_get_stats(t, &s);
    CHECK_EQ_INT(s.queries, 1);
    CHECK_EQ_INT(s.tracked, 1);
    struct dnsfail_error_obs e = error_for(&q, 2, MSEC(10), true);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.frame, 1);
    CHECK_EQ_INT(m.attempt, 0);
    CHECK(!m.has_question);
    /* The question then starts its series at 1. */
    expect_attempt(t, query(3, SEC(1), f, 10, "example.com", PB_TYPE_A), 1);
}

static void test_count_attempt_continues_the_series(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q = query(1, 0, f, 1, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    struct dnsfail_flow other_port = flow_v4(PB_V4_CLIENT, 41000, PB_V4_SERVER);
    CHECK_EQ_INT(dnsfail_tracker_count_attempt(t, &other_port, &q.question, SEC(1)), 2);
    expect_attempt(t, query(3, SEC(2), f, 3, "example.com", PB_TYPE_A), 3);
    struct dnsfail_question fresh = question("fresh.example", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_count_attempt(t, &f, &fresh, SEC(3)), 1);
}

/* ---- matching ------------------------------------------------------------------------ */

static void test_match_by_dns_id(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q1 = query(1, 0, f, 0x1111, "one.example", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, MSEC(5), f, 0x2222, "two.example", PB_TYPE_A);
    struct dnsfail_query_match m;
    char buf[DNSFAIL_NAME_TEXT_MAX];
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);

    struct dnsfail_error_obs e = error_for(&q1, 3, MSEC(20), true);
    expect_error_match(t, &e, &m, DNSFAIL_MATCH_ID, 1);
    CHECK_EQ_INT(m.time_ns, 0);
    CHECK_EQ_INT(m.dns_id, 0x1111);
    CHECK_EQ_INT(m.attempt, 1);
    CHECK(m.cookie == q1.cookie);
    CHECK(m.has_question);
    CHECK_STR_EQ(name_text(&m.question, buf, sizeof buf), "one.example");

    e = error_for(&q2, 4, MSEC(20), true);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.frame, 2);
    CHECK(m.cookie == q2.cookie);
}

static void test_unknown_dns_id_matches_nothing(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q1 = query(1, 0, f, 0x1111, "one.example", PB_TYPE_A);
    struct dnsfail_query_match m;
    dnsfail_tracker_add_query(t, &q1);
    struct dnsfail_error_obs e = error_for(&q1, 2, MSEC(20), true);
    e.dns_id = 0x3333;
    memset(&m, 0xAA, sizeof m);
    CHECK(!dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.by, DNSFAIL_MATCH_NONE);
    CHECK(m.cookie == NULL);
}

static void test_match_by_id_prefers_the_query_whose_fingerprint_agrees(void)
{
    /* A resolver resending the same message from the same socket: same flow, same id,
     * same UDP length and checksum; only the IP id tells the datagrams apart. */
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q1 = query(1, 0, f, 0x4242, "example.com", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, SEC(1), f, 0x4242, "example.com", PB_TYPE_A);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    CHECK(q1.fingerprint.ip_id != q2.fingerprint.ip_id);
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);
    struct dnsfail_error_obs e = error_for(&q1, 3, SEC(2), true);
    expect_error_match(t, &e, &m, DNSFAIL_MATCH_ID, 1);
    CHECK_EQ_INT(m.attempt, 1);
    e = error_for(&q2, 4, SEC(2), true);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.frame, 2);
    CHECK_EQ_INT(m.attempt, 2);
    /* When the fingerprint agrees with neither (rewritten on the way), the id still
     * matches, and the latest such query wins. */
    e.fingerprint.ip_id = 7;
    expect_error_match(t, &e, &m, DNSFAIL_MATCH_ID, 2);
    dnsfail_tracker_free(t);
}

static void test_match_by_fingerprint_tells_a_from_aaaa_on_same_port(void)
{
    /* The A and AAAA queries of one lookup leave from the same socket; the error quotes
     * only 8 bytes of UDP, so no DNS id. */
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs qa = query(1, 0, f, 0x0A0A, "www.example.com", PB_TYPE_A);
    struct dnsfail_query_obs qaaaa = query(2, 10, f, 0x0B0B, "www.example.com", PB_TYPE_AAAA);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    CHECK_EQ_INT(qa.fingerprint.udp_length, qaaaa.fingerprint.udp_length);
    dnsfail_tracker_add_query(t, &qa);
    dnsfail_tracker_add_query(t, &qaaaa);

    struct dnsfail_error_obs e = error_for(&qa, 3, MSEC(1), false);
    expect_error_match(t, &e, &m, DNSFAIL_MATCH_FINGERPRINT, 1);
    CHECK_EQ_INT(m.question.qtype, PB_TYPE_A);
    CHECK_EQ_INT(m.dns_id, 0x0A0A);

    e = error_for(&qaaaa, 4, MSEC(1), false);
    expect_error_match(t, &e, &m, DNSFAIL_MATCH_FINGERPRINT, 2);
    CHECK_EQ_INT(m.question.qtype, PB_TYPE_AAAA);
    dnsfail_tracker_free(t);
}

static void test_fingerprint_matches_computed_checksum_of_offloaded_capture(void)
{
    /* Captured on the sender, the query shows a partial checksum; the quote the real one. */
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs qa = query(1, 0, f, 0x0A0A, "www.example.com", PB_TYPE_A);
    struct dnsfail_query_obs qaaaa = query(2, 10, f, 0x0B0B, "www.example.com", PB_TYPE_AAAA);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_error_obs e = error_for(&qa, 3, MSEC(1), false);
    qa.fingerprint.udp_checksum = qaaaa.fingerprint.udp_checksum = 0x1111; /* partial, the same */
    qa.fingerprint.has_udp_checksum_computed = qaaaa.fingerprint.has_udp_checksum_computed = true;
    qa.fingerprint.udp_checksum_computed = e.fingerprint.udp_checksum;
    qaaaa.fingerprint.udp_checksum_computed = (uint16_t)(e.fingerprint.udp_checksum + 1);
    dnsfail_tracker_add_query(t, &qa);
    dnsfail_tracker_add_query(t, &qaaaa);

    expect_error_match(t, &e, &m, DNSFAIL_MATCH_FINGERPRINT, 1);
    dnsfail_tracker_free(t);
}

static void test_match_by_fingerprint_without_ip_id_over_ipv6(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v6(40000);
    struct dnsfail_query_obs qa = query(1, 0, f, 0x0A0A, "www.example.com", PB_TYPE_A);
    struct dnsfail_query_obs qaaaa = query(2, 10, f, 0x0B0B, "www.example.com", PB_TYPE_AAAA);
    struct dnsfail_query_match m;
    CHECK(!qa.fingerprint.has_ip_id);
    dnsfail_tracker_add_query(t, &qa);
    dnsfail_tracker_add_query(t, &qaaaa);
    struct dnsfail_error_obs e = error_for(&qa, 3, MSEC(1), false);
    expect_error_match(t, &e, &m, DNSFAIL_MATCH_FINGERPRINT, 1);
}

static void test_fingerprint_match_beats_a_later_query_of_the_flow(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q1 = query(1, 0, f, 1, "one.example", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, SEC(1), f, 2, "two.example", PB_TYPE_A);
    struct dnsfail_query_obs q3 = query(3, SEC(2), f, 3, "three.example", PB_TYPE_A);
    struct dnsfail_query_match m;
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);
    dnsfail_tracker_add_query(t, &q3);
    struct dnsfail_error_obs e = error_for(&q1, 4, SEC(3), false);
    expect_error_match(t, &e, &m, DNSFAIL_MATCH_FINGERPRINT, 1);
}

static void test_falls_back_to_latest_query_of_the_flow(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q1 = query(1, 0, f, 1, "one.example", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, SEC(1), f, 2, "two.example", PB_TYPE_A);
    struct dnsfail_query_match m;
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);

    /* Fingerprint matching no query (a NAT rewrote the checksum). */
    struct dnsfail_error_obs e = error_for(&q1, 3, SEC(2), false);
    e.fingerprint.udp_checksum ^= 0xFFFF;
    expect_error_match(t, &e, &m, DNSFAIL_MATCH_FLOW, 2);

    /* No fingerprint quoted at all. */
    memset(&e.fingerprint, 0, sizeof e.fingerprint);
    expect_error_match(t, &e, &m, DNSFAIL_MATCH_FLOW, 2);
}

static void test_never_matches_a_query_from_a_later_frame(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q1 = query(1, 0, f, 1, "one.example", PB_TYPE_A);
    struct dnsfail_query_obs q10 = query(10, SEC(1), f, 1, "one.example", PB_TYPE_A);
    struct dnsfail_query_match m;
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q10);
    struct dnsfail_error_obs e = error_for(&q10, 5, SEC(1), true);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.frame, 1);                  /* not 10, though its fingerprint agrees */
    e = error_for(&q1, 1, SEC(1), true);       /* the query's own frame */
    CHECK(!dnsfail_tracker_match_error(t, &e, &m));
}

static void test_never_matches_a_query_older_than_max_age(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q = query(1, SEC(5), f, 1, "one.example", PB_TYPE_A);
    struct dnsfail_query_match m;
    dnsfail_tracker_add_query(t, &q);
    struct dnsfail_error_obs e = error_for(&q, 2, SEC(5) + DNSFAIL_TRACKER_MATCH_MAX_AGE_NS, true);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    e.time_ns += 1;
    CHECK(!dnsfail_tracker_match_error(t, &e, &m));
    e.has_dns_id = false;                      /* not even by flow */
    CHECK(!dnsfail_tracker_match_error(t, &e, &m));
}

static void test_matches_only_the_same_flow(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q = query(1, 0, f, 1, "one.example", PB_TYPE_A);
    struct dnsfail_query_match m;
    dnsfail_tracker_add_query(t, &q);
    struct dnsfail_error_obs e = error_for(&q, 2, SEC(1), false);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    e.flow.client_port = 40001;
    CHECK(!dnsfail_tracker_match_error(t, &e, &m));
    e.flow = f;
    e.flow.transport = 6;
    CHECK(!dnsfail_tracker_match_error(t, &e, &m));
    e.flow = flow_v4(PB_V4_CLIENT, 40000, PB_V4_OTHER);
    CHECK(!dnsfail_tracker_match_error(t, &e, &m));
    e.flow = f;
    e.flow.server_port = 5353;
    CHECK(!dnsfail_tracker_match_error(t, &e, &m));
}

/* ---- memory ----------------------------------------------------------------------------- */

static struct dnsfail_query_obs numbered_query(uint32_t i)
{
    char name[32];
    snprintf(name, sizeof name, "q%u.example", (unsigned)i);
    return query(i + 1, MSEC(i), flow_v4(PB_V4_CLIENT, (uint16_t)(1024 + i % 60000u), PB_V4_SERVER),
                 (uint16_t)i, name, PB_TYPE_A);
}

static void test_eviction_keeps_memory_bounded(void)
{
    const uint32_t total = 100000;
    struct dnsfail_tracker *t = new_tracker(1000, 0);
    struct dnsfail_tracker_stats s;
    struct dnsfail_query_match m;
    size_t bytes_early = 0;
    /* Two tables of at most 1024 records, each record no bigger than a query with its
     * question plus some bookkeeping. */
    const size_t bound = 2u * 1024u * (sizeof(struct dnsfail_query_obs) + 64u) + 4096u;
    if (!CHECK(t != NULL))
        return;
    for (uint32_t i = 0; i < total; i++) {
        struct dnsfail_query_obs q = numbered_query(i);
        dnsfail_tracker_add_query(t, &q);
        if (i == 2000) {
            dnsfail_tracker_get_stats(t, &s);
            bytes_early = s.bytes;
        }
    }
    dnsfail_tracker_get_stats(t, &s);
    CHECK_EQ_INT(s.queries, total);
    CHECK_EQ_INT(s.max_queries, 1000);
    CHECK(s.tracked <= 1000);
    CHECK(s.tracked > 0);
    CHECK(s.evicted > 0);
    CHECK(dnsfail_tracker_has_forgotten(t));
    CHECK(s.evicted >= total - 1000);
    CHECK(s.bytes < bound);
    CHECK_EQ_INT(s.bytes, bytes_early);        /* no growth once full */

    /* The newest queries are still there, old ones are gone. */
    struct dnsfail_query_obs newest = numbered_query(total - 1);
    struct dnsfail_error_obs e = error_for(&newest, total + 1, newest.time_ns + SEC(1), true);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.frame, total);
    struct dnsfail_query_obs old = numbered_query(50000);
    e = error_for(&old, total + 2, old.time_ns + SEC(1), true);
    CHECK(!dnsfail_tracker_match_error(t, &e, &m));
    dnsfail_tracker_free(t);
}

static void test_reset_empties_everything(void)
{
    struct dnsfail_tracker *t = new_tracker(100, SEC(10));
    struct dnsfail_tracker_stats before, after;
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    for (uint32_t i = 0; i < 500; i++) {
        struct dnsfail_query_obs q = numbered_query(i);
        dnsfail_tracker_add_query(t, &q);
        CHECK(dnsfail_tracker_has_forgotten(t) == (i >= 100));
    }
    struct dnsfail_query_obs last = numbered_query(499);
    dnsfail_tracker_get_stats(t, &before);
    CHECK(before.evicted > 0);
    dnsfail_tracker_reset(t);
    CHECK(!dnsfail_tracker_has_forgotten(t));
    dnsfail_tracker_get_stats(t, &after);
    CHECK_EQ_INT(after.queries, 0);
    CHECK_EQ_INT(after.tracked, 0);
    CHECK_EQ_INT(after.evicted, 0);
    CHECK_EQ_INT(after.max_queries, 100);
    CHECK(after.bytes < before.bytes);
    struct dnsfail_error_obs e = error_for(&last, 1000, last.time_ns + 1, true);
    CHECK(!dnsfail_tracker_match_error(t, &e, &m));
    /* Series start over; the tracker works as new. */
    last.time_ns += SEC(1);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &last), 1);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    dnsfail_tracker_free(t);
}

static void test_configure_sets_new_limit_and_resets(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_tracker_config c = {10, SEC(1), 0};
    struct dnsfail_tracker_stats s;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs q = numbered_query(0);
    dnsfail_tracker_add_query(t, &q);
    dnsfail_tracker_configure(t, &c);
    dnsfail_tracker_get_stats(t, &s);
    CHECK_EQ_INT(s.max_queries, 10);
    CHECK_EQ_INT(s.tracked, 0);
    CHECK_EQ_INT(s.queries, 0);
    for (uint32_t i = 0; i < 50; i++) {
        q = numbered_query(i);
        dnsfail_tracker_add_query(t, &q);
    }
    dnsfail_tracker_get_stats(t, &s);
    CHECK_EQ_INT(s.tracked, 10);
    CHECK_EQ_INT(s.queries, 50);
    /* The new, shorter retry window applies. */
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    expect_attempt(t, query(100, SEC(100), f, 1, "w.example", PB_TYPE_A), 1);
    expect_attempt(t, query(101, SEC(102), f, 2, "w.example", PB_TYPE_A), 1);
    dnsfail_tracker_free(t);
}

static void test_configure_bounds_memory_like_a_new_tracker(void)
{
    struct dnsfail_tracker *configured = new_tracker(0, 0);
    struct dnsfail_tracker *fresh = new_tracker(10, 0);
    struct dnsfail_tracker_config c = {10, 0, 0};
    struct dnsfail_tracker_stats a, b;
    if (!CHECK(configured != NULL && fresh != NULL)) {
        dnsfail_tracker_free(configured);
        dnsfail_tracker_free(fresh);
        return;
    }
    dnsfail_tracker_configure(configured, &c);
    for (uint32_t i = 0; i < 5000; i++) {
        struct dnsfail_query_obs q = numbered_query(i);
        dnsfail_tracker_add_query(configured, &q);
        dnsfail_tracker_add_query(fresh, &q);
    }
    dnsfail_tracker_get_stats(configured, &a);
    dnsfail_tracker_get_stats(fresh, &b);
    CHECK_EQ_INT(a.bytes, b.bytes);
    CHECK_EQ_INT(a.evicted, b.evicted);
    CHECK_EQ_INT(a.tracked, 10);
    dnsfail_tracker_free(configured);
    dnsfail_tracker_free(fresh);
}

static void test_answer_after_failure_is_taken_once(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_question q = question("www.example.com", PB_TYPE_A);
    CHECK(!dnsfail_tracker_take_failure(t, &f.client, &q)); /* never failed */
    dnsfail_tracker_note_failure(t, &f.client, &q);
    dnsfail_tracker_note_failure(t, &f.client, &q);         /* a second try: still one episode */
    CHECK(dnsfail_tracker_take_failure(t, &f.client, &q));
    CHECK(!dnsfail_tracker_take_failure(t, &f.client, &q)); /* the next answer is ordinary */
    dnsfail_tracker_note_failure(t, &f.client, &q);         /* fails again later */
    CHECK(dnsfail_tracker_take_failure(t, &f.client, &q));
}

static void test_failure_belongs_to_client_and_question(struct dnsfail_tracker *t)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_flow other = flow_v6(40000);
    struct dnsfail_question q = question("www.example.com", PB_TYPE_A);
    struct dnsfail_question upper = question("WWW.Example.COM", PB_TYPE_A);
    struct dnsfail_question aaaa = question("www.example.com", PB_TYPE_AAAA);
    dnsfail_tracker_note_failure(t, &f.client, &q);
    CHECK(!dnsfail_tracker_take_failure(t, &other.client, &q));
    CHECK(!dnsfail_tracker_take_failure(t, &f.client, &aaaa));
    CHECK(dnsfail_tracker_take_failure(t, &f.client, &upper)); /* names compare without case */
    dnsfail_tracker_reset(t);
    dnsfail_tracker_note_failure(t, &f.client, &q);
    dnsfail_tracker_reset(t);
    CHECK(!dnsfail_tracker_take_failure(t, &f.client, &q));    /* a new file forgets */
}

static void test_one_socket_sending_many_queries_stays_cheap_and_right(void)
{
    /* A forwarder on a fixed port: every query shares one flow. The match looks at the
     * newest few only, so it stays fast, and still finds a recent query by its id. */
    struct dnsfail_tracker *t = new_tracker(100000, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_match m;
    struct dnsfail_query_obs q;
    if (!CHECK(t != NULL))
        return;
    for (uint32_t i = 1; i <= 50000; i++) {
        q = query(i, (int64_t)i * 1000, f, (uint16_t)i, "www.example.com", PB_TYPE_A);
        dnsfail_tracker_add_query(t, &q);
    }
    struct dnsfail_error_obs e = error_for(&q, 50001, INT64_C(50001000), true);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.frame, 50000);
    struct dnsfail_query_obs recent = query(49990, INT64_C(49990000), f, 49990, "www.example.com", PB_TYPE_A);
    e = error_for(&recent, 50002, INT64_C(50002000), true);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.frame, 49990);
    for (uint32_t i = 0; i < 20000; i++) /* would take minutes if each walked the whole chain */
        dnsfail_tracker_match_error(t, &e, &m);
    dnsfail_tracker_free(t);
}

/* ---- timeouts --------------------------------------------------------------------------- */

static struct dnsfail_tracker *timeout_tracker(uint32_t max_queries, int64_t timeout_ns)
{
    struct dnsfail_tracker_config c = {max_queries, 0, timeout_ns};
    return dnsfail_tracker_new(&c);
}

/* The answer to a query: its flow and id, no fingerprint. */
static struct dnsfail_error_obs answer_for(const struct dnsfail_query_obs *q, uint32_t frame, int64_t time_ns)
{
    struct dnsfail_error_obs e = error_for(q, frame, time_ns, true);
    memset(&e.fingerprint, 0, sizeof e.fingerprint);
    return e;
}

static struct dnsfail_flow flow_tcp(uint16_t client_port)
{
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, client_port, PB_V4_SERVER);
    f.transport = 6;
    return f;
}

/* A TCP SYN to port 53: a query without question, known by its sequence number. */
static struct dnsfail_query_obs syn(uint32_t frame, int64_t time_ns, uint16_t client_port, uint32_t seq)
{
    struct dnsfail_query_obs q;
    memset(&q, 0, sizeof q);
    q.frame = frame;
    q.time_ns = time_ns;
    q.flow = flow_tcp(client_port);
    q.tcp_seq = seq;
    q.cookie = &cookies[frame % sizeof cookies];
    return q;
}

/* The SYN/ACK such a SYN gets, matched like an error: by flow only. */
static struct dnsfail_error_obs syn_ack_for(const struct dnsfail_query_obs *q, uint32_t frame, int64_t time_ns)
{
    struct dnsfail_error_obs e;
    memset(&e, 0, sizeof e);
    e.frame = frame;
    e.time_ns = time_ns;
    e.flow = q->flow;
    return e;
}

static struct dnsfail_tracker_stats stats_of(const struct dnsfail_tracker *t)
{
    struct dnsfail_tracker_stats s;
    dnsfail_tracker_get_stats(t, &s);
    return s;
}

static void test_timeout_is_due_exactly_at_time_plus_default_timeout(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs q = query(1, SEC(1), f, 7, "www.example.com", PB_TYPE_A);
    dnsfail_tracker_add_query(t, &q);
    CHECK_EQ_INT(stats_of(t).waiting, 1);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), SEC(1) + DNSFAIL_TRACKER_DEFAULT_TIMEOUT_NS);
    CHECK_EQ_INT(DNSFAIL_TRACKER_DEFAULT_TIMEOUT_NS, SEC(5));
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(1), &m));
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(6) - 1, &m));  /* 1 ns before: not yet */
    CHECK_EQ_INT(stats_of(t).timeouts, 0);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(6), &m));       /* now >= time + timeout */
    CHECK_EQ_INT(m.frame, 1);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(6), &m));      /* once */
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(100), &m));
    struct dnsfail_tracker_stats s = stats_of(t);
    CHECK_EQ_INT(s.timeouts, 1);
    CHECK_EQ_INT(s.waiting, 0);
    CHECK_EQ_INT(s.tracked, 1);                                /* still remembered */
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), INT64_MAX);
    dnsfail_tracker_free(t);
}

/* A timeout is a failure of the client's question: a later answer to it, from any server,
 * ends a failed resolution, once. A query a retry's answer saved is no failure. */
static void test_timeout_notes_the_failure_of_its_question(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q = query(1, SEC(1), f, 7, "www.example.com", PB_TYPE_A);
    struct dnsfail_query_obs aaaa = query(2, SEC(1), f, 8, "www.example.com", PB_TYPE_AAAA);
    dnsfail_tracker_add_query(t, &q);
    CHECK(!dnsfail_tracker_take_failure(t, &f.client, &q.question));   /* waiting: not failed yet */
    CHECK(dnsfail_tracker_take_timeout(t, SEC(6), &m));
    CHECK_EQ_INT(m.frame, 1);
    CHECK(!dnsfail_tracker_take_failure(t, &f.server, &q.question));   /* another client's */
    CHECK(!dnsfail_tracker_take_failure(t, &f.client, &aaaa.question)); /* another question */
    CHECK(dnsfail_tracker_take_failure(t, &f.client, &q.question));
    CHECK(!dnsfail_tracker_take_failure(t, &f.client, &q.question));   /* one answer, one episode */

    /* a try to one server, its retry to another answered in time: the first is no timeout */
    struct dnsfail_flow to_b = flow_v4(PB_V4_CLIENT, 40001, PB_V4_OTHER);
    struct dnsfail_query_obs first = query(3, SEC(10), f, 9, "mail.example.com", PB_TYPE_A);
    struct dnsfail_query_obs retry = query(4, SEC(11), to_b, 10, "mail.example.com", PB_TYPE_A);
    dnsfail_tracker_add_query(t, &first);
    dnsfail_tracker_add_query(t, &retry);
    struct dnsfail_error_obs a = answer_for(&retry, 5, SEC(12));
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &retry.question, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(100), &m));
    CHECK(!dnsfail_tracker_take_failure(t, &f.client, &first.question));
    CHECK_EQ_INT(stats_of(t).timeouts, 1);
    dnsfail_tracker_free(t);
}

static void test_timeout_is_due_exactly_at_time_plus_configured_timeout(void)
{
    struct dnsfail_tracker *t = timeout_tracker(0, MSEC(1500));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs q = query(1, SEC(2), f, 7, "www.example.com", PB_TYPE_A);
    dnsfail_tracker_add_query(t, &q);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), SEC(2) + MSEC(1500));
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(2) + MSEC(1500) - 1, &m));
    CHECK(dnsfail_tracker_take_timeout(t, SEC(2) + MSEC(1500), &m));
    CHECK_EQ_INT(m.frame, 1);
    CHECK_EQ_INT(stats_of(t).timeouts, 1);
    /* configure: a new timeout (and a reset); 0 and negative mean the default */
    struct dnsfail_tracker_config c = {0, 0, SEC(1)};
    dnsfail_tracker_configure(t, &c);
    dnsfail_tracker_add_query(t, &q);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), SEC(3));
    c.timeout_ns = -5;
    dnsfail_tracker_configure(t, &c);
    dnsfail_tracker_add_query(t, &q);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), SEC(2) + DNSFAIL_TRACKER_DEFAULT_TIMEOUT_NS);
    dnsfail_tracker_free(t);
}

static void test_next_deadline_is_the_oldest_waiting_query(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), INT64_MAX);
    struct dnsfail_query_obs q1 = query(1, SEC(1), flow_v4(PB_V4_CLIENT, 40001, PB_V4_SERVER), 1, "a.example", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, SEC(2), flow_v4(PB_V4_CLIENT, 40002, PB_V4_SERVER), 2, "b.example", PB_TYPE_A);
    struct dnsfail_query_obs q3 = query(3, SEC(3), flow_v4(PB_V4_CLIENT, 40003, PB_V4_SERVER), 3, "c.example", PB_TYPE_A);
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);
    dnsfail_tracker_add_query(t, &q3);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), SEC(6));
    struct dnsfail_error_obs a = answer_for(&q2, 4, SEC(3) + 1);  /* the middle one: unlinked */
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, NULL, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), SEC(6));
    a = answer_for(&q1, 5, SEC(3) + 2);                            /* the head */
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, NULL, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), SEC(8));
    CHECK_EQ_INT(stats_of(t).waiting, 1);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(8), &m));
    CHECK_EQ_INT(m.frame, 3);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), INT64_MAX);
    CHECK_EQ_INT(stats_of(t).waiting, 0);
    dnsfail_tracker_free(t);
}

static void test_take_timeout_returns_oldest_first_with_all_fields(struct dnsfail_tracker *t)
{
    struct dnsfail_flow fa = flow_v4(PB_V4_CLIENT, 40001, PB_V4_SERVER);
    struct dnsfail_flow fb = flow_v6(40002);
    struct dnsfail_query_match m;
    char name[DNSFAIL_NAME_TEXT_MAX];
    struct dnsfail_query_obs q[4] = {
        query(1, MSEC(0), fa, 11, "one.example", PB_TYPE_A),
        query(2, MSEC(10), fb, 22, "two.example", PB_TYPE_AAAA),
        query(3, MSEC(20), fa, 33, "one.example", PB_TYPE_A), /* second try of q[0]'s question */
        syn(4, MSEC(30), 40004, 0xdeadbeefu),
    };
    for (int i = 0; i < 4; i++)
        dnsfail_tracker_add_query(t, &q[i]);
    CHECK_EQ_INT(stats_of(t).waiting, 4);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(5) - 1, &m));
    for (int i = 0; i < 4; i++) {
        if (!CHECK(dnsfail_tracker_take_timeout(t, SEC(6), &m)))
            break;
        CHECK_EQ_INT(m.frame, q[i].frame);
        CHECK_EQ_INT(m.time_ns, q[i].time_ns);
        CHECK_EQ_INT(m.dns_id, q[i].dns_id);
        CHECK_EQ_INT(m.by, DNSFAIL_MATCH_NONE);
        CHECK(m.cookie == q[i].cookie);
        CHECK_EQ_INT(m.has_question, q[i].has_question);
        CHECK_EQ_INT(m.tcp_seq, q[i].tcp_seq);
        CHECK_EQ_INT(m.flow.transport, q[i].flow.transport);
        CHECK_EQ_INT(m.flow.client_port, q[i].flow.client_port);
        CHECK_EQ_INT(m.flow.server_port, q[i].flow.server_port);
        CHECK(dnsfail_addr_equal(&m.flow.client, &q[i].flow.client));
        CHECK(dnsfail_addr_equal(&m.flow.server, &q[i].flow.server));
        if (q[i].has_question) {
            CHECK_EQ_INT(m.question.qtype, q[i].question.qtype);
            CHECK_STR_EQ(name_text(&m.question, name, sizeof name), i == 1 ? "two.example" : "one.example");
        }
    }
    CHECK_EQ_INT(q[0].frame, 1);
    /* attempts as numbered when added: the second try of one.example is attempt 2, a SYN 0 */
    dnsfail_tracker_reset(t);
    for (int i = 0; i < 4; i++)
        dnsfail_tracker_add_query(t, &q[i]);
    uint32_t want[4] = {1, 1, 2, 0};
    for (int i = 0; i < 4 && dnsfail_tracker_take_timeout(t, SEC(6), &m); i++)
        CHECK_EQ_INT(m.attempt, want[i]);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(6), &m));
    CHECK_EQ_INT(stats_of(t).timeouts, 4);
}

static void test_answer_in_time_prevents_the_timeout(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs q = query(1, 0, f, 7, "www.example.com", PB_TYPE_A);
    dnsfail_tracker_add_query(t, &q);
    struct dnsfail_error_obs a = answer_for(&q, 2, SEC(5) - 1);    /* 1 ns before the deadline */
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q.question, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK_EQ_INT(m.frame, 1);
    CHECK_EQ_INT(m.by, DNSFAIL_MATCH_ID);
    CHECK(m.cookie == q.cookie);
    CHECK_EQ_INT(stats_of(t).waiting, 0);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), INT64_MAX);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(100), &m));
    CHECK_EQ_INT(stats_of(t).timeouts, 0);
    /* a second copy of the answer */
    a.frame = 3;
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q.question, &m), DNSFAIL_ANSWER_REPEATED);
    dnsfail_tracker_free(t);
}

static void test_icmp_error_prevents_the_timeout(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs q1 = query(1, 0, f, 7, "www.example.com", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, MSEC(1), flow_v4(PB_V4_CLIENT, 40001, PB_V4_SERVER), 8, "www.example.com",
                                        PB_TYPE_AAAA);
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);
    struct dnsfail_error_obs e = error_for(&q1, 3, MSEC(20), false);  /* by fingerprint */
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.frame, 1);
    CHECK_EQ_INT(stats_of(t).waiting, 1);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(10), &m));
    CHECK_EQ_INT(m.frame, 2);                                      /* only the other one */
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(10), &m));
    CHECK_EQ_INT(stats_of(t).timeouts, 1);
    /* an answer after the error: the query had been answered */
    struct dnsfail_error_obs a = answer_for(&q1, 4, SEC(11));
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, NULL, &m), DNSFAIL_ANSWER_REPEATED);
    dnsfail_tracker_free(t);
}

static void test_answer_after_the_timeout_is_late_then_repeated(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs q = query(1, 0, f, 7, "www.example.com", PB_TYPE_A);
    dnsfail_tracker_add_query(t, &q);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(5), &m));            /* before the answer at 5 s */
    struct dnsfail_error_obs a = answer_for(&q, 2, SEC(5));
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q.question, &m), DNSFAIL_ANSWER_LATE);
    CHECK_EQ_INT(m.frame, 1);
    CHECK(m.cookie == q.cookie);
    a.frame = 3;
    a.time_ns = SEC(6);
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q.question, &m), DNSFAIL_ANSWER_REPEATED);
    CHECK_EQ_INT(m.frame, 1);
    a.frame = 4;
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, NULL, &m), DNSFAIL_ANSWER_REPEATED);
    struct dnsfail_tracker_stats s = stats_of(t);
    CHECK_EQ_INT(s.timeouts, 1);
    CHECK_EQ_INT(s.waiting, 0);
    dnsfail_tracker_free(t);
}

static void test_answer_matching_no_query_is_unmatched(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs q = query(10, SEC(1), f, 7, "www.example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &(struct dnsfail_error_obs){.frame = 1, .has_dns_id = true}, NULL, &m),
                 DNSFAIL_ANSWER_UNMATCHED);                        /* empty tracker */
    dnsfail_tracker_add_query(t, &q);
    struct dnsfail_error_obs a = answer_for(&q, 11, SEC(2));
    a.dns_id = 8;                                                  /* wrong id */
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q.question, &m), DNSFAIL_ANSWER_UNMATCHED);
    CHECK_EQ_INT(m.frame, 0);
    a = answer_for(&q, 11, SEC(2));
    a.flow.client_port = 40001;                                    /* wrong flow */
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q.question, &m), DNSFAIL_ANSWER_UNMATCHED);
    a = answer_for(&q, 11, SEC(2));
    a.flow.server_port = 5353;
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q.question, &m), DNSFAIL_ANSWER_UNMATCHED);
    a = answer_for(&q, 9, SEC(2));                                 /* a frame before the query */
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q.question, &m), DNSFAIL_ANSWER_UNMATCHED);
    a = answer_for(&q, 10, SEC(2));                                /* the query's own frame */
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q.question, &m), DNSFAIL_ANSWER_UNMATCHED);
    a = answer_for(&q, 11, SEC(2));
    a.has_dns_id = false;                                          /* no id: nothing to match */
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q.question, &m), DNSFAIL_ANSWER_UNMATCHED);
    /* none of those answered it, nor its question (a forged answer saves nothing) */
    CHECK_EQ_INT(stats_of(t).waiting, 1);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(6), &m));
    CHECK_EQ_INT(m.frame, 10);
    dnsfail_tracker_free(t);
}

static void test_answered_retry_saves_the_earlier_try(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_flow to_a = flow_v4(PB_V4_CLIENT, 40001, PB_V4_SERVER);
    struct dnsfail_flow to_b = flow_v4(PB_V4_CLIENT, 40002, PB_V4_OTHER);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs q1 = query(1, 0, to_a, 1, "www.example.com", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, SEC(1), to_b, 2, "WWW.example.com", PB_TYPE_A); /* 0x20 */
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);
    struct dnsfail_error_obs a = answer_for(&q2, 3, MSEC(1100));
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q2.question, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK_EQ_INT(m.frame, 2);
    CHECK_EQ_INT(stats_of(t).waiting, 1);                         /* q1 waits until its deadline */
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(5), &m));          /* and is skipped there */
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(100), &m));
    struct dnsfail_tracker_stats s = stats_of(t);
    CHECK_EQ_INT(s.timeouts, 0);
    CHECK_EQ_INT(s.waiting, 0);
    /* the answer's question may be left out: the query's own is used */
    dnsfail_tracker_reset(t);
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, NULL, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(100), &m));
    /* a later try is not saved by an answer before it */
    dnsfail_tracker_reset(t);
    dnsfail_tracker_add_query(t, &q2);
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, NULL, &m), DNSFAIL_ANSWER_IN_TIME);
    struct dnsfail_query_obs q3 = query(4, SEC(2), to_a, 3, "www.example.com", PB_TYPE_A);
    dnsfail_tracker_add_query(t, &q3);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(7), &m));
    CHECK_EQ_INT(m.frame, 4);
    dnsfail_tracker_free(t);
}

/* ---- retries: the client's own evidence --------------------------------------------- */

struct waiting_seen {
    uint32_t frames[8];
    bool failed[8];
    size_t n;
};

static void note_waiting(void *ctx, const struct dnsfail_query_match *m, bool failed)
{
    struct waiting_seen *w = ctx;
    if (w->n < 8) {
        w->frames[w->n] = m->frame;
        w->failed[w->n] = failed;
        w->n++;
    }
}

/* dig +tries=3 +timeout=1 to a silent server, the capture ending right after the third
 * try: the first two were retried while waiting, so they failed; the third still waits. */
static void test_retried_tries_fail_before_their_deadline(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs q1 = query(5, 0, flow_v4(PB_V4_CLIENT, 40001, PB_V4_SERVER), 7, "a.example", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(8, MSEC(1001), flow_v4(PB_V4_CLIENT, 40002, PB_V4_SERVER), 7, "a.example", PB_TYPE_A);
    struct dnsfail_query_obs q3 = query(9, MSEC(2002), flow_v4(PB_V4_CLIENT, 40003, PB_V4_SERVER), 7, "a.example", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q1), 1);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q2), 2);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q3), 3);
    CHECK(dnsfail_tracker_retried_unanswered(t, &q1.flow, 5, &m));
    CHECK_EQ_INT(m.frame, 5);
    CHECK_EQ_INT(m.attempt, 1);
    CHECK_EQ_INT(m.retried_after_ns, MSEC(1001));
    CHECK(dnsfail_tracker_retried_unanswered(t, &q2.flow, 8, &m));
    CHECK_EQ_INT(m.retried_after_ns, MSEC(1001));
    CHECK(!dnsfail_tracker_retried_unanswered(t, &q3.flow, 9, &m)); /* not retried */
    CHECK(!dnsfail_tracker_retried_unanswered(t, &q1.flow, 8, &m)); /* another frame */
    struct waiting_seen w = {{0}, {0}, 0};
    dnsfail_tracker_for_each_waiting(t, note_waiting, &w);
    CHECK_EQ_INT(w.n, 3);
    CHECK(w.frames[0] == 5 && w.failed[0]);
    CHECK(w.frames[1] == 8 && w.failed[1]);
    CHECK(w.frames[2] == 9 && !w.failed[2]);
    /* with a long tail all three time out at their deadlines, the first two with the
     * client's wait */
    CHECK(dnsfail_tracker_take_timeout(t, SEC(10), &m));
    CHECK(m.frame == 5 && m.retried_after_ns == MSEC(1001));
    CHECK(dnsfail_tracker_take_timeout(t, SEC(10), &m));
    CHECK(m.frame == 8 && m.retried_after_ns == MSEC(1001));
    CHECK(dnsfail_tracker_take_timeout(t, SEC(10), &m));
    CHECK(m.frame == 9 && m.retried_after_ns == 0);
    CHECK(!dnsfail_tracker_retried_unanswered(t, &q1.flow, 5, &m)); /* timed out: no longer waiting */
    dnsfail_tracker_free(t);
}

/* What is not a retry, or not a failure: a retry after an answer or after the deadline, a
 * try whose own answer comes after the retry, a try overtaken by an answer to its question. */
static void test_what_a_retry_does_not_fail(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs q1 = query(1, 0, flow_v4(PB_V4_CLIENT, 40001, PB_V4_SERVER), 7, "b.example", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, SEC(1), flow_v4(PB_V4_CLIENT, 40002, PB_V4_SERVER), 7, "b.example", PB_TYPE_A);
    /* the answer to the first try comes after the retry: neither failed */
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);
    struct dnsfail_error_obs a1 = answer_for(&q1, 3, MSEC(1500));
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a1, &q1.question, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK(!dnsfail_tracker_retried_unanswered(t, &q1.flow, 1, &m));
    struct waiting_seen w = {{0}, {0}, 0};
    dnsfail_tracker_for_each_waiting(t, note_waiting, &w);
    CHECK(w.n == 1 && w.frames[0] == 2 && !w.failed[0]); /* the retry: still waiting, not failed */
    /* the retry answered: the first try is overtaken, not failed */
    dnsfail_tracker_reset(t);
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);
    struct dnsfail_error_obs a2 = answer_for(&q2, 3, MSEC(1100));
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a2, &q2.question, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK(!dnsfail_tracker_retried_unanswered(t, &q1.flow, 1, &m));
    /* an ICMP error answered the first try before the retry: not retried while waiting */
    dnsfail_tracker_reset(t);
    dnsfail_tracker_add_query(t, &q1);
    struct dnsfail_error_obs e1 = error_for(&q1, 2, MSEC(10), true);
    CHECK(dnsfail_tracker_match_error(t, &e1, &m));
    struct dnsfail_query_obs q2b = q2;
    q2b.frame = 3;
    dnsfail_tracker_add_query(t, &q2b);
    CHECK(!dnsfail_tracker_retried_unanswered(t, &q1.flow, 1, &m));
    /* a retry after the deadline: the first try had timed out already, with the timeout's words */
    dnsfail_tracker_reset(t);
    dnsfail_tracker_add_query(t, &q1);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(6), &m));
    CHECK_EQ_INT(m.retried_after_ns, 0);
    struct dnsfail_query_obs late = query(4, SEC(6), flow_v4(PB_V4_CLIENT, 40004, PB_V4_SERVER), 7, "b.example", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &late), 2);
    CHECK(!dnsfail_tracker_retried_unanswered(t, &q1.flow, 1, &m));
    /* the same question to another server is no retry (a new series) */
    dnsfail_tracker_reset(t);
    dnsfail_tracker_add_query(t, &q1);
    struct dnsfail_query_obs other = query(2, SEC(1), flow_v4(PB_V4_CLIENT, 40002, PB_V4_OTHER), 7, "b.example", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &other), 1);
    CHECK(!dnsfail_tracker_retried_unanswered(t, &q1.flow, 1, &m));
    dnsfail_tracker_free(t);
}

static void test_question_hash_is_the_key_of_the_hashed_calls(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_flow to_b = flow_v4(PB_V4_CLIENT, 40001, PB_V4_OTHER);
    struct dnsfail_question q = question("www.example.com", PB_TYPE_A);
    struct dnsfail_question upper = question("WWW.Example.COM", PB_TYPE_A);
    struct dnsfail_question aaaa = question("www.example.com", PB_TYPE_AAAA);
    struct dnsfail_question other = question("www.example.org", PB_TYPE_A);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    uint64_t h = dnsfail_tracker_question_hash(&q);
    CHECK(dnsfail_tracker_question_hash(&upper) == h); /* names without case */
    CHECK(dnsfail_tracker_question_hash(&aaaa) != h);
    CHECK(dnsfail_tracker_question_hash(&other) != h);
    /* a failure noted by question is taken by its hash, once, and by no other hash */
    dnsfail_tracker_note_failure(t, &f.client, &q);
    CHECK(!dnsfail_tracker_take_failure_hashed(t, &f.client, dnsfail_tracker_question_hash(&aaaa)));
    CHECK(!dnsfail_tracker_take_failure_hashed(t, &to_b.server, h));
    CHECK(dnsfail_tracker_take_failure_hashed(t, &f.client, dnsfail_tracker_question_hash(&upper)));
    CHECK(!dnsfail_tracker_take_failure_hashed(t, &f.client, h));
    /* an answer in time, hashed, saves the client's earlier try of its question (the
     * hash keys that) and ends its own query's wait, as match_answer does */
    struct dnsfail_query_obs q1 = query(1, 0, f, 1, "www.example.com", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, SEC(1), to_b, 2, "www.example.com", PB_TYPE_A);
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);
    struct dnsfail_error_obs a = answer_for(&q2, 3, MSEC(1100));
    CHECK_EQ_INT(dnsfail_tracker_match_answer_hashed(t, &a, &upper, h, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK_EQ_INT(m.frame, 2);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(100), &m));
    CHECK_EQ_INT(stats_of(t).timeouts, 0);
    /* the hash is ignored without a question: the query's own keys the client's record */
    dnsfail_tracker_reset(t);
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);
    CHECK_EQ_INT(dnsfail_tracker_match_answer_hashed(t, &a, NULL, dnsfail_tracker_question_hash(&other), &m),
                 DNSFAIL_ANSWER_IN_TIME);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(100), &m));
    /* another question's hash saves nothing */
    dnsfail_tracker_reset(t);
    dnsfail_tracker_add_query(t, &q1);
    struct dnsfail_query_obs q2o = query(2, SEC(1), to_b, 2, "www.example.org", PB_TYPE_A);
    dnsfail_tracker_add_query(t, &q2o);
    a = answer_for(&q2o, 3, MSEC(1100));
    CHECK_EQ_INT(dnsfail_tracker_match_answer_hashed(t, &a, &other, dnsfail_tracker_question_hash(&other), &m),
                 DNSFAIL_ANSWER_IN_TIME);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(100), &m));
    CHECK_EQ_INT(m.frame, 1);
    dnsfail_tracker_free(t);
}

static void test_retry_after_the_timeout_does_not_save_the_first_try(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_flow to_a = flow_v4(PB_V4_CLIENT, 40001, PB_V4_SERVER);
    struct dnsfail_flow to_b = flow_v4(PB_V4_CLIENT, 40002, PB_V4_OTHER);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs q1 = query(1, 0, to_a, 1, "www.example.com", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, SEC(5), to_b, 2, "www.example.com", PB_TYPE_A);
    struct dnsfail_error_obs a = answer_for(&q2, 3, MSEC(5010));
    /* as the caller does: take what is due before each frame */
    dnsfail_tracker_add_query(t, &q1);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(5), &m));           /* due before q2 was sent */
    CHECK_EQ_INT(m.frame, 1);
    dnsfail_tracker_add_query(t, &q2);
    CHECK(!dnsfail_tracker_take_timeout(t, MSEC(5010), &m));
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q2.question, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(100), &m));        /* q2 never times out */
    CHECK_EQ_INT(stats_of(t).timeouts, 1);
    /* the same when timeouts are only taken later: q1's deadline passed before the answer */
    dnsfail_tracker_reset(t);
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q2.question, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(100), &m));
    CHECK_EQ_INT(m.frame, 1);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(100), &m));
    CHECK_EQ_INT(stats_of(t).timeouts, 1);
    dnsfail_tracker_free(t);
}

static void test_late_or_repeated_answer_does_not_save_a_retry(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_flow to_a = flow_v4(PB_V4_CLIENT, 40001, PB_V4_SERVER);
    struct dnsfail_flow to_b = flow_v4(PB_V4_CLIENT, 40002, PB_V4_OTHER);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    /* q1 times out, q2 retries elsewhere, q1's late answer comes: q2 still waits for its own */
    struct dnsfail_query_obs q1 = query(1, 0, to_a, 1, "www.example.com", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, SEC(5), to_b, 2, "www.example.com", PB_TYPE_A);
    dnsfail_tracker_add_query(t, &q1);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(5), &m));
    dnsfail_tracker_add_query(t, &q2);
    struct dnsfail_error_obs late = answer_for(&q1, 3, MSEC(5500));
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &late, &q1.question, &m), DNSFAIL_ANSWER_LATE);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(10), &m));
    CHECK_EQ_INT(m.frame, 2);
    /* q1 answered; a new try q3 of the question; a copy of q1's answer: q3 still waits */
    dnsfail_tracker_reset(t);
    dnsfail_tracker_add_query(t, &q1);
    struct dnsfail_error_obs a1 = answer_for(&q1, 2, MSEC(100));
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a1, &q1.question, &m), DNSFAIL_ANSWER_IN_TIME);
    struct dnsfail_query_obs q3 = query(3, SEC(1), to_b, 3, "www.example.com", PB_TYPE_A);
    dnsfail_tracker_add_query(t, &q3);
    a1.frame = 4;
    a1.time_ns = MSEC(1500);
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a1, &q1.question, &m), DNSFAIL_ANSWER_REPEATED);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(6), &m));
    CHECK_EQ_INT(m.frame, 3);
    dnsfail_tracker_free(t);
}

static void test_another_clients_answer_does_not_save_a_try(void)
{
    static const uint8_t other_client[4] = {192, 0, 2, 77};
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs q1 = query(1, 0, flow_v4(PB_V4_CLIENT, 40001, PB_V4_SERVER), 1, "www.example.com",
                                        PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, SEC(1), flow_v4(other_client, 40002, PB_V4_SERVER), 2, "www.example.com",
                                        PB_TYPE_A);
    struct dnsfail_query_obs q3 = query(3, SEC(1), flow_v4(PB_V4_CLIENT, 40003, PB_V4_SERVER), 3, "www.example.com",
                                        PB_TYPE_AAAA);
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);
    dnsfail_tracker_add_query(t, &q3);
    struct dnsfail_error_obs a = answer_for(&q2, 4, MSEC(1100));
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q2.question, &m), DNSFAIL_ANSWER_IN_TIME);
    a = answer_for(&q3, 5, MSEC(1100));                            /* same client, other type */
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &q3.question, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(5), &m));
    CHECK_EQ_INT(m.frame, 1);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(100), &m));
    dnsfail_tracker_free(t);
}

static void test_answer_with_a_shared_id_ends_the_query_asking_its_question(void)
{
    /* A and AAAA sent with one id from one socket: each answer ends its own query. */
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs qa = query(1, 0, f, 9, "www.example.com", PB_TYPE_A);
    struct dnsfail_query_obs qaaaa = query(2, 1, f, 9, "www.example.com", PB_TYPE_AAAA);
    dnsfail_tracker_add_query(t, &qa);
    dnsfail_tracker_add_query(t, &qaaaa);
    struct dnsfail_error_obs a = answer_for(&qa, 3, MSEC(10));
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &qa.question, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK_EQ_INT(m.frame, 1);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(6), &m));            /* AAAA never answered */
    CHECK_EQ_INT(m.frame, 2);
    /* without a question the newest query with the id is taken */
    dnsfail_tracker_reset(t);
    dnsfail_tracker_add_query(t, &qa);
    dnsfail_tracker_add_query(t, &qaaaa);
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, NULL, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK_EQ_INT(m.frame, 2);
    /* the same question sent twice with one id: one answer ends both waits */
    dnsfail_tracker_reset(t);
    struct dnsfail_query_obs again = qa;
    again.frame = 2;
    again.time_ns = SEC(1);
    dnsfail_tracker_add_query(t, &qa);
    dnsfail_tracker_add_query(t, &again);
    a.time_ns = MSEC(1100);
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, &qa.question, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK_EQ_INT(m.frame, 2);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(100), &m));
    CHECK_EQ_INT(stats_of(t).timeouts, 0);
    dnsfail_tracker_free(t);
}

static void test_retransmitted_syn_waits_once(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs s1 = syn(1, 0, 50000, 1000);
    struct dnsfail_query_obs s1_again = syn(2, SEC(1), 50000, 1000);
    struct dnsfail_query_obs s1_third = syn(3, SEC(3), 50000, 1000);
    struct dnsfail_query_obs s2 = syn(4, SEC(3), 50000, 2000);     /* a new connection, same port */
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &s1), 0);
    dnsfail_tracker_add_query(t, &s1_again);
    dnsfail_tracker_add_query(t, &s1_third);
    CHECK_EQ_INT(stats_of(t).waiting, 1);
    dnsfail_tracker_add_query(t, &s2);
    CHECK_EQ_INT(stats_of(t).waiting, 2);
    CHECK_EQ_INT(stats_of(t).tracked, 4);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(5), &m));            /* from the first SYN */
    CHECK_EQ_INT(m.frame, 1);
    CHECK_EQ_INT(m.tcp_seq, 1000);
    CHECK_EQ_INT(m.flow.transport, 6);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(8) - 1, &m));
    /* a retransmission after the timeout (Linux: 7 s) is still the same connection */
    struct dnsfail_query_obs s1_fourth = syn(5, SEC(7), 50000, 1000);
    dnsfail_tracker_add_query(t, &s1_fourth);
    CHECK_EQ_INT(stats_of(t).waiting, 1);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(8), &m));
    CHECK_EQ_INT(m.frame, 4);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(100), &m));
    CHECK_EQ_INT(stats_of(t).timeouts, 2);
    /* the same sequence number on another flow is another connection */
    struct dnsfail_query_obs other = syn(6, SEC(9), 50001, 1000);
    dnsfail_tracker_add_query(t, &other);
    CHECK_EQ_INT(stats_of(t).waiting, 1);
    dnsfail_tracker_free(t);
}

static void test_syn_ack_ends_the_syns_wait(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs s1 = syn(1, 0, 50000, 1000);
    dnsfail_tracker_add_query(t, &s1);
    struct dnsfail_error_obs sa = syn_ack_for(&s1, 2, MSEC(20));
    CHECK(dnsfail_tracker_match_error(t, &sa, &m));
    CHECK_EQ_INT(m.frame, 1);
    CHECK_EQ_INT(m.tcp_seq, 1000);
    CHECK_EQ_INT(stats_of(t).waiting, 0);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(100), &m));
    /* retransmitted: the SYN/ACK matches the newest SYN, and ends the first one's wait */
    dnsfail_tracker_reset(t);
    struct dnsfail_query_obs s1_again = syn(2, SEC(1), 50000, 1000);
    dnsfail_tracker_add_query(t, &s1);
    dnsfail_tracker_add_query(t, &s1_again);
    sa = syn_ack_for(&s1, 3, MSEC(1020));
    CHECK(dnsfail_tracker_match_error(t, &sa, &m));
    CHECK_EQ_INT(m.frame, 2);
    CHECK_EQ_INT(stats_of(t).waiting, 0);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(100), &m));
    CHECK_EQ_INT(stats_of(t).timeouts, 0);
    /* a SYN/ACK for one connection leaves another connection's SYN waiting */
    dnsfail_tracker_reset(t);
    struct dnsfail_query_obs s2 = syn(2, MSEC(10), 50001, 2000);
    dnsfail_tracker_add_query(t, &s1);
    dnsfail_tracker_add_query(t, &s2);
    sa = syn_ack_for(&s1, 3, MSEC(20));
    CHECK(dnsfail_tracker_match_error(t, &sa, &m));
    CHECK_EQ_INT(m.frame, 1);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(100), &m));
    CHECK_EQ_INT(m.frame, 2);
    dnsfail_tracker_free(t);
}

static void test_eviction_forgets_waits(void)
{
    struct dnsfail_tracker *t = new_tracker(4, 0);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    for (uint32_t i = 0; i < 6; i++) {
        struct dnsfail_query_obs q = numbered_query(i);              /* frame i + 1 at i ms */
        dnsfail_tracker_add_query(t, &q);
    }
    struct dnsfail_tracker_stats s = stats_of(t);
    CHECK_EQ_INT(s.waits_forgotten, 2);
    CHECK_EQ_INT(s.waiting, 4);
    CHECK_EQ_INT(s.tracked, 4);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), MSEC(2) + SEC(5)); /* frame 3 is the oldest left */
    /* an answer ends a wait in the middle of the reused slots */
    struct dnsfail_query_obs q4 = numbered_query(4);
    struct dnsfail_error_obs a = answer_for(&q4, 100, MSEC(10));
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, NULL, &m), DNSFAIL_ANSWER_IN_TIME);
    uint32_t want[] = {3, 4, 6};
    uint32_t got = 0;
    while (dnsfail_tracker_take_timeout(t, SEC(100), &m)) {
        if (got < 3)
            CHECK_EQ_INT(m.frame, want[got]);
        got++;
    }
    CHECK_EQ_INT(got, 3);
    /* keep going past the limit with timed-out, answered and waiting queries mixed */
    for (uint32_t i = 6; i < 40; i++) {
        struct dnsfail_query_obs q = numbered_query(i);
        q.time_ns = SEC(100) + MSEC(i);
        while (dnsfail_tracker_take_timeout(t, q.time_ns, &m))
            CHECK(m.frame > 6);
        dnsfail_tracker_add_query(t, &q);
        if (i % 3 == 0) {
            a = answer_for(&q, 1000 + i, q.time_ns + 1);
            CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, NULL, &m), DNSFAIL_ANSWER_IN_TIME);
        }
    }
    s = stats_of(t);
    CHECK(s.waiting <= 4);
    uint32_t last = 0;
    while (dnsfail_tracker_take_timeout(t, SEC(1000), &m)) {
        CHECK(m.frame > last);
        CHECK(m.frame >= 37);                                     /* only the 4 newest remain */
        last = m.frame;
    }
    s = stats_of(t);
    CHECK_EQ_INT(s.waiting, 0);
    CHECK_EQ_INT(s.timeouts + s.waits_forgotten + 12 + 1, 40);    /* 12 + 1 answered in time */
    dnsfail_tracker_free(t);
}

static void test_reset_and_configure_empty_the_waiting_list(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    for (uint32_t i = 0; i < 10; i++) {
        struct dnsfail_query_obs q = numbered_query(i);
        dnsfail_tracker_add_query(t, &q);
    }
    CHECK(dnsfail_tracker_take_timeout(t, SEC(5), &m));
    dnsfail_tracker_reset(t);
    struct dnsfail_tracker_stats s = stats_of(t);
    CHECK_EQ_INT(s.waiting, 0);
    CHECK_EQ_INT(s.timeouts, 0);
    CHECK_EQ_INT(s.waits_forgotten, 0);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), INT64_MAX);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(1000), &m));
    /* the list works again after a reset */
    struct dnsfail_query_obs q = numbered_query(3);
    dnsfail_tracker_add_query(t, &q);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), MSEC(3) + SEC(5));
    struct dnsfail_tracker_config c = {2, 0, SEC(1)};
    dnsfail_tracker_configure(t, &c);
    CHECK_EQ_INT(stats_of(t).waiting, 0);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), INT64_MAX);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(1000), &m));
    for (uint32_t i = 0; i < 3; i++) {
        q = numbered_query(i);
        dnsfail_tracker_add_query(t, &q);
    }
    s = stats_of(t);
    CHECK_EQ_INT(s.waiting, 2);
    CHECK_EQ_INT(s.waits_forgotten, 1);
    CHECK(dnsfail_tracker_take_timeout(t, MSEC(1001), &m));
    CHECK_EQ_INT(m.frame, 2);
    dnsfail_tracker_free(t);
}

static void test_deadlines_near_the_ends_of_int64(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs q = query(1, INT64_MAX - SEC(1), f, 1, "late.example", PB_TYPE_A);
    dnsfail_tracker_add_query(t, &q);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), INT64_MAX);     /* saturated */
    CHECK(!dnsfail_tracker_take_timeout(t, INT64_MAX, &m));       /* its real deadline is later */
    CHECK_EQ_INT(stats_of(t).waiting, 1);
    dnsfail_tracker_reset(t);
    q = query(1, INT64_MIN + 1, f, 1, "early.example", PB_TYPE_A);
    dnsfail_tracker_add_query(t, &q);
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), INT64_MIN + 1 + SEC(5));
    CHECK(!dnsfail_tracker_take_timeout(t, INT64_MIN, &m));
    CHECK(!dnsfail_tracker_take_timeout(t, INT64_MIN + SEC(5), &m));
    CHECK(dnsfail_tracker_take_timeout(t, INT64_MIN + 1 + SEC(5), &m));
    dnsfail_tracker_free(t);
}

static void test_times_stepping_back_never_time_out_early(void)
{
    struct dnsfail_tracker *t = new_tracker(0, 0);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs q1 = query(1, SEC(10), flow_v4(PB_V4_CLIENT, 40001, PB_V4_SERVER), 1, "a.example", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, SEC(3), flow_v4(PB_V4_CLIENT, 40002, PB_V4_SERVER), 2, "b.example", PB_TYPE_A);
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(8), &m));          /* q2 late is allowed, early not */
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(15) - 1, &m));
    CHECK(dnsfail_tracker_take_timeout(t, SEC(15), &m));
    CHECK_EQ_INT(m.frame, 1);
    CHECK(dnsfail_tracker_take_timeout(t, SEC(15), &m));
    CHECK_EQ_INT(m.frame, 2);
    CHECK(!dnsfail_tracker_take_timeout(t, SEC(15), &m));
    dnsfail_tracker_free(t);
}

static void test_taking_timeouts_while_adding_keeps_order(void)
{
    struct dnsfail_tracker *t = new_tracker(1000, 0);
    struct dnsfail_query_match m;
    uint32_t last = 0, taken = 0;
    if (!CHECK(t != NULL))
        return;
    /* one query every 100 ms, every 7th answered 1 ms later; timeouts taken before each */
    for (uint32_t i = 0; i < 500; i++) {
        char name[32];
        snprintf(name, sizeof name, "n%u.example", (unsigned)i);
        int64_t now = MSEC(100) * i;
        struct dnsfail_query_obs q = query(2 * i + 1, now, flow_v4(PB_V4_CLIENT, (uint16_t)(1024 + i), PB_V4_SERVER),
                                           (uint16_t)i, name, PB_TYPE_A);
        while (dnsfail_tracker_take_timeout(t, now, &m)) {
            CHECK(m.frame > last);
            CHECK(m.time_ns + SEC(5) <= now);
            CHECK(m.time_ns + SEC(5) > now - MSEC(100));          /* not later than needed */
            CHECK((m.frame - 1) / 2 % 7 != 0);
            last = m.frame;
            taken++;
        }
        CHECK(dnsfail_tracker_next_deadline(t) > now);
        dnsfail_tracker_add_query(t, &q);
        if (i % 7 == 0) {
            struct dnsfail_error_obs a = answer_for(&q, 2 * i + 2, now + MSEC(1));
            CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, NULL, &m), DNSFAIL_ANSWER_IN_TIME);
        }
    }
    while (dnsfail_tracker_take_timeout(t, INT64_MAX, &m)) {
        CHECK(m.frame > last);
        last = m.frame;
        taken++;
    }
    struct dnsfail_tracker_stats s = stats_of(t);
    CHECK_EQ_INT(taken, 500 - 72);                                 /* 72 of 500 answered */
    CHECK_EQ_INT(s.timeouts, taken);
    CHECK_EQ_INT(s.waits_forgotten, 0);
    CHECK_EQ_INT(s.waiting, 0);
    dnsfail_tracker_free(t);
}

static void test_flood_of_unanswered_queries_stays_bounded_and_fast(void)
{
    /* 1,000,000 distinct queries 1 us apart, none answered, at most 65536 remembered.
     * Measured (x86-64 Linux, gcc, RelWithDebInfo): stats.bytes == 27,787,568 from the
     * 65537th query on, never growing after: 65536 query slots of 388 bytes (record 368
     * + hash and chain links 20) = 25.4 MB, 65536 question slots of 36 bytes (a 16-byte
     * record keyed by its hash) = 2.4 MB, the tracker itself 304 bytes; the failures
     * table stays empty (no answers). About 0.35 s of CPU without sanitizers. (With
     * answers, the failures table can add 65536 x 36 bytes = 2.4 MB more: at most 460
     * bytes per remembered query in all.) */
    const uint32_t total = 1000000, limit = 65536;
    struct dnsfail_tracker *t = new_tracker(limit, 0);
    struct dnsfail_query_match m;
    struct dnsfail_tracker_stats s;
    size_t bytes_full = 0;
    uint32_t last = 0, taken = 0;
    if (!CHECK(t != NULL))
        return;
    clock_t start = clock();
    for (uint32_t i = 0; i < total; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%u.example", (unsigned)i);
        struct dnsfail_query_obs q = query(i + 1, (int64_t)i * 1000,
                                           flow_v4(PB_V4_CLIENT, (uint16_t)(1024 + i % 60000u), PB_V4_SERVER),
                                           (uint16_t)i, name, PB_TYPE_A);
        if (dnsfail_tracker_take_timeout(t, q.time_ns, &m)) /* never: the flood lasts 1 s */
            taken++;
        dnsfail_tracker_add_query(t, &q);
        if (i == limit) {
            dnsfail_tracker_get_stats(t, &s);
            bytes_full = s.bytes;
        }
    }
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    dnsfail_tracker_get_stats(t, &s);
    CHECK_EQ_INT(taken, 0);
    CHECK_EQ_INT(s.queries, total);
    CHECK_EQ_INT(s.tracked, limit);
    CHECK_EQ_INT(s.waiting, limit);
    CHECK_EQ_INT(s.waits_forgotten, total - limit);
    CHECK_EQ_INT(s.bytes, bytes_full);                             /* no growth once full */
    CHECK(s.bytes <= (size_t)limit * 460u);                        /* measured 27.8 MB: 424 per query */
    CHECK_EQ_INT(dnsfail_tracker_next_deadline(t), (int64_t)(total - limit) * 1000 + SEC(5));
    while (dnsfail_tracker_take_timeout(t, INT64_MAX, &m)) {
        CHECK(m.frame > last && m.frame > total - limit);
        last = m.frame;
        taken++;
    }
    CHECK_EQ_INT(taken, limit);
    CHECK_EQ_INT(last, total);
    CHECK_EQ_INT(stats_of(t).timeouts, limit);
    seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    printf("     flood: %u queries, %zu bytes, %.2f s cpu\n", (unsigned)total, s.bytes, seconds);
    CHECK(seconds < 20.0);                                         /* generous: sanitizer builds too */
    dnsfail_tracker_free(t);
}

/* A reset or SYN/ACK finds the connection's SYN by its acknowledgement and ends only the
 * SYN's wait: a DNS query sent on the connection keeps waiting. An answer with id 0 on the
 * connection is not matched to the SYN (whose "id" is 0). */
static void test_match_syn_touches_only_the_syn(void)
{
    struct dnsfail_tracker *t = timeout_tracker(0, SEC(5));
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    struct dnsfail_query_obs s = syn(1, 0, 40100, 1000);
    dnsfail_tracker_add_query(t, &s);
    struct dnsfail_query_obs q = query(3, MSEC(10), flow_tcp(40100), 0x0000, "tcp.example.com", 1);
    dnsfail_tracker_add_query(t, &q);
    CHECK(!dnsfail_tracker_match_syn(t, &s.flow, 2000, 4, &m)); /* acknowledges something else */
    CHECK(dnsfail_tracker_match_syn(t, &s.flow, 1001, 4, &m));
    CHECK_EQ_INT(m.frame, 1);
    CHECK_EQ_INT(m.tcp_seq, 1000);
    struct dnsfail_tracker_stats st;
    dnsfail_tracker_get_stats(t, &st);
    CHECK_EQ_INT(st.waiting, 1); /* the query, not the SYN */
    /* An answer with id 0, whose query was not captured, on another connection's flow shape:
     * here the query was captured, and it is the match, never the SYN. */
    struct dnsfail_error_obs a = answer_for(&q, 5, MSEC(20));
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, NULL, &m), DNSFAIL_ANSWER_IN_TIME);
    CHECK_EQ_INT(m.frame, 3);
    dnsfail_tracker_free(t);

    /* Without the query: the id-0 answer matches nothing. */
    t = timeout_tracker(0, SEC(5));
    if (!CHECK(t != NULL))
        return;
    dnsfail_tracker_add_query(t, &s);
    CHECK_EQ_INT(dnsfail_tracker_match_answer(t, &a, NULL, &m), DNSFAIL_ANSWER_UNMATCHED);
    dnsfail_tracker_free(t);
}

int main(void)
{
    RUN_TEST(test_one_socket_sending_many_queries_stays_cheap_and_right);
    RUN_TRACKER_TEST(test_answer_after_failure_is_taken_once);
    RUN_TRACKER_TEST(test_failure_belongs_to_client_and_question);
    RUN_TEST(test_new_without_config_uses_defaults);
    RUN_TEST(test_default_retry_window_is_ten_seconds);
    RUN_TRACKER_TEST(test_attempts_count_1_2_3_within_retry_window);
    RUN_TRACKER_TEST(test_attempt_resets_to_1_after_retry_window);
    RUN_TRACKER_TEST(test_retry_window_runs_from_the_previous_try);
    RUN_TEST(test_custom_retry_window);
    RUN_TRACKER_TEST(test_names_compare_without_case);
    RUN_TRACKER_TEST(test_different_type_is_a_new_question);
    RUN_TRACKER_TEST(test_different_server_starts_a_new_series);
    RUN_TRACKER_TEST(test_different_client_starts_a_new_series);
    RUN_TRACKER_TEST(test_query_without_question_is_attempt_0_but_matchable);
    RUN_TRACKER_TEST(test_count_attempt_continues_the_series);
    RUN_TRACKER_TEST(test_match_by_dns_id);
    RUN_TRACKER_TEST(test_unknown_dns_id_matches_nothing);
    RUN_TEST(test_match_by_id_prefers_the_query_whose_fingerprint_agrees);
    RUN_TEST(test_match_by_fingerprint_tells_a_from_aaaa_on_same_port);
    RUN_TEST(test_fingerprint_matches_computed_checksum_of_offloaded_capture);
    RUN_TRACKER_TEST(test_match_by_fingerprint_without_ip_id_over_ipv6);
    RUN_TRACKER_TEST(test_fingerprint_match_beats_a_later_query_of_the_flow);
    RUN_TRACKER_TEST(test_falls_back_to_latest_query_of_the_flow);
    RUN_TRACKER_TEST(test_never_matches_a_query_from_a_later_frame);
    RUN_TRACKER_TEST(test_never_matches_a_query_older_than_max_age);
    RUN_TRACKER_TEST(test_matches_only_the_same_flow);
    RUN_TEST(test_eviction_keeps_memory_bounded);
    RUN_TEST(test_reset_empties_everything);
    RUN_TEST(test_configure_sets_new_limit_and_resets);
    RUN_TEST(test_configure_bounds_memory_like_a_new_tracker);
    RUN_TEST(test_timeout_is_due_exactly_at_time_plus_default_timeout);
    RUN_TEST(test_timeout_notes_the_failure_of_its_question);
    RUN_TEST(test_timeout_is_due_exactly_at_time_plus_configured_timeout);
    RUN_TEST(test_next_deadline_is_the_oldest_waiting_query);
    RUN_TRACKER_TEST(test_take_timeout_returns_oldest_first_with_all_fields);
    RUN_TEST(test_answer_in_time_prevents_the_timeout);
    RUN_TEST(test_icmp_error_prevents_the_timeout);
    RUN_TEST(test_answer_after_the_timeout_is_late_then_repeated);
    RUN_TEST(test_answer_matching_no_query_is_unmatched);
    RUN_TEST(test_answered_retry_saves_the_earlier_try);
    RUN_TEST(test_retried_tries_fail_before_their_deadline);
    RUN_TEST(test_what_a_retry_does_not_fail);
    RUN_TEST(test_question_hash_is_the_key_of_the_hashed_calls);
    RUN_TEST(test_retry_after_the_timeout_does_not_save_the_first_try);
    RUN_TEST(test_late_or_repeated_answer_does_not_save_a_retry);
    RUN_TEST(test_another_clients_answer_does_not_save_a_try);
    RUN_TEST(test_answer_with_a_shared_id_ends_the_query_asking_its_question);
    RUN_TEST(test_retransmitted_syn_waits_once);
    RUN_TEST(test_syn_ack_ends_the_syns_wait);
    RUN_TEST(test_match_syn_touches_only_the_syn);
    RUN_TEST(test_eviction_forgets_waits);
    RUN_TEST(test_reset_and_configure_empty_the_waiting_list);
    RUN_TEST(test_deadlines_near_the_ends_of_int64);
    RUN_TEST(test_times_stepping_back_never_time_out_early);
    RUN_TEST(test_taking_timeouts_while_adding_keeps_order);
    RUN_TEST(test_flood_of_unanswered_queries_stays_bounded_and_fast);
    return check_finish();
}
