/* dnsfail_plugin.h - what the plugin's glue files share: protocol and field ids,
 * preferences, the per-frame stash the dissector hooks fill for the analysis.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_PLUGIN_H
#define DNSFAIL_PLUGIN_H

#include <stdbool.h>
#include <stdint.h>

#include <epan/packet.h>
#include <epan/expert.h>

#include "dnsfail/addr.h"
#include "dnsfail/port_set.h"
#include "dnsfail/reason.h"
#include "dnsfail/tracker.h"

extern int proto_dnsfail;

struct dnsfail_fields {
    int kind;
    int qry_name;
    int qry_type;
    int qry_class;
    int id;
    int response;
    int transport;
    int client;
    int client_port;
    int server;
    int server_port;
    int server_ipv4;
    int server_ipv6;
    int reporter;
    int reporter_is_target;
    int icmp_version;
    int icmp_type;
    int icmp_code;
    int reason;
    int diagnosis;
    int request_in;
    int request_match;
    int error_in;
    int time;
    int attempt;
    int quote_truncated;
    int recovered;
    int quote_dns_bytes;
    int rcode;
    int ede;
    int ede_text;
    int timeout;
    int late_answer_in;
};
extern struct dnsfail_fields dnsfail_hf;
extern int ett_dnsfail;
extern int ett_dnsfail_query;

struct dnsfail_experts {
    expert_field failure;
    expert_field undeliverable;
    expert_field query_failed;
    expert_field quote_truncated;
    expert_field malformed;
    expert_field nxdomain;
    expert_field timeout;
    expert_field late_answer;
    expert_field tracking_limit;
    expert_field quote_unreadable;
};
extern struct dnsfail_experts dnsfail_ei;

/* Preferences, applied by dnsfail_apply_prefs(). */
extern struct dnsfail_port_set dnsfail_dns_ports;
extern struct dnsfail_tracker *dnsfail_tracker;
extern struct dnsfail_tcp_streams *dnsfail_tcp_streams;
extern int64_t dnsfail_timeout_ns;      /* the timeout preference */

/* Keys of dnsfail's proto data: one per kind of thing kept with a frame. */
enum dnsfail_proto_data_key {
    DNSFAIL_KEY_ERROR_RESULT = 1, /* file scope: an ICMP error's first-pass verdict */
    DNSFAIL_KEY_RESULTS = 2,      /* file scope: struct dnsfail_frame_results */
};

/* What the first pass found on a DNS frame, for every pass to show: one lookup per frame.
 * Each member is NULL (false) when the frame has none. */
struct dnsfail_frame_results {
    const void *answer;          /* dnsfail_dns_frame.c: an answer that ended failures */
    const void *error_answer;    /* dnsfail_error_answer.c */
    const void *late_answer;     /* dnsfail_timeout.c */
    const void *refusal;         /* dnsfail_tcp.c: a reset that refused a DNS connection */
    bool tracking_limit;         /* queries began to be forgotten here */
};

/* What the hooks saw of this frame, for its analysis (dnsfail_hooks.c). Each
 * group's members are set together with its tvb and mean nothing while it is NULL. */
struct dnsfail_frame_stash {
    tvbuff_t *icmp_tvb;          /* outermost ICMP/ICMPv6 error message */
    uint8_t icmp_version;        /* 4 or 6 */
    struct dnsfail_addr reporter; /* the IP source of that message */
    tvbuff_t *udp_tvb;           /* outermost UDP datagram with a DNS port */
    struct dnsfail_addr udp_src; /* addresses are copied in: later layers (tunnels) change pinfo's */
    struct dnsfail_addr udp_dst;
    tvbuff_t *tcp_tvb;           /* outermost TCP segment with a DNS port */
    struct dnsfail_addr tcp_src;
    struct dnsfail_addr tcp_dst;
    struct dnsfail_frame_results *results; /* see dnsfail_results_get() */
    bool results_known;
};

/* The first-pass link from a failed query to the frame that reported its failure. */
struct dnsfail_query_link {
    uint32_t error_in;
    uint32_t attempt;
    char what[24];               /* "ICMP error", "ServFail", ... for the Info column */
};

/* A failure's link back to its query, found in the first pass. */
struct dnsfail_link {
    uint32_t request_in;         /* 0: the query was not captured */
    uint32_t attempt;            /* 0: unknown */
    uint8_t match_by;            /* enum dnsfail_match_by */
    nstime_t delta;              /* from the query */
};
extern wmem_map_t *dnsfail_query_links; /* query frame number -> struct dnsfail_query_link */

