/* dnsfail_timeout.c - queries that nothing answered within the timeout, and answers that
 * came after it.
 *
 * A timeout is known once the capture shows its deadline passing: the first frame at or
 * after it, in the first pass. That frame queues the timeout's tap record (tshark's
 * single pass and the GUI's first read count it there); the query's own frame shows it,
 * and queues the record instead, in every later pass (tshark -2, the GUI once the file
 * is read). A query with less than the timeout of capture after it is no timeout: the
 * report counts it as still waiting.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail_plugin.h"

#include <inttypes.h>

#include <epan/column-utils.h>
#include <epan/proto_data.h>
#include <epan/tap.h>

#include "dnsfail/dns_message.h"
#include "dnsfail/frame_index.h"
#include "dnsfail/reason.h"
#include "dnsfail/tap.h"

#define NS_PER_S INT64_C(1000000000)

/* A query that timed out, as the output needs it. */
struct timeout_verdict {
    struct dnsfail_flow flow;
    bool has_question;
    struct dnsfail_question question;
    uint16_t dns_id;
    uint32_t attempt;
    int64_t query_ns;
    int64_t timeout_ns;
    uint32_t late_answer_in;     /* 0: no answer came */
};

/* What is kept of a timed-out query until the next pass, by its frame number: a flood of
 * unanswered queries keeps this much per query (and its frame number), no more. The rest
 * is read again from the query's frame. */
struct timeout_mark {
    uint32_t attempt;
    uint32_t late_answer_in;
    uint32_t dns_offset;         /* of the DNS message in the UDP datagram or TCP segment; 0: a SYN */
};

/* An answer to a query that had timed out, kept with its frame. */
struct late_answer {
    struct dnsfail_flow flow;
    bool has_question;
    struct dnsfail_question question;
    uint16_t dns_id;
    uint16_t rcode;
    int64_t waited_ns;
    int64_t timeout_ns;
    struct dnsfail_link link;
};

/* Query frame -> struct timeout_mark, per file. Timeouts are taken from the head of the
 * waiting list, in capture order, so each mark is appended: 16 bytes a timeout, in one
 * array (a wmem_map spent about 80, in three allocations scattered over the heap). */
static struct dnsfail_frame_index timeouts; /* made ready by dnsfail_timeouts_reset */

int64_t dnsfail_next_deadline_ns = INT64_MIN;

/* An init routine: runs before any file is read. */
void dnsfail_timeouts_reset(void)
{
    dnsfail_frame_index_clear(&timeouts);
    dnsfail_frame_index_init(&timeouts, sizeof(struct timeout_mark));
    dnsfail_timeouts_recheck();
}

void dnsfail_timeouts_refresh(void)
{
    dnsfail_next_deadline_ns = dnsfail_tracker ? dnsfail_tracker_next_deadline(dnsfail_tracker) : INT64_MAX;
}

/* "5 s", "1.5 s": the timeout or a wait, in the words of the reason. */
static void format_seconds(int64_t ns, char *buf, size_t size)
{
    if (ns % NS_PER_S == 0)
        snprintf(buf, size, "%" PRId64 " s", ns / NS_PER_S);
    else
        snprintf(buf, size, "%" PRId64 ".%01d s", ns / NS_PER_S, (int)(ns % NS_PER_S / (NS_PER_S / 10)));
}

/* "6.0 s": a wait, to a tenth of a second, truncated. */
static void format_wait(int64_t ns, char *buf, size_t size)
{
    if (ns < 0)
        ns = 0;
    snprintf(buf, size, "%" PRId64 ".%01d s", ns / NS_PER_S, (int)(ns % NS_PER_S / (NS_PER_S / 10)));
}

static void format_reason(const struct timeout_verdict *v, char *buf, size_t size)
{
    char secs[32];
    format_seconds(v->timeout_ns, secs, sizeof secs);
    snprintf(buf, size, "no answer within %s", secs);
}

/* "A www.example.com", or what the query was when it had no question. */
static void format_subject(const struct dnsfail_flow *flow, bool has_question, const struct dnsfail_question *q,
                           char *buf, size_t size)
{
    char name[DNSFAIL_NAME_TEXT_MAX], type[16];
    if (has_question) {
        dnsfail_dns_name_format(&q->qname, name, sizeof name);
        snprintf(buf, size, "%s %s", dnsfail_dns_type_format(q->qtype, type, sizeof type), name);
    } else if (flow->transport == DNSFAIL_TRANSPORT_TCP) {
        snprintf(buf, size, "connection (TCP SYN)");
    } else {
        snprintf(buf, size, "query");
    }
}

