/* dns_messages.c - DNS queries and answers, over UDP or TCP: remembering queries so
 * that errors, answers and timeouts can be matched to them, pointing a failed query at
 * its failure, and noticing the answer that ends a run of failures.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dns_messages.h"

#include "dnsfail/bytes.h"
#include "dnsfail/checksum.h"
#include "dnsfail/dns_message.h"

#include "error_answer.h"
#include "failure_render.h"
#include "frame_facts.h"
#include "resolver_chain.h"
#include "timeout.h"

enum { UDP_HEADER_LEN = 8, UDP_DATAGRAM_MAX = 65535, QUESTION_BYTES_NEEDED = DNSFAIL_DNS_HEADER_LEN + DNSFAIL_NAME_WIRE_MAX + 4 };

/* The datagram's real UDP checksum: a capture on the sending host often holds a partial
 * one (offload), while an ICMP error quotes the real one. Needs the whole datagram, so
 * only where the captured field may be partial: any other value is the real one. */
static void compute_checksum(const struct dns_seen *seen, struct dnsfail_fingerprint *fp)
{
    uint32_t len = fp->udp_length;
    if (len < UDP_HEADER_LEN || !seen->datagram || seen->datagram_len < len)
        return;
    if (!dnsfail_udp_checksum_may_be_partial(&seen->flow.client, &seen->flow.server, (uint16_t)len, fp->udp_checksum))
        return;
    fp->has_udp_checksum_computed = dnsfail_udp_checksum(&seen->flow.client, &seen->flow.server, seen->datagram, len,
                                                         &fp->udp_checksum_computed);
}

/* A DNS answer that ended a run of failures of its question, kept with its frame. */
struct answer_after_failure {
    struct dnsfail_flow flow;
    struct dnsfail_question question;
};


static bool is_multicast(const struct dnsfail_addr *a)
{
    if (a->family == DNSFAIL_AF_IPV4)
        return (a->bytes[0] & 0xf0u) == 0xe0u; /* 224.0.0.0/4 */
    return a->family == DNSFAIL_AF_IPV6 && a->bytes[0] == 0xffu; /* ff00::/8 */
}

/* A UDP datagram's length and checksum, as an ICMP error would quote them. */
static struct dnsfail_fingerprint datagram_fingerprint(const struct dns_seen *seen)
{
    struct dnsfail_fingerprint fp = {0};
    if (seen->flow.transport == DNSFAIL_TRANSPORT_UDP && seen->datagram && seen->datagram_len >= UDP_HEADER_LEN) {
        fp.has_udp_fields = true;
        fp.udp_length = dnsfail_read_u16(seen->datagram + 4);
        fp.udp_checksum = dnsfail_read_u16(seen->datagram + 6);
        compute_checksum(seen, &fp);
    }
    return fp;
}

static void track_query(struct analysis_state *a, packet_info *pinfo, const struct dns_seen *seen)
{
    /* mDNS and LLMNR ask a group; a member answers from its own address, so the answer
     * cannot be matched to the query, and the query would look unanswered. */
    if (is_multicast(&seen->flow.server))
        return;
    /* Member by member, not "= {...}": that would clear the 264-byte question first, on
     * every query, and dnsfail_dns_question_of() writes what the tracker reads of it. */
    struct dnsfail_query_obs obs;
    obs.frame = pinfo->num;
    obs.time_ns = frame_time_ns(pinfo);
    obs.flow = seen->flow;
    obs.fingerprint = datagram_fingerprint(seen);
    obs.dns_id = seen->msg->id;
    /* Where the message is in its frame: a timeout reads it again from there. */
    obs.cookie = GUINT_TO_POINTER((unsigned)seen->offset);
    obs.tcp_seq = 0;
    obs.has_question = dnsfail_dns_question_of(seen->msg, &obs.question);
    uint64_t question_hash = obs.has_question ? dnsfail_tracker_question_hash(&obs.question) : 0;
    dnsfail_tracker_add_query_hashed(a->tracker, &obs, question_hash);
    if (obs.has_question)
        chain_note_query(a, &obs.flow, question_hash, obs.time_ns);
    if (analysis_tracking_limit_reached(a))
        analysis_results_make(a, pinfo, seen->stash)->tracking_limit = true;
}

