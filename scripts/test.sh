#!/usr/bin/env bash
# Runs every test: Swift (unit + integration against the in-memory API server and kubectl),
# the C tests (also under valgrind and ASan/UBSan) against libkubeclient.so, the Python tests,
# and a short pass of the fuzz targets.
# Does all setup first, so it works on a fresh Debian/Ubuntu machine with Swift.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/setup.sh || { echo "setup failed"; exit 1; }

passed=0
failed=0
failures=()
step() {
    local name=$1
    shift
    echo
    echo "=== $name"
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures+=("$name")
    fi
}

step "swift build" swift build --build-tests
step "swift tests" swift test --skip-build
step "release library" scripts/build-lib.sh
# What users install: the wheel on a bare venv, the C library from an install prefix through
# pkg-config and CMake, a downstream SwiftPM package; one version everywhere (reuses the release
# library just built; about 2.5 minutes, most of it the SwiftPM consumer's build).
step "packaging" scripts/test-packaging.sh
step "C tests" Tests/c/run.sh
# The same C tests compiled with ASan/UBSan (valgrind above does not see UBSan issues).
step "C tests (ASan/UBSan)" Tests/c/run.sh --sanitize
# The C examples must compile, and the Python suite drives the C network controller too.
step "C examples" make -s -C examples/c
step "python tests" "$root/.venv/bin/python" -m pytest -q bindings/python/tests
# Every code block of the user guide (docs/guide), run against a test server (about a minute).
step "guide" python3 scripts/test-guide.py
# libFuzzer targets (fuzz/): build, then 10,000 inputs each from the committed seeds with a fixed
# seed, so every run explores the same inputs; any crash fails (about 2 minutes).
step "fuzz smoke" scripts/fuzz.sh --smoke
# The demo must never flake: 20 runs in a row (about 2 minutes after the build).
step "demo x20" scripts/demo-loop.sh 20

echo
[ ${#failures[@]} -gt 0 ] && echo "failed suites: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
