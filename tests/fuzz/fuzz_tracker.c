/* fuzz_tracker.c - the query tracker (tracker.c, ring_table.c) driven by a sequence of
 * operations decoded from the input: queries added, ICMP errors and answers matched,
 * attempts counted, failures noted and taken, timeouts taken, resets and new limits.
 * Limits are small (1..64 queries) so eviction happens all the time.
 *
 * Input: a 4-byte configuration, then operations: one opcode byte (bits 0..5 the
 * operation, modulo OP_COUNT; bits 6 and 7 its flags) and its operands (see the cases
 * of run_op). Adding an operation for a new tracker function is one enum value before
 * OP_COUNT, one case, and its invariants; make_corpus.py writes the opcodes too.
 *
 * Every query is added with cookie = its frame number, so a match that hands back a
 * cookie of another query, or one never added, is caught.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "fuzz_common.h"

#include "dnsfail/tracker.h"

#define MAX_OPS 1024
/* The plugin saturates capture times at this many ns either side of the epoch
 * (dnsfail_frame_time_ns: INT64_MAX / 10^9 - 1 seconds, plus up to 10^9 - 1 ns). */
#define PLUGIN_TIME_LIMIT_NS ((INT64_MAX / INT64_C(1000000000) - 1) * INT64_C(1000000000) + INT64_C(999999999))

enum op {
    OP_ADD_QUERY,
    OP_MATCH_ERROR,
    OP_COUNT_ATTEMPT,
    OP_NOTE_FAILURE,
    OP_TAKE_FAILURE,
    OP_MATCH_ANSWER,
    OP_TAKE_TIMEOUTS,
    OP_NEXT_DEADLINE,
    OP_RESET,
    OP_CONFIGURE,
    OP_COUNT /* keep last */
};

struct pool_addr {
    uint8_t family;
    uint8_t bytes[16];
};
static const struct pool_addr CLIENTS[4] = {
    {4, {192, 0, 2, 10}}, {4, {192, 0, 2, 11}},
    {6, {0x20, 0x01, 0x0d, 0xb8, [15] = 0x10}}, {0, {0}}, /* an empty address too */
};
static const struct pool_addr SERVERS[4] = {
    {4, {203, 0, 113, 9}}, {4, {203, 0, 113, 10}},
    {6, {0x20, 0x01, 0x0d, 0xb8, [15] = 0x09}}, {6, {0x20, 0x01, 0x0d, 0xb8, [15] = 0x0a}},
};
static const char *const NAMES[] = {
    "\3www\7example\3com", "\3WWW\7EXAMPLE\3COM", "\7example\3com", "", "\4host\5local",
};

/* What the harness remembers between operations. */
struct state {
    struct dnsfail_tracker *t;
    struct dnsfail_tracker_config config;
    uint32_t frame;      /* the last frame number handed out */
    int64_t clock;
    bool extreme_times;  /* times may jump to the ends of int64 (a hostile capture) */
};

static void pool_set(struct dnsfail_addr *a, const struct pool_addr *p)
{
    memset(a, 0, sizeof *a);
    if (p->family == 6)
        dnsfail_addr_set_ipv6(a, p->bytes);
    else if (p->family == 4)
        dnsfail_addr_set_ipv4(a, p->bytes);
}

/* Flow from one byte: client, server, port pair and transport, so flows repeat often. */
static void read_flow(struct fuzz_cursor *c, struct dnsfail_flow *f)
{
    uint8_t b = fuzz_u8(c);
    memset(f, 0, sizeof *f);
    pool_set(&f->client, &CLIENTS[b & 3u]);
    pool_set(&f->server, &SERVERS[(b >> 2) & 3u]);
    f->client_port = (uint16_t)(40000u + ((b >> 4) & 3u));
    f->server_port = (b & 0x40u) ? 5353 : 53;
    f->transport = (b & 0x80u) ? 6 : 17;
}

static void read_question(struct fuzz_cursor *c, struct dnsfail_question *q)
{
    uint8_t b = fuzz_u8(c);
    size_t n = sizeof NAMES / sizeof NAMES[0];
    const char *src = NAMES[b % n];
    size_t len = strlen(src);

    memset(q, 0, sizeof *q);
    memcpy(q->qname.wire, src, len);
    q->qname.wire[len] = 0;
    q->qname.wire_len = (uint16_t)(len + 1);
    for (size_t i = 0; i + 1 < q->qname.wire_len; i += 1u + q->qname.wire[i])
        q->qname.labels++;
    q->qname.status = DNSFAIL_NAME_OK;
    q->qtype = (b & 0x80u) ? 28 : 1;
    q->qclass = (b & 0x40u) ? 0x8001 : 1;
}

