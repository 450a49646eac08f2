#!/usr/bin/env python3
"""Workqueue throughput from Python: get/forget/done/add cycles per second over 10,000 keys
with N Python threads (default controller rate limiter).

    workqueue_bench.py [--workers 2] [--cycles 300000] [--keys 10000]

Prints: cycles_per_sec=<n> seconds=<s> workers=<w>
"""
import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bindings", "python"))

from kubeclient.workqueue import WorkQueue  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cycles", type=int, default=300_000)
    parser.add_argument("--keys", type=int, default=10_000)
    args = parser.parse_args()
    queue = WorkQueue(name="bench")
    for i in range(args.keys):
        queue.add(f"ns-{i % 20}/obj-{i}")
    per_worker = args.cycles // args.workers

    def worker() -> None:
        get, forget, done, add = queue.get, queue.forget, queue.done, queue.add
        for _ in range(per_worker):
            key = get()
            forget(key)
            done(key)
            add(key)

    threads = [threading.Thread(target=worker) for _ in range(args.workers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    total = per_worker * args.workers
    print(f"cycles_per_sec={total / seconds:.0f} seconds={seconds:.3f} workers={args.workers} cycles={total}")
    queue.close()


if __name__ == "__main__":
    main()