extern int dnsfail_tap; /* the "dnsfail" tap: struct dnsfail_tap_record (include/dnsfail/tap.h) */

static inline void dnsfail_addr_from_ws(const address *in, struct dnsfail_addr *out)
{
    memset(out, 0, sizeof *out);
    if (in->type == AT_IPv4 && in->len == 4)
        dnsfail_addr_set_ipv4(out, (const uint8_t *)in->data);
    else if (in->type == AT_IPv6 && in->len == 16)
        dnsfail_addr_set_ipv6(out, (const uint8_t *)in->data);
}

/* Nanoseconds since the epoch, saturated: a hostile timestamp must not overflow. */
static inline int64_t dnsfail_frame_time_ns(const packet_info *pinfo)
{
    const int64_t limit = INT64_MAX / INT64_C(1000000000) - 1;
    int64_t secs = (int64_t)pinfo->abs_ts.secs;
    if (secs > limit)
        secs = limit;
    else if (secs < -limit)
        secs = -limit;
    return secs * INT64_C(1000000000) + pinfo->abs_ts.nsecs;
}

/* One DNS message seen in a UDP datagram or a TCP segment, with its flow from the
 * client's side. bytes holds what was captured of it (for a query, at most what its
 * question needs). */
struct dnsfail_dns_message;
struct dnsfail_dns_seen {
    struct dnsfail_frame_stash *stash;
    struct dnsfail_flow flow;
    tvbuff_t *tvb;                /* the UDP datagram or TCP segment it is in */
    const uint8_t *datagram;      /* UDP: the whole datagram as captured; TCP: NULL */
    size_t datagram_len;
    int offset;                   /* where the DNS message starts in tvb */
    const uint8_t *bytes;
    size_t len;
    const struct dnsfail_dns_message *msg;
};

/* dnsfail_hooks.c: wraps the ip.proto handles for ICMP, ICMPv6, UDP and TCP. */
void dnsfail_hooks_install(void);
/* At exit: the packet pools stop calling into the plugin. */
void dnsfail_hooks_shutdown(void);
/* The analysis' read of the stash: NULL at once on frames no hook noted. */
struct dnsfail_frame_stash *dnsfail_stash_take(packet_info *pinfo);
/* dnsfail_proto.c: the analysis of one frame, at the end of the wrapper that noted it
 * (or whose frame passed a waiting query's deadline): what a post-dissector would do. */
void dnsfail_analyse_frame(packet_info *pinfo, proto_tree *tree);

/* dnsfail_icmp_error.c and dnsfail_dns_frame.c: the analysis' work on one frame. */
void dnsfail_annotate_icmp_error(packet_info *pinfo, proto_tree *tree, struct dnsfail_frame_stash *stash);
void dnsfail_annotate_dns_frame(packet_info *pinfo, proto_tree *tree, struct dnsfail_frame_stash *stash);
void dnsfail_dns_frame_reset(void);

/* dnsfail_items.c: items and links that several kinds of failure share. */
void dnsfail_items_add_server_address(proto_tree *tree, tvbuff_t *tvb, const struct dnsfail_addr *server);
void dnsfail_items_add_diagnosis(proto_tree *tree, tvbuff_t *tvb, enum dnsfail_diagnosis diagnosis);
void dnsfail_items_add_link(proto_tree *tree, tvbuff_t *tvb, const struct dnsfail_link *link);
void dnsfail_link_from_match(struct dnsfail_link *link, const struct dnsfail_query_match *m, int64_t now_ns);
/* Points the matched query's frame at this one (what: "ICMP error", "ServFail"). */
void dnsfail_link_query(packet_info *pinfo, uint32_t query_frame, uint32_t attempt, const char *what);
/* A tap record for this frame with the common members set, or NULL when nothing listens
 * (include/dnsfail/tap.h). Queue it with tap_queue_packet(dnsfail_tap, pinfo, rec). */
struct dnsfail_tap_record;
struct dnsfail_tap_record *dnsfail_tap_record_new(packet_info *pinfo, uint8_t event, uint8_t kind,
                                                  const struct dnsfail_flow *flow);
/* On a query frame (UDP datagram or TCP SYN): the link to the frame of its failure. */
void dnsfail_annotate_failed_query(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb);
/* Whether anything will show this frame's words: a tree, the Info or Expert column, an
 * expert listener (tshark -z expert), or the dnsfail tap. Formatting costs; when nobody
 * reads, the first pass still decides, and later passes skip the frame. */
bool dnsfail_output_wanted(packet_info *pinfo, proto_tree *tree);
void dnsfail_items_init(void);
/* Whether an expert item would reach anyone: its tree item, the expert tap (tshark -z
 * expert), or the Expert column. Its message is formatted even when nobody reads it. */
