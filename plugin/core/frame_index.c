/* frame_index.c - fixed-size values by frame number, in one sorted array.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/frame_index.h"

#include <stdlib.h>
#include <string.h>

enum { FRAME_LEN = sizeof(uint32_t), FIRST_CAPACITY = 64, MAX_VALUE_SIZE = 1024 };

void dnsfail_frame_index_init(struct dnsfail_frame_index *ix, size_t value_size)
{
    memset(ix, 0, sizeof *ix);
    /* A value too large is refused: entry_size 0 makes every put fail. */
    ix->entry_size = value_size <= MAX_VALUE_SIZE ? FRAME_LEN + (value_size + 3u) / 4u * 4u : 0;
}

void dnsfail_frame_index_clear(struct dnsfail_frame_index *ix)
{
    free(ix->entries);
    ix->entries = NULL;
    ix->count = ix->capacity = 0;
}

static unsigned char *entry_at(const struct dnsfail_frame_index *ix, size_t i)
{
    return ix->entries + i * ix->entry_size;
}

static uint32_t frame_at(const struct dnsfail_frame_index *ix, size_t i)
{
    uint32_t frame;
    memcpy(&frame, entry_at(ix, i), sizeof frame);
    return frame;
}

/* The first entry whose frame is not below frame (count when there is none). */
static size_t lower_bound(const struct dnsfail_frame_index *ix, uint32_t frame)
{
    size_t lo = 0, hi = ix->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (frame_at(ix, mid) < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Room for one more entry: the array doubles, so appending n entries copies O(n) bytes. */
static int reserve_one(struct dnsfail_frame_index *ix)
{
    if (ix->entry_size == 0)
        return 0;
    if (ix->count < ix->capacity)
        return 1;
    size_t capacity = ix->capacity ? 2 * ix->capacity : FIRST_CAPACITY;
    if (capacity > SIZE_MAX / ix->entry_size)
        return 0;
    unsigned char *entries = realloc(ix->entries, capacity * ix->entry_size);
    if (!entries)
        return 0;
    ix->entries = entries;
    ix->capacity = capacity;
    return 1;
}

void *dnsfail_frame_index_put(struct dnsfail_frame_index *ix, uint32_t frame)
{
    /* The usual case first: a frame after every frame kept so far. */
    size_t at = (ix->count == 0 || frame_at(ix, ix->count - 1) < frame) ? ix->count : lower_bound(ix, frame);
    if (at < ix->count && frame_at(ix, at) == frame)
        return entry_at(ix, at) + FRAME_LEN;
    if (!reserve_one(ix))
        return NULL;
    unsigned char *e = entry_at(ix, at);
    if (at < ix->count)
        memmove(e + ix->entry_size, e, (ix->count - at) * ix->entry_size);
    memset(e, 0, ix->entry_size);
    memcpy(e, &frame, sizeof frame);
    ix->count++;
    return e + FRAME_LEN;
}

void *dnsfail_frame_index_get(const struct dnsfail_frame_index *ix, uint32_t frame)
{
    size_t at = lower_bound(ix, frame);
    if (at < ix->count && frame_at(ix, at) == frame)
        return entry_at(ix, at) + FRAME_LEN;
    return NULL;
}
