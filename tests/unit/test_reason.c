/* test_reason.c - tcpdump's words for every ICMP error and every RCODE, Extended DNS
 * Error names, and the likely causes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/reason.h"

#include <string.h>

#include "check.h"
#include "packet_builder.h"

static char text[DNSFAIL_REASON_TEXT_MAX];

/* The quote of an ICMPv4 error from a real message: client:40000 -> dst:53 over proto. */
static struct dnsfail_quote v4_quote(uint8_t type, uint8_t code, uint32_t rest, const uint8_t dst[4], uint8_t proto)
{
    struct pb p;
    struct dnsfail_quote q;
    pb_init(&p);
    pb_icmp(&p, type, code, rest);
    pb_ipv4(&p, 5, 40, 1, 0, 64, proto, PB_V4_CLIENT, dst);
    if (proto == PB_PROTO_TCP)
        pb_tcp(&p, 40000, 53, 1, 0x02, 5);
    else
        pb_udp(&p, 40000, 53, 20, 0);
    dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV4, &q);
    return q;
}

static struct dnsfail_quote v6_quote(uint8_t type, uint8_t code, uint32_t rest, uint8_t proto)
{
    struct pb p;
    struct dnsfail_quote q;
    pb_init(&p);
    pb_icmp(&p, type, code, rest);
    pb_ipv6(&p, 20, proto, 64, PB_V6_CLIENT, PB_V6_SERVER);
    if (proto == PB_PROTO_TCP)
        pb_tcp(&p, 40000, 53, 1, 0x02, 5);
    else
        pb_udp(&p, 40000, 53, 20, 0);
    dnsfail_quote_parse(p.b, p.len, DNSFAIL_ICMPV6, &q);
    return q;
}

static const char *v4_reason(uint8_t type, uint8_t code, uint32_t rest, const uint8_t dst[4])
{
    struct dnsfail_quote q = v4_quote(type, code, rest, dst, PB_PROTO_UDP);
    CHECK_EQ_INT(q.status, DNSFAIL_QUOTE_OK);
    memset(text, 'X', sizeof text);
    return dnsfail_reason_format(&q, text, sizeof text);
}

static const char *v6_reason(uint8_t type, uint8_t code, uint32_t rest)
{
    struct dnsfail_quote q = v6_quote(type, code, rest, PB_PROTO_UDP);
    CHECK_EQ_INT(q.status, DNSFAIL_QUOTE_OK);
    memset(text, 'X', sizeof text);
    return dnsfail_reason_format(&q, text, sizeof text);
}

/* ---- ICMPv4 words --------------------------------------------------------------- */

static void test_v4_unreachable_codes_0_to_3(void)
{
    CHECK_STR_EQ(v4_reason(3, 0, 0, PB_V4_SERVER), "net 203.0.113.9 unreachable");
    CHECK_STR_EQ(v4_reason(3, 1, 0, PB_V4_SERVER), "host 203.0.113.9 unreachable");
    CHECK_STR_EQ(v4_reason(3, 2, 0, PB_V4_SERVER), "protocol 17 unreachable");
    CHECK_STR_EQ(v4_reason(3, 3, 0, PB_V4_SERVER), "udp port 53 unreachable");
}

static void test_v4_port_unreachable_over_tcp(void)
{
    struct dnsfail_quote q = v4_quote(3, 3, 0, PB_V4_SERVER, PB_PROTO_TCP);
    CHECK_STR_EQ(dnsfail_reason_format(&q, text, sizeof text), "tcp port 53 unreachable");
    q = v4_quote(3, 2, 0, PB_V4_SERVER, PB_PROTO_TCP);
    CHECK_STR_EQ(dnsfail_reason_format(&q, text, sizeof text), "protocol 6 unreachable");
}

static void test_v4_need_frag_with_and_without_mtu(void)
{
    CHECK_STR_EQ(v4_reason(3, 4, 576, PB_V4_SERVER), "unreachable - need to frag (mtu 576)");
    CHECK_STR_EQ(v4_reason(3, 4, 0, PB_V4_SERVER), "unreachable - need to frag");
}

