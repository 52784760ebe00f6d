/* test_dns_message.c - names (decode, format), the header + first question of a
 * DNS message cut anywhere, and the OPT record (EDNS, Extended DNS Errors) of an answer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/dns_message.h"

#include <string.h>

#include "check.h"
#include "packet_builder.h"

#define NO_END ((size_t)0xDEAD)

/* Decodes msg[offset] and formats the result into text. */
static enum dnsfail_name_status decode_and_format(const uint8_t *msg, size_t len, size_t offset,
                                                  struct dnsfail_dns_name *name, size_t *end,
                                                  char text[DNSFAIL_NAME_TEXT_MAX])
{
    *end = NO_END;
    enum dnsfail_name_status st = dnsfail_dns_name_decode(msg, len, offset, name, end);
    dnsfail_dns_name_format(name, text, DNSFAIL_NAME_TEXT_MAX);
    return st;
}

/* A name of the given label lengths, every octet 'a'; returns its wire length. */
static size_t put_labels(struct pb *p, const uint8_t *lens, size_t n, uint8_t fill)
{
    size_t start = p->len;
    for (size_t i = 0; i < n; i++) {
        pb_u8(p, lens[i]);
        pb_fill(p, fill, lens[i]);
    }
    pb_u8(p, 0);
    return p->len - start;
}

/* ---- decoding ---------------------------------------------------------------- */

static void test_plain_name_decodes(void)
{
    struct pb p;
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    pb_init(&p);
    pb_fill(&p, 0, 12);
    pb_dns_name(&p, "www.example.com");
    pb_u16(&p, 1);
    CHECK_EQ_INT(decode_and_format(p.b, p.len, 12, &name, &end, text), DNSFAIL_NAME_OK);
    CHECK_EQ_INT(name.status, DNSFAIL_NAME_OK);
    CHECK_EQ_INT(name.labels, 3);
    CHECK_EQ_INT(name.wire_len, 17);
    CHECK(!name.compressed);
    CHECK_EQ_INT(end, 12 + 17);
    CHECK(memcmp(name.wire, "\3www\7example\3com", 17) == 0);
    CHECK_STR_EQ(text, "www.example.com");
}

static void test_root_name_is_one_octet_and_prints_dot(void)
{
    const uint8_t msg[] = {0x00, 0x00, 0x02};
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    CHECK_EQ_INT(decode_and_format(msg, sizeof msg, 0, &name, &end, text), DNSFAIL_NAME_OK);
    CHECK_EQ_INT(name.labels, 0);
    CHECK_EQ_INT(name.wire_len, 1);
    CHECK_EQ_INT(end, 1);
    CHECK_STR_EQ(text, ".");
}

static void test_backward_pointer_is_followed(void)
{
    struct pb p;
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    pb_init(&p);
    pb_fill(&p, 0, 12);
    pb_dns_name(&p, "example.com");   /* at 12, 13 octets */
    size_t www = pb_u8(&p, 3);        /* at 25 */
    pb_bytes(&p, "www", 3);
    pb_u16(&p, 0xC000 | 12);
    pb_u16(&p, 28);                   /* what follows the name */
    CHECK_EQ_INT(decode_and_format(p.b, p.len, www, &name, &end, text), DNSFAIL_NAME_OK);
    CHECK(name.compressed);
    CHECK_EQ_INT(name.labels, 3);
    CHECK_EQ_INT(name.wire_len, 17);
    CHECK_EQ_INT(end, www + 6);       /* just after the pointer, not after the target */
    CHECK_STR_EQ(text, "www.example.com");
}

static void test_chain_of_two_backward_pointers(void)
{
    struct pb p;
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    pb_init(&p);
    pb_fill(&p, 0, 12);
    pb_dns_name(&p, "com");            /* 12 */
    size_t ex = pb_u8(&p, 7);          /* 17: example + ptr to 12 */
    pb_bytes(&p, "example", 7);
    pb_u16(&p, 0xC000 | 12);
    size_t www = pb_u8(&p, 3);         /* www + ptr to example */
    pb_bytes(&p, "www", 3);
    pb_u16(&p, (uint16_t)(0xC000 | ex));
    CHECK_EQ_INT(decode_and_format(p.b, p.len, www, &name, &end, text), DNSFAIL_NAME_OK);
    CHECK_STR_EQ(text, "www.example.com");
    CHECK_EQ_INT(end, www + 6);
}

static void test_pointer_to_itself_is_rejected(void)
{
    struct pb p;
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    pb_init(&p);
    pb_fill(&p, 0, 12);
    pb_u16(&p, 0xC000 | 12);
    CHECK_EQ_INT(decode_and_format(p.b, p.len, 12, &name, &end, text), DNSFAIL_NAME_BAD_POINTER);
    CHECK_EQ_INT(name.status, DNSFAIL_NAME_BAD_POINTER);
    CHECK_STR_EQ(text, "...");
}

static void test_forward_pointer_is_rejected(void)
{
    struct pb p;
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    pb_init(&p);
    pb_fill(&p, 0, 12);
    pb_u16(&p, 0xC000 | 14);          /* points at a valid name just after it */
    pb_dns_name(&p, "example.com");
    CHECK_EQ_INT(decode_and_format(p.b, p.len, 12, &name, &end, text), DNSFAIL_NAME_BAD_POINTER);
    CHECK_EQ_INT(end, NO_END);
}

static void test_pointer_loop_between_two_pointers_is_rejected(void)
{
    struct pb p;
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    pb_init(&p);
    pb_fill(&p, 0, 12);
    pb_u16(&p, 0xC000 | 14);          /* 12 -> 14 */
    pb_u16(&p, 0xC000 | 12);          /* 14 -> 12 */
    CHECK_EQ_INT(decode_and_format(p.b, p.len, 14, &name, &end, text), DNSFAIL_NAME_BAD_POINTER);
    CHECK_EQ_INT(decode_and_format(p.b, p.len, 12, &name, &end, text), DNSFAIL_NAME_BAD_POINTER);
}

static void test_pointer_back_into_its_own_labels_is_rejected(void)
{
    /* "a" then a pointer to the "a": would repeat a.a.a... forever. */
    struct pb p;
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    pb_init(&p);
    pb_fill(&p, 0, 12);
    pb_u8(&p, 1);
    pb_u8(&p, 'a');
    pb_u16(&p, 0xC000 | 12);
    CHECK_EQ_INT(decode_and_format(p.b, p.len, 12, &name, &end, text), DNSFAIL_NAME_BAD_POINTER);
    CHECK_EQ_INT(name.labels, 1);
    CHECK_STR_EQ(text, "a...");
}

