# sanitized_plugin.sh - sourced by the sanitizer tests: the plugin built with
# AddressSanitizer and UBSan for Debian's tshark, and the libasan to preload into it.
#
#   sanitized_require_libasan   sets $libasan (resolved path), or exits 77 (skip)
#   sanitized_build SRC WORK    builds WORK/build/dnsfail.so from SRC; prints the log and
#                               exits 1 when configuring or building fails
sanitized_require_libasan() {
  libasan=$(gcc -print-file-name=libasan.so)
  [ -f "$libasan" ] || { echo "SKIP: no libasan for gcc"; exit 77; }
  libasan=$(readlink -f "$libasan")
}

sanitized_build() {
  local src=$1 work=$2
  cmake -S "$src" -B "$work/build" -DDNSFAIL_TESTS=OFF -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
    -DCMAKE_MODULE_LINKER_FLAGS="-fsanitize=address,undefined" >"$work/cmake.log" 2>&1 ||
    { cat "$work/cmake.log"; exit 1; }
  cmake --build "$work/build" -j"$(nproc)" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
}
