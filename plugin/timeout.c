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
 * Unless the client retried it while it waited (the tracker says which, dnsfail/tracker.h)
 * and nothing answered it since: then it failed with the client's own wait, whether or
 * not the capture runs on to its deadline. At the deadline it is a timeout as any other,
 * worded "no answer; the client retried after 1.0 s". Before it, the verdict is known only
 * once the capture has been read: a later pass shows it on the query's frame (and queues
 * its tap record there) by asking the tracker; tshark's single pass, which has no frame
 * after the last, tells the report and the stats tree when they are drawn
 * (timeouts_capture_end). Both count the same.
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
#include "resolver_chain.h"

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
    int64_t retried_after_ns;    /* the client's own wait, to its retry; 0: not retried */
};

/* What is kept of a timed-out query until the next pass, by its frame number: a flood of
 * unanswered queries keeps this much per query (and its frame number), no more. The rest
 * is read again from the query's frame. */
struct timeout_mark {
    uint32_t attempt;
    uint32_t late_answer_in;
    uint16_t dns_offset;         /* of the DNS message in the UDP datagram or TCP segment
                                  * (at most 65,535 bytes); 0: a SYN */
    uint16_t retried_after;      /* the client's wait, packed (pack_wait); 0: not retried */
};

/* A wait in 16 bits: tens of ms up to 327.67 s, whole seconds (high bit set) up to 9 hours,
 * then saturated. Tens of ms keep the tenths a reason shows. */
enum { WAIT_SECONDS_FLAG = 0x8000, WAIT_UNITS_MAX = 0x7fff };

static uint16_t pack_wait(int64_t ns)
{
    if (ns <= 0)
        return 0;
    int64_t tens_of_ms = ns / (10 * DNSFAIL_NS_PER_MS);
    if (tens_of_ms <= WAIT_UNITS_MAX)
        return (uint16_t)(tens_of_ms ? tens_of_ms : 1);
    int64_t seconds = ns / DNSFAIL_NS_PER_S;
    return (uint16_t)(WAIT_SECONDS_FLAG | (seconds < WAIT_UNITS_MAX ? seconds : WAIT_UNITS_MAX));
}

static int64_t unpack_wait(uint16_t packed)
{
    if (packed & WAIT_SECONDS_FLAG)
        return (int64_t)(packed & WAIT_UNITS_MAX) * DNSFAIL_NS_PER_S;
    return (int64_t)packed * 10 * DNSFAIL_NS_PER_MS;
}

/* The client's wait as every pass shows it: what a mark keeps of it. */
static int64_t client_wait_ns(int64_t retried_after_ns)
{
    return unpack_wait(pack_wait(retried_after_ns));
}

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

/* The timeout's facts in a record: it describes the query, wherever it is shown. */
static void timeout_fill(struct failure_record *r, const struct timeout_verdict *v, uint32_t query_frame)
{
    set_query(r, &v->flow, v->has_question, &v->question);
    r->frame = query_frame;
    r->time_ns = v->query_ns;
    r->has_dns_id = r->dns_id_shown = v->has_question;
    r->dns_id = v->dns_id;
    r->diagnosis = DNSFAIL_DIAG_NO_ANSWER;
    if (v->retried_after_ns) {
        dnsfail_format_retried(v->retried_after_ns, r->reason, sizeof r->reason);
        r->waited_ns = v->retried_after_ns; /* the tap's waited_ns: the client's own wait */
    } else {
        dnsfail_format_no_answer(v->timeout_ns, r->reason, sizeof r->reason);
    }
    r->link.request_in = query_frame; /* itself: no link shown, the tap's request_in */
    r->link.attempt = v->attempt;
    r->late_answer_in = v->late_answer_in;
    r->timeout_ns = v->timeout_ns;
}

static struct failure_record *timeout_record(packet_info *pinfo, tvbuff_t *tvb, const struct timeout_verdict *v,
                                             uint32_t query_frame)
{
    struct failure_record *r = failure_record_new(pinfo, FAILURE_TIMEOUT, tvb);
    timeout_fill(r, v, query_frame);
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
        .retried_after_ns = rec->waited_ns, /* a timeout's: the client's own wait, or 0 */
    };
    failure_render_tree(pinfo, tree, timeout_record(pinfo, NULL, &v, rec->frame));
}

