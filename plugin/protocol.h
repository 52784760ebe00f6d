/* protocol.h - dnsfail's registration, for the plugin loader (plugin_entry.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_PROTOCOL_H
#define DNSFAIL_PROTOCOL_H

void proto_register_dnsfail(void);
void proto_reg_handoff_dnsfail(void);

#endif
