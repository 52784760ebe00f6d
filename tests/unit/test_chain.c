/* test_chain.c - a client's failure linked to its resolver's upstream failures.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/chain.h"

#include <string.h>

#include "dnsfail/tracker.h"

#include "check.h"

#define MS (DNSFAIL_NS_PER_S / 1000)

static struct dnsfail_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    struct dnsfail_addr x;
    const uint8_t bytes[4] = {a, b, c, d};
    dnsfail_addr_set_ipv4(&x, bytes);
    return x;
}

/* "www.example.com" as a question of type A, class IN. */
static struct dnsfail_question question(const char *dotted, uint16_t qtype)
{
    struct dnsfail_question q;
    memset(&q, 0, sizeof q);
    size_t at = 0;
    const char *p = dotted;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        q.qname.wire[at++] = (uint8_t)len;
        memcpy(q.qname.wire + at, p, len);
        at += len;
        q.qname.labels++;
        p += len;
        if (*p == '.')
            p++;
    }
    q.qname.wire[at++] = 0;
    q.qname.wire_len = (uint16_t)at;
    q.qtype = qtype;
    q.qclass = 1;
    return q;
}

static struct dnsfail_flow flow(struct dnsfail_addr client, struct dnsfail_addr server)
{
    struct dnsfail_flow f;
    memset(&f, 0, sizeof f);
    f.transport = DNSFAIL_TRANSPORT_UDP;
    f.client = client;
    f.server = server;
    f.client_port = 40000;
    f.server_port = 53;
    return f;
}

static void ask(struct dnsfail_chain *c, struct dnsfail_addr client, struct dnsfail_addr server, const char *name,
                int64_t t)
{
    struct dnsfail_question q = question(name, 1);
    struct dnsfail_flow f = flow(client, server);
    dnsfail_chain_note_query(c, &f, dnsfail_tracker_question_hash(&q), t);
}

/* A query of client to server sent at sent, as every query is noted, and its failure seen at
 * known. */
static bool fail(struct dnsfail_chain *c, uint32_t frame, struct dnsfail_addr client, struct dnsfail_addr server,
                 const char *name, int64_t sent, int64_t known)
{
    ask(c, client, server, name, sent);
    struct dnsfail_chain_failure f = {
        .frame = frame, .sent_ns = sent, .known_ns = known, .flow = flow(client, server), .has_question = true,
        .question = question(name, 1), .kind = DNSFAIL_KIND_ICMP_ERROR, .diagnosis = DNSFAIL_DIAG_NO_LISTENER,
        .reason = "udp port 53 unreachable"};
    return dnsfail_chain_note_failure(c, &f);
}

/* A TCP connection of client to server, refused at t: a failure that asks nothing. */
static bool refuse(struct dnsfail_chain *c, uint32_t frame, struct dnsfail_addr client, struct dnsfail_addr server,
                   int64_t t)
{
    struct dnsfail_chain_failure f = {.frame = frame, .sent_ns = t, .known_ns = t, .flow = flow(client, server),
                                      .kind = DNSFAIL_KIND_TCP_REFUSED, .reason = "tcp port 53 refused"};
    return dnsfail_chain_note_failure(c, &f);
}

static uint32_t explain(struct dnsfail_chain *c, struct dnsfail_addr client, struct dnsfail_addr server,
                        const char *name, int64_t query, int64_t end, bool failed, struct dnsfail_chain_cause *out,
                        uint32_t max)
{
    struct dnsfail_chain_outcome o = {.flow = flow(client, server), .has_question = true,
                                      .question = question(name, 1), .query_ns = query, .end_ns = end};
    return dnsfail_chain_explain(c, &o, failed, out, max);
}

static const struct dnsfail_addr *client1(void)
{
    static struct dnsfail_addr a;
    a = v4(192, 0, 2, 10);
    return &a;
}

