/* report.h - the incident report's model, what both writers (report_text.c,
 * report_json.c) compute from the ledger's tables, and the words they share. Internal to
 * the core.
 *
 * The model reads the ledger's tables (incident_tables.h) and never writes them: order and
 * grouping are built apart for each report. Reasons are listed by the time of their first
 * failure (arrival order would differ between single pass, where timeouts come late, and
 * two-pass).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_REPORT_H
#define DNSFAIL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "incident_tables.h"

/* ---- words (report_format.c) ---------------------------------------------------------- */

/* The usual text form of an address; "" for an empty one. */
void report_addr_text(const struct dnsfail_addr *a, char *buf, size_t size);
/* A question's name in presentation form, escaped. */
void report_name_text(const struct dnsfail_question *q, char *buf, size_t size);
/* "A", "AAAA", ..., or "TYPE65280". */
void report_type_text(uint16_t qtype, char *buf, size_t size);
/* "IN", "CH", or "CLASS258"; the mDNS unicast-response bit is ignored. */
void report_class_text(uint16_t qclass, char *buf, size_t size);
/* The Internet class, the mDNS unicast-response bit aside. */
bool report_class_is_in(uint16_t qclass);
/* "2026-11-25 16:33:01.360997" (sep ' ') or "2026-11-25T16:33:01.360997Z" (sep 'T'). */
void report_time_text(int64_t ns, char sep, char *buf, size_t size);
/* The window's length from the printed (microsecond) times, so the numbers agree. */
void report_seconds_text(int64_t first_ns, int64_t last_ns, char *buf, size_t size);

/* ---- the model (report_model.c) -------------------------------------------------------- */

/* One failed resolution that asked one listed server. */
struct pair {
    const struct resolution *res;
    int32_t stat;
    uint32_t attempts;
    uint32_t waiting;              /* its queries still waiting when the capture ended */
};

/* One distinct question at one server. */
struct query_group {
    const struct resolution *res; /* the earliest with this question: its spelling is shown */
    uint64_t attempts;
    uint64_t waiting;             /* queries still waiting when the capture ended */
};

struct server_view {
    const struct server_stat *st;
    char addr[DNSFAIL_ADDR_TEXT_MAX];
    size_t pairs_begin, pairs_end;  /* its range in model.pairs (sorted by server, client) */
};

struct model {
    const struct dnsfail_incident *inc;
    struct server_view *servers;   /* display order */
    size_t nservers;
    struct pair *pairs;
    size_t npairs;
    struct pair *scratch;          /* a server's pairs re-sorted by question */
    struct query_group *groups;
};

/* Frees what report_model_build() allocated. */
void report_model_free(struct model *m);
/* Builds the model of inc: false on allocation failure (nothing to free then). */
bool report_model_build(struct model *m, const struct dnsfail_incident *inc);
/* The number of distinct clients of the server's failed resolutions. */
size_t report_view_client_count(const struct model *m, const struct server_view *v);
/* The server's next distinct client, in address order (*cursor starts at 0); NULL at the end. */
const struct dnsfail_addr *report_view_client(const struct model *m, const struct server_view *v, size_t *cursor);
/* Fills m->groups with the server's distinct questions, most attempts first; returns how many. */
size_t report_view_queries(struct model *m, const struct server_view *v);
/* The failed attempts of one kind of reason that the server's listed reasons account for. */
uint64_t report_listed_reason_failures(const struct server_stat *st, uint8_t kind);
/* The server's listed reasons by the time of their first failure (then as kept): the same
 * in single pass, where timeouts come late, and in two-pass. Returns how many. */
uint8_t report_reason_order(const struct server_stat *st, uint8_t idx[MAX_REASONS_PER_SERVER]);
/* The distinct diagnoses, in order of first appearance: each server's latest, then those of
 * its listed reasons, then late_answer when it had late answers; then the undeliverable
 * answers'. */
size_t report_model_diagnoses(const struct model *m, uint8_t out[DNSFAIL_DIAG_COUNT]);
/* The addresses a diagnosis applies to, without repeats (one address may have several
 * ports): calls emit(ctx, text) for each. */
void report_for_each_diagnosis_server(const struct model *m, uint8_t d, void (*emit)(void *, const char *),
                                      void *ctx);
/* The root causes in display order, by their earliest client-facing failure (then frame):
 * the same in single pass, where timeouts come late, and in two-pass. Returns how many. */
uint32_t report_root_cause_order(const struct dnsfail_incident *inc, uint32_t idx[MAX_ROOT_CAUSES]);
/* The services in display order (port, then UDP before TCP), malloc'd; NULL on allocation
 * failure. */
struct service *report_sorted_services(const struct dnsfail_incident *inc, uint32_t *n);

#endif
