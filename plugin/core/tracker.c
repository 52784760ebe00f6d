/* tracker.c - the tracker's life cycle, the attempt numbers of questions, and the queries
 * it remembers with their waits. Matching errors and answers to them is in
 * tracker_match.c, failed questions and timeouts in tracker_timeout.c.
 *
 * Waiting queries form a list in the order they were added (capture order), through
 * their slots in the query table, so the next deadline is the list's head and an answer
 * unlinks its query in O(1). Captures whose times step back may see a query time out a
 * little after its deadline, never before.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/tracker.h"

#include <stdlib.h>
#include <string.h>

#include "tracker_internal.h"

/* The bytes of q's name past its length are left as they were (no reader looks there). */
static void load_question(struct dnsfail_question *q, const struct query_record *r)
{
    q->qtype = r->qtype;
    q->qclass = r->qclass;
    q->qname.wire_len = r->qname_len;
    q->qname.labels = r->qname_labels;
    q->qname.compressed = r->qname_compressed;
    q->qname.status = r->qname_status;
    memcpy(q->qname.wire, r->qname_wire, r->qname_len);
}

/* Assigns every member (a match is filled on every answer: no clearing first). */
void tracker_fill_match(struct dnsfail_query_match *m, const struct query_record *r, enum dnsfail_match_by by)
{
    m->by = (uint8_t)by;
    m->frame = r->frame;
    m->time_ns = r->time_ns;
    m->attempt = r->attempt;
    m->dns_id = r->dns_id;
    m->has_question = r->has_question;
    if (r->has_question)
        load_question(&m->question, r);
    else
        memset(&m->question, 0, sizeof m->question);
    m->cookie = r->cookie;
    m->tcp_seq = r->tcp_seq;
    m->flow = r->flow;
    m->retried_after_ns = (int64_t)r->retried_after_ms * DNSFAIL_NS_PER_MS;
}

/* The failed table's key: one client's question, to any server. */
static uint64_t client_question_key(const struct dnsfail_addr *client, uint64_t question_hash)
{
    return ring_hash_finish(addr_key_hash_bytes(ring_hash_word(question_hash, client->family), client));
}

/* The client's record of this question (its hash_question), created when asked to and
 * there is room. */
struct failed_record *tracker_client_question(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
                                              uint64_t question_hash, bool create)
{
    uint64_t key = client_question_key(client, question_hash);
    int32_t s = ring_table_first(&t->failed, key);
    if (s != -1)
        return ring_table_record(&t->failed, s);
    if (!create)
        return NULL;
    s = ring_table_insert_raw(&t->failed, key);
    if (s == -1)
        return NULL;
    struct failed_record *r = ring_table_record(&t->failed, s);
    r->answered_ns = 0;
    r->open = false;
    r->answered = false;
    return r;
}

static void store_question(struct query_record *r, const struct dnsfail_question *q)
{
    size_t len = q->qname.wire_len <= DNSFAIL_NAME_WIRE_MAX ? q->qname.wire_len : DNSFAIL_NAME_WIRE_MAX;
    r->qtype = q->qtype;
    r->qclass = q->qclass;
    r->qname_len = (uint16_t)len;
    r->qname_labels = q->qname.labels;
    r->qname_compressed = q->qname.compressed;
    r->qname_status = q->qname.status;
    memcpy(r->qname_wire, q->qname.wire, len);
}

static struct dnsfail_tracker_config effective_config(const struct dnsfail_tracker_config *in)
{
    struct dnsfail_tracker_config c = {DNSFAIL_TRACKER_DEFAULT_MAX_QUERIES, DNSFAIL_TRACKER_DEFAULT_WINDOW_NS,
                                       DNSFAIL_TRACKER_DEFAULT_TIMEOUT_NS};
    if (in && in->max_queries)
        c.max_queries = in->max_queries;
    if (in && in->retry_window_ns > 0)
        c.retry_window_ns = in->retry_window_ns;
    if (in && in->timeout_ns > 0)
        c.timeout_ns = in->timeout_ns;
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
    t->wait_head = t->wait_tail = -1;
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
    t->wait_head = t->wait_tail = -1;
    t->waiting = 0;
    t->timeouts = 0;
    t->waits_forgotten = 0;
}

