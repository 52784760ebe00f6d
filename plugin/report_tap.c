/* report_tap.c - the incident report (-z dnsfail,report[,json][,FILTER]): the core's
 * summary of the "dnsfail" tap's records, printed when the capture has been read.
 *
 * With a filter, the report is fed every record and counts those the filter keeps
 * (totals_filter.h), so that its counts are the unfiltered report's for what the filter
 * keeps, in single pass and with -2.
 *
 * The report is the only output the plugin writes itself, to stdout (and an error to
 * stderr); it opens no file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_tap.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "dnsfail/incident.h"
#include "dnsfail/tap.h"

#include "dnsfail_compat.h"
#include "totals_filter.h"

#define REPORT_PREFIX "dnsfail,report"

struct report {
    struct dnsfail_incident *incident;
    struct totals_filter *filter; /* NULL: every record counts */
    bool json;
    bool end_told;                 /* the capture's failed retries were counted once */
};

static const struct dnsfail_incident_config *incident_config;
static struct report_sources sources;

static tap_packet_status report_packet(void *data, packet_info *pinfo, epan_dissect_t *edt, const void *record,
                                       tap_flags_t flags _U_)
{
    struct report *r = data;
    const struct dnsfail_tap_record *rec = record;
    if (!rec || rec->version != DNSFAIL_TAP_VERSION)
        return TAP_PACKET_DONT_REDRAW;
    dnsfail_incident_add_kept(r->incident, rec, totals_filter_keeps(r->filter, pinfo, edt, rec));
    return TAP_PACKET_REDRAW;
}

/* A query still waiting when the capture ended: a failed retry (counted once, however
 * often the report is drawn, if the filter keeps it as its query's frame would show it),
 * or a query still waiting (told afresh at each draw, whatever the filter). */
static void take_capture_end(void *listener, const struct capture_end_query *q)
{
    struct report *r = listener;
    if (!q->failed)
        dnsfail_incident_add_waiting(r->incident, q->rec);
    else if (!r->end_told)
        dnsfail_incident_add_kept(r->incident, q->rec, totals_filter_keeps_alone(r->filter, q->session, q->rec));
}

static bool dnsfail_enabled(void)
{
    protocol_t *p = sources.proto > 0 ? find_protocol_by_id(sources.proto) : NULL;
    return !p || proto_is_protocol_enabled(p);
}

static void report_draw(void *data)
{
    struct report *r = data;
    /* What the analysis knows of the whole capture: not failures, and not filtered. */
    dnsfail_incident_clear_waiting(r->incident);
    if (sources.capture_end)
        sources.capture_end(sources.context, take_capture_end, r);
    r->end_told = true;
    dnsfail_incident_set_capture(r->incident, sources.dns_messages ? sources.dns_messages(sources.context) : 0,
                                 dnsfail_enabled());
    bool ok = dnsfail_incident_set_filter(r->incident, totals_filter_text(r->filter));
    char *text = !ok ? NULL
                 : r->json ? dnsfail_incident_report_json(r->incident)
                           : dnsfail_incident_report_text(r->incident);
    if (!text) {
        fprintf(stderr, "dnsfail: out of memory writing the report\n");
        return;
    }
    fputs(text, stdout);
    free(text);
}

static void report_free(struct report *r)
{
    dnsfail_incident_free(r->incident);
    g_free(r);
}

/* Wireshark frees its listeners: the filter's goes on its own (totals_filter.h). */
static void report_finish(void *data)
{
    report_free(data);
}

/* dnsfail,report | dnsfail,report,json | ...,FILTER. A wrong argument ends tshark with
 * an error: a report that silently counted nothing would be a wrong answer. */
static bool report_start(const char *opt_arg)
{
    struct totals_args args;
    if (!totals_args_parse(opt_arg, REPORT_PREFIX, true, &args))
        return false;

    struct report *r = g_new0(struct report, 1);
    r->json = args.json;
    r->incident = dnsfail_incident_new(incident_config);
    if (args.filter) {
        r->filter = totals_filter_new(opt_arg, args.filter);
        if (!r->filter) {
            report_free(r);
            return false;
        }
    }
    GString *error = register_tap_listener(DNSFAIL_TAP_NAME, r, NULL, TL_REQUIRES_NOTHING, NULL, report_packet,
                                           report_draw, report_finish);
    if (error) {
        fprintf(stderr, "tshark: -z %s: %s\n", opt_arg, error->str);
        g_string_free(error, TRUE);
        totals_filter_free(r->filter);
        report_free(r);
        return false;
    }
    return true;
}
DNSFAIL_STAT_TAP_INIT_CB(report_init, report_start);

static stat_tap_ui report_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "DNS Failure Report",
    REPORT_PREFIX,
    report_init,
    0,
    NULL,
};

void report_tap_register(const struct dnsfail_incident_config *config, const struct report_sources *from)
{
    incident_config = config;
    sources = *from;
    register_stat_tap_ui(&report_ui, NULL);
}
