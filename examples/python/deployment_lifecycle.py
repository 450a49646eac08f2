"""Seed walkthrough (b): create my-nginx-app from a YAML file, read it, scale it to 1 replica
with image nginx:1.14, update it, delete it.

Usage: python deployment_lifecycle.py [manifest] [namespace]
"""
import sys
from pathlib import Path

import _setup  # noqa: F401
import kubeclient

MANIFEST = Path(__file__).resolve().parents[1] / "manifests" / "nginx-deployment.yaml"


def main() -> None:
    manifest = Path(sys.argv[1]) if len(sys.argv) > 1 else MANIFEST
    config = kubeclient.Config.load()
    namespace = sys.argv[2] if len(sys.argv) > 2 else config.namespace
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
