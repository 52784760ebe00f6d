/* report_text.c - the incident report as plain text.
 *
 * The strings in the tables come from hostile captures, so every one goes out escaped
 * (\DDD).
 *
 * The text report, when there are failures: a header (time window, services affected,
 * the totals line, then "NXDOMAIN answers: N (names that do not exist; not failures)"
 * when there were any), one block per server, the undeliverable answers, and what to try.
 * A server's block says why its attempts failed:
 *   "  ICMP: <reason>, reported by <address> (<who>); <reason>, ...; and N other ICMP errors"
 *       one line for all its ICMP errors, present only when it had some;
 *   "  Answer: <RCODE> from the server" and "  Answer: <RCODE> from the server (xN)"
 *       one line per distinct error answer (tcpdump's RCODE name: "ServFail", "Refused",
 *       ...), "(xN)" when it came N > 1 times, in order of first appearance;
 *   "  Answer: N other error answers" for those beyond the reasons kept per server;
 *   "  TCP: <reason> by the server (xN)" per distinct refused connection;
 *   "  Timeout: N queries got no answer within 5 s (nothing came back, not even an ICMP error)"
 *       per distinct timeout ("N TCP connection attempts" for SYNs nothing answered),
 *       and "  Timeout: N other timeouts" beyond the reasons kept;
 *   "  Late: N answers came after the client's timeout (the slowest after 6.2 s)".
 * The header says, when there are any, "Timeouts: N queries got no answer within 5 s
 * (failed attempts nobody reported)", "Late answers: N answers came after the client's
 * timeout (not failures; they recover nothing)" and "Still waiting: N queries were still
 * waiting for an answer when the capture ended (not failures)".
 * When a server's failures were linked to its own failures as a client (a resolver's
 * upstream failures), the header says "Upstream failures: N (a resolver's own failed
 * queries, among the failed attempts); recovered from: M", and a "Root causes" block
 * before the servers gives one sentence per root cause:
 *   "  Server 192.0.2.53 answered SERVFAIL to 3 queries from 2 clients because its upstream
 *    198.51.100.53 was unreachable (udp port 53 unreachable, 6 upstream failures)"
 *   "    first: frame 27, explained by frame 11 (same_question)"
 * ("did not answer N queries" for timeouts, "answered N queries late" for late answers).
 * A reason that says what the upstream did stands alone: "because its upstream
 * 198.51.100.53 answered Refused (5 upstream failures)", "... did not answer (2 upstream
 * failures)".
 * Without failures (NXDOMAIN answers alone are no failure) the text report says "No DNS
 * failures." and then, one line each and zeros included, the DNS messages seen, the
 * NXDOMAIN, late and undeliverable answers, the queries still waiting, and the filter
 * when one was given; or that dnsfail was disabled. A filtered report names its filter
 * under its first line.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/incident.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsfail/failure_text.h"
#include "dnsfail/text.h"
#include "incident_causes.h"
#include "report.h"
#include "strbuf.h"

#define TEXT_LIST_MAX 10

/* For the plain text: an empty address says so. */
static const char *addr_or_unknown(const char *text)
{
    return text[0] ? text : "unknown address";
}

static void sb_service(struct sb *b, uint16_t port, uint8_t transport)
{
    sb_puts(b, dnsfail_service_name(port));
    sb_puts(b, transport == DNSFAIL_TRANSPORT_TCP ? " over TCP port " : " over UDP port ");
    sb_u64(b, port);
}

/* A list capped at TEXT_LIST_MAX entries: "a, b, c" or "a, ..., j, and 5 more". */
struct text_list {
    struct sb *b;
    size_t shown;
    size_t total;
};

static void text_list_item(struct text_list *l, const char *text)
{
    l->total++;
    if (l->shown >= TEXT_LIST_MAX)
        return;
    if (l->shown)
        sb_puts(l->b, ", ");
    sb_puts(l->b, text);
    l->shown++;
}

static void text_list_end(struct text_list *l)
{
    if (l->total > l->shown) {
        sb_puts(l->b, ", and ");
        sb_u64(l->b, l->total - l->shown);
        sb_puts(l->b, " more");
    }
}

static void text_list_emit(void *ctx, const char *text)
{
    struct text_list *l = ctx;
    text_list_item(l, addr_or_unknown(text));
}

