/* dnsfail_proto.c - registration: the protocol, its fields, expert items, preferences,
 * per-file state and the frame's analysis (which the hooks call: dnsfail_hooks.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail_plugin.h"

#include <epan/prefs.h>
#include <epan/range.h>
#include <epan/tap.h>

#include "dnsfail/dns_message.h"
#include "dnsfail/incident.h"
#include "dnsfail/reason.h"
#include "dnsfail/tap.h"
#include "dnsfail/tcp_stream.h"

#define DNSFAIL_DEFAULT_PORTS "53,5353,5355"

int proto_dnsfail = -1;
static int proto_dnsfail_postdissector = -1;
static const char dnsfail_short_name[] = "DNSFAIL";
int dnsfail_tap = -1;
struct dnsfail_fields dnsfail_hf;
int ett_dnsfail = -1;
int ett_dnsfail_query = -1;
struct dnsfail_experts dnsfail_ei;

struct dnsfail_port_set dnsfail_dns_ports;
struct dnsfail_tracker *dnsfail_tracker;
struct dnsfail_tcp_streams *dnsfail_tcp_streams;
int64_t dnsfail_timeout_ns = DNSFAIL_TRACKER_DEFAULT_TIMEOUT_NS;
wmem_map_t *dnsfail_query_links;

static range_t *pref_dns_ports;
static unsigned pref_retry_window_s = 10;
static unsigned pref_timeout_s = 5;
static unsigned pref_max_queries = DNSFAIL_TRACKER_DEFAULT_MAX_QUERIES;

static const value_string transport_names[] = {
    {6, "TCP"},
    {17, "UDP"},
    {0, NULL},
};

static void format_qtype(char *result, uint32_t value)
{
    const char *name = dnsfail_dns_type_name((uint16_t)value);
    snprintf(result, ITEM_LABEL_LENGTH, "%s (%u)", name ? name : "Unknown", value);
}

static void format_qclass(char *result, uint32_t value)
{
    const char *name = dnsfail_dns_class_name((uint16_t)value);
    snprintf(result, ITEM_LABEL_LENGTH, "%s (0x%04x)", name ? name : "Unknown", value);
}

static void format_rcode(char *result, uint32_t value)
{
    char name[16];
    snprintf(result, ITEM_LABEL_LENGTH, "%s (%u)", dnsfail_rcode_format((uint16_t)value, name, sizeof name), value);
}

static void format_ede(char *result, uint32_t value)
{
    const char *name = dnsfail_ede_name((uint16_t)value);
    snprintf(result, ITEM_LABEL_LENGTH, "%s (%u)", name ? name : "Unassigned", value);
}

#ifdef DNSFAIL_TEST_HOOKS
#include <stdlib.h>
#include <epan/exceptions.h>

/* The test build's hook: the analysis of frame DNSFAIL_TEST_THROW_FRAME throws, after its
 * items are added, as a bug in it would. */
static void throw_if_asked(const packet_info *pinfo)
{
    const char *frame = getenv("DNSFAIL_TEST_THROW_FRAME");
    if (frame && strtoul(frame, NULL, 10) == pinfo->num)
        THROW_MESSAGE(DissectorError, "dnsfail test hook: an exception thrown inside the analysis");
}
#else
static void throw_if_asked(const packet_info *pinfo _U_) {}
#endif

