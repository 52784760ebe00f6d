/* floor_plugin.c - the benchmark's floor: a plugin of dnsfail's shape that analyses nothing.
 *
 * It registers what dnsfail registers on every frame's path and nothing else: wrappers
 * for the ip.proto entries of ICMP, ICMPv6, UDP and TCP that call the original dissector
 * and return (dnsfail has no post-dissector: its analysis runs at the end of its
 * wrappers). What tshark costs with it, against plain tshark, is the part
 * of dnsfail's cost that comes from its shape (docs/design.md) rather than its analysis;
 * the benchmark reports it beside dnsfail's (docs/PERFORMANCE.md). Its filter name
 * "floor" never matches: nothing adds its protocol.
 *
 * Built only for the benchmark (target dnsfail_bench_floor), never installed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/proto.h>
#include <ws_symbol_export.h>

#include "dnsfail_compat.h"

WS_DLL_PUBLIC_DEF const char plugin_version[] = "0";
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;
DNSFAIL_PLUGIN_DESCRIBE_DISSECTOR;

WS_DLL_PUBLIC void plugin_register(void);

static int proto_floor = -1;

enum { WRAPPED = 4 };
static const uint32_t wrapped_ip_proto[WRAPPED] = {1, 58, 17, 6};
static const char *const wrapper_name[WRAPPED] = {"floor_icmp", "floor_icmpv6", "floor_udp", "floor_tcp"};
static dissector_handle_t original[WRAPPED];

/* One function per protocol, as dnsfail has: a wrapper knows its original without a lookup. */
static int wrap_icmp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return call_dissector_only(original[0], tvb, pinfo, tree, data);
}

static int wrap_icmpv6(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return call_dissector_only(original[1], tvb, pinfo, tree, data);
}

static int wrap_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return call_dissector_only(original[2], tvb, pinfo, tree, data);
}

static int wrap_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return call_dissector_only(original[3], tvb, pinfo, tree, data);
}

static void register_floor(void)
{
    proto_floor = proto_register_protocol("dnsfail benchmark floor", "FLOOR", "floor");
}

static void handoff_floor(void)
{
    static const dissector_t wrapper[WRAPPED] = {wrap_icmp, wrap_icmpv6, wrap_udp, wrap_tcp};

    dissector_table_t ip_proto = find_dissector_table("ip.proto");
    if (!ip_proto)
        return;
    for (size_t i = 0; i < WRAPPED; i++) {
        original[i] = dissector_get_uint_handle(ip_proto, wrapped_ip_proto[i]);
        if (!original[i])
            continue;
        dissector_add_uint("ip.proto", wrapped_ip_proto[i],
                           create_dissector_handle_with_name_and_description(wrapper[i], -1, wrapper_name[i],
                                                                             wrapper_name[i]));
    }
}

void plugin_register(void)
{
    static proto_plugin plugin;

    plugin.register_protoinfo = register_floor;
    plugin.register_handoff = handoff_floor;
    proto_register_plugin(&plugin);
}
