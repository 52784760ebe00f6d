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
 * With a filter (-z dnsfail,tree,FILTER, or the filter of the GUI's window), the tree is
 * fed every record and counts those the filter keeps (totals_filter.h): Wireshark's own
 * filter on the tree's listener is taken off, so that an answer from another server
 * still recovers a resolution and a timeout single pass finds late still counts.
 * tshark's -z dnsfail,tree,FILTER is read here too, so that a wrong argument is an error.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "totals_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/stats_tree_priv.h>
#include <epan/tap.h>

#include "dnsfail/incident.h"
#include "dnsfail/tap.h"

#include "dnsfail_compat.h"
#include "totals_filter.h"

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
    struct totals_filter *filter;  /* NULL: every record counts */
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
static void (*capture_end)(const void *context, void (*take)(void *listener, const struct capture_end_query *q),
                           void *listener);
static const void *capture_end_context;

static struct tree_state *state_of(stats_tree *st)
{
    return tree_states ? g_hash_table_lookup(tree_states, st) : NULL;
}

static void free_state(struct tree_state *s)
{
    if (s->end_listening)
        remove_tap_listener(s);
    totals_filter_free(s->filter);
    dnsfail_incident_free(s->incident);
    g_hash_table_destroy(s->failed_servers);
    g_free(s);
}

static void listen_for_capture_end(struct tree_state *s);

/* The tree's filter, counted here rather than by Wireshark (the file's comment); the one
 * of an earlier init of the same tree when it is the same. */
static struct totals_filter *take_filter(stats_tree *st, struct tree_state *old)
{
    const char *text = st->filter && st->filter[0] ? st->filter : NULL;
    struct totals_filter *f = NULL;
    if (old && old->filter && text && strcmp(totals_filter_text(old->filter), text) == 0) {
        f = old->filter;
        old->filter = NULL;
    } else if (text) {
        f = totals_filter_new("dnsfail,tree", text);
    }
    if (f)
        set_tap_dfilter(st, NULL);
    return f;
}

/* Also called again for the same tree when Wireshark resets it (a retap). */
static void tree_init(stats_tree *st)
{
    struct tree_state *old = state_of(st);
    struct totals_filter *filter = take_filter(st, old);
    if (old) {
        g_hash_table_remove(tree_states, st);
        free_state(old);
    }
    struct tree_state *s = g_new0(struct tree_state, 1);
    s->filter = filter;
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

/* A record the filter does not keep changes no attempt, but it may change resolutions:
 * an answer recovers a kept one, a failure joins two kept ones. Then every count that
 * can have moved is set again. */
static void set_resolution_nodes_unkept(stats_tree *st, struct tree_state *s,
                                        const struct dnsfail_incident_totals *before)
{
    struct dnsfail_incident_totals totals;
    dnsfail_incident_get_totals(s->incident, &totals);
    if (totals.failed_resolutions == before->failed_resolutions &&
        totals.recovered_resolutions == before->recovered_resolutions)
        return;
    set_stat_node(st, node_failed_resolutions, 0, TRUE, (int)totals.failed_resolutions);
    set_stat_node(st, "by server", s->resolutions, TRUE, (int)totals.failed_resolutions);
    set_stat_node(st, node_recovered, 0, FALSE, (int)totals.recovered_resolutions);
    set_all_server_nodes(st, s);
}

static void count_record(stats_tree *st, struct tree_state *s, const struct dnsfail_tap_record *rec, bool kept)
{
    struct dnsfail_incident_totals before;
    dnsfail_incident_get_totals(s->incident, &before);
    dnsfail_incident_add_kept(s->incident, rec, kept);
    if (!kept) {
        set_resolution_nodes_unkept(st, s, &before);
        return;
    }
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

static tap_packet_status tree_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt, const void *data,
                                     tap_flags_t flags _U_)
{
    const struct dnsfail_tap_record *rec = data;
    struct tree_state *s = state_of(st);

    if (!s || !rec || rec->version != DNSFAIL_TAP_VERSION)
        return TAP_PACKET_DONT_REDRAW;
    count_record(st, s, rec, totals_filter_keeps(s->filter, pinfo, edt, rec));
    return TAP_PACKET_REDRAW;
}

/* ---- the end of the capture ------------------------------------------------------- */

/* A retried query nothing answered, known only at the end of tshark's single pass: a
 * failed attempt, counted once, if the filter keeps it as its query's frame would show
 * it. The tree has no node for the queries still waiting. */
static void take_capture_end(void *listener, const struct capture_end_query *q)
{
    struct tree_state *s = listener;
    if (q->failed && !s->end_told)
        count_record(s->st, s, q->rec, totals_filter_keeps_alone(s->filter, q->session, q->rec));
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

/* ---- tshark's -z dnsfail,tree,FILTER -------------------------------------------------- */

#define TREE_PREFIX "dnsfail,tree"

/* As tshark prints a stats tree. */
static void cli_tree_draw(void *data)
{
    stats_tree *st = data;
    GString *s = stats_tree_format_as_str(st, ST_FORMAT_PLAIN, stats_tree_get_default_sort_col(st),
                                          stats_tree_is_default_sort_DESC(st));
    printf("%s", s->str);
    g_string_free(s, TRUE);
}

/* tshark hands "dnsfail,tree,..." here (the longer prefix wins over the stats tree's own
 * "dnsfail,tree"), which would print an error for a wrong filter and go on, exiting 0 with
 * no tree. Here a wrong argument ends tshark with an error; a right one makes the tree as
 * tshark would. */
static bool cli_tree_start(const char *opt_arg)
{
    struct totals_args args;
    if (!totals_args_parse(opt_arg, TREE_PREFIX, false, &args))
        return false;
    stats_tree_cfg *cfg = stats_tree_get_cfg_by_abbr("dnsfail");
    if (!cfg) {
        fprintf(stderr, "tshark: -z %s: the DNS Failures stats tree is not registered\n", opt_arg);
        return false;
    }
    if (args.filter) {
        /* Compiled once to say what is wrong with it, before anything is counted. */
        struct totals_filter *probe = totals_filter_new(opt_arg, args.filter);
        if (!probe)
            return false;
        totals_filter_free(probe);
    }
    stats_tree *st = stats_tree_new(cfg, NULL, args.filter);
    GString *error = register_tap_listener(cfg->tapname, st, st->filter, cfg->flags, stats_tree_reset,
                                           stats_tree_packet, cli_tree_draw, NULL);
    if (error) {
        fprintf(stderr, "tshark: -z %s: %s\n", opt_arg, error->str);
        g_string_free(error, TRUE);
        return false;
    }
    if (cfg->init)
        cfg->init(st);
    return true;
}
DNSFAIL_STAT_TAP_INIT_CB(cli_tree_init, cli_tree_start);

static stat_tap_ui cli_tree_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    TREE_NAME " (with a filter)",
    TREE_PREFIX ",",
    cli_tree_init,
    0,
    NULL,
};

void totals_tree_register(const struct dnsfail_incident_config *config,
                          void (*end)(const void *context, void (*take)(void *listener, const struct capture_end_query *q),
                                      void *listener),
                          const void *context)
{
    incident_config = config;
    capture_end = end;
    capture_end_context = context;
    register_shutdown_routine(free_tree_states);
    stats_tree_register_plugin(DNSFAIL_TAP_NAME, "dnsfail", TREE_NAME, 0, tree_packet, tree_init, tree_cleanup);
    register_stat_tap_ui(&cli_tree_ui, NULL);
}