static void text_query(struct sb *b, const struct query_group *g)
{
    const struct resolution *r = g->res;
    if (r->has_question) {
        char name[DNSFAIL_NAME_TEXT_MAX], type[24], cls[24];
        report_name_text(&r->question, name, sizeof name);
        report_type_text(r->question.qtype, type, sizeof type);
        sb_puts(b, name);
        sb_char(b, ' ');
        sb_puts(b, type);
        if (!report_class_is_in(r->question.qclass)) {
            report_class_text(r->question.qclass, cls, sizeof cls);
            sb_char(b, ' ');
            sb_puts(b, cls);
        }
    } else {
        sb_puts(b, "(name not quoted)");
    }
    sb_puts(b, " (");
    sb_count(b, g->attempts, "attempt", "attempts");
    if (g->waiting) {
        sb_puts(b, ", and ");
        sb_u64(b, g->waiting);
        sb_puts(b, " still waiting when the capture ended");
    }
    sb_char(b, ')');
}

/* "3 queries got no answer within 5 s", "1 TCP connection attempt got no answer within 5 s";
 * a reason that does not read "no answer ..." (a record's own words) goes in parentheses. */
static void text_timeouts(struct sb *b, uint64_t n, bool no_question, const char *reason)
{
    if (no_question)
        sb_count(b, n, "TCP connection attempt", "TCP connection attempts");
    else
        sb_count(b, n, "query", "queries");
    if (strncmp(reason, "no answer", 9) == 0) {
        sb_puts(b, " got ");
        sb_text(b, reason);
    } else {
        sb_puts(b, " got no answer (");
        sb_text(b, reason[0] ? reason : "timed out");
        sb_char(b, ')');
    }
}

/* One line per listed reason of this kind, in order: "<head><reason><tail> (xN)", the
 * count only when N > 1; fallback stands for a reason the record left empty. */
static void text_counted_reasons(struct sb *b, const struct server_stat *st, const uint8_t *idx, uint8_t nr,
                                 uint8_t kind, const char *head, const char *fallback, const char *tail)
{
    for (uint8_t i = 0; i < nr; i++) {
        const struct reason_count *rc = &st->reasons[idx[i]];
        if (rc->kind != kind)
            continue;
        sb_puts(b, head);
        sb_text(b, rc->reason[0] ? rc->reason : fallback);
        sb_puts(b, tail);
        if (rc->count > 1) {
            sb_puts(b, " (x");
            sb_u64(b, rc->count);
            sb_char(b, ')');
        }
        sb_char(b, '\n');
    }
}

