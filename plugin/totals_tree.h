/* totals_tree.h - the stats tree (-z dnsfail,tree, Statistics > DNS Failures).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_TOTALS_TREE_H
#define DNSFAIL_TOTALS_TREE_H

#include <stdbool.h>

#include "dnsfail/incident.h"

#include "capture_end.h"

/* config: read when a tree starts counting (the retry window in force then); it must
 * outlive the tree. */
/* capture_end: as report_tap_register's. */
void totals_tree_register(const struct dnsfail_incident_config *config,
                          void (*capture_end)(const void *context,
                                              void (*take)(void *listener, const struct capture_end_query *q),
                                              void *listener),
                          const void *context);

#endif
