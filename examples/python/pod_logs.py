"""Prints a pod's log, like `kubectl logs [-f] POD`.

Usage: python pod_logs.py [--kubeconfig PATH] [--master URL] [--context NAME]
                          [-n NAMESPACE] [-c CONTAINER] [-f] [--tail N] [--since SECONDS]
                          [--timestamps] [--previous] POD

With -f it follows the log until the container ends or Ctrl-C.
"""
import sys

import _setup  # noqa: F401
import example_args
import kubeclient


def main() -> None:
    parser = example_args.parser(__doc__)
    parser.add_argument("pod")
    parser.add_argument("-n", "--namespace", help="default: the kubeconfig's namespace")
    parser.add_argument("-c", "--container", help="needed when the pod has several")
    parser.add_argument("-f", "--follow", action="store_true", help="stream new lines as they are written")
    parser.add_argument("--tail", type=int, metavar="N", help="only the last N lines")
    parser.add_argument("--since", type=int, metavar="SECONDS", help="only lines newer than this")
    parser.add_argument("--timestamps", action="store_true", help="prefix each line with its time")
    parser.add_argument("-p", "--previous", action="store_true", help="the previous container's log")
    args = parser.parse_args()
    config = example_args.load_config(args, args.namespace)
    with kubeclient.Client(config) as client:
        with client.stream_pod_logs(args.pod, config.namespace, container=args.container, follow=args.follow,
                                    tail_lines=args.tail, since_seconds=args.since, timestamps=args.timestamps,
                                    previous=args.previous) as log:
            for chunk in log.iter_bytes():  # bytes as they come: no re-encoding, no waiting for a newline
                sys.stdout.buffer.write(chunk)
                sys.stdout.buffer.flush()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
    except kubeclient.KubeClientError as error:
        sys.exit(f"error: {error}")