static void text_server(struct sb *b, struct model *m, const struct server_view *v)
{
    const struct server_stat *st = v->st;
    size_t nclients = report_view_client_count(m, v);

    sb_puts(b, "\nServer ");
    sb_puts(b, addr_or_unknown(v->addr));
    sb_puts(b, ", ");
    sb_service(b, st->ep.port, st->ep.transport);
    sb_puts(b, "\n  ");
    sb_count(b, st->failed_resolutions, "failed resolution", "failed resolutions");
    sb_puts(b, ", ");
    sb_count(b, st->failed_attempts, "failed attempt", "failed attempts");
    if (nclients) {
        sb_puts(b, ", from ");
        sb_count(b, nclients, "client", "clients");
    }
    sb_char(b, '\n');
    if (st->recovered_resolutions) {
        sb_puts(b, "  ");
        sb_count(b, st->recovered_resolutions, "resolution", "resolutions");
        sb_puts(b, " recovered after failures\n");
    }

    if (nclients) {
        struct text_list l = {b, 0, 0};
        size_t cursor = 0;
        const struct dnsfail_addr *c;
        sb_puts(b, "  Clients: ");
        while ((c = report_view_client(m, v, &cursor)) != NULL) {
            char a[DNSFAIL_ADDR_TEXT_MAX];
            report_addr_text(c, a, sizeof a);
            text_list_item(&l, addr_or_unknown(a));
        }
        text_list_end(&l);
        sb_char(b, '\n');

        size_t ngroups = report_view_queries(m, v);
        sb_puts(b, "  Queries: ");
        for (size_t i = 0; i < ngroups && i < TEXT_LIST_MAX; i++) {
            if (i)
                sb_puts(b, ", ");
            text_query(b, &m->groups[i]);
        }
        if (ngroups > TEXT_LIST_MAX) {
            sb_puts(b, ", and ");
            sb_u64(b, ngroups - TEXT_LIST_MAX);
            sb_puts(b, " more");
        }
        sb_char(b, '\n');
    }

    uint8_t idx[MAX_REASONS_PER_SERVER];
    uint8_t nr = report_reason_order(st, idx);
    uint64_t answers = st->error_answers < st->failed_attempts ? st->error_answers : st->failed_attempts;
    uint64_t resets = st->tcp_resets < st->failed_attempts - answers ? st->tcp_resets : st->failed_attempts - answers;
    uint64_t rest = st->failed_attempts - answers - resets;
    uint64_t timeouts = st->timeouts < rest ? st->timeouts : rest;
    uint64_t icmp = rest - timeouts;
    if (icmp) {
        size_t shown = 0;
        sb_puts(b, "  ICMP: ");
        for (uint8_t i = 0; i < nr; i++) {
            const struct reason_count *rc = &st->reasons[idx[i]];
            char a[DNSFAIL_ADDR_TEXT_MAX];
            if (rc->kind != REASON_ICMP)
                continue;
            report_addr_text(&rc->reporter, a, sizeof a);
            if (shown++)
                sb_puts(b, "; ");
            sb_text(b, rc->reason[0] ? rc->reason : "(no reason given)");
            sb_puts(b, ", reported by ");
            sb_puts(b, addr_or_unknown(a));
            sb_puts(b, rc->reporter_is_target ? " (the server itself)" : " (a router or firewall on the path)");
        }
        uint64_t listed = report_listed_reason_failures(st, REASON_ICMP);
        if (icmp > listed) {
            sb_puts(b, shown ? "; and " : "");
            sb_count(b, icmp - listed, "other ICMP error", "other ICMP errors");
        }
        sb_char(b, '\n');
    }
    text_counted_reasons(b, st, idx, nr, REASON_ANSWER, "  Answer: ", "(no RCODE given)", " from the server");
    text_counted_reasons(b, st, idx, nr, REASON_TCP, "  TCP: ", "connection refused", " by the server");
    uint64_t listed_answers = report_listed_reason_failures(st, REASON_ANSWER);
    if (answers > listed_answers) {
        sb_puts(b, "  Answer: ");
        sb_count(b, answers - listed_answers, "other error answer", "other error answers");
        sb_char(b, '\n');
    }
    for (uint8_t i = 0; i < nr; i++) {
        const struct reason_count *rc = &st->reasons[idx[i]];
        if (rc->kind != REASON_TIMEOUT)
            continue;
        sb_puts(b, "  Timeout: ");
        text_timeouts(b, rc->count, rc->no_question, rc->reason);
        sb_puts(b, " (nothing came back, not even an ICMP error)\n");
    }
    uint64_t listed_timeouts = report_listed_reason_failures(st, REASON_TIMEOUT);
    if (timeouts > listed_timeouts) {
        sb_puts(b, "  Timeout: ");
        sb_count(b, timeouts - listed_timeouts, "other timeout", "other timeouts");
        sb_char(b, '\n');
    }
    if (st->late_answers) {
        char secs[32];
        sb_puts(b, "  Late: ");
        sb_count(b, st->late_answers, "answer came", "answers came");
        sb_puts(b, " after the client's timeout");
        if (st->late_max_waited_ns > 0) {
            dnsfail_format_wait(st->late_max_waited_ns, secs, sizeof secs);
            sb_puts(b, st->late_answers == 1 ? " (after " : " (the slowest after ");
            sb_puts(b, secs);
            sb_char(b, ')');
        }
        sb_char(b, '\n');
    }
    sb_puts(b, "  Likely cause: ");
    if (st->diagnosis_upstream) { /* the words are about the upstream, not this server */
        char upstream[DNSFAIL_ADDR_TEXT_MAX];
        report_addr_text(&st->upstream, upstream, sizeof upstream);
        sb_puts(b, "at its upstream ");
        sb_puts(b, addr_or_unknown(upstream));
        sb_puts(b, ": ");
    }
    sb_puts(b, dnsfail_diagnosis_text((enum dnsfail_diagnosis)st->diagnosis));
    sb_char(b, '\n');
}

/* "answered SERVFAIL to 3 queries", "did not answer 2 queries", "answered 1 query late". */
static void text_root_answer(struct sb *b, const struct root_cause *rc)
{
    char what[24];
    if (rc->answer == ROOT_ANSWER_TIMEOUT) {
        sb_puts(b, "did not answer ");
        sb_count(b, rc->queries, "query", "queries");
    } else if (rc->answer == ROOT_ANSWER_LATE) {
        sb_puts(b, "answered ");
        sb_count(b, rc->queries, "query", "queries");
        sb_puts(b, " late");
    } else {
        root_cause_answer_text(rc, what, sizeof what);
        sb_puts(b, "answered ");
        sb_puts(b, what);
        sb_puts(b, " to ");
        sb_count(b, rc->queries, "query", "queries");
    }
}

