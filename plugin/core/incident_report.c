/* incident_report.c - the incident report, as plain text and as JSON
 * (docs/report-schema.json), with the names and remedies it prints.
 *
 * It reads the ledger's tables (incident_tables.h) and never writes them: order and
 * grouping are built apart for each report. The strings in the tables come from hostile
 * captures, so every one goes out escaped (text: \DDD; JSON: \" \\ \uXXXX).
 *
 * The text report, when there are failures: a header (time window, services affected,
 * the totals line, then "NXDOMAIN answers: N (names that do not exist; not failures)"
 * when there were any), one block per server, the undeliverable answers, and what to try.
 * A server's block says why its attempts failed:
 *   "  ICMP: <reason>, reported by <address> (<who>); <reason>, ...; and N other ICMP errors"
 *       one line for all its ICMP errors, present only when it had some;
 *   "  Answer: <RCODE> from the server" and "  Answer: <RCODE> from the server (xN)"
 *       one line per distinct error answer (tcpdump's RCODE name: "ServFail", "Refused",
 *       ...), "(xN)" when it came N > 1 times, in order of first appearance;
 *   "  Answer: N other error answers" for those beyond the reasons kept per server;
 *   "  TCP: <reason> by the server (xN)" per distinct refused connection;
 *   "  Timeout: N queries got no answer within 5 s (nothing came back, not even an ICMP error)"
 *       per distinct timeout ("N TCP connection attempts" for SYNs nothing answered),
 *       and "  Timeout: N other timeouts" beyond the reasons kept;
 *   "  Late: N answers came after the client's timeout (the slowest after 6.2 s)".
 * The header says, when there are any, "Timeouts: N queries got no answer within 5 s
 * (failed attempts nobody reported)", "Late answers: N answers came after the client's
 * timeout (not failures; they recover nothing)" and "Still waiting: N queries were still
 * waiting for an answer when the capture ended (not failures)".
 * Without failures the text report is one line (NXDOMAIN answers alone are no failure),
 * followed by the late answers and still-waiting lines when there are any.
 * In JSON every reason carries "kind": "icmp", "answer", "tcp" or "timeout", and the
 * totals "nxdomain_answers", "timeouts", "late_answers" and "unanswered_at_end".
 * Reasons are listed by the time of their first failure (arrival order would differ
 * between single pass, where timeouts come late, and two-pass).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/incident.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident_tables.h"

#define TEXT_LIST_MAX 10
#define JSON_MAX_DEPTH 16

/* ---- names ------------------------------------------------------------------------ */

const char *dnsfail_kind_name(enum dnsfail_kind kind)
{
    switch (kind) {
    case DNSFAIL_KIND_ICMP_ERROR:
        return "icmp_error";
    case DNSFAIL_KIND_ANSWER_UNDELIVERABLE:
        return "answer_undeliverable";
    case DNSFAIL_KIND_ERROR_ANSWER:
        return "error_answer";
    case DNSFAIL_KIND_TCP_REFUSED:
        return "tcp_refused";
    case DNSFAIL_KIND_TIMEOUT:
        return "timeout";
    default:
        return "unknown";
    }
}

const char *dnsfail_service_name(uint16_t server_port)
{
    switch (server_port) {
    case 5353:
        return "mDNS";
    case 5355:
        return "LLMNR";
    default:
        return "DNS";
    }
}

static const char *const remedies[DNSFAIL_DIAG_COUNT] = {
    [DNSFAIL_DIAG_UNKNOWN] = "Look up the ICMP type and code of the error (IANA ICMP parameters) and ask the owner "
                             "of the reporting device why it sends it for DNS traffic.",
    [DNSFAIL_DIAG_NO_LISTENER] = "Check that the DNS service runs and listens on the server's address and port "
                                 "(ss -lunp on the server) and that no host firewall rule rejects it.",
    [DNSFAIL_DIAG_PORT_REJECTED] = "Check the firewall and NAT rules of the reporting device for DNS to the "
                                   "server's address and port: it answers for the server that the port is closed.",
    [DNSFAIL_DIAG_HOST_DOWN] = "Check that the server is powered on and on its LAN: its link, its address, and "
                               "the ARP or neighbor entry for it on the last router (ip neigh there).",
    [DNSFAIL_DIAG_NO_ROUTE] = "Check the routing table of the reporting router for the server's network "
                              "(ip route get <server> there) and the route that should lead to it.",
    [DNSFAIL_DIAG_PROHIBITED] = "Review the firewall rules of the reporting device for DNS (UDP and TCP port 53) "
                                "to the server: a rule rejects it on purpose.",
    [DNSFAIL_DIAG_TTL_EXPIRED] = "Run a traceroute to the server to look for a routing loop, and check that the "
                                 "client does not send with a TTL or hop limit too low.",
    [DNSFAIL_DIAG_REASSEMBLY] = "Find where fragments are lost (firewalls or NAT dropping fragments) and lower the "
                                "EDNS buffer size to 1232 bytes so DNS messages are not fragmented.",
    [DNSFAIL_DIAG_TOO_BIG] = "Lower the EDNS buffer size to 1232 bytes on clients and servers, or let ICMP "
                             "packet-too-big messages and fragments through the path.",
    [DNSFAIL_DIAG_BAD_HEADER] = "Inspect the IP options or IPv6 extension headers the reporting device rejects "
                                "(the error points at the octet) and remove them or fix the device.",
    [DNSFAIL_DIAG_PROTOCOL] = "Check that the server offers DNS over this transport at all (UDP and TCP), or "
                              "point the client at a server that does.",
    [DNSFAIL_DIAG_SOURCE_ROUTE] = "Check the source routing, TOS and precedence settings of the client and the "
                                  "routing policy of the reporting device.",
    [DNSFAIL_DIAG_LATE_ANSWER] = "Raise the client's resolver timeout, or find out why the server answers so "
                                 "slowly (its upstream servers, its load, the path).",
    [DNSFAIL_DIAG_SERVER_FAILURE] = "Query the server's upstreams/authorities directly (dig +trace, dig +cd to tell "
                                    "DNSSEC failures) and read the server's logs.",
    [DNSFAIL_DIAG_REFUSED] = "Check the server's access-control and recursion settings for this client's address.",
    [DNSFAIL_DIAG_FORMAT_ERROR] = "Repeat the query without EDNS (dig +noedns) to tell an EDNS problem, then fix "
                                  "or update the client, or the server, that gets it wrong.",
    [DNSFAIL_DIAG_NOT_IMPLEMENTED] = "Use a query type and opcode the server supports, or point the client at a "
                                     "server that implements them.",
    [DNSFAIL_DIAG_NO_SUCH_NAME] = "Check the name for typos and the zone for the missing record.",
    [DNSFAIL_DIAG_ERROR_ANSWER] = "Look up the RCODE (IANA \"DNS RCODEs\") and read the server's logs for why it "
                                  "answers this query with it.",
    [DNSFAIL_DIAG_NO_ANSWER] = "Check that the server is up and reachable from the client's network (dig @server "
                               "there), look for a firewall on the path that silently drops DNS (udp/53 and tcp/53), "
                               "and capture on the server's side to see whether the queries arrive.",
};

