/* failure_text.h - the words of a failure that several outputs share: the Info note, the
 * tree, the expert items and the report say a question, a timeout, a late answer, an
 * Extended DNS Error and an attempt number the same way because they all ask here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_FAILURE_TEXT_H
#define DNSFAIL_FAILURE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a failure's subject says when the name is unknown. */
enum dnsfail_unnamed {
    DNSFAIL_UNNAMED_QUERY,          /* "query" */
    DNSFAIL_UNNAMED_NOT_QUOTED,     /* "query (name not quoted)" */
    DNSFAIL_UNNAMED_NOT_IN_ANSWER,  /* "query (no question in the answer)" */
    DNSFAIL_UNNAMED_TCP_CONNECTION, /* "TCP connection": a quoted SYN */
    DNSFAIL_UNNAMED_TCP_SYN,        /* "connection (TCP SYN)": a SYN that timed out */
    DNSFAIL_UNNAMED_NONE,           /* no subject: a refused connection names its server */
};

/* The subject: "A www.example.com", "query www.example.com" (type unknown), or the words
 * of unnamed when the name is unknown. name is escaped like dig prints it. */
void dnsfail_format_subject(bool has_name, bool has_type, uint16_t qtype, const char *name,
                            enum dnsfail_unnamed unnamed, char *buf, size_t size);
/* A timeout's reason: "no answer within 5 s". */
void dnsfail_format_no_answer(int64_t timeout_ns, char *buf, size_t size);
/* A retried query's reason, the client's own wait: "no answer; the client retried after 1.0 s". */
void dnsfail_format_retried(int64_t retried_after_ns, char *buf, size_t size);
/* A late answer's reason: "answer after 6.0 s, past the 5 s timeout". */
void dnsfail_format_late(int64_t waited_ns, int64_t timeout_ns, char *buf, size_t size);
/* An Extended DNS Error after a reason: ", No Reachable Authority: at delegation ..." */
void dnsfail_format_ede_detail(uint16_t code, const char *extra_text, char *buf, size_t size);
/* " (attempt 2)" from the second attempt on; "" for the first or an unknown one. */
void dnsfail_format_attempt(uint32_t attempt, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
