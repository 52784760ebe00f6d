/* Opens capture files one after another in one process, as Wireshark's GUI does when the
 * analyst opens another file: each file gets its own epan session (epan_new runs every
 * dissector's init routines and enters wmem's file scope; epan_free runs the cleanup
 * routines and leaves it). Each frame is dissected once, with a visible tree, and every
 * item dnsfail added is printed as "N<TAB>FILE<TAB>FRAME<TAB>FIELD<TAB>LABEL", N being the
 * file's place on the command line.
 *
 *   two_files CAPTURE [CAPTURE...]
 *
 * Run through tests/helpers/tshark_as_user.sh so that only the built plugin is loaded.
 * The test no_state_across_files compares a file's lines after other files with its lines
 * in a fresh process: they must be the same.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/frame_data.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <wiretap/wtap.h>
#include <wsutil/privileges.h>

#include "two_files_compat.h"

struct packet_provider_data {
    GArray *ts; /* nstime_t of each frame read so far, for time references */
};

static const nstime_t *get_frame_ts(struct packet_provider_data *prov, guint32 frame_num)
{
    if (frame_num == 0 || frame_num > prov->ts->len)
        return NULL;
    return &g_array_index(prov->ts, nstime_t, frame_num - 1);
}

static void print_items(int index, const char *file, guint32 num, proto_tree *tree)
{
    GPtrArray *all = proto_all_finfos(tree);
    for (guint i = 0; i < all->len; i++) {
        field_info *fi = g_ptr_array_index(all, i);
        if (!fi->hfinfo || strncmp(fi->hfinfo->abbrev, "dnsfail", 7) != 0)
            continue;
        char label[ITEM_LABEL_LENGTH] = "";
        if (fi->rep)
            g_strlcpy(label, fi->rep->representation, sizeof label);
        else
            item_fill_label(fi, label);
        printf("%d\t%s\t%u\t%s\t%s\n", index, file, num, fi->hfinfo->abbrev, label);
    }
    g_ptr_array_free(all, TRUE);
}

static int dissect_file(int index, const char *path)
{
    int err = 0;
    gchar *err_info = NULL;
    wtap *wth = wtap_open_offline(path, WTAP_TYPE_AUTO, &err, &err_info, FALSE);
    if (!wth) {
        fprintf(stderr, "two_files: cannot open %s: error %d %s\n", path, err, err_info ? err_info : "");
        return 1;
    }
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    struct packet_provider_data prov = {.ts = g_array_new(FALSE, FALSE, sizeof(nstime_t))};
    static const struct packet_provider_funcs funcs = {get_frame_ts, NULL, NULL, NULL};
    epan_t *session = epan_new(&prov, &funcs);

    struct capture_record r;
    capture_record_init(&r);
    int64_t offset;
    guint32 num = 0, cum_bytes = 0;
    nstime_t elapsed = NSTIME_INIT_ZERO;
    const frame_data *ref = NULL;
    frame_data prev; /* the previous frame, for the frame dissector's time deltas */
    gboolean have_prev = FALSE;
    epan_dissect_t *edt = epan_dissect_new(session, TRUE, TRUE);
    while (capture_record_read(wth, &r, &err, &err_info, &offset)) {
        frame_data fd;
        g_array_append_val(prov.ts, r.rec.ts);
        frame_data_init(&fd, ++num, &r.rec, offset, cum_bytes);
        frame_data_set_before_dissect(&fd, &elapsed, &ref, have_prev ? &prev : NULL);
        if (ref == &fd) { /* the first frame is the time reference: keep a copy that outlives fd */
            static frame_data first;
            first = fd;
            ref = &first;
        }
        capture_record_dissect(edt, wtap_file_type_subtype(wth), &r, &fd);
        print_items(index, name, num, edt->tree);
        frame_data_set_after_dissect(&fd, &cum_bytes);
        epan_dissect_reset(edt); /* frees the frame's tvb */
        prev = fd;
        have_prev = TRUE;
        frame_data_destroy(&fd);
        wtap_rec_reset(&r.rec);
    }
    epan_dissect_free(edt);
    capture_record_cleanup(&r);
    epan_free(session);
    g_array_free(prov.ts, TRUE);
    wtap_close(wth);
    if (err) {
        fprintf(stderr, "two_files: reading %s: error %d %s\n", path, err, err_info ? err_info : "");
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: two_files CAPTURE [CAPTURE...]\n");
        return 2;
    }
    log_init("two_files");
    init_process_policies();
    char *error = program_configuration_init(argv[0]);
    if (error) {
        fprintf(stderr, "two_files: %s\n", error);
        return 2;
    }
    wtap_init(TRUE);
    if (!epan_init(NULL, NULL, TRUE)) {
        fprintf(stderr, "two_files: epan_init failed\n");
        return 2;
    }
    epan_load_settings();
    if (!proto_registrar_get_byname("dnsfail")) {
        fprintf(stderr, "two_files: the dnsfail plugin is not loaded\n");
        return 2;
    }
    int rc = 0;
    for (int i = 1; i < argc; i++)
        rc |= dissect_file(i, argv[i]);
    epan_cleanup();
    wtap_cleanup();
    return rc;
}
