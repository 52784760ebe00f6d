/* incident_causes.c - the link between a resolver's two legs, counted into the ledger's
 * tables as the tap records arrive, and the words the report and the stats tree give it
 * (incident_causes.h).
 *
 * The tables are small and fixed: a capture has few resolvers, few upstream servers and
 * few reasons. What does not fit is counted in the totals and said to be not listed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "incident_causes.h"

#include <stdio.h>
#include <string.h>

#include "dnsfail/incident.h"
#include "dnsfail/reason.h"

static bool endpoint_same(const struct endpoint *a, const struct endpoint *b)
{
    return a->port == b->port && a->transport == b->transport && dnsfail_addr_equal(&a->addr, &b->addr);
}

/* ---- counting --------------------------------------------------------------------- */

/* The upstream failures toward one upstream server of one kind; NULL when the table is full. */
static struct upstream_reason *upstream_reason_of(struct dnsfail_incident *inc, const struct dnsfail_addr *upstream,
                                                  uint8_t kind)
{
    for (uint32_t i = 0; i < inc->nupstream_reasons; i++) {
        struct upstream_reason *u = &inc->upstream_reasons[i];
        if (u->kind == kind && dnsfail_addr_equal(&u->upstream, upstream))
            return u;
    }
    if (inc->nupstream_reasons >= MAX_UPSTREAM_REASONS)
        return NULL;
    struct upstream_reason *u = &inc->upstream_reasons[inc->nupstream_reasons++];
    memset(u, 0, sizeof *u);
    u->upstream = *upstream;
    u->kind = kind;
    return u;
}

static void count_upstream_failure(struct dnsfail_incident *inc, const struct input *in)
{
    inc->totals.upstream_failures++;
    struct upstream_reason *u = upstream_reason_of(inc, &in->server.addr, in->kind);
    if (u)
        u->count++; /* else in the total only */
}

/* What the server gave its client, for the records that can be a root cause's. */
static bool client_facing_answer(const struct input *in, uint8_t *answer)
{
    if (in->event == DNSFAIL_TAP_LATE_ANSWER) {
        *answer = ROOT_ANSWER_LATE;
        return true;
    }
    if (in->event != DNSFAIL_TAP_FAILURE)
        return false;
    if (in->kind == DNSFAIL_KIND_ERROR_ANSWER)
        *answer = ROOT_ANSWER_ERROR;
    else if (in->kind == DNSFAIL_KIND_TIMEOUT)
        *answer = ROOT_ANSWER_TIMEOUT;
    else
        return false;
    return true;
}

static bool root_cause_matches(const struct root_cause *rc, const struct input *in, uint8_t answer)
{
    return rc->answer == answer && (answer != ROOT_ANSWER_ERROR || rc->rcode == in->rcode) &&
           rc->cause_kind == in->cause_kind && endpoint_same(&rc->server, &in->server) &&
           dnsfail_addr_equal(&rc->upstream, &in->cause_server) && strcmp(rc->cause, in->cause) == 0;
}

static void note_client(struct root_cause *rc, const struct dnsfail_addr *client)
{
    for (uint16_t i = 0; i < rc->nclients && i < MAX_CAUSE_CLIENTS; i++) {
        if (dnsfail_addr_equal(&rc->clients[i], client))
            return;
    }
    if (rc->nclients >= MAX_CAUSE_CLIENTS) {
        rc->clients_overflow = true;
        return;
    }
    rc->clients[rc->nclients++] = *client;
}

/* The strongest of two matches: same_question, then ancestor, then during. */
static uint8_t stronger_match(uint8_t a, uint8_t b)
{
    if (a == DNSFAIL_CAUSE_NONE)
        return b;
    if (b == DNSFAIL_CAUSE_NONE)
        return a;
    return a < b ? a : b;
}