static void test_forwarded_question_makes_a_resolver_with_two_addresses(void)
{
    struct dnsfail_chain *c = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    struct dnsfail_addr k = *client1(), s = v4(192, 0, 2, 53), r = v4(198, 51, 100, 2), up = v4(198, 51, 100, 53);
    ask(c, k, s, "www.example.com", 0);
    ask(c, r, up, "wWw.ExAmple.com", 1 * MS);
    CHECK(fail(c, 7, r, up, "wWw.ExAmple.com", 1 * MS, 2 * MS));
    CHECK(dnsfail_chain_is_upstream_side(c, &r));
    CHECK(!dnsfail_chain_is_upstream_side(c, &k));
    struct dnsfail_chain_cause out[4];
    CHECK_EQ_INT(explain(c, k, s, "www.example.com", 0, 100 * MS, true, out, 4), 1);
    CHECK_EQ_INT(out[0].frame, 7);
    CHECK_EQ_INT(out[0].match, DNSFAIL_CAUSE_SAME_QUESTION);
    CHECK_STR_EQ(out[0].text, "upstream 198.51.100.53 udp port 53 unreachable");
    CHECK_STR_EQ(dnsfail_cause_match_name(DNSFAIL_CAUSE_SAME_QUESTION), "same_question");
    dnsfail_chain_free(c);
}

static void test_ordinary_client_failure_is_not_upstream(void)
{
    struct dnsfail_chain *c = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    struct dnsfail_addr k = *client1(), s = v4(203, 0, 113, 2);
    ask(c, k, s, "www.example.com", 0);
    CHECK(!fail(c, 2, k, s, "www.example.com", 0, 1 * MS));
    struct dnsfail_chain_cause out[1];
    CHECK_EQ_INT(explain(c, k, s, "www.example.com", 0, 5 * MS, true, out, 1), 0);
    dnsfail_chain_free(c);
}

static void test_client_asking_a_second_server_is_no_resolver(void)
{
    struct dnsfail_chain *c = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    struct dnsfail_addr k = *client1();
    ask(c, k, v4(203, 0, 113, 2), "www.example.com", 0);
    ask(c, k, v4(203, 0, 113, 3), "www.example.com", 1 * MS);
    CHECK(!fail(c, 4, k, v4(203, 0, 113, 3), "www.example.com", 1 * MS, 2 * MS));
    CHECK(!dnsfail_chain_is_upstream_side(c, &k));
    dnsfail_chain_free(c);
}

static void test_one_address_resolver(void)
{
    struct dnsfail_chain *c = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    struct dnsfail_addr k = *client1(), s = v4(192, 0, 2, 53), up = v4(198, 51, 100, 53);
    ask(c, k, s, "www.example.com", 0);
    CHECK(fail(c, 5, s, up, "www.example.com", 1 * MS, 2 * MS));
    struct dnsfail_chain_cause out[1];
    CHECK_EQ_INT(explain(c, k, s, "www.example.com", 0, 9 * MS, true, out, 1), 1);
    dnsfail_chain_free(c);
}

/* Two clients; one forwarded question fails. The other client's outcome, in the same
 * window, is explained by nothing. */
static void test_other_clients_question_explains_nothing(void)
{
    struct dnsfail_chain *c = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    struct dnsfail_addr a = *client1(), b = v4(192, 0, 2, 11), s = v4(192, 0, 2, 53), r = v4(198, 51, 100, 2);
    ask(c, b, s, "www.example.com", 0);
    ask(c, a, s, "www.example.org", 1 * MS);
    CHECK(fail(c, 11, r, v4(198, 51, 100, 53), "www.example.org", 2 * MS, 3 * MS));
    struct dnsfail_chain_cause out[4];
    CHECK_EQ_INT(explain(c, b, s, "www.example.com", 0, 300 * MS, false, out, 4), 0);
    CHECK_EQ_INT(explain(c, b, s, "www.example.com", 0, 300 * MS, true, out, 4), 0);
    CHECK_EQ_INT(explain(c, a, s, "www.example.org", 1 * MS, 3000 * MS, true, out, 4), 1);
    dnsfail_chain_free(c);
}

/* QNAME minimisation: a failure for a parent name is an ancestor; another name, during;
 * strongest first; a recovered outcome counts no "during". */
