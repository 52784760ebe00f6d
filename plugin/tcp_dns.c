/* tcp_dns.c - DNS over TCP: a connection to a DNS port that the server refuses with a
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
#include "tcp_dns.h"

#include "dnsfail/dns_message.h"
#include "dnsfail/reason.h"
#include "dnsfail/tcp_stream.h"

#include "dns_messages.h"
#include "failure_render.h"
#include "frame_facts.h"
#include "resolver_chain.h"

enum { TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_ACK = 0x10 };

/* The first pass's verdict on a reset, kept with its frame. */
struct tcp_refusal {
    struct dnsfail_flow flow;
    struct failure_link link;
};

static void flow_of(const struct frame_stash *stash, bool from_client, struct dnsfail_flow *flow)
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

static bool acknowledges_syn(struct analysis_state *a, const struct dnsfail_error_obs *e, tvbuff_t *tvb,
                             struct dnsfail_query_match *m)
{
    return dnsfail_tracker_match_syn(a->tracker, &e->flow, tvb_get_ntohl(tvb, 8), e->frame, m);
}

/* The DNS messages that start in this segment, each handled like one over UDP: queries
 * from the client, answers from the server. */
static void read_messages(struct analysis_state *a, packet_info *pinfo, struct frame_stash *stash, bool from_client)
{
    tvbuff_t *tvb = stash->tcp_tvb;
    struct dnsfail_tcp_message found[DNSFAIL_TCP_MESSAGES_PER_SEGMENT_MAX];
    uint32_t header_len = (uint32_t)(tvb_get_uint8(tvb, 12) >> 4) * 4u;
    uint32_t captured = tvb_captured_length(tvb);

    if (!a->tcp_streams || header_len < 20 || captured <= header_len)
        return;
    uint32_t payload_len = captured - header_len;
    uint8_t *payload = (uint8_t *)tvb_memdup(pinfo->pool, tvb, header_len, payload_len);
    struct dnsfail_flow flow;
    flow_of(stash, from_client, &flow);
    /* The first message that starts in the segment: a frame keeps one result of each kind
     * (and one timeout), so later ones are followed for their boundaries only. */
    size_t n = dnsfail_tcp_streams_segment(a->tcp_streams, &flow, from_client, tvb_get_ntohl(tvb, 4), payload,
                                           payload_len, found, 1);
    for (size_t i = 0; i < n; i++) {
        struct dnsfail_dns_message msg;
        if (found[i].captured < DNSFAIL_DNS_HEADER_LEN)
            continue;
        dnsfail_dns_parse(payload + found[i].offset, found[i].captured, &msg);
        if (dnsfail_dns_is_response(&msg) == from_client)
            continue; /* an answer from the client, or a query from the server: not DNS as we know it */
        struct dns_seen seen = {
            .stash = stash,
            .flow = flow,
            .tvb = tvb,
            .offset = (int)(header_len + found[i].offset),
            .bytes = payload + found[i].offset,
            .len = found[i].captured,
            .msg = &msg,
        };
        dns_messages_first_pass(a, pinfo, &seen);
    }
}

