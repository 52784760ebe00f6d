/* totals_tree.h - the stats tree (-z dnsfail,tree, Statistics > DNS Failures).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_TOTALS_TREE_H
#define DNSFAIL_TOTALS_TREE_H

#include "dnsfail/incident.h"

/* config: read when a tree starts counting (the retry window in force then); it must
 * outlive the tree. */
void totals_tree_register(const struct dnsfail_incident_config *config);

#endif