static void test_ancestor_and_during(void)
{
    struct dnsfail_chain *c = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    struct dnsfail_addr k = *client1(), s = v4(192, 0, 2, 53), r = v4(198, 51, 100, 2), up = v4(198, 51, 100, 20);
    ask(c, k, s, "www.example", 0);
    CHECK(fail(c, 10, r, up, "www.example", 1 * MS, 2 * MS)); /* makes r a side */
    CHECK(fail(c, 12, r, up, "ns9.other", 3 * MS, 4 * MS));
    CHECK(fail(c, 14, r, up, "EXAMPLE", 5 * MS, 6 * MS));
    CHECK(fail(c, 16, r, up, "exampl", 7 * MS, 8 * MS));
    struct dnsfail_chain_cause out[8];
    uint32_t n = explain(c, k, s, "www.example", 0, 50 * MS, true, out, 8);
    CHECK_EQ_INT(n, 4);
    CHECK_EQ_INT(out[0].frame, 10);
    CHECK_EQ_INT(out[1].frame, 14);
    CHECK_EQ_INT(out[1].match, DNSFAIL_CAUSE_ANCESTOR);
    CHECK_EQ_INT(out[2].match, DNSFAIL_CAUSE_DURING);
    /* "exampl" is no label of "www.example": during, not ancestor */
    CHECK_EQ_INT(out[3].frame, 16);
    CHECK_EQ_INT(out[3].match, DNSFAIL_CAUSE_DURING);
    CHECK_EQ_INT(explain(c, k, s, "www.example", 0, 50 * MS, false, out, 8), 2);
    dnsfail_chain_free(c);
}

/* The window runs from the client's first try: a retry answered at once from the cache is
 * explained by the upstream failures of the first try. Failures after the end are not. */
static void test_window_from_first_try_to_outcome(void)
{
    struct dnsfail_chain *c = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    struct dnsfail_addr k = *client1(), s = v4(192, 0, 2, 53), r = v4(198, 51, 100, 2), up = v4(198, 51, 100, 53);
    ask(c, k, s, "www.example.com", 0);
    CHECK(fail(c, 7, r, up, "www.example.com", 1 * MS, 2 * MS));
    ask(c, k, s, "www.example.com", 3000 * MS);
    struct dnsfail_chain_cause out[2];
    CHECK_EQ_INT(explain(c, k, s, "www.example.com", 3000 * MS, 3001 * MS, true, out, 2), 1);
    CHECK_EQ_INT(explain(c, k, s, "www.example.com", 0, 0, true, out, 2), 0);
    /* a try more than the retry window after the first begins a new resolution */
    ask(c, k, s, "www.example.com", 20000 * MS);
    CHECK_EQ_INT(explain(c, k, s, "www.example.com", 20000 * MS, 20001 * MS, true, out, 2), 0);
    dnsfail_chain_free(c);
}

/* The first try is found through a run of retries, each within the retry window of the
 * next, past other clients' tries of the same question; a try before a gap longer than the
 * window is another resolution's. */
static void test_first_try_found_through_retries(void)
{
    struct dnsfail_chain *c = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    struct dnsfail_addr k = *client1(), k2 = v4(192, 0, 2, 12), s = v4(192, 0, 2, 53), r = v4(198, 51, 100, 2),
                        up = v4(198, 51, 100, 53);
    int64_t t0 = 100000 * MS;
    ask(c, k, s, "www.example.com", t0 - 30000 * MS); /* an earlier resolution */
    ask(c, k, s, "www.example.com", t0);
    CHECK(fail(c, 7, r, up, "www.example.com", t0 + 1 * MS, t0 + 2 * MS));
    ask(c, k, s, "www.example.com", t0 + 8000 * MS);
    ask(c, k2, s, "www.example.com", t0 + 12000 * MS);
    ask(c, k, s, "www.example.com", t0 + 16000 * MS);
    struct dnsfail_chain_cause out[2];
    CHECK_EQ_INT(explain(c, k, s, "www.example.com", t0 + 16000 * MS, t0 + 16001 * MS, true, out, 2), 1);
    CHECK_EQ_INT(out[0].frame, 7);
    /* the other client's try starts no run of k's */
    CHECK_EQ_INT(explain(c, k2, s, "www.example.com", t0 + 12000 * MS, t0 + 12001 * MS, true, out, 2), 0);
    /* nor does the earlier resolution's try: the failure came after its end */
    CHECK_EQ_INT(explain(c, k, s, "www.example.com", t0 - 30000 * MS, t0 - 29000 * MS, true, out, 2), 0);
    dnsfail_chain_free(c);
}

