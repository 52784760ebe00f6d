/* reason.c - ICMP errors and failing RCODEs in tcpdump's words, Extended DNS Error
 * names, and which likely cause each one has (the causes' words and remedies are in
 * diagnosis.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/reason.h"

#include <stdio.h>

#include "dnsfail/text.h"

static const char *transport_word(const struct dnsfail_quote *q)
{
    return q->transport == DNSFAIL_TRANSPORT_TCP ? "tcp" : "udp";
}

/* a, b and c into buf: the phrases of the common failures without snprintf, whose format
 * parsing costs more than the rest of a failure's Info note. */
static void put3(char *buf, size_t size, const char *a, const char *b, const char *c)
{
    struct dnsfail_text t;
    dnsfail_text_init(&t, buf, size);
    dnsfail_text_put(&t, a);
    dnsfail_text_put(&t, b);
    dnsfail_text_put(&t, c);
}

static void put1(char *buf, size_t size, const char *text)
{
    put3(buf, size, text, "", "");
}

/* "udp port 53 unreachable" */
static void put_port_unreachable(const struct dnsfail_quote *q, char *buf, size_t size)
{
    struct dnsfail_text t;
    dnsfail_text_init(&t, buf, size);
    dnsfail_text_put(&t, transport_word(q));
    dnsfail_text_put(&t, " port ");
    dnsfail_text_put_uint(&t, q->dst_port);
    dnsfail_text_put(&t, " unreachable");
}

static void format_icmpv4(const struct dnsfail_quote *q, const char *dst, char *buf, size_t size)
{
    unsigned code = q->icmp_code;
    unsigned mtu = q->icmp_rest & 0xFFFFu;

    if (q->icmp_type == 11) {
        if (code == 0)
            snprintf(buf, size, "time exceeded in-transit");
        else if (code == 1)
            snprintf(buf, size, "ip reassembly time exceeded");
        else
            snprintf(buf, size, "time exceeded-#%u", code);
        return;
    }
    if (q->icmp_type == 12) {
        if (code != 0)
            snprintf(buf, size, "parameter problem - code %u", code);
        else
            snprintf(buf, size, "parameter problem - octet %u", (unsigned)(q->icmp_rest >> 24));
        return;
    }
    switch (code) {
    case 0: put3(buf, size, "net ", dst, " unreachable"); break;
    case 1: put3(buf, size, "host ", dst, " unreachable"); break;
    case 2: snprintf(buf, size, "protocol %u unreachable", (unsigned)q->transport); break;
    case 3: put_port_unreachable(q, buf, size); break;
    case 4:
        if (mtu != 0)
            snprintf(buf, size, "unreachable - need to frag (mtu %u)", mtu);
        else
            snprintf(buf, size, "unreachable - need to frag");
        break;
    case 5: snprintf(buf, size, "unreachable - source route failed"); break;
    case 6: snprintf(buf, size, "net %s unreachable - unknown", dst); break;
    case 7: snprintf(buf, size, "host %s unreachable - unknown", dst); break;
    case 8: snprintf(buf, size, "unreachable - source host isolated"); break;
    case 9: snprintf(buf, size, "net %s unreachable - admin prohibited", dst); break;
    case 10: snprintf(buf, size, "host %s unreachable - admin prohibited", dst); break;
    case 11: snprintf(buf, size, "net %s unreachable - tos prohibited", dst); break;
    case 12: snprintf(buf, size, "host %s unreachable - tos prohibited", dst); break;
    case 13: snprintf(buf, size, "host %s unreachable - admin prohibited filter", dst); break;
    case 14: snprintf(buf, size, "host %s unreachable - host precedence violation", dst); break;
    case 15: snprintf(buf, size, "host %s unreachable - precedence cutoff", dst); break;
    default: snprintf(buf, size, "unreachable - #%u", code); break;
    }
}

/* tcpdump's ICMPv6 phrases where it has them; RFC 4443's names for the codes it
 * prints only as numbers. */
static void format_icmpv6(const struct dnsfail_quote *q, const char *dst, const char *src, char *buf,
                          size_t size)
{
    unsigned code = q->icmp_code;

    switch (q->icmp_type) {
    case 1:
        switch (code) {
        case 0: snprintf(buf, size, "unreachable route %s", dst); break;
        case 1: snprintf(buf, size, "unreachable prohibited %s", dst); break;
        case 2: snprintf(buf, size, "beyond scope %s, source address %s", dst, src); break;
        case 3: snprintf(buf, size, "unreachable address %s", dst); break;
        case 4: put_port_unreachable(q, buf, size); break;
        case 5: snprintf(buf, size, "source address failed ingress/egress policy %s", dst); break;
        case 6: snprintf(buf, size, "reject route %s", dst); break;
        case 7: snprintf(buf, size, "error in source routing header %s", dst); break;
        default: snprintf(buf, size, "unknown unreach code (%u)", code); break;
        }
        break;
    case 2:
        snprintf(buf, size, "packet too big, mtu %u", (unsigned)q->icmp_rest);
        break;
    case 3:
        if (code == 0)
            snprintf(buf, size, "time exceeded in-transit for %s", dst);
        else if (code == 1)
            snprintf(buf, size, "time exceeded in-transit (reassembly)");
        else
            snprintf(buf, size, "time exceeded in-transit, unknown code (%u)", code);
        break;
    default:
        switch (code) {
        case 0: snprintf(buf, size, "parameter problem, erroneous - octet %u", (unsigned)q->icmp_rest); break;
        case 1: snprintf(buf, size, "parameter problem, next header - octet %u", (unsigned)q->icmp_rest); break;
        case 2: snprintf(buf, size, "parameter problem, option - octet %u", (unsigned)q->icmp_rest); break;
        case 3:
            snprintf(buf, size, "parameter problem, incomplete header chain - octet %u", (unsigned)q->icmp_rest);
            break;
        default: snprintf(buf, size, "parameter problem, code-#%u", code); break;
        }
        break;
    }
}

