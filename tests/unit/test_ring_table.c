/* test_ring_table.c - the bounded hash table behind the tracker (internal to the core).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ring_table.h"

#include <string.h>

#include "check.h"

struct rec {
    uint32_t key;
    uint32_t pad;
};

static uint64_t key_hash(uint32_t key)
{
    return ring_hash_bytes(RING_HASH_SEED, &key, sizeof key);
}

static int32_t insert_key(struct ring_table *t, uint32_t key, uint64_t hash)
{
    int32_t slot = ring_table_insert(t, hash);
    if (slot >= 0)
        ((struct rec *)ring_table_record(t, slot))->key = key;
    return slot;
}

/* Number of records with this hash and key reachable through the chain walk. */
static unsigned find_key(const struct ring_table *t, uint32_t key, uint64_t hash)
{
    unsigned n = 0;
    for (int32_t s = ring_table_first(t, hash); s != -1; s = ring_table_next(t, s, hash)) {
        if (((const struct rec *)ring_table_record(t, s))->key == key)
            n++;
    }
    return n;
}

static unsigned chain_length(const struct ring_table *t, uint64_t hash)
{
    unsigned n = 0;
    for (int32_t s = ring_table_first(t, hash); s != -1 && n < 100000; s = ring_table_next(t, s, hash))
        n++;
    return n;
}

static void test_empty_table_finds_nothing(void)
{
    struct ring_table t;
    ring_table_init(&t, sizeof(struct rec), 16);
    CHECK_EQ_INT(t.count, 0);
    CHECK_EQ_INT(t.capacity, 0);
    CHECK_EQ_INT(ring_table_first(&t, key_hash(1)), -1);
    CHECK_EQ_INT(ring_table_bytes(&t), 0);
    ring_table_clear(&t);
}

static void test_insert_gives_zeroed_record_found_by_hash(void)
{
    struct ring_table t;
    ring_table_init(&t, sizeof(struct rec), 16);
    int32_t a = ring_table_insert(&t, key_hash(1));
    if (!CHECK(a >= 0))
        return;
    struct rec *r = ring_table_record(&t, a);
    CHECK_EQ_INT(r->key, 0);
    CHECK_EQ_INT(r->pad, 0);
    r->key = 1;
    int32_t b = insert_key(&t, 2, key_hash(2));
    CHECK(b >= 0 && b != a);
    CHECK_EQ_INT(t.count, 2);
    CHECK_EQ_INT(ring_table_first(&t, key_hash(1)), a);
    CHECK_EQ_INT(ring_table_next(&t, a, key_hash(1)), -1);
    CHECK_EQ_INT(ring_table_first(&t, key_hash(2)), b);
    CHECK_EQ_INT(ring_table_first(&t, key_hash(3)), -1);
    ring_table_clear(&t);
}

static void test_reused_slot_is_zeroed(void)
{
    struct ring_table t;
    ring_table_init(&t, sizeof(struct rec), 1);
    int32_t a = insert_key(&t, 7, key_hash(7));
    ((struct rec *)ring_table_record(&t, a))->pad = 0xFFFFFFFFu;
    int32_t b = ring_table_insert(&t, key_hash(8));
    CHECK_EQ_INT(b, a);
    CHECK_EQ_INT(((struct rec *)ring_table_record(&t, b))->key, 0);
    CHECK_EQ_INT(((struct rec *)ring_table_record(&t, b))->pad, 0);
    ring_table_clear(&t);
}

static void test_growth_keeps_every_record_reachable(void)
{
    struct ring_table t;
    ring_table_init(&t, sizeof(struct rec), 1000);
    for (uint32_t k = 0; k < 300; k++)
        insert_key(&t, k, key_hash(k));
    CHECK_EQ_INT(t.count, 300);
    CHECK_EQ_INT(t.capacity, 1024);            /* grew from 256, four times as large */
    CHECK_EQ_INT(t.evicted, 0);
    unsigned found = 0;
    for (uint32_t k = 0; k < 300; k++)
        found += find_key(&t, k, key_hash(k));
    CHECK_EQ_INT(found, 300);
    CHECK_EQ_INT(ring_table_bytes(&t), 1024 * (sizeof(struct rec) + sizeof(uint64_t) + 3 * sizeof(int32_t)));
    ring_table_clear(&t);
}

static void test_growth_relinks_a_long_chain(void)
{
    struct ring_table t;
    const uint64_t h = 7;
    ring_table_init(&t, sizeof(struct rec), 1000);
    for (uint32_t k = 0; k < 600; k++)
        insert_key(&t, k, h);
    CHECK_EQ_INT(t.capacity, 1024);
    CHECK_EQ_INT(chain_length(&t, h), 600);
    CHECK_EQ_INT(find_key(&t, 0, h), 1);
    CHECK_EQ_INT(find_key(&t, 599, h), 1);
    ring_table_clear(&t);
}

