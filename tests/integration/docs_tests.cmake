# Tests of the configuration profile (profile/), the generated field reference and the man
# page (docs/). Included at the end of tests/CMakeLists.txt, where runner, plugin,
# ws_minor, captures and Python3_EXECUTABLE are defined.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set(profile_check ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_profile.py)
set(profile_args --runner ${runner} --plugin ${plugin} --ws-minor ${ws_minor} --captures ${captures}
                 --profile ${PROJECT_SOURCE_DIR}/profile/dnsfail)

# tshark -C dnsfail shows the preset columns, with the query name, kind, attempt and reason.
add_test(NAME profile_columns COMMAND ${profile_check} columns ${profile_args})
# Every filter button and coloring rule compiles and selects the frames it should.
add_test(NAME profile_filters COMMAND ${profile_check} filters ${profile_args})
# tshark --color -C dnsfail paints the failures in their rule's colors.
add_test(NAME profile_colors COMMAND ${profile_check} colors ${profile_args})
# The importable zip holds the profile folder, and works unpacked.
if(TARGET dnsfail_profile_zip)
  add_test(NAME profile_zip COMMAND ${profile_check} zip ${profile_args} --zip ${DNSFAIL_PROFILE_ZIP})
  # cmake --install of the profile and man components, in both scopes (configured afresh):
  # the profile where Wireshark finds it, the zip and the man page beside it.
  add_test(NAME profile_and_man_install COMMAND ${profile_check} install ${profile_args}
           --source-dir ${PROJECT_SOURCE_DIR})
  set_tests_properties(profile_and_man_install PROPERTIES TIMEOUT 300)
endif()
set_tests_properties(profile_columns profile_filters profile_colors PROPERTIES TIMEOUT 300)

# docs/field-reference.md is what tshark -G says today.
add_test(NAME field_reference_current
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/check_field_reference.sh ${PROJECT_SOURCE_DIR}
          ${CMAKE_CURRENT_BINARY_DIR}/field-reference ${runner} ${plugin} ${ws_minor} ${Python3_EXECUTABLE})
# To regenerate it in the sources: cmake --build BUILD --target field_reference
add_custom_target(field_reference
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/docs/tools/gen_field_reference.py --runner ${runner}
          --plugin ${plugin} --ws-minor ${ws_minor} --source-dir ${PROJECT_SOURCE_DIR}
          --output ${PROJECT_SOURCE_DIR}/docs/field-reference.md
  COMMENT "Regenerating docs/field-reference.md from tshark -G"
  VERBATIM)
add_dependencies(field_reference dnsfail)

# The man page renders without a warning, and documents every -z option the plugin registers.
set(man_page ${PROJECT_SOURCE_DIR}/docs/man/dnsfail.7)
add_test(NAME man_page_renders
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_man_page.py renders --page ${man_page}
          --version ${PROJECT_VERSION})
add_test(NAME man_page_documents_z_options
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_man_page.py z-options --page ${man_page}
          --runner ${runner} --plugin ${plugin} --ws-minor ${ws_minor})
set_tests_properties(man_page_renders man_page_documents_z_options PROPERTIES SKIP_RETURN_CODE 77)

# The user guide's tshark commands on the bundled capture print what the guide shows.
add_test(NAME user_guide_output_current
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_user_guide.py
          --runner ${runner} --plugin ${plugin} --ws-minor ${ws_minor}
          --guide ${PROJECT_SOURCE_DIR}/docs/user-guide.md --top ${PROJECT_SOURCE_DIR})
set_tests_properties(user_guide_output_current PROPERTIES SKIP_RETURN_CODE 77)
