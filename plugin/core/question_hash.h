/* question_hash.h - a DNS question as the tracker keys it: hashed and compared without
 * case (resolvers using DNS 0x20 change case on each retry), a word at a time. Internal to
 * the core.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_QUESTION_HASH_H
#define DNSFAIL_QUESTION_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnsfail/bytes.h"
#include "dnsfail/dns_message.h"
#include "ring_table.h"

/* ASCII upper case to lower case in each byte of w (8 bytes of a name at once), every
 * other byte unchanged. Per byte: the high bit of from_a is set where the low 7 bits are
 * 'A' or more, that of past_z where they are past 'Z' (neither sum carries into the next
 * byte); a byte with its own high bit set is no letter. */
static inline uint64_t fold_case_word(uint64_t w)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), high = ones * 0x80u;
    uint64_t low7 = w & ~high;
    uint64_t from_a = low7 + ones * (0x80u - 'A');
    uint64_t past_z = low7 + ones * (0x80u - 'Z' - 1u);
    uint64_t upper = from_a & ~past_z & ~w & high;
    return w | (upper >> 2); /* 0x80 >> 2: the case bit, clear in an upper-case letter */
}

/* The bytes of a name past its last whole 8-byte word (len not a multiple of 8), as one
 * word: its last 8 bytes, overlapping the word before, or all of a shorter name. Which
 * bytes go where depends on len alone, so names that are equal but for case give words
 * that are equal once folded. */
static inline uint64_t name_tail(const uint8_t *p, size_t len)
{
    if (len >= 8)
        return dnsfail_load_u64(p + len - 8);
    if (len >= 4)
        return dnsfail_load_u32(p) | (uint64_t)dnsfail_load_u32(p + len - 4) << 32;
    uint64_t w = 0;
    for (size_t i = 0; i < len; i++)
        w = w << 8 | p[i];
    return w;
}

/* A question alone: its name without case (resolvers using DNS 0x20 change case on each
 * retry), type and class. Equal questions (record_asks) hash alike; the keys of the
 * questions and failed tables extend this hash. */
static inline uint64_t hash_question(const struct dnsfail_question *q)
{
    const uint8_t *p = q->qname.wire;
    size_t len = q->qname.wire_len, i = 0;
    uint64_t h = ring_hash_word(RING_HASH_SEED, (uint64_t)len | (uint64_t)q->qtype << 16 | (uint64_t)q->qclass << 32);
    for (; len - i >= 8; i += 8)
        h = ring_hash_word(h, fold_case_word(dnsfail_load_u64(p + i)));
    if (i < len)
        h = ring_hash_word(h, fold_case_word(name_tail(p, len)));
    return h;
}

/* Names compare without case, as hash_question hashes them. */
static inline bool name_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
    size_t i = 0;
    for (; len - i >= 8; i += 8) {
        if (fold_case_word(dnsfail_load_u64(a + i)) != fold_case_word(dnsfail_load_u64(b + i)))
            return false;
    }
    return i == len || fold_case_word(name_tail(a, len)) == fold_case_word(name_tail(b, len));
}
#endif
