/* report_tap.h - the incident report (-z dnsfail,report[,json]).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_REPORT_TAP_H
#define DNSFAIL_REPORT_TAP_H

#include <stdbool.h>
#include <stdint.h>

#include "dnsfail/incident.h"

/* config: read when a report starts counting; it must outlive the report.
 * capture_end(context, take, listener) tells what the capture's end leaves (timeout.c's
 * timeouts_capture_end): take(listener, rec, failed) for each query still waiting, failed
 * when the client retried it and nothing answered it since. */
void report_tap_register(const struct dnsfail_incident_config *config,
                         void (*capture_end)(const void *context,
                                             void (*take)(void *listener, const struct dnsfail_tap_record *rec,
                                                          bool failed),
                                             void *listener),
                         const void *context);

#endif