static void test_v4_unreachable_codes_5_to_15(void)
{
    CHECK_STR_EQ(v4_reason(3, 5, 0, PB_V4_SERVER), "unreachable - source route failed");
    CHECK_STR_EQ(v4_reason(3, 6, 0, PB_V4_SERVER), "net 203.0.113.9 unreachable - unknown");
    CHECK_STR_EQ(v4_reason(3, 7, 0, PB_V4_SERVER), "host 203.0.113.9 unreachable - unknown");
    CHECK_STR_EQ(v4_reason(3, 8, 0, PB_V4_SERVER), "unreachable - source host isolated");
    CHECK_STR_EQ(v4_reason(3, 9, 0, PB_V4_OTHER), "net 198.18.0.53 unreachable - admin prohibited");
    CHECK_STR_EQ(v4_reason(3, 10, 0, PB_V4_SERVER), "host 203.0.113.9 unreachable - admin prohibited");
    CHECK_STR_EQ(v4_reason(3, 11, 0, PB_V4_SERVER), "net 203.0.113.9 unreachable - tos prohibited");
    CHECK_STR_EQ(v4_reason(3, 12, 0, PB_V4_SERVER), "host 203.0.113.9 unreachable - tos prohibited");
    CHECK_STR_EQ(v4_reason(3, 13, 0, PB_V4_SERVER), "host 203.0.113.9 unreachable - admin prohibited filter");
    CHECK_STR_EQ(v4_reason(3, 14, 0, PB_V4_SERVER), "host 203.0.113.9 unreachable - host precedence violation");
    CHECK_STR_EQ(v4_reason(3, 15, 0, PB_V4_SERVER), "host 203.0.113.9 unreachable - precedence cutoff");
}

static void test_v4_unreachable_unknown_code(void)
{
    CHECK_STR_EQ(v4_reason(3, 16, 0, PB_V4_SERVER), "unreachable - #16");
}

static void test_v4_time_exceeded(void)
{
    CHECK_STR_EQ(v4_reason(11, 0, 0, PB_V4_SERVER), "time exceeded in-transit");
    CHECK_STR_EQ(v4_reason(11, 1, 0, PB_V4_SERVER), "ip reassembly time exceeded");
    CHECK_STR_EQ(v4_reason(11, 2, 0, PB_V4_SERVER), "time exceeded-#2");
}

static void test_v4_parameter_problem(void)
{
    CHECK_STR_EQ(v4_reason(12, 0, UINT32_C(20) << 24, PB_V4_SERVER), "parameter problem - octet 20");
    CHECK_STR_EQ(v4_reason(12, 1, 0, PB_V4_SERVER), "parameter problem - code 1");
    CHECK_STR_EQ(v4_reason(12, 2, 0, PB_V4_SERVER), "parameter problem - code 2");
}

/* ---- ICMPv6 words --------------------------------------------------------------- */

static void test_v6_unreachable_codes_0_to_7(void)
{
    CHECK_STR_EQ(v6_reason(1, 0, 0), "unreachable route 2001:db8::9");
    CHECK_STR_EQ(v6_reason(1, 1, 0), "unreachable prohibited 2001:db8::9");
    CHECK_STR_EQ(v6_reason(1, 2, 0), "beyond scope 2001:db8::9, source address 2001:db8::10");
    CHECK_STR_EQ(v6_reason(1, 3, 0), "unreachable address 2001:db8::9");
    CHECK_STR_EQ(v6_reason(1, 4, 0), "udp port 53 unreachable");
    CHECK_STR_EQ(v6_reason(1, 5, 0), "source address failed ingress/egress policy 2001:db8::9");
    CHECK_STR_EQ(v6_reason(1, 6, 0), "reject route 2001:db8::9");
    CHECK_STR_EQ(v6_reason(1, 7, 0), "error in source routing header 2001:db8::9");
    CHECK_STR_EQ(v6_reason(1, 8, 0), "unknown unreach code (8)");
}

static void test_v6_port_unreachable_over_tcp(void)
{
    struct dnsfail_quote q = v6_quote(1, 4, 0, PB_PROTO_TCP);
    CHECK_STR_EQ(dnsfail_reason_format(&q, text, sizeof text), "tcp port 53 unreachable");
}

