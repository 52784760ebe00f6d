/* test_frame_index.c - values by frame number in one sorted array.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/frame_index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

struct mark {
    uint32_t attempt;
    uint32_t late_answer_in;
    uint32_t offset;
};

static void test_empty_index_finds_nothing(void)
{
    struct dnsfail_frame_index ix;
    dnsfail_frame_index_init(&ix, sizeof(struct mark));
    CHECK(dnsfail_frame_index_get(&ix, 0) == NULL);
    CHECK(dnsfail_frame_index_get(&ix, 1) == NULL);
    CHECK(dnsfail_frame_index_get(&ix, UINT32_MAX) == NULL);
    CHECK_EQ_INT(ix.count, 0);
    dnsfail_frame_index_clear(&ix);
}

/* Appended in order, as the first pass appends: each value found again, zeroed when
 * made, 4-byte aligned, and kept across the array's growth. */
static void test_values_kept_by_frame(void)
{
    struct dnsfail_frame_index ix;
    dnsfail_frame_index_init(&ix, sizeof(struct mark));
    for (uint32_t f = 1; f <= 5000; f++) {
        struct mark *m = dnsfail_frame_index_put(&ix, 3 * f);
        if (!CHECK(m != NULL))
            return;
        CHECK(((uintptr_t)m & 3u) == 0);
        CHECK_EQ_INT(m->attempt, 0);
        CHECK_EQ_INT(m->late_answer_in, 0);
        m->attempt = f;
        m->offset = f + 7;
    }
    CHECK_EQ_INT(ix.count, 5000);
    CHECK(ix.capacity >= 5000);
    CHECK_EQ_INT(ix.entry_size, 4 + sizeof(struct mark));
    for (uint32_t f = 1; f <= 5000; f++) {
        struct mark *m = dnsfail_frame_index_get(&ix, 3 * f);
        if (!CHECK(m != NULL))
            return;
        CHECK_EQ_INT(m->attempt, f);
        CHECK_EQ_INT(m->offset, f + 7);
        CHECK(dnsfail_frame_index_get(&ix, 3 * f + 1) == NULL);
        CHECK(dnsfail_frame_index_get(&ix, 3 * f - 1) == NULL);
    }
    CHECK(dnsfail_frame_index_get(&ix, 0) == NULL);
    CHECK(dnsfail_frame_index_get(&ix, 15003) == NULL);
    dnsfail_frame_index_clear(&ix);
    CHECK_EQ_INT(ix.count, 0);
    CHECK(dnsfail_frame_index_get(&ix, 3) == NULL);
}

/* A frame put again gives its value back, not a second entry. */
static void test_put_again_returns_same_value(void)
{
    struct dnsfail_frame_index ix;
    dnsfail_frame_index_init(&ix, sizeof(struct mark));
    struct mark *m = dnsfail_frame_index_put(&ix, 42);
    if (!CHECK(m != NULL))
        return;
    m->late_answer_in = 99;
    struct mark *again = dnsfail_frame_index_put(&ix, 42);
    CHECK(again == m);
    CHECK_EQ_INT(again->late_answer_in, 99);
    CHECK_EQ_INT(ix.count, 1);
    dnsfail_frame_index_clear(&ix);
}

/* Frames in any order still end up sorted and found: against a plain table of which
 * frames were put, for a pseudo-random order with repeats. */
static void test_any_order(void)
{
    enum { FRAMES = 2000, PUTS = 6000 };
    static uint32_t put_value[FRAMES]; /* 0: never put */
    struct dnsfail_frame_index ix;
    dnsfail_frame_index_init(&ix, sizeof(uint32_t));
    memset(put_value, 0, sizeof put_value);
    uint32_t state = 12345;
    for (int i = 0; i < PUTS; i++) {
        state = state * 1103515245u + 12345u;
        uint32_t frame = (state >> 8) % FRAMES;
        uint32_t *v = dnsfail_frame_index_put(&ix, frame);
        if (!CHECK(v != NULL))
            return;
        if (put_value[frame])
            CHECK_EQ_INT(*v, put_value[frame]);
        else
            CHECK_EQ_INT(*v, 0);
        *v = put_value[frame] = (uint32_t)i + 1;
    }
    size_t expected = 0;
    for (uint32_t f = 0; f < FRAMES; f++) {
        uint32_t *v = dnsfail_frame_index_get(&ix, f);
        if (put_value[f]) {
            expected++;
            CHECK(v != NULL && *v == put_value[f]);
        } else {
            CHECK(v == NULL);
        }
    }
    CHECK_EQ_INT(ix.count, expected);
    dnsfail_frame_index_clear(&ix);
}

/* Values of sizes that are no multiple of 4 do not overlap their neighbours. */
static void test_odd_value_size(void)
{
    struct dnsfail_frame_index ix;
    dnsfail_frame_index_init(&ix, 5);
    CHECK_EQ_INT(ix.entry_size, 12);
    for (uint32_t f = 10; f > 0; f--) { /* backwards: every put moves the tail */
        unsigned char *v = dnsfail_frame_index_put(&ix, f);
        if (!CHECK(v != NULL))
            return;
        memset(v, (int)f, 5);
    }
    for (uint32_t f = 1; f <= 10; f++) {
        unsigned char *v = dnsfail_frame_index_get(&ix, f);
        if (!CHECK(v != NULL))
            return;
        for (int k = 0; k < 5; k++)
            CHECK_EQ_INT(v[k], f);
    }
    dnsfail_frame_index_clear(&ix);
}

/* An index never initialised (zeroed, as a static one starts) takes nothing and finds
 * nothing, rather than writing values of size 0. */
static void test_uninitialised_index_refuses(void)
{
    struct dnsfail_frame_index ix;
    memset(&ix, 0, sizeof ix);
    CHECK(dnsfail_frame_index_put(&ix, 7) == NULL);
    CHECK(dnsfail_frame_index_get(&ix, 7) == NULL);
    dnsfail_frame_index_clear(&ix);
}

/* A value larger than the index takes is refused, not cut short. */
static void test_value_too_large_is_refused(void)
{
    struct dnsfail_frame_index ix;
    dnsfail_frame_index_init(&ix, 4096);
    CHECK(dnsfail_frame_index_put(&ix, 1) == NULL);
    CHECK(dnsfail_frame_index_get(&ix, 1) == NULL);
    CHECK_EQ_INT(ix.count, 0);
    dnsfail_frame_index_clear(&ix);
    dnsfail_frame_index_init(&ix, 1024);
    CHECK(dnsfail_frame_index_put(&ix, 1) != NULL);
    dnsfail_frame_index_clear(&ix);
}

int main(void)
{
    RUN_TEST(test_empty_index_finds_nothing);
    RUN_TEST(test_values_kept_by_frame);
    RUN_TEST(test_put_again_returns_same_value);
    RUN_TEST(test_any_order);
    RUN_TEST(test_odd_value_size);
    RUN_TEST(test_value_too_large_is_refused);
    RUN_TEST(test_uninitialised_index_refuses);
    return check_finish();
}
