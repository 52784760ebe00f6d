/* dnsfail_error_answer.c - answers that say a resolution failed: a failing RCODE
 * (SERVFAIL, REFUSED, FORMERR, NOTIMP, BADVERS, ...), with EDNS's Extended DNS Error when
 * there is one; and NXDOMAIN, its own kind since the name's absence is often the answer
 * that was wanted.
 *
 * The first pass decides and links the answer to its query; every pass shows it and
 * queues it on the tap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail_plugin.h"

#include <epan/column-utils.h>
#include <epan/proto_data.h>
#include <epan/tap.h>

#include "dnsfail/dns_message.h"
#include "dnsfail/reason.h"
#include "dnsfail/tap.h"
#include "dnsfail/text.h"

enum { RCODE_NXDOMAIN = 3 };

/* The first pass's verdict on one answer, kept with its frame. */
struct answer_result {
    struct dnsfail_flow flow;
    uint16_t rcode;
    uint16_t dns_id;
    int dns_offset;               /* of the DNS message in the UDP datagram or TCP segment */
    bool has_question;
    struct dnsfail_question question;
    struct dnsfail_edns edns;
    struct dnsfail_link link;
};

/* What the output needs, in words. */
struct answer_view {
    const struct answer_result *r;
    bool nxdomain;
    enum dnsfail_diagnosis diagnosis;
    char kind[16];
    char rcode[16];
    char server[DNSFAIL_ADDR_TEXT_MAX];
    char subject[DNSFAIL_NAME_TEXT_MAX + 32];
    char detail[DNSFAIL_EDE_TEXT_MAX + 64]; /* ", No Reachable Authority: ..." or "" */
};

bool dnsfail_error_answer_first_pass(packet_info *pinfo, const struct dnsfail_dns_seen *seen,
                                     const struct dnsfail_query_match *m)
{
    struct answer_result *r;
    struct dnsfail_edns edns;

    if (!seen->msg->has_header)
        return false;
    /* Most answers: NOERROR and no additional record, so no OPT record to extend the
     * RCODE. Walking the sections to find out would cost more than the rest. */
    if (dnsfail_dns_rcode(seen->msg) == 0 && seen->msg->arcount == 0)
        return false;
    dnsfail_dns_parse_edns(seen->bytes, seen->len, &edns);
    uint16_t rcode = dnsfail_dns_full_rcode(seen->msg, &edns);
    if (rcode != RCODE_NXDOMAIN && !dnsfail_rcode_is_failure(rcode))
        return false;

    r = wmem_new0(wmem_file_scope(), struct answer_result);
    r->rcode = rcode;
    r->edns = edns;
    r->dns_id = seen->msg->id;
    r->dns_offset = seen->offset;
    r->has_question = dnsfail_dns_question_of(seen->msg, &r->question);
    r->flow = seen->flow;

    int64_t now_ns = dnsfail_frame_time_ns(pinfo);
    char what[16];
    if (m) {
        dnsfail_link_from_match(&r->link, m, now_ns);
        if (rcode != RCODE_NXDOMAIN)
            dnsfail_link_query(pinfo, m->frame, m->attempt, dnsfail_rcode_format(rcode, what, sizeof what));
    } else if (r->has_question && rcode != RCODE_NXDOMAIN) {
        r->link.attempt = dnsfail_tracker_count_attempt(dnsfail_tracker, &r->flow, &r->question, now_ns);
    }
    if (r->has_question) {
        if (rcode == RCODE_NXDOMAIN) /* an answer: it ends a run of failures */
            dnsfail_tracker_take_failure(dnsfail_tracker, &r->flow.client, &r->question);
        else
            dnsfail_tracker_note_failure(dnsfail_tracker, &r->flow.client, &r->question);
    }
    dnsfail_results_make(pinfo, seen->stash)->error_answer = r;
    return true;
}

