/* diagnosis.c - the likely causes: the key and the sentence that name each, and the
 * remedy that answers it. One table beside the other, so that a new cause gets its words
 * and its remedy in one place.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/reason.h"

struct diagnosis_words {
    const char *key;
    const char *text;
};

/* Short enough for an expert item and a column; the key never changes once released. */
static const struct diagnosis_words diagnosis_words[DNSFAIL_DIAG_COUNT] = {
    [DNSFAIL_DIAG_UNKNOWN] = {"unknown", "an unusual ICMP error stopped the DNS message"},
    [DNSFAIL_DIAG_NO_LISTENER] = {"no_listener",
        "server host up, nothing listening on the DNS port (service down, or host firewall reject)"},
    [DNSFAIL_DIAG_PORT_REJECTED] = {"port_rejected",
        "a firewall or NAT on the path answered that the DNS port is closed"},
    [DNSFAIL_DIAG_HOST_DOWN] = {"host_down", "server down or gone from its LAN (no ARP/ND answer to the last router)"},
    [DNSFAIL_DIAG_NO_ROUTE] = {"no_route", "routing fault: a router has no route to the server's network"},
    [DNSFAIL_DIAG_PROHIBITED] = {"prohibited", "a firewall rule blocks DNS to the server (administratively prohibited)"},
    [DNSFAIL_DIAG_TTL_EXPIRED] = {"ttl_expired", "TTL or hop limit ran out in transit (routing loop, or TTL too low)"},
    [DNSFAIL_DIAG_REASSEMBLY] = {"reassembly", "fragments lost: the DNS message could not be reassembled"},
    [DNSFAIL_DIAG_TOO_BIG] = {"too_big", "DNS message larger than the path MTU (large EDNS/DNSSEC messages)"},
    [DNSFAIL_DIAG_BAD_HEADER] = {"bad_header", "a device on the path rejected a header field (parameter problem)"},
    [DNSFAIL_DIAG_PROTOCOL] = {"protocol_unreachable", "the server host does not speak this transport protocol"},
    [DNSFAIL_DIAG_SOURCE_ROUTE] = {"routing_policy", "stopped by a routing policy (source route, isolation, TOS)"},
    [DNSFAIL_DIAG_LATE_ANSWER] = {"late_answer",
        "the answer came after the client gave up (slow server, or client timeout too short)"},
    [DNSFAIL_DIAG_SERVER_FAILURE] = {"server_failure",
        "the server could not get an answer (upstream unreachable, DNSSEC validation failure, or a broken zone)"},
    [DNSFAIL_DIAG_REFUSED] = {"refused",
        "the server refuses to answer this client (access control, or not recursive for it)"},
    [DNSFAIL_DIAG_FORMAT_ERROR] = {"format_error", "the server could not parse the query (often EDNS or a client bug)"},
    [DNSFAIL_DIAG_NOT_IMPLEMENTED] = {"not_implemented", "the server does not implement this kind of query"},
    [DNSFAIL_DIAG_NO_SUCH_NAME] = {"no_such_name", "the name does not exist (NXDOMAIN)"},
    [DNSFAIL_DIAG_ERROR_ANSWER] = {"error_answer", "the server answered with an error code"},
    [DNSFAIL_DIAG_NO_ANSWER] = {"no_answer",
        "nothing answered: the server is down or overloaded, or the path drops DNS silently (a firewall that drops)"},
};

const char *dnsfail_diagnosis_key(enum dnsfail_diagnosis d)
{
    return (unsigned)d < DNSFAIL_DIAG_COUNT ? diagnosis_words[d].key : "unknown";
}

const char *dnsfail_diagnosis_text(enum dnsfail_diagnosis d)
{
    return (unsigned)d < DNSFAIL_DIAG_COUNT ? diagnosis_words[d].text : diagnosis_words[0].text;
}

