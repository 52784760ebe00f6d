/* incident.c - the incident ledger: failed resolutions and attempts, their servers and
 * causes, counted into the tables of incident_tables.h as the tap records arrive. The
 * report that reads them is incident_report.c.
 *
 * Failed attempts are FAILURE records of kind icmp_error and error_answer (an answer
 * with a failing RCODE), counted alike; an error answer's reporter is always its server.
 * ANSWER and NXDOMAIN events recover the question's latest resolution; NXDOMAIN events
 * are also counted apart (not failures).
 *
 * The records come from hostile captures: every field is bounded and normalized on the
 * way in.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/incident.h"

#include <stdlib.h>
#include <string.h>

#include "incident_tables.h"

/* ---- input normalization ------------------------------------------------------------ */

static void clean_addr(struct dnsfail_addr *out, const struct dnsfail_addr *in)
{
    memset(out, 0, sizeof *out);
    if (in->family == DNSFAIL_AF_IPV4)
        dnsfail_addr_set_ipv4(out, in->bytes);
    else if (in->family == DNSFAIL_AF_IPV6)
        dnsfail_addr_set_ipv6(out, in->bytes);
}

static uint8_t clean_transport(uint8_t transport)
{
    return transport == TRANSPORT_TCP ? TRANSPORT_TCP : TRANSPORT_UDP;
}
static void clean_question(struct dnsfail_question *out, const struct dnsfail_question *in)
{
    memset(out, 0, sizeof *out);
    uint16_t len = in->qname.wire_len <= DNSFAIL_NAME_WIRE_MAX ? in->qname.wire_len : DNSFAIL_NAME_WIRE_MAX;
    memcpy(out->qname.wire, in->qname.wire, len);
    out->qname.wire_len = len;
    out->qname.labels = in->qname.labels;
    out->qname.compressed = in->qname.compressed;
    out->qname.status = in->qname.status;
    out->qtype = in->qtype;
    out->qclass = in->qclass;
}

/* A bounded copy of a possibly unterminated string field. */
static void copy_text(char *dst, size_t dst_size, const char *src, size_t src_size)
{
    size_t n = 0;
    while (n < src_size && src[n] != '\0')
        n++;
    if (n >= dst_size)
        n = dst_size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* What the incident keeps of one record, cleaned. */
struct input {
    uint8_t event;
    uint8_t kind;
    int64_t time_ns;
    struct dnsfail_addr client;
    struct endpoint server;
    bool has_question;
    struct dnsfail_question question;
    struct dnsfail_addr reporter;
    bool reporter_is_target;
    uint8_t diagnosis;
    char reason[DNSFAIL_REASON_TEXT_MAX];
    uint8_t reason_kind;           /* enum reason_kind */
};

static bool is_error_answer(const struct dnsfail_tap_record *rec)
{
    return rec->event == DNSFAIL_TAP_FAILURE && rec->kind == DNSFAIL_KIND_ERROR_ANSWER;
}

static bool is_tcp_refused(const struct dnsfail_tap_record *rec)
{
    return rec->event == DNSFAIL_TAP_FAILURE && rec->kind == DNSFAIL_KIND_TCP_REFUSED;
}

static void clean_record(struct input *in, const struct dnsfail_tap_record *rec)
{
    memset(in, 0, sizeof *in);
    in->event = rec->event;
    in->kind = rec->kind;
    in->time_ns = rec->time_ns;
    clean_addr(&in->client, &rec->flow.client);
    clean_addr(&in->server.addr, &rec->flow.server);
    in->server.port = rec->flow.server_port;
    in->server.transport = clean_transport(rec->flow.transport);
    in->has_question = rec->has_question;
    if (in->has_question) {
        clean_question(&in->question, &rec->question);
        /* mDNS: the top bit of the class asks for a unicast answer (RFC 6762 5.4); the first
         * try sets it and retries do not, so it is no part of the question. */
        if (in->server.port == 5353)
            in->question.qclass &= 0x7fffu;
    }
    clean_addr(&in->reporter, &rec->reporter);
    in->reporter_is_target = rec->reporter_is_target;
    in->diagnosis = incident_clean_diagnosis(rec->diagnosis);
    copy_text(in->reason, sizeof in->reason, rec->reason, sizeof rec->reason);
    in->reason_kind = REASON_ICMP;
    if (is_error_answer(rec)) {
        /* The server said it itself, whatever the record's reporter holds. */
        in->reason_kind = REASON_ANSWER;
        in->reporter = in->server.addr;
        in->reporter_is_target = true;
        if (in->diagnosis == DNSFAIL_DIAG_UNKNOWN)
            in->diagnosis = (uint8_t)dnsfail_diagnose_rcode(rec->rcode);
        if (in->diagnosis == DNSFAIL_DIAG_UNKNOWN)
            in->diagnosis = DNSFAIL_DIAG_ERROR_ANSWER;
        if (in->reason[0] == '\0')
            dnsfail_rcode_format(rec->rcode, in->reason, sizeof in->reason);
    } else if (is_tcp_refused(rec)) {
        /* The reset comes from the server's address. */
        in->reason_kind = REASON_TCP;
        in->reporter = in->server.addr;
        in->reporter_is_target = true;
        if (in->diagnosis == DNSFAIL_DIAG_UNKNOWN)
            in->diagnosis = DNSFAIL_DIAG_NO_LISTENER;
        if (in->reason[0] == '\0')
            dnsfail_reason_tcp_refused(in->server.port, in->reason, sizeof in->reason);
    }
}

/* ---- keys ------------------------------------------------------------------------- */

static uint8_t fold_case(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + ('a' - 'A')) : c;
}

