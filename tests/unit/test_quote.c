/* test_quote.c - ICMP/ICMPv6 errors and the datagram they quote; finding DNS in it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/quote.h"

#include <string.h>

#include "check.h"
#include "packet_builder.h"

enum { CLIENT_PORT = 40000, DNS_PORT = 53, MDNS_PORT = 5353, QUERY_ID = 0x1234 };

/* www.example.com A IN, 33 bytes. */
static size_t query_bytes(struct pb *d, uint16_t flags)
{
    pb_init(d);
    pb_dns_message(d, QUERY_ID, flags, "www.example.com", PB_TYPE_A, PB_CLASS_IN);
    return d->len;
}

static struct dnsfail_port_set dns_ports(void)
{
    struct dnsfail_port_set set;
    dnsfail_port_set_clear(&set);
    dnsfail_port_set_add_range(&set, DNS_PORT, DNS_PORT);
    dnsfail_port_set_add_range(&set, MDNS_PORT, MDNS_PORT);
    return set;
}

/* ICMPv4 type/code quoting a whole IPv4/UDP datagram client:40000 -> server:53 with
 * the 33-byte query. */
static void v4_error_quoting_query(struct pb *p, uint8_t type, uint8_t code, uint32_t rest)
{
    struct pb d;
    query_bytes(&d, PB_DNS_FLAGS_QUERY);
    pb_init(p);
    pb_icmp4_udp(p, type, code, rest, PB_V4_CLIENT, PB_V4_SERVER, CLIENT_PORT, DNS_PORT, d.b, d.len);
}

static void v6_error_quoting_query(struct pb *p, uint8_t type, uint8_t code, uint32_t rest)
{
    struct pb d;
    query_bytes(&d, PB_DNS_FLAGS_QUERY);
    pb_init(p);
    pb_icmp6_udp(p, type, code, rest, PB_V6_CLIENT, PB_V6_SERVER, CLIENT_PORT, DNS_PORT, d.b, d.len);
}

/* ---- which messages are errors ---------------------------------------------- */

static void test_icmpv4_error_types(void)
{
    CHECK(dnsfail_icmp_is_error(DNSFAIL_ICMPV4, 3));
    CHECK(dnsfail_icmp_is_error(DNSFAIL_ICMPV4, 11));
    CHECK(dnsfail_icmp_is_error(DNSFAIL_ICMPV4, 12));
    CHECK(!dnsfail_icmp_is_error(DNSFAIL_ICMPV4, 0));   /* echo reply */
    CHECK(!dnsfail_icmp_is_error(DNSFAIL_ICMPV4, 4));   /* source quench */
    CHECK(!dnsfail_icmp_is_error(DNSFAIL_ICMPV4, 5));   /* redirect */
    CHECK(!dnsfail_icmp_is_error(DNSFAIL_ICMPV4, 8));   /* echo request */
    CHECK(!dnsfail_icmp_is_error(DNSFAIL_ICMPV4, 1));
    CHECK(!dnsfail_icmp_is_error(DNSFAIL_ICMPV4, 2));
}

static void test_icmpv6_error_types(void)
{
    CHECK(dnsfail_icmp_is_error(DNSFAIL_ICMPV6, 1));
    CHECK(dnsfail_icmp_is_error(DNSFAIL_ICMPV6, 2));
    CHECK(dnsfail_icmp_is_error(DNSFAIL_ICMPV6, 3));
    CHECK(dnsfail_icmp_is_error(DNSFAIL_ICMPV6, 4));
    CHECK(!dnsfail_icmp_is_error(DNSFAIL_ICMPV6, 0));
    CHECK(!dnsfail_icmp_is_error(DNSFAIL_ICMPV6, 5));
    CHECK(!dnsfail_icmp_is_error(DNSFAIL_ICMPV6, 128)); /* echo request */
    CHECK(!dnsfail_icmp_is_error(DNSFAIL_ICMPV6, 129)); /* echo reply */
    CHECK(!dnsfail_icmp_is_error(DNSFAIL_ICMPV6, 135)); /* neighbour solicitation */
    CHECK(!dnsfail_icmp_is_error(DNSFAIL_ICMPV6, 11));  /* an ICMPv4 error number */
    CHECK(!dnsfail_icmp_is_error(5, 3));                /* not a version at all */
}

static void test_non_error_message_is_not_followed(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 8, 0, 0);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_NOT_ERROR);
    CHECK_EQ_INT(q.status, DNSFAIL_QUOTE_NOT_ERROR);
    CHECK_EQ_INT(q.icmp_type, 8);
    CHECK_EQ_INT(q.src_port, 0);
    v6_error_quoting_query(&p, 128, 0, 0);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_NOT_ERROR);
    CHECK_EQ_INT(q.ip_version, 0);
}

static void test_message_shorter_than_icmp_header(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 3, 3, 0);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, 7, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_NOT_ERROR);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, 0, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_NOT_ERROR);
}

/* ---- ICMPv4 quoting IPv4 ------------------------------------------------------ */

