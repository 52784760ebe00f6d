/* failure_words.c - one record's words (failure_words.h), from the core's wording
 * (dnsfail/failure_text.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "failure_words.h"

#include <stdio.h>

#include "dnsfail/failure_text.h"
#include "dnsfail/text.h"

void failure_words_init(struct failure_words *w, const struct failure_record *r)
{
    w->r = r;
    w->client[0] = w->reporter[0] = w->rcode[0] = w->detail[0] = w->attempt[0] = '\0';
    dnsfail_format_subject(r->has_name, r->has_type, r->qtype, r->name, r->unnamed, w->subject, sizeof w->subject);
    dnsfail_addr_format(&r->flow.server, w->server, sizeof w->server);
    if (failure_is_answer(r->kind) || r->kind == FAILURE_LATE_ANSWER)
        dnsfail_rcode_format(r->rcode, w->rcode, sizeof w->rcode);
    if (r->has_ede)
        dnsfail_format_ede_detail(r->ede_code, r->ede_text, w->detail, sizeof w->detail);
    w->cause[0] = w->likely[0] = '\0';
    w->later_pass = false;
    const struct chain_links *c = failure_record_causes(r);
    if (c)
        snprintf(w->cause, sizeof w->cause, "; cause: %s (frame %u)", c->causes[0].text, c->causes[0].frame);
    if (r->kind == FAILURE_LATE_ANSWER) {
        dnsfail_format_wait(r->waited_ns, w->waited, sizeof w->waited);
        dnsfail_format_timeout(r->timeout_ns, w->timeout, sizeof w->timeout);
    }
}

const char *failure_words_likely(struct failure_words *w)
{
    if (w->likely[0])
        return w->likely;
    const char *text = dnsfail_diagnosis_text(failure_record_diagnosis(w->r));
    const struct chain_links *c = failure_record_causes(w->r);
    if (c) {
        char upstream[DNSFAIL_ADDR_TEXT_MAX];
        dnsfail_addr_format(&c->causes[0].server, upstream, sizeof upstream);
        snprintf(w->likely, sizeof w->likely, "upstream %s: %s", upstream, text);
    } else {
        snprintf(w->likely, sizeof w->likely, "%s", text);
    }
    return w->likely;
}

const char *failure_words_client(struct failure_words *w)
{
    if (!w->client[0])
        dnsfail_addr_format(&w->r->flow.client, w->client, sizeof w->client);
    return w->client;
}

const char *failure_words_reporter(struct failure_words *w)
{
    if (!w->reporter[0])
        dnsfail_addr_format(&w->r->reporter, w->reporter, sizeof w->reporter);
    return w->reporter;
}

const char *failure_words_attempt(struct failure_words *w)
{
    if (!w->attempt[0])
        dnsfail_format_attempt(w->r->link.attempt, w->attempt, sizeof w->attempt);
    return w->attempt;
}
