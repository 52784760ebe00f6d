/* dnsfail_items.c - tree items that ICMP errors and error answers show alike: the
 * server's typed address, the link to the query, the likely cause.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail_plugin.h"

#include <epan/column-utils.h>
#include <epan/proto_data.h>

#include <epan/tap.h>

#include "dnsfail/reason.h"
#include "dnsfail/tap.h"
#include "dnsfail/text.h"

static const char *const match_names[] = {"none", "dns_id", "datagram", "flow"};

static proto_item *generated(proto_item *item)
{
    proto_item_set_generated(item);
    return item;
}

void dnsfail_items_add_server_address(proto_tree *tree, tvbuff_t *tvb, const struct dnsfail_addr *server)
{
    proto_item *item;
    if (server->family == DNSFAIL_AF_IPV4) {
        ws_in4_addr in4; /* network byte order, as proto_tree_add_ipv4 wants it */
        memcpy(&in4, server->bytes, sizeof in4);
        item = proto_tree_add_ipv4(tree, dnsfail_hf.server_ipv4, tvb, 0, 0, in4);
    } else {
        ws_in6_addr in6;
        memcpy(in6.bytes, server->bytes, sizeof in6.bytes);
        item = proto_tree_add_ipv6(tree, dnsfail_hf.server_ipv6, tvb, 0, 0, &in6);
    }
    proto_item_set_hidden(item);
}

void dnsfail_items_add_diagnosis(proto_tree *tree, tvbuff_t *tvb, enum dnsfail_diagnosis diagnosis)
{
    proto_item *item = proto_tree_add_string(tree, dnsfail_hf.diagnosis, tvb, 0, 0, dnsfail_diagnosis_key(diagnosis));
    proto_item_append_text(item, " (%s)", dnsfail_diagnosis_text(diagnosis));
    proto_item_set_generated(item);
}

void dnsfail_items_add_link(proto_tree *tree, tvbuff_t *tvb, const struct dnsfail_link *link)
{
    if (link->request_in) {
        generated(proto_tree_add_uint(tree, dnsfail_hf.request_in, tvb, 0, 0, link->request_in));
        generated(proto_tree_add_string(tree, dnsfail_hf.request_match, tvb, 0, 0,
                                        match_names[link->match_by < G_N_ELEMENTS(match_names) ? link->match_by : 0]));
        generated(proto_tree_add_time(tree, dnsfail_hf.time, tvb, 0, 0, &link->delta));
    }
    if (link->attempt)
        generated(proto_tree_add_uint(tree, dnsfail_hf.attempt, tvb, 0, 0, link->attempt));
}

void dnsfail_link_from_match(struct dnsfail_link *link, const struct dnsfail_query_match *m, int64_t now_ns)
{
    int64_t ns = now_ns - m->time_ns;
    link->request_in = m->frame;
    link->attempt = m->attempt;
    link->match_by = m->by;
    link->delta.secs = (time_t)(ns / INT64_C(1000000000));
    link->delta.nsecs = (int)(ns % INT64_C(1000000000));
}

void dnsfail_link_query(packet_info *pinfo, uint32_t query_frame, uint32_t attempt, const char *what)
{
    struct dnsfail_query_link *link = wmem_map_lookup(dnsfail_query_links, GUINT_TO_POINTER(query_frame));
    if (link)
        return; /* the first failure reported for a query is the one it points at */
    link = wmem_new0(wmem_file_scope(), struct dnsfail_query_link);
    link->error_in = pinfo->num;
    link->attempt = attempt;
    struct dnsfail_text t;
    dnsfail_text_init(&t, link->what, sizeof link->what);
    dnsfail_text_put(&t, what);
    wmem_map_insert(dnsfail_query_links, GUINT_TO_POINTER(query_frame), link);
}

struct dnsfail_tap_record *dnsfail_tap_record_new(packet_info *pinfo, uint8_t event, uint8_t kind,
                                                  const struct dnsfail_flow *flow)
{
    if (!have_tap_listener(dnsfail_tap))
        return NULL;
    struct dnsfail_tap_record *rec = wmem_new0(pinfo->pool, struct dnsfail_tap_record);
    rec->version = DNSFAIL_TAP_VERSION;
    rec->event = event;
    rec->kind = kind;
    rec->frame = pinfo->num;
    rec->time_ns = dnsfail_frame_time_ns(pinfo);
    rec->flow = *flow;
    return rec;
}

