/* tracker_internal.h - the tracker's tables and the helpers its files share: tracker.c
 * (life cycle, attempts, queries and their waits), tracker_match.c (errors and answers to
 * queries) and tracker_timeout.c (failed questions and timeouts). Internal to the core.
 *
 * The shared helpers are static inline: every query and every answer runs through them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_TRACKER_INTERNAL_H
#define DNSFAIL_TRACKER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "addr_key.h"
#include "dnsfail/tracker.h"
#include "question_hash.h"
#include "ring_table.h"

/* How many queries sharing an error's hash are looked at, newest first. */
#define MATCH_MAX_WALK 64

/* Waiting queries form a list in the order they were added (capture order), through
 * their slots in the query table, so the next deadline is the list's head and an answer
 * unlinks its query in O(1). Captures whose times step back may see a query time out a
 * little after its deadline, never before. */
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

static inline struct query_record *query_at(const struct dnsfail_tracker *t, int32_t slot)
{
    return ring_table_record(&t->queries, slot);
}

static inline uint64_t hash_flow(const struct dnsfail_flow *f)
{
    return flow_key_hash(f);
}

static inline int64_t time_diff(int64_t a, int64_t b)
{
    return dnsfail_time_diff(a, b);
}

static inline bool is_syn(const struct query_record *r)
{
    return r->flow.transport == DNSFAIL_TRANSPORT_TCP && !r->has_question;
}

/* A kept query's question against an answer's. */
static inline bool record_asks(const struct query_record *r, const struct dnsfail_question *q)
{
    return r->qtype == q->qtype && r->qclass == q->qclass && r->qname_len == q->qname.wire_len &&
           name_equal(r->qname_wire, q->qname.wire, r->qname_len);
}

/* Takes a waiting query off the list and gives it its new state. */
static inline void wait_end(struct dnsfail_tracker *t, int32_t slot, enum wait_state state)
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

/* Defined in tracker.c. */
int32_t tracker_find_syn(const struct dnsfail_tracker *t, const struct dnsfail_flow *flow, uint64_t h,
                         uint32_t tcp_seq, bool any_state, int32_t skip);

/* Defined in tracker_match.c. */
void tracker_fill_match(struct dnsfail_query_match *m, const struct query_record *r, enum dnsfail_match_by by);

/* Defined in tracker_timeout.c. */
struct failed_record *tracker_client_question(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
                                              uint64_t question_hash, bool create);

#endif
