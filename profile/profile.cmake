# The "dnsfail" Wireshark configuration profile (coloring rules, display filter buttons,
# columns): a zip for Configuration Profiles > Import > from zip file, and install rules
# (COMPONENT profile) that put the profile where Wireshark finds it by itself.
# Included from the top-level CMakeLists.txt, after DNSFAIL_INSTALL_SCOPE is checked.
#
# SPDX-License-Identifier: GPL-2.0-or-later
include(GNUInstallDirs)

set(DNSFAIL_PROFILE_SOURCE_DIR ${CMAKE_CURRENT_LIST_DIR}/dnsfail)
set(DNSFAIL_PROFILE_FILES colorfilters dfilter_buttons io_graphs preferences recent)
set(DNSFAIL_PROFILE_ZIP ${CMAKE_CURRENT_BINARY_DIR}/dnsfail-profile.zip)

# Wireshark's importer takes the folders of the zip that hold configuration files as the
# profiles, named after the folder: so the zip holds dnsfail/<file>. Files only, no
# directory entry, as in the zips Wireshark exports itself.
set(_zip_members "")
set(_zip_sources "")
foreach(f ${DNSFAIL_PROFILE_FILES})
  list(APPEND _zip_members dnsfail/${f})
  list(APPEND _zip_sources ${DNSFAIL_PROFILE_SOURCE_DIR}/${f})
endforeach()
add_custom_command(OUTPUT ${DNSFAIL_PROFILE_ZIP}
  COMMAND ${CMAKE_COMMAND} -E tar cf ${DNSFAIL_PROFILE_ZIP} --format=zip ${_zip_members}
  WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR}
  DEPENDS ${_zip_sources}
  COMMENT "Zipping the dnsfail configuration profile"
  VERBATIM)
add_custom_target(dnsfail_profile_zip ALL DEPENDS ${DNSFAIL_PROFILE_ZIP})

if(DNSFAIL_INSTALL_SCOPE STREQUAL "user")
  # Where Wireshark reads personal profiles (wsutil/filesystem.c): $WIRESHARK_CONFIG_DIR,
  # else $XDG_CONFIG_HOME/wireshark (~/.config/wireshark), else an existing ~/.wireshark.
  if(DEFINED ENV{WIRESHARK_CONFIG_DIR})
    set(_ws_config_dir "$ENV{WIRESHARK_CONFIG_DIR}")
  else()
    if(DEFINED ENV{XDG_CONFIG_HOME} AND NOT "$ENV{XDG_CONFIG_HOME}" STREQUAL "")
      set(_ws_config_dir "$ENV{XDG_CONFIG_HOME}/wireshark")
    else()
      set(_ws_config_dir "$ENV{HOME}/.config/wireshark")
    endif()
    if(NOT IS_DIRECTORY "${_ws_config_dir}" AND IS_DIRECTORY "$ENV{HOME}/.wireshark")
      set(_ws_config_dir "$ENV{HOME}/.wireshark")
    endif()
  endif()
  set(DNSFAIL_PROFILES_DIR "${_ws_config_dir}/profiles")
  # Beside the personal plugin, not under a prefix the user may not write to.
  set(DNSFAIL_PROFILE_ZIP_DIR "$ENV{HOME}/.local/share/doc/dnsfail")
else()
  # Global profiles: <data dir>/profiles, listed in Configuration Profiles for every user
  # (and tshark -C copies one into the personal profiles on first use). Debian's data dir
  # is /usr/share/wireshark; the cmake package names no data dir, so derive it from the prefix.
  set(DNSFAIL_GLOBAL_PROFILES_DIR "${Wireshark_INSTALL_PREFIX}/share/wireshark/profiles" CACHE PATH
      "Wireshark's global configuration profiles folder (<data dir>/profiles)")
  set(DNSFAIL_PROFILES_DIR "${DNSFAIL_GLOBAL_PROFILES_DIR}")
  set(DNSFAIL_PROFILE_ZIP_DIR "${CMAKE_INSTALL_DOCDIR}")
endif()

install(FILES ${_zip_sources} DESTINATION "${DNSFAIL_PROFILES_DIR}/dnsfail" COMPONENT profile)
install(FILES ${DNSFAIL_PROFILE_ZIP} DESTINATION "${DNSFAIL_PROFILE_ZIP_DIR}" COMPONENT profile)
message(STATUS "dnsfail: cmake --install puts the configuration profile in ${DNSFAIL_PROFILES_DIR}/dnsfail")
