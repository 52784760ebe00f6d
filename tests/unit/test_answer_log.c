/* test_answer_log.c - matching an error that quotes an answer to the answer's own frame.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/answer_log.h"

#include <string.h>

#include "check.h"
#include "fixtures.h"

static const uint8_t CLIENT[4] = {192, 0, 2, 10};
static const uint8_t SERVER[4] = {192, 0, 2, 53};

/* The questions the answers below carry (the log copies them). */
static struct dnsfail_question questions[4];

/* An answer whose datagram's length and checksum follow from frame, id and type, so
 * that two answers differ in them unless a test sets them. */
static struct dnsfail_answer_obs answer(uint32_t frame, int64_t time_ns, uint16_t client_port, uint16_t id,
                                        const char *name, uint16_t qtype)
{
    struct dnsfail_answer_obs a;
    memset(&a, 0, sizeof a);
    a.frame = frame;
    a.time_ns = time_ns;
    a.flow = flow_of_v4(CLIENT, client_port, SERVER, DNSFAIL_TRANSPORT_UDP);
    a.dns_id = id;
    struct dnsfail_question *q = &questions[frame % 4];
    *q = question(name, qtype);
    a.question = q;
    a.fingerprint.has_udp_fields = true;
    a.fingerprint.udp_length = (uint16_t)(8 + 12 + q->qname.wire_len + 4 + 16);
    a.fingerprint.udp_checksum = (uint16_t)(0x6000 + frame * 13 + id);
    return a;
}

/* The error the client's host sends about that answer: only the UDP header quoted
 * (RFC 792's 8 bytes), or the DNS id too. */
static struct dnsfail_error_obs error_about(const struct dnsfail_answer_obs *a, uint32_t frame, int64_t time_ns,
                                            bool quotes_dns_id)
{
    struct dnsfail_error_obs e;
    memset(&e, 0, sizeof e);
    e.frame = frame;
    e.time_ns = time_ns;
    e.flow = a->flow;
    e.fingerprint.has_udp_fields = true;
    e.fingerprint.udp_length = a->fingerprint.udp_length;
    e.fingerprint.udp_checksum = a->fingerprint.udp_checksum;
    e.has_dns_id = quotes_dns_id;
    e.dns_id = quotes_dns_id ? a->dns_id : 0;
    return e;
}

static void test_cut_quote_finds_its_answer_not_the_newest_on_the_flow(void)
{
    struct dnsfail_answer_log *log = dnsfail_answer_log_new(0);
    if (!CHECK(log != NULL))
        return;
    /* Two answers of the same length on one flow, then the error about the first. */
    struct dnsfail_answer_obs a1 = answer(3, SEC(1), 40000, 0x2101, "one.example.com", 1);
    struct dnsfail_answer_obs a2 = answer(4, SEC(1) + MSEC(1), 40000, 0x2102, "two.example.com", 1);
    CHECK_EQ_INT(a1.fingerprint.udp_length, a2.fingerprint.udp_length);
    dnsfail_answer_log_add(log, &a1);
    dnsfail_answer_log_add(log, &a2);

    struct dnsfail_answer_found f;
    struct dnsfail_error_obs e = error_about(&a1, 5, SEC(1) + MSEC(2), false);
    if (CHECK(dnsfail_answer_log_find(log, &e, &f))) {
        CHECK_EQ_INT(f.frame, 3);
        CHECK_EQ_INT(f.by, DNSFAIL_MATCH_FINGERPRINT);
        CHECK_EQ_INT(f.dns_id, 0x2101);
        CHECK(f.has_question);
        struct dnsfail_question want = question("one.example.com", 1);
        CHECK_EQ_INT(f.question.qname.wire_len, want.qname.wire_len);
        CHECK(memcmp(f.question.qname.wire, want.qname.wire, want.qname.wire_len) == 0);
        CHECK_EQ_INT(f.question.qtype, 1);
    }
    e = error_about(&a2, 6, SEC(1) + MSEC(2), false);
    if (CHECK(dnsfail_answer_log_find(log, &e, &f)))
        CHECK_EQ_INT(f.frame, 4);
    dnsfail_answer_log_free(log);
}

