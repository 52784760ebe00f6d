/* addr.h - IPv4/IPv6 addresses as the core sees them, independent of Wireshark.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_ADDR_H
#define DNSFAIL_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest text form: a full IPv6 address with an embedded IPv4 tail, plus NUL. */
#define DNSFAIL_ADDR_TEXT_MAX 46

enum dnsfail_addr_family {
    DNSFAIL_AF_NONE = 0,
    DNSFAIL_AF_IPV4 = 4,
    DNSFAIL_AF_IPV6 = 6,
};

struct dnsfail_addr {
    uint8_t family;    /* enum dnsfail_addr_family */
    uint8_t bytes[16]; /* network order; IPv4 uses the first 4 bytes, the rest stay zero */
};

/* Sets *addr from 4 or 16 network-order bytes. */
void dnsfail_addr_set_ipv4(struct dnsfail_addr *addr, const uint8_t bytes[4]);
void dnsfail_addr_set_ipv6(struct dnsfail_addr *addr, const uint8_t bytes[16]);

bool dnsfail_addr_equal(const struct dnsfail_addr *a, const struct dnsfail_addr *b);

/* Number of meaningful bytes: 4, 16, or 0 for DNSFAIL_AF_NONE. */
size_t dnsfail_addr_len(const struct dnsfail_addr *addr);

/* Writes the usual text form (dotted quad, RFC 5952 for IPv6) into buf, always
 * NUL-terminated when size > 0. Returns buf. An empty address prints as "". */
char *dnsfail_addr_format(const struct dnsfail_addr *addr, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
