/* test_tracker.c - numbering of retries and matching ICMP errors to queries.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/tracker.h"

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "packet_builder.h"

#define SEC(x) ((int64_t)(x) * INT64_C(1000000000))
#define MSEC(x) ((int64_t)(x) * INT64_C(1000000))

static char cookies[8];

static struct dnsfail_flow flow_v4(const uint8_t client[4], uint16_t client_port, const uint8_t server[4])
{
    struct dnsfail_flow f;
    memset(&f, 0, sizeof f);
    dnsfail_addr_set_ipv4(&f.client, client);
    dnsfail_addr_set_ipv4(&f.server, server);
    f.client_port = client_port;
    f.server_port = 53;
    f.transport = 17;
    return f;
}

static struct dnsfail_flow flow_v6(uint16_t client_port)
{
    struct dnsfail_flow f;
    memset(&f, 0, sizeof f);
    dnsfail_addr_set_ipv6(&f.client, PB_V6_CLIENT);
    dnsfail_addr_set_ipv6(&f.server, PB_V6_SERVER);
    f.client_port = client_port;
    f.server_port = 53;
    f.transport = 17;
    return f;
}

static struct dnsfail_question question(const char *name, uint16_t qtype)
{
    struct dnsfail_question q;
    struct pb p;
    size_t end;
    memset(&q, 0, sizeof q);
    pb_init(&p);
    pb_dns_name(&p, name);
    enum dnsfail_name_status st = dnsfail_dns_name_decode(p.b, p.len, 0, &q.qname, &end);
    if (st != DNSFAIL_NAME_OK)                 /* a test bug: reported, not counted when fine */
        CHECK_EQ_INT(st, DNSFAIL_NAME_OK);
    q.qtype = qtype;
    q.qclass = PB_CLASS_IN;
    return q;
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

static struct dnsfail_tracker *new_tracker(uint32_t max_queries, int64_t window_ns)
{
    struct dnsfail_tracker_config c = {max_queries, window_ns};
    return dnsfail_tracker_new(&c);
}

static char *name_text(const struct dnsfail_question *q, char *buf, size_t size)
{
    dnsfail_dns_name_format(&q->qname, buf, size);
    return buf;
}

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
    struct dnsfail_query_obs q;
    if (!CHECK(t != NULL))
        return;
    q = query(1, 0, f, 1, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    q = query(2, SEC(10), f, 2, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 2);
    q = query(3, SEC(20) + 1, f, 3, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    dnsfail_tracker_free(t);
}

/* ---- attempt numbering -------------------------------------------------------------- */

static void test_attempts_count_1_2_3_within_retry_window(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_query_obs q;
    if (!CHECK(t != NULL))
        return;
    /* Retries from new ports and with new ids: still the same question. */
    q = query(1, 0, flow_v4(PB_V4_CLIENT, 40001, PB_V4_SERVER), 0x1001, "www.example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    q = query(2, SEC(2), flow_v4(PB_V4_CLIENT, 40002, PB_V4_SERVER), 0x1002, "www.example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 2);
    q = query(3, SEC(4), flow_v4(PB_V4_CLIENT, 40003, PB_V4_SERVER), 0x1003, "www.example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 3);
    dnsfail_tracker_free(t);
}

static void test_attempt_resets_to_1_after_retry_window(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q;
    if (!CHECK(t != NULL))
        return;
    q = query(1, 0, f, 1, "www.example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    q = query(2, SEC(3), f, 2, "www.example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 2);
    q = query(3, SEC(13) + 1, f, 3, "www.example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    q = query(4, SEC(14), f, 4, "www.example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 2);
    dnsfail_tracker_free(t);
}

static void test_retry_window_runs_from_the_previous_try(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    if (!CHECK(t != NULL))
        return;
    for (uint32_t i = 0; i < 4; i++) {
        struct dnsfail_query_obs q = query(i + 1, SEC(8) * i, f, (uint16_t)i, "example.org", PB_TYPE_A);
        CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), i + 1);
    }
    dnsfail_tracker_free(t);
}

