/* tracker.h - correlation of DNS queries with the ICMP errors and answers that answer
 * them, numbering of repeated attempts of one question, and the queries nothing answered
 * in time (timeouts).
 *
 * Fed in capture order during the first pass. Memory is bounded: at most max_queries
 * queries and as many questions are remembered; past that the oldest are forgotten
 * (counted in dnsfail_tracker_stats.evicted), which only loses links older than any
 * ICMP error could reasonably be.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_TRACKER_H
#define DNSFAIL_TRACKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnsfail/addr.h"
#include "dnsfail/dns_message.h"
#include "dnsfail/duration.h"
#include "dnsfail/flow.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DNSFAIL_TRACKER_DEFAULT_MAX_QUERIES 65536u
#define DNSFAIL_TRACKER_DEFAULT_WINDOW_NS   (10 * DNSFAIL_NS_PER_S)
#define DNSFAIL_TRACKER_DEFAULT_TIMEOUT_NS  (5 * DNSFAIL_NS_PER_S)
/* An ICMP error answers a datagram within a few seconds; older queries never match. */
#define DNSFAIL_TRACKER_MATCH_MAX_AGE_NS    (120 * DNSFAIL_NS_PER_S)

/* What identifies one datagram besides its flow: an ICMP error quotes these even when
 * it quotes only the IP header and 8 bytes (RFC 792). The IPv4 id is compared only when
 * both sides have it; the plugin's queries have none today (their hooks see the UDP
 * datagram, not its IP header), so their fingerprint is the UDP length and checksum. */
struct dnsfail_fingerprint {
    bool has_ip_id;
    bool has_udp_fields;
    bool has_udp_checksum_computed; /* a query's own checksum, computed (see checksum.h) */
    uint16_t ip_id;
    uint16_t udp_length;
    uint16_t udp_checksum;          /* as captured */
    uint16_t udp_checksum_computed;
};

/* track_query (plugin/dns_messages.c) sets each member by name, to spare clearing
 * the question: a member added here must be set there too. */
struct dnsfail_query_obs {
    uint32_t frame;
    int64_t time_ns;
    struct dnsfail_flow flow;
    struct dnsfail_fingerprint fingerprint;
    uint16_t dns_id;
    bool has_question;
    struct dnsfail_question question;
    void *cookie;                  /* the caller's per-frame data, handed back on a match */
    uint32_t tcp_seq;              /* DNS over TCP: the SYN's sequence number */
};

struct dnsfail_error_obs {
    uint32_t frame;
    int64_t time_ns;
    struct dnsfail_flow flow;      /* from the quote, client side first */
    struct dnsfail_fingerprint fingerprint;
    bool has_dns_id;
    uint16_t dns_id;
};

enum dnsfail_match_by {
    DNSFAIL_MATCH_NONE = 0,
    DNSFAIL_MATCH_ID,              /* flow and DNS id (and the fingerprint, where quoted) */
    DNSFAIL_MATCH_FINGERPRINT,     /* flow and IP id / UDP length and checksum */
    DNSFAIL_MATCH_FLOW,            /* flow only: the latest query on it */
};

struct dnsfail_query_match {
    uint8_t by;                    /* enum dnsfail_match_by */
    uint32_t frame;
    int64_t time_ns;
    uint32_t attempt;
    uint16_t dns_id;
    bool has_question;
    struct dnsfail_question question;
    void *cookie;
    uint32_t tcp_seq;              /* as added */
    struct dnsfail_flow flow;      /* as added */
    int64_t retried_after_ns;      /* the client retried this long after it, while it still
                                    * waited (ms precision); 0: not retried */
};

struct dnsfail_tracker_config {
    uint32_t max_queries;          /* 0: the default */
    int64_t retry_window_ns;       /* a retry within this time of the previous try continues a series */
    int64_t timeout_ns;            /* a query unanswered this long timed out; 0: the default */
};

