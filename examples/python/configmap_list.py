"""Seed walkthrough (c): the configmaps of a namespace with their data.

Usage: python configmap_list.py [--kubeconfig PATH] [--master URL] [--context NAME] [namespace]
       (default namespace: the kubeconfig's)
"""
import sys

import _setup  # noqa: F401
import example_args
import kubeclient


def main() -> None:
    parser = example_args.parser(__doc__)
    parser.add_argument("namespace", nargs="?", help="default: the kubeconfig's namespace")
    args = parser.parse_args()
    config = example_args.load_config(args, args.namespace)
    namespace = config.namespace
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
