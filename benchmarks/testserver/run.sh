#!/bin/sh
# Measures the test server: LIST of 10,000 ~5 KB pods and watch events/s to one watcher.
#   benchmarks/testserver/run.sh               release CLI + bench.py (the figures to quote)
#   benchmarks/testserver/run.sh --in-process  the Swift benchmark tests (debug build)
set -e
cd "$(dirname "$0")/../.."
if [ "$1" = "--in-process" ]; then
    swift build --build-tests
    KUBETESTSERVER_BENCH=1 swift test --skip-build --filter "KubeTestServerTests.BenchmarkTests" 2>&1 | grep -E "BENCH|passed|failed|error"
else
    swift build -c release --product kubeclient-testserver
    python3 benchmarks/testserver/bench.py .build/release/kubeclient-testserver
fi
