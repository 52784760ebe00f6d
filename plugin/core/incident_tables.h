/* incident_tables.h - the tables of the incident ledger, filled by incident.c as tap
 * records arrive and read by the report (report.h). Internal to the core.
 *
 * Three bounded tables hold what the report needs:
 *   - resolutions (a ring_table of max_resolutions, oldest out first), keyed by client
 *     and question (or by client and server endpoint when the question is unknown);
 *   - servers (at most MAX_SERVERS endpoints; later ones are summed as "other
 *     servers"), counted as records arrive so that eviction of resolutions never
 *     changes a server's counts;
 *   - undeliverable answers and services (small fixed arrays).
 * Timeouts are failures like the others (REASON_TIMEOUT, no reporter); late answers are
 * counted per server (when the server already failed) and in the totals.
 * The definitions are here rather than behind accessors because the report walks every
 * field of them; only the ledger writes to them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_INCIDENT_TABLES_H
#define DNSFAIL_INCIDENT_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnsfail/flow.h"
#include "dnsfail/incident.h"
#include "ring_table.h"

#define MAX_SERVERS_PER_RESOLUTION 4
#define MAX_SERVERS 1024u
#define MAX_REASONS_PER_SERVER 8
#define MAX_UNDELIVERABLE 64
#define MAX_SERVICES 64
#define MAX_ROOT_CAUSES 64
#define MAX_CAUSE_CLIENTS 64
#define MAX_UPSTREAM_REASONS 4096u
#define MAX_UPSTREAM_RECOVERED 64
#define MAX_RECOVERED_CHAINS 256
#define MAX_CLIENT_TALLIES 4096u
#define RECENT_FAILURES 1024
#define RECENT_CAUSES 256

struct endpoint {
    struct dnsfail_addr addr;
    uint16_t port;
    uint8_t transport;             /* DNSFAIL_TRANSPORT_UDP or DNSFAIL_TRANSPORT_TCP */
};

struct resolution_server {
    struct endpoint ep;
    int32_t stat;                  /* slot in the server table; -1: "other servers" */
    uint32_t attempts;
    uint32_t waiting;              /* its queries still waiting when the capture ended */
};

/* One question of one client and its failed tries. */
struct resolution {
    uint64_t seq;                  /* creation order: the latest of a key wins */
    struct dnsfail_addr client;
    bool has_question;
    struct dnsfail_question question;  /* when has_question; wire_len <= 255 */
    struct endpoint key_server;        /* when !has_question: part of the key */
    int64_t first_ns;
    int64_t last_ns;
    uint32_t attempts;
    bool recovered;
    bool counted;                  /* a failure of it was kept (the report's filter): it counts
                                    * in the totals; without, it only places later failures */
    bool merged;                   /* folded into an older resolution (a late timeout bridged
                                    * them): no longer a resolution, its slot waits for reuse */
    /* The latest failure (by time). */
    uint8_t diagnosis;
    bool reporter_is_target;
    struct dnsfail_addr reporter;
    uint8_t nservers;
    struct resolution_server servers[MAX_SERVERS_PER_RESOLUTION];
};

/* What a reason is: an ICMP error, or an answer with a failing RCODE (an error answer;
 * its reporter is the server itself). */
enum reason_kind {
    REASON_ICMP = 0,
    REASON_ANSWER = 1,
    REASON_TCP = 2,                /* a TCP connection refused with a reset */
    REASON_TIMEOUT = 3,            /* nothing answered within the timeout; nobody reported it */
};

struct reason_count {
    uint8_t kind;                  /* enum reason_kind */
    char reason[DNSFAIL_REASON_TEXT_MAX];
    struct dnsfail_addr reporter;
    bool reporter_is_target;
    uint8_t diagnosis;
    bool diagnosis_upstream;       /* the diagnosis is an upstream failure's (the plugin linked
                                    * the failure to its resolver's own): it is about upstream */
    struct dnsfail_addr upstream;
    bool no_question;              /* REASON_TIMEOUT: a TCP SYN nothing answered (no query sent) */
    int64_t first_ns;              /* its earliest failure: the report lists reasons by it */
    uint64_t count;
};

struct server_stat {
    struct endpoint ep;
    uint64_t failed_resolutions;   /* resolutions that asked it, failed and not recovered */
    uint64_t recovered_resolutions;
    uint64_t failed_attempts;      /* ICMP errors and error answers */
    uint64_t error_answers;        /* the failed attempts that were error answers */
    uint64_t tcp_resets;           /* ... and TCP connections refused with a reset */
    uint64_t timeouts;             /* ... and queries nothing answered within the timeout */
    uint64_t late_answers;         /* answers after the query had timed out: not failures */
    int64_t late_max_waited_ns;    /* the slowest of them */
    uint8_t diagnosis;             /* of its latest failure (by time) */
    bool diagnosis_upstream;       /* ... which is about its upstream, as reason_count's */
    struct dnsfail_addr upstream;
    bool have_diagnosis;
    int64_t diagnosis_ns;          /* the time of that failure */
    uint8_t nreasons;
    struct reason_count reasons[MAX_REASONS_PER_SERVER];
};

struct other_servers {
    uint64_t failed_resolutions;
    uint64_t recovered_resolutions;
    uint64_t failed_attempts;
    uint64_t timeouts;
    uint64_t late_answers;
};

struct undeliverable {
    struct endpoint server;
    struct dnsfail_addr client;
    bool has_question;
    struct dnsfail_question question;
    char reason[DNSFAIL_REASON_TEXT_MAX];
    uint8_t diagnosis;
    uint64_t count;
};

struct service {
    uint16_t port;
    uint8_t transport;
};

