/* icmp_error.c - an ICMP error that quotes DNS: matching it to its query, and
 * the failure record it makes.
 *
 * Analysis (quote parsing, matching) happens in the core; this file turns its results
 * into a failure record for failure_render.c. Correlation runs once, in the first
 * pass; later passes (tshark -2, the GUI) read what the first pass stored per frame.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "icmp_error.h"

#include <epan/proto_data.h>

#include "dnsfail/addr.h"
#include "dnsfail/answer_log.h"
#include "dnsfail/checksum.h"
#include "dnsfail/dns_message.h"
#include "dnsfail/quote.h"
#include "dnsfail/reason.h"

#include "failure_render.h"
#include "frame_facts.h"
#include "resolver_chain.h"

/* dnsfail's proto data key for an ICMP error's first-pass verdict (analysis_state.c keeps
 * the DNS frames' results under another). */
enum { KEY_ERROR_RESULT = 1 };

/* The first pass's verdict on one ICMP error, kept with the frame for later passes. */
struct error_result {
    struct failure_link link;
    bool recovered;                /* question taken from another frame: recovered_from */
    uint32_t recovered_from;       /* the answer's frame, or else the query's */
    uint32_t answer_in;            /* a quoted answer's own frame; 0: not captured */
    uint16_t dns_id;
    struct dnsfail_question question;
};

/* Everything the output needs about one ICMP error, decoded from its bytes. */
struct error_view {
    tvbuff_t *tvb;
    struct dnsfail_quote quote;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_flow flow;
    bool response;
    bool reporter_is_target;
    enum dnsfail_diagnosis diagnosis;
    struct dnsfail_addr reporter_addr;
};


static struct dnsfail_fingerprint quote_fingerprint(const struct dnsfail_quote *q)
{
    struct dnsfail_fingerprint fp = {
        .has_ip_id = q->has_ip_id,
        .has_udp_fields = q->has_udp_fields,
        .ip_id = q->ip_id,
        .udp_length = q->udp_length,
        .udp_checksum = q->udp_checksum,
    };
    return fp;
}

/* Decodes the message; false when it is not an error quoting DNS (left alone). */
static bool view_error(const struct analysis_state *a, packet_info *pinfo, const struct frame_stash *stash,
                       struct error_view *v)
{
    uint32_t len = tvb_captured_length(stash->icmp_tvb);
    uint8_t *bytes = (uint8_t *)tvb_memdup(pinfo->pool, stash->icmp_tvb, 0, len);

    memset(v, 0, sizeof *v);
    v->tvb = stash->icmp_tvb;
    if (dnsfail_quote_parse(bytes, len, stash->icmp_version, &v->quote) != DNSFAIL_QUOTE_OK)
        return false;
    if (!dnsfail_quote_find_dns(bytes, len, &v->quote, &a->dns_ports, &v->dns))
        return false;

    const struct dnsfail_quote *q = &v->quote;
    v->reporter_addr = stash->reporter;
    v->response = v->dns.role == DNSFAIL_ROLE_RESPONSE;
    v->flow.transport = q->transport;
    v->flow.client = v->response ? q->dst : q->src;
    v->flow.server = v->response ? q->src : q->dst;
    v->flow.client_port = v->response ? q->dst_port : q->src_port;
    v->flow.server_port = v->response ? q->src_port : q->dst_port;
    v->reporter_is_target = dnsfail_addr_equal(&v->reporter_addr, &q->dst);
    v->diagnosis = dnsfail_diagnose(q, v->reporter_is_target, v->response);
    return true;
}

/* An error quoting an answer: the answer's own frame, found by its flow and datagram (and
 * id when quoted), is linked both ways. A quote cut before the question takes it from the
 * answer, and one cut before the id finds the query by the answer's id (obs). */
static void link_quoted_answer(struct analysis_state *a, packet_info *pinfo, bool has_quoted,
                               struct dnsfail_error_obs *obs, struct error_result *r)
{
    struct dnsfail_answer_found *found = wmem_new(pinfo->pool, struct dnsfail_answer_found);
    if (!a->answers || !dnsfail_answer_log_find(a->answers, obs, found))
        return;
    r->answer_in = found->frame;
    r->dns_id = found->dns_id;
    analysis_link_answer(a, pinfo, found->frame);
    if (!obs->has_dns_id) {
        obs->has_dns_id = true;
        obs->dns_id = found->dns_id;
    }
    if (!has_quoted && found->has_question) {
        r->question = found->question;
        r->recovered = true;
        r->recovered_from = found->frame;
    }
}

