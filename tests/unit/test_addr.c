/* test_addr.c - dnsfail_addr: setting, comparing, formatting.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/addr.h"

#include <arpa/inet.h>
#include <string.h>

#include "check.h"
#include "packet_builder.h"

static void test_set_ipv4_keeps_four_bytes_and_zeroes_the_rest(void)
{
    struct dnsfail_addr a;
    memset(&a, 0xAA, sizeof a);
    dnsfail_addr_set_ipv4(&a, PB_V4_SERVER);
    CHECK_EQ_INT(a.family, DNSFAIL_AF_IPV4);
    CHECK_EQ_INT(dnsfail_addr_len(&a), 4);
    CHECK(memcmp(a.bytes, PB_V4_SERVER, 4) == 0);
    for (size_t i = 4; i < sizeof a.bytes; i++)
        CHECK_EQ_INT(a.bytes[i], 0);
}

static void test_set_ipv6_keeps_sixteen_bytes(void)
{
    struct dnsfail_addr a;
    dnsfail_addr_set_ipv6(&a, PB_V6_SERVER);
    CHECK_EQ_INT(a.family, DNSFAIL_AF_IPV6);
    CHECK_EQ_INT(dnsfail_addr_len(&a), 16);
    CHECK(memcmp(a.bytes, PB_V6_SERVER, 16) == 0);
}

static void test_empty_address_has_no_length_and_prints_empty(void)
{
    struct dnsfail_addr a;
    char buf[DNSFAIL_ADDR_TEXT_MAX];
    memset(&a, 0, sizeof a);
    memcpy(buf, "junk", 5);
    CHECK_EQ_INT(dnsfail_addr_len(&a), 0);
    CHECK(dnsfail_addr_format(&a, buf, sizeof buf) == buf);
    CHECK_STR_EQ(buf, "");
}

static void test_equal_same_address(void)
{
    struct dnsfail_addr a, b;
    dnsfail_addr_set_ipv4(&a, PB_V4_SERVER);
    dnsfail_addr_set_ipv4(&b, PB_V4_SERVER);
    CHECK(dnsfail_addr_equal(&a, &b));
    dnsfail_addr_set_ipv6(&a, PB_V6_SERVER);
    dnsfail_addr_set_ipv6(&b, PB_V6_SERVER);
    CHECK(dnsfail_addr_equal(&a, &b));
}

static void test_equal_differs_on_one_byte(void)
{
    struct dnsfail_addr a, b;
    dnsfail_addr_set_ipv4(&a, PB_V4_SERVER);
    dnsfail_addr_set_ipv4(&b, PB_V4_OTHER);
    CHECK(!dnsfail_addr_equal(&a, &b));
    dnsfail_addr_set_ipv6(&a, PB_V6_SERVER);
    dnsfail_addr_set_ipv6(&b, PB_V6_CLIENT);
    CHECK(!dnsfail_addr_equal(&a, &b));
}

static void test_equal_differs_on_family_with_same_leading_bytes(void)
{
    uint8_t v6[16] = {203, 0, 113, 9};
    struct dnsfail_addr a, b;
    dnsfail_addr_set_ipv4(&a, PB_V4_SERVER);
    dnsfail_addr_set_ipv6(&b, v6);
    CHECK(!dnsfail_addr_equal(&a, &b));
    CHECK(!dnsfail_addr_equal(&b, &a));
}

static void test_format_ipv4_dotted_quad(void)
{
    struct dnsfail_addr a;
    char buf[DNSFAIL_ADDR_TEXT_MAX];
    dnsfail_addr_set_ipv4(&a, PB_V4_SERVER);
    CHECK_STR_EQ(dnsfail_addr_format(&a, buf, sizeof buf), "203.0.113.9");
}

/* The hand-written dotted quad agrees with inet_ntop for every value of every octet. */
static void test_format_ipv4_matches_inet_ntop(void)
{
    static const uint8_t fill[] = {0, 9, 10, 99, 100, 199, 255};
    char ours[DNSFAIL_ADDR_TEXT_MAX], theirs[INET_ADDRSTRLEN];
    struct dnsfail_addr a;
    for (unsigned pos = 0; pos < 4; pos++) {
        for (unsigned v = 0; v < 256; v++) {
            uint8_t b[4] = {fill[v % 7], fill[(v + 3) % 7], fill[(v + 5) % 7], fill[(v + 1) % 7]};
            b[pos] = (uint8_t)v;
            dnsfail_addr_set_ipv4(&a, b);
            inet_ntop(AF_INET, b, theirs, sizeof theirs);
            CHECK_STR_EQ(dnsfail_addr_format(&a, ours, sizeof ours), theirs);
        }
    }
    /* A short buffer gets a cut, terminated prefix. */
    uint8_t wide[4] = {255, 255, 255, 255};
    dnsfail_addr_set_ipv4(&a, wide);
    CHECK_STR_EQ(dnsfail_addr_format(&a, ours, 6), "255.2");
}

