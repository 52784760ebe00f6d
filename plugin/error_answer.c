/* error_answer.c - answers that say a resolution failed: a failing RCODE
 * (SERVFAIL, REFUSED, FORMERR, NOTIMP, BADVERS, ...), with EDNS's Extended DNS Error when
 * there is one; and NXDOMAIN, its own kind since the name's absence is often the answer
 * that was wanted.
 *
 * The first pass decides and links the answer to its query; every pass hands its record
 * to failure_render.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "error_answer.h"

#include "dnsfail/dns_message.h"
#include "dnsfail/reason.h"

#include "failure_render.h"
#include "frame_facts.h"
#include "resolver_chain.h"

enum { RCODE_NXDOMAIN = 3 };

/* The first pass's verdict on one answer, kept with its frame. */
struct error_answer {
    struct dnsfail_flow flow;
    uint16_t rcode;
    uint16_t dns_id;
    int dns_offset;               /* of the DNS message in the UDP datagram or TCP segment */
    bool has_question;
    struct dnsfail_question question;
    struct dnsfail_edns edns;
    struct failure_link link;
};

/* A failing answer may be a resolver's upstream failure, and may be explained by the
 * server's own; NXDOMAIN is an answer, after which the server may have recovered. */
static void link_chain(struct analysis_state *a, packet_info *pinfo, const struct error_answer *r,
                       const struct dnsfail_query_match *m, int64_t now_ns)
{
    const struct dnsfail_question *q = r->has_question ? &r->question : NULL;
    bool nxdomain = r->rcode == RCODE_NXDOMAIN;
    if (!nxdomain && chain_failure_wanted(a, &r->flow, q)) {
        char rcode[16], reason[32];
        snprintf(reason, sizeof reason, "answered %s", dnsfail_rcode_format(r->rcode, rcode, sizeof rcode));
        chain_note_failure(a, pinfo, pinfo->num, &r->flow, q, m, DNSFAIL_KIND_ERROR_ANSWER,
                           dnsfail_diagnose_rcode(r->rcode), reason);
    }
    chain_explain(a, pinfo, pinfo->num, m, q, now_ns, !nxdomain);
}

bool error_answer_first_pass(struct analysis_state *a, packet_info *pinfo, const struct dns_seen *seen,
                             const struct dnsfail_query_match *m)
{
    struct error_answer *r;
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

    r = wmem_new0(wmem_file_scope(), struct error_answer);
    r->rcode = rcode;
    r->edns = edns;
    r->dns_id = seen->msg->id;
    r->dns_offset = seen->offset;
    r->has_question = dnsfail_dns_question_of(seen->msg, &r->question);
    r->flow = seen->flow;

    int64_t now_ns = frame_time_ns(pinfo);
    char what[16];
    if (m) {
        failure_link_from_match(&r->link, m, now_ns);
        if (rcode != RCODE_NXDOMAIN)
            analysis_link_query(a, pinfo, m->frame, m->attempt, dnsfail_rcode_format(rcode, what, sizeof what));
    } else if (r->has_question && rcode != RCODE_NXDOMAIN) {
        r->link.attempt = dnsfail_tracker_count_attempt(a->tracker, &r->flow, &r->question, now_ns);
    }
    if (r->has_question) {
        if (rcode == RCODE_NXDOMAIN) /* an answer: it ends a run of failures */
            dnsfail_tracker_take_failure(a->tracker, &r->flow.client, &r->question);
        else
            dnsfail_tracker_note_failure(a->tracker, &r->flow.client, &r->question);
    }
    analysis_results_make(a, pinfo, seen->stash)->error_answer = r;
    link_chain(a, pinfo, r, m, now_ns);
    return true;
}

/* The answer as a failure record: its facts are in the DNS message at dns_offset. */
static struct failure_record *record_of(packet_info *pinfo, tvbuff_t *tvb, const struct error_answer *a)
{
    const int dns_at = a->dns_offset;
    const int question_at = dns_at + DNSFAIL_DNS_HEADER_LEN;
    bool nxdomain = a->rcode == RCODE_NXDOMAIN;
    struct failure_record *r = failure_record_new(pinfo, nxdomain ? FAILURE_NXDOMAIN : FAILURE_ERROR_ANSWER, tvb);
    struct failure_spans *at = &r->at;

    r->flow = a->flow;
    if (a->has_question) {
        failure_record_set_question(r, &a->question);
        int name_len = (int)a->question.qname.wire_len;
        at->qry_name = (struct failure_span){question_at, name_len, false};
        at->qry_type = (struct failure_span){question_at + name_len, 2, false};
        at->qry_class = (struct failure_span){question_at + name_len + 2, 2, false};
    }
    r->unnamed = DNSFAIL_UNNAMED_NOT_IN_ANSWER;
    r->has_dns_id = r->dns_id_shown = true;
    r->dns_id = a->dns_id;
    at->dns_id = (struct failure_span){dns_at, 2, false};
    at->client_port = (struct failure_span){2, 2, false}; /* an answer goes to the client */
    at->server_port = (struct failure_span){0, 2, false};
    r->reporter = a->flow.server;
    r->reporter_is_target = true;
    r->diagnosis = dnsfail_diagnose_rcode(a->rcode);
    dnsfail_rcode_format(a->rcode, r->reason, sizeof r->reason);
    at->rcode = at->reason = (struct failure_span){dns_at + 3, 1, false};
    r->link = a->link;
    r->rcode = a->rcode;
    r->has_ede = a->edns.has_ede;
    r->ede_code = a->edns.ede_code;
    if (a->edns.has_ede)
        memcpy(r->ede_text, a->edns.ede_text, sizeof r->ede_text);
    return r;
}

void error_answer_annotate(const struct analysis_state *a, packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb,
                           const struct error_answer *answer)
{
    struct failure_record *r = record_of(pinfo, tvb, answer);
    r->chain = chain_links_of(a, pinfo->num);
    failure_render(pinfo, tree, r);
}
