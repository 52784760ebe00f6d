/* fixtures.h - the values the unit tests of the core build their inputs from: durations,
 * questions and flows. Static inline, so that a helper's own check counts in the test
 * that calls it (check.h keeps its counts per test executable).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_TEST_FIXTURES_H
#define DNSFAIL_TEST_FIXTURES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "dnsfail/dns_message.h"
#include "dnsfail/duration.h"
#include "dnsfail/flow.h"
#include "packet_builder.h"

#define SEC(x) ((int64_t)(x) * DNSFAIL_NS_PER_S)
#define MSEC(x) ((int64_t)(x) * INT64_C(1000000))

/* A question of class IN, its name decoded from the wire form the builder writes. */
static inline struct dnsfail_question question(const char *name, uint16_t qtype)
{
    struct dnsfail_question q;
    struct pb p;
    size_t end;
    memset(&q, 0, sizeof q);
    pb_init(&p);
    pb_dns_name(&p, name);
    enum dnsfail_name_status st = dnsfail_dns_name_decode(p.b, p.len, 0, &q.qname, &end);
    if (st != DNSFAIL_NAME_OK)                 /* a test bug: reported, not counted when fine */
        CHECK_EQ_INT(st, DNSFAIL_NAME_OK);
    q.qtype = qtype;
    q.qclass = PB_CLASS_IN;
    return q;
}

/* A flow to port 53 over the transport. */
static inline struct dnsfail_flow flow_between(const struct dnsfail_addr *client, uint16_t client_port,
                                               const struct dnsfail_addr *server, uint8_t transport)
{
    struct dnsfail_flow f;
    memset(&f, 0, sizeof f);
    f.client = *client;
    f.server = *server;
    f.client_port = client_port;
    f.server_port = 53;
    f.transport = transport;
    return f;
}

/* The same between two IPv4 addresses, or the builder's IPv6 client and server. */
static inline struct dnsfail_flow flow_of_v4(const uint8_t client[4], uint16_t client_port, const uint8_t server[4],
                                             uint8_t transport)
{
    struct dnsfail_addr c, s;
    dnsfail_addr_set_ipv4(&c, client);
    dnsfail_addr_set_ipv4(&s, server);
    return flow_between(&c, client_port, &s, transport);
}

static inline struct dnsfail_flow flow_of_v6(uint16_t client_port, uint8_t transport)
{
    struct dnsfail_addr c, s;
    dnsfail_addr_set_ipv6(&c, PB_V6_CLIENT);
    dnsfail_addr_set_ipv6(&s, PB_V6_SERVER);
    return flow_between(&c, client_port, &s, transport);
}

#endif
