/* packet_builder.c - byte arrays for the unit tests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "packet_builder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const uint8_t PB_V4_CLIENT[4] = {192, 0, 2, 10};
const uint8_t PB_V4_SERVER[4] = {203, 0, 113, 9};
const uint8_t PB_V4_OTHER[4] = {198, 18, 0, 53};
const uint8_t PB_V6_CLIENT[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10};
const uint8_t PB_V6_SERVER[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x09};

static void room(const struct pb *p, size_t n)
{
    if (n > PB_MAX - p->len) {
        fprintf(stderr, "packet_builder: buffer of %d bytes too small\n", PB_MAX);
        abort();
    }
}

void pb_init(struct pb *p)
{
    memset(p, 0, sizeof *p);
}

size_t pb_u8(struct pb *p, uint8_t v)
{
    room(p, 1);
    p->b[p->len] = v;
    return p->len++;
}

size_t pb_u16(struct pb *p, uint16_t v)
{
    size_t at = pb_u8(p, (uint8_t)(v >> 8));
    pb_u8(p, (uint8_t)v);
    return at;
}

size_t pb_u32(struct pb *p, uint32_t v)
{
    size_t at = pb_u16(p, (uint16_t)(v >> 16));
    pb_u16(p, (uint16_t)v);
    return at;
}

size_t pb_bytes(struct pb *p, const void *data, size_t n)
{
    size_t at = p->len;
    room(p, n);
    if (n)
        memcpy(p->b + p->len, data, n);
    p->len += n;
    return at;
}

size_t pb_fill(struct pb *p, uint8_t v, size_t n)
{
    size_t at = p->len;
    room(p, n);
    memset(p->b + p->len, v, n);
    p->len += n;
    return at;
}

void pb_patch_u16(struct pb *p, size_t offset, uint16_t v)
{
    if (offset + 2 > p->len) {
        fprintf(stderr, "packet_builder: patch at %zu past the end (%zu)\n", offset, p->len);
        abort();
    }
    p->b[offset] = (uint8_t)(v >> 8);
    p->b[offset + 1] = (uint8_t)v;
}

size_t pb_icmp(struct pb *p, uint8_t type, uint8_t code, uint32_t rest)
{
    size_t at = pb_u8(p, type);
    pb_u8(p, code);
    pb_u16(p, 0);
    pb_u32(p, rest);
    return at;
}

size_t pb_ipv4(struct pb *p, uint8_t ihl_words, uint16_t total_len, uint16_t ip_id, uint16_t frag, uint8_t ttl,
               uint8_t proto, const uint8_t src[4], const uint8_t dst[4])
{
    size_t at = pb_u8(p, (uint8_t)(0x40u | (ihl_words & 0x0Fu)));
    pb_u8(p, 0);
    pb_u16(p, total_len);
    pb_u16(p, ip_id);
    pb_u16(p, frag);
    pb_u8(p, ttl);
    pb_u8(p, proto);
    pb_u16(p, 0);
    pb_bytes(p, src, 4);
    pb_bytes(p, dst, 4);
    if (ihl_words > 5)
        pb_fill(p, 1 /* NOP */, (size_t)(ihl_words - 5) * 4u);
    return at;
}

size_t pb_ipv6(struct pb *p, uint16_t payload_len, uint8_t next, uint8_t hop_limit, const uint8_t src[16],
               const uint8_t dst[16])
{
    size_t at = pb_u32(p, UINT32_C(0x60000000));
    pb_u16(p, payload_len);
    pb_u8(p, next);
    pb_u8(p, hop_limit);
    pb_bytes(p, src, 16);
    pb_bytes(p, dst, 16);
    return at;
}

size_t pb_ipv6_ext(struct pb *p, uint8_t next, uint8_t hdr_ext_len)
{
    size_t at = pb_u8(p, next);
    pb_u8(p, hdr_ext_len);
    pb_fill(p, 0, ((size_t)hdr_ext_len + 1u) * 8u - 2u);
    return at;
}

