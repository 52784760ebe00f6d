/* failure_record.c - making a failure record (failure_record.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "failure_record.h"

#include "frame_facts.h"

struct failure_record *failure_record_new(packet_info *pinfo, enum failure_kind kind, tvbuff_t *tvb)
{
    struct failure_record *r = wmem_new0(pinfo->pool, struct failure_record);
    r->kind = kind;
    r->tvb = tvb;
    r->frame = pinfo->num;
    r->time_ns = frame_time_ns(pinfo);
    r->at.whole.length = -1;
    return r;
}

void failure_spans_all_generated(struct failure_spans *at)
{
    const struct failure_span generated = {0, 0, true};
    struct failure_span whole = at->whole;
    at->qry_name = at->qry_type = at->qry_class = at->dns_id = generated;
    at->transport = at->client = at->client_port = at->server = at->server_port = generated;
    at->rcode = at->reason = at->quote_dns_bytes = generated;
    at->whole = whole;
}

void failure_record_set_question(struct failure_record *r, const struct dnsfail_question *q)
{
    r->has_question = r->has_name = r->has_type = r->has_class = true;
    r->question = *q;
    dnsfail_dns_name_format(&q->qname, r->name, sizeof r->name);
    r->qtype = q->qtype;
    r->qclass = q->qclass;
}

void failure_link_from_match(struct failure_link *link, const struct dnsfail_query_match *m, int64_t now_ns)
{
    link->request_in = m->frame;
    link->attempt = m->attempt;
    link->match_by = m->by;
    link->delta = frame_nstime(now_ns - m->time_ns);
}
