/* tracker.c - which query an ICMP error or answer answers, which attempt it was, and
 * which queries nothing answered in time.
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

#include "addr_key.h"
#include "ring_table.h"

/* How many queries sharing an error's hash are looked at, newest first. */
#define MATCH_MAX_WALK 64

enum wait_state {
    WAIT_NONE = 0,   /* never waited (a retransmitted SYN) */
    WAIT_WAITING,    /* on the waiting list */
    WAIT_ANSWERED,   /* an answer or an error came in time */
    WAIT_TIMED_OUT,  /* the timeout passed first */
    WAIT_LATE,       /* timed out, then answered */
};

/* Every field is assigned when a query is added (slots are reused without zeroing);
 * the question's parts and question_hash only when has_question, and are read only then.
 * The question is kept as its parts with the name's bytes last, and only the name's own
 * bytes are copied in and out: a record is touched up to where its name ends (two or three
 * cache lines), not over all 255 bytes the name may take. With 65,536 records a slot is
 * cold when it is reused or a timeout reads it, so every line touched is a cache miss.
 * 368 bytes on LP64. */
struct query_record {
    int64_t time_ns;
    void *cookie;
    uint64_t question_hash;      /* hash_question() of the question */
    uint32_t frame;
    uint32_t attempt;
    uint32_t tcp_seq;
    int32_t wait_prev, wait_next;/* the waiting list, by slot; -1 at its ends */
    struct dnsfail_flow flow;
    struct dnsfail_fingerprint fingerprint;
    uint16_t dns_id;
    bool has_question;
    uint8_t wait;                /* enum wait_state */
    uint16_t qtype, qclass;
    uint16_t qname_len;
    uint8_t qname_labels;
    bool qname_compressed;
    uint8_t qname_status;
    uint8_t qname_wire[DNSFAIL_NAME_WIRE_MAX];
};

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

/* The questions and failed tables key on a 64-bit hash of what identifies a record
 * (question_key, client_question_key) and keep only that hash (the ring table's) and the
 * record's small state: no copy of the question or the addresses, which would make each
 * record some 300 bytes. Two different keys with one hash (2^-64 for a pair of keys; a
 * capture could be crafted to collide, the hash is not keyed) share one record: the
 * worst that does is number an attempt as the other question's next one, or take an
 * answer to one question for the answer or recovery of the other. */

/* One question from one client to one server: the unit that retries repeat. */
struct question_record {
    int64_t last_ns;
    uint32_t attempts;
};

/* A client's question: whether it failed and has not been answered since, and when it
 * was last answered in time. */
struct failed_record {
    int64_t answered_ns;
    bool open;
    bool answered;
};

struct dnsfail_tracker {
    struct dnsfail_tracker_config config;
    struct ring_table queries;   /* keyed by flow */
    struct ring_table questions; /* keyed by client, server and question */
    struct ring_table failed;    /* keyed by client and question */
    uint64_t added;
    int32_t wait_head, wait_tail;/* oldest and newest waiting query, or -1 */
    uint32_t waiting;
    uint64_t timeouts;
    uint64_t waits_forgotten;
};

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

/* ---- hashing: a word at a time ------------------------------------------------------ */

static uint64_t hash_flow(const struct dnsfail_flow *f)
{
    uint64_t head = (uint64_t)f->client.family | (uint64_t)f->server.family << 8 | (uint64_t)f->client_port << 16 |
                    (uint64_t)f->server_port << 32 | (uint64_t)f->transport << 48;
    uint64_t h = addr_key_hash_bytes(ring_hash_word(RING_HASH_SEED, head), &f->client);
    return ring_hash_finish(addr_key_hash_bytes(h, &f->server));
}

/* a - b, saturated: capture times are attacker-controlled and may sit at the ends of the range. */
static int64_t time_diff(int64_t a, int64_t b)
{
    if (b < 0 && a > INT64_MAX + b)
        return INT64_MAX;
    if (b > 0 && a < INT64_MIN + b)
        return INT64_MIN;
    return a - b;
}

/* ASCII upper case to lower case in each byte of w (8 bytes of a name at once), every
 * other byte unchanged. Per byte: the high bit of from_a is set where the low 7 bits are
 * 'A' or more, that of past_z where they are past 'Z' (neither sum carries into the next
 * byte); a byte with its own high bit set is no letter. */
static inline uint64_t fold_case_word(uint64_t w)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), high = ones * 0x80u;
    uint64_t low7 = w & ~high;
    uint64_t from_a = low7 + ones * (0x80u - 'A');
    uint64_t past_z = low7 + ones * (0x80u - 'Z' - 1u);
    uint64_t upper = from_a & ~past_z & ~w & high;
    return w | (upper >> 2); /* 0x80 >> 2: the case bit, clear in an upper-case letter */
}

