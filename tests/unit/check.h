/* check.h - the unit tests' own assertions: no framework, one header.
 *
 * A failed check prints file:line and what was compared, counts the failure and lets
 * the test go on; every CHECK* is also an expression that is false on failure, so a
 * test can stop where going on makes no sense:  if (!CHECK(t != NULL)) return;
 *
 * main() runs each test with RUN_TEST(fn) and ends with  return check_finish();
 * which is non-zero when any check failed (or when no check ran at all).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_TEST_CHECK_H
#define DNSFAIL_TEST_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct check_state {
    unsigned long checks;
    unsigned long failures;
    unsigned tests;
    unsigned failed_tests;
    const char *current;
};

static inline struct check_state *check_state(void)
{
    static struct check_state state;
    return &state;
}

static inline bool check_fail_(const char *file, int line)
{
    struct check_state *s = check_state();
    s->failures++;
    fprintf(stderr, "%s:%d: FAIL in %s: ", file, line, s->current ? s->current : "?");
    return false;
}

static inline bool check_true_(bool ok, const char *expr, const char *file, int line)
{
    check_state()->checks++;
    if (ok)
        return true;
    check_fail_(file, line);
    fprintf(stderr, "CHECK(%s)\n", expr);
    return false;
}

static inline bool check_eq_int_(long long got, long long want, const char *got_expr, const char *want_expr,
                                 const char *file, int line)
{
    check_state()->checks++;
    if (got == want)
        return true;
    check_fail_(file, line);
    fprintf(stderr, "%s == %s: got %lld, want %lld\n", got_expr, want_expr, got, want);
    return false;
}

static inline bool check_str_eq_(const char *got, const char *want, const char *got_expr, const char *want_expr,
                                 const char *file, int line)
{
    check_state()->checks++;
    if (got && want && strcmp(got, want) == 0)
        return true;
    check_fail_(file, line);
    fprintf(stderr, "%s == %s: got \"%s\", want \"%s\"\n", got_expr, want_expr, got ? got : "(null)",
            want ? want : "(null)");
    return false;
}

#define CHECK(cond) check_true_((cond) ? true : false, #cond, __FILE__, __LINE__)
#define CHECK_EQ_INT(got, want) check_eq_int_((long long)(got), (long long)(want), #got, #want, __FILE__, __LINE__)
#define CHECK_STR_EQ(got, want) check_str_eq_((got), (want), #got, #want, __FILE__, __LINE__)

static inline void check_run_(void (*fn)(void), const char *name)
{
    struct check_state *s = check_state();
    unsigned long before_checks = s->checks;
    unsigned long before_failures = s->failures;

    s->current = name;
    s->tests++;
    fn();
    if (s->failures != before_failures) {
        s->failed_tests++;
        printf("FAIL %s\n", name);
    } else if (s->checks == before_checks) {
        /* A test that asserts nothing cannot fail: count it as a failure. */
        s->failures++;
        s->failed_tests++;
        printf("FAIL %s (no check ran)\n", name);
    } else {
        printf("ok   %s\n", name);
    }
    s->current = NULL;
}

#define RUN_TEST(fn) check_run_((fn), #fn)

static inline int check_finish(void)
{
    struct check_state *s = check_state();
    printf("%u tests, %lu checks, %lu failed checks, %u failed tests\n", s->tests, s->checks, s->failures,
           s->failed_tests);
    fflush(stdout);
    return (s->failures == 0 && s->tests > 0) ? 0 : 1;
}

#endif
