/* field_refs.h - a set of registered fields, for asking whether a filter, -e or a column
 * references one of them.
 *
 * The registrar keeps pointers into the registering file's static arrays, so the infos
 * stay valid; asking is then a short loop, not a registrar lookup per field per failure.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DNSFAIL_FIELD_REFS_H
#define DNSFAIL_FIELD_REFS_H

#include <stdbool.h>
#include <stddef.h>

#include <epan/proto.h>

struct field_refs {
    const header_field_info *infos[48];
    size_t n;
};

/* After registration: adds the field with this id (unknown ids are left out). */
static inline void field_refs_add(struct field_refs *set, int id)
{
    const header_field_info *hfi = id >= 0 ? proto_registrar_get_nth((unsigned)id) : NULL;
    if (hfi && set->n < sizeof set->infos / sizeof set->infos[0])
        set->infos[set->n++] = hfi;
}

static inline bool field_refs_any(const struct field_refs *set)
{
    for (size_t i = 0; i < set->n; i++) {
        if (set->infos[i]->ref_type != HF_REF_TYPE_NONE)
            return true;
    }
    return false;
}

#endif
