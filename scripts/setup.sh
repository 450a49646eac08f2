#!/usr/bin/env bash
# One-time setup on Debian/Ubuntu with Swift installed: system libraries and a Python venv.
# Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libcurl4-openssl-dev libjansson-dev libyaml-dev pkg-config valgrind gcc make cmake)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check pytest >/dev/null
# Type checking of the Python binding and examples (scripts/test.sh; 1.11+ knows TypeVar defaults).
.venv/bin/python -m pip install -q --disable-pip-version-check "mypy>=1.11" >/dev/null
# PyYAML: kubeclient-gen reads YAML CRD manifests (its tests run with this venv).
.venv/bin/python -m pip install -q --disable-pip-version-check pyyaml >/dev/null
.venv/bin/python -m pip install -q --disable-pip-version-check -e bindings/python >/dev/null
