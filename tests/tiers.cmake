# The test tiers, as ctest labels, in one table: which tests a developer runs after every
# change (quick), which CI runs (ci), and everything (full). quick is part of ci, and ci of
# full, so a test carries the labels of its own tier and of every larger one:
#
#   ctest --test-dir build -L '^quick$'   unit tests, fuzz corpus replay, the tshark baselines
#   ctest --test-dir build -L '^ci$'      what .ci/run runs
#   ctest --test-dir build -L '^full$'    everything (.ci/run --full)
#
# Included once from the top CMakeLists.txt; every folder that registers tests ends with
# dnsfail_apply_tiers(), which labels that folder's tests (ctest properties can only be set
# from the folder that added the test). A test that no pattern below names stops the
# configuration: every test belongs to a tier on purpose.
#
# SPDX-License-Identifier: GPL-2.0-or-later

# Fast checks of everything the product promises on the host's Wireshark.
set(DNSFAIL_TIER_QUICK
  "^unit\\."                                   # the core's unit tests (and their ASan+UBSan runs)
  "^fuzz\\.replay\\."                          # the fuzz corpus through each harness
  "^(fields|stats_tree|report|no_false_positives|no_side_effects)_"  # per-capture baselines
  "^(plugin_loads|expert_tap_lists_dnsfail|display_filters|lua_tap_listener|lua_tap_listener_retried)$"
  "^(retry_window_preference|incident_explained|names_escaped_everywhere|plugin_touches_no_files)$"
  "^(field_reference_current|man_page_renders|man_page_documents_z_options|dnsfail_tree_as_documented)$"
  "^doc_commands_"                            # every command and example of README.md and docs/*.md
  "^profile_(columns|filters|colors)$"
  "^(failed_field_matches_report|timeout_preference)$"  # dnsfail.failed on every capture; the timeout preference
  "^(plugin_disabled_per_user|bench_tables|bench_resolver_input|tiers_nested)$"
  "^one_analysis_per_frame$"                  # two IP packets in one frame, analysed once
  "^undeliverable_answer_links$"              # errors quoting answers name their answer frames
  "^resolver_chains_linked$"                  # a resolver's client-facing failures and their upstream causes
)

# Slower checks CI keeps: the GUI, time-boxed fuzzing, samples of the sanitizer runs, real
# traffic in network namespaces (the incident and one resolver), installation and packaging,
# and for each other Wireshark version its build with warnings as errors, plugin load,
# baselines on a sample of the captures, and the GUI walk-through in its wireshark-qt.
set(DNSFAIL_TIER_CI
  "^gui_"                                      # wireshark-qt under Xvfb
  "^fuzz\\.run\\."                             # libFuzzer, DNSFAIL_FUZZ_SECONDS per harness
  "^(mutated_captures_survive|sanitized_plugin_(on_mutations|on_randpkt|baselines))\\.sample$"  # a fixed sample of a full-tier run
  "^(malformed_frames_analysed|no_state_across_files|flood_memory_bounded)$"
  "^(recorded_incident_explained|live_capture_explained|configure_errors|install_scopes)$"
  "^(profile_zip|profile_and_man_install|debian_package_install_remove|debian_package_from_user_scope_build)$"
  "^bench_floor_is_transparent$"
  "^analysis_exception_contained$"             # ~30 tshark runs (about a minute on 2 cores)
  "^wireshark_[0-9]+_[0-9]+_(baselines|gui)$"  # another Wireshark's root: build, load, sample, GUI
)

# Only in the full tier: long fuzzing, every mutated capture under ASan/UBSan, valgrind, the
# whole suite inside each other Wireshark's root (every capture's baselines there, the GUI
# tests, valgrind and the sanitized plugin), every capture recorded again, the benchmark.
set(DNSFAIL_TIER_FULL
  "^fuzz\\.long\\."
  "^(mutated_captures_survive|sanitized_plugin_on_mutations|sanitized_plugin_on_randpkt|sanitized_plugin_baselines)$"
  "^valgrind_plugin_on_captures(\\.sample)?$"    # memcheck on every capture and on mutations (minutes each)
  "^wireshark_[0-9]+_[0-9]+_suite$"
  "^bench_quick(_results)?$"
  "^recorded_(captures|resolvers)_explained$"  # every scenario recorded again (~7 min; the resolvers' ~2 min)
)

function(_dnsfail_tier_of test out)
  foreach(tier QUICK CI FULL)
    foreach(pattern IN LISTS DNSFAIL_TIER_${tier})
      if(test MATCHES "${pattern}")
        set(${out} ${tier} PARENT_SCOPE)
        return()
      endif()
    endforeach()
  endforeach()
  set(${out} "" PARENT_SCOPE)
endfunction()

# Labels every test registered in the calling folder with its tier and the larger ones,
# keeping the labels it already has (unit, fuzz, sanitize, ...).
function(dnsfail_apply_tiers)
  get_property(tests DIRECTORY PROPERTY TESTS)
  foreach(test IN LISTS tests)
    _dnsfail_tier_of("${test}" tier)
    if(tier STREQUAL "QUICK")
      set(tier_labels quick ci full)
    elseif(tier STREQUAL "CI")
      set(tier_labels ci full)
    elseif(tier STREQUAL "FULL")
      set(tier_labels full)
    else()
      message(FATAL_ERROR "test '${test}' belongs to no tier: name it in tests/tiers.cmake")
    endif()
    get_property(labels TEST ${test} PROPERTY LABELS)
    list(APPEND labels ${tier_labels})
    set_property(TEST ${test} PROPERTY LABELS "${labels}")
  endforeach()
endfunction()
