/* quote.c - an ICMP/ICMPv6 error message and the datagram it quotes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/quote.h"

#include <string.h>

#include "dnsfail/bytes.h"

enum {
    ICMP4_DEST_UNREACH = 3,
    ICMP4_TIME_EXCEEDED = 11,
    ICMP4_PARAM_PROBLEM = 12,
    ICMP6_DEST_UNREACH = 1,
    ICMP6_PACKET_TOO_BIG = 2,
    ICMP6_TIME_EXCEEDED = 3,
    ICMP6_PARAM_PROBLEM = 4,
    IPV4_MIN_HEADER = 20,
    IPV6_HEADER = 40,
    UDP_HEADER = 8,
    TCP_MIN_HEADER = 20,
    /* RFC 4884: a quote declared by the length field is at least 128 bytes long. */
    RFC4884_MIN_QUOTE = 128,
};

enum ipv6_next_header {
    IPV6_HOP_BY_HOP = 0,
    IPV6_ROUTING = 43,
    IPV6_FRAGMENT = 44,
    IPV6_AUTH = 51,
    IPV6_DEST_OPTS = 60,
    IPV6_MOBILITY = 135,
    IPV6_HIP = 139,
    IPV6_SHIM6 = 140,
};

bool dnsfail_icmp_is_error(uint8_t icmp_version, uint8_t type)
{
    if (icmp_version == DNSFAIL_ICMPV4)
        return type == ICMP4_DEST_UNREACH || type == ICMP4_TIME_EXCEEDED || type == ICMP4_PARAM_PROBLEM;
    if (icmp_version == DNSFAIL_ICMPV6)
        return type >= ICMP6_DEST_UNREACH && type <= ICMP6_PARAM_PROBLEM;
    return false;
}

/* RFC 4884 length of the original datagram in bytes, 0 when the field is unused. */
static uint32_t rfc4884_length(const struct dnsfail_quote *q)
{
    uint8_t b0 = (uint8_t)(q->icmp_rest >> 24);
    uint8_t b1 = (uint8_t)(q->icmp_rest >> 16);

    if (q->icmp_version == DNSFAIL_ICMPV4) {
        if (q->icmp_type == ICMP4_DEST_UNREACH || q->icmp_type == ICMP4_TIME_EXCEEDED ||
            q->icmp_type == ICMP4_PARAM_PROBLEM)
            return (uint32_t)b1 * 4u;
    } else if (q->icmp_type == ICMP6_DEST_UNREACH || q->icmp_type == ICMP6_TIME_EXCEEDED) {
        return (uint32_t)b0 * 8u;
    }
    return 0;
}

static enum dnsfail_quote_status finish(struct dnsfail_quote *q, enum dnsfail_quote_status status)
{
    q->status = (uint8_t)status;
    return status;
}

static enum dnsfail_quote_status parse_ipv4(const uint8_t *ip, size_t len, struct dnsfail_quote *q)
{
    if (len < IPV4_MIN_HEADER)
        return DNSFAIL_QUOTE_CUT_IP;
    if ((ip[0] >> 4) != 4)
        return DNSFAIL_QUOTE_BAD_IP;
    size_t ihl = (size_t)(ip[0] & 0x0Fu) * 4u;
    if (ihl < IPV4_MIN_HEADER)
        return DNSFAIL_QUOTE_BAD_IP;
    q->ip_version = 4;
    q->ip_total_len = dnsfail_read_u16(ip + 2);
    q->has_ip_id = true;
    q->ip_id = dnsfail_read_u16(ip + 4);
    q->ip_ttl = ip[8];
    q->transport = ip[9];
    dnsfail_addr_set_ipv4(&q->src, ip + 12);
    dnsfail_addr_set_ipv4(&q->dst, ip + 16);
    if (ihl > len)
        return DNSFAIL_QUOTE_CUT_IP;
    q->ip_header_len = (uint16_t)ihl;
    if ((dnsfail_read_u16(ip + 6) & 0x1FFFu) != 0)
        return DNSFAIL_QUOTE_FRAGMENT;
    return DNSFAIL_QUOTE_OK;
}

