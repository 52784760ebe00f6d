/* incident.h - the totals and the incident summary: failed resolutions and attempts,
 * who failed to reach which server and why, and what to try.
 *
 * Fed the records of the "dnsfail" tap (tap.h) in capture order; memory is bounded
 * (at most max_resolutions questions are followed; past that the oldest are folded
 * into the totals and counted in `forgotten`).
 *
 * A resolution is one question (client, name, type, class) and its tries: a failure
 * within the retry window of the previous one for the same question continues it, a
 * later one starts a new resolution. Failures are ICMP errors (kind icmp_error) and
 * answers with a failing RCODE (kind error_answer: their reason is tcpdump's RCODE name,
 * "ServFail", reported by the server itself), TCP connections refused with a reset, and
 * queries nothing answered within the timeout (kind timeout: nobody reported them). A
 * resolution failed unless an answer (DNSFAIL_TAP_ANSWER, or DNSFAIL_TAP_NXDOMAIN) for the
 * question came after its failures. Undeliverable answers, NXDOMAIN answers and late
 * answers (DNSFAIL_TAP_LATE_ANSWER: after the query timed out) are counted apart: they are
 * not failed attempts, and late answers recover nothing.
 *
 * Order: records come in capture order of the frame they are queued on, but a timeout
 * record may come later than records of later frames (tap.h: in single pass it is queued
 * when the deadline passes, with the query's time). The ledger places every failure by
 * its own time, so the same records give the same resolutions in either order: a failure
 * joins the resolution of its question whose failures it is within the retry window of,
 * and one that falls between two resolutions within the window of both joins them into
 * one, as if it had come in time order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_INCIDENT_H
#define DNSFAIL_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnsfail/tap.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DNSFAIL_INCIDENT_DEFAULT_MAX_RESOLUTIONS 65536u

struct dnsfail_incident_config {
    uint32_t max_resolutions;      /* 0: the default */
    int64_t retry_window_ns;       /* 0: DNSFAIL_TRACKER_DEFAULT_WINDOW_NS */
};

struct dnsfail_incident_totals {
    uint64_t failed_attempts;      /* FAILURE records of kinds icmp_error, error_answer,
                                    * tcp_refused and timeout */
    uint64_t failed_resolutions;   /* resolutions with failures and no later answer */
    uint64_t recovered_resolutions;/* resolutions with failures, then an answer */
    uint64_t undeliverable_answers;/* FAILURE records of kind answer_undeliverable */
    uint64_t nxdomain_answers;     /* NXDOMAIN events: answers, counted apart */
    uint64_t forgotten;            /* resolutions folded away to stay within bounds */
    int64_t first_ns;              /* first and last failure; 0 when none */
    int64_t last_ns;
    uint64_t timeouts;             /* the failed attempts that were timeouts */
    uint64_t late_answers;         /* LATE_ANSWER events: answers after the query timed out;
                                    * counted apart, they recover nothing */
    uint64_t unanswered_at_end;    /* queries still waiting for an answer when the capture
                                    * ended (dnsfail_incident_set_unanswered): not failures */
    uint64_t retried_timeouts;     /* the timeouts the client had retried while they waited
                                    * (their record's waited_ns: the client's own wait) */
    uint64_t dns_messages;         /* DNS messages dnsfail read in the whole capture, whatever
                                    * the filter (dnsfail_incident_set_capture) */
    /* The link between a resolver's two legs (tap version 3). Upstream failures stay
     * failed attempts of the resolver as a client, in every count above: these say how
     * many of them there were, and what they explain. */
    uint64_t upstream_failures;    /* failed attempts whose client is a resolver's upstream
                                    * side: marked is_upstream, or of a client a failure of
                                    * which a later record names as its cause (cause_in), so
                                    * that single pass, which may learn it late, counts as -2 */
    uint64_t recovered_upstream_failures; /* upstream failures the resolver recovered from: its
                                    * client got an answer (UPSTREAM_RECOVERED events) */
    uint64_t failures_with_cause;  /* failed attempts and late answers a server gave its
                                    * clients that were linked to its upstream failures */
};

/* The longest filter the report repeats; a longer one is cut. */
#define DNSFAIL_INCIDENT_FILTER_MAX 1024u