const char *dnsfail_diagnosis_remedy(enum dnsfail_diagnosis d)
{
    return (unsigned)d < DNSFAIL_DIAG_COUNT ? remedies[d] : remedies[DNSFAIL_DIAG_UNKNOWN];
}

/* ---- output buffer ---------------------------------------------------------------- */

/* A growable string; after a failed allocation it ignores everything and finishes as NULL. */
struct sb {
    char *buf;
    size_t len;
    size_t cap;
    bool failed;
};

static void sb_add(struct sb *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (n > SIZE_MAX - 1 - b->len) {
        b->failed = true;
        return;
    }
    size_t need = b->len + n + 1;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < need)
            cap = cap <= SIZE_MAX / 2 ? cap * 2 : need;
        char *p = realloc(b->buf, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->buf = p;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void sb_puts(struct sb *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_char(struct sb *b, char c)
{
    sb_add(b, &c, 1);
}

static void sb_u64(struct sb *b, uint64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%" PRIu64, v);
    if (n > 0 && (size_t)n < sizeof t)
        sb_add(b, t, (size_t)n);
}

/* A string from a record, for plain text: bytes outside printable ASCII as \DDD. */
static void sb_text(struct sb *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f) {
            sb_char(b, (char)*p);
        } else {
            char t[8];
            snprintf(t, sizeof t, "\\%03u", (unsigned)*p);
            sb_puts(b, t);
        }
    }
}

static char *sb_finish(struct sb *b)
{
    if (!b->failed && !b->buf)
        sb_add(b, "", 0);
    if (b->failed) {
        free(b->buf);
        return NULL;
    }
    return b->buf;
}

/* "1 failed attempt", "3 failed attempts". */
static void sb_count(struct sb *b, uint64_t n, const char *singular, const char *plural)
{
    sb_u64(b, n);
    sb_char(b, ' ');
    sb_puts(b, n == 1 ? singular : plural);
}

/* ---- formatting helpers ------------------------------------------------------------- */

static void addr_text(const struct dnsfail_addr *a, char *buf, size_t size)
{
    dnsfail_addr_format(a, buf, size);
}

/* For the plain text: an empty address says so. */
static const char *addr_or_unknown(const char *text)
{
    return text[0] ? text : "unknown address";
}

static const char *transport_word(uint8_t transport)
{
    return transport == DNSFAIL_TRANSPORT_TCP ? "tcp" : "udp";
}

static void sb_service(struct sb *b, uint16_t port, uint8_t transport)
{
    sb_puts(b, dnsfail_service_name(port));
    sb_puts(b, transport == DNSFAIL_TRANSPORT_TCP ? " over TCP port " : " over UDP port ");
    sb_u64(b, port);
}

static void name_text(const struct dnsfail_question *q, char *buf, size_t size)
{
    dnsfail_dns_name_format(&q->qname, buf, size);
}

static void type_text(uint16_t qtype, char *buf, size_t size)
{
    dnsfail_dns_type_format(qtype, buf, size);
}

/* "IN", "CH", or "CLASS258"; the mDNS unicast-response bit is ignored. */
static void class_text(uint16_t qclass, char *buf, size_t size)
{
    const char *name = dnsfail_dns_class_name(qclass);
    if (name)
        snprintf(buf, size, "%s", name);
    else
        snprintf(buf, size, "CLASS%u", (unsigned)qclass);
}

static bool class_is_in(uint16_t qclass)
{
    return (qclass & 0x7fffu) == 1;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

struct utc {
    int64_t year;
    unsigned month, day, hour, minute, second;
    unsigned micro;
};

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm), no time zone database. */
static void utc_of(int64_t ns, struct utc *u)
{
    int64_t us = floor_div(ns, 1000);
    int64_t secs = floor_div(us, 1000000);
    int64_t days = floor_div(secs, 86400);
    int64_t sod = secs - days * 86400;
    u->micro = (unsigned)(us - secs * 1000000);
    u->hour = (unsigned)(sod / 3600);
    u->minute = (unsigned)(sod / 60 % 60);
    u->second = (unsigned)(sod % 60);

    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    u->day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    u->month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    u->year = yoe + era * 400 + (u->month <= 2 ? 1 : 0);
}

/* "2026-11-25 16:33:01.360997" (sep ' ') or "2026-11-25T16:33:01.360997Z" (sep 'T'). */
static void time_text(int64_t ns, char sep, char *buf, size_t size)
{
    struct utc u;
    utc_of(ns, &u);
    snprintf(buf, size, "%04" PRId64 "-%02u-%02u%c%02u:%02u:%02u.%06u%s", u.year, u.month, u.day, sep, u.hour,
             u.minute, u.second, u.micro, sep == 'T' ? "Z" : "");
}

/* The window's length from the printed (microsecond) times, so the numbers agree. */
static void seconds_text(int64_t first_ns, int64_t last_ns, char *buf, size_t size)
{
    int64_t d = floor_div(last_ns, 1000) - floor_div(first_ns, 1000);
    if (d < 0)
        d = 0;
    snprintf(buf, size, "%" PRId64 ".%06" PRId64, d / 1000000, d % 1000000);
}

/* ---- the report model --------------------------------------------------------------- */

/* Clients in address order: by family, then by the address bytes. */
static int addr_cmp(const struct dnsfail_addr *a, const struct dnsfail_addr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return memcmp(a->bytes, b->bytes, sizeof a->bytes);
}

/* One failed resolution that asked one listed server. */
struct pair {
    const struct resolution *res;
    int32_t stat;
    uint32_t attempts;
};

/* One distinct question at one server. */
struct query_group {
    const struct resolution *res; /* the earliest with this question: its spelling is shown */
    uint64_t attempts;
};

struct server_view {
    const struct server_stat *st;
    char addr[DNSFAIL_ADDR_TEXT_MAX];
    size_t pairs_begin, pairs_end;  /* its range in model.pairs (sorted by server, client) */
};

struct model {
    const struct dnsfail_incident *inc;
    struct server_view *servers;   /* display order */
    size_t nservers;
    struct pair *pairs;
    size_t npairs;
    struct pair *scratch;          /* a server's pairs re-sorted by question */
    struct query_group *groups;
};

static int cmp_pair_by_server_client(const void *pa, const void *pb)
{
    const struct pair *a = pa, *b = pb;
    if (a->stat != b->stat)
        return a->stat < b->stat ? -1 : 1;
    int c = addr_cmp(&a->res->client, &b->res->client);
    if (c)
        return c;
    return a->res->seq < b->res->seq ? -1 : a->res->seq > b->res->seq;
}

