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
    d[7] = 0x34; /* whatever the field holds (a partial checksum left by offload, ...) */
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

/* RFC 768 read literally: 16-bit big-endian words, the last byte padded; the reference
 * for the word-at-a-time sum in checksum.c. */
static uint16_t reference_checksum(const uint8_t *src, const uint8_t *dst, size_t addr_len, const uint8_t *udp,
                                   size_t len)
{
    uint8_t stream[2 * 16 + 4 + 65535 + 1];
    size_t n = 0;
    memcpy(stream + n, src, addr_len);
    n += addr_len;
    memcpy(stream + n, dst, addr_len);
    n += addr_len;
    stream[n++] = 0;
    stream[n++] = 17;
    stream[n++] = (uint8_t)(len >> 8);
    stream[n++] = (uint8_t)len;
    memcpy(stream + n, udp, len);
    stream[n + 6] = stream[n + 7] = 0; /* the checksum field */
    n += len;
    stream[n] = 0;
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i += 2)
        sum += (uint32_t)(stream[i] << 8 | stream[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xFFFFu) + (sum >> 16);
    uint16_t result = (uint16_t)~sum;
    return result == 0 ? 0xFFFFu : result;
}

/* Every length from a bare header to 300 bytes, both families, pseudo-random bytes (a
 * fixed LCG): the fast sum agrees with the literal one, odd tails and carries included. */
static void test_agrees_with_byte_wise_reference(void)
{
    static uint8_t d[65535];
    uint8_t a[16], b[16];
    uint32_t seed = 12345;
    for (size_t len = 8; len <= 300; len++) {
        for (int family = 0; family < 2; family++) {
            size_t addr_len = family ? 16 : 4;
            for (size_t i = 0; i < len; i++) {
                seed = seed * 1103515245u + 12345u;
                d[i] = (uint8_t)(seed >> 16);
            }
            for (size_t i = 0; i < addr_len; i++) {
                seed = seed * 1103515245u + 12345u;
                a[i] = (uint8_t)(seed >> 16);
                b[i] = (uint8_t)(seed >> 8);
            }
            d[4] = (uint8_t)(len >> 8);
            d[5] = (uint8_t)len;
            struct dnsfail_addr src, dst;
            if (family) {
                dnsfail_addr_set_ipv6(&src, a);
                dnsfail_addr_set_ipv6(&dst, b);
            } else {
                dnsfail_addr_set_ipv4(&src, a);
                dnsfail_addr_set_ipv4(&dst, b);
            }
            uint16_t sum = 0;
            CHECK(dnsfail_udp_checksum(&src, &dst, d, len, &sum));
            CHECK_EQ_INT(sum, reference_checksum(a, b, addr_len, d, len));
        }
    }
    /* All ones: the most carries a sum can have, at the largest length. */
    memset(d, 0xff, sizeof d);
    memset(a, 0xff, sizeof a);
    d[4] = d[5] = 0xff;
    struct dnsfail_addr ones;
    dnsfail_addr_set_ipv6(&ones, a);
    uint16_t sum = 0;
    CHECK(dnsfail_udp_checksum(&ones, &ones, d, sizeof d, &sum));
    CHECK_EQ_INT(sum, reference_checksum(a, a, 16, d, sizeof d));
}

/* The pseudo-header's sum, folded and not complemented, byte by byte: what a sending
 * host that offloads the checksum leaves in the field. */