static void count_root_cause(struct dnsfail_incident *inc, const struct input *in, uint8_t answer)
{
    struct root_cause *rc = NULL;
    for (uint32_t i = 0; i < inc->nroot_causes && !rc; i++) {
        if (root_cause_matches(&inc->root_causes[i], in, answer))
            rc = &inc->root_causes[i];
    }
    if (!rc) {
        if (inc->nroot_causes >= MAX_ROOT_CAUSES) {
            inc->root_causes_not_listed++;
            return;
        }
        rc = &inc->root_causes[inc->nroot_causes++];
        memset(rc, 0, sizeof *rc);
        rc->server = in->server;
        rc->answer = answer;
        rc->rcode = answer == ROOT_ANSWER_ERROR ? in->rcode : 0;
        rc->upstream = in->cause_server;
        rc->cause_kind = in->cause_kind;
        memcpy(rc->cause, in->cause, sizeof rc->cause);
        rc->first_ns = in->time_ns;
        rc->first_frame = in->frame;
        rc->first_cause_in = in->cause_in;
    }
    rc->queries++;
    rc->match = stronger_match(rc->match, in->cause_match);
    if (in->cause_count > rc->linked_max)
        rc->linked_max = in->cause_count;
    /* The earliest by time, not arrival: a timeout comes late in single pass. */
    if (in->time_ns < rc->first_ns || (in->time_ns == rc->first_ns && in->frame < rc->first_frame)) {
        rc->first_ns = in->time_ns;
        rc->first_frame = in->frame;
        rc->first_cause_in = in->cause_in;
    }
    note_client(rc, &in->client);
}

/* More upstream failures recovered from, toward the event's upstream server. */
static void add_recovered(struct dnsfail_incident *inc, const struct input *in, uint64_t n)
{
    inc->totals.recovered_upstream_failures += n;
    struct upstream_reason *u = upstream_reason_of(inc, &in->cause_server, in->cause_kind);
    if (u)
        u->recovered += n;
}

static void count_recovered(struct dnsfail_incident *inc, const struct input *in)
{
    for (uint32_t i = 0; i < inc->nrecovered_chains; i++) {
        struct recovered_chain *c = &inc->recovered_chains[i];
        if (c->cause_in == in->cause_in) {
            if (in->cause_count > c->count) {
                add_recovered(inc, in, in->cause_count - c->count);
                c->count = in->cause_count;
            }
            return;
        }
    }
    add_recovered(inc, in, in->cause_count);
    if (inc->nrecovered_chains < MAX_RECOVERED_CHAINS) {
        inc->recovered_chains[inc->nrecovered_chains].cause_in = in->cause_in;
        inc->recovered_chains[inc->nrecovered_chains].count = in->cause_count;
        inc->nrecovered_chains++;
    }
}

static bool is_failed_attempt(const struct input *in)
{
    return in->event == DNSFAIL_TAP_FAILURE &&
           (in->kind == DNSFAIL_KIND_ICMP_ERROR || in->kind == DNSFAIL_KIND_ERROR_ANSWER ||
            in->kind == DNSFAIL_KIND_TCP_REFUSED || in->kind == DNSFAIL_KIND_TIMEOUT);
}

void incident_count_link(struct dnsfail_incident *inc, const struct input *in)
{
    if (!in->kept)
        return;
    if (in->is_upstream && is_failed_attempt(in))
        count_upstream_failure(inc, in);
    if (in->cause_count == 0)
        return;
    if (in->event == DNSFAIL_TAP_UPSTREAM_RECOVERED) {
        count_recovered(inc, in);
        return;
    }
    uint8_t answer;
    if (!client_facing_answer(in, &answer))
        return;
    inc->totals.failures_with_cause++;
    count_root_cause(inc, in, answer);
}

/* ---- words ------------------------------------------------------------------------ */

static void upper(char *s)
{
    for (; *s; s++) {
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - ('a' - 'A'));
    }
}

void root_cause_answer_key(const struct root_cause *rc, char *buf, size_t size)
{
    if (rc->answer == ROOT_ANSWER_TIMEOUT)
        snprintf(buf, size, "timeout");
    else if (rc->answer == ROOT_ANSWER_LATE)
        snprintf(buf, size, "late");
    else
        dnsfail_rcode_kind(rc->rcode, buf, size);
}

void root_cause_answer_text(const struct root_cause *rc, char *buf, size_t size)
{
    if (rc->answer == ROOT_ANSWER_TIMEOUT) {
        snprintf(buf, size, "timeout");
    } else if (rc->answer == ROOT_ANSWER_LATE) {
        snprintf(buf, size, "late answer");
    } else {
        dnsfail_rcode_kind(rc->rcode, buf, size);
        upper(buf);
    }
}