static int cmp_pair_by_question(const void *pa, const void *pb)
{
    const struct pair *a = pa, *b = pb;
    if (a->res->has_question != b->res->has_question)
        return a->res->has_question ? -1 : 1;
    if (a->res->has_question) {
        int c = incident_question_cmp(&a->res->question, &b->res->question);
        if (c)
            return c;
    }
    return a->res->seq < b->res->seq ? -1 : a->res->seq > b->res->seq;
}

static int cmp_group(const void *pa, const void *pb)
{
    const struct query_group *a = pa, *b = pb;
    if (a->attempts != b->attempts)
        return a->attempts > b->attempts ? -1 : 1;
    return cmp_pair_by_question(&(struct pair){a->res, 0, 0}, &(struct pair){b->res, 0, 0});
}

static int cmp_server_view(const void *pa, const void *pb)
{
    const struct server_view *a = pa, *b = pb;
    if (a->st->failed_attempts != b->st->failed_attempts)
        return a->st->failed_attempts > b->st->failed_attempts ? -1 : 1;
    int c = strcmp(a->addr, b->addr);
    if (c)
        return c;
    if (a->st->ep.port != b->st->ep.port)
        return a->st->ep.port < b->st->ep.port ? -1 : 1;
    if (a->st->ep.transport != b->st->ep.transport)
        return a->st->ep.transport > b->st->ep.transport ? -1 : 1; /* UDP first */
    return 0;
}

static int cmp_service(const void *pa, const void *pb)
{
    const struct service *a = pa, *b = pb;
    if (a->port != b->port)
        return a->port < b->port ? -1 : 1;
    if (a->transport != b->transport)
        return a->transport > b->transport ? -1 : 1; /* UDP first */
    return 0;
}

static void model_free(struct model *m)
{
    free(m->servers);
    free(m->pairs);
    free(m->scratch);
    free(m->groups);
    memset(m, 0, sizeof *m);
}

static bool model_build(struct model *m, const struct dnsfail_incident *inc)
{
    memset(m, 0, sizeof *m);
    m->inc = inc;
    m->nservers = inc->servers.count;
    size_t nres = inc->resolutions.count;
    if (nres > SIZE_MAX / MAX_SERVERS_PER_RESOLUTION / sizeof(struct pair))
        return false;
    size_t max_pairs = nres * MAX_SERVERS_PER_RESOLUTION;

    m->servers = calloc(m->nservers ? m->nservers : 1, sizeof *m->servers);
    m->pairs = calloc(max_pairs ? max_pairs : 1, sizeof *m->pairs);
    m->scratch = calloc(max_pairs ? max_pairs : 1, sizeof *m->scratch);
    m->groups = calloc(max_pairs ? max_pairs : 1, sizeof *m->groups);
    size_t *begin = calloc(m->nservers ? m->nservers : 1, sizeof *begin);
    size_t *end = calloc(m->nservers ? m->nservers : 1, sizeof *end);
    if (!m->servers || !m->pairs || !m->scratch || !m->groups || !begin || !end) {
        free(begin);
        free(end);
        model_free(m);
        return false;
    }

    /* Clients and queries are those of the failed resolutions: the recovered ones are
     * only counted (a fallback that worked is not what the analyst has to fix). */
    for (size_t s = 0; s < nres; s++) {
        const struct resolution *r = ring_table_record(&inc->resolutions, (int32_t)s);
        if (r->recovered || r->merged)
            continue;
        for (uint8_t i = 0; i < r->nservers && i < MAX_SERVERS_PER_RESOLUTION; i++) {
            if (r->servers[i].stat < 0 || (size_t)r->servers[i].stat >= m->nservers)
                continue;
            m->pairs[m->npairs++] = (struct pair){r, r->servers[i].stat, r->servers[i].attempts};
        }
    }
    if (m->npairs > 1)
        qsort(m->pairs, m->npairs, sizeof *m->pairs, cmp_pair_by_server_client);
    for (size_t i = 0; i < m->npairs; i++) {
        size_t s = (size_t)m->pairs[i].stat;
        if (i == 0 || m->pairs[i - 1].stat != m->pairs[i].stat)
            begin[s] = i;
        end[s] = i + 1;
    }

    for (size_t s = 0; s < m->nservers; s++) {
        struct server_view *v = &m->servers[s];
        v->st = ring_table_record(&inc->servers, (int32_t)s);
        addr_text(&v->st->ep.addr, v->addr, sizeof v->addr);
        v->pairs_begin = begin[s];
        v->pairs_end = end[s];
    }
    free(begin);
    free(end);
    if (m->nservers > 1)
        qsort(m->servers, m->nservers, sizeof *m->servers, cmp_server_view);
    return true;
}

static size_t view_client_count(const struct model *m, const struct server_view *v)
{
    size_t n = 0;
    for (size_t i = v->pairs_begin; i < v->pairs_end; i++) {
        if (i == v->pairs_begin || addr_cmp(&m->pairs[i - 1].res->client, &m->pairs[i].res->client) != 0)
            n++;
    }
    return n;
}

/* The server's next distinct client, in address order (*cursor starts at 0); NULL at the end. */
static const struct dnsfail_addr *view_client(const struct model *m, const struct server_view *v, size_t *cursor)
{
    size_t i = *cursor < v->pairs_begin ? v->pairs_begin : *cursor;
    while (i < v->pairs_end) {
        bool fresh = i == v->pairs_begin || addr_cmp(&m->pairs[i - 1].res->client, &m->pairs[i].res->client) != 0;
        i++;
        if (fresh) {
            *cursor = i;
            return &m->pairs[i - 1].res->client;
        }
    }
    *cursor = i;
    return NULL;
}

/* Fills m->groups with the server's distinct questions, most attempts first; returns how many. */
static size_t view_queries(struct model *m, const struct server_view *v)
{
    size_t n = v->pairs_end - v->pairs_begin, ngroups = 0;
    if (n == 0)
        return 0;
    memcpy(m->scratch, m->pairs + v->pairs_begin, n * sizeof *m->scratch);
    qsort(m->scratch, n, sizeof *m->scratch, cmp_pair_by_question);
    for (size_t i = 0; i < n; i++) {
        const struct resolution *r = m->scratch[i].res;
        bool same = ngroups > 0 && m->groups[ngroups - 1].res->has_question == r->has_question &&
                    (!r->has_question ||
                     incident_question_cmp(&m->groups[ngroups - 1].res->question, &r->question) == 0);
        if (!same)
            m->groups[ngroups++] = (struct query_group){r, 0};
        m->groups[ngroups - 1].attempts += m->scratch[i].attempts;
    }
    if (ngroups > 1)
        qsort(m->groups, ngroups, sizeof *m->groups, cmp_group);
    return ngroups;
}

