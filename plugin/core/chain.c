/* chain.c - a client's failure linked to its resolver's own upstream failures (chain.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/chain.h"

#include <stdlib.h>
#include <string.h>

#include "dnsfail/tracker.h"

#include "addr_key.h"
#include "ring_table.h"

/* A client's question as it went to a server: what a resolver's upstream query is
 * compared with. */
struct asked {
    int64_t time_ns;
    struct dnsfail_addr client, server;
};

/* One address pair of a resolver: clients ask server, the resolver asks from upstream. */
struct side {
    struct dnsfail_addr server, upstream;
};

/* An upstream failure, every member assigned when it is noted. */
struct upstream_failure {
    uint32_t frame;
    int64_t sent_ns, known_ns;
    struct dnsfail_addr from, to;  /* the resolver's upstream side, the upstream server */
    bool has_question;
    bool forwarded;                /* asked for a client's same question: it explains only that */
    bool unpaired;                 /* no question, from an address not yet known as a resolver's */
    uint8_t kind, diagnosis;
    uint64_t question_hash;
    struct dnsfail_question question;
    char reason[DNSFAIL_REASON_TEXT_MAX];
};

/* A question asked moments ago, kept in a small set-associative table: all a forwarded
 * query is paired with. */
struct recent {
    uint64_t question_hash;
    struct asked asked;
    bool used;
    bool answered;                 /* the server answered: nothing forwards it any more */
};

enum { FAILURE_ROOM_FIRST = 16, RECENT_SETS = 256, RECENT_WAYS = 4 };

struct dnsfail_chain {
    int64_t retry_window_ns;
    /* The newest questions, a few per set, the oldest replaced: what every query costs. */
    struct recent recent[RECENT_SETS][RECENT_WAYS];
    /* Every question (struct asked, keyed by question hash), for the client's first try and
     * for the questions a resolver forwarded: kept only once a resolver is known (sides),
     * starting from the recent ones. */
    struct ring_table asked;
    struct side sides[DNSFAIL_CHAIN_MAX_SIDES];
    uint32_t side_count;
    /* A ring of upstream failures: grown from nothing as failures come, so that a capture
     * with a few pays for a few; it wraps only once it holds DNSFAIL_CHAIN_MAX_FAILURES. */
    struct upstream_failure *failures;
    uint32_t failure_room;         /* allocated */
    uint32_t failure_count;        /* held now, at most DNSFAIL_CHAIN_MAX_FAILURES */
    uint32_t failure_next;         /* the slot the next one takes */
    bool has_unpaired;             /* a refused connection from an address not known as a resolver's */
};

struct dnsfail_chain *dnsfail_chain_new(int64_t retry_window_ns)
{
    struct dnsfail_chain *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    ring_table_init(&c->asked, sizeof(struct asked), DNSFAIL_CHAIN_MAX_QUESTIONS);
    c->retry_window_ns = retry_window_ns;
    return c;
}

void dnsfail_chain_free(struct dnsfail_chain *c)
{
    if (!c)
        return;
    ring_table_clear(&c->asked);
    free(c->failures);
    free(c);
}

void dnsfail_chain_reset(struct dnsfail_chain *c, int64_t retry_window_ns)
{
    ring_table_clear(&c->asked);
    memset(c->recent, 0, sizeof c->recent);
    free(c->failures);
    c->failures = NULL;
    c->failure_room = c->failure_count = c->failure_next = 0;
    c->has_unpaired = false;
    c->side_count = 0;
    c->retry_window_ns = retry_window_ns;
}

static bool has_side(const struct dnsfail_chain *c, const struct dnsfail_addr *server,
                     const struct dnsfail_addr *upstream)
{
    for (uint32_t i = 0; i < c->side_count; i++) {
        if (addr_key_equal(&c->sides[i].server, server) && addr_key_equal(&c->sides[i].upstream, upstream))
            return true;
    }
    return false;
}

static void start_table(struct dnsfail_chain *c);

