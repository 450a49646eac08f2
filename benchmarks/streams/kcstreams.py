"""Stream benchmarks of the Python binding, one case per process (see streams.py):

  kcstreams.py logs KUBECONFIG NS POD BYTES   iter_bytes() of a pod log      -> mb_per_sec=
  kcstreams.py exec KUBECONFIG NS POD BYTES   exec_stream `kc-bulk BYTES`     -> mb_per_sec=
"""
from __future__ import annotations

import sys
import time

import kubeclient


def client(kubeconfig: str) -> kubeclient.Client:
    return kubeclient.Client(kubeclient.Config.load(kubeconfig), qps=-1)


def logs(kubeconfig: str, namespace: str, pod: str, size: int) -> None:
    with client(kubeconfig) as c:
        started = time.perf_counter()
        total = 0
        with c.stream_pod_logs(pod, namespace) as stream:
            for chunk in stream.iter_bytes():
                total += len(chunk)
        seconds = time.perf_counter() - started
    assert total >= size, f"{total} of {size} bytes"
    print(f"bytes={total} seconds={seconds:.6f} mb_per_sec={total / seconds / 1e6:.1f}")


def exec_bulk(kubeconfig: str, namespace: str, pod: str, size: int) -> None:
    with client(kubeconfig) as c:
        started = time.perf_counter()
        total = 0
        with c.exec_stream(pod, namespace, ["kc-bulk", str(size)]) as session:
            while True:
                chunk = session.stdout.read(1 << 17)
                if not chunk:
                    break
                total += len(chunk)
            code = session.wait()
        seconds = time.perf_counter() - started
    assert code == 0 and total == size, f"exit {code}, {total} of {size} bytes"
    print(f"bytes={total} seconds={seconds:.6f} mb_per_sec={total / seconds / 1e6:.1f}")


if __name__ == "__main__":
    case, kubeconfig, namespace, pod, size = sys.argv[1:6]
    {"logs": logs, "exec": exec_bulk}[case](kubeconfig, namespace, pod, int(size))
