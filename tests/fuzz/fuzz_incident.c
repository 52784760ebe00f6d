/* fuzz_incident.c - the incident ledger (incident.c) fed a sequence of tap records
 * built from the input, then its report in text and JSON (report_text.c, report_json.c).
 *
 * The records are mostly plausible (addresses, names and reasons from small pools, so
 * questions repeat, fail, recover and get evicted), with garbage in any field when the
 * input asks for it: unknown events and kinds, address families other than 4 and 6,
 * name wire forms longer than 255 bytes or with a bad status, unterminated reason and
 * name strings, times out of order or at the ends of int64. The link members of version 3
 * (is_upstream, cause_*, UPSTREAM_RECOVERED events) are set from the record's bytes
 * already read, so that the corpus keeps its layout: plausible, or garbage with garbage
 * addresses (kinds and matches out of range, an unterminated cause line).
 *
 * When the first configuration byte has bit 0x40 (and is not 0xFF), a second ledger is
 * fed the same records as a filtered report would, each kept or not as the record's bytes
 * say (dnsfail_incident_add_kept), and must count no more than the first.
 *
 * Input: a 3-byte configuration, then records of a variable number of bytes each (see
 * read_record); input that runs out reads as zeros, so the last record is always whole.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "fuzz_common.h"
#include "json_check.h"

#include "dnsfail/incident.h"

#define MAX_RECORDS 512

struct pool_addr {
    uint8_t family;
    uint8_t bytes[16];
};
static const struct pool_addr CLIENTS[4] = {
    {4, {192, 51, 100, 15}}, {4, {192, 51, 100, 16}},
    {6, {0x20, 0x01, 0x0d, 0xb8, [15] = 0x10}}, {6, {0x20, 0x01, 0x0d, 0xb8, [15] = 0x11}},
};
/* Servers, and routers reporting for them. */
static const struct pool_addr SERVERS[4] = {
    {4, {203, 0, 113, 2}}, {4, {203, 0, 113, 3}},
    {6, {0x20, 0x01, 0x0d, 0xb8, [15] = 0x09}}, {4, {198, 18, 0, 53}},
};
/* Wire-form names: the case differs between two of them (DNS 0x20 must compare equal). */
static const char *const NAMES[] = {
    "\3www\7example\3com",
    "\3WWW\7Example\3com",
    "",
    "\7printer\5local",
    "\7version\4bind",
    "\4a\"b\\\4c;d)", /* needs escaping in text and JSON */
    "\2\0\1\1x",     /* a NUL and a control byte inside a label */
};
static const char *const REASONS[] = {
    "udp port 53 unreachable",
    "host 203.0.113.9 unreachable",
    "net 198.18.0.53 unreachable - admin prohibited",
    "",
    "ServFail",
    "quote \" back\\slash\ttab",
};

static void pool_set(struct dnsfail_addr *a, const struct pool_addr *p)
{
    if (p->family == 6)
        dnsfail_addr_set_ipv6(a, p->bytes);
    else
        dnsfail_addr_set_ipv4(a, p->bytes);
}

static void set_addr(struct dnsfail_addr *a, struct fuzz_cursor *c, const struct pool_addr *p, bool garbage)
{
    memset(a, 0, sizeof *a);
    if (garbage) {
        a->family = fuzz_u8(c);              /* any family, not only 0, 4, 6 */
        fuzz_bytes(c, a->bytes, sizeof a->bytes);
    } else {
        pool_set(a, p);
    }
}

static void set_name(struct dnsfail_tap_record *r, struct fuzz_cursor *c, uint8_t pick)
{
    struct dnsfail_dns_name *n = &r->question.qname;
    size_t npool = sizeof NAMES / sizeof NAMES[0];

    memset(n, 0, sizeof *n);
    if (pick < 0xF0) {
        /* Pool names, each a valid wire form once the root label is added. */
        const char *src = NAMES[pick % npool];
        size_t len = (pick % npool == 6) ? 5 : strlen(src);
        memcpy(n->wire, src, len);
        n->wire[len] = 0;
        n->wire_len = (uint16_t)(len + 1);
        n->status = DNSFAIL_NAME_OK;
        for (size_t i = 0; i + 1 < n->wire_len; i += 1u + n->wire[i])
            n->labels++;
        dnsfail_dns_name_format(n, r->qname, sizeof r->qname);
        return;
    }
    /* Garbage: any wire bytes, a length past the array, any status and label count, and
     * a text form that need not be terminated. */
    fuzz_bytes(c, n->wire, sizeof n->wire);
    n->wire_len = fuzz_u16(c);
    n->labels = fuzz_u8(c);
    n->status = fuzz_u8(c);
    n->compressed = (n->status & 1u) != 0;
    if (pick & 1u)
        memset(r->qname, 'q', sizeof r->qname);
    else
        fuzz_bytes(c, r->qname, 64);
}

