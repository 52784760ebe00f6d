/* report_tap.h - the incident report (-z dnsfail,report[,json][,FILTER]).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_REPORT_TAP_H
#define DNSFAIL_REPORT_TAP_H

#include <stdint.h>

#include "dnsfail/incident.h"

/* What the report asks of the analysis once the capture has been read, of the whole
 * capture: the queries still waiting for an answer (not failures), the DNS messages
 * read, and (by the protocol's id) whether dnsfail was enabled at all. */
struct report_sources {
    uint32_t (*waiting)(const void *context);
    uint64_t (*dns_messages)(const void *context);
    const void *context;
    int proto;
};

/* config: read when a report starts counting; it must outlive the report. sources is
 * copied. */
void report_tap_register(const struct dnsfail_incident_config *config, const struct report_sources *sources);

#endif
