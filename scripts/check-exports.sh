#!/usr/bin/env bash
# Checks that the functions declared in the C headers are exactly the global symbols the
# shared library exports (nm -D), and that nothing else leaks (Swift mangled names etc.).
# Usage: scripts/check-exports.sh path/to/libkubeclient.so
set -euo pipefail
lib=${1:?usage: check-exports.sh LIBRARY}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Declared: every "KC_EXTERN <type> kc_name(" in the public headers (include/kubeclient.h and
# include/kubeclient/*.h), the declaration possibly spanning lines.
cat "$root"/include/kubeclient.h "$root"/include/kubeclient/*.h \
  | tr '\n' ' ' | grep -o 'KC_EXTERN[^;(]*(' | grep -o 'kc_[A-Za-z0-9_]*[[:space:]]*($' \
  | tr -d ' (' | sort -u > "$tmp/declared"
# Exported: global (upper-case type letter) defined dynamic symbols. gold lists some local
# Swift metadata in .dynsym too; those are lower-case and not exported.
nm -D --defined-only "$lib" | awk '$2 ~ /^[A-Z]$/ {print $3}' | sed 's/@.*//' | sort -u > "$tmp/exported"

if ! diff -u "$tmp/declared" "$tmp/exported" > "$tmp/diff"; then
  echo "check-exports: header declarations and exported symbols differ (- header only, + library only):" >&2
  grep '^[-+][^-+]' "$tmp/diff" >&2 || true
  exit 1
fi
echo "check-exports: $(wc -l < "$tmp/declared") functions declared and exported, nothing else exported"
