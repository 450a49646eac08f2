#!/usr/bin/env bash
# Runs the demo N times in a row (default 20); every run must pass. A flake in the demo (two
# controller replicas racing, a leader hand-over timing out) shows up here, not on a user's
# first try.
#
#   scripts/demo-loop.sh [--no-build] [N]
#
# Builds once (scripts/demo.sh's setup and builds; --no-build: built already), then runs
# `scripts/demo.sh --no-build` N times, each against a fresh test server, rotating which
# language's network controller runs the two-replica part (C, Python, Swift). Stops at the first failure and prints that
# run's output. One run takes about 5 s on 2 cores (after the build), so 20 take ~2 minutes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

build=1
if [ "${1:-}" = --no-build ]; then build=0; shift; fi
runs=${1:-20}
case $runs in
  ''|*[!0-9]*) echo "usage: scripts/demo-loop.sh [--no-build] [N]" >&2; exit 2 ;;
esac

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# Setup and builds once, through the demo itself (no languages skipped), quietly.
if [ $build -eq 1 ] && ! scripts/demo.sh c python swift > "$logs/build.log" 2>&1; then
  cat "$logs/build.log" >&2
  echo "demo-loop: the first demo run (with builds) failed" >&2
  exit 1
fi

orders=("c python swift" "python swift c" "swift c python")
start=$SECONDS
for ((i = 1; i <= runs; i++)); do
  order=${orders[$(( (i - 1) % 3 ))]}
  began=$SECONDS
  # shellcheck disable=SC2086
  if ! scripts/demo.sh --no-build $order > "$logs/run.log" 2>&1; then
    cat "$logs/run.log" >&2
    echo "demo-loop: run $i of $runs failed (languages: $order; controller: ${order%% *})" >&2
    exit 1
  fi
  echo "demo-loop: run $i/$runs passed in $((SECONDS - began)) s (controller: ${order%% *})"
done
echo "demo-loop: $runs runs passed in $((SECONDS - start)) s"
