/* dnsfail_tcp.c - DNS over TCP: a connection to a DNS port that the server refuses with a
 * reset, and the DNS messages inside accepted connections. The SYN is remembered like a
 * query (an ICMP error quoting it can then be matched to it too, and it times out if
 * nothing answers); a reset whose acknowledgement is that SYN's sequence number plus one,
 * with no connection in between, is the refusal. The messages are found from the SYNs'
 * sequence numbers and their length prefixes (tcp_stream.h) and handled like those over
 * UDP: queries wait for answers, error answers and late answers are annotated.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail_compat.h"
#include "dnsfail_plugin.h"

#include <epan/column-utils.h>
#include <epan/proto_data.h>
#include <epan/tap.h>

#include "dnsfail/dns_message.h"
#include "dnsfail/reason.h"
#include "dnsfail/tap.h"
#include "dnsfail/tcp_stream.h"

enum { TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_ACK = 0x10 };

/* The first pass's verdict on a reset, kept with its frame. */
struct refusal {
    struct dnsfail_flow flow;
    struct dnsfail_link link;
};

static void flow_of(struct dnsfail_frame_stash *stash, bool from_client, struct dnsfail_flow *flow)
{
    tvbuff_t *tvb = stash->tcp_tvb;
    memset(flow, 0, sizeof *flow);
    flow->transport = DNSFAIL_TRANSPORT_TCP;
    flow->client = from_client ? stash->tcp_src : stash->tcp_dst;
    flow->server = from_client ? stash->tcp_dst : stash->tcp_src;
    flow->client_port = tvb_get_ntohs(tvb, from_client ? 0 : 2);
    flow->server_port = tvb_get_ntohs(tvb, from_client ? 2 : 0);
}

/* SYNs the server accepted (a SYN/ACK acknowledged them): a later reset of such a
 * connection is not a refusal. Per file. */
static wmem_map_t *accepted_syns;

static bool acknowledges_syn(const struct dnsfail_error_obs *e, tvbuff_t *tvb, struct dnsfail_query_match *m)
{
    return dnsfail_tracker_match_syn(dnsfail_tracker, &e->flow, tvb_get_ntohl(tvb, 8), e->frame, m);
}

/* The DNS messages that start in this segment, each handled like one over UDP: queries
 * from the client, answers from the server. */
static void read_messages(packet_info *pinfo, struct dnsfail_frame_stash *stash, bool from_client)
{
    tvbuff_t *tvb = stash->tcp_tvb;
    struct dnsfail_tcp_message found[DNSFAIL_TCP_MESSAGES_PER_SEGMENT_MAX];
    uint32_t header_len = (uint32_t)(tvb_get_uint8(tvb, 12) >> 4) * 4u;
    uint32_t captured = tvb_captured_length(tvb);

    if (!dnsfail_tcp_streams || header_len < 20 || captured <= header_len)
        return;
    uint32_t payload_len = captured - header_len;
    uint8_t *payload = (uint8_t *)tvb_memdup(pinfo->pool, tvb, header_len, payload_len);
    struct dnsfail_flow flow;
    flow_of(stash, from_client, &flow);
    /* The first message that starts in the segment: a frame keeps one result of each kind
     * (and one timeout), so later ones are followed for their boundaries only. */
    size_t n = dnsfail_tcp_streams_segment(dnsfail_tcp_streams, &flow, from_client, tvb_get_ntohl(tvb, 4), payload,
                                           payload_len, found, 1);
    for (size_t i = 0; i < n; i++) {
        struct dnsfail_dns_message msg;
        if (found[i].captured < DNSFAIL_DNS_HEADER_LEN)
            continue;
        dnsfail_dns_parse(payload + found[i].offset, found[i].captured, &msg);
        if (dnsfail_dns_is_response(&msg) == from_client)
            continue; /* an answer from the client, or a query from the server: not DNS as we know it */
        struct dnsfail_dns_seen seen = {
            .stash = stash,
            .flow = flow,
            .tvb = tvb,
            .offset = (int)(header_len + found[i].offset),
            .bytes = payload + found[i].offset,
            .len = found[i].captured,
            .msg = &msg,
        };
        dnsfail_dns_message_first_pass(pinfo, &seen);
    }
}

