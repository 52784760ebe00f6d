/* totals_filter.h - the arguments of -z dnsfail,tree and -z dnsfail,report, and which
 * tap records a filter keeps.
 *
 * A filtered tree or report is fed every record, and the filter says of each whether it
 * counts (dnsfail_incident_add_kept): the filter is applied to the frame that shows the
 * record, with that frame's dnsfail fields. A timeout is shown on its query's frame; in
 * tshark's single pass it becomes known on a later frame, when the query's frame has
 * gone, so the filter is applied to the timeout's dnsfail fields alone, as its query's
 * frame shows them in a later pass.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_TOTALS_FILTER_H
#define DNSFAIL_TOTALS_FILTER_H

#include <stdbool.h>

#include <epan/packet.h>

#include "dnsfail/tap.h"

/* What follows "dnsfail,tree" or "dnsfail,report" in a -z argument. */
struct totals_args {
    bool json;          /* ",json" (reports only) */
    const char *filter; /* the display filter, pointing into the argument; NULL: none */
};

/* Reads "PREFIX[,FORMAT][,FILTER]" (FORMAT, "text" or "json", only when formats is true).
 * A word that is neither a format nor a filter with a field or an operator ("xml",
 * "csv"), or a filter that does not compile, is an error: the message, with dnsfail's own
 * -z forms, goes to stderr, and false is returned. */
bool totals_args_parse(const char *arg, const char *prefix, bool formats, struct totals_args *out);

struct totals_filter;

/* A compiled filter, and a listener that makes every frame's tree hold the fields it
 * names; NULL (with the reason printed to stderr, after the -z argument) when it does not
 * compile. It lives as long as that listener: Wireshark frees it with its listeners, and
 * totals_filter_free() removes it earlier. */
struct totals_filter *totals_filter_new(const char *zarg, const char *filter);
void totals_filter_free(struct totals_filter *f);
/* The filter as given. */
const char *totals_filter_text(const struct totals_filter *f);

/* Whether the filter keeps this record: NULL keeps everything. */
bool totals_filter_keeps(const struct totals_filter *f, packet_info *pinfo, epan_dissect_t *edt,
                         const struct dnsfail_tap_record *rec);

#endif