static bool is_port_unreachable(const struct dnsfail_quote *q)
{
    return (q->icmp_version == DNSFAIL_ICMPV4 && q->icmp_type == 3 && q->icmp_code == 3) ||
           (q->icmp_version != DNSFAIL_ICMPV4 && q->icmp_type == 1 && q->icmp_code == 4);
}

char *dnsfail_reason_format(const struct dnsfail_quote *q, char *buf, size_t size)
{
    char dst[DNSFAIL_ADDR_TEXT_MAX];
    char src[DNSFAIL_ADDR_TEXT_MAX];

    if (size == 0)
        return buf;
    /* The usual failure, and its words name no address: written without formatting
     * one (an IPv6 address costs more than the rest) or parsing a format. */
    if (is_port_unreachable(q)) {
        put_port_unreachable(q, buf, size);
        return buf;
    }
    dnsfail_addr_format(&q->dst, dst, sizeof dst);
    if (q->icmp_version == DNSFAIL_ICMPV4) {
        format_icmpv4(q, dst, buf, size);
    } else {
        dnsfail_addr_format(&q->src, src, sizeof src); /* only ICMPv6's texts name the source */
        format_icmpv6(q, dst, src, buf, size);
    }
    return buf;
}

char *dnsfail_reason_tcp_refused(uint16_t port, char *buf, size_t size)
{
    if (size > 0)
        snprintf(buf, size, "tcp port %u reset (connection refused)", (unsigned)port);
    return buf;
}

static enum dnsfail_diagnosis diagnose_v4_unreach(uint8_t code, bool reporter_is_target)
{
    switch (code) {
    case 0: case 6: return DNSFAIL_DIAG_NO_ROUTE;
    case 1: case 7: return DNSFAIL_DIAG_HOST_DOWN;
    case 2: return DNSFAIL_DIAG_PROTOCOL;
    case 3: return reporter_is_target ? DNSFAIL_DIAG_NO_LISTENER : DNSFAIL_DIAG_PORT_REJECTED;
    case 4: return DNSFAIL_DIAG_TOO_BIG;
    case 9: case 10: case 13: return DNSFAIL_DIAG_PROHIBITED;
    case 5: case 8: case 11: case 12: case 14: case 15: return DNSFAIL_DIAG_SOURCE_ROUTE;
    default: return DNSFAIL_DIAG_UNKNOWN;
    }
}

static enum dnsfail_diagnosis diagnose_v6_unreach(uint8_t code, bool reporter_is_target)
{
    switch (code) {
    case 0: case 6: return DNSFAIL_DIAG_NO_ROUTE;
    case 1: case 5: return DNSFAIL_DIAG_PROHIBITED;
    case 2: case 7: return DNSFAIL_DIAG_SOURCE_ROUTE;
    case 3: return DNSFAIL_DIAG_HOST_DOWN;
    case 4: return reporter_is_target ? DNSFAIL_DIAG_NO_LISTENER : DNSFAIL_DIAG_PORT_REJECTED;
    default: return DNSFAIL_DIAG_UNKNOWN;
    }
}

enum dnsfail_diagnosis dnsfail_diagnose(const struct dnsfail_quote *q, bool reporter_is_target,
                                        bool quoted_response)
{
    bool port_unreach = (q->icmp_version == DNSFAIL_ICMPV4 && q->icmp_type == 3 && q->icmp_code == 3) ||
                        (q->icmp_version == DNSFAIL_ICMPV6 && q->icmp_type == 1 && q->icmp_code == 4);
    if (quoted_response && port_unreach)
        return DNSFAIL_DIAG_LATE_ANSWER;
    if (q->icmp_version == DNSFAIL_ICMPV4) {
        switch (q->icmp_type) {
        case 3: return diagnose_v4_unreach(q->icmp_code, reporter_is_target);
        case 11: return q->icmp_code == 1 ? DNSFAIL_DIAG_REASSEMBLY : DNSFAIL_DIAG_TTL_EXPIRED;
        case 12: return DNSFAIL_DIAG_BAD_HEADER;
        default: return DNSFAIL_DIAG_UNKNOWN;
        }
    }
    switch (q->icmp_type) {
    case 1: return diagnose_v6_unreach(q->icmp_code, reporter_is_target);
    case 2: return DNSFAIL_DIAG_TOO_BIG;
    case 3: return q->icmp_code == 1 ? DNSFAIL_DIAG_REASSEMBLY : DNSFAIL_DIAG_TTL_EXPIRED;
    case 4: return DNSFAIL_DIAG_BAD_HEADER;
    default: return DNSFAIL_DIAG_UNKNOWN;
    }
}