struct dnsfail_tracker_stats {
    uint64_t queries;              /* queries added since the last reset */
    uint64_t evicted;              /* queries and questions forgotten to stay within bounds */
    uint32_t tracked;              /* queries remembered now */
    uint32_t max_queries;
    size_t bytes;                  /* memory held now */
    uint32_t waiting;              /* queries waiting for an answer now */
    uint64_t timeouts;             /* queries that timed out */
    uint64_t waits_forgotten;      /* waiting queries forgotten (too many at once) */
};

struct dnsfail_tracker;

/* NULL on allocation failure. */
struct dnsfail_tracker *dnsfail_tracker_new(const struct dnsfail_tracker_config *config);
void dnsfail_tracker_free(struct dnsfail_tracker *t);
/* Forgets everything (a new capture file) and frees its tables. */
void dnsfail_tracker_reset(struct dnsfail_tracker *t);
/* New limits; implies a reset. */
void dnsfail_tracker_configure(struct dnsfail_tracker *t, const struct dnsfail_tracker_config *config);

/* Remembers a query and returns its attempt number: 1 for a new question from this
 * client to this server, n+1 when the previous try of the same question came within the
 * retry window. Clients retry from new ports and with new ids, so neither is part of
 * the question. Returns 0 when the query has no decodable question. */
uint32_t dnsfail_tracker_add_query(struct dnsfail_tracker *t, const struct dnsfail_query_obs *q);
/* The same, with the question's dnsfail_tracker_question_hash() already known (0 when the
 * query has no question). */
uint32_t dnsfail_tracker_add_query_hashed(struct dnsfail_tracker *t, const struct dnsfail_query_obs *q,
                                          uint64_t question_hash);

/* Numbers an attempt that was not captured as a query (only its ICMP error was). */
uint32_t dnsfail_tracker_count_attempt(struct dnsfail_tracker *t, const struct dnsfail_flow *flow,
                                       const struct dnsfail_question *question, int64_t time_ns);

/* Finds the query an ICMP error answers: on the same flow, before it, with the same DNS
 * id when the quote has one, else the same datagram fingerprint, else the latest query
 * of the flow. Returns false when none is remembered. The query is no longer waiting:
 * something answered it. */
bool dnsfail_tracker_match_error(struct dnsfail_tracker *t, const struct dnsfail_error_obs *e,
                                 struct dnsfail_query_match *m);

/* A TCP segment from the server acknowledging acked (a SYN/ACK, or a reset): finds the
 * connection's SYN whose sequence number is acked - 1, before frame, and ends its wait.
 * Unlike dnsfail_tracker_match_error(), nothing else on the connection is touched: a
 * query sent on it keeps waiting for its answer. */
bool dnsfail_tracker_match_syn(struct dnsfail_tracker *t, const struct dnsfail_flow *flow, uint32_t acked,
                               uint32_t frame, struct dnsfail_query_match *m);

enum dnsfail_answer_timing {
    DNSFAIL_ANSWER_UNMATCHED = 0,  /* no remembered query has this flow and id */
    DNSFAIL_ANSWER_IN_TIME,        /* the query was waiting: now answered */
    DNSFAIL_ANSWER_LATE,           /* the query had timed out before this answer */
    DNSFAIL_ANSWER_REPEATED,       /* the query had been answered already */
};

/* The hash the tracker keys a question on: its name without case, its type and class.
 * An answer's question is looked up two or three times (its query, the client's earlier
 * tries, a failure it ends): its caller hashes it once with this and hands the hash to
 * the *_hashed calls. The calls without the suffix hash it themselves. */
uint64_t dnsfail_tracker_question_hash(const struct dnsfail_question *question);

/* A DNS answer (any RCODE), e->flow seen from the client and e->dns_id set: finds the
 * query it answers (same flow and id, before it, newest first, preferring one that asked
 * question) and ends its wait. An answer in time to a client's question also ends the
 * wait of that client's earlier tries of the question (to any server) whose deadline had
 * not passed: a retry was answered, so they are no timeouts. A late, repeated or
 * unmatched answer ends no other wait. question: the answer's question, or NULL, and
 * question_hash its dnsfail_tracker_question_hash() (ignored when question is NULL). */
