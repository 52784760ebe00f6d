/* timeout.c - queries that nothing answered within the timeout, and answers that
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
#include "timeout.h"

#include "dnsfail/dns_message.h"
#include "dnsfail/failure_text.h"
#include "dnsfail/frame_index.h"
#include "dnsfail/reason.h"

#include "failure_render.h"
#include "frame_facts.h"

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
    struct failure_link link;
};

/* Query frame -> struct timeout_mark, per file. Timeouts are taken from the head of the
 * waiting list, in capture order, so each mark is appended: 16 bytes a timeout, in one
 * array (a wmem_map spent about 80, in three allocations scattered over the heap). */
static struct dnsfail_frame_index timeouts; /* made ready by timeouts_reset */

/* An init routine: runs before any file is read. */
void timeouts_reset(void)
{
    dnsfail_frame_index_clear(&timeouts);
    dnsfail_frame_index_init(&timeouts, sizeof(struct timeout_mark));
}

void timeouts_refresh(struct analysis_state *a)
{
    a->next_deadline_ns = a->tracker ? dnsfail_tracker_next_deadline(a->tracker) : INT64_MAX;
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
    r->unnamed = flow->transport == DNSFAIL_TRANSPORT_TCP ? DNSFAIL_UNNAMED_TCP_SYN : DNSFAIL_UNNAMED_QUERY;
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
    dnsfail_format_no_answer(v->timeout_ns, r->reason, sizeof r->reason);
    r->link.request_in = query_frame; /* itself: no link shown, the tap's request_in */
    r->link.attempt = v->attempt;
    r->late_answer_in = v->late_answer_in;
    r->timeout_ns = v->timeout_ns;
    return r;
}

void timeout_show_tap_record(packet_info *pinfo, proto_tree *tree, const struct dnsfail_tap_record *rec)
{
    struct timeout_verdict v = {
        .flow = rec->flow,
        .has_question = rec->has_question,
        .question = rec->question,
        .dns_id = rec->dns_id,
        .attempt = rec->attempt,
        .query_ns = rec->time_ns,
        .timeout_ns = rec->timeout_ns,
    };
    failure_render_tree(pinfo, tree, timeout_record(pinfo, NULL, &v, rec->frame));
}

void timeouts_expire(struct analysis_state *a, packet_info *pinfo)
{
    struct dnsfail_query_match m;
    int64_t now_ns = frame_time_ns(pinfo);

    /* Each timeout is also noted as the client's failed question (by the tracker), so that
     * a later answer to it ends a failed resolution. */
    while (a->tracker && dnsfail_tracker_take_timeout(a->tracker, now_ns, &m)) {
        struct timeout_verdict v = {
            .flow = m.flow,
            .has_question = m.has_question,
            .question = m.question,
            .dns_id = m.dns_id,
            .attempt = m.attempt,
            .query_ns = m.time_ns,
            .timeout_ns = a->timeout_ns,
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
    timeouts_refresh(a);
}

void late_answer_first_pass(struct analysis_state *state, packet_info *pinfo, const struct dns_seen *seen,
                            const struct dnsfail_query_match *m)
{
    struct late_answer *late = wmem_new0(wmem_file_scope(), struct late_answer);
    struct dnsfail_edns edns;
    int64_t now_ns = frame_time_ns(pinfo);

    late->flow = seen->flow;
    late->has_question = dnsfail_dns_question_of(seen->msg, &late->question);
    if (!late->has_question && m->has_question) {
        late->has_question = true;
        late->question = m->question;
    }
    late->dns_id = seen->msg->id;
    dnsfail_dns_parse_edns(seen->bytes, seen->len, &edns);
    late->rcode = dnsfail_dns_full_rcode(seen->msg, &edns);
    late->waited_ns = now_ns - m->time_ns;
    late->timeout_ns = state->timeout_ns;
    failure_link_from_match(&late->link, m, now_ns);
    analysis_results_make(state, pinfo, seen->stash)->late_answer = late;
    struct timeout_mark *mark = dnsfail_frame_index_get(&timeouts, m->frame);
    if (mark && !mark->late_answer_in)
        mark->late_answer_in = pinfo->num;
}

/* ---- output ------------------------------------------------------------------------ */

static struct failure_record *late_answer_record(packet_info *pinfo, tvbuff_t *tvb, const struct late_answer *a)
{
    struct failure_record *r = failure_record_new(pinfo, FAILURE_LATE_ANSWER, tvb);
    set_query(r, &a->flow, a->has_question, &a->question);
    r->has_dns_id = r->dns_id_shown = true;
    r->dns_id = a->dns_id;
    r->reporter = a->flow.server;
    r->reporter_is_target = true;
    r->diagnosis = DNSFAIL_DIAG_LATE_ANSWER;
    dnsfail_format_late(a->waited_ns, a->timeout_ns, r->reason, sizeof r->reason);
    r->link = a->link;
    r->rcode = a->rcode;
    r->timeout_ns = a->timeout_ns;
    r->waited_ns = a->waited_ns;
    return r;
}

/* The timed-out query on this frame, read again: its flow from the frame's addresses and
 * ports, its question and id from its DNS message. */
static bool reread_query(const struct analysis_state *a, packet_info *pinfo, const struct frame_stash *stash, tvbuff_t *tvb,
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
    v->query_ns = frame_time_ns(pinfo);
    v->timeout_ns = a->timeout_ns;
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

void timeouts_annotate(const struct analysis_state *a, packet_info *pinfo, proto_tree *tree,
                       const struct frame_stash *stash, tvbuff_t *tvb, const struct late_answer *late)
{
    if (late)
        failure_render(pinfo, tree, late_answer_record(pinfo, tvb, late));
    /* A query's timeout is known only after its frame was first read. */
    if (PINFO_FD_VISITED(pinfo) && timeouts.count) {
        const struct timeout_mark *mark = dnsfail_frame_index_get(&timeouts, pinfo->num);
        struct timeout_verdict *v = mark ? wmem_new(pinfo->pool, struct timeout_verdict) : NULL;
        if (v && reread_query(a, pinfo, stash, tvb, mark, v))
            failure_render(pinfo, tree, timeout_record(pinfo, tvb, v, pinfo->num));
    }
}
