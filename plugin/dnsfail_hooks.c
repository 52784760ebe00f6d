/* dnsfail_hooks.c - seeing ICMP errors and DNS datagrams without a protocol tree.
 *
 * A post-dissector gets only the frame. Asking for fields would make Wireshark build a
 * tree for every frame (about +16% per frame), so instead the ip.proto entries for
 * ICMP, ICMPv6, UDP and TCP are replaced by small wrappers that note the message's tvb in
 * pinfo->pool and call the original dissector. The wrappers' handles have no protocol,
 * so they push no layer: frame.protocols, Decode As by protocol name (-d ip.proto==1,icmp)
 * and disabling a protocol behave as without the plugin.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail_compat.h"
#include "dnsfail_plugin.h"

#include <epan/proto_data.h>

#include "dnsfail/quote.h"

enum { UDP_HEADER_LEN = 8, TCP_FLAGS_END = 14 };

static protocol_t *dnsfail_protocol;

struct hooked_proto {
    uint32_t ip_proto;
    const char *name;
    const char *description;
    dissector_t wrapper;
    dissector_handle_t original;
};

/* Set when a hook stashes something, cleared by the post-dissector: most frames have no
 * stash, and looking for one in the frame's proto data costs more than the rest of
 * dnsfail's work on them. Only a hint; the stash itself is always read from pinfo, so a
 * hint left set (a frame whose post-dissector never ran) costs one lookup, never a wrong
 * answer. A hint cleared while a frame's stash exists would lose that stash; it cannot
 * happen because frame dissections do not nest: Wireshark runs a frame's post-dissectors
 * (after catching the frame's exceptions) before it starts the next frame, and dnsfail's
 * post-dissector calls no dissector. */
static bool stash_pending;

struct dnsfail_frame_stash *dnsfail_stash_get(packet_info *pinfo)
{
    return (struct dnsfail_frame_stash *)p_get_proto_data(pinfo->pool, pinfo, proto_dnsfail, DNSFAIL_KEY_STASH);
}

struct dnsfail_frame_stash *dnsfail_stash_take(packet_info *pinfo)
{
    if (!stash_pending)
        return NULL;
    stash_pending = false;
    return dnsfail_stash_get(pinfo);
}

static struct dnsfail_frame_stash *stash_for(packet_info *pinfo)
{
    /* Without the hint, this frame has no stash yet: no need to look. */
    struct dnsfail_frame_stash *stash = stash_pending ? dnsfail_stash_get(pinfo) : NULL;
    if (!stash) {
        stash = wmem_new0(pinfo->pool, struct dnsfail_frame_stash);
        p_add_proto_data(pinfo->pool, pinfo, proto_dnsfail, DNSFAIL_KEY_STASH, stash);
    }
    stash_pending = true;
    return stash;
}

static bool is_ip_address(const address *addr)
{
    return addr->type == AT_IPv4 || addr->type == AT_IPv6;
}

/* Quoted packets (in_error_pkt) are parsed by the core from the outer message. */
static bool worth_a_look(packet_info *pinfo)
{
    return !pinfo->flags.in_error_pkt && proto_is_protocol_enabled(dnsfail_protocol);
}

static void note_icmp(tvbuff_t *tvb, packet_info *pinfo, uint8_t icmp_version)
{
    if (!worth_a_look(pinfo) || tvb_captured_length(tvb) < 1 || !is_ip_address(&pinfo->src))
        return;
    if (!dnsfail_icmp_is_error(icmp_version, tvb_get_uint8(tvb, 0)))
        return;
    struct dnsfail_frame_stash *stash = stash_for(pinfo);
    if (stash->icmp_tvb)
        return; /* the outermost message only */
    stash->icmp_tvb = tvb;
    stash->icmp_version = icmp_version;
    dnsfail_addr_from_ws(&pinfo->src, &stash->reporter);
}

/* A UDP datagram or TCP segment to or from a DNS port: true when worth stashing. The
 * port test comes first: it is what rules out most segments. */
static bool to_or_from_dns_port(tvbuff_t *tvb, packet_info *pinfo, unsigned min_len)
{
    if (pinfo->flags.in_error_pkt || tvb_captured_length(tvb) < min_len)
        return false;
    uint32_t ports = tvb_get_ntohl(tvb, 0); /* source and destination port, one read */
    if (!dnsfail_port_set_has(&dnsfail_dns_ports, (uint16_t)(ports >> 16)) &&
        !dnsfail_port_set_has(&dnsfail_dns_ports, (uint16_t)ports))
        return false;
    return worth_a_look(pinfo) && is_ip_address(&pinfo->src) && pinfo->src.type == pinfo->dst.type;
}

static void note_transport(tvbuff_t *tvb, packet_info *pinfo, tvbuff_t **slot, struct dnsfail_addr *src,
                           struct dnsfail_addr *dst)
{
    if (*slot)
        return; /* the outermost one only */
    *slot = tvb;
    dnsfail_addr_from_ws(&pinfo->src, src);
    dnsfail_addr_from_ws(&pinfo->dst, dst);
}

static void note_udp(tvbuff_t *tvb, packet_info *pinfo)
{
    if (!to_or_from_dns_port(tvb, pinfo, UDP_HEADER_LEN))
        return;
    struct dnsfail_frame_stash *stash = stash_for(pinfo);
    note_transport(tvb, pinfo, &stash->udp_tvb, &stash->udp_src, &stash->udp_dst);
}

static void note_tcp(tvbuff_t *tvb, packet_info *pinfo)
{
    if (!to_or_from_dns_port(tvb, pinfo, TCP_FLAGS_END))
        return;
    struct dnsfail_frame_stash *stash = stash_for(pinfo);
    note_transport(tvb, pinfo, &stash->tcp_tvb, &stash->tcp_src, &stash->tcp_dst);
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

static int call_original(enum hook which, tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return call_dissector_only(hooked[which].original, tvb, pinfo, tree, data);
}

static int hook_icmp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    note_icmp(tvb, pinfo, DNSFAIL_ICMPV4);
    return call_original(HOOK_ICMP, tvb, pinfo, tree, data);
}

static int hook_icmpv6(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    note_icmp(tvb, pinfo, DNSFAIL_ICMPV6);
    return call_original(HOOK_ICMPV6, tvb, pinfo, tree, data);
}

static int hook_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    note_udp(tvb, pinfo);
    return call_original(HOOK_UDP, tvb, pinfo, tree, data);
}

static int hook_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    note_tcp(tvb, pinfo);
    return call_original(HOOK_TCP, tvb, pinfo, tree, data);
}

void dnsfail_hooks_install(void)
{
    dissector_table_t ip_proto = find_dissector_table("ip.proto");
    dnsfail_protocol = find_protocol_by_id(proto_dnsfail);
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
