/* report_format.c - the words both reports print: addresses, questions, times, services.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>

void report_addr_text(const struct dnsfail_addr *a, char *buf, size_t size)
{
    dnsfail_addr_format(a, buf, size);
}

void report_name_text(const struct dnsfail_question *q, char *buf, size_t size)
{
    dnsfail_dns_name_format(&q->qname, buf, size);
}

void report_type_text(uint16_t qtype, char *buf, size_t size)
{
    dnsfail_dns_type_format(qtype, buf, size);
}

/* "IN", "CH", or "CLASS258"; the mDNS unicast-response bit is ignored. */
void report_class_text(uint16_t qclass, char *buf, size_t size)
{
    const char *name = dnsfail_dns_class_name(qclass);
    if (name)
        snprintf(buf, size, "%s", name);
    else
        snprintf(buf, size, "CLASS%u", (unsigned)qclass);
}

bool report_class_is_in(uint16_t qclass)
{
    return (qclass & 0x7fffu) == 1;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

struct utc {
    int64_t year;
    unsigned month, day, hour, minute, second;
    unsigned micro;
};

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm), no time zone database. */
static void utc_of(int64_t ns, struct utc *u)
{
    int64_t us = floor_div(ns, 1000);
    int64_t secs = floor_div(us, 1000000);
    int64_t days = floor_div(secs, 86400);
    int64_t sod = secs - days * 86400;
    u->micro = (unsigned)(us - secs * 1000000);
    u->hour = (unsigned)(sod / 3600);
    u->minute = (unsigned)(sod / 60 % 60);
    u->second = (unsigned)(sod % 60);

    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    u->day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    u->month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    u->year = yoe + era * 400 + (u->month <= 2 ? 1 : 0);
}

/* "2026-11-25 16:33:01.360997" (sep ' ') or "2026-11-25T16:33:01.360997Z" (sep 'T'). */
void report_time_text(int64_t ns, char sep, char *buf, size_t size)
{
    struct utc u;
    utc_of(ns, &u);
    snprintf(buf, size, "%04" PRId64 "-%02u-%02u%c%02u:%02u:%02u.%06u%s", u.year, u.month, u.day, sep, u.hour,
             u.minute, u.second, u.micro, sep == 'T' ? "Z" : "");
}

/* The window's length from the printed (microsecond) times, so the numbers agree. */
void report_seconds_text(int64_t first_ns, int64_t last_ns, char *buf, size_t size)
{
    int64_t d = floor_div(last_ns, 1000) - floor_div(first_ns, 1000);
    if (d < 0)
        d = 0;
    snprintf(buf, size, "%" PRId64 ".%06" PRId64, d / 1000000, d % 1000000);
}

const char *dnsfail_service_name(uint16_t server_port)
{
    switch (server_port) {
    case 5353:
        return "mDNS";
    case 5355:
        return "LLMNR";
    default:
        return "DNS";
    }
}