void dnsfail_tracker_configure(struct dnsfail_tracker *t, const struct dnsfail_tracker_config *config)
{
    t->config = effective_config(config);
    dnsfail_tracker_reset(t);
    ring_table_init(&t->queries, sizeof(struct query_record), t->config.max_queries);
    ring_table_init(&t->questions, sizeof(struct question_record), t->config.max_queries);
    ring_table_init(&t->failed, sizeof(struct failed_record), t->config.max_queries);
}

/* The questions table's key: one question (its hash_question) from one client to one server. */
static uint64_t question_key(const struct dnsfail_addr *client, const struct dnsfail_addr *server,
                             uint64_t question_hash)
{
    uint64_t h = ring_hash_word(question_hash, (uint64_t)client->family | (uint64_t)server->family << 8);
    return ring_hash_finish(addr_key_hash_bytes(addr_key_hash_bytes(h, client), server));
}

/* Numbers the attempt and gives its question's record (NULL when there was no room) and
 * the time of the attempt before it (when the number is above 1). */
static uint32_t count_attempt_hashed(struct dnsfail_tracker *t, const struct dnsfail_flow *flow,
                                     uint64_t question_hash, int64_t time_ns, struct question_record **out,
                                     int64_t *previous_ns)
{
    uint64_t key = question_key(&flow->client, &flow->server, question_hash);
    int32_t s = ring_table_first(&t->questions, key);
    struct question_record *r;
    *out = NULL;
    if (s != -1) {
        r = ring_table_record(&t->questions, s);
        *previous_ns = r->last_ns;
        int64_t gap = time_diff(time_ns, r->last_ns);
        r->attempts = (gap >= 0 && gap <= t->config.retry_window_ns) ? r->attempts + 1 : 1;
        r->last_ns = time_ns;
        *out = r;
        return r->attempts;
    }
    s = ring_table_insert_raw(&t->questions, key);
    if (s == -1)
        return 1;
    r = ring_table_record(&t->questions, s);
    r->last_ns = time_ns;
    r->attempts = 1;
    r->last_slot = -1;
    *out = r;
    return 1;
}

uint64_t dnsfail_tracker_question_hash(const struct dnsfail_question *question)
{
    return hash_question(question);
}

uint32_t dnsfail_tracker_count_attempt(struct dnsfail_tracker *t, const struct dnsfail_flow *flow,
                                       const struct dnsfail_question *question, int64_t time_ns)
{
    struct question_record *qr;
    int64_t previous_ns;
    uint32_t attempt = count_attempt_hashed(t, flow, hash_question(question), time_ns, &qr, &previous_ns);
    if (qr)
        qr->last_slot = -1; /* this attempt's query was not captured: nothing to mark retried */
    return attempt;
}

/* A retry (attempt n+1 of a question, to the same server within the retry window) while
 * attempt n still waits: the client gave up waiting for n. Its slot is checked to still
 * hold that query (same question, sent at the time the record says), since slots are reused. */
static void mark_retried(struct dnsfail_tracker *t, const struct question_record *qr, int64_t previous_ns,
                         uint64_t question_hash, int64_t retry_ns)
{
    if (qr->last_slot < 0 || (uint32_t)qr->last_slot >= t->queries.capacity)
        return;
    struct query_record *p = query_at(t, qr->last_slot);
    if (p->wait != WAIT_WAITING || !p->has_question || p->question_hash != question_hash || p->time_ns != previous_ns ||
        p->retried_after_ms)
        return;
    int64_t gap_ms = time_diff(retry_ns, previous_ns) / DNSFAIL_NS_PER_MS;
    p->retried_after_ms = gap_ms < 1 ? 1 : gap_ms > UINT32_MAX ? UINT32_MAX : (uint32_t)gap_ms;
}

/* ---- the waiting list --------------------------------------------------------------- */

static void wait_push(struct dnsfail_tracker *t, int32_t slot)
{
    struct query_record *r = query_at(t, slot);
    r->wait = WAIT_WAITING;
    r->wait_prev = t->wait_tail;
    r->wait_next = -1;
    if (t->wait_tail != -1)
        query_at(t, t->wait_tail)->wait_next = slot;
    else
        t->wait_head = slot;
    t->wait_tail = slot;
    t->waiting++;
}

/* The slot the next insert will reuse, or -1 while the table still has room. Mirrors
 * ring_table_insert: it reuses a slot once count reaches limit, and also when the arrays
 * cannot grow past their largest capacity (1 << 30) below a larger limit. */
