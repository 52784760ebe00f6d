/* resolver_chain.c - the links between a resolver's two legs, per failure frame
 * (resolver_chain.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "resolver_chain.h"

#include "frame_facts.h"

static struct chain_links *links_make(struct analysis_state *a, uint32_t frame)
{
    struct chain_links *l = wmem_map_lookup(a->chain_links, GUINT_TO_POINTER(frame));
    if (!l) {
        l = wmem_new0(wmem_file_scope(), struct chain_links);
        wmem_map_insert(a->chain_links, GUINT_TO_POINTER(frame), l);
    }
    return l;
}

const struct chain_links *chain_links_of(const struct analysis_state *a, uint32_t frame)
{
    return wmem_map_lookup(a->chain_links, GUINT_TO_POINTER(frame));
}

void chain_note_query(struct analysis_state *a, const struct dnsfail_flow *flow, uint64_t question_hash,
                      int64_t time_ns)
{
    if (a->chain)
        dnsfail_chain_note_query(a->chain, flow, question_hash, time_ns);
}

void chain_note_answer(struct analysis_state *a, const struct dnsfail_flow *flow, uint64_t question_hash)
{
    if (a->chain)
        dnsfail_chain_note_answer(a->chain, flow, question_hash);
}

bool chain_failure_wanted(const struct analysis_state *a, const struct dnsfail_flow *flow,
                          const struct dnsfail_question *question)
{
    return a->chain && (!question || dnsfail_chain_is_upstream_side(a->chain, &flow->client));
}

void chain_note_failure(struct analysis_state *a, packet_info *pinfo, uint32_t frame, const struct dnsfail_flow *flow,
                        const struct dnsfail_question *question, const struct dnsfail_query_match *m,
                        enum dnsfail_kind kind, enum dnsfail_diagnosis diagnosis, const char *reason)
{
    if (!chain_failure_wanted(a, flow, question))
        return;
    int64_t now_ns = frame_time_ns(pinfo);
    struct dnsfail_chain_failure f = {
        .frame = frame,
        .sent_ns = m ? m->time_ns : now_ns,
        .known_ns = now_ns,
        .flow = *flow,
        .has_question = question != NULL,
        .kind = (uint8_t)kind,
        .diagnosis = (uint8_t)diagnosis,
        .reason = reason,
    };
    if (question)
        f.question = *question;
    if (dnsfail_chain_note_failure(a->chain, &f))
        links_make(a, frame)->is_upstream = true;
}

/* Each cause is an upstream failure, and points back at the failure it explains. */
static void link_back(struct analysis_state *a, const struct chain_links *l, uint32_t frame)
{
    for (uint32_t i = 0; i < l->causes_kept; i++) {
        struct chain_links *cause = links_make(a, l->causes[i].frame);
        cause->is_upstream = true;
        if (l->recovered)
            continue;
        if (cause->explains_count == cause->explains_room) {
            uint32_t room = cause->explains_room ? cause->explains_room * 2 : 4;
            uint32_t *grown = wmem_alloc_array(wmem_file_scope(), uint32_t, room);
            if (cause->explains_count)
                memcpy(grown, cause->explains, cause->explains_count * sizeof *grown);
            cause->explains = grown;
            cause->explains_room = room;
        }
        cause->explains[cause->explains_count++] = frame;
    }
}

/* A resolver gives up on an upstream server before dnsfail's timeout would: the queries its
 * upstream side still waits for when it fails its client are silences already. */
struct pending_silences {
    struct analysis_state *a;
    packet_info *pinfo;
    const struct dnsfail_flow *outcome;
    int64_t end_ns;
};

static void note_pending_silence(void *ctx, const struct dnsfail_query_match *m, bool failed)
{
    (void)failed;
    struct pending_silences *p = ctx;
    if (!m->has_question || m->time_ns > p->end_ns || dnsfail_addr_equal(&m->flow.client, &p->outcome->client) ||
        !dnsfail_chain_is_upstream_side(p->a->chain, &m->flow.client))
        return;
    chain_note_failure(p->a, p->pinfo, m->frame, &m->flow, &m->question, m, DNSFAIL_KIND_TIMEOUT,
                       DNSFAIL_DIAG_NO_ANSWER, CHAIN_SILENCE);
}

const struct chain_links *chain_explain(struct analysis_state *a, packet_info *pinfo, uint32_t frame, const struct dnsfail_query_match *m,
                                        const struct dnsfail_question *question, int64_t end_ns, bool failed)
{
    if (!a->chain || !m)
        return NULL;
    if (failed && a->tracker && dnsfail_chain_serves_from_upstream(a->chain, &m->flow.server)) {
        struct pending_silences p = {a, pinfo, &m->flow, end_ns};
        dnsfail_tracker_for_each_waiting(a->tracker, note_pending_silence, &p);
    }
    if (!dnsfail_chain_may_explain(a->chain, &m->flow.server, failed))
        return NULL;
    struct dnsfail_chain_outcome o = {
        .flow = m->flow,
        .has_question = question != NULL,
        .query_ns = m->time_ns,
        .end_ns = end_ns,
    };
    if (question)
        o.question = *question;
    struct dnsfail_chain_cause found[CHAIN_CAUSES_KEPT];
    uint32_t n = dnsfail_chain_explain(a->chain, &o, failed, found, CHAIN_CAUSES_KEPT);
    if (n == 0)
        return NULL;
    struct chain_links *l = links_make(a, frame);
    l->cause_count = n;
    l->causes_kept = n < CHAIN_CAUSES_KEPT ? n : CHAIN_CAUSES_KEPT;
    l->causes = wmem_memdup(wmem_file_scope(), found, l->causes_kept * sizeof found[0]);
    if (!failed) {
        l->recovered = true;
        l->flow = m->flow;
        if (question)
            l->question = wmem_memdup(wmem_file_scope(), question, sizeof *question);
    }
    link_back(a, l, frame);
    return l;
}
