# Finds Debian's wireshark-dev and refuses versions this plugin has not been tested on:
# Wireshark loads a plugin only into the minor version it was built for.
# The supported versions are the first column of cmake/wireshark-versions.txt, the one list
# that the tests and the Debian roots of CI read too. Add a version there only once the
# whole suite passes on it.
#
# SPDX-License-Identifier: GPL-2.0-or-later
file(STRINGS "${CMAKE_CURRENT_LIST_DIR}/wireshark-versions.txt" _dnsfail_version_lines REGEX "^[0-9]")
set(DNSFAIL_TESTED_WIRESHARK "")
set(DNSFAIL_WIRESHARK_RELEASES "") # "4.4 13 trixie" lines, as in the file
foreach(_line IN LISTS _dnsfail_version_lines)
  string(REGEX MATCH "^([0-9]+\\.[0-9]+)[ \t]+([0-9]+)[ \t]+([a-z]+)$" _ok "${_line}")
  if(NOT _ok)
    message(FATAL_ERROR "cmake/wireshark-versions.txt: cannot read '${_line}' (version, Debian release, codename)")
  endif()
  list(APPEND DNSFAIL_TESTED_WIRESHARK "${CMAKE_MATCH_1}")
  list(APPEND DNSFAIL_WIRESHARK_RELEASES "${CMAKE_MATCH_1} ${CMAKE_MATCH_2} ${CMAKE_MATCH_3}")
endforeach()

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
  set(_tested "")
  foreach(_release IN LISTS DNSFAIL_WIRESHARK_RELEASES)
    string(REGEX REPLACE "^([^ ]+) ([^ ]+) .*" "\\1 (Debian \\2)" _one "${_release}")
    list(APPEND _tested "${_one}")
  endforeach()
  string(REPLACE ";" ", " _tested "${_tested}")
  message(FATAL_ERROR
    "dnsfail supports Wireshark ${_tested}; found ${Wireshark_VERSION}. A plugin loads only into the "
    "Wireshark minor version it was built for, and this one has not been tested on ${DNSFAIL_WIRESHARK_MINOR}.")
endif()
if(NOT TARGET epan)
  message(FATAL_ERROR "Wireshark ${Wireshark_VERSION} was found but exports no 'epan' target")
endif()
message(STATUS "dnsfail: building for Wireshark ${Wireshark_VERSION} (${Wireshark_INSTALL_PREFIX})")