static void add_side(struct dnsfail_chain *c, const struct dnsfail_addr *server, const struct dnsfail_addr *upstream)
{
    if (has_side(c, server, upstream) || c->side_count == DNSFAIL_CHAIN_MAX_SIDES)
        return;
    c->sides[c->side_count++] = (struct side){*server, *upstream};
    if (c->side_count == 1)
        start_table(c);
}

bool dnsfail_chain_is_upstream_side(const struct dnsfail_chain *c, const struct dnsfail_addr *addr)
{
    for (uint32_t i = 0; i < c->side_count; i++) {
        if (addr_key_equal(&c->sides[i].upstream, addr))
            return true;
    }
    return false;
}

/* Whether a question asked before is a client's that the query on flow forwards: another
 * client asked another server. A question a resolver's upstream side asked is none: a
 * client asking it after the resolver did is no resolver of that upstream server. */
static bool is_client_question(const struct dnsfail_chain *c, const struct asked *a, const struct dnsfail_flow *flow)
{
    return !addr_key_equal(&a->client, &flow->client) && !addr_key_equal(&a->server, &flow->server) &&
           !dnsfail_chain_is_upstream_side(c, &a->client);
}

static size_t recent_set(uint64_t question_hash)
{
    return (size_t)((question_hash ^ (question_hash >> 32)) & (RECENT_SETS - 1));
}

static void ask_into_table(struct dnsfail_chain *c, uint64_t question_hash, const struct asked *asked)
{
    int32_t s = ring_table_insert_raw(&c->asked, question_hash);
    if (s != -1)
        *(struct asked *)ring_table_record(&c->asked, s) = *asked;
}

static int older_first(const void *x, const void *y)
{
    const struct recent *a = x, *b = y;
    return (a->asked.time_ns > b->asked.time_ns) - (a->asked.time_ns < b->asked.time_ns);
}

/* The first resolver is known: the table of questions starts from the recent ones, oldest
 * first as they were asked (a walk of one question's records relies on capture order). */
static void start_table(struct dnsfail_chain *c)
{
    struct recent *all = malloc(sizeof c->recent);
    if (!all)
        return;
    size_t n = 0;
    for (size_t set = 0; set < RECENT_SETS; set++) {
        for (size_t way = 0; way < RECENT_WAYS; way++) {
            if (c->recent[set][way].used)
                all[n++] = c->recent[set][way];
        }
    }
    qsort(all, n, sizeof *all, older_first);
    for (size_t i = 0; i < n; i++)
        ask_into_table(c, all[i].question_hash, &all[i].asked);
    free(all);
}

/* The query of upstream to server asks what another client asked another server moments
 * before: upstream forwards for that server. */
static void pair_forwarder(struct dnsfail_chain *c, const struct dnsfail_flow *flow, uint64_t question_hash,
                           int64_t time_ns)
{
    const struct recent *set = c->recent[recent_set(question_hash)];
    for (size_t way = 0; way < RECENT_WAYS; way++) {
        const struct asked *a = &set[way].asked;
        if (!set[way].used || set[way].answered || set[way].question_hash != question_hash ||
            a->time_ns > time_ns || time_ns - a->time_ns > DNSFAIL_CHAIN_PAIR_MAX_NS || !is_client_question(c, a, flow))
            continue;
        add_side(c, &a->server, &flow->client);
    }
}

void dnsfail_chain_note_query(struct dnsfail_chain *c, const struct dnsfail_flow *flow, uint64_t question_hash,
                              int64_t time_ns)
{
    pair_forwarder(c, flow, question_hash, time_ns);
    struct asked asked = {.time_ns = time_ns, .client = flow->client, .server = flow->server};
    struct recent *set = c->recent[recent_set(question_hash)], *slot = &set[0];
    for (size_t way = 0; way < RECENT_WAYS && slot->used; way++) {
        if (!set[way].used || set[way].asked.time_ns < slot->asked.time_ns)
            slot = &set[way];
    }
    *slot = (struct recent){.question_hash = question_hash, .asked = asked, .used = true};
    if (c->side_count)
        ask_into_table(c, question_hash, &asked);
}

