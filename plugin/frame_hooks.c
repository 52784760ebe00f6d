/* frame_hooks.c - seeing ICMP errors and DNS datagrams without a protocol tree, and
 * analysing the frames that hold them: the per-frame entry point of the analysis.
 *
 * Reading fields from the tree would make Wireshark build a tree for every frame (about
 * +16% per frame), so instead the ip.proto entries for ICMP, ICMPv6, UDP and TCP are
 * replaced by small wrappers that note the message's tvb in the frame's stash and call
 * the original dissector. The wrappers' handles have no protocol,
 * so they push no layer: frame.protocols, Decode As by protocol name (-d ip.proto==1,icmp)
 * and disabling a protocol behave as without the plugin.
 *
 * The wrapper that noted a frame first analyses it when the original dissector returns,
 * with everything under it dissected: what a post-dissector would do, on the frames that
 * need it. (A registered post-dissector would cost every frame Wireshark's own TRY and
 * loop: docs/design.md.)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail_compat.h"
#include "frame_hooks.h"

#include <epan/exceptions.h>
#include <epan/show_exception.h>

#include "dnsfail/quote.h"

#include "dns_messages.h"
#include "frame_facts.h"
#include "frame_stash.h"
#include "icmp_error.h"
#include "tcp_dns.h"
#include "timeout.h"

enum { UDP_HEADER_LEN = 8, TCP_FLAGS_END = 14 };

static protocol_t *dnsfail_protocol;
/* protocol.c's analysis state, handed over at install: what every frame's analysis uses. */
static struct analysis_state *analysis;
/* The analysis runs inside the wrapper of a protocol it does not name: expert items and
 * exceptions must still say "DNSFAIL". */
static const char *dnsfail_short_name;

struct hooked_proto {
    uint32_t ip_proto;
    const char *name;
    const char *description;
    dissector_t wrapper;
    dissector_handle_t original;
};

static bool is_ip_address(const address *addr)
{
    return addr->type == AT_IPv4 || addr->type == AT_IPv6;
}

/* Quoted packets (in_error_pkt) are parsed by the core from the outer message. */
static bool worth_a_look(packet_info *pinfo)
{
    return !pinfo->flags.in_error_pkt && proto_is_protocol_enabled(dnsfail_protocol);
}

/* Each note_ function returns true when its hook began the frame's stash. */
static bool note_icmp(tvbuff_t *tvb, packet_info *pinfo, uint8_t icmp_version)
{
    if (!worth_a_look(pinfo) || tvb_captured_length(tvb) < 1 || !is_ip_address(&pinfo->src))
        return false;
    if (!dnsfail_icmp_is_error(icmp_version, tvb_get_uint8(tvb, 0)))
        return false;
    bool began;
    struct frame_stash *stash = frame_stash_for(pinfo, &began);
    if (stash->icmp_tvb)
        return began; /* the outermost message only */
    stash->icmp_tvb = tvb;
    stash->icmp_version = icmp_version;
    frame_addr_from_ws(&pinfo->src, &stash->reporter);
    return began;
}

/* A UDP datagram or TCP segment to or from a DNS port: true when worth stashing. The
 * port test comes first: it is what rules out most segments. */
static bool to_or_from_dns_port(tvbuff_t *tvb, packet_info *pinfo, unsigned min_len)
{
    if (pinfo->flags.in_error_pkt || tvb_captured_length(tvb) < min_len)
        return false;
    uint32_t ports = tvb_get_ntohl(tvb, 0); /* source and destination port, one read */
    if (!dnsfail_port_set_has(&analysis->dns_ports, (uint16_t)(ports >> 16)) &&
        !dnsfail_port_set_has(&analysis->dns_ports, (uint16_t)ports))
        return false;
    return worth_a_look(pinfo) && is_ip_address(&pinfo->src) && pinfo->src.type == pinfo->dst.type;
}

static void note_transport(tvbuff_t *tvb, packet_info *pinfo, tvbuff_t **slot, struct dnsfail_addr *src,
                           struct dnsfail_addr *dst)
{
    if (*slot)
        return; /* the outermost one only */
    *slot = tvb;
    frame_addr_from_ws(&pinfo->src, src);
    frame_addr_from_ws(&pinfo->dst, dst);
}

