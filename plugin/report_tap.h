/* report_tap.h - the incident report (-z dnsfail,report[,json]).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_REPORT_TAP_H
#define DNSFAIL_REPORT_TAP_H

#include <stdint.h>

#include "dnsfail/incident.h"

/* config: read when a report starts counting; it must outlive the report. waiting(context):
 * the queries still waiting for an answer when the capture ended (not failures). */
void report_tap_register(const struct dnsfail_incident_config *config, uint32_t (*waiting)(const void *context),
                         const void *context);

#endif
