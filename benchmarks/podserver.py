"""A loopback API server that serves precomputed pod bytes, so that benchmarks measure
clients, not the server.

  python3 podserver.py --pods 10000 [--events 100000] [--port 0]

Prints its URL on the first line. Serves /version, /api, /apis, /api/v1 (discovery for
kubectl), GET /api/v1/pods (with limit/continue pagination; the full list without limit or with
resourceVersion=0, which kube-apiserver serves whole from its watch cache),
GET /api/v1/namespaces/NS/pods, and a watch (`watch=1`): from the list's
resourceVersion it streams the precomputed events (mostly MODIFIED, some ADDED and
DELETED, a BOOKMARK every 1,000) and then holds the stream open sending nothing; any
other starting resourceVersion is held open empty.

With `--protobuf-list FILE` (the same pods as a protobuf PodList, written by
`ProtobufBench encode`), an unpaged list whose Accept header asks for
application/vnd.kubernetes.protobuf is answered with FILE's bytes.
"""
from __future__ import annotations

import argparse
import json
import os
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import podgen  # noqa: E402

DISCOVERY_V1 = {
    "kind": "APIResourceList", "groupVersion": "v1",
    "resources": [
        {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod",
         "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], "shortNames": ["po"], "categories": ["all"]},
        {"name": "namespaces", "singularName": "namespace", "namespaced": False, "kind": "Namespace",
         "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"], "shortNames": ["ns"]},
    ],
}


PROTOBUF = "application/vnd.kubernetes.protobuf"


class Data:
    protobuf_list = b""

    def __init__(self, pods: int, events: int) -> None:
        base_rv = 1000
        self.items = [podgen.dumps(podgen.pod(i, base_rv + i)) for i in range(pods)]
        self.list_rv = base_rv + pods
        self.full = self._list_bytes(self.items, self.list_rv, "")
        self.pages: dict[tuple[int, int], bytes] = {}
        self.lock = threading.Lock()
        self.watch_wire = self._chunked(self._events(events)) if events else b""

    @staticmethod
    def _chunked(body: bytes) -> bytes:
        """The watch body with its chunked framing, built once: a watch then sends slices of it
        (no per-request framing or copies; the server was the watch row's bottleneck)."""
        step = 1 << 20
        return b"".join(b"%x\r\n" % len(body[i:i + step]) + body[i:i + step] + b"\r\n" for i in range(0, len(body), step))

    @staticmethod
    def _list_bytes(items: list[bytes], rv: int, cont: str) -> bytes:
        meta = {"resourceVersion": str(rv)}
        if cont:
            meta["continue"] = cont
            meta["remainingItemCount"] = 0
        head = b'{"kind":"PodList","apiVersion":"v1","metadata":' + json.dumps(meta, separators=(",", ":")).encode() + b',"items":['
        return head + b",".join(items) + b"]}"

    def page(self, limit: int, start: int) -> bytes:
        key = (limit, start)
        with self.lock:
            if key not in self.pages:
                chunk = self.items[start:start + limit]
                nxt = start + limit
                cont = str(nxt) if nxt < len(self.items) else ""
                self.pages[key] = self._list_bytes(chunk, self.list_rv, cont)
            return self.pages[key]

    def _events(self, count: int) -> bytes:
        # Splice resourceVersions into precomputed pod bytes instead of regenerating pods.
        templates = []
        for i, raw in enumerate(self.items[: min(len(self.items), 5000)] or [podgen.dumps(podgen.pod(0, 1))]):
            marker = b'"resourceVersion":"'
            at = raw.index(marker) + len(marker)
            end = raw.index(b'"', at)
            templates.append((raw[:at], raw[end:]))
        out = []
        rv = self.list_rv
        n = len(templates)
        for k in range(count):
            rv += 1
            if k % 1000 == 999:
                out.append(b'{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"%d"}}}\n' % rv)
                continue
            kind = b"MODIFIED"
            if k % 50 == 10:
                kind = b"ADDED"
            elif k % 50 == 20:
                kind = b"DELETED"
            head, tail = templates[(k * 7919) % n]
            out.append(b'{"type":"' + kind + b'","object":' + head + str(rv).encode() + tail + b"}\n")
        return b"".join(out)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    data: Data

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, body: bytes, code: int = 200, ctype: str = "application/json") -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        path = url.path.rstrip("/") or "/"  # the official client asks for "/version/", "/api/v1/"
        if path == "/version":
            return self._send(json.dumps({"major": "1", "minor": "37", "gitVersion": "v1.37.0-podserver", "gitCommit": "0" * 40,
                                          "gitTreeState": "clean", "buildDate": "2026-11-01T00:00:00Z", "goVersion": "go1.25",
                                          "compiler": "gc", "platform": "linux/amd64"}).encode())
        if path == "/api":
            return self._send(json.dumps({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}).encode())
        if path == "/apis":
            return self._send(json.dumps({"kind": "APIGroupList", "apiVersion": "v1", "groups": []}).encode())
        if path == "/api/v1":
            return self._send(json.dumps(DISCOVERY_V1).encode())
        if path == "/api/v1/pods" or (path.startswith("/api/v1/namespaces/") and path.endswith("/pods")):
            if q.get("watch") in ("1", "true"):
                return self._watch(q)
            # As kube-apiserver: resourceVersion=0 is answered from the watch cache, whole, and
            # `limit` is ignored; an unset resourceVersion is a consistent read that pages.
            limit = 0 if q.get("resourceVersion") == "0" else int(q.get("limit", "0") or 0)
            if self.data.protobuf_list and limit == 0 and PROTOBUF in self.headers.get("Accept", ""):
                return self._send(self.data.protobuf_list, ctype=PROTOBUF)
            if limit > 0:
                start = int(q.get("continue", "0") or 0)
                return self._send(self.data.page(limit, start))
            return self._send(self.data.full)
        self._send(json.dumps({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404, "message": "not found"}).encode(), 404)

    def _watch(self, q: dict) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if q.get("resourceVersion") == str(self.data.list_rv):
            self.wfile.flush()
            # 1 MiB sendall()s of memoryview slices: measured faster here than sendfile(2) from a
            # memfd or a larger SO_SNDBUF (loopback, libcurl reading 256 KiB at a time).
            wire = memoryview(self.data.watch_wire)
            step = 1 << 20
            try:
                for i in range(0, len(wire), step):
                    self.connection.sendall(wire[i:i + step])
            except OSError:  # the client went away (the floor stops once it has counted enough)
                self.close_connection = True
                return
        # Hold the stream open and silent until the client goes away.
        try:
            while not self.rfile.read(1) == b"":
                pass
        except OSError:
            pass
        self.close_connection = True


class Server(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pods", type=int, default=10000)
    ap.add_argument("--events", type=int, default=0)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--protobuf-list", help="the same pods as a protobuf PodList (ProtobufBench encode)")
    args = ap.parse_args()
    Handler.data = Data(args.pods, args.events)
    if args.protobuf_list:
        with open(args.protobuf_list, "rb") as f:
            Handler.data.protobuf_list = f.read()
    server = Server(("127.0.0.1", args.port), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