static void set_reason(struct dnsfail_tap_record *r, struct fuzz_cursor *c, uint8_t pick)
{
    size_t npool = sizeof REASONS / sizeof REASONS[0];
    if (pick < 0xF0) {
        const char *src = REASONS[pick % npool];
        memcpy(r->reason, src, strlen(src) + 1);
    } else if (pick & 1u) {
        memset(r->reason, 'r', sizeof r->reason); /* unterminated */
    } else {
        fuzz_bytes(c, r->reason, sizeof r->reason);
    }
}

static int64_t read_time(struct fuzz_cursor *c, int64_t prev, uint8_t how)
{
    switch (how & 3u) {
    case 0: return fuzz_add_sat(prev, (int64_t)fuzz_u8(c) * INT64_C(1000000));      /* ms apart */
    case 1: return fuzz_add_sat(prev, (int64_t)fuzz_u16(c) * INT64_C(100000000));   /* up to ~2 hours later */
    case 2: return fuzz_add_sat(prev, -(int64_t)fuzz_u8(c) * INT64_C(1000000000));  /* out of order */
    default: {
        uint64_t raw = fuzz_u64(c);
        int64_t t;
        memcpy(&t, &raw, sizeof t);                                     /* anywhere, INT64_MIN too */
        return t;
    }
    }
}

/* The link of version 3, from bytes the record has already used: no new input bytes. */
static void set_link(struct dnsfail_tap_record *r, uint8_t who, uint8_t kind, uint8_t time_mode, bool garbage)
{
    uint8_t link = (uint8_t)(who ^ (uint8_t)(time_mode * 7u) ^ (uint8_t)(kind >> 1));
    r->is_upstream = (link & 1u) != 0;
    if (r->event == DNSFAIL_TAP_ANSWER && (link & 0x80u))
        r->event = DNSFAIL_TAP_UPSTREAM_RECOVERED;
    if ((link & 6u) == 0)
        return; /* no cause */
    r->cause_count = garbage ? UINT32_MAX - link : (uint32_t)(link >> 4) + 1u;
    r->cause_in = r->frame > (uint32_t)(link >> 3) ? r->frame - (uint32_t)(link >> 3) : 1u;
    r->cause_match = garbage ? link : (uint8_t)((link >> 2) & 3u);
    r->cause_kind = garbage ? (uint8_t)(link * 3u) : (uint8_t)(link % 6u);
    if (garbage) {
        r->cause_server = r->reporter; /* garbage already */
        memset(r->cause, 'c', sizeof r->cause); /* unterminated */
        return;
    }
    pool_set(&r->cause_server, &SERVERS[(link >> 5) & 3u]);
    char addr[DNSFAIL_ADDR_TEXT_MAX];
    dnsfail_addr_format(&r->cause_server, addr, sizeof addr);
    snprintf(r->cause, sizeof r->cause, "upstream %s %s", addr, REASONS[link % (sizeof REASONS / sizeof REASONS[0])]);
}

/* One record. Layout: event, kind, flags, who, time mode, time (1, 2 or 8 bytes),
 * name pick, reason pick, then the scalar fields, then garbage as the picks ask. */
