"""Runs a command in a pod's container, like `kubectl exec [-i] POD -- COMMAND [ARGS...]`.

Usage: python pod_exec.py [--kubeconfig PATH] [--master URL] [--context NAME]
                          [-n NAMESPACE] [-c CONTAINER] [-i] POD -- COMMAND [ARGS...]

Prints the command's stdout and stderr and exits with its exit status. With -i the command
reads this program's stdin (until end-of-file).
"""
import io
import shutil
import sys
import threading
from typing import IO, Any, cast

import _setup  # noqa: F401
import example_args
import kubeclient


def pump_stdin(session: kubeclient.ExecSession) -> None:
    """Copies our stdin to the command's, then closes it (end-of-file)."""
    stdin = session.stdin
    if stdin is None:  # started without stdin
        return
    try:
        while True:
            data = cast(io.BufferedReader, sys.stdin.buffer).read1(65536)
            if not data:
                break
            stdin.write(data)
        stdin.close()
    except kubeclient.Closed:  # the command ended first
        pass


def copy(source: IO[Any], target: IO[bytes]) -> None:
    while True:
        data = cast(io.BufferedReader, source).read1(65536)  # the session's streams are buffered readers
        if not data:
            return
        target.write(data)
        target.flush()


def main() -> int:
    parser = example_args.parser(__doc__)
    parser.add_argument("-n", "--namespace", help="default: the kubeconfig's namespace")
    parser.add_argument("-c", "--container", help="needed when the pod has several")
    parser.add_argument("-i", "--stdin", action="store_true", help="pass stdin to the command")
    parser.add_argument("-t", "--tty", action="store_true", help="a terminal (stderr merged into stdout)")
    parser.add_argument("pod")
    parser.add_argument("command", nargs="+", help="the command and its arguments (after --)")
    args = parser.parse_args()
    config = example_args.load_config(args, args.namespace)
    with kubeclient.Client(config) as client:
        if not args.stdin and not args.tty:
            # The simple case: run, collect, print.
            result = client.exec(args.pod, config.namespace, args.command, container=args.container, text=False)
            sys.stdout.buffer.write(result.stdout)
            sys.stderr.buffer.write(result.stderr)
            return result.exit_code
        with client.exec_stream(args.pod, config.namespace, args.command, container=args.container,
                                stdin=args.stdin, tty=args.tty) as session:
            if args.tty:
                size = shutil.get_terminal_size()
                session.resize(size.columns, size.lines)
            if args.stdin:
                threading.Thread(target=pump_stdin, args=(session,), daemon=True).start()
            if session.stderr is not None:
                errors = threading.Thread(target=copy, args=(session.stderr, sys.stderr.buffer), daemon=True)
                errors.start()
            copy(session.stdout, sys.stdout.buffer)
            code = session.wait()
            if session.stderr is not None:
                errors.join()
            return code


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except kubeclient.KubeClientError as error:
        sys.exit(f"error: {error}")
