#!/usr/bin/env python3
"""Runs every benchmark side by side and writes benchmarks/RESULTS.md.

  python3 benchmarks/run.py [--quick] [--runs 5]

Each case runs in a fresh process, `--runs` times (median, min–max, peak RSS of the
process). Servers serve precomputed bytes (podserver.py) so clients are what is measured.
Cases whose program is missing are reported as "not run", with the reason.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.join(HERE, ".build")
VENV = os.path.join(BUILD, "venv")


@dataclass
class Result:
    name: str
    group: str
    size: str
    seconds: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    extra: dict[str, float] = field(default_factory=dict)
    note: str = ""
    kind: str = "ours"  # ours | peer | floor
    unit: str = "s"     # s (lower is better) or /s (higher is better)


def run_once(argv: list[str], env: dict | None = None, timeout: float = 600) -> tuple[str, int, float]:
    """Runs argv; returns (stdout, peak RSS in KB, wall seconds)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise RuntimeError(f"timeout: {' '.join(argv)}")
    wall = time.perf_counter() - t0
    # wait4 already reaped it through communicate; ru_maxrss comes from resource of children is
    # cumulative, so read the child's own peak from the value the program reports, else from /usr/bin/time.
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: {err.decode()[-400:]}")
    return out.decode(), 0, wall


def run_measured(argv: list[str], env: dict | None = None, timeout: float = 600) -> tuple[str, int, float]:
    """Like run_once, with the peak RSS of the process taken from GNU time's format."""
    if shutil.which("/usr/bin/time") is None:
        return run_once(argv, env, timeout)
    fd, path = tempfile.mkstemp()
    os.close(fd)
    try:
        out, _, wall = run_once(["/usr/bin/time", "-f", "%M", "-o", path] + argv, env, timeout)
        with open(path) as f:
            rss = int(f.read().strip().splitlines()[-1])
        return out, rss, wall
    finally:
        os.unlink(path)


def metric(out: str, key: str) -> float | None:
    m = re.search(rf"\b{key}=([0-9.eE+-]+)", out)
    return float(m.group(1)) if m else None


class PodServer:
    def __init__(self, pods: int, events: int = 0) -> None:
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "podserver.py"), "--pods", str(pods), "--events", str(events)],
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        self.kubeconfig = os.path.join(BUILD, f"kubeconfig-{pods}")
        with open(self.kubeconfig, "w") as f:
            f.write(f"""apiVersion: v1
kind: Config
clusters: [{{name: bench, cluster: {{server: "{self.url}"}}}}]
users: [{{name: bench, user: {{}}}}]
contexts: [{{name: bench, context: {{cluster: bench, user: bench}}}}]
current-context: bench
""")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


def case(results: list[Result], name: str, group: str, size: str, argv: list[str] | None, runs: int,
         kind: str = "ours", key: str = "seconds", use_wall: bool = False, env: dict | None = None,
         unit: str = "s", missing: str = "") -> None:
    r = Result(name, group, size, kind=kind, unit=unit)
    results.append(r)
    if argv is None or not os.path.exists(argv[0]):
        r.note = missing or "not built"
        return
    try:
        for _ in range(runs):
            out, rss, wall = run_measured(argv, env)
            v = wall if use_wall else metric(out, key)
            if v is None:
                raise RuntimeError(f"no {key}= in output: {out[-200:]}")
            r.seconds.append(v)
            r.rss_kb.append(rss)
            for k in ("bytes_per_object", "items"):
                x = metric(out, k)
                if x is not None:
                    r.extra[k] = x
    except Exception as e:  # a failing case is reported, not fatal
        r.note = str(e)[:200]
    print(f"  {group:10} {size:>6} {name:40} {fmt(r)}", flush=True)


def fmt(r: Result) -> str:
    if not r.seconds:
        return f"not run: {r.note}"
    med = statistics.median(r.seconds)
    return f"{med:.4f}{r.unit if r.unit != 's' else ' s'} ({min(r.seconds):.4f}–{max(r.seconds):.4f})"


