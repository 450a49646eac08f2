#!/usr/bin/env python3
"""Writes a PodList of N realistic pods (benchmarks/podgen.py) as compact JSON."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from podgen import pod  # noqa: E402

count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
out = sys.argv[2] if len(sys.argv) > 2 else "podlist.json"
doc = {"apiVersion": "v1", "kind": "PodList", "metadata": {"resourceVersion": str(1000 + count)},
       "items": [pod(i, 1000 + i) for i in range(count)]}
with open(out, "w") as f:
    json.dump(doc, f, separators=(",", ":"))
print(f"wrote {count} pods to {out} ({os.path.getsize(out)} bytes)")
