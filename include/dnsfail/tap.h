/* tap.h - the records dnsfail queues on the Wireshark tap named "dnsfail".
 *
 * Another plugin can read them with register_tap_listener("dnsfail", ...): each call's
 * data argument points to one struct dnsfail_tap_record, valid during that call only.
 * A Lua Listener.new("dnsfail") is called for the same frames (its tapinfo is nil; read
 * the dnsfail.* fields with Field.new instead).
 *
 * One record is queued per failure (an ICMP error quoting DNS, an answer with a failing
 * RCODE, a DNS-over-TCP connection refused with a reset, a query that timed out), in
 * every pass that runs taps: tshark's single pass, the second pass of tshark -2, each
 * GUI retap. Other events are queued too: DNSFAIL_TAP_ANSWER marks a DNS answer to a
 * question that had failed before, so consumers can tell failed resolutions from failed
 * attempts, DNSFAIL_TAP_NXDOMAIN an answer saying the name does not exist, and
 * DNSFAIL_TAP_LATE_ANSWER an answer that came after its query timed out. Ignore them if
 * you only count failures.
 *
 * A timeout is known only once the capture shows the timeout passing. In a later pass
 * (tshark -2, GUI retaps) its record is queued on the query's frame; in tshark's single
 * pass and the GUI's first read, on the first frame at or after the deadline (its
 * members still describe the query: frame, time_ns, request_in). Records therefore come
 * in capture order of the frame they are queued on, not always of rec->frame. A query the
 * client retried while it waited, and that nothing answered after, is a timeout too (its
 * waited_ns the client's own wait): at its deadline like any other, but when the capture
 * ends before it, a record only in a later pass, on the query's frame (tshark's single
 * pass has no frame to queue it on; its stats tree and report count it when drawn).
 *
 * The layout only grows: new members are appended and DNSFAIL_TAP_VERSION incremented, so a
 * reader checks version >= the version it was written for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_TAP_H
#define DNSFAIL_TAP_H

#include <stdbool.h>
#include <stdint.h>

#include "dnsfail/addr.h"
#include "dnsfail/dns_message.h"
#include "dnsfail/flow.h"
#include "dnsfail/reason.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DNSFAIL_TAP_NAME "dnsfail"
#define DNSFAIL_TAP_VERSION 3

enum dnsfail_tap_event {
    DNSFAIL_TAP_FAILURE = 1,       /* a failure: see kind */
    DNSFAIL_TAP_ANSWER = 2,        /* a NOERROR answer to a question that had failed */
    DNSFAIL_TAP_NXDOMAIN = 3,      /* an NXDOMAIN answer: the name does not exist; an answer,
                                    * which also ends a run of failures of its question */
    DNSFAIL_TAP_LATE_ANSWER = 4,   /* an answer (any RCODE) to a query that had timed out: it
                                    * does not end a run of failures; request_in is the query */
    DNSFAIL_TAP_UPSTREAM_RECOVERED = 5, /* version 3: an answer that is not a failure, from a
                                    * server to its client, while that server had failed as a
                                    * client itself (cause_count upstream failures, cause_in
                                    * the first): the server recovered from them */
};

/* How an upstream failure of server R is tied to a failure R gave its own client. */
enum dnsfail_cause_match {
    DNSFAIL_CAUSE_NONE = 0,
    DNSFAIL_CAUSE_SAME_QUESTION = 1, /* "same_question": R asked upstream the client's name
                                      * (case-insensitive) and type */
    DNSFAIL_CAUSE_ANCESTOR = 2,      /* "ancestor": R asked upstream a name the client's name
                                      * ends with, as QNAME minimisation does */
    DNSFAIL_CAUSE_DURING = 3,        /* "during": any other upstream failure of R for a query
                                      * R sent while the client's query was open */
};

enum dnsfail_kind {
    DNSFAIL_KIND_ICMP_ERROR = 1,          /* "icmp_error": a query answered by an ICMP error */
    DNSFAIL_KIND_ANSWER_UNDELIVERABLE = 2,/* "answer_undeliverable": an answer the client refused */
    DNSFAIL_KIND_ERROR_ANSWER = 3,        /* an answer with a failing RCODE: dnsfail.kind is its
                                           * mnemonic, "servfail", "refused", ... (reason.h) */
    DNSFAIL_KIND_TCP_REFUSED = 4,         /* "tcp_refused": a TCP connection to the DNS port
                                           * answered by a reset */
    DNSFAIL_KIND_TIMEOUT = 5,             /* "timeout": a query (or a TCP SYN to the DNS port)
                                           * that nothing answered within the timeout */
};

struct dnsfail_tap_record {
    uint32_t version;              /* DNSFAIL_TAP_VERSION */
    uint8_t event;                 /* enum dnsfail_tap_event */
    uint8_t kind;                  /* enum dnsfail_kind; FAILURE only */
    uint32_t frame;
    int64_t time_ns;               /* absolute capture time, ns since the epoch */
    struct dnsfail_flow flow;      /* client, server, their ports, the transport */
    bool has_question;             /* the question is known (quoted, or recovered) */
    struct dnsfail_question question;
    char qname[DNSFAIL_NAME_TEXT_MAX]; /* escaped presentation form, "" when unknown */

    /* FAILURE only. */
    struct dnsfail_addr reporter;
    bool reporter_is_target;
    bool has_dns_id;
    uint16_t dns_id;
    uint8_t icmp_version;          /* 4 or 6 */
    uint8_t icmp_type;
    uint8_t icmp_code;
    uint8_t diagnosis;             /* enum dnsfail_diagnosis */
    char reason[DNSFAIL_REASON_TEXT_MAX];
    uint32_t attempt;              /* 0 when unknown */
    uint32_t request_in;           /* 0 when the query was not captured */
    bool quote_truncated;
    bool recovered;

    /* ERROR_ANSWER failures and NXDOMAIN events. */
    uint16_t rcode;                /* the 12-bit RCODE */
    bool has_ede;                  /* an Extended DNS Error came with the answer */
    uint16_t ede_code;

    /* Version 2. TIMEOUT failures and LATE_ANSWER events. */
    int64_t timeout_ns;            /* the timeout preference in force */
    int64_t waited_ns;             /* LATE_ANSWER: from the query to the answer; TIMEOUT:
                                    * the client's own wait when it retried the query while
                                    * it waited (to the retry), 0 otherwise */

    /* Version 3. FAILURE: a failure the server gave its client, explained by the server's
     * own failures as a client (upstream failures) for queries it sent while the client's
     * query was open. UPSTREAM_RECOVERED: the upstream failures recovered from. */
    uint32_t cause_count;          /* upstream failures linked; 0 when none */
    uint32_t cause_in;             /* the frame of the strongest one (the first of the best
                                    * match), 0 when none */
    uint8_t cause_match;           /* enum dnsfail_cause_match of cause_in */
    uint8_t cause_kind;            /* enum dnsfail_kind of cause_in */
    struct dnsfail_addr cause_server; /* the upstream server of cause_in */
    char cause[DNSFAIL_REASON_TEXT_MAX]; /* one line, "upstream 198.51.100.53 udp port 53
                                    * unreachable"; "" when none */
    bool is_upstream;              /* FAILURE: this failure's client was also seen as a
                                    * server, so it is an upstream failure of that resolver */
};

/* The text dnsfail.kind shows for a kind: "icmp_error", "answer_undeliverable", "tcp_refused";
 * "error_answer" for ERROR_ANSWER, whose frames show the RCODE's own kind instead. */
const char *dnsfail_kind_name(enum dnsfail_kind kind);

#ifdef __cplusplus
}
#endif

#endif
