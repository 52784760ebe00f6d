/* totals_filter.c - the arguments of -z dnsfail,tree and -z dnsfail,report, and which tap
 * records a filter keeps (totals_filter.h).
 *
 * Wireshark applies a tap listener's filter itself and calls the listener only for the
 * frames it matches, which loses what a count needs from the others: the answer from
 * another server that recovered a resolution, the retries that make one resolution of
 * several failures, a timeout that single pass queues on a later frame. So the tree and
 * the report listen without a filter, and ask here of each record. A second listener,
 * with the filter and nothing to do, makes Wireshark keep the fields the filter names in
 * every frame's tree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "totals_filter.h"

#include <stdio.h>
#include <string.h>

#include <epan/dfilter/dfilter.h>
#include <epan/epan_dissect.h>
#include <epan/tap.h>

#include "dnsfail_compat.h"
#include "timeout.h"

struct totals_filter {
    char *text;
    dfilter_t *code;
};

static void print_forms(void)
{
    fputs("dnsfail's -z forms:\n"
          "  -z dnsfail,tree[,FILTER]           the totals as a stats tree\n"
          "  -z dnsfail,report[,FILTER]         the incident report as text\n"
          "  -z dnsfail,report,json[,FILTER]    the incident report as JSON\n"
          "FILTER is a display filter, e.g. \"dnsfail.server == 203.0.113.5\"; a protocol alone goes in\n"
          "parentheses: \"(dns)\". See man dnsfail.\n",
          stderr);
}

/* A word with no field and no operator: a format mistyped or unknown, not a filter
 * anyone means ("xml" is a protocol, and as a filter would keep nothing). */
static bool bare_word(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        if (!g_ascii_isalnum(*s) && *s != '_' && *s != '-')
            return false;
    }
    return true;
}

static bool word_is(const char *s, const char *word, const char **rest)
{
    size_t n = strlen(word);
    if (strncmp(s, word, n) != 0 || (s[n] != '\0' && s[n] != ','))
        return false;
    *rest = s[n] ? s + n + 1 : s + n;
    return true;
}

bool totals_args_parse(const char *arg, const char *prefix, bool formats, struct totals_args *out)
{
    const char *s = arg + strlen(prefix);

    memset(out, 0, sizeof *out);
    if (*s == '\0')
        return true;
    if (*s != ',') {
        fprintf(stderr, "tshark: -z %s: unknown form (not %s followed by a comma).\n", arg, prefix);
        print_forms();
        return false;
    }
    s++;
    if (formats && !word_is(s, "text", &s) && word_is(s, "json", &s))
        out->json = true;
    if (*s == '\0')
        return true;
    if (bare_word(s)) {
        if (formats)
            fprintf(stderr, "tshark: -z %s: \"%s\" is not a report format (text or json); to filter on a protocol alone, write \"(%s)\".\n", arg, s, s);
        else
            fprintf(stderr, "tshark: -z %s: \"%s\" is not taken for a filter (a mistyped option?); to filter on a protocol alone, write \"(%s)\".\n", arg, s, s);
        print_forms();
        return false;
    }
    out->filter = s;
    return true;
}

/* The listener that keeps the filter's fields in the trees: it counts nothing. */
static tap_packet_status prime_packet(void *data _U_, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                      const void *record _U_, tap_flags_t flags _U_)
{
    return TAP_PACKET_DONT_REDRAW;
}

static void filter_destroy(struct totals_filter *f)
{
    if (f->code)
        dfilter_free(f->code);
    g_free(f->text);
    g_free(f);
}

/* Wireshark frees its listeners (at exit, or when a GUI window closes): the filter goes
 * with its listener. */
static void prime_finish(void *data)
{
    filter_destroy(data);
}

struct totals_filter *totals_filter_new(const char *zarg, const char *filter)
{
    struct totals_filter *f = g_new0(struct totals_filter, 1);
    char *error = NULL;

    f->text = g_strdup(filter);
    if (!dnsfail_dfilter_compile(filter, &f->code, &error)) {
        fprintf(stderr, "tshark: -z %s: the filter does not compile: %s\n", zarg,
                error ? error : "invalid filter");
        print_forms();
        g_free(error);
        filter_destroy(f);
        return NULL;
    }
    GString *reg = register_tap_listener(DNSFAIL_TAP_NAME, f, filter, TL_REQUIRES_NOTHING, NULL, prime_packet,
                                         NULL, prime_finish);
    if (reg) {
        fprintf(stderr, "tshark: -z %s: %s\n", zarg, reg->str);
        print_forms();
        g_string_free(reg, TRUE);
        filter_destroy(f);
        return NULL;
    }
    return f;
}

void totals_filter_free(struct totals_filter *f)
{
    if (f)
        remove_tap_listener(f); /* its finish frees f */
}

const char *totals_filter_text(const struct totals_filter *f)
{
    return f ? f->text : NULL;
}

/* A timeout single pass found on a later frame: the filter sees the timeout's dnsfail
 * fields as its query's frame shows them in a later pass, in a tree of their own. */
static bool keeps_timeout_alone(const struct totals_filter *f, epan_t *session, const struct dnsfail_tap_record *rec)
{
    epan_dissect_t *shown = epan_dissect_new(session, TRUE, FALSE);
    epan_dissect_prime_with_dfilter(shown, f->code);
    shown->pi.num = rec->frame;
    timeout_show_tap_record(&shown->pi, shown->tree, rec);
    bool keep = dfilter_apply_edt(f->code, shown);
    epan_dissect_free(shown);
    return keep;
}

bool totals_filter_keeps(const struct totals_filter *f, packet_info *pinfo, epan_dissect_t *edt,
                         const struct dnsfail_tap_record *rec)
{
    if (!f)
        return true;
    if (!edt)
        return false;
    bool elsewhere = rec->event == DNSFAIL_TAP_FAILURE && rec->kind == DNSFAIL_KIND_TIMEOUT && rec->frame != pinfo->num;
    if (elsewhere)
        return keeps_timeout_alone(f, edt->session, rec);
    return dfilter_apply_edt(f->code, edt);
}

bool totals_filter_keeps_alone(const struct totals_filter *f, epan_t *session, const struct dnsfail_tap_record *rec)
{
    if (!f)
        return true;
    if (!session || rec->event != DNSFAIL_TAP_FAILURE || rec->kind != DNSFAIL_KIND_TIMEOUT)
        return false;
    return keeps_timeout_alone(f, session, rec);
}
