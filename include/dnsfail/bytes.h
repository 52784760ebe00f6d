/* bytes.h - reading integers from packet bytes.
 *
 * Static inline: the parsers read every header field through these, on every frame, and
 * the tables hash their keys a word at a time through the native loads.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_BYTES_H
#define DNSFAIL_BYTES_H

#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A 16-bit or 32-bit field in network order (big-endian); p must hold 2 or 4 bytes. */
static inline uint16_t dnsfail_read_u16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t dnsfail_read_u32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* 4 or 8 bytes in the host's own order, from any alignment: for hashing and comparing
 * bytes a word at a time, where the order does not matter as long as it is always the same. */
static inline uint32_t dnsfail_load_u32(const uint8_t *p)
{
    uint32_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

static inline uint64_t dnsfail_load_u64(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

#ifdef __cplusplus
}
#endif

#endif