static void describe(struct answer_view *v, const struct answer_result *r)
{
    char name[DNSFAIL_NAME_TEXT_MAX], type[16];
    const char *ede = r->edns.has_ede ? dnsfail_ede_name(r->edns.ede_code) : NULL;

    memset(v, 0, sizeof *v);
    v->r = r;
    v->nxdomain = r->rcode == RCODE_NXDOMAIN;
    v->diagnosis = dnsfail_diagnose_rcode(r->rcode);
    dnsfail_rcode_kind(r->rcode, v->kind, sizeof v->kind);
    dnsfail_rcode_format(r->rcode, v->rcode, sizeof v->rcode);
    dnsfail_addr_format(&r->flow.server, v->server, sizeof v->server); /* the client's only in the tree */
    struct dnsfail_text subject;
    dnsfail_text_init(&subject, v->subject, sizeof v->subject);
    if (r->has_question) {
        dnsfail_dns_name_format(&r->question.qname, name, sizeof name);
        dnsfail_text_put(&subject, dnsfail_dns_type_format(r->question.qtype, type, sizeof type));
        dnsfail_text_put(&subject, " ");
        dnsfail_text_put(&subject, name);
    } else {
        dnsfail_text_put(&subject, "query (no question in the answer)");
    }
    if (r->edns.has_ede)
        snprintf(v->detail, sizeof v->detail, ", %s%s%s", ede ? ede : "Extended DNS Error",
                 r->edns.ede_text[0] ? ": " : "", r->edns.ede_text);
}

static proto_item *add_tree(proto_tree *parent, tvbuff_t *tvb, const struct answer_view *v)
{
    const struct answer_result *r = v->r;
    const int DNS_AT = r->dns_offset;
    proto_item *item;

    proto_item *top = proto_tree_add_item(parent, proto_dnsfail, tvb, 0, -1, ENC_NA);
    if (!dnsfail_details_wanted(parent))
        return top;
    if (v->nxdomain)
        proto_item_append_text(top, ": %s from %s: %s (no such name)", v->subject, v->server, v->rcode);
    else
        proto_item_append_text(top, ": %s to %s failed: %s%s", v->subject, v->server, v->rcode, v->detail);
    proto_tree *tree = proto_item_add_subtree(top, ett_dnsfail);
    item = proto_tree_add_string(tree, dnsfail_hf.kind, tvb, 0, 0, v->kind);
    proto_item_set_generated(item);
    if (r->has_question) {
        char name[DNSFAIL_NAME_TEXT_MAX];
        dnsfail_dns_name_format(&r->question.qname, name, sizeof name);
        proto_tree_add_string(tree, dnsfail_hf.qry_name, tvb, DNS_AT + DNSFAIL_DNS_HEADER_LEN,
                              r->question.qname.wire_len, name);
        proto_tree_add_uint(tree, dnsfail_hf.qry_type, tvb, DNS_AT + DNSFAIL_DNS_HEADER_LEN + r->question.qname.wire_len,
                            2, r->question.qtype);
        proto_tree_add_uint(tree, dnsfail_hf.qry_class, tvb,
                            DNS_AT + DNSFAIL_DNS_HEADER_LEN + r->question.qname.wire_len + 2, 2, r->question.qclass);
    }
    proto_tree_add_uint(tree, dnsfail_hf.id, tvb, DNS_AT, 2, r->dns_id);
    proto_tree_add_uint(tree, dnsfail_hf.transport, tvb, 0, 0, r->flow.transport);
    char client[DNSFAIL_ADDR_TEXT_MAX];
    proto_tree_add_string(tree, dnsfail_hf.client, tvb, 0, 0,
                          dnsfail_addr_format(&r->flow.client, client, sizeof client));
    proto_tree_add_uint(tree, dnsfail_hf.client_port, tvb, 2, 2, r->flow.client_port);
    proto_tree_add_string(tree, dnsfail_hf.server, tvb, 0, 0, v->server);
    dnsfail_items_add_server_address(tree, tvb, &r->flow.server);
    proto_tree_add_uint(tree, dnsfail_hf.server_port, tvb, 0, 2, r->flow.server_port);
    proto_tree_add_string(tree, dnsfail_hf.reporter, tvb, 0, 0, v->server);
    proto_tree_add_boolean(tree, dnsfail_hf.reporter_is_target, tvb, 0, 0, true);
    proto_tree_add_uint(tree, dnsfail_hf.rcode, tvb, DNS_AT + 3, 1, r->rcode);
    proto_tree_add_string(tree, dnsfail_hf.reason, tvb, DNS_AT + 3, 1, v->rcode);
    if (r->edns.has_ede) {
        item = proto_tree_add_uint(tree, dnsfail_hf.ede, tvb, 0, 0, r->edns.ede_code);
        proto_item_set_generated(item);
        if (r->edns.ede_text[0]) {
            item = proto_tree_add_string(tree, dnsfail_hf.ede_text, tvb, 0, 0, r->edns.ede_text);
            proto_item_set_generated(item);
        }
    }
    dnsfail_items_add_diagnosis(tree, tvb, v->diagnosis);
    dnsfail_items_add_link(tree, tvb, &r->link);
    return top;
}

