"""Seed walkthrough: a node informer. Prints "add a node: NAME" for every node (the initial
list, then new ones), waits for the cache to sync, and lists all nodes from the cache.

Usage: python node_informer.py [--kubeconfig PATH] [--master URL] [--context NAME] [seconds]
       (keeps watching that long; default 0)
"""
import sys
import time

import _setup  # noqa: F401
import example_args
import kubeclient
from kubeclient.informer import InformerFactory, LazyObject


def main() -> None:
    parser = example_args.parser(__doc__)
    parser.add_argument("seconds", type=float, nargs="?", default=0.0, help="keep watching this long")
    args = parser.parse_args()
    seconds = args.seconds
    with kubeclient.Client(example_args.load_config(args)) as client, InformerFactory(client) as factory:
        nodes = factory.informer("v1", "nodes")

        @nodes.on_add
        def added(node: LazyObject, is_initial_list: bool) -> None:
            print(f"add a node: {node['metadata']['name']}", flush=True)

        factory.start()
        if not factory.wait_for_sync(timeout=30):
            sys.exit("error: the node cache did not sync within 30 s")
        cached = nodes.list()
        print(f"{len(cached)} node(s) in the cache:")
        for node in cached:
            print(f"  {node['metadata']['name']}")
        time.sleep(seconds)


if __name__ == "__main__":
    try:
        main()
    except kubeclient.KubeClientError as error:
        sys.exit(f"error: {error}")
