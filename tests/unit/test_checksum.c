/* test_checksum.c - the UDP checksum a datagram should carry.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "check.h"

#include "dnsfail/checksum.h"

/* A datagram whose checksum is worked out by hand: 192.0.2.10:40000 -> 192.0.2.53:53,
 * payload "ab". Pseudo-header c000+020a+c000+0235+0011+000a, header 9c40+0035+000a,
 * data 6162: sum 0x2823b folds to 0x823d, complement 0x7dc2. */
static const uint8_t V4_SRC[4] = {192, 0, 2, 10};
static const uint8_t V4_DST[4] = {192, 0, 2, 53};
static const uint8_t DATAGRAM[10] = {0x9c, 0x40, 0x00, 0x35, 0x00, 0x0a, 0x00, 0x00, 'a', 'b'};

static void test_ipv4_checksum_matches_hand_computation(void)
{
    struct dnsfail_addr src, dst;
    uint16_t sum = 0;
    dnsfail_addr_set_ipv4(&src, V4_SRC);
    dnsfail_addr_set_ipv4(&dst, V4_DST);
    CHECK(dnsfail_udp_checksum(&src, &dst, DATAGRAM, sizeof DATAGRAM, &sum));
    CHECK_EQ_INT(sum, 0x7dc2);
}

static void test_checksum_field_is_ignored(void)
{
    struct dnsfail_addr src, dst;
    uint8_t d[sizeof DATAGRAM];
    uint16_t sum = 0;
    memcpy(d, DATAGRAM, sizeof d);
    d[6] = 0x12;
    d[7] = 0x34; /* a partial checksum left by offload */
    dnsfail_addr_set_ipv4(&src, V4_SRC);
    dnsfail_addr_set_ipv4(&dst, V4_DST);
    CHECK(dnsfail_udp_checksum(&src, &dst, d, sizeof d, &sum));
    CHECK_EQ_INT(sum, 0x7dc2);
}

static void test_odd_length_payload_is_padded(void)
{
    struct dnsfail_addr src, dst;
    uint8_t d[9] = {0x9c, 0x40, 0x00, 0x35, 0x00, 0x09, 0x00, 0x00, 'a'};
    uint16_t sum = 0;
    dnsfail_addr_set_ipv4(&src, V4_SRC);
    dnsfail_addr_set_ipv4(&dst, V4_DST);
    /* c000+020a+c000+0235+0011+0009 + 9c40+0035+0009 + 6100 = 0x281d7 -> 0x81d9 -> 0x7e26 */
    CHECK(dnsfail_udp_checksum(&src, &dst, d, sizeof d, &sum));
    CHECK_EQ_INT(sum, 0x7e26);
}

static void test_ipv6_uses_16_byte_addresses(void)
{
    struct dnsfail_addr src, dst, src4, dst4;
    uint8_t s6[16] = {0x20, 0x01, 0x0d, 0xb8};
    uint8_t d6[16] = {0x20, 0x01, 0x0d, 0xb8};
    uint16_t sum6 = 0, sum4 = 0;
    s6[15] = 1;
    d6[15] = 2;
    dnsfail_addr_set_ipv6(&src, s6);
    dnsfail_addr_set_ipv6(&dst, d6);
    dnsfail_addr_set_ipv4(&src4, V4_SRC);
    dnsfail_addr_set_ipv4(&dst4, V4_DST);
    CHECK(dnsfail_udp_checksum(&src, &dst, DATAGRAM, sizeof DATAGRAM, &sum6));
    CHECK(dnsfail_udp_checksum(&src4, &dst4, DATAGRAM, sizeof DATAGRAM, &sum4));
    /* 2001+0db8+0001 + 2001+0db8+0002 + 000a+0011 + 9c40+0035+000a + 6162 = 0x15971 -> 0x5972 -> 0xa68d */
    CHECK_EQ_INT(sum6, 0xa68d);
    CHECK(sum6 != sum4);
}

static void test_refuses_mismatched_families_and_bad_lengths(void)
{
    struct dnsfail_addr v4, v6, none;
    uint8_t a6[16] = {0};
    uint16_t sum = 0x4242;
    memset(&none, 0, sizeof none);
    dnsfail_addr_set_ipv4(&v4, V4_SRC);
    dnsfail_addr_set_ipv6(&v6, a6);
    CHECK(!dnsfail_udp_checksum(&v4, &v6, DATAGRAM, sizeof DATAGRAM, &sum));
    CHECK(!dnsfail_udp_checksum(&none, &none, DATAGRAM, sizeof DATAGRAM, &sum));
    CHECK(!dnsfail_udp_checksum(&v4, &v4, DATAGRAM, 7, &sum));                  /* shorter than a header */
    CHECK(!dnsfail_udp_checksum(&v4, &v4, DATAGRAM, sizeof DATAGRAM - 1, &sum)); /* not the length field */
    CHECK_EQ_INT(sum, 0x4242);
}

int main(void)
{
    RUN_TEST(test_ipv4_checksum_matches_hand_computation);
    RUN_TEST(test_checksum_field_is_ignored);
    RUN_TEST(test_odd_length_payload_is_padded);
    RUN_TEST(test_ipv6_uses_16_byte_addresses);
    RUN_TEST(test_refuses_mismatched_families_and_bad_lengths);
    return check_finish();
}
