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

int main(void)
{
    RUN_TEST(test_pieces_are_joined);
    RUN_TEST(test_numbers_match_printf);
    RUN_TEST(test_cut_like_snprintf);
    return check_finish();
}