static void queue_timeout_record(packet_info *pinfo, const struct timeout_verdict *v, uint32_t query_frame)
{
    struct dnsfail_tap_record *rec = dnsfail_tap_record_new(pinfo, DNSFAIL_TAP_FAILURE, DNSFAIL_KIND_TIMEOUT, &v->flow);
    if (!rec)
        return;
    rec->frame = query_frame; /* the record describes the query, wherever it is queued */
    rec->time_ns = v->query_ns;
    rec->has_question = v->has_question;
    rec->question = v->question;
    if (v->has_question)
        dnsfail_dns_name_format(&v->question.qname, rec->qname, sizeof rec->qname);
    rec->has_dns_id = v->has_question;
    rec->dns_id = v->dns_id;
    rec->diagnosis = DNSFAIL_DIAG_NO_ANSWER;
    format_reason(v, rec->reason, sizeof rec->reason);
    rec->attempt = v->attempt;
    rec->request_in = query_frame;
    rec->timeout_ns = v->timeout_ns;
    tap_queue_packet(dnsfail_tap, pinfo, rec);
}

void dnsfail_timeouts_expire(packet_info *pinfo)
{
    struct dnsfail_query_match m;
    int64_t now_ns = dnsfail_frame_time_ns(pinfo);

    /* Each timeout is also noted as the client's failed question (by the tracker), so that
     * a later answer to it ends a failed resolution. */
    while (dnsfail_tracker && dnsfail_tracker_take_timeout(dnsfail_tracker, now_ns, &m)) {
        struct timeout_verdict v = {
            .flow = m.flow,
            .has_question = m.has_question,
            .question = m.question,
            .dns_id = m.dns_id,
            .attempt = m.attempt,
            .query_ns = m.time_ns,
            .timeout_ns = dnsfail_timeout_ns,
        };
        struct timeout_mark *mark = dnsfail_frame_index_put(&timeouts, m.frame);
        if (mark) { /* out of memory: the later passes will not show this timeout */
            mark->attempt = m.attempt;
            mark->late_answer_in = 0;
            mark->dns_offset = GPOINTER_TO_UINT(m.cookie);
        }
        queue_timeout_record(pinfo, &v, m.frame);
    }
    dnsfail_timeouts_refresh();
}

void dnsfail_late_answer_first_pass(packet_info *pinfo, const struct dnsfail_dns_seen *seen,
                                    const struct dnsfail_query_match *m)
{
    struct late_answer *a = wmem_new0(wmem_file_scope(), struct late_answer);
    struct dnsfail_edns edns;
    int64_t now_ns = dnsfail_frame_time_ns(pinfo);

    a->flow = seen->flow;
    a->has_question = dnsfail_dns_question_of(seen->msg, &a->question);
    if (!a->has_question && m->has_question) {
        a->has_question = true;
        a->question = m->question;
    }
    a->dns_id = seen->msg->id;
    dnsfail_dns_parse_edns(seen->bytes, seen->len, &edns);
    a->rcode = dnsfail_dns_full_rcode(seen->msg, &edns);
    a->waited_ns = now_ns - m->time_ns;
    a->timeout_ns = dnsfail_timeout_ns;
    dnsfail_link_from_match(&a->link, m, now_ns);
    dnsfail_results_make(pinfo, seen->stash)->late_answer = a;
    struct timeout_mark *mark = dnsfail_frame_index_get(&timeouts, m->frame);
    if (mark && !mark->late_answer_in)
        mark->late_answer_in = pinfo->num;
}

/* ---- output ------------------------------------------------------------------------ */

static proto_item *generated(proto_item *item)
{
    proto_item_set_generated(item);
    return item;
}

/* The items a timeout and a late answer share: what was asked, of whom, by whom. */
static void add_query_items(proto_tree *tree, tvbuff_t *tvb, const struct dnsfail_flow *flow, bool has_question,
                            const struct dnsfail_question *q, bool has_id, uint16_t dns_id)
{
    char client[DNSFAIL_ADDR_TEXT_MAX], server[DNSFAIL_ADDR_TEXT_MAX], name[DNSFAIL_NAME_TEXT_MAX];

    if (has_question) {
        dnsfail_dns_name_format(&q->qname, name, sizeof name);
        generated(proto_tree_add_string(tree, dnsfail_hf.qry_name, tvb, 0, 0, name));
        generated(proto_tree_add_uint(tree, dnsfail_hf.qry_type, tvb, 0, 0, q->qtype));
        generated(proto_tree_add_uint(tree, dnsfail_hf.qry_class, tvb, 0, 0, q->qclass));
    }
    if (has_id)
        generated(proto_tree_add_uint(tree, dnsfail_hf.id, tvb, 0, 0, dns_id));
    dnsfail_addr_format(&flow->client, client, sizeof client);
    dnsfail_addr_format(&flow->server, server, sizeof server);
    generated(proto_tree_add_uint(tree, dnsfail_hf.transport, tvb, 0, 0, flow->transport));
    generated(proto_tree_add_string(tree, dnsfail_hf.client, tvb, 0, 0, client));
    generated(proto_tree_add_uint(tree, dnsfail_hf.client_port, tvb, 0, 0, flow->client_port));
    generated(proto_tree_add_string(tree, dnsfail_hf.server, tvb, 0, 0, server));
    dnsfail_items_add_server_address(tree, tvb, &flow->server);
    generated(proto_tree_add_uint(tree, dnsfail_hf.server_port, tvb, 0, 0, flow->server_port));
}