/* The verdict on a query the tracker gave up on (m), with the timeout in force. */
static void verdict_of_match(struct timeout_verdict *v, const struct dnsfail_query_match *m, int64_t timeout_ns)
{
    *v = (struct timeout_verdict){
        .flow = m->flow,
        .has_question = m->has_question,
        .question = m->question,
        .dns_id = m->dns_id,
        .attempt = m->attempt,
        .query_ns = m->time_ns,
        .timeout_ns = timeout_ns,
        .retried_after_ns = client_wait_ns(m->retried_after_ns),
    };
}

void timeouts_expire(struct analysis_state *a, packet_info *pinfo)
{
    struct dnsfail_query_match m;
    int64_t now_ns = frame_time_ns(pinfo);

    /* Each timeout is also noted as the client's failed question (by the tracker), so that
     * a later answer to it ends a failed resolution. */
    while (a->tracker && dnsfail_tracker_take_timeout(a->tracker, now_ns, &m)) {
        struct timeout_verdict v;
        verdict_of_match(&v, &m, a->timeout_ns);
        struct timeout_mark *mark = dnsfail_frame_index_put(&timeouts, m.frame);
        if (mark) { /* out of memory: the later passes will not show this timeout */
            mark->attempt = m.attempt;
            mark->late_answer_in = 0;
            mark->dns_offset = (uint16_t)GPOINTER_TO_UINT(m.cookie);
            mark->retried_after = pack_wait(m.retried_after_ns);
        }
        const struct dnsfail_question *q = m.has_question ? &m.question : NULL;
        chain_note_failure(a, pinfo, m.frame, &m.flow, q, &m, DNSFAIL_KIND_TIMEOUT, DNSFAIL_DIAG_NO_ANSWER,
                           CHAIN_SILENCE);
        chain_explain(a, pinfo, m.frame, &m, q, m.time_ns + a->timeout_ns, true);
        if (failure_tap_wanted()) { /* the first pass shows a timeout to the tap only */
            struct failure_record *r = timeout_record(pinfo, NULL, &v, m.frame);
            r->chain = chain_links_of(a, m.frame);
            failure_render_tap(pinfo, r);
        }
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
    chain_explain(state, pinfo, pinfo->num, m, late->has_question ? &late->question : NULL, now_ns, true);
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

/* The flow of the query this frame carries: from its addresses and ports. False when the
 * frame's DNS is not in tvb. */
static bool query_flow(const struct frame_stash *stash, tvbuff_t *tvb, struct dnsfail_flow *flow)
{
    if ((tvb != stash->udp_tvb && tvb != stash->tcp_tvb))
        return false;
    bool udp = tvb == stash->udp_tvb;
    memset(flow, 0, sizeof *flow);
    flow->transport = udp ? DNSFAIL_TRANSPORT_UDP : DNSFAIL_TRANSPORT_TCP;
    flow->client = udp ? stash->udp_src : stash->tcp_src;
    flow->server = udp ? stash->udp_dst : stash->tcp_dst;
    flow->client_port = tvb_get_ntohs(tvb, 0);
    flow->server_port = tvb_get_ntohs(tvb, 2);
    return true;
}

/* The timed-out query on this frame, read again: its flow from the frame's addresses and
 * ports, its question and id from its DNS message at dns_offset (0: a SYN, none). */
static void reread_query(const struct analysis_state *a, packet_info *pinfo, tvbuff_t *tvb,
                         uint32_t dns_offset, struct timeout_verdict *v)
{
    v->query_ns = frame_time_ns(pinfo);
    v->timeout_ns = a->timeout_ns;
    if (dns_offset == 0)
        return; /* a TCP SYN: no DNS message */
    uint32_t avail = tvb_captured_length_remaining(tvb, dns_offset);
    if (avail < DNSFAIL_DNS_HEADER_LEN)
        return;
    if (avail > DNSFAIL_DNS_HEADER_LEN + DNSFAIL_NAME_WIRE_MAX + 4)
        avail = DNSFAIL_DNS_HEADER_LEN + DNSFAIL_NAME_WIRE_MAX + 4;
    struct dnsfail_dns_message msg;
    const uint8_t *bytes = (const uint8_t *)tvb_memdup(pinfo->pool, tvb, dns_offset, avail);
    dnsfail_dns_parse(bytes, avail, &msg);
    v->dns_id = msg.id;
    v->has_question = dnsfail_dns_question_of(&msg, &v->question);
}

/* The verdict a later pass shows on a query's frame: its timeout's mark, or else the
 * tracker's word that the client retried it and nothing answered it since. */
static bool later_pass_verdict(const struct analysis_state *a, packet_info *pinfo, const struct frame_stash *stash,
                               tvbuff_t *tvb, struct timeout_verdict *v)
{
    const struct timeout_mark *mark = timeouts.count ? dnsfail_frame_index_get(&timeouts, pinfo->num) : NULL;
    /* Without a mark, only a query still waiting can have been retried: none waits, no lookup. */
    if (!mark && (!a->tracker || dnsfail_tracker_next_deadline(a->tracker) == INT64_MAX))
        return false;
    memset(v, 0, sizeof *v);
    if (!query_flow(stash, tvb, &v->flow))
        return false;
    uint32_t dns_offset;
    if (mark) {
        v->attempt = mark->attempt;
        v->late_answer_in = mark->late_answer_in;
        v->retried_after_ns = unpack_wait(mark->retried_after);
        dns_offset = mark->dns_offset;
    } else {
        struct dnsfail_query_match m;
        if (!dnsfail_tracker_retried_unanswered(a->tracker, &v->flow, pinfo->num, &m))
            return false;
        v->attempt = m.attempt;
        v->retried_after_ns = client_wait_ns(m.retried_after_ns);
        dns_offset = GPOINTER_TO_UINT(m.cookie);
    }
    reread_query(a, pinfo, tvb, dns_offset, v);
    return true;
}

void timeouts_annotate(const struct analysis_state *a, packet_info *pinfo, proto_tree *tree,
                       const struct frame_stash *stash, tvbuff_t *tvb, const struct late_answer *late)
{
    if (late) {
        struct failure_record *r = late_answer_record(pinfo, tvb, late);
        r->chain = chain_links_of(a, pinfo->num);
        failure_render(pinfo, tree, r);
    }
    /* A query's timeout is known only after its frame was first read. */
    if (PINFO_FD_VISITED(pinfo)) {
        struct timeout_verdict *v = wmem_new(pinfo->pool, struct timeout_verdict);
        if (later_pass_verdict(a, pinfo, stash, tvb, v)) {
            struct failure_record *r = timeout_record(pinfo, tvb, v, pinfo->num);
            r->chain = chain_links_of(a, pinfo->num);
            failure_render(pinfo, tree, r);
        }
    }
}

/* ---- the end of the capture ------------------------------------------------------- */

struct capture_end {
    const struct analysis_state *a;
    void (*take)(void *listener, const struct capture_end_query *q);
    void *listener;
};

static void tell_waiting_query(void *ctx, const struct dnsfail_query_match *m, bool failed)
{
    const struct capture_end *end = ctx;
    /* A later pass showed the retried ones on their frames, through the tap: not again. */
    if (failed && end->a->later_pass_seen)
        return;
    struct timeout_verdict v;
    verdict_of_match(&v, m, end->a->timeout_ns);
    if (!failed)
        v.retried_after_ns = 0; /* still waiting: no verdict, no wait */
    struct failure_record r;
    memset(&r, 0, sizeof r);
    r.kind = FAILURE_TIMEOUT;
    r.frame = m->frame;
    r.time_ns = m->time_ns;
    timeout_fill(&r, &v, m->frame);
    struct dnsfail_tap_record rec;
    failure_render_tap_record(&rec, &r);
    struct capture_end_query q = {&rec, failed, end->a->session};
    end->take(end->listener, &q);
}

void timeouts_capture_end(const void *analysis, void (*take)(void *listener, const struct capture_end_query *q),
                          void *listener)
{
    struct capture_end end = {analysis, take, listener};
    if (end.a->tracker)
        dnsfail_tracker_for_each_waiting(end.a->tracker, tell_waiting_query, &end);
}
