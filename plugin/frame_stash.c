/* frame_stash.c - the one frame stash, and how long it lives.
 *
 * Frame dissections do not nest (a frame's analysis ends before the next frame starts,
 * and the analysis calls no dissector), so one stash serves: it belongs to the dissection
 * whose packet pool it names. It is emptied when that pool is freed or destroyed (a wmem
 * callback), which is when the tvbs it points at die, so it lives exactly as long as
 * proto data kept in pinfo->pool would, without that list node's allocation on every DNS
 * frame. The analysis takes it once, and a hook that finds it filled for another frame or
 * pool starts it afresh.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dnsfail_compat.h"
#include "frame_stash.h"

static struct frame_stash the_stash;
static wmem_allocator_t *stash_pool; /* NULL: the stash is empty */
static uint32_t stash_frame;
/* The frame's analysis took the stash: it stays the frame's, so that a later hook in the
 * same frame (a second IP packet in one frame: an A-MSDU, a PPP multiplex) neither begins
 * another nor has the frame analysed twice. The first one noted is the one analysed. */
static bool stash_taken;

/* The packet pools that call forget_stash(), with their callback ids: few at a time
 * (tshark uses one; the GUI a handful), each removed when its pool is destroyed. */
struct watched_pool {
    wmem_allocator_t *pool;
    unsigned callback_id;
};
static struct watched_pool *watched;
static size_t n_watched, watched_capacity;
static wmem_allocator_t *last_watched; /* the usual case: the same pool as last frame */

static void unwatch(wmem_allocator_t *pool)
{
    for (size_t i = 0; i < n_watched; i++) {
        if (watched[i].pool == pool) {
            watched[i] = watched[--n_watched];
            break;
        }
    }
    if (last_watched == pool)
        last_watched = NULL;
}

static dnsfail_wmem_cb_result forget_stash(wmem_allocator_t *pool, wmem_cb_event_t event, void *user_data _U_)
{
    if (stash_pool == pool)
        stash_pool = NULL;
    if (event == WMEM_CB_DESTROY_EVENT) {
        unwatch(pool);
        return false;
    }
    return true;
}

static void watch(wmem_allocator_t *pool)
{
    if (pool == last_watched)
        return;
    for (size_t i = 0; i < n_watched; i++) {
        if (watched[i].pool == pool) {
            last_watched = pool;
            return;
        }
    }
    if (n_watched == watched_capacity) {
        watched_capacity = watched_capacity ? 2 * watched_capacity : 8;
        watched = g_renew(struct watched_pool, watched, watched_capacity);
    }
    watched[n_watched].pool = pool;
    watched[n_watched].callback_id = wmem_register_callback(pool, forget_stash, NULL);
    n_watched++;
    last_watched = pool;
}

void frame_stash_shutdown(void)
{
    /* Called from dnsfail's shutdown routine. Packet pools may be freed later, some
     * after Wireshark has unloaded its plugins: none may call back into dnsfail then. */
    for (size_t i = 0; i < n_watched; i++)
        wmem_unregister_callback(watched[i].pool, watched[i].callback_id);
    g_free(watched);
    watched = NULL;
    n_watched = watched_capacity = 0;
    last_watched = NULL;
    stash_pool = NULL;
}

bool frame_stash_is_this_frames(const packet_info *pinfo)
{
    return stash_pool == pinfo->pool && stash_frame == pinfo->num;
}

struct frame_stash *frame_stash_take(packet_info *pinfo)
{
    if (!frame_stash_is_this_frames(pinfo) || stash_taken)
        return NULL;
    stash_taken = true;
    return &the_stash;
}

struct frame_stash *frame_stash_for(packet_info *pinfo, bool *began)
{
    *began = !frame_stash_is_this_frames(pinfo);
    if (*began) {
        watch(pinfo->pool);
        /* What says a member is set: the addresses are written with their tvb. */
        the_stash.icmp_tvb = the_stash.udp_tvb = the_stash.tcp_tvb = NULL;
        the_stash.results = NULL;
        the_stash.results_known = false;
        stash_taken = false;
        stash_pool = pinfo->pool;
        stash_frame = pinfo->num;
    }
    return &the_stash;
}
