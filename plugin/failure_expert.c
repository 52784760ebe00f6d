/* failure_expert.c - dnsfail's expert fields, registered and kept here, and the expert
 * items that show them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "failure_expert.h"

#include <epan/expert.h>

#include "dnsfail/reason.h"

#include "field_refs.h"

static expert_field ei_failure = EI_INIT;
static expert_field ei_undeliverable = EI_INIT;
static expert_field ei_query_failed = EI_INIT;
static expert_field ei_quote_truncated = EI_INIT;
static expert_field ei_malformed = EI_INIT;
static expert_field ei_nxdomain = EI_INIT;
static expert_field ei_timeout = EI_INIT;
static expert_field ei_late_answer = EI_INIT;
static expert_field ei_tracking_limit = EI_INIT;
static expert_field ei_quote_unreadable = EI_INIT;

static struct field_refs expert_fields;

bool failure_expert_fields_referenced(void)
{
    return field_refs_any(&expert_fields);
}

void failure_expert_register(int proto)
{
    static ei_register_info ei[] = {
        {&ei_failure, {"dnsfail.failure", PI_RESPONSE_CODE, PI_WARN,
            "DNS query failed: answered by an ICMP error or an error answer", EXPFILL}},
        {&ei_undeliverable, {"dnsfail.answer_undeliverable", PI_RESPONSE_CODE, PI_NOTE,
            "DNS answer undeliverable: the client was no longer listening", EXPFILL}},
        {&ei_query_failed, {"dnsfail.query_failed", PI_RESPONSE_CODE, PI_NOTE,
            "This DNS query failed: an ICMP error or an error answer answered it", EXPFILL}},
        {&ei_quote_truncated, {"dnsfail.quote_short", PI_PROTOCOL, PI_NOTE,
            "The ICMP error quotes too little of the DNS message to hold its question", EXPFILL}},
        {&ei_malformed, {"dnsfail.malformed", PI_MALFORMED, PI_WARN,
            "The DNS message quoted in the ICMP error is malformed", EXPFILL}},
        {&ei_nxdomain, {"dnsfail.nxdomain", PI_RESPONSE_CODE, PI_NOTE,
            "The name does not exist (NXDOMAIN)", EXPFILL}},
        {&ei_timeout, {"dnsfail.timeout", PI_RESPONSE_CODE, PI_WARN,
            "DNS query timed out: nothing answered it within the timeout", EXPFILL}},
        {&ei_late_answer, {"dnsfail.late_answer", PI_SEQUENCE, PI_WARN,
            "DNS answer came after its query had timed out", EXPFILL}},
        {&ei_quote_unreadable, {"dnsfail.quote_unreadable", PI_MALFORMED, PI_NOTE,
            "The ICMP error's quote cannot be read far enough to tell whether it was DNS", EXPFILL}},
        {&ei_tracking_limit, {"dnsfail.tracking_limit", PI_PROTOCOL, PI_WARN,
            "dnsfail stopped following some DNS queries: too many at once", EXPFILL}},
    };
    G_STATIC_ASSERT(array_length(ei) <= G_N_ELEMENTS(expert_fields.infos));
    expert_module_t *module = expert_register_protocol(proto);
    expert_register_field_array(module, ei, array_length(ei));
    for (size_t i = 0; i < array_length(ei); i++)
        field_refs_add(&expert_fields, ei[i].ids->hf);
}

/* What is wrong with an ICMP error's quote, besides the failure it reports. */
static void add_quote_experts(packet_info *pinfo, proto_item *anchor, const struct failure_record *r)
{
    if (r->quote_malformed)
        expert_add_info_format(pinfo, anchor, &ei_malformed,
                               "The DNS question quoted in the ICMP error is malformed: %s",
                               dnsfail_name_status_text((enum dnsfail_name_status)r->name_status));
    if (!r->quote_truncated)
        return;
    if (r->recovered)
        expert_add_info_format(pinfo, anchor, &ei_quote_truncated,
                               "The ICMP error quotes %u bytes of the DNS message; the question was recovered "
                               "from the %s in frame %u",
                               r->quote_dns_bytes, r->answer_in && r->recovered_from == r->answer_in ? "answer" : "query",
                               r->recovered_from);
    else
        expert_add_info_format(pinfo, anchor, &ei_quote_truncated,
                               "The ICMP error quotes %u bytes of the DNS message and the query was not "
                               "captured: its name is %s",
                               r->quote_dns_bytes, r->has_name ? "only partly known" : "unknown");
}

void failure_expert_add(packet_info *pinfo, proto_item *anchor, struct failure_words *w)
{
    const struct failure_record *r = w->r;
    const char *likely = failure_words_likely(w);

    switch (r->kind) {
    case FAILURE_ERROR_ANSWER:
    case FAILURE_ICMP_ERROR:
        expert_add_info_format(pinfo, anchor, &ei_failure, "DNS %s to %s failed%s: %s%s from %s%s; likely %s",
                               w->subject, w->server, failure_words_attempt(w), r->reason, w->detail,
                               failure_words_reporter(w), w->cause, likely);
        break;
    case FAILURE_NXDOMAIN:
        expert_add_info_format(pinfo, anchor, &ei_nxdomain, "DNS %s does not exist: %s from %s", w->subject,
                               w->rcode, w->server);
        break;
    case FAILURE_ANSWER_UNDELIVERABLE:
        expert_add_info_format(pinfo, anchor, &ei_undeliverable,
                               "DNS answer %s from %s to %s:%u undeliverable: %s from %s; likely %s", w->subject,
                               w->server, failure_words_client(w), r->flow.client_port, r->reason,
                               failure_words_reporter(w), likely);
        break;
    case FAILURE_TIMEOUT:
        expert_add_info_format(pinfo, anchor, &ei_timeout, "DNS %s to %s timed out%s: %s%s; likely %s", w->subject,
                               w->server, failure_words_attempt(w), r->reason, w->cause, likely);
        break;
    case FAILURE_LATE_ANSWER:
        expert_add_info_format(pinfo, anchor, &ei_late_answer,
                               "DNS %s answered (%s) by %s %s after the query in frame %u, past the %s timeout%s; "
                               "likely %s",
                               w->subject, w->rcode, w->server, w->waited, r->link.request_in, w->timeout, w->cause,
                               likely);
        break;
    case FAILURE_TCP_REFUSED:
        expert_add_info_format(pinfo, anchor, &ei_failure, "DNS over TCP to %s failed%s: %s by %s%s; likely %s",
                               w->server, failure_words_attempt(w), r->reason, w->server, w->cause, likely);
        break;
    }
    if (failure_is_icmp(r->kind))
        add_quote_experts(pinfo, anchor, r);
}

void failure_expert_query_failed(packet_info *pinfo, proto_item *anchor, const struct query_link *link)
{
    expert_add_info_format(pinfo, anchor, &ei_query_failed, "This DNS query failed: %s in frame %u", link->what,
                           link->error_in);
}

void failure_expert_tracking_limit(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, uint32_t max_queries)
{
    proto_tree_add_expert_format(tree, pinfo, &ei_tracking_limit, tvb, 0, 0,
                                 "dnsfail stopped following some DNS queries here: more than %u at once, the oldest "
                                 "are forgotten (preference dnsfail.max_tracked_queries); their failures and "
                                 "timeouts may go unreported",
                                 max_queries);
}

void failure_expert_quote_unreadable(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const char *why)
{
    proto_tree_add_expert_format(tree, pinfo, &ei_quote_unreadable, tvb, 0, 0,
                                 "The ICMP error's quote cannot be read: %s; whether it was DNS is unknown", why);
}
