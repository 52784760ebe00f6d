# The man page of the plugin's -z options, fields and preferences (docs/man/dnsfail.7),
# installed with COMPONENT man. Included from the top-level CMakeLists.txt, after
# DNSFAIL_INSTALL_SCOPE is checked.
#
# SPDX-License-Identifier: GPL-2.0-or-later
include(GNUInstallDirs)

if(DNSFAIL_INSTALL_SCOPE STREQUAL "user")
  # Beside the personal plugin: man finds ~/.local/share/man through ~/.local/bin in PATH
  # (manpath(1)), and the installing user may not write to the prefix.
  set(DNSFAIL_MAN7_DIR "$ENV{HOME}/.local/share/man/man7")
else()
  set(DNSFAIL_MAN7_DIR "${CMAKE_INSTALL_MANDIR}/man7")
endif()
install(FILES ${CMAKE_CURRENT_LIST_DIR}/man/dnsfail.7 DESTINATION "${DNSFAIL_MAN7_DIR}" COMPONENT man)
