/* tracker_match.c - which remembered query an ICMP error, a TCP answer to a SYN or a DNS
 * answer answers, and ending that query's wait.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/tracker.h"

#include <string.h>

#include "tracker_internal.h"

/* True only when some field could be compared and all compared fields agree. */
static bool fingerprint_equal(const struct dnsfail_fingerprint *quoted, const struct dnsfail_fingerprint *sent)
{
    bool compared = false;

    if (quoted->has_ip_id && sent->has_ip_id) {
        if (quoted->ip_id != sent->ip_id)
            return false;
        compared = true;
    }
    if (quoted->has_udp_fields) {
        if (!sent->has_udp_fields || quoted->udp_length != sent->udp_length)
            return false;
        /* The sender's capture may hold a partial checksum (offload); the quote has the real one. */
        if (quoted->udp_checksum != sent->udp_checksum &&
            !(sent->has_udp_checksum_computed && quoted->udp_checksum == sent->udp_checksum_computed))
            return false;
        compared = true;
    }
    return compared;
}

/* Ranks a candidate: a higher rank wins, and among equals the later frame. */
static enum dnsfail_match_by rank(const struct query_record *r, const struct dnsfail_error_obs *e)
{
    if (e->has_dns_id)
        return r->dns_id == e->dns_id ? DNSFAIL_MATCH_ID : DNSFAIL_MATCH_NONE;
    if (fingerprint_equal(&e->fingerprint, &r->fingerprint))
        return DNSFAIL_MATCH_FINGERPRINT;
    return DNSFAIL_MATCH_FLOW;
}

bool dnsfail_tracker_match_error(struct dnsfail_tracker *t, const struct dnsfail_error_obs *e,
                                 struct dnsfail_query_match *m)
{
    const struct query_record *best = NULL;
    int32_t best_slot = -1;
    enum dnsfail_match_by best_by = DNSFAIL_MATCH_NONE;
    bool best_agrees = false;
    uint64_t h = hash_flow(&e->flow);

    /* The chain is newest first, so the first candidate of each rank is the one to keep,
     * and the walk ends at the first that no later one could beat. A flow that sends
     * thousands of queries (one socket, a fixed port) costs at most MATCH_MAX_WALK steps. */
    int walked = 0;
    for (int32_t s = ring_table_first(&t->queries, h); s != -1 && walked < MATCH_MAX_WALK;
         s = ring_table_next(&t->queries, s, h), walked++) {
        const struct query_record *r = ring_table_record(&t->queries, s);
        int64_t age = time_diff(e->time_ns, r->time_ns);
        if (r->frame >= e->frame || age < -DNSFAIL_NS_PER_S || age > DNSFAIL_TRACKER_MATCH_MAX_AGE_NS ||
            !flow_key_equal(&r->flow, &e->flow))
            continue;
        enum dnsfail_match_by by = rank(r, e);
        if (by == DNSFAIL_MATCH_NONE)
            continue;
        /* Among id matches, one whose quoted fingerprint agrees too wins: a message
         * resent from the same socket keeps flow, id and checksum, not the IP id. */
        bool agrees = by == DNSFAIL_MATCH_ID && fingerprint_equal(&e->fingerprint, &r->fingerprint);
        /* enum order: ID and FINGERPRINT outrank FLOW */
        bool better = !best || (by != DNSFAIL_MATCH_FLOW && best_by == DNSFAIL_MATCH_FLOW) ||
                      (agrees && !best_agrees) ||
                      ((by == DNSFAIL_MATCH_FLOW) == (best_by == DNSFAIL_MATCH_FLOW) && agrees == best_agrees &&
                       r->frame > best->frame);
        if (better) {
            best = r;
            best_slot = s;
            best_by = by;
            best_agrees = agrees;
        }
        if (best_by == DNSFAIL_MATCH_FINGERPRINT || best_agrees)
            break;
    }
    if (!best) {
        memset(m, 0, sizeof *m);
        return false;
    }
    tracker_fill_match(m, best, best_by);
    /* The newest SYN of a connection may be a retransmission that never waited: the
     * connection's wait is the first SYN's. */
    if (best->wait != WAIT_WAITING && is_syn(best)) {
        int32_t first = tracker_find_syn(t, &best->flow, h, best->tcp_seq, false, -1);
        if (first != -1)
            best_slot = first;
    }
    wait_end(t, best_slot, WAIT_ANSWERED);
    return true;
}