static void test_custom_retry_window(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(1));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q;
    if (!CHECK(t != NULL))
        return;
    q = query(1, 0, f, 1, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    q = query(2, MSEC(500), f, 2, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 2);
    q = query(3, SEC(2), f, 3, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    dnsfail_tracker_free(t);
}

static void test_names_compare_without_case(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q;
    if (!CHECK(t != NULL))
        return;
    q = query(1, 0, f, 1, "WWW.Example.COM", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    q = query(2, SEC(1), f, 2, "www.example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 2);
    q = query(3, SEC(2), f, 3, "wWw.eXaMpLe.cOm", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 3);
    q = query(4, SEC(3), f, 4, "www.example.co", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    dnsfail_tracker_free(t);
}

static void test_different_type_is_a_new_question(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q;
    if (!CHECK(t != NULL))
        return;
    q = query(1, 0, f, 1, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    q = query(2, SEC(1), f, 2, "example.com", PB_TYPE_AAAA);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    q = query(3, SEC(2), f, 3, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 2);
    q = query(4, SEC(3), f, 4, "example.com", PB_TYPE_AAAA);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 2);
    dnsfail_tracker_free(t);
}

static void test_different_server_starts_a_new_series(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_query_obs q;
    if (!CHECK(t != NULL))
        return;
    q = query(1, 0, flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER), 1, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    q = query(2, SEC(1), flow_v4(PB_V4_CLIENT, 40001, PB_V4_OTHER), 2, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    q = query(3, SEC(2), flow_v4(PB_V4_CLIENT, 40002, PB_V4_SERVER), 3, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 2);
    q = query(4, SEC(3), flow_v4(PB_V4_CLIENT, 40003, PB_V4_OTHER), 4, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 2);
    dnsfail_tracker_free(t);
}

static void test_different_client_starts_a_new_series(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_query_obs q;
    if (!CHECK(t != NULL))
        return;
    q = query(1, 0, flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER), 1, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    q = query(2, SEC(1), flow_v4(PB_V4_OTHER, 40000, PB_V4_SERVER), 1, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    dnsfail_tracker_free(t);
}

static void test_query_without_question_is_attempt_0_but_matchable(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q = query(1, 0, f, 9, "example.com", PB_TYPE_A);
    struct dnsfail_query_match m;
    struct dnsfail_tracker_stats s;
    if (!CHECK(t != NULL))
        return;
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
    q = query(3, SEC(1), f, 10, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    dnsfail_tracker_free(t);
}

static void test_count_attempt_continues_the_series(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q = query(1, 0, f, 1, "example.com", PB_TYPE_A);
    if (!CHECK(t != NULL))
        return;
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    struct dnsfail_flow other_port = flow_v4(PB_V4_CLIENT, 41000, PB_V4_SERVER);
    CHECK_EQ_INT(dnsfail_tracker_count_attempt(t, &other_port, &q.question, SEC(1)), 2);
    q = query(3, SEC(2), f, 3, "example.com", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 3);
    struct dnsfail_question fresh = question("fresh.example", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_count_attempt(t, &f, &fresh, SEC(3)), 1);
    dnsfail_tracker_free(t);
}

/* ---- matching ------------------------------------------------------------------------ */

static void test_match_by_dns_id(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q1 = query(1, 0, f, 0x1111, "one.example", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, MSEC(5), f, 0x2222, "two.example", PB_TYPE_A);
    struct dnsfail_query_match m;
    char buf[DNSFAIL_NAME_TEXT_MAX];
    if (!CHECK(t != NULL))
        return;
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);

    struct dnsfail_error_obs e = error_for(&q1, 3, MSEC(20), true);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.by, DNSFAIL_MATCH_ID);
    CHECK_EQ_INT(m.frame, 1);
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
    dnsfail_tracker_free(t);
}

static void test_unknown_dns_id_matches_nothing(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q1 = query(1, 0, f, 0x1111, "one.example", PB_TYPE_A);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    dnsfail_tracker_add_query(t, &q1);
    struct dnsfail_error_obs e = error_for(&q1, 2, MSEC(20), true);
    e.dns_id = 0x3333;
    memset(&m, 0xAA, sizeof m);
    CHECK(!dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.by, DNSFAIL_MATCH_NONE);
    CHECK(m.cookie == NULL);
    dnsfail_tracker_free(t);
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
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.by, DNSFAIL_MATCH_ID);
    CHECK_EQ_INT(m.frame, 1);
    CHECK_EQ_INT(m.attempt, 1);
    e = error_for(&q2, 4, SEC(2), true);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.frame, 2);
    CHECK_EQ_INT(m.attempt, 2);
    /* When the fingerprint agrees with neither (rewritten on the way), the id still
     * matches, and the latest such query wins. */
    e.fingerprint.ip_id = 7;
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.by, DNSFAIL_MATCH_ID);
    CHECK_EQ_INT(m.frame, 2);
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
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.by, DNSFAIL_MATCH_FINGERPRINT);
    CHECK_EQ_INT(m.frame, 1);
    CHECK_EQ_INT(m.question.qtype, PB_TYPE_A);
    CHECK_EQ_INT(m.dns_id, 0x0A0A);

    e = error_for(&qaaaa, 4, MSEC(1), false);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.by, DNSFAIL_MATCH_FINGERPRINT);
    CHECK_EQ_INT(m.frame, 2);
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

    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.by, DNSFAIL_MATCH_FINGERPRINT);
    CHECK_EQ_INT(m.frame, 1);
    dnsfail_tracker_free(t);
}

