/* two_files_compat.h - where the Wireshark API that two_files.c uses differs between the
 * supported versions (cmake/wireshark-versions.txt). The plugin's own differences are in
 * plugin/dnsfail_compat.h; these concern only a program that reads captures with wiretap
 * and dissects them itself, as tshark does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_TWO_FILES_COMPAT_H
#define DNSFAIL_TWO_FILES_COMPAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/frame_data.h>
#include <epan/proto.h>
#include <epan/tvbuff.h>
#include <wiretap/wtap.h>
#include <ws_version.h>
#include <wsutil/buffer.h>
#include <wsutil/filesystem.h>
#include <wsutil/wslog.h>

#define TWO_FILES_WS_AT_LEAST(major, minor)                                                                     \
    (WIRESHARK_VERSION_MAJOR > (major) || (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* A record read from a capture and its bytes. 4.6: the wtap_rec owns a buffer for the
 * bytes (wtap_rec_init takes its initial size, wtap_read no Buffer). 4.0 and 4.4: the
 * caller passes wtap_read a Buffer of its own. */
struct capture_record {
    wtap_rec rec;
#if !TWO_FILES_WS_AT_LEAST(4, 6)
    Buffer buf;
#endif
};

static inline void capture_record_init(struct capture_record *r)
{
#if TWO_FILES_WS_AT_LEAST(4, 6)
    wtap_rec_init(&r->rec, 1514);
#else
    wtap_rec_init(&r->rec);
    ws_buffer_init(&r->buf, 1514);
#endif
}

static inline bool capture_record_read(wtap *wth, struct capture_record *r, int *err, char **err_info,
                                       int64_t *offset)
{
#if TWO_FILES_WS_AT_LEAST(4, 6)
    return wtap_read(wth, &r->rec, err, err_info, offset);
#else
    gint64 at = 0;
    gboolean ok = wtap_read(wth, &r->rec, &r->buf, err, err_info, &at);
    *offset = at;
    return ok;
#endif
}

/* Dissects the record with taps. 4.6 builds the frame's tvb from the record's own buffer;
 * 4.0 and 4.4 take a tvb over the caller's Buffer (freed by epan_dissect_reset). */
static inline void capture_record_dissect(epan_dissect_t *edt, int file_type_subtype, struct capture_record *r,
                                          frame_data *fd)
{
#if TWO_FILES_WS_AT_LEAST(4, 6)
    epan_dissect_run_with_taps(edt, file_type_subtype, &r->rec, fd, NULL);
#else
    tvbuff_t *tvb = tvb_new_real_data(ws_buffer_start_ptr(&r->buf), fd->cap_len, fd->pkt_len);
    epan_dissect_run_with_taps(edt, file_type_subtype, &r->rec, tvb, fd, NULL);
#endif
}

static inline void capture_record_cleanup(struct capture_record *r)
{
    wtap_rec_cleanup(&r->rec);
#if !TWO_FILES_WS_AT_LEAST(4, 6)
    ws_buffer_free(&r->buf);
#endif
}

/* An item's label as the tree shows it. 4.6 adds an out-argument for where the value
 * starts in the label (NULL: not wanted). */
static inline void item_fill_label(const field_info *fi, char *label)
{
#if TWO_FILES_WS_AT_LEAST(4, 6)
    proto_item_fill_label(fi, label, NULL);
#else
    proto_item_fill_label((field_info *)fi, label);
#endif
}

/* 4.6 dropped the program name from ws_log_init and the namespace ("Wireshark", "Logray")
 * from configuration_init; 4.0 and 4.4 take them (NULL: Wireshark's). */
static inline void log_init(const char *progname)
{
#if TWO_FILES_WS_AT_LEAST(4, 6)
    (void)progname;
    ws_log_init(NULL);
#else
    ws_log_init(progname, NULL);
#endif
}

static inline char *program_configuration_init(const char *arg0)
{
#if TWO_FILES_WS_AT_LEAST(4, 6)
    return configuration_init(arg0);
#else
    return configuration_init(arg0, NULL);
#endif
}

#endif