static void first_pass(struct analysis_state *a, packet_info *pinfo, struct frame_stash *stash)
{
    tvbuff_t *tvb = stash->tcp_tvb;
    uint8_t flags = tvb_get_uint8(tvb, 13);
    bool to_dns = dnsfail_port_set_has(&a->dns_ports, tvb_get_ntohs(tvb, 2));
    bool from_dns = dnsfail_port_set_has(&a->dns_ports, tvb_get_ntohs(tvb, 0));

    if (!a->tracker)
        return;
    if ((flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN && to_dns) {
        struct dnsfail_query_obs q = {.frame = pinfo->num, .time_ns = frame_time_ns(pinfo)};
        flow_of(stash, true, &q.flow);
        q.tcp_seq = tvb_get_ntohl(tvb, 4);
        dnsfail_tracker_add_query(a->tracker, &q);
        if (a->tcp_streams)
            dnsfail_tcp_streams_syn(a->tcp_streams, &q.flow, true, q.tcp_seq);
        return;
    }
    if (!(flags & (TCP_SYN | TCP_RST)) && (to_dns || from_dns)) {
        read_messages(a, pinfo, stash, to_dns);
        return;
    }
    if (!from_dns || !(flags & TCP_ACK))
        return;
    struct dnsfail_error_obs e = {.frame = pinfo->num, .time_ns = frame_time_ns(pinfo)};
    struct dnsfail_query_match m;
    flow_of(stash, false, &e.flow);
    if ((flags & (TCP_SYN | TCP_RST)) == TCP_SYN) {
        if (a->tcp_streams)
            dnsfail_tcp_streams_syn(a->tcp_streams, &e.flow, false, tvb_get_ntohl(tvb, 4));
        if (acknowledges_syn(a, &e, tvb, &m)) {
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
    if (!acknowledges_syn(a, &e, tvb, &m) ||
        (accepted_syns && wmem_map_contains(accepted_syns, GUINT_TO_POINTER(m.frame))))
        return;
    struct tcp_refusal *r = wmem_new0(wmem_file_scope(), struct tcp_refusal);
    struct dnsfail_question no_question;
    memset(&no_question, 0, sizeof no_question);
    r->flow = e.flow;
    failure_link_from_match(&r->link, &m, e.time_ns);
    /* Retries open new connections: count them per client and server. */
    r->link.attempt = dnsfail_tracker_count_attempt(a->tracker, &r->flow, &no_question, e.time_ns);
    analysis_link_query(a, pinfo, m.frame, r->link.attempt, "TCP reset");
    char reason[DNSFAIL_REASON_TEXT_MAX];
    dnsfail_reason_tcp_refused(r->flow.server_port, reason, sizeof reason);
    chain_note_failure(a, pinfo, pinfo->num, &r->flow, NULL, &m, DNSFAIL_KIND_TCP_REFUSED, DNSFAIL_DIAG_NO_LISTENER,
                       reason);
    analysis_results_make(a, pinfo, stash)->refusal = r;
}

/* The refusal as a failure record: the server said so, with the reset's flags. */
static struct failure_record *record_of(packet_info *pinfo, tvbuff_t *tvb, const struct tcp_refusal *refusal)
{
    struct failure_record *r = failure_record_new(pinfo, FAILURE_TCP_REFUSED, tvb);

    r->flow = refusal->flow;
    r->unnamed = DNSFAIL_UNNAMED_NONE;
    r->at.client_port = (struct failure_span){2, 2, false}; /* the reset goes to the client */
    r->at.server_port = (struct failure_span){0, 2, false};
    r->reporter = refusal->flow.server;
    r->reporter_is_target = true;
    r->diagnosis = DNSFAIL_DIAG_NO_LISTENER;
    dnsfail_reason_tcp_refused(refusal->flow.server_port, r->reason, sizeof r->reason);
    r->at.reason = (struct failure_span){13, 1, false}; /* the flags */
    r->link = refusal->link;
    return r;
}

void tcp_dns_analyse(struct analysis_state *a, packet_info *pinfo, proto_tree *tree, struct frame_stash *stash)
{
    if (!PINFO_FD_VISITED(pinfo))
        first_pass(a, pinfo, stash);
    dns_messages_annotate(a, pinfo, tree, stash, stash->tcp_tvb);
    if (!failure_output_wanted(pinfo, tree))
        return;
    const struct frame_results *results = analysis_results_get(a, pinfo, stash);
    if (results && results->refusal) {
        struct failure_record *r = record_of(pinfo, stash->tcp_tvb, results->refusal);
        r->chain = chain_links_of(a, pinfo->num);
        failure_render(pinfo, tree, r);
    }
}
