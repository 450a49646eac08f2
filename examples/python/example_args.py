"""The command line every Python example shares, like client-go's
``clientcmd.BuildConfigFromFlags(master, kubeconfig)`` plus a context:

  --kubeconfig PATH   the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
  --master URL        the API server URL, overriding the kubeconfig's server
  --context NAME      the kubeconfig context (default: its current-context)

The flags win over the environment.
"""
from __future__ import annotations

import argparse
from typing import Optional

import _setup  # noqa: F401
import kubeclient


def parser(doc: Optional[str]) -> argparse.ArgumentParser:
    """An argument parser with the three flags; the example adds its own arguments.
    ``doc`` (the example's docstring) becomes the description."""
    result = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    result.add_argument("--kubeconfig", metavar="PATH",
                        help="kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)")
    result.add_argument("--master", metavar="URL", help="API server URL, overriding the kubeconfig's")
    result.add_argument("--context", metavar="NAME", help="kubeconfig context (default: current-context)")
    return result


def load_config(args: argparse.Namespace, namespace: Optional[str] = None) -> kubeclient.Config:
    """The configuration the flags in ``args`` select; ``namespace`` None keeps the context's."""
    return kubeclient.Config.load(args.kubeconfig, context=args.context, master=args.master, namespace=namespace)
