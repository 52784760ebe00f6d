/* incident_causes.h - the link between a resolver's two legs, as the ledger counts it and
 * the report words it (incident_causes.c). Internal to the core.
 *
 * A root cause is one group of failures a server gave its clients (one answer: an RCODE,
 * a timeout, a late answer) that the plugin linked to the server's own failures as a
 * client toward one upstream server, for one reason (the record's cause line). Upstream
 * failures are counted by upstream server and kind: the resolver may ask its upstreams
 * from another address than the one its clients ask (192.0.2.53 toward them, 198.51.100.2
 * toward its upstreams), so they cannot be told apart by the resolver's address.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_INCIDENT_CAUSES_H
#define DNSFAIL_INCIDENT_CAUSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "incident_input.h"
#include "incident_tables.h"

/* A kept record's part in the link: an upstream failure (is_upstream), a client-facing
 * failure or late answer with a cause, or upstream failures recovered from. */
void incident_count_link(struct dnsfail_incident *inc, const struct input *in);

/* What the server gave its clients: "SERVFAIL", "REFUSED", "RCODE_11" ...; "timeout";
 * "late answer". */
void root_cause_answer_text(const struct root_cause *rc, char *buf, size_t size);
/* The same as a stable key for JSON: "servfail", "refused", "rcode_11", "timeout", "late". */
void root_cause_answer_key(const struct root_cause *rc, char *buf, size_t size);
/* The upstream failure's reason: the cause line without its "upstream ADDRESS " head
 * ("udp port 53 unreachable"); the kind's words when the line is empty. */
void root_cause_reason(const struct root_cause *rc, char *buf, size_t size);
/* Whether a reason reads as what the upstream did ("answered Refused", "did not answer"):
 * the sentence then says it as it is, rather than after root_cause_upstream_words. */
bool root_cause_reason_is_verb(const char *reason);
/* What the upstream did, as the root-cause sentence says it: "was unreachable", "did not
 * answer", "answered with an error", "refused the TCP connections". */
const char *root_cause_upstream_words(const struct root_cause *rc);
/* "same_question", "ancestor", "during". */
const char *root_cause_match_key(uint8_t match);
/* The upstream failures behind a root cause: those counted toward its upstream server of
 * its kind, less those recovered from, and never fewer than one of its failures was
 * linked to (a resolver that asks several upstreams fails toward each: the link counts
 * them all, while the root cause names the strongest one's upstream). */
uint64_t root_cause_upstream_failures(const struct dnsfail_incident *inc, const struct root_cause *rc);
/* Of those, the ones toward the upstream server the root cause names. */
uint64_t root_cause_upstream_failures_there(const struct dnsfail_incident *inc, const struct root_cause *rc);

#endif
