/* incident.c - the incident ledger: failed resolutions and attempts, their servers and
 * causes, counted into the tables of incident_tables.h as the tap records arrive. The
 * report that reads them is report.h's.
 *
 * Failed attempts are FAILURE records of kind icmp_error, error_answer (an answer with a
 * failing RCODE), tcp_refused and timeout, counted alike; an error answer's and a refused
 * connection's reporter is always the server, a timeout has none. ANSWER and NXDOMAIN
 * events recover the question's latest resolution; NXDOMAIN events are also counted
 * apart (not failures). LATE_ANSWER events are counted apart and recover nothing.
 * The link between a resolver's two legs (upstream failures, root causes, upstream
 * failures recovered from) is counted besides, by incident_causes.c: an upstream failure
 * stays a failed attempt of the resolver as a client, and an UPSTREAM_RECOVERED event
 * changes no other count.
 *
 * Failures are placed by their own time, not by their arrival: a timeout record comes
 * late in single pass (tap.h), and must land in the same resolution as in two-pass,
 * where it comes in the query's frame order. See add_failure.
 *
 * The records come from hostile captures: every field is bounded and normalized on the
 * way in (incident_input.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/incident.h"

#include <stdlib.h>
#include <string.h>

#include "addr_key.h"
#include "dnsfail/tracker.h"
#include "incident_causes.h"
#include "incident_input.h"
#include "incident_tables.h"

/* ---- keys ------------------------------------------------------------------------- */

static uint8_t fold_case(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + ('a' - 'A')) : c;
}

static uint64_t hash_endpoint(uint64_t h, const struct endpoint *e)
{
    uint8_t tail[3] = {(uint8_t)(e->port >> 8), (uint8_t)e->port, e->transport};
    return ring_hash_bytes(addr_key_hash(h, &e->addr), tail, sizeof tail);
}

static uint64_t hash_question(uint64_t h, const struct dnsfail_question *q)
{
    for (uint16_t i = 0; i < q->qname.wire_len; i++) {
        uint8_t c = fold_case(q->qname.wire[i]);
        h = ring_hash_bytes(h, &c, 1);
    }
    uint8_t tail[4] = {(uint8_t)(q->qtype >> 8), (uint8_t)q->qtype, (uint8_t)(q->qclass >> 8), (uint8_t)q->qclass};
    return ring_hash_bytes(h, tail, sizeof tail);
}

