#!/usr/bin/env bash
# Compiles and runs the C API tests (every Tests/c/*.c is one test program) against a fresh
# kubeclient-testserver, then again under valgrind.
#
# Usage: Tests/c/run.sh [--valgrind | --no-valgrind] [--sanitize] [--lib DIR]
#   --valgrind     also run the tests under valgrind (--leak-check=full, errors fail the run);
#                  the default when valgrind is installed
#   --no-valgrind  skip the valgrind run
#   --sanitize     run only the ASan/UBSan pass instead: the tests are compiled with
#                  -fsanitize=address,undefined and run against the (uninstrumented) library.
#                  ASan intercepts malloc/free for the whole process, so the library's heap
#                  is checked too: a callback touching freed user_data, a double kc_free, a
#                  read past a borrowed buffer. Leaks are checked with the suppressions in
#                  Tests/c/lsan.supp (one-time Swift runtime and libcurl/OpenSSL init only).
#   --only NAME    run only Tests/c/NAME.c (repeatable)
#   --lib DIR   folder holding libkubeclient.so (default: KUBECLIENT_LIB_DIR, else the newest
#               of .build-release/release, .build/release, .build/debug)
# Env: KUBECLIENT_TESTSERVER — the test server binary (default: built with swift build).
#      KC_VALGRIND_EXTRA — extra valgrind flags, e.g. --track-origins=yes.
# Needs: cc, libjansson-dev, valgrind for --valgrind.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/Tests/c"
valgrind=0
command -v valgrind > /dev/null && valgrind=1
sanitize=0
libdir=${KUBECLIENT_LIB_DIR:-}
only=()
while [ $# -gt 0 ]; do
  case $1 in
    --valgrind) valgrind=1; shift ;;
    --no-valgrind) valgrind=0; shift ;;
    --sanitize) sanitize=1; valgrind=0; shift ;;
    --lib) libdir=$2; shift 2 ;;
    --only) only+=("$2"); shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

if [ -z "$libdir" ]; then
  newest=
  for candidate in "$root/.build-release/release" "$root/.build/release" "$root/.build/debug"; do
    if [ -f "$candidate/libkubeclient.so" ] && { [ -z "$newest" ] || [ "$candidate/libkubeclient.so" -nt "$newest/libkubeclient.so" ]; }; then
      newest=$candidate
    fi
  done
  if [ -z "$newest" ]; then
    (cd "$root" && swift build --product kubeclient)
    newest="$root/.build/debug"
  fi
  libdir=$newest
fi
libdir=$(cd "$libdir" && pwd)
echo "run.sh: library $libdir/libkubeclient.so"
# Types first: the headers against the Swift thunks and the Python ctypes declarations (and a
# self-test proving that a seeded mismatch of each kind is reported), then the exported names.
python3 "$root/scripts/check-abi.py" --self-test
"$root/scripts/check-exports.sh" "$libdir/libkubeclient.so"

server=${KUBECLIENT_TESTSERVER:-}
if [ -z "$server" ]; then
  for candidate in "$root/.build/debug/kubeclient-testserver" "$root/.build/release/kubeclient-testserver"; do
    if [ -x "$candidate" ]; then server=$candidate; break; fi
  done
fi
if [ -z "$server" ]; then
  (cd "$root" && swift build --product kubeclient-testserver)
  server="$root/.build/debug/kubeclient-testserver"
fi

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The library's SONAME is libkubeclient.so.0: give the linker and loader that name.
mkdir -p "$work/lib"
ln -s "$libdir/libkubeclient.so" "$work/lib/libkubeclient.so"
ln -s "$libdir/libkubeclient.so" "$work/lib/libkubeclient.so.0"

# Every Tests/c/*.c is one test program (its own main, sharing kc_test.h).
cflags=(-std=c99 -Wall -Wextra -Werror -g)
if [ "$sanitize" = 1 ]; then
  # The executable links the sanitizer runtimes first, so they are loaded before the library
  # and intercept its allocations without LD_PRELOAD. Every UBSan finding is fatal.
  cflags+=(-O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
fi
tests=()
for source in "$here"/*.c; do
  name=$(basename "$source" .c)
  if [ ${#only[@]} -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]]; then continue; fi
  cc "${cflags[@]}" -I"$root/include" "$source" -o "$work/$name" \
    -L"$work/lib" -lkubeclient -Wl,-rpath,"$work/lib" -ljansson -lpthread -lm
  tests+=("$name")
done

start_server() {
  mkfifo "$work/url"
  "$server" --port 0 --kubeconfig-out "$work/kubeconfig" > "$work/url" 2> "$work/server.log" &
  server_pid=$!
  # The first line of stdout is the URL; the kubeconfig is written before it.
  local url
  if ! read -r -t 60 url < "$work/url"; then
    echo "run.sh: the test server did not start:" >&2; cat "$work/server.log" >&2; exit 1
  fi
  echo "run.sh: test server at $url (pid $server_pid)"
  # Keep draining stdout so the server never blocks on a full pipe.
  cat "$work/url" > /dev/null &
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  rm -f "$work/url" "$work/kubeconfig"
}

status=0
if [ "$sanitize" = 1 ]; then
  echo "run.sh: ASan/UBSan pass"
  # detect_leaks stays on (LeakSanitizer at exit), with only one-time runtime/library init
  # allocations suppressed. The Swift runtime's own stack switching is not used by the library
  # (plain pthreads), so detect_stack_use_after_return can stay at its default.
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:exitcode=1:allocator_may_return_null=1"
  export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  start_server
  for name in "${tests[@]}"; do
    echo "run.sh: $name under ASan/UBSan"
    KC_TEST_KUBECONFIG="$work/kubeconfig" KC_TEST_UNDER_SANITIZER=1 "$work/$name" || status=1
  done
  stop_server
  [ "$status" = 0 ] && echo "run.sh: ASan/UBSan clean"
  exit "$status"
fi

start_server
for name in "${tests[@]}"; do
  echo "run.sh: $name"
  KC_TEST_KUBECONFIG="$work/kubeconfig" "$work/$name" || status=1
done
stop_server

if [ "$valgrind" = 1 ]; then
  echo "run.sh: again under valgrind"
  start_server
  for name in "${tests[@]}"; do
    echo "run.sh: $name under valgrind"
    # KC_TEST_UNDER_VALGRIND lets a test relax timing checks (valgrind runs ~20x slower).
    KC_TEST_KUBECONFIG="$work/kubeconfig" KC_TEST_UNDER_VALGRIND=1 valgrind --quiet --error-exitcode=1 ${KC_VALGRIND_EXTRA:-} \
      --leak-check=full --errors-for-leak-kinds=definite,possible --show-leak-kinds=definite,possible \
      --suppressions="$here/valgrind.supp" --num-callers=40 "$work/$name" || status=1
  done
  stop_server
  [ "$status" = 0 ] && echo "run.sh: valgrind clean"
fi
exit "$status"
