/* fuzz_common.h - what every harness shares: the libFuzzer entry point's prototype, a
 * cursor that reads control values from the input, and invariant checks that abort
 * (libFuzzer, and the replay runner, then report the input that broke them).
 *
 * Built two ways: with clang and -fsanitize=fuzzer (libFuzzer supplies main), and with
 * any compiler together with replay.c, which calls the entry point on every corpus file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_FUZZ_COMMON_H
#define DNSFAIL_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant the core promises: abort (not assert, which NDEBUG would remove) so the
 * fuzzer saves the input and the replay test fails. */
#define FUZZ_CHECK(cond)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);   \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

/* Reads control values from the front of the input; past the end every read gives 0,
 * so any input, even an empty one, decodes to some sequence of operations. */
struct fuzz_cursor {
    const uint8_t *p;
    size_t left;
};

static inline struct fuzz_cursor fuzz_cursor(const uint8_t *data, size_t size)
{
    struct fuzz_cursor c = {data, size};
    return c;
}

static inline uint8_t fuzz_u8(struct fuzz_cursor *c)
{
    if (c->left == 0)
        return 0;
    c->left--;
    return *c->p++;
}

static inline uint16_t fuzz_u16(struct fuzz_cursor *c)
{
    uint16_t hi = fuzz_u8(c);
    return (uint16_t)((hi << 8) | fuzz_u8(c));
}

static inline uint32_t fuzz_u32(struct fuzz_cursor *c)
{
    uint32_t hi = fuzz_u16(c);
    return (hi << 16) | fuzz_u16(c);
}

static inline uint64_t fuzz_u64(struct fuzz_cursor *c)
{
    uint64_t hi = fuzz_u32(c);
    return (hi << 32) | fuzz_u32(c);
}

/* Copies n bytes (zeros past the end of the input). */
static inline void fuzz_bytes(struct fuzz_cursor *c, void *out, size_t n)
{
    size_t have = n < c->left ? n : c->left;
    if (have)
        memcpy(out, c->p, have);
    if (have < n)
        memset((uint8_t *)out + have, 0, n - have);
    c->p += have;
    c->left -= have;
}

/* a + b, held at the ends of int64 instead of overflowing (the harnesses' own clocks). */
static inline int64_t fuzz_add_sat(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

/* A string the core wrote into buf[size]: NUL-terminated inside it. Returns its length. */
static inline size_t fuzz_check_string(const char *buf, size_t size)
{
    FUZZ_CHECK(size > 0);
    const char *nul = memchr(buf, '\0', size);
    FUZZ_CHECK(nul != NULL);
    return (size_t)(nul - buf);
}

/* Text meant for a column, a report or JSON: no control character but newline. */
static inline void fuzz_check_printable(const char *s, size_t n, bool newlines_ok)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        FUZZ_CHECK(ch >= 0x20 || (newlines_ok && ch == '\n'));
        FUZZ_CHECK(ch != 0x7F);
    }
}

#endif
