/* port_set.c - the set of DNS ports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/port_set.h"

#include <string.h>

void dnsfail_port_set_clear(struct dnsfail_port_set *set)
{
    memset(set->bits, 0, sizeof set->bits);
}

void dnsfail_port_set_add_range(struct dnsfail_port_set *set, uint16_t first, uint16_t last)
{
    for (uint32_t port = first; port <= last; port++)
        set->bits[port >> 6] |= UINT64_C(1) << (port & 63u);
}