static void test_label_type_0x40_is_bad_label(void)
{
    const uint8_t msg[] = {3, 'w', 'w', 'w', 0x41, 'x', 0};
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    CHECK_EQ_INT(decode_and_format(msg, sizeof msg, 0, &name, &end, text), DNSFAIL_NAME_BAD_LABEL);
    CHECK_EQ_INT(name.status, DNSFAIL_NAME_BAD_LABEL);
    CHECK_STR_EQ(text, "www...");
}

static void test_label_type_0x80_is_bad_label(void)
{
    const uint8_t msg[] = {0x80, 0};
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    CHECK_EQ_INT(decode_and_format(msg, sizeof msg, 0, &name, &end, text), DNSFAIL_NAME_BAD_LABEL);
    CHECK_EQ_INT(name.labels, 0);
    CHECK_STR_EQ(text, "...");
}

static void test_label_past_end_is_cut_and_keeps_end_offset(void)
{
    const uint8_t msg[] = {3, 'w', 'w', 'w', 7, 'e', 'x', 'a'};
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    CHECK_EQ_INT(decode_and_format(msg, sizeof msg, 0, &name, &end, text), DNSFAIL_NAME_CUT);
    CHECK_EQ_INT(end, NO_END);
    CHECK_EQ_INT(name.labels, 1);
    CHECK_STR_EQ(text, "www.exa..."); /* the cut label's bytes are kept */
}

static void test_label_one_octet_short_is_cut(void)
{
    /* Exactly sized: reading the missing octet would run off the array. */
    const uint8_t msg[] = {3, 'w', 'w'};
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    CHECK_EQ_INT(decode_and_format(msg, sizeof msg, 0, &name, &end, text), DNSFAIL_NAME_CUT);
    CHECK_EQ_INT(name.labels, 0);
    CHECK_EQ_INT(name.wire_len, 3);
    CHECK_STR_EQ(text, "ww...");
}

static void test_missing_root_octet_is_cut(void)
{
    const uint8_t msg[] = {3, 'w', 'w', 'w'};
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    CHECK_EQ_INT(decode_and_format(msg, sizeof msg, 0, &name, &end, text), DNSFAIL_NAME_CUT);
    CHECK_STR_EQ(text, "www...");
}

static void test_pointer_missing_second_octet_is_cut(void)
{
    const uint8_t msg[] = {0, 0, 0xC0};
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    CHECK_EQ_INT(decode_and_format(msg, sizeof msg, 2, &name, &end, text), DNSFAIL_NAME_CUT);
    CHECK_EQ_INT(end, NO_END);
}

static void test_offset_at_end_is_cut(void)
{
    const uint8_t msg[] = {0, 0};
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    CHECK_EQ_INT(decode_and_format(msg, sizeof msg, 2, &name, &end, text), DNSFAIL_NAME_CUT);
    CHECK_EQ_INT(decode_and_format(msg, 0, 0, &name, &end, text), DNSFAIL_NAME_CUT);
}

static void test_name_of_exactly_255_octets_is_ok(void)
{
    const uint8_t lens[] = {63, 63, 63, 61}; /* 3 * 64 + 62 + root = 255 */
    struct pb p;
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    pb_init(&p);
    CHECK_EQ_INT(put_labels(&p, lens, 4, 'a'), 255);
    CHECK_EQ_INT(decode_and_format(p.b, p.len, 0, &name, &end, text), DNSFAIL_NAME_OK);
    CHECK_EQ_INT(name.wire_len, 255);
    CHECK_EQ_INT(name.labels, 4);
    CHECK_EQ_INT(end, 255);
    CHECK_EQ_INT(strlen(text), 250 + 3);
}

static void test_name_of_256_octets_is_too_long(void)
{
    const uint8_t lens[] = {63, 63, 63, 62}; /* 3 * 64 + 63 + root = 256 */
    struct pb p;
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    pb_init(&p);
    CHECK_EQ_INT(put_labels(&p, lens, 4, 'a'), 256);
    CHECK_EQ_INT(decode_and_format(p.b, p.len, 0, &name, &end, text), DNSFAIL_NAME_TOO_LONG);
    CHECK_EQ_INT(name.status, DNSFAIL_NAME_TOO_LONG);
    CHECK(name.wire_len <= DNSFAIL_NAME_WIRE_MAX);
    CHECK_EQ_INT(end, NO_END);
    CHECK(strlen(text) >= 3 && strcmp(text + strlen(text) - 3, "...") == 0);
}

static void test_name_too_long_through_pointers(void)
{
    /* 200 octets of labels, then a second name of 60 octets pointing to it: 260. */
    const uint8_t lens_a[] = {63, 63, 63, 7};
    struct pb p;
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    pb_init(&p);
    put_labels(&p, lens_a, 4, 'b');
    size_t second = pb_u8(&p, 59);
    pb_fill(&p, 'c', 59);
    pb_u16(&p, 0xC000);
    CHECK_EQ_INT(decode_and_format(p.b, p.len, second, &name, &end, text), DNSFAIL_NAME_TOO_LONG);
    CHECK(name.compressed);
}

/* ---- formatting -------------------------------------------------------------- */

static void format_one_label(const uint8_t *label, uint8_t n, char text[DNSFAIL_NAME_TEXT_MAX])
{
    struct pb p;
    struct dnsfail_dns_name name;
    size_t end;

    pb_init(&p);
    pb_u8(&p, n);
    pb_bytes(&p, label, n);
    pb_u8(&p, 0);
    CHECK_EQ_INT(decode_and_format(p.b, p.len, 0, &name, &end, text), DNSFAIL_NAME_OK);
}

static void test_format_escapes_dot_inside_label(void)
{
    char text[DNSFAIL_NAME_TEXT_MAX];
    format_one_label((const uint8_t *)"a.b", 3, text);
    CHECK_STR_EQ(text, "a\\.b");
}

static void test_format_escapes_backslash(void)
{
    char text[DNSFAIL_NAME_TEXT_MAX];
    format_one_label((const uint8_t *)"a\\b", 3, text);
    CHECK_STR_EQ(text, "a\\\\b");
}

static void test_format_escapes_space_as_decimal(void)
{
    char text[DNSFAIL_NAME_TEXT_MAX];
    format_one_label((const uint8_t *)"a b", 3, text);
    CHECK_STR_EQ(text, "a\\032b");
}

static void test_format_escapes_nul_octet(void)
{
    const uint8_t label[] = {'a', 0x00, 'b'};
    char text[DNSFAIL_NAME_TEXT_MAX];
    format_one_label(label, 3, text);
    CHECK_STR_EQ(text, "a\\000b");
    CHECK_EQ_INT(strlen(text), 6);
}

static void test_format_escapes_0xff(void)
{
    const uint8_t label[] = {0xff};
    char text[DNSFAIL_NAME_TEXT_MAX];
    format_one_label(label, 1, text);
    CHECK_STR_EQ(text, "\\255");
}

