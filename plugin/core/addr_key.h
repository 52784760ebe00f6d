/* addr_key.h - an address as part of a table's key: its hash and its comparison.
 *
 * One hash of an address for every table of the core, so that the tables agree on what
 * of an address counts (the family and its meaningful bytes, what dnsfail_addr_equal
 * compares). Static inline and a word at a time: the tracker hashes two addresses on
 * every DNS message. Internal to the core.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_ADDR_KEY_H
#define DNSFAIL_ADDR_KEY_H

#include <stdbool.h>
#include <stdint.h>

#include "dnsfail/addr.h"
#include "dnsfail/bytes.h"
#include "dnsfail/flow.h"
#include "ring_table.h"

/* Extends h by the address's meaningful bytes only: the caller hashes the family, often
 * packed into one word with other small fields of its key. */
static inline uint64_t addr_key_hash_bytes(uint64_t h, const struct dnsfail_addr *a)
{
    if (a->family == DNSFAIL_AF_IPV4)
        return ring_hash_word(h, dnsfail_load_u32(a->bytes));
    if (a->family == DNSFAIL_AF_IPV6)
        return ring_hash_word(ring_hash_word(h, dnsfail_load_u64(a->bytes)), dnsfail_load_u64(a->bytes + 8));
    return h;
}

/* Extends h by the whole address: its family, then its bytes. */
static inline uint64_t addr_key_hash(uint64_t h, const struct dnsfail_addr *a)
{
    return addr_key_hash_bytes(ring_hash_word(h, a->family), a);
}

/* dnsfail_addr_equal, inline: the family and its meaningful bytes. */
static inline bool addr_key_equal(const struct dnsfail_addr *a, const struct dnsfail_addr *b)
{
    if (a->family != b->family)
        return false;
    if (a->family == DNSFAIL_AF_IPV4)
        return dnsfail_load_u32(a->bytes) == dnsfail_load_u32(b->bytes);
    if (a->family == DNSFAIL_AF_IPV6)
        return dnsfail_load_u64(a->bytes) == dnsfail_load_u64(b->bytes) &&
               dnsfail_load_u64(a->bytes + 8) == dnsfail_load_u64(b->bytes + 8);
    return true;
}

/* A flow as a table's key: its small fields in one word, then both addresses' bytes. */
static inline uint64_t flow_key_hash(const struct dnsfail_flow *f)
{
    uint64_t head = (uint64_t)f->client.family | (uint64_t)f->server.family << 8 | (uint64_t)f->client_port << 16 |
                    (uint64_t)f->server_port << 32 | (uint64_t)f->transport << 48;
    uint64_t h = addr_key_hash_bytes(ring_hash_word(RING_HASH_SEED, head), &f->client);
    return ring_hash_finish(addr_key_hash_bytes(h, &f->server));
}

/* Two flows are one: every member, field by field (never the struct's bytes, whose
 * padding is not the caller's to set). */
static inline bool flow_key_equal(const struct dnsfail_flow *a, const struct dnsfail_flow *b)
{
    return a->client_port == b->client_port && a->server_port == b->server_port && a->transport == b->transport &&
           addr_key_equal(&a->client, &b->client) && addr_key_equal(&a->server, &b->server);
}

#endif
