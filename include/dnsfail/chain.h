/* chain.h - the link from a failure a server gave its client to the server's own failures
 * as a client (its upstream failures), for a capture taken on or next to a resolver.
 *
 * A resolver R has a client-facing side (the address clients ask, S) and an upstream side
 * (the address it asks from, C): the same address, or two, when the capture holds both of
 * the resolver's interfaces. C is taken as R's upstream side when C asks a server X a
 * question (name without case, type, class) that a client other than C asked S, S not
 * being X, at most DNSFAIL_CHAIN_PAIR_MAX_NS before, and S had not answered it yet (R
 * forwarded it; C may be S). Only the query does it, as a resolver forwards at once; a
 * failure of C never makes C a resolver's.
 * Only then are C's failures remembered (at most DNSFAIL_CHAIN_MAX_FAILURES, the oldest
 * forgotten); one of them is of a forwarded question when a client of S asked it at most
 * DNSFAIL_CHAIN_FORWARD_MAX_NS before. Traffic without a resolver costs a slot in a small
 * table of the newest questions per query, a look at its set per answer, and nothing else:
 * the table of every question is kept only once a resolver is known.
 *
 * When S's client K gets an outcome (a failing answer, a late answer, a timeout, or a good
 * answer), the upstream failures of R's upstream side for queries sent from K's first try
 * of the question to that outcome explain it: "same_question" (R asked upstream K's
 * question), "ancestor" (a name K's name ends with at a label boundary, as QNAME
 * minimisation asks) or "during" (any other). An upstream failure whose question was
 * forwarded for another client's question explains only outcomes of that question, so that
 * one client's failure is never blamed on another client's.
 *
 * A refused TCP connection carries no question. One from an address not known as a
 * resolver's is kept aside; when S fails its client K, the addresses other than K that
 * had connections refused at most DNSFAIL_CHAIN_PAIR_MAX_NS after K first asked are taken
 * as S's upstream side ("during").
 *
 * Fed in capture order during the first pass. Plain C; no Wireshark header.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_CHAIN_H
#define DNSFAIL_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnsfail/addr.h"
#include "dnsfail/dns_message.h"
#include "dnsfail/duration.h"
#include "dnsfail/flow.h"
#include "dnsfail/reason.h"
#include "dnsfail/tap.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DNSFAIL_CHAIN_MAX_FAILURES 1024u   /* upstream failures remembered */
#define DNSFAIL_CHAIN_MAX_QUESTIONS 16384u /* clients' recent questions remembered */
#define DNSFAIL_CHAIN_MAX_SIDES 64u        /* resolver sides (S, C) remembered */
/* A resolver forwards a question it cannot answer from its cache within milliseconds;
 * two clients asking one name of two servers are rarely that close. A recursion ends
 * within seconds. */
#define DNSFAIL_CHAIN_PAIR_MAX_NS (10 * DNSFAIL_NS_PER_S / 1000)
#define DNSFAIL_CHAIN_FORWARD_MAX_NS (30 * DNSFAIL_NS_PER_S)

/* One failure of a query, as the chain needs it. */
struct dnsfail_chain_failure {
    uint32_t frame;                /* where the failure is shown: a timeout's query frame */
    int64_t sent_ns;               /* when the failed query was sent */
    int64_t known_ns;              /* when its failure was seen (capture order) */
    struct dnsfail_flow flow;      /* the failed query's: client C, upstream server */
    bool has_question;
    struct dnsfail_question question;
    uint8_t kind;                  /* enum dnsfail_kind */
    uint8_t diagnosis;             /* enum dnsfail_diagnosis */
    const char *reason;            /* the failure's reason, "udp port 53 unreachable" */
};

/* A client-facing outcome: server S's answer (or silence) to client K's query. */
struct dnsfail_chain_outcome {
    struct dnsfail_flow flow;      /* K's query's: client K, server S */
    bool has_question;
    struct dnsfail_question question;
    int64_t query_ns;              /* K's query (this try) */
    int64_t end_ns;                /* S's answer, or the query's deadline */
};

/* One upstream failure that explains an outcome. */
struct dnsfail_chain_cause {
    uint32_t frame;
    uint8_t match;                 /* enum dnsfail_cause_match */
    uint8_t kind;                  /* enum dnsfail_kind */
    uint8_t diagnosis;             /* enum dnsfail_diagnosis */
    struct dnsfail_addr server;    /* the upstream server */
    char text[DNSFAIL_REASON_TEXT_MAX]; /* "upstream 198.51.100.53 udp port 53 unreachable" */
};

struct dnsfail_chain;

/* NULL on allocation failure. */
struct dnsfail_chain *dnsfail_chain_new(int64_t retry_window_ns);
void dnsfail_chain_free(struct dnsfail_chain *c);
/* Forgets everything (a new capture file). */
void dnsfail_chain_reset(struct dnsfail_chain *c, int64_t retry_window_ns);

/* Every query with a question, in capture order; question_hash is its
 * dnsfail_tracker_question_hash(). */
void dnsfail_chain_note_query(struct dnsfail_chain *c, const struct dnsfail_flow *flow, uint64_t question_hash,
                              int64_t time_ns);

/* Every answer with a question, in capture order (flow: the query's, client and server):
 * a question the server has answered is no longer one a resolver forwards. */
void dnsfail_chain_note_answer(struct dnsfail_chain *c, const struct dnsfail_flow *flow, uint64_t question_hash);

/* A failure of any query. True when its client is a resolver's upstream side: the failure
 * is an upstream failure, and is remembered. A failure with no question may still be
 * found to be one later, when it explains an outcome. */
bool dnsfail_chain_note_failure(struct dnsfail_chain *c, const struct dnsfail_chain_failure *f);

/* Whether this address is a resolver's upstream side (as far as the capture has shown). */
bool dnsfail_chain_is_upstream_side(const struct dnsfail_chain *c, const struct dnsfail_addr *addr);

/* The upstream failures that explain an outcome, strongest match first, then in capture
 * order: at most max written to out; returns how many there are. failed: the outcome is a
 * failure (which may make a side of an unquestioned failure's address); otherwise (the client got its answer) only same_question and ancestor count,
 * the failures the resolver recovered from. Costs one comparison when no resolver was seen. */
uint32_t dnsfail_chain_explain(struct dnsfail_chain *c, const struct dnsfail_chain_outcome *o, bool failed,
                               struct dnsfail_chain_cause *out, uint32_t max);

/* Whether this server is known to ask upstream servers from an upstream side. */
bool dnsfail_chain_serves_from_upstream(const struct dnsfail_chain *c, const struct dnsfail_addr *server);

/* Whether an outcome of this server (a failure when failed) may have an explanation: not
 * when no upstream failure is remembered, nor when the server has no upstream side and no
 * refused connection waits for a failure to pair it. Cheap: what every answer asks first. */
bool dnsfail_chain_may_explain(const struct dnsfail_chain *c, const struct dnsfail_addr *server, bool failed);

/* The words of a match: "same_question", "ancestor", "during"; "" for none. */
const char *dnsfail_cause_match_name(enum dnsfail_cause_match m);

#ifdef __cplusplus
}
#endif

#endif
