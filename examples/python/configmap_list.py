"""Seed walkthrough (c): the configmaps of a namespace with their data.

Usage: python configmap_list.py [namespace]   (default: the kubeconfig's namespace)
"""
import sys

import _setup  # noqa: F401
import kubeclient


def main() -> None:
    config = kubeclient.Config.load()
    namespace = sys.argv[1] if len(sys.argv) > 1 else config.namespace
    with kubeclient.Client(config) as client:
        configmaps = client.resource("v1", "configmaps", namespace=namespace).list()["items"]
        print(f"{len(configmaps)} configmap(s) in {namespace}")
        for configmap in configmaps:
            print(configmap["metadata"]["name"])
            for key, value in sorted(configmap.get("data", {}).items()):
                print(f"  {key}: {value.rstrip()!s}".replace("\n", "\n    "))


if __name__ == "__main__":
    try:
        main()
    except kubeclient.KubeClientError as error:
        sys.exit(f"error: {error}")
