/* fuzz_answer_log.c - the answer log (answer_log.c, ring_table.c) driven by a sequence of
 * operations decoded from the input: answers added, errors matched to them, resets and
 * new limits. Flows, lengths, checksums and ids take few values, so that candidates
 * collide on the flow all the time; limits are small, so eviction happens all the time.
 *
 * Input: one byte of limit, then operations: one opcode byte (bits 0..1 the operation,
 * bits 6 and 7 its flags) and its operands (see run_op).
 *
 * The harness keeps its own copy of every answer added (by frame): a match must name an
 * answer that was added, on the error's flow, before it, with the quoted id, or else the
 * quoted length and checksum, and hand back that answer's own question.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "fuzz_common.h"

#include "dnsfail/answer_log.h"

#define MAX_OPS 1024

enum op { OP_ADD, OP_FIND, OP_RESET, OP_CONFIGURE };

/* What was added, by frame number (frames 1..MAX_OPS). */
struct shadow {
    bool added;
    int64_t time_ns;
    struct dnsfail_flow flow;
    struct dnsfail_fingerprint fp;
    uint16_t dns_id;
    bool has_question;
    uint16_t qtype;
    uint16_t qname_len;
};

struct state {
    struct dnsfail_answer_log *log;
    uint32_t limit;
    uint32_t frame;
    int64_t clock;
    struct shadow added[MAX_OPS + 1];
};

static const uint8_t CLIENTS[2][4] = {{192, 0, 2, 10}, {192, 0, 2, 11}};
static const uint8_t SERVER[4] = {203, 0, 113, 9};
static const char *const NAMES[] = {"\3www\7example\3com", "\7example\3com", "", "\4host\5local"};

static void read_flow(struct fuzz_cursor *c, struct dnsfail_flow *f)
{
    uint8_t b = fuzz_u8(c);
    memset(f, 0, sizeof *f);
    if (b & 0x10u) {
        static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x10};
        dnsfail_addr_set_ipv6(&f->client, v6);
        dnsfail_addr_set_ipv6(&f->server, v6);
    } else {
        dnsfail_addr_set_ipv4(&f->client, CLIENTS[b & 1u]);
        dnsfail_addr_set_ipv4(&f->server, SERVER);
    }
    f->client_port = (uint16_t)(40000u + ((b >> 1) & 3u));
    f->server_port = 53;
    f->transport = (b & 0x20u) ? 6 : 17;
}

static void read_fingerprint(struct fuzz_cursor *c, struct dnsfail_fingerprint *fp)
{
    uint8_t b = fuzz_u8(c);
    memset(fp, 0, sizeof *fp);
    fp->has_udp_fields = (b & 1u) != 0;
    fp->has_udp_checksum_computed = (b & 2u) != 0;
    fp->udp_length = (uint16_t)(40u + ((b >> 2) & 1u));
    fp->udp_checksum = (uint16_t)((b >> 3) & 3u);
    fp->udp_checksum_computed = (uint16_t)((b >> 5) & 3u);
}

static void read_question(struct fuzz_cursor *c, struct dnsfail_question *q)
{
    uint8_t b = fuzz_u8(c);
    const char *src = NAMES[b % (sizeof NAMES / sizeof NAMES[0])];
    size_t len = strlen(src);
    memset(q, 0, sizeof *q);
    memcpy(q->qname.wire, src, len + 1);
    q->qname.wire_len = (uint16_t)(len + 1);
    q->qname.status = DNSFAIL_NAME_OK;
    q->qtype = (b & 0x80u) ? 28 : 1;
    q->qclass = 1;
}

static int64_t advance_time(struct state *s, struct fuzz_cursor *c)
{
    uint8_t b = fuzz_u8(c);
    int64_t step = (int64_t)(b & 63u);
    switch (b >> 6) {
    case 0: s->clock = fuzz_add_sat(s->clock, step * INT64_C(1000000)); break;
    case 1: s->clock = fuzz_add_sat(s->clock, step * INT64_C(10000000000)); break; /* past 120 s at times */
    case 2: s->clock = fuzz_add_sat(s->clock, -step * INT64_C(100000000)); break;
    default: s->clock = (b & 1u) ? INT64_MAX - (int64_t)step : INT64_MIN + (int64_t)step; break;
    }
    return s->clock;
}

static bool same_flow(const struct dnsfail_flow *a, const struct dnsfail_flow *b)
{
    return a->transport == b->transport && a->client_port == b->client_port && a->server_port == b->server_port &&
           dnsfail_addr_equal(&a->client, &b->client) && dnsfail_addr_equal(&a->server, &b->server);
}

