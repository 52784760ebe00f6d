/* test_incident.c - failed resolutions and attempts, recoveries, bounds, and the
 * incident report in text and JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/incident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "packet_builder.h"

/* 2026-11-25 16:33:01 UTC, the incident of the guide. */
#define T0 SEC(1795624381)

static const uint8_t CLIENT[4] = {192, 51, 100, 15};
static const uint8_t SERVER[4] = {203, 0, 113, 2};
static const uint8_t SERVER_B[4] = {203, 0, 113, 3};
static const uint8_t ROUTER[4] = {192, 51, 100, 1};

static struct dnsfail_addr v4(const uint8_t bytes[4])
{
    struct dnsfail_addr a;
    dnsfail_addr_set_ipv4(&a, bytes);
    return a;
}

/* A record of the kind the plugin queues; name NULL: the question is not known. */
static struct dnsfail_tap_record record(uint8_t event, int64_t time_ns, const uint8_t client[4],
                                        const uint8_t server[4], const char *name, uint16_t qtype)
{
    static uint32_t frame;
    struct dnsfail_tap_record r;
    memset(&r, 0, sizeof r);
    r.version = DNSFAIL_TAP_VERSION;
    r.event = event;
    r.frame = ++frame;
    r.time_ns = time_ns;
    r.flow.client = v4(client);
    r.flow.server = v4(server);
    r.flow.client_port = (uint16_t)(40000 + frame % 1000);
    r.flow.server_port = 53;
    r.flow.transport = PB_PROTO_UDP;
    if (name) {
        r.has_question = true;
        r.question = question(name, qtype);
        dnsfail_dns_name_format(&r.question.qname, r.qname, sizeof r.qname);
    }
    return r;
}

/* udp port 53 unreachable from the server itself. */
static struct dnsfail_tap_record failure(int64_t time_ns, const uint8_t client[4], const uint8_t server[4],
                                         const char *name, uint16_t qtype)
{
    struct dnsfail_tap_record r = record(DNSFAIL_TAP_FAILURE, time_ns, client, server, name, qtype);
    r.kind = DNSFAIL_KIND_ICMP_ERROR;
    r.reporter = v4(server);
    r.reporter_is_target = true;
    r.icmp_version = 4;
    r.icmp_type = 3;
    r.icmp_code = 3;
    r.diagnosis = DNSFAIL_DIAG_NO_LISTENER;
    snprintf(r.reason, sizeof r.reason, "udp port 53 unreachable");
    return r;
}

/* host unreachable from a router. */
static struct dnsfail_tap_record router_failure(int64_t time_ns, const uint8_t client[4], const uint8_t server[4],
                                                const char *name, uint16_t qtype)
{
    struct dnsfail_tap_record r = failure(time_ns, client, server, name, qtype);
    char text[DNSFAIL_ADDR_TEXT_MAX];
    r.reporter = v4(ROUTER);
    r.reporter_is_target = false;
    r.icmp_code = 1;
    r.diagnosis = DNSFAIL_DIAG_HOST_DOWN;
    snprintf(r.reason, sizeof r.reason, "host %s unreachable", dnsfail_addr_format(&r.flow.server, text, sizeof text));
    return r;
}

/* An answer the client's host refused: port unreachable from the client, quoting it. */
static struct dnsfail_tap_record undeliverable(int64_t time_ns, const uint8_t client[4], const uint8_t server[4],
                                               const char *name, uint16_t client_port)
{
    struct dnsfail_tap_record r = record(DNSFAIL_TAP_FAILURE, time_ns, client, server, name, PB_TYPE_A);
    r.kind = DNSFAIL_KIND_ANSWER_UNDELIVERABLE;
    r.flow.client_port = client_port;
    r.reporter = v4(client);
    r.reporter_is_target = true;
    r.diagnosis = DNSFAIL_DIAG_LATE_ANSWER;
    snprintf(r.reason, sizeof r.reason, "udp port %u unreachable", (unsigned)client_port);
    return r;
}

/* An answer with a failing RCODE, as the plugin queues it. The reporter is left empty:
 * the ledger takes the server for it. */
static struct dnsfail_tap_record error_answer(int64_t time_ns, const uint8_t client[4], const uint8_t server[4],
                                              const char *name, uint16_t qtype, uint16_t rcode)
{
    struct dnsfail_tap_record r = record(DNSFAIL_TAP_FAILURE, time_ns, client, server, name, qtype);
    r.kind = DNSFAIL_KIND_ERROR_ANSWER;
    r.has_dns_id = true;
    r.dns_id = 0x1234;
    r.rcode = rcode;
    r.diagnosis = (uint8_t)dnsfail_diagnose_rcode(rcode);
    dnsfail_rcode_format(rcode, r.reason, sizeof r.reason);
    return r;
}

static struct dnsfail_tap_record servfail(int64_t time_ns, const uint8_t client[4], const uint8_t server[4],
                                          const char *name)
{
    return error_answer(time_ns, client, server, name, PB_TYPE_A, 2);
}

static struct dnsfail_tap_record nxdomain(int64_t time_ns, const uint8_t client[4], const uint8_t server[4],
                                          const char *name, uint16_t qtype)
{
    struct dnsfail_tap_record r = record(DNSFAIL_TAP_NXDOMAIN, time_ns, client, server, name, qtype);
    r.rcode = 3;
    return r;
}

static struct dnsfail_tap_record answer(int64_t time_ns, const uint8_t client[4], const uint8_t server[4],
                                        const char *name, uint16_t qtype)
{
    return record(DNSFAIL_TAP_ANSWER, time_ns, client, server, name, qtype);
}

static void add(struct dnsfail_incident *inc, struct dnsfail_tap_record r)
{
    dnsfail_incident_add(inc, &r);
}

static struct dnsfail_incident *new_incident(uint32_t max_resolutions, int64_t window_ns)
{
    struct dnsfail_incident_config c = {max_resolutions, window_ns};
    return dnsfail_incident_new(&c);
}

static struct dnsfail_incident_totals totals_of(const struct dnsfail_incident *inc)
{
    struct dnsfail_incident_totals t;
    dnsfail_incident_get_totals(inc, &t);
    return t;
}

/* The incident of the guide: three tries of one question, each refused by the server. */
static struct dnsfail_incident *the_incident(void)
{
    struct dnsfail_incident *inc = dnsfail_incident_new(NULL);
    if (!inc)
        return NULL;
    add(inc, failure(T0 + 360997123, CLIENT, SERVER, "www.yummyrecipesforme.com", PB_TYPE_A));
    add(inc, failure(T0 + 361086000, CLIENT, SERVER, "www.yummyrecipesforme.com", PB_TYPE_A));
    add(inc, failure(T0 + 361174999, CLIENT, SERVER, "www.yummyrecipesforme.com", PB_TYPE_A));
    return inc;
}

static bool contains(const char *hay, const char *needle)
{
    return hay && needle && strstr(hay, needle) != NULL;
}

/* Compares two texts line by line, each difference reported with its line number. */
static void check_lines(const char *got, const char *want)
{
    if (!CHECK(got != NULL))
        return;
    const char *g = got, *w = want;
    unsigned line = 1;
    while (*g || *w) {
        const char *ge = strchr(g, '\n'), *we = strchr(w, '\n');
        size_t gn = ge ? (size_t)(ge - g) : strlen(g), wn = we ? (size_t)(we - w) : strlen(w);
        char gl[2048], wl[2048];
        snprintf(gl, sizeof gl, "%u: %.*s%s", line, (int)gn, g, ge ? "\\n" : "");
        snprintf(wl, sizeof wl, "%u: %.*s%s", line, (int)wn, w, we ? "\\n" : "");
        if (!CHECK_STR_EQ(gl, wl))
            return;
        g += gn + (ge ? 1 : 0);
        w += wn + (we ? 1 : 0);
        line++;
    }
}

/* ---- a JSON syntax checker (RFC 8259), just enough to judge the report ------------- */

struct json_parser {
    const char *s;
    int depth;
};

static bool json_value(struct json_parser *p);

static void json_ws(struct json_parser *p)
{
    while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
        p->s++;
}

static bool json_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool json_string(struct json_parser *p)
{
    if (*p->s != '"')
        return false;
    p->s++;
    for (;;) {
        unsigned char c = (unsigned char)*p->s;
        if (c == '\0' || c < 0x20 || c >= 0x80) /* the report is ASCII: anything else escaped */
            return false;
        p->s++;
        if (c == '"')
            return true;
        if (c != '\\')
            continue;
        c = (unsigned char)*p->s++;
        if (c == 'u') {
            for (int i = 0; i < 4; i++) {
                if (!json_hex(*p->s++))
                    return false;
            }
        } else if (!strchr("\"\\/bfnrt", c) || c == '\0') {
            return false;
        }
    }
}

static bool json_digits(struct json_parser *p)
{
    if (*p->s < '0' || *p->s > '9')
        return false;
    while (*p->s >= '0' && *p->s <= '9')
        p->s++;
    return true;
}

static bool json_number(struct json_parser *p)
{
    if (*p->s == '-')
        p->s++;
    if (*p->s == '0')
        p->s++;
    else if (!json_digits(p))
        return false;
    if (*p->s == '.') {
        p->s++;
        if (!json_digits(p))
            return false;
    }
    if (*p->s == 'e' || *p->s == 'E') {
        p->s++;
        if (*p->s == '+' || *p->s == '-')
            p->s++;
        if (!json_digits(p))
            return false;
    }
    return true;
}

static bool json_literal(struct json_parser *p, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(p->s, word, n) != 0)
        return false;
    p->s += n;
    return true;
}

static bool json_container(struct json_parser *p, char open, char close)
{
    if (*p->s != open || ++p->depth > 32)
        return false;
    p->s++;
    json_ws(p);
    if (*p->s == close) {
        p->s++;
        p->depth--;
        return true;
    }
    for (;;) {
        if (open == '{') {
            if (!json_string(p))
                return false;
            json_ws(p);
            if (*p->s++ != ':')
                return false;
            json_ws(p);
        }
        if (!json_value(p))
            return false;
        json_ws(p);
        if (*p->s == close) {
            p->s++;
            p->depth--;
            return true;
        }
        if (*p->s++ != ',')
            return false;
        json_ws(p);
    }
}

static bool json_value(struct json_parser *p)
{
    switch (*p->s) {
    case '{': return json_container(p, '{', '}');
    case '[': return json_container(p, '[', ']');
    case '"': return json_string(p);
    case 't': return json_literal(p, "true");
    case 'f': return json_literal(p, "false");
    case 'n': return json_literal(p, "null");
    default: return json_number(p);
    }
}

static bool json_valid(const char *text)
{
    struct json_parser p = {text, 0};
    if (!text)
        return false;
    json_ws(&p);
    if (*p.s != '{' || !json_value(&p))
        return false;
    json_ws(&p);
    return *p.s == '\0';
}


/* Most tests start from a new ledger of the default configuration and end by freeing it:
 * RUN_LEDGER_TEST(fn) runs fn(inc) on one (a failed allocation fails the test). */
static void (*ledger_test)(struct dnsfail_incident *inc);

static void run_on_new_ledger(void)
{
    struct dnsfail_incident *inc = dnsfail_incident_new(NULL);
    if (!CHECK(inc != NULL))
        return;
    ledger_test(inc);
    dnsfail_incident_free(inc);
}

#define RUN_LEDGER_TEST(fn) (ledger_test = (fn), check_run_(run_on_new_ledger, #fn))

static void test_json_checker_accepts_json_and_refuses_the_rest(void)
{
    CHECK(json_valid("{\"a\": [1, -2.5e3, true, false, null, \"x\\\"\\u00e9\"], \"b\": {}}\n"));
    CHECK(!json_valid("{\"a\": [1, 2,]}"));
    CHECK(!json_valid("{\"a\": \"tab\there\"}"));
    CHECK(!json_valid("{\"a\": \"\\x\"}"));
    CHECK(!json_valid("{\"a\": 01}"));
    CHECK(!json_valid("{\"a\": 1} x"));
    CHECK(!json_valid("{\"a\" 1}"));
}

/* ---- names ------------------------------------------------------------------------ */

static void test_kind_names(void)
{
    CHECK_STR_EQ(dnsfail_kind_name(DNSFAIL_KIND_ICMP_ERROR), "icmp_error");
    CHECK_STR_EQ(dnsfail_kind_name(DNSFAIL_KIND_ANSWER_UNDELIVERABLE), "answer_undeliverable");
    CHECK_STR_EQ(dnsfail_kind_name(DNSFAIL_KIND_ERROR_ANSWER), "error_answer");
    CHECK(dnsfail_kind_name((enum dnsfail_kind)99) != NULL);
}

static void test_service_names_by_port(void)
{
    CHECK_STR_EQ(dnsfail_service_name(53), "DNS");
    CHECK_STR_EQ(dnsfail_service_name(5353), "mDNS");
    CHECK_STR_EQ(dnsfail_service_name(5355), "LLMNR");
    CHECK_STR_EQ(dnsfail_service_name(8053), "DNS");
}

static void test_every_diagnosis_has_its_own_remedy_sentence(void)
{
    for (int d = 0; d < DNSFAIL_DIAG_COUNT; d++) {
        const char *r = dnsfail_diagnosis_remedy((enum dnsfail_diagnosis)d);
        if (!CHECK(r != NULL && strlen(r) > 20))
            continue;
        CHECK(r[strlen(r) - 1] == '.');
        for (int e = 0; e < d; e++)
            CHECK(strcmp(r, dnsfail_diagnosis_remedy((enum dnsfail_diagnosis)e)) != 0);
    }
    CHECK_STR_EQ(dnsfail_diagnosis_remedy(DNSFAIL_DIAG_NO_LISTENER),
                 "Check that the DNS service runs and listens on the server's address and port (ss -lunp on the "
                 "server) and that no host firewall rule rejects it.");
    CHECK(contains(dnsfail_diagnosis_remedy(DNSFAIL_DIAG_TOO_BIG), "1232"));
    CHECK_STR_EQ(dnsfail_diagnosis_remedy((enum dnsfail_diagnosis)200),
                 dnsfail_diagnosis_remedy(DNSFAIL_DIAG_UNKNOWN));
}

/* ---- counting --------------------------------------------------------------------- */

static void test_three_tries_within_the_window_are_one_failed_resolution(void)
{
    struct dnsfail_incident *inc = the_incident();
    if (!CHECK(inc != NULL))
        return;
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 1);
    CHECK_EQ_INT(t.failed_attempts, 3);
    CHECK_EQ_INT(t.recovered_resolutions, 0);
    CHECK_EQ_INT(t.undeliverable_answers, 0);
    CHECK_EQ_INT(t.forgotten, 0);
    CHECK_EQ_INT(t.first_ns, T0 + 360997123);
    CHECK_EQ_INT(t.last_ns, T0 + 361174999);
    dnsfail_incident_free(inc);
}

static void test_new_incident_has_zero_totals(void)
{
    struct dnsfail_incident *inc = new_incident(0, 0);
    if (!CHECK(inc != NULL))
        return;
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions + t.failed_attempts + t.recovered_resolutions + t.undeliverable_answers, 0);
    CHECK_EQ_INT(t.forgotten, 0);
    CHECK_EQ_INT(t.first_ns, 0);
    CHECK_EQ_INT(t.last_ns, 0);
    dnsfail_incident_free(inc);
    dnsfail_incident_free(NULL);
}

static void test_failures_beyond_the_window_start_a_new_resolution(void)
{
    struct dnsfail_incident *inc = dnsfail_incident_new(NULL); /* 10 s by default */
    if (!CHECK(inc != NULL))
        return;
    add(inc, failure(T0, CLIENT, SERVER, "example.com", PB_TYPE_A));
    add(inc, failure(T0 + SEC(10), CLIENT, SERVER, "example.com", PB_TYPE_A));  /* within: the edge */
    add(inc, failure(T0 + SEC(20) + 1, CLIENT, SERVER, "example.com", PB_TYPE_A)); /* 10 s + 1 ns later */
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 2);
    CHECK_EQ_INT(t.failed_attempts, 3);
    dnsfail_incident_free(inc);
}

