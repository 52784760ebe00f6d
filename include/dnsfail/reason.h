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
    DNSFAIL_DIAG_COUNT
};

/* reporter_is_target: the ICMP error came from the host the quoted datagram was sent to.
 * quoted_response: the quote is a DNS answer rather than a query. */
enum dnsfail_diagnosis dnsfail_diagnose(const struct dnsfail_quote *q, bool reporter_is_target,
                                        bool quoted_response);

/* A short stable key ("no_listener", "host_down", ...), for JSON and stats. */
const char *dnsfail_diagnosis_key(enum dnsfail_diagnosis d);
/* One sentence an analyst can paste: what most likely happened. */
const char *dnsfail_diagnosis_text(enum dnsfail_diagnosis d);

#ifdef __cplusplus
}
#endif

#endif