static void test_match_by_fingerprint_without_ip_id_over_ipv6(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v6(40000);
    struct dnsfail_query_obs qa = query(1, 0, f, 0x0A0A, "www.example.com", PB_TYPE_A);
    struct dnsfail_query_obs qaaaa = query(2, 10, f, 0x0B0B, "www.example.com", PB_TYPE_AAAA);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    CHECK(!qa.fingerprint.has_ip_id);
    dnsfail_tracker_add_query(t, &qa);
    dnsfail_tracker_add_query(t, &qaaaa);
    struct dnsfail_error_obs e = error_for(&qa, 3, MSEC(1), false);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.by, DNSFAIL_MATCH_FINGERPRINT);
    CHECK_EQ_INT(m.frame, 1);
    dnsfail_tracker_free(t);
}

static void test_fingerprint_match_beats_a_later_query_of_the_flow(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q1 = query(1, 0, f, 1, "one.example", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, SEC(1), f, 2, "two.example", PB_TYPE_A);
    struct dnsfail_query_obs q3 = query(3, SEC(2), f, 3, "three.example", PB_TYPE_A);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);
    dnsfail_tracker_add_query(t, &q3);
    struct dnsfail_error_obs e = error_for(&q1, 4, SEC(3), false);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.by, DNSFAIL_MATCH_FINGERPRINT);
    CHECK_EQ_INT(m.frame, 1);
    dnsfail_tracker_free(t);
}

static void test_falls_back_to_latest_query_of_the_flow(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q1 = query(1, 0, f, 1, "one.example", PB_TYPE_A);
    struct dnsfail_query_obs q2 = query(2, SEC(1), f, 2, "two.example", PB_TYPE_A);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q2);

    /* Fingerprint matching no query (a NAT rewrote the checksum). */
    struct dnsfail_error_obs e = error_for(&q1, 3, SEC(2), false);
    e.fingerprint.udp_checksum ^= 0xFFFF;
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.by, DNSFAIL_MATCH_FLOW);
    CHECK_EQ_INT(m.frame, 2);

    /* No fingerprint quoted at all. */
    memset(&e.fingerprint, 0, sizeof e.fingerprint);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.by, DNSFAIL_MATCH_FLOW);
    CHECK_EQ_INT(m.frame, 2);
    dnsfail_tracker_free(t);
}

static void test_never_matches_a_query_from_a_later_frame(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q1 = query(1, 0, f, 1, "one.example", PB_TYPE_A);
    struct dnsfail_query_obs q10 = query(10, SEC(1), f, 1, "one.example", PB_TYPE_A);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    dnsfail_tracker_add_query(t, &q1);
    dnsfail_tracker_add_query(t, &q10);
    struct dnsfail_error_obs e = error_for(&q10, 5, SEC(1), true);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    CHECK_EQ_INT(m.frame, 1);                  /* not 10, though its fingerprint agrees */
    e = error_for(&q1, 1, SEC(1), true);       /* the query's own frame */
    CHECK(!dnsfail_tracker_match_error(t, &e, &m));
    dnsfail_tracker_free(t);
}

static void test_never_matches_a_query_older_than_max_age(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q = query(1, SEC(5), f, 1, "one.example", PB_TYPE_A);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
    dnsfail_tracker_add_query(t, &q);
    struct dnsfail_error_obs e = error_for(&q, 2, SEC(5) + DNSFAIL_TRACKER_MATCH_MAX_AGE_NS, true);
    CHECK(dnsfail_tracker_match_error(t, &e, &m));
    e.time_ns += 1;
    CHECK(!dnsfail_tracker_match_error(t, &e, &m));
    e.has_dns_id = false;                      /* not even by flow */
    CHECK(!dnsfail_tracker_match_error(t, &e, &m));
    dnsfail_tracker_free(t);
}

static void test_matches_only_the_same_flow(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_query_obs q = query(1, 0, f, 1, "one.example", PB_TYPE_A);
    struct dnsfail_query_match m;
    if (!CHECK(t != NULL))
        return;
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
    dnsfail_tracker_free(t);
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
    }
    struct dnsfail_query_obs last = numbered_query(499);
    dnsfail_tracker_get_stats(t, &before);
    CHECK(before.evicted > 0);
    dnsfail_tracker_reset(t);
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
    struct dnsfail_tracker_config c = {10, SEC(1)};
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
    q = query(100, SEC(100), f, 1, "w.example", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    q = query(101, SEC(102), f, 2, "w.example", PB_TYPE_A);
    CHECK_EQ_INT(dnsfail_tracker_add_query(t, &q), 1);
    dnsfail_tracker_free(t);
}