static void test_v4_port_unreachable_whole_query(void)
{
    struct pb p;
    struct dnsfail_quote q;
    struct dnsfail_addr a;

    v4_error_quoting_query(&p, 3, 3, 0);
    CHECK_EQ_INT(p.len, 8 + 20 + 8 + 33);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.status, DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.icmp_version, DNSFAIL_ICMPV4);
    CHECK_EQ_INT(q.icmp_type, 3);
    CHECK_EQ_INT(q.icmp_code, 3);
    CHECK_EQ_INT(q.rfc4884_length, 0);
    CHECK(!q.rfc4884_length_bad);
    CHECK_EQ_INT(q.quote_offset, 8);
    CHECK_EQ_INT(q.quote_len, 61);
    CHECK_EQ_INT(q.ip_version, 4);
    CHECK_EQ_INT(q.ip_header_len, 20);
    CHECK_EQ_INT(q.ip_total_len, 61);
    CHECK(q.has_ip_id);
    CHECK_EQ_INT(q.ip_id, 0x1234);
    CHECK_EQ_INT(q.ip_ttl, 64);
    dnsfail_addr_set_ipv4(&a, PB_V4_CLIENT);
    CHECK(dnsfail_addr_equal(&q.src, &a));
    dnsfail_addr_set_ipv4(&a, PB_V4_SERVER);
    CHECK(dnsfail_addr_equal(&q.dst, &a));
    CHECK_EQ_INT(q.transport, DNSFAIL_TRANSPORT_UDP);
    CHECK_EQ_INT(q.transport_offset, 28);
    CHECK_EQ_INT(q.src_port, CLIENT_PORT);
    CHECK_EQ_INT(q.dst_port, DNS_PORT);
    CHECK(q.has_udp_fields);
    CHECK_EQ_INT(q.udp_length, 41);
    CHECK_EQ_INT(q.udp_checksum, 0xBEEF);
    CHECK(!q.has_tcp_fields);
    CHECK_EQ_INT(q.payload_offset, 36);
    CHECK_EQ_INT(q.payload_len, 33);
    CHECK_EQ_INT(q.payload_declared, 33);
}

static void test_v4_time_exceeded_and_parameter_problem_are_followed(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 11, 0, 0);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.icmp_type, 11);
    CHECK_EQ_INT(q.dst_port, DNS_PORT);
    v4_error_quoting_query(&p, 12, 0, UINT32_C(0x0C000000)); /* pointer 12 */
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.icmp_rest, 0x0C000000);
    CHECK_EQ_INT(q.rfc4884_length, 0);
    CHECK(!q.rfc4884_length_bad);
}

static void test_v4_header_with_options_is_skipped(void)
{
    struct pb d, p;
    struct dnsfail_quote q;
    query_bytes(&d, PB_DNS_FLAGS_QUERY);
    pb_init(&p);
    pb_icmp(&p, 3, 3, 0);
    pb_ipv4(&p, 7, (uint16_t)(28 + 8 + d.len), 1, 0, 64, PB_PROTO_UDP, PB_V4_CLIENT, PB_V4_SERVER);
    pb_udp(&p, CLIENT_PORT, DNS_PORT, (uint16_t)(8 + d.len), 0x1111);
    pb_bytes(&p, d.b, d.len);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.ip_header_len, 28);
    CHECK_EQ_INT(q.transport_offset, 8 + 28);
    CHECK_EQ_INT(q.src_port, CLIENT_PORT);
    CHECK_EQ_INT(q.dst_port, DNS_PORT);
    CHECK_EQ_INT(q.udp_checksum, 0x1111);
    CHECK_EQ_INT(q.payload_offset, 8 + 28 + 8);
    CHECK_EQ_INT(q.payload_len, 33);
}

static void test_v4_ihl_below_five_is_bad_ip(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 3, 3, 0);
    p.b[8] = 0x44;
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_BAD_IP);
    p.b[8] = 0x40;
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_BAD_IP);
    CHECK_EQ_INT(q.src_port, 0);
}

static void test_v4_ihl_past_the_quote_is_cut_ip(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 3, 3, 0);
    p.b[8] = 0x4F;                             /* 60-byte header */
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, 8 + 28, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_CUT_IP);
    CHECK_EQ_INT(q.src_port, 0);
}

static void test_v4_quote_of_other_ip_version_is_bad_ip(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 3, 3, 0);
    p.b[8] = 0x65;
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_BAD_IP);
}

static void test_v4_non_first_fragment_has_no_ports(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 3, 3, 0);
    pb_patch_u16(&p, 8 + 6, 0x0001);           /* offset 8 bytes */
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_FRAGMENT);
    CHECK_EQ_INT(q.src_port, 0);
    CHECK_EQ_INT(q.ip_id, 0x1234);
    pb_patch_u16(&p, 8 + 6, 0x2001);           /* MF and an offset */
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_FRAGMENT);
}

static void test_v4_first_fragment_is_followed(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 3, 3, 0);
    pb_patch_u16(&p, 8 + 6, 0x2000);           /* MF, offset 0 */
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.dst_port, DNS_PORT);
}

static void test_v4_cut_inside_ip_header(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 3, 3, 0);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, 8 + 19, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_CUT_IP);
    CHECK_EQ_INT(q.quote_len, 19);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, 8, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_CUT_IP);
    CHECK_EQ_INT(q.quote_len, 0);
}

static void test_v4_cut_before_ports(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 3, 3, 0);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, 8 + 20, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_CUT_TRANSPORT);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, 8 + 23, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_CUT_TRANSPORT);
    CHECK_EQ_INT(q.src_port, 0);
    CHECK_EQ_INT(q.transport, DNSFAIL_TRANSPORT_UDP);
}

static void test_v4_ports_only_without_udp_length(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 3, 3, 0);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, 8 + 24, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.src_port, CLIENT_PORT);
    CHECK_EQ_INT(q.dst_port, DNS_PORT);
    CHECK(!q.has_udp_fields);
    CHECK_EQ_INT(q.payload_len, 0);
}

