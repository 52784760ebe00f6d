/* incident_input.c - a tap record as the ledger takes it: every field bounded and
 * normalized on the way in (the records come from hostile captures), and the reason a
 * record left empty worded as the ledger words it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "incident_input.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dnsfail/duration.h"
#include "dnsfail/failure_text.h"

void incident_clean_addr(struct dnsfail_addr *out, const struct dnsfail_addr *in)
{
    memset(out, 0, sizeof *out);
    if (in->family == DNSFAIL_AF_IPV4)
        dnsfail_addr_set_ipv4(out, in->bytes);
    else if (in->family == DNSFAIL_AF_IPV6)
        dnsfail_addr_set_ipv6(out, in->bytes);
}

static uint8_t clean_transport(uint8_t transport)
{
    return transport == DNSFAIL_TRANSPORT_TCP ? DNSFAIL_TRANSPORT_TCP : DNSFAIL_TRANSPORT_UDP;
}
static void clean_question(struct dnsfail_question *out, const struct dnsfail_question *in)
{
    memset(out, 0, sizeof *out);
    uint16_t len = in->qname.wire_len <= DNSFAIL_NAME_WIRE_MAX ? in->qname.wire_len : DNSFAIL_NAME_WIRE_MAX;
    memcpy(out->qname.wire, in->qname.wire, len);
    out->qname.wire_len = len;
    out->qname.labels = in->qname.labels;
    out->qname.compressed = in->qname.compressed;
    out->qname.status = in->qname.status;
    out->qtype = in->qtype;
    out->qclass = in->qclass;
}

/* A bounded copy of a possibly unterminated string field. */
static void copy_text(char *dst, size_t dst_size, const char *src, size_t src_size)
{
    size_t n = 0;
    while (n < src_size && src[n] != '\0')
        n++;
    if (n >= dst_size)
        n = dst_size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}


static bool is_error_answer(const struct dnsfail_tap_record *rec)
{
    return rec->event == DNSFAIL_TAP_FAILURE && rec->kind == DNSFAIL_KIND_ERROR_ANSWER;
}

static bool is_tcp_refused(const struct dnsfail_tap_record *rec)
{
    return rec->event == DNSFAIL_TAP_FAILURE && rec->kind == DNSFAIL_KIND_TCP_REFUSED;
}

static bool is_timeout(const struct dnsfail_tap_record *rec)
{
    return rec->event == DNSFAIL_TAP_FAILURE && rec->kind == DNSFAIL_KIND_TIMEOUT;
}

/* A timeout as the record gives it: at most a day (a hostile record says anything). */
static int64_t clean_timeout(int64_t ns)
{
    return ns > 0 && ns <= INT64_C(86400) * DNSFAIL_NS_PER_S ? ns : 0;
}

/* "no answer within 5 s", "no answer within 2.5 s"; "no answer" when the timeout is unknown. */
static void timeout_reason(int64_t timeout_ns, char *buf, size_t size)
{
    if (timeout_ns <= 0) {
        snprintf(buf, size, "no answer");
        return;
    }
    dnsfail_format_no_answer(timeout_ns, buf, size);
}

/* The link members of a version 3 record; an older record, or one with no cause, has none. */
static void clean_cause(struct input *in, const struct dnsfail_tap_record *rec)
{
    if (rec->version < 3)
        return;
    in->is_upstream = rec->is_upstream;
    if (rec->cause_count == 0)
        return;
    in->cause_count = rec->cause_count;
    in->cause_in = rec->cause_in;
    in->cause_match = rec->cause_match <= DNSFAIL_CAUSE_DURING ? rec->cause_match : DNSFAIL_CAUSE_NONE;
    in->cause_kind = rec->cause_kind >= DNSFAIL_KIND_ICMP_ERROR && rec->cause_kind <= DNSFAIL_KIND_TIMEOUT
                         ? rec->cause_kind
                         : 0;
    incident_clean_addr(&in->cause_server, &rec->cause_server);
    copy_text(in->cause, sizeof in->cause, rec->cause, sizeof rec->cause);
}

void incident_clean_record(struct input *in, const struct dnsfail_tap_record *rec)
{
    memset(in, 0, sizeof *in);
    in->event = rec->event;
    in->kind = rec->kind;
    in->time_ns = rec->time_ns;
    in->frame = rec->frame;
    in->rcode = rec->rcode & 0x0fffu;
    clean_cause(in, rec);
    incident_clean_addr(&in->client, &rec->flow.client);
    incident_clean_addr(&in->server.addr, &rec->flow.server);
    in->server.port = rec->flow.server_port;
    in->server.transport = clean_transport(rec->flow.transport);
    in->has_question = rec->has_question;
    if (in->has_question) {
        clean_question(&in->question, &rec->question);
        /* mDNS: the top bit of the class asks for a unicast answer (RFC 6762 5.4); the first
         * try sets it and retries do not, so it is no part of the question. */
        if (in->server.port == 5353)
            in->question.qclass &= 0x7fffu;
    }
    incident_clean_addr(&in->reporter, &rec->reporter);
    in->reporter_is_target = rec->reporter_is_target;
    in->diagnosis = incident_clean_diagnosis(rec->diagnosis);
    copy_text(in->reason, sizeof in->reason, rec->reason, sizeof rec->reason);
    in->reason_kind = REASON_ICMP;
    if (is_error_answer(rec)) {
        /* The server said it itself, whatever the record's reporter holds. */
        in->reason_kind = REASON_ANSWER;
        in->reporter = in->server.addr;
        in->reporter_is_target = true;
        if (in->diagnosis == DNSFAIL_DIAG_UNKNOWN)
            in->diagnosis = (uint8_t)dnsfail_diagnose_rcode(rec->rcode);
        if (in->diagnosis == DNSFAIL_DIAG_UNKNOWN)
            in->diagnosis = DNSFAIL_DIAG_ERROR_ANSWER;
        if (in->reason[0] == '\0')
            dnsfail_rcode_format(rec->rcode, in->reason, sizeof in->reason);
    } else if (is_tcp_refused(rec)) {
        /* The reset comes from the server's address. */
        in->reason_kind = REASON_TCP;
        in->reporter = in->server.addr;
        in->reporter_is_target = true;
        if (in->diagnosis == DNSFAIL_DIAG_UNKNOWN)
            in->diagnosis = DNSFAIL_DIAG_NO_LISTENER;
        if (in->reason[0] == '\0')
            dnsfail_reason_tcp_refused(in->server.port, in->reason, sizeof in->reason);
    } else if (is_timeout(rec)) {
        /* Nobody reported it: whatever the record's reporter holds. */
        in->reason_kind = REASON_TIMEOUT;
        memset(&in->reporter, 0, sizeof in->reporter);
        in->reporter_is_target = false;
        in->timeout_ns = clean_timeout(rec->timeout_ns);
        in->waited_ns = clean_timeout(rec->waited_ns); /* the client's own wait, when it retried */
        if (in->diagnosis == DNSFAIL_DIAG_UNKNOWN)
            in->diagnosis = DNSFAIL_DIAG_NO_ANSWER;
        if (in->reason[0] == '\0')
            timeout_reason(in->timeout_ns, in->reason, sizeof in->reason);
    } else if (rec->event == DNSFAIL_TAP_LATE_ANSWER) {
        in->waited_ns = rec->waited_ns > 0 ? rec->waited_ns : 0;
    }
}