/* A NOERROR answer to a question whose tries had failed turns a failed resolution into a
 * recovered one. (Error answers and NXDOMAIN are error_answer.c's.) */
static void track_answer(struct analysis_state *a, packet_info *pinfo, const struct dns_seen *seen, const struct dnsfail_question *question,
                         uint64_t question_hash)
{
    if (dnsfail_dns_rcode(seen->msg) != 0)
        return;
    if (!dnsfail_tracker_take_failure_hashed(a->tracker, &seen->flow.client, question_hash))
        return;
    struct answer_after_failure *kept = wmem_new0(wmem_file_scope(), struct answer_after_failure);
    kept->flow = seen->flow;
    kept->question = *question;
    analysis_results_make(a, pinfo, seen->stash)->answer = kept;
}

/* A UDP answer is remembered as it went out, so that an ICMP error quoting it (the client
 * could not take it) names this frame, and a quote cut before the question takes the
 * question from here. */
static void remember_answer(struct analysis_state *a, packet_info *pinfo, const struct dns_seen *seen,
                            const struct dnsfail_question *question)
{
    if (!a->answers || seen->flow.transport != DNSFAIL_TRANSPORT_UDP)
        return;
    struct dnsfail_answer_obs obs = {
        .frame = pinfo->num,
        .time_ns = frame_time_ns(pinfo),
        .flow = seen->flow,
        .fingerprint = datagram_fingerprint(seen),
        .dns_id = seen->msg->id,
        .question = question,
    };
    dnsfail_answer_log_add(a->answers, &obs);
}

/* An answer: which query it answers, and whether in time. */
static void track_response(struct analysis_state *a, packet_info *pinfo, const struct dns_seen *seen)
{
    struct dnsfail_question question;
    struct dnsfail_query_match m;
    struct dnsfail_error_obs e = {
        .frame = pinfo->num,
        .time_ns = frame_time_ns(pinfo),
        .flow = seen->flow,
        .has_dns_id = seen->msg->has_header,
        .dns_id = seen->msg->id,
    };
    bool has_question = dnsfail_dns_question_of(seen->msg, &question);
    remember_answer(a, pinfo, seen, has_question ? &question : NULL);
    /* Hashed once for the tracker's two or three lookups of it. */
    uint64_t question_hash = has_question ? dnsfail_tracker_question_hash(&question) : 0;
    if (has_question)
        chain_note_answer(a, &seen->flow, question_hash);
    enum dnsfail_answer_timing timing =
        dnsfail_tracker_match_answer_hashed(a->tracker, &e, has_question ? &question : NULL, question_hash, &m);
    if (timing == DNSFAIL_ANSWER_LATE) {
        late_answer_first_pass(a, pinfo, seen, &m);
        return;
    }
    if (error_answer_first_pass(a, pinfo, seen, timing == DNSFAIL_ANSWER_UNMATCHED ? NULL : &m))
        return;
    if (has_question)
        track_answer(a, pinfo, seen, &question, question_hash);
    /* The client got its answer: the resolver recovered from whatever failed upstream. */
    if (timing == DNSFAIL_ANSWER_IN_TIME &&
        chain_explain(a, pinfo, pinfo->num, &m, has_question ? &question : NULL, e.time_ns, false))
        analysis_results_make(a, pinfo, seen->stash);
}

void dns_messages_first_pass(struct analysis_state *a, packet_info *pinfo, const struct dns_seen *seen)
{
    if (!a->tracker || !seen->msg->has_header)
        return;
    a->dns_messages++;
    if (dnsfail_dns_is_response(seen->msg))
        track_response(a, pinfo, seen);
    else
        track_query(a, pinfo, seen);
}

/* A UDP datagram to or from a DNS port. The first question cannot use compression (a
 * pointer must point backwards, into the header), so a query's bytes after it are never
 * needed; an answer's EDNS record (extended RCODE, Extended DNS Errors) is at its end. */