static void test_custom_retry_window(void)
{
    struct dnsfail_incident *inc = new_incident(0, SEC(2));
    if (!CHECK(inc != NULL))
        return;
    add(inc, failure(T0, CLIENT, SERVER, "example.com", PB_TYPE_A));
    add(inc, failure(T0 + SEC(1), CLIENT, SERVER, "example.com", PB_TYPE_A));
    add(inc, failure(T0 + SEC(4), CLIENT, SERVER, "example.com", PB_TYPE_A));
    CHECK_EQ_INT(totals_of(inc).failed_resolutions, 2);
    dnsfail_incident_free(inc);
}

static void test_answer_after_failures_recovers_the_resolution(struct dnsfail_incident *inc)
{
    add(inc, failure(T0, CLIENT, SERVER, "example.com", PB_TYPE_A));
    add(inc, failure(T0 + SEC(1), CLIENT, SERVER, "example.com", PB_TYPE_A));
    add(inc, answer(T0 + SEC(2), CLIENT, SERVER, "example.com", PB_TYPE_A));
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 0);
    CHECK_EQ_INT(t.recovered_resolutions, 1);
    CHECK_EQ_INT(t.failed_attempts, 2);
    CHECK_EQ_INT(t.last_ns, T0 + SEC(1)); /* failures only */

    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Failed resolutions: 0 (2 failed attempts); recovered after failures: 1; "
                         "undeliverable answers: 0\n"));
    /* Its client and question are not listed: only those of failed resolutions are. */
    CHECK(contains(text, "\n  0 failed resolutions, 2 failed attempts\n"
                         "  1 resolution recovered after failures\n"
                         "  ICMP: udp port 53 unreachable"));
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"recovered_resolutions\": 1,"));
    free(json);
}

/* The failover capture: one question recovered on a second server, one on a retry of
 * the same server, one that kept failing. Only the failing one is listed. */
static void test_recovered_resolutions_are_counted_not_listed(struct dnsfail_incident *inc)
{
    static const uint8_t s4[4] = {203, 0, 113, 4};
    add(inc, failure(T0, CLIENT, SERVER, "www.example.com", PB_TYPE_A));
    add(inc, answer(T0 + MSEC(1), CLIENT, SERVER_B, "www.example.com", PB_TYPE_A));
    add(inc, failure(T0 + MSEC(12), CLIENT, s4, "retry.example.com", PB_TYPE_A));
    add(inc, answer(T0 + MSEC(140), CLIENT, s4, "retry.example.com", PB_TYPE_A));
    add(inc, failure(T0 + MSEC(163), CLIENT, SERVER, "stillbroken.example.com", PB_TYPE_A));
    add(inc, failure(T0 + MSEC(164), CLIENT, SERVER, "stillbroken.example.com", PB_TYPE_A));
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Failed resolutions: 1 (4 failed attempts); recovered after failures: 2; "
                         "undeliverable answers: 0\n"));
    CHECK(contains(text, "\nServer 203.0.113.2, DNS over UDP port 53\n"
                         "  1 failed resolution, 3 failed attempts, from 1 client\n"
                         "  1 resolution recovered after failures\n"
                         "  Clients: 192.51.100.15\n"
                         "  Queries: stillbroken.example.com A (2 attempts)\n"));
    CHECK(contains(text, "\nServer 203.0.113.4, DNS over UDP port 53\n"
                         "  0 failed resolutions, 1 failed attempt\n"
                         "  1 resolution recovered after failures\n"
                         "  ICMP: udp port 53 unreachable, reported by 203.0.113.4 (the server itself)\n"));
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"recovered_resolutions\": 1,\n      \"timeouts\": 0,\n      \"late_answers\": 0,\n"
                       "      \"late_answer_max_seconds\": null,\n      \"clients\": [],\n      \"queries\": [],\n"));
    free(json);
}

static void test_second_answer_does_nothing_more(struct dnsfail_incident *inc)
{
    add(inc, failure(T0, CLIENT, SERVER, "example.com", PB_TYPE_A));
    add(inc, answer(T0 + SEC(1), CLIENT, SERVER, "example.com", PB_TYPE_A));
    add(inc, answer(T0 + SEC(2), CLIENT, SERVER, "example.com", PB_TYPE_A));
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 0);
    CHECK_EQ_INT(t.recovered_resolutions, 1);
}

static void test_answer_from_another_server_also_recovers(struct dnsfail_incident *inc)
{
    add(inc, failure(T0, CLIENT, SERVER, "www.example.com", PB_TYPE_A));
    add(inc, answer(T0 + SEC(1), CLIENT, SERVER_B, "www.example.com", PB_TYPE_A));
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 0);
    CHECK_EQ_INT(t.recovered_resolutions, 1);
    struct dnsfail_addr s = v4(SERVER);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &s), 0);
}

static void test_answer_for_an_unknown_question_does_nothing(struct dnsfail_incident *inc)
{
    static const uint8_t other_client[4] = {192, 51, 100, 16};
    add(inc, answer(T0, CLIENT, SERVER, "example.com", PB_TYPE_A)); /* nothing failed yet */
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions + t.recovered_resolutions + t.failed_attempts, 0);
    CHECK_EQ_INT(t.first_ns, 0);

    add(inc, failure(T0 + SEC(1), CLIENT, SERVER, "example.com", PB_TYPE_A));
    add(inc, answer(T0 + SEC(2), CLIENT, SERVER, "example.org", PB_TYPE_A));      /* another name */
    add(inc, answer(T0 + SEC(2), CLIENT, SERVER, "example.com", PB_TYPE_AAAA));   /* another type */
    add(inc, answer(T0 + SEC(2), other_client, SERVER, "example.com", PB_TYPE_A)); /* another client */
    t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 1);
    CHECK_EQ_INT(t.recovered_resolutions, 0);
}

static void test_failure_after_an_answer_starts_a_new_resolution(struct dnsfail_incident *inc)
{
    add(inc, failure(T0, CLIENT, SERVER, "example.com", PB_TYPE_A));
    add(inc, answer(T0 + SEC(1), CLIENT, SERVER_B, "example.com", PB_TYPE_A));
    add(inc, failure(T0 + SEC(2), CLIENT, SERVER, "example.com", PB_TYPE_A)); /* within the window */
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 1);
    CHECK_EQ_INT(t.recovered_resolutions, 1);
    CHECK_EQ_INT(t.failed_attempts, 2);
    add(inc, answer(T0 + SEC(3), CLIENT, SERVER_B, "example.com", PB_TYPE_A)); /* recovers the new one */
    t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 0);
    CHECK_EQ_INT(t.recovered_resolutions, 2);
}

static void test_answer_recovers_only_the_latest_resolution(struct dnsfail_incident *inc)
{
    add(inc, failure(T0, CLIENT, SERVER, "example.com", PB_TYPE_A));
    add(inc, failure(T0 + SEC(60), CLIENT, SERVER, "example.com", PB_TYPE_A));
    add(inc, answer(T0 + SEC(61), CLIENT, SERVER, "example.com", PB_TYPE_A));
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 1);
    CHECK_EQ_INT(t.recovered_resolutions, 1);
}

static void test_undeliverable_answers_are_counted_apart(struct dnsfail_incident *inc)
{
    add(inc, failure(T0, CLIENT, SERVER, "www.example.com", PB_TYPE_A));
    add(inc, undeliverable(T0 + SEC(1), CLIENT, SERVER, "late.example.com", 49909));
    add(inc, undeliverable(T0 + SEC(2), CLIENT, SERVER, "LATE.example.com", 49909));
    add(inc, undeliverable(T0 + SEC(3), CLIENT, SERVER, NULL, 49910));
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_attempts, 1);
    CHECK_EQ_INT(t.failed_resolutions, 1);
    CHECK_EQ_INT(t.undeliverable_answers, 3);
    CHECK_EQ_INT(t.last_ns, T0 + SEC(3)); /* both kinds of failure */

    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "; undeliverable answers: 3\n"));
    CHECK(contains(text, "\n\nUndeliverable answers\n"
                         "  late.example.com A from 203.0.113.2 to 192.51.100.15: udp port 49909 unreachable (x2)\n"
                         "  (name not quoted) from 203.0.113.2 to 192.51.100.15: udp port 49910 unreachable (x1)\n"));
    CHECK(contains(text, "  - late_answer (203.0.113.2): Raise the client's resolver timeout"));
    CHECK(contains(text, "  Queries: www.example.com A (1 attempt)\n")); /* not the late answers */
    free(text);

    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"undeliverable_answers\": [\n    {\n      \"server\": \"203.0.113.2\",\n"
                         "      \"port\": 53,\n      \"transport\": \"udp\",\n      \"service\": \"DNS\",\n"
                         "      \"client\": \"192.51.100.15\",\n      \"name\": \"late.example.com\",\n"
                         "      \"type\": \"A\",\n      \"class\": \"IN\",\n"
                         "      \"reason\": \"udp port 49909 unreachable\",\n"
                         "      \"diagnosis\": \"late_answer\",\n      \"count\": 2\n    },"));
    CHECK(contains(json, "\"name\": null,\n      \"type\": null,\n      \"class\": null,"));
    free(json);
}

static void test_undeliverable_answers_alone_make_a_report(struct dnsfail_incident *inc)
{
    add(inc, undeliverable(T0, CLIENT, SERVER, "late.example.com", 49909));
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "DNS failure report\n"));
    CHECK(contains(text, "Failed resolutions: 0 (0 failed attempts); recovered after failures: 0; "
                         "undeliverable answers: 1\n"));
    CHECK(!contains(text, "\nServer "));
    free(text);
}

static void test_names_compare_without_case(struct dnsfail_incident *inc)
{
    add(inc, failure(T0, CLIENT, SERVER, "www.Example.COM", PB_TYPE_A));
    add(inc, failure(T0 + SEC(1), CLIENT, SERVER, "WWW.example.com", PB_TYPE_A));
    add(inc, failure(T0 + SEC(2), CLIENT, SERVER, "wWw.eXample.com", PB_TYPE_A));
    CHECK_EQ_INT(totals_of(inc).failed_resolutions, 1);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "  Queries: www.Example.COM A (3 attempts)\n")); /* as first seen */
    free(text);
    add(inc, answer(T0 + SEC(3), CLIENT, SERVER, "www.example.com", PB_TYPE_A));
    CHECK_EQ_INT(totals_of(inc).recovered_resolutions, 1);
}

static void test_type_and_class_are_part_of_the_question(struct dnsfail_incident *inc)
{
    add(inc, failure(T0, CLIENT, SERVER, "example.com", PB_TYPE_A));
    add(inc, failure(T0, CLIENT, SERVER, "example.com", PB_TYPE_AAAA));
    struct dnsfail_tap_record chaos = failure(T0, CLIENT, SERVER, "version.bind", 16);
    chaos.question.qclass = 3;
    add(inc, chaos);
    CHECK_EQ_INT(totals_of(inc).failed_resolutions, 3);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "  Queries: example.com A (1 attempt), example.com AAAA (1 attempt), "
                         "version.bind TXT CH (1 attempt)\n"));
    free(text);
}

static void test_mdns_unicast_response_bit_is_no_part_of_the_question(struct dnsfail_incident *inc)
{
    for (int i = 0; i < 3; i++) {
        struct dnsfail_tap_record r = failure(T0 + SEC(i), CLIENT, SERVER, "printer.local", PB_TYPE_A);
        r.flow.server_port = 5353;
        r.question.qclass = i == 0 ? 0x8001 : 0x0001; /* QU on the first try only (RFC 6762 5.4) */
        add(inc, r);
    }
    struct dnsfail_tap_record dns = failure(T0 + SEC(3), CLIENT, SERVER, "printer.local", PB_TYPE_A);
    dns.question.qclass = 0x8001;                      /* not mDNS: a class of its own */
    add(inc, dns);
    CHECK_EQ_INT(totals_of(inc).failed_resolutions, 2);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "\nServer 203.0.113.2, mDNS over UDP port 5353\n  1 failed resolution, 3 failed attempts, "
                         "from 1 client\n  Clients: 192.51.100.15\n  Queries: printer.local A (3 attempts)\n"));
    free(text);
}

static void test_records_without_question_group_by_server_endpoint(struct dnsfail_incident *inc)
{
    for (int i = 0; i < 3; i++) {
        struct dnsfail_tap_record r = failure(T0 + SEC(i), CLIENT, SERVER, NULL, 0); /* a TCP SYN quoted */
        r.flow.transport = PB_PROTO_TCP;
        snprintf(r.reason, sizeof r.reason, "tcp port 53 unreachable");
        add(inc, r);
    }
    struct dnsfail_tap_record other_port = failure(T0 + SEC(3), CLIENT, SERVER, NULL, 0);
    other_port.flow.server_port = 5353;
    add(inc, other_port);
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 2);
    CHECK_EQ_INT(t.failed_attempts, 4);

    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Service affected: DNS over TCP port 53, mDNS over UDP port 5353\n"));
    CHECK(contains(text, "\nServer 203.0.113.2, DNS over TCP port 53\n  1 failed resolution, 3 failed attempts, "
                         "from 1 client\n  Clients: 192.51.100.15\n  Queries: (name not quoted) (3 attempts)\n"
                         "  ICMP: tcp port 53 unreachable, reported by 203.0.113.2 (the server itself)\n"));
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"queries\": [\n        {\n          \"name\": null,\n          \"type\": null,\n"));
    free(json);
}

static void test_failed_resolutions_for_server(struct dnsfail_incident *inc)
{
    static const uint8_t client2[4] = {192, 51, 100, 16};
    static const uint8_t nobody[4] = {198, 18, 0, 1};
    struct dnsfail_addr a = v4(SERVER), b = v4(SERVER_B), n = v4(nobody);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &a), 0);

    add(inc, failure(T0, CLIENT, SERVER, "one.example", PB_TYPE_A));
    add(inc, failure(T0 + 1, CLIENT, SERVER, "one.example", PB_TYPE_A));
    add(inc, failure(T0 + 2, client2, SERVER, "two.example", PB_TYPE_A));
    struct dnsfail_tap_record mdns = failure(T0 + 3, CLIENT, SERVER, "printer.local", PB_TYPE_A);
    mdns.flow.server_port = 5353; /* any port of the address counts */
    add(inc, mdns);
    add(inc, failure(T0 + 4, CLIENT, SERVER_B, "one.example", PB_TYPE_A)); /* the same resolution, 2nd server */
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &a), 3);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &b), 1);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &n), 0);
    CHECK_EQ_INT(totals_of(inc).failed_resolutions, 3);

    add(inc, answer(T0 + 5, CLIENT, SERVER_B, "one.example", PB_TYPE_A));
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &a), 2);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &b), 0);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(NULL, &a), 0);
}

/* ---- bounds ----------------------------------------------------------------------- */

