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

/* Whether a captured datagram's checksum field may differ from the one that went on the
 * wire: the sum of the pseudo-header alone (addresses, protocol, udp_len), which a
 * sending host that leaves the checksum to its NIC puts in the field for the NIC to
 * finish (Linux, the BSDs and Windows alike; also taken complemented), or zero (IPv4's
 * "no checksum", or a field left empty). Any other value is the checksum the datagram
 * was sent with, so computing it (dnsfail_udp_checksum) would find the same value again.
 * Costs the addresses' words, not the datagram's. True when src and dst are of different
 * or no families (nothing to tell it by). */
bool dnsfail_udp_checksum_may_be_partial(const struct dnsfail_addr *src, const struct dnsfail_addr *dst,
                                         uint16_t udp_len, uint16_t field);

#ifdef __cplusplus
}
#endif

#endif