static void test_configure_bounds_memory_like_a_new_tracker(void)
{
    struct dnsfail_tracker *configured = new_tracker(0, 0);
    struct dnsfail_tracker *fresh = new_tracker(10, 0);
    struct dnsfail_tracker_config c = {10, 0};
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

static void test_answer_after_failure_is_taken_once(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_question q = question("www.example.com", PB_TYPE_A);
    if (!CHECK(t != NULL))
        return;
    CHECK(!dnsfail_tracker_take_failure(t, &f.client, &q)); /* never failed */
    dnsfail_tracker_note_failure(t, &f.client, &q);
    dnsfail_tracker_note_failure(t, &f.client, &q);         /* a second try: still one episode */
    CHECK(dnsfail_tracker_take_failure(t, &f.client, &q));
    CHECK(!dnsfail_tracker_take_failure(t, &f.client, &q)); /* the next answer is ordinary */
    dnsfail_tracker_note_failure(t, &f.client, &q);         /* fails again later */
    CHECK(dnsfail_tracker_take_failure(t, &f.client, &q));
    dnsfail_tracker_free(t);
}

static void test_failure_belongs_to_client_and_question(void)
{
    struct dnsfail_tracker *t = new_tracker(0, SEC(10));
    struct dnsfail_flow f = flow_v4(PB_V4_CLIENT, 40000, PB_V4_SERVER);
    struct dnsfail_flow other = flow_v6(40000);
    struct dnsfail_question q = question("www.example.com", PB_TYPE_A);
    struct dnsfail_question upper = question("WWW.Example.COM", PB_TYPE_A);
    struct dnsfail_question aaaa = question("www.example.com", PB_TYPE_AAAA);
    if (!CHECK(t != NULL))
        return;
    dnsfail_tracker_note_failure(t, &f.client, &q);
    CHECK(!dnsfail_tracker_take_failure(t, &other.client, &q));
    CHECK(!dnsfail_tracker_take_failure(t, &f.client, &aaaa));
    CHECK(dnsfail_tracker_take_failure(t, &f.client, &upper)); /* names compare without case */
    dnsfail_tracker_reset(t);
    dnsfail_tracker_note_failure(t, &f.client, &q);
    dnsfail_tracker_reset(t);
    CHECK(!dnsfail_tracker_take_failure(t, &f.client, &q));    /* a new file forgets */
    dnsfail_tracker_free(t);
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

int main(void)
{
    RUN_TEST(test_one_socket_sending_many_queries_stays_cheap_and_right);
    RUN_TEST(test_answer_after_failure_is_taken_once);
    RUN_TEST(test_failure_belongs_to_client_and_question);
    RUN_TEST(test_new_without_config_uses_defaults);
    RUN_TEST(test_default_retry_window_is_ten_seconds);
    RUN_TEST(test_attempts_count_1_2_3_within_retry_window);
    RUN_TEST(test_attempt_resets_to_1_after_retry_window);
    RUN_TEST(test_retry_window_runs_from_the_previous_try);
    RUN_TEST(test_custom_retry_window);
    RUN_TEST(test_names_compare_without_case);
    RUN_TEST(test_different_type_is_a_new_question);
    RUN_TEST(test_different_server_starts_a_new_series);
    RUN_TEST(test_different_client_starts_a_new_series);
    RUN_TEST(test_query_without_question_is_attempt_0_but_matchable);
    RUN_TEST(test_count_attempt_continues_the_series);
    RUN_TEST(test_match_by_dns_id);
    RUN_TEST(test_unknown_dns_id_matches_nothing);
    RUN_TEST(test_match_by_id_prefers_the_query_whose_fingerprint_agrees);
    RUN_TEST(test_match_by_fingerprint_tells_a_from_aaaa_on_same_port);
    RUN_TEST(test_fingerprint_matches_computed_checksum_of_offloaded_capture);
    RUN_TEST(test_match_by_fingerprint_without_ip_id_over_ipv6);
    RUN_TEST(test_fingerprint_match_beats_a_later_query_of_the_flow);
    RUN_TEST(test_falls_back_to_latest_query_of_the_flow);
    RUN_TEST(test_never_matches_a_query_from_a_later_frame);
    RUN_TEST(test_never_matches_a_query_older_than_max_age);
    RUN_TEST(test_matches_only_the_same_flow);
    RUN_TEST(test_eviction_keeps_memory_bounded);
    RUN_TEST(test_reset_empties_everything);
    RUN_TEST(test_configure_sets_new_limit_and_resets);
    RUN_TEST(test_configure_bounds_memory_like_a_new_tracker);
    return check_finish();
}