/* What a resolver gave its client, when that failure was linked to its upstream failures. */
enum root_answer {
    ROOT_ANSWER_ERROR = 0,         /* an answer with a failing RCODE: see rcode */
    ROOT_ANSWER_TIMEOUT = 1,       /* no answer within the timeout */
    ROOT_ANSWER_LATE = 2,          /* an answer after the client's timeout */
};

/* One root cause: the failures one server gave its clients (one answer), explained by its
 * failures as a client toward one upstream server, for one reason (the cause line). */
struct root_cause {
    struct endpoint server;        /* the resolver as its clients asked it */
    uint8_t answer;                /* enum root_answer */
    uint16_t rcode;                /* ROOT_ANSWER_ERROR */
    struct dnsfail_addr upstream;
    uint8_t cause_kind;            /* enum dnsfail_kind of the upstream failures */
    char cause[DNSFAIL_REASON_TEXT_MAX];
    uint8_t match;                 /* the strongest enum dnsfail_cause_match among its failures */
    uint64_t queries;              /* the client-facing failures (late answers) it explains */
    uint32_t linked_max;           /* the most upstream failures one of them was linked to */
    int64_t first_ns;              /* its earliest client-facing failure, its frame and cause */
    uint32_t first_frame;
    uint32_t first_cause_in;
    uint16_t nclients;             /* distinct clients, at most MAX_CAUSE_CLIENTS told apart */
    bool clients_overflow;         /* more clients than that: nclients is a lower bound */
    struct dnsfail_addr clients[MAX_CAUSE_CLIENTS];
};

/* The failed attempts of one client toward one server, of one kind: the upstream
 * failures behind a root cause, once the client is known to be a resolver's upstream side. */
struct upstream_reason {
    struct dnsfail_addr client;
    struct dnsfail_addr upstream;
    uint8_t kind;                  /* enum dnsfail_kind */
    uint64_t count;                /* kept failed attempts */
    uint64_t marked;               /* of those, marked is_upstream by their record */
};

/* Upstream failures recovered from (UPSTREAM_RECOVERED events), by upstream server and kind. */
struct upstream_recovered {
    struct dnsfail_addr upstream;
    uint8_t kind;
    uint64_t count;
};

/* A failing client's failed attempts, for telling its upstream failures once it is known
 * to be a resolver's upstream side: a failure the record did not mark is_upstream (single
 * pass could not know yet: a refused TCP connection carries no question) becomes one when
 * a later record names a failure of the same client as its cause. */
struct client_tally {
    struct dnsfail_addr client;
    uint64_t failures;             /* kept failed attempts */
    uint64_t marked;               /* of those, marked is_upstream by their record */
    bool upstream_side;            /* a failure of it was named as a cause (cause_in) */
};

/* A recent failed attempt's frame and client, and a recent cause's frame: either may come
 * first (single pass queues timeouts late). */
struct recent_failure {
    uint32_t frame;
    struct dnsfail_addr client;
};

/* Upstream failures recovered from, by the first of them (cause_in): two answers that
 * recovered from the same chain count it once, as the longer of the two. */
struct recovered_chain {
    uint32_t cause_in;
    uint32_t count;
};

struct dnsfail_incident {
    struct dnsfail_incident_config config;
    struct ring_table resolutions;
    struct ring_table servers;     /* never evicts: inserts stop at MAX_SERVERS */
    uint64_t next_seq;
    struct dnsfail_incident_totals totals;
    bool have_time;
    int64_t timeout_ns;            /* of the latest timeout record that gave one; 0: unknown */
    struct other_servers other;
    uint32_t nundeliverable;
    uint64_t undeliverable_not_listed;
    struct undeliverable undeliverable[MAX_UNDELIVERABLE];
    uint32_t nservices;
    bool services_overflow;
    struct service services[MAX_SERVICES];
    uint32_t nroot_causes;
    uint64_t root_causes_not_listed; /* client-facing failures of root causes past the table */
    struct root_cause root_causes[MAX_ROOT_CAUSES];
    struct ring_table upstream_reasons; /* struct upstream_reason by client, server and kind;
                                    * never evicts: inserts stop at MAX_UPSTREAM_REASONS */
    uint32_t nupstream_recovered;
    struct upstream_recovered upstream_recovered[MAX_UPSTREAM_RECOVERED];
    struct ring_table client_tallies; /* struct client_tally by client; never evicts: inserts
                                    * stop at MAX_CLIENT_TALLIES */
    uint32_t recent_failures_next; /* ring positions; entries with frame 0 are empty */
    struct recent_failure recent_failures[RECENT_FAILURES];
    uint32_t recent_causes_next;
    uint32_t recent_causes_seen;   /* how many of recent_causes hold a frame (a capture with
                                    * no chain never scans them) */
    uint32_t recent_causes[RECENT_CAUSES];
    uint32_t nrecovered_chains;
    struct recovered_chain recovered_chains[MAX_RECOVERED_CHAINS];
    char *filter;                  /* the report's filter as given (malloc'd); NULL: none */
    bool not_analysed;             /* dnsfail was disabled: nothing was looked at */
};

/* A diagnosis as the tables hold it: out of range is unknown. The ledger cleans each one
 * on the way in; the report cleans again because it indexes arrays with it. */
static inline uint8_t incident_clean_diagnosis(uint8_t d)
{
    return d < DNSFAIL_DIAG_COUNT ? d : (uint8_t)DNSFAIL_DIAG_UNKNOWN;
}

/* Names compare without case (DNS 0x20); negative, zero, positive like memcmp. One
 * comparison for both files: the ledger's keys and the report's grouping must agree. */
int incident_question_cmp(const struct dnsfail_question *a, const struct dnsfail_question *b);


#endif