static void test_v6_packet_too_big(void)
{
    CHECK_STR_EQ(v6_reason(2, 0, 1280), "packet too big, mtu 1280");
}

static void test_v6_time_exceeded(void)
{
    CHECK_STR_EQ(v6_reason(3, 0, 0), "time exceeded in-transit for 2001:db8::9");
    CHECK_STR_EQ(v6_reason(3, 1, 0), "time exceeded in-transit (reassembly)");
    CHECK_STR_EQ(v6_reason(3, 2, 0), "time exceeded in-transit, unknown code (2)");
}

static void test_v6_parameter_problem_codes_0_to_3(void)
{
    CHECK_STR_EQ(v6_reason(4, 0, 4), "parameter problem, erroneous - octet 4");
    CHECK_STR_EQ(v6_reason(4, 1, 40), "parameter problem, next header - octet 40");
    CHECK_STR_EQ(v6_reason(4, 2, 42), "parameter problem, option - octet 42");
    CHECK_STR_EQ(v6_reason(4, 3, 0), "parameter problem, incomplete header chain - octet 0");
    CHECK_STR_EQ(v6_reason(4, 9, 0), "parameter problem, code-#9");
}

static void test_reason_truncates_and_terminates(void)
{
    struct dnsfail_quote q = v4_quote(3, 1, 0, PB_V4_SERVER, PB_PROTO_UDP);
    char small[11];
    memset(small, 'X', sizeof small);
    CHECK(dnsfail_reason_format(&q, small, 10) == small);
    CHECK_STR_EQ(small, "host 203.");
    CHECK_EQ_INT(small[10], 'X');
    small[0] = 'X';
    dnsfail_reason_format(&q, small, 0);
    CHECK_EQ_INT(small[0], 'X');
}