static const char *const remedies[DNSFAIL_DIAG_COUNT] = {
    [DNSFAIL_DIAG_UNKNOWN] = "Look up the ICMP type and code of the error (IANA ICMP parameters) and ask the owner "
                             "of the reporting device why it sends it for DNS traffic.",
    [DNSFAIL_DIAG_NO_LISTENER] = "Check that the DNS service runs and listens on the server's address and port "
                                 "(ss -lunp on the server) and that no host firewall rule rejects it.",
    [DNSFAIL_DIAG_PORT_REJECTED] = "Check the firewall and NAT rules of the reporting device for DNS to the "
                                   "server's address and port: it answers for the server that the port is closed.",
    [DNSFAIL_DIAG_HOST_DOWN] = "Check that the server is powered on and on its LAN: its link, its address, and "
                               "the ARP or neighbor entry for it on the last router (ip neigh there).",
    [DNSFAIL_DIAG_NO_ROUTE] = "Check the routing table of the reporting router for the server's network "
                              "(ip route get <server> there) and the route that should lead to it.",
    [DNSFAIL_DIAG_PROHIBITED] = "Review the firewall rules of the reporting device for DNS (UDP and TCP port 53) "
                                "to the server: a rule rejects it on purpose.",
    [DNSFAIL_DIAG_TTL_EXPIRED] = "Run a traceroute to the server to look for a routing loop, and check that the "
                                 "client does not send with a TTL or hop limit too low.",
    [DNSFAIL_DIAG_REASSEMBLY] = "Find where fragments are lost (firewalls or NAT dropping fragments) and lower the "
                                "EDNS buffer size to 1232 bytes so DNS messages are not fragmented.",
    [DNSFAIL_DIAG_TOO_BIG] = "Lower the EDNS buffer size to 1232 bytes on clients and servers, or let ICMP "
                             "packet-too-big messages and fragments through the path.",
    [DNSFAIL_DIAG_BAD_HEADER] = "Inspect the IP options or IPv6 extension headers the reporting device rejects "
                                "(the error points at the octet) and remove them or fix the device.",
    [DNSFAIL_DIAG_PROTOCOL] = "Check that the server offers DNS over this transport at all (UDP and TCP), or "
                              "point the client at a server that does.",
    [DNSFAIL_DIAG_SOURCE_ROUTE] = "Check the source routing, TOS and precedence settings of the client and the "
                                  "routing policy of the reporting device.",
    [DNSFAIL_DIAG_LATE_ANSWER] = "Raise the client's resolver timeout, or find out why the server answers so "
                                 "slowly (its upstream servers, its load, the path).",
    [DNSFAIL_DIAG_SERVER_FAILURE] = "Query the server's upstreams/authorities directly (dig +trace, dig +cd to tell "
                                    "DNSSEC failures) and read the server's logs.",
    [DNSFAIL_DIAG_REFUSED] = "Check the server's access-control and recursion settings for this client's address.",
    [DNSFAIL_DIAG_FORMAT_ERROR] = "Repeat the query without EDNS (dig +noedns) to tell an EDNS problem, then fix "
                                  "or update the client, or the server, that gets it wrong.",
    [DNSFAIL_DIAG_NOT_IMPLEMENTED] = "Use a query type and opcode the server supports, or point the client at a "
                                     "server that implements them.",
    [DNSFAIL_DIAG_NO_SUCH_NAME] = "Check the name for typos and the zone for the missing record.",
    [DNSFAIL_DIAG_ERROR_ANSWER] = "Look up the RCODE (IANA \"DNS RCODEs\") and read the server's logs for why it "
                                  "answers this query with it.",
    [DNSFAIL_DIAG_NO_ANSWER] = "Check that the server is up and reachable from the client's network (dig @server "
                               "there), look for a firewall on the path that silently drops DNS (udp/53 and tcp/53), "
                               "and capture on the server's side to see whether the queries arrive.",
};

const char *dnsfail_diagnosis_remedy(enum dnsfail_diagnosis d)
{
    return (unsigned)d < DNSFAIL_DIAG_COUNT ? remedies[d] : remedies[DNSFAIL_DIAG_UNKNOWN];
}