/* The failed attempts of one kind of reason that the server's listed reasons account for. */
static uint64_t listed_reason_failures(const struct server_stat *st, uint8_t kind)
{
    uint64_t n = 0;
    for (uint8_t i = 0; i < st->nreasons && i < MAX_REASONS_PER_SERVER; i++) {
        if (st->reasons[i].kind == kind)
            n += st->reasons[i].count;
    }
    return n;
}

static const char *reason_kind_key(uint8_t kind)
{
    return kind == REASON_ANSWER ? "answer" : kind == REASON_TCP ? "tcp" : kind == REASON_TIMEOUT ? "timeout" : "icmp";
}

/* The server's listed reasons by the time of their first failure (then as kept): the same
 * in single pass, where timeouts come late, and in two-pass. Returns how many. */
static uint8_t reason_order(const struct server_stat *st, uint8_t idx[MAX_REASONS_PER_SERVER])
{
    uint8_t n = st->nreasons < MAX_REASONS_PER_SERVER ? st->nreasons : MAX_REASONS_PER_SERVER;
    for (uint8_t i = 0; i < n; i++) {
        uint8_t j = i;
        while (j > 0 && st->reasons[idx[j - 1]].first_ns > st->reasons[i].first_ns) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    return n;
}

static void note_diagnosis(uint8_t d, bool seen[DNSFAIL_DIAG_COUNT], uint8_t out[DNSFAIL_DIAG_COUNT], size_t *n)
{
    d = incident_clean_diagnosis(d);
    if (!seen[d] && *n < DNSFAIL_DIAG_COUNT) {
        seen[d] = true;
        out[(*n)++] = d;
    }
}

/* The distinct diagnoses, in order of first appearance: each server's latest, then those of
 * its listed reasons, then late_answer when it had late answers; then the undeliverable
 * answers'. */
static size_t model_diagnoses(const struct model *m, uint8_t out[DNSFAIL_DIAG_COUNT])
{
    bool seen[DNSFAIL_DIAG_COUNT] = {false};
    size_t n = 0;
    for (size_t s = 0; s < m->nservers; s++) {
        const struct server_stat *st = m->servers[s].st;
        uint8_t idx[MAX_REASONS_PER_SERVER];
        uint8_t nr = reason_order(st, idx);
        note_diagnosis(st->diagnosis, seen, out, &n);
        for (uint8_t i = 0; i < nr; i++)
            note_diagnosis(st->reasons[idx[i]].diagnosis, seen, out, &n);
        if (st->late_answers)
            note_diagnosis(DNSFAIL_DIAG_LATE_ANSWER, seen, out, &n);
    }
    for (uint32_t i = 0; i < m->inc->nundeliverable && i < MAX_UNDELIVERABLE; i++)
        note_diagnosis(m->inc->undeliverable[i].diagnosis, seen, out, &n);
    return n;
}

static bool server_has_diagnosis(const struct server_stat *st, uint8_t d)
{
    if (st->diagnosis == d)
        return true;
    if (d == DNSFAIL_DIAG_LATE_ANSWER && st->late_answers)
        return true;
    for (uint8_t i = 0; i < st->nreasons && i < MAX_REASONS_PER_SERVER; i++) {
        if (st->reasons[i].diagnosis == d)
            return true;
    }
    return false;
}

/* The addresses a diagnosis applies to, without repeats (one address may have several
 * ports): calls emit(ctx, text) for each. */
static void for_each_diagnosis_server(const struct model *m, uint8_t d, void (*emit)(void *, const char *),
                                      void *ctx)
{
    for (size_t s = 0; s < m->nservers; s++) {
        const struct server_view *v = &m->servers[s];
        if (!server_has_diagnosis(v->st, d))
            continue;
        bool repeat = false;
        for (size_t t = 0; t < s && !repeat; t++)
            repeat = server_has_diagnosis(m->servers[t].st, d) && dnsfail_addr_equal(&m->servers[t].st->ep.addr,
                                                                                     &v->st->ep.addr);
        if (!repeat)
            emit(ctx, v->addr);
    }
    for (uint32_t i = 0; i < m->inc->nundeliverable && i < MAX_UNDELIVERABLE; i++) {
        const struct undeliverable *u = &m->inc->undeliverable[i];
        if (u->diagnosis != d)
            continue;
        bool repeat = false;
        for (size_t s = 0; s < m->nservers && !repeat; s++)
            repeat = server_has_diagnosis(m->servers[s].st, d) &&
                     dnsfail_addr_equal(&m->servers[s].st->ep.addr, &u->server.addr);
        for (uint32_t j = 0; j < i && !repeat; j++)
            repeat = m->inc->undeliverable[j].diagnosis == d &&
                     dnsfail_addr_equal(&m->inc->undeliverable[j].server.addr, &u->server.addr);
        if (!repeat) {
            char a[DNSFAIL_ADDR_TEXT_MAX];
            addr_text(&u->server.addr, a, sizeof a);
            emit(ctx, a);
        }
    }
}

static struct service *sorted_services(const struct dnsfail_incident *inc, uint32_t *n)
{
    *n = inc->nservices <= MAX_SERVICES ? inc->nservices : MAX_SERVICES;
    struct service *sv = malloc((*n ? *n : 1) * sizeof *sv);
    if (!sv)
        return NULL;
    memcpy(sv, inc->services, *n * sizeof *sv);
    if (*n > 1)
        qsort(sv, *n, sizeof *sv, cmp_service);
    return sv;
}

/* ---- text report ------------------------------------------------------------------ */

/* A list capped at TEXT_LIST_MAX entries: "a, b, c" or "a, ..., j, and 5 more". */
struct text_list {
    struct sb *b;
    size_t shown;
    size_t total;
};

static void text_list_item(struct text_list *l, const char *text)
{
    l->total++;
    if (l->shown >= TEXT_LIST_MAX)
        return;
    if (l->shown)
        sb_puts(l->b, ", ");
    sb_puts(l->b, text);
    l->shown++;
}

static void text_list_end(struct text_list *l)
{
    if (l->total > l->shown) {
        sb_puts(l->b, ", and ");
        sb_u64(l->b, l->total - l->shown);
        sb_puts(l->b, " more");
    }
}

static void text_list_emit(void *ctx, const char *text)
{
    struct text_list *l = ctx;
    text_list_item(l, addr_or_unknown(text));
}

static void text_query(struct sb *b, const struct query_group *g)
{
    const struct resolution *r = g->res;
    if (r->has_question) {
        char name[DNSFAIL_NAME_TEXT_MAX], type[24], cls[24];
        name_text(&r->question, name, sizeof name);
        type_text(r->question.qtype, type, sizeof type);
        sb_puts(b, name);
        sb_char(b, ' ');
        sb_puts(b, type);
        if (!class_is_in(r->question.qclass)) {
            class_text(r->question.qclass, cls, sizeof cls);
            sb_char(b, ' ');
            sb_puts(b, cls);
        }
    } else {
        sb_puts(b, "(name not quoted)");
    }
    sb_puts(b, " (");
    sb_count(b, g->attempts, "attempt", "attempts");
    sb_char(b, ')');
}

/* "6.2": seconds with tenths, rounded down. */
static void tenths_text(int64_t ns, char *buf, size_t size)
{
    int64_t tenths = ns > 0 ? ns / 100000000 : 0;
    snprintf(buf, size, "%" PRId64 ".%" PRId64, tenths / 10, tenths % 10);
}

/* "3 queries got no answer within 5 s", "1 TCP connection attempt got no answer within 5 s";
 * a reason that does not read "no answer ..." (a record's own words) goes in parentheses. */
static void text_timeouts(struct sb *b, uint64_t n, bool no_question, const char *reason)
{
    if (no_question)
        sb_count(b, n, "TCP connection attempt", "TCP connection attempts");
    else
        sb_count(b, n, "query", "queries");
    if (strncmp(reason, "no answer", 9) == 0) {
        sb_puts(b, " got ");
        sb_text(b, reason);
    } else {
        sb_puts(b, " got no answer (");
        sb_text(b, reason[0] ? reason : "timed out");
        sb_char(b, ')');
    }
}

static void text_server(struct sb *b, struct model *m, const struct server_view *v)
{
    const struct server_stat *st = v->st;
    size_t nclients = view_client_count(m, v);

    sb_puts(b, "\nServer ");
    sb_puts(b, addr_or_unknown(v->addr));
    sb_puts(b, ", ");
    sb_service(b, st->ep.port, st->ep.transport);
    sb_puts(b, "\n  ");
    sb_count(b, st->failed_resolutions, "failed resolution", "failed resolutions");
    sb_puts(b, ", ");
    sb_count(b, st->failed_attempts, "failed attempt", "failed attempts");
    if (nclients) {
        sb_puts(b, ", from ");
        sb_count(b, nclients, "client", "clients");
    }
    sb_char(b, '\n');
    if (st->recovered_resolutions) {
        sb_puts(b, "  ");
        sb_count(b, st->recovered_resolutions, "resolution", "resolutions");
        sb_puts(b, " recovered after failures\n");
    }

    if (nclients) {
        struct text_list l = {b, 0, 0};
        size_t cursor = 0;
        const struct dnsfail_addr *c;
        sb_puts(b, "  Clients: ");
        while ((c = view_client(m, v, &cursor)) != NULL) {
            char a[DNSFAIL_ADDR_TEXT_MAX];
            addr_text(c, a, sizeof a);
            text_list_item(&l, addr_or_unknown(a));
        }
        text_list_end(&l);
        sb_char(b, '\n');

        size_t ngroups = view_queries(m, v);
        sb_puts(b, "  Queries: ");
        for (size_t i = 0; i < ngroups && i < TEXT_LIST_MAX; i++) {
            if (i)
                sb_puts(b, ", ");
            text_query(b, &m->groups[i]);
        }
        if (ngroups > TEXT_LIST_MAX) {
            sb_puts(b, ", and ");
            sb_u64(b, ngroups - TEXT_LIST_MAX);
            sb_puts(b, " more");
        }
        sb_char(b, '\n');
    }

    uint8_t idx[MAX_REASONS_PER_SERVER];
    uint8_t nr = reason_order(st, idx);
    uint64_t answers = st->error_answers < st->failed_attempts ? st->error_answers : st->failed_attempts;
    uint64_t resets = st->tcp_resets < st->failed_attempts - answers ? st->tcp_resets : st->failed_attempts - answers;
    uint64_t rest = st->failed_attempts - answers - resets;
    uint64_t timeouts = st->timeouts < rest ? st->timeouts : rest;
    uint64_t icmp = rest - timeouts;
    if (icmp) {
        size_t shown = 0;
        sb_puts(b, "  ICMP: ");
        for (uint8_t i = 0; i < nr; i++) {
            const struct reason_count *rc = &st->reasons[idx[i]];
            char a[DNSFAIL_ADDR_TEXT_MAX];
            if (rc->kind != REASON_ICMP)
                continue;
            addr_text(&rc->reporter, a, sizeof a);
            if (shown++)
                sb_puts(b, "; ");
            sb_text(b, rc->reason[0] ? rc->reason : "(no reason given)");
            sb_puts(b, ", reported by ");
            sb_puts(b, addr_or_unknown(a));
            sb_puts(b, rc->reporter_is_target ? " (the server itself)" : " (a router or firewall on the path)");
        }
        uint64_t listed = listed_reason_failures(st, REASON_ICMP);
        if (icmp > listed) {
            sb_puts(b, shown ? "; and " : "");
            sb_count(b, icmp - listed, "other ICMP error", "other ICMP errors");
        }
        sb_char(b, '\n');
    }
    for (uint8_t i = 0; i < nr; i++) {
        const struct reason_count *rc = &st->reasons[idx[i]];
        if (rc->kind != REASON_ANSWER)
            continue;
        sb_puts(b, "  Answer: ");
        sb_text(b, rc->reason[0] ? rc->reason : "(no RCODE given)");
        sb_puts(b, " from the server");
        if (rc->count > 1) {
            sb_puts(b, " (x");
            sb_u64(b, rc->count);
            sb_char(b, ')');
        }
        sb_char(b, '\n');
    }
    for (uint8_t i = 0; i < nr; i++) {
        const struct reason_count *rc = &st->reasons[idx[i]];
        if (rc->kind != REASON_TCP)
            continue;
        sb_puts(b, "  TCP: ");
        sb_text(b, rc->reason[0] ? rc->reason : "connection refused");
        sb_puts(b, " by the server");
        if (rc->count > 1) {
            sb_puts(b, " (x");
            sb_u64(b, rc->count);
            sb_char(b, ')');
        }
        sb_char(b, '\n');
    }
    uint64_t listed_answers = listed_reason_failures(st, REASON_ANSWER);
    if (answers > listed_answers) {
        sb_puts(b, "  Answer: ");
        sb_count(b, answers - listed_answers, "other error answer", "other error answers");
        sb_char(b, '\n');
    }
    for (uint8_t i = 0; i < nr; i++) {
        const struct reason_count *rc = &st->reasons[idx[i]];
        if (rc->kind != REASON_TIMEOUT)
            continue;
        sb_puts(b, "  Timeout: ");
        text_timeouts(b, rc->count, rc->no_question, rc->reason);
        sb_puts(b, " (nothing came back, not even an ICMP error)\n");
    }
    uint64_t listed_timeouts = listed_reason_failures(st, REASON_TIMEOUT);
    if (timeouts > listed_timeouts) {
        sb_puts(b, "  Timeout: ");
        sb_count(b, timeouts - listed_timeouts, "other timeout", "other timeouts");
        sb_char(b, '\n');
    }
    if (st->late_answers) {
        char secs[32];
        sb_puts(b, "  Late: ");
        sb_count(b, st->late_answers, "answer came", "answers came");
        sb_puts(b, " after the client's timeout");
        if (st->late_max_waited_ns > 0) {
            tenths_text(st->late_max_waited_ns, secs, sizeof secs);
            sb_puts(b, st->late_answers == 1 ? " (after " : " (the slowest after ");
            sb_puts(b, secs);
            sb_puts(b, " s)");
        }
        sb_char(b, '\n');
    }
    sb_puts(b, "  Likely cause: ");
    sb_puts(b, dnsfail_diagnosis_text((enum dnsfail_diagnosis)st->diagnosis));
    sb_char(b, '\n');
}

static void text_undeliverable(struct sb *b, const struct dnsfail_incident *inc)
{
    sb_puts(b, "\nUndeliverable answers\n");
    for (uint32_t i = 0; i < inc->nundeliverable && i < MAX_UNDELIVERABLE; i++) {
        const struct undeliverable *u = &inc->undeliverable[i];
        char server[DNSFAIL_ADDR_TEXT_MAX], client[DNSFAIL_ADDR_TEXT_MAX];
        addr_text(&u->server.addr, server, sizeof server);
        addr_text(&u->client, client, sizeof client);
        sb_puts(b, "  ");
        if (u->has_question) {
            char name[DNSFAIL_NAME_TEXT_MAX], type[24];
            name_text(&u->question, name, sizeof name);
            type_text(u->question.qtype, type, sizeof type);
            sb_puts(b, name);
            sb_char(b, ' ');
            sb_puts(b, type);
        } else {
            sb_puts(b, "(name not quoted)");
        }
        sb_puts(b, " from ");
        sb_puts(b, addr_or_unknown(server));
        sb_puts(b, " to ");
        sb_puts(b, addr_or_unknown(client));
        sb_puts(b, ": ");
        sb_text(b, u->reason[0] ? u->reason : "(no reason given)");
        sb_puts(b, " (x");
        sb_u64(b, u->count);
        sb_puts(b, ")\n");
    }
    if (inc->undeliverable_not_listed) {
        sb_puts(b, "  and ");
        sb_u64(b, inc->undeliverable_not_listed);
        sb_puts(b, " more not listed\n");
    }
}

/* "no answer within 5 s", "no answer within 2.5 s", or "no answer within the timeout". */
static void timeout_words(int64_t timeout_ns, char *buf, size_t size)
{
    int64_t ms = timeout_ns / 1000000;
    if (ms <= 0)
        snprintf(buf, size, "no answer within the timeout");
    else if (ms % 1000 == 0)
        snprintf(buf, size, "no answer within %" PRId64 " s", ms / 1000);
    else if (ms % 100 == 0)
        snprintf(buf, size, "no answer within %" PRId64 ".%" PRId64 " s", ms / 1000, ms % 1000 / 100);
    else
        snprintf(buf, size, "no answer within %" PRId64 ".%03" PRId64 " s", ms / 1000, ms % 1000);
}

/* The late answers and the queries still waiting at the end: not failures, said apart. */
static void text_not_failures(struct sb *b, const struct dnsfail_incident_totals *t)
{
    if (t->late_answers) {
        sb_puts(b, "Late answers: ");
        sb_count(b, t->late_answers, "answer", "answers");
        sb_puts(b, " came after the client's timeout (not failures; they recover nothing)\n");
    }
    if (t->unanswered_at_end) {
        sb_puts(b, "Still waiting: ");
        sb_count(b, t->unanswered_at_end, "query was", "queries were");
        sb_puts(b, " still waiting for an answer when the capture ended (not failures)\n");
    }
}

static void text_header(struct sb *b, const struct dnsfail_incident *inc)
{
    char first[40], last[40], secs[40];
    const struct dnsfail_incident_totals *t = &inc->totals;

    time_text(t->first_ns, ' ', first, sizeof first);
    time_text(t->last_ns, ' ', last, sizeof last);
    seconds_text(t->first_ns, t->last_ns, secs, sizeof secs);
    sb_puts(b, "DNS failure report\nTime window: ");
    sb_puts(b, first);
    sb_puts(b, " to ");
    sb_puts(b, last);
    sb_puts(b, " UTC (");
    sb_puts(b, secs);
    sb_puts(b, " s)\nService affected: ");

    uint32_t n;
    struct service *sv = sorted_services(inc, &n);
    if (!sv) {
        b->failed = true;
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            sb_puts(b, ", ");
        sb_service(b, sv[i].port, sv[i].transport);
    }
    free(sv);
    if (inc->services_overflow)
        sb_puts(b, ", and other ports");

    sb_puts(b, "\nFailed resolutions: ");
    sb_u64(b, t->failed_resolutions);
    sb_puts(b, " (");
    sb_count(b, t->failed_attempts, "failed attempt", "failed attempts");
    sb_puts(b, "); recovered after failures: ");
    sb_u64(b, t->recovered_resolutions);
    sb_puts(b, "; undeliverable answers: ");
    sb_u64(b, t->undeliverable_answers);
    sb_char(b, '\n');
    if (t->timeouts) {
        char within[DNSFAIL_REASON_TEXT_MAX];
        timeout_words(inc->timeout_ns, within, sizeof within);
        sb_puts(b, "Timeouts: ");
        sb_count(b, t->timeouts, "query", "queries");
        sb_puts(b, " got ");
        sb_puts(b, within);
        sb_puts(b, " (failed attempts nobody reported)\n");
    }
    text_not_failures(b, t);
    if (t->nxdomain_answers) {
        sb_puts(b, "NXDOMAIN answers: ");
        sb_u64(b, t->nxdomain_answers);
        sb_puts(b, " (names that do not exist; not failures)\n");
    }
    if (t->forgotten) {
        sb_puts(b, "Forgotten to stay within memory bounds: ");
        sb_count(b, t->forgotten, "resolution", "resolutions");
        sb_puts(b, " (counted above, not detailed below)\n");
    }
}

char *dnsfail_incident_report_text(const struct dnsfail_incident *inc)
{
    struct sb b = {NULL, 0, 0, false};
    struct model m;

    if (!inc || (inc->totals.failed_attempts == 0 && inc->totals.undeliverable_answers == 0)) {
        sb_puts(&b, "No DNS failures: no ICMP error in this capture answers a DNS message.\n");
        if (inc)
            text_not_failures(&b, &inc->totals);
        return sb_finish(&b);
    }
    if (!model_build(&m, inc))
        return NULL;
    text_header(&b, inc);
    for (size_t s = 0; s < m.nservers; s++)
        text_server(&b, &m, &m.servers[s]);
    if (inc->other.failed_attempts) {
        sb_puts(&b, "\nOther servers (over the limit of ");
        sb_u64(&b, MAX_SERVERS);
        sb_puts(&b, " servers, not detailed): ");
        sb_count(&b, inc->other.failed_resolutions, "failed resolution", "failed resolutions");
        sb_puts(&b, ", ");
        sb_count(&b, inc->other.failed_attempts, "failed attempt", "failed attempts");
        sb_puts(&b, "; recovered after failures: ");
        sb_u64(&b, inc->other.recovered_resolutions);
        if (inc->other.timeouts) {
            sb_puts(&b, "; timeouts: ");
            sb_u64(&b, inc->other.timeouts);
        }
        if (inc->other.late_answers) {
            sb_puts(&b, "; late answers: ");
            sb_u64(&b, inc->other.late_answers);
        }
        sb_char(&b, '\n');
    }
    if (inc->totals.undeliverable_answers)
        text_undeliverable(&b, inc);

    uint8_t diags[DNSFAIL_DIAG_COUNT];
    size_t ndiags = model_diagnoses(&m, diags);
    if (ndiags)
        sb_puts(&b, "\nWhat to try\n");
    for (size_t i = 0; i < ndiags; i++) {
        struct text_list l = {&b, 0, 0};
        sb_puts(&b, "  - ");
        sb_puts(&b, dnsfail_diagnosis_key((enum dnsfail_diagnosis)diags[i]));
        sb_puts(&b, " (");
        for_each_diagnosis_server(&m, diags[i], text_list_emit, &l);
        text_list_end(&l);
        sb_puts(&b, "): ");
        sb_puts(&b, dnsfail_diagnosis_remedy((enum dnsfail_diagnosis)diags[i]));
        sb_char(&b, '\n');
    }
    model_free(&m);
    return sb_finish(&b);
}

/* ---- JSON report ------------------------------------------------------------------ */

/* A JSON writer, two-space indented; it tracks commas itself. */
struct jw {
    struct sb *b;
    int depth;
    bool after_key;
    bool first[JSON_MAX_DEPTH + 1];
};

static void jw_newline(struct jw *w)
{
    sb_char(w->b, '\n');
    for (int i = 0; i < w->depth; i++)
        sb_puts(w->b, "  ");
}

static void jw_prefix(struct jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    if (!w->first[w->depth])
        sb_char(w->b, ',');
    w->first[w->depth] = false;
    jw_newline(w);
}

static void jw_raw_string(struct sb *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    sb_char(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': sb_puts(b, "\\\""); break;
        case '\\': sb_puts(b, "\\\\"); break;
        case '\n': sb_puts(b, "\\n"); break;
        case '\r': sb_puts(b, "\\r"); break;
        case '\t': sb_puts(b, "\\t"); break;
        case '\b': sb_puts(b, "\\b"); break;
        case '\f': sb_puts(b, "\\f"); break;
        default:
            if (*p < 0x20 || *p >= 0x7f) {
                /* Bytes outside ASCII as Latin-1 code points: the output stays valid UTF-8. */
                char e[7] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], '\0'};
                sb_puts(b, e);
            } else {
                sb_char(b, (char)*p);
            }
            break;
        }
    }
    sb_char(b, '"');
}

