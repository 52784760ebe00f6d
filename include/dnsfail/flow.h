/* flow.h - one direction of one DNS conversation, and the transports it runs over.
 *
 * Apart from tracker.h so that the public tap record (tap.h) can name a flow without
 * pulling in the tracker's interface.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_FLOW_H
#define DNSFAIL_FLOW_H

#include <stdint.h>

#include "dnsfail/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The IP protocol numbers, as the transport of a flow and of a quoted datagram. */
enum dnsfail_transport {
    DNSFAIL_TRANSPORT_UDP = 17,
    DNSFAIL_TRANSPORT_TCP = 6,
};

/* One direction of one DNS conversation, seen from the client. */
struct dnsfail_flow {
    struct dnsfail_addr client;
    struct dnsfail_addr server;
    uint16_t client_port;
    uint16_t server_port;
    uint8_t transport;             /* enum dnsfail_transport: 17 UDP, 6 TCP */
};

#ifdef __cplusplus
}
#endif

#endif