static int32_t next_evicted_slot(const struct ring_table *table)
{
    bool full = table->count >= table->limit ||
                (table->count == table->capacity && table->capacity >= (UINT32_C(1) << 30));
    return full ? (int32_t)table->oldest : -1;
}

/* A remembered SYN of this connection (flow, its hash_flow h, and sequence number), in
 * the given wait state or, with any_state, in any; skip is a slot not to look at. -1 when
 * none. */
int32_t tracker_find_syn(const struct dnsfail_tracker *t, const struct dnsfail_flow *flow, uint64_t h,
                         uint32_t tcp_seq, bool any_state, int32_t skip)
{
    int walked = 0;
    for (int32_t s = ring_table_first(&t->queries, h); s != -1 && walked < MATCH_MAX_WALK;
         s = ring_table_next(&t->queries, s, h), walked++) {
        const struct query_record *r = query_at(t, s);
        if (s != skip && (any_state || r->wait == WAIT_WAITING) && is_syn(r) && r->tcp_seq == tcp_seq &&
            flow_key_equal(&r->flow, flow))
            return s;
    }
    return -1;
}

uint32_t dnsfail_tracker_add_query(struct dnsfail_tracker *t, const struct dnsfail_query_obs *q)
{
    return dnsfail_tracker_add_query_hashed(t, q, q->has_question ? hash_question(&q->question) : 0);
}

uint32_t dnsfail_tracker_add_query_hashed(struct dnsfail_tracker *t, const struct dnsfail_query_obs *q,
                                          uint64_t question_hash)
{
    uint32_t attempt = 0;
    struct question_record *qr = NULL;

    t->added++;
    if (q->has_question) {
        int64_t previous_ns = 0;
        attempt = count_attempt_hashed(t, &q->flow, question_hash, q->time_ns, &qr, &previous_ns);
        if (qr && attempt > 1)
            mark_retried(t, qr, previous_ns, question_hash, q->time_ns);
    }
    uint64_t h = hash_flow(&q->flow);
    /* Too many queries at once: the oldest is forgotten, and so is its wait. */
    int32_t victim = next_evicted_slot(&t->queries);
    if (victim != -1 && query_at(t, victim)->wait == WAIT_WAITING) {
        wait_end(t, victim, WAIT_NONE);
        t->waits_forgotten++;
    }
    /* A SYN sent again (same connection, same sequence number) is one wait, not a new
     * one, whether the first is still waiting, was answered or timed out already. The
     * SYN about to be forgotten no longer stands for the connection's wait. */
    bool waits = !(q->flow.transport == DNSFAIL_TRANSPORT_TCP && !q->has_question &&
                   tracker_find_syn(t, &q->flow, h, q->tcp_seq, true, victim) != -1);
    int32_t s = ring_table_insert_raw(&t->queries, h);
    if (s == -1)
        return attempt;
    struct query_record *r = ring_table_record(&t->queries, s);
    r->time_ns = q->time_ns;
    r->cookie = q->cookie;
    r->question_hash = question_hash;
    r->frame = q->frame;
    r->attempt = attempt;
    r->tcp_seq = q->tcp_seq;
    r->wait_prev = r->wait_next = -1;
    r->flow = q->flow;
    r->fingerprint = q->fingerprint;
    if (q->has_question)
        store_question(r, &q->question);
    r->dns_id = q->dns_id;
    r->has_question = q->has_question;
    r->wait = WAIT_NONE;
    r->retried_after_ms = 0;
    if (waits)
        wait_push(t, s);
    if (qr)
        qr->last_slot = s;
    return attempt;
}

void dnsfail_tracker_get_stats(const struct dnsfail_tracker *t, struct dnsfail_tracker_stats *s)
{
    memset(s, 0, sizeof *s);
    s->queries = t->added;
    s->evicted = t->queries.evicted + t->questions.evicted + t->failed.evicted;
    s->tracked = t->queries.count;
    s->max_queries = t->config.max_queries;
    s->bytes = sizeof *t + ring_table_bytes(&t->queries) + ring_table_bytes(&t->questions) + ring_table_bytes(&t->failed);
    s->waiting = t->waiting;
    s->timeouts = t->timeouts;
    s->waits_forgotten = t->waits_forgotten;
}

bool dnsfail_tracker_has_forgotten(const struct dnsfail_tracker *t)
{
    return t->queries.evicted + t->questions.evicted + t->failed.evicted > 0;
}
