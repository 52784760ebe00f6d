/* checksum.c - the UDP checksum over the pseudo-header and the datagram.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/checksum.h"

#include <string.h>

/* RFC 1071: a one's complement sum does not depend on the byte order it is taken in, nor
 * on how its 16-bit words are grouped. The bytes are read 8 at a time and added as two
 * native 32-bit halves (two 16-bit words each), the carries kept in the 64-bit total (a
 * datagram of 65,535 bytes adds at most 2^14 halves below 2^32: no overflow); only the
 * folded result is put in network order. Each run of bytes starts at an even offset of
 * the checksummed stream; only the last may be odd, and its last byte is padded with a
 * zero after it. */
static inline uint64_t add_native(uint64_t sum, const uint8_t *p, size_t len)
{
    size_t i = 0;
    for (; len - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        sum += (w & 0xFFFFFFFFu) + (w >> 32);
    }
    if (len - i >= 4) {
        uint32_t w;
        memcpy(&w, p + i, sizeof w);
        sum += w;
        i += 4;
    }
    if (len - i >= 2) {
        uint16_t w;
        memcpy(&w, p + i, sizeof w);
        sum += w;
        i += 2;
    }
    if (i < len) {
        /* An odd last byte: the first byte of a native 16-bit word padded with a zero. */
        uint8_t pair[2] = {p[i], 0};
        uint16_t w;
        memcpy(&w, pair, sizeof w);
        sum += w;
    }
    return sum;
}

static uint16_t fold(uint64_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xFFFFu) + (sum >> 16);
    return (uint16_t)sum;
}

/* A 16-bit sum of native words, as the same sum of network-order words. */
static uint16_t native_to_network(uint16_t sum)
{
    uint8_t b[2];
    memcpy(b, &sum, sizeof b);
    return (uint16_t)(b[0] << 8 | b[1]);
}

/* The pseudo-header's one's complement sum, folded, not complemented, in network order:
 * the addresses (4 or 16 bytes each), the protocol (17) and the UDP length. Runs on every
 * query: an IPv4 address is one word, not a walk through add_native's cases. */
static uint16_t pseudo_header_sum(const uint8_t *src, const uint8_t *dst, size_t addr_len, size_t udp_len)
{
    uint64_t native;
    if (addr_len == 4) {
        uint32_t a, b;
        memcpy(&a, src, sizeof a);
        memcpy(&b, dst, sizeof b);
        native = (uint64_t)a + b;
    } else {
        native = add_native(add_native(0, src, addr_len), dst, addr_len);
    }
    return fold((uint64_t)native_to_network(fold(native)) + 17u + (uint64_t)udp_len);
}

bool dnsfail_udp_checksum_may_be_partial(const struct dnsfail_addr *src, const struct dnsfail_addr *dst,
                                         uint16_t udp_len, uint16_t field)
{
    size_t addr_len = src->family == DNSFAIL_AF_IPV4 ? 4 : src->family == DNSFAIL_AF_IPV6 ? 16 : 0;

    if (field == 0 || addr_len == 0 || src->family != dst->family)
        return true; /* nothing to tell it by: let dnsfail_udp_checksum() decide */
    uint16_t pseudo = pseudo_header_sum(src->bytes, dst->bytes, addr_len, udp_len);
    uint16_t complement = (uint16_t)~pseudo;
    return field == pseudo || field == complement;
}

bool dnsfail_udp_checksum(const struct dnsfail_addr *src, const struct dnsfail_addr *dst, const uint8_t *udp,
                          size_t len, uint16_t *checksum)
{
    size_t addr_len = dnsfail_addr_len(src);

    if (addr_len == 0 || src->family != dst->family || len < 8 || len > 0xFFFFu ||
        (size_t)((udp[4] << 8) | udp[5]) != len)
        return false;
    uint64_t native = add_native(0, udp, 6); /* ports and length; the checksum field counts as 0 */
    native = add_native(native, udp + 8, len - 8);
    /* protocol and UDP length: same total for IPv4 and IPv6 */
    uint64_t sum = (uint64_t)native_to_network(fold(native)) +
                   pseudo_header_sum(src->bytes, dst->bytes, addr_len, len);
    uint16_t result = (uint16_t)~fold(sum);
    *checksum = result == 0 ? 0xFFFFu : result;
    return true;
}
