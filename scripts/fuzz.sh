#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ and runs each for a bounded time; fails if any finds
# a crash, a timeout, a leak or runs out of memory.
#
#   scripts/fuzz.sh [--smoke] [--time SECONDS] [--build-only] [TARGET...]
#
#   --smoke        a short, deterministic pass for the test command: 10,000 inputs per target
#                  (KUBECLIENT_FUZZ_SMOKE_RUNS) from the committed seeds with a fixed seed
#   --time S       seconds per target (default 60)
#   --build-only   compile, do not run
#   --log-dir D    where the per-target logs go (default .build-fuzz/logs)
#   TARGET         json yaml kubeconfig selectors patch watch codec (default: all)
#
# The targets are compiled straight with swiftc (not SwiftPM: the package's build must not
# carry the sanitizers) into .build-fuzz/: the module sources under test with
# -sanitize=fuzzer,address, swift-log from SwiftPM's checkout without instrumentation.
# Modules are rebuilt only when one of their sources changed.
#
# Corpora live in .build-fuzz/corpus/<target> (seeded from fuzz/seeds/<target> and the test
# fixtures on every run, grown by libFuzzer; --smoke uses a fresh copy of the seeds only),
# findings in .build-fuzz/artifacts/<target>/, logs in .build-fuzz/logs/<target>.log.
# Reproduce a finding with
#   .build-fuzz/bin/fuzz-<target> .build-fuzz/artifacts/<target>/crash-...
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/.build-fuzz"

all_targets=(json yaml kubeconfig selectors patch watch codec)
smoke=0
seconds=""
build_only=0
log_dir="$out/logs"
targets=()
while [ $# -gt 0 ]; do
    case $1 in
        --smoke) smoke=1 ;;
        --time) seconds=${2:?--time needs a number of seconds}; shift ;;
        --build-only) build_only=1 ;;
        --log-dir) log_dir=${2:?--log-dir needs a folder}; shift ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1") ;;
    esac
    shift
done
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
# Inputs per target in the smoke pass: a few seconds each at this machine's speeds.
smoke_runs=${KUBECLIENT_FUZZ_SMOKE_RUNS:-10000}
if [ -z "$seconds" ]; then
    seconds=60
fi

for t in "${targets[@]}"; do
    case " ${all_targets[*]} " in
        *" $t "*) ;;
        *) echo "fuzz.sh: unknown target '$t' (targets: ${all_targets[*]})" >&2; exit 2 ;;
    esac
done

if [ "$(uname -s)" != Linux ]; then
    echo "fuzz.sh: libFuzzer with swiftc needs Linux; skipping"
    exit 0
fi

swiftc=${SWIFTC:-swiftc}
mkdir -p "$out/obj" "$out/bin" "$log_dir" "$out/artifacts"
# -O: the targets run many times faster; preconditions and overflow checks stay on.
common=(-O -g -parse-as-library -sanitize=fuzzer,address -module-cache-path "$out/module-cache"
        -Xcc "-fmodule-map-file=$root/Sources/CYaml/module.modulemap"
        -Xcc "-fmodule-map-file=$root/Sources/CCurl/module.modulemap"
        -I "$out/obj")

# newer OUTPUT FILE... : true when OUTPUT is missing or older than any FILE.
stale() {
    local output=$1
    shift
    [ -e "$output" ] || return 0
    local f
    for f in "$@"; do
        [ "$f" -nt "$output" ] && return 0
    done
    return 1
}

# build_module NAME [swiftc flags] -- SOURCES...
# Also rebuilt when a module it imports was ($module_deps: their objects): type layouts
# of the imported module are compiled into it, and a stale copy would read memory wrongly.
build_module() {
    local name=$1
    shift
    local flags=()
    while [ "$1" != "--" ]; do flags+=("$1"); shift; done
    shift
    local deps=()
    [ -n "${module_deps:-}" ] && read -r -a deps <<< "$module_deps"
    if stale "$out/obj/$name.o" "$@" "${deps[@]}"; then
        echo "fuzz: compiling $name ($# files)"
        nice -n 10 "$swiftc" -wmo -module-name "$name" "${flags[@]}" \
            -emit-module -emit-module-path "$out/obj/$name.swiftmodule" \
            -emit-object -o "$out/obj/$name.o" "$@" || return 1
        # swiftc leaves an unchanged object file untouched: mark it fresh for `stale`.
        touch "$out/obj/$name.o"
    fi
}

logging_dir="$root/.build/checkouts/swift-log/Sources/Logging"
need_client=0
for t in "${targets[@]}"; do
    case $t in yaml|kubeconfig|watch|codec) need_client=1 ;; esac
done

build_modules() {
    build_module KubeCore "${common[@]}" -enable-testing -- $(find "$root/Sources/KubeCore" -name '*.swift' | sort) || return 1
    if [ $need_client -eq 1 ]; then
        if [ ! -d "$logging_dir" ]; then
            echo "fuzz: swift-log is not checked out in .build/checkouts (run 'swift package resolve')" >&2
            return 1
        fi
        # swift-log is a dependency, not under test: no instrumentation.
        build_module Logging -O -parse-as-library -package-name swift_log -module-cache-path "$out/module-cache" \
            -- $(find "$logging_dir" -name '*.swift' | sort) || return 1
        module_deps="$out/obj/KubeCore.o $out/obj/Logging.o" \
            build_module KubeClient "${common[@]}" -enable-testing -- $(find "$root/Sources/KubeClient" -name '*.swift' | sort) || return 1
    fi
}

