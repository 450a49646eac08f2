#!/usr/bin/env python3
"""Stream benchmarks: pod logs, exec and port-forward, side by side in one run, and
kubectl port-forward on the same server. Writes the "Streams" section of
benchmarks/RESULTS.md (between the streams markers; benchmarks/run.py keeps that section).

  python3 benchmarks/streams/streams.py [--runs 3] [--no-build] [--mb 64] [--pf-mb MB]

Builds (unless --no-build) the release library (scripts/build-lib.sh), the release test server
(.build-release) and kcstreams.c against a snapshot of the library. The test server runs over
TLS, as a real one does, and forwards the pod port to a local source that sends the bytes.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from typing import List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
BUILD = os.path.join(BENCH, ".build", "streams")
RELEASE = os.path.join(ROOT, ".build-release", "release")
NAMESPACE, POD, REMOTE_PORT = "bench", "source", 9000

sys.path.insert(0, BENCH)
import results_sections  # noqa: E402


def build(skip: bool) -> dict:
    os.makedirs(BUILD, exist_ok=True)
    env = dict(os.environ, KUBECLIENT_STATIC_RUNTIME="1")
    if not skip:
        subprocess.check_call([os.path.join(ROOT, "scripts", "build-lib.sh")], cwd=ROOT)
        subprocess.check_call(["swift", "build", "-c", "release", "--product", "kubeclient-testserver",
                               "--scratch-path", os.path.join(ROOT, ".build-release")], cwd=ROOT, env=env)
    lib = os.path.join(BUILD, "lib")
    os.makedirs(lib, exist_ok=True)
    shutil.copy2(os.path.join(RELEASE, "libkubeclient.so"), os.path.join(lib, "libkubeclient.so.0"))
    if not os.path.lexists(os.path.join(lib, "libkubeclient.so")):
        os.symlink("libkubeclient.so.0", os.path.join(lib, "libkubeclient.so"))
    program = os.path.join(BUILD, "kcstreams")
    subprocess.check_call(["cc", "-O2", "-std=c11", "-Wall", "-I", os.path.join(ROOT, "include"),
                           os.path.join(HERE, "kcstreams.c"), "-o", program, "-L", lib, "-lkubeclient",
                           f"-Wl,-rpath,{lib}", "-lpthread"])
    return {"lib": os.path.join(lib, "libkubeclient.so.0"), "c": program,
            "server": os.path.join(RELEASE, "kubeclient-testserver")}


class Source:
    """A TCP server that sends `size` zero bytes to every connection, then closes it: what the
    forwarded pod port serves."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        chunk = bytes(1 << 20)
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.send, args=(connection, chunk), daemon=True).start()

    def send(self, connection: socket.socket, chunk: bytes) -> None:
        with connection:
            left = self.size
            try:
                while left > 0:
                    n = min(left, len(chunk))
                    connection.sendall(chunk[:n] if n < len(chunk) else chunk)
                    left -= n
            except OSError:
                pass