static void test_flow_alone_matches_nothing(void)
{
    struct dnsfail_answer_log *log = dnsfail_answer_log_new(0);
    struct dnsfail_answer_obs a = answer(3, SEC(1), 40000, 0x2101, "one.example.com", 1);
    dnsfail_answer_log_add(log, &a);
    struct dnsfail_answer_found f;
    struct dnsfail_error_obs e = error_about(&a, 5, SEC(2), false);
    e.fingerprint.udp_checksum ^= 1;
    CHECK(!dnsfail_answer_log_find(log, &e, &f));
    CHECK_EQ_INT(f.frame, 0);
    e = error_about(&a, 5, SEC(2), false);
    e.fingerprint.udp_length++;
    CHECK(!dnsfail_answer_log_find(log, &e, &f));
    e = error_about(&a, 5, SEC(2), false);
    e.fingerprint.has_udp_fields = false;
    CHECK(!dnsfail_answer_log_find(log, &e, &f));
    dnsfail_answer_log_free(log);
}

static void test_quoted_id_prefers_the_answer_whose_datagram_agrees(void)
{
    struct dnsfail_answer_log *log = dnsfail_answer_log_new(0);
    /* The same answer id twice on one flow (a server answering a resend twice, with
     * different contents): the datagram decides, else the newest with the id. */
    struct dnsfail_answer_obs a1 = answer(3, SEC(1), 40000, 0x2101, "one.example.com", 1);
    struct dnsfail_answer_obs a2 = answer(4, SEC(1), 40000, 0x2101, "one.example.com", 1);
    struct dnsfail_answer_obs other = answer(5, SEC(1), 40000, 0x9999, "one.example.com", 1);
    dnsfail_answer_log_add(log, &a1);
    dnsfail_answer_log_add(log, &a2);
    dnsfail_answer_log_add(log, &other);
    struct dnsfail_answer_found f;
    struct dnsfail_error_obs e = error_about(&a1, 6, SEC(2), true);
    if (CHECK(dnsfail_answer_log_find(log, &e, &f))) {
        CHECK_EQ_INT(f.frame, 3);
        CHECK_EQ_INT(f.by, DNSFAIL_MATCH_ID);
    }
    e.fingerprint.udp_checksum = 0x0bad;
    if (CHECK(dnsfail_answer_log_find(log, &e, &f)))
        CHECK_EQ_INT(f.frame, 4);
    e.dns_id = 0x7777;
    CHECK(!dnsfail_answer_log_find(log, &e, &f));
    dnsfail_answer_log_free(log);
}

static void test_partial_checksum_of_a_sending_host_matches_the_computed_one(void)
{
    struct dnsfail_answer_log *log = dnsfail_answer_log_new(0);
    struct dnsfail_answer_obs a = answer(3, SEC(1), 40000, 0x2101, "one.example.com", 1);
    struct dnsfail_error_obs e = error_about(&a, 5, SEC(2), false);
    a.fingerprint.udp_checksum = 0x1234; /* the pseudo-header's sum, left for the NIC */
    a.fingerprint.has_udp_checksum_computed = true;
    a.fingerprint.udp_checksum_computed = e.fingerprint.udp_checksum;
    dnsfail_answer_log_add(log, &a);
    struct dnsfail_answer_found f;
    if (CHECK(dnsfail_answer_log_find(log, &e, &f)))
        CHECK_EQ_INT(f.frame, 3);
    dnsfail_answer_log_free(log);
}

