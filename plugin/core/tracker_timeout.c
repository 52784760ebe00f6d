/* tracker_timeout.c - which questions of a client failed, and which queries nothing
 * answered in time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/tracker.h"

#include "tracker_internal.h"

void dnsfail_tracker_note_failure(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
                                  const struct dnsfail_question *question)
{
    struct failed_record *r = tracker_client_question(t, client, hash_question(question), true);
    if (r)
        r->open = true;
}

bool dnsfail_tracker_take_failure_hashed(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
                                         uint64_t question_hash)
{
    struct failed_record *r = tracker_client_question(t, client, question_hash, false);
    if (!r || !r->open)
        return false;
    r->open = false;
    return true;
}

/* ---- timeouts ----------------------------------------------------------------------- */

/* time_ns plus the timeout, INT64_MAX where that does not fit. */
static int64_t deadline_of(const struct dnsfail_tracker *t, int64_t time_ns)
{
    return time_ns > INT64_MAX - t->config.timeout_ns ? INT64_MAX : time_ns + t->config.timeout_ns;
}

int64_t dnsfail_tracker_next_deadline(const struct dnsfail_tracker *t)
{
    if (t->wait_head == -1)
        return INT64_MAX;
    return deadline_of(t, query_at(t, t->wait_head)->time_ns);
}

/* now_ns >= time_ns + timeout, exactly, without overflow (a deadline past INT64_MAX is
 * never due, not due at INT64_MAX). */
static bool is_due(const struct dnsfail_tracker *t, int64_t time_ns, int64_t now_ns)
{
    return now_ns >= INT64_MIN + t->config.timeout_ns && time_ns <= now_ns - t->config.timeout_ns;
}

/* The client had an answer to this query's question (its record c, or NULL) after sending
 * it and before its deadline (an answer after the deadline came too late to save it). */
static bool answered_since(const struct dnsfail_tracker *t, const struct failed_record *c,
                           const struct query_record *r)
{
    return c && c->answered && c->answered_ns >= r->time_ns && !is_due(t, r->time_ns, c->answered_ns);
}

bool dnsfail_tracker_take_timeout(struct dnsfail_tracker *t, int64_t now_ns, struct dnsfail_query_match *m)
{
    while (t->wait_head != -1 && is_due(t, query_at(t, t->wait_head)->time_ns, now_ns)) {
        int32_t s = t->wait_head;
        struct query_record *r = query_at(t, s);
        /* One lookup of the client's question serves both: was it answered meanwhile, and
         * if not, its failure is noted there (a timeout is one). Creating the record when
         * it is missing is what noting the failure would do. */
        struct failed_record *c =
            r->has_question ? tracker_client_question(t, &r->flow.client, r->question_hash, true) : NULL;
        if (answered_since(t, c, r)) {
            wait_end(t, s, WAIT_ANSWERED);
            continue;
        }
        wait_end(t, s, WAIT_TIMED_OUT);
        t->timeouts++;
        if (c)
            c->open = true;
        tracker_fill_match(m, r, DNSFAIL_MATCH_NONE);
        return true;
    }
    return false;
}

/* ---- retried queries the capture ended too early to time out ------------------------ */

/* The client's record of the question, without making one. */
static const struct failed_record *client_question_of(const struct dnsfail_tracker *t, const struct query_record *r)
{
    /* Looking up never writes: the cast only spares a second copy of the lookup. */
    return r->has_question ? tracker_client_question((struct dnsfail_tracker *)t, &r->flow.client, r->question_hash, false)
                           : NULL;
}

/* Retried while waiting, still waiting, and the client had no answer to the question since
 * it was sent (an answer overtaking it: a retry answered, or an earlier try). */
static bool retried_unanswered(const struct dnsfail_tracker *t, const struct query_record *r)
{
    if (r->wait != WAIT_WAITING || !r->retried_after_ms)
        return false;
    const struct failed_record *c = client_question_of(t, r);
    return !(c && c->answered && c->answered_ns >= r->time_ns);
}

bool dnsfail_tracker_retried_unanswered(const struct dnsfail_tracker *t, const struct dnsfail_flow *flow,
                                        uint32_t frame, struct dnsfail_query_match *m)
{
    uint64_t h = hash_flow(flow);
    int walked = 0;
    for (int32_t s = ring_table_first(&t->queries, h); s != -1 && walked < MATCH_MAX_WALK;
         s = ring_table_next(&t->queries, s, h), walked++) {
        const struct query_record *r = query_at(t, s);
        if (r->frame != frame || !flow_key_equal(&r->flow, flow))
            continue;
        if (!retried_unanswered(t, r))
            return false;
        tracker_fill_match(m, r, DNSFAIL_MATCH_NONE);
        return true;
    }
    return false;
}

void dnsfail_tracker_for_each_waiting(const struct dnsfail_tracker *t,
                                      void (*fn)(void *ctx, const struct dnsfail_query_match *m, bool failed),
                                      void *ctx)
{
    struct dnsfail_query_match m;
    for (int32_t s = t->wait_head; s != -1; s = query_at(t, s)->wait_next) {
        const struct query_record *r = query_at(t, s);
        tracker_fill_match(&m, r, DNSFAIL_MATCH_NONE);
        fn(ctx, &m, retried_unanswered(t, r));
    }
}
