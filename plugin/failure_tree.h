/* failure_tree.h - dnsfail's fields (dnsfail.*): their registration and the tree items a
 * failure record shows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_FAILURE_TREE_H
#define DNSFAIL_FAILURE_TREE_H

#include <stdbool.h>

#include <epan/packet.h>

#include "failure_words.h"

void failure_tree_register(int proto);
/* Whether a filter, -e or a column asks for one of dnsfail's fields (not the protocol
 * alone: the filter "dnsfail" needs only the protocol item). */
bool failure_tree_fields_referenced(void);
/* The "dnsfail" item, and under it the record's facts when details are wanted. */
proto_item *failure_tree_add(proto_tree *parent, struct failure_words *w, bool details);
/* On a failed query's frame: the link to its failure (not under a "dnsfail" item: the
 * filter "dnsfail" selects the failures only). */
proto_item *failure_tree_add_query_link(proto_tree *tree, tvbuff_t *tvb, const struct query_link *link);
/* On a DNS answer's frame: the ICMP error that says it could not be delivered (not under
 * a "dnsfail" item either). */
proto_item *failure_tree_add_undelivered_link(proto_tree *tree, tvbuff_t *tvb, uint32_t error_frame);

#endif
