/* tap.c - the names of the tap record's kinds (tap.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/tap.h"

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