static enum dnsfail_quote_status parse_ipv6(const uint8_t *ip, size_t len, struct dnsfail_quote *q)
{
    if (len < IPV6_HEADER)
        return DNSFAIL_QUOTE_CUT_IP;
    if ((ip[0] >> 4) != 6)
        return DNSFAIL_QUOTE_BAD_IP;
    q->ip_version = 6;
    q->ip_total_len = (uint32_t)dnsfail_read_u16(ip + 4) + IPV6_HEADER;
    q->ip_ttl = ip[7];
    dnsfail_addr_set_ipv6(&q->src, ip + 8);
    dnsfail_addr_set_ipv6(&q->dst, ip + 24);

    uint8_t next = ip[6];
    size_t pos = IPV6_HEADER;
    for (;;) {
        size_t ext_len;
        switch (next) {
        case IPV6_HOP_BY_HOP:
        case IPV6_ROUTING:
        case IPV6_DEST_OPTS:
        case IPV6_MOBILITY:
        case IPV6_HIP:
        case IPV6_SHIM6:
            if (pos + 2 > len)
                return DNSFAIL_QUOTE_CUT_IP;
            ext_len = ((size_t)ip[pos + 1] + 1u) * 8u;
            break;
        case IPV6_AUTH:
            if (pos + 2 > len)
                return DNSFAIL_QUOTE_CUT_IP;
            ext_len = ((size_t)ip[pos + 1] + 2u) * 4u;
            break;
        case IPV6_FRAGMENT:
            if (pos + 8 > len)
                return DNSFAIL_QUOTE_CUT_IP;
            ext_len = 8;
            if ((dnsfail_read_u16(ip + pos + 2) & 0xFFF8u) != 0) {
                q->ipv6_ext_headers++;
                q->ip_header_len = (uint16_t)(pos + ext_len);
                q->transport = ip[pos];
                return DNSFAIL_QUOTE_FRAGMENT;
            }
            break;
        default:
            q->transport = next;
            q->ip_header_len = (uint16_t)pos;
            return DNSFAIL_QUOTE_OK;
        }
        if (++q->ipv6_ext_headers > DNSFAIL_IPV6_MAX_EXT_HEADERS)
            return DNSFAIL_QUOTE_BAD_IP;
        if (pos + ext_len > len)
            return DNSFAIL_QUOTE_CUT_IP;
        next = ip[pos];
        pos += ext_len;
    }
}

static enum dnsfail_quote_status parse_transport(const uint8_t *ip, size_t len, struct dnsfail_quote *q)
{
    size_t t = q->ip_header_len;
    /* Bytes the datagram really has, where padding (RFC 4884) or junk may follow. */
    size_t datagram_end = len;
    if (q->ip_total_len >= q->ip_header_len && q->ip_total_len < datagram_end)
        datagram_end = q->ip_total_len;

    if (q->transport != DNSFAIL_TRANSPORT_UDP && q->transport != DNSFAIL_TRANSPORT_TCP)
        return DNSFAIL_QUOTE_OTHER_TRANSPORT;
    if (t + 4 > datagram_end)
        return DNSFAIL_QUOTE_CUT_TRANSPORT;
    q->transport_offset = q->quote_offset + t;
    q->src_port = dnsfail_read_u16(ip + t);
    q->dst_port = dnsfail_read_u16(ip + t + 2);

    /* Where the payload starts, whether or not the quote reaches it. */
    size_t header_end = t + (q->transport == DNSFAIL_TRANSPORT_UDP ? UDP_HEADER : TCP_MIN_HEADER);
    size_t declared_end = q->ip_total_len;
    if (q->transport == DNSFAIL_TRANSPORT_UDP) {
        if (t + UDP_HEADER <= datagram_end) {
            q->has_udp_fields = true;
            q->udp_length = dnsfail_read_u16(ip + t + 4);
            q->udp_checksum = dnsfail_read_u16(ip + t + 6);
            if (q->udp_length >= UDP_HEADER)
                declared_end = t + q->udp_length;
        }
    } else if (t + 14 <= datagram_end) {
        q->has_tcp_fields = true;
        q->tcp_seq = dnsfail_read_u32(ip + t + 4);
        q->tcp_flags = ip[t + 13];
        size_t data_offset = (size_t)(ip[t + 12] >> 4) * 4u;
        if (data_offset >= TCP_MIN_HEADER)
            header_end = t + data_offset;
    }
    size_t payload = header_end < datagram_end ? header_end : datagram_end;
    q->payload_offset = q->quote_offset + payload;
    q->payload_len = datagram_end - payload;
    q->payload_declared = declared_end > header_end ? declared_end - header_end : 0;
    return DNSFAIL_QUOTE_OK;
}