static void test_eviction_keeps_totals_and_counts_forgotten(void)
{
    struct dnsfail_incident *inc = new_incident(10, 0);
    char name[64];
    if (!CHECK(inc != NULL))
        return;
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "host%d.example.com", i);
        add(inc, failure(T0 + MSEC(i), CLIENT, SERVER, name, PB_TYPE_A));
    }
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 1000);
    CHECK_EQ_INT(t.failed_attempts, 1000);
    CHECK_EQ_INT(t.forgotten, 990);

    add(inc, answer(T0 + SEC(2), CLIENT, SERVER, "host0.example.com", PB_TYPE_A));   /* forgotten */
    add(inc, answer(T0 + SEC(2), CLIENT, SERVER, "host999.example.com", PB_TYPE_A)); /* still followed */
    t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 999);
    CHECK_EQ_INT(t.recovered_resolutions, 1);
    struct dnsfail_addr s = v4(SERVER);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &s), 999);

    /* A forgotten question that fails again is a new resolution. */
    add(inc, failure(T0 + SEC(3), CLIENT, SERVER, "host0.example.com", PB_TYPE_A));
    t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 1000);
    CHECK_EQ_INT(t.forgotten, 991);

    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Failed resolutions: 1000 (1001 failed attempts); recovered after failures: 1; "
                         "undeliverable answers: 0\n"
                         "Forgotten to stay within memory bounds: 991 resolutions (counted above, not detailed "
                         "below)\n"));
    CHECK(contains(text, "\n  1000 failed resolutions, 1001 failed attempts, from 1 client\n"));
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"forgotten\": 991,\n    \"timeouts\": 0,\n"));
    free(json);
    dnsfail_incident_free(inc);
}

static void test_lists_are_capped_with_and_n_more(struct dnsfail_incident *inc)
{
    for (int i = 0; i < 13; i++) {
        uint8_t client[4] = {10, 0, 0, (uint8_t)(1 + i)};
        uint8_t server[4] = {203, 0, 113, (uint8_t)(100 + i)};
        char name[32];
        snprintf(name, sizeof name, "n%02d.example", i);
        add(inc, failure(T0 + i, client, SERVER, name, PB_TYPE_A));
        add(inc, failure(T0 + i, CLIENT, server, "x.example", PB_TYPE_A));
    }
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "  Clients: 10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5, 10.0.0.6, 10.0.0.7, "
                         "10.0.0.8, 10.0.0.9, 10.0.0.10, and 3 more\n"));
    CHECK(contains(text, "  Queries: n00.example A (1 attempt), n01.example A (1 attempt), n02.example A (1 attempt), "
                         "n03.example A (1 attempt), n04.example A (1 attempt), n05.example A (1 attempt), "
                         "n06.example A (1 attempt), n07.example A (1 attempt), n08.example A (1 attempt), "
                         "n09.example A (1 attempt), and 3 more\n"));
    CHECK(contains(text, "  - no_listener (203.0.113.2, 203.0.113.100, 203.0.113.101, 203.0.113.102, "
                         "203.0.113.103, 203.0.113.104, 203.0.113.105, 203.0.113.106, 203.0.113.107, "
                         "203.0.113.108, and 4 more): "));
    free(text);
    char *json = dnsfail_incident_report_json(inc); /* JSON lists everything */
    CHECK(json_valid(json));
    CHECK(contains(json, "\"10.0.0.13\""));
    CHECK(contains(json, "\"n12.example\""));
    CHECK(contains(json, "\"203.0.113.112\"\n"));
    free(json);
}

static void test_servers_beyond_the_limit_are_summed_as_other_servers(struct dnsfail_incident *inc)
{
    for (int i = 0; i < 1030; i++) {
        uint8_t server[4] = {10, 1, (uint8_t)(i >> 8), (uint8_t)i};
        add(inc, failure(T0 + i, CLIENT, server, "x.example", PB_TYPE_A)); /* one resolution, many servers */
        add(inc, failure(T0 + i, CLIENT, server, "y.example", PB_TYPE_A));
    }
    add(inc, answer(T0 + SEC(2), CLIENT, SERVER, "y.example", PB_TYPE_A));
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 1);
    CHECK_EQ_INT(t.recovered_resolutions, 1);
    CHECK_EQ_INT(t.failed_attempts, 2060);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "\nOther servers (over the limit of 1024 servers, not detailed): 0 failed resolutions, "
                         "12 failed attempts; recovered after failures: 0\n"));
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"other_servers\": {\n    \"failed_resolutions\": 0,\n    \"failed_attempts\": 12,\n"));
    free(json);
}

static void test_servers_ordered_by_failed_attempts(struct dnsfail_incident *inc)
{
    static const uint8_t s9[4] = {203, 0, 113, 9}, s10[4] = {203, 0, 113, 10};
    add(inc, failure(T0, CLIENT, SERVER, "a.example", PB_TYPE_A));
    add(inc, router_failure(T0 + 1, CLIENT, SERVER_B, "b.example", PB_TYPE_A));
    add(inc, router_failure(T0 + 2, CLIENT, SERVER_B, "b.example", PB_TYPE_A));
    add(inc, failure(T0 + 3, CLIENT, s9, "c.example", PB_TYPE_A));
    add(inc, failure(T0 + 4, CLIENT, s10, "c.example", PB_TYPE_A));
    char *text = dnsfail_incident_report_text(inc);
    const char *b = strstr(text ? text : "", "\nServer 203.0.113.3,");
    const char *s10p = strstr(text ? text : "", "\nServer 203.0.113.10,");
    const char *a = strstr(text ? text : "", "\nServer 203.0.113.2,");
    const char *s9p = strstr(text ? text : "", "\nServer 203.0.113.9,");
    /* 2 attempts first; then the ties by address text: "203.0.113.10" < "203.0.113.2" < "203.0.113.9" */
    CHECK(b && s10p && a && s9p && b < s10p && s10p < a && a < s9p);
    CHECK(contains(text, "  ICMP: host 203.0.113.3 unreachable, reported by 192.51.100.1 "
                         "(a router or firewall on the path)\n"
                         "  Likely cause: server down or gone from its LAN (no ARP/ND answer to the last router)\n"));
    /* What to try: one line per diagnosis, in the order of the servers. */
    const char *host_down = strstr(text ? text : "", "  - host_down (203.0.113.3): Check that the server is powered");
    const char *no_listener = strstr(text ? text : "", "  - no_listener (203.0.113.10, 203.0.113.2, 203.0.113.9): ");
    CHECK(host_down && no_listener && host_down < no_listener);
    free(text);

    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    const char *jb = strstr(json ? json : "", "\"address\": \"203.0.113.3\"");
    const char *ja = strstr(json ? json : "", "\"address\": \"203.0.113.2\"");
    CHECK(jb && ja && jb < ja);
    CHECK(contains(json, "\"reporter\": \"192.51.100.1\",\n          \"reporter_is_server\": false,\n"
                         "          \"count\": 2,\n          \"diagnosis\": \"host_down\"\n"));
    free(json);
}

static void test_a_server_lists_each_distinct_reason(struct dnsfail_incident *inc)
{
    add(inc, router_failure(T0, CLIENT, SERVER, "a.example", PB_TYPE_A));
    add(inc, failure(T0 + 1, CLIENT, SERVER, "a.example", PB_TYPE_A));
    add(inc, failure(T0 + 2, CLIENT, SERVER, "a.example", PB_TYPE_A));
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "  ICMP: host 203.0.113.2 unreachable, reported by 192.51.100.1 (a router or firewall on "
                         "the path); udp port 53 unreachable, reported by 203.0.113.2 (the server itself)\n"
                         "  Likely cause: server host up, nothing listening")); /* the latest */
    CHECK(contains(text, "\nWhat to try\n  - no_listener (203.0.113.2): Check that the DNS service runs"));
    CHECK(contains(text, "\n  - host_down (203.0.113.2): Check that the server is powered"));
    free(text);
}

/* ---- reports ---------------------------------------------------------------------- */

static const char incident_text[] =
    "DNS failure report\n"
    "Time window: 2026-11-25 16:33:01.360997 to 2026-11-25 16:33:01.361174 UTC (0.000177 s)\n"
    "Service affected: DNS over UDP port 53\n"
    "Failed resolutions: 1 (3 failed attempts); recovered after failures: 0; undeliverable answers: 0\n"
    "\n"
    "Server 203.0.113.2, DNS over UDP port 53\n"
    "  1 failed resolution, 3 failed attempts, from 1 client\n"
    "  Clients: 192.51.100.15\n"
    "  Queries: www.yummyrecipesforme.com A (3 attempts)\n"
    "  ICMP: udp port 53 unreachable, reported by 203.0.113.2 (the server itself)\n"
    "  Likely cause: server host up, nothing listening on the DNS port (service down, or host firewall reject)\n"
    "\n"
    "What to try\n"
    "  - no_listener (203.0.113.2): Check that the DNS service runs and listens on the server's address and port "
    "(ss -lunp on the server) and that no host firewall rule rejects it.\n";

static void test_text_report_of_the_incident(void)
{
    struct dnsfail_incident *inc = the_incident();
    if (!CHECK(inc != NULL))
        return;
    char *text = dnsfail_incident_report_text(inc);
    check_lines(text, incident_text);
    free(text);
    dnsfail_incident_free(inc);
}

static const char incident_json[] =
    "{\n"
    "  \"schema\": \"dnsfail-report/1\",\n"
    "  \"window\": {\n"
    "    \"first\": \"2026-11-25T16:33:01.360997Z\",\n"
    "    \"last\": \"2026-11-25T16:33:01.361174Z\",\n"
    "    \"seconds\": 0.000177\n"
    "  },\n"
    "  \"services\": [\n"
    "    {\n"
    "      \"service\": \"DNS\",\n"
    "      \"transport\": \"udp\",\n"
    "      \"port\": 53\n"
    "    }\n"
    "  ],\n"
    "  \"totals\": {\n"
    "    \"failed_resolutions\": 1,\n"
    "    \"failed_attempts\": 3,\n"
    "    \"recovered_resolutions\": 0,\n"
    "    \"undeliverable_answers\": 0,\n"
    "    \"nxdomain_answers\": 0,\n"
    "    \"forgotten\": 0,\n"
    "    \"timeouts\": 0,\n"
    "    \"late_answers\": 0,\n"
    "    \"unanswered_at_end\": 0,\n"
    "    \"dns_messages\": 0,\n"
    "    \"retried_timeouts\": 0,\n"
    "    \"upstream_failures\": 0,\n"
    "    \"recovered_upstream_failures\": 0,\n"
    "    \"failures_with_cause\": 0\n"
    "  },\n"
    "  \"servers\": [\n"
    "    {\n"
    "      \"address\": \"203.0.113.2\",\n"
    "      \"port\": 53,\n"
    "      \"transport\": \"udp\",\n"
    "      \"service\": \"DNS\",\n"
    "      \"failed_resolutions\": 1,\n"
    "      \"failed_attempts\": 3,\n"
    "      \"recovered_resolutions\": 0,\n"
    "      \"timeouts\": 0,\n"
    "      \"late_answers\": 0,\n"
    "      \"late_answer_max_seconds\": null,\n"
    "      \"clients\": [\n"
    "        \"192.51.100.15\"\n"
    "      ],\n"
    "      \"queries\": [\n"
    "        {\n"
    "          \"name\": \"www.yummyrecipesforme.com\",\n"
    "          \"type\": \"A\",\n"
    "          \"class\": \"IN\",\n"
    "          \"attempts\": 3,\n"
    "          \"waiting_at_end\": 0\n"
    "        }\n"
    "      ],\n"
    "      \"reasons\": [\n"
    "        {\n"
    "          \"reason\": \"udp port 53 unreachable\",\n"
    "          \"kind\": \"icmp\",\n"
    "          \"reporter\": \"203.0.113.2\",\n"
    "          \"reporter_is_server\": true,\n"
    "          \"count\": 3,\n"
    "          \"diagnosis\": \"no_listener\"\n"
    "        }\n"
    "      ],\n"
    "      \"diagnosis\": \"no_listener\",\n"
    "      \"likely_cause\": \"server host up, nothing listening on the DNS port (service down, or host firewall "
    "reject)\",\n"
    "      \"diagnosis_upstream\": \"\"\n"
    "    }\n"
    "  ],\n"
    "  \"other_servers\": {\n"
    "    \"failed_resolutions\": 0,\n"
    "    \"failed_attempts\": 0,\n"
    "    \"recovered_resolutions\": 0,\n"
    "    \"timeouts\": 0,\n"
    "    \"late_answers\": 0\n"
    "  },\n"
    "  \"undeliverable_answers\": [],\n"
    "  \"undeliverable_answers_not_listed\": 0,\n"
    "  \"remedies\": [\n"
    "    {\n"
    "      \"diagnosis\": \"no_listener\",\n"
    "      \"servers\": [\n"
    "        \"203.0.113.2\"\n"
    "      ],\n"
    "      \"remedy\": \"Check that the DNS service runs and listens on the server's address and port (ss -lunp on "
    "the server) and that no host firewall rule rejects it.\"\n"
    "    }\n"
    "  ],\n"
    "  \"root_causes\": [],\n"
    "  \"root_causes_not_listed\": 0,\n"
    "  \"analysed\": true,\n"
    "  \"filter\": null\n"
    "}\n";

static void test_json_report_of_the_incident(void)
{
    struct dnsfail_incident *inc = the_incident();
    if (!CHECK(inc != NULL))
        return;
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    check_lines(json, incident_json);
    free(json);
    dnsfail_incident_free(inc);
}

static void test_empty_incident_gives_one_line(struct dnsfail_incident *inc)
{
    char *text = dnsfail_incident_report_text(inc);
    CHECK_STR_EQ(text, "No DNS failures.\n"
                       "DNS messages seen: 0\n"
                       "NXDOMAIN answers: 0 (names that do not exist; not failures)\n"
                       "Late answers: 0 (after the client's timeout; not failures)\n"
                       "Undeliverable answers: 0 (refused by the client's host)\n"
                       "Still waiting: 0 queries were still waiting for an answer when the capture ended (not failures)\n");
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    check_lines(json, "{\n"
                      "  \"schema\": \"dnsfail-report/1\",\n"
                      "  \"window\": null,\n"
                      "  \"services\": [],\n"
                      "  \"totals\": {\n"
                      "    \"failed_resolutions\": 0,\n"
                      "    \"failed_attempts\": 0,\n"
                      "    \"recovered_resolutions\": 0,\n"
                      "    \"undeliverable_answers\": 0,\n"
                      "    \"nxdomain_answers\": 0,\n"
                      "    \"forgotten\": 0,\n"
                      "    \"timeouts\": 0,\n"
                      "    \"late_answers\": 0,\n"
                      "    \"unanswered_at_end\": 0,\n"
                      "    \"dns_messages\": 0,\n"
                      "    \"retried_timeouts\": 0,\n"
                      "    \"upstream_failures\": 0,\n"
                      "    \"recovered_upstream_failures\": 0,\n"
                      "    \"failures_with_cause\": 0\n"
                      "  },\n"
                      "  \"servers\": [],\n"
                      "  \"other_servers\": {\n"
                      "    \"failed_resolutions\": 0,\n"
                      "    \"failed_attempts\": 0,\n"
                      "    \"recovered_resolutions\": 0,\n"
                      "    \"timeouts\": 0,\n"
                      "    \"late_answers\": 0\n"
                      "  },\n"
                      "  \"undeliverable_answers\": [],\n"
                      "  \"undeliverable_answers_not_listed\": 0,\n"
                      "  \"remedies\": [],\n"
                      "  \"root_causes\": [],\n"
                      "  \"root_causes_not_listed\": 0,\n"
                      "  \"analysed\": true,\n"
                      "  \"filter\": null\n"
                      "}\n");
    free(json);
    /* Only answers (to nothing that failed): still no failures. */
    add(inc, answer(T0, CLIENT, SERVER, "example.com", PB_TYPE_A));
    text = dnsfail_incident_report_text(inc);
    CHECK_STR_EQ(text, "No DNS failures.\n"
                       "DNS messages seen: 0\n"
                       "NXDOMAIN answers: 0 (names that do not exist; not failures)\n"
                       "Late answers: 0 (after the client's timeout; not failures)\n"
                       "Undeliverable answers: 0 (refused by the client's host)\n"
                       "Still waiting: 0 queries were still waiting for an answer when the capture ended (not failures)\n");
    free(text);
}

