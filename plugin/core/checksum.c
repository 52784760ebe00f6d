/* checksum.c - the UDP checksum over the pseudo-header and the datagram.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/checksum.h"

static uint32_t add_bytes(uint32_t sum, const uint8_t *p, size_t len)
{
    size_t i = 0;
    for (; i + 1 < len; i += 2)
        sum += (uint32_t)((p[i] << 8) | p[i + 1]);
    if (i < len)
        sum += (uint32_t)(p[i] << 8);
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xFFFFu) + (sum >> 16);
    return (uint16_t)sum;
}

bool dnsfail_udp_checksum(const struct dnsfail_addr *src, const struct dnsfail_addr *dst, const uint8_t *udp,
                          size_t len, uint16_t *checksum)
{
    size_t addr_len = dnsfail_addr_len(src);

    if (addr_len == 0 || src->family != dst->family || len < 8 || len > 0xFFFFu ||
        (size_t)((udp[4] << 8) | udp[5]) != len)
        return false;
    uint32_t sum = add_bytes(0, src->bytes, addr_len);
    sum = add_bytes(sum, dst->bytes, addr_len);
    sum += 17u + (uint32_t)len; /* protocol and UDP length: same total for IPv4 and IPv6 */
    sum = add_bytes(sum, udp, 6);            /* ports and length; the checksum field counts as 0 */
    sum = add_bytes(sum, udp + 8, len - 8);
    uint16_t result = (uint16_t)~fold(sum);
    *checksum = result == 0 ? 0xFFFFu : result;
    return true;
}