/* One sentence per root cause, then where it starts in the capture. */
static void text_root_causes(struct sb *b, const struct dnsfail_incident *inc)
{
    uint32_t idx[MAX_ROOT_CAUSES];
    uint32_t n = report_root_cause_order(inc, idx);
    if (n == 0 && inc->root_causes_not_listed == 0)
        return;
    sb_puts(b, "\nRoot causes\n");
    for (uint32_t i = 0; i < n; i++) {
        const struct root_cause *rc = &inc->root_causes[idx[i]];
        char server[DNSFAIL_ADDR_TEXT_MAX], upstream[DNSFAIL_ADDR_TEXT_MAX], reason[DNSFAIL_REASON_TEXT_MAX];
        report_addr_text(&rc->server.addr, server, sizeof server);
        report_addr_text(&rc->upstream, upstream, sizeof upstream);
        root_cause_reason(rc, reason, sizeof reason);
        sb_puts(b, "  Server ");
        sb_puts(b, addr_or_unknown(server));
        sb_char(b, ' ');
        text_root_answer(b, rc);
        sb_puts(b, " from ");
        if (rc->clients_overflow)
            sb_puts(b, "at least ");
        sb_count(b, rc->nclients, "client", "clients");
        sb_puts(b, " because its upstream ");
        sb_puts(b, addr_or_unknown(upstream));
        sb_char(b, ' ');
        if (root_cause_reason_is_verb(reason)) {
            sb_text(b, reason); /* "answered Refused (5 upstream failures)" */
            sb_puts(b, " (");
        } else {
            sb_puts(b, root_cause_upstream_words(rc)); /* "was unreachable (udp port 53 unreachable, ..." */
            sb_puts(b, " (");
            sb_text(b, reason);
            sb_puts(b, ", ");
        }
        uint64_t all = root_cause_upstream_failures(inc, rc), there = root_cause_upstream_failures_there(inc, rc);
        sb_count(b, all, "upstream failure", "upstream failures");
        if (there && there < all) { /* "8 upstream failures, 4 of them to 198.51.100.21" */
            sb_puts(b, ", ");
            sb_u64(b, there);
            sb_puts(b, " of them to ");
            sb_puts(b, addr_or_unknown(upstream));
        }
        sb_puts(b, ")\n    first: frame ");
        sb_u64(b, rc->first_frame);
        sb_puts(b, ", explained by frame ");
        sb_u64(b, rc->first_cause_in);
        sb_puts(b, " (");
        sb_puts(b, root_cause_match_key(rc->match));
        sb_puts(b, ")\n");
    }
    if (inc->root_causes_not_listed) {
        sb_puts(b, "  and ");
        sb_count(b, inc->root_causes_not_listed, "other failure with a cause", "other failures with a cause");
        sb_puts(b, " not listed\n");
    }
}

static void text_undeliverable(struct sb *b, const struct dnsfail_incident *inc)
{
    sb_puts(b, "\nUndeliverable answers\n");
    for (uint32_t i = 0; i < inc->nundeliverable && i < MAX_UNDELIVERABLE; i++) {
        const struct undeliverable *u = &inc->undeliverable[i];
        char server[DNSFAIL_ADDR_TEXT_MAX], client[DNSFAIL_ADDR_TEXT_MAX];
        report_addr_text(&u->server.addr, server, sizeof server);
        report_addr_text(&u->client, client, sizeof client);
        sb_puts(b, "  ");
        if (u->has_question) {
            char name[DNSFAIL_NAME_TEXT_MAX], type[24];
            report_name_text(&u->question, name, sizeof name);
            report_type_text(u->question.qtype, type, sizeof type);
            sb_puts(b, name);
            sb_char(b, ' ');
            sb_puts(b, type);
        } else {
            sb_puts(b, "(name not quoted)");
        }
        sb_puts(b, " from ");
        sb_puts(b, addr_or_unknown(server));
        sb_puts(b, " to ");
        sb_puts(b, addr_or_unknown(client));
        sb_puts(b, ": ");
        sb_text(b, u->reason[0] ? u->reason : "(no reason given)");
        sb_puts(b, " (x");
        sb_u64(b, u->count);
        sb_puts(b, ")\n");
    }
    if (inc->undeliverable_not_listed) {
        sb_puts(b, "  and ");
        sb_u64(b, inc->undeliverable_not_listed);
        sb_puts(b, " more not listed\n");
    }
}