static void test_only_earlier_recent_udp_answers_on_the_flow_match(void)
{
    struct dnsfail_answer_log *log = dnsfail_answer_log_new(0);
    struct dnsfail_answer_obs a = answer(10, SEC(200), 40000, 0x2101, "one.example.com", 1);
    struct dnsfail_answer_obs tcp = answer(11, SEC(200), 40001, 0x2102, "one.example.com", 1);
    tcp.flow.transport = DNSFAIL_TRANSPORT_TCP;
    dnsfail_answer_log_add(log, &a);
    dnsfail_answer_log_add(log, &tcp);
    struct dnsfail_answer_found f;
    struct dnsfail_error_obs e = error_about(&a, 9, SEC(200), false);    /* before the answer */
    CHECK(!dnsfail_answer_log_find(log, &e, &f));
    e = error_about(&a, 12, SEC(321), false);                            /* over 120 s later */
    CHECK(!dnsfail_answer_log_find(log, &e, &f));
    e = error_about(&a, 12, SEC(200), false);
    e.flow.client_port = 40002;                                          /* another flow */
    CHECK(!dnsfail_answer_log_find(log, &e, &f));
    e = error_about(&tcp, 12, SEC(200), false);                          /* not kept */
    CHECK(!dnsfail_answer_log_find(log, &e, &f));
    e = error_about(&a, 12, SEC(200), false);
    CHECK(dnsfail_answer_log_find(log, &e, &f));
    dnsfail_answer_log_free(log);
}

static void test_answer_without_question_is_found_without_one(void)
{
    struct dnsfail_answer_log *log = dnsfail_answer_log_new(0);
    struct dnsfail_answer_obs a = answer(3, SEC(1), 40000, 0x2101, "one.example.com", 1);
    a.question = NULL;
    dnsfail_answer_log_add(log, &a);
    struct dnsfail_answer_found f;
    struct dnsfail_error_obs e = error_about(&a, 5, SEC(2), false);
    if (CHECK(dnsfail_answer_log_find(log, &e, &f))) {
        CHECK(!f.has_question);
        CHECK_EQ_INT(f.question.qname.wire_len, 0);
    }
    dnsfail_answer_log_free(log);
}

static void test_memory_is_bounded_and_reset_forgets(void)
{
    struct dnsfail_answer_log *log = dnsfail_answer_log_new(1000);
    struct dnsfail_answer_obs first = answer(1, SEC(1), 1000, 1, "one.example.com", 1);
    dnsfail_answer_log_add(log, &first);
    for (uint32_t i = 2; i <= 5000; i++) {
        struct dnsfail_answer_obs a = answer(i, SEC(1), (uint16_t)(1000 + i), (uint16_t)i, "one.example.com", 1);
        dnsfail_answer_log_add(log, &a);
    }
    size_t full = dnsfail_answer_log_bytes(log);
    for (uint32_t i = 5001; i <= 9000; i++) {
        struct dnsfail_answer_obs a = answer(i, SEC(1), (uint16_t)(1000 + i), (uint16_t)i, "one.example.com", 1);
        dnsfail_answer_log_add(log, &a);
    }
    CHECK_EQ_INT(dnsfail_answer_log_bytes(log), full);
    CHECK(full < 1000u * 400u);
    struct dnsfail_answer_found f;
    struct dnsfail_error_obs e = error_about(&first, 9001, SEC(2), false);
    CHECK(!dnsfail_answer_log_find(log, &e, &f));                        /* the oldest forgotten */
    struct dnsfail_answer_obs last = answer(9000, SEC(1), (uint16_t)(1000 + 9000), 9000, "one.example.com", 1);
    e = error_about(&last, 9001, SEC(2), false);
    CHECK(dnsfail_answer_log_find(log, &e, &f));
    dnsfail_answer_log_reset(log);
    CHECK(!dnsfail_answer_log_find(log, &e, &f));
    dnsfail_answer_log_configure(log, 300);
    CHECK(!dnsfail_answer_log_find(log, &e, &f));
    dnsfail_answer_log_add(log, &last);
    CHECK(dnsfail_answer_log_find(log, &e, &f));
    dnsfail_answer_log_free(log);
    dnsfail_answer_log_free(NULL);
}

int main(void)
{
    RUN_TEST(test_cut_quote_finds_its_answer_not_the_newest_on_the_flow);
    RUN_TEST(test_flow_alone_matches_nothing);
    RUN_TEST(test_quoted_id_prefers_the_answer_whose_datagram_agrees);
    RUN_TEST(test_partial_checksum_of_a_sending_host_matches_the_computed_one);
    RUN_TEST(test_only_earlier_recent_udp_answers_on_the_flow_match);
    RUN_TEST(test_answer_without_question_is_found_without_one);
    RUN_TEST(test_memory_is_bounded_and_reset_forgets);
    return check_finish();
}
