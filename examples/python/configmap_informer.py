"""Seed walkthrough: a configmap watcher on an informer. Prints add/update/delete for the
configmaps of a namespace while the demo creates, updates and deletes one of its own.

Usage: python configmap_informer.py [--kubeconfig PATH] [--master URL] [--context NAME] [namespace]
       (default namespace: the kubeconfig's)
"""
import sys
import threading

import _setup  # noqa: F401
import example_args
import kubeclient
from kubeclient.informer import InformerFactory, LazyObject


def describe(configmap: LazyObject) -> str:
    meta = configmap["metadata"]
    return f"{meta['name']} rv={meta['resourceVersion']} data={configmap.get('data', {})}"


def main() -> None:
    parser = example_args.parser(__doc__)
    parser.add_argument("namespace", nargs="?", help="default: the kubeconfig's namespace")
    args = parser.parse_args()
    config = example_args.load_config(args, args.namespace)
    namespace = config.namespace
    demo_deleted = threading.Event()
    with kubeclient.Client(config) as client, InformerFactory(client) as factory:
        configmaps = factory.informer("v1", "configmaps", namespace)

        def on_add(configmap: LazyObject, is_initial_list: bool) -> None:
            print(f"add    {describe(configmap)}{' (initial list)' if is_initial_list else ''}", flush=True)

        def on_update(old: LazyObject, new: LazyObject) -> None:
            print(f"update {describe(new)}", flush=True)

        def on_delete(configmap: LazyObject, final_state_unknown: bool) -> None:
            print(f"delete {describe(configmap)}{' (final state unknown)' if final_state_unknown else ''}", flush=True)
            if configmap["metadata"]["name"] == "informer-demo":
                demo_deleted.set()

        configmaps.add_handler(on_add, on_update, on_delete)
        factory.start()
        if not factory.wait_for_sync(timeout=30):
            sys.exit("error: the configmap cache did not sync within 30 s")

        resource = client.resource("v1", "configmaps", namespace=namespace)
        resource.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "informer-demo"},
                         "data": {"step": "created"}})
        resource.patch("informer-demo", {"data": {"step": "updated"}})
        resource.delete("informer-demo")
        demo_deleted.wait(30)


if __name__ == "__main__":
    try:
        main()
    except kubeclient.KubeClientError as error:
        sys.exit(f"error: {error}")