static void test_longest_reason_fits_text_max(void)
{
    /* ICMPv6 beyond scope names two full addresses. */
    const uint8_t ones[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                              0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    struct dnsfail_quote q = v6_quote(1, 2, 0, PB_PROTO_UDP);
    char big[512];
    dnsfail_addr_set_ipv6(&q.src, ones);
    dnsfail_addr_set_ipv6(&q.dst, ones);
    dnsfail_reason_format(&q, big, sizeof big);
    CHECK(strlen(big) < DNSFAIL_REASON_TEXT_MAX);
    CHECK(strncmp(big, "beyond scope ffff:", 18) == 0);
}

/* ---- diagnosis -------------------------------------------------------------------- */

static enum dnsfail_diagnosis diag_v4(uint8_t type, uint8_t code, bool from_target, bool response)
{
    struct dnsfail_quote q = v4_quote(type, code, 0, PB_V4_SERVER, PB_PROTO_UDP);
    return dnsfail_diagnose(&q, from_target, response);
}

static enum dnsfail_diagnosis diag_v6(uint8_t type, uint8_t code, bool from_target, bool response)
{
    struct dnsfail_quote q = v6_quote(type, code, 0, PB_PROTO_UDP);
    return dnsfail_diagnose(&q, from_target, response);
}

static void test_port_unreachable_from_target_is_no_listener(void)
{
    CHECK_EQ_INT(diag_v4(3, 3, true, false), DNSFAIL_DIAG_NO_LISTENER);
    CHECK_EQ_INT(diag_v6(1, 4, true, false), DNSFAIL_DIAG_NO_LISTENER);
}

static void test_port_unreachable_from_other_host_is_port_rejected(void)
{
    CHECK_EQ_INT(diag_v4(3, 3, false, false), DNSFAIL_DIAG_PORT_REJECTED);
    CHECK_EQ_INT(diag_v6(1, 4, false, false), DNSFAIL_DIAG_PORT_REJECTED);
}

static void test_port_unreachable_quoting_response_is_late_answer(void)
{
    CHECK_EQ_INT(diag_v4(3, 3, true, true), DNSFAIL_DIAG_LATE_ANSWER);
    CHECK_EQ_INT(diag_v4(3, 3, false, true), DNSFAIL_DIAG_LATE_ANSWER);
    CHECK_EQ_INT(diag_v6(1, 4, true, true), DNSFAIL_DIAG_LATE_ANSWER);
    CHECK_EQ_INT(diag_v6(1, 4, false, true), DNSFAIL_DIAG_LATE_ANSWER);
}

static void test_other_errors_quoting_response_keep_their_cause(void)
{
    CHECK_EQ_INT(diag_v4(3, 1, false, true), DNSFAIL_DIAG_HOST_DOWN);
    CHECK_EQ_INT(diag_v4(11, 0, false, true), DNSFAIL_DIAG_TTL_EXPIRED);
    CHECK_EQ_INT(diag_v6(1, 3, false, true), DNSFAIL_DIAG_HOST_DOWN);
}

static void test_v4_unreachable_diagnoses(void)
{
    CHECK_EQ_INT(diag_v4(3, 0, false, false), DNSFAIL_DIAG_NO_ROUTE);
    CHECK_EQ_INT(diag_v4(3, 6, false, false), DNSFAIL_DIAG_NO_ROUTE);
    CHECK_EQ_INT(diag_v4(3, 1, false, false), DNSFAIL_DIAG_HOST_DOWN);
    CHECK_EQ_INT(diag_v4(3, 7, false, false), DNSFAIL_DIAG_HOST_DOWN);
    CHECK_EQ_INT(diag_v4(3, 2, true, false), DNSFAIL_DIAG_PROTOCOL);
    CHECK_EQ_INT(diag_v4(3, 4, false, false), DNSFAIL_DIAG_TOO_BIG);
    CHECK_EQ_INT(diag_v4(3, 9, false, false), DNSFAIL_DIAG_PROHIBITED);
    CHECK_EQ_INT(diag_v4(3, 10, false, false), DNSFAIL_DIAG_PROHIBITED);
    CHECK_EQ_INT(diag_v4(3, 13, false, false), DNSFAIL_DIAG_PROHIBITED);
    CHECK_EQ_INT(diag_v4(3, 5, false, false), DNSFAIL_DIAG_SOURCE_ROUTE);
    CHECK_EQ_INT(diag_v4(3, 8, false, false), DNSFAIL_DIAG_SOURCE_ROUTE);
    CHECK_EQ_INT(diag_v4(3, 11, false, false), DNSFAIL_DIAG_SOURCE_ROUTE);
    CHECK_EQ_INT(diag_v4(3, 12, false, false), DNSFAIL_DIAG_SOURCE_ROUTE);
    CHECK_EQ_INT(diag_v4(3, 14, false, false), DNSFAIL_DIAG_SOURCE_ROUTE);
    CHECK_EQ_INT(diag_v4(3, 15, false, false), DNSFAIL_DIAG_SOURCE_ROUTE);
    CHECK_EQ_INT(diag_v4(3, 16, false, false), DNSFAIL_DIAG_UNKNOWN);
}

static void test_v4_time_exceeded_and_parameter_problem_diagnoses(void)
{
    CHECK_EQ_INT(diag_v4(11, 0, false, false), DNSFAIL_DIAG_TTL_EXPIRED);
    CHECK_EQ_INT(diag_v4(11, 1, true, false), DNSFAIL_DIAG_REASSEMBLY);
    CHECK_EQ_INT(diag_v4(12, 0, false, false), DNSFAIL_DIAG_BAD_HEADER);
    CHECK_EQ_INT(diag_v4(12, 1, false, false), DNSFAIL_DIAG_BAD_HEADER);
}

static void test_v6_diagnoses(void)
{
    CHECK_EQ_INT(diag_v6(1, 0, false, false), DNSFAIL_DIAG_NO_ROUTE);
    CHECK_EQ_INT(diag_v6(1, 6, false, false), DNSFAIL_DIAG_NO_ROUTE);
    CHECK_EQ_INT(diag_v6(1, 1, false, false), DNSFAIL_DIAG_PROHIBITED);
    CHECK_EQ_INT(diag_v6(1, 5, false, false), DNSFAIL_DIAG_PROHIBITED);
    CHECK_EQ_INT(diag_v6(1, 2, false, false), DNSFAIL_DIAG_SOURCE_ROUTE);
    CHECK_EQ_INT(diag_v6(1, 7, false, false), DNSFAIL_DIAG_SOURCE_ROUTE);
    CHECK_EQ_INT(diag_v6(1, 3, false, false), DNSFAIL_DIAG_HOST_DOWN);
    CHECK_EQ_INT(diag_v6(1, 8, false, false), DNSFAIL_DIAG_UNKNOWN);
    CHECK_EQ_INT(diag_v6(2, 0, false, false), DNSFAIL_DIAG_TOO_BIG);
    CHECK_EQ_INT(diag_v6(3, 0, false, false), DNSFAIL_DIAG_TTL_EXPIRED);
    CHECK_EQ_INT(diag_v6(3, 1, false, false), DNSFAIL_DIAG_REASSEMBLY);
    CHECK_EQ_INT(diag_v6(4, 0, false, false), DNSFAIL_DIAG_BAD_HEADER);
    CHECK_EQ_INT(diag_v6(4, 3, false, false), DNSFAIL_DIAG_BAD_HEADER);
}

static void test_diagnosis_keys_are_stable(void)
{
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_UNKNOWN), "unknown");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_NO_LISTENER), "no_listener");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_PORT_REJECTED), "port_rejected");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_HOST_DOWN), "host_down");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_NO_ROUTE), "no_route");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_PROHIBITED), "prohibited");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_TTL_EXPIRED), "ttl_expired");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_REASSEMBLY), "reassembly");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_TOO_BIG), "too_big");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_BAD_HEADER), "bad_header");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_PROTOCOL), "protocol_unreachable");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_SOURCE_ROUTE), "routing_policy");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_LATE_ANSWER), "late_answer");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_SERVER_FAILURE), "server_failure");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_REFUSED), "refused");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_FORMAT_ERROR), "format_error");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_NOT_IMPLEMENTED), "not_implemented");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_NO_SUCH_NAME), "no_such_name");
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_ERROR_ANSWER), "error_answer");
}