static void test_format_escapes_non_ascii_and_control(void)
{
    const uint8_t label[] = {'c', 'a', 'f', 0xC3, 0xA9, 0x7F, 0x0A, 0x1B};
    char text[DNSFAIL_NAME_TEXT_MAX];
    format_one_label(label, sizeof label, text);
    CHECK_STR_EQ(text, "caf\\195\\169\\127\\010\\027");
}

static void test_format_escapes_rfc1035_specials(void)
{
    char text[DNSFAIL_NAME_TEXT_MAX];
    format_one_label((const uint8_t *)"\"();@$", 6, text);
    CHECK_STR_EQ(text, "\\\"\\(\\)\\;\\@\\$");
}

static void test_format_keeps_printable_ascii_and_case(void)
{
    char text[DNSFAIL_NAME_TEXT_MAX];
    format_one_label((const uint8_t *)"Ab-_*~9", 7, text);
    CHECK_STR_EQ(text, "Ab-_*~9");
}

static void test_format_truncates_safely(void)
{
    struct pb p;
    struct dnsfail_dns_name name;
    char buf[8];
    size_t end;

    pb_init(&p);
    pb_dns_name(&p, "www.example.com");
    CHECK_EQ_INT(dnsfail_dns_name_decode(p.b, p.len, 0, &name, &end), DNSFAIL_NAME_OK);
    memset(buf, 'X', sizeof buf);
    CHECK_EQ_INT(dnsfail_dns_name_format(&name, buf, 5), 4);
    CHECK_STR_EQ(buf, "www.");
    CHECK_EQ_INT(buf[5], 'X');
    CHECK_EQ_INT(dnsfail_dns_name_format(&name, buf, 1), 0);
    CHECK_STR_EQ(buf, "");
    buf[0] = 'X';
    CHECK_EQ_INT(dnsfail_dns_name_format(&name, buf, 0), 0);
    CHECK_EQ_INT(buf[0], 'X');
}

static void test_format_of_longest_escaped_name_fits_text_max(void)
{
    const uint8_t lens[] = {63, 63, 63, 61};
    struct pb p;
    struct dnsfail_dns_name name;
    char text[DNSFAIL_NAME_TEXT_MAX];
    size_t end;

    pb_init(&p);
    put_labels(&p, lens, 4, 0xff);
    CHECK_EQ_INT(dnsfail_dns_name_decode(p.b, p.len, 0, &name, &end), DNSFAIL_NAME_OK);
    size_t n = dnsfail_dns_name_format(&name, text, sizeof text);
    CHECK_EQ_INT(n, 250 * 4 + 3);
    CHECK_EQ_INT(strlen(text), n);
    CHECK(n < DNSFAIL_NAME_TEXT_MAX);
}

/* Every byte value, between two letters of a label, against dig's rules written
 * out independently: letters, digits and '-' as they are; other printable bytes as they
 * are unless special in master files (backslash before . \ " ; ( ) @ $); the rest as
 * \DDD. Also cut at every buffer size, where only whole bytes of the text may be lost. */
static void reference_escape(uint8_t c, char out[8])
{
    if (c > 0x20 && c < 0x7f && strchr(".\\\";()@$", c) == NULL)
        snprintf(out, 8, "%c", c);
    else if (c > 0x20 && c < 0x7f)
        snprintf(out, 8, "\\%c", c);
    else
        snprintf(out, 8, "\\%03u", (unsigned)c);
}

static void test_format_escapes_every_byte_value(void)
{
    for (unsigned c = 0; c < 256; c++) {
        struct dnsfail_dns_name name;
        memset(&name, 0, sizeof name);
        const uint8_t wire[] = {3, 'a', (uint8_t)c, 'Z', 3, 'c', 'o', 'm', 0};
        memcpy(name.wire, wire, sizeof wire);
        name.wire_len = sizeof wire;
        name.labels = 2;
        name.status = DNSFAIL_NAME_OK;
        char esc[8], want[32], got[32];
        reference_escape((uint8_t)c, esc);
        snprintf(want, sizeof want, "a%sZ.com", esc);
        CHECK_EQ_INT(dnsfail_dns_name_format(&name, got, sizeof got), strlen(want));
        CHECK_STR_EQ(got, want);
        for (size_t size = 1; size <= strlen(want); size++) {
            memset(got, 'X', sizeof got);
            size_t n = dnsfail_dns_name_format(&name, got, size);
            CHECK(n < size && got[n] == '\0' && strncmp(got, want, n) == 0);
        }
    }
}

/* ---- dnsfail_dns_parse ------------------------------------------------------- */

static void test_parse_empty_has_nothing(void)
{
    struct dnsfail_dns_message m;
    const uint8_t one[] = {0x12};
    dnsfail_dns_parse(one, 0, &m);
    CHECK(!m.has_id);
    CHECK(!m.has_header);
    CHECK_EQ_INT(m.length, 0);
    CHECK_EQ_INT(m.question_status, DNSFAIL_QUESTION_ABSENT);
    dnsfail_dns_parse(one, 1, &m);
    CHECK(!m.has_id);
    CHECK_EQ_INT(m.length, 1);
}

static void test_parse_two_bytes_gives_id_only(void)
{
    const uint8_t msg[] = {0xAB, 0xCD};
    struct dnsfail_dns_message m;
    dnsfail_dns_parse(msg, sizeof msg, &m);
    CHECK(m.has_id);
    CHECK_EQ_INT(m.id, 0xABCD);
    CHECK(!m.has_header);
    CHECK(!dnsfail_dns_is_response(&m));
    CHECK_EQ_INT(m.question_status, DNSFAIL_QUESTION_ABSENT);
}

static void test_parse_eleven_bytes_has_no_header(void)
{
    struct pb p;
    struct dnsfail_dns_message m;
    pb_init(&p);
    pb_dns_header(&p, 0x1234, 0x8180, 1, 0, 0, 0);
    dnsfail_dns_parse(p.b, 11, &m);
    CHECK(m.has_id);
    CHECK(!m.has_header);
    CHECK(!dnsfail_dns_is_response(&m)); /* QR is in the header; without it, not known */
    CHECK_EQ_INT(m.question_status, DNSFAIL_QUESTION_ABSENT);
}

static void test_parse_header_without_question(void)
{
    struct pb p;
    struct dnsfail_dns_message m;
    pb_init(&p);
    pb_dns_header(&p, 0x1234, 0x0100, 1, 2, 3, 4);
    dnsfail_dns_parse(p.b, p.len, &m);
    CHECK(m.has_header);
    CHECK_EQ_INT(m.flags, 0x0100);
    CHECK_EQ_INT(m.qdcount, 1);
    CHECK_EQ_INT(m.ancount, 2);
    CHECK_EQ_INT(m.nscount, 3);
    CHECK_EQ_INT(m.arcount, 4);
    CHECK_EQ_INT(m.question_status, DNSFAIL_QUESTION_ABSENT);
    CHECK(!m.has_type);
}