static void correlate_first_pass(struct analysis_state *a, packet_info *pinfo, const struct error_view *v,
                                 struct error_result *r)
{
    struct dnsfail_error_obs obs = {
        .frame = pinfo->num,
        .time_ns = frame_time_ns(pinfo),
        .flow = v->flow,
        .fingerprint = quote_fingerprint(&v->quote),
        .has_dns_id = v->dns.msg.has_id,
        .dns_id = v->dns.msg.id,
    };
    struct dnsfail_question quoted;
    bool has_quoted = dnsfail_dns_question_of(&v->dns.msg, &quoted);
    struct dnsfail_query_match m;

    if (v->response)
        link_quoted_answer(a, pinfo, has_quoted, &obs, r);
    /* A quoted answer carries the id of the client's query, on the reversed flow. */
    bool matched = a->tracker && dnsfail_tracker_match_error(a->tracker, &obs, &m);
    if (matched) {
        failure_link_from_match(&r->link, &m, obs.time_ns);
        r->dns_id = m.dns_id;
        if (!has_quoted && !r->recovered && m.has_question) {
            r->question = m.question;
            r->recovered = true;
            r->recovered_from = m.frame;
        }
    }
    if (!v->response && a->tracker && r->link.attempt == 0) {
        /* No query numbered it: count the errors themselves. A quoted SYN has no question;
         * its tries are counted per client and server, like refused connections. */
        struct dnsfail_question no_question;
        memset(&no_question, 0, sizeof no_question);
        if (has_quoted || r->recovered)
            r->link.attempt = dnsfail_tracker_count_attempt(a->tracker, &v->flow,
                                                            has_quoted ? &quoted : &r->question, obs.time_ns);
        else if (v->dns.tcp && v->dns.msg.length == 0)
            r->link.attempt = dnsfail_tracker_count_attempt(a->tracker, &v->flow, &no_question, obs.time_ns);
    }
    if (matched && !v->response)
        analysis_link_query(a, pinfo, m.frame, r->link.attempt, "ICMP error");
    const struct dnsfail_question *q = has_quoted ? &quoted : (r->recovered ? &r->question : NULL);
    if (!v->response && chain_failure_wanted(a, &v->flow, q)) {
        char reason[DNSFAIL_REASON_TEXT_MAX];
        dnsfail_reason_format(&v->quote, reason, sizeof reason);
        chain_note_failure(a, pinfo, pinfo->num, &v->flow, q, matched ? &m : NULL, DNSFAIL_KIND_ICMP_ERROR,
                           v->diagnosis, reason);
    }
    /* So that the answer that may follow is known to end a failed resolution. */
    if (!v->response && a->tracker && (has_quoted || r->recovered))
        dnsfail_tracker_note_failure(a->tracker, &v->flow.client, has_quoted ? &quoted : &r->question);
}

static struct error_result *error_result_for(struct analysis_state *a, packet_info *pinfo,
                                            const struct error_view *v)
{
    struct error_result *r = p_get_proto_data(wmem_file_scope(), pinfo, a->proto, KEY_ERROR_RESULT);
    if (r || PINFO_FD_VISITED(pinfo))
        return r;
    r = wmem_new0(wmem_file_scope(), struct error_result);
    correlate_first_pass(a, pinfo, v, r);
    p_add_proto_data(wmem_file_scope(), pinfo, a->proto, KEY_ERROR_RESULT, r);
    return r;
}

static int name_length_in_quote(const struct error_view *v)
{
    size_t start = v->dns.dns_offset + DNSFAIL_DNS_HEADER_LEN;
    size_t end = v->quote.quote_offset + v->quote.quote_len;
    size_t len = v->dns.msg.qname.compressed ? 0 : v->dns.msg.qname.wire_len;
    return start + len <= end ? (int)len : 0;
}

/* As much of the question as the quote holds, where it holds it. */
static void quoted_question(struct failure_record *r, const struct error_view *v)
{
    const struct dnsfail_dns_message *msg = &v->dns.msg;
    int dns_at = (int)v->dns.dns_offset;
    int name_len = name_length_in_quote(v);
    int name_end = dns_at + DNSFAIL_DNS_HEADER_LEN + name_len;

    if (msg->question_status == DNSFAIL_QUESTION_OK || msg->question_status == DNSFAIL_QUESTION_CUT ||
        msg->question_status == DNSFAIL_QUESTION_MALFORMED) {
        dnsfail_dns_name_format(&msg->qname, r->name, sizeof r->name);
        r->has_name = msg->qname.wire_len > 0 || msg->question_status == DNSFAIL_QUESTION_OK;
        r->at.qry_name = (struct failure_span){dns_at + DNSFAIL_DNS_HEADER_LEN, name_len, false};
    }
    r->has_type = msg->has_type;
    r->qtype = msg->qtype;
    r->at.qry_type = (struct failure_span){name_end, 2, false};
    r->has_class = msg->has_class;
    r->qclass = msg->qclass;
    r->at.qry_class = (struct failure_span){name_end + 2, 2, false};
    r->has_question = dnsfail_dns_question_of(msg, &r->question);
}

