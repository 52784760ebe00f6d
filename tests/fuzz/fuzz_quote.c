/* fuzz_quote.c - an ICMP or ICMPv6 error and the datagram it quotes: quote.c's parser,
 * the DNS message found in the quote, the reason and diagnosis worded from the result,
 * and the UDP checksum of a quoted datagram (checksum.c).
 *
 * Input: one control byte, then the ICMP message (type byte first).
 *   bit 0      ICMPv6 (else ICMPv4)
 *   bit 1      every port is a DNS port (else the plugin's default 53, 5353, 5355), so
 *              quotes of any ports reach the DNS decoder
 *   bit 2      the reporter is the quoted datagram's destination
 *   bits 3..7  size of the small buffer the reason is also written into (1..32)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "fuzz_common.h"

#include "dnsfail/checksum.h"
#include "dnsfail/port_set.h"
#include "dnsfail/quote.h"
#include "dnsfail/reason.h"

static const struct dnsfail_port_set *port_set(bool all)
{
    static struct dnsfail_port_set dns_ports, all_ports;
    static bool ready;

    if (!ready) {
        dnsfail_port_set_clear(&dns_ports);
        dnsfail_port_set_add_range(&dns_ports, 53, 53);
        dnsfail_port_set_add_range(&dns_ports, 5353, 5353);
        dnsfail_port_set_add_range(&dns_ports, 5355, 5355);
        dnsfail_port_set_clear(&all_ports);
        dnsfail_port_set_add_range(&all_ports, 0, 65535);
        ready = true;
    }
    return all ? &all_ports : &dns_ports;
}

/* Offsets and lengths the parser reports stay inside the message it was given. */
static void check_quote(const struct dnsfail_quote *q, size_t len, enum dnsfail_quote_status status)
{
    FUZZ_CHECK(q->status == (uint8_t)status);
    FUZZ_CHECK(status <= DNSFAIL_QUOTE_OK);
    if (status == DNSFAIL_QUOTE_NOT_ERROR)
        return;
    FUZZ_CHECK(len >= DNSFAIL_ICMP_HEADER_LEN);
    FUZZ_CHECK(q->quote_offset == DNSFAIL_ICMP_HEADER_LEN);
    FUZZ_CHECK(q->quote_offset + q->quote_len <= len);
    FUZZ_CHECK(q->ipv6_ext_headers <= DNSFAIL_IPV6_MAX_EXT_HEADERS + 1);
    if (q->rfc4884_length)
        FUZZ_CHECK(q->rfc4884_length == q->quote_len);
    if (status != DNSFAIL_QUOTE_OK)
        return;
    FUZZ_CHECK(q->transport == DNSFAIL_TRANSPORT_UDP || q->transport == DNSFAIL_TRANSPORT_TCP);
    FUZZ_CHECK(q->ip_header_len <= q->quote_len);
    FUZZ_CHECK(q->transport_offset == q->quote_offset + q->ip_header_len);
    FUZZ_CHECK(q->transport_offset + 4 <= q->quote_offset + q->quote_len);
    FUZZ_CHECK(q->payload_offset >= q->transport_offset);
    FUZZ_CHECK(q->payload_offset + q->payload_len <= q->quote_offset + q->quote_len);
    FUZZ_CHECK(!(q->has_udp_fields && q->has_tcp_fields));
}

static void check_name(const struct dnsfail_dns_name *name)
{
    char text[DNSFAIL_NAME_TEXT_MAX];

    FUZZ_CHECK(name->wire_len <= DNSFAIL_NAME_WIRE_MAX);
    size_t n = dnsfail_dns_name_format(name, text, sizeof text);
    FUZZ_CHECK(n == fuzz_check_string(text, sizeof text));
    fuzz_check_printable(text, n, false);
}

static void check_dns(const struct dnsfail_quote *q, const struct dnsfail_quoted_dns *d, size_t len)
{
    FUZZ_CHECK(d->role == DNSFAIL_ROLE_QUERY || d->role == DNSFAIL_ROLE_RESPONSE);
    FUZZ_CHECK(d->tcp == (q->transport == DNSFAIL_TRANSPORT_TCP));
    FUZZ_CHECK(d->dns_offset >= q->payload_offset && d->dns_offset <= len);
    FUZZ_CHECK(d->msg.length <= len - d->dns_offset);
    FUZZ_CHECK(d->msg.question_status <= DNSFAIL_QUESTION_MALFORMED);
    if (d->msg.question_status == DNSFAIL_QUESTION_OK) {
        FUZZ_CHECK(d->msg.qname.status == DNSFAIL_NAME_OK);
        FUZZ_CHECK(d->msg.has_type && d->msg.has_class);
    }
    if (d->msg.has_header)
        FUZZ_CHECK(d->msg.has_id);
    check_name(&d->msg.qname);
}

