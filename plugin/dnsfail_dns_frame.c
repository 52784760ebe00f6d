/* dnsfail_dns_frame.c - DNS queries and answers: remembering queries so that ICMP errors
 * can be matched to them, pointing a failed query at its error, and noticing the answer
 * that ends a run of failures.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail_plugin.h"

#include <epan/column-utils.h>
#include <epan/proto_data.h>
#include <epan/tap.h>

#include "dnsfail/checksum.h"
#include "dnsfail/dns_message.h"
#include "dnsfail/quote.h"
#include "dnsfail/tap.h"

enum { UDP_HEADER_LEN = 8, QUESTION_BYTES_NEEDED = DNSFAIL_DNS_HEADER_LEN + DNSFAIL_NAME_WIRE_MAX + 4 };

/* The datagram's real UDP checksum: a capture on the sending host often holds a partial
 * one (offload), while an ICMP error quotes the real one. Needs the whole datagram. */
static void compute_checksum(packet_info *pinfo, tvbuff_t *tvb, const struct dnsfail_flow *flow,
                             struct dnsfail_fingerprint *fp)
{
    uint32_t len = fp->udp_length;
    if (len < UDP_HEADER_LEN || tvb_captured_length(tvb) < len)
        return;
    uint8_t *datagram = (uint8_t *)tvb_memdup(pinfo->pool, tvb, 0, len);
    fp->has_udp_checksum_computed =
        dnsfail_udp_checksum(&flow->client, &flow->server, datagram, len, &fp->udp_checksum_computed);
}

/* A DNS answer that ended a run of failures of its question, kept with its frame. */
struct answer_after_failure {
    struct dnsfail_flow flow;
    struct dnsfail_question question;
};



static void track_query(packet_info *pinfo, const struct dnsfail_frame_stash *stash,
                        const struct dnsfail_dns_message *msg)
{
    tvbuff_t *tvb = stash->udp_tvb;
    struct dnsfail_query_obs obs = {
        .frame = pinfo->num,
        .time_ns = dnsfail_frame_time_ns(pinfo),
        .fingerprint = {.has_udp_fields = true, .udp_length = tvb_get_ntohs(tvb, 4), .udp_checksum = tvb_get_ntohs(tvb, 6)},
        .dns_id = msg->id,
    };
    obs.flow.transport = DNSFAIL_TRANSPORT_UDP;
    dnsfail_addr_from_ws(&stash->udp_src, &obs.flow.client);
    dnsfail_addr_from_ws(&stash->udp_dst, &obs.flow.server);
    obs.flow.client_port = tvb_get_ntohs(tvb, 0);
    obs.flow.server_port = tvb_get_ntohs(tvb, 2);
    compute_checksum(pinfo, tvb, &obs.flow, &obs.fingerprint);
    obs.has_question = dnsfail_dns_question_of(msg, &obs.question);
    dnsfail_tracker_add_query(dnsfail_tracker, &obs);
}

/* A NOERROR answer to a question whose tries had failed turns a failed resolution into a
 * recovered one. (Error answers and NXDOMAIN are dnsfail_error_answer.c's.) */
static void track_answer(packet_info *pinfo, const struct dnsfail_frame_stash *stash,
                         const struct dnsfail_dns_message *msg)
{
    struct answer_after_failure a;

    memset(&a, 0, sizeof a);
    if (!msg->has_header || dnsfail_dns_rcode(msg) != 0)
        return;
    if (!dnsfail_dns_question_of(msg, &a.question))
        return;
    dnsfail_addr_from_ws(&stash->udp_dst, &a.flow.client);
    dnsfail_addr_from_ws(&stash->udp_src, &a.flow.server);
    if (!dnsfail_tracker_take_failure(dnsfail_tracker, &a.flow.client, &a.question))
        return;
    a.flow.transport = DNSFAIL_TRANSPORT_UDP;
    a.flow.client_port = tvb_get_ntohs(stash->udp_tvb, 2);
    a.flow.server_port = tvb_get_ntohs(stash->udp_tvb, 0);
    struct answer_after_failure *kept = wmem_new(wmem_file_scope(), struct answer_after_failure);
    *kept = a;
    p_add_proto_data(wmem_file_scope(), pinfo, proto_dnsfail, DNSFAIL_KEY_ANSWER, kept);
}

/* First pass: queries are remembered so that a later ICMP error can be matched to them;
 * answers are checked against earlier failures. The first question cannot use
 * compression (a pointer must point backwards, into the header), so the bytes after it
 * are never needed. */
static void track_first_pass(packet_info *pinfo, const struct dnsfail_frame_stash *stash)
{
    tvbuff_t *tvb = stash->udp_tvb;
    uint32_t avail = tvb_captured_length_remaining(tvb, UDP_HEADER_LEN);
    struct dnsfail_dns_message msg;

    if (!dnsfail_tracker || avail < DNSFAIL_DNS_HEADER_LEN)
        return;
    bool to_dns_port = dnsfail_port_set_has(&dnsfail_dns_ports, tvb_get_ntohs(tvb, 2));
    bool from_dns_port = dnsfail_port_set_has(&dnsfail_dns_ports, tvb_get_ntohs(tvb, 0));
    bool response = (tvb_get_guint8(tvb, UDP_HEADER_LEN + 2) & 0x80u) != 0;
    /* An answer's EDNS record (extended RCODE, Extended DNS Errors) is at its end. */
    if (!response && avail > QUESTION_BYTES_NEEDED)
        avail = QUESTION_BYTES_NEEDED;
    uint8_t *bytes = (uint8_t *)tvb_memdup(pinfo->pool, tvb, UDP_HEADER_LEN, avail);
    dnsfail_dns_parse(bytes, avail, &msg);
    if (response && from_dns_port) {
        if (!dnsfail_error_answer_first_pass(pinfo, stash, bytes, avail, &msg))
            track_answer(pinfo, stash, &msg);
    } else if (!response && to_dns_port) {
        track_query(pinfo, stash, &msg);
    }
}

static void queue_answer_record(packet_info *pinfo, const struct answer_after_failure *a)
{
    struct dnsfail_tap_record *rec = dnsfail_tap_record_new(pinfo, DNSFAIL_TAP_ANSWER, 0, &a->flow);
    if (!rec)
        return;
    rec->has_question = true;
    rec->question = a->question;
    dnsfail_dns_name_format(&a->question.qname, rec->qname, sizeof rec->qname);
    tap_queue_packet(dnsfail_tap, pinfo, rec);
}

void dnsfail_annotate_dns_frame(packet_info *pinfo, proto_tree *tree, struct dnsfail_frame_stash *stash)
{
    if (!PINFO_FD_VISITED(pinfo))
        track_first_pass(pinfo, stash);
    dnsfail_annotate_failed_query(pinfo, tree, stash->udp_tvb);
    const struct answer_after_failure *answer = p_get_proto_data(wmem_file_scope(), pinfo, proto_dnsfail, DNSFAIL_KEY_ANSWER);
    if (answer)
        queue_answer_record(pinfo, answer);
    dnsfail_error_answer_annotate(pinfo, tree, stash);
}