static void test_v4_cut_after_udp_header(void)
{
    /* RFC 792's minimum: the IP header and 8 bytes. */
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 3, 3, 0);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, 8 + 28, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK(q.has_udp_fields);
    CHECK_EQ_INT(q.udp_length, 41);
    CHECK_EQ_INT(q.payload_offset, 36);
    CHECK_EQ_INT(q.payload_len, 0);
    CHECK_EQ_INT(q.payload_declared, 33);
}

static void test_v4_padding_beyond_ip_total_length_is_ignored(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 3, 3, 0);
    pb_fill(&p, 0xEE, 20);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.quote_len, 61 + 20);
    CHECK_EQ_INT(q.payload_len, 33);
    CHECK_EQ_INT(q.payload_declared, 33);
}

static void test_v4_other_transport(void)
{
    struct pb p;
    struct dnsfail_quote q;
    pb_init(&p);
    pb_icmp(&p, 3, 1, 0);
    pb_ipv4(&p, 5, 28, 9, 0, 64, 1 /* ICMP */, PB_V4_CLIENT, PB_V4_SERVER);
    pb_icmp(&p, 8, 0, 0x00010001);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OTHER_TRANSPORT);
    CHECK_EQ_INT(q.transport, 1);
    CHECK_EQ_INT(q.src_port, 0);
}

/* ---- RFC 4884 ------------------------------------------------------------------ */

static void test_v4_rfc4884_length_marks_end_of_quote(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 3, 3, UINT32_C(32) << 16);  /* 32 words: 128 bytes */
    pb_fill(&p, 0, 8 + 128 - p.len);                       /* zero padding to 128 */
    pb_u32(&p, UINT32_C(0x20000000));                      /* extension header */
    pb_u32(&p, UINT32_C(0x00080101));                      /* an object */
    pb_u32(&p, UINT32_C(0xDEADBEEF));
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.rfc4884_length, 128);
    CHECK(!q.rfc4884_length_bad);
    CHECK_EQ_INT(q.quote_len, 128);
    CHECK_EQ_INT(q.payload_len, 33);
}

static void test_v4_rfc4884_length_beyond_message_is_bad(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 3, 3, UINT32_C(64) << 16);  /* 256 bytes, only 61 there */
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK(q.rfc4884_length_bad);
    CHECK_EQ_INT(q.rfc4884_length, 0);
    CHECK_EQ_INT(q.quote_len, 61);
    CHECK_EQ_INT(q.payload_len, 33);
}

static void test_v4_rfc4884_length_below_128_is_bad(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 11, 0, UINT32_C(10) << 16); /* 40 bytes: less than RFC 4884 allows */
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK(q.rfc4884_length_bad);
    CHECK_EQ_INT(q.rfc4884_length, 0);
    CHECK_EQ_INT(q.quote_len, 61);
}

static void test_v4_need_frag_mtu_is_not_an_rfc4884_length(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v4_error_quoting_query(&p, 3, 4, 576);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.icmp_rest & 0xFFFF, 576);
    CHECK_EQ_INT(q.rfc4884_length, 0);
    CHECK(!q.rfc4884_length_bad);
}

static void test_v6_rfc4884_length_in_8_byte_units(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v6_error_quoting_query(&p, 1, 4, UINT32_C(16) << 24);  /* 16 * 8 = 128 bytes */
    pb_fill(&p, 0, 8 + 128 - p.len);
    pb_u32(&p, UINT32_C(0x20000000));
    pb_u32(&p, UINT32_C(0x00040101));
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.rfc4884_length, 128);
    CHECK(!q.rfc4884_length_bad);
    CHECK_EQ_INT(q.quote_len, 128);
    CHECK_EQ_INT(q.payload_len, 33);
}

static void test_v6_packet_too_big_mtu_is_not_an_rfc4884_length(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v6_error_quoting_query(&p, 2, 0, UINT32_C(0x10000500));
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.icmp_rest, 0x10000500);
    CHECK_EQ_INT(q.rfc4884_length, 0);
    CHECK(!q.rfc4884_length_bad);
    CHECK_EQ_INT(q.quote_len, p.len - 8);
}

/* ---- ICMPv6 quoting IPv6 ------------------------------------------------------- */

static void test_v6_port_unreachable_whole_query(void)
{
    struct pb p;
    struct dnsfail_quote q;
    struct dnsfail_addr a;

    v6_error_quoting_query(&p, 1, 4, 0);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.icmp_version, DNSFAIL_ICMPV6);
    CHECK_EQ_INT(q.ip_version, 6);
    CHECK_EQ_INT(q.ip_header_len, 40);
    CHECK_EQ_INT(q.ipv6_ext_headers, 0);
    CHECK_EQ_INT(q.ip_total_len, 40 + 8 + 33);
    CHECK(!q.has_ip_id);
    CHECK_EQ_INT(q.ip_ttl, 64);
    dnsfail_addr_set_ipv6(&a, PB_V6_CLIENT);
    CHECK(dnsfail_addr_equal(&q.src, &a));
    dnsfail_addr_set_ipv6(&a, PB_V6_SERVER);
    CHECK(dnsfail_addr_equal(&q.dst, &a));
    CHECK_EQ_INT(q.transport_offset, 48);
    CHECK_EQ_INT(q.dst_port, DNS_PORT);
    CHECK_EQ_INT(q.udp_length, 41);
    CHECK_EQ_INT(q.payload_offset, 56);
    CHECK_EQ_INT(q.payload_len, 33);
}