struct dnsfail_incident;

struct dnsfail_incident *dnsfail_incident_new(const struct dnsfail_incident_config *config);
void dnsfail_incident_free(struct dnsfail_incident *inc);

/* Takes one tap record (a FAILURE, an ANSWER, an NXDOMAIN or a LATE_ANSWER). */
void dnsfail_incident_add(struct dnsfail_incident *inc, const struct dnsfail_tap_record *rec);

/* The same for a report or tree with a filter, which is fed every record and says of each
 * whether the filter keeps it. Every record shapes the resolutions as without a filter
 * (which failures are tries of one resolution, and which answer recovered it); only kept
 * ones are counted. A resolution counts, failed or recovered as without a filter, when
 * at least one of its failures is kept, and for each server at which one was; an answer
 * recovers it whether or not the answer is kept. NXDOMAIN answers, late answers and
 * undeliverable answers count when kept. So a filtered count is the unfiltered count of
 * what the filter keeps. */
void dnsfail_incident_add_kept(struct dnsfail_incident *inc, const struct dnsfail_tap_record *rec, bool kept);

/* The queries still waiting for an answer when the capture ended: sent less than the
 * timeout before its last frame, so neither answered nor timed out. Not failures; the
 * report mentions them. Set once the capture has been read (it replaces any earlier value). */
void dnsfail_incident_set_unanswered(struct dnsfail_incident *inc, uint64_t queries_waiting);

/* What the report says of the whole capture, whatever its filter: how many DNS messages
 * dnsfail read, and whether it analysed the capture at all (false: it was disabled). */
void dnsfail_incident_set_capture(struct dnsfail_incident *inc, uint64_t dns_messages, bool analysed);

/* The filter the report's counts went through, repeated in the report (copied, at most
 * DNSFAIL_INCIDENT_FILTER_MAX bytes); NULL or "" for none. False when out of memory. */
bool dnsfail_incident_set_filter(struct dnsfail_incident *inc, const char *filter);

/* One query still waiting for an answer when the capture ended, rec describing it as a
 * timeout record would (frame, time, flow, question): not a failure. It counts in
 * unanswered_at_end, and as an attempt still waiting of the failed resolution of its
 * question that it would continue (its time within the retry window of its failures), at
 * its server. dnsfail_incident_clear_waiting() forgets every one of them, so that the end
 * of a capture can be told again (a report drawn twice). */
void dnsfail_incident_add_waiting(struct dnsfail_incident *inc, const struct dnsfail_tap_record *rec);
void dnsfail_incident_clear_waiting(struct dnsfail_incident *inc);

void dnsfail_incident_get_totals(const struct dnsfail_incident *inc, struct dnsfail_incident_totals *totals);

/* The name of the root cause a record is linked to, as the stats tree shows it:
 * "192.0.2.53 SERVFAIL: upstream 198.51.100.53 udp port 53 unreachable" (the server as its
 * client asked it, what it gave, the cause line). False, and buf "", when the record is
 * not a failure or late answer with a cause. */
bool dnsfail_incident_root_cause_label(const struct dnsfail_tap_record *rec, char *buf, size_t size);

/* Failed resolutions in which this server was asked (for the stats tree's breakdown). */
uint64_t dnsfail_incident_failed_resolutions_for_server(const struct dnsfail_incident *inc,
                                                        const struct dnsfail_addr *server);

/* The incident summary as plain text for a report, or as JSON (docs/report-schema.json).
 * Returns a malloc'd NUL-terminated string (the caller frees it), NULL on allocation
 * failure. A capture with no failures says so ("No DNS failures"), then what else it
 * knows: DNS messages read, NXDOMAIN, late and undeliverable answers, queries still
 * waiting, the filter; or that dnsfail was disabled. */
char *dnsfail_incident_report_text(const struct dnsfail_incident *inc);
char *dnsfail_incident_report_json(const struct dnsfail_incident *inc);

/* "DNS", "mDNS", "LLMNR" by the server port, "DNS" otherwise. */
const char *dnsfail_service_name(uint16_t server_port);

#ifdef __cplusplus
}
#endif

#endif