static uint64_t hash_addr(uint64_t h, const struct dnsfail_addr *a)
{
    h = ring_hash_bytes(h, &a->family, 1);
    return ring_hash_bytes(h, a->bytes, dnsfail_addr_len(a));
}

static uint64_t hash_endpoint(uint64_t h, const struct endpoint *e)
{
    uint8_t tail[3] = {(uint8_t)(e->port >> 8), (uint8_t)e->port, e->transport};
    return ring_hash_bytes(hash_addr(h, &e->addr), tail, sizeof tail);
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
    uint64_t h = ring_hash_bytes(hash_addr(RING_HASH_SEED, &in->client), &tag, 1);
    return in->has_question ? hash_question(h, &in->question) : hash_endpoint(h, &in->server);
}

static bool resolution_matches(const struct resolution *r, const struct input *in)
{
    if (r->has_question != in->has_question || !dnsfail_addr_equal(&r->client, &in->client))
        return false;
    if (in->has_question)
        return incident_question_cmp(&r->question, &in->question) == 0;
    return endpoint_equal(&r->key_server, &in->server);
}

/* The latest resolution of this key, or NULL. */
/* Chains are newest first: the first match is the latest resolution of the key. */
static struct resolution *latest_resolution(struct dnsfail_incident *inc, const struct input *in, uint64_t h)
{
    for (int32_t s = ring_table_first(&inc->resolutions, h); s != -1; s = ring_table_next(&inc->resolutions, s, h)) {
        struct resolution *r = ring_table_record(&inc->resolutions, s);
        if (resolution_matches(r, in))
            return r;
    }
    return NULL;
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
    return inc;
}