/* The bytes of a name past its last whole 8-byte word (len not a multiple of 8), as one
 * word: its last 8 bytes, overlapping the word before, or all of a shorter name. Which
 * bytes go where depends on len alone, so names that are equal but for case give words
 * that are equal once folded. */
static inline uint64_t name_tail(const uint8_t *p, size_t len)
{
    if (len >= 8)
        return dnsfail_load_u64(p + len - 8);
    if (len >= 4)
        return dnsfail_load_u32(p) | (uint64_t)dnsfail_load_u32(p + len - 4) << 32;
    uint64_t w = 0;
    for (size_t i = 0; i < len; i++)
        w = w << 8 | p[i];
    return w;
}

/* A question alone: its name without case (resolvers using DNS 0x20 change case on each
 * retry), type and class. Equal questions (record_asks) hash alike; the keys of the
 * questions and failed tables extend this hash. */
static uint64_t hash_question(const struct dnsfail_question *q)
{
    const uint8_t *p = q->qname.wire;
    size_t len = q->qname.wire_len, i = 0;
    uint64_t h = ring_hash_word(RING_HASH_SEED, (uint64_t)len | (uint64_t)q->qtype << 16 | (uint64_t)q->qclass << 32);
    for (; len - i >= 8; i += 8)
        h = ring_hash_word(h, fold_case_word(dnsfail_load_u64(p + i)));
    if (i < len)
        h = ring_hash_word(h, fold_case_word(name_tail(p, len)));
    return h;
}

/* Names compare without case, as hash_question hashes them. */
static bool name_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
    size_t i = 0;
    for (; len - i >= 8; i += 8) {
        if (fold_case_word(dnsfail_load_u64(a + i)) != fold_case_word(dnsfail_load_u64(b + i)))
            return false;
    }
    return i == len || fold_case_word(name_tail(a, len)) == fold_case_word(name_tail(b, len));
}

/* A kept query's question against an answer's. */
static bool record_asks(const struct query_record *r, const struct dnsfail_question *q)
{
    return r->qtype == q->qtype && r->qclass == q->qclass && r->qname_len == q->qname.wire_len &&
           name_equal(r->qname_wire, q->qname.wire, r->qname_len);
}

/* The questions table's key: one question (its hash_question) from one client to one server. */
static uint64_t question_key(const struct dnsfail_addr *client, const struct dnsfail_addr *server,
                             uint64_t question_hash)
{
    uint64_t h = ring_hash_word(question_hash, (uint64_t)client->family | (uint64_t)server->family << 8);
    return ring_hash_finish(addr_key_hash_bytes(addr_key_hash_bytes(h, client), server));
}

/* The failed table's key: one client's question, to any server. */
static uint64_t client_question_key(const struct dnsfail_addr *client, uint64_t question_hash)
{
    return ring_hash_finish(addr_key_hash_bytes(ring_hash_word(question_hash, client->family), client));
}

static uint32_t count_attempt_hashed(struct dnsfail_tracker *t, const struct dnsfail_flow *flow,
                                     uint64_t question_hash, int64_t time_ns)
{
    uint64_t key = question_key(&flow->client, &flow->server, question_hash);
    int32_t s = ring_table_first(&t->questions, key);
    struct question_record *r;
    if (s != -1) {
        r = ring_table_record(&t->questions, s);
        int64_t gap = time_diff(time_ns, r->last_ns);
        r->attempts = (gap >= 0 && gap <= t->config.retry_window_ns) ? r->attempts + 1 : 1;
        r->last_ns = time_ns;
        return r->attempts;
    }
    s = ring_table_insert_raw(&t->questions, key);
    if (s == -1)
        return 1;
    r = ring_table_record(&t->questions, s);
    r->last_ns = time_ns;
    r->attempts = 1;
    return 1;
}

uint64_t dnsfail_tracker_question_hash(const struct dnsfail_question *question)
{
    return hash_question(question);
}

uint32_t dnsfail_tracker_count_attempt(struct dnsfail_tracker *t, const struct dnsfail_flow *flow,
                                       const struct dnsfail_question *question, int64_t time_ns)
{
    return count_attempt_hashed(t, flow, hash_question(question), time_ns);
}

/* ---- the waiting list --------------------------------------------------------------- */

static struct query_record *query_at(const struct dnsfail_tracker *t, int32_t slot)
{
    return ring_table_record(&t->queries, slot);
}

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

