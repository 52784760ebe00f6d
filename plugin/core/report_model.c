/* report_model.c - what the report computes from the ledger's tables: the servers in
 * display order, each with its clients and questions, its reasons in order, and the
 * diagnoses with the servers they apply to.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* Clients in address order: by family, then by the address bytes. */
static int addr_cmp(const struct dnsfail_addr *a, const struct dnsfail_addr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return memcmp(a->bytes, b->bytes, sizeof a->bytes);
}

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
    return cmp_pair_by_question(&(struct pair){a->res, 0, 0, 0}, &(struct pair){b->res, 0, 0, 0});
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

void report_model_free(struct model *m)
{
    free(m->servers);
    free(m->pairs);
    free(m->scratch);
    free(m->groups);
    memset(m, 0, sizeof *m);
}

bool report_model_build(struct model *m, const struct dnsfail_incident *inc)
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
        report_model_free(m);
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
            m->pairs[m->npairs++] =
                (struct pair){r, r->servers[i].stat, r->servers[i].attempts, r->servers[i].waiting};
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
        report_addr_text(&v->st->ep.addr, v->addr, sizeof v->addr);
        v->pairs_begin = begin[s];
        v->pairs_end = end[s];
    }
    free(begin);
    free(end);
    if (m->nservers > 1)
        qsort(m->servers, m->nservers, sizeof *m->servers, cmp_server_view);
    return true;
}

size_t report_view_client_count(const struct model *m, const struct server_view *v)
{
    size_t n = 0;
    for (size_t i = v->pairs_begin; i < v->pairs_end; i++) {
        if (i == v->pairs_begin || addr_cmp(&m->pairs[i - 1].res->client, &m->pairs[i].res->client) != 0)
            n++;
    }
    return n;
}

/* The server's next distinct client, in address order (*cursor starts at 0); NULL at the end. */
const struct dnsfail_addr *report_view_client(const struct model *m, const struct server_view *v, size_t *cursor)
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
size_t report_view_queries(struct model *m, const struct server_view *v)
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
            m->groups[ngroups++] = (struct query_group){r, 0, 0};
        m->groups[ngroups - 1].attempts += m->scratch[i].attempts;
        m->groups[ngroups - 1].waiting += m->scratch[i].waiting;
    }
    if (ngroups > 1)
        qsort(m->groups, ngroups, sizeof *m->groups, cmp_group);
    return ngroups;
}

/* The failed attempts of one kind of reason that the server's listed reasons account for. */
uint64_t report_listed_reason_failures(const struct server_stat *st, uint8_t kind)
{
    uint64_t n = 0;
    for (uint8_t i = 0; i < st->nreasons && i < MAX_REASONS_PER_SERVER; i++) {
        if (st->reasons[i].kind == kind)
            n += st->reasons[i].count;
    }
    return n;
}

/* The server's listed reasons by the time of their first failure (then as kept): the same
 * in single pass, where timeouts come late, and in two-pass. Returns how many. */
uint8_t report_reason_order(const struct server_stat *st, uint8_t idx[MAX_REASONS_PER_SERVER])
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
size_t report_model_diagnoses(const struct model *m, uint8_t out[DNSFAIL_DIAG_COUNT])
{
    bool seen[DNSFAIL_DIAG_COUNT] = {false};
    size_t n = 0;
    for (size_t s = 0; s < m->nservers; s++) {
        const struct server_stat *st = m->servers[s].st;
        uint8_t idx[MAX_REASONS_PER_SERVER];
        uint8_t nr = report_reason_order(st, idx);
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

/* Whether a server's failures have diagnosis d, and the address the remedy is for: the
 * server's own, or, when every failure of it with d was explained by an upstream failure,
 * that upstream's (the resolver answered; its upstream is where to look). */
static bool server_diagnosis_addr(const struct server_stat *st, uint8_t d, struct dnsfail_addr *out)
{
    const struct dnsfail_addr *upstream = NULL;
    if (d == DNSFAIL_DIAG_LATE_ANSWER && st->late_answers) {
        *out = st->ep.addr;
        return true;
    }
    if (st->diagnosis == d) {
        if (!st->diagnosis_upstream) {
            *out = st->ep.addr;
            return true;
        }
        upstream = &st->upstream;
    }
    for (uint8_t i = 0; i < st->nreasons && i < MAX_REASONS_PER_SERVER; i++) {
        const struct reason_count *rc = &st->reasons[i];
        if (rc->diagnosis != d)
            continue;
        if (!rc->diagnosis_upstream) {
            *out = st->ep.addr;
            return true;
        }
        if (!upstream)
            upstream = &rc->upstream;
    }
    if (!upstream)
        return false;
    *out = *upstream;
    return true;
}

/* The addresses a diagnosis applies to, without repeats (one address may have several
 * ports, and a resolver's remedy is its upstream's): calls emit(ctx, text) for each. */
void report_for_each_diagnosis_server(const struct model *m, uint8_t d, void (*emit)(void *, const char *),
                                      void *ctx)
{
    struct dnsfail_addr a, b;
    for (size_t s = 0; s < m->nservers; s++) {
        if (!server_diagnosis_addr(m->servers[s].st, d, &a))
            continue;
        bool repeat = false;
        for (size_t t = 0; t < s && !repeat; t++)
            repeat = server_diagnosis_addr(m->servers[t].st, d, &b) && dnsfail_addr_equal(&a, &b);
        if (!repeat) {
            char text[DNSFAIL_ADDR_TEXT_MAX];
            report_addr_text(&a, text, sizeof text);
            emit(ctx, text);
        }
    }
    for (uint32_t i = 0; i < m->inc->nundeliverable && i < MAX_UNDELIVERABLE; i++) {
        const struct undeliverable *u = &m->inc->undeliverable[i];
        if (u->diagnosis != d)
            continue;
        bool repeat = false;
        for (size_t s = 0; s < m->nservers && !repeat; s++)
            repeat = server_diagnosis_addr(m->servers[s].st, d, &b) && dnsfail_addr_equal(&b, &u->server.addr);
        for (uint32_t j = 0; j < i && !repeat; j++)
            repeat = m->inc->undeliverable[j].diagnosis == d &&
                     dnsfail_addr_equal(&m->inc->undeliverable[j].server.addr, &u->server.addr);
        if (!repeat) {
            char text[DNSFAIL_ADDR_TEXT_MAX];
            report_addr_text(&u->server.addr, text, sizeof text);
            emit(ctx, text);
        }
    }
}

struct service *report_sorted_services(const struct dnsfail_incident *inc, uint32_t *n)
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

uint32_t report_root_cause_order(const struct dnsfail_incident *inc, uint32_t idx[MAX_ROOT_CAUSES])
{
    uint32_t n = inc->nroot_causes < MAX_ROOT_CAUSES ? inc->nroot_causes : MAX_ROOT_CAUSES;
    for (uint32_t i = 0; i < n; i++) {
        const struct root_cause *rc = &inc->root_causes[i];
        uint32_t j = i;
        while (j > 0) {
            const struct root_cause *prev = &inc->root_causes[idx[j - 1]];
            bool later = prev->first_ns > rc->first_ns ||
                         (prev->first_ns == rc->first_ns && prev->first_frame > rc->first_frame);
            if (!later)
                break;
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    return n;
}