static void test_format_ipv6_compresses_zeros(void)
{
    struct dnsfail_addr a;
    char buf[DNSFAIL_ADDR_TEXT_MAX];
    dnsfail_addr_set_ipv6(&a, PB_V6_SERVER);
    CHECK_STR_EQ(dnsfail_addr_format(&a, buf, sizeof buf), "2001:db8::9");
}

static void test_format_ipv6_without_zeros_and_all_ones(void)
{
    const uint8_t full[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6};
    uint8_t ones[16];
    struct dnsfail_addr a;
    char buf[DNSFAIL_ADDR_TEXT_MAX];

    dnsfail_addr_set_ipv6(&a, full);
    CHECK_STR_EQ(dnsfail_addr_format(&a, buf, sizeof buf), "2001:db8:1:2:3:4:5:6");
    memset(ones, 0xff, sizeof ones);
    dnsfail_addr_set_ipv6(&a, ones);
    CHECK_STR_EQ(dnsfail_addr_format(&a, buf, sizeof buf), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

static void test_format_ipv4_mapped_ipv6_has_dotted_tail(void)
{
    const uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 255, 255, 255, 255};
    struct dnsfail_addr a;
    char buf[DNSFAIL_ADDR_TEXT_MAX];
    dnsfail_addr_set_ipv6(&a, mapped);
    CHECK_STR_EQ(dnsfail_addr_format(&a, buf, sizeof buf), "::ffff:255.255.255.255");
}

static void test_format_truncates_and_terminates(void)
{
    struct dnsfail_addr a;
    char buf[8];
    memset(buf, 'X', sizeof buf);
    dnsfail_addr_set_ipv4(&a, PB_V4_SERVER);
    dnsfail_addr_format(&a, buf, 5);
    CHECK_STR_EQ(buf, "203.");
    CHECK_EQ_INT(buf[5], 'X');
    dnsfail_addr_format(&a, buf, 1);
    CHECK_STR_EQ(buf, "");
}

static void test_format_with_size_zero_writes_nothing(void)
{
    struct dnsfail_addr a;
    char buf[4] = {'X', 'X', 'X', 'X'};
    dnsfail_addr_set_ipv4(&a, PB_V4_SERVER);
    CHECK(dnsfail_addr_format(&a, buf, 0) == buf);
    CHECK_EQ_INT(buf[0], 'X');
}

int main(void)
{
    RUN_TEST(test_set_ipv4_keeps_four_bytes_and_zeroes_the_rest);
    RUN_TEST(test_format_ipv4_matches_inet_ntop);
    RUN_TEST(test_set_ipv6_keeps_sixteen_bytes);
    RUN_TEST(test_empty_address_has_no_length_and_prints_empty);
    RUN_TEST(test_equal_same_address);
    RUN_TEST(test_equal_differs_on_one_byte);
    RUN_TEST(test_equal_differs_on_family_with_same_leading_bytes);
    RUN_TEST(test_format_ipv4_dotted_quad);
    RUN_TEST(test_format_ipv6_compresses_zeros);
    RUN_TEST(test_format_ipv6_without_zeros_and_all_ones);
    RUN_TEST(test_format_ipv4_mapped_ipv6_has_dotted_tail);
    RUN_TEST(test_format_truncates_and_terminates);
    RUN_TEST(test_format_with_size_zero_writes_nothing);
    return check_finish();
}