static void test_parse_qdcount_zero_is_none(void)
{
    struct pb p;
    struct dnsfail_dns_message m;
    pb_init(&p);
    pb_dns_header(&p, 7, 0x8180, 0, 0, 0, 0);
    pb_dns_name(&p, "www.example.com");       /* ignored: QDCOUNT says no question */
    pb_u16(&p, PB_TYPE_A);
    pb_u16(&p, PB_CLASS_IN);
    dnsfail_dns_parse(p.b, p.len, &m);
    CHECK(m.has_header);
    CHECK(dnsfail_dns_is_response(&m));
    CHECK_EQ_INT(m.question_status, DNSFAIL_QUESTION_NONE);
    CHECK(!m.has_type);
    CHECK_EQ_INT(m.qname.wire_len, 0);
}

static void test_parse_full_query(void)
{
    struct pb p;
    struct dnsfail_dns_message m;
    char text[DNSFAIL_NAME_TEXT_MAX];
    pb_init(&p);
    pb_dns_message(&p, 0xBEEF, PB_DNS_FLAGS_QUERY, "www.example.com", PB_TYPE_AAAA, PB_CLASS_IN);
    dnsfail_dns_parse(p.b, p.len, &m);
    CHECK_EQ_INT(m.length, p.len);
    CHECK_EQ_INT(m.id, 0xBEEF);
    CHECK(!dnsfail_dns_is_response(&m));
    CHECK_EQ_INT(m.question_status, DNSFAIL_QUESTION_OK);
    CHECK(m.has_type);
    CHECK(m.has_class);
    CHECK_EQ_INT(m.qtype, PB_TYPE_AAAA);
    CHECK_EQ_INT(m.qclass, PB_CLASS_IN);
    dnsfail_dns_name_format(&m.qname, text, sizeof text);
    CHECK_STR_EQ(text, "www.example.com");
}

static void test_parse_response_sets_qr(void)
{
    struct pb p;
    struct dnsfail_dns_message m;
    pb_init(&p);
    pb_dns_message(&p, 1, PB_DNS_FLAGS_RESPONSE, "example.com", PB_TYPE_A, PB_CLASS_IN);
    dnsfail_dns_parse(p.b, p.len, &m);
    CHECK(dnsfail_dns_is_response(&m));
    CHECK_EQ_INT(m.question_status, DNSFAIL_QUESTION_OK);
}

static void test_parse_type_present_but_class_cut(void)
{
    struct pb p;
    struct dnsfail_dns_message m;
    pb_init(&p);
    pb_dns_message(&p, 1, PB_DNS_FLAGS_QUERY, "example.com", PB_TYPE_AAAA, PB_CLASS_IN);
    dnsfail_dns_parse(p.b, p.len - 1, &m);    /* one byte of the class */
    CHECK(m.has_type);
    CHECK_EQ_INT(m.qtype, PB_TYPE_AAAA);
    CHECK(!m.has_class);
    CHECK_EQ_INT(m.question_status, DNSFAIL_QUESTION_CUT);
    dnsfail_dns_parse(p.b, p.len - 2, &m);    /* no class at all */
    CHECK(m.has_type);
    CHECK(!m.has_class);
    CHECK_EQ_INT(m.question_status, DNSFAIL_QUESTION_CUT);
}

static void test_parse_type_cut(void)
{
    struct pb p;
    struct dnsfail_dns_message m;
    pb_init(&p);
    pb_dns_message(&p, 1, PB_DNS_FLAGS_QUERY, "example.com", PB_TYPE_AAAA, PB_CLASS_IN);
    dnsfail_dns_parse(p.b, p.len - 3, &m);    /* one byte of the type */
    CHECK(!m.has_type);
    CHECK_EQ_INT(m.question_status, DNSFAIL_QUESTION_CUT);
    CHECK_EQ_INT(m.qname.status, DNSFAIL_NAME_OK);
}

static void test_parse_name_cut_is_question_cut(void)
{
    struct pb p;
    struct dnsfail_dns_message m;
    char text[DNSFAIL_NAME_TEXT_MAX];
    pb_init(&p);
    pb_dns_message(&p, 1, PB_DNS_FLAGS_QUERY, "www.example.com", PB_TYPE_A, PB_CLASS_IN);
    dnsfail_dns_parse(p.b, 12 + 6, &m);       /* "\3www\7e" */
    CHECK_EQ_INT(m.question_status, DNSFAIL_QUESTION_CUT);
    CHECK_EQ_INT(m.qname.status, DNSFAIL_NAME_CUT);
    CHECK(!m.has_type);
    dnsfail_dns_name_format(&m.qname, text, sizeof text);
    CHECK_STR_EQ(text, "www.e...");
}

static void test_parse_bad_name_is_malformed(void)
{
    struct pb p;
    struct dnsfail_dns_message m;
    pb_init(&p);
    pb_dns_header(&p, 1, PB_DNS_FLAGS_QUERY, 1, 0, 0, 0);
    pb_u16(&p, 0xC000 | 40);                  /* forward pointer */
    pb_u16(&p, PB_TYPE_A);
    pb_u16(&p, PB_CLASS_IN);
    dnsfail_dns_parse(p.b, p.len, &m);
    CHECK_EQ_INT(m.question_status, DNSFAIL_QUESTION_MALFORMED);
    CHECK_EQ_INT(m.qname.status, DNSFAIL_NAME_BAD_POINTER);
    CHECK(!m.has_type);
}

static void test_parse_compressed_question_pointing_into_header(void)
{
    /* Odd but legal by the rule: a pointer strictly backwards. Octet 4 of the header
     * holds QDCOUNT high byte 0: the root name. */
    struct pb p;
    struct dnsfail_dns_message m;
    pb_init(&p);
    pb_dns_header(&p, 1, PB_DNS_FLAGS_QUERY, 1, 0, 0, 0);
    pb_u16(&p, 0xC000 | 4);
    pb_u16(&p, PB_TYPE_A);
    pb_u16(&p, PB_CLASS_IN);
    dnsfail_dns_parse(p.b, p.len, &m);
    CHECK_EQ_INT(m.question_status, DNSFAIL_QUESTION_OK);
    CHECK(m.qname.compressed);
    CHECK_EQ_INT(m.qname.labels, 0);
    CHECK_EQ_INT(m.qtype, PB_TYPE_A);
}

/* ---- type and class names ---------------------------------------------------- */

