/* answer_log.h - the DNS answers recently sent to clients, so that an ICMP error quoting
 * one (an answer that could not be delivered) names the answer's own frame.
 *
 * An error about an answer follows it within moments: the client's host refuses it on
 * arrival. The log keeps the newest answers only, at most a set number; past that the
 * oldest are forgotten. Only UDP answers are kept: a quoted datagram is identified by its
 * flow, its UDP length and checksum (all an RFC 792 quote holds), and its DNS id when the
 * quote reaches it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_ANSWER_LOG_H
#define DNSFAIL_ANSWER_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnsfail/dns_message.h"
#include "dnsfail/flow.h"
#include "dnsfail/tracker.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One answer as sent: its flow seen from the client, its datagram's fingerprint (the UDP
 * length and checksum, and the checksum computed where the captured one may be partial),
 * its id and its question (NULL when it has none; the log copies the name's bytes only). */
struct dnsfail_answer_obs {
    uint32_t frame;
    int64_t time_ns;
    struct dnsfail_flow flow;
    struct dnsfail_fingerprint fingerprint;
    uint16_t dns_id;
    const struct dnsfail_question *question;
};

/* The answer an error quotes. by: DNSFAIL_MATCH_ID (the quoted id, and the datagram too
 * when it could be compared) or DNSFAIL_MATCH_FINGERPRINT (the quote ends before the id:
 * the UDP length and checksum). */
struct dnsfail_answer_found {
    uint8_t by;                    /* enum dnsfail_match_by */
    uint32_t frame;
    int64_t time_ns;
    uint16_t dns_id;
    bool has_question;
    struct dnsfail_question question;
};

struct dnsfail_answer_log;

/* At most max_answers answers (0: 256); NULL on allocation failure. */
struct dnsfail_answer_log *dnsfail_answer_log_new(uint32_t max_answers);
void dnsfail_answer_log_free(struct dnsfail_answer_log *log);
/* Forgets every answer (a new capture file) and frees the table. */
void dnsfail_answer_log_reset(struct dnsfail_answer_log *log);
/* A new limit; implies a reset. */
void dnsfail_answer_log_configure(struct dnsfail_answer_log *log, uint32_t max_answers);

/* Remembers a UDP answer (others are ignored). */
void dnsfail_answer_log_add(struct dnsfail_answer_log *log, const struct dnsfail_answer_obs *a);

/* The answer an error about an undeliverable answer quotes: e->flow from the client's
 * side, before e->frame and at most DNSFAIL_TRACKER_MATCH_MAX_AGE_NS older. With the
 * quoted id, the newest answer with that id, preferring one whose datagram agrees too;
 * without it, the newest whose UDP length and checksum agree. Never the flow alone: two
 * answers on one flow are told apart or not matched. */
bool dnsfail_answer_log_find(const struct dnsfail_answer_log *log, const struct dnsfail_error_obs *e,
                             struct dnsfail_answer_found *found);

/* Memory held now, in bytes. */
size_t dnsfail_answer_log_bytes(const struct dnsfail_answer_log *log);

#ifdef __cplusplus
}
#endif

#endif
