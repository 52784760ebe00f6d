/* protocol.c - registration: the protocol, its preferences, and the analysis state's
 * life (made at registration, reset per file, freed at exit). The fields and expert items
 * are registered by the files that add them (failure_tree.c, failure_expert.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "protocol.h"

#include <epan/prefs.h>
#include <epan/range.h>
#include <wsutil/report_message.h>

#include "dnsfail/duration.h"
#include "dnsfail/incident.h"
#include "dnsfail/text.h"

#include "analysis_state.h"
#include "failure_render.h"
#include "frame_hooks.h"
#include "frame_stash.h"
#include "report_tap.h"
#include "totals_tree.h"
#include "timeout.h"

#define DNSFAIL_DEFAULT_PORTS "53,5353,5355"

static int proto_dnsfail = -1;
static int proto_dnsfail_postdissector = -1;
static const char dnsfail_short_name[] = "DNSFAIL";

/* The analysis' state: the one instance, handed to the hooks and the report. */
static struct analysis_state analysis;
/* The totals count resolutions with the same retry window as the fields. */
static struct dnsfail_incident_config incident_config;

static range_t *pref_dns_ports;
static unsigned pref_retry_window_s = 10;
/* Seconds as typed ("5", "2.5"): Wireshark 4.0 has no preference for a number with
 * decimals, so the text is kept and the core reads it. */
static const char *pref_timeout_text = "5";
static int64_t timeout_ns = 5 * DNSFAIL_NS_PER_S; /* the last value that was read */
static unsigned pref_max_queries = DNSFAIL_TRACKER_DEFAULT_MAX_QUERIES;

/* The "dnsfail" dissector handle: the same analysis, for whoever calls it by name. */
static int dissect_dnsfail(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return frame_hooks_dissect(tvb, pinfo, tree, data);
}

static void add_port_range(void *set, uint32_t low, uint32_t high)
{
    dnsfail_port_set_add_range(set, (uint16_t)low, (uint16_t)high);
}

/* A timeout preference that is no duration is refused with a message naming what it
 * takes; the timeout in force stays. The largest value is the largest the preference
 * took when it was a whole number of seconds. */
static void apply_timeout_pref(void)
{
    int64_t ns;
    enum dnsfail_seconds_status status = dnsfail_parse_seconds(pref_timeout_text, UINT32_MAX, &ns);
    if (status == DNSFAIL_SECONDS_OK) {
        timeout_ns = ns;
        return;
    }
    char in_force[24];
    dnsfail_format_timeout(timeout_ns, in_force, sizeof in_force);
    report_failure("dnsfail: the preference dnsfail.timeout is refused: \"%s\" (%s). It takes seconds "
                   "greater than 0, with at most three decimals, such as 5 or 2.5. The timeout stays %s.",
                   pref_timeout_text ? pref_timeout_text : "", dnsfail_seconds_status_text(status), in_force);
}

static void apply_prefs(void)
{
    dnsfail_port_set_clear(&analysis.dns_ports);
    if (pref_dns_ports) {
        for (uint32_t i = 0; i < pref_dns_ports->nranges; i++)
            add_port_range(&analysis.dns_ports, pref_dns_ports->ranges[i].low, pref_dns_ports->ranges[i].high);
    }
    apply_timeout_pref();
    struct dnsfail_tracker_config config = {
        .max_queries = pref_max_queries,
        .retry_window_ns = (int64_t)pref_retry_window_s * DNSFAIL_NS_PER_S,
        .timeout_ns = timeout_ns,
    };
    analysis_state_configure(&analysis, &config);
    incident_config.retry_window_ns = config.retry_window_ns;
}

/* State is per capture file: forget everything when one is opened or closed. */
static void reset_file_state(void)
{
    analysis_state_reset_file(&analysis);
    timeouts_reset();
    failure_render_init(); /* the expert tap and protocol exist by the time a file opens */
}

/* Wireshark is exiting: free what lives as long as the program, before the plugin is unloaded
 * (after that, nothing could free it and memcheck counts it as definitely lost). */
static void free_program_state(void)
{
    frame_stash_shutdown();
    analysis_state_free(&analysis);
    timeouts_reset(); /* their marks are malloc'd, not file scope */
}

static void register_prefs(void)
{
    module_t *module = prefs_register_protocol(proto_dnsfail, apply_prefs);

    range_convert_str(wmem_epan_scope(), &pref_dns_ports, DNSFAIL_DEFAULT_PORTS, 65535);
    prefs_register_range_preference(module, "dns_ports", "DNS ports",
        "UDP and TCP ports that carry DNS: an ICMP error quoting a datagram to or from one of them is analysed",
        &pref_dns_ports, 65535);
    prefs_register_uint_preference(module, "retry_window", "Retry window (seconds)",
        "A query repeating the same question to the same server within this many seconds of the previous try "
        "counts as the next attempt of one resolution",
        10, &pref_retry_window_s);
    prefs_register_string_preference(module, "timeout", "Timeout (seconds)",
        "A query that nothing answers within this many seconds timed out; an answer after it is late. Seconds "
        "greater than 0, with at most three decimals: 5, 2.5, 0.25. Known once the capture shows the time "
        "passing: on the query's frame in a second pass (tshark -2, the GUI), in the totals and the report in "
        "tshark's single pass",
        &pref_timeout_text);
    prefs_register_uint_preference(module, "max_tracked_queries", "Queries remembered",
        "How many recent queries are kept for matching ICMP errors; the oldest are forgotten past this "
        "(about 460 bytes each at most, with the questions and failures kept beside them)",
        10, &pref_max_queries);
}

void proto_register_dnsfail(void)
{
    proto_dnsfail = proto_register_protocol("DNS Failure Analysis", dnsfail_short_name, "dnsfail");
    proto_dnsfail_postdissector = proto_register_protocol_in_name_only(
        "DNS Failure Analysis: its post-dissector, on and off with DNSFAIL", dnsfail_short_name,
        "dnsfail.postdissector", proto_dnsfail,
        FT_PROTOCOL);
    failure_render_register(proto_dnsfail);
    register_prefs();
    analysis_state_init(&analysis, proto_dnsfail);
    incident_config.retry_window_ns = (int64_t)pref_retry_window_s * DNSFAIL_NS_PER_S;
    register_init_routine(reset_file_state);
    register_cleanup_routine(reset_file_state);
    register_shutdown_routine(free_program_state);
    totals_tree_register(&incident_config, timeouts_capture_end, &analysis);
    report_tap_register(&incident_config, &(struct report_sources){
        .capture_end = timeouts_capture_end,
        .dns_messages = analysis_state_dns_messages,
        .context = &analysis,
        .proto = proto_dnsfail,
    });
}

void proto_reg_handoff_dnsfail(void)
{
    /* dnsfail analyses a frame at the end of the wrapper that noted its ICMP error or DNS
     * datagram (frame_hooks.c), after everything under it is dissected: a post-dissector
     * of the frames it hooks, not of every frame. A registered post-dissector would cost
     * every frame Wireshark's TRY and its loop over the post-dissectors, for a call that
     * does nothing on most frames (docs/design.md). The handle keeps its name and its
     * helper protocol ("in name only": it pushes no layer, and Enabled Protocols shows it
     * as a second DNSFAIL row whose tick follows dnsfail's); both are documented names. */
    register_dissector("dnsfail", dissect_dnsfail, proto_dnsfail_postdissector);
    apply_prefs();
    frame_hooks_install(proto_dnsfail, &analysis);
    failure_render_init();
}