static void jw_open(struct jw *w, char c)
{
    jw_prefix(w);
    sb_char(w->b, c);
    if (w->depth < JSON_MAX_DEPTH) {
        w->depth++;
        w->first[w->depth] = true;
    } else {
        w->b->failed = true; /* cannot happen: the report nests five deep */
    }
}

static void jw_close(struct jw *w, char c)
{
    bool empty = w->first[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (!empty)
        jw_newline(w);
    sb_char(w->b, c);
}

static void jw_key(struct jw *w, const char *key)
{
    jw_prefix(w);
    jw_raw_string(w->b, key);
    sb_puts(w->b, ": ");
    w->after_key = true;
}

static void jw_string(struct jw *w, const char *s)
{
    jw_prefix(w);
    jw_raw_string(w->b, s);
}

static void jw_u64(struct jw *w, uint64_t v)
{
    jw_prefix(w);
    sb_u64(w->b, v);
}

static void jw_bare(struct jw *w, const char *literal)
{
    jw_prefix(w);
    sb_puts(w->b, literal);
}

static void jw_kv_string(struct jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_string(w, s);
}

static void jw_kv_u64(struct jw *w, const char *key, uint64_t v)
{
    jw_key(w, key);
    jw_u64(w, v);
}

static void jw_emit_string(void *ctx, const char *text)
{
    jw_string(ctx, text);
}

/* name, type and class of a question, or nulls. */
static void json_question(struct jw *w, bool has_question, const struct dnsfail_question *q)
{
    if (!has_question) {
        jw_key(w, "name");
        jw_bare(w, "null");
        jw_key(w, "type");
        jw_bare(w, "null");
        jw_key(w, "class");
        jw_bare(w, "null");
        return;
    }
    char name[DNSFAIL_NAME_TEXT_MAX], type[24], cls[24];
    name_text(q, name, sizeof name);
    type_text(q->qtype, type, sizeof type);
    class_text(q->qclass, cls, sizeof cls);
    jw_kv_string(w, "name", name);
    jw_kv_string(w, "type", type);
    jw_kv_string(w, "class", cls);
}

static void json_server(struct jw *w, struct model *m, const struct server_view *v)
{
    const struct server_stat *st = v->st;
    char a[DNSFAIL_ADDR_TEXT_MAX];

    jw_open(w, '{');
    jw_kv_string(w, "address", v->addr);
    jw_kv_u64(w, "port", st->ep.port);
    jw_kv_string(w, "transport", transport_word(st->ep.transport));
    jw_kv_string(w, "service", dnsfail_service_name(st->ep.port));
    jw_kv_u64(w, "failed_resolutions", st->failed_resolutions);
    jw_kv_u64(w, "failed_attempts", st->failed_attempts);
    jw_kv_u64(w, "recovered_resolutions", st->recovered_resolutions);
    jw_kv_u64(w, "timeouts", st->timeouts);
    jw_kv_u64(w, "late_answers", st->late_answers);
    jw_key(w, "late_answer_max_seconds");
    if (st->late_answers && st->late_max_waited_ns > 0) {
        char secs[40];
        seconds_text(0, st->late_max_waited_ns, secs, sizeof secs);
        jw_bare(w, secs);
    } else {
        jw_bare(w, "null");
    }

    jw_key(w, "clients");
    jw_open(w, '[');
    size_t cursor = 0;
    const struct dnsfail_addr *c;
    while ((c = view_client(m, v, &cursor)) != NULL) {
        addr_text(c, a, sizeof a);
        jw_string(w, a);
    }
    jw_close(w, ']');

    jw_key(w, "queries");
    jw_open(w, '[');
    size_t ngroups = view_queries(m, v);
    for (size_t i = 0; i < ngroups; i++) {
        jw_open(w, '{');
        json_question(w, m->groups[i].res->has_question, &m->groups[i].res->question);
        jw_kv_u64(w, "attempts", m->groups[i].attempts);
        jw_close(w, '}');
    }
    jw_close(w, ']');

    jw_key(w, "reasons");
    jw_open(w, '[');
    uint8_t idx[MAX_REASONS_PER_SERVER];
    uint8_t nr = reason_order(st, idx);
    for (uint8_t i = 0; i < nr; i++) {
        const struct reason_count *rc = &st->reasons[idx[i]];
        addr_text(&rc->reporter, a, sizeof a);
        jw_open(w, '{');
        jw_kv_string(w, "reason", rc->reason);
        jw_kv_string(w, "kind", reason_kind_key(rc->kind));
        jw_kv_string(w, "reporter", a);
        jw_key(w, "reporter_is_server");
        jw_bare(w, rc->reporter_is_target ? "true" : "false");
        jw_kv_u64(w, "count", rc->count);
        jw_kv_string(w, "diagnosis", dnsfail_diagnosis_key((enum dnsfail_diagnosis)rc->diagnosis));
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_kv_string(w, "diagnosis", dnsfail_diagnosis_key((enum dnsfail_diagnosis)st->diagnosis));
    jw_kv_string(w, "likely_cause", dnsfail_diagnosis_text((enum dnsfail_diagnosis)st->diagnosis));
    jw_close(w, '}');
}

static void json_undeliverable(struct jw *w, const struct undeliverable *u)
{
    char a[DNSFAIL_ADDR_TEXT_MAX];
    jw_open(w, '{');
    addr_text(&u->server.addr, a, sizeof a);
    jw_kv_string(w, "server", a);
    jw_kv_u64(w, "port", u->server.port);
    jw_kv_string(w, "transport", transport_word(u->server.transport));
    jw_kv_string(w, "service", dnsfail_service_name(u->server.port));
    addr_text(&u->client, a, sizeof a);
    jw_kv_string(w, "client", a);
    json_question(w, u->has_question, &u->question);
    jw_kv_string(w, "reason", u->reason);
    jw_kv_string(w, "diagnosis", dnsfail_diagnosis_key((enum dnsfail_diagnosis)u->diagnosis));
    jw_kv_u64(w, "count", u->count);
    jw_close(w, '}');
}

static bool json_body(struct jw *w, const struct dnsfail_incident *inc, struct model *m)
{
    const struct dnsfail_incident_totals *t = &inc->totals;
    bool any = t->failed_attempts || t->undeliverable_answers;

    jw_open(w, '{');
    jw_kv_string(w, "schema", "dnsfail-report/1");
    jw_key(w, "window");
    if (any) {
        char first[40], last[40], secs[40];
        time_text(t->first_ns, 'T', first, sizeof first);
        time_text(t->last_ns, 'T', last, sizeof last);
        seconds_text(t->first_ns, t->last_ns, secs, sizeof secs);
        jw_open(w, '{');
        jw_kv_string(w, "first", first);
        jw_kv_string(w, "last", last);
        jw_key(w, "seconds");
        jw_bare(w, secs);
        jw_close(w, '}');
    } else {
        jw_bare(w, "null");
    }

    jw_key(w, "services");
    jw_open(w, '[');
    uint32_t n;
    struct service *sv = sorted_services(inc, &n);
    if (!sv)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        jw_open(w, '{');
        jw_kv_string(w, "service", dnsfail_service_name(sv[i].port));
        jw_kv_string(w, "transport", transport_word(sv[i].transport));
        jw_kv_u64(w, "port", sv[i].port);
        jw_close(w, '}');
    }
    free(sv);
    jw_close(w, ']');

    jw_key(w, "totals");
    jw_open(w, '{');
    jw_kv_u64(w, "failed_resolutions", t->failed_resolutions);
    jw_kv_u64(w, "failed_attempts", t->failed_attempts);
    jw_kv_u64(w, "recovered_resolutions", t->recovered_resolutions);
    jw_kv_u64(w, "undeliverable_answers", t->undeliverable_answers);
    jw_kv_u64(w, "nxdomain_answers", t->nxdomain_answers);
    jw_kv_u64(w, "forgotten", t->forgotten);
    jw_kv_u64(w, "timeouts", t->timeouts);
    jw_kv_u64(w, "late_answers", t->late_answers);
    jw_kv_u64(w, "unanswered_at_end", t->unanswered_at_end);
    jw_close(w, '}');

    jw_key(w, "servers");
    jw_open(w, '[');
    for (size_t s = 0; s < m->nservers; s++)
        json_server(w, m, &m->servers[s]);
    jw_close(w, ']');

    jw_key(w, "other_servers");
    jw_open(w, '{');
    jw_kv_u64(w, "failed_resolutions", inc->other.failed_resolutions);
    jw_kv_u64(w, "failed_attempts", inc->other.failed_attempts);
    jw_kv_u64(w, "recovered_resolutions", inc->other.recovered_resolutions);
    jw_kv_u64(w, "timeouts", inc->other.timeouts);
    jw_kv_u64(w, "late_answers", inc->other.late_answers);
    jw_close(w, '}');

    jw_key(w, "undeliverable_answers");
    jw_open(w, '[');
    for (uint32_t i = 0; i < inc->nundeliverable && i < MAX_UNDELIVERABLE; i++)
        json_undeliverable(w, &inc->undeliverable[i]);
    jw_close(w, ']');
    jw_kv_u64(w, "undeliverable_answers_not_listed", inc->undeliverable_not_listed);

    jw_key(w, "remedies");
    jw_open(w, '[');
    uint8_t diags[DNSFAIL_DIAG_COUNT];
    size_t ndiags = model_diagnoses(m, diags);
    for (size_t i = 0; i < ndiags; i++) {
        jw_open(w, '{');
        jw_kv_string(w, "diagnosis", dnsfail_diagnosis_key((enum dnsfail_diagnosis)diags[i]));
        jw_key(w, "servers");
        jw_open(w, '[');
        for_each_diagnosis_server(m, diags[i], jw_emit_string, w);
        jw_close(w, ']');
        jw_kv_string(w, "remedy", dnsfail_diagnosis_remedy((enum dnsfail_diagnosis)diags[i]));
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_close(w, '}');
    sb_char(w->b, '\n');
    return true;
}

char *dnsfail_incident_report_json(const struct dnsfail_incident *inc)
{
    struct sb b = {NULL, 0, 0, false};
    struct jw w;
    struct model m;
    struct dnsfail_incident *empty = NULL;

    if (!inc) {
        empty = dnsfail_incident_new(NULL);
        if (!empty)
            return NULL;
        inc = empty;
    }
    memset(&w, 0, sizeof w);
    w.b = &b;
    if (!model_build(&m, inc)) {
        dnsfail_incident_free(empty);
        return NULL;
    }
    if (!json_body(&w, inc, &m))
        b.failed = true;
    model_free(&m);
    dnsfail_incident_free(empty);
    return sb_finish(&b);
}
