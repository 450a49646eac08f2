"""Seed walkthrough (d): create a Deployment from an embedded YAML template with the
dynamic client.

Usage: python deployment_create.py [--kubeconfig PATH] [--master URL] [--context NAME] [name] [namespace]
"""
import sys

import _setup  # noqa: F401
import example_args
import kubeclient

TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    app: {name}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - name: web
        image: {image}
        ports:
        - containerPort: 80
"""


def main() -> None:
    parser = example_args.parser(__doc__)
    parser.add_argument("name", nargs="?", default="web-from-template-py")
    parser.add_argument("namespace", nargs="?", help="default: the kubeconfig's namespace")
    args = parser.parse_args()
    name = args.name
    config = example_args.load_config(args, args.namespace)
    namespace = config.namespace
    manifest = TEMPLATE.format(name=name, replicas=2, image="nginx:1.27")
    with kubeclient.Client(config) as client:
        created = client.resource("apps/v1", "deployments", namespace=namespace).create(manifest)
        print(f"created deployment {created['metadata']['name']} in {created['metadata']['namespace']} "
              f"(uid {created['metadata']['uid']}, replicas {created['spec']['replicas']})")


if __name__ == "__main__":
    try:
        main()
    except kubeclient.KubeClientError as error:
        sys.exit(f"error: {error}")