static bool note_udp(tvbuff_t *tvb, packet_info *pinfo)
{
    if (!to_or_from_dns_port(tvb, pinfo, UDP_HEADER_LEN))
        return false;
    bool began;
    struct frame_stash *stash = frame_stash_for(pinfo, &began);
    note_transport(tvb, pinfo, &stash->udp_tvb, &stash->udp_src, &stash->udp_dst);
    return began;
}

static bool note_tcp(tvbuff_t *tvb, packet_info *pinfo)
{
    if (!to_or_from_dns_port(tvb, pinfo, TCP_FLAGS_END))
        return false;
    bool began;
    struct frame_stash *stash = frame_stash_for(pinfo, &began);
    note_transport(tvb, pinfo, &stash->tcp_tvb, &stash->tcp_src, &stash->tcp_dst);
    return began;
}

/* First pass, a frame whose time passes a waiting query's deadline, that no outer hook
 * will analyse: the timeout is known on this frame (timeout.c), whatever it is.
 * A quoted packet's hook (in an ICMP error) leaves it to the outer message's. */
static bool deadline_passed_here(packet_info *pinfo)
{
    return !PINFO_FD_VISITED(pinfo) && frame_time_ns(pinfo) >= analysis->next_deadline_ns &&
           !frame_stash_is_this_frames(pinfo) && worth_a_look(pinfo);
}

#ifdef DNSFAIL_TEST_HOOKS
#include <stdlib.h>

/* The test build's hook: the analysis of frame DNSFAIL_TEST_THROW_FRAME throws, after its
 * items are added, as a bug in it would. */
static void throw_if_asked(const packet_info *pinfo)
{
    const char *frame = getenv("DNSFAIL_TEST_THROW_FRAME");
    if (frame && strtoul(frame, NULL, 10) == pinfo->num)
        THROW_MESSAGE(DissectorError, "dnsfail test hook: an exception thrown inside the analysis");
}
#else
static void throw_if_asked(const packet_info *pinfo _U_) {}
#endif

/* The analysis of one frame, at the end of the wrapper that noted it (or whose frame
 * passed a waiting query's deadline): what a post-dissector would do. */
static void analyse_frame(packet_info *pinfo, proto_tree *tree)
{
    /* A frame's time may pass a waiting query's deadline: one comparison, usually. */
    bool first_pass = !PINFO_FD_VISITED(pinfo);
    if (first_pass && frame_time_ns(pinfo) >= analysis->next_deadline_ns)
        timeouts_expire(analysis, pinfo);
    struct frame_stash *stash = frame_stash_take(pinfo);
    if (!stash)
        return; /* a deadline passed on a frame that is neither an ICMP error nor DNS */
    pinfo->current_proto = dnsfail_short_name;
    analysis->session = pinfo->epan;
    if (first_pass)
        analysis_deadline_recheck(analysis); /* this frame may add or answer a waiting query */
    else
        analysis->later_pass_seen = true;
    if (stash->icmp_tvb)
        icmp_error_analyse(analysis, pinfo, tree, stash);
    if (stash->udp_tvb)
        dns_messages_analyse_udp(analysis, pinfo, tree, stash);
    if (stash->tcp_tvb)
        tcp_dns_analyse(analysis, pinfo, tree, stash);
    if (first_pass)
        timeouts_refresh(analysis);
    throw_if_asked(pinfo);
}

static int hook_icmp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);
static int hook_icmpv6(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);
static int hook_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);
static int hook_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);

enum hook { HOOK_ICMP, HOOK_ICMPV6, HOOK_UDP, HOOK_TCP };

static struct hooked_proto hooked[] = {
    [HOOK_ICMP] = {1, "dnsfail_icmp", "ICMP (with DNS failure analysis)", hook_icmp, NULL},
    [HOOK_ICMPV6] = {58, "dnsfail_icmpv6", "ICMPv6 (with DNS failure analysis)", hook_icmpv6, NULL},
    [HOOK_UDP] = {17, "dnsfail_udp", "UDP (with DNS failure analysis)", hook_udp, NULL},
    [HOOK_TCP] = {6, "dnsfail_tcp", "TCP (with DNS failure analysis)", hook_tcp, NULL},
};