int incident_question_cmp(const struct dnsfail_question *a, const struct dnsfail_question *b)
{
    uint16_t n = a->qname.wire_len < b->qname.wire_len ? a->qname.wire_len : b->qname.wire_len;
    for (uint16_t i = 0; i < n; i++) {
        uint8_t ca = fold_case(a->qname.wire[i]), cb = fold_case(b->qname.wire[i]);
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    if (a->qname.wire_len != b->qname.wire_len)
        return a->qname.wire_len < b->qname.wire_len ? -1 : 1;
    if (a->qtype != b->qtype)
        return a->qtype < b->qtype ? -1 : 1;
    if (a->qclass != b->qclass)
        return a->qclass < b->qclass ? -1 : 1;
    return 0;
}

static bool endpoint_equal(const struct endpoint *a, const struct endpoint *b)
{
    return a->port == b->port && a->transport == b->transport && dnsfail_addr_equal(&a->addr, &b->addr);
}

/* The resolution key: client and question, or client and server when the question is unknown. */
static uint64_t resolution_hash(const struct input *in)
{
    uint8_t tag = in->has_question ? 1 : 0;
    uint64_t h = ring_hash_bytes(addr_key_hash(RING_HASH_SEED, &in->client), &tag, 1);
    return in->has_question ? hash_question(h, &in->question) : hash_endpoint(h, &in->server);
}

static bool resolution_matches(const struct resolution *r, const struct input *in)
{
    if (r->merged)
        return false;
    if (r->has_question != in->has_question || !dnsfail_addr_equal(&r->client, &in->client))
        return false;
    if (in->has_question)
        return incident_question_cmp(&r->question, &in->question) == 0;
    return endpoint_equal(&r->key_server, &in->server);
}

/* How many resolutions of one key a record looks at (chains are newest first). Records
 * come nearly in time order, so the one a record belongs to is among the newest few; the
 * bound keeps a hostile capture with many resolutions of one key from making each
 * record walk all of them. */
#define SCAN_RESOLUTIONS 8

/* The resolutions of this key, newest created first, at most SCAN_RESOLUTIONS; returns how many. */
static size_t key_resolutions(struct dnsfail_incident *inc, const struct input *in, uint64_t h,
                              struct resolution *out[SCAN_RESOLUTIONS])
{
    size_t n = 0;
    for (int32_t s = ring_table_first(&inc->resolutions, h); s != -1 && n < SCAN_RESOLUTIONS;
         s = ring_table_next(&inc->resolutions, s, h)) {
        struct resolution *r = ring_table_record(&inc->resolutions, s);
        if (resolution_matches(r, in))
            out[n++] = r;
    }
    return n;
}

/* The latest resolution of this key by time (the newest created when times tie), or NULL. */
static struct resolution *latest_resolution(struct dnsfail_incident *inc, const struct input *in, uint64_t h)
{
    struct resolution *rs[SCAN_RESOLUTIONS], *best = NULL;
    size_t n = key_resolutions(inc, in, h, rs);
    for (size_t i = 0; i < n; i++) {
        if (!best || rs[i]->last_ns > best->last_ns)
            best = rs[i];
    }
    return best;
}

/* ---- life cycle ------------------------------------------------------------------- */

struct dnsfail_incident *dnsfail_incident_new(const struct dnsfail_incident_config *config)
{
    struct dnsfail_incident *inc = calloc(1, sizeof *inc);
    if (!inc)
        return NULL;
    inc->config.max_resolutions = DNSFAIL_INCIDENT_DEFAULT_MAX_RESOLUTIONS;
    inc->config.retry_window_ns = DNSFAIL_TRACKER_DEFAULT_WINDOW_NS;
    if (config && config->max_resolutions)
        inc->config.max_resolutions = config->max_resolutions;
    if (config && config->retry_window_ns > 0)
        inc->config.retry_window_ns = config->retry_window_ns;
    ring_table_init(&inc->resolutions, sizeof(struct resolution), inc->config.max_resolutions);
    ring_table_init(&inc->servers, sizeof(struct server_stat), MAX_SERVERS);
    ring_table_init(&inc->client_tallies, sizeof(struct client_tally), MAX_CLIENT_TALLIES);
    ring_table_init(&inc->upstream_reasons, sizeof(struct upstream_reason), MAX_UPSTREAM_REASONS);
    return inc;
}

void dnsfail_incident_free(struct dnsfail_incident *inc)
{
    if (!inc)
        return;
    ring_table_clear(&inc->resolutions);
    ring_table_clear(&inc->servers);
    ring_table_clear(&inc->client_tallies);
    ring_table_clear(&inc->upstream_reasons);
    free(inc->filter);
    free(inc);
}

/* ---- counting --------------------------------------------------------------------- */

static uint64_t dec(uint64_t v)
{
    return v ? v - 1 : 0;
}

static uint32_t inc32(uint32_t v)
{
    return v < UINT32_MAX ? v + 1 : v;
}

static void note_time(struct dnsfail_incident *inc, int64_t t)
{
    if (!inc->have_time) {
        inc->have_time = true;
        inc->totals.first_ns = t;
        inc->totals.last_ns = t;
        return;
    }
    if (t < inc->totals.first_ns)
        inc->totals.first_ns = t;
    if (t > inc->totals.last_ns)
        inc->totals.last_ns = t;
}

static void note_service(struct dnsfail_incident *inc, const struct endpoint *server)
{
    for (uint32_t i = 0; i < inc->nservices; i++) {
        if (inc->services[i].port == server->port && inc->services[i].transport == server->transport)
            return;
    }
    if (inc->nservices < MAX_SERVICES) {
        inc->services[inc->nservices].port = server->port;
        inc->services[inc->nservices].transport = server->transport;
        inc->nservices++;
    } else {
        inc->services_overflow = true;
    }
}

static struct server_stat *server_at(const struct dnsfail_incident *inc, int32_t slot)
{
    return slot >= 0 ? ring_table_record(&inc->servers, slot) : NULL;
}

/* The server table is hashed by address only, so that all ports of an address share a chain. */
static uint64_t server_hash(const struct dnsfail_addr *addr)
{
    return addr_key_hash(RING_HASH_SEED, addr);
}

/* The slot of this endpoint's counters, created if there is room; -1: "other servers". */
static int32_t server_slot(struct dnsfail_incident *inc, const struct endpoint *ep)
{
    uint64_t h = server_hash(&ep->addr);
    for (int32_t s = ring_table_first(&inc->servers, h); s != -1; s = ring_table_next(&inc->servers, s, h)) {
        const struct server_stat *st = ring_table_record(&inc->servers, s);
        if (endpoint_equal(&st->ep, ep))
            return s;
    }
    if (inc->servers.count >= MAX_SERVERS)
        return -1;
    int32_t s = ring_table_insert(&inc->servers, h);
    if (s == -1)
        return -1;
    struct server_stat *st = ring_table_record(&inc->servers, s);
    st->ep = *ep;
    return s;
}

static void count_reason(struct server_stat *st, const struct input *in)
{
    /* The latest failure by time, not by arrival: a timeout comes late in single pass. */
    if (!st->have_diagnosis || in->time_ns >= st->diagnosis_ns) {
        st->diagnosis = in->diagnosis;
        st->diagnosis_upstream = in->cause_count > 0;
        st->upstream = in->cause_server;
        st->diagnosis_ns = in->time_ns;
        st->have_diagnosis = true;
    }
    bool no_question = in->reason_kind == REASON_TIMEOUT && !in->has_question;
    for (uint8_t i = 0; i < st->nreasons; i++) {
        struct reason_count *rc = &st->reasons[i];
        if (rc->kind == in->reason_kind && rc->reporter_is_target == in->reporter_is_target &&
            rc->no_question == no_question && dnsfail_addr_equal(&rc->reporter, &in->reporter) &&
            strcmp(rc->reason, in->reason) == 0) {
            rc->count++;
            if (in->time_ns < rc->first_ns)
                rc->first_ns = in->time_ns;
            rc->diagnosis = in->diagnosis;
            rc->diagnosis_upstream = in->cause_count > 0;
            rc->upstream = in->cause_server;
            return;
        }
    }
    if (st->nreasons >= MAX_REASONS_PER_SERVER)
        return; /* counted in failed_attempts only; the report says how many are not listed */
    struct reason_count *rc = &st->reasons[st->nreasons++];
    rc->kind = in->reason_kind;
    memcpy(rc->reason, in->reason, sizeof rc->reason);
    rc->reporter = in->reporter;
    rc->reporter_is_target = in->reporter_is_target;
    rc->diagnosis = in->diagnosis;
    rc->diagnosis_upstream = in->cause_count > 0;
    rc->upstream = in->cause_server;
    rc->no_question = no_question;
    rc->first_ns = in->time_ns;
    rc->count = 1;
}

/* A resolution newly counts for a server (as failed), or moves from failed to recovered. */
static void server_resolution_failed(struct dnsfail_incident *inc, int32_t slot)
{
    struct server_stat *st = server_at(inc, slot);
    if (st)
        st->failed_resolutions++;
    else
        inc->other.failed_resolutions++;
}

static void server_resolution_recovered(struct dnsfail_incident *inc, int32_t slot)
{
    struct server_stat *st = server_at(inc, slot);
    if (st) {
        st->failed_resolutions = dec(st->failed_resolutions);
        st->recovered_resolutions++;
    } else {
        inc->other.failed_resolutions = dec(inc->other.failed_resolutions);
        inc->other.recovered_resolutions++;
    }
}

static void resolution_add_server(struct dnsfail_incident *inc, struct resolution *r, const struct input *in,
                                  int32_t slot)
{
    for (uint8_t i = 0; i < r->nservers; i++) {
        if (endpoint_equal(&r->servers[i].ep, &in->server)) {
            r->servers[i].attempts = inc32(r->servers[i].attempts);
            return;
        }
    }
    /* A resolution counts for its first few servers only; later ones get the attempts. */
    if (r->nservers >= MAX_SERVERS_PER_RESOLUTION)
        return;
    struct resolution_server *rs = &r->servers[r->nservers++];
    rs->ep = in->server;
    rs->stat = slot;
    rs->attempts = 1;
    rs->waiting = 0;
    server_resolution_failed(inc, slot);
}

/* Every failure places the resolution in time (which later failures are its retries); only
 * a kept one is counted and named. */
static void resolution_note_failure(struct resolution *r, const struct input *in)
{
    if (in->kept)
        r->attempts = inc32(r->attempts);
    /* The latest failure by time: a timeout arriving late does not replace a later one. */
    if (in->kept && in->time_ns >= r->last_ns) {
        r->diagnosis = in->diagnosis;
        r->reporter = in->reporter;
        r->reporter_is_target = in->reporter_is_target;
    }
    if (in->time_ns < r->first_ns)
        r->first_ns = in->time_ns;
    if (in->time_ns > r->last_ns)
        r->last_ns = in->time_ns;
}

/* How far t lies from the resolution's failures: 0 between its first and last, else the
 * gap to the nearer end. Times may step back a little in merged captures, and a timeout
 * comes late in single pass: the gap counts either way. Unsigned, exact even for times at
 * the ends of the range. */
static uint64_t distance(const struct resolution *r, int64_t t)
{
    if (t > r->last_ns)
        return (uint64_t)t - (uint64_t)r->last_ns;
    if (t < r->first_ns)
        return (uint64_t)r->first_ns - (uint64_t)t;
    return 0;
}

static bool within_window(const struct dnsfail_incident *inc, const struct resolution *r, int64_t t)
{
    return distance(r, t) <= (uint64_t)inc->config.retry_window_ns;
}

/* A resolution no longer counts for a server: it was folded into another that already
 * counts for it (or has no room left to). */
static void server_resolution_unfailed(struct dnsfail_incident *inc, int32_t slot)
{
    struct server_stat *st = server_at(inc, slot);
    if (st)
        st->failed_resolutions = dec(st->failed_resolutions);
    else
        inc->other.failed_resolutions = dec(inc->other.failed_resolutions);
}

/* Folds src into dst (both failed, not recovered): one resolution, as the records would
 * have made in time order. src stays in its slot, marked merged, until the slot is reused. */
static void merge_resolutions(struct dnsfail_incident *inc, struct resolution *dst, struct resolution *src)
{
    uint32_t attempts = dst->attempts + src->attempts;
    dst->attempts = attempts >= dst->attempts ? attempts : UINT32_MAX;
    if (src->last_ns > dst->last_ns) {
        dst->diagnosis = src->diagnosis;
        dst->reporter = src->reporter;
        dst->reporter_is_target = src->reporter_is_target;
    }
    if (src->first_ns < dst->first_ns)
        dst->first_ns = src->first_ns;
    if (src->last_ns > dst->last_ns)
        dst->last_ns = src->last_ns;
    for (uint8_t i = 0; i < src->nservers && i < MAX_SERVERS_PER_RESOLUTION; i++) {
        const struct resolution_server *ss = &src->servers[i];
        bool found = false;
        for (uint8_t j = 0; j < dst->nservers && !found; j++) {
            if (endpoint_equal(&dst->servers[j].ep, &ss->ep)) {
                uint32_t a = dst->servers[j].attempts + ss->attempts;
                dst->servers[j].attempts = a >= ss->attempts ? a : UINT32_MAX;
                dst->servers[j].waiting += ss->waiting;
                found = true;
            }
        }
        if (found || dst->nservers >= MAX_SERVERS_PER_RESOLUTION)
            server_resolution_unfailed(inc, ss->stat); /* counted once, by dst (or not at all) */
        else
            dst->servers[dst->nservers++] = *ss;
    }
    /* Two counted resolutions become one; one counted makes the joined one counted. */
    if (dst->counted && src->counted)
        inc->totals.failed_resolutions = dec(inc->totals.failed_resolutions);
    dst->counted = dst->counted || src->counted;
    src->merged = true;
    src->nservers = 0;
}

/* Whether the next insert reuses the slot of a resolution still followed (one folded into
 * another is no loss). */
static bool insert_forgets(const struct dnsfail_incident *inc)
{
    const struct ring_table *t = &inc->resolutions;
    if (t->count < t->limit)
        return false;
    const struct resolution *r = ring_table_record(t, (int32_t)t->oldest);
    return !r->merged && r->counted;
}

/* A resolution's first kept failure: from now on it counts (as failed). */
static void resolution_count(struct dnsfail_incident *inc, struct resolution *r)
{
    if (r->counted)
        return;
    r->counted = true;
    inc->totals.failed_resolutions++;
}

/* A kept failed attempt, counted in the totals and for its server; returns the server's
 * slot (-1: "other servers"). */
static int32_t count_failure(struct dnsfail_incident *inc, const struct input *in)
{
    inc->totals.failed_attempts++;
    if (in->reason_kind == REASON_TIMEOUT) {
        inc->totals.timeouts++;
        if (in->waited_ns > 0)
            inc->totals.retried_timeouts++;
    }
    note_time(inc, in->time_ns);
    note_service(inc, &in->server);

    int32_t slot = server_slot(inc, &in->server);
    struct server_stat *st = server_at(inc, slot);
    if (st) {
        st->failed_attempts++;
        if (in->reason_kind == REASON_ANSWER)
            st->error_answers++;
        else if (in->reason_kind == REASON_TCP)
            st->tcp_resets++;
        else if (in->reason_kind == REASON_TIMEOUT)
            st->timeouts++;
        count_reason(st, in);
    } else {
        inc->other.failed_attempts++;
        if (in->reason_kind == REASON_TIMEOUT)
            inc->other.timeouts++;
    }
    return slot;
}

/* A failed attempt: an ICMP error, an error answer, a refused TCP connection or a timeout.
 * Every one shapes the resolutions; a kept one is also counted, and makes its resolution
 * count for its server. */
static void add_failure(struct dnsfail_incident *inc, const struct input *in)
{
    int32_t slot = in->kept ? count_failure(inc, in) : -1;

    /* The resolution it belongs to: one of its question not yet answered, whose failures it
     * is within the retry window of. In time order that is the latest resolution or none (a
     * recovered one is closed: a failure after its answer starts anew). A timeout arriving
     * late may fall before the latest resolution's failures, or between two resolutions
     * within the window of both: in time order it would have continued the earlier and the
     * later would have continued it, so the two are one resolution and are folded into
     * the earlier. (Neither can have been recovered in between: an answer before the
     * query's deadline means no timeout, and one after comes after the timeout record.) */
    uint64_t h = resolution_hash(in);
    struct resolution *rs[SCAN_RESOLUTIONS], *r = NULL;
    size_t n = key_resolutions(inc, in, h, rs);
    for (size_t i = 0; i < n; i++) {
        if (!rs[i]->recovered && within_window(inc, rs[i], in->time_ns) && (!r || rs[i]->seq < r->seq))
            r = rs[i];
    }
    if (r) {
        for (size_t i = 0; i < n; i++) {
            if (rs[i] != r && !rs[i]->recovered && within_window(inc, rs[i], in->time_ns))
                merge_resolutions(inc, r, rs[i]);
        }
        resolution_note_failure(r, in);
        if (in->kept) {
            resolution_count(inc, r);
            resolution_add_server(inc, r, in, slot);
        }
        return;
    }

    /* A new resolution. */
    bool forgets = insert_forgets(inc);
    int32_t s = ring_table_insert(&inc->resolutions, h);
    if (forgets || (s == -1 && in->kept))
        inc->totals.forgotten++;
    if (s == -1) {
        if (in->kept) { /* counted, not followed */
            inc->totals.failed_resolutions++;
            server_resolution_failed(inc, slot);
        }
        return;
    }
    r = ring_table_record(&inc->resolutions, s);
    r->seq = inc->next_seq++;
    r->client = in->client;
    r->has_question = in->has_question;
    if (in->has_question)
        r->question = in->question;
    else
        r->key_server = in->server;
    r->first_ns = in->time_ns;
    r->last_ns = in->time_ns;
    r->counted = false;
    resolution_note_failure(r, in);
    if (in->kept) {
        resolution_count(inc, r);
        resolution_add_server(inc, r, in, slot);
    }
}

static void add_undeliverable(struct dnsfail_incident *inc, const struct input *in)
{
    inc->totals.undeliverable_answers++;
    note_time(inc, in->time_ns);
    note_service(inc, &in->server);
    for (uint32_t i = 0; i < inc->nundeliverable; i++) {
        struct undeliverable *u = &inc->undeliverable[i];
        if (u->has_question == in->has_question && endpoint_equal(&u->server, &in->server) &&
            dnsfail_addr_equal(&u->client, &in->client) &&
            (!in->has_question || incident_question_cmp(&u->question, &in->question) == 0) &&
            strcmp(u->reason, in->reason) == 0) {
            u->count++;
            u->diagnosis = in->diagnosis;
            return;
        }
    }
    if (inc->nundeliverable >= MAX_UNDELIVERABLE) {
        inc->undeliverable_not_listed++;
        return;
    }
    struct undeliverable *u = &inc->undeliverable[inc->nundeliverable++];
    u->server = in->server;
    u->client = in->client;
    u->has_question = in->has_question;
    if (in->has_question)
        u->question = in->question;
    memcpy(u->reason, in->reason, sizeof u->reason);
    u->diagnosis = in->diagnosis;
    u->count = 1;
}

/* An answer after its query timed out: counted apart, for its server when that server
 * failed already (a timeout of the same query comes first); it recovers nothing. */
static void add_late_answer(struct dnsfail_incident *inc, const struct input *in)
{
    inc->totals.late_answers++;
    uint64_t h = server_hash(&in->server.addr);
    for (int32_t s = ring_table_first(&inc->servers, h); s != -1; s = ring_table_next(&inc->servers, s, h)) {
        struct server_stat *st = ring_table_record(&inc->servers, s);
        if (endpoint_equal(&st->ep, &in->server)) {
            st->late_answers++;
            if (in->waited_ns > st->late_max_waited_ns)
                st->late_max_waited_ns = in->waited_ns;
            return;
        }
    }
    if (inc->servers.count >= MAX_SERVERS)
        inc->other.late_answers++;
}

static void add_answer(struct dnsfail_incident *inc, const struct input *in)
{
    struct resolution *r = latest_resolution(inc, in, resolution_hash(in));
    if (!r || r->recovered)
        return;
    r->recovered = true;
    if (!r->counted)
        return; /* no failure of it was kept: nothing counted to move */
    inc->totals.failed_resolutions = dec(inc->totals.failed_resolutions);
    inc->totals.recovered_resolutions++;
    for (uint8_t i = 0; i < r->nservers; i++)
        server_resolution_recovered(inc, r->servers[i].stat);
}

void dnsfail_incident_add_kept(struct dnsfail_incident *inc, const struct dnsfail_tap_record *rec, bool kept)
{
    struct input in;

    if (!inc || !rec || rec->version < 1)
        return;
    incident_clean_record(&in, rec);
    in.kept = kept;
    incident_count_link(inc, &in); /* besides what follows: the link's counts are apart */
    if (in.event == DNSFAIL_TAP_FAILURE &&
        (in.kind == DNSFAIL_KIND_ICMP_ERROR || in.kind == DNSFAIL_KIND_ERROR_ANSWER ||
         in.kind == DNSFAIL_KIND_TCP_REFUSED || in.kind == DNSFAIL_KIND_TIMEOUT)) {
        if (in.kind == DNSFAIL_KIND_TIMEOUT && in.timeout_ns && kept)
            inc->timeout_ns = in.timeout_ns;
        add_failure(inc, &in);
    } else if (in.event == DNSFAIL_TAP_FAILURE && in.kind == DNSFAIL_KIND_ANSWER_UNDELIVERABLE) {
        if (kept)
            add_undeliverable(inc, &in);
    } else if (in.event == DNSFAIL_TAP_ANSWER) {
        add_answer(inc, &in); /* recovers a kept resolution wherever the answer came from */
    } else if (in.event == DNSFAIL_TAP_NXDOMAIN) {
        if (kept)
            inc->totals.nxdomain_answers++;
        add_answer(inc, &in); /* the name does not exist: an answer all the same */
    } else if (in.event == DNSFAIL_TAP_LATE_ANSWER) {
        if (kept)
            add_late_answer(inc, &in);
    }
}

void dnsfail_incident_add(struct dnsfail_incident *inc, const struct dnsfail_tap_record *rec)
{
    dnsfail_incident_add_kept(inc, rec, true);
}

void dnsfail_incident_set_unanswered(struct dnsfail_incident *inc, uint64_t queries_waiting)
{
    if (inc)
        inc->totals.unanswered_at_end = queries_waiting;
}

void dnsfail_incident_set_capture(struct dnsfail_incident *inc, uint64_t dns_messages, bool analysed)
{
    if (!inc)
        return;
    inc->totals.dns_messages = dns_messages;
    inc->not_analysed = !analysed;
}

bool dnsfail_incident_set_filter(struct dnsfail_incident *inc, const char *filter)
{
    if (!inc)
        return false;
    free(inc->filter);
    inc->filter = NULL;
    if (!filter || !filter[0])
        return true;
    size_t n = 0;
    while (n < DNSFAIL_INCIDENT_FILTER_MAX && filter[n])
        n++;
    inc->filter = malloc(n + 1);
    if (!inc->filter)
        return false;
    memcpy(inc->filter, filter, n);
    inc->filter[n] = '\0';
    return true;
}

void dnsfail_incident_add_waiting(struct dnsfail_incident *inc, const struct dnsfail_tap_record *rec)
{
    struct input in;

    if (!inc || !rec || rec->version < 1)
        return;
    incident_clean_record(&in, rec);
    inc->totals.unanswered_at_end++;
    /* The resolution it would continue: as add_failure would pick it. */
    uint64_t h = resolution_hash(&in);
    struct resolution *rs[SCAN_RESOLUTIONS], *r = NULL;
    size_t n = key_resolutions(inc, &in, h, rs);
    for (size_t i = 0; i < n; i++) {
        if (!rs[i]->recovered && within_window(inc, rs[i], in.time_ns) && (!r || rs[i]->seq < r->seq))
            r = rs[i];
    }
    if (!r)
        return;
    for (uint8_t i = 0; i < r->nservers; i++) {
        if (endpoint_equal(&r->servers[i].ep, &in.server)) {
            r->servers[i].waiting = inc32(r->servers[i].waiting);
            return;
        }
    }
}

void dnsfail_incident_clear_waiting(struct dnsfail_incident *inc)
{
    if (!inc)
        return;
    inc->totals.unanswered_at_end = 0;
    for (uint32_t s = 0; s < inc->resolutions.count; s++) {
        struct resolution *r = ring_table_record(&inc->resolutions, (int32_t)s);
        for (uint8_t i = 0; i < r->nservers && i < MAX_SERVERS_PER_RESOLUTION; i++)
            r->servers[i].waiting = 0;
    }
}

void dnsfail_incident_get_totals(const struct dnsfail_incident *inc, struct dnsfail_incident_totals *totals)
{
    if (!totals)
        return;
    memset(totals, 0, sizeof *totals);
    if (inc)
        *totals = inc->totals;
}

uint64_t dnsfail_incident_failed_resolutions_for_server(const struct dnsfail_incident *inc,
                                                        const struct dnsfail_addr *server)
{
    struct dnsfail_addr a;
    uint64_t n = 0;

    if (!inc || !server)
        return 0;
    incident_clean_addr(&a, server);
    uint64_t h = server_hash(&a);
    for (int32_t s = ring_table_first(&inc->servers, h); s != -1; s = ring_table_next(&inc->servers, s, h)) {
        const struct server_stat *st = ring_table_record(&inc->servers, s);
        if (dnsfail_addr_equal(&st->ep.addr, &a))
            n += st->failed_resolutions;
    }
    return n;
}
