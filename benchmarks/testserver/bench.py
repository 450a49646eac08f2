#!/usr/bin/env python3
"""Measures kubeclient-testserver from outside, over plain HTTP:

- LIST of 10,000 pods of about 5 KB (seeded at start), best of 5, full body read;
- watch events per second to one watcher while the server creates 50,000 configmaps
  internally (POST /_testserver/load), and the replay rate of those events from history.

Usage: bench.py [path/to/kubeclient-testserver]   (default: .build/release/kubeclient-testserver)
"""
import json, os, socket, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "release", "kubeclient-testserver")
TOKEN = "bench-token"


def pod(i):
    env = [{"name": "VARIABLE_%d" % e, "value": "v" * 60} for e in range(40)]
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "pod-%d" % i, "namespace": "bench",
                         "labels": {"app": "bench", "shard": str(i % 10)}, "annotations": {"note": "a" * 300}},
            "spec": {"nodeName": "node-%d" % (i % 50),
                     "containers": [{"name": "main", "image": "registry.example.com/team/app:1.2.3", "env": env}]},
            "status": {"phase": "Running", "podIP": "10.0.%d.%d" % (i // 256 % 256, i % 256)}}


def request(port, method, path, body=None):
    s = socket.create_connection(("127.0.0.1", port))
    data = json.dumps(body).encode() if body is not None else b""
    head = "%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\nContent-Type: application/json\r\n\r\n" % (
        method, path, TOKEN, len(data))
    s.sendall(head.encode() + data)
    chunks = []
    while True:
        c = s.recv(1 << 20)
        if not c:
            break
        chunks.append(c)
    s.close()
    raw = b"".join(chunks)
    header, _, payload = raw.partition(b"\r\n\r\n")
    return header, payload


def main():
    tmp = tempfile.mkdtemp()
    seed = os.path.join(tmp, "pods.json")
    with open(seed, "w") as f:
        json.dump({"apiVersion": "v1", "kind": "List", "items": [pod(i) for i in range(10000)]}, f)
    server = subprocess.Popen([BINARY, "--http", "--seed", seed, "--history", "200000", "--token", TOKEN,
                               "--kubeconfig-out", os.path.join(tmp, "kubeconfig")],
                              stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        port = int(url.rsplit(":", 1)[1])
        best, size = 1e9, 0
        for _ in range(5):
            t = time.perf_counter()
            _, body = request(port, "GET", "/api/v1/namespaces/bench/pods")
            best = min(best, time.perf_counter() - t)
            size = len(body)
        print("list: 10000 pods, %.1f MB, best of 5: %.0f ms" % (size / 1e6, best * 1000))

        _, body = request(port, "GET", "/api/v1/namespaces/default/configmaps")
        rv = json.loads(body)["metadata"]["resourceVersion"]
        total = 50000
        w = socket.create_connection(("127.0.0.1", port))
        w.sendall(("GET /api/v1/namespaces/default/configmaps?watch=1&resourceVersion=%s HTTP/1.1\r\nHost: x\r\n"
                   "Authorization: Bearer %s\r\n\r\n" % (rv, TOKEN)).encode())
        first = w.recv(65536)  # response head
        seen = first.partition(b"\r\n\r\n")[2].count(b"\n")
        t = time.perf_counter()
        request(port, "POST", "/_testserver/load", {"count": total, "namespace": "default"})
        while seen < total:
            c = w.recv(1 << 20)
            if not c:
                break
            seen += c.count(b"}\n")
        live = time.perf_counter() - t
        w.close()
        print("watch (live): %d events in %.2f s = %.0f events/s" % (seen, live, seen / live))

        t = time.perf_counter()
        w = socket.create_connection(("127.0.0.1", port))
        w.sendall(("GET /api/v1/namespaces/default/configmaps?watch=1&resourceVersion=%s HTTP/1.1\r\nHost: x\r\n"
                   "Authorization: Bearer %s\r\n\r\n" % (rv, TOKEN)).encode())
        seen = 0
        buf = b""
        while seen < total:
            c = w.recv(1 << 20)
            if not c:
                break
            seen += c.count(b"}\n")
        replay = time.perf_counter() - t
        w.close()
        print("watch (replay from history): %d events in %.2f s = %.0f events/s" % (seen, replay, seen / replay))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
