#!/usr/bin/env python3
"""Generate the Swift API models (KubeModels) and typed accessors (KubeClientset).

Kept for existing callers; the generator lives in scripts/kubegen (see scripts/kubeclient-gen).

Usage:
  python3 scripts/generate-models.py            # regenerate in place
  python3 scripts/generate-models.py --out DIR  # write the same tree under DIR (the check test does this)
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kubegen.swift_models import ROOT, write_builtin  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=ROOT, help="root of the tree to write (default: the repository)")
    write_builtin(parser.parse_args().out)


if __name__ == "__main__":
    main()
