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

/* Dotted quad by hand: glibc's inet_ntop formats IPv4 with sprintf, and every failure
 * formats three or four addresses. Returns the length written (at most 15). */
static size_t format_ipv4(const uint8_t b[4], char *out)
{
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        unsigned v = b[i];
        if (v >= 100)
            out[n++] = (char)('0' + v / 100);
        if (v >= 10)
            out[n++] = (char)('0' + v / 10 % 10);
        out[n++] = (char)('0' + v % 10);
        if (i < 3)
            out[n++] = '.';
    }
    out[n] = '\0';
    return n;
}

char *dnsfail_addr_format(const struct dnsfail_addr *addr, char *buf, size_t size)
{
    char text[DNSFAIL_ADDR_TEXT_MAX] = "";

    if (size == 0)
        return buf;
    if (addr->family == DNSFAIL_AF_IPV4)
        format_ipv4(addr->bytes, text);
    else if (addr->family == DNSFAIL_AF_IPV6)
        inet_ntop(AF_INET6, addr->bytes, text, sizeof text);
    size_t n = strlen(text);
    if (n >= size)
        n = size - 1;
    memcpy(buf, text, n);
    buf[n] = '\0';
    return buf;
}
