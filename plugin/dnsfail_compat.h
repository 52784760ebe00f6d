/* dnsfail_compat.h - the one place where Wireshark versions differ for this plugin.
 *
 * Tested versions: 4.0 (Debian 12), 4.4 (Debian 13) and 4.6 (Debian 14); the list is
 * cmake/wireshark-versions.txt, and cmake/FindWiresharkForDnsfail.cmake refuses others. Everything below is keyed on the version of the headers the plugin is
 * built against, so one source tree builds for each; the .c files use the names defined
 * here (or Wireshark's current names, with a fallback here for older versions).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_COMPAT_H
#define DNSFAIL_COMPAT_H

#include <ws_version.h>

#define DNSFAIL_WS_AT_LEAST(major, minor)                                                                       \
    (WIRESHARK_VERSION_MAJOR > (major) || (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

#if !DNSFAIL_WS_AT_LEAST(4, 0)
#error "dnsfail needs Wireshark 4.0 or later"
#endif

/* The plugin loader. 4.0 reads plugin_version, plugin_want_major/minor and plugin_register.
 * 4.2+ also reads plugin_describe() (WS_PLUGIN_DESC_* flags, <wsutil/plugins.h>, a header
 * 4.0 does not install); without it `tshark -G plugins` lists the plugin as "unknown"
 * instead of "dissector". DNSFAIL_PLUGIN_DESCRIBE_DISSECTOR defines it where it exists and
 * declares nothing else otherwise; use it once, at file scope, followed by a ';'. */
#if DNSFAIL_WS_AT_LEAST(4, 2)
#include <stdint.h>
#include <ws_symbol_export.h>
#include <wsutil/plugins.h>
#define DNSFAIL_PLUGIN_DESCRIBE_DISSECTOR                                                                       \
    WS_DLL_PUBLIC uint32_t plugin_describe(void);                                                              \
    uint32_t plugin_describe(void) { return WS_PLUGIN_DESC_DISSECTOR; }                                        \
    extern int dnsfail_plugin_describe_defined_
#else
#define DNSFAIL_PLUGIN_DESCRIBE_DISSECTOR extern int dnsfail_plugin_describe_not_needed_
#endif

/* 4.2+ names the fixed-width tvb getters after <stdint.h> (tvb_get_uint8) and deprecates
 * the glib-typed ones (tvb_get_guint8: a warning on 4.4). 4.0 has only the old name. */
#if !DNSFAIL_WS_AT_LEAST(4, 2)
#define tvb_get_uint8 tvb_get_guint8
#endif

/* A wmem callback (wmem_register_callback) returns whether it stays registered: gboolean
 * in 4.0, bool in 4.4. The type differs, so the callback's signature does too. */
#if DNSFAIL_WS_AT_LEAST(4, 4)
#include <stdbool.h>
typedef bool dnsfail_wmem_cb_result;
#else
#include <glib.h>
typedef gboolean dnsfail_wmem_cb_result;
#endif

/* Compiling a display filter: 4.0 hands the error back as a g_malloc'ed string, 4.2+ as a
 * df_error_t. dnsfail_dfilter_compile gives a g_malloc'ed message either way (NULL when
 * there is none) for the caller to g_free. */
#include <epan/dfilter/dfilter.h>
#include <glib.h>
#include <stdbool.h>
static inline bool dnsfail_dfilter_compile(const char *text, dfilter_t **code, char **error)
{
#if DNSFAIL_WS_AT_LEAST(4, 2)
    df_error_t *err = NULL;
    bool ok = dfilter_compile(text, code, &err);
    *error = err && err->msg ? g_strdup(err->msg) : NULL;
    if (err)
        df_error_free(&err);
    return ok;
#else
    return dfilter_compile(text, code, error);
#endif
}

/* A -z handler's init callback (stat_tap_ui.tap_init_cb): void in 4.0 and 4.4, where a
 * wrong argument is the callback's to end tshark with; bool in 4.6+, where tshark exits
 * with status 1 when it returns false. The plugin writes `bool start(const char *opt_arg)`,
 * which prints what is wrong and returns false; DNSFAIL_STAT_TAP_INIT_CB(name, start)
 * defines the callback `name` around it, so a wrong argument ends tshark with status 1 and
 * the plugin's message on every version. Use it at file scope, followed by a ';'. */
#include <stdlib.h>
#if DNSFAIL_WS_AT_LEAST(4, 6)
#define DNSFAIL_STAT_TAP_INIT_CB(name, start)                                                                   \
    static bool name(const char *opt_arg, void *userdata)                                                      \
    {                                                                                                          \
        (void)userdata;                                                                                        \
        return start(opt_arg);                                                                                 \
    }                                                                                                          \
    extern int dnsfail_stat_tap_init_cb_##name##_
#else
#define DNSFAIL_STAT_TAP_INIT_CB(name, start)                                                                   \
    static void name(const char *opt_arg, void *userdata)                                                      \
    {                                                                                                          \
        (void)userdata;                                                                                        \
        if (!start(opt_arg))                                                                                   \
            exit(1);                                                                                           \
    }                                                                                                          \
    extern int dnsfail_stat_tap_init_cb_##name##_
#endif

#endif