static const char *kind_reason(uint8_t kind)
{
    switch (kind) {
    case DNSFAIL_KIND_ICMP_ERROR: return "ICMP error";
    case DNSFAIL_KIND_ERROR_ANSWER: return "error answer";
    case DNSFAIL_KIND_TCP_REFUSED: return "TCP connection refused";
    case DNSFAIL_KIND_TIMEOUT: return "no answer";
    default: return "failed";
    }
}

bool root_cause_reason_is_verb(const char *reason)
{
    static const char *const verbs[] = {"answered ", "did not answer", "refused "};
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        if (strncmp(reason, verbs[i], strlen(verbs[i])) == 0)
            return true;
    }
    return false;
}

void root_cause_reason(const struct root_cause *rc, char *buf, size_t size)
{
    char addr[DNSFAIL_ADDR_TEXT_MAX], head[DNSFAIL_ADDR_TEXT_MAX + 16];
    const char *text = rc->cause;
    dnsfail_addr_format(&rc->upstream, addr, sizeof addr);
    snprintf(head, sizeof head, "upstream %s ", addr);
    if (strncmp(text, head, strlen(head)) == 0 && text[strlen(head)] != '\0')
        text += strlen(head);
    snprintf(buf, size, "%s", text[0] ? text : kind_reason(rc->cause_kind));
}

const char *root_cause_upstream_words(const struct root_cause *rc)
{
    switch (rc->cause_kind) {
    case DNSFAIL_KIND_ICMP_ERROR: return "was unreachable";
    case DNSFAIL_KIND_ERROR_ANSWER: return "answered with an error";
    case DNSFAIL_KIND_TCP_REFUSED: return "refused the TCP connections";
    case DNSFAIL_KIND_TIMEOUT: return "did not answer";
    default: return "failed";
    }
}

const char *root_cause_match_key(uint8_t match)
{
    switch (match) {
    case DNSFAIL_CAUSE_SAME_QUESTION: return "same_question";
    case DNSFAIL_CAUSE_ANCESTOR: return "ancestor";
    case DNSFAIL_CAUSE_DURING: return "during";
    default: return "none";
    }
}

uint64_t root_cause_upstream_failures(const struct dnsfail_incident *inc, const struct root_cause *rc)
{
    uint64_t n = 0;
    for (uint32_t i = 0; i < inc->nupstream_reasons && i < MAX_UPSTREAM_REASONS; i++) {
        const struct upstream_reason *u = &inc->upstream_reasons[i];
        if (u->kind == rc->cause_kind && dnsfail_addr_equal(&u->upstream, &rc->upstream))
            n += u->count > u->recovered ? u->count - u->recovered : 0; /* recovered ones explain no failure */
    }
    return n > rc->linked_max ? n : rc->linked_max;
}

bool dnsfail_incident_root_cause_label(const struct dnsfail_tap_record *rec, char *buf, size_t size)
{
    struct input in;
    struct root_cause rc;
    uint8_t answer;

    if (!buf || size == 0)
        return false;
    buf[0] = '\0';
    if (!rec || rec->version < 3)
        return false;
    incident_clean_record(&in, rec);
    if (in.cause_count == 0 || !client_facing_answer(&in, &answer))
        return false;
    memset(&rc, 0, sizeof rc);
    rc.answer = answer;
    rc.rcode = in.rcode;
    rc.cause_kind = in.cause_kind;
    rc.upstream = in.cause_server;
    char server[DNSFAIL_ADDR_TEXT_MAX], what[24], cause[DNSFAIL_REASON_TEXT_MAX + DNSFAIL_ADDR_TEXT_MAX + 16];
    dnsfail_addr_format(&in.server.addr, server, sizeof server);
    root_cause_answer_text(&rc, what, sizeof what);
    if (in.cause[0]) {
        snprintf(cause, sizeof cause, "%s", in.cause);
    } else {
        char upstream[DNSFAIL_ADDR_TEXT_MAX];
        dnsfail_addr_format(&in.cause_server, upstream, sizeof upstream);
        snprintf(cause, sizeof cause, "upstream %s %s", upstream, kind_reason(in.cause_kind));
    }
    snprintf(buf, size, "%s %s: %s", server, what, cause);
    return true;
}