static void test_type_names_of_common_types(void)
{
    CHECK_STR_EQ(dnsfail_dns_type_name(1), "A");
    CHECK_STR_EQ(dnsfail_dns_type_name(2), "NS");
    CHECK_STR_EQ(dnsfail_dns_type_name(5), "CNAME");
    CHECK_STR_EQ(dnsfail_dns_type_name(12), "PTR");
    CHECK_STR_EQ(dnsfail_dns_type_name(28), "AAAA");
    CHECK_STR_EQ(dnsfail_dns_type_name(33), "SRV");
    CHECK_STR_EQ(dnsfail_dns_type_name(41), "OPT");
    CHECK_STR_EQ(dnsfail_dns_type_name(64), "SVCB");
    CHECK_STR_EQ(dnsfail_dns_type_name(65), "HTTPS");
    CHECK_STR_EQ(dnsfail_dns_type_name(99), "SPF");
    CHECK_STR_EQ(dnsfail_dns_type_name(252), "AXFR");
    CHECK_STR_EQ(dnsfail_dns_type_name(255), "ANY");
    CHECK_STR_EQ(dnsfail_dns_type_name(257), "CAA");
    CHECK_STR_EQ(dnsfail_dns_type_name(32769), "DLV");
}

static void test_type_name_unknown_is_null(void)
{
    CHECK(dnsfail_dns_type_name(0) == NULL);
    CHECK(dnsfail_dns_type_name(54) == NULL);
    CHECK(dnsfail_dns_type_name(65280) == NULL);
    CHECK(dnsfail_dns_type_name(65535) == NULL);
}

static void test_type_format_unknown_is_rfc3597(void)
{
    char buf[16];
    CHECK_STR_EQ(dnsfail_dns_type_format(28, buf, sizeof buf), "AAAA");
    CHECK_STR_EQ(dnsfail_dns_type_format(65280, buf, sizeof buf), "TYPE65280");
    CHECK_STR_EQ(dnsfail_dns_type_format(0, buf, sizeof buf), "TYPE0");
    dnsfail_dns_type_format(65280, buf, 5);
    CHECK_STR_EQ(buf, "TYPE");
}

static void test_class_names_ignore_mdns_unicast_bit(void)
{
    CHECK_STR_EQ(dnsfail_dns_class_name(1), "IN");
    CHECK_STR_EQ(dnsfail_dns_class_name(3), "CH");
    CHECK_STR_EQ(dnsfail_dns_class_name(4), "HS");
    CHECK_STR_EQ(dnsfail_dns_class_name(254), "NONE");
    CHECK_STR_EQ(dnsfail_dns_class_name(255), "ANY");
    CHECK_STR_EQ(dnsfail_dns_class_name(0x8001), "IN");
    CHECK(dnsfail_dns_class_name(2) == NULL);
    CHECK(dnsfail_dns_class_name(0) == NULL);
}

static void test_name_status_text_says_what_went_wrong(void)
{
    CHECK_STR_EQ(dnsfail_name_status_text(DNSFAIL_NAME_OK), "");
    CHECK(strstr(dnsfail_name_status_text(DNSFAIL_NAME_BAD_POINTER), "pointer") != NULL);
    CHECK(strstr(dnsfail_name_status_text(DNSFAIL_NAME_TOO_LONG), "255") != NULL);
    CHECK(strstr(dnsfail_name_status_text(DNSFAIL_NAME_BAD_LABEL), "0x40") != NULL);
    CHECK(strstr(dnsfail_name_status_text(DNSFAIL_NAME_CUT), "cut") != NULL);
    CHECK(strlen(dnsfail_name_status_text((enum dnsfail_name_status)99)) > 0);
}

/* ---- EDNS ------------------------------------------------------------------------ */

#define RCODE_SERVFAIL 2
#define TYPE_NS 2
#define TYPE_CNAME 5
#define TYPE_OPT 41
#define OPT_COOKIE 10
#define OPT_EDE 15

/* A response header and the question www.example.com A IN at 12 (so "example.com" is at 16). */
static void edns_response(struct pb *p, uint16_t flags, uint16_t an, uint16_t ns, uint16_t ar)
{
    pb_init(p);
    pb_dns_header(p, 0x4242, flags, 1, an, ns, ar);
    pb_dns_name(p, "www.example.com");
    pb_u16(p, PB_TYPE_A);
    pb_u16(p, PB_CLASS_IN);
}

/* The fixed part of an OPT record with a root owner; returns the offset of RDLENGTH. */
static size_t opt_header(struct pb *p, uint16_t udp_size, uint8_t ext_rcode, uint8_t version, uint16_t rdlength)
{
    pb_u8(p, 0);
    pb_u16(p, TYPE_OPT);
    pb_u16(p, udp_size);
    pb_u32(p, ((uint32_t)ext_rcode << 24) | ((uint32_t)version << 16) | 0x8000u); /* DO */
    return pb_u16(p, rdlength);
}

/* An option; returns the offset of its code. */
static size_t opt_option(struct pb *p, uint16_t code, const void *value, uint16_t len)
{
    size_t at = pb_u16(p, code);
    pb_u16(p, len);
    if (len)
        pb_bytes(p, value, len);
    return at;
}

/* An EDE option: INFO-CODE and text. */
static void opt_ede(struct pb *p, uint16_t info, const void *text, uint16_t text_len)
{
    pb_u16(p, OPT_EDE);
    pb_u16(p, (uint16_t)(2u + text_len));
    pb_u16(p, info);
    if (text_len)
        pb_bytes(p, text, text_len);
}

static void patch_rdlength_to_end(struct pb *p, size_t rdlength_at)
{
    pb_patch_u16(p, rdlength_at, (uint16_t)(p->len - rdlength_at - 2));
}

/* A whole answer: a CNAME and an A with compressed names, an NS in authority, glue,
 * then the OPT with a cookie and an EDE. */
