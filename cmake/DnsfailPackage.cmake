# The Debian package for shared analyst workstations: the plugin in Wireshark's global
# plugin folder (every user), plus whatever else `cmake --install` installs by default
# (the configuration profile, the man page; not the EXCLUDE_FROM_ALL `headers`).
#
#   cmake --build build --target deb      # build/package/dnsfail_<version>+ws<minor>_<arch>.deb
#   sudo apt-get install ./build/package/dnsfail_*.deb
#
# A package is always system-wide: in a build configured with DNSFAIL_INSTALL_SCOPE=user
# (whose install rules point into one user's home), the deb target configures and builds a
# system-scope copy in BUILD/package-system-build and packages that instead.
#
# Wireshark refuses a plugin built for another minor version, so the package depends on
# the libwireshark ABI package it was built against, limited to that minor:
#   libwireshark16 (>= 4.0.0), libwireshark16 (<< 4.1~)
# The name comes from dpkg (which package owns the libwireshark we link), never from a
# table; the other dependencies (GLib, libc, libwsutil) come from dpkg-shlibdeps, as for
# any Debian package (dpkg-dev; cpack stops with a message without it). Without dpkg (not
# Debian), or with a Wireshark no Debian package owns, there is no deb target.
#
# SPDX-License-Identifier: GPL-2.0-or-later

find_program(DNSFAIL_DPKG_QUERY dpkg-query)
find_program(DNSFAIL_DPKG_SHLIBDEPS dpkg-shlibdeps)
find_program(DNSFAIL_DPKG dpkg)

# The file libwireshark.so.N the plugin links, through Wireshark's exported target.
get_target_property(_dnsfail_epan_configs epan IMPORTED_CONFIGURATIONS)
set(_dnsfail_libwireshark "")
foreach(_cfg IN LISTS _dnsfail_epan_configs)
  get_target_property(_dnsfail_libwireshark epan IMPORTED_LOCATION_${_cfg})
  if(_dnsfail_libwireshark)
    break()
  endif()
endforeach()

set(_dnsfail_no_deb "")
if(NOT DNSFAIL_DPKG_QUERY OR NOT DNSFAIL_DPKG)
  set(_dnsfail_no_deb "dpkg is not installed (not a Debian system)")
elseif(NOT _dnsfail_libwireshark)
  set(_dnsfail_no_deb "the epan target names no library file")