static void read_fingerprint(struct fuzz_cursor *c, struct dnsfail_fingerprint *fp)
{
    uint8_t b = fuzz_u8(c);
    memset(fp, 0, sizeof *fp);
    fp->has_ip_id = (b & 1u) != 0;
    fp->has_udp_fields = (b & 2u) != 0;
    fp->has_udp_checksum_computed = (b & 4u) != 0;
    fp->ip_id = (uint16_t)((b >> 3) & 3u);          /* few values: collisions matter */
    fp->udp_length = (uint16_t)(40u + ((b >> 5) & 1u));
    fp->udp_checksum = (uint16_t)((b >> 6) & 3u);
    fp->udp_checksum_computed = (uint16_t)((b >> 6) & 1u);
}

/* Time moves mostly forward, by ms or seconds; it may step back (pcapng does not
 * promise order), and in extreme mode jump to the ends of int64 (the plugin saturates
 * a hostile capture's timestamps near them). */
static int64_t advance_time(struct state *s, struct fuzz_cursor *c)
{
    uint8_t b = fuzz_u8(c);
    int64_t step = (int64_t)(b & 63u);
    switch (b >> 6) {
    case 0: s->clock = fuzz_add_sat(s->clock, step * INT64_C(1000000)); break;
    case 1: s->clock = fuzz_add_sat(s->clock, step * INT64_C(1000000000)); break;
    case 2: s->clock = fuzz_add_sat(s->clock, -step * INT64_C(100000000)); break;
    default:
        if (s->extreme_times) {
            /* What dnsfail_frame_time_ns gives for timestamps past its range. */
            static const int64_t ends[4] = {-PLUGIN_TIME_LIMIT_NS, PLUGIN_TIME_LIMIT_NS, 0, -1};
            s->clock = ends[b & 3u];
        } else {
            s->clock = fuzz_add_sat(s->clock, step * INT64_C(60000000000)); /* minutes: past every window */
        }
        break;
    }
    return s->clock;
}

static void check_match(const struct state *s, const struct dnsfail_query_match *m, bool matched)
{
    if (!matched)
        return;
    FUZZ_CHECK(m->frame >= 1 && m->frame <= s->frame);
    FUZZ_CHECK(m->cookie == (void *)(uintptr_t)m->frame); /* the query's own cookie */
    FUZZ_CHECK(m->by <= DNSFAIL_MATCH_FLOW);
    if (m->has_question)
        FUZZ_CHECK(m->question.qname.status == DNSFAIL_NAME_OK && m->question.qname.wire_len <= DNSFAIL_NAME_WIRE_MAX);
}

static void check_stats(const struct state *s)
{
    struct dnsfail_tracker_stats st;
    dnsfail_tracker_get_stats(s->t, &st);
    uint32_t max = s->config.max_queries ? s->config.max_queries : DNSFAIL_TRACKER_DEFAULT_MAX_QUERIES;
    FUZZ_CHECK(st.max_queries == max);
    FUZZ_CHECK(st.tracked <= max);          /* bounded memory */
    FUZZ_CHECK(st.tracked <= st.queries);
    FUZZ_CHECK(st.waiting <= st.tracked);
    FUZZ_CHECK(st.bytes > 0);
}

static void read_config(struct fuzz_cursor *c, struct dnsfail_tracker_config *config)
{
    memset(config, 0, sizeof *config);
    uint8_t max = fuzz_u8(c);
    uint8_t window = fuzz_u8(c);
    uint8_t timeout = fuzz_u8(c);
    config->max_queries = max == 0xFF ? 0u : 1u + (max & 63u);
    config->retry_window_ns = (int64_t)(int8_t)window * INT64_C(250000000); /* <= 0: the default */
    config->timeout_ns = (int64_t)(int8_t)timeout * INT64_C(100000000);
}

