/* answer_log.c - the DNS answers recently sent, for the errors that quote them
 * (answer_log.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/answer_log.h"

#include <stdlib.h>
#include <string.h>

#include "addr_key.h"
#include "ring_table.h"

#define ANSWER_LOG_MIN 256u
/* How many answers on one flow are looked at, newest first. */
#define FIND_MAX_WALK 64

/* Every member is assigned when an answer is added (slots are reused without zeroing);
 * the name's bytes only up to its length, and read only that far. */
struct answer_record {
    int64_t time_ns;
    uint32_t frame;
    struct dnsfail_flow flow;
    uint16_t udp_length;
    uint16_t udp_checksum;          /* as captured */
    uint16_t udp_checksum_computed; /* when the captured one may be partial (offload) */
    bool has_checksum_computed;
    bool has_question;
    uint16_t dns_id;
    uint16_t qtype, qclass;
    uint16_t qname_len;
    uint8_t qname_labels;
    bool qname_compressed;
    uint8_t qname_status;
    uint8_t qname_wire[DNSFAIL_NAME_WIRE_MAX];
};

struct dnsfail_answer_log {
    struct ring_table answers;      /* keyed by flow */
};

static uint32_t effective_limit(uint32_t max_answers)
{
    return max_answers >= ANSWER_LOG_MIN ? max_answers : ANSWER_LOG_MIN;
}

struct dnsfail_answer_log *dnsfail_answer_log_new(uint32_t max_answers)
{
    struct dnsfail_answer_log *log = calloc(1, sizeof *log);
    if (log)
        ring_table_init(&log->answers, sizeof(struct answer_record), effective_limit(max_answers));
    return log;
}

void dnsfail_answer_log_free(struct dnsfail_answer_log *log)
{
    if (!log)
        return;
    ring_table_clear(&log->answers);
    free(log);
}

void dnsfail_answer_log_reset(struct dnsfail_answer_log *log)
{
    ring_table_clear(&log->answers);
    log->answers.evicted = 0;
}

void dnsfail_answer_log_configure(struct dnsfail_answer_log *log, uint32_t max_answers)
{
    dnsfail_answer_log_reset(log);
    ring_table_init(&log->answers, sizeof(struct answer_record), effective_limit(max_answers));
}

void dnsfail_answer_log_add(struct dnsfail_answer_log *log, const struct dnsfail_answer_obs *a)
{
    if (a->flow.transport != DNSFAIL_TRANSPORT_UDP || !a->fingerprint.has_udp_fields)
        return;
    int32_t s = ring_table_insert_raw(&log->answers, flow_key_hash(&a->flow));
    if (s == -1)
        return;
    struct answer_record *r = ring_table_record(&log->answers, s);
    r->time_ns = a->time_ns;
    r->frame = a->frame;
    r->flow = a->flow;
    r->udp_length = a->fingerprint.udp_length;
    r->udp_checksum = a->fingerprint.udp_checksum;
    r->has_checksum_computed = a->fingerprint.has_udp_checksum_computed;
    r->udp_checksum_computed = a->fingerprint.udp_checksum_computed;
    r->dns_id = a->dns_id;
    r->has_question = a->question != NULL;
    if (!a->question)
        return;
    const struct dnsfail_dns_name *n = &a->question->qname;
    size_t len = n->wire_len <= DNSFAIL_NAME_WIRE_MAX ? n->wire_len : DNSFAIL_NAME_WIRE_MAX;
    r->qtype = a->question->qtype;
    r->qclass = a->question->qclass;
    r->qname_len = (uint16_t)len;
    r->qname_labels = n->labels;
    r->qname_compressed = n->compressed;
    r->qname_status = n->status;
    memcpy(r->qname_wire, n->wire, len);
}

/* The quote's UDP length and checksum against the answer's; the captured checksum may be
 * the partial one a sending host leaves to its NIC, the quote has the one sent. */
static bool same_datagram(const struct dnsfail_fingerprint *quoted, const struct answer_record *r)
{
    if (!quoted->has_udp_fields || quoted->udp_length != r->udp_length)
        return false;
    return quoted->udp_checksum == r->udp_checksum ||
           (r->has_checksum_computed && quoted->udp_checksum == r->udp_checksum_computed);
}

static void fill_found(struct dnsfail_answer_found *f, const struct answer_record *r, enum dnsfail_match_by by)
{
    memset(f, 0, sizeof *f);
    f->by = (uint8_t)by;
    f->frame = r->frame;
    f->time_ns = r->time_ns;
    f->dns_id = r->dns_id;
    f->has_question = r->has_question;
    if (!r->has_question)
        return;
    f->question.qtype = r->qtype;
    f->question.qclass = r->qclass;
    f->question.qname.wire_len = r->qname_len;
    f->question.qname.labels = r->qname_labels;
    f->question.qname.compressed = r->qname_compressed;
    f->question.qname.status = r->qname_status;
    memcpy(f->question.qname.wire, r->qname_wire, r->qname_len);
}

bool dnsfail_answer_log_find(const struct dnsfail_answer_log *log, const struct dnsfail_error_obs *e,
                             struct dnsfail_answer_found *found)
{
    const struct answer_record *best = NULL;
    bool best_agrees = false;
    uint64_t h = flow_key_hash(&e->flow);
    int walked = 0;

    /* Newest first: the first candidate that agrees on everything quoted ends the walk. */
    for (int32_t s = ring_table_first(&log->answers, h); s != -1 && walked < FIND_MAX_WALK;
         s = ring_table_next(&log->answers, s, h), walked++) {
        const struct answer_record *r = ring_table_record(&log->answers, s);
        int64_t age = dnsfail_time_diff(e->time_ns, r->time_ns);
        if (r->frame >= e->frame || age < -DNSFAIL_NS_PER_S || age > DNSFAIL_TRACKER_MATCH_MAX_AGE_NS ||
            !flow_key_equal(&r->flow, &e->flow))
            continue;
        bool agrees = same_datagram(&e->fingerprint, r);
        if (e->has_dns_id ? r->dns_id != e->dns_id : !agrees)
            continue;
        if (!best || (agrees && !best_agrees)) {
            best = r;
            best_agrees = agrees;
        }
        if (best_agrees)
            break;
    }
    if (!best) {
        memset(found, 0, sizeof *found);
        return false;
    }
    fill_found(found, best, e->has_dns_id ? DNSFAIL_MATCH_ID : DNSFAIL_MATCH_FINGERPRINT);
    return true;
}

size_t dnsfail_answer_log_bytes(const struct dnsfail_answer_log *log)
{
    return sizeof *log + ring_table_bytes(&log->answers);
}
