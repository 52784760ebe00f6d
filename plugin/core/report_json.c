/* report_json.c - the incident report as JSON (docs/report-schema.json).
 *
 * The strings in the tables come from hostile captures, so every one goes out escaped
 * (\" \\ \uXXXX).
 *
 * Every reason carries "kind": "icmp", "answer", "tcp" or "timeout", and the
 * totals "nxdomain_answers", "timeouts", "late_answers", "unanswered_at_end" and
 * "dns_messages". The link between a resolver's legs adds the totals
 * "upstream_failures", "recovered_upstream_failures" and "failures_with_cause", and
 * "root_causes" (one object per root cause) with "root_causes_not_listed". Every member is present in every report, with or without failures or a
 * filter: "filter" is null without one, "analysed" false when dnsfail was disabled.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/incident.h"

#include <stdlib.h>
#include <string.h>

#include "incident_causes.h"
#include "report.h"
#include "strbuf.h"

#define JSON_MAX_DEPTH 16

static const char *transport_word(uint8_t transport)
{
    return transport == DNSFAIL_TRANSPORT_TCP ? "tcp" : "udp";
}

static const char *reason_kind_key(uint8_t kind)
{
    return kind == REASON_ANSWER ? "answer" : kind == REASON_TCP ? "tcp" : kind == REASON_TIMEOUT ? "timeout" : "icmp";
}

/* A JSON writer, two-space indented; it tracks commas itself. */
struct jw {
    struct sb *b;
    int depth;
    bool after_key;
    bool first[JSON_MAX_DEPTH + 1];
};

static void jw_newline(struct jw *w)
{
    sb_char(w->b, '\n');
    for (int i = 0; i < w->depth; i++)
        sb_puts(w->b, "  ");
}

static void jw_prefix(struct jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    if (!w->first[w->depth])
        sb_char(w->b, ',');
    w->first[w->depth] = false;
    jw_newline(w);
}

static void jw_raw_string(struct sb *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    sb_char(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': sb_puts(b, "\\\""); break;
        case '\\': sb_puts(b, "\\\\"); break;
        case '\n': sb_puts(b, "\\n"); break;
        case '\r': sb_puts(b, "\\r"); break;
        case '\t': sb_puts(b, "\\t"); break;
        case '\b': sb_puts(b, "\\b"); break;
        case '\f': sb_puts(b, "\\f"); break;
        default:
            if (*p < 0x20 || *p >= 0x7f) {
                /* Bytes outside ASCII as Latin-1 code points: the output stays valid UTF-8. */
                char e[7] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], '\0'};
                sb_puts(b, e);
            } else {
                sb_char(b, (char)*p);
            }
            break;
        }
    }
    sb_char(b, '"');
}

static void jw_open(struct jw *w, char c)
{
    jw_prefix(w);
    sb_char(w->b, c);
    if (w->depth < JSON_MAX_DEPTH) {
        w->depth++;
        w->first[w->depth] = true;
    } else {
        w->b->failed = true; /* cannot happen: the report nests five deep */
    }
}