static void test_growth_stops_at_limit_rounded_to_power_of_two(void)
{
    struct ring_table t;
    ring_table_init(&t, sizeof(struct rec), 1000);
    for (uint32_t k = 0; k < 5000; k++)
        insert_key(&t, k, key_hash(k));
    CHECK_EQ_INT(t.count, 1000);
    CHECK_EQ_INT(t.capacity, 1024);
    CHECK_EQ_INT(t.evicted, 4000);
    ring_table_clear(&t);
}

static void test_small_limit_allocates_small(void)
{
    struct ring_table t;
    ring_table_init(&t, sizeof(struct rec), 3);
    for (uint32_t k = 0; k < 10; k++)
        insert_key(&t, k, key_hash(k));
    CHECK_EQ_INT(t.capacity, 4);
    CHECK_EQ_INT(t.count, 3);
    ring_table_clear(&t);
}

static void test_eviction_removes_oldest_first(void)
{
    struct ring_table t;
    ring_table_init(&t, sizeof(struct rec), 4);
    for (uint32_t k = 1; k <= 4; k++)
        insert_key(&t, k, key_hash(k));
    CHECK_EQ_INT(t.evicted, 0);
    insert_key(&t, 5, key_hash(5));
    CHECK_EQ_INT(t.evicted, 1);
    CHECK_EQ_INT(find_key(&t, 1, key_hash(1)), 0);
    for (uint32_t k = 2; k <= 5; k++)
        CHECK_EQ_INT(find_key(&t, k, key_hash(k)), 1);
    insert_key(&t, 6, key_hash(6));
    CHECK_EQ_INT(find_key(&t, 2, key_hash(2)), 0);
    CHECK_EQ_INT(find_key(&t, 3, key_hash(3)), 1);
    /* Around the ring several times: always the last four stay. */
    for (uint32_t k = 7; k <= 23; k++)
        insert_key(&t, k, key_hash(k));
    CHECK_EQ_INT(t.count, 4);
    CHECK_EQ_INT(t.evicted, 19);
    for (uint32_t k = 1; k <= 19; k++)
        CHECK_EQ_INT(find_key(&t, k, key_hash(k)), 0);
    for (uint32_t k = 20; k <= 23; k++)
        CHECK_EQ_INT(find_key(&t, k, key_hash(k)), 1);
    ring_table_clear(&t);
}

static void test_eviction_order_with_limit_not_a_power_of_two(void)
{
    struct ring_table t;
    ring_table_init(&t, sizeof(struct rec), 3);  /* 4 slots allocated, 3 used */
    for (uint32_t k = 1; k <= 10; k++) {
        insert_key(&t, k, key_hash(k));
        CHECK(t.count <= 3);
    }
    CHECK_EQ_INT(t.evicted, 7);
    for (uint32_t k = 1; k <= 7; k++)
        CHECK_EQ_INT(find_key(&t, k, key_hash(k)), 0);
    for (uint32_t k = 8; k <= 10; k++)
        CHECK_EQ_INT(find_key(&t, k, key_hash(k)), 1);
    ring_table_clear(&t);
}

static void test_limit_zero_holds_one_record(void)
{
    struct ring_table t;
    ring_table_init(&t, sizeof(struct rec), 0);
    insert_key(&t, 1, key_hash(1));
    insert_key(&t, 2, key_hash(2));
    CHECK_EQ_INT(t.count, 1);
    CHECK_EQ_INT(find_key(&t, 1, key_hash(1)), 0);
    CHECK_EQ_INT(find_key(&t, 2, key_hash(2)), 1);
    ring_table_clear(&t);
}

static void test_chain_walk_visits_every_record_of_a_hash(void)
{
    struct ring_table t;
    const uint64_t h = 42;
    ring_table_init(&t, sizeof(struct rec), 8);
    for (uint32_t k = 1; k <= 5; k++)
        insert_key(&t, k, h);
    CHECK_EQ_INT(chain_length(&t, h), 5);
    for (uint32_t k = 1; k <= 5; k++)
        CHECK_EQ_INT(find_key(&t, k, h), 1);
    ring_table_clear(&t);
}

static void test_chain_walk_after_eviction(void)
{
    struct ring_table t;
    const uint64_t h = 42;
    ring_table_init(&t, sizeof(struct rec), 4);
    for (uint32_t k = 1; k <= 4; k++)
        insert_key(&t, k, h);
    insert_key(&t, 5, h);                      /* evicts 1, same chain */
    CHECK_EQ_INT(chain_length(&t, h), 4);
    CHECK_EQ_INT(find_key(&t, 1, h), 0);
    for (uint32_t k = 2; k <= 5; k++)
        CHECK_EQ_INT(find_key(&t, k, h), 1);
    insert_key(&t, 6, 99);                     /* evicts 2 for another hash */
    CHECK_EQ_INT(chain_length(&t, h), 3);
    CHECK_EQ_INT(find_key(&t, 2, h), 0);
    CHECK_EQ_INT(chain_length(&t, 99), 1);
    ring_table_clear(&t);
}