static uint16_t reference_pseudo_sum(const uint8_t *src, const uint8_t *dst, size_t addr_len, size_t len)
{
    uint32_t sum = 17u + (uint32_t)len;
    for (size_t i = 0; i < addr_len; i += 2)
        sum += (uint32_t)(src[i] << 8 | src[i + 1]) + (uint32_t)(dst[i] << 8 | dst[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xFFFFu) + (sum >> 16);
    return (uint16_t)sum;
}

/* The hand-worked datagram above: pseudo-header c000+020a+c000+0235+0011+000a = 0x1845a,
 * folded 0x845b. That field (Linux's CHECKSUM_PARTIAL value), its complement and zero may
 * be partial; the real checksum 0x7dc2 and any other value may not. */
static void test_partial_checksum_is_the_pseudo_header_sum(void)
{
    struct dnsfail_addr src, dst;
    dnsfail_addr_set_ipv4(&src, V4_SRC);
    dnsfail_addr_set_ipv4(&dst, V4_DST);
    CHECK_EQ_INT(reference_pseudo_sum(V4_SRC, V4_DST, 4, sizeof DATAGRAM), 0x845b);
    CHECK(dnsfail_udp_checksum_may_be_partial(&src, &dst, sizeof DATAGRAM, 0x845b));
    CHECK(dnsfail_udp_checksum_may_be_partial(&src, &dst, sizeof DATAGRAM, 0x7ba4));
    CHECK(dnsfail_udp_checksum_may_be_partial(&src, &dst, sizeof DATAGRAM, 0));
    CHECK(!dnsfail_udp_checksum_may_be_partial(&src, &dst, sizeof DATAGRAM, 0x7dc2));
    CHECK(!dnsfail_udp_checksum_may_be_partial(&src, &dst, sizeof DATAGRAM, 0x845c));
    CHECK(!dnsfail_udp_checksum_may_be_partial(&src, &dst, sizeof DATAGRAM + 1, 0x845b)); /* another length */
    CHECK(!dnsfail_udp_checksum_may_be_partial(&dst, &dst, sizeof DATAGRAM, 0x845b));     /* another source */
    struct dnsfail_addr none;
    memset(&none, 0, sizeof none);
    CHECK(dnsfail_udp_checksum_may_be_partial(&none, &dst, sizeof DATAGRAM, 0x1234)); /* cannot tell */
}

/* Random addresses and lengths of both families: the pseudo-header's sum and its
 * complement may be partial, the values next to them may not. */
static void test_partial_checksum_agrees_with_byte_wise_reference(void)
{
    uint8_t a[16], b[16];
    uint32_t seed = 777;
    for (int round = 0; round < 2000; round++) {
        size_t addr_len = round % 2 ? 16 : 4;
        for (size_t i = 0; i < addr_len; i++) {
            seed = seed * 1103515245u + 12345u;
            a[i] = (uint8_t)(seed >> 16);
            b[i] = (uint8_t)(seed >> 8);
        }
        seed = seed * 1103515245u + 12345u;
        uint16_t len = (uint16_t)(8 + (seed >> 16) % 65528);
        struct dnsfail_addr src, dst;
        if (addr_len == 16) {
            dnsfail_addr_set_ipv6(&src, a);
            dnsfail_addr_set_ipv6(&dst, b);
        } else {
            dnsfail_addr_set_ipv4(&src, a);
            dnsfail_addr_set_ipv4(&dst, b);
        }
        uint16_t pseudo = reference_pseudo_sum(a, b, addr_len, len), complement = (uint16_t)~pseudo;
        CHECK(dnsfail_udp_checksum_may_be_partial(&src, &dst, len, pseudo));
        CHECK(dnsfail_udp_checksum_may_be_partial(&src, &dst, len, complement));
        uint16_t other = (uint16_t)(pseudo + 1u);
        if (other != 0 && other != complement)
            CHECK(!dnsfail_udp_checksum_may_be_partial(&src, &dst, len, other));
    }
}

int main(void)
{
    RUN_TEST(test_ipv4_checksum_matches_hand_computation);
    RUN_TEST(test_checksum_field_is_ignored);
    RUN_TEST(test_odd_length_payload_is_padded);
    RUN_TEST(test_ipv6_uses_16_byte_addresses);
    RUN_TEST(test_refuses_mismatched_families_and_bad_lengths);
    RUN_TEST(test_agrees_with_byte_wise_reference);
    RUN_TEST(test_partial_checksum_is_the_pseudo_header_sum);
    RUN_TEST(test_partial_checksum_agrees_with_byte_wise_reference);
    return check_finish();
}
