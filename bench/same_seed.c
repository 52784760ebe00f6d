/* same_seed.c - preloaded into tshark by `bench.py --same-seeds`: GLib's g_random_int()
 * returns one constant, so Wireshark's hash maps (wmem_map draws its seed from it) are laid
 * out alike in every run, with and without dnsfail. A run's instruction count then no
 * longer moves by about 0.3% from one run to the next, and two builds of the plugin can be
 * compared to the instruction. For measuring only: nothing else should run with it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>

uint32_t g_random_int(void);

uint32_t g_random_int(void)
{
    return UINT32_C(0x9e3779b9);
}
