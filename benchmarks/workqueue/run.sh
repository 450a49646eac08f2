#!/usr/bin/env bash
# Workqueue throughput from Swift, C and Python: get/forget/done/add cycles per second through
# a rate-limited queue (default controller rate limiter) over 10,000 keys with 2 workers.
# Median of --runs runs (default 5), each in a fresh process.
#
#   benchmarks/workqueue/run.sh [--runs 5]
#
# Builds the release library and the Swift benchmark in .build-release (like scripts/build-lib.sh).
# Prints a markdown table; the targets are client-go's ~3.2 M/s from Swift,
# ≥ 1 M/s from C, ≥ 100 k/s from Python.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/benchmarks/workqueue"
runs=5
[ "${1:-}" = "--runs" ] && runs=$2
cd "$root"
KUBECLIENT_STATIC_RUNTIME=1 swift build -c release --product kubeclient --scratch-path .build-release >&2
KUBECLIENT_STATIC_RUNTIME=1 swift build -c release --product WorkqueueBench --scratch-path .build-release >&2
lib="$root/.build-release/release"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lib"
ln -s "$lib/libkubeclient.so" "$work/lib/libkubeclient.so"
ln -s "$lib/libkubeclient.so" "$work/lib/libkubeclient.so.0"
cc -std=c99 -O2 -I"$root/include" "$here/c/workqueue_bench.c" -o "$work/workqueue_bench" \
  -L"$work/lib" -lkubeclient -Wl,-rpath,"$work/lib" -lpthread

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)] " (" a[1] "–" a[NR] ")"}'; }
measure() {
  for _ in $(seq "$runs"); do "$@" | sed -n 's/.*cycles_per_sec=\([0-9]*\).*/\1/p'; done | median
}

echo "| language | case | cycles/s, median (min–max) | target |"
echo "| --- | --- | --- | --- |"
echo "| Swift | 2 workers, metrics on | $(measure "$lib/WorkqueueBench") | ≥ 3.2 M (client-go) |"
echo "| Swift | 2 workers, timings off (as client-go measures) | $(measure "$lib/WorkqueueBench" --no-timings) | ≥ 3.2 M (client-go) |"
echo "| C | 2 workers | $(measure "$work/workqueue_bench" 2 2000000) | ≥ 1 M |"
echo "| Python | 2 threads | $(KUBECLIENT_LIBRARY="$lib" measure python3 "$here/python/workqueue_bench.py" --cycles 300000) | ≥ 100 k |"
echo
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