void dnsfail_chain_note_answer(struct dnsfail_chain *c, const struct dnsfail_flow *flow, uint64_t question_hash)
{
    struct recent *set = c->recent[recent_set(question_hash)];
    for (size_t way = 0; way < RECENT_WAYS; way++) {
        if (set[way].used && set[way].question_hash == question_hash &&
            addr_key_equal(&set[way].asked.client, &flow->client) && addr_key_equal(&set[way].asked.server, &flow->server))
            set[way].answered = true;
    }
}

/* A client of a server that the failed query's sender is known to ask for asked this
 * question shortly before: the failure is of a forwarded question, and explains only that
 * question. (Only the query itself makes a sender a resolver's: a failure does not.) */
static bool find_forwarded(const struct dnsfail_chain *c, const struct dnsfail_chain_failure *f,
                           uint64_t question_hash)
{
    for (int32_t s = ring_table_first(&c->asked, question_hash); s != -1;
         s = ring_table_next(&c->asked, s, question_hash)) {
        const struct asked *a = ring_table_record(&c->asked, s);
        if (a->time_ns > f->sent_ns)
            continue;
        if (f->sent_ns - a->time_ns > DNSFAIL_CHAIN_FORWARD_MAX_NS)
            break; /* newest first: the rest are older still */
        if (is_client_question(c, a, &f->flow) && has_side(c, &a->server, &f->flow.client))
            return true;
    }
    return false;
}

static bool remember(struct dnsfail_chain *c, const struct dnsfail_chain_failure *f, uint64_t question_hash,
                     bool forwarded, bool unpaired)
{
    if (c->failure_count == c->failure_room && c->failure_room < DNSFAIL_CHAIN_MAX_FAILURES) {
        uint32_t room = c->failure_room ? c->failure_room * 4u : FAILURE_ROOM_FIRST;
        if (room > DNSFAIL_CHAIN_MAX_FAILURES)
            room = DNSFAIL_CHAIN_MAX_FAILURES;
        struct upstream_failure *grown = realloc(c->failures, (size_t)room * sizeof *grown);
        if (!grown)
            return false;
        c->failures = grown;
        c->failure_room = room;
    }
    for (uint32_t i = 0; i < c->failure_count; i++) {
        if (c->failures[i].frame == f->frame)
            return true; /* a silence noted while waiting, now timed out */
    }
    struct upstream_failure *u = &c->failures[c->failure_next];
    c->failure_next = (c->failure_next + 1) % DNSFAIL_CHAIN_MAX_FAILURES;
    if (c->failure_count < DNSFAIL_CHAIN_MAX_FAILURES)
        c->failure_count++;
    u->frame = f->frame;
    u->sent_ns = f->sent_ns;
    u->known_ns = f->known_ns;
    u->from = f->flow.client;
    u->to = f->flow.server;
    u->has_question = f->has_question;
    u->forwarded = forwarded;
    u->unpaired = unpaired;
    u->kind = f->kind;
    u->diagnosis = f->diagnosis;
    u->question_hash = question_hash;
    if (f->has_question)
        u->question = f->question;
    size_t len = f->reason ? strlen(f->reason) : 0;
    if (len > sizeof u->reason - 1)
        len = sizeof u->reason - 1;
    if (len)
        memcpy(u->reason, f->reason, len);
    u->reason[len] = '\0';
    if (unpaired)
        c->has_unpaired = true;
    return true;
}

bool dnsfail_chain_note_failure(struct dnsfail_chain *c, const struct dnsfail_chain_failure *f)
{
    if (dnsfail_chain_is_upstream_side(c, &f->flow.client)) {
        uint64_t question_hash = f->has_question ? dnsfail_tracker_question_hash(&f->question) : 0;
        return remember(c, f, question_hash, f->has_question && find_forwarded(c, f, question_hash), false);
    }
    /* A refused TCP connection asks nothing: who made it is decided by the failure it
     * explains, if any (dnsfail_chain_explain). */
    if (!f->has_question)
        remember(c, f, 0, false, true);
    return false;
}

