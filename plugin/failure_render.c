/* failure_render.c - one failure record turned into everything a reader sees of it:
 * the Info column's note, the "dnsfail" tree item and the items under it
 * (failure_tree.c), the expert items (failure_expert.c), the record queued on the
 * "dnsfail" tap.
 *
 * Every kind of failure goes through the same functions, so a fact is worded and placed
 * once. Words are written only for whoever reads them: the server's address and the
 * subject for every note; the client's and reporter's only for the tree and the expert
 * items.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "failure_render.h"

#include <string.h>

#include <epan/column-utils.h>
#include <epan/tap.h>

#include "dnsfail/tap.h"

#include "failure_expert.h"
#include "failure_tree.h"
#include "failure_words.h"
#include "frame_facts.h"

static int proto_dnsfail = -1;
static int dnsfail_tap = -1;
static int expert_tap = -1;
/* The protocols' header_field_info, looked up with the ids (a registrar lookup on every
 * failure is most of what the wanted-tests would cost): NULL when unknown. */
static const header_field_info *dnsfail_info, *ws_expert_info;

void failure_render_register(int proto)
{
    proto_dnsfail = proto;
    failure_tree_register(proto);
    failure_expert_register(proto);
    dnsfail_tap = register_tap(DNSFAIL_TAP_NAME);
}

static const header_field_info *info_of(int id)
{
    return id >= 0 ? proto_registrar_get_nth((unsigned)id) : NULL;
}

void failure_render_init(void)
{
    expert_tap = find_tap_id("expert");
    dnsfail_info = info_of(proto_dnsfail);
    ws_expert_info = info_of(proto_get_id_by_filter_name("_ws.expert"));
}

/* ---- who reads ------------------------------------------------------------------------- */

static bool referenced(const header_field_info *hfi)
{
    return hfi && hfi->ref_type != HF_REF_TYPE_NONE;
}

/* A tree that shows nothing (tshark -T fields, a filter) only keeps the fields asked for:
 * dnsfail's (its expert items are dnsfail's too), or the expert fields. A filter or -e
 * on any of them marks the protocol referenced. */
static bool tree_wanted(proto_tree *tree)
{
    return tree && (PTREE_DATA(tree)->visible || referenced(dnsfail_info) || !ws_expert_info ||
                    referenced(ws_expert_info));
}

/* Unknown ids (looked up too early) count as listening: better words nobody reads than
 * an expert item missing. */
static bool expert_listening(void)
{
    return expert_tap <= 0 || have_tap_listener(expert_tap);
}

bool failure_output_wanted(packet_info *pinfo, proto_tree *tree)
{
    return tree_wanted(tree) || have_tap_listener(dnsfail_tap) || expert_listening() ||
           col_get_writable(pinfo->cinfo, COL_INFO) || col_get_writable(pinfo->cinfo, COL_EXPERT);
}

/* Whether an expert item would reach anyone: its tree item, the expert tap (tshark -z
 * expert), or the Expert column. An item in a tree that shows nothing (a filter on
 * "dnsfail" alone) keeps only the fields asked for: the message would be written for no one. */
static bool expert_wanted(packet_info *pinfo, proto_item *anchor)
{
    bool expert_fields = !ws_expert_info || referenced(ws_expert_info) || failure_expert_fields_referenced();
    bool in_tree = anchor && (PTREE_DATA(anchor)->visible || expert_fields);
    return in_tree || expert_listening() || col_get_writable(pinfo->cinfo, COL_EXPERT);
}

/* Whether a failure's items under its "dnsfail" item reach anyone: a tree that shows
 * (the GUI, -V), or one that keeps some dnsfail field asked for. Without, the filter
 * "dnsfail" still needs the protocol item itself. */
static bool details_wanted(proto_tree *tree)
{
    return tree && (PTREE_DATA(tree)->visible || failure_tree_fields_referenced());
}

bool failure_tap_wanted(void)
{
    return have_tap_listener(dnsfail_tap);
}

/* ---- the Info column ---------------------------------------------------------------------- */

/* " [DNS A www.example.com to 192.0.2.53 failed: udp port 53 unreachable]": the pieces go
 * to col_append_lstr as they are, each copied once into the column. */
