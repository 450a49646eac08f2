"""Seed walkthrough (b): create my-nginx-app from a YAML file, read it, scale it to 1 replica
with image nginx:1.14, update it, delete it.

Usage: python deployment_lifecycle.py [--kubeconfig PATH] [--master URL] [--context NAME] [manifest] [namespace]
"""
import sys
from pathlib import Path

import _setup  # noqa: F401
import example_args
import kubeclient

MANIFEST = Path(__file__).resolve().parents[1] / "manifests" / "nginx-deployment.yaml"


def main() -> None:
    parser = example_args.parser(__doc__)
    parser.add_argument("manifest", nargs="?", type=Path, default=MANIFEST)
    parser.add_argument("namespace", nargs="?", help="default: the kubeconfig's namespace")
    args = parser.parse_args()
    manifest = args.manifest
    config = example_args.load_config(args, args.namespace)
    namespace = config.namespace
    with kubeclient.Client(config) as client:
        deployments = client.resource("apps/v1", "deployments", namespace=namespace)

        created = deployments.create(manifest.read_text())  # YAML is accepted as the body
        name = created["metadata"]["name"]
        print(f"created deployment {name} in {namespace}")

        deployment = deployments.get(name)
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        print(f"read: replicas={deployment['spec']['replicas']} image={container['image']}")

        deployment["spec"]["replicas"] = 1
        container["image"] = "nginx:1.14"
        updated = deployments.update(deployment)
        print(f"updated: replicas={updated['spec']['replicas']} "
              f"image={updated['spec']['template']['spec']['containers'][0]['image']}")

        deployments.delete(name, propagation_policy="Foreground")
        print(f"deleted deployment {name}")


if __name__ == "__main__":
    try:
        main()
    except kubeclient.KubeClientError as error:
        sys.exit(f"error: {error}")
