"""Build hook: the package version comes from KC_VERSION_STRING in include/kubeclient.h, the
project's one version source (it also names the library file and feeds kubeclient.pc, the CMake
package config and ``kubeclient.version()``). Everything else is in pyproject.toml.

Building needs a checkout (or the staging tree scripts/build-wheel.sh makes, which has the same
layout): the header is found at ../../include/kubeclient.h. The wheel itself is built by
scripts/build-wheel.sh, which puts the Swift-built libkubeclient.so into the package; building
that library needs a Swift toolchain.
"""
import re
from pathlib import Path

from setuptools import Distribution, setup

try:
    from setuptools.command.bdist_wheel import bdist_wheel  # setuptools >= 70.1
except ImportError:  # older setuptools with the wheel package
    from wheel.bdist_wheel import bdist_wheel  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
HEADER = HERE.parent.parent / "include" / "kubeclient.h"
BUNDLED = HERE / "kubeclient" / "libkubeclient.so"


def header_version() -> str:
    try:
        text = HEADER.read_text(encoding="utf-8")
    except OSError as error:
        raise SystemExit(f"kubeclient: cannot read the version from {HEADER}: {error}. Build from a "
                         "checkout of the repository (scripts/build-wheel.sh); building needs Swift.")
    match = re.search(r'^#define KC_VERSION_STRING "([0-9]+\.[0-9]+\.[0-9]+)"$', text, re.MULTILINE)
    if not match:
        raise SystemExit(f"kubeclient: no KC_VERSION_STRING \"X.Y.Z\" in {HEADER}")
    return match.group(1)


class BundledLibraryDistribution(Distribution):
    """With the library bundled (the staging tree of scripts/build-wheel.sh) the package holds a
    Linux binary: it is built and installed as platform-specific (platlib), as an extension
    module would be. Without it (a checkout) the package stays pure Python."""

    def has_ext_modules(self) -> bool:
        return BUNDLED.is_file()


class PlatformWheel(bdist_wheel):
    """A platform wheel for every Python 3 (py3-none-PLATFORM): the library is used through
    ctypes, so nothing depends on the interpreter's ABI."""

    def get_tag(self):
        python, abi, platform = super().get_tag()
        if BUNDLED.is_file():
            return "py3", "none", platform
        return python, abi, platform


setup(version=header_version(), distclass=BundledLibraryDistribution, cmdclass={"bdist_wheel": PlatformWheel})