# The cache codec and what it stands on, compiled into the codec target itself (the rest of
# KubeRuntime would pull in swift-collections and the informer machinery).
store="$root/Sources/KubeRuntime/Informer/Store"
codec_sources=("$store/CachedObject.swift" "$store/ObjectStorage.swift" "$store/CompactObjectCodec.swift"
               "$store/KeyTokenTable.swift" "$store/FieldNames.swift" "$store/ValueTable.swift")

build_target() {
    local t=$1
    local sources=("$root/fuzz/targets/$t.swift" "$root/fuzz/support/FuzzSupport.swift")
    local objects=("$out/obj/KubeCore.o")
    local libs=(-lyaml)
    case $t in
        yaml|kubeconfig|watch|codec)
            objects+=("$out/obj/KubeClient.o" "$out/obj/Logging.o")
            libs+=(-lcurl) ;;
    esac
    [ "$t" = codec ] && sources+=("${codec_sources[@]}")
    if stale "$out/bin/fuzz-$t" "${sources[@]}" "${objects[@]}"; then
        echo "fuzz: linking fuzz-$t"
        nice -n 10 "$swiftc" "${common[@]}" -module-name "Fuzz_$t" "${sources[@]}" "${objects[@]}" "${libs[@]}" \
            -use-ld=lld -o "$out/bin/fuzz-$t" || return 1
    fi
}

# Long runs grow .build-fuzz/corpus/<target>; the smoke pass starts from the seeds alone in a
# fresh folder each time, so that its duration does not grow with that corpus (libFuzzer runs
# every corpus file before the time limit applies) and a seed makes it repeatable.
corpus_root="$out/corpus"
if [ $smoke -eq 1 ]; then
    corpus_root="$out/corpus-smoke"
    rm -rf "$corpus_root"
fi

# Seeds: the committed ones plus test fixtures, copied without overwriting what the corpus
# already holds.
seed() {
    local t=$1
    local dir="$corpus_root/$t"
    mkdir -p "$dir"
    [ -d "$root/fuzz/seeds/$t" ] && cp -n "$root/fuzz/seeds/$t"/* "$dir"/ 2>/dev/null
    case $t in
        json|codec)
            cp -n "$root"/Tests/KubeTestSupport/Fixtures/*.json "$dir"/ 2>/dev/null ;;
        yaml)
            cp -n "$root"/examples/manifests/*.yaml "$root"/fuzz/seeds/kubeconfig/* "$dir"/ 2>/dev/null ;;
        watch)
            # Watch streams built from fixtures: each object as an ADDED event line.
            local f
            for f in "$root"/Tests/KubeTestSupport/Fixtures/apps.v1.*.json "$root"/Tests/KubeTestSupport/Fixtures/v1.Pod.json; do
                [ -e "$f" ] || continue
                local name="fixture-$(basename "$f" .json)"
                [ -e "$dir/$name" ] && continue
                { printf '\007{"type":"ADDED","object":'; tr -d '\n' < "$f"; printf '}\n{"type":"DELETED","object":'
                  tr -d '\n' < "$f"; printf '}\n'; } > "$dir/$name"
            done ;;
    esac
    return 0
}

dict_for() {
    case $1 in
        json|codec|watch) echo "$root/fuzz/dict/json.dict" ;;
        yaml) echo "$root/fuzz/dict/yaml.dict" ;;
        *) echo "$root/fuzz/dict/$1.dict" ;;
    esac
}

started=$(date +%s)
build_modules || { echo "fuzz: building the modules failed" >&2; exit 1; }
for t in "${targets[@]}"; do
    build_target "$t" || { echo "fuzz: building fuzz-$t failed" >&2; exit 1; }
done
echo "fuzz: built in $(( $(date +%s) - started )) s"
[ $build_only -eq 1 ] && exit 0

failed=()
summary=()
for t in "${targets[@]}"; do
    seed "$t"
    mkdir -p "$out/artifacts/$t"
    log="$log_dir/$t.log"
    if [ $smoke -eq 1 ]; then
        echo "fuzz: running $t for $smoke_runs inputs (log: ${log#"$root"/})"
    else
        echo "fuzz: running $t for ${seconds}s (log: ${log#"$root"/})"
    fi
    # The smoke pass is deterministic: a fixed seed and a fixed number of inputs from the
    # committed seeds, so the test command explores the same inputs on every run and machine
    # (a time budget alone would explore further on a faster one and could fail there only).
    # The time limit stays as a ceiling. New findings come from long runs, not from CI.
    seed_flag=()
    [ $smoke -eq 1 ] && seed_flag=(-seed=1 -runs="$smoke_runs")
    # One process (no -jobs/-fork): the machine is shared. -malloc_limit_mb catches a single
    # huge allocation (an alias bomb) as a failure rather than letting it grow to the RSS limit.
    # The Swift runtime's own crash handler would get in ASan's way.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
    nice -n 19 "$out/bin/fuzz-$t" "$corpus_root/$t" \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
        -dict="$(dict_for "$t")" -artifact_prefix="$out/artifacts/$t/" -print_final_stats=1 "${seed_flag[@]}" \
        > "$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    if [ $status -eq 0 ]; then
        summary+=("$t: ok, ${execs:-?} runs, ${cov:-cov: ?}")
    else
        failed+=("$t")
        summary+=("$t: FAILED (exit $status), ${execs:-?} runs; see ${log#"$root"/}")
        grep -E 'ERROR: |fuzz invariant|Fatal error|SUMMARY|Test unit written' "$log" | head -8 | sed 's/^/    /'
    fi
done

echo
printf '%s\n' "${summary[@]}"
echo "fuzz: total $(( $(date +%s) - started )) s"
[ ${#failed[@]} -eq 0 ]
