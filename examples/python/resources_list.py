"""Seed walkthrough (a): nodes, namespaces, services and deployments of the cluster.

Usage: python resources_list.py [--kubeconfig PATH] [--master URL] [--context NAME]
"""
import sys

import _setup  # noqa: F401
import example_args
import kubeclient


def main() -> None:
    args = example_args.parser(__doc__).parse_args()
    with kubeclient.Client(example_args.load_config(args)) as client:
        print("NODES")
        for node in client.resource("v1", "nodes").list()["items"]:
            status = node.get("status", {})
            info = status.get("nodeInfo", {})
            print(f"  {node['metadata']['name']:<14} cpu={status.get('capacity', {}).get('cpu', '?'):<4} "
                  f"{info.get('osImage', '')} | {info.get('architecture', '')} | kernel {info.get('kernelVersion', '')}"
                  f" | kubelet {info.get('kubeletVersion', '')} | {info.get('containerRuntimeVersion', '')}")

        print("NAMESPACES")
        for ns in client.resource("v1", "namespaces").list()["items"]:
            print(f"  {ns['metadata']['name']:<18} created {ns['metadata'].get('creationTimestamp', '')}"
                  f"  {ns.get('status', {}).get('phase', '')}")

        print("SERVICES (all namespaces)")
        for svc in client.resource("v1", "services").list()["items"]:
            spec = svc.get("spec", {})
            ports = ",".join(f"{p.get('port')}/{p.get('protocol', 'TCP')}" for p in spec.get("ports", []))
            print(f"  {svc['metadata']['name']:<14} {svc['metadata']['namespace']:<12} "
                  f"{spec.get('clusterIP', ''):<14} {ports}")

        print("DEPLOYMENTS (all namespaces)")
        for deployment in client.resource("apps/v1", "deployments").list()["items"]:
            desired = deployment.get("spec", {}).get("replicas", 1)
            current = deployment.get("status", {}).get("replicas", 0)
            print(f"  {deployment['metadata']['name']:<14} {deployment['metadata']['namespace']:<12} "
                  f"desired={desired} current={current}")


if __name__ == "__main__":
    try:
        main()
    except kubeclient.KubeClientError as error:
        sys.exit(f"error: {error}")