else()
  get_filename_component(_dnsfail_libwireshark "${_dnsfail_libwireshark}" REALPATH)
  execute_process(COMMAND ${DNSFAIL_DPKG_QUERY} -S "${_dnsfail_libwireshark}"
                  OUTPUT_VARIABLE _dnsfail_owner ERROR_QUIET RESULT_VARIABLE _dnsfail_rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  # "libwireshark16:amd64: /usr/lib/x86_64-linux-gnu/libwireshark.so.16.0.17"
  if(_dnsfail_rc EQUAL 0 AND _dnsfail_owner MATCHES "^([a-z0-9][a-z0-9.+-]+)(:[a-z0-9-]+)?: ")
    set(DNSFAIL_LIBWIRESHARK_PACKAGE "${CMAKE_MATCH_1}")
  else()
    # A Wireshark built from source: no Debian package to depend on, so no honest .deb.
    set(_dnsfail_no_deb "${_dnsfail_libwireshark} belongs to no Debian package")
  endif()
endif()

if(_dnsfail_no_deb)
  message(STATUS "dnsfail: no 'deb' target: ${_dnsfail_no_deb}")
  return()
endif()

# The minor version the plugin is built for, and the first version it would refuse.
math(EXPR _dnsfail_next_minor "${Wireshark_MINOR_VERSION} + 1")
set(DNSFAIL_PACKAGE_WS_RANGE_LOW "${Wireshark_MAJOR_VERSION}.${Wireshark_MINOR_VERSION}.0")
# "~" sorts before anything, so 4.1~rc1 and 4.1.0-1 are both outside the range.
set(DNSFAIL_PACKAGE_WS_RANGE_HIGH "${Wireshark_MAJOR_VERSION}.${_dnsfail_next_minor}~")
set(DNSFAIL_PACKAGE_WS_DEPENDS
    "${DNSFAIL_LIBWIRESHARK_PACKAGE} (>= ${DNSFAIL_PACKAGE_WS_RANGE_LOW}), ${DNSFAIL_LIBWIRESHARK_PACKAGE} (<< ${DNSFAIL_PACKAGE_WS_RANGE_HIGH})")

# A placeholder: whoever builds packages for a site sets their own address.
set(DNSFAIL_PACKAGE_MAINTAINER "dnsfail maintainers <dnsfail-maintainers@example.org>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "dnsfail")
set(CPACK_PACKAGE_VENDOR "dnsfail")
set(CPACK_PACKAGE_CONTACT "${DNSFAIL_PACKAGE_MAINTAINER}")
# 0.1.0+ws4.0 and 0.1.0+ws4.4 are told apart; for the same dnsfail version the later
# Wireshark sorts higher, so the package built for Debian 13 upgrades the one built for
# Debian 12 (a newer dnsfail for 4.0, 0.1.1+ws4.0, sorts above 0.1.0+ws4.4).
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}+ws${DNSFAIL_WIRESHARK_MINOR}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Wireshark plugin: which DNS resolutions failed, how, and why")
set(DNSFAIL_PACKAGE_DIR "${PROJECT_BINARY_DIR}/package" CACHE PATH "Where the deb target puts the .deb")
set(CPACK_PACKAGE_DIRECTORY "${DNSFAIL_PACKAGE_DIR}")
# Monolithic: one package with every component `cmake --install` installs by default.
set(CPACK_DEB_COMPONENT_INSTALL OFF)
# Relative destinations (the man page, the profile) go under /usr, as in any Debian
# package; the plugin's folder is Wireshark's absolute path and is staged as it is.
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
# Stripped like any Debian package's binaries (the build tree keeps the debug info); the
# symbols Wireshark's loader reads are dynamic ones, which strip keeps.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_NAME "dnsfail")
set(CPACK_DEBIAN_PACKAGE_VERSION "${CPACK_PACKAGE_VERSION}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${DNSFAIL_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_ENHANCES "tshark, wireshark")
# The first line of Description is the summary above; this is the rest.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"For every ICMP or ICMPv6 error that answers DNS traffic, and every DNS answer with a
failing RCODE, dnsfail says which query failed, between which client and server, the
reason, which attempt it was and the likely cause: filterable dnsfail.* fields, an
expert item, the Info column, and Statistics > DNS Failures (tshark -z dnsfail,tree,
-z dnsfail,report). It also finds queries that timed out and DNS over TCP failures.
.
Built for Wireshark ${DNSFAIL_WIRESHARK_MINOR}; installs into Wireshark's global plugin
folder, for every user.")
# The dependencies are composed by the pre-build script below once the files are staged:
# dpkg-shlibdeps' list, with its libwireshark entry replaced by the range above.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${DNSFAIL_PACKAGE_WS_DEPENDS}")

# What the pre-build script needs at cpack time (CPack passes CPACK_* variables on).
set(CPACK_DNSFAIL_GLOBAL_PLUGIN_DIR "${Wireshark_PLUGIN_INSTALL_DIR}/epan")
set(CPACK_DNSFAIL_HOME "$ENV{HOME}")
set(CPACK_DNSFAIL_LIBWIRESHARK_PACKAGE "${DNSFAIL_LIBWIRESHARK_PACKAGE}")
set(CPACK_DNSFAIL_WS_DEPENDS "${DNSFAIL_PACKAGE_WS_DEPENDS}")
set(CPACK_DNSFAIL_SHLIBDEPS "${DNSFAIL_DPKG_SHLIBDEPS}")
set(CPACK_DNSFAIL_COPYRIGHT "${PROJECT_BINARY_DIR}/package-copyright")
set(CPACK_PRE_BUILD_SCRIPTS "${PROJECT_BINARY_DIR}/DnsfailPackageStage.cmake")

# Run by cpack once the files are staged, before the .deb is made: checks that nothing
# goes to a home directory, adds the copyright file, and composes Depends.
file(WRITE "${PROJECT_BINARY_DIR}/DnsfailPackageStage.cmake" [==[
set(_stage "${CPACK_TEMPORARY_DIRECTORY}")
set(_global "${CPACK_DNSFAIL_GLOBAL_PLUGIN_DIR}")

# Nothing may land in somebody's home directory: cpack run by hand on a build configured
# with DNSFAIL_INSTALL_SCOPE=user would package the plugin and the profile for one user.
foreach(_home IN ITEMS "${CPACK_DNSFAIL_HOME}" /root /home)
  if(_home AND NOT _home STREQUAL "/" AND EXISTS "${_stage}${_home}")
    file(GLOB_RECURSE _left RELATIVE "${_stage}" "${_stage}${_home}/*")
    message(FATAL_ERROR
      "dnsfail: the package would install files into a home directory: ${_left}\n"
      "A package is for every user: build it with 'cmake --build BUILD --target deb', which packages a\n"
      "DNSFAIL_INSTALL_SCOPE=user build from a system-scope build of its own.")
  endif()
endforeach()

if(NOT EXISTS "${_stage}${_global}/dnsfail.so")
  message(FATAL_ERROR "dnsfail: the plugin was not staged in ${_global} (staging folder ${_stage})")
endif()

# (configure_file, not file(INSTALL): cpack's DESTDIR would be prefixed a second time)
configure_file("${CPACK_DNSFAIL_COPYRIGHT}" "${_stage}/usr/share/doc/dnsfail/copyright" COPYONLY)

# Man pages are compressed in Debian packages (policy 12.1), as dh_compress would.
file(GLOB_RECURSE _man_pages "${_stage}/usr/share/man/*")
foreach(_page IN LISTS _man_pages)
  if(NOT _page MATCHES "\\.gz$")
    execute_process(COMMAND gzip -9n "${_page}" RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "dnsfail: gzip ${_page} failed")
    endif()
  endif()
endforeach()

# Depends: what dpkg-shlibdeps finds for the staged binaries (libc, GLib, libwsutil, ...),
# with its open-ended libwireshark entry replaced by the range of one minor version.
if(NOT CPACK_DNSFAIL_SHLIBDEPS)
  message(FATAL_ERROR "dnsfail: dpkg-shlibdeps not found; install dpkg-dev to build the package")
endif()
file(GLOB_RECURSE _binaries "${_stage}/*.so")
set(_work "${CPACK_TOPLEVEL_DIRECTORY}/dnsfail-shlibdeps")
file(REMOVE_RECURSE "${_work}")
file(MAKE_DIRECTORY "${_work}/debian")
file(WRITE "${_work}/debian/control" "")
execute_process(COMMAND "${CPACK_DNSFAIL_SHLIBDEPS}" -O ${_binaries}
                WORKING_DIRECTORY "${_work}" RESULT_VARIABLE _rc
                OUTPUT_VARIABLE _out ERROR_VARIABLE _err OUTPUT_STRIP_TRAILING_WHITESPACE)
file(REMOVE_RECURSE "${_work}")
if(NOT _rc EQUAL 0 OR NOT _out MATCHES "shlibs:Depends=([^\n]*)")
  message(FATAL_ERROR "dnsfail: dpkg-shlibdeps failed on ${_binaries}:\n${_out}\n${_err}")
endif()
string(REPLACE ", " ";" _found "${CMAKE_MATCH_1}")
set(_depends "${CPACK_DNSFAIL_WS_DEPENDS}")
set(_saw_libwireshark FALSE)
foreach(_dep IN LISTS _found)
  if(_dep MATCHES "^${CPACK_DNSFAIL_LIBWIRESHARK_PACKAGE}( |$)")
    set(_saw_libwireshark TRUE)
  else()
    string(APPEND _depends ", ${_dep}")
  endif()
endforeach()
if(NOT _saw_libwireshark)
  message(FATAL_ERROR "dnsfail: dpkg-shlibdeps did not name ${CPACK_DNSFAIL_LIBWIRESHARK_PACKAGE} (${CMAKE_MATCH_1})")
endif()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${_depends}")
message(STATUS "dnsfail: Depends: ${CPACK_DEBIAN_PACKAGE_DEPENDS}")
]==])

# Debian wants the license next to every package's files (machine-readable format).
file(WRITE "${PROJECT_BINARY_DIR}/package-copyright"
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: dnsfail
Upstream-Contact: ${DNSFAIL_PACKAGE_MAINTAINER}

Files: *
Copyright: dnsfail contributors
License: GPL-2+

License: GPL-2+
 This program is free software; you can redistribute it and/or modify it under the
 terms of the GNU General Public License as published by the Free Software Foundation;
 either version 2 of the License, or (at your option) any later version.
 .
 This program is distributed in the hope that it will be useful, but WITHOUT ANY
 WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A
 PARTICULAR PURPOSE. See the GNU General Public License for more details.
 .
 On Debian systems, the full text of the GNU General Public License version 2 can be
 found in the file /usr/share/common-licenses/GPL-2.
")

include(CPack)

# The one obvious way to build it. cpack runs the install rules into a staging folder
# (after building the 'preinstall' target, i.e. everything), never into the system.
if(DNSFAIL_INSTALL_SCOPE STREQUAL "system")
  add_custom_target(deb
    COMMAND ${CMAKE_CPACK_COMMAND} --config "${PROJECT_BINARY_DIR}/CPackConfig.cmake" -G DEB
    WORKING_DIRECTORY "${PROJECT_BINARY_DIR}"
    COMMENT "Building the Debian package in ${DNSFAIL_PACKAGE_DIR}"
    VERBATIM)
  add_dependencies(deb dnsfail)
else()
  set(_dnsfail_system_build "${PROJECT_BINARY_DIR}/package-system-build")
  add_custom_target(deb
    COMMAND ${CMAKE_COMMAND} -S "${PROJECT_SOURCE_DIR}" -B "${_dnsfail_system_build}"
            -DDNSFAIL_INSTALL_SCOPE=system -DDNSFAIL_TESTS=OFF -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
            -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER} "-DDNSFAIL_PACKAGE_DIR=${DNSFAIL_PACKAGE_DIR}"
            "-DDNSFAIL_PACKAGE_MAINTAINER=${DNSFAIL_PACKAGE_MAINTAINER}"
    COMMAND ${CMAKE_COMMAND} --build "${_dnsfail_system_build}" --target deb
    COMMENT "DNSFAIL_INSTALL_SCOPE=user: packaging a system-scope build (${_dnsfail_system_build}) for every user"
    VERBATIM)
endif()
message(STATUS "dnsfail: cmake --build ${PROJECT_BINARY_DIR} --target deb builds dnsfail ${CPACK_PACKAGE_VERSION}, "
               "depending on ${DNSFAIL_PACKAGE_WS_DEPENDS}")