static void test_json_escapes_quote_backslash_and_control_chars(struct dnsfail_incident *inc)
{
    /* A label holding '"', '\' and byte 1: presentation form a\"b\\c\001d.example. */
    struct dnsfail_tap_record r = failure(T0, CLIENT, SERVER, "a\"b\\c\x01" "d.example", PB_TYPE_A);
    CHECK_STR_EQ(r.qname, "a\\\"b\\\\c\\001d.example");
    /* And a reason with raw control characters and a byte outside ASCII. */
    snprintf(r.reason, sizeof r.reason, "bad\nreason\x01\t\"q\"\\\xe9");
    add(inc, r);

    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"name\": \"a\\\\\\\"b\\\\\\\\c\\\\001d.example\","));
    CHECK(contains(json, "\"reason\": \"bad\\nreason\\u0001\\t\\\"q\\\"\\\\\\u00e9\","));
    free(json);

    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "  Queries: a\\\"b\\\\c\\001d.example A (1 attempt)\n"));
    CHECK(contains(text, "  ICMP: bad\\010reason\\001\\009\"q\"\\\\233, reported by")); /* one line */
    free(text);
}

static void test_ipv6_servers_and_times_before_1970(struct dnsfail_incident *inc)
{
    struct dnsfail_tap_record r = failure(-1500, CLIENT, SERVER, "example.com", PB_TYPE_AAAA);
    dnsfail_addr_set_ipv6(&r.flow.client, PB_V6_CLIENT);
    dnsfail_addr_set_ipv6(&r.flow.server, PB_V6_SERVER);
    r.reporter = r.flow.server;
    add(inc, r);
    r.time_ns = 2000;
    add(inc, r);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Time window: 1969-12-31 23:59:59.999998 to 1970-01-01 00:00:00.000002 UTC (0.000004 s)\n"));
    CHECK(contains(text, "\nServer 2001:db8::9, DNS over UDP port 53\n"));
    CHECK(contains(text, "  Clients: 2001:db8::10\n  Queries: example.com AAAA (2 attempts)\n"));
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"first\": \"1969-12-31T23:59:59.999998Z\","));
    free(json);
}

static void test_leap_day_and_year_boundaries(void)
{
    static const struct {
        int64_t secs;
        const char *want;
    } cases[] = {
        {951782400, "2000-02-29 00:00:00.000000"},
        {1709251199, "2024-02-29 23:59:59.000000"},
        {1735689599, "2024-12-31 23:59:59.000000"},
        {4102444800, "2100-01-01 00:00:00.000000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct dnsfail_incident *inc = dnsfail_incident_new(NULL);
        if (!CHECK(inc != NULL))
            return;
        add(inc, failure(SEC(cases[i].secs), CLIENT, SERVER, "example.com", PB_TYPE_A));
        char *text = dnsfail_incident_report_text(inc);
        char want[128];
        snprintf(want, sizeof want, "Time window: %s to %s UTC (0.000000 s)\n", cases[i].want, cases[i].want);
        if (!CHECK(contains(text, want)))
            fprintf(stderr, "  want %s", want);
        free(text);
        dnsfail_incident_free(inc);
    }
}

static void test_hostile_record_fields_stay_bounded(void)
{
    struct dnsfail_incident *inc = new_incident(4, 0);
    if (!CHECK(inc != NULL))
        return;
    struct dnsfail_tap_record r = failure(INT64_MAX, CLIENT, SERVER, "example.com", PB_TYPE_A);
    memset(r.reason, 'x', sizeof r.reason);                 /* not terminated */
    memset(r.question.qname.wire, 0x3f, sizeof r.question.qname.wire);
    r.question.qname.wire_len = 60000;                      /* beyond the array */
    r.flow.server.family = 99;                              /* neither IPv4 nor IPv6 */
    r.reporter.family = 42;
    r.diagnosis = 250;
    r.flow.transport = 99;
    add(inc, r);
    r.time_ns = INT64_MIN;                                  /* the far end of the window */
    add(inc, r);
    r.event = 77;                                           /* unknown event: ignored */
    add(inc, r);
    r.event = DNSFAIL_TAP_FAILURE;
    r.kind = 9;                                             /* unknown kind: ignored */
    add(inc, r);
    r.version = 0;                                          /* not a record */
    r.kind = DNSFAIL_KIND_ICMP_ERROR;
    add(inc, r);
    dnsfail_incident_add(inc, NULL);
    dnsfail_incident_add(NULL, &r);

    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_attempts, 2);
    CHECK_EQ_INT(t.failed_resolutions, 2);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(text != NULL);
    CHECK(contains(text, "\nServer unknown address, DNS over UDP port 53\n"));
    CHECK(contains(text, "Likely cause: an unusual ICMP error"));
    CHECK(contains(text, "  - unknown (unknown address): Look up the ICMP type and code"));
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"diagnosis\": \"unknown\""));
    free(json);

    /* The same hostile fields in an error answer: counted once each, bounded. */
    r.version = DNSFAIL_TAP_VERSION;
    r.kind = DNSFAIL_KIND_ERROR_ANSWER;
    r.rcode = 0xFFFF;
    add(inc, r);
    r.event = DNSFAIL_TAP_NXDOMAIN;
    add(inc, r);
    t = totals_of(inc);
    CHECK_EQ_INT(t.failed_attempts, 3);
    CHECK_EQ_INT(t.nxdomain_answers, 1);
    text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "  Answer: xxxxxxxx"));
    free(text);
    json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    free(json);
    dnsfail_incident_free(inc);
}

static void test_reports_of_a_null_incident(void)
{
    char *text = dnsfail_incident_report_text(NULL);
    CHECK_STR_EQ(text, "No DNS failures.\n"
                       "DNS messages seen: 0\n"
                       "NXDOMAIN answers: 0 (names that do not exist; not failures)\n"
                       "Late answers: 0 (after the client's timeout; not failures)\n"
                       "Undeliverable answers: 0 (refused by the client's host)\n"
                       "Still waiting: 0 queries were still waiting for an answer when the capture ended (not failures)\n");
    free(text);
    char *json = dnsfail_incident_report_json(NULL);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"window\": null,"));
    free(json);
    struct dnsfail_incident_totals t;
    memset(&t, 0xff, sizeof t);
    dnsfail_incident_get_totals(NULL, &t);
    CHECK_EQ_INT(t.failed_attempts, 0);
}

/* ---- error answers and NXDOMAIN ----------------------------------------------------- */

static void test_error_answers_are_failed_attempts_and_resolutions(struct dnsfail_incident *inc)
{
    add(inc, servfail(T0, CLIENT, SERVER, "broken.example"));
    add(inc, servfail(T0 + SEC(1), CLIENT, SERVER, "broken.example"));
    add(inc, servfail(T0 + SEC(2), CLIENT, SERVER, "broken.example"));
    add(inc, servfail(T0 + SEC(30), CLIENT, SERVER, "broken.example"));     /* past the window: anew */
    add(inc, error_answer(T0 + SEC(31), CLIENT, SERVER, "other.example", PB_TYPE_AAAA, 5));
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_attempts, 5);
    CHECK_EQ_INT(t.failed_resolutions, 3);
    CHECK_EQ_INT(t.recovered_resolutions, 0);
    CHECK_EQ_INT(t.undeliverable_answers, 0);
    CHECK_EQ_INT(t.nxdomain_answers, 0);
    CHECK_EQ_INT(t.first_ns, T0);
    CHECK_EQ_INT(t.last_ns, T0 + SEC(31));
    struct dnsfail_addr server = v4(SERVER);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &server), 3);
}

/* ICMP errors and error answers of one question are one resolution: they are all tries. */
static void test_icmp_errors_and_error_answers_share_a_resolution(struct dnsfail_incident *inc)
{
    add(inc, failure(T0, CLIENT, SERVER, "mixed.example", PB_TYPE_A));
    add(inc, servfail(T0 + SEC(1), CLIENT, SERVER_B, "mixed.example"));
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_attempts, 2);
    CHECK_EQ_INT(t.failed_resolutions, 1);
}

static void test_servfail_then_noerror_from_another_server_recovers(struct dnsfail_incident *inc)
{
    add(inc, servfail(T0, CLIENT, SERVER, "www.example.com"));
    add(inc, answer(T0 + MSEC(3), CLIENT, SERVER_B, "www.example.com", PB_TYPE_A));
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_attempts, 1);
    CHECK_EQ_INT(t.failed_resolutions, 0);
    CHECK_EQ_INT(t.recovered_resolutions, 1);
    struct dnsfail_addr server = v4(SERVER);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &server), 0);

    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Failed resolutions: 0 (1 failed attempt); recovered after failures: 1; "
                         "undeliverable answers: 0\n"));
    CHECK(contains(text, "\nServer 203.0.113.2, DNS over UDP port 53\n"
                         "  0 failed resolutions, 1 failed attempt\n"
                         "  1 resolution recovered after failures\n"
                         "  Answer: ServFail from the server\n"
                         "  Likely cause: the server could not get an answer"));
    CHECK(!contains(text, "NXDOMAIN answers"));
    CHECK(!contains(text, "ICMP:"));
    free(text);
}

static void test_nxdomain_is_counted_apart_and_recovers(struct dnsfail_incident *inc)
{
    /* NXDOMAIN alone: an answer, not a failure. */
    add(inc, nxdomain(T0, CLIENT, SERVER, "typo.example", PB_TYPE_A));
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.nxdomain_answers, 1);
    CHECK_EQ_INT(t.failed_attempts + t.failed_resolutions + t.recovered_resolutions, 0);
    CHECK_EQ_INT(t.first_ns, 0);
    char *text = dnsfail_incident_report_text(inc);
    CHECK_STR_EQ(text, "No DNS failures.\n"
                       "DNS messages seen: 0\n"
                       "NXDOMAIN answers: 1 (names that do not exist; not failures)\n"
                       "Late answers: 0 (after the client's timeout; not failures)\n"
                       "Undeliverable answers: 0 (refused by the client's host)\n"
                       "Still waiting: 0 queries were still waiting for an answer when the capture ended (not failures)\n");
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"window\": null,"));
    CHECK(contains(json, "\"nxdomain_answers\": 1,"));
    free(json);

    /* After failures it ends them: the resolution recovered (the name does not exist). */
    add(inc, failure(T0 + SEC(1), CLIENT, SERVER, "gone.example", PB_TYPE_A));
    add(inc, servfail(T0 + SEC(2), CLIENT, SERVER, "gone.example"));
    add(inc, nxdomain(T0 + SEC(3), CLIENT, SERVER_B, "gone.example", PB_TYPE_A));
    add(inc, nxdomain(T0 + SEC(4), CLIENT, SERVER_B, "gone.example", PB_TYPE_A)); /* nothing more to end */
    t = totals_of(inc);
    CHECK_EQ_INT(t.nxdomain_answers, 3);
    CHECK_EQ_INT(t.failed_attempts, 2);
    CHECK_EQ_INT(t.failed_resolutions, 0);
    CHECK_EQ_INT(t.recovered_resolutions, 1);
    CHECK_EQ_INT(t.last_ns, T0 + SEC(2)); /* failures only */

    /* A failure after the NXDOMAIN starts a new resolution. */
    add(inc, servfail(T0 + SEC(5), CLIENT, SERVER, "gone.example"));
    t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 1);
    CHECK_EQ_INT(t.recovered_resolutions, 1);

    text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "\nFailed resolutions: 1 (3 failed attempts); recovered after failures: 1; "
                         "undeliverable answers: 0\n"
                         "NXDOMAIN answers: 3 (names that do not exist; not failures)\n\n"));
    free(text);
    json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "    \"undeliverable_answers\": 0,\n    \"nxdomain_answers\": 3,\n    \"forgotten\": 0,\n"));
    free(json);
}

static const char error_answer_text[] =
    "DNS failure report\n"
    "Time window: 2026-11-25 16:33:01.000000 to 2026-11-25 16:33:01.012000 UTC (0.012000 s)\n"
    "Service affected: DNS over UDP port 53\n"
    "Failed resolutions: 1 (3 failed attempts); recovered after failures: 0; undeliverable answers: 0\n"
    "NXDOMAIN answers: 1 (names that do not exist; not failures)\n"
    "\n"
    "Server 203.0.113.2, DNS over UDP port 53\n"
    "  1 failed resolution, 3 failed attempts, from 1 client\n"
    "  Clients: 192.51.100.15\n"
    "  Queries: broken.example A (3 attempts)\n"
    "  Answer: ServFail from the server (x2)\n"
    "  Answer: Refused from the server\n"
    "  Likely cause: the server refuses to answer this client (access control, or not recursive for it)\n"
    "\n"
    "What to try\n"
    "  - refused (203.0.113.2): Check the server's access-control and recursion settings for this client's "
    "address.\n"
    "  - server_failure (203.0.113.2): Query the server's upstreams/authorities directly (dig +trace, dig +cd to "
    "tell DNSSEC failures) and read the server's logs.\n";

static struct dnsfail_incident *error_answer_incident(void)
{
    struct dnsfail_incident *inc = dnsfail_incident_new(NULL);
    if (!inc)
        return NULL;
    add(inc, servfail(T0, CLIENT, SERVER, "broken.example"));
    add(inc, servfail(T0 + MSEC(5), CLIENT, SERVER, "broken.example"));
    add(inc, error_answer(T0 + MSEC(12), CLIENT, SERVER, "broken.example", PB_TYPE_A, 5));
    add(inc, nxdomain(T0 + MSEC(20), CLIENT, SERVER_B, "nope.example", PB_TYPE_A));
    return inc;
}

static void test_text_report_of_error_answers(void)
{
    struct dnsfail_incident *inc = error_answer_incident();
    if (!CHECK(inc != NULL))
        return;
    char *text = dnsfail_incident_report_text(inc);
    check_lines(text, error_answer_text);
    free(text);
    dnsfail_incident_free(inc);
}

static void test_json_report_of_error_answers(void)
{
    struct dnsfail_incident *inc = error_answer_incident();
    if (!CHECK(inc != NULL))
        return;
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "    \"undeliverable_answers\": 0,\n    \"nxdomain_answers\": 1,\n"));
    CHECK(contains(json, "        {\n"
                         "          \"reason\": \"ServFail\",\n"
                         "          \"kind\": \"answer\",\n"
                         "          \"reporter\": \"203.0.113.2\",\n"
                         "          \"reporter_is_server\": true,\n"
                         "          \"count\": 2,\n"
                         "          \"diagnosis\": \"server_failure\"\n"
                         "        },\n"
                         "        {\n"
                         "          \"reason\": \"Refused\",\n"
                         "          \"kind\": \"answer\",\n"));
    CHECK(contains(json, "\"diagnosis\": \"refused\",\n      \"likely_cause\": \"the server refuses to answer"));
    CHECK(contains(json, "\"diagnosis\": \"server_failure\",\n      \"servers\": [\n        \"203.0.113.2\"\n"));
    CHECK(!contains(json, "\"kind\": \"icmp\""));
    free(json);
    dnsfail_incident_free(inc);
}

/* One server failing both ways: the ICMP line as before, then one line per error answer. */
static void test_text_report_of_icmp_errors_and_error_answers(struct dnsfail_incident *inc)
{
    add(inc, router_failure(T0, CLIENT, SERVER, "a.example", PB_TYPE_A));
    add(inc, servfail(T0 + 1, CLIENT, SERVER, "a.example"));
    add(inc, failure(T0 + 2, CLIENT, SERVER, "a.example", PB_TYPE_A));
    add(inc, error_answer(T0 + 3, CLIENT, SERVER, "a.example", PB_TYPE_A, 16)); /* BADVERS */
    add(inc, servfail(T0 + 4, CLIENT, SERVER, "a.example"));
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "  Queries: a.example A (5 attempts)\n"
                         "  ICMP: host 203.0.113.2 unreachable, reported by 192.51.100.1 (a router or firewall on "
                         "the path); udp port 53 unreachable, reported by 203.0.113.2 (the server itself)\n"
                         "  Answer: ServFail from the server (x2)\n"
                         "  Answer: BadVers from the server\n"
                         "  Likely cause: the server could not get an answer")); /* the latest */
    CHECK(contains(text, "\n  - error_answer (203.0.113.2): Look up the RCODE"));
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"reason\": \"BadVers\",\n          \"kind\": \"answer\","));
    CHECK(contains(json, "\"reason\": \"udp port 53 unreachable\",\n          \"kind\": \"icmp\","));
    free(json);
}

