/* incident_input.h - a tap record as the ledger takes it, cleaned (incident_input.c).
 * Internal to the core.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_INCIDENT_INPUT_H
#define DNSFAIL_INCIDENT_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "dnsfail/tap.h"
#include "incident_tables.h"

/* What the incident keeps of one record, cleaned. */
struct input {
    uint8_t event;
    uint8_t kind;
    int64_t time_ns;
    struct dnsfail_addr client;
    struct endpoint server;
    bool has_question;
    struct dnsfail_question question;
    struct dnsfail_addr reporter;
    bool reporter_is_target;
    uint8_t diagnosis;
    char reason[DNSFAIL_REASON_TEXT_MAX];
    uint8_t reason_kind;           /* enum reason_kind */
    int64_t timeout_ns;            /* TIMEOUT: the timeout in force; 0: unknown */
    int64_t waited_ns;             /* LATE_ANSWER; TIMEOUT: the client's own wait when it retried, else 0 */
    uint32_t frame;
    uint16_t rcode;                /* ERROR_ANSWER */
    /* Version 3: the link to the server's own upstream failures (tap.h), cleaned. */
    bool is_upstream;
    uint32_t cause_count;          /* 0: no cause (and the members below are empty) */
    uint32_t cause_in;
    uint8_t cause_match;           /* enum dnsfail_cause_match */
    uint8_t cause_kind;            /* enum dnsfail_kind, 0 when out of range */
    struct dnsfail_addr cause_server;
    char cause[DNSFAIL_REASON_TEXT_MAX];
    bool kept;                     /* counted: the report's filter keeps its frame (always
                                    * without a filter); every record shapes the resolutions */
};

/* Fills *in from rec: addresses of a known family only, names within bounds, strings
 * terminated, the diagnosis in range, and the reporter and reason a kind implies. */
void incident_clean_record(struct input *in, const struct dnsfail_tap_record *rec);

/* An address with its family's bytes only (the rest zero); an unknown family is empty. */
void incident_clean_addr(struct dnsfail_addr *out, const struct dnsfail_addr *in);

#endif