static void check_found(const struct state *s, const struct dnsfail_error_obs *e, const struct dnsfail_answer_found *f)
{
    FUZZ_CHECK(f->frame >= 1 && f->frame < e->frame && f->frame <= s->frame);
    const struct shadow *a = &s->added[f->frame];
    FUZZ_CHECK(a->added);
    FUZZ_CHECK(a->flow.transport == 17 && a->fp.has_udp_fields);
    FUZZ_CHECK(same_flow(&a->flow, &e->flow));
    FUZZ_CHECK(f->time_ns == a->time_ns && f->dns_id == a->dns_id);
    if (e->has_dns_id) {
        FUZZ_CHECK(f->by == DNSFAIL_MATCH_ID && f->dns_id == e->dns_id);
    } else {
        FUZZ_CHECK(f->by == DNSFAIL_MATCH_FINGERPRINT);
        FUZZ_CHECK(e->fingerprint.has_udp_fields && e->fingerprint.udp_length == a->fp.udp_length);
        FUZZ_CHECK(e->fingerprint.udp_checksum == a->fp.udp_checksum ||
                   (a->fp.has_udp_checksum_computed && e->fingerprint.udp_checksum == a->fp.udp_checksum_computed));
    }
    FUZZ_CHECK(f->has_question == a->has_question);
    if (f->has_question)
        FUZZ_CHECK(f->question.qtype == a->qtype && f->question.qname.wire_len == a->qname_len &&
                   f->question.qname.status == DNSFAIL_NAME_OK);
}

static uint32_t read_limit(struct fuzz_cursor *c)
{
    uint8_t b = fuzz_u8(c);
    return b == 0xFF ? 0u : 1u + (b & 63u);
}

static void run_op(struct state *s, struct fuzz_cursor *c)
{
    uint8_t op = fuzz_u8(c);
    switch ((enum op)(op & 3u)) {
    case OP_ADD: {
        struct dnsfail_question q;
        struct dnsfail_answer_obs a;
        memset(&a, 0, sizeof a);
        a.frame = ++s->frame;
        a.time_ns = advance_time(s, c);
        read_flow(c, &a.flow);
        read_fingerprint(c, &a.fingerprint);
        a.dns_id = (uint16_t)(fuzz_u8(c) & 3u);
        read_question(c, &q);
        a.question = (op & 0x80u) ? NULL : &q;
        dnsfail_answer_log_add(s->log, &a);
        struct shadow *sh = &s->added[a.frame];
        sh->added = a.flow.transport == 17 && a.fingerprint.has_udp_fields;
        sh->time_ns = a.time_ns;
        sh->flow = a.flow;
        sh->fp = a.fingerprint;
        sh->dns_id = a.dns_id;
        sh->has_question = a.question != NULL;
        sh->qtype = q.qtype;
        sh->qname_len = q.qname.wire_len;
        break;
    }
    case OP_FIND: {
        struct dnsfail_error_obs e;
        struct dnsfail_answer_found f;
        memset(&e, 0, sizeof e);
        e.frame = ++s->frame;
        e.time_ns = advance_time(s, c);
        read_flow(c, &e.flow);
        read_fingerprint(c, &e.fingerprint);
        e.has_dns_id = (op & 0x80u) == 0;
        e.dns_id = (uint16_t)(fuzz_u8(c) & 3u);
        if (dnsfail_answer_log_find(s->log, &e, &f))
            check_found(s, &e, &f);
        else
            FUZZ_CHECK(f.frame == 0 && !f.has_question);
        break;
    }
    case OP_RESET:
        dnsfail_answer_log_reset(s->log);
        memset(s->added, 0, sizeof s->added);
        break;
    case OP_CONFIGURE:
        s->limit = read_limit(c);
        dnsfail_answer_log_configure(s->log, s->limit);
        memset(s->added, 0, sizeof s->added);
        break;
    }
    /* Bounded: never more than the limit's slots (at least 256), with their buckets. */
    uint32_t limit = s->limit < 256u ? 256u : s->limit;
    FUZZ_CHECK(dnsfail_answer_log_bytes(s->log) <= 1024u + (size_t)limit * 400u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_cursor c = fuzz_cursor(data, size);
    struct state *s = calloc(1, sizeof *s);
    if (!s)
        return 0;
    s->limit = read_limit(&c);
    s->clock = INT64_C(1795624381000000000);
    s->log = dnsfail_answer_log_new(s->limit);
    if (s->log) {
        for (int i = 0; i < MAX_OPS && c.left > 0; i++)
            run_op(s, &c);
        dnsfail_answer_log_free(s->log);
    }
    free(s);
    return 0;
}