static void test_chain_walk_skips_other_hashes_in_the_same_bucket(void)
{
    /* Buckets use the low bits of (hash ^ hash >> 32): these two share one while the
     * table has 256 buckets, and differ as hashes. */
    struct ring_table t;
    const uint64_t h1 = 1, h2 = 1 | (UINT64_C(1) << 20);
    ring_table_init(&t, sizeof(struct rec), 64);
    insert_key(&t, 10, h1);
    insert_key(&t, 20, h2);
    insert_key(&t, 11, h1);
    insert_key(&t, 21, h2);
    CHECK_EQ_INT(chain_length(&t, h1), 2);
    CHECK_EQ_INT(chain_length(&t, h2), 2);
    CHECK_EQ_INT(find_key(&t, 20, h1), 0);
    CHECK_EQ_INT(find_key(&t, 21, h2), 1);
    ring_table_clear(&t);
}

static void test_eviction_from_middle_of_shared_bucket_keeps_chain_intact(void)
{
    struct ring_table t;
    const uint64_t h1 = 1, h2 = 1 | (UINT64_C(1) << 20);
    ring_table_init(&t, sizeof(struct rec), 3);
    insert_key(&t, 20, h2);                    /* oldest, middle of the bucket's chain later */
    insert_key(&t, 10, h1);
    insert_key(&t, 11, h1);
    insert_key(&t, 12, h1);                    /* evicts 20 */
    CHECK_EQ_INT(chain_length(&t, h2), 0);
    CHECK_EQ_INT(chain_length(&t, h1), 3);
    insert_key(&t, 21, h2);                    /* evicts 10 */
    CHECK_EQ_INT(find_key(&t, 10, h1), 0);
    CHECK_EQ_INT(find_key(&t, 11, h1), 1);
    CHECK_EQ_INT(find_key(&t, 12, h1), 1);
    CHECK_EQ_INT(find_key(&t, 21, h2), 1);
    ring_table_clear(&t);
}

static void test_clear_empties_and_table_is_reusable(void)
{
    struct ring_table t;
    ring_table_init(&t, sizeof(struct rec), 4);
    for (uint32_t k = 0; k < 10; k++)
        insert_key(&t, k, key_hash(k));
    ring_table_clear(&t);
    CHECK_EQ_INT(t.count, 0);
    CHECK_EQ_INT(t.capacity, 0);
    CHECK_EQ_INT(t.evicted, 0);
    CHECK_EQ_INT(t.limit, 4);
    CHECK_EQ_INT(t.record_size, sizeof(struct rec));
    CHECK_EQ_INT(ring_table_bytes(&t), 0);
    CHECK_EQ_INT(ring_table_first(&t, key_hash(9)), -1);
    insert_key(&t, 9, key_hash(9));
    CHECK_EQ_INT(find_key(&t, 9, key_hash(9)), 1);
    ring_table_clear(&t);
}

static void test_hash_is_fnv1a_64(void)
{
    CHECK(ring_hash_bytes(RING_HASH_SEED, "", 0) == UINT64_C(0xcbf29ce484222325));
    CHECK(ring_hash_bytes(RING_HASH_SEED, "a", 1) == UINT64_C(0xaf63dc4c8601ec8c));
    CHECK(ring_hash_bytes(RING_HASH_SEED, "foobar", 6) == UINT64_C(0x85944171f73967e8));
}

static void test_hash_extends_a_previous_hash(void)
{
    uint64_t h = ring_hash_bytes(RING_HASH_SEED, "foo", 3);
    CHECK(ring_hash_bytes(h, "bar", 3) == ring_hash_bytes(RING_HASH_SEED, "foobar", 6));
    CHECK(ring_hash_bytes(RING_HASH_SEED, "ab", 2) != ring_hash_bytes(RING_HASH_SEED, "ba", 2));
}

int main(void)
{
    RUN_TEST(test_empty_table_finds_nothing);
    RUN_TEST(test_insert_gives_zeroed_record_found_by_hash);
    RUN_TEST(test_reused_slot_is_zeroed);
    RUN_TEST(test_growth_keeps_every_record_reachable);
    RUN_TEST(test_growth_relinks_a_long_chain);
    RUN_TEST(test_growth_stops_at_limit_rounded_to_power_of_two);
    RUN_TEST(test_small_limit_allocates_small);
    RUN_TEST(test_eviction_removes_oldest_first);
    RUN_TEST(test_eviction_order_with_limit_not_a_power_of_two);
    RUN_TEST(test_limit_zero_holds_one_record);
    RUN_TEST(test_chain_walk_visits_every_record_of_a_hash);
    RUN_TEST(test_chain_walk_after_eviction);
    RUN_TEST(test_chain_walk_skips_other_hashes_in_the_same_bucket);
    RUN_TEST(test_eviction_from_middle_of_shared_bucket_keeps_chain_intact);
    RUN_TEST(test_clear_empties_and_table_is_reusable);
    RUN_TEST(test_hash_is_fnv1a_64);
    RUN_TEST(test_hash_extends_a_previous_hash);
    return check_finish();
}