static void read_record(struct fuzz_cursor *c, struct dnsfail_tap_record *r, uint32_t frame, int64_t *clock)
{
    memset(r, 0, sizeof *r);
    uint8_t ev = fuzz_u8(c);
    uint8_t kind = fuzz_u8(c);
    uint8_t flags = fuzz_u8(c);
    uint8_t who = fuzz_u8(c);
    uint8_t time_mode = fuzz_u8(c);

    r->version = (flags & 0x80u) ? fuzz_u32(c) : DNSFAIL_TAP_VERSION;
    static const uint8_t events[8] = {DNSFAIL_TAP_FAILURE, DNSFAIL_TAP_FAILURE, DNSFAIL_TAP_FAILURE,
                                      DNSFAIL_TAP_FAILURE, DNSFAIL_TAP_ANSWER, DNSFAIL_TAP_NXDOMAIN,
                                      DNSFAIL_TAP_LATE_ANSWER, 0};
    r->event = (ev & 7u) == 7u ? (uint8_t)(ev >> 3) : events[ev & 7u];  /* 7: any event, unknown ones too */
    r->kind = (kind & 7u) <= 4u ? (uint8_t)((kind >> 3) % 5u + 1u) : (uint8_t)(kind >> 3);
    r->frame = (flags & 0x40u) ? fuzz_u32(c) : frame;
    *clock = read_time(c, *clock, time_mode);
    r->time_ns = *clock;

    bool garbage_addr = (flags & 1u) != 0;
    set_addr(&r->flow.client, c, &CLIENTS[who & 3u], garbage_addr);
    set_addr(&r->flow.server, c, &SERVERS[(who >> 2) & 3u], garbage_addr);
    set_addr(&r->reporter, c, &SERVERS[(who >> 4) & 3u], garbage_addr);
    static const uint16_t ports[4] = {53, 5353, 5355, 8053};
    r->flow.client_port = (uint16_t)(40000u + (time_mode >> 2));
    r->flow.server_port = (who & 0x40u) ? fuzz_u16(c) : ports[(time_mode >> 2) & 3u];
    r->flow.transport = (who & 0x80u) ? fuzz_u8(c) : 17;

    r->has_question = (flags & 2u) != 0;
    set_name(r, c, fuzz_u8(c));
    r->question.qtype = (flags & 4u) ? fuzz_u16(c) : 1;
    r->question.qclass = (flags & 4u) ? fuzz_u16(c) : 1;
    set_reason(r, c, fuzz_u8(c));

    r->reporter_is_target = (flags & 8u) != 0;
    r->has_dns_id = (flags & 16u) != 0;
    r->quote_truncated = (flags & 32u) != 0;
    r->recovered = (kind & 0x80u) != 0;
    if (flags & 0x20u) {
        r->dns_id = fuzz_u16(c);
        r->icmp_version = fuzz_u8(c);
        r->icmp_type = fuzz_u8(c);
        r->icmp_code = fuzz_u8(c);
        r->diagnosis = fuzz_u8(c);         /* past DNSFAIL_DIAG_COUNT too */
        r->attempt = fuzz_u32(c);
        r->request_in = fuzz_u32(c);
        r->rcode = fuzz_u16(c);
        r->has_ede = (kind & 0x40u) != 0;
        r->ede_code = fuzz_u16(c);
        uint64_t raw = fuzz_u64(c);
        memcpy(&r->timeout_ns, &raw, sizeof raw);
        raw = fuzz_u64(c);
        memcpy(&r->waited_ns, &raw, sizeof raw);
    } else {
        r->timeout_ns = INT64_C(5000000000);
        r->waited_ns = (int64_t)(time_mode >> 2) * INT64_C(1000000000);
        r->icmp_version = 4;
        r->icmp_type = 3;
        r->icmp_code = 3;
        r->diagnosis = (uint8_t)(flags >> 2) % DNSFAIL_DIAG_COUNT;
        r->attempt = 1;
        r->rcode = (kind & 0x40u) ? 2 : 5;
    }
    set_link(r, who, kind, time_mode, garbage_addr);
}

static void check_reports(const struct dnsfail_incident *inc)
{
    char *text = dnsfail_incident_report_text(inc);
    if (text) {
        size_t n = strlen(text);
        FUZZ_CHECK(n > 0);
        fuzz_check_printable(text, n, true);
        free(text);
    }
    char *json = dnsfail_incident_report_json(inc);
    if (json) {
        size_t n = strlen(json);
        fuzz_check_printable(json, n, true);
        if (!json_check(json)) {
            fprintf(stderr, "invalid JSON report:\n%s\n", json);
            FUZZ_CHECK(!"the JSON report parses");
        }
        FUZZ_CHECK(json[0] == '{');
        free(json);
    }
}

