/* totals_tree.c - the totals as a stats tree (-z dnsfail,tree, Statistics > DNS Failures),
 * fed by the "dnsfail" tap.
 *
 * The counting itself is the core's (include/dnsfail/incident.h); here it is only
 * shown.
 *
 * Timeouts are failed attempts like the others: in every breakdown, with their reason
 * ("no answer within 5 s") and cause (no_answer). Nobody reported them, so "by reporter"
 * counts them under "(no report: timeout)" (every breakdown adds up to the failed
 * attempts). A TCP SYN nothing answered has no question: "(name not quoted)" and
 * "(unknown)" type, as a refused TCP connection. Late answers (after the query timed out)
 * are counted in their own node, like undeliverable answers: not failures.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "totals_tree.h"

#include <epan/stats_tree.h>
#include <epan/packet.h>
#include <epan/tap.h>

#include "dnsfail/incident.h"
#include "dnsfail/tap.h"

/* The menu name must not contain '/': wireshark-qt 4.0 crashes building such a menu. */
#define TREE_NAME "DNS Failures"

static const char *const node_failed_resolutions = "Failed resolutions";
static const char *const node_failed_attempts = "Failed attempts";
static const char *const node_recovered = "Resolutions recovered after failures";
static const char *const node_undeliverable = "Undeliverable answers";
static const char *const node_nxdomain = "NXDOMAIN answers";
static const char *const node_late = "Late answers";
#define NO_REPORTER_TIMEOUT "(no report: timeout)"


/* One stats tree window or -z argument at a time may be open per tree: each has its own. */
struct tree_state {
    struct dnsfail_incident *incident;
    int resolutions;
    int attempts;
    int recovered;
    int undeliverable;
    int nxdomain;
    int late;
    int by_reason, by_cause, by_server, by_name, by_type, by_client, by_reporter;
    int resolutions_by_server;
    GHashTable *failed_servers; /* server text -> struct dnsfail_addr *, for re-setting their nodes */
    stats_tree *st;
    bool end_listening;         /* its capture-end listener is registered (end_packet, end_draw) */
    bool end_told;              /* the capture's failed retries were counted once */
};

static GHashTable *tree_states; /* stats_tree * -> struct tree_state * */
static const struct dnsfail_incident_config *incident_config;
static void (*capture_end)(const void *context,
                           void (*take)(void *listener, const struct dnsfail_tap_record *rec, bool failed),
                           void *listener);
static const void *capture_end_context;
static bool shutting_down;      /* the tap system may be gone: no listener is removed */

static struct tree_state *state_of(stats_tree *st)
{
    return tree_states ? g_hash_table_lookup(tree_states, st) : NULL;
}

static void free_state(struct tree_state *s)
{
    if (s->end_listening && !shutting_down)
        remove_tap_listener(s);
    dnsfail_incident_free(s->incident);
    g_hash_table_destroy(s->failed_servers);
    g_free(s);
}

static void listen_for_capture_end(struct tree_state *s);

/* Also called again for the same tree when Wireshark resets it (a retap). */
static void tree_init(stats_tree *st)
{
    struct tree_state *old = state_of(st);
    if (old) {
        g_hash_table_remove(tree_states, st);
        free_state(old);
    }
    struct tree_state *s = g_new0(struct tree_state, 1);
    s->incident = dnsfail_incident_new(incident_config);
    s->failed_servers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    s->resolutions = stats_tree_create_node(st, node_failed_resolutions, 0, STAT_DT_INT, TRUE);
    s->resolutions_by_server = stats_tree_create_node(st, "by server", s->resolutions, STAT_DT_INT, TRUE);
    s->attempts = stats_tree_create_node(st, node_failed_attempts, 0, STAT_DT_INT, TRUE);
    s->by_reason = stats_tree_create_pivot(st, "by reason", s->attempts);
    s->by_cause = stats_tree_create_pivot(st, "by likely cause", s->attempts);
    s->by_server = stats_tree_create_pivot(st, "by server", s->attempts);
    s->by_name = stats_tree_create_pivot(st, "by query name", s->attempts);
    s->by_type = stats_tree_create_pivot(st, "by query type", s->attempts);
    s->by_client = stats_tree_create_pivot(st, "by client", s->attempts);
    s->by_reporter = stats_tree_create_pivot(st, "by reporter", s->attempts);
    s->recovered = stats_tree_create_node(st, node_recovered, 0, STAT_DT_INT, FALSE);
    s->undeliverable = stats_tree_create_node(st, node_undeliverable, 0, STAT_DT_INT, FALSE);
    s->nxdomain = stats_tree_create_node(st, node_nxdomain, 0, STAT_DT_INT, FALSE);
    s->late = stats_tree_create_node(st, node_late, 0, STAT_DT_INT, FALSE);
    s->st = st;
    listen_for_capture_end(s);
    if (!tree_states)
        tree_states = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_insert(tree_states, st, s);
}

