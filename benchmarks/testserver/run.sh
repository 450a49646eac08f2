#!/bin/sh
# Measures the test server: LIST of 10,000 ~5 KB pods and watch events/s to one watcher.
# Usage: benchmarks/testserver/run.sh [debug|release]   (default: release)
set -e
cd "$(dirname "$0")/../.."
config="${1:-release}"
KUBETESTSERVER_BENCH=1 swift test -c "$config" --filter "KubeTestServerTests.BenchmarkTests" 2>&1 | grep -E "BENCH|passed|failed|error"
