/* failure_record.h - one failure, as the analysis found it, for failure_render.c to show.
 *
 * Each kind of failure has a file that decides, in the first pass, whether a frame
 * carries one (error_answer.c, icmp_error.c, timeout.c, tcp_dns.c). When something will
 * read the words, that file fills a record with what it knows and hands it to
 * failure_render(): the tree items, the Info note, the expert items and the tap record
 * all come from the record there, so that no kind words a fact its own way. A record is
 * made only on a frame that carries a failure, in pinfo->pool.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_FAILURE_RECORD_H
#define DNSFAIL_FAILURE_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include <epan/packet.h>

#include "dnsfail/addr.h"
#include "dnsfail/chain.h"
#include "dnsfail/dns_message.h"
#include "dnsfail/failure_text.h"
#include "dnsfail/reason.h"
#include "dnsfail/tracker.h"

/* A failure's link back to its query, found in the first pass. */
struct failure_link {
    uint32_t request_in;         /* 0: the query was not captured */
    uint32_t attempt;            /* 0: unknown */
    uint8_t match_by;            /* enum dnsfail_match_by */
    nstime_t delta;              /* from the query */
};

/* The first-pass link from a failed query to the frame that reported its failure, shown
 * on the query's frame in later passes. */
struct query_link {
    uint32_t error_in;
    uint32_t attempt;
    char what[24];               /* "ICMP error", "ServFail", ... for the Info column and the tree */
};

/* A failure's place in a resolver's chain (resolver_chain.c), found in the first pass and
 * kept per file: the upstream failures that explain it, or, on an upstream failure, the
 * failures it explains (known once they are, so shown in later passes). */
struct chain_links {
    bool is_upstream;             /* its client is a resolver's upstream side */
    bool recovered;               /* an answer in time, after upstream failures: the causes
                                   * are what the resolver recovered from */
    struct dnsfail_flow flow;     /* recovered: the answered query's */
    const struct dnsfail_question *question; /* recovered: its question, or NULL */
    uint32_t cause_count;         /* the upstream failures that explain it */
    uint32_t causes_kept;         /* causes[] holds the strongest ones, at most CHAIN_CAUSES_KEPT */
    struct dnsfail_chain_cause *causes;
    uint32_t explains_count, explains_room;
    uint32_t *explains;           /* the frames of the failures it explains */
};

enum { CHAIN_CAUSES_KEPT = 16 };

enum failure_kind {
    FAILURE_ERROR_ANSWER,         /* an answer with a failing RCODE */
    FAILURE_NXDOMAIN,             /* an answer saying the name does not exist */
    FAILURE_ICMP_ERROR,           /* an ICMP error quoting a query (or a SYN) */
    FAILURE_ANSWER_UNDELIVERABLE, /* an ICMP error quoting an answer */
    FAILURE_TIMEOUT,              /* a query nothing answered in time */
    FAILURE_LATE_ANSWER,          /* an answer after its query timed out */
    FAILURE_TCP_REFUSED,          /* a reset refusing a connection to a DNS port */
};


/* Where an item's fact is in the record's tvb. A fact read from another frame (a
 * timed-out query read again, a question recovered from the query) is generated, at 0
 * with length 0. */
struct failure_span {
    int offset;
    int length;
    bool generated;
};

/* The spans of the facts that can be in the frame's bytes. */
struct failure_spans {
    struct failure_span whole;    /* the dnsfail item: (0, -1), or (0, 0) for a timeout */
    struct failure_span qry_name, qry_type, qry_class, dns_id;
    struct failure_span transport, client, client_port, server, server_port;
    struct failure_span rcode, reason;
    struct failure_span quote_dns_bytes;
};

struct failure_record {
    enum failure_kind kind;
    tvbuff_t *tvb;                /* the bytes the spans point into */
    struct failure_spans at;
    uint32_t frame;               /* what the record describes: a timeout's is its query's */
    int64_t time_ns;
    struct dnsfail_flow flow;

    /* The question as shown: each part when known (a quote may hold only some). */
    bool has_name, has_type, has_class;
    enum dnsfail_unnamed unnamed;
    char name[DNSFAIL_NAME_TEXT_MAX]; /* escaped like dig prints it */
    uint16_t qtype, qclass;
    /* The question whole, for the tap's consumers. */
    bool has_question;
    struct dnsfail_question question;
    bool has_dns_id;
    bool dns_id_shown;            /* has_dns_id, unless only the matched query knew it */
    uint16_t dns_id;

    struct dnsfail_addr reporter; /* who said so: the ICMP error's source, or the server */
    bool reporter_is_target;
    enum dnsfail_diagnosis diagnosis;
    char reason[DNSFAIL_REASON_TEXT_MAX];
    struct failure_link link;     /* to the query; a timeout's request_in is its own frame */
    uint32_t late_answer_in;      /* a timeout: the answer that came after it; 0: none */

    uint16_t rcode;               /* answers: the 12-bit RCODE */
    bool has_ede;
    uint16_t ede_code;
    char ede_text[DNSFAIL_EDE_TEXT_MAX];

    /* ICMP errors. */
    uint8_t icmp_version, icmp_type, icmp_code;
    bool response;                /* the quote is an answer */
    bool quote_truncated;         /* it ends before the question does */
    bool quote_malformed;         /* its question is malformed: name_status says how */
    uint8_t name_status;          /* enum dnsfail_name_status */
    bool recovered;               /* the question was taken from another frame */
    uint32_t recovered_from;      /* that frame: the quoted answer's, or else the query's */
    uint32_t answer_in;           /* the quoted answer's own frame; 0: not captured */
    uint32_t quote_dns_bytes;

    int64_t timeout_ns;           /* timeouts and late answers: the preference in force */
    int64_t waited_ns;            /* late answers: from the query */

    const struct chain_links *chain; /* a resolver's chain; NULL: none */
};

/* The upstream failures that explain this failure (NULL: none); its client's failures
 * recovered from do not. */
static inline const struct chain_links *failure_record_causes(const struct failure_record *r)
{
    return r->chain && r->chain->cause_count && !r->chain->recovered ? r->chain : NULL;
}

/* The likely cause: the strongest upstream failure's when one explains the failure. */
static inline enum dnsfail_diagnosis failure_record_diagnosis(const struct failure_record *r)
{
    const struct chain_links *c = failure_record_causes(r);
    return c ? (enum dnsfail_diagnosis)c->causes[0].diagnosis : r->diagnosis;
}

/* failure_record.c */
/* A record of this kind for this frame: zeroed, with the frame, its time and the kind. */
struct failure_record *failure_record_new(packet_info *pinfo, enum failure_kind kind, tvbuff_t *tvb);
/* Every span generated at (0, 0): the facts come from another frame. */
void failure_spans_all_generated(struct failure_spans *at);
/* The question's parts, all known, from a complete question. */
void failure_record_set_question(struct failure_record *r, const struct dnsfail_question *q);
/* The link to a query the tracker matched, seen at now_ns. */
void failure_link_from_match(struct failure_link *link, const struct dnsfail_query_match *m, int64_t now_ns);

#endif