/* ---- RCODEs ------------------------------------------------------------------------ */

/* tcpdump's print-domain.c (ns_rcode): the 4-bit RCODEs, then the extended ones. */
static const char *const rcode_names[16] = {
    "NoError", "FormErr", "ServFail", "NXDomain", "NotImp", "Refused", "YXDomain", "YXRRSet",
    "NXRRSet", "NotAuth", "NotZone", "Resp11", "Resp12", "Resp13", "Resp14", "Resp15",
};
static const char *const extended_rcode_names[] = {
    "BadVers", "BadKey", "BadTime", "BadMode", "BadName", "BadAlg", "BadTrunc", "BadCookie",
};

/* IANA "DNS RCODEs" mnemonics, lower case; NULL: unassigned (or private use). */
static const char *const rcode_kinds[] = {
    "noerror", "formerr", "servfail", "nxdomain", "notimp", "refused", "yxdomain", "yxrrset",
    "nxrrset", "notauth", "notzone", "dsotypeni", NULL, NULL, NULL, NULL,
    "badvers", "badkey", "badtime", "badmode", "badname", "badalg", "badtrunc", "badcookie",
};

#define RCODE_NOERROR 0
#define RCODE_FORMERR 1
#define RCODE_SERVFAIL 2
#define RCODE_NXDOMAIN 3
#define RCODE_NOTIMP 4
#define RCODE_REFUSED 5

bool dnsfail_rcode_is_failure(uint16_t rcode)
{
    return rcode != RCODE_NOERROR && rcode != RCODE_NXDOMAIN;
}

char *dnsfail_rcode_format(uint16_t rcode, char *buf, size_t size)
{
    const size_t nextended = sizeof extended_rcode_names / sizeof extended_rcode_names[0];

    if (size == 0)
        return buf;
    if (rcode < 16)
        put1(buf, size, rcode_names[rcode]);
    else if ((size_t)rcode - 16u < nextended)
        put1(buf, size, extended_rcode_names[rcode - 16u]);
    else
        snprintf(buf, size, "Resp%u", (unsigned)rcode);
    return buf;
}

char *dnsfail_rcode_kind(uint16_t rcode, char *buf, size_t size)
{
    const char *kind = rcode < sizeof rcode_kinds / sizeof rcode_kinds[0] ? rcode_kinds[rcode] : NULL;

    if (size == 0)
        return buf;
    if (kind)
        put1(buf, size, kind);
    else
        snprintf(buf, size, "rcode_%u", (unsigned)rcode);
    return buf;
}

enum dnsfail_diagnosis dnsfail_diagnose_rcode(uint16_t rcode)
{
    switch (rcode) {
    case RCODE_NOERROR: return DNSFAIL_DIAG_UNKNOWN;
    case RCODE_FORMERR: return DNSFAIL_DIAG_FORMAT_ERROR;
    case RCODE_SERVFAIL: return DNSFAIL_DIAG_SERVER_FAILURE;
    case RCODE_NXDOMAIN: return DNSFAIL_DIAG_NO_SUCH_NAME;
    case RCODE_NOTIMP: return DNSFAIL_DIAG_NOT_IMPLEMENTED;
    case RCODE_REFUSED: return DNSFAIL_DIAG_REFUSED;
    default: return DNSFAIL_DIAG_ERROR_ANSWER;
    }
}

/* IANA "Extended DNS Error Codes" (RFC 8914 and later assignments). */
static const char *const ede_names[] = {
    "Other Error",
    "Unsupported DNSKEY Algorithm",
    "Unsupported DS Digest Type",
    "Stale Answer",
    "Forged Answer",
    "DNSSEC Indeterminate",
    "DNSSEC Bogus",
    "Signature Expired",
    "Signature Not Yet Valid",
    "DNSKEY Missing",
    "RRSIGs Missing",
    "No Zone Key Bit Set",
    "NSEC Missing",
    "Cached Error",
    "Not Ready",
    "Blocked",
    "Censored",
    "Filtered",
    "Prohibited",
    "Stale NXDOMAIN Answer",
    "Not Authoritative",
    "Not Supported",
    "No Reachable Authority",
    "Network Error",
    "Invalid Data",
    "Signature Expired before Valid",
    "Too Early",
    "Unsupported NSEC3 Iterations Value",
    "Unable to conform to policy",
    "Synthesized",
    "Invalid Query Type",
};

const char *dnsfail_ede_name(uint16_t info_code)
{
    return info_code < sizeof ede_names / sizeof ede_names[0] ? ede_names[info_code] : NULL;
}