/* More distinct error answers than a server keeps: the rest are counted on their own line. */
static void test_error_answers_beyond_the_listed_reasons(struct dnsfail_incident *inc)
{
    static const uint16_t rcodes[] = {1, 2, 4, 5, 6, 7, 8, 9, 10, 10};
    for (size_t i = 0; i < sizeof rcodes / sizeof rcodes[0]; i++)
        add(inc, error_answer(T0 + (int64_t)i, CLIENT, SERVER, "a.example", PB_TYPE_A, rcodes[i]));
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "  Answer: FormErr from the server\n"));
    CHECK(contains(text, "  Answer: NotAuth from the server\n"
                         "  Answer: 2 other error answers\n"
                         "  Likely cause: the server answered with an error code\n"));
    CHECK(!contains(text, "NotZone"));
    CHECK(!contains(text, "ICMP"));
    free(text);
}

/* The ledger trusts no field: the reporter is the server, an empty reason or an unknown
 * diagnosis come from the RCODE, and text from the record is escaped. */
static void test_error_answer_records_are_normalized(struct dnsfail_incident *inc)
{
    struct dnsfail_tap_record r = servfail(T0, CLIENT, SERVER, "a.example");
    r.reporter = v4(ROUTER);               /* wrong: the server answered */
    r.reporter_is_target = false;
    r.reason[0] = '\0';
    r.diagnosis = DNSFAIL_DIAG_UNKNOWN;
    add(inc, r);
    r = error_answer(T0 + 1, CLIENT, SERVER, "a.example", PB_TYPE_A, 0); /* NOERROR as a failure: nonsense */
    r.diagnosis = 250;
    add(inc, r);
    r = error_answer(T0 + 2, CLIENT, SERVER, "a.example", PB_TYPE_A, 4095);
    snprintf(r.reason, sizeof r.reason, "Resp\x01\"4095\"");
    add(inc, r);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "  Answer: ServFail from the server\n"
                         "  Answer: NoError from the server\n"
                         "  Answer: Resp\\001\"4095\" from the server\n"));
    CHECK(contains(text, "\n  - server_failure (203.0.113.2): "));
    CHECK(contains(text, "\n  - error_answer (203.0.113.2): "));
    CHECK(!contains(text, "reported by"));
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"reason\": \"ServFail\",\n          \"kind\": \"answer\",\n"
                         "          \"reporter\": \"203.0.113.2\",\n          \"reporter_is_server\": true,\n"));
    CHECK(contains(json, "\"reason\": \"Resp\\u0001\\\"4095\\\"\","));
    CHECK(!contains(json, "\"192.51.100.1\""));
    free(json);
}

/* ---- timeouts and late answers ------------------------------------------------------- */

/* A query nothing answered within 5 s, as the glue queues it: no reporter, the query's time. */
static struct dnsfail_tap_record timeout_rec(int64_t time_ns, const uint8_t client[4], const uint8_t server[4],
                                             const char *name)
{
    struct dnsfail_tap_record r = record(DNSFAIL_TAP_FAILURE, time_ns, client, server, name, PB_TYPE_A);
    r.kind = DNSFAIL_KIND_TIMEOUT;
    r.has_dns_id = true;
    r.dns_id = 0x4706;
    r.attempt = 1;
    r.request_in = r.frame;
    r.diagnosis = DNSFAIL_DIAG_NO_ANSWER;
    r.timeout_ns = SEC(5);
    snprintf(r.reason, sizeof r.reason, "no answer within 5 s");
    return r;
}

/* An answer after its query timed out. */
static struct dnsfail_tap_record late_answer(int64_t time_ns, const uint8_t client[4], const uint8_t server[4],
                                             const char *name, int64_t waited_ns)
{
    struct dnsfail_tap_record r = record(DNSFAIL_TAP_LATE_ANSWER, time_ns, client, server, name, PB_TYPE_A);
    r.has_dns_id = true;
    r.dns_id = 0x251c;
    r.request_in = r.frame - 1;
    r.waited_ns = waited_ns;
    r.diagnosis = DNSFAIL_DIAG_LATE_ANSWER;
    snprintf(r.reason, sizeof r.reason, "answer after %lld.%lld s", (long long)(waited_ns / SEC(1)),
             (long long)(waited_ns % SEC(1) / MSEC(100)));
    return r;
}

static void test_timeout_kind_name_and_remedy(void)
{
    CHECK_STR_EQ(dnsfail_kind_name(DNSFAIL_KIND_TIMEOUT), "timeout");
    CHECK_STR_EQ(dnsfail_kind_name(DNSFAIL_KIND_TCP_REFUSED), "tcp_refused");
    const char *r = dnsfail_diagnosis_remedy(DNSFAIL_DIAG_NO_ANSWER);
    CHECK(contains(r, "udp/53 and tcp/53"));
    CHECK(contains(r, "capture on the server's side"));
}

/* dig +tries=2 +timeout=5 to a server behind a firewall that drops: two timeouts 5 s apart. */
static void test_two_timeouts_are_one_failed_resolution(struct dnsfail_incident *inc)
{
    add(inc, timeout_rec(T0, CLIENT, SERVER, "silent.example.com"));
    add(inc, timeout_rec(T0 + MSEC(5010), CLIENT, SERVER, "silent.example.com"));
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 1);
    CHECK_EQ_INT(t.failed_attempts, 2);
    CHECK_EQ_INT(t.timeouts, 2);
    CHECK_EQ_INT(t.late_answers, 0);
    CHECK_EQ_INT(t.first_ns, T0);
    CHECK_EQ_INT(t.last_ns, T0 + MSEC(5010));
    struct dnsfail_addr server = v4(SERVER);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &server), 1);

    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Failed resolutions: 1 (2 failed attempts); recovered after failures: 0; "
                         "undeliverable answers: 0\n"
                         "Timeouts: 2 queries got no answer within 5 s (failed attempts nobody reported)\n\n"));
    CHECK(contains(text, "\nServer 203.0.113.2, DNS over UDP port 53\n"
                         "  1 failed resolution, 2 failed attempts, from 1 client\n"
                         "  Clients: 192.51.100.15\n"
                         "  Queries: silent.example.com A (2 attempts)\n"
                         "  Timeout: 2 queries got no answer within 5 s (nothing came back, not even an ICMP error)\n"
                         "  Likely cause: nothing answered"));
    CHECK(!contains(text, "ICMP:"));
    CHECK(!contains(text, "reported by"));
    CHECK(!contains(text, "Late"));
    CHECK(!contains(text, "Still waiting"));
    CHECK(contains(text, "\n  - no_answer (203.0.113.2): Check that the server is up"));
    free(text);

    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "    \"forgotten\": 0,\n    \"timeouts\": 2,\n    \"late_answers\": 0,\n"
                         "    \"unanswered_at_end\": 0,\n"
                      "    \"dns_messages\": 0,\n"));
    CHECK(contains(json, "      \"recovered_resolutions\": 0,\n      \"timeouts\": 2,\n      \"late_answers\": 0,\n"
                         "      \"late_answer_max_seconds\": null,\n"));
    CHECK(contains(json, "        {\n"
                         "          \"reason\": \"no answer within 5 s\",\n"
                         "          \"kind\": \"timeout\",\n"
                         "          \"reporter\": \"\",\n"
                         "          \"reporter_is_server\": false,\n"
                         "          \"count\": 2,\n"
                         "          \"diagnosis\": \"no_answer\"\n"
                         "        }\n"));
    CHECK(contains(json, "\"diagnosis\": \"no_answer\",\n      \"servers\": [\n        \"203.0.113.2\"\n"));
    free(json);
}

/* A timeout, then a retry answered (by another server): the resolution recovered. */
static void test_timeout_then_answer_recovers(struct dnsfail_incident *inc)
{
    add(inc, timeout_rec(T0, CLIENT, SERVER, "retried.example.com"));
    add(inc, answer(T0 + SEC(6), CLIENT, SERVER_B, "retried.example.com", PB_TYPE_A));
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 0);
    CHECK_EQ_INT(t.recovered_resolutions, 1);
    CHECK_EQ_INT(t.failed_attempts, 1);
    CHECK_EQ_INT(t.timeouts, 1);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "  0 failed resolutions, 1 failed attempt\n"
                         "  1 resolution recovered after failures\n"
                         "  Timeout: 1 query got no answer within 5 s"));
    CHECK(contains(text, "Timeouts: 1 query got no answer within 5 s (failed attempts nobody reported)\n"));
    free(text);
}

/* A late answer is counted apart: no failed attempt, and it recovers nothing. */
static void test_late_answers_are_counted_apart_and_recover_nothing(struct dnsfail_incident *inc)
{
    add(inc, timeout_rec(T0, CLIENT, SERVER, "slow.example.com"));
    add(inc, late_answer(T0 + SEC(6), CLIENT, SERVER, "slow.example.com", SEC(6)));
    add(inc, timeout_rec(T0 + SEC(20), CLIENT, SERVER, "late7.example.com"));
    add(inc, late_answer(T0 + SEC(27), CLIENT, SERVER, "late7.example.com", MSEC(7050)));
    /* One for a server that never failed: only the totals count it. */
    add(inc, late_answer(T0 + SEC(28), CLIENT, SERVER_B, "other.example.com", SEC(9)));
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 2);
    CHECK_EQ_INT(t.recovered_resolutions, 0);
    CHECK_EQ_INT(t.failed_attempts, 2);
    CHECK_EQ_INT(t.timeouts, 2);
    CHECK_EQ_INT(t.late_answers, 3);
    CHECK_EQ_INT(t.last_ns, T0 + SEC(20)); /* late answers are no failures */

    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Timeouts: 2 queries got no answer within 5 s (failed attempts nobody reported)\n"
                         "Late answers: 3 answers came after the client's timeout (not failures; they recover "
                         "nothing)\n"));
    CHECK(contains(text, "  Timeout: 2 queries got no answer within 5 s (nothing came back, not even an ICMP error)\n"
                         "  Late: 2 answers came after the client's timeout (the slowest after 7.0 s)\n"
                         "  Likely cause: nothing answered"));
    CHECK(!contains(text, "203.0.113.3")); /* no server block for a server that never failed */
    CHECK(contains(text, "\n  - late_answer (203.0.113.2): Raise the client's resolver timeout"));
    free(text);

    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "    \"timeouts\": 2,\n    \"late_answers\": 3,\n    \"unanswered_at_end\": 0,\n"
                      "    \"dns_messages\": 0,\n"));
    CHECK(contains(json, "      \"timeouts\": 2,\n      \"late_answers\": 2,\n"
                         "      \"late_answer_max_seconds\": 7.050000,\n"));
    CHECK(contains(json, "\"diagnosis\": \"late_answer\",\n      \"servers\": [\n        \"203.0.113.2\"\n"));
    free(json);
}

/* dig +tries=3 +timeout=1 to a silent server, the capture ending right after the third
 * try: two retried tries are timeouts with the client's wait, the third still waits and
 * is named with their resolution; told twice (a report drawn twice), it counts once. */
static void test_retried_timeouts_and_a_query_still_waiting(struct dnsfail_incident *inc)
{
    for (int i = 0; i < 2; i++) {
        struct dnsfail_tap_record r = timeout_rec(T0 + SEC(i), CLIENT, SERVER, "silent3.example");
        r.waited_ns = MSEC(1001);
        snprintf(r.reason, sizeof r.reason, "no answer; the client retried after 1.0 s");
        add(inc, r);
    }
    struct dnsfail_tap_record third = timeout_rec(T0 + SEC(2), CLIENT, SERVER, "silent3.example");
    for (int draw = 0; draw < 2; draw++) {
        dnsfail_incident_clear_waiting(inc);
        dnsfail_incident_add_waiting(inc, &third);
    }
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 1);
    CHECK_EQ_INT(t.failed_attempts, 2);
    CHECK_EQ_INT(t.timeouts, 2);
    CHECK_EQ_INT(t.retried_timeouts, 2);
    CHECK_EQ_INT(t.unanswered_at_end, 1);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Timeouts: 2 queries got no answer before the client retried (failed attempts nobody "
                         "reported)\n"));
    CHECK(contains(text, "  Queries: silent3.example A (2 attempts, and 1 still waiting when the capture ended)\n"));
    CHECK(contains(text, "  Timeout: 2 queries got no answer; the client retried after 1.0 s (nothing came back"));
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"attempts\": 2,\n          \"waiting_at_end\": 1\n"));
    CHECK(contains(json, "    \"unanswered_at_end\": 1,\n    \"dns_messages\": 0,\n    \"retried_timeouts\": 2,\n"));
    free(json);

    /* A timeout within the timeout beside them: both kinds in the header. A query still
     * waiting of another question, or outside the window, belongs to no resolution. */
    add(inc, timeout_rec(T0 + SEC(3), CLIENT, SERVER, "silent3.example"));
    dnsfail_incident_clear_waiting(inc);
    struct dnsfail_tap_record other = timeout_rec(T0 + SEC(3), CLIENT, SERVER, "other.example");
    struct dnsfail_tap_record later = timeout_rec(T0 + SEC(60), CLIENT, SERVER, "silent3.example");
    dnsfail_incident_add_waiting(inc, &other);
    dnsfail_incident_add_waiting(inc, &later);
    CHECK_EQ_INT(totals_of(inc).unanswered_at_end, 2);
    text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Timeouts: 3 queries got no answer: 1 within 5 s, 2 before the client retried (failed "));
    CHECK(contains(text, "  Queries: silent3.example A (3 attempts)\n"));
    free(text);
}

static void test_unanswered_at_end_in_text_and_json(struct dnsfail_incident *inc)
{
    /* No failures: the one line, and what was still waiting. */
    dnsfail_incident_set_unanswered(inc, 1);
    CHECK_EQ_INT(totals_of(inc).unanswered_at_end, 1);
    char *text = dnsfail_incident_report_text(inc);
    CHECK_STR_EQ(text, "No DNS failures.\n"
                       "DNS messages seen: 0\n"
                       "NXDOMAIN answers: 0 (names that do not exist; not failures)\n"
                       "Late answers: 0 (after the client's timeout; not failures)\n"
                       "Undeliverable answers: 0 (refused by the client's host)\n"
                       "Still waiting: 1 query was still waiting for an answer when the capture ended (not failures)\n");
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"window\": null,"));
    CHECK(contains(json, "    \"unanswered_at_end\": 1,\n"
                      "    \"dns_messages\": 0,\n"));
    free(json);

    /* With failures: in the header; set again, it replaces the count. */
    add(inc, failure(T0, CLIENT, SERVER, "a.example", PB_TYPE_A));
    dnsfail_incident_set_unanswered(inc, 3);
    text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "undeliverable answers: 0\n"
                         "Still waiting: 3 queries were still waiting for an answer when the capture ended (not "
                         "failures)\n\nServer "));
    CHECK(!contains(text, "Timeouts:"));
    free(text);
    json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "    \"unanswered_at_end\": 3,\n"
                      "    \"dns_messages\": 0,\n"));
    free(json);
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_attempts, 1);
    CHECK_EQ_INT(t.failed_resolutions, 1);
    dnsfail_incident_set_unanswered(NULL, 2); /* harmless */
}

