"""kubeclient-gen: generate models for the built-in API types or for CustomResourceDefinitions.

  kubeclient-gen builtin [--swift | --python] [--out DIR]
      Swift (default): Sources/KubeModels/Generated and Sources/KubeClientset/Generated from
      api/definitions-v1.37.0.json, under DIR (default: the repository).
      Python: the TypedDicts of the kubeclient.models package (bindings/python/kubeclient/models).
  kubeclient-gen crd [--swift | --python] [--out DIR] [--module-prefix P] [--embed-crd] [--clientset] [--strict] FILE...
      Models for every served version of the CRDs in FILE... (YAML, several documents, or JSON),
      written under DIR (default: the current directory). Schema positions that have no single
      type (typed oneOf/anyOf, $ref, ...) become free-form JSON, with a warning on stderr.

Exit status: 0 on success, 1 on unreadable or malformed input, 2 when --strict and a warning was printed.
"""

import argparse
import os
import sys

from . import crd as crd_module
from .schema import Diagnostics


def write_files(files, out):
    for rel, text in sorted(files.items()):
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"kubeclient-gen: wrote {len(files)} file(s) to {out}", file=sys.stderr)


def run_builtin(args, diagnostics):
    from . import swift_models
    if args.language == "python":
        from . import python_types
        definitions, discovery = swift_models.load_inputs()
        # Paths relative to the repository (bindings/python/kubeclient/models/...), as for Swift.
        write_files(python_types.generate_builtin(definitions, discovery, diagnostics), args.out or swift_models.ROOT)
        return 0
    swift_models.write_builtin(args.out or swift_models.ROOT)
    return 0


def run_crd(args, diagnostics):
    try:
        versions = crd_module.load_crds(args.files, diagnostics)
        if not versions:
            raise crd_module.CRDError("no served CustomResourceDefinition versions in the input")
        if args.language == "python":
            from . import python_types
            files = python_types.generate_crds(versions, diagnostics, args.module_prefix)
        else:
            from . import swift_crd
            files = swift_crd.generate(versions, diagnostics, args.module_prefix or "", embed_crd=args.embed_crd,
                                       clientset=args.clientset)
    except crd_module.CRDError as e:
        print(f"kubeclient-gen: error: {e}", file=sys.stderr)
        return 1
    write_files(files, args.out or ".")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="kubeclient-gen", description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n", 2)[2])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("builtin", "models of the built-in API types"), ("crd", "models of CustomResourceDefinitions")):
        sub = commands.add_parser(name, help=help_text)
        language = sub.add_mutually_exclusive_group()
        language.add_argument("--swift", dest="language", action="store_const", const="swift", help="Swift (default)")
        language.add_argument("--python", dest="language", action="store_const", const="python", help="Python TypedDicts")
        sub.add_argument("--out", help="folder to write into")
        sub.add_argument("--strict", action="store_true", help="exit 2 when any warning was printed")
        if name == "crd":
            sub.add_argument("--module-prefix", default="",
                             help="Swift: prefix for the namespace enums; Python: prefix for the module names")
            sub.add_argument("--embed-crd", action="store_true",
                             help="Swift: add each kind's CRD as `static let customResourceDefinition` (JSON text)")
            sub.add_argument("--clientset", action="store_true",
                             help="Swift: also typed accessors, client.<namespace>.<plural>(namespace:) (needs KubeClient)")
            sub.add_argument("files", nargs="+", metavar="FILE", help="CRD manifests (YAML or JSON)")
    args = parser.parse_args(argv)
    diagnostics = Diagnostics()
    if args.command == "builtin":
        status = run_builtin(args, diagnostics)
    else:
        status = run_crd(args, diagnostics)
    if status == 0 and args.strict and diagnostics.items:
        print(f"kubeclient-gen: {len(diagnostics.items)} warning(s) with --strict", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