void dnsfail_analyse_frame(packet_info *pinfo, proto_tree *tree)
{
    /* A frame's time may pass a waiting query's deadline: one comparison, usually. */
    bool first_pass = !PINFO_FD_VISITED(pinfo);
    if (first_pass && dnsfail_frame_time_ns(pinfo) >= dnsfail_next_deadline_ns)
        dnsfail_timeouts_expire(pinfo);
    struct dnsfail_frame_stash *stash = dnsfail_stash_take(pinfo);
    if (!stash)
        return; /* a deadline passed on a frame that is neither an ICMP error nor DNS */
    /* The analysis runs inside the wrapper of a protocol it does not name: expert items
     * and exceptions must still say "DNSFAIL". */
    pinfo->current_proto = dnsfail_short_name;
    if (first_pass)
        dnsfail_timeouts_recheck(); /* this frame may add or answer a waiting query */
    if (stash->icmp_tvb)
        dnsfail_annotate_icmp_error(pinfo, tree, stash);
    if (stash->udp_tvb)
        dnsfail_annotate_dns_frame(pinfo, tree, stash);
    if (stash->tcp_tvb)
        dnsfail_annotate_tcp_segment(pinfo, tree, stash);
    if (first_pass)
        dnsfail_timeouts_refresh();
    throw_if_asked(pinfo);
}

/* The "dnsfail" dissector handle: the same analysis, for whoever calls it by name. */
static int dissect_dnsfail(tvbuff_t *tvb _U_, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    dnsfail_analyse_frame(pinfo, tree);
    return 0;
}

static void add_port_range(void *set, uint32_t low, uint32_t high)
{
    dnsfail_port_set_add_range(set, (uint16_t)low, (uint16_t)high);
}

static void apply_prefs(void)
{
    dnsfail_port_set_clear(&dnsfail_dns_ports);
    if (pref_dns_ports) {
        for (uint32_t i = 0; i < pref_dns_ports->nranges; i++)
            add_port_range(&dnsfail_dns_ports, pref_dns_ports->ranges[i].low, pref_dns_ports->ranges[i].high);
    }
    dnsfail_timeout_ns = (int64_t)(pref_timeout_s ? pref_timeout_s : 1) * INT64_C(1000000000);
    struct dnsfail_tracker_config config = {
        .max_queries = pref_max_queries,
        .retry_window_ns = (int64_t)pref_retry_window_s * INT64_C(1000000000),
        .timeout_ns = dnsfail_timeout_ns,
    };
    if (dnsfail_tracker)
        dnsfail_tracker_configure(dnsfail_tracker, &config);
    else
        dnsfail_tracker = dnsfail_tracker_new(&config);
    if (!dnsfail_tcp_streams)
        dnsfail_tcp_streams = dnsfail_tcp_streams_new(0);
    dnsfail_timeouts_recheck(); /* the tracker was reconfigured */
}

const struct dnsfail_incident_config *dnsfail_incident_config_from_prefs(void)
{
    static struct dnsfail_incident_config config;
    config.retry_window_ns = (int64_t)pref_retry_window_s * INT64_C(1000000000);
    return &config;
}

/* State is per capture file: forget everything when one is opened or closed. */
static void reset_file_state(void)
{
    if (dnsfail_tracker)
        dnsfail_tracker_reset(dnsfail_tracker);
    if (dnsfail_tcp_streams)
        dnsfail_tcp_streams_reset(dnsfail_tcp_streams);
    dnsfail_timeouts_reset();
    dnsfail_dns_frame_reset();
    dnsfail_items_init(); /* the expert tap and protocol exist by the time a file opens */
}

/* Wireshark is exiting: free what lives as long as the program, before the plugin is unloaded
 * (after that, nothing could free it and memcheck counts it as definitely lost). */
static void free_program_state(void)
{
    dnsfail_hooks_shutdown();
    dnsfail_tracker_free(dnsfail_tracker);
    dnsfail_tracker = NULL;
    dnsfail_tcp_streams_free(dnsfail_tcp_streams);
    dnsfail_tcp_streams = NULL;
    dnsfail_timeouts_reset(); /* their marks are malloc'd, not file scope */
}

/* dnsfail's fields, and its expert fields, by their header_field_info: collected as they
 * are registered (the registrar keeps pointers into the static arrays, so they stay
 * valid), so that asking whether a filter or -e references one is a short loop, not a
 * registrar lookup per field on every failure (about 1,150 instructions each that way). */
struct field_set {
    const header_field_info *infos[64];
    size_t n;
};
static struct field_set own_fields, own_expert_fields;

