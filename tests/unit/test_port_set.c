/* test_port_set.c - the DNS port bitmap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/port_set.h"

#include <string.h>

#include "check.h"

static unsigned count_ports(const struct dnsfail_port_set *set)
{
    unsigned n = 0;
    for (uint32_t port = 0; port <= 65535u; port++)
        n += dnsfail_port_set_has(set, (uint16_t)port) ? 1u : 0u;
    return n;
}

static void test_clear_leaves_no_port(void)
{
    struct dnsfail_port_set set;
    memset(&set, 0xff, sizeof set);
    dnsfail_port_set_clear(&set);
    CHECK_EQ_INT(count_ports(&set), 0);
}

static void test_single_port_range_adds_only_that_port(void)
{
    struct dnsfail_port_set set;
    dnsfail_port_set_clear(&set);
    dnsfail_port_set_add_range(&set, 53, 53);
    CHECK(dnsfail_port_set_has(&set, 53));
    CHECK(!dnsfail_port_set_has(&set, 52));
    CHECK(!dnsfail_port_set_has(&set, 54));
    CHECK_EQ_INT(count_ports(&set), 1);
}

static void test_range_is_inclusive_at_both_ends(void)
{
    struct dnsfail_port_set set;
    dnsfail_port_set_clear(&set);
    dnsfail_port_set_add_range(&set, 5353, 5355);
    CHECK(!dnsfail_port_set_has(&set, 5352));
    CHECK(dnsfail_port_set_has(&set, 5353));
    CHECK(dnsfail_port_set_has(&set, 5354));
    CHECK(dnsfail_port_set_has(&set, 5355));
    CHECK(!dnsfail_port_set_has(&set, 5356));
    CHECK_EQ_INT(count_ports(&set), 3);
}

static void test_range_across_bitmap_words(void)
{
    struct dnsfail_port_set set;
    dnsfail_port_set_clear(&set);
    dnsfail_port_set_add_range(&set, 60, 200);
    CHECK(!dnsfail_port_set_has(&set, 59));
    CHECK(dnsfail_port_set_has(&set, 63));
    CHECK(dnsfail_port_set_has(&set, 64));
    CHECK(dnsfail_port_set_has(&set, 127));
    CHECK(dnsfail_port_set_has(&set, 128));
    CHECK(!dnsfail_port_set_has(&set, 201));
    CHECK_EQ_INT(count_ports(&set), 141);
}

static void test_reversed_range_adds_nothing(void)
{
    struct dnsfail_port_set set;
    dnsfail_port_set_clear(&set);
    dnsfail_port_set_add_range(&set, 100, 90);
    CHECK_EQ_INT(count_ports(&set), 0);
    dnsfail_port_set_add_range(&set, 65535, 0);
    CHECK_EQ_INT(count_ports(&set), 0);
}

static void test_port_zero_and_65535(void)
{
    struct dnsfail_port_set set;
    dnsfail_port_set_clear(&set);
    dnsfail_port_set_add_range(&set, 0, 0);
    dnsfail_port_set_add_range(&set, 65535, 65535);
    CHECK(dnsfail_port_set_has(&set, 0));
    CHECK(dnsfail_port_set_has(&set, 65535));
    CHECK(!dnsfail_port_set_has(&set, 1));
    CHECK(!dnsfail_port_set_has(&set, 65534));
    CHECK_EQ_INT(count_ports(&set), 2);
}

static void test_full_range_ends_and_covers_everything(void)
{
    struct dnsfail_port_set set;
    dnsfail_port_set_clear(&set);
    dnsfail_port_set_add_range(&set, 0, 65535); /* must terminate: 65535 + 1 wraps in 16 bits */
    CHECK_EQ_INT(count_ports(&set), 65536);
}

static void test_ranges_accumulate_and_clear_empties(void)
{
    struct dnsfail_port_set set;
    dnsfail_port_set_clear(&set);
    dnsfail_port_set_add_range(&set, 53, 53);
    dnsfail_port_set_add_range(&set, 5353, 5353);
    dnsfail_port_set_add_range(&set, 50, 55);
    CHECK_EQ_INT(count_ports(&set), 7);
    dnsfail_port_set_clear(&set);
    CHECK(!dnsfail_port_set_has(&set, 53));
    CHECK_EQ_INT(count_ports(&set), 0);
}

int main(void)
{
    RUN_TEST(test_clear_leaves_no_port);
    RUN_TEST(test_single_port_range_adds_only_that_port);
    RUN_TEST(test_range_is_inclusive_at_both_ends);
    RUN_TEST(test_range_across_bitmap_words);
    RUN_TEST(test_reversed_range_adds_nothing);
    RUN_TEST(test_port_zero_and_65535);
    RUN_TEST(test_full_range_ends_and_covers_everything);
    RUN_TEST(test_ranges_accumulate_and_clear_empties);
    return check_finish();
}
