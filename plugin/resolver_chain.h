/* resolver_chain.h - a failure a resolver gave its client, linked to the resolver's own
 * upstream failures (the core's dnsfail/chain.h), and the links kept per failure frame
 * for every pass to show.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_RESOLVER_CHAIN_H
#define DNSFAIL_RESOLVER_CHAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "dnsfail/chain.h"
#include "dnsfail/tracker.h"

#include "analysis_state.h"
#include "failure_record.h"

/* The reason an upstream query nothing answered gives in its cause's words. */
#define CHAIN_SILENCE "did not answer"

/* First pass, every query with a question. */
void chain_note_query(struct analysis_state *a, const struct dnsfail_flow *flow, uint64_t question_hash,
                      int64_t time_ns);

/* First pass, every answer with a question (flow: client and server of the query). */
void chain_note_answer(struct analysis_state *a, const struct dnsfail_flow *flow, uint64_t question_hash);

/* Whether chain_note_failure would keep this failure: its client is a resolver's upstream
 * side, or it asks nothing (a refused connection). Most failures are an ordinary client's,
 * so a caller asks this before it writes the failure's reason. */
bool chain_failure_wanted(const struct analysis_state *a, const struct dnsfail_flow *flow,
                          const struct dnsfail_question *question);

/* First pass, every failure of a query that m matched (NULL: none was captured; the
 * failure's own time stands for the query's). Marks the failure's frame upstream when its
 * client is a resolver's upstream side. */
void chain_note_failure(struct analysis_state *a, packet_info *pinfo, uint32_t frame, const struct dnsfail_flow *flow,
                        const struct dnsfail_question *question, const struct dnsfail_query_match *m,
                        enum dnsfail_kind kind, enum dnsfail_diagnosis diagnosis, const char *reason);

/* First pass, an outcome of a client's query m (to its server): a failure shown in frame
 * (failed), or an answer in time (not failed). end_ns: the answer's time or the query's
 * deadline. The upstream failures that explain it are kept with frame, and each of them
 * points back at frame. NULL when none. */
const struct chain_links *chain_explain(struct analysis_state *a, packet_info *pinfo, uint32_t frame, const struct dnsfail_query_match *m,
                                        const struct dnsfail_question *question, int64_t end_ns, bool failed);

/* The links of the failure shown in this frame (a timeout's: its query's); NULL: none. */
const struct chain_links *chain_links_of(const struct analysis_state *a, uint32_t frame);

#endif
