/* dns_message.c - the header and first question of a possibly cut DNS message, and
 * the OPT record (EDNS, Extended DNS Errors) of an answer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/dns_message.h"

#include <stdio.h>
#include <string.h>

#include "dnsfail/bytes.h"

static enum dnsfail_name_status name_fail(struct dnsfail_dns_name *name, enum dnsfail_name_status status)
{
    name->status = (uint8_t)status;
    return status;
}

/* Appends msg[from, to), whole labels already checked, to the name. */
static void take_run(struct dnsfail_dns_name *name, const uint8_t *msg, size_t from, size_t to)
{
    if (to == from)
        return; /* also when msg is NULL (no bytes): no pointer arithmetic on it */
    memcpy(&name->wire[name->wire_len], &msg[from], to - from);
    name->wire_len = (uint16_t)(name->wire_len + (to - from));
}

/* Loops are impossible because every pointer must land strictly before the start of
 * the run of labels it ends, so run starts strictly decrease. A run's labels are checked
 * one by one and copied at once when it ends (a pointer, the root, an error): a query's
 * name is one run. Bytes of wire past wire_len are left as they were. */
enum dnsfail_name_status dnsfail_dns_name_decode(const uint8_t *msg, size_t msg_len, size_t offset,
                                                 struct dnsfail_dns_name *name, size_t *end_offset)
{
    size_t pos = offset;
    size_t run_start = offset;
    size_t copy_from = offset; /* the run's first byte not yet in name->wire */
    size_t end = 0;
    bool jumped = false;

    name->wire_len = 0;
    name->labels = 0;
    name->compressed = false;
    name->status = DNSFAIL_NAME_OK;
    for (;;) {
        if (pos >= msg_len) {
            take_run(name, msg, copy_from, pos);
            return name_fail(name, DNSFAIL_NAME_CUT);
        }
        uint8_t len = msg[pos];
        if ((len & 0xC0u) == 0xC0u) {
            take_run(name, msg, copy_from, pos);
            if (pos + 1 >= msg_len)
                return name_fail(name, DNSFAIL_NAME_CUT);
            size_t target = (size_t)(((len & 0x3Fu) << 8) | msg[pos + 1]);
            if (target >= run_start)
                return name_fail(name, DNSFAIL_NAME_BAD_POINTER);
            if (!jumped)
                end = pos + 2;
            jumped = true;
            name->compressed = true;
            pos = run_start = copy_from = target;
            continue;
        }
        if ((len & 0xC0u) != 0) {
            take_run(name, msg, copy_from, pos);
            return name_fail(name, DNSFAIL_NAME_BAD_LABEL);
        }
        /* Room for this label and the root octet that must still follow; the root
         * label is that octet, so it needs only itself. */
        size_t pending = pos - copy_from;
        if ((size_t)name->wire_len + pending + 1u + len + (len != 0 ? 1u : 0u) > DNSFAIL_NAME_WIRE_MAX) {
            take_run(name, msg, copy_from, pos);
            return name_fail(name, DNSFAIL_NAME_TOO_LONG);
        }
        if (len == 0) {
            take_run(name, msg, copy_from, pos + 1u);
            if (!jumped)
                end = pos + 1;
            break;
        }
        if (pos + 1u + len > msg_len) {
            /* Keep what the bytes hold of the cut label: a partial name still helps. */
            take_run(name, msg, copy_from, pos);
            size_t have = msg_len - pos - 1u;
            name->wire[name->wire_len] = len;
            memcpy(&name->wire[name->wire_len + 1u], &msg[pos + 1u], have);
            name->wire_len = (uint16_t)(name->wire_len + 1u + have);
            return name_fail(name, DNSFAIL_NAME_CUT);
        }
        name->labels++;
        pos += 1u + len;
    }
    if (end_offset)
        *end_offset = end;
    return DNSFAIL_NAME_OK;
}