class Server:
    def __init__(self, binary: str, workdir: str, source_port: int) -> None:
        self.kubeconfig = os.path.join(workdir, "kubeconfig")
        self.process = subprocess.Popen(
            [binary, "--port", "0", "--kubeconfig-out", self.kubeconfig,
             "--port-forward", f"{NAMESPACE}/{POD}:{REMOTE_PORT}=127.0.0.1:{source_port}"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


def measure(argv: List[str], key: str, runs: int, env: Optional[dict] = None) -> List[float]:
    values = []
    for _ in range(runs):
        out = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600)
        match = re.search(rf"\b{key}=([0-9.]+)", out.stdout)
        if out.returncode != 0 or not match:
            raise RuntimeError(f"{' '.join(argv[:2])}: exit {out.returncode}: {out.stderr.strip()[-300:]}")
        values.append(float(match.group(1)))
    return values


def kubectl_port_forward(kubeconfig: str, reader: str, size: int, runs: int) -> List[float]:
    values = []
    for _ in range(runs):
        forward = subprocess.Popen(["kubectl", "--kubeconfig", kubeconfig, "-n", NAMESPACE, "port-forward",
                                    f"pod/{POD}", f":{REMOTE_PORT}"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        try:
            assert forward.stdout is not None
            line = forward.stdout.readline()
            match = re.search(r"127\.0\.0\.1:(\d+)", line)
            if not match:
                raise RuntimeError(f"kubectl port-forward: {line!r} {forward.stderr.read() if forward.stderr else ''}")
            values += measure([reader, "pf-read", match.group(1), str(size)], "mb_per_sec", 1)
        finally:
            forward.terminate()
            forward.wait()
    return values


def fill_log(lib: str, kubeconfig: str, size: int) -> None:
    """The pod and a log of `size` bytes (lines of 1,000 bytes), through the Python binding."""
    code = f"""
import kubeclient
c = kubeclient.Client(kubeclient.Config.load({kubeconfig!r}), qps=-1)
c.resource("v1", "namespaces").create({{"apiVersion": "v1", "kind": "Namespace", "metadata": {{"name": {NAMESPACE!r}}}}})
c.resource("v1", "pods", {NAMESPACE!r}).create({{"apiVersion": "v1", "kind": "Pod", "metadata": {{"name": {POD!r}}},
    "spec": {{"containers": [{{"name": "main", "image": "busybox"}}]}}}})
# kubectl port-forward refuses a pod that is not Running.
pod = c.resource("v1", "pods", {NAMESPACE!r}).get({POD!r})
pod["status"] = {{"phase": "Running"}}
c.resource("v1", "pods", {NAMESPACE!r}).update_status(pod)
line = "x" * 999
lines = {size} // 1000
while lines > 0:
    n = min(lines, 4096)
    r = c.request("POST", "/_testserver/logs", {{"namespace": {NAMESPACE!r}, "pod": {POD!r}, "lines": [line] * n}})
    assert r.status_code < 300, r.body
    lines -= n
"""
    env = dict(os.environ, KUBECLIENT_LIBRARY=lib, PYTHONPATH=os.path.join(ROOT, "bindings", "python"))
    subprocess.check_call([sys.executable, "-c", code], env=env)


def row(name: str, values: List[float], unit: str, note: str = "") -> str:
    if not values:
        return f"| {name} | not run | {note} |"
    median = statistics.median(values)
    spread = f"{min(values):.1f}–{max(values):.1f}" if len(values) > 1 else ""
    return f"| {name} | {median:.1f} {unit} ({spread}) | {note} |"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--mb", type=int, default=64, help="megabytes per log / exec / port-forward run")
    ap.add_argument("--pf-mb", type=int, default=None,
                    help="megabytes per port-forward run (default: --mb); at ~1 GB/s a run of 256 MB lasts "
                         "a quarter second, short enough for a scheduling hiccup to move it by 20 %%")
    args = ap.parse_args()
    size = args.mb * 1_000_000
    pf_size = (args.pf_mb or args.mb) * 1_000_000
    paths = build(args.no_build)
    py_env = dict(os.environ, KUBECLIENT_LIBRARY=paths["lib"], PYTHONPATH=os.path.join(ROOT, "bindings", "python"))
    workdir = os.path.join(BUILD, "run")
    os.makedirs(workdir, exist_ok=True)
    source = Source(pf_size)
    server = Server(paths["server"], workdir, source.port)
    results = {}
    try:
        fill_log(paths["lib"], server.kubeconfig, size)
        kc, c, py = server.kubeconfig, paths["c"], [sys.executable, os.path.join(HERE, "kcstreams.py")]
        target = [NAMESPACE, POD, str(size)]
        cases = [
            ("log → C callback", lambda: measure([c, "logs", kc] + target, "mb_per_sec", args.runs), "MB/s"),
            ("log → Python iter_bytes()", lambda: measure(py + ["logs", kc] + target, "mb_per_sec", args.runs, py_env), "MB/s"),
            ("exec stdout → C callback", lambda: measure([c, "exec", kc] + target, "mb_per_sec", args.runs), "MB/s"),
            ("exec stdout → Python session.stdout.read()", lambda: measure(py + ["exec", kc] + target, "mb_per_sec", args.runs, py_env), "MB/s"),
            ("exec round trip, stdin line → stdout echo (C)", lambda: measure([c, "exec-rtt", kc, NAMESPACE, POD, "2000"], "us_per_round_trip", args.runs), "µs"),
            ("port-forward, kubeclient local listener (C)", lambda: measure([c, "pf", kc, NAMESPACE, POD, str(REMOTE_PORT), str(pf_size)], "mb_per_sec", 1), "MB/s"),
            ("port-forward, kubectl port-forward (peer)", lambda: kubectl_port_forward(kc, c, pf_size, 1), "MB/s"),
        ]
        # The two port-forward rows alternate run by run, so drift over the run (the server's
        # heap, the host's scheduling) weighs on both alike.
        ours_name, peer_name = "port-forward, kubeclient local listener (C)", "port-forward, kubectl port-forward (peer)"
        paired = {ours_name, peer_name}
        for name, run, unit in cases:
            if name in paired:
                continue
            try:
                results[name] = (run(), unit, "")
            except Exception as error:  # reported, not fatal
                results[name] = ([], unit, str(error)[:200])
            print(row(name, *results[name]), flush=True)
        pair = {n: (f, u) for n, f, u in cases if n in paired}
        collected = {ours_name: [], peer_name: []}
        notes = {ours_name: "", peer_name: ""}
        for _ in range(args.runs):
            for name in (ours_name, peer_name):
                try:
                    collected[name] += pair[name][0]()
                except Exception as error:  # reported, not fatal
                    notes[name] = str(error)[:200]
        for name in (ours_name, peer_name):
            results[name] = (collected[name] if not notes[name] else [], pair[name][1], notes[name])
            print(row(name, *results[name]), flush=True)
    finally:
        server.stop()
    ours = results.get("port-forward, kubeclient local listener (C)", ([],))[0]
    peer = results.get("port-forward, kubectl port-forward (peer)", ([],))[0]
    ratio = f"{statistics.median(ours) / statistics.median(peer):.2f}×" if ours and peer else "n/a"
    pairs = " · ".join(f"{a:.0f}/{b:.0f}" for a, b in zip(ours, peer))
    lines = ["## Streams (logs, exec, port-forward)", "",
             f"`benchmarks/streams/streams.py`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: release library "
             f"and test server (TLS, loopback), {args.mb} MB per run ({pf_size // 1_000_000} MB per port-forward run), "
             f"median of {args.runs} runs (min–max). "
             "Port-forward reads from a source behind the pod port with the same C reader for both rows, "
             "whose runs alternate.", "",
             "| case | median | note |", "| --- | --- | --- |"]
    lines += [row(name, *value) for name, value in results.items()]
    lines += ["", f"Port-forward throughput, kubeclient ÷ kubectl (same server, same run): **{ratio}** "
              "(target ≥ 1.00×). Run by run, kubeclient/kubectl MB/s in the order run: " + (pairs or "n/a") + "."]
    print(results_sections.write_section("streams", lines))


if __name__ == "__main__":
    main()
