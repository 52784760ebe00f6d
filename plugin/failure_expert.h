/* failure_expert.h - dnsfail's expert items: their registration and the items a failure
 * record, a failed query, a tracking limit and an unreadable quote add.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_FAILURE_EXPERT_H
#define DNSFAIL_FAILURE_EXPERT_H

#include <stdbool.h>
#include <stdint.h>

#include <epan/packet.h>

#include "failure_words.h"

void failure_expert_register(int proto);
/* Whether a filter or -e asks for one of dnsfail's expert fields (dnsfail.failure, ...). */
bool failure_expert_fields_referenced(void);
/* The record's expert items, anchored on its "dnsfail" item (NULL without a tree). */
void failure_expert_add(packet_info *pinfo, proto_item *anchor, struct failure_words *w);
/* On a failed query's frame, anchored on its link item. */
void failure_expert_query_failed(packet_info *pinfo, proto_item *anchor, const struct query_link *link);
/* Items of their own, not under a "dnsfail" item (the filter "dnsfail" selects failures only). */
void failure_expert_tracking_limit(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, uint32_t max_queries);
void failure_expert_quote_unreadable(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const char *why);

#endif
