/* dns_message.h - decoding the header and first question of a DNS message that may be
 * cut short anywhere (a copy quoted inside an ICMP error, or a snapped capture).
 *
 * Every read is bounds-checked against the bytes given; nothing is assumed about them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_DNS_MESSAGE_H
#define DNSFAIL_DNS_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DNSFAIL_DNS_HEADER_LEN 12
/* RFC 1035 3.1: a name is at most 255 octets in wire form, root label included. */
#define DNSFAIL_NAME_WIRE_MAX 255
/* Presentation form: every octet may need "\DDD" (4 chars); label dots; root "."; NUL. */
#define DNSFAIL_NAME_TEXT_MAX (DNSFAIL_NAME_WIRE_MAX * 4 + 2)

enum dnsfail_name_status {
    DNSFAIL_NAME_OK = 0,
    DNSFAIL_NAME_CUT,           /* the bytes end before the name does */
    DNSFAIL_NAME_BAD_LABEL,     /* label type 0x40 or 0x80 (extended / reserved) */
    DNSFAIL_NAME_BAD_POINTER,   /* compression pointer not strictly backwards */
    DNSFAIL_NAME_TOO_LONG,      /* more than 255 octets once expanded */
};

/* A name expanded to uncompressed wire form. When status is not OK, wire holds the
 * labels decoded before the problem (without a root label) and, when the bytes ran out
 * inside a label, the part of it they hold (its length octet says how long it should
 * have been); labels counts complete labels only. So a partial name can still be shown.
 * Only wire[0, wire_len) is meaningful: the decoder leaves the bytes after it as they were. */
struct dnsfail_dns_name {
    uint8_t wire[DNSFAIL_NAME_WIRE_MAX];
    uint16_t wire_len;
    uint8_t labels;
    bool compressed;            /* at least one compression pointer was followed */
    uint8_t status;             /* enum dnsfail_name_status */
};

/* Decodes the name at msg[offset]. *end_offset receives the offset just after the
 * name in the message (after the first pointer, if any); it is left unchanged unless
 * the status is OK. A pointer must point strictly before the start of the run of labels
 * it ends (the name's start, or the previous pointer's target), which rules out loops
 * and forward pointers. */
enum dnsfail_name_status dnsfail_dns_name_decode(const uint8_t *msg, size_t msg_len, size_t offset,
                                                 struct dnsfail_dns_name *name, size_t *end_offset);

/* Writes the name in presentation form: labels joined by '.', the root as ".", and
 * every octet outside printable ASCII, and '.', '\\', '"', ';', '(', ')', '@', '$', as
 * "\DDD" or "\X" (RFC 1035 5.1), so no raw byte from a capture reaches a column or a
 * report. A partial name (status not OK) ends with "..." to say so. Returns the length
 * written (without NUL); truncates safely if size is short. */
size_t dnsfail_dns_name_format(const struct dnsfail_dns_name *name, char *buf, size_t size);

/* What went wrong with a name, in words for an expert item ("" for OK). */
const char *dnsfail_name_status_text(enum dnsfail_name_status status);

enum dnsfail_question_status {
    DNSFAIL_QUESTION_ABSENT = 0, /* the bytes end before the question starts */
    DNSFAIL_QUESTION_NONE,       /* QDCOUNT is 0 */
    DNSFAIL_QUESTION_OK,
    DNSFAIL_QUESTION_CUT,        /* name or type/class cut short */
    DNSFAIL_QUESTION_MALFORMED,  /* the name is invalid (see name.status) */
};

/* dnsfail_dns_parse assigns every member (a new one must be added there too). */
struct dnsfail_dns_message {
    size_t length;               /* bytes of the message that were available */
    bool has_id;                 /* at least 2 bytes */
    bool has_header;             /* all 12 header bytes */
    uint16_t id;
    uint16_t flags;
    uint16_t qdcount, ancount, nscount, arcount;
    uint8_t question_status;     /* enum dnsfail_question_status */
    bool has_type;               /* QTYPE present (may be set although the class is cut) */
    bool has_class;
    uint16_t qtype;
    uint16_t qclass;
    struct dnsfail_dns_name qname;
};

/* One whole question: what clients retry and what answers answer. */
struct dnsfail_question {
    struct dnsfail_dns_name qname; /* status OK */
    uint16_t qtype;
    uint16_t qclass;
};

/* The message's first question when it is complete; false otherwise. Only the name's
 * bytes are copied: question->qname.wire past wire_len is left as it was. */
bool dnsfail_dns_question_of(const struct dnsfail_dns_message *msg, struct dnsfail_question *question);

static inline uint8_t dnsfail_dns_rcode(const struct dnsfail_dns_message *m)
{
    return (uint8_t)(m->flags & 0x000Fu);
}

/* Decodes what the bytes hold of the header and the first question. Never fails:
 * what is missing is flagged in the result. */
void dnsfail_dns_parse(const uint8_t *msg, size_t len, struct dnsfail_dns_message *out);

static inline bool dnsfail_dns_is_response(const struct dnsfail_dns_message *m)
{
    return m->has_header && (m->flags & 0x8000u) != 0;
}

/* EDNS (RFC 6891) as an answer carries it: the OPT record of the additional section. */
#define DNSFAIL_EDE_TEXT_MAX 256
struct dnsfail_edns {
    bool present;                  /* an OPT record was found */
    uint8_t extended_rcode;        /* the upper 8 bits of the 12-bit RCODE */
    uint8_t version;
    uint16_t udp_size;
    bool has_ede;                  /* an Extended DNS Error option (RFC 8914): the first one */
    uint16_t ede_code;             /* INFO-CODE */
    char ede_text[DNSFAIL_EDE_TEXT_MAX]; /* EXTRA-TEXT: printable ASCII but the quote and the
                                          * backslash as is, the rest as \DDD; "" if none;
                                          * "..." ends a cut text */
};

/* Finds the OPT record by walking the message's sections (the counts in the header,
 * every record bounds-checked; compressed names are skipped, not followed). False, with
 * out->present false, when there is none or the message ends or is malformed first. */
bool dnsfail_dns_parse_edns(const uint8_t *msg, size_t len, struct dnsfail_edns *out);

/* The 12-bit RCODE: the header's 4 bits and EDNS's upper 8 (when an OPT was found). */
static inline uint16_t dnsfail_dns_full_rcode(const struct dnsfail_dns_message *m, const struct dnsfail_edns *e)
{
    return (uint16_t)((((e && e->present) ? e->extended_rcode : 0u) << 4) | (m->flags & 0x000Fu));
}

/* Mnemonic of a query type ("A", "AAAA", "HTTPS") or NULL when unknown. */
const char *dnsfail_dns_type_name(uint16_t qtype);
/* Mnemonic of a class ("IN", "CH", "ANY") or NULL; the mDNS unicast-response bit is ignored. */
const char *dnsfail_dns_class_name(uint16_t qclass);
/* "A", or "TYPE65280" (RFC 3597) for unknown types. Returns buf. */
char *dnsfail_dns_type_format(uint16_t qtype, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