static void run_op(struct state *s, struct fuzz_cursor *c)
{
    struct dnsfail_query_match m;
    struct dnsfail_tracker_stats before;
    uint8_t op = fuzz_u8(c);           /* bits 0..5 the operation, 6 and 7 its flags */
    enum op kind = (enum op)((op & 0x3Fu) % OP_COUNT);

    switch (kind) {
    case OP_ADD_QUERY: {
        struct dnsfail_query_obs q;
        memset(&q, 0, sizeof q);
        q.frame = ++s->frame;
        q.time_ns = advance_time(s, c);
        read_flow(c, &q.flow);
        read_fingerprint(c, &q.fingerprint);
        q.dns_id = (uint16_t)(fuzz_u8(c) & 7u);
        q.has_question = (op & 0x80u) == 0;
        read_question(c, &q.question);
        q.cookie = (void *)(uintptr_t)q.frame;
        q.tcp_seq = fuzz_u8(c);
        uint32_t attempt = dnsfail_tracker_add_query(s->t, &q);
        if (q.has_question)
            FUZZ_CHECK(attempt >= 1);
        else
            FUZZ_CHECK(attempt == 0);
        break;
    }
    case OP_MATCH_ERROR:
    case OP_MATCH_ANSWER: {
        struct dnsfail_error_obs e;
        memset(&e, 0, sizeof e);
        e.frame = ++s->frame;
        e.time_ns = advance_time(s, c);
        read_flow(c, &e.flow);
        read_fingerprint(c, &e.fingerprint);
        e.has_dns_id = (op & 0x80u) == 0;
        e.dns_id = (uint16_t)(fuzz_u8(c) & 7u);
        if (kind == OP_MATCH_ERROR) {
            bool found = dnsfail_tracker_match_error(s->t, &e, &m);
            check_match(s, &m, found);
            if (found) {
                FUZZ_CHECK(m.by != DNSFAIL_MATCH_NONE && m.frame < e.frame);
                if (m.by == DNSFAIL_MATCH_ID)
                    FUZZ_CHECK(e.has_dns_id && m.dns_id == e.dns_id);
            }
        } else {
            struct dnsfail_question q;
            read_question(c, &q);
            enum dnsfail_answer_timing timing =
                dnsfail_tracker_match_answer(s->t, &e, (op & 0x40u) ? &q : NULL, &m);
            FUZZ_CHECK(timing <= DNSFAIL_ANSWER_REPEATED);
            check_match(s, &m, timing != DNSFAIL_ANSWER_UNMATCHED);
            if (timing != DNSFAIL_ANSWER_UNMATCHED)
                FUZZ_CHECK(e.has_dns_id && m.dns_id == e.dns_id && m.frame < e.frame);
        }
        break;
    }
    case OP_COUNT_ATTEMPT: {
        struct dnsfail_flow f;
        struct dnsfail_question q;
        read_flow(c, &f);
        read_question(c, &q);
        ++s->frame;
        FUZZ_CHECK(dnsfail_tracker_count_attempt(s->t, &f, &q, advance_time(s, c)) >= 1);
        break;
    }
    case OP_NOTE_FAILURE:
    case OP_TAKE_FAILURE: {
        struct dnsfail_flow f;
        struct dnsfail_question q;
        read_flow(c, &f);
        read_question(c, &q);
        if (kind == OP_NOTE_FAILURE) {
            dnsfail_tracker_note_failure(s->t, &f.client, &q);
        } else if (dnsfail_tracker_take_failure(s->t, &f.client, &q)) {
            /* One answer ends one episode: a second take finds nothing open. */
            FUZZ_CHECK(!dnsfail_tracker_take_failure(s->t, &f.client, &q));
        }
        break;
    }
    case OP_TAKE_TIMEOUTS: {
        int64_t now = advance_time(s, c);
        dnsfail_tracker_get_stats(s->t, &before);
        int64_t deadline = dnsfail_tracker_next_deadline(s->t);
        uint32_t taken = 0;
        while (dnsfail_tracker_take_timeout(s->t, now, &m)) {
            check_match(s, &m, true);
            FUZZ_CHECK(deadline <= now);
            FUZZ_CHECK(++taken <= before.waiting); /* each waiting query times out once */
        }
        struct dnsfail_tracker_stats after;
        dnsfail_tracker_get_stats(s->t, &after);
        FUZZ_CHECK(after.timeouts == before.timeouts + taken);
        /* Nothing due is left; a deadline past INT64_MAX (saturated) is never due. */
        int64_t next = dnsfail_tracker_next_deadline(s->t);
        FUZZ_CHECK(after.waiting == 0 || next > now || next == INT64_MAX);
        break;
    }
    case OP_NEXT_DEADLINE: {
        dnsfail_tracker_get_stats(s->t, &before);
        int64_t deadline = dnsfail_tracker_next_deadline(s->t);
        if (before.waiting == 0)
            FUZZ_CHECK(deadline == INT64_MAX);
        break;
    }
    case OP_RESET:
        dnsfail_tracker_reset(s->t);
        dnsfail_tracker_get_stats(s->t, &before);
        FUZZ_CHECK(before.tracked == 0 && before.queries == 0 && before.waiting == 0);
        break;
    case OP_CONFIGURE:
        read_config(c, &s->config);
        dnsfail_tracker_configure(s->t, &s->config);
        dnsfail_tracker_get_stats(s->t, &before);
        FUZZ_CHECK(before.tracked == 0 && before.waiting == 0);
        break;
    case OP_COUNT:
        break;
    }
    check_stats(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_cursor c = fuzz_cursor(data, size);
    struct state s;
    memset(&s, 0, sizeof s);
    s.extreme_times = (fuzz_u8(&c) & 1u) != 0;
#ifdef FUZZ_TRACKER_NO_EXTREME_TIMES
    /* For a campaign past a known overflow with extreme times (docs/fuzzing.md). */
    s.extreme_times = false;
#endif
    read_config(&c, &s.config);
    s.clock = INT64_C(1795624381000000000);
    s.t = dnsfail_tracker_new(&s.config);
    if (!s.t)
        return 0;
    for (int i = 0; i < MAX_OPS && c.left > 0; i++)
        run_op(&s, &c);
    dnsfail_tracker_free(s.t);
    return 0;
}