/* ---- answers ------------------------------------------------------------------------ */

bool dnsfail_tracker_match_syn(struct dnsfail_tracker *t, const struct dnsfail_flow *flow, uint32_t acked,
                               uint32_t frame, struct dnsfail_query_match *m)
{
    int32_t s = tracker_find_syn(t, flow, hash_flow(flow), acked - 1u, true, -1);
    if (s == -1 || query_at(t, s)->frame >= frame)
        return false;
    /* A retransmitted SYN never waited: the connection's wait is its first SYN's. */
    int32_t first = tracker_find_syn(t, flow, hash_flow(flow), acked - 1u, false, -1);
    tracker_fill_match(m, query_at(t, s), DNSFAIL_MATCH_FLOW);
    wait_end(t, first != -1 ? first : s, WAIT_ANSWERED);
    return true;
}

/* The newest query before the answer on its flow with its id; when the answer has a
 * question (and its hash_question), the newest such query asking it, if any (a client
 * may send A and AAAA with one id from one socket). */
static int32_t find_answered_query(const struct dnsfail_tracker *t, const struct dnsfail_error_obs *e,
                                   const struct dnsfail_question *question, uint64_t question_hash)
{
    uint64_t h = hash_flow(&e->flow);
    int walked = 0;
    int32_t first = -1;
    for (int32_t s = ring_table_first(&t->queries, h); s != -1 && walked < MATCH_MAX_WALK;
         s = ring_table_next(&t->queries, s, h), walked++) {
        const struct query_record *r = query_at(t, s);
        /* A SYN's id is no DNS id: an answer on its connection answers a message, not it. */
        if (r->frame < e->frame && r->dns_id == e->dns_id && !is_syn(r) && flow_key_equal(&r->flow, &e->flow)) {
            if (!question || (r->has_question && r->question_hash == question_hash && record_asks(r, question)))
                return s;
            if (first == -1)
                first = s;
        }
    }
    return first;
}

enum dnsfail_answer_timing dnsfail_tracker_match_answer_hashed(struct dnsfail_tracker *t,
                                                               const struct dnsfail_error_obs *e,
                                                               const struct dnsfail_question *question,
                                                               uint64_t question_hash, struct dnsfail_query_match *m)
{
    enum dnsfail_answer_timing timing = DNSFAIL_ANSWER_UNMATCHED;

    if (!question)
        question_hash = 0;
    int32_t s = e->has_dns_id ? find_answered_query(t, e, question, question_hash) : -1;
    if (s == -1) {
        memset(m, 0, sizeof *m);
    } else {
        struct query_record *r = query_at(t, s);
        tracker_fill_match(m, r, DNSFAIL_MATCH_ID);
        if (r->wait == WAIT_TIMED_OUT || r->wait == WAIT_LATE) {
            timing = r->wait == WAIT_TIMED_OUT ? DNSFAIL_ANSWER_LATE : DNSFAIL_ANSWER_REPEATED;
            r->wait = WAIT_LATE;
            return timing;
        }
        timing = r->wait == WAIT_WAITING ? DNSFAIL_ANSWER_IN_TIME : DNSFAIL_ANSWER_REPEATED;
        wait_end(t, s, WAIT_ANSWERED);
        if (!question && r->has_question) {
            question = &m->question; /* fill_match copied the query's */
            question_hash = r->question_hash;
        }
    }
    /* Earlier tries of the question by this client, to any server, are answered too: only
     * by an answer in time. A late, repeated or unmatched one (a copy, a forgery, an
     * answer to another lookup) must not end the wait of a try nothing answered. */
    if (timing == DNSFAIL_ANSWER_IN_TIME && question) {
        struct failed_record *c = tracker_client_question(t, &e->flow.client, question_hash, true);
        if (c) {
            c->answered = true;
            c->answered_ns = e->time_ns;
        }
    }
    return timing;
}