static void test_answer_diagnosis_texts(void)
{
    CHECK_STR_EQ(dnsfail_diagnosis_text(DNSFAIL_DIAG_SERVER_FAILURE),
                 "the server could not get an answer (upstream unreachable, DNSSEC validation failure, or a broken "
                 "zone)");
    CHECK_STR_EQ(dnsfail_diagnosis_text(DNSFAIL_DIAG_REFUSED),
                 "the server refuses to answer this client (access control, or not recursive for it)");
    CHECK_STR_EQ(dnsfail_diagnosis_text(DNSFAIL_DIAG_FORMAT_ERROR),
                 "the server could not parse the query (often EDNS or a client bug)");
    CHECK_STR_EQ(dnsfail_diagnosis_text(DNSFAIL_DIAG_NOT_IMPLEMENTED),
                 "the server does not implement this kind of query");
    CHECK_STR_EQ(dnsfail_diagnosis_text(DNSFAIL_DIAG_NO_SUCH_NAME), "the name does not exist (NXDOMAIN)");
    CHECK_STR_EQ(dnsfail_diagnosis_text(DNSFAIL_DIAG_ERROR_ANSWER), "the server answered with an error code");
}

/* ---- RCODEs and Extended DNS Errors ------------------------------------------------ */

static const char *rcode_name(uint16_t rcode)
{
    memset(text, 'X', sizeof text);
    return dnsfail_rcode_format(rcode, text, sizeof text);
}

static const char *rcode_kind(uint16_t rcode)
{
    memset(text, 'X', sizeof text);
    return dnsfail_rcode_kind(rcode, text, sizeof text);
}

static void test_rcode_names_as_tcpdump_prints_them(void)
{
    static const char *const want[] = {
        "NoError", "FormErr", "ServFail", "NXDomain", "NotImp", "Refused", "YXDomain", "YXRRSet",
        "NXRRSet", "NotAuth", "NotZone", "Resp11", "Resp12", "Resp13", "Resp14", "Resp15",
        "BadVers", "BadKey", "BadTime", "BadMode", "BadName", "BadAlg", "BadTrunc", "BadCookie",
    };
    for (uint16_t r = 0; r < sizeof want / sizeof want[0]; r++)
        CHECK_STR_EQ(rcode_name(r), want[r]);
    CHECK_STR_EQ(rcode_name(24), "Resp24");
    CHECK_STR_EQ(rcode_name(3841), "Resp3841");
    CHECK_STR_EQ(rcode_name(4095), "Resp4095");
    CHECK_STR_EQ(rcode_name(65535), "Resp65535");
}

