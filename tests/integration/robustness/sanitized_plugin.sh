# sanitized_plugin.sh - sourced by the sanitizer tests: the plugin built with
# AddressSanitizer and UBSan for Debian's tshark, and the libasan to preload into it.
#
#   sanitized_require_libasan   sets $libasan (resolved path), or exits 77 (skip)
#   sanitized_build SRC WORK    builds the sanitized plugin from SRC and sets $sanitized_so
#                               to it; prints the log and exits 1 when configuring or
#                               building fails. The build goes to DNSFAIL_SANITIZED_BUILD_DIR
#                               when set (the tests share one build there, one builder at a
#                               time; the others find it up to date), else to WORK/build.
sanitized_require_libasan() {
  libasan=$(gcc -print-file-name=libasan.so)
  [ -f "$libasan" ] || { echo "SKIP: no libasan for gcc"; exit 77; }
  libasan=$(readlink -f "$libasan")
}

sanitized_build() {
  local src=$1 work=$2
  local dir=${DNSFAIL_SANITIZED_BUILD_DIR:-$work/build}
  mkdir -p "$dir"
  exec 8>"$dir.lock"
  flock 8
  cmake -S "$src" -B "$dir" -DDNSFAIL_TESTS=OFF -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
    -DCMAKE_MODULE_LINKER_FLAGS="-fsanitize=address,undefined" >"$work/cmake.log" 2>&1 ||
    { cat "$work/cmake.log"; exit 1; }
  cmake --build "$dir" -j"$(nproc)" --target dnsfail >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
  flock -u 8
  exec 8>&-
  sanitized_so=$dir/dnsfail.so
}
