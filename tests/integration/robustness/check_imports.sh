#!/usr/bin/env bash
# The plugin writes no files and reads no environment-controlled paths: dnsfail.so imports
# no function that opens, creates or maps a file, reads the environment, loads code or runs
# a program. Checked on the built object's dynamic symbol imports (nm -D --undefined-only).
#
#   check_imports.sh PLUGIN.so
#
# Allowed, and why: printf/puts/fputs/fwrite/fprintf/putchar write to a FILE * the plugin
# did not open (it cannot open one: fopen and friends are forbidden). They are used by the
# -z dnsfail,report draw callback, which writes to stdout, and for its error message on
# stderr; nm cannot tell which stream, so that rule is kept by review (plugin/report_tap.c).
set -euo pipefail
plugin=$1
imports=$(nm -D --undefined-only "$plugin" | awk '{print $NF}' | sed 's/@.*//' | sort -u)
[ -n "$imports" ] || { echo "FAIL: nm found no imports in $plugin"; exit 1; }

# Files and directories, file descriptors, temporary files, memory-mapped files, the
# environment, dynamic loading, other programs; and GLib's and Wireshark's wrappers of them.
forbidden='^(fopen|fopen64|freopen|freopen64|fdopen|open|open64|openat|openat64|__open_2|__open64_2|__openat_2|creat|creat64|mkstemp|mkstemp64|mkostemp|mkstemps|mkdtemp|mktemp|tmpfile|tmpfile64|tmpnam|tempnam|write|pwrite|pwrite64|writev|rename|renameat|unlink|unlinkat|remove|mkdir|mkdirat|rmdir|truncate|ftruncate|chmod|chown|symlink|link|opendir|fdopendir|mmap|mmap64|shm_open|getenv|secure_getenv|__secure_getenv|setenv|unsetenv|putenv|clearenv|environ|__environ|system|popen|posix_spawn|posix_spawnp|fork|vfork|execl|execlp|execle|execv|execvp|execvpe|execve|fexecve|dlopen|dlmopen|g_getenv|g_setenv|g_unsetenv|g_listenv|g_get_environ|g_environ_getenv|g_get_home_dir|g_get_user_.*|g_get_tmp_dir|g_file_.*|g_fopen|g_freopen|g_open|g_creat|g_mkstemp|g_mkstemp_full|g_mkdtemp|g_mkdir|g_mkdir_with_parents|g_rename|g_remove|g_unlink|g_dir_.*|g_spawn_.*|g_module_.*|g_key_file_.*|g_mapped_file_.*|g_io_channel_new_file|ws_fopen|ws_freopen|ws_open|ws_creat|ws_mkstemp|ws_mkdtemp|file_open|file_target_exist|get_persconffile_path|get_datafile_path|get_profiles_dir|create_persconffile_dir|write_prefs|write_profile_recent|ws_getenv)$'

bad=$(printf '%s\n' "$imports" | grep -E "$forbidden" || true)
stdio=$(printf '%s\n' "$imports" | grep -E '^(printf|puts|fputs|fwrite|fprintf|putchar|fputc|putc|vfprintf|__printf_chk|__fprintf_chk)$' | tr '\n' ' ' || true)
echo "$(printf '%s\n' "$imports" | wc -l) imported symbols; stdio output (stdout/stderr only, by review): ${stdio:-none}"
if [ -n "$bad" ]; then
  echo "FAIL: dnsfail.so imports file, environment or process functions:"
  printf '  %s\n' $bad
  exit 1
fi
echo "no file, environment, loading or process functions imported"