enum dnsfail_quote_status dnsfail_quote_parse(const uint8_t *icmp, size_t len, uint8_t icmp_version,
                                              struct dnsfail_quote *q)
{
    memset(q, 0, sizeof *q);
    q->icmp_version = icmp_version;
    if (len < DNSFAIL_ICMP_HEADER_LEN)
        return finish(q, DNSFAIL_QUOTE_NOT_ERROR);
    q->icmp_type = icmp[0];
    q->icmp_code = icmp[1];
    q->icmp_rest = dnsfail_read_u32(icmp + 4);
    if (!dnsfail_icmp_is_error(icmp_version, q->icmp_type))
        return finish(q, DNSFAIL_QUOTE_NOT_ERROR);

    q->quote_offset = DNSFAIL_ICMP_HEADER_LEN;
    q->quote_len = len - DNSFAIL_ICMP_HEADER_LEN;
    uint32_t declared = rfc4884_length(q);
    if (declared != 0) {
        if (declared <= q->quote_len && declared >= RFC4884_MIN_QUOTE) {
            q->rfc4884_length = declared;
            q->quote_len = declared;
        } else {
            q->rfc4884_length_bad = true;
        }
    }

    const uint8_t *ip = icmp + q->quote_offset;
    enum dnsfail_quote_status status = icmp_version == DNSFAIL_ICMPV4 ? parse_ipv4(ip, q->quote_len, q)
                                                                       : parse_ipv6(ip, q->quote_len, q);
    if (status != DNSFAIL_QUOTE_OK)
        return finish(q, status);
    return finish(q, parse_transport(ip, q->quote_len, q));
}

static enum dnsfail_role pick_role(const struct dnsfail_quote *q, const struct dnsfail_port_set *ports,
                                   const struct dnsfail_dns_message *msg)
{
    bool to_dns = dnsfail_port_set_has(ports, q->dst_port);
    bool from_dns = dnsfail_port_set_has(ports, q->src_port);

    if (to_dns && from_dns)
        return dnsfail_dns_is_response(msg) ? DNSFAIL_ROLE_RESPONSE : DNSFAIL_ROLE_QUERY;
    if (to_dns)
        return DNSFAIL_ROLE_QUERY;
    if (from_dns)
        return DNSFAIL_ROLE_RESPONSE;
    return DNSFAIL_ROLE_NONE;
}

bool dnsfail_quote_find_dns(const uint8_t *icmp, size_t len, const struct dnsfail_quote *q,
                            const struct dnsfail_port_set *ports, struct dnsfail_quoted_dns *out)
{
    memset(out, 0, sizeof *out);
    if (q->status != DNSFAIL_QUOTE_OK || q->payload_offset > len)
        return false;
    if (!dnsfail_port_set_has(ports, q->dst_port) && !dnsfail_port_set_has(ports, q->src_port))
        return false;

    size_t offset = q->payload_offset;
    size_t avail = q->payload_len;
    size_t declared = q->payload_declared;
    if (offset + avail > len)
        avail = len - offset;
    if (q->transport == DNSFAIL_TRANSPORT_TCP) {
        out->tcp = true;
        if (avail >= 2) {
            out->has_tcp_length = true;
            out->tcp_length = dnsfail_read_u16(icmp + offset);
        }
        /* A quoted SYN or bare ACK carries no message at all. */
        size_t skip = avail < 2 ? avail : 2;
        offset += skip;
        avail -= skip;
        /* Without the prefix, all we know is whether the segment carried data at all. */
        declared = out->has_tcp_length ? out->tcp_length : (declared > 2 ? declared - 2 : declared);
    }
    out->dns_offset = offset;
    dnsfail_dns_parse(icmp + offset, avail, &out->msg);
    out->role = (uint8_t)pick_role(q, ports, &out->msg);
    /* Cut: the datagram had DNS bytes (or a question) the quote does not show. */
    bool question_missing = out->msg.question_status == DNSFAIL_QUESTION_ABSENT ||
                            out->msg.question_status == DNSFAIL_QUESTION_CUT;
    out->question_cut = question_missing && declared > avail;
    return true;
}
