#!/usr/bin/env bash
# The seed walkthrough: starts kubeclient-testserver seeded with examples/manifests/demo-seed.yaml
# and runs every example (a–e) in C, Python and Swift against it.
#
# Usage: scripts/demo.sh [c|python|swift ...]   (default: all three languages)
# Builds what it needs first (debug build of the library, the test server and the Swift
# examples; the C examples with examples/c/Makefile).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
languages=("$@")
[ ${#languages[@]} -eq 0 ] && languages=(c python swift)
examples=(resources_list deployment_lifecycle configmap_list deployment_create api_resources_list)

echo "demo: building"
swift build --product kubeclient > /dev/null
swift build --product kubeclient-testserver > /dev/null
for language in "${languages[@]}"; do
  case $language in
    c) make -s -C examples/c LIBDIR="$root/.build/debug" > /dev/null ;;
    swift) for example in "${examples[@]}"; do swift build --product "$example" > /dev/null; done ;;
    python) ;;
    *) echo "unknown language: $language (c, python, swift)" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkfifo "$work/url"
.build/debug/kubeclient-testserver --port 0 --kubeconfig-out "$work/kubeconfig" \
  --seed examples/manifests/demo-seed.yaml > "$work/url" 2> "$work/server.log" &
server_pid=$!
read -r -t 60 url < "$work/url" || { echo "demo: the test server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
cat "$work/url" > /dev/null &
echo "demo: test server at $url"

export KUBECONFIG="$work/kubeconfig"
export KUBECLIENT_LIBRARY="$root/.build/debug/libkubeclient.so"
run() {
  local language=$1 example=$2 args=()
  [ "$example" = configmap_list ] && args=(shop)
  echo
  echo "=== $language: $example ${args[*]:-}"
  case $language in
    c) ".build/examples-c/$example" "${args[@]}" ;;
    python) python3 "examples/python/$example.py" "${args[@]}" ;;
    swift) ".build/debug/$example" "${args[@]}" ;;
  esac
}
for language in "${languages[@]}"; do
  for example in "${examples[@]}"; do
    run "$language" "$example"
  done
done
echo
echo "demo: every example ran"
