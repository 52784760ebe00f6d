/* report_tap.c - the incident report (-z dnsfail,report[,json]): the core's summary of
 * the "dnsfail" tap's records, printed when the capture has been read.
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
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "dnsfail/incident.h"
#include "dnsfail/tap.h"

/* -z dnsfail,report[,json]: the incident summary, printed when the capture has been read. */
struct report {
    struct dnsfail_incident *incident;
    bool json;
    bool end_told;                 /* the capture's failed retries were counted once */
};

static const struct dnsfail_incident_config *incident_config;
static void (*capture_end)(const void *context,
                           void (*take)(void *listener, const struct dnsfail_tap_record *rec, bool failed),
                           void *listener);
static const void *capture_end_context;

static tap_packet_status report_packet(void *data, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                       const void *record, tap_flags_t flags _U_)
{
    struct report *r = data;
    const struct dnsfail_tap_record *rec = record;
    if (!rec || rec->version != DNSFAIL_TAP_VERSION)
        return TAP_PACKET_DONT_REDRAW;
    dnsfail_incident_add(r->incident, rec);
    return TAP_PACKET_REDRAW;
}

/* A query still waiting when the capture ended: a failed retry (counted once, however
 * often the report is drawn), or a query still waiting (told afresh at each draw). */
static void take_capture_end(void *listener, const struct dnsfail_tap_record *rec, bool failed)
{
    struct report *r = listener;
    if (!failed)
        dnsfail_incident_add_waiting(r->incident, rec);
    else if (!r->end_told)
        dnsfail_incident_add(r->incident, rec);
}

static void report_draw(void *data)
{
    struct report *r = data;
    /* The queries still waiting when the capture ended: the tracker knows them. */
    dnsfail_incident_clear_waiting(r->incident);
    if (capture_end)
        capture_end(capture_end_context, take_capture_end, r);
    r->end_told = true;
    char *text = r->json ? dnsfail_incident_report_json(r->incident) : dnsfail_incident_report_text(r->incident);
    if (!text) {
        fprintf(stderr, "dnsfail: out of memory writing the report\n");
        return;
    }
    fputs(text, stdout);
    free(text);
}

static void report_finish(void *data)
{
    struct report *r = data;
    dnsfail_incident_free(r->incident);
    g_free(r);
}

static void report_init(const char *opt_arg, void *userdata _U_)
{
    static const char prefix[] = "dnsfail,report";
    const char *options = opt_arg + strlen(prefix);
    const char *filter = NULL;
    struct report *r = g_new0(struct report, 1);

    /* dnsfail,report  |  dnsfail,report,json  |  ...,FILTER */
    if (strncmp(options, ",json", 5) == 0 && (options[5] == '\0' || options[5] == ',')) {
        r->json = true;
        options += 5;
    }
    if (options[0] == ',' && options[1] != '\0')
        filter = options + 1;
    r->incident = dnsfail_incident_new(incident_config);
    GString *error = register_tap_listener(DNSFAIL_TAP_NAME, r, filter, TL_REQUIRES_NOTHING, NULL, report_packet,
                                           report_draw, report_finish);
    if (error) {
        fprintf(stderr, "tshark: -z dnsfail,report: %s\n", error->str);
        g_string_free(error, TRUE);
        dnsfail_incident_free(r->incident);
        g_free(r);
        exit(1);
    }
}

static stat_tap_ui report_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "DNS Failure Report",
    "dnsfail,report",
    report_init,
    0,
    NULL,
};

void report_tap_register(const struct dnsfail_incident_config *config,
                         void (*end)(const void *context,
                                     void (*take)(void *listener, const struct dnsfail_tap_record *rec, bool failed),
                                     void *listener),
                         const void *context)
{
    incident_config = config;
    capture_end = end;
    capture_end_context = context;
    register_stat_tap_ui(&report_ui, NULL);
}
