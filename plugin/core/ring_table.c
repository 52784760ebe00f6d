/* ring_table.c - bounded hash table, oldest out first.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ring_table.h"

#include <stdlib.h>
#include <string.h>

enum { INITIAL_CAPACITY = 256 };

void ring_table_init(struct ring_table *t, size_t record_size, uint32_t limit)
{
    memset(t, 0, sizeof *t);
    t->record_size = record_size;
    t->slot_size = sizeof(struct ring_slot) + (record_size + 7u) / 8u * 8u;
    t->limit = limit ? limit : 1;
}

void ring_table_clear(struct ring_table *t)
{
    free(t->slots);
    free(t->buckets);
    ring_table_init(t, t->record_size, t->limit);
}

static void link_slot(struct ring_table *t, int32_t slot)
{
    struct ring_slot *s = ring_table_slot_(t, slot);
    uint32_t b = ring_table_bucket_of(t, s->hash);
    int32_t head = t->buckets[b];
    s->next = head;
    s->prev = -1;
    if (head != -1)
        ring_table_slot_(t, head)->prev = slot;
    t->buckets[b] = slot;
}

/* The oldest record sits at the end of a long chain: unlinking must not walk it. */
static void unlink_slot(struct ring_table *t, int32_t slot)
{
    const struct ring_slot *s = ring_table_slot_(t, slot);
    int32_t next = s->next, prev = s->prev;
    if (prev != -1)
        ring_table_slot_(t, prev)->next = next;
    else
        t->buckets[ring_table_bucket_of(t, s->hash)] = next;
    if (next != -1)
        ring_table_slot_(t, next)->prev = prev;
}

/* Grows the slots to new_capacity and relinks all records into the larger bucket array. */
static bool grow(struct ring_table *t, uint32_t new_capacity)
{
    unsigned char *slots = realloc(t->slots, (size_t)new_capacity * t->slot_size);
    if (!slots)
        return false;
    t->slots = slots;
    int32_t *buckets = malloc((size_t)new_capacity * sizeof *buckets);
    if (!buckets)
        return false;
    free(t->buckets);
    t->buckets = buckets;
    t->capacity = new_capacity;
    t->bucket_mask = new_capacity - 1; /* capacities are powers of two */
    for (uint32_t b = 0; b < new_capacity; b++)
        t->buckets[b] = -1;
    for (uint32_t s = 0; s < t->count; s++)
        link_slot(t, (int32_t)s);
    return true;
}

/* Four times larger each time: a table that fills up is copied (realloc) twice on its way
 * from 256 to 4,096 records, instead of four times. */
static uint32_t next_capacity(const struct ring_table *t)
{
    uint64_t cap = t->capacity ? (uint64_t)t->capacity * 4u : INITIAL_CAPACITY;
    uint32_t limit_pow2 = 1;
    while (limit_pow2 < t->limit && limit_pow2 < (UINT32_C(1) << 30))
        limit_pow2 <<= 1;
    return cap < limit_pow2 ? (uint32_t)cap : limit_pow2;
}

int32_t ring_table_insert_raw(struct ring_table *t, uint64_t hash)
{
    int32_t slot;

    if (t->count == t->capacity && t->count < t->limit) {
        if (!grow(t, next_capacity(t)))
            return -1;
    }
    if (t->count < t->capacity && t->count < t->limit) {
        slot = (int32_t)t->count++;
    } else {
        slot = (int32_t)t->oldest;
        unlink_slot(t, slot);
        if (++t->oldest == t->count) /* oldest < count: wraps like % count, without a division */
            t->oldest = 0;
        t->evicted++;
    }
    ring_table_slot_(t, slot)->hash = hash;
    link_slot(t, slot);
    return slot;
}

int32_t ring_table_insert(struct ring_table *t, uint64_t hash)
{
    int32_t slot = ring_table_insert_raw(t, hash);
    if (slot != -1)
        memset(ring_table_record(t, slot), 0, t->record_size);
    return slot;
}

size_t ring_table_bytes(const struct ring_table *t)
{
    return (size_t)t->capacity * (t->slot_size + sizeof(int32_t));
}