/* "no answer within 5 s", "no answer within 2.5 s", or "no answer within the timeout". */
static void timeout_words(int64_t timeout_ns, char *buf, size_t size)
{
    int64_t ms = timeout_ns / 1000000;
    if (ms <= 0)
        snprintf(buf, size, "no answer within the timeout");
    else
        dnsfail_format_no_answer(timeout_ns, buf, size);
}

/* The late answers and the queries still waiting at the end: not failures, said apart. */
static void text_not_failures(struct sb *b, const struct dnsfail_incident_totals *t)
{
    if (t->late_answers) {
        sb_puts(b, "Late answers: ");
        sb_count(b, t->late_answers, "answer", "answers");
        sb_puts(b, " came after the client's timeout (not failures; they recover nothing)\n");
    }
    if (t->unanswered_at_end) {
        sb_puts(b, "Still waiting: ");
        sb_count(b, t->unanswered_at_end, "query was", "queries were");
        sb_puts(b, " still waiting for an answer when the capture ended (not failures)\n");
    }
}

/* "Filter: <as given>": what the counts went through. */
static void text_filter(struct sb *b, const struct dnsfail_incident *inc)
{
    if (!inc->filter)
        return;
    sb_puts(b, "Filter: ");
    sb_text(b, inc->filter);
    sb_puts(b, " (counts what it keeps; DNS messages and queries still waiting are the whole capture's)\n");
}

static void text_header(struct sb *b, const struct dnsfail_incident *inc)
{
    char first[40], last[40], secs[40];
    const struct dnsfail_incident_totals *t = &inc->totals;

    report_time_text(t->first_ns, ' ', first, sizeof first);
    report_time_text(t->last_ns, ' ', last, sizeof last);
    report_seconds_text(t->first_ns, t->last_ns, secs, sizeof secs);
    sb_puts(b, "DNS failure report\n");
    text_filter(b, inc);
    sb_puts(b, "Time window: ");
    sb_puts(b, first);
    sb_puts(b, " to ");
    sb_puts(b, last);
    sb_puts(b, " UTC (");
    sb_puts(b, secs);
    sb_puts(b, " s)\nService affected: ");

    uint32_t n;
    struct service *sv = report_sorted_services(inc, &n);
    if (!sv) {
        b->failed = true;
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            sb_puts(b, ", ");
        sb_service(b, sv[i].port, sv[i].transport);
    }
    free(sv);
    if (inc->services_overflow)
        sb_puts(b, ", and other ports");

    sb_puts(b, "\nFailed resolutions: ");
    sb_u64(b, t->failed_resolutions);
    sb_puts(b, " (");
    sb_count(b, t->failed_attempts, "failed attempt", "failed attempts");
    sb_puts(b, "); recovered after failures: ");
    sb_u64(b, t->recovered_resolutions);
    sb_puts(b, "; undeliverable answers: ");
    sb_u64(b, t->undeliverable_answers);
    sb_char(b, '\n');
    if (t->timeouts) {
        char within[DNSFAIL_REASON_TEXT_MAX];
        timeout_words(inc->timeout_ns, within, sizeof within);
        uint64_t retried = t->retried_timeouts < t->timeouts ? t->retried_timeouts : t->timeouts;
        sb_puts(b, "Timeouts: ");
        sb_count(b, t->timeouts, "query", "queries");
        if (retried == 0) {
            sb_puts(b, " got ");
            sb_puts(b, within);
        } else if (retried == t->timeouts) {
            sb_puts(b, " got no answer before the client retried");
        } else {
            sb_puts(b, " got no answer: ");
            sb_u64(b, t->timeouts - retried);
            sb_char(b, ' ');
            sb_puts(b, strncmp(within, "no answer ", 10) == 0 ? within + 10 : within);
            sb_puts(b, ", ");
            sb_u64(b, retried);
            sb_puts(b, " before the client retried");
        }
        sb_puts(b, " (failed attempts nobody reported)\n");
    }
    text_not_failures(b, t);
    if (t->nxdomain_answers) {
        sb_puts(b, "NXDOMAIN answers: ");
        sb_u64(b, t->nxdomain_answers);
        sb_puts(b, " (names that do not exist; not failures)\n");
    }
    if (t->upstream_failures || t->recovered_upstream_failures || t->failures_with_cause) {
        sb_puts(b, "Upstream failures: ");
        sb_u64(b, t->upstream_failures);
        sb_puts(b, " (a resolver's own failed queries, among the failed attempts); recovered from: ");
        sb_u64(b, t->recovered_upstream_failures);
        sb_char(b, '\n');
    }
    if (t->forgotten) {
        sb_puts(b, "Forgotten to stay within memory bounds: ");
        sb_count(b, t->forgotten, "resolution", "resolutions");
        sb_puts(b, " (counted above, not detailed below)\n");
    }
}