static void test_edns_opt_found_after_compressed_records(void)
{
    struct pb p;
    struct dnsfail_edns e;

    edns_response(&p, 0x8182, 2, 1, 2);
    pb_u16(&p, 0xC000 | 12);              /* www.example.com CNAME web.example.com */
    pb_u16(&p, TYPE_CNAME);
    pb_u16(&p, PB_CLASS_IN);
    pb_u32(&p, 300);
    size_t rd = pb_u16(&p, 0);
    size_t web = pb_u8(&p, 3);
    pb_bytes(&p, "web", 3);
    pb_u16(&p, 0xC000 | 16);
    patch_rdlength_to_end(&p, rd);
    pb_u16(&p, (uint16_t)(0xC000 | web)); /* web.example.com A 192.0.2.1 */
    pb_u16(&p, PB_TYPE_A);
    pb_u16(&p, PB_CLASS_IN);
    pb_u32(&p, 300);
    pb_u16(&p, 4);
    pb_bytes(&p, "\xC0\x00\x02\x01", 4);
    pb_u16(&p, 0xC000 | 16);              /* example.com NS ns1.example.com */
    pb_u16(&p, TYPE_NS);
    pb_u16(&p, PB_CLASS_IN);
    pb_u32(&p, 3600);
    rd = pb_u16(&p, 0);
    size_t ns1 = pb_u8(&p, 3);
    pb_bytes(&p, "ns1", 3);
    pb_u16(&p, 0xC000 | 16);
    patch_rdlength_to_end(&p, rd);
    pb_u16(&p, (uint16_t)(0xC000 | ns1)); /* glue: ns1.example.com A */
    pb_u16(&p, PB_TYPE_A);
    pb_u16(&p, PB_CLASS_IN);
    pb_u32(&p, 3600);
    pb_u16(&p, 4);
    pb_bytes(&p, "\xC0\x00\x02\x35", 4);
    rd = opt_header(&p, 1232, 0, 0, 0);
    opt_option(&p, OPT_COOKIE, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    opt_ede(&p, 22, "no reachable authority at delegation example.com", 48);
    patch_rdlength_to_end(&p, rd);

    memset(&e, 0x5A, sizeof e);
    CHECK(dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK(e.present);
    CHECK_EQ_INT(e.udp_size, 1232);
    CHECK_EQ_INT(e.extended_rcode, 0);
    CHECK_EQ_INT(e.version, 0);
    CHECK(e.has_ede);
    CHECK_EQ_INT(e.ede_code, 22);
    CHECK_STR_EQ(e.ede_text, "no reachable authority at delegation example.com");

    struct dnsfail_dns_message m;
    dnsfail_dns_parse(p.b, p.len, &m);
    CHECK_EQ_INT(dnsfail_dns_full_rcode(&m, &e), RCODE_SERVFAIL);
}

static void test_edns_extended_rcode_and_version(void)
{
    struct pb p;
    struct dnsfail_edns e;
    struct dnsfail_dns_message m;

    edns_response(&p, 0x8180, 0, 0, 1);   /* header RCODE 0 */
    opt_header(&p, 4096, 1, 1, 0);        /* upper bits 1: BADVERS (16) */
    CHECK(dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK(e.present);
    CHECK_EQ_INT(e.extended_rcode, 1);
    CHECK_EQ_INT(e.version, 1);
    CHECK_EQ_INT(e.udp_size, 4096);
    CHECK(!e.has_ede);
    CHECK_STR_EQ(e.ede_text, "");
    dnsfail_dns_parse(p.b, p.len, &m);
    CHECK_EQ_INT(dnsfail_dns_full_rcode(&m, &e), 16);

    /* Upper bits 0xFF and header 0xF: the largest RCODE. */
    edns_response(&p, 0x818F, 0, 0, 1);
    opt_header(&p, 512, 0xFF, 0, 0);
    CHECK(dnsfail_dns_parse_edns(p.b, p.len, &e));
    dnsfail_dns_parse(p.b, p.len, &m);
    CHECK_EQ_INT(dnsfail_dns_full_rcode(&m, &e), 0xFFF);

    /* Without EDNS only the header's 4 bits count. */
    e.present = false;
    CHECK_EQ_INT(dnsfail_dns_full_rcode(&m, &e), 0xF);
    CHECK_EQ_INT(dnsfail_dns_full_rcode(&m, NULL), 0xF);
}

static void test_edns_ede_text_is_escaped(void)
{
    static const uint8_t text[] = {'b', 'a', 'd', ' ', '"', 'q', '"', ' ', '\\', ' ', 'a', '.', 'b', ';',
                                   '(', ')', '@', '$', '~', 0x00, 0x01, 0x1F, 0x7F, 0x80, 0xFF};
    struct pb p;
    struct dnsfail_edns e;

    edns_response(&p, 0x8182, 0, 0, 1);
    size_t rd = opt_header(&p, 1232, 0, 0, 0);
    opt_ede(&p, 6, text, sizeof text);
    patch_rdlength_to_end(&p, rd);
    CHECK(dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK(e.has_ede);
    CHECK_EQ_INT(e.ede_code, 6);
    /* Printable ASCII passes (space and the name specials too) but '"' and '\'. */
    CHECK_STR_EQ(e.ede_text, "bad \\034q\\034 \\092 a.b;()@$~\\000\\001\\031\\127\\128\\255");
}

static void test_edns_ede_without_text_and_first_ede_wins(void)
{
    struct pb p;
    struct dnsfail_edns e;

    edns_response(&p, 0x8182, 0, 0, 1);
    size_t rd = opt_header(&p, 1232, 0, 0, 0);
    opt_option(&p, OPT_EDE, "\x00", 1);    /* too short for an INFO-CODE: skipped */
    opt_ede(&p, 15, NULL, 0);              /* Blocked, no text */
    opt_ede(&p, 18, "second", 6);
    patch_rdlength_to_end(&p, rd);
    CHECK(dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK(e.has_ede);
    CHECK_EQ_INT(e.ede_code, 15);
    CHECK_STR_EQ(e.ede_text, "");
}

static void test_edns_ede_text_truncates_on_whole_escapes(void)
{
    uint8_t text[600];
    struct pb p;
    struct dnsfail_edns e;
    char want[DNSFAIL_EDE_TEXT_MAX];

    /* Exactly 255 plain characters fit whole. */
    memset(text, 'a', sizeof text);
    edns_response(&p, 0x8182, 0, 0, 1);
    size_t rd = opt_header(&p, 1232, 0, 0, 0);
    opt_ede(&p, 0, text, DNSFAIL_EDE_TEXT_MAX - 1);
    patch_rdlength_to_end(&p, rd);
    CHECK(dnsfail_dns_parse_edns(p.b, p.len, &e));
    memset(want, 'a', sizeof want - 1);
    want[sizeof want - 1] = '\0';
    CHECK_STR_EQ(e.ede_text, want);

    /* One more: cut, and "..." says so, within the buffer. */
    edns_response(&p, 0x8182, 0, 0, 1);
    rd = opt_header(&p, 1232, 0, 0, 0);
    opt_ede(&p, 0, text, DNSFAIL_EDE_TEXT_MAX);
    patch_rdlength_to_end(&p, rd);
    CHECK(dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK_EQ_INT(strlen(e.ede_text), DNSFAIL_EDE_TEXT_MAX - 1);
    CHECK(memcmp(e.ede_text + DNSFAIL_EDE_TEXT_MAX - 4, "...", 4) == 0);

    /* Escapes are never cut in the middle: 600 octets of 0x01 give 63 "\001" and "...". */
    memset(text, 0x01, sizeof text);
    edns_response(&p, 0x8182, 0, 0, 1);
    rd = opt_header(&p, 1232, 0, 0, 0);
    opt_ede(&p, 0, text, sizeof text);
    patch_rdlength_to_end(&p, rd);
    CHECK(dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK_EQ_INT(strlen(e.ede_text), 63 * 4 + 3);
    CHECK(memcmp(e.ede_text, "\\001\\001", 8) == 0);
    CHECK(memcmp(e.ede_text + 63 * 4 - 4, "\\001...", 8) == 0);
}

static void test_edns_absent(void)
{
    struct pb p;
    struct dnsfail_edns e;

    edns_response(&p, 0x8182, 0, 0, 0);
    memset(&e, 0x5A, sizeof e);
    CHECK(!dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK(!e.present);
    CHECK(!e.has_ede);
    CHECK_STR_EQ(e.ede_text, "");

    /* An additional record that is not an OPT. */
    edns_response(&p, 0x8182, 0, 0, 1);
    pb_u16(&p, 0xC000 | 12);
    pb_u16(&p, PB_TYPE_A);
    pb_u16(&p, PB_CLASS_IN);
    pb_u32(&p, 60);
    pb_u16(&p, 4);
    pb_u32(&p, 0xC0000201);
    CHECK(!dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK(!e.present);

    /* A header alone, and less. */
    CHECK(!dnsfail_dns_parse_edns(p.b, DNSFAIL_DNS_HEADER_LEN, &e));
    CHECK(!dnsfail_dns_parse_edns(p.b, 5, &e));
    CHECK(!dnsfail_dns_parse_edns(p.b, 0, &e));
    CHECK(!e.present);
}

static void test_edns_opt_owner_need_not_be_root(void)
{
    struct pb p;
    struct dnsfail_edns e;

    edns_response(&p, 0x8182, 0, 0, 1);
    pb_u16(&p, 0xC000 | 12);               /* owner www.example.com: tolerated */
    pb_u16(&p, TYPE_OPT);
    pb_u16(&p, 1400);
    pb_u32(&p, 0);
    pb_u16(&p, 0);
    CHECK(dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK(e.present);
    CHECK_EQ_INT(e.udp_size, 1400);
}

/* ---- EDNS, hostile ------------------------------------------------------------------ */

static void test_edns_counts_far_above_the_data(void)
{
    struct pb p;
    struct dnsfail_edns e;

    /* Every count 65535, then 4 KB of root names and zeros: each question takes 5 octets,
     * so the walk runs out of bytes long before the counts. */
    pb_init(&p);
    pb_dns_header(&p, 1, 0x8182, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF);
    pb_fill(&p, 0, PB_MAX - p.len);
    CHECK(!dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK(!e.present);

    /* One question, then huge answer counts over a few bytes. */
    edns_response(&p, 0x8182, 0xFFFF, 0xFFFF, 0xFFFF);
    pb_fill(&p, 0, 7);
    CHECK(!dnsfail_dns_parse_edns(p.b, p.len, &e));

    /* The question claims more than there is. */
    pb_init(&p);
    pb_dns_header(&p, 1, 0x8182, 3, 0, 0, 1);
    pb_dns_name(&p, "a.example");
    pb_u16(&p, 1);
    pb_u16(&p, 1);
    opt_header(&p, 1232, 0, 0, 0);          /* read as the second question, then cut */
    CHECK(!dnsfail_dns_parse_edns(p.b, p.len, &e));
}

static void test_edns_opt_rdlength_past_the_end(void)
{
    struct pb p;
    struct dnsfail_edns e;

    /* RDLENGTH 100, 6 octets there: the fixed fields count, the whole EDE in them too. */
    edns_response(&p, 0x8182, 0, 0, 1);
    opt_header(&p, 1232, 2, 0, 100);
    opt_ede(&p, 23, NULL, 0);
    CHECK(dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK(e.present);
    CHECK_EQ_INT(e.extended_rcode, 2);
    CHECK(e.has_ede);
    CHECK_EQ_INT(e.ede_code, 23);

    /* An EDE cut by the end of the bytes is lost, not read past them. */
    edns_response(&p, 0x8182, 0, 0, 1);
    opt_header(&p, 1232, 0, 0, 100);
    opt_ede(&p, 23, "network", 7);
    CHECK(dnsfail_dns_parse_edns(p.b, p.len - 1, &e));
    CHECK(e.present);
    CHECK(!e.has_ede);

    /* The OPT's fixed fields cut: no OPT. */
    edns_response(&p, 0x8182, 0, 0, 1);
    opt_header(&p, 1232, 0, 0, 0);
    CHECK(!dnsfail_dns_parse_edns(p.b, p.len - 1, &e));
    CHECK(!e.present);

    /* A record before the OPT whose RDATA runs past the end: malformed, no OPT. */
    edns_response(&p, 0x8182, 0, 0, 2);
    pb_u8(&p, 0);
    pb_u16(&p, PB_TYPE_A);
    pb_u16(&p, PB_CLASS_IN);
    pb_u32(&p, 0);
    pb_u16(&p, 0x4000);
    opt_header(&p, 1232, 0, 0, 0);
    CHECK(!dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK(!e.present);
}

static void test_edns_option_length_past_rdata(void)
{
    struct pb p;
    struct dnsfail_edns e;

    /* The option claims 10 octets; RDATA holds 6 (its header and 2). The bytes after
     * the RDATA look like an EDE's text but are not the option's. */
    edns_response(&p, 0x8182, 0, 0, 1);
    opt_header(&p, 1232, 0, 0, 6);
    pb_u16(&p, OPT_EDE);
    pb_u16(&p, 10);
    pb_u16(&p, 22);
    pb_bytes(&p, "trailing", 8);
    CHECK(dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK(e.present);
    CHECK(!e.has_ede);
    CHECK_STR_EQ(e.ede_text, "");

    /* An option header cut inside the RDATA (3 octets): ignored. */
    edns_response(&p, 0x8182, 0, 0, 1);
    opt_header(&p, 1232, 0, 0, 3);
    pb_bytes(&p, "\x00\x0F\x00", 3);
    CHECK(dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK(!e.has_ede);
}

static void test_edns_bad_label_in_a_skipped_name(void)
{
    struct pb p;
    struct dnsfail_edns e;

    for (unsigned type = 0x40; type <= 0x80; type += 0x40) {
        edns_response(&p, 0x8182, 1, 0, 1);
        pb_u8(&p, (uint8_t)(type | 1));       /* the answer's owner: label type 0x40 / 0x80 */
        pb_u8(&p, 'x');
        pb_u8(&p, 0);
        pb_u16(&p, PB_TYPE_A);
        pb_u16(&p, PB_CLASS_IN);
        pb_u32(&p, 0);
        pb_u16(&p, 0);
        opt_header(&p, 1232, 0, 0, 0);
        CHECK(!dnsfail_dns_parse_edns(p.b, p.len, &e));
        CHECK(!e.present);
    }

    /* In the question too. */
    pb_init(&p);
    pb_dns_header(&p, 1, 0x8182, 1, 0, 0, 1);
    pb_u8(&p, 0x41);
    pb_fill(&p, 0, 5);
    opt_header(&p, 1232, 0, 0, 0);
    CHECK(!dnsfail_dns_parse_edns(p.b, p.len, &e));
}

static void test_edns_pointer_in_a_skipped_name_is_not_followed(void)
{
    struct pb p;
    struct dnsfail_edns e;

    /* Owners that point at themselves, forward, and past the end: a decoder would refuse
     * them, the walk only steps over the two octets. */
    edns_response(&p, 0x8182, 3, 0, 1);
    size_t self = p.len;
    pb_u16(&p, (uint16_t)(0xC000 | self));
    pb_u16(&p, PB_TYPE_A);
    pb_u16(&p, PB_CLASS_IN);
    pb_u32(&p, 0);
    pb_u16(&p, 0);
    pb_u16(&p, 0xC000 | 0x3FFF);
    pb_u16(&p, PB_TYPE_A);
    pb_u16(&p, PB_CLASS_IN);
    pb_u32(&p, 0);
    pb_u16(&p, 0);
    pb_u8(&p, 1);                         /* a label, then a pointer ends the name */
    pb_u8(&p, 'w');
    pb_u16(&p, (uint16_t)(0xC000 | self));
    pb_u16(&p, PB_TYPE_A);
    pb_u16(&p, PB_CLASS_IN);
    pb_u32(&p, 0);
    pb_u16(&p, 0);
    opt_header(&p, 1232, 0, 0, 0);
    CHECK(dnsfail_dns_parse_edns(p.b, p.len, &e));
    CHECK(e.present);

    /* A pointer missing its second octet at the very end. */
    edns_response(&p, 0x8182, 1, 0, 1);
    pb_u8(&p, 0xC0);
    CHECK(!dnsfail_dns_parse_edns(p.b, p.len, &e));
}

static void test_edns_every_cut_is_safe(void)
{
    struct pb p;
    struct dnsfail_edns e;

    edns_response(&p, 0x8182, 1, 0, 1);
    pb_u16(&p, 0xC000 | 12);
    pb_u16(&p, PB_TYPE_A);
    pb_u16(&p, PB_CLASS_IN);
    pb_u32(&p, 60);
    pb_u16(&p, 4);
    pb_u32(&p, 0xC0000201);
    size_t opt = p.len;
    size_t rd = opt_header(&p, 1232, 0, 0, 0);
    opt_ede(&p, 9, "DNSKEY missing", 14);
    patch_rdlength_to_end(&p, rd);
    size_t ede_end = p.len;
    /* Each cut: no OPT before its fixed fields are whole, the OPT without EDE until the
     * EDE is whole. Run under ASan/UBSan by unit.dns_message.asan. */
    for (size_t len = 0; len <= p.len; len++) {
        bool found = dnsfail_dns_parse_edns(p.b, len, &e);
        CHECK_EQ_INT(found, len >= opt + 11);
        CHECK_EQ_INT(e.present, found);
        CHECK_EQ_INT(e.has_ede, len >= ede_end);
    }
}

int main(void)
{
    RUN_TEST(test_name_status_text_says_what_went_wrong);
    RUN_TEST(test_plain_name_decodes);
    RUN_TEST(test_root_name_is_one_octet_and_prints_dot);
    RUN_TEST(test_backward_pointer_is_followed);
    RUN_TEST(test_chain_of_two_backward_pointers);
    RUN_TEST(test_pointer_to_itself_is_rejected);
    RUN_TEST(test_forward_pointer_is_rejected);
    RUN_TEST(test_pointer_loop_between_two_pointers_is_rejected);
    RUN_TEST(test_pointer_back_into_its_own_labels_is_rejected);
    RUN_TEST(test_label_type_0x40_is_bad_label);
    RUN_TEST(test_label_type_0x80_is_bad_label);
    RUN_TEST(test_label_past_end_is_cut_and_keeps_end_offset);
    RUN_TEST(test_label_one_octet_short_is_cut);
    RUN_TEST(test_missing_root_octet_is_cut);
    RUN_TEST(test_pointer_missing_second_octet_is_cut);
    RUN_TEST(test_offset_at_end_is_cut);
    RUN_TEST(test_name_of_exactly_255_octets_is_ok);
    RUN_TEST(test_name_of_256_octets_is_too_long);
    RUN_TEST(test_name_too_long_through_pointers);
    RUN_TEST(test_format_escapes_dot_inside_label);
    RUN_TEST(test_format_escapes_backslash);
    RUN_TEST(test_format_escapes_space_as_decimal);
    RUN_TEST(test_format_escapes_nul_octet);
    RUN_TEST(test_format_escapes_0xff);
    RUN_TEST(test_format_escapes_non_ascii_and_control);
    RUN_TEST(test_format_escapes_rfc1035_specials);
    RUN_TEST(test_format_keeps_printable_ascii_and_case);
    RUN_TEST(test_format_truncates_safely);
    RUN_TEST(test_format_of_longest_escaped_name_fits_text_max);
    RUN_TEST(test_format_escapes_every_byte_value);
    RUN_TEST(test_parse_empty_has_nothing);
    RUN_TEST(test_parse_two_bytes_gives_id_only);
    RUN_TEST(test_parse_eleven_bytes_has_no_header);
    RUN_TEST(test_parse_header_without_question);
    RUN_TEST(test_parse_qdcount_zero_is_none);
    RUN_TEST(test_parse_full_query);
    RUN_TEST(test_parse_response_sets_qr);
    RUN_TEST(test_parse_type_present_but_class_cut);
    RUN_TEST(test_parse_type_cut);
    RUN_TEST(test_parse_name_cut_is_question_cut);
    RUN_TEST(test_parse_bad_name_is_malformed);
    RUN_TEST(test_parse_compressed_question_pointing_into_header);
    RUN_TEST(test_type_names_of_common_types);
    RUN_TEST(test_type_name_unknown_is_null);
    RUN_TEST(test_type_format_unknown_is_rfc3597);
    RUN_TEST(test_class_names_ignore_mdns_unicast_bit);
    RUN_TEST(test_edns_opt_found_after_compressed_records);
    RUN_TEST(test_edns_extended_rcode_and_version);
    RUN_TEST(test_edns_ede_text_is_escaped);
    RUN_TEST(test_edns_ede_without_text_and_first_ede_wins);
    RUN_TEST(test_edns_ede_text_truncates_on_whole_escapes);
    RUN_TEST(test_edns_absent);
    RUN_TEST(test_edns_opt_owner_need_not_be_root);
    RUN_TEST(test_edns_counts_far_above_the_data);
    RUN_TEST(test_edns_opt_rdlength_past_the_end);
    RUN_TEST(test_edns_option_length_past_rdata);
    RUN_TEST(test_edns_bad_label_in_a_skipped_name);
    RUN_TEST(test_edns_pointer_in_a_skipped_name_is_not_followed);
    RUN_TEST(test_edns_every_cut_is_safe);
    return check_finish();
}