static void test_bounded_and_reset(void)
{
    struct dnsfail_chain *c = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    struct dnsfail_addr k = *client1(), s = v4(192, 0, 2, 53), r = v4(198, 51, 100, 2), up = v4(198, 51, 100, 53);
    ask(c, k, s, "www.example.com", 0);
    for (uint32_t i = 0; i < DNSFAIL_CHAIN_MAX_FAILURES + 10; i++)
        CHECK(fail(c, 100 + i, r, up, "www.example.com", 1 * MS, 2 * MS));
    struct dnsfail_chain_cause out[1];
    CHECK_EQ_INT(explain(c, k, s, "www.example.com", 0, 9 * MS, true, out, 1), DNSFAIL_CHAIN_MAX_FAILURES);
    CHECK_EQ_INT(out[0].frame, 110); /* the oldest ten were forgotten */
    dnsfail_chain_reset(c, 10 * DNSFAIL_NS_PER_S);
    CHECK(!dnsfail_chain_is_upstream_side(c, &r));
    CHECK_EQ_INT(explain(c, k, s, "www.example.com", 0, 9 * MS, true, out, 1), 0);
    dnsfail_chain_free(c);
}

/* A refused TCP connection asks nothing: it is taken as the resolver's once a failure of
 * the resolver to its client falls while it was made; never for the client itself. */
static void test_refused_connection_paired_by_the_failure_it_explains(void)
{
    struct dnsfail_chain *c = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    struct dnsfail_addr k = *client1(), s = v4(192, 0, 2, 53), r = v4(198, 51, 100, 2), up = v4(198, 51, 100, 53);
    ask(c, k, s, "www.example.com", 0);
    CHECK(!refuse(c, 7, r, up, 1 * MS));
    CHECK(!refuse(c, 8, k, up, 1 * MS));
    struct dnsfail_chain_cause out[4];
    CHECK_EQ_INT(explain(c, k, s, "www.example.com", 0, 5 * MS, false, out, 4), 0);
    CHECK(!dnsfail_chain_is_upstream_side(c, &r));
    CHECK_EQ_INT(explain(c, k, s, "www.example.com", 0, 5 * MS, true, out, 4), 1);
    CHECK_EQ_INT(out[0].frame, 7);
    CHECK_EQ_INT(out[0].match, DNSFAIL_CAUSE_DURING);
    CHECK(dnsfail_chain_is_upstream_side(c, &r));
    CHECK(!dnsfail_chain_is_upstream_side(c, &k));
    dnsfail_chain_free(c);
}

/* A question its server has answered is forwarded by nobody: a client asking it of another
 * server moments later is no resolver. */
static void test_answered_question_pairs_nothing(void)
{
    struct dnsfail_chain *c = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    struct dnsfail_addr k1 = *client1(), k2 = v4(192, 0, 2, 11), s1 = v4(192, 0, 2, 53), s2 = v4(192, 0, 2, 54);
    struct dnsfail_question q = question("www.example.com", 1);
    ask(c, k1, s1, "www.example.com", 0);
    struct dnsfail_flow answered = flow(k1, s1);
    dnsfail_chain_note_answer(c, &answered, dnsfail_tracker_question_hash(&q));
    ask(c, k2, s2, "www.example.com", 2 * MS);
    CHECK(!dnsfail_chain_is_upstream_side(c, &k2));
    /* another client's question, not yet answered, still pairs a forwarder */
    ask(c, k1, s1, "www.example.com", 100 * MS);
    ask(c, k2, s2, "www.example.com", 102 * MS);
    CHECK(dnsfail_chain_is_upstream_side(c, &k2));
    dnsfail_chain_free(c);
}

/* A resolver first known by a refused connection: the client's earlier tries are still
 * found once it is, so a later retry's window starts at the first try. */
static void test_first_resolver_known_by_a_refusal_keeps_earlier_tries(void)
{
    struct dnsfail_chain *c = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    struct dnsfail_addr k = *client1(), s = v4(192, 0, 2, 53), r = v4(198, 51, 100, 2), up = v4(198, 51, 100, 53);
    ask(c, k, s, "www.example.com", 0);
    CHECK(!refuse(c, 7, r, up, 1 * MS));
    ask(c, k, s, "www.example.com", 3000 * MS);
    struct dnsfail_chain_cause out[2];
    CHECK_EQ_INT(explain(c, k, s, "www.example.com", 3000 * MS, 3001 * MS, true, out, 2), 1);
    CHECK(dnsfail_chain_is_upstream_side(c, &r));
    ask(c, k, s, "www.example.com", 6000 * MS);
    CHECK_EQ_INT(explain(c, k, s, "www.example.com", 6000 * MS, 6001 * MS, true, out, 2), 1);
    CHECK_EQ_INT(out[0].frame, 7);
    dnsfail_chain_free(c);
}

/* A resolver forwards at once: its query pairs it with the server before anything fails, so
 * that its first failure is already an upstream failure. A client retrying after the
 * resolver asked is not taken for the upstream server's resolver. */
