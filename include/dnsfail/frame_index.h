/* frame_index.h - small fixed-size values kept by frame number, in one sorted array.
 *
 * For what the first pass learns about a frame and later passes read back, when there
 * are many such frames (a timed-out query in a flood of unanswered ones): the first
 * pass meets the frames in increasing order, so a value is appended, and a lookup is a
 * binary search. Each entry costs its value and 4 bytes, and the entries lie together;
 * a hash map would add a node, a bucket and an allocation per entry, and scatter them.
 * Frames that come out of order are still placed in order (a move of the tail).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_FRAME_INDEX_H
#define DNSFAIL_FRAME_INDEX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dnsfail_frame_index {
    size_t entry_size;   /* a 4-byte frame number, then the value, padded to 4 bytes; 0 until
                          * dnsfail_frame_index_init (every put fails) */
    size_t count;
    size_t capacity;
    unsigned char *entries;
};

/* An empty index of values of value_size bytes; past 1 KB, an index where every put
 * fails. */
void dnsfail_frame_index_init(struct dnsfail_frame_index *ix, size_t value_size);
/* Frees every entry; the index stays usable, empty. */
void dnsfail_frame_index_clear(struct dnsfail_frame_index *ix);

/* The value kept for frame, made (zeroed) when there is none; NULL only when memory ran
 * out. Values are aligned to 4 bytes. The pointer is good until the next
 * dnsfail_frame_index_put or clear. */
void *dnsfail_frame_index_put(struct dnsfail_frame_index *ix, uint32_t frame);
/* The value kept for frame, or NULL. */
void *dnsfail_frame_index_get(const struct dnsfail_frame_index *ix, uint32_t frame);

#ifdef __cplusplus
}
#endif

#endif
