/* incident_causes.c - the link between a resolver's two legs, counted into the ledger's
 * tables as the tap records arrive, and the words the report and the stats tree give it
 * (incident_causes.h).
 *
 * Every failed attempt is tallied by client, and by client, server and kind (hashed,
 * bounded tables), because whether its client is a resolver's upstream side may be known
 * only later: when a record names a failure of that client as its cause. The root causes
 * and the chains recovered from are few, in small fixed arrays; what does not fit is
 * counted in the totals and said to be not listed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "incident_causes.h"

#include <stdio.h>
#include <string.h>

#include "addr_key.h"
#include "dnsfail/incident.h"
#include "dnsfail/reason.h"

static bool endpoint_same(const struct endpoint *a, const struct endpoint *b)
{
    return a->port == b->port && a->transport == b->transport && dnsfail_addr_equal(&a->addr, &b->addr);
}

/* ---- counting --------------------------------------------------------------------- */

static uint64_t upstream_reason_hash(const struct dnsfail_addr *client, const struct dnsfail_addr *upstream,
                                     uint8_t kind)
{
    return addr_key_hash(addr_key_hash(ring_hash_word(RING_HASH_SEED, kind), client), upstream);
}

/* A client's failed attempts toward one server of one kind; NULL when the table is full. */
static struct upstream_reason *upstream_reason_of(struct dnsfail_incident *inc, const struct input *in)
{
    struct ring_table *t = &inc->upstream_reasons;
    uint64_t h = upstream_reason_hash(&in->client, &in->server.addr, in->kind);
    for (int32_t s = ring_table_first(t, h); s != -1; s = ring_table_next(t, s, h)) {
        struct upstream_reason *u = ring_table_record(t, s);
        if (u->kind == in->kind && dnsfail_addr_equal(&u->upstream, &in->server.addr) &&
            dnsfail_addr_equal(&u->client, &in->client))
            return u;
    }
    if (t->count >= MAX_UPSTREAM_REASONS)
        return NULL;
    int32_t s = ring_table_insert(t, h);
    if (s == -1)
        return NULL;
    struct upstream_reason *u = ring_table_record(t, s);
    u->client = in->client;
    u->upstream = in->server.addr;
    u->kind = in->kind;
    return u;
}

/* A client's tally, or NULL. */
static struct client_tally *client_tally_lookup(const struct ring_table *t, const struct dnsfail_addr *client,
                                                uint64_t h)
{
    for (int32_t s = ring_table_first(t, h); s != -1; s = ring_table_next(t, s, h)) {
        struct client_tally *c = ring_table_record(t, s);
        if (dnsfail_addr_equal(&c->client, client))
            return c;
    }
    return NULL;
}

/* A client's tally, created if there is room; NULL when the table is full. */
static struct client_tally *client_tally_of(struct dnsfail_incident *inc, const struct dnsfail_addr *client)
{
    struct ring_table *t = &inc->client_tallies;
    uint64_t h = addr_key_hash(RING_HASH_SEED, client);
    struct client_tally *c = client_tally_lookup(t, client, h);
    if (c || t->count >= MAX_CLIENT_TALLIES)
        return c;
    int32_t s = ring_table_insert(t, h);
    if (s == -1)
        return NULL;
    c = ring_table_record(t, s);
    c->client = *client;
    return c;
}

/* A client is a resolver's upstream side: its failures not marked so far are upstream
 * failures too. */
static void learn_upstream_side(struct dnsfail_incident *inc, const struct dnsfail_addr *client)
{
    struct client_tally *t = client_tally_of(inc, client);
    if (!t || t->upstream_side)
        return;
    t->upstream_side = true;
    inc->totals.upstream_failures += t->failures - t->marked;
}

/* Every failed attempt, kept or not (a cause's frame may be one the filter drops): its
 * frame, so that a cause naming it tells its client; and a cause named before it came. */