static void add_info(packet_info *pinfo, struct failure_words *w)
{
    const struct failure_record *r = w->r;

    if (!pinfo->cinfo)
        return;
    switch (r->kind) {
    case FAILURE_ERROR_ANSWER:
    case FAILURE_ICMP_ERROR:
        col_append_lstr(pinfo->cinfo, COL_INFO, " [DNS ", w->subject, " to ", w->server, " failed: ", r->reason,
                        w->detail, w->cause, "]", COL_ADD_LSTR_TERMINATOR);
        break;
    case FAILURE_NXDOMAIN:
        col_append_lstr(pinfo->cinfo, COL_INFO, " [DNS ", w->subject, " from ", w->server, ": ", w->rcode,
                        ", no such name]", COL_ADD_LSTR_TERMINATOR);
        break;
    case FAILURE_ANSWER_UNDELIVERABLE:
        col_append_lstr(pinfo->cinfo, COL_INFO, " [DNS answer ", w->subject, " from ", w->server, " to ",
                        failure_words_client(w), " undeliverable: ", r->reason, "]", COL_ADD_LSTR_TERMINATOR);
        break;
    case FAILURE_TIMEOUT:
        col_append_lstr(pinfo->cinfo, COL_INFO, " [DNS ", w->subject, " to ", w->server, " timed out: ", r->reason,
                        w->cause, "]", COL_ADD_LSTR_TERMINATOR);
        break;
    case FAILURE_LATE_ANSWER:
        col_append_fstr(pinfo->cinfo, COL_INFO, " [DNS %s: late answer (%s) %s after the query in frame %u%s]",
                        w->subject, w->rcode, w->waited, r->link.request_in, w->cause);
        break;
    case FAILURE_TCP_REFUSED:
        col_append_lstr(pinfo->cinfo, COL_INFO, " [DNS over TCP to ", w->server, " failed: ", r->reason, w->cause,
                        "]", COL_ADD_LSTR_TERMINATOR);
        break;
    }
}

/* ---- the tap record ---------------------------------------------------------------------- */

static uint8_t tap_event(enum failure_kind kind)
{
    switch (kind) {
    case FAILURE_NXDOMAIN: return DNSFAIL_TAP_NXDOMAIN;
    case FAILURE_LATE_ANSWER: return DNSFAIL_TAP_LATE_ANSWER;
    default: return DNSFAIL_TAP_FAILURE;
    }
}

/* enum dnsfail_kind; 0 for the events that are no failure. */
static uint8_t tap_kind(enum failure_kind kind)
{
    switch (kind) {
    case FAILURE_ERROR_ANSWER: return DNSFAIL_KIND_ERROR_ANSWER;
    case FAILURE_ICMP_ERROR: return DNSFAIL_KIND_ICMP_ERROR;
    case FAILURE_ANSWER_UNDELIVERABLE: return DNSFAIL_KIND_ANSWER_UNDELIVERABLE;
    case FAILURE_TIMEOUT: return DNSFAIL_KIND_TIMEOUT;
    case FAILURE_TCP_REFUSED: return DNSFAIL_KIND_TCP_REFUSED;
    default: return 0;
    }
}

static struct dnsfail_tap_record *tap_record_new(packet_info *pinfo, uint8_t event, uint8_t kind, uint32_t frame,
                                                 int64_t time_ns, const struct dnsfail_flow *flow)
{
    struct dnsfail_tap_record *rec = wmem_new0(pinfo->pool, struct dnsfail_tap_record);
    rec->version = DNSFAIL_TAP_VERSION;
    rec->event = event;
    rec->kind = kind;
    rec->frame = frame;
    rec->time_ns = time_ns;
    rec->flow = *flow;
    return rec;
}

/* The record's facts in the tap record's sections (include/dnsfail/tap.h). */
static void tap_put_question(struct dnsfail_tap_record *rec, const struct failure_record *r)
{
    rec->has_question = r->has_question;
    rec->question = r->question;
    if (r->has_name)
        snprintf(rec->qname, sizeof rec->qname, "%s", r->name);
}

static void tap_put_report(struct dnsfail_tap_record *rec, const struct failure_record *r)
{
    rec->reporter = r->reporter;
    rec->reporter_is_target = r->reporter_is_target;
    rec->has_dns_id = r->has_dns_id;
    rec->dns_id = r->dns_id;
}

static void tap_put_icmp(struct dnsfail_tap_record *rec, const struct failure_record *r)
{
    rec->icmp_version = r->icmp_version;
    rec->icmp_type = r->icmp_type;
    rec->icmp_code = r->icmp_code;
    rec->quote_truncated = r->quote_truncated;
    rec->recovered = r->recovered;
}

static void tap_put_answer(struct dnsfail_tap_record *rec, const struct failure_record *r)
{
    rec->rcode = r->rcode;
    rec->has_ede = r->has_ede;
    rec->ede_code = r->ede_code;
    rec->timeout_ns = r->timeout_ns;
    rec->waited_ns = r->waited_ns;
}

/* Version 3: the upstream failures that explain the failure (or that were recovered from). */
static void tap_put_causes(struct dnsfail_tap_record *rec, const struct chain_links *c)
{
    if (!c)
        return;
    rec->is_upstream = c->is_upstream;
    if (!c->cause_count)
        return;
    const struct dnsfail_chain_cause *best = &c->causes[0];
    rec->cause_count = c->cause_count;
    rec->cause_in = best->frame;
    rec->cause_match = best->match;
    rec->cause_kind = best->kind;
    rec->cause_server = best->server;
    snprintf(rec->cause, sizeof rec->cause, "%s", best->text);
}