static void test_forwarded_query_pairs_at_once_and_not_backwards(void)
{
    struct dnsfail_chain *c = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    struct dnsfail_addr k = *client1(), s = v4(192, 0, 2, 53), r = v4(198, 51, 100, 2), up = v4(198, 51, 100, 53);
    ask(c, k, s, "www.example.com", 0);
    ask(c, r, up, "WWW.example.com", 1 * MS);
    CHECK(dnsfail_chain_serves_from_upstream(c, &s));
    CHECK(dnsfail_chain_is_upstream_side(c, &r));
    CHECK(!dnsfail_chain_serves_from_upstream(c, &up));
    ask(c, k, s, "www.example.com", 500 * MS); /* the client's retry, after the resolver asked */
    CHECK(!dnsfail_chain_is_upstream_side(c, &k));
    /* A silence: the resolver's query is an upstream failure by itself. */
    struct dnsfail_chain_failure f = {.frame = 6, .sent_ns = 1 * MS, .known_ns = 5001 * MS, .flow = flow(r, up),
                                      .kind = DNSFAIL_KIND_TIMEOUT, .reason = "did not answer"};
    CHECK(dnsfail_chain_note_failure(c, &f));
    /* The client's own failure, asked of its server, is none. */
    CHECK(!fail(c, 15, k, s, "www.example.com", 500 * MS, 501 * MS));
    CHECK(!dnsfail_chain_is_upstream_side(c, &k));
    /* Queries more than the pairing time apart pair nothing. */
    struct dnsfail_chain *d = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    ask(d, k, s, "www.example.com", 0);
    ask(d, r, up, "www.example.com", 2000 * MS);
    CHECK(!dnsfail_chain_is_upstream_side(d, &r));
    dnsfail_chain_free(d);
    dnsfail_chain_free(c);
}

/* Two clients asking one name of two servers tens of milliseconds apart, as busy clients
 * do, make no resolver: neither the query nor its failure pairs them, and neither the
 * second client's failure nor the first's outcome is linked. */
static void test_two_clients_asking_one_name_are_no_resolver(void)
{
    struct dnsfail_chain *c = dnsfail_chain_new(10 * DNSFAIL_NS_PER_S);
    struct dnsfail_addr k1 = *client1(), k2 = v4(192, 0, 2, 11), s1 = v4(192, 0, 2, 53), s2 = v4(192, 0, 2, 54);
    ask(c, k1, s1, "www.example.com", 0);
    CHECK(!fail(c, 9, k2, s2, "www.example.com", 39 * MS, 40 * MS));
    CHECK(!dnsfail_chain_is_upstream_side(c, &k2));
    CHECK(!dnsfail_chain_serves_from_upstream(c, &s1));
    struct dnsfail_chain_cause out[2];
    CHECK_EQ_INT(explain(c, k1, s1, "www.example.com", 0, 5000 * MS, true, out, 2), 0);
    /* a refused connection long after the client asked is not the server's either */
    CHECK(!refuse(c, 12, k2, s2, 60 * MS));
    CHECK_EQ_INT(explain(c, k1, s1, "www.example.com", 0, 5000 * MS, true, out, 2), 0);
    CHECK(!dnsfail_chain_is_upstream_side(c, &k2));
    dnsfail_chain_free(c);
}

int main(void)
{
    RUN_TEST(test_forwarded_question_makes_a_resolver_with_two_addresses);
    RUN_TEST(test_ordinary_client_failure_is_not_upstream);
    RUN_TEST(test_client_asking_a_second_server_is_no_resolver);
    RUN_TEST(test_one_address_resolver);
    RUN_TEST(test_other_clients_question_explains_nothing);
    RUN_TEST(test_ancestor_and_during);
    RUN_TEST(test_window_from_first_try_to_outcome);
    RUN_TEST(test_first_try_found_through_retries);
    RUN_TEST(test_bounded_and_reset);
    RUN_TEST(test_refused_connection_paired_by_the_failure_it_explains);
    RUN_TEST(test_forwarded_query_pairs_at_once_and_not_backwards);
    RUN_TEST(test_two_clients_asking_one_name_are_no_resolver);
    RUN_TEST(test_first_resolver_known_by_a_refusal_keeps_earlier_tries);
    RUN_TEST(test_answered_question_pairs_nothing);
    return check_finish();
}