static void udp_first_pass(struct analysis_state *a, packet_info *pinfo, struct frame_stash *stash)
{
    tvbuff_t *tvb = stash->udp_tvb;
    uint32_t captured = tvb_captured_length(tvb);
    struct dnsfail_dns_message msg;

    if (captured < UDP_HEADER_LEN + DNSFAIL_DNS_HEADER_LEN)
        return;
    /* One copy serves the header, the DNS message and, for a query, its checksum. Its
     * buffer is reused by the next frame: nothing keeps a pointer into it. A UDP datagram
     * is at most 65,535 bytes; anything captured past that (an IPv6 jumbogram) is not DNS. */
    static uint8_t datagram[UDP_DATAGRAM_MAX];
    if (captured > sizeof datagram)
        captured = sizeof datagram;
    tvb_memcpy(tvb, datagram, 0, captured);
    uint16_t src_port = dnsfail_read_u16(datagram), dst_port = dnsfail_read_u16(datagram + 2);
    bool response = (datagram[UDP_HEADER_LEN + 2] & 0x80u) != 0;
    if (!dnsfail_port_set_has(&a->dns_ports, response ? src_port : dst_port))
        return;
    uint32_t avail = captured - UDP_HEADER_LEN;
    if (!response && avail > QUESTION_BYTES_NEEDED)
        avail = QUESTION_BYTES_NEEDED;
    const uint8_t *bytes = datagram + UDP_HEADER_LEN;
    dnsfail_dns_parse(bytes, avail, &msg);

    struct dns_seen seen = {
        .stash = stash, .tvb = tvb, .datagram = datagram, .datagram_len = captured, .offset = UDP_HEADER_LEN,
        .bytes = bytes, .len = avail, .msg = &msg};
    seen.flow.transport = DNSFAIL_TRANSPORT_UDP;
    seen.flow.client = response ? stash->udp_dst : stash->udp_src;
    seen.flow.server = response ? stash->udp_src : stash->udp_dst;
    seen.flow.client_port = response ? dst_port : src_port;
    seen.flow.server_port = response ? src_port : dst_port;
    dns_messages_first_pass(a, pinfo, &seen);
}

void dns_messages_annotate(struct analysis_state *a, packet_info *pinfo, proto_tree *tree,
                           struct frame_stash *stash, tvbuff_t *tvb)
{
    /* In the first pass a frame shows only what it made itself: a query's failure and
     * timeout are known in later passes. Most DNS frames make nothing. */
    if (!PINFO_FD_VISITED(pinfo) && !stash->results)
        return;
    if (!failure_output_wanted(pinfo, tree))
        return;
    const struct frame_results *r = analysis_results_get(a, pinfo, stash);
    const struct query_link *link = analysis_query_link_of(a, pinfo);
    if (link)
        failure_render_query_link(pinfo, tree, tvb, link);
    uint32_t undelivered_in = analysis_answer_link_of(a, pinfo);
    if (undelivered_in)
        failure_render_undelivered_link(tree, tvb, undelivered_in);
    if (r && r->answer)
        failure_render_answer(pinfo, &r->answer->flow, &r->answer->question);
    if (r && r->error_answer)
        error_answer_annotate(a, pinfo, tree, tvb, r->error_answer);
    timeouts_annotate(a, pinfo, tree, stash, tvb, r ? r->late_answer : NULL);
    const struct chain_links *chain = chain_links_of(a, pinfo->num);
    if (chain && chain->recovered)
        failure_render_recovered(pinfo, chain);
    if (r && r->tracking_limit) {
        struct dnsfail_tracker_stats st;
        dnsfail_tracker_get_stats(a->tracker, &st);
        failure_render_tracking_limit(pinfo, tree, tvb, st.max_queries);
    }
}

void dns_messages_analyse_udp(struct analysis_state *a, packet_info *pinfo, proto_tree *tree,
                              struct frame_stash *stash)
{
    if (!PINFO_FD_VISITED(pinfo))
        udp_first_pass(a, pinfo, stash);
    dns_messages_annotate(a, pinfo, tree, stash, stash->udp_tvb);
}
