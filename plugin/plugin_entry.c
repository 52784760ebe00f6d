/* plugin_entry.c - the symbols Wireshark's plugin loader looks for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/proto.h>
#include <ws_symbol_export.h>

#include "dnsfail_compat.h"
#include "protocol.h"

WS_DLL_PUBLIC_DEF const char plugin_version[] = DNSFAIL_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;
DNSFAIL_PLUGIN_DESCRIBE_DISSECTOR;

WS_DLL_PUBLIC void plugin_register(void);

void plugin_register(void)
{
    static proto_plugin plugin;

    plugin.register_protoinfo = proto_register_dnsfail;
    plugin.register_handoff = proto_reg_handoff_dnsfail;
    proto_register_plugin(&plugin);
}