const char *dnsfail_name_status_text(enum dnsfail_name_status status)
{
    switch (status) {
    case DNSFAIL_NAME_OK:
        return "";
    case DNSFAIL_NAME_CUT:
        return "the name is cut short";
    case DNSFAIL_NAME_BAD_LABEL:
        return "a label has the reserved type 0x40 or 0x80";
    case DNSFAIL_NAME_BAD_POINTER:
        return "a compression pointer does not point backwards (a loop or a forward pointer)";
    case DNSFAIL_NAME_TOO_LONG:
        return "the name is longer than 255 bytes";
    }
    return "the name is invalid";
}

static bool needs_backslash(uint8_t c)
{
    return c == '.' || c == '\\' || c == '"' || c == ';' || c == '(' || c == ')' || c == '@' || c == '$';
}

/* Appends to buf without overflowing; *used keeps counting past size so the caller can
 * tell truncation happened, but only what fits is written. */
static void put_text(char *buf, size_t size, size_t *used, const char *text, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (*used + 1 < size)
            buf[*used] = text[i];
        (*used)++;
    }
}

static void put_escaped(char *buf, size_t size, size_t *used, uint8_t c)
{
    char tmp[5];
    if (c > 0x20 && c < 0x7F && !needs_backslash(c)) {
        tmp[0] = (char)c;
        put_text(buf, size, used, tmp, 1);
    } else if (c > 0x20 && c < 0x7F) {
        tmp[0] = '\\';
        tmp[1] = (char)c;
        put_text(buf, size, used, tmp, 2);
    } else {
        snprintf(tmp, sizeof tmp, "\\%03u", (unsigned)c);
        put_text(buf, size, used, tmp, 4);
    }
}

size_t dnsfail_dns_name_format(const struct dnsfail_dns_name *name, char *buf, size_t size)
{
    size_t used = 0;
    size_t pos = 0;

    if (size == 0)
        return 0;
    if (name->status == DNSFAIL_NAME_OK && name->labels == 0) {
        put_text(buf, size, &used, ".", 1);
    } else {
        while (pos < name->wire_len && name->wire[pos] != 0) {
            uint8_t len = name->wire[pos];
            if (pos > 0)
                put_text(buf, size, &used, ".", 1);
            for (size_t i = 1; i <= len && pos + i < name->wire_len; i++)
                put_escaped(buf, size, &used, name->wire[pos + i]);
            pos += 1u + len;
        }
        if (name->status != DNSFAIL_NAME_OK)
            put_text(buf, size, &used, "...", 3);
    }
    buf[used < size ? used : size - 1] = '\0';
    return used < size ? used : size - 1;
}

void dnsfail_dns_parse(const uint8_t *msg, size_t len, struct dnsfail_dns_message *out)
{
    size_t pos = DNSFAIL_DNS_HEADER_LEN;
    size_t after_name = 0;

    /* Every member but the bytes of qname.wire past its length (a memset of the whole
     * message would cost more than reading a short one). */
    out->length = len;
    out->has_id = out->has_header = false;
    out->id = out->flags = 0;
    out->qdcount = out->ancount = out->nscount = out->arcount = 0;
    out->question_status = DNSFAIL_QUESTION_ABSENT;
    out->has_type = out->has_class = false;
    out->qtype = out->qclass = 0;
    out->qname.wire_len = 0;
    out->qname.labels = 0;
    out->qname.compressed = false;
    out->qname.status = DNSFAIL_NAME_OK;
    if (len >= 2) {
        out->has_id = true;
        out->id = dnsfail_read_u16(msg);
    }
    if (len < DNSFAIL_DNS_HEADER_LEN) {
        out->question_status = DNSFAIL_QUESTION_ABSENT;
        return;
    }
    out->has_header = true;
    out->flags = dnsfail_read_u16(msg + 2);
    out->qdcount = dnsfail_read_u16(msg + 4);
    out->ancount = dnsfail_read_u16(msg + 6);
    out->nscount = dnsfail_read_u16(msg + 8);
    out->arcount = dnsfail_read_u16(msg + 10);
    if (out->qdcount == 0) {
        out->question_status = DNSFAIL_QUESTION_NONE;
        return;
    }
    if (len <= pos) {
        out->question_status = DNSFAIL_QUESTION_ABSENT;
        return;
    }
    switch (dnsfail_dns_name_decode(msg, len, pos, &out->qname, &after_name)) {
    case DNSFAIL_NAME_OK:
        break;
    case DNSFAIL_NAME_CUT:
        out->question_status = DNSFAIL_QUESTION_CUT;
        return;
    default:
        out->question_status = DNSFAIL_QUESTION_MALFORMED;
        return;
    }
    if (after_name + 2 <= len) {
        out->has_type = true;
        out->qtype = dnsfail_read_u16(msg + after_name);
    }
    if (after_name + 4 <= len) {
        out->has_class = true;
        out->qclass = dnsfail_read_u16(msg + after_name + 2);
    }
    out->question_status = out->has_class ? DNSFAIL_QUESTION_OK : DNSFAIL_QUESTION_CUT;
}