/* The frame's analysis after its dissector threw, contained as a post-dissector's was in
 * Wireshark's own TRY: an exception in the analysis marks the frame malformed in
 * dnsfail's name and goes no further, so that the dissector's exception, on its way to
 * Wireshark, is not replaced. pinfo->current_proto, which names the protocol at fault
 * and which the analysis sets to DNSFAIL, is put back. */
static void analyse_after_exception(tvbuff_t *tvb, packet_info *pinfo, proto_tree *root)
{
    const char *volatile proto_at_fault = pinfo->current_proto;
    TRY {
        analyse_frame(pinfo, root);
    }
    CATCH_BOUNDS_AND_DISSECTOR_ERRORS {
        show_exception(tvb, pinfo, root, EXCEPT_CODE, GET_MESSAGE);
    }
    ENDTRY;
    pinfo->current_proto = proto_at_fault;
}

/* The original dissector, then, when analyse is set, the frame's analysis, in one TRY on
 * the usual path:
 * - the dissector returned: the analysis runs; if it throws (too many tree items, a bug),
 *   the frame is marked malformed in dnsfail's name and the layers around the wrapper go
 *   on, as after a post-dissector that threw;
 * - the dissector threw (a malformed or truncated message): the analysis still runs,
 *   since dnsfail reads the bytes itself, and the exception goes on to Wireshark, which
 *   marks the frame as it would without dnsfail, in the name of the same protocol.
 * The items go to the frame's top-level tree, as a post-dissector's do, whatever tree
 * the wrapper was handed. */
static int call_original(enum hook which, tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data,
                         bool analyse)
{
    if (!analyse)
        return call_dissector_only(hooked[which].original, tvb, pinfo, tree, data);
    proto_tree *root = proto_tree_get_root(tree);
    volatile int consumed = 0;
    volatile bool analysing = false;
    const char *volatile proto_before = NULL;
    TRY {
        consumed = call_dissector_only(hooked[which].original, tvb, pinfo, tree, data);
        proto_before = pinfo->current_proto;
        analysing = true;
        analyse_frame(pinfo, root);
        pinfo->current_proto = proto_before;
    }
    CATCH_BOUNDS_AND_DISSECTOR_ERRORS {
        if (analysing) {
            show_exception(tvb, pinfo, root, EXCEPT_CODE, GET_MESSAGE);
            pinfo->current_proto = proto_before;
        } else {
            analyse_after_exception(tvb, pinfo, root);
            RETHROW;
        }
    }
    ENDTRY;
    return consumed;
}

static int hook_icmp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    bool began = note_icmp(tvb, pinfo, DNSFAIL_ICMPV4);
    return call_original(HOOK_ICMP, tvb, pinfo, tree, data, began || deadline_passed_here(pinfo));
}

static int hook_icmpv6(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    bool began = note_icmp(tvb, pinfo, DNSFAIL_ICMPV6);
    return call_original(HOOK_ICMPV6, tvb, pinfo, tree, data, began || deadline_passed_here(pinfo));
}

static int hook_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    bool began = note_udp(tvb, pinfo);
    return call_original(HOOK_UDP, tvb, pinfo, tree, data, began || deadline_passed_here(pinfo));
}

static int hook_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    bool began = note_tcp(tvb, pinfo);
    return call_original(HOOK_TCP, tvb, pinfo, tree, data, began || deadline_passed_here(pinfo));
}

int frame_hooks_dissect(tvbuff_t *tvb _U_, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    analyse_frame(pinfo, tree);
    return 0;
}

void frame_hooks_install(int proto, struct analysis_state *state)
{
    dissector_table_t ip_proto = find_dissector_table("ip.proto");
    dnsfail_protocol = find_protocol_by_id(proto);
    dnsfail_short_name = proto_get_protocol_short_name(dnsfail_protocol);
    analysis = state;
    if (!ip_proto)
        return;
    for (size_t i = 0; i < G_N_ELEMENTS(hooked); i++) {
        struct hooked_proto *h = &hooked[i];
        h->original = dissector_get_uint_handle(ip_proto, h->ip_proto);
        if (!h->original)
            continue;
        dissector_handle_t wrapper =
            create_dissector_handle_with_name_and_description(h->wrapper, -1, h->name, h->description);
        dissector_add_uint("ip.proto", h->ip_proto, wrapper);
    }
}