static void tree_cleanup(stats_tree *st)
{
    struct tree_state *s = state_of(st);
    if (!s)
        return;
    g_hash_table_remove(tree_states, st);
    free_state(s);
}

static void tick_attempt(stats_tree *st, const struct tree_state *s, const struct dnsfail_tap_record *rec)
{
    char server[DNSFAIL_ADDR_TEXT_MAX], client[DNSFAIL_ADDR_TEXT_MAX], reporter[DNSFAIL_ADDR_TEXT_MAX];
    char type[16];

    /* The reason is a fixed-size field of a record from another plugin's code: bounded. */
    char reason[DNSFAIL_REASON_TEXT_MAX];
    g_strlcpy(reason, rec->reason, sizeof reason);
    bool timeout = rec->kind == DNSFAIL_KIND_TIMEOUT;

    tick_stat_node(st, node_failed_attempts, 0, TRUE);
    stats_tree_tick_pivot(st, s->by_reason, reason[0] ? reason : "(no reason given)");
    stats_tree_tick_pivot(st, s->by_cause, dnsfail_diagnosis_key((enum dnsfail_diagnosis)rec->diagnosis));
    stats_tree_tick_pivot(st, s->by_server, dnsfail_addr_format(&rec->flow.server, server, sizeof server));
    stats_tree_tick_pivot(st, s->by_name, rec->qname[0] ? rec->qname : "(name not quoted)");
    stats_tree_tick_pivot(st, s->by_type,
                          rec->has_question ? dnsfail_dns_type_format(rec->question.qtype, type, sizeof type)
                                            : "(unknown)");
    stats_tree_tick_pivot(st, s->by_client, dnsfail_addr_format(&rec->flow.client, client, sizeof client));
    stats_tree_tick_pivot(st, s->by_reporter,
                          timeout ? NO_REPORTER_TIMEOUT : dnsfail_addr_format(&rec->reporter, reporter, sizeof reporter));
}

static void set_server_node(stats_tree *st, const struct tree_state *s, const char *server,
                            const struct dnsfail_addr *addr)
{
    set_stat_node(st, server, s->resolutions_by_server, FALSE,
                  (int)dnsfail_incident_failed_resolutions_for_server(s->incident, addr));
}

static void set_all_server_nodes(stats_tree *st, struct tree_state *s)
{
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, s->failed_servers);
    while (g_hash_table_iter_next(&it, &key, &value))
        set_server_node(st, s, key, value);
}

/* Resolutions change when an answer arrives after failures, so their nodes are set from
 * the core's count rather than ticked. An answer (from any server) may lower the count
 * of every server that failed that question, so it re-sets them all; so does a failure
 * that joined two resolutions into one (a timeout arriving late, in single pass). */
static void set_resolution_nodes(stats_tree *st, struct tree_state *s, const struct dnsfail_tap_record *rec,
                                 const struct dnsfail_incident_totals *before)
{
    struct dnsfail_incident_totals totals;
    char server[DNSFAIL_ADDR_TEXT_MAX];

    dnsfail_incident_get_totals(s->incident, &totals);
    set_stat_node(st, node_failed_resolutions, 0, TRUE, (int)totals.failed_resolutions);
    set_stat_node(st, "by server", s->resolutions, TRUE, (int)totals.failed_resolutions);
    set_stat_node(st, node_recovered, 0, FALSE, (int)totals.recovered_resolutions);
    if (rec->event == DNSFAIL_TAP_ANSWER || rec->event == DNSFAIL_TAP_NXDOMAIN) {
        if (totals.recovered_resolutions == before->recovered_resolutions)
            return; /* an ordinary answer: no count changed */
        set_all_server_nodes(st, s);
    } else if (rec->event == DNSFAIL_TAP_FAILURE && rec->kind != DNSFAIL_KIND_ANSWER_UNDELIVERABLE) {
        dnsfail_addr_format(&rec->flow.server, server, sizeof server);
        if (!g_hash_table_contains(s->failed_servers, server))
            g_hash_table_insert(s->failed_servers, g_strdup(server), g_memdup2(&rec->flow.server, sizeof rec->flow.server));
        if (totals.failed_resolutions < before->failed_resolutions)
            set_all_server_nodes(st, s); /* resolutions were joined: other servers' counts fell */
        else
            set_server_node(st, s, server, &rec->flow.server);
    }
}