static void field_set_add(struct field_set *set, int id)
{
    const header_field_info *hfi = id >= 0 ? proto_registrar_get_nth((unsigned)id) : NULL;
    if (hfi && set->n < G_N_ELEMENTS(set->infos))
        set->infos[set->n++] = hfi;
}

static bool field_set_referenced(const struct field_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        if (set->infos[i]->ref_type != HF_REF_TYPE_NONE)
            return true;
    }
    return false;
}

bool dnsfail_some_field_referenced(void)
{
    return field_set_referenced(&own_fields);
}

bool dnsfail_some_expert_field_referenced(void)
{
    return field_set_referenced(&own_expert_fields);
}

static void register_fields(void)
{
    static hf_register_info hf[] = {
        {&dnsfail_hf.kind, {"Kind", "dnsfail.kind", FT_STRING, BASE_NONE, NULL, 0x0,
            "What failed: icmp_error, answer_undeliverable, tcp_refused, timeout, late_answer, or an error answer's "
            "RCODE (servfail, refused, ...; nxdomain)",
            HFILL}},
        {&dnsfail_hf.qry_name, {"Query name", "dnsfail.qry.name", FT_STRING, BASE_NONE, NULL, 0x0,
            "The name asked for, escaped like dig prints it", HFILL}},
        {&dnsfail_hf.qry_type, {"Query type", "dnsfail.qry.type", FT_UINT16, BASE_CUSTOM, CF_FUNC(format_qtype), 0x0,
            NULL, HFILL}},
        {&dnsfail_hf.qry_class, {"Query class", "dnsfail.qry.class", FT_UINT16, BASE_CUSTOM, CF_FUNC(format_qclass),
            0x0, NULL, HFILL}},
        {&dnsfail_hf.id, {"Transaction ID", "dnsfail.id", FT_UINT16, BASE_HEX, NULL, 0x0, NULL, HFILL}},
        {&dnsfail_hf.response, {"Quoted message is a response", "dnsfail.response", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The ICMP error quotes a DNS answer on its way to the client", HFILL}},
        {&dnsfail_hf.transport, {"Transport", "dnsfail.transport", FT_UINT8, BASE_DEC, VALS(transport_names), 0x0,
            NULL, HFILL}},
        {&dnsfail_hf.client, {"Client", "dnsfail.client", FT_STRING, BASE_NONE, NULL, 0x0,
            "The host that asked (IPv4 or IPv6)", HFILL}},
        {&dnsfail_hf.client_port, {"Client port", "dnsfail.client.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&dnsfail_hf.server, {"Server", "dnsfail.server", FT_STRING, BASE_NONE, NULL, 0x0,
            "The DNS server asked (IPv4 or IPv6)", HFILL}},
        {&dnsfail_hf.server_port, {"Server port", "dnsfail.server.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&dnsfail_hf.server_ipv4, {"Server IPv4 address", "dnsfail.server.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0,
            "The server as an IPv4 address, for subnet filters", HFILL}},
        {&dnsfail_hf.server_ipv6, {"Server IPv6 address", "dnsfail.server.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0,
            "The server as an IPv6 address, for prefix filters", HFILL}},
        {&dnsfail_hf.reporter, {"Reported by", "dnsfail.reporter", FT_STRING, BASE_NONE, NULL, 0x0,
            "The host that sent the ICMP error", HFILL}},
        {&dnsfail_hf.reporter_is_target, {"Reported by the destination itself", "dnsfail.reporter.is_target",
            FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "True when the ICMP error came from the host the DNS message was sent to, not a router", HFILL}},
        {&dnsfail_hf.icmp_version, {"ICMP version", "dnsfail.icmp.version", FT_UINT8, BASE_DEC, NULL, 0x0,
            "4 for ICMP, 6 for ICMPv6", HFILL}},
        {&dnsfail_hf.icmp_type, {"ICMP type", "dnsfail.icmp.type", FT_UINT8, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&dnsfail_hf.icmp_code, {"ICMP code", "dnsfail.icmp.code", FT_UINT8, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&dnsfail_hf.reason, {"Reason", "dnsfail.reason", FT_STRING, BASE_NONE, NULL, 0x0,
            "The failure in tcpdump's words", HFILL}},
        {&dnsfail_hf.diagnosis, {"Likely cause", "dnsfail.diagnosis", FT_STRING, BASE_NONE, NULL, 0x0,
            "A stable key for the likely cause: no_listener, host_down, no_route, prohibited, ...", HFILL}},
        {&dnsfail_hf.request_in, {"Query in", "dnsfail.request_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The frame of the query this error answers", HFILL}},
        {&dnsfail_hf.request_match, {"Query matched by", "dnsfail.request_match", FT_STRING, BASE_NONE, NULL, 0x0,
            "How the query was found: dns_id, datagram (UDP length and checksum) or flow", HFILL}},
        {&dnsfail_hf.error_in, {"ICMP error in", "dnsfail.error_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "On a query: the frame of the ICMP error that answered it",
            HFILL}},
        {&dnsfail_hf.time, {"Time from query", "dnsfail.time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "Seconds from the query to the ICMP error", HFILL}},
        {&dnsfail_hf.attempt, {"Attempt", "dnsfail.attempt", FT_UINT32, BASE_DEC, NULL, 0x0,
            "1, 2, 3 ... for tries of the same question from the same client to the same server", HFILL}},
        {&dnsfail_hf.quote_truncated, {"Quote truncated", "dnsfail.quote_truncated", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The ICMP error quoted too little to hold the DNS question", HFILL}},
        {&dnsfail_hf.recovered, {"Question recovered from the query", "dnsfail.recovered", FT_BOOLEAN, BASE_NONE,
            NULL, 0x0, "Name, type and id were taken from the query frame, not from the quote", HFILL}},
        {&dnsfail_hf.rcode, {"Response code", "dnsfail.rcode", FT_UINT16, BASE_CUSTOM, CF_FUNC(format_rcode), 0x0,
            "An error answer's 12-bit RCODE (with EDNS's extended bits)", HFILL}},
        {&dnsfail_hf.ede, {"Extended DNS Error", "dnsfail.ede", FT_UINT16, BASE_CUSTOM, CF_FUNC(format_ede), 0x0,
            "The INFO-CODE of the answer's Extended DNS Error (RFC 8914)", HFILL}},
        {&dnsfail_hf.ede_text, {"Extended DNS Error text", "dnsfail.ede.text", FT_STRING, BASE_NONE, NULL, 0x0,
            "The EXTRA-TEXT of the Extended DNS Error, escaped", HFILL}},
        {&dnsfail_hf.timeout, {"Timeout", "dnsfail.timeout_value", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "The timeout in force (preference dnsfail.timeout) on a timed-out query or a late answer", HFILL}},
        {&dnsfail_hf.late_answer_in, {"Late answer in", "dnsfail.late_answer_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "On a timed-out query: the frame of the answer that came after "
            "the timeout", HFILL}},
        {&dnsfail_hf.quote_dns_bytes, {"DNS bytes quoted", "dnsfail.quote.dns_bytes", FT_UINT32, BASE_DEC, NULL, 0x0,
            "How much of the DNS message the ICMP error quotes", HFILL}},
    };
    static int *ett[] = {&ett_dnsfail, &ett_dnsfail_query};

    G_STATIC_ASSERT(array_length(hf) <= G_N_ELEMENTS(own_fields.infos));
    proto_register_field_array(proto_dnsfail, hf, array_length(hf));
    for (size_t i = 0; i < array_length(hf); i++)
        field_set_add(&own_fields, *hf[i].p_id);
    proto_register_subtree_array(ett, array_length(ett));
}

static void register_experts(void)
{
    static ei_register_info ei[] = {
        {&dnsfail_ei.failure, {"dnsfail.failure", PI_RESPONSE_CODE, PI_WARN,
            "DNS query failed: answered by an ICMP error or an error answer", EXPFILL}},
        {&dnsfail_ei.undeliverable, {"dnsfail.answer_undeliverable", PI_RESPONSE_CODE, PI_NOTE,
            "DNS answer undeliverable: the client was no longer listening", EXPFILL}},
        {&dnsfail_ei.query_failed, {"dnsfail.query_failed", PI_RESPONSE_CODE, PI_NOTE,
            "This DNS query failed: an ICMP error or an error answer answered it", EXPFILL}},
        {&dnsfail_ei.quote_truncated, {"dnsfail.quote_short", PI_PROTOCOL, PI_NOTE,
            "The ICMP error quotes too little of the DNS message to hold its question", EXPFILL}},
        {&dnsfail_ei.malformed, {"dnsfail.malformed", PI_MALFORMED, PI_WARN,
            "The DNS message quoted in the ICMP error is malformed", EXPFILL}},
        {&dnsfail_ei.nxdomain, {"dnsfail.nxdomain", PI_RESPONSE_CODE, PI_NOTE,
            "The name does not exist (NXDOMAIN)", EXPFILL}},
        {&dnsfail_ei.timeout, {"dnsfail.timeout", PI_RESPONSE_CODE, PI_WARN,
            "DNS query timed out: nothing answered it within the timeout", EXPFILL}},
        {&dnsfail_ei.late_answer, {"dnsfail.late_answer", PI_SEQUENCE, PI_WARN,
            "DNS answer came after its query had timed out", EXPFILL}},
        {&dnsfail_ei.quote_unreadable, {"dnsfail.quote_unreadable", PI_MALFORMED, PI_NOTE,
            "The ICMP error's quote cannot be read far enough to tell whether it was DNS", EXPFILL}},
        {&dnsfail_ei.tracking_limit, {"dnsfail.tracking_limit", PI_PROTOCOL, PI_WARN,
            "dnsfail stopped following some DNS queries: too many at once", EXPFILL}},
    };
    G_STATIC_ASSERT(array_length(ei) <= G_N_ELEMENTS(own_expert_fields.infos));
    expert_module_t *module = expert_register_protocol(proto_dnsfail);
    expert_register_field_array(module, ei, array_length(ei));
    for (size_t i = 0; i < array_length(ei); i++)
        field_set_add(&own_expert_fields, ei[i].ids->hf);
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
    prefs_register_uint_preference(module, "timeout", "Timeout (seconds)",
        "A query that nothing answers within this many seconds timed out; an answer after it is late. Known once "
        "the capture shows the time passing: on the query's frame in a second pass (tshark -2, the GUI), in the "
        "totals and the report in tshark's single pass",
        10, &pref_timeout_s);
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
    register_fields();
    register_experts();
    register_prefs();
    dnsfail_query_links = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    register_init_routine(reset_file_state);
    register_cleanup_routine(reset_file_state);
    register_shutdown_routine(free_program_state);
    dnsfail_tap = register_tap(DNSFAIL_TAP_NAME);
    dnsfail_stats_register();
}

void proto_reg_handoff_dnsfail(void)
{
    /* dnsfail analyses a frame at the end of the wrapper that noted its ICMP error or DNS
     * datagram (dnsfail_hooks.c), after everything under it is dissected: a post-dissector
     * of the frames it hooks, not of every frame. A registered post-dissector would cost
     * every frame about 200 instructions (0.4% of plain tshark's work), in Wireshark's TRY
     * and its loop over the post-dissectors, for a call that does nothing on nine frames in
     * ten. The handle keeps its name and its helper protocol ("in name only": it pushes no
     * layer, and Enabled Protocols shows it as a second DNSFAIL row whose tick follows
     * dnsfail's). */
    register_dissector("dnsfail", dissect_dnsfail, proto_dnsfail_postdissector);
    apply_prefs();
    dnsfail_hooks_install();
    dnsfail_items_init();
}
