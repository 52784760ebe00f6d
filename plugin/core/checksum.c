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

bool dnsfail_udp_checksum(const struct dnsfail_addr *src, const struct dnsfail_addr *dst, const uint8_t *udp,
                          size_t len, uint16_t *checksum)
{
    size_t addr_len = dnsfail_addr_len(src);

    if (addr_len == 0 || src->family != dst->family || len < 8 || len > 0xFFFFu ||
        (size_t)((udp[4] << 8) | udp[5]) != len)
        return false;
    uint64_t native = add_native(0, src->bytes, addr_len);
    native = add_native(native, dst->bytes, addr_len);
    native = add_native(native, udp, 6); /* ports and length; the checksum field counts as 0 */
    native = add_native(native, udp + 8, len - 8);
    /* protocol and UDP length: same total for IPv4 and IPv6 */
    uint64_t sum = (uint64_t)native_to_network(fold(native)) + 17u + (uint64_t)len;
    uint16_t result = (uint16_t)~fold(sum);
    *checksum = result == 0 ? 0xFFFFu : result;
    return true;
}
