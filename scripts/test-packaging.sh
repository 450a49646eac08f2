#!/usr/bin/env bash
# Packaging tests (issue 14): what a user gets without building from source.
#   versions  — KC_VERSION_STRING agrees with every other place stating the version
#   c-install — build-lib.sh --prefix /usr/local + install-lib.sh DESTDIR; the layout and SONAME
#               links; Tests/packaging/walkthrough.c built through pkg-config and through CMake
#               (find_package(kubeclient CONFIG)) against the install, run with no Swift on PATH
#   wheel     — build-wheel.sh; auditwheel show agrees with the tag; a fresh venv pip-installs the
#               wheel and runs Tests/packaging/walkthrough.py from a temp folder with no Swift on
#               PATH and no KUBECLIENT_LIBRARY; every library it loads is vendored or glibc's
#   swiftpm   — a throwaway package depending on this repository by path builds (its own scratch
#               path) without building swift-nio and runs against the test server
# Each runs against one kubeclient-testserver started here. Reuses the release library that
# scripts/build-lib.sh staged in .build-release/dist (the "release library" step of test.sh).
#
# Usage: scripts/test-packaging.sh [SECTION...]   (default: all; sections named above)
# Env: KUBECLIENT_TESTSERVER — the test server binary (default: .build/debug, then .build/release)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(c-install wheel versions swiftpm)

version=$(sed -n 's/^#define KC_VERSION_STRING "\(.*\)"/\1/p' include/kubeclient.h)
dist=$root/.build-release/dist
if [ ! -f "$dist/lib/libkubeclient.so.$version" ]; then
  echo "packaging: $dist has no libkubeclient.so.$version: running scripts/build-lib.sh"
  scripts/build-lib.sh || exit 1
fi

# Everything happens outside the checkout.
work=$(mktemp -d "${TMPDIR:-/tmp}/kubeclient-packaging.XXXXXX")
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# PATH without any folder that holds a Swift toolchain.
bare_path=
IFS=: read -ra entries <<< "$PATH"
for dir in "${entries[@]}"; do
  [ -n "$dir" ] && [ ! -e "$dir/swift" ] && [ ! -e "$dir/swiftc" ] && bare_path=${bare_path:+$bare_path:}$dir
done
if PATH=$bare_path command -v swift >/dev/null 2>&1; then
  echo "packaging: could not take Swift off PATH" >&2; exit 1
fi
# The environment the "user" runs in: no Swift, no library override, no checkout on any path.
bare() { env -u KUBECLIENT_LIBRARY -u PYTHONPATH -u LD_LIBRARY_PATH -u VIRTUAL_ENV PATH="$bare_path" "$@"; }

server=${KUBECLIENT_TESTSERVER:-}
for candidate in .build/debug/kubeclient-testserver .build/release/kubeclient-testserver; do
  [ -z "$server" ] && [ -x "$candidate" ] && server=$root/$candidate
done
[ -n "$server" ] || { echo "packaging: no kubeclient-testserver: swift build --product kubeclient-testserver" >&2; exit 1; }
kubeconfig=$work/kubeconfig
"$server" --port 0 --kubeconfig-out "$kubeconfig" > "$work/server.out" 2> "$work/server.err" &
server_pid=$!
for _ in $(seq 100); do [ -s "$kubeconfig" ] && grep -q '^kubeconfig:' "$work/server.out" && break; sleep 0.1; done
grep -q '^kubeconfig:' "$work/server.out" || { echo "packaging: the test server did not start" >&2; cat "$work/server.err" >&2; exit 1; }
echo "packaging: test server $(head -1 "$work/server.out"), work folder $work"

prefix=/usr/local
destdir=$work/root
installed=$destdir$prefix
wheel=
venv=$work/venv

