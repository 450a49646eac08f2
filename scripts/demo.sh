#!/usr/bin/env bash
# The demo: the seed walkthrough in C, Python and Swift.
#
#   scripts/demo.sh                 # against the project's in-memory API server (no cluster needed)
#   scripts/demo.sh --cluster       # against the cluster of your kubeconfig ($KUBECONFIG or ~/.kube/config)
#   scripts/demo.sh [--cluster] c python swift   # a subset of the languages (the first one's
#                                                # network controller runs the two-replica part)
#   scripts/demo.sh --no-build ...  # skip setup and builds (scripts/demo-loop.sh builds once)
#
# Without --cluster it starts kubeclient-testserver seeded with examples/manifests/demo-seed.yaml
# (nodes, namespaces, services, deployments, configmaps). It runs: (a) list nodes, namespaces,
# services and deployments; (b) a deployment's life; (c) configmaps with their data; (d) a
# Deployment from an embedded YAML template; (e) api-resources; the node informer; a configmap
# informer; a pod's log and a command run in it (logs, exec); and the sample network controller
# (two replicas with leader election).
# Does all setup first (apt packages, Python venv, builds).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

cluster=0
build=1
languages=()
for arg in "$@"; do
  case $arg in
    --cluster) cluster=1 ;;
    --no-build) build=0 ;;
    c|python|swift) languages+=("$arg") ;;
    *) echo "usage: scripts/demo.sh [--cluster] [--no-build] [c] [python] [swift]" >&2; exit 2 ;;
  esac
done
[ ${#languages[@]} -eq 0 ] && languages=(c python swift)
examples=(resources_list deployment_lifecycle configmap_list deployment_create api_resources_list node_informer configmap_informer)

# Runs a build step quietly; on failure shows its output (a bare exit status explains nothing).
quiet() {
  local output
  if ! output=$("$@" 2>&1); then
    echo "$output" >&2
    echo "demo: failed: $*" >&2
    return 1
  fi
}

if [ $build -eq 1 ]; then
  scripts/setup.sh
  echo "demo: building (the first build takes a few minutes)"
  quiet swift build --product kubeclient
  if [ $cluster -eq 0 ]; then quiet swift build --product kubeclient-testserver; fi
  for language in "${languages[@]}"; do
    case $language in
      c) quiet make -s -C examples/c LIBDIR="$root/.build/debug" ;;
      swift) for example in "${examples[@]}" network_controller pod_logs pod_exec; do quiet swift build --product "$example"; done ;;
    esac
  done
fi

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ $cluster -eq 0 ]; then
  mkfifo "$work/url"
  .build/debug/kubeclient-testserver --port 0 --kubeconfig-out "$work/kubeconfig" \
    --seed examples/manifests/demo-seed.yaml > "$work/url" 2> "$work/server.log" &
  server_pid=$!
  read -r -t 120 url < "$work/url" || { echo "demo: the test server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
  cat "$work/url" > /dev/null &
  echo "demo: test server at $url"
  export KUBECONFIG="$work/kubeconfig"
else
  echo "demo: using the cluster of ${KUBECONFIG:-$HOME/.kube/config}"
fi
export KUBECLIENT_LIBRARY="$root/.build/debug/libkubeclient.so"
python=("$root/.venv/bin/python")

run() {
  local language=$1 example=$2
  shift 2
  echo
  echo "=== $language: $example $*"
  case $language in
    c) ".build/examples-c/$example" "$@" ;;
    python) "${python[@]}" "examples/python/$example.py" "$@" ;;
    swift) ".build/debug/$example" "$@" ;;
  esac
}
controller() {
  case $1 in
    c) echo "$root/.build/examples-c/network_controller" ;;
    python) echo "${python[*]} $root/examples/python/network_controller.py" ;;
    swift) echo "$root/.build/debug/network_controller" ;;
  esac
}

for language in "${languages[@]}"; do
  for example in "${examples[@]}"; do
    case $example in
      configmap_list) run "$language" "$example" shop ;;
      *) run "$language" "$example" ;;
    esac
  done
done

# Streams: a pod's log and a command run in it (kubectl logs / exec). The test server has no
# kubelet: the demo writes the log lines the container would have printed.
if [ $cluster -eq 0 ]; then
  "${python[@]}" - <<'PY'
import kubeclient
with kubeclient.Client() as client:
    lines = ["GET / 200 0.8ms", "GET /cart 200 1.2ms", "POST /checkout 201 4.1ms"]
    answer = client.request("POST", "/_testserver/logs", {"namespace": "shop", "pod": "storefront-0", "lines": lines})
    assert answer.status_code < 300, answer.body
PY
  for language in "${languages[@]}"; do
    run "$language" pod_logs -n shop --tail 2 storefront-0
    run "$language" pod_exec -n shop storefront-0 -- sh -c 'echo "hello from $HOSTNAME"'
  done
fi

# The sample controller: one language's controller (the first asked for), two replicas.
language=${languages[0]}
echo
echo "=== $language: network_controller, two replicas with leader election"
# shellcheck disable=SC2046
"${python[@]}" examples/python/network_demo.py $(controller "$language")

echo
echo "demo: every example ran"
