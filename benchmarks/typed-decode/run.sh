#!/bin/sh
# Typed decode benchmark: 10,000-pod PodList into CoreV1.PodList vs a bare JSON parse.
#   benchmarks/typed-decode/run.sh [pods] [runs]
# Builds KubeCore and KubeModels optimized (-O, whole module) with swiftc directly into
# benchmarks/typed-decode/.build, so it does not touch the package's build folder.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT="$HERE/.build"
PODS=${1:-10000}
RUNS=${2:-5}
mkdir -p "$OUT"
FLAGS="-O -wmo -swift-version 6 "
if [ ! -f "$OUT/libKubeModels.a" ] || [ -n "$(find "$ROOT/Sources/KubeCore" "$ROOT/Sources/KubeModels" -newer "$OUT/libKubeModels.a" -name '*.swift' | head -1)" ]; then
    echo "building KubeCore and KubeModels (optimized, a few minutes)..." >&2
    swiftc $FLAGS -module-name KubeCore -emit-module -emit-module-path "$OUT/KubeCore.swiftmodule" \
        -emit-library -static -o "$OUT/libKubeCore.a" -I "$ROOT/Sources/CYaml" \
        $(find "$ROOT/Sources/KubeCore" -name '*.swift' | sort)
    swiftc $FLAGS -module-name KubeModels -emit-module -emit-module-path "$OUT/KubeModels.swiftmodule" \
        -emit-library -static -o "$OUT/libKubeModels.a" -I "$OUT" -I "$ROOT/Sources/CYaml" \
        $(find "$ROOT/Sources/KubeModels" -name '*.swift' | sort)
fi
SUPPORT="$ROOT/benchmarks/support"
if [ ! -f "$OUT/libBenchSupport.a" ] || [ -n "$(find "$SUPPORT" -newer "$OUT/libBenchSupport.a" -name '*.swift' | head -1)" ]; then
    swiftc $FLAGS -module-name BenchSupport -emit-module -emit-module-path "$OUT/BenchSupport.swiftmodule" \
        -emit-library -static -o "$OUT/libBenchSupport.a" $(find "$SUPPORT" -name '*.swift' | sort)
fi
if [ ! -x "$OUT/typed-decode" ] || [ "$HERE/main.swift" -nt "$OUT/typed-decode" ] || [ "$OUT/libKubeModels.a" -nt "$OUT/typed-decode" ] \
    || [ "$OUT/libBenchSupport.a" -nt "$OUT/typed-decode" ]; then
    swiftc -O -swift-version 6 -module-name TypedDecode -I "$OUT" -I "$ROOT/Sources/CYaml" \
        "$HERE/main.swift" "$OUT/libBenchSupport.a" "$OUT/libKubeModels.a" "$OUT/libKubeCore.a" -lyaml -o "$OUT/typed-decode"
fi
if [ ! -f "$OUT/podlist-$PODS.json" ]; then
    python3 "$HERE/make-podlist.py" "$PODS" "$OUT/podlist-$PODS.json" >&2
fi
"$OUT/typed-decode" "$OUT/podlist-$PODS.json" "$RUNS"