static void first_pass(packet_info *pinfo, struct dnsfail_frame_stash *stash)
{
    tvbuff_t *tvb = stash->tcp_tvb;
    uint8_t flags = tvb_get_uint8(tvb, 13);
    bool to_dns = dnsfail_port_set_has(&dnsfail_dns_ports, tvb_get_ntohs(tvb, 2));
    bool from_dns = dnsfail_port_set_has(&dnsfail_dns_ports, tvb_get_ntohs(tvb, 0));

    if (!dnsfail_tracker)
        return;
    if ((flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN && to_dns) {
        struct dnsfail_query_obs q = {.frame = pinfo->num, .time_ns = dnsfail_frame_time_ns(pinfo)};
        flow_of(stash, true, &q.flow);
        q.tcp_seq = tvb_get_ntohl(tvb, 4);
        dnsfail_tracker_add_query(dnsfail_tracker, &q);
        if (dnsfail_tcp_streams)
            dnsfail_tcp_streams_syn(dnsfail_tcp_streams, &q.flow, true, q.tcp_seq);
        return;
    }
    if (!(flags & (TCP_SYN | TCP_RST)) && (to_dns || from_dns)) {
        read_messages(pinfo, stash, to_dns);
        return;
    }
    if (!from_dns || !(flags & TCP_ACK))
        return;
    struct dnsfail_error_obs e = {.frame = pinfo->num, .time_ns = dnsfail_frame_time_ns(pinfo)};
    struct dnsfail_query_match m;
    flow_of(stash, false, &e.flow);
    if ((flags & (TCP_SYN | TCP_RST)) == TCP_SYN) {
        if (dnsfail_tcp_streams)
            dnsfail_tcp_streams_syn(dnsfail_tcp_streams, &e.flow, false, tvb_get_ntohl(tvb, 4));
        if (acknowledges_syn(&e, tvb, &m)) {
            if (!accepted_syns)
                accepted_syns = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash,
                                                       g_direct_equal);
            wmem_map_insert(accepted_syns, GUINT_TO_POINTER(m.frame), GUINT_TO_POINTER(1));
        }
        return;
    }
    if ((flags & (TCP_RST | TCP_SYN | TCP_FIN)) != TCP_RST)
        return;
    /* A reset acknowledging the SYN itself, which nothing accepted: a refusal. */
    if (!acknowledges_syn(&e, tvb, &m) ||
        (accepted_syns && wmem_map_contains(accepted_syns, GUINT_TO_POINTER(m.frame))))
        return;
    struct refusal *r = wmem_new0(wmem_file_scope(), struct refusal);
    struct dnsfail_question no_question;
    memset(&no_question, 0, sizeof no_question);
    r->flow = e.flow;
    dnsfail_link_from_match(&r->link, &m, e.time_ns);
    /* Retries open new connections: count them per client and server. */
    r->link.attempt = dnsfail_tracker_count_attempt(dnsfail_tracker, &r->flow, &no_question, e.time_ns);
    dnsfail_link_query(pinfo, m.frame, r->link.attempt, "TCP reset");
    dnsfail_results_make(pinfo, stash)->refusal = r;
}

static void queue_tap_record(packet_info *pinfo, const struct refusal *r, const char *reason)
{
    struct dnsfail_tap_record *rec = dnsfail_tap_record_new(pinfo, DNSFAIL_TAP_FAILURE, DNSFAIL_KIND_TCP_REFUSED, &r->flow);
    if (!rec)
        return;
    rec->reporter = r->flow.server;
    rec->reporter_is_target = true;
    rec->diagnosis = DNSFAIL_DIAG_NO_LISTENER;
    snprintf(rec->reason, sizeof rec->reason, "%s", reason);
    rec->attempt = r->link.attempt;
    rec->request_in = r->link.request_in;
    tap_queue_packet(dnsfail_tap, pinfo, rec);
}