static void add_timeout_value(proto_tree *tree, tvbuff_t *tvb, int64_t timeout_ns)
{
    nstime_t t = {.secs = (time_t)(timeout_ns / NS_PER_S), .nsecs = (int)(timeout_ns % NS_PER_S)};
    generated(proto_tree_add_time(tree, dnsfail_hf.timeout, tvb, 0, 0, &t));
}

static void annotate_timeout(packet_info *pinfo, proto_tree *parent, tvbuff_t *tvb, const struct timeout_verdict *v)
{
    char subject[DNSFAIL_NAME_TEXT_MAX + 32], server[DNSFAIL_ADDR_TEXT_MAX], reason[DNSFAIL_REASON_TEXT_MAX];
    char attempt[32] = "";
    proto_item *top = NULL;

    format_subject(&v->flow, v->has_question, &v->question, subject, sizeof subject);
    dnsfail_addr_format(&v->flow.server, server, sizeof server);
    format_reason(v, reason, sizeof reason);
    if (v->attempt > 1)
        snprintf(attempt, sizeof attempt, " (attempt %u)", v->attempt);
    col_append_fstr(pinfo->cinfo, COL_INFO, " [DNS %s to %s timed out: %s]", subject, server, reason);
    if (parent) {
        top = proto_tree_add_item(parent, proto_dnsfail, tvb, 0, 0, ENC_NA);
        proto_item_append_text(top, ": %s to %s timed out: %s", subject, server, reason);
        proto_tree *tree = proto_item_add_subtree(top, ett_dnsfail);
        generated(proto_tree_add_string(tree, dnsfail_hf.kind, tvb, 0, 0, "timeout"));
        add_query_items(tree, tvb, &v->flow, v->has_question, &v->question, v->has_question, v->dns_id);
        generated(proto_tree_add_string(tree, dnsfail_hf.reason, tvb, 0, 0, reason));
        add_timeout_value(tree, tvb, v->timeout_ns);
        dnsfail_items_add_diagnosis(tree, tvb, DNSFAIL_DIAG_NO_ANSWER);
        if (v->attempt)
            generated(proto_tree_add_uint(tree, dnsfail_hf.attempt, tvb, 0, 0, v->attempt));
        if (v->late_answer_in)
            generated(proto_tree_add_uint(tree, dnsfail_hf.late_answer_in, tvb, 0, 0, v->late_answer_in));
    }
    expert_add_info_format(pinfo, top, &dnsfail_ei.timeout, "DNS %s to %s timed out%s: %s; likely %s", subject,
                           server, attempt, reason, dnsfail_diagnosis_text(DNSFAIL_DIAG_NO_ANSWER));
    queue_timeout_record(pinfo, v, pinfo->num);
}

static void queue_late_record(packet_info *pinfo, const struct late_answer *a, const char *reason)
{
    struct dnsfail_tap_record *rec = dnsfail_tap_record_new(pinfo, DNSFAIL_TAP_LATE_ANSWER, 0, &a->flow);
    if (!rec)
        return;
    rec->has_question = a->has_question;
    rec->question = a->question;
    if (a->has_question)
        dnsfail_dns_name_format(&a->question.qname, rec->qname, sizeof rec->qname);
    rec->reporter = a->flow.server;
    rec->reporter_is_target = true;
    rec->has_dns_id = true;
    rec->dns_id = a->dns_id;
    rec->diagnosis = DNSFAIL_DIAG_LATE_ANSWER;
    snprintf(rec->reason, sizeof rec->reason, "%s", reason);
    rec->attempt = a->link.attempt;
    rec->request_in = a->link.request_in;
    rec->rcode = a->rcode;
    rec->timeout_ns = a->timeout_ns;
    rec->waited_ns = a->waited_ns;
    tap_queue_packet(dnsfail_tap, pinfo, rec);
}

