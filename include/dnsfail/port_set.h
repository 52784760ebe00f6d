/* port_set.h - the set of ports that carry DNS (a preference in the plugin).
 *
 * A bitmap: membership is one load and a mask, cheap enough for every UDP datagram.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_PORT_SET_H
#define DNSFAIL_PORT_SET_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dnsfail_port_set {
    uint64_t bits[65536 / 64];
};

void dnsfail_port_set_clear(struct dnsfail_port_set *set);
/* Adds first..last inclusive; a reversed range adds nothing. */
void dnsfail_port_set_add_range(struct dnsfail_port_set *set, uint16_t first, uint16_t last);

static inline bool dnsfail_port_set_has(const struct dnsfail_port_set *set, uint16_t port)
{
    return (set->bits[port >> 6] >> (port & 63u)) & 1u;
}

#ifdef __cplusplus
}
#endif

#endif
