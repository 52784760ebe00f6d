/* dnsfail_icmp_error.c - what the analysis adds to an ICMP error that quotes DNS,
 * and the failure record it queues on the "dnsfail" tap.
 *
 * Analysis (quote parsing, matching) happens in the core; this file turns its results
 * into tree items, the Info column and expert items. Correlation runs once, in the first
 * pass; later passes (tshark -2, the GUI) read what the first pass stored per frame.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail_plugin.h"

#include <epan/column-utils.h>
#include <epan/proto_data.h>
#include <epan/tap.h>

#include "dnsfail/addr.h"
#include "dnsfail/checksum.h"
#include "dnsfail/dns_message.h"
#include "dnsfail/quote.h"
#include "dnsfail/reason.h"
#include "dnsfail/tap.h"
#include "dnsfail/text.h"



/* The first pass's verdict on one ICMP error, kept with the frame for later passes. */
struct error_result {
    struct dnsfail_link link;
    bool recovered;                /* question taken from the query frame */
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
    char client[DNSFAIL_ADDR_TEXT_MAX];
    char server[DNSFAIL_ADDR_TEXT_MAX];
    char reporter[DNSFAIL_ADDR_TEXT_MAX];
    char reason[DNSFAIL_REASON_TEXT_MAX];
    char name[DNSFAIL_NAME_TEXT_MAX];
    char type[16];
    bool has_name;
    bool has_type;
    char subject[DNSFAIL_NAME_TEXT_MAX + 32]; /* "A www.example.com", "TCP connection", ... */
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
static bool view_error(packet_info *pinfo, const struct dnsfail_frame_stash *stash, struct error_view *v)
{
    uint32_t len = tvb_captured_length(stash->icmp_tvb);
    uint8_t *bytes = (uint8_t *)tvb_memdup(pinfo->pool, stash->icmp_tvb, 0, len);

    memset(v, 0, sizeof *v);
    v->tvb = stash->icmp_tvb;
    if (dnsfail_quote_parse(bytes, len, stash->icmp_version, &v->quote) != DNSFAIL_QUOTE_OK)
        return false;
    if (!dnsfail_quote_find_dns(bytes, len, &v->quote, &dnsfail_dns_ports, &v->dns))
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

/* The words the Info column needs; the client's and reporter's addresses only where they
 * are shown (an IPv6 address costs more to write than the rest of the text). */
static void format_texts(struct error_view *v, bool all)
{
    if (!v->server[0]) {
        dnsfail_addr_format(&v->flow.server, v->server, sizeof v->server);
        dnsfail_reason_format(&v->quote, v->reason, sizeof v->reason);
    }
    if ((all || v->response) && !v->client[0])
        dnsfail_addr_format(&v->flow.client, v->client, sizeof v->client);
    if (all && !v->reporter[0])
        dnsfail_addr_format(&v->reporter_addr, v->reporter, sizeof v->reporter);
}

static void correlate_first_pass(packet_info *pinfo, const struct error_view *v, struct error_result *r)
{
    struct dnsfail_error_obs obs = {
        .frame = pinfo->num,
        .time_ns = dnsfail_frame_time_ns(pinfo),
        .flow = v->flow,
        .fingerprint = quote_fingerprint(&v->quote),
        .has_dns_id = v->dns.msg.has_id,
        .dns_id = v->dns.msg.id,
    };
    struct dnsfail_question quoted;
    bool has_quoted = dnsfail_dns_question_of(&v->dns.msg, &quoted);
    struct dnsfail_query_match m;

    /* A quoted answer carries the id of the client's query, on the reversed flow. */
    bool matched = dnsfail_tracker && dnsfail_tracker_match_error(dnsfail_tracker, &obs, &m);
    if (matched) {
        dnsfail_link_from_match(&r->link, &m, obs.time_ns);
        r->dns_id = m.dns_id;
        if (!has_quoted && m.has_question) {
            r->question = m.question;
            r->recovered = true;
        }
    }
    if (!v->response && dnsfail_tracker && r->link.attempt == 0) {
        /* No query numbered it: count the errors themselves. A quoted SYN has no question;
         * its tries are counted per client and server, like refused connections. */
        struct dnsfail_question no_question;
        memset(&no_question, 0, sizeof no_question);
        if (has_quoted || r->recovered)
            r->link.attempt = dnsfail_tracker_count_attempt(dnsfail_tracker, &v->flow,
                                                            has_quoted ? &quoted : &r->question, obs.time_ns);
        else if (v->dns.tcp && v->dns.msg.length == 0)
            r->link.attempt = dnsfail_tracker_count_attempt(dnsfail_tracker, &v->flow, &no_question, obs.time_ns);
    }
    if (matched && !v->response)
        dnsfail_link_query(pinfo, m.frame, r->link.attempt, "ICMP error");
    /* So that the answer that may follow is known to end a failed resolution. */
    if (!v->response && dnsfail_tracker && (has_quoted || r->recovered))
        dnsfail_tracker_note_failure(dnsfail_tracker, &v->flow.client, has_quoted ? &quoted : &r->question);
}

static struct error_result *error_result_for(packet_info *pinfo, const struct error_view *v)
{
    struct error_result *r = p_get_proto_data(wmem_file_scope(), pinfo, proto_dnsfail, DNSFAIL_KEY_ERROR_RESULT);
    if (r || PINFO_FD_VISITED(pinfo))
        return r;
    r = wmem_new0(wmem_file_scope(), struct error_result);
    correlate_first_pass(pinfo, v, r);
    p_add_proto_data(wmem_file_scope(), pinfo, proto_dnsfail, DNSFAIL_KEY_ERROR_RESULT, r);
    return r;
}

/* Name and type from the quote, or else from the query the first pass matched. */
static void describe_question(struct error_view *v, const struct error_result *r)
{
    const struct dnsfail_dns_message *msg = &v->dns.msg;

    if (msg->question_status == DNSFAIL_QUESTION_OK || msg->question_status == DNSFAIL_QUESTION_CUT ||
        msg->question_status == DNSFAIL_QUESTION_MALFORMED) {
        dnsfail_dns_name_format(&msg->qname, v->name, sizeof v->name);
        v->has_name = msg->qname.wire_len > 0 || msg->question_status == DNSFAIL_QUESTION_OK;
    }
    if (msg->has_type) {
        dnsfail_dns_type_format(msg->qtype, v->type, sizeof v->type);
        v->has_type = true;
    }
    if (r && r->recovered) {
        dnsfail_dns_name_format(&r->question.qname, v->name, sizeof v->name);
        dnsfail_dns_type_format(r->question.qtype, v->type, sizeof v->type);
        v->has_name = v->has_type = true;
    }
    struct dnsfail_text subject;
    dnsfail_text_init(&subject, v->subject, sizeof v->subject);
    if (v->has_name) {
        dnsfail_text_put(&subject, v->has_type ? v->type : "query");
        dnsfail_text_put(&subject, " ");
        dnsfail_text_put(&subject, v->name);
    } else if (v->dns.tcp && msg->length == 0) {
        dnsfail_text_put(&subject, "TCP connection"); /* a quoted SYN: no message yet */
    } else {
        dnsfail_text_put(&subject, "query (name not quoted)");
    }
}

/* " [DNS A www.example.com to 192.0.2.53 failed: udp port 53 unreachable]", on every
 * failure the Info column shows: the pieces go to col_append_lstr as they are, each
 * copied once into the column (no format, no text put together first and copied again). */
static void add_columns(packet_info *pinfo, const struct error_view *v)
{
    if (!pinfo->cinfo)
        return;
    if (v->response)
        col_append_lstr(pinfo->cinfo, COL_INFO, " [DNS answer ", v->subject, " from ", v->server, " to ", v->client,
                        " undeliverable: ", v->reason, "]", COL_ADD_LSTR_TERMINATOR);
    else
        col_append_lstr(pinfo->cinfo, COL_INFO, " [DNS ", v->subject, " to ", v->server, " failed: ", v->reason, "]",
                        COL_ADD_LSTR_TERMINATOR);
}

static void add_expert(packet_info *pinfo, proto_item *anchor, struct error_view *v,
                       const struct error_result *r)
{
    char attempt[32] = "";

    if (!dnsfail_expert_wanted(pinfo, anchor))
        return;
    format_texts(v, true);
    if (r && r->link.attempt > 1)
        snprintf(attempt, sizeof attempt, " (attempt %u)", r->link.attempt);
    if (v->response) {
        expert_add_info_format(pinfo, anchor, &dnsfail_ei.undeliverable,
                               "DNS answer %s from %s to %s:%u undeliverable: %s from %s; likely %s", v->subject,
                               v->server, v->client, v->flow.client_port, v->reason, v->reporter,
                               dnsfail_diagnosis_text(v->diagnosis));
    } else {
        expert_add_info_format(pinfo, anchor, &dnsfail_ei.failure,
                               "DNS %s to %s failed%s: %s from %s; likely %s", v->subject, v->server,
                               attempt, v->reason, v->reporter, dnsfail_diagnosis_text(v->diagnosis));
    }
    if (v->dns.msg.question_status == DNSFAIL_QUESTION_MALFORMED)
        expert_add_info_format(pinfo, anchor, &dnsfail_ei.malformed,
                               "The DNS question quoted in the ICMP error is malformed: %s",
                               dnsfail_name_status_text((enum dnsfail_name_status)v->dns.msg.qname.status));
    if (v->dns.question_cut) {
        unsigned quoted = (unsigned)v->dns.msg.length;
        if (r && r->recovered)
            expert_add_info_format(pinfo, anchor, &dnsfail_ei.quote_truncated,
                                   "The ICMP error quotes %u bytes of the DNS message; the question was recovered "
                                   "from the query in frame %u",
                                   quoted, r->link.request_in);
        else
            expert_add_info_format(pinfo, anchor, &dnsfail_ei.quote_truncated,
                                   "The ICMP error quotes %u bytes of the DNS message and the query was not "
                                   "captured: its name is %s",
                                   quoted, v->has_name ? "only partly known" : "unknown");
    }
}

static int name_length_in_quote(const struct error_view *v)
{
    size_t start = v->dns.dns_offset + DNSFAIL_DNS_HEADER_LEN;
    size_t end = v->quote.quote_offset + v->quote.quote_len;
    size_t len = v->dns.msg.qname.compressed ? 0 : v->dns.msg.qname.wire_len;
    return start + len <= end ? (int)len : 0;
}

static void add_question_items(proto_tree *tree, const struct error_view *v, const struct error_result *r)
{
    const struct dnsfail_dns_message *msg = &v->dns.msg;
    tvbuff_t *tvb = v->tvb;
    int dns = (int)v->dns.dns_offset;
    int name_end = dns + DNSFAIL_DNS_HEADER_LEN + name_length_in_quote(v);
    proto_item *item;

    if (r && r->recovered) {
        item = proto_tree_add_string(tree, dnsfail_hf.qry_name, tvb, 0, 0, v->name);
        proto_item_set_generated(item);
        item = proto_tree_add_uint(tree, dnsfail_hf.qry_type, tvb, 0, 0, r->question.qtype);
        proto_item_set_generated(item);
        item = proto_tree_add_uint(tree, dnsfail_hf.qry_class, tvb, 0, 0, r->question.qclass);
        proto_item_set_generated(item);
        if (!msg->has_id) {
            item = proto_tree_add_uint(tree, dnsfail_hf.id, tvb, 0, 0, r->dns_id);
            proto_item_set_generated(item);
        }
    } else {
        if (v->has_name)
            proto_tree_add_string(tree, dnsfail_hf.qry_name, tvb, dns + DNSFAIL_DNS_HEADER_LEN,
                                  name_length_in_quote(v), v->name);
        if (msg->has_type)
            proto_tree_add_uint(tree, dnsfail_hf.qry_type, tvb, name_end, 2, msg->qtype);
        if (msg->has_class)
            proto_tree_add_uint(tree, dnsfail_hf.qry_class, tvb, name_end + 2, 2, msg->qclass);
    }
    if (msg->has_id)
        proto_tree_add_uint(tree, dnsfail_hf.id, tvb, dns, 2, msg->id);
}

static proto_item *add_tree(proto_tree *parent, const struct error_view *v, const struct error_result *r,
                            bool details)
{
    const struct dnsfail_quote *q = &v->quote;
    tvbuff_t *tvb = v->tvb;
    int t = (int)q->transport_offset;
    proto_item *item;

    proto_item *top = proto_tree_add_item(parent, proto_dnsfail, tvb, 0, -1, ENC_NA);
    if (!details)
        return top;
    if (v->response)
        proto_item_append_text(top, ": answer %s from %s to %s undeliverable: %s", v->subject, v->server, v->client,
                               v->reason);
    else
        proto_item_append_text(top, ": %s to %s failed: %s", v->subject, v->server, v->reason);
    proto_tree *tree = proto_item_add_subtree(top, ett_dnsfail);

    item = proto_tree_add_string(tree, dnsfail_hf.kind, tvb, 0, 0,
                                 v->response ? "answer_undeliverable" : "icmp_error");
    proto_item_set_generated(item);
    add_question_items(tree, v, r);
    proto_tree_add_boolean(tree, dnsfail_hf.response, tvb, 0, 0, v->response);
    proto_tree_add_uint(tree, dnsfail_hf.transport, tvb, (int)q->quote_offset, (int)q->ip_header_len, q->transport);
    int client_port_at = v->response ? t + 2 : t;
    int server_port_at = v->response ? t : t + 2;
    proto_tree_add_string(tree, dnsfail_hf.client, tvb, 0, 0, v->client);
    proto_tree_add_uint(tree, dnsfail_hf.client_port, tvb, client_port_at, 2, v->flow.client_port);
    proto_tree_add_string(tree, dnsfail_hf.server, tvb, 0, 0, v->server);
    dnsfail_items_add_server_address(tree, tvb, &v->flow.server);
    proto_tree_add_uint(tree, dnsfail_hf.server_port, tvb, server_port_at, 2, v->flow.server_port);
    proto_tree_add_string(tree, dnsfail_hf.reporter, tvb, 0, 0, v->reporter);
    proto_tree_add_boolean(tree, dnsfail_hf.reporter_is_target, tvb, 0, 0, v->reporter_is_target);
    item = proto_tree_add_uint(tree, dnsfail_hf.icmp_version, tvb, 0, 0, q->icmp_version);
    proto_item_set_generated(item);
    proto_tree_add_uint(tree, dnsfail_hf.icmp_type, tvb, 0, 1, q->icmp_type);
    proto_tree_add_uint(tree, dnsfail_hf.icmp_code, tvb, 1, 1, q->icmp_code);
    proto_tree_add_string(tree, dnsfail_hf.reason, tvb, 0, 2, v->reason);
    dnsfail_items_add_diagnosis(tree, tvb, v->diagnosis);
    if (r)
        dnsfail_items_add_link(tree, tvb, &r->link);
    item = proto_tree_add_boolean(tree, dnsfail_hf.quote_truncated, tvb, 0, 0, v->dns.question_cut);
    proto_item_set_generated(item);
    if (r && r->recovered) {
        item = proto_tree_add_boolean(tree, dnsfail_hf.recovered, tvb, 0, 0, true);
        proto_item_set_generated(item);
    }
    item = proto_tree_add_uint(tree, dnsfail_hf.quote_dns_bytes, tvb, (int)v->dns.dns_offset,
                               (int)v->dns.msg.length, (uint32_t)v->dns.msg.length);
    proto_item_set_generated(item);
    return top;
}

/* One record per failure, in every pass that runs taps (include/dnsfail/tap.h). */
static void queue_tap_record(packet_info *pinfo, const struct error_view *v, const struct error_result *r)
{
    struct dnsfail_tap_record *rec = dnsfail_tap_record_new(
        pinfo, DNSFAIL_TAP_FAILURE, v->response ? DNSFAIL_KIND_ANSWER_UNDELIVERABLE : DNSFAIL_KIND_ICMP_ERROR, &v->flow);
    if (!rec)
        return;
    if (r && r->recovered) {
        rec->has_question = true;
        rec->question = r->question;
    } else {
        rec->has_question = dnsfail_dns_question_of(&v->dns.msg, &rec->question);
    }
    if (v->has_name)
        snprintf(rec->qname, sizeof rec->qname, "%s", v->name);
    rec->reporter = v->reporter_addr;
    rec->reporter_is_target = v->reporter_is_target;
    rec->has_dns_id = v->dns.msg.has_id || (r && r->link.request_in);
    rec->dns_id = v->dns.msg.has_id ? v->dns.msg.id : (r ? r->dns_id : 0);
    rec->icmp_version = v->quote.icmp_version;
    rec->icmp_type = v->quote.icmp_type;
    rec->icmp_code = v->quote.icmp_code;
    rec->diagnosis = (uint8_t)v->diagnosis;
    snprintf(rec->reason, sizeof rec->reason, "%s", v->reason);
    rec->attempt = r ? r->link.attempt : 0;
    rec->request_in = r ? r->link.request_in : 0;
    rec->quote_truncated = v->dns.question_cut;
    rec->recovered = r && r->recovered;
    tap_queue_packet(dnsfail_tap, pinfo, rec);
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
    proto_tree_add_expert_format(tree, pinfo, &dnsfail_ei.quote_unreadable, v->tvb, 0, 0,
                                 "The ICMP error's quote cannot be read: %s; whether it was DNS is unknown", why);
}

void dnsfail_annotate_icmp_error(packet_info *pinfo, proto_tree *tree, struct dnsfail_frame_stash *stash)
{
    bool wanted = dnsfail_output_wanted(pinfo, tree);
    if (!wanted && PINFO_FD_VISITED(pinfo))
        return; /* decided in the first pass, and nobody reads the words */
    struct error_view *v = wmem_new(pinfo->pool, struct error_view);

    if (!view_error(pinfo, stash, v)) {
        if (wanted)
            note_unreadable_quote(pinfo, tree, v);
        return;
    }
    struct error_result *r = error_result_for(pinfo, v);
    if (!wanted)
        return;
    describe_question(v, r);
    bool details = dnsfail_details_wanted(tree);
    format_texts(v, details);
    add_columns(pinfo, v);
    /* Expert items reach the expert tap and _ws.expert even without a tree item. */
    proto_item *top = tree ? add_tree(tree, v, r, details) : NULL;
    add_expert(pinfo, top, v, r);
    queue_tap_record(pinfo, v, r);
}