static void test_v6_cut_inside_header_and_wrong_version(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v6_error_quoting_query(&p, 1, 4, 0);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, 8 + 39, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_CUT_IP);
    p.b[8] = 0x45;
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_BAD_IP);
}

static void test_v6_hop_by_hop_dest_opts_first_fragment_chain(void)
{
    struct pb d, p;
    struct dnsfail_quote q;
    query_bytes(&d, PB_DNS_FLAGS_QUERY);
    pb_init(&p);
    pb_icmp(&p, 1, 4, 0);
    pb_ipv6(&p, (uint16_t)(8 + 16 + 8 + 8 + d.len), 0 /* hop-by-hop */, 64, PB_V6_CLIENT, PB_V6_SERVER);
    pb_ipv6_ext(&p, 60, 0);                    /* hop-by-hop, 8 bytes, then dest opts */
    pb_ipv6_ext(&p, 44, 1);                    /* dest opts, 16 bytes, then fragment */
    pb_ipv6_frag(&p, PB_PROTO_UDP, 0, 1, 0xCAFE);
    pb_udp(&p, CLIENT_PORT, DNS_PORT, (uint16_t)(8 + d.len), 0x2222);
    pb_bytes(&p, d.b, d.len);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.ipv6_ext_headers, 3);
    CHECK_EQ_INT(q.ip_header_len, 40 + 8 + 16 + 8);
    CHECK_EQ_INT(q.transport, DNSFAIL_TRANSPORT_UDP);
    CHECK_EQ_INT(q.transport_offset, 8 + 72);
    CHECK_EQ_INT(q.src_port, CLIENT_PORT);
    CHECK_EQ_INT(q.dst_port, DNS_PORT);
    CHECK_EQ_INT(q.udp_checksum, 0x2222);
    CHECK_EQ_INT(q.payload_len, 33);
}

static void test_v6_authentication_header_length_in_4_byte_units(void)
{
    struct pb d, p;
    struct dnsfail_quote q;
    query_bytes(&d, PB_DNS_FLAGS_QUERY);
    pb_init(&p);
    pb_icmp(&p, 1, 4, 0);
    pb_ipv6(&p, (uint16_t)(24 + 8 + d.len), 51, 64, PB_V6_CLIENT, PB_V6_SERVER);
    pb_u8(&p, PB_PROTO_UDP);
    pb_u8(&p, 4);                              /* (4 + 2) * 4 = 24 bytes */
    pb_fill(&p, 0, 22);
    pb_udp(&p, CLIENT_PORT, DNS_PORT, (uint16_t)(8 + d.len), 0);
    pb_bytes(&p, d.b, d.len);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.ip_header_len, 64);
    CHECK_EQ_INT(q.dst_port, DNS_PORT);
}

static void test_v6_non_first_fragment_has_no_ports(void)
{
    struct pb p;
    struct dnsfail_quote q;
    pb_init(&p);
    pb_icmp(&p, 3, 1, 0);
    pb_ipv6(&p, 8 + 32, 44, 64, PB_V6_CLIENT, PB_V6_SERVER);
    pb_ipv6_frag(&p, PB_PROTO_UDP, 185, 0, 0xCAFE);
    pb_fill(&p, 0x35, 32);                     /* looks like ports 0x3535 if misread */
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_FRAGMENT);
    CHECK_EQ_INT(q.transport, DNSFAIL_TRANSPORT_UDP);
    CHECK_EQ_INT(q.ipv6_ext_headers, 1);
    CHECK_EQ_INT(q.ip_header_len, 48);
    CHECK_EQ_INT(q.src_port, 0);
}

static void test_v6_extension_header_8_bytes_longer_than_quote_is_cut_ip(void)
{
    struct pb p;
    struct dnsfail_quote q;
    pb_init(&p);
    pb_icmp(&p, 1, 4, 0);
    pb_ipv6(&p, 100, 60, 64, PB_V6_CLIENT, PB_V6_SERVER);
    pb_ipv6_ext(&p, PB_PROTO_UDP, 1);          /* 16 bytes ... */
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len - 8, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_CUT_IP); /* ... 8 quoted */
    CHECK_EQ_INT(q.src_port, 0);
}

/* IPv6 + n destination-options headers of 8 bytes + UDP + query. */
static void v6_chain(struct pb *p, unsigned n)
{
    struct pb d;
    query_bytes(&d, PB_DNS_FLAGS_QUERY);
    pb_init(p);
    pb_icmp(p, 1, 4, 0);
    pb_ipv6(p, (uint16_t)(8 * n + 8 + d.len), n ? 60 : PB_PROTO_UDP, 64, PB_V6_CLIENT, PB_V6_SERVER);
    for (unsigned i = 0; i < n; i++)
        pb_ipv6_ext(p, i + 1 < n ? 60 : PB_PROTO_UDP, 0);
    pb_udp(p, CLIENT_PORT, DNS_PORT, (uint16_t)(8 + d.len), 0);
    pb_bytes(p, d.b, d.len);
}

static void test_v6_chain_of_16_headers_is_followed(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v6_chain(&p, DNSFAIL_IPV6_MAX_EXT_HEADERS);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.ipv6_ext_headers, 16);
    CHECK_EQ_INT(q.ip_header_len, 40 + 16 * 8);
    CHECK_EQ_INT(q.dst_port, DNS_PORT);
}

