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
#include "failure_record.h"

#include <inttypes.h>


#include "dnsfail/dns_message.h"
#include "dnsfail/frame_index.h"
#include "dnsfail/reason.h"
#include "dnsfail/text.h"


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

/* "no answer within 5 s" */
static void format_reason(const struct timeout_verdict *v, char *buf, size_t size)
{
    char secs[32];
    dnsfail_format_timeout(v->timeout_ns, secs, sizeof secs);
    snprintf(buf, size, "no answer within %s", secs);
}

/* What was asked, of whom, by whom: a timeout and a late answer both know only this of
 * their query, read from another frame (all generated). */
static void set_query(struct failure_record *r, const struct dnsfail_flow *flow, bool has_question,
                      const struct dnsfail_question *q)
{
    r->at.whole.length = 0;
    failure_spans_all_generated(&r->at);
    r->flow = *flow;
    if (has_question)
        failure_record_set_question(r, q);
    r->unnamed = flow->transport == DNSFAIL_TRANSPORT_TCP ? UNNAMED_TCP_SYN : UNNAMED_QUERY;
}

/* The timeout as a failure record: it describes the query, wherever it is shown. */
static struct failure_record *timeout_record(packet_info *pinfo, tvbuff_t *tvb, const struct timeout_verdict *v,
                                             uint32_t query_frame)
{
    struct failure_record *r = failure_record_new(pinfo, FAILURE_TIMEOUT, tvb);
    set_query(r, &v->flow, v->has_question, &v->question);
    r->frame = query_frame;
    r->time_ns = v->query_ns;
    r->has_dns_id = r->dns_id_shown = v->has_question;
    r->dns_id = v->dns_id;
    r->diagnosis = DNSFAIL_DIAG_NO_ANSWER;
    format_reason(v, r->reason, sizeof r->reason);
    r->link.request_in = query_frame; /* itself: no link shown, the tap's request_in */
    r->link.attempt = v->attempt;
    r->late_answer_in = v->late_answer_in;
    r->timeout_ns = v->timeout_ns;
    return r;
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
        if (failure_tap_wanted()) /* the first pass shows a timeout to the tap only */
            failure_render_tap(pinfo, timeout_record(pinfo, NULL, &v, m.frame));
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

static struct failure_record *late_answer_record(packet_info *pinfo, tvbuff_t *tvb, const struct late_answer *a)
{
    char waited[32], timeout[32];
    struct failure_record *r = failure_record_new(pinfo, FAILURE_LATE_ANSWER, tvb);
    set_query(r, &a->flow, a->has_question, &a->question);
    r->has_dns_id = r->dns_id_shown = true;
    r->dns_id = a->dns_id;
    r->reporter = a->flow.server;
    r->reporter_is_target = true;
    r->diagnosis = DNSFAIL_DIAG_LATE_ANSWER;
    dnsfail_format_wait(a->waited_ns, waited, sizeof waited);
    dnsfail_format_timeout(a->timeout_ns, timeout, sizeof timeout);
    snprintf(r->reason, sizeof r->reason, "answer after %s, past the %s timeout", waited, timeout);
    r->link = a->link;
    r->rcode = a->rcode;
    r->timeout_ns = a->timeout_ns;
    r->waited_ns = a->waited_ns;
    return r;
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
        failure_render(pinfo, tree, late_answer_record(pinfo, tvb, a));
    /* A query's timeout is known only after its frame was first read. */
    if (PINFO_FD_VISITED(pinfo) && timeouts.count) {
        const struct timeout_mark *mark = dnsfail_frame_index_get(&timeouts, pinfo->num);
        struct timeout_verdict *v = mark ? wmem_new(pinfo->pool, struct timeout_verdict) : NULL;
        if (v && reread_query(pinfo, stash, tvb, mark, v))
            failure_render(pinfo, tree, timeout_record(pinfo, tvb, v, pinfo->num));
    }
}