static void jw_close(struct jw *w, char c)
{
    bool empty = w->first[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (!empty)
        jw_newline(w);
    sb_char(w->b, c);
}

static void jw_key(struct jw *w, const char *key)
{
    jw_prefix(w);
    jw_raw_string(w->b, key);
    sb_puts(w->b, ": ");
    w->after_key = true;
}

static void jw_string(struct jw *w, const char *s)
{
    jw_prefix(w);
    jw_raw_string(w->b, s);
}

static void jw_u64(struct jw *w, uint64_t v)
{
    jw_prefix(w);
    sb_u64(w->b, v);
}

static void jw_bare(struct jw *w, const char *literal)
{
    jw_prefix(w);
    sb_puts(w->b, literal);
}

static void jw_kv_string(struct jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_string(w, s);
}

static void jw_kv_u64(struct jw *w, const char *key, uint64_t v)
{
    jw_key(w, key);
    jw_u64(w, v);
}

static void jw_emit_string(void *ctx, const char *text)
{
    jw_string(ctx, text);
}

/* The three counts every level of the report has, a server's, the totals and the other
 * servers', in the schema's order. */
static void json_counts(struct jw *w, uint64_t failed_resolutions, uint64_t failed_attempts,
                        uint64_t recovered_resolutions)
{
    jw_kv_u64(w, "failed_resolutions", failed_resolutions);
    jw_kv_u64(w, "failed_attempts", failed_attempts);
    jw_kv_u64(w, "recovered_resolutions", recovered_resolutions);
}

/* name, type and class of a question, or nulls. */
static void json_question(struct jw *w, bool has_question, const struct dnsfail_question *q)
{
    if (!has_question) {
        jw_key(w, "name");
        jw_bare(w, "null");
        jw_key(w, "type");
        jw_bare(w, "null");
        jw_key(w, "class");
        jw_bare(w, "null");
        return;
    }
    char name[DNSFAIL_NAME_TEXT_MAX], type[24], cls[24];
    report_name_text(q, name, sizeof name);
    report_type_text(q->qtype, type, sizeof type);
    report_class_text(q->qclass, cls, sizeof cls);
    jw_kv_string(w, "name", name);
    jw_kv_string(w, "type", type);
    jw_kv_string(w, "class", cls);
}

static void json_server(struct jw *w, struct model *m, const struct server_view *v)
{
    const struct server_stat *st = v->st;
    char a[DNSFAIL_ADDR_TEXT_MAX];

    jw_open(w, '{');
    jw_kv_string(w, "address", v->addr);
    jw_kv_u64(w, "port", st->ep.port);
    jw_kv_string(w, "transport", transport_word(st->ep.transport));
    jw_kv_string(w, "service", dnsfail_service_name(st->ep.port));
    json_counts(w, st->failed_resolutions, st->failed_attempts, st->recovered_resolutions);
    jw_kv_u64(w, "timeouts", st->timeouts);
    jw_kv_u64(w, "late_answers", st->late_answers);
    jw_key(w, "late_answer_max_seconds");
    if (st->late_answers && st->late_max_waited_ns > 0) {
        char secs[40];
        report_seconds_text(0, st->late_max_waited_ns, secs, sizeof secs);
        jw_bare(w, secs);
    } else {
        jw_bare(w, "null");
    }

    jw_key(w, "clients");
    jw_open(w, '[');
    size_t cursor = 0;
    const struct dnsfail_addr *c;
    while ((c = report_view_client(m, v, &cursor)) != NULL) {
        report_addr_text(c, a, sizeof a);
        jw_string(w, a);
    }
    jw_close(w, ']');

    jw_key(w, "queries");
    jw_open(w, '[');
    size_t ngroups = report_view_queries(m, v);
    for (size_t i = 0; i < ngroups; i++) {
        jw_open(w, '{');
        json_question(w, m->groups[i].res->has_question, &m->groups[i].res->question);
        jw_kv_u64(w, "attempts", m->groups[i].attempts);
        jw_kv_u64(w, "waiting_at_end", m->groups[i].waiting);
        jw_close(w, '}');
    }
    jw_close(w, ']');

    jw_key(w, "reasons");
    jw_open(w, '[');
    uint8_t idx[MAX_REASONS_PER_SERVER];
    uint8_t nr = report_reason_order(st, idx);
    for (uint8_t i = 0; i < nr; i++) {
        const struct reason_count *rc = &st->reasons[idx[i]];
        report_addr_text(&rc->reporter, a, sizeof a);
        jw_open(w, '{');
        jw_kv_string(w, "reason", rc->reason);
        jw_kv_string(w, "kind", reason_kind_key(rc->kind));
        jw_kv_string(w, "reporter", a);
        jw_key(w, "reporter_is_server");
        jw_bare(w, rc->reporter_is_target ? "true" : "false");
        jw_kv_u64(w, "count", rc->count);
        jw_kv_string(w, "diagnosis", dnsfail_diagnosis_key((enum dnsfail_diagnosis)rc->diagnosis));
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_kv_string(w, "diagnosis", dnsfail_diagnosis_key((enum dnsfail_diagnosis)st->diagnosis));
    jw_kv_string(w, "likely_cause", dnsfail_diagnosis_text((enum dnsfail_diagnosis)st->diagnosis));
    char upstream[DNSFAIL_ADDR_TEXT_MAX] = "";
    if (st->diagnosis_upstream)
        report_addr_text(&st->upstream, upstream, sizeof upstream);
    jw_kv_string(w, "diagnosis_upstream", upstream);
    jw_close(w, '}');
}

static void json_undeliverable(struct jw *w, const struct undeliverable *u)
{
    char a[DNSFAIL_ADDR_TEXT_MAX];
    jw_open(w, '{');
    report_addr_text(&u->server.addr, a, sizeof a);
    jw_kv_string(w, "server", a);
    jw_kv_u64(w, "port", u->server.port);
    jw_kv_string(w, "transport", transport_word(u->server.transport));
    jw_kv_string(w, "service", dnsfail_service_name(u->server.port));
    report_addr_text(&u->client, a, sizeof a);
    jw_kv_string(w, "client", a);
    json_question(w, u->has_question, &u->question);
    jw_kv_string(w, "reason", u->reason);
    jw_kv_string(w, "diagnosis", dnsfail_diagnosis_key((enum dnsfail_diagnosis)u->diagnosis));
    jw_kv_u64(w, "count", u->count);
    jw_close(w, '}');
}

static const char *kind_key(uint8_t kind)
{
    return kind ? dnsfail_kind_name((enum dnsfail_kind)kind) : "unknown";
}

static void json_root_cause(struct jw *w, const struct dnsfail_incident *inc, const struct root_cause *rc)
{
    char a[DNSFAIL_ADDR_TEXT_MAX], text[DNSFAIL_REASON_TEXT_MAX];
    jw_open(w, '{');
    report_addr_text(&rc->server.addr, a, sizeof a);
    jw_kv_string(w, "server", a);
    jw_kv_u64(w, "port", rc->server.port);
    jw_kv_string(w, "transport", transport_word(rc->server.transport));
    root_cause_answer_key(rc, text, sizeof text);
    jw_kv_string(w, "answer", text);
    jw_kv_u64(w, "queries", rc->queries);
    jw_kv_u64(w, "client_count", rc->nclients);
    jw_key(w, "clients");
    jw_open(w, '[');
    for (uint16_t i = 0; i < rc->nclients && i < MAX_CAUSE_CLIENTS; i++) {
        report_addr_text(&rc->clients[i], a, sizeof a);
        jw_string(w, a);
    }
    jw_close(w, ']');
    jw_key(w, "clients_not_listed");
    jw_bare(w, rc->clients_overflow ? "true" : "false");
    report_addr_text(&rc->upstream, a, sizeof a);
    jw_kv_string(w, "upstream", a);
    jw_kv_string(w, "upstream_kind", kind_key(rc->cause_kind));
    jw_kv_string(w, "cause", rc->cause);
    root_cause_reason(rc, text, sizeof text);
    jw_kv_string(w, "reason", text);
    jw_kv_string(w, "match", root_cause_match_key(rc->match));
    jw_kv_u64(w, "upstream_failures", root_cause_upstream_failures(inc, rc));
    jw_kv_u64(w, "upstream_failures_to_upstream", root_cause_upstream_failures_there(inc, rc));
    jw_kv_u64(w, "first_frame", rc->first_frame);
    jw_kv_u64(w, "first_cause_in", rc->first_cause_in);
    jw_close(w, '}');
}

static bool json_body(struct jw *w, const struct dnsfail_incident *inc, struct model *m)
{
    const struct dnsfail_incident_totals *t = &inc->totals;
    bool any = t->failed_attempts || t->undeliverable_answers;

    jw_open(w, '{');
    jw_kv_string(w, "schema", "dnsfail-report/1");
    jw_key(w, "window");
    if (any) {
        char first[40], last[40], secs[40];
        report_time_text(t->first_ns, 'T', first, sizeof first);
        report_time_text(t->last_ns, 'T', last, sizeof last);
        report_seconds_text(t->first_ns, t->last_ns, secs, sizeof secs);
        jw_open(w, '{');
        jw_kv_string(w, "first", first);
        jw_kv_string(w, "last", last);
        jw_key(w, "seconds");
        jw_bare(w, secs);
        jw_close(w, '}');
    } else {
        jw_bare(w, "null");
    }

    jw_key(w, "services");
    jw_open(w, '[');
    uint32_t n;
    struct service *sv = report_sorted_services(inc, &n);
    if (!sv)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        jw_open(w, '{');
        jw_kv_string(w, "service", dnsfail_service_name(sv[i].port));
        jw_kv_string(w, "transport", transport_word(sv[i].transport));
        jw_kv_u64(w, "port", sv[i].port);
        jw_close(w, '}');
    }
    free(sv);
    jw_close(w, ']');

    jw_key(w, "totals");
    jw_open(w, '{');
    json_counts(w, t->failed_resolutions, t->failed_attempts, t->recovered_resolutions);
    jw_kv_u64(w, "undeliverable_answers", t->undeliverable_answers);
    jw_kv_u64(w, "nxdomain_answers", t->nxdomain_answers);
    jw_kv_u64(w, "forgotten", t->forgotten);
    jw_kv_u64(w, "timeouts", t->timeouts);
    jw_kv_u64(w, "late_answers", t->late_answers);
    jw_kv_u64(w, "unanswered_at_end", t->unanswered_at_end);
    jw_kv_u64(w, "dns_messages", t->dns_messages);
    jw_kv_u64(w, "retried_timeouts", t->retried_timeouts);
    jw_kv_u64(w, "upstream_failures", t->upstream_failures);
    jw_kv_u64(w, "recovered_upstream_failures", t->recovered_upstream_failures);
    jw_kv_u64(w, "failures_with_cause", t->failures_with_cause);
    jw_close(w, '}');

    jw_key(w, "servers");
    jw_open(w, '[');
    for (size_t s = 0; s < m->nservers; s++)
        json_server(w, m, &m->servers[s]);
    jw_close(w, ']');

    jw_key(w, "other_servers");
    jw_open(w, '{');
    json_counts(w, inc->other.failed_resolutions, inc->other.failed_attempts, inc->other.recovered_resolutions);
    jw_kv_u64(w, "timeouts", inc->other.timeouts);
    jw_kv_u64(w, "late_answers", inc->other.late_answers);
    jw_close(w, '}');

    jw_key(w, "undeliverable_answers");
    jw_open(w, '[');
    for (uint32_t i = 0; i < inc->nundeliverable && i < MAX_UNDELIVERABLE; i++)
        json_undeliverable(w, &inc->undeliverable[i]);
    jw_close(w, ']');
    jw_kv_u64(w, "undeliverable_answers_not_listed", inc->undeliverable_not_listed);

    jw_key(w, "remedies");
    jw_open(w, '[');
    uint8_t diags[DNSFAIL_DIAG_COUNT];
    size_t ndiags = report_model_diagnoses(m, diags);
    for (size_t i = 0; i < ndiags; i++) {
        jw_open(w, '{');
        jw_kv_string(w, "diagnosis", dnsfail_diagnosis_key((enum dnsfail_diagnosis)diags[i]));
        jw_key(w, "servers");
        jw_open(w, '[');
        report_for_each_diagnosis_server(m, diags[i], jw_emit_string, w);
        jw_close(w, ']');
        jw_kv_string(w, "remedy", dnsfail_diagnosis_remedy((enum dnsfail_diagnosis)diags[i]));
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_key(w, "root_causes");
    jw_open(w, '[');
    uint32_t ridx[MAX_ROOT_CAUSES];
    uint32_t nroot = report_root_cause_order(inc, ridx);
    for (uint32_t i = 0; i < nroot; i++)
        json_root_cause(w, inc, &inc->root_causes[ridx[i]]);
    jw_close(w, ']');
    jw_kv_u64(w, "root_causes_not_listed", inc->root_causes_not_listed);
    jw_key(w, "analysed");
    jw_bare(w, inc->not_analysed ? "false" : "true");
    jw_key(w, "filter");
    if (inc->filter)
        jw_string(w, inc->filter);
    else
        jw_bare(w, "null");
    jw_close(w, '}');
    sb_char(w->b, '\n');
    return true;
}

char *dnsfail_incident_report_json(const struct dnsfail_incident *inc)
{
    struct sb b = {NULL, 0, 0, false};
    struct jw w;
    struct model m;
    struct dnsfail_incident *empty = NULL;

    if (!inc) {
        empty = dnsfail_incident_new(NULL);
        if (!empty)
            return NULL;
        inc = empty;
    }
    memset(&w, 0, sizeof w);
    w.b = &b;
    if (!report_model_build(&m, inc)) {
        dnsfail_incident_free(empty);
        return NULL;
    }
    if (!json_body(&w, inc, &m))
        b.failed = true;
    report_model_free(&m);
    dnsfail_incident_free(empty);
    return sb_finish(&b);
}