enum dnsfail_answer_timing dnsfail_tracker_match_answer_hashed(struct dnsfail_tracker *t,
                                                               const struct dnsfail_error_obs *e,
                                                               const struct dnsfail_question *question,
                                                               uint64_t question_hash, struct dnsfail_query_match *m);

/* dnsfail_tracker_match_answer_hashed() for a question not hashed yet. */
static inline enum dnsfail_answer_timing dnsfail_tracker_match_answer(struct dnsfail_tracker *t,
                                                                      const struct dnsfail_error_obs *e,
                                                                      const struct dnsfail_question *question,
                                                                      struct dnsfail_query_match *m)
{
    return dnsfail_tracker_match_answer_hashed(t, e, question, question ? dnsfail_tracker_question_hash(question) : 0,
                                               m);
}

/* When the oldest waiting query times out (its time plus the timeout); INT64_MAX when no
 * query waits. Cheap enough for every frame. */
int64_t dnsfail_tracker_next_deadline(const struct dnsfail_tracker *t);

/* Takes one query whose timeout had passed by now_ns with nothing answering it, oldest
 * first; false when none is due. Call until false before handling a frame of that time.
 * A query whose question the client had an answer to in the meantime (a retry answered)
 * is skipped. A timed-out query stays remembered, so that a late answer is recognised,
 * and its question is noted as failed for its client, as dnsfail_tracker_note_failure()
 * would note it. */
bool dnsfail_tracker_take_timeout(struct dnsfail_tracker *t, int64_t now_ns, struct dnsfail_query_match *m);

/* A query the client retried is one whose next attempt (dnsfail_tracker_add_query
 * numbered it n+1: the same question from the same client to the same server, within the
 * retry window) was sent while it still waited: before any answer or ICMP error to it,
 * and before its deadline. When nothing answers it afterwards, and the client had no
 * answer to the question after sending it (a retry answered, or the answer to an earlier
 * try overtaking it), it failed even with less than the timeout of capture after it: the
 * client's own retry says it gave up. At its deadline it times out as any query does
 * (dnsfail_tracker_take_timeout, its match telling retried_after_ns); before that, the
 * two calls below say so. */

/* The query of this frame on this flow, when it still waits, was retried and is not
 * superseded by an answer to its question: the verdict on a retried query the capture
 * ended too early to time out (a later pass asks it of the query's frame). */
bool dnsfail_tracker_retried_unanswered(const struct dnsfail_tracker *t, const struct dnsfail_flow *flow,
                                        uint32_t frame, struct dnsfail_query_match *m);

/* Every query still waiting, oldest first: fn is called with failed true for the retried
 * ones that dnsfail_tracker_retried_unanswered() calls failed, false for the others (the
 * queries still waiting when the capture ended). */
void dnsfail_tracker_for_each_waiting(const struct dnsfail_tracker *t,
                                      void (*fn)(void *ctx, const struct dnsfail_query_match *m, bool failed),
                                      void *ctx);

/* Remembers that a question from this client failed (an ICMP error answered it), so
 * that a later answer can be recognised as the end of a failed-then-recovered resolution. */
void dnsfail_tracker_note_failure(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
                                  const struct dnsfail_question *question);

/* True when this client's question (of this dnsfail_tracker_question_hash()) failed
 * before and has not been answered since; the first call after a failure also forgets
 * it, so one answer ends one episode. */
bool dnsfail_tracker_take_failure_hashed(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
                                         uint64_t question_hash);

/* dnsfail_tracker_take_failure_hashed() for a question not hashed yet. */
static inline bool dnsfail_tracker_take_failure(struct dnsfail_tracker *t, const struct dnsfail_addr *client,
                                                const struct dnsfail_question *question)
{
    return dnsfail_tracker_take_failure_hashed(t, client, dnsfail_tracker_question_hash(question));
}

void dnsfail_tracker_get_stats(const struct dnsfail_tracker *t, struct dnsfail_tracker_stats *s);

/* Whether any record was forgotten to stay within bounds (stats.evicted > 0), without
 * gathering the rest of the stats: asked after every query. */
bool dnsfail_tracker_has_forgotten(const struct dnsfail_tracker *t);

#ifdef __cplusplus
}
#endif

#endif