/* No failure: say so, then everything else the report knows, zeros included, so that an
 * empty report is never mistaken for one that looked at nothing. */
static void text_no_failures(struct sb *b, const struct dnsfail_incident *inc)
{
    const struct dnsfail_incident_totals *t = &inc->totals;

    if (inc->not_analysed) {
        sb_puts(b, "No DNS failures: dnsfail is disabled (Analyze > Enabled Protocols, or --disable-protocol "
                   "dnsfail), so nothing was analysed.\n");
        text_filter(b, inc);
        return;
    }
    sb_puts(b, "No DNS failures.\nDNS messages seen: ");
    sb_u64(b, t->dns_messages);
    sb_puts(b, "\nNXDOMAIN answers: ");
    sb_u64(b, t->nxdomain_answers);
    sb_puts(b, " (names that do not exist; not failures)\nLate answers: ");
    sb_u64(b, t->late_answers);
    sb_puts(b, " (after the client's timeout; not failures)\nUndeliverable answers: ");
    sb_u64(b, t->undeliverable_answers);
    sb_puts(b, " (refused by the client's host)\nStill waiting: ");
    sb_count(b, t->unanswered_at_end, "query was", "queries were");
    sb_puts(b, " still waiting for an answer when the capture ended (not failures)\n");
    text_filter(b, inc);
}

char *dnsfail_incident_report_text(const struct dnsfail_incident *inc)
{
    static const struct dnsfail_incident none; /* no ledger: nothing counted, nothing known */
    struct sb b = {NULL, 0, 0, false};
    struct model m;

    if (!inc)
        inc = &none;
    if (inc->not_analysed || (inc->totals.failed_attempts == 0 && inc->totals.undeliverable_answers == 0)) {
        text_no_failures(&b, inc);
        return sb_finish(&b);
    }
    if (!report_model_build(&m, inc))
        return NULL;
    text_header(&b, inc);
    text_root_causes(&b, inc);
    for (size_t s = 0; s < m.nservers; s++)
        text_server(&b, &m, &m.servers[s]);
    if (inc->other.failed_attempts) {
        sb_puts(&b, "\nOther servers (over the limit of ");
        sb_u64(&b, MAX_SERVERS);
        sb_puts(&b, " servers, not detailed): ");
        sb_count(&b, inc->other.failed_resolutions, "failed resolution", "failed resolutions");
        sb_puts(&b, ", ");
        sb_count(&b, inc->other.failed_attempts, "failed attempt", "failed attempts");
        sb_puts(&b, "; recovered after failures: ");
        sb_u64(&b, inc->other.recovered_resolutions);
        if (inc->other.timeouts) {
            sb_puts(&b, "; timeouts: ");
            sb_u64(&b, inc->other.timeouts);
        }
        if (inc->other.late_answers) {
            sb_puts(&b, "; late answers: ");
            sb_u64(&b, inc->other.late_answers);
        }
        sb_char(&b, '\n');
    }
    if (inc->totals.undeliverable_answers)
        text_undeliverable(&b, inc);

    uint8_t diags[DNSFAIL_DIAG_COUNT];
    size_t ndiags = report_model_diagnoses(&m, diags);
    if (ndiags)
        sb_puts(&b, "\nWhat to try\n");
    for (size_t i = 0; i < ndiags; i++) {
        struct text_list l = {&b, 0, 0};
        sb_puts(&b, "  - ");
        sb_puts(&b, dnsfail_diagnosis_key((enum dnsfail_diagnosis)diags[i]));
        sb_puts(&b, " (");
        report_for_each_diagnosis_server(&m, diags[i], text_list_emit, &l);
        text_list_end(&l);
        sb_puts(&b, "): ");
        sb_puts(&b, dnsfail_diagnosis_remedy((enum dnsfail_diagnosis)diags[i]));
        sb_char(&b, '\n');
    }
    report_model_free(&m);
    return sb_finish(&b);
}