/* Feeds the records in the order given; returns the incident. */
static struct dnsfail_incident *fed(const struct dnsfail_tap_record *recs, const size_t *order, size_t n)
{
    struct dnsfail_incident *inc = dnsfail_incident_new(NULL);
    for (size_t i = 0; inc && i < n; i++)
        dnsfail_incident_add(inc, &recs[order[i]]);
    return inc;
}

/* The same records in time order (two-pass) and with the timeout late (single pass) give
 * the same totals, the same per-server counts and the same reports. */
static void check_same_in_both_orders(const struct dnsfail_tap_record *recs, size_t n, const size_t *late_order,
                                      uint64_t failed, uint64_t recovered, uint64_t attempts)
{
    size_t in_order[8];
    for (size_t i = 0; i < n; i++)
        in_order[i] = i;
    struct dnsfail_incident *a = fed(recs, in_order, n), *b = fed(recs, late_order, n);
    if (!CHECK(a != NULL && b != NULL)) {
        dnsfail_incident_free(a);
        dnsfail_incident_free(b);
        return;
    }
    struct dnsfail_incident_totals ta = totals_of(a), tb = totals_of(b);
    CHECK_EQ_INT(ta.failed_resolutions, failed);
    CHECK_EQ_INT(tb.failed_resolutions, failed);
    CHECK_EQ_INT(ta.recovered_resolutions, recovered);
    CHECK_EQ_INT(tb.recovered_resolutions, recovered);
    CHECK_EQ_INT(ta.failed_attempts, attempts);
    CHECK_EQ_INT(tb.failed_attempts, attempts);
    CHECK_EQ_INT(ta.first_ns, tb.first_ns);
    CHECK_EQ_INT(ta.last_ns, tb.last_ns);
    struct dnsfail_addr server = v4(SERVER), server_b = v4(SERVER_B);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(a, &server),
                 dnsfail_incident_failed_resolutions_for_server(b, &server));
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(a, &server_b),
                 dnsfail_incident_failed_resolutions_for_server(b, &server_b));
    char *xa = dnsfail_incident_report_text(a), *xb = dnsfail_incident_report_text(b);
    if (CHECK(xa != NULL && xb != NULL))
        check_lines(xb, xa);
    free(xa);
    free(xb);
    xa = dnsfail_incident_report_json(a);
    xb = dnsfail_incident_report_json(b);
    CHECK(json_valid(xa));
    if (CHECK(xa != NULL && xb != NULL))
        check_lines(xb, xa);
    free(xa);
    free(xb);
    dnsfail_incident_free(a);
    dnsfail_incident_free(b);
}

static void test_timeouts_count_the_same_in_either_order(void)
{
    /* q1 times out; its retry q2, 1 s later, gets an ICMP error before q1's deadline. */
    struct dnsfail_tap_record r1[] = {
        timeout_rec(T0, CLIENT, SERVER, "www.example.com"),
        failure(T0 + SEC(1), CLIENT, SERVER_B, "www.example.com", PB_TYPE_A),
    };
    check_same_in_both_orders(r1, 2, (const size_t[]){1, 0}, 1, 0, 2);

    /* q1 times out, then an answer to the question (a retry answered). */
    struct dnsfail_tap_record r2[] = {
        timeout_rec(T0, CLIENT, SERVER, "www.example.com"),
        answer(T0 + SEC(7), CLIENT, SERVER, "www.example.com", PB_TYPE_A),
    };
    check_same_in_both_orders(r2, 2, (const size_t[]){0, 1}, 0, 1, 1);

    /* dig +tries=2: two timeouts 5 s apart; the second one's record is queued at 10 s. */
    struct dnsfail_tap_record r3[] = {
        timeout_rec(T0, CLIENT, SERVER, "silent.example.com"),
        timeout_rec(T0 + SEC(5), CLIENT, SERVER, "silent.example.com"),
    };
    check_same_in_both_orders(r3, 2, (const size_t[]){0, 1}, 1, 0, 2);

    /* A timeout between two runs of ICMP errors 12 s apart, within the window of both: in
     * time order it joins them into one resolution; arriving last, it must too. */
    struct dnsfail_tap_record r4[] = {
        failure(T0, CLIENT, SERVER, "bridge.example", PB_TYPE_A),
        timeout_rec(T0 + SEC(5), CLIENT, SERVER_B, "bridge.example"),
        router_failure(T0 + SEC(12), CLIENT, SERVER, "bridge.example", PB_TYPE_A),
    };
    check_same_in_both_orders(r4, 3, (const size_t[]){0, 2, 1}, 1, 0, 3);

    /* The same, then recovered by an answer: one recovered resolution either way. */
    struct dnsfail_tap_record r5[] = {
        failure(T0, CLIENT, SERVER, "bridge.example", PB_TYPE_A),
        timeout_rec(T0 + SEC(5), CLIENT, SERVER_B, "bridge.example"),
        router_failure(T0 + SEC(12), CLIENT, SERVER, "bridge.example", PB_TYPE_A),
        answer(T0 + SEC(13), CLIENT, SERVER, "bridge.example", PB_TYPE_A),
    };
    check_same_in_both_orders(r5, 4, (const size_t[]){0, 2, 1, 3}, 0, 1, 3);

    /* A timeout after a recovered resolution starts a new one, in either order. */
    struct dnsfail_tap_record r6[] = {
        failure(T0, CLIENT, SERVER, "again.example", PB_TYPE_A),
        answer(T0 + SEC(1), CLIENT, SERVER_B, "again.example", PB_TYPE_A),
        timeout_rec(T0 + SEC(2), CLIENT, SERVER, "again.example"),
        failure(T0 + SEC(3), CLIENT, SERVER, "again.example", PB_TYPE_A),
    };
    check_same_in_both_orders(r6, 4, (const size_t[]){0, 1, 3, 2}, 1, 1, 3);
}

/* A bridged resolution leaves its slot: the folded one is no resolution, and reusing its
 * slot later forgets nothing. */
static void test_joined_resolutions_forget_nothing(void)
{
    struct dnsfail_incident *inc = new_incident(4, 0);
    if (!CHECK(inc != NULL))
        return;
    add(inc, failure(T0, CLIENT, SERVER, "bridge.example", PB_TYPE_A));
    add(inc, failure(T0 + SEC(12), CLIENT, SERVER, "bridge.example", PB_TYPE_A));
    CHECK_EQ_INT(totals_of(inc).failed_resolutions, 2);
    add(inc, timeout_rec(T0 + SEC(5), CLIENT, SERVER, "bridge.example"));
    CHECK_EQ_INT(totals_of(inc).failed_resolutions, 1);
    struct dnsfail_addr server = v4(SERVER);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &server), 1);
    /* Three more questions fill the table; the fourth reuses the oldest slot (followed). */
    add(inc, failure(T0 + SEC(20), CLIENT, SERVER, "b.example", PB_TYPE_A));
    add(inc, failure(T0 + SEC(21), CLIENT, SERVER, "c.example", PB_TYPE_A));
    CHECK_EQ_INT(totals_of(inc).forgotten, 0);
    add(inc, failure(T0 + SEC(22), CLIENT, SERVER, "d.example", PB_TYPE_A)); /* evicts bridge (live) */
    CHECK_EQ_INT(totals_of(inc).forgotten, 1);
    add(inc, failure(T0 + SEC(23), CLIENT, SERVER, "e.example", PB_TYPE_A)); /* reuses the folded slot */
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.forgotten, 1);
    CHECK_EQ_INT(t.failed_resolutions, 5);
    CHECK_EQ_INT(t.failed_attempts, 7);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "  5 failed resolutions, 7 failed attempts, from 1 client\n"));
    CHECK(contains(text, "Timeout: 1 query got no answer within 5 s"));
    free(text);
    dnsfail_incident_free(inc);
}

/* A TCP SYN nothing answered: no question, keyed by the server endpoint. */
static void test_tcp_syn_timeout_without_question(struct dnsfail_incident *inc)
{
    struct dnsfail_tap_record r = timeout_rec(T0, CLIENT, SERVER, NULL);
    r.flow.transport = PB_PROTO_TCP;
    add(inc, r);
    r.time_ns = T0 + SEC(3);
    add(inc, r);
    add(inc, timeout_rec(T0 + SEC(4), CLIENT, SERVER, "tcpsilent.example.com")); /* over UDP: another endpoint */
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_attempts, 3);
    CHECK_EQ_INT(t.timeouts, 3);
    CHECK_EQ_INT(t.failed_resolutions, 2);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Service affected: DNS over UDP port 53, DNS over TCP port 53\n"));
    CHECK(contains(text, "\nServer 203.0.113.2, DNS over TCP port 53\n"
                         "  1 failed resolution, 2 failed attempts, from 1 client\n"
                         "  Clients: 192.51.100.15\n"
                         "  Queries: (name not quoted) (2 attempts)\n"
                         "  Timeout: 2 TCP connection attempts got no answer within 5 s (nothing came back, not even "
                         "an ICMP error)\n"));
    CHECK(contains(text, "Timeouts: 3 queries got no answer within 5 s"));
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"transport\": \"tcp\""));
    free(json);
}

/* The ledger trusts no field of a timeout: nobody reported it, whatever the record says. */
static void test_timeout_records_are_normalized(struct dnsfail_incident *inc)
{
    struct dnsfail_tap_record r = timeout_rec(T0, CLIENT, SERVER, "a.example");
    r.reporter = v4(ROUTER);
    r.reporter_is_target = true;
    r.reason[0] = '\0';
    r.diagnosis = 250;
    r.timeout_ns = -1;
    add(inc, r);
    r = timeout_rec(T0 + 1, CLIENT, SERVER, "a.example");
    r.reason[0] = '\0';
    r.diagnosis = DNSFAIL_DIAG_UNKNOWN;
    r.timeout_ns = MSEC(2500);
    add(inc, r);
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.timeouts, 2);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Timeouts: 2 queries got no answer within 2.5 s"));
    CHECK(contains(text, "  Timeout: 1 query got no answer (nothing came back"));
    CHECK(contains(text, "  Timeout: 1 query got no answer within 2.5 s (nothing came back"));
    CHECK(!contains(text, "192.51.100.1 "));
    CHECK(!contains(text, "reported by"));
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(!contains(json, "\"192.51.100.1\""));
    CHECK(contains(json, "\"reason\": \"no answer\",\n          \"kind\": \"timeout\",\n          \"reporter\": \"\",\n"
                         "          \"reporter_is_server\": false,\n"));
    CHECK(!contains(json, "\"diagnosis\": \"unknown\"")); /* out of range or unknown: no_answer */
    free(json);
}

/* ---- filtered totals (dnsfail_incident_add_kept) ----------------------------------- */

static void add_kept(struct dnsfail_incident *inc, struct dnsfail_tap_record r, bool kept)
{
    dnsfail_incident_add_kept(inc, &r, kept);
}

static void test_filtered_recovery_by_an_answer_the_filter_drops(struct dnsfail_incident *inc)
{
    /* failover-recovered, filtered to SERVER: its failure is kept, SERVER_B's answer is not. */
    add_kept(inc, failure(T0, CLIENT, SERVER, "www.example.com", PB_TYPE_A), true);
    add_kept(inc, answer(T0 + SEC(1), CLIENT, SERVER_B, "www.example.com", PB_TYPE_A), false);
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_attempts, 1);
    CHECK_EQ_INT(t.failed_resolutions, 0);
    CHECK_EQ_INT(t.recovered_resolutions, 1);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(contains(json, "      \"failed_resolutions\": 0,\n      \"failed_attempts\": 1,\n"
                         "      \"recovered_resolutions\": 1,\n"));
    free(json);
}

static void test_filtered_resolution_bridged_by_a_dropped_failure(struct dnsfail_incident *inc)
{
    /* 0 s at SERVER, 8 s at SERVER_B, 16 s at SERVER, window 10 s: one resolution unfiltered;
     * filtered to SERVER, still one (the dropped failure joins the kept ones), of 2 attempts. */
    add_kept(inc, failure(T0, CLIENT, SERVER, "a.example", PB_TYPE_A), true);
    add_kept(inc, failure(T0 + SEC(8), CLIENT, SERVER_B, "a.example", PB_TYPE_A), false);
    add_kept(inc, failure(T0 + SEC(16), CLIENT, SERVER, "a.example", PB_TYPE_A), true);
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 1);
    CHECK_EQ_INT(t.failed_attempts, 2);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &(struct dnsfail_addr){0}), 0);
    struct dnsfail_addr server = v4(SERVER), server_b = v4(SERVER_B);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &server), 1);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &server_b), 0);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Server 203.0.113.2, DNS over UDP port 53\n  1 failed resolution, 2 failed attempts"));
    CHECK(!contains(text, "203.0.113.3"));
    free(text);
}

static void test_filtered_late_timeout_joins_the_kept_resolution(struct dnsfail_incident *inc)
{
    /* A kept failure at 10 s and a kept one at 30 s, then (late, as single pass queues it) a
     * dropped timeout at 20 s that bridges them: one resolution, as in time order. */
    add_kept(inc, failure(T0 + SEC(10), CLIENT, SERVER, "b.example", PB_TYPE_A), true);
    add_kept(inc, failure(T0 + SEC(30), CLIENT, SERVER, "b.example", PB_TYPE_A), true);
    CHECK_EQ_INT(totals_of(inc).failed_resolutions, 2);
    add_kept(inc, failure(T0 + SEC(20), CLIENT, SERVER_B, "b.example", PB_TYPE_A), false);
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_resolutions, 1);
    CHECK_EQ_INT(t.failed_attempts, 2);
    struct dnsfail_addr server = v4(SERVER);
    CHECK_EQ_INT(dnsfail_incident_failed_resolutions_for_server(inc, &server), 1);
}

static void test_filtered_nothing_kept_is_no_failure(struct dnsfail_incident *inc)
{
    add_kept(inc, failure(T0, CLIENT, SERVER, "c.example", PB_TYPE_A), false);
    add_kept(inc, nxdomain(T0 + SEC(1), CLIENT, SERVER, "c.example", PB_TYPE_A), false);
    add_kept(inc, undeliverable(T0 + SEC(2), CLIENT, SERVER, "d.example", PB_TYPE_A), false);
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_attempts + t.failed_resolutions + t.recovered_resolutions, 0);
    CHECK_EQ_INT(t.nxdomain_answers + t.undeliverable_answers + t.forgotten, 0);
    CHECK(dnsfail_incident_set_filter(inc, "dnsfail.server == 192.0.2.1"));
    dnsfail_incident_set_capture(inc, 7, true);
    char *text = dnsfail_incident_report_text(inc);
    CHECK_STR_EQ(text, "No DNS failures.\n"
                       "DNS messages seen: 7\n"
                       "NXDOMAIN answers: 0 (names that do not exist; not failures)\n"
                       "Late answers: 0 (after the client's timeout; not failures)\n"
                       "Undeliverable answers: 0 (refused by the client's host)\n"
                       "Still waiting: 0 queries were still waiting for an answer when the capture ended (not "
                       "failures)\n"
                       "Filter: dnsfail.server == 192.0.2.1 (counts what it keeps; DNS messages and queries still "
                       "waiting are the whole capture's)\n");
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "    \"dns_messages\": 7,\n"));
    CHECK(contains(json, "  \"analysed\": true,\n  \"filter\": \"dnsfail.server == 192.0.2.1\"\n}\n"));
    free(json);
    /* The same records kept: counted as without a filter. */
    add_kept(inc, failure(T0 + SEC(60), CLIENT, SERVER, "c.example", PB_TYPE_A), true);
    CHECK_EQ_INT(totals_of(inc).failed_resolutions, 1);
}