void dnsfail_incident_free(struct dnsfail_incident *inc)
{
    if (!inc)
        return;
    ring_table_clear(&inc->resolutions);
    ring_table_clear(&inc->servers);
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
    return hash_addr(RING_HASH_SEED, addr);
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
    st->diagnosis = in->diagnosis;
    for (uint8_t i = 0; i < st->nreasons; i++) {
        struct reason_count *rc = &st->reasons[i];
        if (rc->kind == in->reason_kind && rc->reporter_is_target == in->reporter_is_target &&
            dnsfail_addr_equal(&rc->reporter, &in->reporter) && strcmp(rc->reason, in->reason) == 0) {
            rc->count++;
            rc->diagnosis = in->diagnosis;
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
    server_resolution_failed(inc, slot);
}

static void resolution_note_failure(struct resolution *r, const struct input *in)
{
    r->attempts = inc32(r->attempts);
    if (in->time_ns < r->first_ns)
        r->first_ns = in->time_ns;
    if (in->time_ns > r->last_ns)
        r->last_ns = in->time_ns;
    r->diagnosis = in->diagnosis;
    r->reporter = in->reporter;
    r->reporter_is_target = in->reporter_is_target;
}

static bool within_window(const struct dnsfail_incident *inc, const struct resolution *r, int64_t t)
{
    /* Times may step back a little in merged captures: the gap counts either way. The
     * difference is taken unsigned, exact even for times at the ends of the range. */
    uint64_t gap = t >= r->last_ns ? (uint64_t)t - (uint64_t)r->last_ns : (uint64_t)r->last_ns - (uint64_t)t;
    return gap <= (uint64_t)inc->config.retry_window_ns;
}

/* A failed attempt: an ICMP error, or an error answer. */
static void add_failure(struct dnsfail_incident *inc, const struct input *in)
{
    inc->totals.failed_attempts++;
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
        count_reason(st, in);
    } else {
        inc->other.failed_attempts++;
    }

    uint64_t h = resolution_hash(in);
    struct resolution *r = latest_resolution(inc, in, h);
    if (r && !r->recovered && within_window(inc, r, in->time_ns)) {
        resolution_note_failure(r, in);
        resolution_add_server(inc, r, in, slot);
        return;
    }

    /* A new resolution (a recovered one is closed: a failure after its answer starts anew). */
    inc->totals.failed_resolutions++;
    uint64_t evicted_before = inc->resolutions.evicted;
    int32_t s = ring_table_insert(&inc->resolutions, h);
    if (s == -1 || inc->resolutions.evicted != evicted_before)
        inc->totals.forgotten++;
    if (s == -1) {
        server_resolution_failed(inc, slot); /* counted, not followed */
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
    resolution_note_failure(r, in);
    resolution_add_server(inc, r, in, slot);
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

static void add_answer(struct dnsfail_incident *inc, const struct input *in)
{
    struct resolution *r = latest_resolution(inc, in, resolution_hash(in));
    if (!r || r->recovered)
        return;
    r->recovered = true;
    inc->totals.failed_resolutions = dec(inc->totals.failed_resolutions);
    inc->totals.recovered_resolutions++;
    for (uint8_t i = 0; i < r->nservers; i++)
        server_resolution_recovered(inc, r->servers[i].stat);
}

void dnsfail_incident_add(struct dnsfail_incident *inc, const struct dnsfail_tap_record *rec)
{
    struct input in;

    if (!inc || !rec || rec->version < 1)
        return;
    clean_record(&in, rec);
    if (in.event == DNSFAIL_TAP_FAILURE &&
        (in.kind == DNSFAIL_KIND_ICMP_ERROR || in.kind == DNSFAIL_KIND_ERROR_ANSWER ||
         in.kind == DNSFAIL_KIND_TCP_REFUSED)) {
        add_failure(inc, &in);
    } else if (in.event == DNSFAIL_TAP_FAILURE && in.kind == DNSFAIL_KIND_ANSWER_UNDELIVERABLE) {
        add_undeliverable(inc, &in);
    } else if (in.event == DNSFAIL_TAP_ANSWER) {
        add_answer(inc, &in);
    } else if (in.event == DNSFAIL_TAP_NXDOMAIN) {
        inc->totals.nxdomain_answers++;
        add_answer(inc, &in); /* the name does not exist: an answer all the same */
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
    clean_addr(&a, server);
    uint64_t h = server_hash(&a);
    for (int32_t s = ring_table_first(&inc->servers, h); s != -1; s = ring_table_next(&inc->servers, s, h)) {
        const struct server_stat *st = ring_table_record(&inc->servers, s);
        if (dnsfail_addr_equal(&st->ep.addr, &a))
            n += st->failed_resolutions;
    }
    return n;
}
