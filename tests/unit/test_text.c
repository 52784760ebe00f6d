/* test_text.c - building a short text into a fixed buffer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/text.h"

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

int main(void)
{
    RUN_TEST(test_pieces_are_joined);
    RUN_TEST(test_numbers_match_printf);
    RUN_TEST(test_cut_like_snprintf);
    RUN_TEST(test_durations);
    return check_finish();
}