static void test_v6_chain_longer_than_16_is_bad_ip(void)
{
    struct pb p;
    struct dnsfail_quote q;
    v6_chain(&p, DNSFAIL_IPV6_MAX_EXT_HEADERS + 1);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_BAD_IP);
    CHECK_EQ_INT(q.src_port, 0);
}

static void test_v6_chain_running_out_of_the_quote_is_cut_ip(void)
{
    struct pb p;
    struct dnsfail_quote q;
    pb_init(&p);
    pb_icmp(&p, 1, 4, 0);
    pb_ipv6(&p, 200, 0, 64, PB_V6_CLIENT, PB_V6_SERVER);
    pb_u8(&p, PB_PROTO_UDP);
    pb_u8(&p, 4);                              /* 40 bytes claimed */
    pb_fill(&p, 0, 14);                        /* 16 quoted */
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_CUT_IP);
    /* The quote ends right after the IPv6 header, which announces hop-by-hop. */
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, 8 + 40, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_CUT_IP);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, 8 + 41, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_CUT_IP);
}

static void test_v6_fragment_header_cut_is_cut_ip(void)
{
    struct pb p;
    struct dnsfail_quote q;
    pb_init(&p);
    pb_icmp(&p, 1, 4, 0);
    pb_ipv6(&p, 100, 44, 64, PB_V6_CLIENT, PB_V6_SERVER);
    pb_ipv6_frag(&p, PB_PROTO_UDP, 0, 1, 1);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len - 1, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_CUT_IP);
}

static void test_v6_other_transport(void)
{
    struct pb p;
    struct dnsfail_quote q;
    pb_init(&p);
    pb_icmp(&p, 1, 0, 0);
    pb_ipv6(&p, 8, 58, 64, PB_V6_CLIENT, PB_V6_SERVER);
    pb_icmp(&p, 128, 0, 1);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_OTHER_TRANSPORT);
    CHECK_EQ_INT(q.transport, 58);
    p.b[8 + 6] = 59;                           /* no next header */
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q), DNSFAIL_QUOTE_OTHER_TRANSPORT);
}

/* ---- TCP ---------------------------------------------------------------------- */

static void test_tcp_quote_without_payload(void)
{
    struct pb p;
    struct dnsfail_quote q;
    pb_init(&p);
    pb_icmp(&p, 3, 3, 0);
    pb_ipv4(&p, 5, 40, 7, 0x4000, 64, PB_PROTO_TCP, PB_V4_CLIENT, PB_V4_SERVER);
    pb_tcp(&p, CLIENT_PORT, DNS_PORT, UINT32_C(0x11223344), 0x02 /* SYN */, 5);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.transport, DNSFAIL_TRANSPORT_TCP);
    CHECK(q.has_tcp_fields);
    CHECK(!q.has_udp_fields);
    CHECK_EQ_INT(q.tcp_seq, 0x11223344);
    CHECK_EQ_INT(q.tcp_flags, 0x02);
    CHECK_EQ_INT(q.payload_offset, 8 + 40);
    CHECK_EQ_INT(q.payload_len, 0);
    CHECK_EQ_INT(q.payload_declared, 0);
}

static void tcp_error_with_dns(struct pb *p, uint16_t length_prefix)
{
    struct pb d;
    query_bytes(&d, PB_DNS_FLAGS_QUERY);
    pb_init(p);
    pb_icmp(p, 3, 3, 0);
    pb_ipv4(p, 5, (uint16_t)(20 + 32 + 2 + d.len), 7, 0x4000, 64, PB_PROTO_TCP, PB_V4_CLIENT, PB_V4_SERVER);
    pb_tcp(p, CLIENT_PORT, DNS_PORT, 1000, 0x18 /* PSH ACK */, 8);  /* 12 bytes of options */
    pb_u16(p, length_prefix);
    pb_bytes(p, d.b, d.len);
}

static void test_tcp_quote_with_payload_after_options(void)
{
    struct pb p;
    struct dnsfail_quote q;
    tcp_error_with_dns(&p, 33);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.tcp_flags, 0x18);
    CHECK_EQ_INT(q.payload_offset, 8 + 20 + 32);
    CHECK_EQ_INT(q.payload_len, 2 + 33);
    CHECK_EQ_INT(q.payload_declared, 2 + 33);
}

static void test_tcp_quote_of_8_bytes_has_ports_only(void)
{
    struct pb p;
    struct dnsfail_quote q;
    tcp_error_with_dns(&p, 33);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, 8 + 28, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.dst_port, DNS_PORT);
    CHECK(!q.has_tcp_fields);
    CHECK_EQ_INT(q.payload_len, 0);
}

/* ---- dnsfail_quote_find_dns ----------------------------------------------------- */

static void test_find_dns_query_to_server(void)
{
    struct pb p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();
    char text[DNSFAIL_NAME_TEXT_MAX];

    v4_error_quoting_query(&p, 3, 3, 0);
    dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q);
    CHECK(dnsfail_quote_find_dns(p.b, p.len, &q, &ports, &dns));
    CHECK_EQ_INT(dns.role, DNSFAIL_ROLE_QUERY);
    CHECK(!dns.tcp);
    CHECK_EQ_INT(dns.dns_offset, 36);
    CHECK(!dns.question_cut);
    CHECK_EQ_INT(dns.msg.id, QUERY_ID);
    CHECK_EQ_INT(dns.msg.question_status, DNSFAIL_QUESTION_OK);
    CHECK_EQ_INT(dns.msg.qtype, PB_TYPE_A);
    dnsfail_dns_name_format(&dns.msg.qname, text, sizeof text);
    CHECK_STR_EQ(text, "www.example.com");
}