/* Totals against what was fed: counts never exceed the records of their kind. */
static void check_totals(const struct dnsfail_incident *inc, uint64_t failures, uint64_t nxdomains,
                         bool in_order)
{
    struct dnsfail_incident_totals t;
    dnsfail_incident_get_totals(inc, &t);
    FUZZ_CHECK(t.failed_attempts + t.undeliverable_answers <= failures);
    FUZZ_CHECK(t.nxdomain_answers <= nxdomains);
    FUZZ_CHECK(t.failed_resolutions + t.recovered_resolutions <= failures);
    FUZZ_CHECK(t.upstream_failures <= t.failed_attempts);
    FUZZ_CHECK(t.failures_with_cause <= t.failed_attempts + t.late_answers);
    if (in_order)
        FUZZ_CHECK(t.first_ns <= t.last_ns);
    for (int i = 0; i < 4; i++) {
        struct dnsfail_addr a;
        pool_set(&a, &SERVERS[i]);
        (void)dnsfail_incident_failed_resolutions_for_server(inc, &a);
    }
}

/* A filtered ledger counts a subset of what the unfiltered one counts. */
static void check_filtered(const struct dnsfail_incident *filtered, const struct dnsfail_incident *whole)
{
    struct dnsfail_incident_totals f, w;
    dnsfail_incident_get_totals(filtered, &f);
    dnsfail_incident_get_totals(whole, &w);
    FUZZ_CHECK(f.failed_attempts <= w.failed_attempts);
    FUZZ_CHECK(f.timeouts <= w.timeouts);
    FUZZ_CHECK(f.undeliverable_answers <= w.undeliverable_answers);
    FUZZ_CHECK(f.nxdomain_answers <= w.nxdomain_answers);
    FUZZ_CHECK(f.late_answers <= w.late_answers);
    FUZZ_CHECK(f.upstream_failures <= w.upstream_failures);
    FUZZ_CHECK(f.failures_with_cause <= w.failures_with_cause);
    FUZZ_CHECK(f.recovered_upstream_failures <= w.recovered_upstream_failures);
    FUZZ_CHECK(f.failed_resolutions + f.recovered_resolutions <= f.failed_attempts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_cursor c = fuzz_cursor(data, size);
    struct dnsfail_incident_config config;
    memset(&config, 0, sizeof config);
    uint8_t max = fuzz_u8(&c);
    uint8_t window = fuzz_u8(&c);
    uint8_t report_every = fuzz_u8(&c);
    /* Small ledgers so that folding the oldest resolutions away is exercised; 0 is the default. */
    config.max_resolutions = max == 0xFF ? 0u : 1u + (max & 63u);
    if (window == 0xFF) {
        uint64_t raw = fuzz_u64(&c);
        memcpy(&config.retry_window_ns, &raw, sizeof raw); /* negative and huge windows too */
    } else {
        config.retry_window_ns = (int64_t)window * INT64_C(100000000);
    }

    struct dnsfail_incident *inc = dnsfail_incident_new(&config);
    if (!inc)
        return 0;
    struct dnsfail_incident *filtered = (max & 0x40u) && max != 0xFFu ? dnsfail_incident_new(&config) : NULL;
    if (filtered && !dnsfail_incident_set_filter(filtered, "dnsfail.server == 203.0.113.2"))
        FUZZ_CHECK(!"a filter's copy fits");

    static struct dnsfail_tap_record rec;
    int64_t clock = INT64_C(1795624381000000000);
    uint64_t failures = 0, nxdomains = 0;
    bool in_order = true;
    for (uint32_t i = 0; i < MAX_RECORDS && c.left > 0; i++) {
        int64_t before = clock;
        read_record(&c, &rec, i + 1, &clock);
        if (clock < before)
            in_order = false;
        failures += rec.event == DNSFAIL_TAP_FAILURE;
        nxdomains += rec.event == DNSFAIL_TAP_NXDOMAIN;
        dnsfail_incident_add(inc, &rec);
        if (filtered)
            dnsfail_incident_add_kept(filtered, &rec, ((rec.flow.client_port ^ rec.question.qtype ^ i) & 1u) != 0);
        /* A report in the middle, as the GUI's retap may ask for, must not disturb the ledger. */
        if ((report_every & 0x80u) && (i + 1) % ((report_every & 0x7Fu) + 8u) == 0)
            check_reports(inc);
    }
    check_totals(inc, failures, nxdomains, in_order);
    check_reports(inc);
    if (filtered) {
        check_filtered(filtered, inc);
        check_reports(filtered);
        dnsfail_incident_free(filtered);
    }
    dnsfail_incident_free(inc);
    return 0;
}