/* The error as a failure record: the question from the quote, or else from the answer or
 * the query the first pass matched (res: NULL when the first pass left nothing). */
static struct failure_record *record_of(packet_info *pinfo, const struct error_view *v, const struct error_result *res)
{
    const struct dnsfail_quote *q = &v->quote;
    const struct dnsfail_dns_message *msg = &v->dns.msg;
    int t = (int)q->transport_offset;
    struct failure_record *r =
        failure_record_new(pinfo, v->response ? FAILURE_ANSWER_UNDELIVERABLE : FAILURE_ICMP_ERROR, v->tvb);
    struct failure_spans *at = &r->at;
    bool recovered = res && res->recovered;

    r->flow = v->flow;
    if (recovered)
        failure_record_set_question(r, &res->question); /* its spans stay generated, at 0 */
    else
        quoted_question(r, v);
    at->qry_name.generated = at->qry_type.generated = at->qry_class.generated = recovered;
    r->unnamed = v->dns.tcp && msg->length == 0 ? DNSFAIL_UNNAMED_TCP_CONNECTION : DNSFAIL_UNNAMED_NOT_QUOTED;
    r->has_dns_id = msg->has_id || (res && (res->link.request_in || res->answer_in));
    r->dns_id_shown = msg->has_id || recovered;
    r->dns_id = msg->has_id ? msg->id : (res ? res->dns_id : 0);
    at->dns_id = msg->has_id ? (struct failure_span){(int)v->dns.dns_offset, 2, false}
                             : (struct failure_span){0, 0, true};
    r->response = v->response;
    at->transport = (struct failure_span){(int)q->quote_offset, (int)q->ip_header_len, false};
    at->client_port = (struct failure_span){v->response ? t + 2 : t, 2, false};
    at->server_port = (struct failure_span){v->response ? t : t + 2, 2, false};
    r->icmp_version = q->icmp_version;
    r->icmp_type = q->icmp_type;
    r->icmp_code = q->icmp_code;
    dnsfail_reason_format(q, r->reason, sizeof r->reason);
    at->reason = (struct failure_span){0, 2, false}; /* the ICMP type and code */
    r->diagnosis = v->diagnosis;
    r->reporter = v->reporter_addr;
    r->reporter_is_target = v->reporter_is_target;
    if (res) {
        r->link = res->link;
        r->answer_in = res->answer_in;
        r->recovered_from = res->recovered_from;
    }
    r->quote_truncated = v->dns.question_cut;
    r->quote_malformed = msg->question_status == DNSFAIL_QUESTION_MALFORMED;
    r->name_status = (uint8_t)msg->qname.status;
    r->recovered = recovered;
    r->quote_dns_bytes = (uint32_t)msg->length;
    at->quote_dns_bytes = (struct failure_span){(int)v->dns.dns_offset, (int)msg->length, true};
    return r;
}

/* A quote too broken to say whether it was DNS: no failure is claimed (that would be a
 * guess), but the analyst hears of it rather than nothing. Its own item, not under a
 * "dnsfail" item, so that the filter "dnsfail" still selects failures only. */
static void note_unreadable_quote(packet_info *pinfo, proto_tree *tree, const struct error_view *v)
{
    const char *why;
    switch (v->quote.status) {
    case DNSFAIL_QUOTE_CUT_IP: why = "it ends inside the quoted IP header"; break;
    case DNSFAIL_QUOTE_BAD_IP:
        why = "its IP header is malformed (version, header length below 5 words, or an IPv6 extension chain "
              "that loops or is too long)";
        break;
    case DNSFAIL_QUOTE_CUT_TRANSPORT: why = "it ends before the UDP or TCP ports (RFC 792 asks for 8 bytes)"; break;
    default: return; /* readable, and not DNS: none of dnsfail's business */
    }
    failure_render_unreadable_quote(pinfo, tree, v->tvb, why);
}

void icmp_error_analyse(struct analysis_state *a, packet_info *pinfo, proto_tree *tree, struct frame_stash *stash)
{
    bool wanted = failure_output_wanted(pinfo, tree);
    if (!wanted && PINFO_FD_VISITED(pinfo))
        return; /* decided in the first pass, and nobody reads the words */
    struct error_view *v = wmem_new(pinfo->pool, struct error_view);

    if (!view_error(a, pinfo, stash, v)) {
        if (wanted)
            note_unreadable_quote(pinfo, tree, v);
        return;
    }
    struct error_result *r = error_result_for(a, pinfo, v);
    if (wanted) {
        struct failure_record *rec = record_of(pinfo, v, r);
        rec->chain = chain_links_of(a, pinfo->num);
        failure_render(pinfo, tree, rec);
    }
}