static void annotate_late_answer(packet_info *pinfo, proto_tree *parent, tvbuff_t *tvb, const struct late_answer *a)
{
    char subject[DNSFAIL_NAME_TEXT_MAX + 32], server[DNSFAIL_ADDR_TEXT_MAX], reason[DNSFAIL_REASON_TEXT_MAX];
    char waited[32], timeout[32], rcode[16];
    proto_item *top = NULL;

    format_subject(&a->flow, a->has_question, &a->question, subject, sizeof subject);
    dnsfail_addr_format(&a->flow.server, server, sizeof server);
    format_wait(a->waited_ns, waited, sizeof waited);
    format_seconds(a->timeout_ns, timeout, sizeof timeout);
    dnsfail_rcode_format(a->rcode, rcode, sizeof rcode);
    snprintf(reason, sizeof reason, "answer after %s, past the %s timeout", waited, timeout);
    col_append_fstr(pinfo->cinfo, COL_INFO, " [DNS %s: late answer (%s) %s after the query in frame %u]", subject,
                    rcode, waited, a->link.request_in);
    if (parent) {
        top = proto_tree_add_item(parent, proto_dnsfail, tvb, 0, 0, ENC_NA);
        proto_item_append_text(top, ": %s from %s came late: %s", subject, server, reason);
        proto_tree *tree = proto_item_add_subtree(top, ett_dnsfail);
        generated(proto_tree_add_string(tree, dnsfail_hf.kind, tvb, 0, 0, "late_answer"));
        add_query_items(tree, tvb, &a->flow, a->has_question, &a->question, true, a->dns_id);
        generated(proto_tree_add_uint(tree, dnsfail_hf.rcode, tvb, 0, 0, a->rcode));
        generated(proto_tree_add_string(tree, dnsfail_hf.reason, tvb, 0, 0, reason));
        add_timeout_value(tree, tvb, a->timeout_ns);
        dnsfail_items_add_diagnosis(tree, tvb, DNSFAIL_DIAG_LATE_ANSWER);
        dnsfail_items_add_link(tree, tvb, &a->link);
    }
    expert_add_info_format(pinfo, top, &dnsfail_ei.late_answer,
                           "DNS %s answered (%s) by %s %s after the query in frame %u, past the %s timeout; likely %s",
                           subject, rcode, server, waited, a->link.request_in, timeout,
                           dnsfail_diagnosis_text(DNSFAIL_DIAG_LATE_ANSWER));
    queue_late_record(pinfo, a, reason);
}

/* The timed-out query on this frame, read again: its flow from the frame's addresses and
 * ports, its question and id from its DNS message. */
static bool reread_query(packet_info *pinfo, const struct dnsfail_frame_stash *stash, tvbuff_t *tvb,
                         const struct timeout_mark *mark, struct timeout_verdict *v)
{
    if ((tvb != stash->udp_tvb && tvb != stash->tcp_tvb))
        return false;
    bool udp = tvb == stash->udp_tvb;
    memset(v, 0, sizeof *v);
    v->flow.transport = udp ? DNSFAIL_TRANSPORT_UDP : DNSFAIL_TRANSPORT_TCP;
    v->flow.client = udp ? stash->udp_src : stash->tcp_src;
    v->flow.server = udp ? stash->udp_dst : stash->tcp_dst;
    v->flow.client_port = tvb_get_ntohs(tvb, 0);
    v->flow.server_port = tvb_get_ntohs(tvb, 2);
    v->attempt = mark->attempt;
    v->late_answer_in = mark->late_answer_in;
    v->query_ns = dnsfail_frame_time_ns(pinfo);
    v->timeout_ns = dnsfail_timeout_ns;
    if (mark->dns_offset == 0)
        return true; /* a TCP SYN: no DNS message */
    uint32_t avail = tvb_captured_length_remaining(tvb, mark->dns_offset);
    if (avail < DNSFAIL_DNS_HEADER_LEN)
        return true;
    if (avail > DNSFAIL_DNS_HEADER_LEN + DNSFAIL_NAME_WIRE_MAX + 4)
        avail = DNSFAIL_DNS_HEADER_LEN + DNSFAIL_NAME_WIRE_MAX + 4;
    struct dnsfail_dns_message msg;
    const uint8_t *bytes = (const uint8_t *)tvb_memdup(pinfo->pool, tvb, mark->dns_offset, avail);
    dnsfail_dns_parse(bytes, avail, &msg);
    v->dns_id = msg.id;
    v->has_question = dnsfail_dns_question_of(&msg, &v->question);
    return true;
}

void dnsfail_timeout_annotate(packet_info *pinfo, proto_tree *tree, const struct dnsfail_frame_stash *stash,
                              tvbuff_t *tvb, const void *late_answer)
{
    const struct late_answer *a = late_answer;
    if (a)
        annotate_late_answer(pinfo, tree, tvb, a);
    /* A query's timeout is known only after its frame was first read. */
    if (PINFO_FD_VISITED(pinfo) && timeouts.count) {
        const struct timeout_mark *mark = dnsfail_frame_index_get(&timeouts, pinfo->num);
        struct timeout_verdict *v = mark ? wmem_new(pinfo->pool, struct timeout_verdict) : NULL;
        if (v && reread_query(pinfo, stash, tvb, mark, v))
            annotate_timeout(pinfo, tree, tvb, v);
    }
}
