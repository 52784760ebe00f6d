# Finds Debian's wireshark-dev and refuses versions this plugin has not been tested on:
# Wireshark loads a plugin only into the minor version it was built for.
# Tested: 4.0 (Debian 12, on the host) and 4.4 (Debian 13, in the debootstrap root of
# .ci/debian13.sh). Add a version here only once the whole suite passes on it.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set(DNSFAIL_TESTED_WIRESHARK "4.0" "4.4")

find_package(Wireshark CONFIG QUIET)
if(NOT Wireshark_FOUND)
  message(FATAL_ERROR
    "Wireshark's development files were not found.\n"
    "On Debian or Ubuntu: apt-get install wireshark-dev libwireshark-dev libglib2.0-dev\n"
    "or point CMAKE_PREFIX_PATH at a Wireshark install with lib/<arch>/wireshark/cmake.\n"
    "To build only the analysis core and its tests: -DDNSFAIL_PLUGIN=OFF")
endif()

set(DNSFAIL_WIRESHARK_MINOR "${Wireshark_MAJOR_VERSION}.${Wireshark_MINOR_VERSION}")
if(NOT DNSFAIL_WIRESHARK_MINOR IN_LIST DNSFAIL_TESTED_WIRESHARK)
  string(REPLACE ";" " and " _tested "${DNSFAIL_TESTED_WIRESHARK}")
  message(FATAL_ERROR
    "dnsfail supports Wireshark ${_tested}; found ${Wireshark_VERSION}. A plugin loads only into the "
    "Wireshark minor version it was built for, and this one has not been tested on ${DNSFAIL_WIRESHARK_MINOR}.")
endif()
if(NOT TARGET epan)
  message(FATAL_ERROR "Wireshark ${Wireshark_VERSION} was found but exports no 'epan' target")
endif()
message(STATUS "dnsfail: building for Wireshark ${Wireshark_VERSION} (${Wireshark_INSTALL_PREFIX})")
