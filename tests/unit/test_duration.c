/* test_duration.c - seconds typed by a person (the timeout preference) read into
 * nanoseconds, and every kind of bad value refused.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail/duration.h"

#include <stdint.h>

#include "check.h"

#define MAX_S UINT32_C(4294967295)

struct good {
    const char *text;
    int64_t ns;
};

static void test_whole_and_fractional_seconds(void)
{
    static const struct good cases[] = {
        {"5", INT64_C(5000000000)},
        {"1", INT64_C(1000000000)},
        {"2.5", INT64_C(2500000000)},
        {"2.3", INT64_C(2300000000)}, /* exactly: no binary double in between */
        {"0.25", INT64_C(250000000)},
        {"0.001", INT64_C(1000000)},
        {".5", INT64_C(500000000)},
        {"5.", INT64_C(5000000000)},
        {"10.000", INT64_C(10000000000)},
        {" 3 ", INT64_C(3000000000)},
        {"007", INT64_C(7000000000)},
        {"4294967295", INT64_C(4294967295000000000)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t ns = -1;
        CHECK_EQ_INT(dnsfail_parse_seconds(cases[i].text, MAX_S, &ns), DNSFAIL_SECONDS_OK);
        CHECK_EQ_INT(ns, cases[i].ns);
    }
}

struct bad {
    const char *text;
    uint32_t max_s;
    enum dnsfail_seconds_status status;
};

static void test_bad_values_refused(void)
{
    static const struct bad cases[] = {
        {"", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"  ", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {".", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"abc", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"-1", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"+1", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"1e3", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"2,5", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"2.5.1", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"5 s", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"0x10", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"2.3456x", MAX_S, DNSFAIL_SECONDS_NOT_A_NUMBER},
        {"2.3456", MAX_S, DNSFAIL_SECONDS_TOO_PRECISE},
        {"2.5000", MAX_S, DNSFAIL_SECONDS_TOO_PRECISE},
        {"0", MAX_S, DNSFAIL_SECONDS_ZERO},
        {"0.000", MAX_S, DNSFAIL_SECONDS_ZERO},
        {"4294967296", MAX_S, DNSFAIL_SECONDS_TOO_LARGE},
        {"4294967295.5", MAX_S, DNSFAIL_SECONDS_TOO_LARGE},
        {"99999999999999999999999", MAX_S, DNSFAIL_SECONDS_TOO_LARGE},
        {"61", 60, DNSFAIL_SECONDS_TOO_LARGE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t ns = 42;
        CHECK_EQ_INT(dnsfail_parse_seconds(cases[i].text, cases[i].max_s, &ns), cases[i].status);
        CHECK_EQ_INT(ns, 42); /* untouched */
        CHECK(dnsfail_seconds_status_text(cases[i].status)[0] != '\0');
    }
    int64_t ns = 42;
    CHECK_EQ_INT(dnsfail_parse_seconds(NULL, MAX_S, &ns), DNSFAIL_SECONDS_NOT_A_NUMBER);
    CHECK_EQ_INT(ns, 42);
}

int main(void)
{
    RUN_TEST(test_whole_and_fractional_seconds);
    RUN_TEST(test_bad_values_refused);
    return check_finish();
}
