/* ring_table.h - a bounded hash table whose oldest record makes room for the newest.
 *
 * Records are fixed-size and live in one array that grows by doubling up to a limit;
 * at the limit, inserting reuses the slot of the oldest record. Lookups walk a chain
 * of slots with the same hash; the caller compares records itself. Internal to the core.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_RING_TABLE_H
#define DNSFAIL_RING_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ring_table {
    size_t record_size;
    uint32_t limit;      /* most records ever held */
    uint32_t capacity;   /* records allocated now */
    uint32_t count;      /* records in use */
    uint32_t oldest;     /* once full, the slot to reuse next */
    uint32_t bucket_mask;
    uint64_t evicted;
    unsigned char *records;
    uint64_t *hashes;
    int32_t *chain;      /* next slot with the same bucket, or -1: newest first */
    int32_t *chain_prev; /* previous slot in the chain, or -1 (so unlinking is O(1)) */
    int32_t *buckets;    /* first slot of each bucket, or -1 */
};

void ring_table_init(struct ring_table *t, size_t record_size, uint32_t limit);
/* Frees everything; the table can be used again, empty. */
void ring_table_clear(struct ring_table *t);

/* A slot for a new record with this hash, linked into its chain; its bytes are the
 * caller's to fill (zeroed). -1 when memory ran out. */
int32_t ring_table_insert(struct ring_table *t, uint64_t hash);

/* Chain walk, newest record first: the first slot whose stored hash equals hash, then the
 * next one. -1 at the end. */
int32_t ring_table_first(const struct ring_table *t, uint64_t hash);
int32_t ring_table_next(const struct ring_table *t, int32_t slot, uint64_t hash);

static inline void *ring_table_record(const struct ring_table *t, int32_t slot)
{
    return t->records + (size_t)slot * t->record_size;
}

size_t ring_table_bytes(const struct ring_table *t);

/* FNV-1a, extended from a previous hash value. */
uint64_t ring_hash_bytes(uint64_t hash, const void *data, size_t len);
#define RING_HASH_SEED UINT64_C(0xcbf29ce484222325)

#endif