static int expert_tap = -1;

/* The protocols' header_field_info, looked up with the ids (a registrar lookup on every
 * failure is most of what the wanted-tests below would cost): NULL when unknown. */
static const header_field_info *dnsfail_info, *ws_expert_info;

static const header_field_info *info_of(int id)
{
    return id >= 0 ? proto_registrar_get_nth((unsigned)id) : NULL;
}

void dnsfail_items_init(void)
{
    expert_tap = find_tap_id("expert");
    dnsfail_info = info_of(proto_dnsfail);
    ws_expert_info = info_of(proto_get_id_by_filter_name("_ws.expert"));
}

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

bool dnsfail_output_wanted(packet_info *pinfo, proto_tree *tree)
{
    return tree_wanted(tree) || have_tap_listener(dnsfail_tap) || expert_listening() ||
           col_get_writable(pinfo->cinfo, COL_INFO) || col_get_writable(pinfo->cinfo, COL_EXPERT);
}

/* Expert fields a filter or -e may ask for: _ws.expert's, or dnsfail's own. */
static bool expert_fields_referenced(void)
{
    return !ws_expert_info || referenced(ws_expert_info) || dnsfail_some_expert_field_referenced();
}

bool dnsfail_expert_wanted(packet_info *pinfo, proto_item *anchor)
{
    /* An item in a tree that shows nothing (a filter on "dnsfail" alone) keeps only the
     * fields asked for: the message would be written for no one. */
    bool in_tree = anchor && (PTREE_DATA(anchor)->visible || expert_fields_referenced());
    return in_tree || expert_listening() || col_get_writable(pinfo->cinfo, COL_EXPERT);
}

bool dnsfail_details_wanted(proto_tree *tree)
{
    return tree && (PTREE_DATA(tree)->visible || dnsfail_some_field_referenced());
}

const struct dnsfail_frame_results *dnsfail_results_get(packet_info *pinfo, struct dnsfail_frame_stash *stash)
{
    /* In the first pass the stash already holds whatever this frame made. */
    if (!stash->results_known && PINFO_FD_VISITED(pinfo))
        stash->results = p_get_proto_data(wmem_file_scope(), pinfo, proto_dnsfail, DNSFAIL_KEY_RESULTS);
    stash->results_known = true;
    return stash->results;
}

struct dnsfail_frame_results *dnsfail_results_make(packet_info *pinfo, struct dnsfail_frame_stash *stash)
{
    if (!stash->results) {
        stash->results = wmem_new0(wmem_file_scope(), struct dnsfail_frame_results);
        p_add_proto_data(wmem_file_scope(), pinfo, proto_dnsfail, DNSFAIL_KEY_RESULTS, stash->results);
    }
    stash->results_known = true;
    return stash->results;
}

/* A query whose failure a later frame reported: known only once that frame has been
 * read, so in a later pass or in the GUI. */
void dnsfail_annotate_failed_query(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb)
{
    if (!PINFO_FD_VISITED(pinfo))
        return; /* the failure comes in a later frame */
    const struct dnsfail_query_link *link = wmem_map_lookup(dnsfail_query_links, GUINT_TO_POINTER(pinfo->num));
    if (!link)
        return;
    col_append_fstr(pinfo->cinfo, COL_INFO, " [DNS query failed: %s in frame %u]", link->what, link->error_in);
    proto_item *item = NULL;
    if (tree) {
        /* Not under a "dnsfail" protocol item: the filter "dnsfail" selects the errors only. */
        item = proto_tree_add_uint(tree, dnsfail_hf.error_in, tvb, 0, 0, link->error_in);
        proto_item_set_generated(item);
        proto_tree *sub = proto_item_add_subtree(item, ett_dnsfail_query);
        proto_item *attempt = proto_tree_add_uint(sub, dnsfail_hf.attempt, tvb, 0, 0, link->attempt);
        proto_item_set_generated(attempt);
    }
    expert_add_info_format(pinfo, item, &dnsfail_ei.query_failed, "This DNS query failed: %s in frame %u",
                           link->what, link->error_in);
}

