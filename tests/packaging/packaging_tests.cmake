# The Debian package (cmake/DnsfailPackage.cmake) and the administrator's guide
# (docs/admin-guide.md). Included from tests/CMakeLists.txt, where runner, plugin, ws_minor
# and captures are set.
#
# SPDX-License-Identifier: GPL-2.0-or-later

# Turning dnsfail off for one user (disabled_protos in the profile, --disable-protocol).
add_test(NAME plugin_disabled_per_user
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/disable_check.sh ${runner} ${plugin} ${ws_minor}
          ${captures}/incident-port-unreachable.pcapng)

if(NOT TARGET deb)
  # No dpkg, or a Wireshark from no Debian package: there is no package to test.
  return()
endif()

# Built from this tree, installed with apt into a clean debootstrap root of the host's
# release (cached in /var/cache/dnsfail/<codename>, an overlay per run), run by an ordinary
# user, purged. Root only; skips (77) without root, or without a reachable Debian mirror
# outside CI (the first run, then weekly); with CI=true that fails. .ci/debian13.sh runs
# the same script against Wireshark 4.4 inside its Debian 13 root (this-root mode) and
# leaves this test out of the suite it runs there.
add_test(NAME debian_package_install_remove
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/deb_check.sh clean-root ${PROJECT_BINARY_DIR} ${DNSFAIL_PACKAGE_DIR}
          ${ws_minor} ${PROJECT_VERSION} ${captures} ${CMAKE_CURRENT_SOURCE_DIR}/integration/expected)
set_tests_properties(debian_package_install_remove PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1200 LABELS root)

# A user-scope build's package still installs for every user.
add_test(NAME debian_package_from_user_scope_build
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/user_scope_check.sh ${PROJECT_SOURCE_DIR} ${ws_minor} ${PROJECT_VERSION})
set_tests_properties(debian_package_from_user_scope_build PROPERTIES TIMEOUT 300)