bool dnsfail_expert_wanted(packet_info *pinfo, proto_item *anchor);
/* Whether a failure's items under its "dnsfail" item reach anyone: a tree that shows
 * (the GUI, -V), or one that keeps some dnsfail field asked for. Without, the filter
 * "dnsfail" still needs the protocol item itself. */
bool dnsfail_details_wanted(proto_tree *tree);

/* The frame's results: NULL when it has none. */
const struct dnsfail_frame_results *dnsfail_results_get(packet_info *pinfo, struct dnsfail_frame_stash *stash);
/* First pass: the frame's results, made when needed (file scope). */
struct dnsfail_frame_results *dnsfail_results_make(packet_info *pinfo, struct dnsfail_frame_stash *stash);

/* dnsfail_dns_frame.c: the first pass's work on one DNS message (UDP or TCP). */
void dnsfail_dns_message_first_pass(packet_info *pinfo, const struct dnsfail_dns_seen *seen);
/* Every pass, after the frame's messages: links, error answers, late answers, timeouts. */
void dnsfail_dns_annotate(packet_info *pinfo, proto_tree *tree, struct dnsfail_frame_stash *stash, tvbuff_t *tvb);

/* dnsfail_error_answer.c: answers with a failing RCODE, and NXDOMAIN. */
/* First pass, for a response from a DNS port: seen->bytes is the whole DNS message as
 * captured, m its query (NULL when none matched). Returns true when the answer was an
 * error or NXDOMAIN (then it has been dealt with). */
bool dnsfail_error_answer_first_pass(packet_info *pinfo, const struct dnsfail_dns_seen *seen,
                                     const struct dnsfail_query_match *m);
/* Every pass: annotates and queues the frame's error answer, if it has one. */
void dnsfail_error_answer_annotate(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const void *result);

/* dnsfail_timeout.c: queries nothing answered in time, and answers after the timeout. */
/* The earliest deadline of a waiting query, as the tracker last said; INT64_MIN when it
 * must be asked again. Every frame compares its time with it: one comparison instead of
 * two calls into the tracker. */
extern int64_t dnsfail_next_deadline_ns;
/* The tracker's waiting list may change (a frame with DNS or an ICMP error is about to be
 * analysed, the preferences were applied): the next frame asks the tracker again. Set
 * before the change, so an exception in the middle of it cannot leave a stale deadline. */
static inline void dnsfail_timeouts_recheck(void)
{
    dnsfail_next_deadline_ns = INT64_MIN;
}
/* First pass, when the frame's time is at or past dnsfail_next_deadline_ns: the queries
 * whose timeout it has passed; then caches the next deadline. */
void dnsfail_timeouts_expire(packet_info *pinfo);
/* Caches the tracker's next deadline, after a frame's analysis could have moved it (so
 * that the next frames need not ask). */
void dnsfail_timeouts_refresh(void);
/* First pass: an answer to a query that had timed out. */
void dnsfail_late_answer_first_pass(packet_info *pinfo, const struct dnsfail_dns_seen *seen,
                                    const struct dnsfail_query_match *m);
/* Every pass: a late answer on this frame; in later passes, a timed-out query. */
void dnsfail_timeout_annotate(packet_info *pinfo, proto_tree *tree, const struct dnsfail_frame_stash *stash,
                              tvbuff_t *tvb, const void *late_answer);
/* Forgets the file's timeouts. */
void dnsfail_timeouts_reset(void);

/* dnsfail_tcp.c: DNS over TCP: connections refused with a reset. */
void dnsfail_annotate_tcp_segment(packet_info *pinfo, proto_tree *tree, struct dnsfail_frame_stash *stash);

/* dnsfail_proto.c: whether a filter, -e or a column asks for one of dnsfail's fields (not
 * the protocol alone: the filter "dnsfail" needs only the protocol item), or for one of its
 * expert fields (dnsfail.failure, ...). */
bool dnsfail_some_field_referenced(void);
bool dnsfail_some_expert_field_referenced(void);

/* dnsfail_proto.c: the totals count resolutions with the same retry window as the fields. */
struct dnsfail_incident_config;
const struct dnsfail_incident_config *dnsfail_incident_config_from_prefs(void);

/* dnsfail_stats.c: the stats tree (-z dnsfail,tree) and the report (-z dnsfail,report). */
void dnsfail_stats_register(void);

/* dnsfail_proto.c */
void proto_register_dnsfail(void);
void proto_reg_handoff_dnsfail(void);

#endif