/* The reason into a roomy buffer and into a small one: always terminated, the small
 * one a prefix of the roomy one (snprintf truncation). */
static void check_reason(const struct dnsfail_quote *q, size_t small_size)
{
    char text[DNSFAIL_REASON_TEXT_MAX];
    char small[32 + 1];

    FUZZ_CHECK(dnsfail_reason_format(q, text, sizeof text) == text);
    size_t n = fuzz_check_string(text, sizeof text);
    FUZZ_CHECK(n > 0);
    fuzz_check_printable(text, n, false);

    memset(small, 'X', sizeof small);
    dnsfail_reason_format(q, small, small_size);
    size_t m = fuzz_check_string(small, small_size);
    FUZZ_CHECK(small[small_size] == 'X'); /* nothing written past size */
    FUZZ_CHECK(m <= n && memcmp(small, text, m) == 0);
}

static void check_diagnosis(const struct dnsfail_quote *q, bool reporter_is_target, bool quoted_response)
{
    enum dnsfail_diagnosis d = dnsfail_diagnose(q, reporter_is_target, quoted_response);
    FUZZ_CHECK((unsigned)d < DNSFAIL_DIAG_COUNT);
    FUZZ_CHECK(dnsfail_diagnosis_key(d) != NULL && dnsfail_diagnosis_text(d) != NULL);
}

/* The RCODE and EDE helpers take any 16-bit value the header or an OPT record holds. */
static void check_rcode(uint16_t rcode, uint16_t info_code, uint16_t port)
{
    char buf[64];

    dnsfail_rcode_format(rcode, buf, sizeof buf);
    FUZZ_CHECK(fuzz_check_string(buf, sizeof buf) > 0);
    dnsfail_rcode_kind(rcode, buf, sizeof buf);
    FUZZ_CHECK(fuzz_check_string(buf, sizeof buf) > 0);
    FUZZ_CHECK((unsigned)dnsfail_diagnose_rcode(rcode) < DNSFAIL_DIAG_COUNT);
    (void)dnsfail_rcode_is_failure(rcode);
    const char *ede = dnsfail_ede_name(info_code);
    if (ede)
        fuzz_check_printable(ede, strlen(ede), false);
    dnsfail_reason_tcp_refused(port, buf, sizeof buf);
    fuzz_check_string(buf, sizeof buf);
}

/* A UDP checksum over the quoted datagram, when the quote holds it whole. */
static void check_checksum(const uint8_t *icmp, size_t len, const struct dnsfail_quote *q)
{
    uint16_t sum = 0;

    if (q->status != DNSFAIL_QUOTE_OK || q->transport != DNSFAIL_TRANSPORT_UDP)
        return;
    size_t avail = len - q->transport_offset;
    size_t udp_len = q->has_udp_fields ? q->udp_length : avail;
    if (udp_len > avail)
        udp_len = avail;
    if (dnsfail_udp_checksum(&q->src, &q->dst, icmp + q->transport_offset, udp_len, &sum))
        FUZZ_CHECK(sum != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t control = data[0];
    const uint8_t *icmp = data + 1;
    size_t len = size - 1;
    uint8_t version = (control & 1u) ? DNSFAIL_ICMPV6 : DNSFAIL_ICMPV4;
    bool reporter_is_target = (control & 4u) != 0;
    size_t small_size = 1u + (control >> 3);

    struct dnsfail_quote q;
    enum dnsfail_quote_status status = dnsfail_quote_parse(icmp, len, version, &q);
    check_quote(&q, len, status);
    FUZZ_CHECK(dnsfail_icmp_is_error(version, q.icmp_type) || status == DNSFAIL_QUOTE_NOT_ERROR);

    struct dnsfail_quoted_dns dns;
    bool quoted_response = false;
    if (dnsfail_quote_find_dns(icmp, len, &q, port_set((control & 2u) != 0), &dns)) {
        FUZZ_CHECK(status == DNSFAIL_QUOTE_OK);
        check_dns(&q, &dns, len);
        quoted_response = dns.role == DNSFAIL_ROLE_RESPONSE;
        struct dnsfail_question question;
        if (dnsfail_dns_question_of(&dns.msg, &question))
            FUZZ_CHECK(question.qname.status == DNSFAIL_NAME_OK);
    } else {
        FUZZ_CHECK(dns.role == DNSFAIL_ROLE_NONE);
    }

    if (status != DNSFAIL_QUOTE_NOT_ERROR) {
        check_reason(&q, small_size);
        check_diagnosis(&q, reporter_is_target, quoted_response);
    }
    check_rcode((uint16_t)(q.icmp_rest & 0x0FFFu), (uint16_t)(q.icmp_rest >> 16), q.dst_port);
    check_checksum(icmp, len, &q);
    return 0;
}