def build() -> dict[str, str]:
    """Builds the floor program, the Swift benchmarks and the release library; returns paths."""
    os.makedirs(BUILD, exist_ok=True)
    paths: dict[str, str] = {}
    floor = os.path.join(BUILD, "floor")
    if subprocess.call(["g++", "-O2", "-std=c++17", os.path.join(HERE, "floor", "floor.cpp"), "-o", floor, "-lsimdjson", "-lcurl"]) == 0:
        paths["floor"] = floor
    subprocess.check_call(["swift", "build", "-c", "release", "--product", "KubeBench", "--scratch-path", os.path.join(ROOT, ".build-release")], cwd=ROOT)
    paths["swift"] = os.path.join(ROOT, ".build-release", "release", "KubeBench")
    if not os.path.exists(os.path.join(VENV, "bin", "python")):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([os.path.join(VENV, "bin", "pip"), "install", "-q", "kubernetes"])
    paths["python"] = os.path.join(VENV, "bin", "python")
    return paths


def list_cases(results: list[Result], paths: dict[str, str], sizes: list[int], runs: int) -> None:
    for n in sizes:
        label = f"{n // 1000}k"
        server = PodServer(n)
        try:
            url, kc = server.url, server.kubeconfig
            case(results, "fetch only (curl)", "list", label, [shutil.which("curl") or "/usr/bin/curl", "-s", "-o", "/dev/null", f"{url}/api/v1/pods"], runs, kind="floor", use_wall=True)
            case(results, "fetch + simdjson parse (floor)", "list", label, [paths.get("floor", "/nonexistent"), url], runs, kind="floor")
            case(results, "kubeclient Swift dynamic list", "list", label, [paths["swift"], "list-dynamic", kc], runs)
            case(results, "kubeclient Swift typed list", "list", label, [paths["swift"], "list-typed", kc], runs)
            case(results, "official Python client, typed", "list", label, [paths["python"], os.path.join(HERE, "peers", "official_python.py"), "list-typed", kc], runs if n <= 10000 else 1, kind="peer")
            case(results, "official Python client, raw + json.loads", "list", label, [paths["python"], os.path.join(HERE, "peers", "official_python.py"), "list-raw", kc], runs, kind="peer")
            case(results, "kubectl get pods -A -o name", "list", label, [shutil.which("kubectl") or "/usr/bin/kubectl", "--kubeconfig", kc, "get", "pods", "-A", "-o", "name"], runs if n <= 10000 else 1, kind="peer", use_wall=True)
        finally:
            server.stop()


def write_results(results: list[Result]) -> str:
    lines = ["# Benchmark results", "",
             f"Measured by `python3 benchmarks/run.py` on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores; each case in a fresh process, median of the runs with min–max and the peak RSS of the process.",
             "Ratios compare medians from this one run: to the floor (fetch + simdjson parse) and to the best peer of the same group and size.", "",
             "| group | size | case | median | min–max | peak RSS | vs floor | vs best peer |", "|---|---|---|---|---|---|---|---|"]
    for r in results:
        if not r.seconds:
            lines.append(f"| {r.group} | {r.size} | {r.name} | not run: {r.note} | | | | |")
            continue
        med = statistics.median(r.seconds)
        same = [x for x in results if x.group == r.group and x.size == r.size and x.seconds]
        floor = next((statistics.median(x.seconds) for x in same if x.kind == "floor" and "simdjson" in x.name), None)
        peers = [statistics.median(x.seconds) for x in same if x.kind == "peer"]
        best = (min(peers) if r.unit == "s" else max(peers)) if peers else None
        vf = f"{med / floor:.2f}×" if floor and r.unit == "s" else ""
        vp = (f"{med / best:.2f}×" if r.unit == "s" else f"{med / best:.2f}×") if best else ""
        rss = f"{statistics.median(r.rss_kb) / 1024:.0f} MB" if r.rss_kb and r.rss_kb[0] else ""
        unit = " s" if r.unit == "s" else r.unit
        lines.append(f"| {r.group} | {r.size} | {r.name} | {med:.4g}{unit} | {min(r.seconds):.4g}–{max(r.seconds):.4g} | {rss} | {vf} | {vp} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="1k and 10k only, 3 runs")
    args = ap.parse_args()
    runs = 3 if args.quick else args.runs
    sizes = [1000, 10000] if args.quick else [1000, 10000, 50000]
    paths = build()
    results: list[Result] = []
    list_cases(results, paths, sizes, runs)
    text = write_results(results)
    with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