/* Takes a waiting query off the list and gives it its new state. */
static void wait_end(struct dnsfail_tracker *t, int32_t slot, enum wait_state state)
{
    struct query_record *r = query_at(t, slot);
    if (r->wait != WAIT_WAITING)
        return;
    if (r->wait_prev != -1)
        query_at(t, r->wait_prev)->wait_next = r->wait_next;
    else
        t->wait_head = r->wait_next;
    if (r->wait_next != -1)
        query_at(t, r->wait_next)->wait_prev = r->wait_prev;
    else
        t->wait_tail = r->wait_prev;
    r->wait = (uint8_t)state;
    r->wait_prev = r->wait_next = -1;
    t->waiting--;
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

static bool is_syn(const struct query_record *r)
{
    return r->flow.transport == DNSFAIL_TRANSPORT_TCP && !r->has_question;
}

/* A remembered SYN of this connection (flow, its hash_flow h, and sequence number), in
 * the given wait state or, with any_state, in any; skip is a slot not to look at. -1 when
 * none. */
static int32_t find_syn(const struct dnsfail_tracker *t, const struct dnsfail_flow *flow, uint64_t h,
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
    uint32_t attempt = 0;
    uint64_t question_hash = 0;

    t->added++;
    if (q->has_question) {
        question_hash = hash_question(&q->question);
        attempt = count_attempt_hashed(t, &q->flow, question_hash, q->time_ns);
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
                   find_syn(t, &q->flow, h, q->tcp_seq, true, victim) != -1);
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
    if (waits)
        wait_push(t, s);
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

/* Assigns every member (a match is filled on every answer: no clearing first). */
static void fill_match(struct dnsfail_query_match *m, const struct query_record *r, enum dnsfail_match_by by)
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
    fill_match(m, best, best_by);
    /* The newest SYN of a connection may be a retransmission that never waited: the
     * connection's wait is the first SYN's. */
    if (best->wait != WAIT_WAITING && is_syn(best)) {
        int32_t first = find_syn(t, &best->flow, h, best->tcp_seq, false, -1);
        if (first != -1)
            best_slot = first;
    }
    wait_end(t, best_slot, WAIT_ANSWERED);
    return true;
}

/* The client's record of this question (its hash_question), created when asked to and
 * there is room. */
static struct failed_record *client_question(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
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

void dnsfail_tracker_note_failure(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
                                  const struct dnsfail_question *question)
{
    struct failed_record *r = client_question(t, client, hash_question(question), true);
    if (r)
        r->open = true;
}

bool dnsfail_tracker_take_failure_hashed(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
                                         uint64_t question_hash)
{
    struct failed_record *r = client_question(t, client, question_hash, false);
    if (!r || !r->open)
        return false;
    r->open = false;
    return true;
}

bool dnsfail_tracker_take_failure(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
                                  const struct dnsfail_question *question)
{
    return dnsfail_tracker_take_failure_hashed(t, client, hash_question(question));
}

/* ---- answers and timeouts ------------------------------------------------------------ */

/* The newest query before the answer on its flow with its id; when the answer has a
 * question (and its hash_question), the newest such query asking it, if any (a client
 * may send A and AAAA with one id from one socket). */
bool dnsfail_tracker_match_syn(struct dnsfail_tracker *t, const struct dnsfail_flow *flow, uint32_t acked,
                               uint32_t frame, struct dnsfail_query_match *m)
{
    int32_t s = find_syn(t, flow, hash_flow(flow), acked - 1u, true, -1);
    if (s == -1 || query_at(t, s)->frame >= frame)
        return false;
    /* A retransmitted SYN never waited: the connection's wait is its first SYN's. */
    int32_t first = find_syn(t, flow, hash_flow(flow), acked - 1u, false, -1);
    fill_match(m, query_at(t, s), DNSFAIL_MATCH_FLOW);
    wait_end(t, first != -1 ? first : s, WAIT_ANSWERED);
    return true;
}

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
        fill_match(m, r, DNSFAIL_MATCH_ID);
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
        struct failed_record *c = client_question(t, &e->flow.client, question_hash, true);
        if (c) {
            c->answered = true;
            c->answered_ns = e->time_ns;
        }
    }
    return timing;
}

enum dnsfail_answer_timing dnsfail_tracker_match_answer(struct dnsfail_tracker *t, const struct dnsfail_error_obs *e,
                                                        const struct dnsfail_question *question,
                                                        struct dnsfail_query_match *m)
{
    return dnsfail_tracker_match_answer_hashed(t, e, question, question ? hash_question(question) : 0, m);
}

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
        struct failed_record *c = r->has_question ? client_question(t, &r->flow.client, r->question_hash, true) : NULL;
        if (answered_since(t, c, r)) {
            wait_end(t, s, WAIT_ANSWERED);
            continue;
        }
        wait_end(t, s, WAIT_TIMED_OUT);
        t->timeouts++;
        if (c)
            c->open = true;
        fill_match(m, r, DNSFAIL_MATCH_NONE);
        return true;
    }
    return false;
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
