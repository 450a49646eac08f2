#!/usr/bin/env python3
"""Informer sync at scale: 10k, 50k, 100k and 200k pods on the library's defaults.

For each size the podserver (benchmarks/podserver.py) precomputes the pods before it prints
its URL, so the server's cost is outside every figure. Each client process syncs one pod
informer on the defaults (first list `resourceVersion=0`, answered whole by the server and
consumed as it arrives) and reports `seconds=` (start to synced, measured inside the
process); peak RSS is the client process's, from GNU time (`/usr/bin/time -f %M`, as
benchmarks/run.py measures it). Per object: peak RSS / pods (everything the process holds,
runtime included) and the settled cache growth the program prints (`bytes_per_object=`).

Targets (200k pods): sync ≤ 8 s, peak RSS ≤ 1.2 GB. Growth: the marginal cost per added pod
between consecutive sizes (time and peak RSS) is "linear" within 25 % of the first slope,
"superlinear" when a later slope is more than 25 % above it.

Writes the "scale" section of benchmarks/RESULTS.md (benchmarks/results_sections.py).

Usage: python3 benchmarks/scale/run.py [--sizes 10000,50000,100000,200000] [--runs 3]
       [--no-build] [--only c,swift]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
import results_sections  # noqa: E402
import run as bench  # noqa: E402  (benchmarks/run.py: PodServer, run_measured, metric)

SCRATCH = os.path.join(ROOT, ".build-release")
OUT = os.path.join(HERE, ".build")
TARGET_SECONDS = 8.0
TARGET_RSS_BYTES = 1.2e9


def build(skip: bool) -> dict[str, str]:
    """KubeBench and the library (release, as benchmarks/run.py builds them), then kcbench
    against a private copy of the library, so a rebuild by someone else changes nothing."""
    env = dict(os.environ, KUBECLIENT_STATIC_RUNTIME="1")
    if not skip:
        for product in ("kubeclient", "KubeBench"):
            subprocess.run(["swift", "build", "-c", "release", "--product", product, "--scratch-path", SCRATCH],
                           cwd=ROOT, env=env, check=True)
    os.makedirs(OUT, exist_ok=True)
    lib = os.path.join(OUT, "libkubeclient.so.0")
    shutil.copy2(os.path.join(SCRATCH, "release", "libkubeclient.so"), lib)
    link = os.path.join(OUT, "libkubeclient.so")
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink("libkubeclient.so.0", link)
    swift = os.path.join(OUT, "KubeBench")
    shutil.copy2(os.path.join(SCRATCH, "release", "KubeBench"), swift)
    kcbench = os.path.join(OUT, "kcbench")
    subprocess.run(["cc", "-O2", "-std=c11", "-I", os.path.join(ROOT, "include"), os.path.join(BENCH, "c", "kcbench.c"),
                    "-o", kcbench, "-L", OUT, "-lkubeclient", f"-Wl,-rpath,{OUT}", "-lpthread"], check=True)
    return {"c": kcbench, "swift": swift}


def available_memory_bytes() -> int:
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def measure(argv: list[str], runs: int) -> dict:
    seconds, rss, settled = [], [], []
    for _ in range(runs):
        out, kb, _wall = bench.run_measured(argv, timeout=900)
        s = bench.metric(out, "seconds")
        if s is None:
            raise RuntimeError(f"no seconds= in {out.strip()[-160:]}")
        seconds.append(s)
        rss.append(kb * 1024)
        b = bench.metric(out, "bytes_per_object")
        if b is not None:
            settled.append(b)
    return {"seconds": seconds, "rss": rss, "settled": settled}


def growth(sizes: list[int], values: list[float]) -> tuple[str, list[float]]:
    """Marginal cost per pod between consecutive sizes: "linear" when each stays within 25 %
    of the first one, "superlinear" when one exceeds it by more (what this benchmark looks
    for), else "linear or better" (a later slope lower: noise or fixed costs amortised)."""
    slopes = [(values[i] - values[i - 1]) / (sizes[i] - sizes[i - 1]) for i in range(1, len(sizes))]
    if not slopes or slopes[0] <= 0:
        return "linear or better", slopes
    if any(s > 1.25 * slopes[0] for s in slopes):
        return "superlinear", slopes
    if all(abs(s - slopes[0]) <= 0.25 * slopes[0] for s in slopes):
        return "linear", slopes
    return "linear or better", slopes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,50000,100000,200000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--only", default="c,swift")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    paths = build(args.no_build)
    langs = [x for x in ("c", "swift") if x in args.only.split(",")]
    argvs = {"c": lambda kc: [paths["c"], "informer-sync", kc],
             "swift": lambda kc: [paths["swift"], "informer-sync", kc]}
    names = {"c": "C (kcbench informer-sync)", "swift": "Swift (KubeBench informer-sync)"}
    results: dict[tuple[str, int], dict] = {}
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for n in sizes:
        # The podserver holds the pods twice (items and the whole list); the client up to ~1.2 GB.
        need = n * 16_000 + 2_000_000_000
        if available_memory_bytes() < need:
            print(f"skip {n}: {available_memory_bytes() >> 20} MiB available, {need >> 20} MiB wanted", flush=True)
            continue
        t0 = time.perf_counter()
        server = bench.PodServer(n)
        print(f"{n} pods: podserver ready in {time.perf_counter() - t0:.1f} s (not counted)", flush=True)
        try:
            # Alternate the languages run by run, so a noisy minute hits both.
            per = {lang: {"seconds": [], "rss": [], "settled": []} for lang in langs}
            for _ in range(args.runs):
                for lang in langs:
                    r = measure(argvs[lang](server.kubeconfig), 1)
                    for k in per[lang]:
                        per[lang][k] += r[k]
            for lang in langs:
                results[(lang, n)] = per[lang]
                r = per[lang]
                print(f"  {names[lang]:34} {statistics.median(r['seconds']):.3f} s "
                      f"({min(r['seconds']):.3f}–{max(r['seconds']):.3f}) peak RSS {statistics.median(r['rss']) / 1e6:.0f} MB",
                      flush=True)
        finally:
            server.stop()
    lines = write(results, sizes, langs, names, args.runs, started)
    print(results_sections.write_section("scale", lines))


def write(results: dict, sizes: list[int], langs: list[str], names: dict, runs: int, started: str) -> list[str]:
    lines = [
        "## Informer sync at scale (library defaults)",
        "",
        f"From `python3 benchmarks/scale/run.py` ({started}; {runs} runs per cell, languages alternating; "
        "podserver precomputed before each size, so its cost is outside the figures). Sync: start to synced, "
        "inside the client. Peak RSS: the client process (GNU time). Per pod: peak RSS / pods, and the settled "
        "cache growth (`bytes_per_object`). Targets at 200k: sync ≤ 8 s, peak RSS ≤ 1.2 GB "
        "(client-go ≈ 35 s, ≈ 3 GB extrapolated).",
        "",
        "| client | pods | sync (median, min–max) | peak RSS | per pod: peak / settled cache | target |",
        "| --- | ---: | --- | ---: | --- | --- |",
    ]
    for lang in langs:
        for n in sizes:
            r = results.get((lang, n))
            if not r:
                lines.append(f"| {names[lang]} | {n:,} | not run | | | |")
                continue
            s, rss = statistics.median(r["seconds"]), statistics.median(r["rss"])
            settled = f"{statistics.median(r['settled']) / 1000:.2f} KB" if r["settled"] else "—"
            target = ""
            if n == 200_000:
                ok = s <= TARGET_SECONDS and rss <= TARGET_RSS_BYTES
                target = f"≤ 8 s, ≤ 1.2 GB: {'met' if ok else 'missed'}"
            lines.append(f"| {names[lang]} | {n:,} | {s:.2f} s ({min(r['seconds']):.2f}–{max(r['seconds']):.2f}) "
                         f"| {rss / 1e6:.0f} MB | {rss / n / 1000:.2f} KB / {settled} | {target} |")
    lines.append("")
    for lang in langs:
        got = [n for n in sizes if (lang, n) in results]
        if len(got) < 2:
            continue
        t_kind, t_slopes = growth(got, [statistics.median(results[(lang, n)]["seconds"]) for n in got])
        m_kind, m_slopes = growth(got, [statistics.median(results[(lang, n)]["rss"]) for n in got])
        lines.append(f"- {names[lang]}: time per added pod between sizes "
                     f"{', '.join(f'{x * 1e6:.1f} µs' for x in t_slopes)} ({t_kind}); "
                     f"peak RSS per added pod {', '.join(f'{x / 1000:.2f} KB' for x in m_slopes)} ({m_kind}).")
    return lines


if __name__ == "__main__":
    main()