static uint8_t fold(uint8_t b)
{
    return (b >= 'A' && b <= 'Z') ? (uint8_t)(b + ('a' - 'A')) : b;
}

/* Wire names compared without ASCII case (0x20 mixes it): length bytes are below 'A'. */
static bool wire_equal_nocase(const uint8_t *a, const uint8_t *b, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (fold(a[i]) != fold(b[i]))
            return false;
    }
    return true;
}

static bool same_name(const struct dnsfail_dns_name *a, const struct dnsfail_dns_name *b)
{
    return a->wire_len == b->wire_len && wire_equal_nocase(a->wire, b->wire, a->wire_len);
}

/* name ends with suffix at a label boundary (the root ends every name). */
static bool ends_with_name(const struct dnsfail_dns_name *name, const struct dnsfail_dns_name *suffix)
{
    size_t at = 0;
    while (at < name->wire_len) {
        size_t rest = name->wire_len - at;
        if (rest == suffix->wire_len && wire_equal_nocase(name->wire + at, suffix->wire, rest))
            return true;
        if (name->wire[at] == 0)
            break;
        at += 1u + name->wire[at];
    }
    return false;
}

static enum dnsfail_cause_match classify(const struct upstream_failure *u, const struct dnsfail_chain_outcome *o)
{
    if (u->has_question && o->has_question) {
        const struct dnsfail_question *q = &o->question;
        if (u->question.qtype == q->qtype && u->question.qclass == q->qclass && same_name(&u->question.qname, &q->qname))
            return DNSFAIL_CAUSE_SAME_QUESTION;
        if (u->forwarded)
            return DNSFAIL_CAUSE_NONE; /* another client's question */
        if (ends_with_name(&q->qname, &u->question.qname))
            return DNSFAIL_CAUSE_ANCESTOR;
    } else if (u->forwarded) {
        return DNSFAIL_CAUSE_NONE;
    }
    return DNSFAIL_CAUSE_DURING;
}

/* The client's first try of this question to this server: each earlier try within the
 * retry window of the next one. */
static int64_t first_try_ns(const struct dnsfail_chain *c, const struct dnsfail_chain_outcome *o)
{
    int64_t start = o->query_ns;
    if (!o->has_question)
        return start;
    uint64_t h = dnsfail_tracker_question_hash(&o->question);
    if (c->side_count == 0) { /* no table yet: the recent tries, each pass finding an earlier one */
        const struct recent *set = c->recent[recent_set(h)];
        for (size_t pass = 0; pass < RECENT_WAYS; pass++) {
            for (size_t way = 0; way < RECENT_WAYS; way++) {
                const struct asked *a = &set[way].asked;
                if (set[way].used && set[way].question_hash == h && a->time_ns < start &&
                    start - a->time_ns <= c->retry_window_ns && addr_key_equal(&a->client, &o->flow.client) &&
                    addr_key_equal(&a->server, &o->flow.server))
                    start = a->time_ns;
            }
        }
        return start;
    }
    /* Newest first (capture order): once a record is older than the window before the
     * earliest try found, no older one can extend the run. */
    for (int32_t s = ring_table_first(&c->asked, h); s != -1; s = ring_table_next(&c->asked, s, h)) {
        const struct asked *a = ring_table_record(&c->asked, s);
        if (a->time_ns < start && start - a->time_ns > c->retry_window_ns)
            break;
        if (a->time_ns < start &&
            addr_key_equal(&a->client, &o->flow.client) && addr_key_equal(&a->server, &o->flow.server))
            start = a->time_ns;
    }
    return start;
}

static void fill_cause(const struct upstream_failure *u, enum dnsfail_cause_match m, struct dnsfail_chain_cause *out)
{
    char addr[DNSFAIL_ADDR_TEXT_MAX];
    out->frame = u->frame;
    out->match = (uint8_t)m;
    out->kind = u->kind;
    out->diagnosis = u->diagnosis;
    out->server = u->to;
    dnsfail_addr_format(&u->to, addr, sizeof addr);
    size_t n = 0;
    const char *parts[] = {"upstream ", addr, u->reason[0] ? " " : "", u->reason};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t len = strlen(parts[i]);
        if (len > sizeof out->text - 1 - n)
            len = sizeof out->text - 1 - n;
        memcpy(out->text + n, parts[i], len);
        n += len;
    }
    out->text[n] = '\0';
}

