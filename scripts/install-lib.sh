#!/usr/bin/env bash
# Installs the library staged by scripts/build-lib.sh into DESTDIR + PREFIX, where PREFIX is the
# one given to build-lib.sh (read back from the staged kubeclient.pc):
#
#   scripts/build-lib.sh --prefix /usr/local
#   scripts/install-lib.sh /tmp/stage       # lays out /tmp/stage/usr/local/...
#   scripts/install-lib.sh /                # installs into /usr/local itself (then run ldconfig)
#
# Layout under DESTDIR/PREFIX:
#   lib/libkubeclient.so.X.Y.Z            the library (stripped, static Swift runtime)
#   lib/libkubeclient.so.0 -> .X.Y.Z      the SONAME link the loader uses
#   lib/libkubeclient.so   -> .0          the link -lkubeclient finds at build time
#   include/kubeclient.h, include/kubeclient/*.h
#   lib/pkgconfig/kubeclient.pc           prefix=PREFIX
#   lib/cmake/kubeclient/kubeclientConfig.cmake, kubeclientConfigVersion.cmake
#                                         find_package(kubeclient CONFIG) -> kubeclient::kubeclient
#
# Usage: scripts/install-lib.sh [--from DIR] DESTDIR
#   --from  the staged folder (default: .build-release/dist)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
from=$root/.build-release/dist
destdir=
while [ $# -gt 0 ]; do
  case $1 in
    --from) from=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "install-lib: unknown argument: $1" >&2; exit 2 ;;
    *) [ -z "$destdir" ] || { echo "install-lib: one DESTDIR only" >&2; exit 2; }; destdir=$1; shift ;;
  esac
done
[ -n "$destdir" ] || { echo "usage: scripts/install-lib.sh [--from DIR] DESTDIR" >&2; exit 2; }

pc=$from/lib/pkgconfig/kubeclient.pc
[ -f "$pc" ] || { echo "install-lib: $pc is missing: run scripts/build-lib.sh --prefix PREFIX first" >&2; exit 1; }
prefix=$(sed -n 's/^prefix=//p' "$pc")
version=$(sed -n 's/^Version: //p' "$pc")
case $prefix in
  /*) ;;
  *) echo "install-lib: $pc has prefix '$prefix': stage with scripts/build-lib.sh --prefix PREFIX" >&2; exit 1 ;;
esac
library=$from/lib/libkubeclient.so.$version
[ -f "$library" ] || { echo "install-lib: $library is missing" >&2; exit 1; }
soname=$(readelf -d "$library" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ -n "$soname" ] || { echo "install-lib: $library has no SONAME" >&2; exit 1; }

target=${destdir%/}$prefix
echo "install-lib: kubeclient $version into $target"
install -d "$target/lib/pkgconfig" "$target/lib/cmake/kubeclient" "$target/include/kubeclient"
install -m 0755 "$library" "$target/lib/libkubeclient.so.$version"
ln -sfn "libkubeclient.so.$version" "$target/lib/$soname"
ln -sfn "$soname" "$target/lib/libkubeclient.so"
install -m 0644 "$from/include/kubeclient.h" "$target/include/kubeclient.h"
install -m 0644 "$from"/include/kubeclient/*.h "$target/include/kubeclient/"
install -m 0644 "$pc" "$target/lib/pkgconfig/kubeclient.pc"
install -m 0644 "$from"/lib/cmake/kubeclient/*.cmake "$target/lib/cmake/kubeclient/"
if [ "${destdir%/}" = "" ]; then
  echo "install-lib: run ldconfig (as root) if $prefix/lib is not yet in the loader's cache"
fi