static void tap_put_failure(struct dnsfail_tap_record *rec, const struct failure_record *r)
{
    tap_put_question(rec, r);
    tap_put_report(rec, r);
    tap_put_icmp(rec, r);
    rec->diagnosis = (uint8_t)failure_record_diagnosis(r);
    snprintf(rec->reason, sizeof rec->reason, "%s", r->reason);
    rec->attempt = r->link.attempt;
    rec->request_in = r->link.request_in;
    tap_put_answer(rec, r);
    if (r->chain && !r->chain->recovered)
        tap_put_causes(rec, r->chain);
}

void failure_render_tap(packet_info *pinfo, const struct failure_record *r)
{
    if (!failure_tap_wanted())
        return;
    struct dnsfail_tap_record *rec =
        tap_record_new(pinfo, tap_event(r->kind), tap_kind(r->kind), r->frame, r->time_ns, &r->flow);
    tap_put_failure(rec, r);
    tap_queue_packet(dnsfail_tap, pinfo, rec);
}

void failure_render_tap_record(struct dnsfail_tap_record *rec, const struct failure_record *r)
{
    memset(rec, 0, sizeof *rec);
    rec->version = DNSFAIL_TAP_VERSION;
    rec->event = tap_event(r->kind);
    rec->kind = tap_kind(r->kind);
    rec->frame = r->frame;
    rec->time_ns = r->time_ns;
    rec->flow = r->flow;
    tap_put_failure(rec, r);
}

void failure_render_answer(packet_info *pinfo, const struct dnsfail_flow *flow, const struct dnsfail_question *q)
{
    if (!failure_tap_wanted())
        return;
    struct dnsfail_tap_record *rec =
        tap_record_new(pinfo, DNSFAIL_TAP_ANSWER, 0, pinfo->num, frame_time_ns(pinfo), flow);
    rec->has_question = true;
    rec->question = *q;
    dnsfail_dns_name_format(&q->qname, rec->qname, sizeof rec->qname);
    tap_queue_packet(dnsfail_tap, pinfo, rec);
}

void failure_render_recovered(packet_info *pinfo, const struct chain_links *c)
{
    if (!failure_tap_wanted())
        return;
    struct dnsfail_tap_record *rec =
        tap_record_new(pinfo, DNSFAIL_TAP_UPSTREAM_RECOVERED, 0, pinfo->num, frame_time_ns(pinfo), &c->flow);
    if (c->question) {
        rec->has_question = true;
        rec->question = *c->question;
        dnsfail_dns_name_format(&c->question->qname, rec->qname, sizeof rec->qname);
    }
    tap_put_causes(rec, c);
    rec->is_upstream = false;
    tap_queue_packet(dnsfail_tap, pinfo, rec);
}

/* ---- all of it ---------------------------------------------------------------------------- */

void failure_render(packet_info *pinfo, proto_tree *tree, const struct failure_record *r)
{
    struct failure_words *w = wmem_new(pinfo->pool, struct failure_words);

    failure_words_init(w, r);
    w->later_pass = pinfo->fd && PINFO_FD_VISITED(pinfo); /* a totals filter's own pinfo has no frame */
    add_info(pinfo, w);
    /* Expert items reach the expert tap and _ws.expert even without a tree item. */
    proto_item *top = tree ? failure_tree_add(tree, w, details_wanted(tree)) : NULL;
    if (expert_wanted(pinfo, top))
        failure_expert_add(pinfo, top, w);
    failure_render_tap(pinfo, r);
}

void failure_render_tree(packet_info *pinfo, proto_tree *tree, const struct failure_record *r)
{
    struct failure_words *w = wmem_new(pinfo->pool, struct failure_words);

    failure_words_init(w, r);
    w->later_pass = pinfo->fd && PINFO_FD_VISITED(pinfo); /* a totals filter's own pinfo has no frame */
    if (tree)
        failure_tree_add(tree, w, details_wanted(tree));
}

/* Known only once the failure's frame has been read, so in a later pass or in the GUI. */
void failure_render_query_link(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const struct query_link *link)
{
    col_append_fstr(pinfo->cinfo, COL_INFO, " [DNS query failed: %s in frame %u]", link->what, link->error_in);
    proto_item *item = tree ? failure_tree_add_query_link(tree, tvb, link) : NULL;
    failure_expert_query_failed(pinfo, item, link);
}

void failure_render_undelivered_link(proto_tree *tree, tvbuff_t *tvb, uint32_t error_frame)
{
    if (tree)
        failure_tree_add_undelivered_link(tree, tvb, error_frame);
}

void failure_render_tracking_limit(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, uint32_t max_queries)
{
    failure_expert_tracking_limit(pinfo, tree, tvb, max_queries);
}

void failure_render_unreadable_quote(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const char *why)
{
    failure_expert_quote_unreadable(pinfo, tree, tvb, why);
}