/* Anchored on the dnsfail item when there is a tree, so that the expert fields filter. */
static void add_expert(packet_info *pinfo, proto_item *anchor, const struct answer_view *v)
{
    char attempt[32] = "";

    if (!dnsfail_expert_wanted(pinfo, anchor))
        return;
    if (v->nxdomain) {
        expert_add_info_format(pinfo, anchor, &dnsfail_ei.nxdomain, "DNS %s does not exist: %s from %s", v->subject,
                               v->rcode, v->server);
        return;
    }
    if (v->r->link.attempt > 1)
        snprintf(attempt, sizeof attempt, " (attempt %u)", v->r->link.attempt);
    expert_add_info_format(pinfo, anchor, &dnsfail_ei.failure, "DNS %s to %s failed%s: %s%s from %s; likely %s",
                           v->subject, v->server, attempt, v->rcode, v->detail, v->server,
                           dnsfail_diagnosis_text(v->diagnosis));
}

static void queue_tap_record(packet_info *pinfo, const struct answer_view *v)
{
    const struct answer_result *r = v->r;
    struct dnsfail_tap_record *rec = dnsfail_tap_record_new(pinfo, v->nxdomain ? DNSFAIL_TAP_NXDOMAIN : DNSFAIL_TAP_FAILURE,
                                                            v->nxdomain ? 0 : DNSFAIL_KIND_ERROR_ANSWER, &r->flow);
    if (!rec)
        return;
    rec->has_question = r->has_question;
    rec->question = r->question;
    if (r->has_question)
        dnsfail_dns_name_format(&r->question.qname, rec->qname, sizeof rec->qname);
    rec->reporter = r->flow.server;
    rec->reporter_is_target = true;
    rec->has_dns_id = true;
    rec->dns_id = r->dns_id;
    rec->diagnosis = (uint8_t)v->diagnosis;
    snprintf(rec->reason, sizeof rec->reason, "%s", v->rcode);
    rec->attempt = r->link.attempt;
    rec->request_in = r->link.request_in;
    rec->rcode = r->rcode;
    rec->has_ede = r->edns.has_ede;
    rec->ede_code = r->edns.ede_code;
    tap_queue_packet(dnsfail_tap, pinfo, rec);
}

/* " [DNS A www.example.com from 192.0.2.53: NXDomain, no such name]" or " [DNS ... to
 * ... failed: ServFail, ...]": pieces handed to col_append_lstr, as in dnsfail_icmp_error.c. */
static void add_columns(packet_info *pinfo, const struct answer_view *v)
{
    if (!pinfo->cinfo)
        return;
    if (v->nxdomain)
        col_append_lstr(pinfo->cinfo, COL_INFO, " [DNS ", v->subject, " from ", v->server, ": ", v->rcode,
                        ", no such name]", COL_ADD_LSTR_TERMINATOR);
    else
        col_append_lstr(pinfo->cinfo, COL_INFO, " [DNS ", v->subject, " to ", v->server, " failed: ", v->rcode,
                        v->detail, "]", COL_ADD_LSTR_TERMINATOR);
}

void dnsfail_error_answer_annotate(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const void *result)
{
    const struct answer_result *r = result;
    struct answer_view *v;

    if (!r)
        return;
    v = wmem_new(pinfo->pool, struct answer_view);
    describe(v, r);
    add_columns(pinfo, v);
    proto_item *top = tree ? add_tree(tree, tvb, v) : NULL;
    add_expert(pinfo, top, v);
    queue_tap_record(pinfo, v);
}
