/* tracker.c - which query an ICMP error answers, and which attempt it was.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/tracker.h"

#include <stdlib.h>
#include <string.h>

#include "ring_table.h"

#define SECOND_NS INT64_C(1000000000)
/* How many queries sharing an error's hash are looked at, newest first. */
#define MATCH_MAX_WALK 64

struct query_record {
    struct dnsfail_flow flow;
    struct dnsfail_fingerprint fingerprint;
    uint32_t frame;
    uint32_t attempt;
    int64_t time_ns;
    uint16_t dns_id;
    bool has_question;
    struct dnsfail_question question;
    void *cookie;
    uint32_t tcp_seq;
};

/* One question from one client to one server: the unit that retries repeat. */
struct question_record {
    struct dnsfail_addr client;
    struct dnsfail_addr server;
    struct dnsfail_question question;
    int64_t last_ns;
    uint32_t attempts;
};

/* A client's question that failed and has not been answered since. */
struct failed_record {
    struct dnsfail_addr client;
    struct dnsfail_question question;
    bool open;
};

struct dnsfail_tracker {
    struct dnsfail_tracker_config config;
    struct ring_table queries;   /* keyed by flow */
    struct ring_table questions; /* keyed by client, server and question */
    struct ring_table failed;    /* keyed by client and question */
    uint64_t added;
};

static struct dnsfail_tracker_config effective_config(const struct dnsfail_tracker_config *in)
{
    struct dnsfail_tracker_config c = {DNSFAIL_TRACKER_DEFAULT_MAX_QUERIES, DNSFAIL_TRACKER_DEFAULT_WINDOW_NS};
    if (in && in->max_queries)
        c.max_queries = in->max_queries;
    if (in && in->retry_window_ns > 0)
        c.retry_window_ns = in->retry_window_ns;
    return c;
}

struct dnsfail_tracker *dnsfail_tracker_new(const struct dnsfail_tracker_config *config)
{
    struct dnsfail_tracker *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->config = effective_config(config);
    ring_table_init(&t->queries, sizeof(struct query_record), t->config.max_queries);
    ring_table_init(&t->questions, sizeof(struct question_record), t->config.max_queries);
    ring_table_init(&t->failed, sizeof(struct failed_record), t->config.max_queries);
    return t;
}

void dnsfail_tracker_free(struct dnsfail_tracker *t)
{
    if (!t)
        return;
    ring_table_clear(&t->queries);
    ring_table_clear(&t->questions);
    ring_table_clear(&t->failed);
    free(t);
}

void dnsfail_tracker_reset(struct dnsfail_tracker *t)
{
    ring_table_clear(&t->queries);
    ring_table_clear(&t->questions);
    ring_table_clear(&t->failed);
    t->queries.evicted = 0;
    t->questions.evicted = 0;
    t->failed.evicted = 0;
    t->added = 0;
}

void dnsfail_tracker_configure(struct dnsfail_tracker *t, const struct dnsfail_tracker_config *config)
{
    t->config = effective_config(config);
    dnsfail_tracker_reset(t);
    ring_table_init(&t->queries, sizeof(struct query_record), t->config.max_queries);
    ring_table_init(&t->questions, sizeof(struct question_record), t->config.max_queries);
    ring_table_init(&t->failed, sizeof(struct failed_record), t->config.max_queries);
}

static uint64_t hash_addr(uint64_t h, const struct dnsfail_addr *a)
{
    h = ring_hash_bytes(h, &a->family, 1);
    return ring_hash_bytes(h, a->bytes, dnsfail_addr_len(a));
}

static uint64_t hash_flow(const struct dnsfail_flow *f)
{
    uint8_t tail[5] = {(uint8_t)(f->client_port >> 8), (uint8_t)f->client_port, (uint8_t)(f->server_port >> 8),
                       (uint8_t)f->server_port, f->transport};
    uint64_t h = hash_addr(RING_HASH_SEED, &f->client);
    h = hash_addr(h, &f->server);
    return ring_hash_bytes(h, tail, sizeof tail);
}

static bool flow_equal(const struct dnsfail_flow *a, const struct dnsfail_flow *b)
{
    return a->client_port == b->client_port && a->server_port == b->server_port && a->transport == b->transport &&
           dnsfail_addr_equal(&a->client, &b->client) && dnsfail_addr_equal(&a->server, &b->server);
}

static uint8_t fold_case(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + ('a' - 'A')) : c;
}

/* Names compare without case: resolvers using DNS 0x20 change case on each retry. */
static uint64_t hash_question(const struct dnsfail_addr *client, const struct dnsfail_addr *server,
                              const struct dnsfail_question *q)
{
    uint64_t h = hash_addr(hash_addr(RING_HASH_SEED, client), server);
    for (uint16_t i = 0; i < q->qname.wire_len; i++) {
        uint8_t c = fold_case(q->qname.wire[i]);
        h = ring_hash_bytes(h, &c, 1);
    }
    uint8_t tail[4] = {(uint8_t)(q->qtype >> 8), (uint8_t)q->qtype, (uint8_t)(q->qclass >> 8), (uint8_t)q->qclass};
    return ring_hash_bytes(h, tail, sizeof tail);
}

static bool question_equal(const struct dnsfail_question *a, const struct dnsfail_question *b)
{
    if (a->qtype != b->qtype || a->qclass != b->qclass || a->qname.wire_len != b->qname.wire_len)
        return false;
    for (uint16_t i = 0; i < a->qname.wire_len; i++) {
        if (fold_case(a->qname.wire[i]) != fold_case(b->qname.wire[i]))
            return false;
    }
    return true;
}

