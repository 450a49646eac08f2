"""One version everywhere: KC_VERSION_STRING in include/kubeclient.h is the source; every other
place that states the version must agree with it. Run by scripts/test-packaging.sh.

Usage: python3 check_versions.py --root REPO --prefix INSTALLED_PREFIX --wheel WHEEL --python VENV_PYTHON
"""
import argparse
import re
import subprocess
import sys
import zipfile
from pathlib import Path


def grep(path: Path, pattern: str) -> str:
    match = re.search(pattern, path.read_text(encoding="utf-8"), re.MULTILINE)
    return match.group(1) if match else f"<no match for {pattern!r} in {path}>"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--prefix", type=Path, required=True)
    parser.add_argument("--wheel", type=Path, required=True)
    parser.add_argument("--python", required=True)
    args = parser.parse_args()
    root, prefix = args.root, args.prefix

    header = root / "include" / "kubeclient.h"
    version = grep(header, r'^#define KC_VERSION_STRING "(.*)"$')
    parts = [grep(header, rf"^#define KC_VERSION_{p} (\d+)$") for p in ("MAJOR", "MINOR", "PATCH")]
    found = {
        "include/kubeclient.h KC_VERSION_MAJOR.MINOR.PATCH": ".".join(parts),
        # Swift constants the library reports (not generated from the header: kept in step here).
        "Sources/KubeCABI/LibraryThunks.swift libraryVersion":
            grep(root / "Sources/KubeCABI/LibraryThunks.swift", r'^let libraryVersion: StaticString = "(.*)"$'),
        "Sources/KubeClient/Config/KubeClientVersion.swift kubeclientVersion":
            grep(root / "Sources/KubeClient/Config/KubeClientVersion.swift", r'^public let kubeclientVersion = "(.*)"$'),
        "CHANGELOG.md latest release": grep(root / "CHANGELOG.md", r"^## \[?(\d+\.\d+\.\d+)\]?"),
        "installed kubeclient.pc Version": grep(prefix / "lib/pkgconfig/kubeclient.pc", r"^Version: (.*)$"),
        "installed kubeclientConfigVersion.cmake":
            grep(prefix / "lib/cmake/kubeclient/kubeclientConfigVersion.cmake", r'^set\(PACKAGE_VERSION "(.*)"\)$'),
    }
    libraries = sorted(p.name for p in (prefix / "lib").glob("libkubeclient.so.*.*.*"))
    found["installed lib/libkubeclient.so.X.Y.Z"] = ",".join(n.removeprefix("libkubeclient.so.") for n in libraries)
    soname = subprocess.run(["readelf", "-d", str(prefix / "lib/libkubeclient.so")], capture_output=True,
                            text=True, check=True).stdout
    major = re.search(r"\(SONAME\).*\[libkubeclient\.so\.(\d+)\]", soname)
    found["SONAME number = major version"] = (major.group(1) + version[version.index("."):]) if major else "<none>"

    wheel_name = re.match(r"kubeclient-([^-]+)-py3-none-manylinux_\d+_\d+_x86_64\.whl$", args.wheel.name)
    found["wheel file name"] = wheel_name.group(1) if wheel_name else f"<unexpected name {args.wheel.name}>"
    with zipfile.ZipFile(args.wheel) as wheel:
        metadata = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        found["wheel METADATA Version"] = re.search(r"^Version: (.*)$", wheel.read(metadata).decode(),
                                                    re.MULTILINE).group(1)
        found["wheel dist-info licenses"] = (version if {"LICENSE", "NOTICE"} <= {
            Path(n).name for n in wheel.namelist() if ".dist-info/licenses/" in n} else "<LICENSE/NOTICE missing>")
    installed = subprocess.run(
        [args.python, "-c", "import importlib.metadata, kubeclient; "
                            "print(kubeclient.version(), importlib.metadata.version('kubeclient'))"],
        capture_output=True, text=True, cwd=prefix)
    if installed.returncode != 0:
        print(installed.stderr, file=sys.stderr)
    reported = installed.stdout.split() or ["<failed>", "<failed>"]
    found["installed wheel: kubeclient.version()"] = reported[0]
    found["installed wheel: importlib.metadata.version"] = reported[1]

    width = max(map(len, found))
    print(f"  {'include/kubeclient.h KC_VERSION_STRING':<{width}}  {version}")
    bad = 0
    for what, value in found.items():
        mark = "" if value == version else "   <-- differs"
        bad += bool(mark)
        print(f"  {what:<{width}}  {value}{mark}")
    if bad:
        print(f"versions: {bad} place(s) disagree with KC_VERSION_STRING {version}", file=sys.stderr)
        return 1
    print(f"versions: all {len(found) + 1} agree on {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