static void test_report_of_a_disabled_dnsfail(struct dnsfail_incident *inc)
{
    dnsfail_incident_set_capture(inc, 0, false);
    char *text = dnsfail_incident_report_text(inc);
    CHECK_STR_EQ(text, "No DNS failures: dnsfail is disabled (Analyze > Enabled Protocols, or --disable-protocol "
                       "dnsfail), so nothing was analysed.\n");
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "  \"analysed\": false,\n  \"filter\": null\n}\n"));
    free(json);
    CHECK(dnsfail_incident_set_filter(inc, ""));
    CHECK(dnsfail_incident_set_filter(NULL, "x") == false);
}


/* ---- the link between a resolver's two legs (tap version 3) ---------------------------- */

#define MAX_ROOT_CAUSES_FOR_TEST 64u /* the report lists at most 64 root causes */
static const uint8_t CLIENT_B[4] = {192, 0, 2, 11};
static const uint8_t CLIENT_A[4] = {192, 0, 2, 10};
static const uint8_t RESOLVER[4] = {192, 0, 2, 53};      /* toward its clients */
static const uint8_t RESOLVER_UP[4] = {198, 51, 100, 2}; /* toward its upstreams */
static const uint8_t UPSTREAM[4] = {198, 51, 100, 53};

/* A failure of the resolver as a client: is_upstream, as the plugin marks it. */
static struct dnsfail_tap_record upstream_of(struct dnsfail_tap_record r)
{
    r.is_upstream = true;
    return r;
}

/* A client-facing record linked to count upstream failures, the first (strongest) cause_in. */
static struct dnsfail_tap_record caused_by(struct dnsfail_tap_record r, uint32_t cause_in, uint32_t count,
                                           uint8_t match, uint8_t kind, const char *cause)
{
    r.cause_count = count;
    r.cause_in = cause_in;
    r.cause_match = match;
    r.cause_kind = kind;
    r.cause_server = v4(UPSTREAM);
    snprintf(r.cause, sizeof r.cause, "%s", cause);
    return r;
}

static struct dnsfail_tap_record with_frame(struct dnsfail_tap_record r, uint32_t frame)
{
    r.frame = frame;
    return r;
}

/* An answer to the client after the resolver's own failures: recovered from them. */
static struct dnsfail_tap_record recovered_event(int64_t time_ns, const char *name, uint32_t cause_in, uint32_t count)
{
    struct dnsfail_tap_record r = record(DNSFAIL_TAP_UPSTREAM_RECOVERED, time_ns, CLIENT_A, RESOLVER, name, PB_TYPE_A);
    return caused_by(r, cause_in, count, DNSFAIL_CAUSE_SAME_QUESTION, DNSFAIL_KIND_ICMP_ERROR,
                     "upstream 198.51.100.53 udp port 53 unreachable");
}

#define UNREACHABLE "upstream 198.51.100.53 udp port 53 unreachable"

/* A forwarder whose upstream's port is closed, serving two clients: six upstream ICMP
 * errors, three SERVFAILs to the clients. */
static void feed_forwarder_to_a_closed_port(struct dnsfail_incident *inc)
{
    for (int i = 0; i < 6; i++)
        add(inc, with_frame(upstream_of(failure(T0 + MSEC(10 + 100 * i), RESOLVER_UP, UPSTREAM, "www.example.org",
                                                PB_TYPE_A)),
                            (uint32_t)(11 + 2 * i)));
    add(inc, with_frame(caused_by(servfail(T0 + MSEC(300), CLIENT_A, RESOLVER, "www.example.org"), 11, 3,
                                  DNSFAIL_CAUSE_SAME_QUESTION, DNSFAIL_KIND_ICMP_ERROR, UNREACHABLE),
                        27));
    add(inc, with_frame(caused_by(servfail(T0 + MSEC(600), CLIENT_B, RESOLVER, "mail.example.org"), 17, 3,
                                  DNSFAIL_CAUSE_DURING, DNSFAIL_KIND_ICMP_ERROR, UNREACHABLE),
                        30));
    add(inc, with_frame(caused_by(servfail(T0 + MSEC(700), CLIENT_A, RESOLVER, "www.example.org"), 21, 2,
                                  DNSFAIL_CAUSE_SAME_QUESTION, DNSFAIL_KIND_ICMP_ERROR, UNREACHABLE),
                        33));
}

static void test_root_cause_of_a_forwarder_to_a_closed_port(struct dnsfail_incident *inc)
{
    feed_forwarder_to_a_closed_port(inc);
    struct dnsfail_incident_totals t = totals_of(inc);
    /* The existing totals keep their meaning: every failure is a failed attempt. */
    CHECK_EQ_INT(t.failed_attempts, 9);
    CHECK_EQ_INT(t.upstream_failures, 6);
    CHECK_EQ_INT(t.failures_with_cause, 3);
    CHECK_EQ_INT(t.recovered_upstream_failures, 0);

    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Upstream failures: 6 (a resolver's own failed queries, among the failed attempts); "
                         "recovered from: 0\n"));
    CHECK(contains(text, "\nRoot causes\n"
                         "  Server 192.0.2.53 answered SERVFAIL to 3 queries from 2 clients because its upstream "
                         "198.51.100.53 was unreachable (udp port 53 unreachable, 6 upstream failures)\n"
                         "    first: frame 27, explained by frame 11 (same_question)\n\nServer "));
    /* Before the servers: the cause first, then the evidence. */
    CHECK(contains(text, "(same_question)\n\nServer 198.51.100.53, DNS over UDP port 53\n"));
    free(text);

    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "    \"upstream_failures\": 6,\n    \"recovered_upstream_failures\": 0,\n"
                         "    \"failures_with_cause\": 3\n"));
    CHECK(contains(json, "  \"root_causes\": [\n    {\n      \"server\": \"192.0.2.53\",\n      \"port\": 53,\n"
                         "      \"transport\": \"udp\",\n      \"answer\": \"servfail\",\n      \"queries\": 3,\n"
                         "      \"client_count\": 2,\n      \"clients\": [\n        \"192.0.2.10\",\n"
                         "        \"192.0.2.11\"\n      ],\n      \"clients_not_listed\": false,\n"
                         "      \"upstream\": \"198.51.100.53\",\n      \"upstream_kind\": \"icmp_error\",\n"
                         "      \"cause\": \"upstream 198.51.100.53 udp port 53 unreachable\",\n"
                         "      \"reason\": \"udp port 53 unreachable\",\n      \"match\": \"same_question\",\n"
                         "      \"upstream_failures\": 6,\n      \"upstream_failures_to_upstream\": 6,\n"
                      "      \"first_frame\": 27,\n      \"first_cause_in\": 11\n"
                         "    }\n  ],\n  \"root_causes_not_listed\": 0,\n"));
    free(json);
}

/* dnsmasq to a silent upstream: the client's tries time out, as do the forwarded queries. */
static void test_root_cause_of_timeouts_behind_a_silent_upstream(struct dnsfail_incident *inc)
{
    add(inc, with_frame(upstream_of(timeout_rec(T0 + MSEC(5), RESOLVER_UP, UPSTREAM, "www.example.com")), 6));
    add(inc, with_frame(upstream_of(timeout_rec(T0 + SEC(3), RESOLVER_UP, UPSTREAM, "www.example.com")), 8));
    /* Single pass queues the client's timeouts late: the second arrives first. */
    add(inc, with_frame(caused_by(timeout_rec(T0 + SEC(3), CLIENT_A, RESOLVER, "www.example.com"), 8, 1,
                                  DNSFAIL_CAUSE_SAME_QUESTION, DNSFAIL_KIND_TIMEOUT,
                                  "upstream 198.51.100.53 did not answer"),
                        7));
    add(inc, with_frame(caused_by(timeout_rec(T0, CLIENT_A, RESOLVER, "www.example.com"), 6, 2,
                                  DNSFAIL_CAUSE_SAME_QUESTION, DNSFAIL_KIND_TIMEOUT,
                                  "upstream 198.51.100.53 did not answer"),
                        3));
    /* The plugin's words for an upstream's error answer say what it did, too. */
    add(inc, with_frame(caused_by(error_answer(T0 + SEC(20), CLIENT_A, RESOLVER, "x.example", PB_TYPE_A, 5), 30, 1,
                                  DNSFAIL_CAUSE_SAME_QUESTION, DNSFAIL_KIND_ERROR_ANSWER,
                                  "upstream 198.51.100.53 answered Refused"),
                        31));
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "  Server 192.0.2.53 did not answer 2 queries from 1 client because its upstream "
                         "198.51.100.53 did not answer (2 upstream failures)\n"
                         "    first: frame 3, explained by frame 6 (same_question)\n"));
    CHECK(contains(text, "  Server 192.0.2.53 answered REFUSED to 1 query from 1 client because its upstream "
                         "198.51.100.53 answered Refused (1 upstream failure)\n"));
    free(text);
}

/* Late answers and other answers are root causes of their own; the strongest match shows. */
static void test_root_causes_are_grouped_by_answer_and_cause(struct dnsfail_incident *inc)
{
    add(inc, caused_by(late_answer(T0 + SEC(6), CLIENT_A, RESOLVER, "a.example", SEC(6)), 40, 1,
                       DNSFAIL_CAUSE_DURING, DNSFAIL_KIND_TIMEOUT, "upstream 198.51.100.53 no answer within 5 s"));
    add(inc, caused_by(error_answer(T0 + SEC(1), CLIENT_A, RESOLVER, "b.example", PB_TYPE_A, 5), 41, 5,
                       DNSFAIL_CAUSE_ANCESTOR, DNSFAIL_KIND_ERROR_ANSWER, "upstream 198.51.100.53 Refused"));
    add(inc, caused_by(error_answer(T0 + SEC(2), CLIENT_A, RESOLVER, "c.example", PB_TYPE_A, 5), 42, 1,
                       DNSFAIL_CAUSE_DURING, DNSFAIL_KIND_ERROR_ANSWER, "upstream 198.51.100.53 Refused"));
    add(inc, caused_by(servfail(T0 + SEC(3), CLIENT_A, RESOLVER, "d.example"), 43, 1, DNSFAIL_CAUSE_SAME_QUESTION,
                       DNSFAIL_KIND_TCP_REFUSED, "upstream 198.51.100.53 tcp port 53 reset (connection refused)"));
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "  Server 192.0.2.53 answered REFUSED to 2 queries from 1 client because its upstream "
                         "198.51.100.53 answered with an error (Refused, 5 upstream failures)\n"));
    CHECK(contains(text, "(Refused, 5 upstream failures)\n    first: frame "));
    CHECK(contains(text, " (ancestor)\n  Server 192.0.2.53 answered SERVFAIL to 1 query from 1 client because its "
                         "upstream 198.51.100.53 refused the TCP connections (tcp port 53 reset (connection "
                         "refused), 1 upstream failure)\n"));
    CHECK(contains(text, "  Server 192.0.2.53 answered 1 query late from 1 client because its upstream "
                         "198.51.100.53 did not answer (no answer within 5 s, 1 upstream failure)\n"));
    /* In time order: REFUSED (1 s), SERVFAIL (3 s), the late answer (6 s). */
    const char *refused = strstr(text, "answered REFUSED"), *servfail_at = strstr(text, "answered SERVFAIL"),
               *late = strstr(text, "query late");
    CHECK(refused && servfail_at && late && refused < servfail_at && servfail_at < late);
    free(text);
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failures_with_cause, 4);
    CHECK_EQ_INT(t.late_answers, 1);
    CHECK_EQ_INT(t.failed_attempts, 3);
}

/* No link, no new words: a capture without a chain reads as before. */
static void test_no_chain_no_root_causes(struct dnsfail_incident *inc)
{
    add(inc, failure(T0, CLIENT, SERVER, "www.example.com", PB_TYPE_A));
    add(inc, servfail(T0 + SEC(1), CLIENT, SERVER, "www.example.net"));
    char *text = dnsfail_incident_report_text(inc);
    CHECK(!contains(text, "Root causes"));
    CHECK(!contains(text, "Upstream failures"));
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "    \"upstream_failures\": 0,\n    \"recovered_upstream_failures\": 0,\n"
                         "    \"failures_with_cause\": 0\n"));
    CHECK(contains(json, "  \"root_causes\": [],\n  \"root_causes_not_listed\": 0,\n"));
    free(json);
    /* An empty ledger's JSON has the same members. */
    struct dnsfail_incident *empty = dnsfail_incident_new(NULL);
    json = dnsfail_incident_report_json(empty);
    CHECK(contains(json, "  \"root_causes\": [],\n  \"root_causes_not_listed\": 0,\n"));
    CHECK(contains(json, "    \"failures_with_cause\": 0\n"));
    free(json);
    dnsfail_incident_free(empty);
}

/* Upstream failures recovered from are counted apart, once per chain; they are not
 * client failures, and the events change no other count. */
static void test_recovered_upstream_failures_count_once(struct dnsfail_incident *inc)
{
    add(inc, upstream_of(failure(T0, RESOLVER_UP, UPSTREAM, "db.example", PB_TYPE_A)));
    add(inc, upstream_of(failure(T0 + MSEC(400), RESOLVER_UP, UPSTREAM, "db.example", PB_TYPE_A)));
    add(inc, answer(T0 + MSEC(500), RESOLVER_UP, SERVER, "db.example", PB_TYPE_A));
    add(inc, recovered_event(T0 + MSEC(501), "db.example", 27, 2));
    add(inc, recovered_event(T0 + MSEC(502), "db.example", 27, 1)); /* a second client, the same chain */
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.recovered_upstream_failures, 2);
    CHECK_EQ_INT(t.upstream_failures, 2);
    CHECK_EQ_INT(t.failures_with_cause, 0);
    CHECK_EQ_INT(t.failed_attempts, 2);
    CHECK_EQ_INT(t.failed_resolutions, 0);
    CHECK_EQ_INT(t.recovered_resolutions, 1);
    add(inc, recovered_event(T0 + SEC(9), "ftp.example", 41, 3)); /* another chain */
    CHECK_EQ_INT(totals_of(inc).recovered_upstream_failures, 5);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "Upstream failures: 2 (a resolver's own failed queries, among the failed attempts); "
                         "recovered from: 5\n"));
    CHECK(!contains(text, "Root causes"));
    free(text);
}

/* Upstream failures the resolver recovered from explain no client's failure: a root
 * cause's count leaves them out. */
static void test_root_cause_leaves_out_recovered_upstream_failures(struct dnsfail_incident *inc)
{
    feed_forwarder_to_a_closed_port(inc);
    add(inc, upstream_of(failure(T0 + SEC(5), RESOLVER_UP, UPSTREAM, "ftp.example.org", PB_TYPE_A)));
    add(inc, upstream_of(failure(T0 + SEC(5) + MSEC(400), RESOLVER_UP, UPSTREAM, "ftp.example.org", PB_TYPE_A)));
    add(inc, recovered_event(T0 + SEC(6), "ftp.example.org", 40, 2));
    CHECK_EQ_INT(totals_of(inc).upstream_failures, 8);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "(udp port 53 unreachable, 6 upstream failures)\n"));
    CHECK(contains(text, "Upstream failures: 8 (a resolver's own failed queries, among the failed attempts); "
                         "recovered from: 2\n"));
    free(text);
}

/* Single pass may not know a failure is an upstream one when it queues it (a refused TCP
 * connection carries no question): a later cause naming a failure of that client makes its
 * failures upstream failures, so both passes count the same. */
