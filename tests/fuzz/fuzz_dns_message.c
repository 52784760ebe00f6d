/* fuzz_dns_message.c - a DNS message as captured or quoted: dns_message.c's header and
 * question decoder, names decoded at arbitrary offsets and formatted into buffers of
 * every size, the question taken from a message, and the EDNS OPT record walk.
 *
 * Input: two control bytes, then the DNS message.
 *   byte 0   size of the small buffer names are also formatted into (0..255)
 *   byte 1   offset of the extra name decode, as a multiple of the message length / 256
 *            (plus byte 0, mod the length), so pointers into the middle of names and
 *            past labels are tried
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "fuzz_common.h"

#include "dnsfail/dns_message.h"

/* The presentation form: terminated within the buffer, the returned length its length,
 * nothing written past size, and a short buffer holds a prefix of the full text. */
static void check_format(const struct dnsfail_dns_name *name, size_t small_size)
{
    char full[DNSFAIL_NAME_TEXT_MAX];
    char small[256 + 1];

    FUZZ_CHECK(name->wire_len <= DNSFAIL_NAME_WIRE_MAX);
    size_t n = dnsfail_dns_name_format(name, full, sizeof full);
    FUZZ_CHECK(n == fuzz_check_string(full, sizeof full));
    FUZZ_CHECK(n < sizeof full - 1 || name->status != DNSFAIL_NAME_OK); /* a whole name always fits */
    fuzz_check_printable(full, n, false);
    if (name->status == DNSFAIL_NAME_OK)
        FUZZ_CHECK(n > 0);

    memset(small, 'X', sizeof small);
    size_t m = dnsfail_dns_name_format(name, small, small_size);
    FUZZ_CHECK(small[small_size] == 'X');
    if (small_size == 0) {
        FUZZ_CHECK(m == 0 && small[0] == 'X');
        return;
    }
    FUZZ_CHECK(m == fuzz_check_string(small, small_size));
    FUZZ_CHECK(m <= n && memcmp(small, full, m) == 0);
}

static void check_decoded_name(const uint8_t *msg, size_t len, size_t offset, enum dnsfail_name_status st,
                               const struct dnsfail_dns_name *name, size_t end, size_t small_size)
{
    FUZZ_CHECK(name->status == (uint8_t)st);
    FUZZ_CHECK(name->wire_len <= DNSFAIL_NAME_WIRE_MAX);
    if (st == DNSFAIL_NAME_OK) {
        FUZZ_CHECK(end > offset && end <= len);
        FUZZ_CHECK(name->wire_len >= 1 && name->wire[name->wire_len - 1] == 0);
        /* Without a pointer the name is the bytes themselves. */
        if (!name->compressed)
            FUZZ_CHECK(end - offset == name->wire_len && memcmp(msg + offset, name->wire, end - offset) == 0);
    } else {
        FUZZ_CHECK(end == (size_t)-1); /* left unchanged */
    }
    FUZZ_CHECK(dnsfail_name_status_text(st) != NULL);
    check_format(name, small_size);
}

static void decode_at(const uint8_t *msg, size_t len, size_t offset, size_t small_size)
{
    struct dnsfail_dns_name name;
    size_t end = (size_t)-1;
    enum dnsfail_name_status st = dnsfail_dns_name_decode(msg, len, offset, &name, &end);
    check_decoded_name(msg, len, offset, st, &name, end, small_size);
}

static void check_message(const uint8_t *msg, size_t len, size_t small_size)
{
    struct dnsfail_dns_message m;
    char buf[32];

    dnsfail_dns_parse(msg, len, &m);
    FUZZ_CHECK(m.length == len);
    FUZZ_CHECK(m.has_id == (len >= 2));
    FUZZ_CHECK(m.has_header == (len >= DNSFAIL_DNS_HEADER_LEN));
    FUZZ_CHECK(m.question_status <= DNSFAIL_QUESTION_MALFORMED);
    FUZZ_CHECK(!m.has_class || m.has_type);
    if (m.question_status == DNSFAIL_QUESTION_OK)
        FUZZ_CHECK(m.qname.status == DNSFAIL_NAME_OK && m.has_class);
    if (m.question_status == DNSFAIL_QUESTION_NONE)
        FUZZ_CHECK(m.qdcount == 0);
    check_format(&m.qname, small_size);

    struct dnsfail_question q;
    memset(&q, 0, sizeof q);
    if (dnsfail_dns_question_of(&m, &q)) {
        FUZZ_CHECK(q.qname.status == DNSFAIL_NAME_OK && q.qtype == m.qtype && q.qclass == m.qclass);
        check_format(&q.qname, small_size);
    } else {
        FUZZ_CHECK(m.question_status != DNSFAIL_QUESTION_OK);
    }

    dnsfail_dns_type_format(m.qtype, buf, sizeof buf);
    FUZZ_CHECK(fuzz_check_string(buf, sizeof buf) > 0);
    dnsfail_dns_type_format(m.qtype, buf, 3); /* "TYPE65280" cut short */
    fuzz_check_string(buf, 3);
    (void)dnsfail_dns_class_name(m.qclass);
    (void)dnsfail_dns_rcode(&m);
    (void)dnsfail_dns_is_response(&m);

    struct dnsfail_edns e;
    bool found = dnsfail_dns_parse_edns(msg, len, &e);
    FUZZ_CHECK(found == e.present);
    size_t t = fuzz_check_string(e.ede_text, sizeof e.ede_text);
    fuzz_check_printable(e.ede_text, t, false);
    if (!e.has_ede)
        FUZZ_CHECK(t == 0);
    FUZZ_CHECK(dnsfail_dns_full_rcode(&m, &e) <= 0x0FFFu);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t small_size = data[0];
    size_t where = data[1];
    const uint8_t *msg = data + 2;
    size_t len = size - 2;

    check_message(msg, len, small_size);
    /* The question's own offset, one chosen by the input, and one past the end. */
    decode_at(msg, len, DNSFAIL_DNS_HEADER_LEN, small_size);
    if (len > 0)
        decode_at(msg, len, (where * len / 256u + small_size) % len, small_size);
    decode_at(msg, len, len, small_size);
    /* An empty message with a NULL pointer: no byte may be read. */
    decode_at(NULL, 0, 0, small_size);
    return 0;
}
