/* quote.h - parsing an ICMP or ICMPv6 error message and the datagram it quotes.
 *
 * The input is the ICMP message as captured (type byte first). Every read is
 * bounds-checked; the parser never trusts a length field further than the bytes given.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_QUOTE_H
#define DNSFAIL_QUOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnsfail/addr.h"
#include "dnsfail/dns_message.h"
#include "dnsfail/flow.h"
#include "dnsfail/port_set.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DNSFAIL_ICMP_HEADER_LEN 8
#define DNSFAIL_IPV6_MAX_EXT_HEADERS 16 /* longer chains are treated as malformed */

enum dnsfail_icmp_version {
    DNSFAIL_ICMPV4 = 4,
    DNSFAIL_ICMPV6 = 6,
};

/* How far the quote could be followed. Only DNSFAIL_QUOTE_OK has transport ports. */
enum dnsfail_quote_status {
    DNSFAIL_QUOTE_NOT_ERROR = 0,      /* not an error message type (echo, ND, ...) */
    DNSFAIL_QUOTE_CUT_IP,             /* the quote ends inside the quoted IP header(s) */
    DNSFAIL_QUOTE_BAD_IP,             /* wrong IP version, IHL < 5, extension chain too long */
    DNSFAIL_QUOTE_FRAGMENT,           /* a non-first fragment: no transport header in it */
    DNSFAIL_QUOTE_OTHER_TRANSPORT,    /* neither UDP nor TCP (ICMP, ESP, ...) */
    DNSFAIL_QUOTE_CUT_TRANSPORT,      /* UDP/TCP, but the quote ends before the ports */
    DNSFAIL_QUOTE_OK,
};

struct dnsfail_quote {
    /* The ICMP message itself. */
    uint8_t icmp_version;          /* enum dnsfail_icmp_version */
    uint8_t icmp_type;
    uint8_t icmp_code;
    uint32_t icmp_rest;            /* the 4 bytes after the checksum (pointer, MTU, length) */
    uint32_t rfc4884_length;       /* original-datagram length in bytes from RFC 4884, or 0 */
    bool rfc4884_length_bad;       /* the length field claims more than the message holds */

    /* The quoted datagram: bytes [quote_offset, quote_offset + quote_len) of the message. */
    uint8_t status;                /* enum dnsfail_quote_status */
    size_t quote_offset;
    size_t quote_len;
    uint8_t ip_version;
    uint16_t ip_header_len;        /* IPv4 header with options, or IPv6 + extension headers */
    uint8_t ipv6_ext_headers;      /* how many IPv6 extension headers were walked */
    uint32_t ip_total_len;         /* as declared by the quoted header */
    bool has_ip_id;                /* IPv4 identification, part of a datagram's fingerprint */
    uint16_t ip_id;
    uint8_t ip_ttl;                /* TTL or hop limit */
    struct dnsfail_addr src;
    struct dnsfail_addr dst;
    uint8_t transport;             /* IP protocol number after the extension headers */

    /* Transport header (status OK). */
    size_t transport_offset;
    uint16_t src_port;
    uint16_t dst_port;
    bool has_udp_fields;           /* UDP length and checksum were quoted */
    uint16_t udp_length;
    uint16_t udp_checksum;
    bool has_tcp_fields;
    uint32_t tcp_seq;
    uint8_t tcp_flags;

    /* Transport payload present in the quote, and how long the datagram says it is. */
    size_t payload_offset;
    size_t payload_len;
    size_t payload_declared;
};

/* True for the error types this project follows: ICMPv4 3, 11, 12; ICMPv6 1, 2, 3, 4. */
bool dnsfail_icmp_is_error(uint8_t icmp_version, uint8_t type);

/* Parses the ICMP message and follows its quote as far as the bytes allow. Returns the
 * status (also stored in q->status). */
enum dnsfail_quote_status dnsfail_quote_parse(const uint8_t *icmp, size_t len, uint8_t icmp_version,
                                              struct dnsfail_quote *q);

/* Which side of the quoted datagram the DNS service is on. */
enum dnsfail_role {
    DNSFAIL_ROLE_NONE = 0,         /* neither port is a DNS port: not DNS */
    DNSFAIL_ROLE_QUERY,            /* client to server: a query (or an unknown message to the server) */
    DNSFAIL_ROLE_RESPONSE,         /* server to client: an answer that could not be delivered */
};

struct dnsfail_quoted_dns {
    uint8_t role;                  /* enum dnsfail_role */
    bool tcp;                      /* DNS over TCP (RFC 7766): a 2-byte length prefix per message */
    bool has_tcp_length;
    uint16_t tcp_length;
    size_t dns_offset;             /* offset of the DNS message in the ICMP message */
    bool question_cut;             /* the quote ends before the question does */
    struct dnsfail_dns_message msg;
};

/* Decides whether an OK quote carries DNS according to ports, and decodes the DNS
 * message it holds. Returns false (role NONE) when it is not DNS. When both ports are
 * DNS ports (53 to 53, mDNS 5353 to 5353) the QR bit decides, and a quote without a
 * header is taken to be a query. */
bool dnsfail_quote_find_dns(const uint8_t *icmp, size_t len, const struct dnsfail_quote *q,
                            const struct dnsfail_port_set *ports, struct dnsfail_quoted_dns *out);

#ifdef __cplusplus
}
#endif

#endif
