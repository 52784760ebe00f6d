/* reason.h - what an ICMP error says, in tcpdump's words, and what it likely means.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_REASON_H
#define DNSFAIL_REASON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnsfail/addr.h"
#include "dnsfail/quote.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DNSFAIL_REASON_TEXT_MAX 128

/* The failure as tcpdump prints it, without the leading address tcpdump puts before
 * some phrases (the server has a field of its own): "udp port 53 unreachable",
 * "host 203.0.113.9 unreachable", "net 198.18.0.53 unreachable - admin prohibited",
 * "time exceeded in-transit", "unreachable route 2001:db8::9". Returns buf. */
char *dnsfail_reason_format(const struct dnsfail_quote *q, char *buf, size_t size);

/* The likely cause, one per family of ICMP errors; stable names for reports and stats. */
enum dnsfail_diagnosis {
    DNSFAIL_DIAG_UNKNOWN = 0,
    DNSFAIL_DIAG_NO_LISTENER,      /* port unreachable from the server itself */
    DNSFAIL_DIAG_PORT_REJECTED,    /* port unreachable sent by another host for the server */
    DNSFAIL_DIAG_HOST_DOWN,        /* host / address unreachable: no ARP/ND answer on its LAN */
    DNSFAIL_DIAG_NO_ROUTE,         /* net unreachable, no route, reject route, unknown net */
    DNSFAIL_DIAG_PROHIBITED,       /* administratively prohibited: a firewall rule */
    DNSFAIL_DIAG_TTL_EXPIRED,      /* TTL / hop limit ran out in transit */
    DNSFAIL_DIAG_REASSEMBLY,       /* fragments lost before reassembly */
    DNSFAIL_DIAG_TOO_BIG,          /* needs fragmentation / packet too big: path MTU */
    DNSFAIL_DIAG_BAD_HEADER,       /* parameter problem */
    DNSFAIL_DIAG_PROTOCOL,         /* protocol unreachable: the host does not speak UDP/TCP */
    DNSFAIL_DIAG_SOURCE_ROUTE,     /* source route failed, source isolated, TOS, precedence */
    DNSFAIL_DIAG_LATE_ANSWER,      /* an answer whose client had stopped listening */
    DNSFAIL_DIAG_SERVER_FAILURE,   /* SERVFAIL: the server could not get an answer */
    DNSFAIL_DIAG_REFUSED,          /* REFUSED: the server will not answer this client */
    DNSFAIL_DIAG_FORMAT_ERROR,     /* FORMERR: the server could not parse the query */
    DNSFAIL_DIAG_NOT_IMPLEMENTED,  /* NOTIMP: the server does not do this kind of query */
    DNSFAIL_DIAG_NO_SUCH_NAME,     /* NXDOMAIN: the name does not exist */
    DNSFAIL_DIAG_ERROR_ANSWER,     /* any other failing RCODE */
    DNSFAIL_DIAG_NO_ANSWER,        /* a timeout: nothing answered the query */
    DNSFAIL_DIAG_COUNT
};

/* reporter_is_target: the ICMP error came from the host the quoted datagram was sent to.
 * quoted_response: the quote is a DNS answer rather than a query. */
enum dnsfail_diagnosis dnsfail_diagnose(const struct dnsfail_quote *q, bool reporter_is_target,
                                        bool quoted_response);

/* RCODEs (RFC 1035, 2136, 6891; IANA "DNS RCODEs"). NOERROR (0) and NXDOMAIN (3) are
 * answers; every other RCODE is a failed attempt. */
bool dnsfail_rcode_is_failure(uint16_t rcode);
/* tcpdump's name of an RCODE ("ServFail", "Refused", "NXDomain", "FormErr", "NotImp",
 * "YXDomain", "YXRRSet", "NXRRSet", "NotAuth", "NotZone", "BadVers", ...), and "Resp%u"
 * for the others, as tcpdump prints them. Returns buf. */
char *dnsfail_rcode_format(uint16_t rcode, char *buf, size_t size);
/* The dnsfail.kind of an answer with this RCODE: the lower-case mnemonic ("servfail",
 * "refused", "nxdomain", "formerr", "notimp", "yxdomain", ..., "badvers") or "rcode_N".
 * Returns buf. */
char *dnsfail_rcode_kind(uint16_t rcode, char *buf, size_t size);
/* The failure of a TCP connection to a DNS port refused with a reset:
 * "tcp port 53 reset (connection refused)". Returns buf. */
char *dnsfail_reason_tcp_refused(uint16_t port, char *buf, size_t size);

/* The likely cause of an answer with this RCODE. */
enum dnsfail_diagnosis dnsfail_diagnose_rcode(uint16_t rcode);
/* The name of an Extended DNS Error INFO-CODE (RFC 8914 registry: "DNSSEC Bogus",
 * "Blocked", "No Reachable Authority", ...), or NULL when unassigned. */
const char *dnsfail_ede_name(uint16_t info_code);

/* A short stable key ("no_listener", "host_down", ...), for JSON and stats. */
const char *dnsfail_diagnosis_key(enum dnsfail_diagnosis d);
/* One sentence an analyst can paste: what most likely happened. */
const char *dnsfail_diagnosis_text(enum dnsfail_diagnosis d);
/* One remediation to try for a likely cause (a sentence), for the report's "what to try". */
const char *dnsfail_diagnosis_remedy(enum dnsfail_diagnosis d);

#ifdef __cplusplus
}
#endif

#endif
