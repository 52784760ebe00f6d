/* failure_tree.c - dnsfail's fields, registered and kept here, and the tree items of one
 * failure record: the "dnsfail" item with its summary, and under it the facts in one
 * order for every kind.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "failure_tree.h"

#include "dnsfail/dns_message.h"
#include "dnsfail/reason.h"

#include "field_refs.h"
#include "frame_facts.h"

static int proto_dnsfail = -1;
static int ett_dnsfail = -1;
static int ett_dnsfail_query = -1;
static int ett_dnsfail_cause = -1;

/* The field ids, registered here (failure_tree_register) and used nowhere else. */
static struct {
    int failed, client_ipv4, client_ipv6, reporter_ipv4, reporter_ipv6;
    int kind, qry_name, qry_type, qry_class, id, response, transport, client, client_port, server, server_port;
    int server_ipv4, server_ipv6, reporter, reporter_is_target, icmp_version, icmp_type, icmp_code, reason;
    int diagnosis, request_in, request_match, error_in, time, attempt, quote_truncated, recovered;
    int quote_dns_bytes, rcode, ede, ede_text, timeout, late_answer_in;
    int answer_in, undelivered_in, recovered_from;
    int cause_in, cause, cause_match, explains_in, upstream;
} field;

/* ---- registration ---------------------------------------------------------------------- */

static const value_string transport_names[] = {
    {6, "TCP"},
    {17, "UDP"},
    {0, NULL},
};

static void format_qtype(char *result, uint32_t value)
{
    const char *name = dnsfail_dns_type_name((uint16_t)value);
    snprintf(result, ITEM_LABEL_LENGTH, "%s (%u)", name ? name : "Unknown", value);
}

static void format_qclass(char *result, uint32_t value)
{
    const char *name = dnsfail_dns_class_name((uint16_t)value);
    snprintf(result, ITEM_LABEL_LENGTH, "%s (0x%04x)", name ? name : "Unknown", value);
}

static void format_rcode(char *result, uint32_t value)
{
    char name[16];
    snprintf(result, ITEM_LABEL_LENGTH, "%s (%u)", dnsfail_rcode_format((uint16_t)value, name, sizeof name), value);
}

static void format_ede(char *result, uint32_t value)
{
    const char *name = dnsfail_ede_name((uint16_t)value);
    snprintf(result, ITEM_LABEL_LENGTH, "%s (%u)", name ? name : "Unassigned", value);
}

static struct field_refs fields;

bool failure_tree_fields_referenced(void)
{
    return field_refs_any(&fields);
}