static void test_a_cause_tells_the_upstream_side(struct dnsfail_incident *inc)
{
    struct dnsfail_tap_record r;
    for (uint32_t i = 0; i < 4; i++) {
        r = record(DNSFAIL_TAP_FAILURE, T0 + MSEC(100 * i), RESOLVER_UP, UPSTREAM, NULL, 0);
        r.kind = DNSFAIL_KIND_TCP_REFUSED;
        r.frame = 7 + 2 * i;
        add(inc, r);
    }
    CHECK_EQ_INT(totals_of(inc).upstream_failures, 0);
    add(inc, with_frame(caused_by(servfail(T0 + SEC(1), CLIENT_A, RESOLVER, "www.example.com"), 7, 4,
                                  DNSFAIL_CAUSE_DURING, DNSFAIL_KIND_TCP_REFUSED,
                                  "upstream 198.51.100.53 tcp port 53 reset (connection refused)"),
                        14));
    CHECK_EQ_INT(totals_of(inc).upstream_failures, 4);
    /* Its later failures are upstream failures, marked or not. */
    r = record(DNSFAIL_TAP_FAILURE, T0 + SEC(2), RESOLVER_UP, UPSTREAM, NULL, 0);
    r.kind = DNSFAIL_KIND_TCP_REFUSED;
    add(inc, r);
    CHECK_EQ_INT(totals_of(inc).upstream_failures, 5);
    /* Another client's failures are not. */
    add(inc, failure(T0 + SEC(3), CLIENT, SERVER, "x.example", PB_TYPE_A));
    CHECK_EQ_INT(totals_of(inc).upstream_failures, 5);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "refused the TCP connections (tcp port 53 reset (connection refused), 5 upstream failures)\n"));
    free(text);
}

/* The same when the cause comes first: a timeout single pass queues late. */
static void test_a_cause_before_its_upstream_failure(struct dnsfail_incident *inc)
{
    add(inc, with_frame(caused_by(timeout_rec(T0, CLIENT_A, RESOLVER, "www.example.com"), 6, 1,
                                  DNSFAIL_CAUSE_SAME_QUESTION, DNSFAIL_KIND_TIMEOUT,
                                  "upstream 198.51.100.53 did not answer"),
                        3));
    add(inc, with_frame(timeout_rec(T0 + MSEC(1), RESOLVER_UP, UPSTREAM, "www.example.com"), 6));
    CHECK_EQ_INT(totals_of(inc).upstream_failures, 1);
    /* A failure the filter drops still tells whose failures are upstream ones. */
    struct dnsfail_incident *filtered = dnsfail_incident_new(NULL);
    struct dnsfail_tap_record up = with_frame(timeout_rec(T0 + MSEC(1), RESOLVER_UP, UPSTREAM, "www.example.com"), 6);
    struct dnsfail_tap_record up2 = with_frame(timeout_rec(T0 + SEC(3), RESOLVER_UP, UPSTREAM, "www.example.com"), 9);
    struct dnsfail_tap_record c = with_frame(caused_by(timeout_rec(T0, CLIENT_A, RESOLVER, "www.example.com"), 6, 1,
                                                       DNSFAIL_CAUSE_SAME_QUESTION, DNSFAIL_KIND_TIMEOUT,
                                                       "upstream 198.51.100.53 did not answer"),
                                             3);
    dnsfail_incident_add_kept(filtered, &up, false);
    dnsfail_incident_add_kept(filtered, &c, false);
    dnsfail_incident_add_kept(filtered, &up2, true);
    CHECK_EQ_INT(totals_of(filtered).upstream_failures, 1);
    dnsfail_incident_free(filtered);
}

/* A filtered report counts what the unfiltered one counts for the records it keeps. */
static void test_filtered_root_causes(struct dnsfail_incident *inc)
{
    struct dnsfail_incident *client_side = dnsfail_incident_new(NULL);
    struct dnsfail_incident *upstream_side = dnsfail_incident_new(NULL);
    feed_forwarder_to_a_closed_port(inc);
    /* The same records again, each kept by one filter: the client's leg, or the upstream's. */
    for (int i = 0; i < 6; i++) {
        struct dnsfail_tap_record r = upstream_of(failure(T0 + MSEC(10 + 100 * i), RESOLVER_UP, UPSTREAM,
                                                          "www.example.org", PB_TYPE_A));
        dnsfail_incident_add_kept(client_side, &r, false);
        dnsfail_incident_add_kept(upstream_side, &r, true);
    }
    struct dnsfail_tap_record c = caused_by(servfail(T0 + MSEC(300), CLIENT_A, RESOLVER, "www.example.org"), 11, 3,
                                            DNSFAIL_CAUSE_SAME_QUESTION, DNSFAIL_KIND_ICMP_ERROR, UNREACHABLE);
    dnsfail_incident_add_kept(client_side, &c, true);
    dnsfail_incident_add_kept(upstream_side, &c, false);

    struct dnsfail_incident_totals tc = totals_of(client_side), tu = totals_of(upstream_side);
    CHECK_EQ_INT(tc.upstream_failures, 0);
    CHECK_EQ_INT(tc.failures_with_cause, 1);
    CHECK_EQ_INT(tu.upstream_failures, 6);
    CHECK_EQ_INT(tu.failures_with_cause, 0);
    char *text = dnsfail_incident_report_text(client_side);
    /* Without the upstream's frames, the count is what the failure was linked to. */
    CHECK(contains(text, "  Server 192.0.2.53 answered SERVFAIL to 1 query from 1 client because its upstream "
                         "198.51.100.53 was unreachable (udp port 53 unreachable, 3 upstream failures)\n"));
    free(text);
    text = dnsfail_incident_report_text(upstream_side);
    CHECK(!contains(text, "Root causes"));
    free(text);
    dnsfail_incident_free(client_side);
    dnsfail_incident_free(upstream_side);
}

static void test_root_cause_label(void)
{
    char label[256];
    struct dnsfail_tap_record r = caused_by(servfail(T0, CLIENT_A, RESOLVER, "www.example.org"), 11, 3,
                                            DNSFAIL_CAUSE_SAME_QUESTION, DNSFAIL_KIND_ICMP_ERROR, UNREACHABLE);
    CHECK(dnsfail_incident_root_cause_label(&r, label, sizeof label));
    CHECK_STR_EQ(label, "192.0.2.53 SERVFAIL: upstream 198.51.100.53 udp port 53 unreachable");
    r = caused_by(timeout_rec(T0, CLIENT_A, RESOLVER, "x.example"), 6, 1, DNSFAIL_CAUSE_DURING,
                  DNSFAIL_KIND_TIMEOUT, "");
    CHECK(dnsfail_incident_root_cause_label(&r, label, sizeof label));
    CHECK_STR_EQ(label, "192.0.2.53 timeout: upstream 198.51.100.53 no answer");
    /* No cause, an older record, an upstream failure itself, an event: no label. */
    r = servfail(T0, CLIENT_A, RESOLVER, "www.example.org");
    CHECK(!dnsfail_incident_root_cause_label(&r, label, sizeof label));
    CHECK_STR_EQ(label, "");
    r = caused_by(servfail(T0, CLIENT_A, RESOLVER, "www.example.org"), 11, 3, DNSFAIL_CAUSE_SAME_QUESTION,
                  DNSFAIL_KIND_ICMP_ERROR, UNREACHABLE);
    r.version = 2;
    CHECK(!dnsfail_incident_root_cause_label(&r, label, sizeof label));
    r = recovered_event(T0, "db.example", 27, 2);
    CHECK(!dnsfail_incident_root_cause_label(&r, label, sizeof label));
    r = caused_by(failure(T0, CLIENT_A, RESOLVER, "a.example", PB_TYPE_A), 11, 3, DNSFAIL_CAUSE_SAME_QUESTION,
                  DNSFAIL_KIND_ICMP_ERROR, UNREACHABLE);
    CHECK(!dnsfail_incident_root_cause_label(&r, label, sizeof label)); /* an ICMP error is the client's own path */
    CHECK(!dnsfail_incident_root_cause_label(NULL, label, sizeof label));
}

/* A version 2 record's bytes past its layout are not read as a link. */
static void test_version_2_records_have_no_link(struct dnsfail_incident *inc)
{
    struct dnsfail_tap_record r = caused_by(servfail(T0, CLIENT_A, RESOLVER, "www.example.org"), 11, 3,
                                            DNSFAIL_CAUSE_SAME_QUESTION, DNSFAIL_KIND_ICMP_ERROR, UNREACHABLE);
    r.version = 2;
    r.is_upstream = true;
    dnsfail_incident_add(inc, &r);
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failed_attempts, 1);
    CHECK_EQ_INT(t.upstream_failures, 0);
    CHECK_EQ_INT(t.failures_with_cause, 0);
}

/* Hostile link members stay bounded: an unterminated cause, kinds and matches out of
 * range, an address of no family; and root causes beyond the table are counted. */
static void test_hostile_link_members_stay_bounded(struct dnsfail_incident *inc)
{
    struct dnsfail_tap_record r = servfail(T0, CLIENT_A, RESOLVER, "www.example.org");
    r.cause_count = UINT32_MAX;
    r.cause_in = UINT32_MAX;
    r.cause_match = 200;
    r.cause_kind = 99;
    r.cause_server.family = 77;
    memset(r.cause, 0x1c, sizeof r.cause); /* unterminated, and escaped in both reports */
    add(inc, r);
    for (int i = 0; i < (int)MAX_ROOT_CAUSES_FOR_TEST + 3; i++) {
        char cause[64];
        snprintf(cause, sizeof cause, "upstream 198.51.100.53 reason %d", i);
        add(inc, caused_by(servfail(T0 + SEC(1) + i, CLIENT_A, RESOLVER, "www.example.org"), 11, 1,
                           DNSFAIL_CAUSE_DURING, DNSFAIL_KIND_ICMP_ERROR, cause));
    }
    struct dnsfail_incident_totals t = totals_of(inc);
    CHECK_EQ_INT(t.failures_with_cause, MAX_ROOT_CAUSES_FOR_TEST + 4);
    char *text = dnsfail_incident_report_text(inc);
    CHECK(contains(text, "  Server 192.0.2.53 answered SERVFAIL to 1 query from 1 client because its upstream "
                         "unknown address failed (\\028\\028\\028"));
    CHECK(contains(text, "4294967295 upstream failures)\n    first: frame "));
    CHECK(contains(text, " (none)\n"));
    CHECK(contains(text, "  and 4 other failures with a cause not listed\n"));
    free(text);
    char *json = dnsfail_incident_report_json(inc);
    CHECK(json_valid(json));
    CHECK(contains(json, "\"upstream_kind\": \"unknown\""));
    CHECK(contains(json, "\"root_causes_not_listed\": 4,"));
    free(json);
}

int main(void)
{
    RUN_TEST(test_json_checker_accepts_json_and_refuses_the_rest);
    RUN_TEST(test_kind_names);
    RUN_TEST(test_service_names_by_port);
    RUN_TEST(test_every_diagnosis_has_its_own_remedy_sentence);
    RUN_TEST(test_three_tries_within_the_window_are_one_failed_resolution);
    RUN_TEST(test_new_incident_has_zero_totals);
    RUN_TEST(test_failures_beyond_the_window_start_a_new_resolution);
    RUN_TEST(test_custom_retry_window);
    RUN_LEDGER_TEST(test_answer_after_failures_recovers_the_resolution);
    RUN_LEDGER_TEST(test_recovered_resolutions_are_counted_not_listed);
    RUN_LEDGER_TEST(test_second_answer_does_nothing_more);
    RUN_LEDGER_TEST(test_answer_from_another_server_also_recovers);
    RUN_LEDGER_TEST(test_answer_for_an_unknown_question_does_nothing);
    RUN_LEDGER_TEST(test_failure_after_an_answer_starts_a_new_resolution);
    RUN_LEDGER_TEST(test_answer_recovers_only_the_latest_resolution);
    RUN_LEDGER_TEST(test_undeliverable_answers_are_counted_apart);
    RUN_LEDGER_TEST(test_undeliverable_answers_alone_make_a_report);
    RUN_LEDGER_TEST(test_names_compare_without_case);
    RUN_LEDGER_TEST(test_type_and_class_are_part_of_the_question);
    RUN_LEDGER_TEST(test_mdns_unicast_response_bit_is_no_part_of_the_question);
    RUN_LEDGER_TEST(test_records_without_question_group_by_server_endpoint);
    RUN_LEDGER_TEST(test_failed_resolutions_for_server);
    RUN_TEST(test_eviction_keeps_totals_and_counts_forgotten);
    RUN_LEDGER_TEST(test_lists_are_capped_with_and_n_more);
    RUN_LEDGER_TEST(test_servers_beyond_the_limit_are_summed_as_other_servers);
    RUN_LEDGER_TEST(test_servers_ordered_by_failed_attempts);
    RUN_LEDGER_TEST(test_a_server_lists_each_distinct_reason);
    RUN_TEST(test_text_report_of_the_incident);
    RUN_TEST(test_json_report_of_the_incident);
    RUN_LEDGER_TEST(test_empty_incident_gives_one_line);
    RUN_LEDGER_TEST(test_json_escapes_quote_backslash_and_control_chars);
    RUN_LEDGER_TEST(test_ipv6_servers_and_times_before_1970);
    RUN_TEST(test_leap_day_and_year_boundaries);
    RUN_TEST(test_hostile_record_fields_stay_bounded);
    RUN_TEST(test_reports_of_a_null_incident);
    RUN_LEDGER_TEST(test_error_answers_are_failed_attempts_and_resolutions);
    RUN_LEDGER_TEST(test_icmp_errors_and_error_answers_share_a_resolution);
    RUN_LEDGER_TEST(test_servfail_then_noerror_from_another_server_recovers);
    RUN_LEDGER_TEST(test_nxdomain_is_counted_apart_and_recovers);
    RUN_TEST(test_text_report_of_error_answers);
    RUN_TEST(test_json_report_of_error_answers);
    RUN_LEDGER_TEST(test_text_report_of_icmp_errors_and_error_answers);
    RUN_LEDGER_TEST(test_error_answers_beyond_the_listed_reasons);
    RUN_LEDGER_TEST(test_error_answer_records_are_normalized);
    RUN_TEST(test_timeout_kind_name_and_remedy);
    RUN_LEDGER_TEST(test_two_timeouts_are_one_failed_resolution);
    RUN_LEDGER_TEST(test_timeout_then_answer_recovers);
    RUN_LEDGER_TEST(test_late_answers_are_counted_apart_and_recover_nothing);
    RUN_LEDGER_TEST(test_unanswered_at_end_in_text_and_json);
    RUN_LEDGER_TEST(test_filtered_recovery_by_an_answer_the_filter_drops);
    RUN_LEDGER_TEST(test_filtered_resolution_bridged_by_a_dropped_failure);
    RUN_LEDGER_TEST(test_filtered_late_timeout_joins_the_kept_resolution);
    RUN_LEDGER_TEST(test_filtered_nothing_kept_is_no_failure);
    RUN_LEDGER_TEST(test_report_of_a_disabled_dnsfail);
    RUN_LEDGER_TEST(test_retried_timeouts_and_a_query_still_waiting);
    RUN_TEST(test_timeouts_count_the_same_in_either_order);
    RUN_TEST(test_joined_resolutions_forget_nothing);
    RUN_LEDGER_TEST(test_tcp_syn_timeout_without_question);
    RUN_LEDGER_TEST(test_timeout_records_are_normalized);
    RUN_LEDGER_TEST(test_root_cause_of_a_forwarder_to_a_closed_port);
    RUN_LEDGER_TEST(test_root_cause_of_timeouts_behind_a_silent_upstream);
    RUN_LEDGER_TEST(test_root_causes_are_grouped_by_answer_and_cause);
    RUN_LEDGER_TEST(test_no_chain_no_root_causes);
    RUN_LEDGER_TEST(test_recovered_upstream_failures_count_once);
    RUN_LEDGER_TEST(test_root_cause_leaves_out_recovered_upstream_failures);
    RUN_LEDGER_TEST(test_filtered_root_causes);
    RUN_LEDGER_TEST(test_a_cause_tells_the_upstream_side);
    RUN_LEDGER_TEST(test_a_cause_before_its_upstream_failure);
    RUN_TEST(test_root_cause_label);
    RUN_LEDGER_TEST(test_version_2_records_have_no_link);
    RUN_LEDGER_TEST(test_hostile_link_members_stay_bounded);
    return check_finish();
}