bool dnsfail_dns_question_of(const struct dnsfail_dns_message *msg, struct dnsfail_question *question)
{
    if (msg->question_status != DNSFAIL_QUESTION_OK)
        return false;
    /* The name's own bytes, not all 255 the struct has room for: a struct copy moved 264
     * bytes for a name of 20 or 30, on every DNS message. */
    size_t len = msg->qname.wire_len <= DNSFAIL_NAME_WIRE_MAX ? msg->qname.wire_len : DNSFAIL_NAME_WIRE_MAX;
    memcpy(question->qname.wire, msg->qname.wire, len);
    question->qname.wire_len = (uint16_t)len;
    question->qname.labels = msg->qname.labels;
    question->qname.compressed = msg->qname.compressed;
    question->qname.status = msg->qname.status;
    question->qtype = msg->qtype;
    question->qclass = msg->qclass;
    return true;
}

/* ---- EDNS ------------------------------------------------------------------------ */

#define DNS_TYPE_OPT 41
#define EDNS_OPTION_EDE 15

/* Steps over a name without following its pointers (a pointer ends a name: 2 octets).
 * False when the bytes end first or a label has type 0x40 or 0x80. Each turn moves pos
 * forward, so the loop ends within the message. */
static bool skip_name(const uint8_t *msg, size_t len, size_t *pos)
{
    size_t p = *pos;
    for (;;) {
        if (p >= len)
            return false;
        uint8_t l = msg[p];
        if ((l & 0xC0u) == 0xC0u) {
            if (len - p < 2)
                return false;
            *pos = p + 2;
            return true;
        }
        if ((l & 0xC0u) != 0)
            return false;
        if (l == 0) {
            *pos = p + 1;
            return true;
        }
        if (len - p - 1 < l)
            return false;
        p += 1u + l;
    }
}

enum rr_status {
    RR_OK,
    RR_BAD,            /* the name or the fixed fields are cut, or the name is malformed */
    RR_RDATA_CUT,      /* the fixed fields are whole, the RDATA runs past the message */
};

/* Steps over one resource record: *fixed is where its TYPE starts, *rdata where its
 * RDATA does, *rdlength what it claims. pos moves past the record only when RR_OK. */
static enum rr_status skip_rr(const uint8_t *msg, size_t len, size_t *pos, size_t *fixed, size_t *rdata,
                              uint16_t *rdlength)
{
    size_t p = *pos;
    if (!skip_name(msg, len, &p) || len - p < 10)
        return RR_BAD;
    *fixed = p;
    *rdata = p + 10;
    *rdlength = dnsfail_read_u16(msg + p + 8);
    if (len - *rdata < *rdlength)
        return RR_RDATA_CUT;
    *pos = *rdata + *rdlength;
    return RR_OK;
}

