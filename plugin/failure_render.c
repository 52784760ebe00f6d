/* failure_render.c - one failure record (failure_record.h) turned into everything a
 * reader sees of it: the Info column's note, the "dnsfail" tree item and the items under
 * it, the expert items, the record queued on the "dnsfail" tap.
 *
 * Every kind of failure goes through the same functions, so a fact is worded and placed
 * once. Words are written only for whoever reads them: the server's address and the
 * subject for every note; the client's and reporter's only for the tree and the expert
 * items (an IPv6 address costs more to write than the rest of the note).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "failure_record.h"

#include <inttypes.h>

#include <epan/column-utils.h>
#include <epan/tap.h>

#include "dnsfail/tap.h"
#include "dnsfail/text.h"

#define NS_PER_S INT64_C(1000000000)

/* ---- the record ----------------------------------------------------------------------- */

struct failure_record *failure_record_new(packet_info *pinfo, enum failure_kind kind, tvbuff_t *tvb)
{
    struct failure_record *r = wmem_new0(pinfo->pool, struct failure_record);
    r->kind = kind;
    r->tvb = tvb;
    r->frame = pinfo->num;
    r->time_ns = dnsfail_frame_time_ns(pinfo);
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

/* ---- what kind it is -------------------------------------------------------------------- */

static bool is_answer(enum failure_kind kind)
{
    return kind == FAILURE_ERROR_ANSWER || kind == FAILURE_NXDOMAIN;
}

static bool is_icmp(enum failure_kind kind)
{
    return kind == FAILURE_ICMP_ERROR || kind == FAILURE_ANSWER_UNDELIVERABLE;
}

/* Timeouts and late answers: nobody reported them, they were seen not to come in time. */
static bool is_timing(enum failure_kind kind)
{
    return kind == FAILURE_TIMEOUT || kind == FAILURE_LATE_ANSWER;
}

static const char *kind_text(const struct failure_record *r, char *buf, size_t size)
{
    switch (r->kind) {
    case FAILURE_ERROR_ANSWER:
    case FAILURE_NXDOMAIN: return dnsfail_rcode_kind(r->rcode, buf, size);
    case FAILURE_ICMP_ERROR: return "icmp_error";
    case FAILURE_ANSWER_UNDELIVERABLE: return "answer_undeliverable";
    case FAILURE_TIMEOUT: return "timeout";
    case FAILURE_LATE_ANSWER: return "late_answer";
    case FAILURE_TCP_REFUSED: return "tcp_refused";
    }
    return "";
}

/* ---- words ---------------------------------------------------------------------------- */

/* The words of one record, each written when first needed. */
struct failure_words {
    const struct failure_record *r;
    char subject[DNSFAIL_NAME_TEXT_MAX + 32]; /* "A www.example.com", "TCP connection", ... */
    char server[DNSFAIL_ADDR_TEXT_MAX];
    char client[DNSFAIL_ADDR_TEXT_MAX];
    char reporter[DNSFAIL_ADDR_TEXT_MAX];
    char rcode[16];
    char detail[DNSFAIL_EDE_TEXT_MAX + 64]; /* ", No Reachable Authority: ..." or "" */
    char attempt[32];                       /* " (attempt 2)" or "" */
    char waited[32], timeout[32];           /* late answers: "6.0 s", "5 s" */
};

static const char *const unnamed_words[] = {
    [UNNAMED_QUERY] = "query",
    [UNNAMED_NOT_QUOTED] = "query (name not quoted)",
    [UNNAMED_NOT_IN_ANSWER] = "query (no question in the answer)",
    [UNNAMED_TCP_CONNECTION] = "TCP connection",
    [UNNAMED_TCP_SYN] = "connection (TCP SYN)",
    [UNNAMED_NONE] = "",
};

static void write_subject(struct failure_words *w, const struct failure_record *r)
{
    struct dnsfail_text subject;
    char type[16];

    dnsfail_text_init(&subject, w->subject, sizeof w->subject);
    if (r->has_name) {
        dnsfail_text_put(&subject, r->has_type ? dnsfail_dns_type_format(r->qtype, type, sizeof type) : "query");
        dnsfail_text_put(&subject, " ");
        dnsfail_text_put(&subject, r->name);
    } else {
        dnsfail_text_put(&subject, unnamed_words[r->unnamed]);
    }
}

/* The words every note needs. */
static void words_init(struct failure_words *w, const struct failure_record *r)
{
    w->r = r;
    w->client[0] = w->reporter[0] = w->rcode[0] = w->detail[0] = w->attempt[0] = '\0';
    write_subject(w, r);
    dnsfail_addr_format(&r->flow.server, w->server, sizeof w->server);
    if (is_answer(r->kind) || r->kind == FAILURE_LATE_ANSWER)
        dnsfail_rcode_format(r->rcode, w->rcode, sizeof w->rcode);
    if (r->has_ede) {
        const char *ede = dnsfail_ede_name(r->ede_code);
        snprintf(w->detail, sizeof w->detail, ", %s%s%s", ede ? ede : "Extended DNS Error", r->ede_text[0] ? ": " : "",
                 r->ede_text);
    }
    if (r->kind == FAILURE_LATE_ANSWER) {
        dnsfail_format_wait(r->waited_ns, w->waited, sizeof w->waited);
        dnsfail_format_timeout(r->timeout_ns, w->timeout, sizeof w->timeout);
    }
}

static const char *client_text(struct failure_words *w)
{
    if (!w->client[0])
        dnsfail_addr_format(&w->r->flow.client, w->client, sizeof w->client);
    return w->client;
}

static const char *reporter_text(struct failure_words *w)
{
    if (!w->reporter[0])
        dnsfail_addr_format(&w->r->reporter, w->reporter, sizeof w->reporter);
    return w->reporter;
}

/* ---- the Info column -------------------------------------------------------------------- */

/* " [DNS A www.example.com to 192.0.2.53 failed: udp port 53 unreachable]": the pieces go
 * to col_append_lstr as they are, each copied once into the column. */
static void add_info(packet_info *pinfo, struct failure_words *w)
{
    const struct failure_record *r = w->r;

    if (!pinfo->cinfo)
        return;
    switch (r->kind) {
    case FAILURE_ERROR_ANSWER:
    case FAILURE_ICMP_ERROR:
        col_append_lstr(pinfo->cinfo, COL_INFO, " [DNS ", w->subject, " to ", w->server, " failed: ", r->reason,
                        w->detail, "]", COL_ADD_LSTR_TERMINATOR);
        break;
    case FAILURE_NXDOMAIN:
        col_append_lstr(pinfo->cinfo, COL_INFO, " [DNS ", w->subject, " from ", w->server, ": ", w->rcode,
                        ", no such name]", COL_ADD_LSTR_TERMINATOR);
        break;
    case FAILURE_ANSWER_UNDELIVERABLE:
        col_append_lstr(pinfo->cinfo, COL_INFO, " [DNS answer ", w->subject, " from ", w->server, " to ",
                        client_text(w), " undeliverable: ", r->reason, "]", COL_ADD_LSTR_TERMINATOR);
        break;
    case FAILURE_TIMEOUT:
        col_append_lstr(pinfo->cinfo, COL_INFO, " [DNS ", w->subject, " to ", w->server, " timed out: ", r->reason,
                        "]", COL_ADD_LSTR_TERMINATOR);
        break;
    case FAILURE_LATE_ANSWER:
        col_append_fstr(pinfo->cinfo, COL_INFO, " [DNS %s: late answer (%s) %s after the query in frame %u]",
                        w->subject, w->rcode, w->waited, r->link.request_in);
        break;
    case FAILURE_TCP_REFUSED:
        col_append_lstr(pinfo->cinfo, COL_INFO, " [DNS over TCP to ", w->server, " failed: ", r->reason, "]",
                        COL_ADD_LSTR_TERMINATOR);
        break;
    }
}

/* ---- the tree --------------------------------------------------------------------------- */

static proto_item *placed(proto_item *item, struct failure_span at)
{
    if (at.generated)
        proto_item_set_generated(item);
    return item;
}

static void generated(proto_item *item)
{
    proto_item_set_generated(item);
}

/* ": A www.example.com to 192.0.2.53 failed: ServFail": the dnsfail item's own words. */
static void append_summary(proto_item *top, struct failure_words *w)
{
    const struct failure_record *r = w->r;

    switch (r->kind) {
    case FAILURE_ERROR_ANSWER:
    case FAILURE_ICMP_ERROR:
        proto_item_append_text(top, ": %s to %s failed: %s%s", w->subject, w->server, r->reason, w->detail);
        break;
    case FAILURE_NXDOMAIN:
        proto_item_append_text(top, ": %s from %s: %s (no such name)", w->subject, w->server, w->rcode);
        break;
    case FAILURE_ANSWER_UNDELIVERABLE:
        proto_item_append_text(top, ": answer %s from %s to %s undeliverable: %s", w->subject, w->server,
                               client_text(w), r->reason);
        break;
    case FAILURE_TIMEOUT:
        proto_item_append_text(top, ": %s to %s timed out: %s", w->subject, w->server, r->reason);
        break;
    case FAILURE_LATE_ANSWER:
        proto_item_append_text(top, ": %s from %s came late: %s", w->subject, w->server, r->reason);
        break;
    case FAILURE_TCP_REFUSED:
        proto_item_append_text(top, ": DNS over TCP to %s failed: %s", w->server, r->reason);
        break;
    }
}

static void add_question_items(proto_tree *tree, const struct failure_record *r)
{
    tvbuff_t *tvb = r->tvb;
    const struct failure_spans *at = &r->at;

    if (r->has_name)
        placed(proto_tree_add_string(tree, dnsfail_hf.qry_name, tvb, at->qry_name.offset, at->qry_name.length, r->name),
               at->qry_name);
    if (r->has_type)
        placed(proto_tree_add_uint(tree, dnsfail_hf.qry_type, tvb, at->qry_type.offset, at->qry_type.length, r->qtype),
               at->qry_type);
    if (r->has_class)
        placed(proto_tree_add_uint(tree, dnsfail_hf.qry_class, tvb, at->qry_class.offset, at->qry_class.length,
                                   r->qclass),
               at->qry_class);
    if (r->dns_id_shown)
        placed(proto_tree_add_uint(tree, dnsfail_hf.id, tvb, at->dns_id.offset, at->dns_id.length, r->dns_id),
               at->dns_id);
}

static void add_flow_items(proto_tree *tree, struct failure_words *w)
{
    const struct failure_record *r = w->r;
    const struct failure_spans *at = &r->at;
    tvbuff_t *tvb = r->tvb;

    placed(proto_tree_add_uint(tree, dnsfail_hf.transport, tvb, at->transport.offset, at->transport.length,
                               r->flow.transport),
           at->transport);
    placed(proto_tree_add_string(tree, dnsfail_hf.client, tvb, at->client.offset, at->client.length, client_text(w)),
           at->client);
    placed(proto_tree_add_uint(tree, dnsfail_hf.client_port, tvb, at->client_port.offset, at->client_port.length,
                               r->flow.client_port),
           at->client_port);
    placed(proto_tree_add_string(tree, dnsfail_hf.server, tvb, at->server.offset, at->server.length, w->server),
           at->server);
    dnsfail_items_add_server_address(tree, tvb, &r->flow.server);
    placed(proto_tree_add_uint(tree, dnsfail_hf.server_port, tvb, at->server_port.offset, at->server_port.length,
                               r->flow.server_port),
           at->server_port);
}

static void add_icmp_items(proto_tree *tree, const struct failure_record *r)
{
    generated(proto_tree_add_uint(tree, dnsfail_hf.icmp_version, r->tvb, 0, 0, r->icmp_version));
    proto_tree_add_uint(tree, dnsfail_hf.icmp_type, r->tvb, 0, 1, r->icmp_type);
    proto_tree_add_uint(tree, dnsfail_hf.icmp_code, r->tvb, 1, 1, r->icmp_code);
}

static void add_timeout_value(proto_tree *tree, const struct failure_record *r)
{
    nstime_t t = {.secs = (time_t)(r->timeout_ns / NS_PER_S), .nsecs = (int)(r->timeout_ns % NS_PER_S)};
    generated(proto_tree_add_time(tree, dnsfail_hf.timeout, r->tvb, 0, 0, &t));
}

static const char *const match_names[] = {"none", "dns_id", "datagram", "flow"};

/* The link to the query, unless the record is the query's own frame (a timeout). */
static void add_link_items(proto_tree *tree, const struct failure_record *r)
{
    const struct dnsfail_link *link = &r->link;
    tvbuff_t *tvb = r->tvb;

    if (link->request_in && link->request_in != r->frame) {
        generated(proto_tree_add_uint(tree, dnsfail_hf.request_in, tvb, 0, 0, link->request_in));
        generated(proto_tree_add_string(tree, dnsfail_hf.request_match, tvb, 0, 0,
                                        match_names[link->match_by < G_N_ELEMENTS(match_names) ? link->match_by : 0]));
        generated(proto_tree_add_time(tree, dnsfail_hf.time, tvb, 0, 0, &link->delta));
    }
    if (link->attempt)
        generated(proto_tree_add_uint(tree, dnsfail_hf.attempt, tvb, 0, 0, link->attempt));
    if (r->late_answer_in)
        generated(proto_tree_add_uint(tree, dnsfail_hf.late_answer_in, tvb, 0, 0, r->late_answer_in));
}

static void add_quote_items(proto_tree *tree, const struct failure_record *r)
{
    generated(proto_tree_add_boolean(tree, dnsfail_hf.quote_truncated, r->tvb, 0, 0, r->quote_truncated));
    if (r->recovered)
        generated(proto_tree_add_boolean(tree, dnsfail_hf.recovered, r->tvb, 0, 0, true));
    generated(proto_tree_add_uint(tree, dnsfail_hf.quote_dns_bytes, r->tvb, r->at.quote_dns_bytes.offset,
                                  r->at.quote_dns_bytes.length, r->quote_dns_bytes));
}

/* The "dnsfail" item, and under it the facts in one order for every kind. Without details
 * wanted, the item alone: the filter "dnsfail" needs nothing more. */
static proto_item *add_tree(proto_tree *parent, struct failure_words *w)
{
    const struct failure_record *r = w->r;
    tvbuff_t *tvb = r->tvb;
    char kind[16];

    proto_item *top = proto_tree_add_item(parent, proto_dnsfail, tvb, r->at.whole.offset, r->at.whole.length, ENC_NA);
    if (!dnsfail_details_wanted(parent))
        return top;
    append_summary(top, w);
    proto_tree *tree = proto_item_add_subtree(top, ett_dnsfail);
    generated(proto_tree_add_string(tree, dnsfail_hf.kind, tvb, 0, 0, kind_text(r, kind, sizeof kind)));
    add_question_items(tree, r);
    if (is_icmp(r->kind))
        proto_tree_add_boolean(tree, dnsfail_hf.response, tvb, 0, 0, r->response);
    add_flow_items(tree, w);
    if (!is_timing(r->kind)) {
        proto_tree_add_string(tree, dnsfail_hf.reporter, tvb, 0, 0, reporter_text(w));
        proto_tree_add_boolean(tree, dnsfail_hf.reporter_is_target, tvb, 0, 0, r->reporter_is_target);
    }
    if (is_icmp(r->kind))
        add_icmp_items(tree, r);
    if (is_answer(r->kind) || r->kind == FAILURE_LATE_ANSWER)
        placed(proto_tree_add_uint(tree, dnsfail_hf.rcode, tvb, r->at.rcode.offset, r->at.rcode.length, r->rcode),
               r->at.rcode);
    placed(proto_tree_add_string(tree, dnsfail_hf.reason, tvb, r->at.reason.offset, r->at.reason.length, r->reason),
           r->at.reason);
    if (r->has_ede) {
        generated(proto_tree_add_uint(tree, dnsfail_hf.ede, tvb, 0, 0, r->ede_code));
        if (r->ede_text[0])
            generated(proto_tree_add_string(tree, dnsfail_hf.ede_text, tvb, 0, 0, r->ede_text));
    }
    if (is_timing(r->kind))
        add_timeout_value(tree, r);
    dnsfail_items_add_diagnosis(tree, tvb, r->diagnosis);
    add_link_items(tree, r);
    if (is_icmp(r->kind))
        add_quote_items(tree, r);
    return top;
}

/* ---- expert items ------------------------------------------------------------------------ */

/* What is wrong with an ICMP error's quote, besides the failure it reports. */
static void add_quote_experts(packet_info *pinfo, proto_item *anchor, const struct failure_record *r)
{
    if (r->quote_malformed)
        expert_add_info_format(pinfo, anchor, &dnsfail_ei.malformed,
                               "The DNS question quoted in the ICMP error is malformed: %s",
                               dnsfail_name_status_text((enum dnsfail_name_status)r->name_status));
    if (!r->quote_truncated)
        return;
    if (r->recovered)
        expert_add_info_format(pinfo, anchor, &dnsfail_ei.quote_truncated,
                               "The ICMP error quotes %u bytes of the DNS message; the question was recovered "
                               "from the query in frame %u",
                               r->quote_dns_bytes, r->link.request_in);
    else
        expert_add_info_format(pinfo, anchor, &dnsfail_ei.quote_truncated,
                               "The ICMP error quotes %u bytes of the DNS message and the query was not "
                               "captured: its name is %s",
                               r->quote_dns_bytes, r->has_name ? "only partly known" : "unknown");
}

/* Anchored on the dnsfail item when there is a tree, so that the expert fields filter. */
static void add_expert(packet_info *pinfo, proto_item *anchor, struct failure_words *w)
{
    const struct failure_record *r = w->r;
    const char *likely = dnsfail_diagnosis_text(r->diagnosis);

    if (!dnsfail_expert_wanted(pinfo, anchor))
        return;
    if (r->link.attempt > 1)
        snprintf(w->attempt, sizeof w->attempt, " (attempt %u)", r->link.attempt);
    switch (r->kind) {
    case FAILURE_ERROR_ANSWER:
    case FAILURE_ICMP_ERROR:
        expert_add_info_format(pinfo, anchor, &dnsfail_ei.failure, "DNS %s to %s failed%s: %s%s from %s; likely %s",
                               w->subject, w->server, w->attempt, r->reason, w->detail, reporter_text(w), likely);
        break;
    case FAILURE_NXDOMAIN:
        expert_add_info_format(pinfo, anchor, &dnsfail_ei.nxdomain, "DNS %s does not exist: %s from %s", w->subject,
                               w->rcode, w->server);
        break;
    case FAILURE_ANSWER_UNDELIVERABLE:
        expert_add_info_format(pinfo, anchor, &dnsfail_ei.undeliverable,
                               "DNS answer %s from %s to %s:%u undeliverable: %s from %s; likely %s", w->subject,
                               w->server, client_text(w), r->flow.client_port, r->reason, reporter_text(w), likely);
        break;
    case FAILURE_TIMEOUT:
        expert_add_info_format(pinfo, anchor, &dnsfail_ei.timeout, "DNS %s to %s timed out%s: %s; likely %s",
                               w->subject, w->server, w->attempt, r->reason, likely);
        break;
    case FAILURE_LATE_ANSWER:
        expert_add_info_format(pinfo, anchor, &dnsfail_ei.late_answer,
                               "DNS %s answered (%s) by %s %s after the query in frame %u, past the %s timeout; "
                               "likely %s",
                               w->subject, w->rcode, w->server, w->waited, r->link.request_in, w->timeout, likely);
        break;
    case FAILURE_TCP_REFUSED:
        expert_add_info_format(pinfo, anchor, &dnsfail_ei.failure, "DNS over TCP to %s failed%s: %s by %s; likely %s",
                               w->server, w->attempt, r->reason, w->server, likely);
        break;
    }
    if (is_icmp(r->kind))
        add_quote_experts(pinfo, anchor, r);
}

/* ---- the tap record ---------------------------------------------------------------------- */

static uint8_t tap_event(enum failure_kind kind)
{
    switch (kind) {
    case FAILURE_NXDOMAIN: return DNSFAIL_TAP_NXDOMAIN;
    case FAILURE_LATE_ANSWER: return DNSFAIL_TAP_LATE_ANSWER;
    default: return DNSFAIL_TAP_FAILURE;
    }
}

/* enum dnsfail_kind; 0 for the events that are no failure. */
static uint8_t tap_kind(enum failure_kind kind)
{
    switch (kind) {
    case FAILURE_ERROR_ANSWER: return DNSFAIL_KIND_ERROR_ANSWER;
    case FAILURE_ICMP_ERROR: return DNSFAIL_KIND_ICMP_ERROR;
    case FAILURE_ANSWER_UNDELIVERABLE: return DNSFAIL_KIND_ANSWER_UNDELIVERABLE;
    case FAILURE_TIMEOUT: return DNSFAIL_KIND_TIMEOUT;
    case FAILURE_TCP_REFUSED: return DNSFAIL_KIND_TCP_REFUSED;
    default: return 0;
    }
}

bool failure_tap_wanted(void)
{
    return have_tap_listener(dnsfail_tap);
}

void failure_render_tap(packet_info *pinfo, const struct failure_record *r)
{
    if (!failure_tap_wanted())
        return;
    struct dnsfail_tap_record *rec = wmem_new0(pinfo->pool, struct dnsfail_tap_record);
    rec->version = DNSFAIL_TAP_VERSION;
    rec->event = tap_event(r->kind);
    rec->kind = tap_kind(r->kind);
    rec->frame = r->frame;
    rec->time_ns = r->time_ns;
    rec->flow = r->flow;
    rec->has_question = r->has_question;
    rec->question = r->question;
    if (r->has_name)
        snprintf(rec->qname, sizeof rec->qname, "%s", r->name);
    rec->reporter = r->reporter;
    rec->reporter_is_target = r->reporter_is_target;
    rec->has_dns_id = r->has_dns_id;
    rec->dns_id = r->dns_id;
    rec->icmp_version = r->icmp_version;
    rec->icmp_type = r->icmp_type;
    rec->icmp_code = r->icmp_code;
    rec->diagnosis = (uint8_t)r->diagnosis;
    snprintf(rec->reason, sizeof rec->reason, "%s", r->reason);
    rec->attempt = r->link.attempt;
    rec->request_in = r->link.request_in;
    rec->quote_truncated = r->quote_truncated;
    rec->recovered = r->recovered;
    rec->rcode = r->rcode;
    rec->has_ede = r->has_ede;
    rec->ede_code = r->ede_code;
    rec->timeout_ns = r->timeout_ns;
    rec->waited_ns = r->waited_ns;
    tap_queue_packet(dnsfail_tap, pinfo, rec);
}

/* ---- all of it ---------------------------------------------------------------------------- */

void failure_render(packet_info *pinfo, proto_tree *tree, const struct failure_record *r)
{
    struct failure_words *w = wmem_new(pinfo->pool, struct failure_words);

    words_init(w, r);
    add_info(pinfo, w);
    /* Expert items reach the expert tap and _ws.expert even without a tree item. */
    proto_item *top = tree ? add_tree(tree, w) : NULL;
    add_expert(pinfo, top, w);
    failure_render_tap(pinfo, r);
}
