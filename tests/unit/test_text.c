/* test_text.c - building a short text into a fixed buffer; durations worded, and read back.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/text.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static void test_pieces_are_joined(void)
{
    char buf[64];
    struct dnsfail_text t;
    dnsfail_text_init(&t, buf, sizeof buf);
    CHECK_STR_EQ(buf, "");
    dnsfail_text_put(&t, "udp port ");
    dnsfail_text_put_uint(&t, 53);
    dnsfail_text_put(&t, " unreachable");
    CHECK_STR_EQ(buf, "udp port 53 unreachable");
    CHECK_EQ_INT(t.len, strlen(buf));
}

static void test_numbers_match_printf(void)
{
    const unsigned long values[] = {0, 1, 9, 10, 99, 100, 65535, 4294967295ul};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char got[32], want[32];
        struct dnsfail_text t;
        dnsfail_text_init(&t, got, sizeof got);
        dnsfail_text_put_uint(&t, values[i]);
        snprintf(want, sizeof want, "%lu", values[i]);
        CHECK_STR_EQ(got, want);
    }
}

/* Cut as snprintf cuts: every size from 0 to past the whole text. */
static void test_cut_like_snprintf(void)
{
    for (size_t size = 0; size <= 30; size++) {
        char got[32], want[32];
        memset(got, '#', sizeof got);
        memset(want, '#', sizeof want);
        struct dnsfail_text t;
        dnsfail_text_init(&t, got, size);
        dnsfail_text_put(&t, "host ");
        dnsfail_text_put_uint(&t, 12345);
        dnsfail_text_put(&t, " unreachable");
        snprintf(want, size, "host %u unreachable", 12345u);
        CHECK(memcmp(got, want, sizeof got) == 0);
        CHECK_EQ_INT(t.len, size ? strlen(got) : 0);
    }
}

/* Durations, as every reason, note and expert item words them. */
static void test_durations(void)
{
    static const struct {
        int64_t ns;
        const char *timeout, *wait;
    } cases[] = {
        {INT64_C(5000000000), "5 s", "5.0 s"},
        {INT64_C(1500000000), "1.5 s", "1.5 s"},
        {INT64_C(2599999999), "2.599 s", "2.5 s"}, /* truncated, not rounded */
        {INT64_C(6012345678), "6.012 s", "6.0 s"},
        {INT64_C(999999), "0 s", "0.0 s"},
        {0, "0 s", "0.0 s"},
        {INT64_C(-3000000000), "-3 s", "0.0 s"},   /* a wait is never negative */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[32];
        dnsfail_format_timeout(cases[i].ns, got, sizeof got);
        CHECK_STR_EQ(got, cases[i].timeout);
        dnsfail_format_wait(cases[i].ns, got, sizeof got);
        CHECK_STR_EQ(got, cases[i].wait);
    }
    char small[4];
    dnsfail_format_wait(INT64_C(12000000000), small, sizeof small);
    CHECK_STR_EQ(small, "12."); /* cut, and terminated */
}

/* ---- seconds as typed (the timeout preference) ---- */

#define MAX_S UINT32_C(4294967295)

struct good {
    const char *text;
    int64_t ns;
};

static void test_whole_and_fractional_seconds(void)
{
    static const struct good cases[] = {
        {"5", INT64_C(5000000000)},
        {"1", INT64_C(1000000000)},
        {"2.5", INT64_C(2500000000)},
        {"2.3", INT64_C(2300000000)}, /* exactly: no binary double in between */
        {"0.25", INT64_C(250000000)},
        {"0.001", INT64_C(1000000)},
        {".5", INT64_C(500000000)},
        {"5.", INT64_C(5000000000)},
        {"10.000", INT64_C(10000000000)},
        {" 3 ", INT64_C(3000000000)},
        {"007", INT64_C(7000000000)},
        {"4294967295", INT64_C(4294967295000000000)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t ns = -1;
        CHECK_EQ_INT(dnsfail_parse_seconds(cases[i].text, MAX_S, &ns), DNSFAIL_SECONDS_OK);
        CHECK_EQ_INT(ns, cases[i].ns);
    }
}

struct bad {
    const char *text;
    uint32_t max_s;
    enum dnsfail_seconds_status status;
};

static void test_bad_values_refused(void)
{
    static const struct bad cases[] = {
        {"", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"  ", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {".", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"abc", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"-1", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"+1", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"1e3", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"2,5", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"2.5.1", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"5 s", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"0x10", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"2.3456x", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"2.3456", MAX_S, DNSFAIL_SECONDS_TOO_PRECISE},
        {"2.5000", MAX_S, DNSFAIL_SECONDS_TOO_PRECISE},
        {"0", MAX_S, DNSFAIL_SECONDS_ZERO},
        {"0.000", MAX_S, DNSFAIL_SECONDS_ZERO},
        {"4294967296", MAX_S, DNSFAIL_SECONDS_TOO_LARGE},
        {"4294967295.5", MAX_S, DNSFAIL_SECONDS_TOO_LARGE},
        {"99999999999999999999999", MAX_S, DNSFAIL_SECONDS_TOO_LARGE},
        {"61", 60, DNSFAIL_SECONDS_TOO_LARGE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t ns = 42;
        CHECK_EQ_INT(dnsfail_parse_seconds(cases[i].text, cases[i].max_s, &ns), cases[i].status);
        CHECK_EQ_INT(ns, 42); /* untouched */
        CHECK(dnsfail_seconds_status_text(cases[i].status)[0] != '\0');
    }
    int64_t ns = 42;
    CHECK_EQ_INT(dnsfail_parse_seconds(NULL, MAX_S, &ns), DNSFAIL_SECONDS_NOT_A_NUMBER);
    CHECK_EQ_INT(ns, 42);
}

int main(void)
{
    RUN_TEST(test_pieces_are_joined);
    RUN_TEST(test_numbers_match_printf);
    RUN_TEST(test_cut_like_snprintf);
    RUN_TEST(test_durations);
    RUN_TEST(test_whole_and_fractional_seconds);
    RUN_TEST(test_bad_values_refused);
    return check_finish();
}