static void test_find_dns_response_to_client(void)
{
    struct pb d, p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();

    query_bytes(&d, PB_DNS_FLAGS_RESPONSE);
    pb_init(&p);
    pb_icmp4_udp(&p, 3, 3, 0, PB_V4_SERVER, PB_V4_CLIENT, DNS_PORT, CLIENT_PORT, d.b, d.len);
    dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q);
    CHECK(dnsfail_quote_find_dns(p.b, p.len, &q, &ports, &dns));
    CHECK_EQ_INT(dns.role, DNSFAIL_ROLE_RESPONSE);
    CHECK(dnsfail_dns_is_response(&dns.msg));
}

static void test_find_dns_neither_port_is_dns(void)
{
    struct pb d, p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();

    query_bytes(&d, PB_DNS_FLAGS_QUERY);
    pb_init(&p);
    pb_icmp4_udp(&p, 3, 3, 0, PB_V4_CLIENT, PB_V4_SERVER, CLIENT_PORT, 8080, d.b, d.len);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    memset(&dns, 0xAA, sizeof dns);
    CHECK(!dnsfail_quote_find_dns(p.b, p.len, &q, &ports, &dns));
    CHECK_EQ_INT(dns.role, DNSFAIL_ROLE_NONE);
}

static void test_find_dns_follows_the_configured_ports(void)
{
    struct pb p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports;

    dnsfail_port_set_clear(&ports);
    dnsfail_port_set_add_range(&ports, 5300, 5400);
    v4_error_quoting_query(&p, 3, 3, 0);
    dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q);
    CHECK(!dnsfail_quote_find_dns(p.b, p.len, &q, &ports, &dns));
    dnsfail_port_set_add_range(&ports, 53, 53);
    CHECK(dnsfail_quote_find_dns(p.b, p.len, &q, &ports, &dns));
}

static void test_find_dns_both_ports_dns_decided_by_qr(void)
{
    struct pb d, p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();

    query_bytes(&d, PB_DNS_FLAGS_QUERY);
    pb_init(&p);
    pb_icmp4_udp(&p, 3, 3, 0, PB_V4_OTHER, PB_V4_SERVER, DNS_PORT, DNS_PORT, d.b, d.len);
    dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q);
    CHECK(dnsfail_quote_find_dns(p.b, p.len, &q, &ports, &dns));
    CHECK_EQ_INT(dns.role, DNSFAIL_ROLE_QUERY);

    query_bytes(&d, PB_DNS_FLAGS_RESPONSE);
    pb_init(&p);
    pb_icmp4_udp(&p, 3, 3, 0, PB_V4_SERVER, PB_V4_OTHER, DNS_PORT, DNS_PORT, d.b, d.len);
    dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q);
    CHECK(dnsfail_quote_find_dns(p.b, p.len, &q, &ports, &dns));
    CHECK_EQ_INT(dns.role, DNSFAIL_ROLE_RESPONSE);

    /* mDNS to mDNS, an answer */
    pb_init(&p);
    pb_icmp4_udp(&p, 3, 3, 0, PB_V4_SERVER, PB_V4_OTHER, MDNS_PORT, MDNS_PORT, d.b, d.len);
    dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q);
    CHECK(dnsfail_quote_find_dns(p.b, p.len, &q, &ports, &dns));
    CHECK_EQ_INT(dns.role, DNSFAIL_ROLE_RESPONSE);
}

static void test_find_dns_both_ports_dns_without_header_is_query(void)
{
    struct pb d, p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();

    query_bytes(&d, PB_DNS_FLAGS_RESPONSE);
    pb_init(&p);
    pb_icmp4_udp(&p, 3, 3, 0, PB_V4_SERVER, PB_V4_OTHER, DNS_PORT, DNS_PORT, d.b, d.len);
    dnsfail_quote_parse(p.b, 8 + 28 + 4, DNSFAIL_ICMPV4, &q);  /* id and flags only */
    CHECK(dnsfail_quote_find_dns(p.b, 8 + 28 + 4, &q, &ports, &dns));
    CHECK(!dns.msg.has_header);
    CHECK_EQ_INT(dns.role, DNSFAIL_ROLE_QUERY);
}

static void test_find_dns_question_cut_when_udp_length_says_more(void)
{
    struct pb p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();
    size_t len = 8 + 28 + 4;                   /* IP + UDP + 4 bytes of DNS */

    v4_error_quoting_query(&p, 3, 3, 0);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK(dnsfail_quote_find_dns(p.b, len, &q, &ports, &dns));
    CHECK(dns.question_cut);
    CHECK(dns.msg.has_id);
    CHECK_EQ_INT(dns.msg.id, QUERY_ID);
    CHECK_EQ_INT(dns.msg.question_status, DNSFAIL_QUESTION_ABSENT);

    len = 8 + 28 + 12 + 6;                     /* header and part of the name */
    dnsfail_quote_parse(p.b, len, DNSFAIL_ICMPV4, &q);
    CHECK(dnsfail_quote_find_dns(p.b, len, &q, &ports, &dns));
    CHECK(dns.question_cut);
    CHECK_EQ_INT(dns.msg.question_status, DNSFAIL_QUESTION_CUT);
}

