/* analysis_state.c - the analysis' state between frames (analysis_state.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "analysis_state.h"

#include <epan/proto_data.h>

#include "dnsfail/text.h"

/* Keys of dnsfail's proto data: one per kind of thing kept with a frame. */
enum {
    KEY_RESULTS = 2,             /* file scope: struct frame_results */
};

void analysis_state_init(struct analysis_state *a, int proto)
{
    a->proto = proto;
    a->timeout_ns = DNSFAIL_TRACKER_DEFAULT_TIMEOUT_NS;
    a->query_links = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    a->answer_links = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    a->chain_links = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    analysis_deadline_recheck(a);
}

void analysis_state_configure(struct analysis_state *a, const struct dnsfail_tracker_config *config)
{
    a->timeout_ns = config->timeout_ns;
    if (a->tracker)
        dnsfail_tracker_configure(a->tracker, config);
    else
        a->tracker = dnsfail_tracker_new(config);
    /* An error about an answer follows it within moments: a quarter of the queries'
     * limit is plenty of answers to look back over. */
    uint32_t max_answers = (config->max_queries ? config->max_queries : DNSFAIL_TRACKER_DEFAULT_MAX_QUERIES) / 4;
    if (a->answers)
        dnsfail_answer_log_configure(a->answers, max_answers);
    else
        a->answers = dnsfail_answer_log_new(max_answers);
    if (!a->tcp_streams)
        a->tcp_streams = dnsfail_tcp_streams_new(0);
    a->retry_window_ns = config->retry_window_ns;
    if (a->chain)
        dnsfail_chain_reset(a->chain, a->retry_window_ns);
    else
        a->chain = dnsfail_chain_new(a->retry_window_ns);
    analysis_deadline_recheck(a);
}

void analysis_state_reset_file(struct analysis_state *a)
{
    if (a->tracker)
        dnsfail_tracker_reset(a->tracker);
    if (a->answers)
        dnsfail_answer_log_reset(a->answers);
    if (a->tcp_streams)
        dnsfail_tcp_streams_reset(a->tcp_streams);
    if (a->chain)
        dnsfail_chain_reset(a->chain, a->retry_window_ns);
    a->tracking_limit_reported = false;
    a->dns_messages = 0;
    a->later_pass_seen = false;
    a->session = NULL;
    analysis_deadline_recheck(a);
}

uint64_t analysis_state_dns_messages(const void *state)
{
    const struct analysis_state *a = state;
    return a->dns_messages;
}

void analysis_state_free(struct analysis_state *a)
{
    dnsfail_tracker_free(a->tracker);
    a->tracker = NULL;
    dnsfail_answer_log_free(a->answers);
    a->answers = NULL;
    dnsfail_tcp_streams_free(a->tcp_streams);
    a->tcp_streams = NULL;
    dnsfail_chain_free(a->chain);
    a->chain = NULL;
}

const struct frame_results *analysis_results_get(const struct analysis_state *a, packet_info *pinfo,
                                                 struct frame_stash *stash)
{
    /* In the first pass the stash already holds whatever this frame made. */
    if (!stash->results_known && PINFO_FD_VISITED(pinfo))
        stash->results = p_get_proto_data(wmem_file_scope(), pinfo, a->proto, KEY_RESULTS);
    stash->results_known = true;
    return stash->results;
}

struct frame_results *analysis_results_make(const struct analysis_state *a, packet_info *pinfo,
                                            struct frame_stash *stash)
{
    if (!stash->results) {
        stash->results = wmem_new0(wmem_file_scope(), struct frame_results);
        p_add_proto_data(wmem_file_scope(), pinfo, a->proto, KEY_RESULTS, stash->results);
    }
    stash->results_known = true;
    return stash->results;
}

void analysis_link_query(struct analysis_state *a, packet_info *pinfo, uint32_t query_frame, uint32_t attempt,
                         const char *what)
{
    struct query_link *link = wmem_map_lookup(a->query_links, GUINT_TO_POINTER(query_frame));
    if (link)
        return; /* the first failure reported for a query is the one it points at */
    link = wmem_new0(wmem_file_scope(), struct query_link);
    link->error_in = pinfo->num;
    link->attempt = attempt;
    struct dnsfail_text t;
    dnsfail_text_init(&t, link->what, sizeof link->what);
    dnsfail_text_put(&t, what);
    wmem_map_insert(a->query_links, GUINT_TO_POINTER(query_frame), link);
}

const struct query_link *analysis_query_link_of(const struct analysis_state *a, packet_info *pinfo)
{
    if (!PINFO_FD_VISITED(pinfo))
        return NULL; /* the failure comes in a later frame */
    return wmem_map_lookup(a->query_links, GUINT_TO_POINTER(pinfo->num));
}

void analysis_link_answer(struct analysis_state *a, packet_info *pinfo, uint32_t answer_frame)
{
    /* The first error about an answer is the one it points at. */
    if (!wmem_map_contains(a->answer_links, GUINT_TO_POINTER(answer_frame)))
        wmem_map_insert(a->answer_links, GUINT_TO_POINTER(answer_frame), GUINT_TO_POINTER(pinfo->num));
}

uint32_t analysis_answer_link_of(const struct analysis_state *a, packet_info *pinfo)
{
    if (!PINFO_FD_VISITED(pinfo))
        return 0; /* the error comes in a later frame */
    return GPOINTER_TO_UINT(wmem_map_lookup(a->answer_links, GUINT_TO_POINTER(pinfo->num)));
}

bool analysis_tracking_limit_reached(struct analysis_state *a)
{
    if (a->tracking_limit_reported || !dnsfail_tracker_has_forgotten(a->tracker))
        return false;
    a->tracking_limit_reported = true;
    return true;
}