static proto_item *add_tree(proto_tree *parent, tvbuff_t *tvb, const struct refusal *r, const char *client,
                            const char *server, const char *reason)
{
    proto_item *item;
    proto_item *top = proto_tree_add_item(parent, proto_dnsfail, tvb, 0, -1, ENC_NA);
    proto_item_append_text(top, ": DNS over TCP to %s failed: %s", server, reason);
    proto_tree *tree = proto_item_add_subtree(top, ett_dnsfail);
    item = proto_tree_add_string(tree, dnsfail_hf.kind, tvb, 0, 0, "tcp_refused");
    proto_item_set_generated(item);
    proto_tree_add_uint(tree, dnsfail_hf.transport, tvb, 0, 0, r->flow.transport);
    proto_tree_add_string(tree, dnsfail_hf.client, tvb, 0, 0, client);
    proto_tree_add_uint(tree, dnsfail_hf.client_port, tvb, 2, 2, r->flow.client_port);
    proto_tree_add_string(tree, dnsfail_hf.server, tvb, 0, 0, server);
    dnsfail_items_add_server_address(tree, tvb, &r->flow.server);
    proto_tree_add_uint(tree, dnsfail_hf.server_port, tvb, 0, 2, r->flow.server_port);
    proto_tree_add_string(tree, dnsfail_hf.reporter, tvb, 0, 0, server);
    proto_tree_add_boolean(tree, dnsfail_hf.reporter_is_target, tvb, 0, 0, true);
    proto_tree_add_string(tree, dnsfail_hf.reason, tvb, 13, 1, reason);
    dnsfail_items_add_diagnosis(tree, tvb, DNSFAIL_DIAG_NO_LISTENER);
    dnsfail_items_add_link(tree, tvb, &r->link);
    return top;
}

void dnsfail_annotate_tcp_segment(packet_info *pinfo, proto_tree *tree, struct dnsfail_frame_stash *stash)
{
    char client[DNSFAIL_ADDR_TEXT_MAX], server[DNSFAIL_ADDR_TEXT_MAX], reason[DNSFAIL_REASON_TEXT_MAX];
    char attempt[32] = "";

    if (!PINFO_FD_VISITED(pinfo))
        first_pass(pinfo, stash);
    dnsfail_dns_annotate(pinfo, tree, stash, stash->tcp_tvb);
    if (!dnsfail_output_wanted(pinfo, tree))
        return;
    const struct dnsfail_frame_results *results = dnsfail_results_get(pinfo, stash);
    const struct refusal *r = results ? results->refusal : NULL;
    if (!r)
        return;
    dnsfail_addr_format(&r->flow.client, client, sizeof client);
    dnsfail_addr_format(&r->flow.server, server, sizeof server);
    dnsfail_reason_tcp_refused(r->flow.server_port, reason, sizeof reason);
    col_append_fstr(pinfo->cinfo, COL_INFO, " [DNS over TCP to %s failed: %s]", server, reason);
    proto_item *top = tree ? add_tree(tree, stash->tcp_tvb, r, client, server, reason) : NULL;
    if (r->link.attempt > 1)
        snprintf(attempt, sizeof attempt, " (attempt %u)", r->link.attempt);
    expert_add_info_format(pinfo, top, &dnsfail_ei.failure, "DNS over TCP to %s failed%s: %s by %s; likely %s",
                           server, attempt, reason, server, dnsfail_diagnosis_text(DNSFAIL_DIAG_NO_LISTENER));
    queue_tap_record(pinfo, r, reason);
}