static bool ede_plain(uint8_t c)
{
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

/* EXTRA-TEXT for a field or a report: printable ASCII (space included) as it is except
 * '"' and '\\', every other octet as "\DDD". Only whole escapes are written; text that
 * does not fit is cut and ends with "...". */
static void ede_text_escape(const uint8_t *text, size_t n, char *buf, size_t size)
{
    size_t used = 0, total = 0;
    char tmp[5];

    if (size < 4) {
        if (size)
            buf[0] = '\0';
        return;
    }
    for (size_t i = 0; i < n; i++)
        total += ede_plain(text[i]) ? 1u : 4u;
    size_t room = total < size ? size - 1 : size - 1 - 3; /* "..." when cut */
    for (size_t i = 0; i < n; i++) {
        size_t piece = ede_plain(text[i]) ? 1u : 4u;
        if (used + piece > room)
            break;
        if (piece == 1) {
            buf[used] = (char)text[i];
        } else {
            snprintf(tmp, sizeof tmp, "\\%03u", (unsigned)text[i]);
            memcpy(buf + used, tmp, 4);
        }
        used += piece;
    }
    if (total >= size) {
        memcpy(buf + used, "...", 3);
        used += 3;
    }
    buf[used] = '\0';
}

/* The options of an OPT record, within [p, end): the first well-formed EDE is kept. An
 * option whose length runs past the end stops the walk. */
static void parse_edns_options(const uint8_t *msg, size_t p, size_t end, struct dnsfail_edns *out)
{
    while (end - p >= 4) {
        uint16_t code = dnsfail_read_u16(msg + p);
        uint16_t olen = dnsfail_read_u16(msg + p + 2);
        p += 4;
        if (end - p < olen)
            return;
        if (code == EDNS_OPTION_EDE && olen >= 2 && !out->has_ede) {
            out->has_ede = true;
            out->ede_code = dnsfail_read_u16(msg + p);
            ede_text_escape(msg + p + 2, (size_t)olen - 2u, out->ede_text, sizeof out->ede_text);
        }
        p += olen;
    }
}

bool dnsfail_dns_parse_edns(const uint8_t *msg, size_t len, struct dnsfail_edns *out)
{
    memset(out, 0, sizeof *out);
    if (!msg || len < DNSFAIL_DNS_HEADER_LEN)
        return false;
    uint16_t qdcount = dnsfail_read_u16(msg + 4);
    uint32_t rrs_before = (uint32_t)dnsfail_read_u16(msg + 6) + dnsfail_read_u16(msg + 8);
    uint16_t arcount = dnsfail_read_u16(msg + 10);
    size_t pos = DNSFAIL_DNS_HEADER_LEN;
    size_t fixed = 0, rdata = 0;
    uint16_t rdlength = 0;

    /* Every turn consumes at least one octet or returns: the counts cannot outrun the bytes. */
    for (uint16_t i = 0; i < qdcount; i++) {
        if (!skip_name(msg, len, &pos) || len - pos < 4)
            return false;
        pos += 4;
    }
    for (uint32_t i = 0; i < rrs_before; i++) {
        if (skip_rr(msg, len, &pos, &fixed, &rdata, &rdlength) != RR_OK)
            return false;
    }
    for (uint16_t i = 0; i < arcount; i++) {
        enum rr_status st = skip_rr(msg, len, &pos, &fixed, &rdata, &rdlength);
        if (st == RR_BAD)
            return false;
        if (dnsfail_read_u16(msg + fixed) == DNS_TYPE_OPT) {
            /* The owner should be the root; any is accepted. The fixed fields are whole:
             * a cut RDATA still gives the extended RCODE, only the options cut off are lost. */
            uint32_t ttl = ((uint32_t)dnsfail_read_u16(msg + fixed + 4) << 16) | dnsfail_read_u16(msg + fixed + 6);
            out->present = true;
            out->udp_size = dnsfail_read_u16(msg + fixed + 2);
            out->extended_rcode = (uint8_t)(ttl >> 24);
            out->version = (uint8_t)((ttl >> 16) & 0xFFu);
            parse_edns_options(msg, rdata, st == RR_OK ? rdata + rdlength : len, out);
            return true;
        }
        if (st != RR_OK)
            return false;
    }
    return false;
}

struct code_name {
    uint16_t code;
    const char *name;
};

/* IANA "Resource Record (RR) TYPEs", the assigned ones an analyst meets. */
static const struct code_name type_names[] = {
    {1, "A"}, {2, "NS"}, {3, "MD"}, {4, "MF"}, {5, "CNAME"}, {6, "SOA"}, {7, "MB"}, {8, "MG"},
    {9, "MR"}, {10, "NULL"}, {11, "WKS"}, {12, "PTR"}, {13, "HINFO"}, {14, "MINFO"}, {15, "MX"},
    {16, "TXT"}, {17, "RP"}, {18, "AFSDB"}, {19, "X25"}, {20, "ISDN"}, {21, "RT"}, {22, "NSAP"},
    {23, "NSAP-PTR"}, {24, "SIG"}, {25, "KEY"}, {26, "PX"}, {27, "GPOS"}, {28, "AAAA"}, {29, "LOC"},
    {30, "NXT"}, {31, "EID"}, {32, "NIMLOC"}, {33, "SRV"}, {34, "ATMA"}, {35, "NAPTR"}, {36, "KX"},
    {37, "CERT"}, {38, "A6"}, {39, "DNAME"}, {40, "SINK"}, {41, "OPT"}, {42, "APL"}, {43, "DS"},
    {44, "SSHFP"}, {45, "IPSECKEY"}, {46, "RRSIG"}, {47, "NSEC"}, {48, "DNSKEY"}, {49, "DHCID"},
    {50, "NSEC3"}, {51, "NSEC3PARAM"}, {52, "TLSA"}, {53, "SMIMEA"}, {55, "HIP"}, {56, "NINFO"},
    {57, "RKEY"}, {58, "TALINK"}, {59, "CDS"}, {60, "CDNSKEY"}, {61, "OPENPGPKEY"}, {62, "CSYNC"},
    {63, "ZONEMD"}, {64, "SVCB"}, {65, "HTTPS"}, {99, "SPF"}, {100, "UINFO"}, {101, "UID"},
    {102, "GID"}, {103, "UNSPEC"}, {104, "NID"}, {105, "L32"}, {106, "L64"}, {107, "LP"},
    {108, "EUI48"}, {109, "EUI64"}, {249, "TKEY"}, {250, "TSIG"}, {251, "IXFR"}, {252, "AXFR"},
    {253, "MAILB"}, {254, "MAILA"}, {255, "ANY"}, {256, "URI"}, {257, "CAA"}, {258, "AVC"},
    {259, "DOA"}, {260, "AMTRELAY"}, {32768, "TA"}, {32769, "DLV"},
};

static const struct code_name class_names[] = {
    {1, "IN"}, {3, "CH"}, {4, "HS"}, {254, "NONE"}, {255, "ANY"},
};

static const char *lookup(const struct code_name *table, size_t n, uint16_t code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (table[mid].code == code)
            return table[mid].name;
        if (table[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *dnsfail_dns_type_name(uint16_t qtype)
{
    return lookup(type_names, sizeof type_names / sizeof type_names[0], qtype);
}

const char *dnsfail_dns_class_name(uint16_t qclass)
{
    return lookup(class_names, sizeof class_names / sizeof class_names[0], (uint16_t)(qclass & 0x7FFFu));
}

char *dnsfail_dns_type_format(uint16_t qtype, char *buf, size_t size)
{
    const char *name = dnsfail_dns_type_name(qtype);
    if (size == 0)
        return buf;
    if (name) { /* a copy: snprintf's "%s" costs more than the rest of an ICMP error's Info */
        size_t n = strlen(name);
        if (n >= size)
            n = size - 1;
        memcpy(buf, name, n);
        buf[n] = '\0';
    } else {
        snprintf(buf, size, "TYPE%u", (unsigned)qtype);
    }
    return buf;
}