size_t pb_ipv6_frag(struct pb *p, uint8_t next, uint16_t offset_units, int more, uint32_t ident)
{
    size_t at = pb_u8(p, next);
    pb_u8(p, 0);
    pb_u16(p, (uint16_t)((offset_units << 3) | (more ? 1u : 0u)));
    pb_u32(p, ident);
    return at;
}

size_t pb_udp(struct pb *p, uint16_t sport, uint16_t dport, uint16_t length, uint16_t checksum)
{
    size_t at = pb_u16(p, sport);
    pb_u16(p, dport);
    pb_u16(p, length);
    pb_u16(p, checksum);
    return at;
}

size_t pb_tcp(struct pb *p, uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags, uint8_t data_words)
{
    size_t at = pb_u16(p, sport);
    pb_u16(p, dport);
    pb_u32(p, seq);
    pb_u32(p, 0);                                  /* ack */
    pb_u8(p, (uint8_t)(data_words << 4));
    pb_u8(p, flags);
    pb_u16(p, 65535);                              /* window */
    pb_u16(p, 0);                                  /* checksum */
    pb_u16(p, 0);                                  /* urgent */
    if (data_words > 5)
        pb_fill(p, 1 /* NOP */, (size_t)(data_words - 5) * 4u);
    return at;
}

size_t pb_dns_name(struct pb *p, const char *dotted)
{
    size_t at = p->len;
    const char *s = dotted;

    if (strcmp(dotted, ".") != 0) {
        while (*s) {
            const char *dot = strchr(s, '.');
            size_t n = dot ? (size_t)(dot - s) : strlen(s);
            pb_u8(p, (uint8_t)n);
            pb_bytes(p, s, n);
            s += n;
            if (*s == '.')
                s++;
        }
    }
    pb_u8(p, 0);
    return at;
}

size_t pb_dns_header(struct pb *p, uint16_t id, uint16_t flags, uint16_t qdcount, uint16_t ancount,
                     uint16_t nscount, uint16_t arcount)
{
    size_t at = pb_u16(p, id);
    pb_u16(p, flags);
    pb_u16(p, qdcount);
    pb_u16(p, ancount);
    pb_u16(p, nscount);
    pb_u16(p, arcount);
    return at;
}

size_t pb_dns_message(struct pb *p, uint16_t id, uint16_t flags, const char *name, uint16_t qtype, uint16_t qclass)
{
    size_t at = pb_dns_header(p, id, flags, 1, 0, 0, 0);
    pb_dns_name(p, name);
    pb_u16(p, qtype);
    pb_u16(p, qclass);
    return at;
}

size_t pb_icmp4_udp(struct pb *p, uint8_t type, uint8_t code, uint32_t rest, const uint8_t src[4],
                    const uint8_t dst[4], uint16_t sport, uint16_t dport, const uint8_t *payload, size_t payload_len)
{
    pb_icmp(p, type, code, rest);
    size_t ip = pb_ipv4(p, 5, 0, 0x1234, 0x4000, 64, PB_PROTO_UDP, src, dst);
    size_t udp = pb_udp(p, sport, dport, 0, 0xBEEF);
    size_t data = pb_bytes(p, payload, payload_len);
    pb_patch_u16(p, ip + 2, (uint16_t)(20u + 8u + payload_len));
    pb_patch_u16(p, udp + 4, (uint16_t)(8u + payload_len));
    return data;
}

size_t pb_icmp6_udp(struct pb *p, uint8_t type, uint8_t code, uint32_t rest, const uint8_t src[16],
                    const uint8_t dst[16], uint16_t sport, uint16_t dport, const uint8_t *payload,
                    size_t payload_len)
{
    pb_icmp(p, type, code, rest);
    pb_ipv6(p, (uint16_t)(8u + payload_len), PB_PROTO_UDP, 64, src, dst);
    pb_udp(p, sport, dport, (uint16_t)(8u + payload_len), 0xBEEF);
    return pb_bytes(p, payload, payload_len);
}
