/* packet_builder.h - assembling ICMP errors, IP/UDP/TCP headers and DNS messages as
 * byte arrays for the unit tests. Every helper appends to a fixed buffer; a helper that
 * would overflow it aborts the test program (a test bug, not a finding).
 *
 * Length fields that depend on what follows (IP total length, UDP length) are written
 * as given; pb_patch_u16 fixes one afterwards, and the pb_icmp*_udp helpers fill them
 * in for the common case of a whole datagram quoted.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_TEST_PACKET_BUILDER_H
#define DNSFAIL_TEST_PACKET_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#define PB_MAX 4096

struct pb {
    uint8_t b[PB_MAX];
    size_t len;
};

enum {
    PB_PROTO_TCP = 6,
    PB_PROTO_UDP = 17,
    PB_DNS_FLAGS_QUERY = 0x0100,    /* RD */
    PB_DNS_FLAGS_RESPONSE = 0x8180, /* QR RD RA */
    PB_TYPE_A = 1,
    PB_TYPE_AAAA = 28,
    PB_CLASS_IN = 1,
};

void pb_init(struct pb *p);
/* Each returns the offset at which it wrote. */
size_t pb_u8(struct pb *p, uint8_t v);
size_t pb_u16(struct pb *p, uint16_t v);
size_t pb_u32(struct pb *p, uint32_t v);
size_t pb_bytes(struct pb *p, const void *data, size_t n);
size_t pb_fill(struct pb *p, uint8_t v, size_t n);
void pb_patch_u16(struct pb *p, size_t offset, uint16_t v);

/* ICMP/ICMPv6 header: type, code, zero checksum, the 4 "rest" bytes. */
size_t pb_icmp(struct pb *p, uint8_t type, uint8_t code, uint32_t rest);

/* IPv4 header of ihl_words 32-bit words (5 without options; options are NOP-filled).
 * frag is the flags+offset field as on the wire (0x4000 = DF, 0x2000 = MF). */
size_t pb_ipv4(struct pb *p, uint8_t ihl_words, uint16_t total_len, uint16_t ip_id, uint16_t frag, uint8_t ttl,
               uint8_t proto, const uint8_t src[4], const uint8_t dst[4]);
size_t pb_ipv6(struct pb *p, uint16_t payload_len, uint8_t next, uint8_t hop_limit, const uint8_t src[16],
               const uint8_t dst[16]);
/* An IPv6 extension header of the (len + 1) * 8 byte kind (hop-by-hop, destination
 * options, routing), padded with PadN-free zeros. */
size_t pb_ipv6_ext(struct pb *p, uint8_t next, uint8_t hdr_ext_len);
/* IPv6 fragment header; offset in 8-byte units. */
size_t pb_ipv6_frag(struct pb *p, uint8_t next, uint16_t offset_units, int more, uint32_t ident);

size_t pb_udp(struct pb *p, uint16_t sport, uint16_t dport, uint16_t length, uint16_t checksum);
/* TCP header of data_words * 4 bytes (options zero-filled). */
size_t pb_tcp(struct pb *p, uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags, uint8_t data_words);

/* A name in wire form from dotted text ("www.example.com", "." for the root); no escapes. */
size_t pb_dns_name(struct pb *p, const char *dotted);
size_t pb_dns_header(struct pb *p, uint16_t id, uint16_t flags, uint16_t qdcount, uint16_t ancount,
                     uint16_t nscount, uint16_t arcount);
/* Header (QDCOUNT 1) and one question. */
size_t pb_dns_message(struct pb *p, uint16_t id, uint16_t flags, const char *name, uint16_t qtype, uint16_t qclass);

/* An ICMPv4 error quoting a whole IPv4/UDP datagram with the given payload; IP total
 * length and UDP length are filled in. Returns the offset of the UDP payload. */
size_t pb_icmp4_udp(struct pb *p, uint8_t type, uint8_t code, uint32_t rest, const uint8_t src[4],
                    const uint8_t dst[4], uint16_t sport, uint16_t dport, const uint8_t *payload, size_t payload_len);
/* The same for ICMPv6 quoting IPv6/UDP. */
size_t pb_icmp6_udp(struct pb *p, uint8_t type, uint8_t code, uint32_t rest, const uint8_t src[16],
                    const uint8_t dst[16], uint16_t sport, uint16_t dport, const uint8_t *payload,
                    size_t payload_len);

/* Addresses used throughout the tests (documentation ranges). */
extern const uint8_t PB_V4_CLIENT[4];   /* 192.0.2.10 */
extern const uint8_t PB_V4_SERVER[4];   /* 203.0.113.9 */
extern const uint8_t PB_V4_OTHER[4];    /* 198.18.0.53 */
extern const uint8_t PB_V6_CLIENT[16];  /* 2001:db8::10 */
extern const uint8_t PB_V6_SERVER[16];  /* 2001:db8::9 */

#endif
