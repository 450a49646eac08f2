"""Forwards local ports to a pod's ports, like `kubectl port-forward POD [LOCAL:]REMOTE...`.

Usage: python port_forward.py [--kubeconfig PATH] [--master URL] [--context NAME]
                              [-n NAMESPACE] [--address ADDR] POD [LOCAL:]REMOTE [...]

LOCAL 0 (":REMOTE") picks a free port. Runs until Ctrl-C, which closes every connection.
"""
import sys
from typing import Tuple

import _setup  # noqa: F401
import example_args
import kubeclient


def ports(text: str) -> Tuple[int, int]:
    """"8080" -> (8080, 8080); "9000:8080" -> (9000, 8080); ":8080" -> (0, 8080)."""
    local, colon, remote = text.rpartition(":")
    if not colon:
        return int(remote), int(remote)
    return int(local or 0), int(remote)


def main() -> None:
    parser = example_args.parser(__doc__)
    parser.add_argument("-n", "--namespace", help="default: the kubeconfig's namespace")
    parser.add_argument("--address", default="127.0.0.1", help="the local address to listen on")
    parser.add_argument("pod")
    parser.add_argument("ports", nargs="+", type=ports, metavar="[LOCAL:]REMOTE")
    args = parser.parse_args()
    config = example_args.load_config(args, args.namespace)
    with kubeclient.Client(config) as client:
        forwarders = []
        try:
            for local, remote in args.ports:
                forwarder = client.port_forwarder(args.pod, config.namespace, remote, local_port=local,
                                                  address=args.address)
                forwarders.append(forwarder)
                print(f"Forwarding from {args.address}:{forwarder.local_port} -> {remote}", flush=True)
            forwarders[0].wait()  # until Ctrl-C
        finally:
            for forwarder in forwarders:
                forwarder.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
    except kubeclient.KubeClientError as error:
        sys.exit(f"error: {error}")
