# GUI tests registered from a file of their own (included OPTIONAL by tests/CMakeLists.txt,
# which defines runner, plugin, ws_minor and captures). Each skips (77) without Xvfb,
# wireshark-qt, xdotool or ImageMagick.

# The analyst's walk through the incident in wireshark-qt, driven with xdotool: open the
# capture, type the dnsfail filter, expand the packet details, export the displayed packets
# (checked: the 3 port unreachables), Analyze > Expert Information, Statistics > DNS
# Failures, Help > About > Plugins, Ctrl+Q (checked: exit status 0). Its screenshots are
# the ones in docs/images/ (tests/gui/update_doc_screenshots.sh BUILD_DIR copies them).
add_test(NAME gui_walkthrough
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/gui_walkthrough.sh ${runner} ${plugin} ${ws_minor}
          ${captures}/incident-port-unreachable.pcapng ${CMAKE_CURRENT_BINARY_DIR}/gui/walkthrough)
# wireshark's -z expert opens Expert Information at start-up in the Qt GUI too; with -Y the
# dialog is limited to the failures.
add_test(NAME gui_opens_expert_info_from_command_line
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/gui_smoke.sh ${runner} ${plugin} ${ws_minor}
          ${captures}/incident-port-unreachable.pcapng ${CMAKE_CURRENT_BINARY_DIR}/gui expert-info
          "Wireshark · Expert Information · incident-port-unreachable.pcapng" -Y dnsfail -z expert)
set_tests_properties(gui_walkthrough gui_opens_expert_info_from_command_line PROPERTIES
  SKIP_RETURN_CODE 77)
set_tests_properties(gui_walkthrough PROPERTIES TIMEOUT 300)
set_tests_properties(gui_opens_expert_info_from_command_line PROPERTIES TIMEOUT 180)

# wireshark-qt started in the dnsfail configuration profile (profile/: coloring rules, filter
# buttons, columns): the profile's files load without a warning dialog and the GUI survives.
add_test(NAME gui_opens_with_dnsfail_profile
  COMMAND env DNSFAIL_TEST_PROFILE_DIR=${PROJECT_SOURCE_DIR}/profile/dnsfail
          ${CMAKE_CURRENT_SOURCE_DIR}/gui/gui_smoke.sh ${runner} ${plugin} ${ws_minor}
          ${captures}/incident-port-unreachable.pcapng ${CMAKE_CURRENT_BINARY_DIR}/gui dnsfail-profile
          "incident-port-unreachable.pcapng" -C dnsfail -Y dnsfail)
set_tests_properties(gui_opens_with_dnsfail_profile PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 180)