# ---------------------------------------------------------------------------------------------
c_install() {
  # The library was built moments ago (test.sh's "release library" step): stage it again for
  # the prefix instead of asking SwiftPM.
  scripts/build-lib.sh --prefix "$prefix" --out "$work/stage" --skip-build > "$work/build-lib.log" 2>&1 \
    || { cat "$work/build-lib.log"; return 1; }
  scripts/install-lib.sh --from "$work/stage" "$destdir"
  local lib=$installed/lib
  # One test per line: errexit ignores a failure on the left of &&.
  [ -f "$lib/libkubeclient.so.$version" ]
  [ ! -L "$lib/libkubeclient.so.$version" ]
  [ "$(readlink "$lib/libkubeclient.so.0")" = "libkubeclient.so.$version" ]
  [ "$(readlink "$lib/libkubeclient.so")" = "libkubeclient.so.0" ]
  readelf -d "$lib/libkubeclient.so.$version" | grep 'SONAME.*\[libkubeclient.so.0\]' > /dev/null
  [ -f "$installed/include/kubeclient.h" ]
  [ "$(ls "$installed/include/kubeclient")" = "$(ls include/kubeclient)" ]
  grep -qx "prefix=$prefix" "$lib/pkgconfig/kubeclient.pc"
  [ -f "$lib/cmake/kubeclient/kubeclientConfig.cmake" ]
  [ -f "$lib/cmake/kubeclient/kubeclientConfigVersion.cmake" ]
  echo "layout: lib/libkubeclient.so.$version, .so.0 and .so links, include/, lib/pkgconfig, lib/cmake: ok"

  # pkg-config only, pointed at the DESTDIR the standard way (sysroot + libdir).
  mkdir -p "$work/c-pkgconfig" && cp Tests/packaging/walkthrough.c "$work/c-pkgconfig/"
  local flags
  flags=$(PKG_CONFIG_SYSROOT_DIR=$destdir PKG_CONFIG_LIBDIR=$lib/pkgconfig PKG_CONFIG_PATH= pkg-config --cflags --libs kubeclient)
  echo "pkg-config --cflags --libs kubeclient: $flags"
  (cd "$work/c-pkgconfig" && bare cc -std=c11 -Wall -Werror walkthrough.c $flags -o walkthrough)
  # The examples compile through pkg-config as well.
  for example in examples/c/*.c; do
    bare cc -std=c11 -c "$example" -I examples/c $flags -o "$work/c-pkgconfig/$(basename "$example" .c).o"
  done
  echo "examples/c/*.c compile with pkg-config flags: ok"
  # LD_LIBRARY_PATH stands in for ldconfig: the loader finds the SONAME link in the prefix.
  (cd "$work" && bare LD_LIBRARY_PATH="$lib" ./c-pkgconfig/walkthrough "$kubeconfig")

  # CMake: find_package(kubeclient VERSION EXACT CONFIG) -> kubeclient::kubeclient.
  command -v cmake >/dev/null || { echo "cmake is missing (scripts/setup.sh installs it)"; return 1; }
  mkdir -p "$work/c-cmake" && cp Tests/packaging/walkthrough.c Tests/packaging/CMakeLists.txt "$work/c-cmake/"
  bare cmake -S "$work/c-cmake" -B "$work/c-cmake/build" -DCMAKE_PREFIX_PATH="$installed" \
    -DKUBECLIENT_EXPECTED_VERSION="$version" -DCMAKE_BUILD_TYPE=Release > "$work/cmake.log" \
    || { cat "$work/cmake.log"; return 1; }
  grep 'kubeclient .* from' "$work/cmake.log"
  bare cmake --build "$work/c-cmake/build" > "$work/cmake-build.log" || { cat "$work/cmake-build.log"; return 1; }
  # No LD_LIBRARY_PATH: CMake's build RPATH points at the imported library's folder.
  (cd "$work" && bare ./c-cmake/build/walkthrough "$kubeconfig")
}

# ---------------------------------------------------------------------------------------------
wheel_test() {
  scripts/build-wheel.sh --dist "$dist" --out "$work/wheelhouse" > "$work/build-wheel.log" 2>&1 \
    || { cat "$work/build-wheel.log"; return 1; }
  wheel=$(tail -1 "$work/build-wheel.log")
  local name tag verdict
  name=$(basename "$wheel")
  echo "wheel: $name ($(du -h "$wheel" | cut -f1))"
  [[ $name =~ ^kubeclient-$version-py3-none-(manylinux_[0-9]+_[0-9]+_x86_64)\.whl$ ]] \
    || { echo "unexpected wheel name $name"; return 1; }
  tag=${BASH_REMATCH[1]}
  # auditwheel's own verdict on the wheel as shipped must be the tag in its name.
  verdict=$("$root/.venv-wheel/bin/auditwheel" show "$wheel" 2>/dev/null | tr '\n' ' ' | tr -s ' ' \
    | grep -o 'following platform tag: "[a-z0-9_]*"' | sed 's/.*"\(.*\)"/\1/')
  [ "$verdict" = "$tag" ] || { echo "auditwheel show says '$verdict', the name says $tag"; return 1; }
  echo "auditwheel show: consistent with $verdict: ok"

  # A fresh interpreter environment, no Swift, installing from the file only.
  bare python3 -m venv "$venv"
  bare "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-index "$wheel"
  mkdir -p "$work/run" && cp Tests/packaging/walkthrough.py "$work/run/"
  # Every library the bundled one loads is vendored in the wheel or part of the base system
  # that manylinux assumes (glibc, libstdc++, libgcc_s, zlib).
  local site bundled
  site=$(bare "$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')
  bundled=$site/kubeclient/libkubeclient.so
  local outside
  outside=$(bare ldd "$bundled" | awk '/=>/ {print $1, $3}' | grep -v " $site/\(kubeclient/\.\./\)\?kubeclient.libs/" \
    | grep -Ev '^(libc|libm|libstdc\+\+|libgcc_s|libpthread|libdl|librt|libresolv|libz)\.so\.[0-9]+ ' || true)
  if [ -n "$outside" ] || bare ldd "$bundled" | grep -q 'not found'; then
    echo "the bundled library loads libraries from outside the wheel:"; echo "$outside"; bare ldd "$bundled"; return 1
  fi
  echo "ldd: libcurl, libyaml and their dependencies come from kubeclient.libs/; the rest is glibc/libstdc++: ok"
  # NOTICE names the Debian package of every vendored library (their licences travel with it).
  if command -v dpkg >/dev/null; then
    local path base pkg missing=
    for path in $(ldd "$dist/lib/libkubeclient.so.$version" | awk '/=>/ {print $3}'); do
      base=$(basename "$path")
      case $base in libc.so.*|libm.so.*|libstdc++*|libgcc_s*|libpthread*|libdl.so*|librt.so*|libresolv*|libz.so*) continue ;; esac
      pkg=
      for candidate in "$path" "/usr${path#/usr}" "${path#/usr}" "$(readlink -f "$path")"; do
        pkg=$(dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1) && [ -n "$pkg" ] && break
      done
      [ -n "$pkg" ] && ! grep -qE "[( ]${pkg//./\\.}[,)]" NOTICE && missing="$missing $pkg($base)"
    done
    [ -z "$missing" ] || { echo "NOTICE does not name the vendored packages:$missing"; return 1; }
    echo "NOTICE names the Debian package of every vendored library: ok"
  fi
  (cd "$work/run" && bare "$venv/bin/python" -I walkthrough.py "$kubeconfig" "$version")

  # Once more with the machine's own libcurl and libyaml made unloadable (/dev/null mounted over
  # them in a private mount namespace), as on a machine without them. Needs root and
  # CAP_SYS_ADMIN; skipped elsewhere.
  local masks=() name
  for name in libcurl.so.4 libyaml-0.so.2; do
    path=$(ldconfig -p | awk -v n="$name" '$1 == n && /x86-64/ {print $NF; exit}')
    [ -n "$path" ] && masks+=("$(readlink -f "$path")")
  done
  if [ ${#masks[@]} -gt 0 ] && unshare -m --propagation private true 2>/dev/null; then
    local mounts=""
    for path in "${masks[@]}"; do mounts="$mounts mount --bind /dev/null '$path' &&"; done
    (cd "$work/run" && bare unshare -m --propagation private sh -c \
      "$mounts exec '$venv/bin/python' -I walkthrough.py '$kubeconfig' '$version'" > "$work/masked.log" 2>&1) \
      || { echo "with ${masks[*]} masked:"; cat "$work/masked.log"; return 1; }
    echo "walkthrough with the system's ${masks[*]} masked: ok"
  else
    echo "walkthrough with the system's libcurl/libyaml masked: skipped (no unshare -m here)"
  fi
}

# ---------------------------------------------------------------------------------------------
versions() {
  [ -n "$wheel" ] && [ -x "$venv/bin/python" ] && [ -d "$installed" ] \
    || { echo "versions needs the c-install and wheel sections"; return 1; }
  python3 Tests/packaging/check_versions.py --root "$root" --prefix "$installed" --wheel "$wheel" \
    --python "$venv/bin/python"
}

# ---------------------------------------------------------------------------------------------
swiftpm() {
  local consumer=$work/consumer scratch=$work/consumer-scratch
  mkdir -p "$consumer" && cp -r Tests/packaging/swift-consumer/. "$consumer/"
  sed "s|@KUBECLIENT_PATH@|$root|" "$consumer/Package.swift.in" > "$consumer/Package.swift"
  rm "$consumer/Package.swift.in"
  local start=$SECONDS attempt
  # The consumer builds the checkout's sources as they are: a source saved during the build
  # (someone editing the work tree) aborts it, and a second attempt picks up where it stopped.
  for attempt in 1 2; do
    (cd "$consumer" && swift build --scratch-path "$scratch" > "$work/consumer-build.log" 2>&1) && break
    if [ "$attempt" = 2 ] || ! grep -q 'was modified during the build' "$work/consumer-build.log"; then
      tail -40 "$work/consumer-build.log"; return 1
    fi
    echo "a source changed during the consumer's build: building again"
  done
  echo "consumer built in $((SECONDS - start)) s"
  # SwiftPM resolves (fetches into checkouts/) every dependency of the kubeclient package and
  # plans a folder for each target, but must compile only what the client products need: no
  # swift-nio, swift-nio-ssl, swift-crypto, swift-certificates, no test server, no C ABI.
  local modules objects
  modules=$(ls "$scratch/debug/Modules" | sed -n 's/\.swiftmodule$//p' | sort | tr '\n' ' ')
  echo "consumer build compiled: $modules"
  objects=$(cd "$scratch/debug" && find NIO*.build CNIO*.build Crypto*.build CCrypto*.build X509.build \
    SwiftASN1.build KubeTestServer*.build KubeCABI.build -name '*.o' 2>/dev/null | head -5 || true)
  if [ -n "$objects" ] || echo " $modules" | grep -Eq ' (NIO|_NIO|Crypto|_Crypto|X509|SwiftASN1|KubeTestServer|KubeCABI)' \
     || grep -Eq 'Compiling (NIO|CNIO|Crypto|CCrypto|X509|SwiftASN1|KubeTestServer)' "$work/consumer-build.log"; then
    echo "the consumer's build compiled server-side modules: $objects"; return 1
  fi
  echo "consumer build: no swift-nio / crypto / test server compiled (checkouts fetched: $(ls "$scratch/checkouts" | tr '\n' ' '))"
  (cd "$work" && "$scratch/debug/consumer" "$kubeconfig")
  # Removing the build (checkouts and all) takes a while too: count it here.
  rm -rf "$scratch" "$consumer"
}

# ---------------------------------------------------------------------------------------------
failed=()
for section in "${sections[@]}"; do
  case $section in
    c-install) fn=c_install ;;
    wheel) fn=wheel_test ;;
    versions) fn=versions ;;
    swiftpm) fn=swiftpm ;;
    *) echo "packaging: unknown section $section" >&2; exit 2 ;;
  esac
  echo
  echo "--- packaging: $section"
  start=$SECONDS
  # errexit inside the section's subshell (not in an `if`, where bash would ignore it).
  (set -e; $fn)
  if [ $? -eq 0 ]; then status=ok; else status=FAILED; failed+=("$section"); fi
  # The subshell cannot hand back variables: recompute what later sections need.
  [ "$section" = wheel ] && wheel=$(ls "$work"/wheelhouse/kubeclient-*.whl 2>/dev/null | head -1)
  echo "--- packaging: $section $status ($((SECONDS - start)) s)"
done
echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "packaging: failed: ${failed[*]} ($SECONDS s in all)"
  exit 1
fi
echo "packaging: ${sections[*]}: ok ($SECONDS s in all)"