void failure_tree_register(int proto)
{
    static hf_register_info hf[] = {
        {&field.kind, {"Kind", "dnsfail.kind", FT_STRING, BASE_NONE, NULL, 0x0,
            "What failed: icmp_error, answer_undeliverable, tcp_refused, timeout, late_answer, or an error answer's "
            "RCODE (servfail, refused, ...; nxdomain)",
            HFILL}},
        {&field.failed, {"Failed attempt", "dnsfail.failed", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "Present, and true, on each frame that shows a failed attempt: a query answered by an ICMP error, an "
            "error answer, a refused TCP connection, a timeout. Absent on NXDOMAIN, late and undeliverable answers",
            HFILL}},
        {&field.qry_name, {"Query name", "dnsfail.qry.name", FT_STRING, BASE_NONE, NULL, 0x0,
            "The name asked for, escaped like dig prints it", HFILL}},
        {&field.qry_type, {"Query type", "dnsfail.qry.type", FT_UINT16, BASE_CUSTOM, CF_FUNC(format_qtype), 0x0,
            NULL, HFILL}},
        {&field.qry_class, {"Query class", "dnsfail.qry.class", FT_UINT16, BASE_CUSTOM, CF_FUNC(format_qclass),
            0x0, NULL, HFILL}},
        {&field.id, {"Transaction ID", "dnsfail.id", FT_UINT16, BASE_HEX, NULL, 0x0, NULL, HFILL}},
        {&field.response, {"Quoted message is a response", "dnsfail.response", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The ICMP error quotes a DNS answer on its way to the client", HFILL}},
        {&field.transport, {"Transport", "dnsfail.transport", FT_UINT8, BASE_DEC, VALS(transport_names), 0x0,
            NULL, HFILL}},
        {&field.client, {"Client", "dnsfail.client", FT_STRING, BASE_NONE, NULL, 0x0,
            "The host that asked (IPv4 or IPv6)", HFILL}},
        {&field.client_ipv4, {"Client IPv4 address", "dnsfail.client.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0,
            "The client as an IPv4 address, for subnet filters", HFILL}},
        {&field.client_ipv6, {"Client IPv6 address", "dnsfail.client.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0,
            "The client as an IPv6 address, for prefix filters", HFILL}},
        {&field.client_port, {"Client port", "dnsfail.client.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&field.server, {"Server", "dnsfail.server", FT_STRING, BASE_NONE, NULL, 0x0,
            "The DNS server asked (IPv4 or IPv6)", HFILL}},
        {&field.server_port, {"Server port", "dnsfail.server.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&field.server_ipv4, {"Server IPv4 address", "dnsfail.server.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0,
            "The server as an IPv4 address, for subnet filters", HFILL}},
        {&field.server_ipv6, {"Server IPv6 address", "dnsfail.server.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0,
            "The server as an IPv6 address, for prefix filters", HFILL}},
        {&field.reporter, {"Reported by", "dnsfail.reporter", FT_STRING, BASE_NONE, NULL, 0x0,
            "The host that sent the ICMP error", HFILL}},
        {&field.reporter_ipv4, {"Reported by (IPv4 address)", "dnsfail.reporter.ipv4", FT_IPv4, BASE_NONE, NULL,
            0x0, "The host that sent the ICMP error, as an IPv4 address, for subnet filters", HFILL}},
        {&field.reporter_ipv6, {"Reported by (IPv6 address)", "dnsfail.reporter.ipv6", FT_IPv6, BASE_NONE, NULL,
            0x0, "The host that sent the ICMP error, as an IPv6 address, for prefix filters", HFILL}},
        {&field.reporter_is_target, {"Reported by the destination itself", "dnsfail.reporter.is_target",
            FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "True when the ICMP error came from the host the DNS message was sent to, not a router", HFILL}},
        {&field.icmp_version, {"ICMP version", "dnsfail.icmp.version", FT_UINT8, BASE_DEC, NULL, 0x0,
            "4 for ICMP, 6 for ICMPv6", HFILL}},
        {&field.icmp_type, {"ICMP type", "dnsfail.icmp.type", FT_UINT8, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&field.icmp_code, {"ICMP code", "dnsfail.icmp.code", FT_UINT8, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&field.reason, {"Reason", "dnsfail.reason", FT_STRING, BASE_NONE, NULL, 0x0,
            "The failure in tcpdump's words", HFILL}},
        {&field.diagnosis, {"Likely cause", "dnsfail.diagnosis", FT_STRING, BASE_NONE, NULL, 0x0,
            "A stable key for the likely cause: no_listener, host_down, no_route, prohibited, ...", HFILL}},
        {&field.request_in, {"Query in", "dnsfail.request_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The frame of the query this error answers", HFILL}},
        {&field.request_match, {"Query matched by", "dnsfail.request_match", FT_STRING, BASE_NONE, NULL, 0x0,
            "How the query was found: dns_id, datagram (UDP length and checksum) or flow", HFILL}},
        {&field.error_in, {"Failure reported in", "dnsfail.error_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
            "On a query: the frame that reported its failure (an ICMP error, an error answer or a TCP reset)",
            HFILL}},
        {&field.time, {"Time from query", "dnsfail.time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "Seconds from the query to this frame (the ICMP error, error answer, reset or late answer)", HFILL}},
        {&field.attempt, {"Attempt", "dnsfail.attempt", FT_UINT32, BASE_DEC, NULL, 0x0,
            "1, 2, 3 ... for tries of the same question from the same client to the same server", HFILL}},
        {&field.quote_truncated, {"Quote truncated", "dnsfail.quote_truncated", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The ICMP error quoted too little to hold the DNS question", HFILL}},
        {&field.recovered, {"Question recovered from another frame", "dnsfail.recovered", FT_BOOLEAN, BASE_NONE,
            NULL, 0x0, "Name, type and id were taken from another frame, not from the quote: the quoted answer's "
            "own frame when it was captured, else the query's (dnsfail.recovered_from)", HFILL}},
        {&field.recovered_from, {"Question taken from", "dnsfail.recovered_from", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "With dnsfail.recovered: the frame the name, type and id were taken "
            "from (the quoted answer's, or the query's)", HFILL}},
        {&field.answer_in, {"Quoted answer in", "dnsfail.answer_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "On an undeliverable answer: the frame of the DNS answer the "
            "ICMP error quotes, matched by flow, UDP length and checksum, and DNS id when quoted", HFILL}},
        {&field.undelivered_in, {"Undeliverable, ICMP error in", "dnsfail.undelivered_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "On a DNS answer: the frame of the ICMP error saying it could "
            "not be delivered", HFILL}},
        {&field.rcode, {"Response code", "dnsfail.rcode", FT_UINT16, BASE_CUSTOM, CF_FUNC(format_rcode), 0x0,
            "An error answer's 12-bit RCODE (with EDNS's extended bits)", HFILL}},
        {&field.ede, {"Extended DNS Error", "dnsfail.ede", FT_UINT16, BASE_CUSTOM, CF_FUNC(format_ede), 0x0,
            "The INFO-CODE of the answer's Extended DNS Error (RFC 8914)", HFILL}},
        {&field.ede_text, {"Extended DNS Error text", "dnsfail.ede.text", FT_STRING, BASE_NONE, NULL, 0x0,
            "The EXTRA-TEXT of the Extended DNS Error, escaped", HFILL}},
        {&field.timeout, {"Timeout", "dnsfail.timeout_value", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "The timeout in force (preference dnsfail.timeout) on a timed-out query or a late answer", HFILL}},
        {&field.late_answer_in, {"Late answer in", "dnsfail.late_answer_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "On a timed-out query: the frame of the answer that came after "
            "the timeout", HFILL}},
        {&field.cause_in, {"Caused by upstream failure in", "dnsfail.cause_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "On a failure a resolver gave its client: the frame of each of the "
            "resolver's own upstream failures that explain it, strongest first (dnsfail.cause_match)", HFILL}},
        {&field.cause, {"Cause", "dnsfail.cause", FT_STRING, BASE_NONE, NULL, 0x0,
            "The strongest upstream failure that explains this one, in one line: \"upstream 198.51.100.53 udp port "
            "53 unreachable\"", HFILL}},
        {&field.cause_match, {"Cause matched by", "dnsfail.cause_match", FT_STRING, BASE_NONE, NULL, 0x0,
            "How each dnsfail.cause_in is tied to the client's query: same_question (the resolver asked the same "
            "name, without case, and type), ancestor (a name the client's name ends with) or during (another "
            "upstream failure while the client waited)", HFILL}},
        {&field.explains_in, {"Explains failure in", "dnsfail.explains_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "On a resolver's upstream failure: the frame of each failure the "
            "resolver gave a client that it explains (known in later passes)", HFILL}},
        {&field.upstream, {"Upstream failure", "dnsfail.upstream", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "Present, and true, when this failure's client is a resolver asking on its clients' behalf: a failure of "
            "the resolver's own upstream query", HFILL}},
        {&field.quote_dns_bytes, {"DNS bytes quoted", "dnsfail.quote.dns_bytes", FT_UINT32, BASE_DEC, NULL, 0x0,
            "How much of the DNS message the ICMP error quotes", HFILL}},
    };
    static int *ett[] = {&ett_dnsfail, &ett_dnsfail_query, &ett_dnsfail_cause};

    G_STATIC_ASSERT(array_length(hf) <= G_N_ELEMENTS(fields.infos));
    proto_dnsfail = proto;
    proto_register_field_array(proto, hf, array_length(hf));
    for (size_t i = 0; i < array_length(hf); i++)
        field_refs_add(&fields, *hf[i].p_id);
    proto_register_subtree_array(ett, array_length(ett));
}

/* ---- items ------------------------------------------------------------------------------ */

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
                               failure_words_client(w), r->reason);
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
        placed(proto_tree_add_string(tree, field.qry_name, tvb, at->qry_name.offset, at->qry_name.length, r->name),
               at->qry_name);
    if (r->has_type)
        placed(proto_tree_add_uint(tree, field.qry_type, tvb, at->qry_type.offset, at->qry_type.length, r->qtype),
               at->qry_type);
    if (r->has_class)
        placed(proto_tree_add_uint(tree, field.qry_class, tvb, at->qry_class.offset, at->qry_class.length, r->qclass),
               at->qry_class);
    if (r->dns_id_shown)
        placed(proto_tree_add_uint(tree, field.id, tvb, at->dns_id.offset, at->dns_id.length, r->dns_id), at->dns_id);
}

/* Hidden, typed: for subnet and prefix filters on an address the tree shows as text
 * (dnsfail.server, .client and .reporter are strings, so that one field holds IPv4 and
 * IPv6 alike). */
static void add_typed_address(proto_tree *tree, tvbuff_t *tvb, const struct dnsfail_addr *addr, int ipv4_id,
                              int ipv6_id)
{
    proto_item *item;
    if (addr->family == DNSFAIL_AF_IPV4) {
        ws_in4_addr in4; /* network byte order, as proto_tree_add_ipv4 wants it */
        memcpy(&in4, addr->bytes, sizeof in4);
        item = proto_tree_add_ipv4(tree, ipv4_id, tvb, 0, 0, in4);
    } else if (addr->family == DNSFAIL_AF_IPV6) {
        ws_in6_addr in6;
        memcpy(in6.bytes, addr->bytes, sizeof in6.bytes);
        item = proto_tree_add_ipv6(tree, ipv6_id, tvb, 0, 0, &in6);
    } else {
        return;
    }
    proto_item_set_hidden(item);
}

static void add_flow_items(proto_tree *tree, struct failure_words *w)
{
    const struct failure_record *r = w->r;
    const struct failure_spans *at = &r->at;
    tvbuff_t *tvb = r->tvb;

    placed(proto_tree_add_uint(tree, field.transport, tvb, at->transport.offset, at->transport.length,
                               r->flow.transport),
           at->transport);
    placed(proto_tree_add_string(tree, field.client, tvb, at->client.offset, at->client.length,
                                 failure_words_client(w)),
           at->client);
    add_typed_address(tree, tvb, &r->flow.client, field.client_ipv4, field.client_ipv6);
    placed(proto_tree_add_uint(tree, field.client_port, tvb, at->client_port.offset, at->client_port.length,
                               r->flow.client_port),
           at->client_port);
    placed(proto_tree_add_string(tree, field.server, tvb, at->server.offset, at->server.length, w->server), at->server);
    add_typed_address(tree, tvb, &r->flow.server, field.server_ipv4, field.server_ipv6);
    placed(proto_tree_add_uint(tree, field.server_port, tvb, at->server_port.offset, at->server_port.length,
                               r->flow.server_port),
           at->server_port);
}

static void add_icmp_items(proto_tree *tree, const struct failure_record *r)
{
    generated(proto_tree_add_uint(tree, field.icmp_version, r->tvb, 0, 0, r->icmp_version));
    proto_tree_add_uint(tree, field.icmp_type, r->tvb, 0, 1, r->icmp_type);
    proto_tree_add_uint(tree, field.icmp_code, r->tvb, 1, 1, r->icmp_code);
}

static void add_diagnosis(proto_tree *tree, tvbuff_t *tvb, struct failure_words *w)
{
    proto_item *item = proto_tree_add_string(tree, field.diagnosis, tvb, 0, 0,
                                             dnsfail_diagnosis_key(failure_record_diagnosis(w->r)));
    proto_item_append_text(item, " (%s)", failure_words_likely(w));
    proto_item_set_generated(item);
}

static const char *const match_names[] = {"none", "dns_id", "datagram", "flow"};

/* The link to the query, unless the record is the query's own frame (a timeout). */
static void add_link_items(proto_tree *tree, const struct failure_record *r)
{
    const struct failure_link *link = &r->link;
    tvbuff_t *tvb = r->tvb;

    if (link->request_in && link->request_in != r->frame) {
        generated(proto_tree_add_uint(tree, field.request_in, tvb, 0, 0, link->request_in));
        generated(proto_tree_add_string(tree, field.request_match, tvb, 0, 0,
                                        match_names[link->match_by < G_N_ELEMENTS(match_names) ? link->match_by : 0]));
        generated(proto_tree_add_time(tree, field.time, tvb, 0, 0, &link->delta));
    }
    if (link->attempt)
        generated(proto_tree_add_uint(tree, field.attempt, tvb, 0, 0, link->attempt));
    if (r->late_answer_in)
        generated(proto_tree_add_uint(tree, field.late_answer_in, tvb, 0, 0, r->late_answer_in));
    if (r->answer_in)
        generated(proto_tree_add_uint(tree, field.answer_in, tvb, 0, 0, r->answer_in));
}

/* A resolver's chain: what explains this failure, or what this upstream failure explains. */
static void add_chain_items(proto_tree *tree, struct failure_words *w)
{
    const struct failure_record *r = w->r;
    const struct chain_links *c = r->chain;
    if (!c)
        return;
    if (c->is_upstream)
        generated(proto_tree_add_boolean(tree, field.upstream, r->tvb, 0, 0, true));
    const struct chain_links *causes = failure_record_causes(r);
    if (causes) {
        generated(proto_tree_add_string(tree, field.cause, r->tvb, 0, 0, causes->causes[0].text));
        for (uint32_t i = 0; i < causes->causes_kept; i++) {
            const struct dnsfail_chain_cause *cause = &causes->causes[i];
            const char *match = dnsfail_cause_match_name((enum dnsfail_cause_match)cause->match);
            proto_item *item = proto_tree_add_uint(tree, field.cause_in, r->tvb, 0, 0, cause->frame);
            proto_item_append_text(item, " (%s: %s)", match, cause->text);
            generated(item);
            proto_tree *sub = proto_item_add_subtree(item, ett_dnsfail_cause);
            generated(proto_tree_add_string(sub, field.cause_match, r->tvb, 0, 0, match));
        }
    }
    if (w->later_pass) {
        for (uint32_t i = 0; i < c->explains_count; i++)
            generated(proto_tree_add_uint(tree, field.explains_in, r->tvb, 0, 0, c->explains[i]));
    }
}

static void add_quote_items(proto_tree *tree, const struct failure_record *r)
{
    generated(proto_tree_add_boolean(tree, field.quote_truncated, r->tvb, 0, 0, r->quote_truncated));
    if (r->recovered) {
        generated(proto_tree_add_boolean(tree, field.recovered, r->tvb, 0, 0, true));
        if (r->recovered_from)
            generated(proto_tree_add_uint(tree, field.recovered_from, r->tvb, 0, 0, r->recovered_from));
    }
    generated(proto_tree_add_uint(tree, field.quote_dns_bytes, r->tvb, r->at.quote_dns_bytes.offset,
                                  r->at.quote_dns_bytes.length, r->quote_dns_bytes));
}

static void add_answer_items(proto_tree *tree, const struct failure_record *r)
{
    if (failure_is_answer(r->kind) || r->kind == FAILURE_LATE_ANSWER)
        placed(proto_tree_add_uint(tree, field.rcode, r->tvb, r->at.rcode.offset, r->at.rcode.length, r->rcode),
               r->at.rcode);
}

static void add_ede_items(proto_tree *tree, const struct failure_record *r)
{
    if (!r->has_ede)
        return;
    generated(proto_tree_add_uint(tree, field.ede, r->tvb, 0, 0, r->ede_code));
    if (r->ede_text[0])
        generated(proto_tree_add_string(tree, field.ede_text, r->tvb, 0, 0, r->ede_text));
}

proto_item *failure_tree_add(proto_tree *parent, struct failure_words *w, bool details)
{
    const struct failure_record *r = w->r;
    tvbuff_t *tvb = r->tvb;
    char kind[16];

    proto_item *top = proto_tree_add_item(parent, proto_dnsfail, tvb, r->at.whole.offset, r->at.whole.length, ENC_NA);
    if (!details)
        return top;
    append_summary(top, w);
    proto_tree *tree = proto_item_add_subtree(top, ett_dnsfail);
    generated(proto_tree_add_string(tree, field.kind, tvb, 0, 0, kind_text(r, kind, sizeof kind)));
    if (failure_is_failed_attempt(r->kind))
        generated(proto_tree_add_boolean(tree, field.failed, tvb, 0, 0, true));
    add_question_items(tree, r);
    if (failure_is_icmp(r->kind))
        proto_tree_add_boolean(tree, field.response, tvb, 0, 0, r->response);
    add_flow_items(tree, w);
    if (!failure_is_timing(r->kind)) {
        proto_tree_add_string(tree, field.reporter, tvb, 0, 0, failure_words_reporter(w));
        add_typed_address(tree, tvb, &r->reporter, field.reporter_ipv4, field.reporter_ipv6);
        proto_tree_add_boolean(tree, field.reporter_is_target, tvb, 0, 0, r->reporter_is_target);
    }
    if (failure_is_icmp(r->kind))
        add_icmp_items(tree, r);
    add_answer_items(tree, r);
    placed(proto_tree_add_string(tree, field.reason, tvb, r->at.reason.offset, r->at.reason.length, r->reason),
           r->at.reason);
    add_ede_items(tree, r);
    if (failure_is_timing(r->kind)) {
        nstime_t t = frame_nstime(r->timeout_ns);
        generated(proto_tree_add_time(tree, field.timeout, tvb, 0, 0, &t));
    }
    add_diagnosis(tree, tvb, w);
    add_link_items(tree, r);
    add_chain_items(tree, w);
    if (failure_is_icmp(r->kind))
        add_quote_items(tree, r);
    return top;
}

proto_item *failure_tree_add_query_link(proto_tree *tree, tvbuff_t *tvb, const struct query_link *link)
{
    proto_item *item = proto_tree_add_uint(tree, field.error_in, tvb, 0, 0, link->error_in);
    proto_item_set_generated(item);
    /* The same words as the Info note: what reported it, which the field's label leaves open. */
    proto_item_append_text(item, " (%s)", link->what);
    proto_tree *sub = proto_item_add_subtree(item, ett_dnsfail_query);
    generated(proto_tree_add_uint(sub, field.attempt, tvb, 0, 0, link->attempt));
    return item;
}

proto_item *failure_tree_add_undelivered_link(proto_tree *tree, tvbuff_t *tvb, uint32_t error_frame)
{
    proto_item *item = proto_tree_add_uint(tree, field.undelivered_in, tvb, 0, 0, error_frame);
    proto_item_set_generated(item);
    return item;
}