static void test_find_dns_question_cut_from_udp_length_when_ip_length_is_zero(void)
{
    /* Some stacks quote a mangled IP total length; the UDP length still tells. */
    struct pb p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();
    size_t len = 8 + 28 + 4;

    v4_error_quoting_query(&p, 3, 3, 0);
    pb_patch_u16(&p, 8 + 2, 0);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.payload_declared, 33);
    CHECK(dnsfail_quote_find_dns(p.b, len, &q, &ports, &dns));
    CHECK(dns.question_cut);
}

static void test_find_dns_no_question_cut_when_the_datagram_itself_is_short(void)
{
    /* The whole datagram is quoted; its DNS message just has no question bytes. */
    struct pb d, p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();

    pb_init(&d);
    pb_dns_header(&d, QUERY_ID, PB_DNS_FLAGS_QUERY, 1, 0, 0, 0);
    pb_init(&p);
    pb_icmp4_udp(&p, 3, 3, 0, PB_V4_CLIENT, PB_V4_SERVER, CLIENT_PORT, DNS_PORT, d.b, d.len);
    dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q);
    CHECK(dnsfail_quote_find_dns(p.b, p.len, &q, &ports, &dns));
    CHECK_EQ_INT(dns.msg.question_status, DNSFAIL_QUESTION_ABSENT);
    CHECK(!dns.question_cut);
}

static void test_find_dns_quote_cut_inside_udp_header_is_question_cut(void)
{
    /* 4 of the 8 UDP header bytes: the ports, but neither length nor DNS. */
    struct pb p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();
    size_t len = 8 + 20 + 4;

    v4_error_quoting_query(&p, 3, 3, 0);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK(!q.has_udp_fields);
    CHECK_EQ_INT(q.payload_len, 0);
    CHECK_EQ_INT(q.payload_declared, 33); /* IP total length less both headers, not the unseen UDP bytes */
    CHECK(dnsfail_quote_find_dns(p.b, len, &q, &ports, &dns));
    CHECK(dns.question_cut);
}

static void test_find_dns_empty_udp_payload_cut_inside_udp_header_is_not_cut(void)
{
    struct pb d, p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();

    pb_init(&d);
    pb_init(&p);
    pb_icmp4_udp(&p, 3, 3, 0, PB_V4_CLIENT, PB_V4_SERVER, CLIENT_PORT, DNS_PORT, d.b, 0);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, 8 + 20 + 4, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_OK);
    CHECK_EQ_INT(q.payload_declared, 0);
    CHECK(dnsfail_quote_find_dns(p.b, 8 + 20 + 4, &q, &ports, &dns));
    CHECK(!dns.question_cut);
}

static void test_find_dns_ignores_rfc4884_padding(void)
{
    struct pb p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();

    v4_error_quoting_query(&p, 3, 3, UINT32_C(32) << 16);
    pb_fill(&p, 0, 8 + 128 - p.len);
    pb_u32(&p, UINT32_C(0x20000000));
    dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q);
    CHECK(dnsfail_quote_find_dns(p.b, p.len, &q, &ports, &dns));
    CHECK_EQ_INT(dns.msg.length, 33);
    CHECK_EQ_INT(dns.msg.question_status, DNSFAIL_QUESTION_OK);
}

static void test_find_dns_rejects_quote_without_ports(void)
{
    struct pb p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();

    v4_error_quoting_query(&p, 3, 3, 0);
    pb_patch_u16(&p, 8 + 6, 0x0001);
    CHECK_EQ_INT(dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q), DNSFAIL_QUOTE_FRAGMENT);
    CHECK(!dnsfail_quote_find_dns(p.b, p.len, &q, &ports, &dns));
    CHECK_EQ_INT(dns.role, DNSFAIL_ROLE_NONE);
}

static void test_find_dns_over_tcp_skips_length_prefix(void)
{
    struct pb p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();

    tcp_error_with_dns(&p, 33);
    dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q);
    CHECK(dnsfail_quote_find_dns(p.b, p.len, &q, &ports, &dns));
    CHECK(dns.tcp);
    CHECK(dns.has_tcp_length);
    CHECK_EQ_INT(dns.tcp_length, 33);
    CHECK_EQ_INT(dns.dns_offset, 8 + 20 + 32 + 2);
    CHECK_EQ_INT(dns.role, DNSFAIL_ROLE_QUERY);
    CHECK_EQ_INT(dns.msg.id, QUERY_ID);
    CHECK_EQ_INT(dns.msg.question_status, DNSFAIL_QUESTION_OK);
    CHECK(!dns.question_cut);
}

static void test_find_dns_over_tcp_cut_message(void)
{
    struct pb p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();
    size_t len = 8 + 20 + 32 + 2 + 10;

    tcp_error_with_dns(&p, 33);
    dnsfail_quote_parse(p.b, len, DNSFAIL_ICMPV4, &q);
    CHECK(dnsfail_quote_find_dns(p.b, len, &q, &ports, &dns));
    CHECK_EQ_INT(dns.tcp_length, 33);
    CHECK_EQ_INT(dns.msg.length, 10);
    CHECK(dns.question_cut);
}

