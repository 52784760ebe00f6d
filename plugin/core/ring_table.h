/* ring_table.h - a bounded hash table whose oldest record makes room for the newest.
 *
 * Records are fixed-size and live in one array that grows fourfold up to a limit;
 * at the limit, inserting reuses the slot of the oldest record. Lookups walk a chain
 * of slots with the same hash; the caller compares records itself. Internal to the core.
 *
 * Each slot holds its hash and chain links first, then its record: a lookup that finds
 * the hash reads the record from the same cache line or the next, instead of from three
 * arrays apart (a big table misses the caches on nearly every slot it touches).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_RING_TABLE_H
#define DNSFAIL_RING_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The head of every slot. */
struct ring_slot {
    uint64_t hash;
    int32_t next;        /* next slot with the same bucket, or -1: newest first */
    int32_t prev;        /* previous slot in the chain, or -1 (so unlinking is O(1)) */
};

struct ring_table {
    size_t record_size;
    size_t slot_size;    /* the head, then the record, padded to 8 bytes */
    uint32_t limit;      /* most records ever held */
    uint32_t capacity;   /* records allocated now */
    uint32_t count;      /* records in use */
    uint32_t oldest;     /* once full, the slot to reuse next */
    uint32_t bucket_mask;
    uint64_t evicted;
    unsigned char *slots;
    int32_t *buckets;    /* first slot of each bucket, or -1 */
};

void ring_table_init(struct ring_table *t, size_t record_size, uint32_t limit);
/* Frees everything; the table can be used again, empty. */
void ring_table_clear(struct ring_table *t);

/* A slot for a new record with this hash, linked into its chain; its bytes are the
 * caller's to fill (zeroed). -1 when memory ran out. */
int32_t ring_table_insert(struct ring_table *t, uint64_t hash);
/* The same, but the record's bytes are left as they were (a reused slot keeps its old
 * record): for callers that assign every field they read. */
int32_t ring_table_insert_raw(struct ring_table *t, uint64_t hash);

static inline struct ring_slot *ring_table_slot_(const struct ring_table *t, int32_t slot)
{
    return (struct ring_slot *)(void *)(t->slots + (size_t)slot * t->slot_size);
}

static inline uint32_t ring_table_bucket_of(const struct ring_table *t, uint64_t hash)
{
    return (uint32_t)(hash ^ (hash >> 32)) & t->bucket_mask;
}

static inline int32_t ring_table_walk_(const struct ring_table *t, int32_t slot, uint64_t hash)
{
    while (slot != -1 && ring_table_slot_(t, slot)->hash != hash)
        slot = ring_table_slot_(t, slot)->next;
    return slot;
}

/* Chain walk, newest record first: the first slot whose stored hash equals hash, then the
 * next one. -1 at the end. */
static inline int32_t ring_table_first(const struct ring_table *t, uint64_t hash)
{
    if (t->capacity == 0)
        return -1;
    return ring_table_walk_(t, t->buckets[ring_table_bucket_of(t, hash)], hash);
}

static inline int32_t ring_table_next(const struct ring_table *t, int32_t slot, uint64_t hash)
{
    return ring_table_walk_(t, ring_table_slot_(t, slot)->next, hash);
}

static inline void *ring_table_record(const struct ring_table *t, int32_t slot)
{
    return (unsigned char *)ring_table_slot_(t, slot) + sizeof(struct ring_slot);
}

size_t ring_table_bytes(const struct ring_table *t);

#define RING_HASH_SEED UINT64_C(0xcbf29ce484222325)

/* FNV-1a, extended from a previous hash value. */
static inline uint64_t ring_hash_bytes(uint64_t hash, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        hash ^= p[i];
        hash *= UINT64_C(0x100000001b3);
    }
    return hash;
}

/* Word-at-a-time hashing, for keys made of a few integers: ring_hash_word extends a hash
 * by one 64-bit word (a bijection of the hash for a given word), ring_hash_finish mixes
 * every bit of the result into every other (MurmurHash3's finaliser), so that the low
 * bits that pick a bucket depend on the whole key. Not a defence against crafted
 * collisions: a colliding key only shares a chain, or, where a table keys on the hash
 * alone, is taken for the other key (see tracker.c). */
static inline uint64_t ring_hash_word(uint64_t hash, uint64_t word)
{
    hash ^= word;
    hash *= UINT64_C(0x9e3779b97f4a7c15);
    return hash ^ (hash >> 32);
}

static inline uint64_t ring_hash_finish(uint64_t hash)
{
    hash ^= hash >> 33;
    hash *= UINT64_C(0xff51afd7ed558ccd);
    hash ^= hash >> 33;
    hash *= UINT64_C(0xc4ceb9fe1a85ec53);
    return hash ^ (hash >> 33);
}

#endif