static void test_rcode_kinds_are_lower_case_mnemonics(void)
{
    static const char *const want[] = {
        "noerror", "formerr", "servfail", "nxdomain", "notimp", "refused", "yxdomain", "yxrrset",
        "nxrrset", "notauth", "notzone", "dsotypeni", "rcode_12", "rcode_13", "rcode_14", "rcode_15",
        "badvers", "badkey", "badtime", "badmode", "badname", "badalg", "badtrunc", "badcookie",
    };
    for (uint16_t r = 0; r < sizeof want / sizeof want[0]; r++)
        CHECK_STR_EQ(rcode_kind(r), want[r]);
    CHECK_STR_EQ(rcode_kind(24), "rcode_24");
    CHECK_STR_EQ(rcode_kind(4095), "rcode_4095");
    CHECK_STR_EQ(rcode_kind(65535), "rcode_65535");
}

static void test_rcode_text_truncates_and_terminates(void)
{
    char small[4];
    memset(small, 'X', sizeof small);
    CHECK(dnsfail_rcode_format(2, small, sizeof small) == small);
    CHECK_STR_EQ(small, "Ser");
    memset(small, 'X', sizeof small);
    CHECK(dnsfail_rcode_kind(3000, small, sizeof small) == small);
    CHECK_STR_EQ(small, "rco");
    small[0] = 'X';
    dnsfail_rcode_format(2, small, 0);   /* nothing written */
    dnsfail_rcode_kind(2, small, 0);
    CHECK(small[0] == 'X');
}

static void test_rcode_failures_are_all_but_noerror_and_nxdomain(void)
{
    CHECK(!dnsfail_rcode_is_failure(0));
    CHECK(!dnsfail_rcode_is_failure(3));
    uint32_t answers = 0;
    for (uint32_t r = 0; r <= 0xFFFF; r++)
        answers += dnsfail_rcode_is_failure((uint16_t)r) ? 0u : 1u;
    CHECK_EQ_INT(answers, 2);
    CHECK(dnsfail_rcode_is_failure(1));
    CHECK(dnsfail_rcode_is_failure(2));
    CHECK(dnsfail_rcode_is_failure(16));
    CHECK(dnsfail_rcode_is_failure(4095));
    CHECK(dnsfail_rcode_is_failure(19)); /* 3 + 16: NXDOMAIN's bits with an extended RCODE */
}

static void test_rcode_diagnoses(void)
{
    CHECK_EQ_INT(dnsfail_diagnose_rcode(0), DNSFAIL_DIAG_UNKNOWN);
    CHECK_EQ_INT(dnsfail_diagnose_rcode(1), DNSFAIL_DIAG_FORMAT_ERROR);
    CHECK_EQ_INT(dnsfail_diagnose_rcode(2), DNSFAIL_DIAG_SERVER_FAILURE);
    CHECK_EQ_INT(dnsfail_diagnose_rcode(3), DNSFAIL_DIAG_NO_SUCH_NAME);
    CHECK_EQ_INT(dnsfail_diagnose_rcode(4), DNSFAIL_DIAG_NOT_IMPLEMENTED);
    CHECK_EQ_INT(dnsfail_diagnose_rcode(5), DNSFAIL_DIAG_REFUSED);
    for (uint16_t r = 6; r < 24; r++)
        CHECK_EQ_INT(dnsfail_diagnose_rcode(r), DNSFAIL_DIAG_ERROR_ANSWER);
    CHECK_EQ_INT(dnsfail_diagnose_rcode(18), DNSFAIL_DIAG_ERROR_ANSWER); /* 2 + 16: not SERVFAIL */
    CHECK_EQ_INT(dnsfail_diagnose_rcode(4095), DNSFAIL_DIAG_ERROR_ANSWER);
}

