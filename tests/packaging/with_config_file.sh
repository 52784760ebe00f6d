#!/usr/bin/env bash
# Writes one file of the user's Wireshark configuration (the default profile,
# ~/.config/wireshark/NAME), then runs the program: for tests that need a personal setting
# before tshark starts. Run it through tshark_as_user.sh, which gives the user its own HOME:
#
#   tshark_as_user.sh PLUGIN.so WS_MINOR bash with_config_file.sh NAME CONTENT tshark ARGS...
#
# An empty CONTENT writes no file (the same run without the setting).
set -euo pipefail
name=$1 content=$2
shift 2
if [ -n "$content" ]; then
  mkdir -p "$HOME/.config/wireshark"
  printf '%s\n' "$content" >"$HOME/.config/wireshark/$name"
fi
exec "$@"
