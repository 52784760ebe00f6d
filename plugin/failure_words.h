/* failure_words.h - the words of one failure record, written once for all its outputs
 * (Info note, tree, expert item) and each only when first needed: an IPv6 address costs
 * more to write than the rest of a note.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_FAILURE_WORDS_H
#define DNSFAIL_FAILURE_WORDS_H

#include "dnsfail/addr.h"
#include "dnsfail/reason.h"

#include "failure_record.h"

struct failure_words {
    const struct failure_record *r;
    char subject[DNSFAIL_NAME_TEXT_MAX + 32]; /* "A www.example.com", "TCP connection", ... */
    char server[DNSFAIL_ADDR_TEXT_MAX];
    char client[DNSFAIL_ADDR_TEXT_MAX];
    char reporter[DNSFAIL_ADDR_TEXT_MAX];
    char rcode[16];
    char detail[DNSFAIL_EDE_TEXT_MAX + 64]; /* ", No Reachable Authority: ..." or "" */
    char attempt[32];                       /* " (attempt 2)" or "" */
    char waited[32], timeout[32];           /* late answers: "6.0 s", "5 s" */
    char cause[DNSFAIL_REASON_TEXT_MAX + 32]; /* "; cause: upstream ... (frame 7)" or "" */
    char likely[DNSFAIL_ADDR_TEXT_MAX + 160]; /* the likely cause's words, "" until first used */
    bool later_pass;                        /* links to later frames are known */
};

/* The words every note needs: subject, server, RCODE, EDE detail, a late answer's times. */
void failure_words_init(struct failure_words *w, const struct failure_record *r);
/* The others, written on first use. */
const char *failure_words_client(struct failure_words *w);
const char *failure_words_reporter(struct failure_words *w);
const char *failure_words_attempt(struct failure_words *w);
/* The likely cause in words. With an upstream cause, the words are about the upstream
 * server, so they name it ("upstream 198.51.100.53: server host up, ..."): the resolver
 * that answered the client is not where the analyst should look. */
const char *failure_words_likely(struct failure_words *w);

/* What kind of failure a record is. */
static inline bool failure_is_answer(enum failure_kind kind)
{
    return kind == FAILURE_ERROR_ANSWER || kind == FAILURE_NXDOMAIN;
}

static inline bool failure_is_icmp(enum failure_kind kind)
{
    return kind == FAILURE_ICMP_ERROR || kind == FAILURE_ANSWER_UNDELIVERABLE;
}

/* Timeouts and late answers: nobody reported them, they were seen not to come in time. */
static inline bool failure_is_timing(enum failure_kind kind)
{
    return kind == FAILURE_TIMEOUT || kind == FAILURE_LATE_ANSWER;
}

/* A failed attempt, as the stats tree and the report count them (incident.c): what
 * dnsfail.failed marks. NXDOMAIN, late and undeliverable answers are answers that came. */
static inline bool failure_is_failed_attempt(enum failure_kind kind)
{
    switch (kind) {
    case FAILURE_ERROR_ANSWER:
    case FAILURE_ICMP_ERROR:
    case FAILURE_TIMEOUT:
    case FAILURE_TCP_REFUSED: return true;
    case FAILURE_NXDOMAIN:
    case FAILURE_LATE_ANSWER:
    case FAILURE_ANSWER_UNDELIVERABLE: return false;
    }
    return false;
}

#endif