/* A failure of server S to client K: a connection refused to an address other than K,
 * made moments after K first asked (as a resolver connects at once), tells S's upstream
 * side. */
static void pair_unquestioned(struct dnsfail_chain *c, const struct dnsfail_chain_outcome *o, int64_t start)
{
    for (uint32_t i = 0; i < c->failure_count; i++) {
        struct upstream_failure *u = &c->failures[i];
        if (!u->unpaired || u->sent_ns < start || u->sent_ns - start > DNSFAIL_CHAIN_PAIR_MAX_NS ||
            addr_key_equal(&u->from, &o->flow.client) || addr_key_equal(&u->to, &o->flow.server))
            continue;
        add_side(c, &o->flow.server, &u->from);
    }
}

uint32_t dnsfail_chain_explain(struct dnsfail_chain *c, const struct dnsfail_chain_outcome *o, bool failed,
                               struct dnsfail_chain_cause *out, uint32_t max)
{
    /* Only a server with an upstream side has causes, and only a failure can make one: most
     * answers stop here, before the look for the client's first try. */
    if (!dnsfail_chain_may_explain(c, &o->flow.server, failed))
        return 0;
    int64_t start = first_try_ns(c, o);
    if (failed && c->has_unpaired) {
        pair_unquestioned(c, o, start);
        if (!dnsfail_chain_serves_from_upstream(c, &o->flow.server))
            return 0;
    }
    /* Failures are noted in capture order: only the newest, those seen since the first try,
     * can explain this outcome. */
    const uint32_t ring = DNSFAIL_CHAIN_MAX_FAILURES;
    uint32_t since = 0;
    while (since < c->failure_count && c->failures[(c->failure_next + ring - 1 - since) % ring].known_ns >= start)
        since++;
    uint32_t oldest = (c->failure_next + ring - since) % ring;
    uint32_t found = 0;
    /* One walk per strength, oldest first within it: the strongest come first. */
    for (int want = DNSFAIL_CAUSE_SAME_QUESTION; want <= DNSFAIL_CAUSE_DURING; want++) {
        if (!failed && want == DNSFAIL_CAUSE_DURING)
            break;
        for (uint32_t i = 0; i < since; i++) {
            const struct upstream_failure *u = &c->failures[(oldest + i) % DNSFAIL_CHAIN_MAX_FAILURES];
            if (u->known_ns < start || u->sent_ns < start || u->sent_ns > o->end_ns)
                continue;
            if (addr_key_equal(&u->from, &o->flow.client) || !has_side(c, &o->flow.server, &u->from))
                continue;
            if ((int)classify(u, o) != want)
                continue;
            if (found < max)
                fill_cause(u, (enum dnsfail_cause_match)want, &out[found]);
            found++;
        }
    }
    return found;
}

bool dnsfail_chain_serves_from_upstream(const struct dnsfail_chain *c, const struct dnsfail_addr *server)
{
    for (uint32_t i = 0; i < c->side_count; i++) {
        if (addr_key_equal(&c->sides[i].server, server))
            return true;
    }
    return false;
}

bool dnsfail_chain_may_explain(const struct dnsfail_chain *c, const struct dnsfail_addr *server, bool failed)
{
    return c->failure_count != 0 && ((failed && c->has_unpaired) || dnsfail_chain_serves_from_upstream(c, server));
}

const char *dnsfail_cause_match_name(enum dnsfail_cause_match m)
{
    switch (m) {
    case DNSFAIL_CAUSE_SAME_QUESTION:
        return "same_question";
    case DNSFAIL_CAUSE_ANCESTOR:
        return "ancestor";
    case DNSFAIL_CAUSE_DURING:
        return "during";
    case DNSFAIL_CAUSE_NONE:
        break;
    }
    return "";
}