uint32_t dnsfail_tracker_count_attempt(struct dnsfail_tracker *t, const struct dnsfail_flow *flow,
                                       const struct dnsfail_question *question, int64_t time_ns)
{
    uint64_t h = hash_question(&flow->client, &flow->server, question);
    for (int32_t s = ring_table_first(&t->questions, h); s != -1; s = ring_table_next(&t->questions, s, h)) {
        struct question_record *r = ring_table_record(&t->questions, s);
        if (!dnsfail_addr_equal(&r->client, &flow->client) || !dnsfail_addr_equal(&r->server, &flow->server) ||
            !question_equal(&r->question, question))
            continue;
        int64_t gap = time_ns - r->last_ns;
        r->attempts = (gap >= 0 && gap <= t->config.retry_window_ns) ? r->attempts + 1 : 1;
        r->last_ns = time_ns;
        return r->attempts;
    }
    int32_t s = ring_table_insert(&t->questions, h);
    if (s == -1)
        return 1;
    struct question_record *r = ring_table_record(&t->questions, s);
    r->client = flow->client;
    r->server = flow->server;
    r->question = *question;
    r->last_ns = time_ns;
    r->attempts = 1;
    return 1;
}

uint32_t dnsfail_tracker_add_query(struct dnsfail_tracker *t, const struct dnsfail_query_obs *q)
{
    uint32_t attempt = 0;

    t->added++;
    if (q->has_question)
        attempt = dnsfail_tracker_count_attempt(t, &q->flow, &q->question, q->time_ns);
    int32_t s = ring_table_insert(&t->queries, hash_flow(&q->flow));
    if (s == -1)
        return attempt;
    struct query_record *r = ring_table_record(&t->queries, s);
    r->flow = q->flow;
    r->fingerprint = q->fingerprint;
    r->frame = q->frame;
    r->time_ns = q->time_ns;
    r->attempt = attempt;
    r->dns_id = q->dns_id;
    r->has_question = q->has_question;
    if (q->has_question)
        r->question = q->question;
    r->cookie = q->cookie;
    r->tcp_seq = q->tcp_seq;
    return attempt;
}

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
    enum dnsfail_match_by best_by = DNSFAIL_MATCH_NONE;
    bool best_agrees = false;
    uint64_t h = hash_flow(&e->flow);

    /* The chain is newest first, so the first candidate of each rank is the one to keep,
     * and the walk ends at the first that no later one could beat. A flow that sends
     * thousands of queries (one socket, a fixed port) costs at most MATCH_MAX_WALK steps. */
    int walked = 0;
    memset(m, 0, sizeof *m);
    for (int32_t s = ring_table_first(&t->queries, h); s != -1 && walked < MATCH_MAX_WALK;
         s = ring_table_next(&t->queries, s, h), walked++) {
        const struct query_record *r = ring_table_record(&t->queries, s);
        int64_t age = e->time_ns - r->time_ns;
        if (r->frame >= e->frame || age < -SECOND_NS || age > DNSFAIL_TRACKER_MATCH_MAX_AGE_NS ||
            !flow_equal(&r->flow, &e->flow))
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
            best_by = by;
            best_agrees = agrees;
        }
        if (best_by == DNSFAIL_MATCH_FINGERPRINT || best_agrees)
            break;
    }
    if (!best)
        return false;
    m->by = (uint8_t)best_by;
    m->frame = best->frame;
    m->time_ns = best->time_ns;
    m->attempt = best->attempt;
    m->dns_id = best->dns_id;
    m->has_question = best->has_question;
    if (best->has_question)
        m->question = best->question;
    m->cookie = best->cookie;
    m->tcp_seq = best->tcp_seq;
    return true;
}

static struct failed_record *find_failed(struct dnsfail_tracker *t, uint64_t h, const struct dnsfail_addr *client,
                                         const struct dnsfail_question *question)
{
    for (int32_t s = ring_table_first(&t->failed, h); s != -1; s = ring_table_next(&t->failed, s, h)) {
        struct failed_record *r = ring_table_record(&t->failed, s);
        if (dnsfail_addr_equal(&r->client, client) && question_equal(&r->question, question))
            return r;
    }
    return NULL;
}

static uint64_t hash_client_question(const struct dnsfail_addr *client, const struct dnsfail_question *question)
{
    static const struct dnsfail_addr no_server; /* the server plays no part */
    return hash_question(client, &no_server, question);
}

void dnsfail_tracker_note_failure(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
                                  const struct dnsfail_question *question)
{
    uint64_t h = hash_client_question(client, question);
    struct failed_record *r = find_failed(t, h, client, question);
    if (!r) {
        int32_t s = ring_table_insert(&t->failed, h);
        if (s == -1)
            return;
        r = ring_table_record(&t->failed, s);
        r->client = *client;
        r->question = *question;
    }
    r->open = true;
}

bool dnsfail_tracker_take_failure(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
                                  const struct dnsfail_question *question)
{
    struct failed_record *r = find_failed(t, hash_client_question(client, question), client, question);
    if (!r || !r->open)
        return false;
    r->open = false;
    return true;
}

void dnsfail_tracker_get_stats(const struct dnsfail_tracker *t, struct dnsfail_tracker_stats *s)
{
    memset(s, 0, sizeof *s);
    s->queries = t->added;
    s->evicted = t->queries.evicted + t->questions.evicted + t->failed.evicted;
    s->tracked = t->queries.count;
    s->max_queries = t->config.max_queries;
    s->bytes = sizeof *t + ring_table_bytes(&t->queries) + ring_table_bytes(&t->questions) + ring_table_bytes(&t->failed);
}
