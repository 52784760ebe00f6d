/* checksum.h - the UDP checksum a datagram should carry (RFC 768, RFC 8200 8.1).
 *
 * A capture taken on the sending host often shows a partial checksum (the NIC fills it
 * in later), while an ICMP error quotes the datagram as it arrived. Computing the real
 * checksum lets the two be matched.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_CHECKSUM_H
#define DNSFAIL_CHECKSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnsfail/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The checksum of the whole UDP datagram udp[0..len) (header included, its checksum
 * field taken as zero) from src to dst, as it goes on the wire (0 is sent as 0xFFFF).
 * False when the addresses are of different or no families, or len is not the
 * datagram's length field, or len < 8. */
bool dnsfail_udp_checksum(const struct dnsfail_addr *src, const struct dnsfail_addr *dst, const uint8_t *udp,
                          size_t len, uint16_t *checksum);

#ifdef __cplusplus
}
#endif

#endif
