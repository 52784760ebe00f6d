/* test_failure_text.c - the words every output of a failure shares.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/failure_text.h"

#include <stdint.h>

#include "check.h"

static void test_subject(void)
{
    static const struct {
        bool has_name, has_type;
        uint16_t qtype;
        const char *name;
        enum dnsfail_unnamed unnamed;
        const char *want;
    } cases[] = {
        {true, true, 1, "www.example.com", DNSFAIL_UNNAMED_QUERY, "A www.example.com"},
        {true, true, 28, "v6.example", DNSFAIL_UNNAMED_QUERY, "AAAA v6.example"},
        {true, true, 65000, "x.example", DNSFAIL_UNNAMED_QUERY, "TYPE65000 x.example"},
        {true, false, 0, "cut.example", DNSFAIL_UNNAMED_NOT_QUOTED, "query cut.example"},
        {false, true, 1, "", DNSFAIL_UNNAMED_NOT_QUOTED, "query (name not quoted)"},
        {false, false, 0, "", DNSFAIL_UNNAMED_NOT_IN_ANSWER, "query (no question in the answer)"},
        {false, false, 0, "", DNSFAIL_UNNAMED_TCP_CONNECTION, "TCP connection"},
        {false, false, 0, "", DNSFAIL_UNNAMED_TCP_SYN, "connection (TCP SYN)"},
        {false, false, 0, "", DNSFAIL_UNNAMED_NONE, ""},
        {false, false, 0, "", (enum dnsfail_unnamed)99, ""}, /* out of range: no words, no read past the table */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[64] = "stale";
        dnsfail_format_subject(cases[i].has_name, cases[i].has_type, cases[i].qtype, cases[i].name,
                               cases[i].unnamed, got, sizeof got);
        CHECK_STR_EQ(got, cases[i].want);
    }
    char small[6];
    dnsfail_format_subject(true, true, 1, "www.example.com", DNSFAIL_UNNAMED_QUERY, small, sizeof small);
    CHECK_STR_EQ(small, "A www"); /* cut, and terminated */
}

/* A timeout and a late answer, worded with the durations of text.h. */
static void test_timing_reasons(void)
{
    char got[64];
    dnsfail_format_no_answer(INT64_C(5000000000), got, sizeof got);
    CHECK_STR_EQ(got, "no answer within 5 s");
    dnsfail_format_no_answer(INT64_C(2500000000), got, sizeof got);
    CHECK_STR_EQ(got, "no answer within 2.5 s");
    dnsfail_format_late(INT64_C(6012345678), INT64_C(5000000000), got, sizeof got);
    CHECK_STR_EQ(got, "answer after 6.0 s, past the 5 s timeout");
    dnsfail_format_retried(INT64_C(1001372000), got, sizeof got);
    CHECK_STR_EQ(got, "no answer; the client retried after 1.0 s");
    dnsfail_format_retried(INT64_C(2999000000), got, sizeof got);
    CHECK_STR_EQ(got, "no answer; the client retried after 2.9 s");
}

static void test_ede_detail(void)
{
    char got[96];
    dnsfail_format_ede_detail(22, "at delegation example.", got, sizeof got);
    CHECK_STR_EQ(got, ", No Reachable Authority: at delegation example.");
    dnsfail_format_ede_detail(22, "", got, sizeof got);
    CHECK_STR_EQ(got, ", No Reachable Authority");
    dnsfail_format_ede_detail(60000, "", got, sizeof got);
    CHECK_STR_EQ(got, ", Extended DNS Error");
}

static void test_attempt(void)
{
    char got[32] = "stale";
    dnsfail_format_attempt(0, got, sizeof got);
    CHECK_STR_EQ(got, "");
    dnsfail_format_attempt(1, got, sizeof got);
    CHECK_STR_EQ(got, "");
    dnsfail_format_attempt(2, got, sizeof got);
    CHECK_STR_EQ(got, " (attempt 2)");
}

int main(void)
{
    RUN_TEST(test_subject);
    RUN_TEST(test_timing_reasons);
    RUN_TEST(test_ede_detail);
    RUN_TEST(test_attempt);
    return check_finish();
}
