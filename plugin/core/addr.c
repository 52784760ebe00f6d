/* addr.c - IPv4/IPv6 addresses for the core.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/addr.h"

#include <arpa/inet.h>
#include <string.h>

void dnsfail_addr_set_ipv4(struct dnsfail_addr *addr, const uint8_t bytes[4])
{
    memset(addr, 0, sizeof *addr);
    addr->family = DNSFAIL_AF_IPV4;
    memcpy(addr->bytes, bytes, 4);
}

void dnsfail_addr_set_ipv6(struct dnsfail_addr *addr, const uint8_t bytes[16])
{
    memset(addr, 0, sizeof *addr);
    addr->family = DNSFAIL_AF_IPV6;
    memcpy(addr->bytes, bytes, 16);
}

size_t dnsfail_addr_len(const struct dnsfail_addr *addr)
{
    switch (addr->family) {
    case DNSFAIL_AF_IPV4:
        return 4;
    case DNSFAIL_AF_IPV6:
        return 16;
    default:
        return 0;
    }
}

bool dnsfail_addr_equal(const struct dnsfail_addr *a, const struct dnsfail_addr *b)
{
    return a->family == b->family && memcmp(a->bytes, b->bytes, dnsfail_addr_len(a)) == 0;
}

char *dnsfail_addr_format(const struct dnsfail_addr *addr, char *buf, size_t size)
{
    char text[DNSFAIL_ADDR_TEXT_MAX] = "";

    if (size == 0)
        return buf;
    if (addr->family == DNSFAIL_AF_IPV4)
        inet_ntop(AF_INET, addr->bytes, text, sizeof text);
    else if (addr->family == DNSFAIL_AF_IPV6)
        inet_ntop(AF_INET6, addr->bytes, text, sizeof text);
    size_t n = strlen(text);
    if (n >= size)
        n = size - 1;
    memcpy(buf, text, n);
    buf[n] = '\0';
    return buf;
}
