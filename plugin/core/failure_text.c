/* failure_text.c - the shared words of a failure (failure_text.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/failure_text.h"

#include <stdio.h>

#include "dnsfail/dns_message.h"
#include "dnsfail/reason.h"
#include "dnsfail/text.h"

static const char *const unnamed_words[] = {
    [DNSFAIL_UNNAMED_QUERY] = "query",
    [DNSFAIL_UNNAMED_NOT_QUOTED] = "query (name not quoted)",
    [DNSFAIL_UNNAMED_NOT_IN_ANSWER] = "query (no question in the answer)",
    [DNSFAIL_UNNAMED_TCP_CONNECTION] = "TCP connection",
    [DNSFAIL_UNNAMED_TCP_SYN] = "connection (TCP SYN)",
    [DNSFAIL_UNNAMED_NONE] = "",
};

void dnsfail_format_subject(bool has_name, bool has_type, uint16_t qtype, const char *name,
                            enum dnsfail_unnamed unnamed, char *buf, size_t size)
{
    struct dnsfail_text subject;
    char type[16];

    dnsfail_text_init(&subject, buf, size);
    if (has_name) {
        dnsfail_text_put(&subject, has_type ? dnsfail_dns_type_format(qtype, type, sizeof type) : "query");
        dnsfail_text_put(&subject, " ");
        dnsfail_text_put(&subject, name);
    } else if ((size_t)unnamed < sizeof unnamed_words / sizeof unnamed_words[0]) {
        dnsfail_text_put(&subject, unnamed_words[unnamed]);
    }
}

void dnsfail_format_no_answer(int64_t timeout_ns, char *buf, size_t size)
{
    char secs[32];
    dnsfail_format_timeout(timeout_ns, secs, sizeof secs);
    snprintf(buf, size, "no answer within %s", secs);
}

void dnsfail_format_retried(int64_t retried_after_ns, char *buf, size_t size)
{
    char waited[32];
    dnsfail_format_wait(retried_after_ns, waited, sizeof waited);
    snprintf(buf, size, "no answer; the client retried after %s", waited);
}

void dnsfail_format_late(int64_t waited_ns, int64_t timeout_ns, char *buf, size_t size)
{
    char waited[32], timeout[32];
    dnsfail_format_wait(waited_ns, waited, sizeof waited);
    dnsfail_format_timeout(timeout_ns, timeout, sizeof timeout);
    snprintf(buf, size, "answer after %s, past the %s timeout", waited, timeout);
}

void dnsfail_format_ede_detail(uint16_t code, const char *extra_text, char *buf, size_t size)
{
    const char *ede = dnsfail_ede_name(code);
    snprintf(buf, size, ", %s%s%s", ede ? ede : "Extended DNS Error", extra_text[0] ? ": " : "", extra_text);
}

void dnsfail_format_attempt(uint32_t attempt, char *buf, size_t size)
{
    if (attempt > 1)
        snprintf(buf, size, " (attempt %u)", attempt);
    else if (size)
        buf[0] = '\0';
}