static void test_ede_names(void)
{
    static const char *const want[] = {
        "Other Error", "Unsupported DNSKEY Algorithm", "Unsupported DS Digest Type", "Stale Answer",
        "Forged Answer", "DNSSEC Indeterminate", "DNSSEC Bogus", "Signature Expired", "Signature Not Yet Valid",
        "DNSKEY Missing", "RRSIGs Missing", "No Zone Key Bit Set", "NSEC Missing", "Cached Error", "Not Ready",
        "Blocked", "Censored", "Filtered", "Prohibited", "Stale NXDOMAIN Answer", "Not Authoritative",
        "Not Supported", "No Reachable Authority", "Network Error", "Invalid Data",
        "Signature Expired before Valid", "Too Early", "Unsupported NSEC3 Iterations Value",
        "Unable to conform to policy", "Synthesized", "Invalid Query Type",
    };
    for (uint16_t c = 0; c < sizeof want / sizeof want[0]; c++)
        CHECK_STR_EQ(dnsfail_ede_name(c), want[c]);
    CHECK(dnsfail_ede_name(31) == NULL);
    CHECK(dnsfail_ede_name(49152) == NULL); /* private use */
    CHECK(dnsfail_ede_name(65535) == NULL);
}

static void test_diagnosis_out_of_range_is_unknown(void)
{
    CHECK_STR_EQ(dnsfail_diagnosis_key(DNSFAIL_DIAG_COUNT), "unknown");
    CHECK_STR_EQ(dnsfail_diagnosis_key((enum dnsfail_diagnosis)200), "unknown");
    CHECK_STR_EQ(dnsfail_diagnosis_text(DNSFAIL_DIAG_COUNT), dnsfail_diagnosis_text(DNSFAIL_DIAG_UNKNOWN));
}

static void test_diagnosis_texts_are_distinct_sentences(void)
{
    for (int i = 0; i < DNSFAIL_DIAG_COUNT; i++) {
        const char *a = dnsfail_diagnosis_text((enum dnsfail_diagnosis)i);
        if (!CHECK(a != NULL))
            continue;
        CHECK(strlen(a) > 10);
        for (int j = 0; j < i; j++) {
            const char *b = dnsfail_diagnosis_text((enum dnsfail_diagnosis)j);
            CHECK(b != NULL && strcmp(a, b) != 0);
        }
    }
}

int main(void)
{
    RUN_TEST(test_v4_unreachable_codes_0_to_3);
    RUN_TEST(test_v4_port_unreachable_over_tcp);
    RUN_TEST(test_v4_need_frag_with_and_without_mtu);
    RUN_TEST(test_v4_unreachable_codes_5_to_15);
    RUN_TEST(test_v4_unreachable_unknown_code);
    RUN_TEST(test_v4_time_exceeded);
    RUN_TEST(test_v4_parameter_problem);
    RUN_TEST(test_v6_unreachable_codes_0_to_7);
    RUN_TEST(test_v6_port_unreachable_over_tcp);
    RUN_TEST(test_v6_packet_too_big);
    RUN_TEST(test_v6_time_exceeded);
    RUN_TEST(test_v6_parameter_problem_codes_0_to_3);
    RUN_TEST(test_reason_truncates_and_terminates);
    RUN_TEST(test_longest_reason_fits_text_max);
    RUN_TEST(test_port_unreachable_from_target_is_no_listener);
    RUN_TEST(test_port_unreachable_from_other_host_is_port_rejected);
    RUN_TEST(test_port_unreachable_quoting_response_is_late_answer);
    RUN_TEST(test_other_errors_quoting_response_keep_their_cause);
    RUN_TEST(test_v4_unreachable_diagnoses);
    RUN_TEST(test_v4_time_exceeded_and_parameter_problem_diagnoses);
    RUN_TEST(test_v6_diagnoses);
    RUN_TEST(test_diagnosis_keys_are_stable);
    RUN_TEST(test_diagnosis_out_of_range_is_unknown);
    RUN_TEST(test_diagnosis_texts_are_distinct_sentences);
    RUN_TEST(test_answer_diagnosis_texts);
    RUN_TEST(test_rcode_names_as_tcpdump_prints_them);
    RUN_TEST(test_rcode_kinds_are_lower_case_mnemonics);
    RUN_TEST(test_rcode_text_truncates_and_terminates);
    RUN_TEST(test_rcode_failures_are_all_but_noerror_and_nxdomain);
    RUN_TEST(test_rcode_diagnoses);
    RUN_TEST(test_ede_names);
    return check_finish();
}
