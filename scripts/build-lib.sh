#!/usr/bin/env bash
# Builds the shippable libkubeclient.so: release mode, Swift runtime linked statically (loads on
# machines without Swift), only kc_* exported, SONAME libkubeclient.so.0. Then checks the
# exports against the headers and the dependencies, strips a copy, and writes a pkg-config file.
#
# Output (default .build-release/dist/), laid out as an install prefix:
#   lib/libkubeclient.so.X.Y.Z (stripped), lib/libkubeclient.so.0 -> .X.Y.Z, lib/libkubeclient.so -> .0,
#   include/kubeclient.h, include/kubeclient/*.h, lib/pkgconfig/kubeclient.pc,
#   lib/cmake/kubeclient/kubeclientConfig.cmake and kubeclientConfigVersion.cmake.
# scripts/install-lib.sh copies this folder into DESTDIR/PREFIX; scripts/build-wheel.sh puts the
# stripped library into the Python wheel. The unstripped library stays in .build-release/release/
# where the Python binding and the C tests of a checkout find it.
#
# The version is KC_VERSION_STRING in include/kubeclient.h, the one version source: it names the
# library file and feeds kubeclient.pc, the CMake version file and the wheel.
#
# Usage: scripts/build-lib.sh [--prefix DIR] [--out DIR] [--skip-build]
#   --prefix  the prefix written into kubeclient.pc, e.g. /usr/local (default: none, the .pc file
#             is relocatable: its prefix is ${pcfiledir}/../.., so the staged folder works as is).
#             The CMake config is always relocatable.
#   --out     where to stage the files (default: .build-release/dist, ignored by git)
#   --skip-build  stage the library the last run built (.build-release/release) without running
#             swift build (scripts/test-packaging.sh, right after test.sh's "release library"
#             step); every check still runs
# Env: KUBECLIENT_MAX_SIZE_MB (default 20) — the stripped size limit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=.build-release/dist
prefix=
skip_build=0
while [ $# -gt 0 ]; do
  case $1 in
    --skip-build) skip_build=1; shift ;;
    --out) out=$2; shift 2 ;;
    --prefix) prefix=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
version=$(sed -n 's/^#define KC_VERSION_STRING "\(.*\)"/\1/p' include/kubeclient.h)
if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "build-lib: KC_VERSION_STRING in include/kubeclient.h is '$version', not X.Y.Z" >&2; exit 1
fi
# ${pcfiledir} is expanded by pkg-config itself: lib/pkgconfig/../.. is the prefix.
pc_prefix=${prefix:-'${pcfiledir}/../..'}
max_mb=${KUBECLIENT_MAX_SIZE_MB:-20}

# Headers against the Swift sources (a source check: it belongs with the build).
[ "$skip_build" = 1 ] || python3 scripts/check-abi.py

# A scratch path of its own: the static-runtime flag changes the manifest, and switching it in
# .build would rebuild the debug tree every time.
lib=.build-release/release/libkubeclient.so
if [ "$skip_build" = 1 ]; then
  [ -f "$lib" ] || { echo "build-lib: --skip-build, but $lib does not exist" >&2; exit 1; }
  echo "build-lib: --skip-build: staging $lib as built"
else
  echo "build-lib: swift build -c release --product kubeclient (static Swift runtime)"
  KUBECLIENT_STATIC_RUNTIME=1 swift build -c release --product kubeclient --scratch-path .build-release
fi

scripts/check-exports.sh "$lib"

# Only system C libraries may be needed: no libswift*, no libFoundation*.
needed=$(readelf -d "$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo "build-lib: NEEDED: $(echo $needed)"
if echo "$needed" | grep -Eq 'swift|Foundation|icu|dispatch'; then
  echo "build-lib: the library still depends on the Swift runtime" >&2; exit 1
fi
# Every Swift symbol must be resolved inside the library (a missing static archive shows up here).
undefined=$(nm -u "$lib" | awk '{print $2}' | grep '^\$s' || true)
if [ -n "$undefined" ]; then
  echo "build-lib: unresolved Swift symbols, e.g.: $(echo "$undefined" | head -3 | tr '\n' ' ')" >&2; exit 1
fi
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libkubeclient.so.0" ] || { echo "build-lib: SONAME is '$soname'" >&2; exit 1; }
soversion=${soname#libkubeclient.so.}
# The SONAME number is the major version: a new major version is a new SONAME.
[ "$soversion" = "${version%%.*}" ] || {
  echo "build-lib: SONAME $soname does not match major version of $version" >&2; exit 1; }

rm -f "$out"/lib/libkubeclient.so*
mkdir -p "$out/lib/pkgconfig" "$out/lib/cmake/kubeclient" "$out/include/kubeclient"
cp "$lib" "$out/lib/libkubeclient.so.$version"
strip --strip-unneeded "$out/lib/libkubeclient.so.$version"
ln -sf "libkubeclient.so.$version" "$out/lib/libkubeclient.so.0"
ln -sf "libkubeclient.so.0" "$out/lib/libkubeclient.so"
cp include/kubeclient.h "$out/include/"
cp include/kubeclient/*.h "$out/include/kubeclient/"
sed -e "s|@PREFIX@|$pc_prefix|" -e "s|@VERSION@|$version|" scripts/kubeclient.pc.in > "$out/lib/pkgconfig/kubeclient.pc"
for f in kubeclientConfig kubeclientConfigVersion; do
  sed -e "s|@VERSION@|$version|g" -e "s|@SOVERSION@|$soversion|g" "cmake/$f.cmake.in" \
    > "$out/lib/cmake/kubeclient/$f.cmake"
done

# The staged library must link and load through pkg-config alone, with no Swift on the paths.
# With --prefix the staged .pc points at the final prefix, so the check uses a copy that
# points at the staged folder.
smoke=$(mktemp -d)
mkdir "$smoke/pkgconfig"
sed -e "s|@PREFIX@|$out|" -e "s|@VERSION@|$version|" scripts/kubeclient.pc.in > "$smoke/pkgconfig/kubeclient.pc"
printf '#include <kubeclient.h>\n#include <stdio.h>\n#include <string.h>\nint main(void) { puts(kc_version()); return strcmp(kc_version(), KC_VERSION_STRING) != 0; }\n' > "$smoke/smoke.c"
cc -std=c99 "$smoke/smoke.c" -o "$smoke/smoke" \
  $(PKG_CONFIG_PATH="$smoke/pkgconfig" pkg-config --cflags --libs kubeclient) -Wl,-rpath,"$out/lib"
env -u LD_LIBRARY_PATH "$smoke/smoke" > /dev/null || { echo "build-lib: the staged library does not load" >&2; exit 1; }
rm -rf "$smoke"
echo "build-lib: a C program links with pkg-config and loads the staged library"

bytes=$(stat -c %s "$out/lib/libkubeclient.so.$version")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "build-lib: stripped size ${mb} MB (limit ${max_mb} MB)"
if [ "$bytes" -gt $((max_mb * 1048576)) ]; then
  echo "build-lib: the stripped library is over ${max_mb} MB" >&2; exit 1
fi
echo "build-lib: staged in $out (pkg-config: PKG_CONFIG_PATH=$out/lib/pkgconfig; CMake: CMAKE_PREFIX_PATH=$out)"
[ -n "$prefix" ] && echo "build-lib: kubeclient.pc says prefix=$prefix: install with scripts/install-lib.sh DESTDIR"
exit 0