static void count_record(stats_tree *st, struct tree_state *s, const struct dnsfail_tap_record *rec)
{
    struct dnsfail_incident_totals before;
    dnsfail_incident_get_totals(s->incident, &before);
    dnsfail_incident_add(s->incident, rec);
    if (rec->event == DNSFAIL_TAP_NXDOMAIN)
        tick_stat_node(st, node_nxdomain, 0, FALSE);
    else if (rec->event == DNSFAIL_TAP_LATE_ANSWER)
        tick_stat_node(st, node_late, 0, FALSE);
    else if (rec->event == DNSFAIL_TAP_FAILURE && rec->kind == DNSFAIL_KIND_ANSWER_UNDELIVERABLE)
        tick_stat_node(st, node_undeliverable, 0, FALSE);
    else if (rec->event == DNSFAIL_TAP_FAILURE)
        tick_attempt(st, s, rec);
    set_resolution_nodes(st, s, rec, &before);
}

static tap_packet_status tree_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                     const void *data, tap_flags_t flags _U_)
{
    const struct dnsfail_tap_record *rec = data;
    struct tree_state *s = state_of(st);

    if (!s || !rec || rec->version != DNSFAIL_TAP_VERSION)
        return TAP_PACKET_DONT_REDRAW;
    count_record(st, s, rec);
    return TAP_PACKET_REDRAW;
}

/* ---- the end of the capture ------------------------------------------------------- */

/* A retried query nothing answered, known only at the end of tshark's single pass: a
 * failed attempt, counted once. The tree has no node for the queries still waiting. */
static void take_capture_end(void *listener, const struct dnsfail_tap_record *rec, bool failed)
{
    struct tree_state *s = listener;
    if (failed && !s->end_told)
        count_record(s->st, s, rec);
}

static tap_packet_status end_packet(void *data _U_, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                    const void *record _U_, tap_flags_t flags _U_)
{
    return TAP_PACKET_DONT_REDRAW;
}

/* Drawn before the tree itself: tshark draws the listeners registered last first, and this
 * one is registered by the tree's init, after the tree's own. */
static void end_draw(void *data)
{
    struct tree_state *s = data;
    if (capture_end)
        capture_end(capture_end_context, take_capture_end, s);
    s->end_told = true;
}

/* A listener of its own, for its draw callback: a stats tree offers none. */
static void listen_for_capture_end(struct tree_state *s)
{
    GString *error = register_tap_listener(DNSFAIL_TAP_NAME, s, NULL, TL_REQUIRES_NOTHING, NULL, end_packet, end_draw,
                                           NULL);
    if (error) {
        g_string_free(error, TRUE);
        return;
    }
    s->end_listening = true;
}

/* Wireshark is exiting: tshark never cleans its -z trees up, so free their states here,
 * while the plugin is still loaded. */
static void free_tree_states(void)
{
    shutting_down = true;
    if (!tree_states)
        return;
    GHashTableIter it;
    gpointer st, s;
    g_hash_table_iter_init(&it, tree_states);
    while (g_hash_table_iter_next(&it, &st, &s))
        free_state(s);
    g_hash_table_destroy(tree_states);
    tree_states = NULL;
}

void totals_tree_register(const struct dnsfail_incident_config *config,
                          void (*end)(const void *context,
                                      void (*take)(void *listener, const struct dnsfail_tap_record *rec, bool failed),
                                      void *listener),
                          const void *context)
{
    incident_config = config;
    capture_end = end;
    capture_end_context = context;
    register_shutdown_routine(free_tree_states);
    stats_tree_register_plugin(DNSFAIL_TAP_NAME, "dnsfail", TREE_NAME, 0, tree_packet, tree_init, tree_cleanup);
}
