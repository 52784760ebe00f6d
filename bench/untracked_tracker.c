/* untracked_tracker.c - the benchmark's tracker that remembers nothing.
 *
 * It implements include/dnsfail/tracker.h and keeps nothing: every query is dropped as
 * it is added (without the notice a full table gives), so nothing is ever matched,
 * numbered past 1, waiting or timed out, and no question ever failed. Linked into dnsfail
 * in place of plugin/core/tracker*.c (target dnsfail_bench_untracked), it gives a plugin
 * that reads every DNS message, ICMP error and TCP segment dnsfail reads, and prepares
 * what it would hand the tracker, but follows no query: so it also never does what
 * dnsfail does with a match (links to queries, timeouts, late and recovered answers,
 * refused TCP connections). What tshark costs with it, against dnsfail itself and the
 * floor (bench/floor_plugin.c), splits dnsfail's cost into layers: shape, reading,
 * tracking and output (bench.py's layer_rows; docs/PERFORMANCE.md, "Layers").
 *
 * Built only for the benchmark, never installed: its output is wrong by design.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/tracker.h"

#include <stdlib.h>
#include <string.h>

struct dnsfail_tracker {
    struct dnsfail_tracker_config config;
    uint64_t added;
};

struct dnsfail_tracker *dnsfail_tracker_new(const struct dnsfail_tracker_config *config)
{
    struct dnsfail_tracker *t = calloc(1, sizeof *t);
    if (t && config)
        t->config = *config;
    return t;
}

void dnsfail_tracker_free(struct dnsfail_tracker *t)
{
    free(t);
}

void dnsfail_tracker_reset(struct dnsfail_tracker *t)
{
    t->added = 0;
}

void dnsfail_tracker_configure(struct dnsfail_tracker *t, const struct dnsfail_tracker_config *config)
{
    t->config = *config;
    dnsfail_tracker_reset(t);
}

uint32_t dnsfail_tracker_add_query(struct dnsfail_tracker *t, const struct dnsfail_query_obs *q)
{
    t->added++;
    return q->has_question ? 1 : 0;
}

uint32_t dnsfail_tracker_add_query_hashed(struct dnsfail_tracker *t, const struct dnsfail_query_obs *q,
                                          uint64_t question_hash)
{
    (void)question_hash;
    return dnsfail_tracker_add_query(t, q);
}

uint32_t dnsfail_tracker_count_attempt(struct dnsfail_tracker *t, const struct dnsfail_flow *flow,
                                       const struct dnsfail_question *question, int64_t time_ns)
{
    (void)t, (void)flow, (void)question, (void)time_ns;
    return 1;
}

bool dnsfail_tracker_match_error(struct dnsfail_tracker *t, const struct dnsfail_error_obs *e,
                                 struct dnsfail_query_match *m)
{
    (void)t, (void)e;
    memset(m, 0, sizeof *m);
    return false;
}

bool dnsfail_tracker_match_syn(struct dnsfail_tracker *t, const struct dnsfail_flow *flow, uint32_t acked,
                               uint32_t frame, struct dnsfail_query_match *m)
{
    (void)t, (void)flow, (void)acked, (void)frame, (void)m;
    return false;
}

/* No hash: hashing a question is part of following it. */
uint64_t dnsfail_tracker_question_hash(const struct dnsfail_question *question)
{
    (void)question;
    return 0;
}

enum dnsfail_answer_timing dnsfail_tracker_match_answer_hashed(struct dnsfail_tracker *t,
                                                               const struct dnsfail_error_obs *e,
                                                               const struct dnsfail_question *question,
                                                               uint64_t question_hash, struct dnsfail_query_match *m)
{
    (void)t, (void)e, (void)question, (void)question_hash;
    memset(m, 0, sizeof *m);
    return DNSFAIL_ANSWER_UNMATCHED;
}

int64_t dnsfail_tracker_next_deadline(const struct dnsfail_tracker *t)
{
    (void)t;
    return INT64_MAX;
}

bool dnsfail_tracker_take_timeout(struct dnsfail_tracker *t, int64_t now_ns, struct dnsfail_query_match *m)
{
    (void)t, (void)now_ns, (void)m;
    return false;
}

bool dnsfail_tracker_retried_unanswered(const struct dnsfail_tracker *t, const struct dnsfail_flow *flow,
                                        uint32_t frame, struct dnsfail_query_match *m)
{
    (void)t, (void)flow, (void)frame, (void)m;
    return false;
}

void dnsfail_tracker_for_each_waiting(const struct dnsfail_tracker *t,
                                      void (*fn)(void *ctx, const struct dnsfail_query_match *m, bool failed),
                                      void *ctx)
{
    (void)t, (void)fn, (void)ctx;
}

void dnsfail_tracker_note_failure(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
                                  const struct dnsfail_question *question)
{
    (void)t, (void)client, (void)question;
}

bool dnsfail_tracker_take_failure_hashed(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
                                         uint64_t question_hash)
{
    (void)t, (void)client, (void)question_hash;
    return false;
}

void dnsfail_tracker_get_stats(const struct dnsfail_tracker *t, struct dnsfail_tracker_stats *s)
{
    memset(s, 0, sizeof *s);
    s->queries = t->added;
    s->max_queries = t->config.max_queries;
    s->bytes = sizeof *t;
}

bool dnsfail_tracker_has_forgotten(const struct dnsfail_tracker *t)
{
    (void)t;
    return false;
}
