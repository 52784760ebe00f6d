/* dnsfail_compat.h - the one place where Wireshark versions differ for this plugin.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_COMPAT_H
#define DNSFAIL_COMPAT_H

#include <ws_version.h>

#define DNSFAIL_WS_AT_LEAST(major, minor)                                                                       \
    (WIRESHARK_VERSION_MAJOR > (major) || (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

#if !DNSFAIL_WS_AT_LEAST(4, 0)
#error "dnsfail needs Wireshark 4.0 or later"
#endif

#endif