static void test_find_dns_over_tcp_syn_has_no_message(void)
{
    struct pb p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();

    pb_init(&p);
    pb_icmp(&p, 3, 3, 0);
    pb_ipv4(&p, 5, 40, 7, 0x4000, 64, PB_PROTO_TCP, PB_V4_CLIENT, PB_V4_SERVER);
    pb_tcp(&p, CLIENT_PORT, DNS_PORT, 1, 0x02, 5);
    dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q);
    CHECK(dnsfail_quote_find_dns(p.b, p.len, &q, &ports, &dns));
    CHECK(dns.tcp);
    CHECK(!dns.has_tcp_length);
    CHECK(!dns.msg.has_id);
    CHECK_EQ_INT(dns.msg.question_status, DNSFAIL_QUESTION_ABSENT);
    CHECK(!dns.question_cut);
    CHECK_EQ_INT(dns.role, DNSFAIL_ROLE_QUERY);
}

static void test_find_dns_in_ipv6_quote(void)
{
    struct pb p;
    struct dnsfail_quote q;
    struct dnsfail_quoted_dns dns;
    struct dnsfail_port_set ports = dns_ports();

    v6_error_quoting_query(&p, 1, 4, 0);
    dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q);
    CHECK(dnsfail_quote_find_dns(p.b, p.len, &q, &ports, &dns));
    CHECK_EQ_INT(dns.role, DNSFAIL_ROLE_QUERY);
    CHECK_EQ_INT(dns.dns_offset, 56);
    CHECK_EQ_INT(dns.msg.question_status, DNSFAIL_QUESTION_OK);
}

int main(void)
{
    RUN_TEST(test_icmpv4_error_types);
    RUN_TEST(test_icmpv6_error_types);
    RUN_TEST(test_non_error_message_is_not_followed);
    RUN_TEST(test_message_shorter_than_icmp_header);
    RUN_TEST(test_v4_port_unreachable_whole_query);
    RUN_TEST(test_v4_time_exceeded_and_parameter_problem_are_followed);
    RUN_TEST(test_v4_header_with_options_is_skipped);
    RUN_TEST(test_v4_ihl_below_five_is_bad_ip);
    RUN_TEST(test_v4_ihl_past_the_quote_is_cut_ip);
    RUN_TEST(test_v4_quote_of_other_ip_version_is_bad_ip);
    RUN_TEST(test_v4_non_first_fragment_has_no_ports);
    RUN_TEST(test_v4_first_fragment_is_followed);
    RUN_TEST(test_v4_cut_inside_ip_header);
    RUN_TEST(test_v4_cut_before_ports);
    RUN_TEST(test_v4_ports_only_without_udp_length);
    RUN_TEST(test_v4_cut_after_udp_header);
    RUN_TEST(test_v4_padding_beyond_ip_total_length_is_ignored);
    RUN_TEST(test_v4_other_transport);
    RUN_TEST(test_v4_rfc4884_length_marks_end_of_quote);
    RUN_TEST(test_v4_rfc4884_length_beyond_message_is_bad);
    RUN_TEST(test_v4_rfc4884_length_below_128_is_bad);
    RUN_TEST(test_v4_need_frag_mtu_is_not_an_rfc4884_length);
    RUN_TEST(test_v6_rfc4884_length_in_8_byte_units);
    RUN_TEST(test_v6_packet_too_big_mtu_is_not_an_rfc4884_length);
    RUN_TEST(test_v6_port_unreachable_whole_query);
    RUN_TEST(test_v6_cut_inside_header_and_wrong_version);
    RUN_TEST(test_v6_hop_by_hop_dest_opts_first_fragment_chain);
    RUN_TEST(test_v6_authentication_header_length_in_4_byte_units);
    RUN_TEST(test_v6_non_first_fragment_has_no_ports);
    RUN_TEST(test_v6_extension_header_8_bytes_longer_than_quote_is_cut_ip);
    RUN_TEST(test_v6_chain_of_16_headers_is_followed);
    RUN_TEST(test_v6_chain_longer_than_16_is_bad_ip);
    RUN_TEST(test_v6_chain_running_out_of_the_quote_is_cut_ip);
    RUN_TEST(test_v6_fragment_header_cut_is_cut_ip);
    RUN_TEST(test_v6_other_transport);
    RUN_TEST(test_tcp_quote_without_payload);
    RUN_TEST(test_tcp_quote_with_payload_after_options);
    RUN_TEST(test_tcp_quote_of_8_bytes_has_ports_only);
    RUN_TEST(test_find_dns_query_to_server);
    RUN_TEST(test_find_dns_response_to_client);
    RUN_TEST(test_find_dns_neither_port_is_dns);
    RUN_TEST(test_find_dns_follows_the_configured_ports);
    RUN_TEST(test_find_dns_both_ports_dns_decided_by_qr);
    RUN_TEST(test_find_dns_both_ports_dns_without_header_is_query);
    RUN_TEST(test_find_dns_question_cut_when_udp_length_says_more);
    RUN_TEST(test_find_dns_question_cut_from_udp_length_when_ip_length_is_zero);
    RUN_TEST(test_find_dns_no_question_cut_when_the_datagram_itself_is_short);
    RUN_TEST(test_find_dns_quote_cut_inside_udp_header_is_question_cut);
    RUN_TEST(test_find_dns_empty_udp_payload_cut_inside_udp_header_is_not_cut);
    RUN_TEST(test_find_dns_ignores_rfc4884_padding);
    RUN_TEST(test_find_dns_rejects_quote_without_ports);
    RUN_TEST(test_find_dns_over_tcp_skips_length_prefix);
    RUN_TEST(test_find_dns_over_tcp_cut_message);
    RUN_TEST(test_find_dns_over_tcp_syn_has_no_message);
    RUN_TEST(test_find_dns_in_ipv6_quote);
    return check_finish();
}