static void note_failure_frame(struct dnsfail_incident *inc, const struct input *in)
{
    if (in->frame == 0)
        return;
    for (uint32_t i = 0; i < inc->recent_causes_seen && i < RECENT_CAUSES; i++) {
        if (inc->recent_causes[i] == in->frame) {
            learn_upstream_side(inc, &in->client);
            break;
        }
    }
    struct recent_failure *f = &inc->recent_failures[inc->recent_failures_next];
    inc->recent_failures_next = (inc->recent_failures_next + 1) % RECENT_FAILURES;
    f->frame = in->frame;
    f->client = in->client;
}

static void note_cause_frame(struct dnsfail_incident *inc, uint32_t cause_in)
{
    if (cause_in == 0)
        return;
    for (uint32_t i = 0; i < RECENT_FAILURES; i++) {
        if (inc->recent_failures[i].frame == cause_in) {
            learn_upstream_side(inc, &inc->recent_failures[i].client);
            return;
        }
    }
    inc->recent_causes[inc->recent_causes_next] = cause_in;
    inc->recent_causes_next = (inc->recent_causes_next + 1) % RECENT_CAUSES;
    if (inc->recent_causes_seen < RECENT_CAUSES)
        inc->recent_causes_seen++;
}

/* A kept failed attempt: an upstream failure when its record says so, or when its client
 * is known to be a resolver's upstream side. */
static void count_failed_attempt(struct dnsfail_incident *inc, const struct input *in)
{
    struct client_tally *t = client_tally_of(inc, &in->client);
    if (t) {
        t->failures++;
        t->marked += in->is_upstream;
    }
    struct upstream_reason *u = upstream_reason_of(inc, in);
    if (u) {
        u->count++;
        u->marked += in->is_upstream;
    }
    if (in->is_upstream || (t && t->upstream_side))
        inc->totals.upstream_failures++;
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
    for (uint32_t i = 0; i < inc->nupstream_recovered; i++) {
        struct upstream_recovered *r = &inc->upstream_recovered[i];
        if (r->kind == in->cause_kind && dnsfail_addr_equal(&r->upstream, &in->cause_server)) {
            r->count += n;
            return;
        }
    }
    if (inc->nupstream_recovered >= MAX_UPSTREAM_RECOVERED)
        return;
    struct upstream_recovered *r = &inc->upstream_recovered[inc->nupstream_recovered++];
    r->upstream = in->cause_server;
    r->kind = in->cause_kind;
    r->count = n;
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
    if (is_failed_attempt(in))
        note_failure_frame(inc, in);
    if (in->cause_count > 0)
        note_cause_frame(inc, in->cause_in);
    if (!in->kept)
        return;
    if (is_failed_attempt(in))
        count_failed_attempt(inc, in);
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

static bool is_upstream_side(const struct dnsfail_incident *inc, const struct dnsfail_addr *client)
{
    const struct client_tally *c =
        client_tally_lookup(&inc->client_tallies, client, addr_key_hash(RING_HASH_SEED, client));
    return c && c->upstream_side;
}

uint64_t root_cause_upstream_failures_there(const struct dnsfail_incident *inc, const struct root_cause *rc)
{
    uint64_t n = 0, recovered = 0;
    for (uint32_t i = 0; i < inc->upstream_reasons.count; i++) {
        const struct upstream_reason *u = ring_table_record(&inc->upstream_reasons, (int32_t)i);
        if (u->kind == rc->cause_kind && dnsfail_addr_equal(&u->upstream, &rc->upstream))
            n += is_upstream_side(inc, &u->client) ? u->count : u->marked;
    }
    for (uint32_t i = 0; i < inc->nupstream_recovered && i < MAX_UPSTREAM_RECOVERED; i++) {
        const struct upstream_recovered *r = &inc->upstream_recovered[i];
        if (r->kind == rc->cause_kind && dnsfail_addr_equal(&r->upstream, &rc->upstream))
            recovered += r->count;
    }
    return n > recovered ? n - recovered : 0; /* the recovered ones explain no client's failure */
}

uint64_t root_cause_upstream_failures(const struct dnsfail_incident *inc, const struct root_cause *rc)
{
    uint64_t n = root_cause_upstream_failures_there(inc, rc);
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
