"""Issue 18: port-forward from Python — one connection as a socket-like object
(``port_forward``) and a local listener like ``kubectl port-forward`` (``port_forwarder``),
through the test server, whose pod port is registered (``POST /_testserver/portforward``) to
lead to a TCP echo server this module starts."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import threading
from typing import Iterator

import pytest

import kubeclient
from streams_support import INTERRUPTED, LANGUAGES, CloseWhenBlocked, CtrlC, Resources, create_pod, eventually, example

POD = "web"
ECHO_PORT = 7000      # the pod port that leads to the echo server
CLOSED_PORT = 7001    # a pod port that leads to a port nothing listens on
UNKNOWN_PORT = 7002   # a pod port nobody registered

ECHO_SERVER = textwrap.dedent("""
    import socket, socketserver, sys

    class Echo(socketserver.BaseRequestHandler):
        def handle(self):
            while True:
                data = self.request.recv(65536)
                if not data:
                    break
                self.request.sendall(data)

    socketserver.ThreadingTCPServer.daemon_threads = True
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo) as server:
        print(server.server_address[1], flush=True)
        server.serve_forever()
""")


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def echo_port() -> Iterator[int]:
    """A TCP echo server (a child process, so its threads do not count as ours)."""
    echo = subprocess.Popen([sys.executable, "-c", ECHO_SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert echo.stdout is not None
        yield int(echo.stdout.readline())
    finally:
        echo.terminate()
        echo.wait(timeout=10)


def register(client: kubeclient.Client, namespace: str, port: int, target_port: int) -> None:
    response = client.request("POST", "/_testserver/portforward",
                              {"namespace": namespace, "pod": POD, "port": port, "targetPort": target_port})
    assert response.status_code < 300, response.body


@pytest.fixture
def web(client, namespace, echo_port) -> str:
    """Pod ``web``: port 7000 leads to the echo server, 7001 to a port nothing listens on."""
    create_pod(client, namespace, POD)
    register(client, namespace, ECHO_PORT, echo_port)
    register(client, namespace, CLOSED_PORT, _unused_port())
    return namespace


def recv_exactly(conn, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        assert chunk, f"the stream ended after {len(data)} of {size} bytes"
        data += chunk
    return data


def test_a_connection_carries_bytes_both_ways(client, web):
    with client.port_forward(POD, web, ECHO_PORT) as conn:
        assert conn.send(b"hello") == 5
        assert recv_exactly(conn, 5) == b"hello"
        conn.sendall(bytearray(b"again"))
        assert recv_exactly(conn, 5) == b"again"
    assert conn.closed


def test_shutdown_write_lets_the_pod_side_see_end_of_file(client, web):
    with client.port_forward(POD, web, ECHO_PORT) as conn:
        conn.sendall(b"last words")
        assert recv_exactly(conn, 10) == b"last words"
        # portforward.k8s.io has no half-close: SHUT_WR starts the WebSocket close handshake,
        # which the pod side reads as end-of-file (the echo server then closes: our end).
        conn.shutdown(socket.SHUT_WR)
        assert conn.recv(4096) == b""
        with pytest.raises(kubeclient.Closed):
            conn.send(b"too late")


def test_megabytes_pass_both_ways_at_once(client, web):
    payload = os.urandom(1 << 20) * 8
    with client.port_forward(POD, web, ECHO_PORT) as conn:
        writer = threading.Thread(target=conn.sendall, args=(payload,))
        writer.start()
        received = recv_exactly(conn, len(payload))
        writer.join()
    assert received == payload


def test_recv_into_and_timeouts_behave_as_on_a_socket(client, web):
    with client.port_forward(POD, web, ECHO_PORT) as conn:
        conn.settimeout(0.1)
        assert conn.gettimeout() == 0.1
        with pytest.raises(socket.timeout):
            conn.recv(10)
        conn.sendall(b"abc")
        buffer = bytearray(10)
        conn.settimeout(None)
        received = 0
        while received < 3:
            received += conn.recv_into(memoryview(buffer)[received:])
        assert bytes(buffer[:3]) == b"abc"


def test_a_port_nothing_listens_on_fails_at_the_first_recv(client, web):
    for port in (CLOSED_PORT, UNKNOWN_PORT):
        with client.port_forward(POD, web, port) as conn:
            with pytest.raises(kubeclient.ApiError):
                while conn.recv(100):
                    pass


def test_a_missing_pod_raises_not_found(client, web):
    with pytest.raises(kubeclient.NotFound):
        client.port_forward("missing", web, ECHO_PORT)


def test_bad_ports_are_refused_before_anything_is_sent(client, web):
    for port in (0, -1, 65536, "80", True):
        with pytest.raises(kubeclient.InvalidArgument):
            client.port_forward(POD, web, port)  # type: ignore[arg-type]
        with pytest.raises(kubeclient.InvalidArgument):
            client.port_forwarder(POD, web, port)  # type: ignore[arg-type]


def test_close_from_another_thread_ends_a_blocked_recv(client, web):
    resources = Resources()
    conn = client.port_forward(POD, web, ECHO_PORT)
    # Nothing was sent, so the echo server sends nothing: only the close ends the recv.
    closer = CloseWhenBlocked(conn.close, "read_blocking")
    assert conn.recv(100) == b""
    assert closer.join(), "closed before the recv blocked"
    resources.assert_released()


def test_ctrl_c_in_recv_closes_the_connection(client, web):
    resources = Resources()
    conn = client.port_forward(POD, web, ECHO_PORT)
    interrupt = CtrlC("read_blocking")
    try:
        with pytest.raises(KeyboardInterrupt):
            conn.recv(100)
        interrupt.assert_sent()
    finally:
        interrupt.join()
    assert conn.closed
    resources.assert_released()


def test_the_forwarder_serves_many_connections_at_once(client, web):
    resources = Resources()
    with client.port_forwarder(POD, web, ECHO_PORT) as forwarder:
        assert forwarder.local_port > 0
        clients = [socket.create_connection(("127.0.0.1", forwarder.local_port)) for _ in range(8)]
        try:
            for index, sock in enumerate(clients):
                sock.sendall(b"conn %d\n" % index)
            for index, sock in enumerate(clients):
                assert sock.makefile("rb").readline() == b"conn %d\n" % index
        finally:
            for sock in clients:
                sock.close()
    resources.assert_released()


def test_the_forwarder_listens_on_the_port_asked_for(client, web):
    port = _unused_port()
    with client.port_forwarder(POD, web, ECHO_PORT, local_port=port) as forwarder:
        assert forwarder.local_port == port
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"x")
            assert sock.recv(1) == b"x"
        with pytest.raises(kubeclient.TransportError):
            client.port_forwarder(POD, web, ECHO_PORT, local_port=port)


def test_stopping_the_forwarder_closes_forwarded_connections(client, web):
    resources = Resources()
    forwarder = client.port_forwarder(POD, web, ECHO_PORT)
    with socket.create_connection(("127.0.0.1", forwarder.local_port)) as sock:
        sock.sendall(b"ping")
        assert sock.recv(4) == b"ping"
        # Nothing more was sent, so the echo server sends nothing: only the stop ends the recv
        # (a recv still blocked after 10 s fails as socket.timeout).
        sock.settimeout(10)
        forwarder.stop()
        try:
            assert sock.recv(10) == b""
        except ConnectionResetError:
            pass
    assert forwarder.wait(timeout=0) is True
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", forwarder.local_port), timeout=2).close()
    forwarder.close()
    forwarder.close()
    resources.assert_released()


def test_ctrl_c_in_wait_stops_the_forwarder(client, web):
    resources = Resources()
    forwarder = client.port_forwarder(POD, web, ECHO_PORT)
    interrupt = CtrlC("wait")
    try:
        with pytest.raises(KeyboardInterrupt):
            forwarder.wait()
        interrupt.assert_sent()
    finally:
        interrupt.join()
    eventually(lambda: forwarder._handle is None, "forwarder closed")
    resources.assert_released()


def test_stop_from_another_thread_ends_wait(client, web):
    forwarder = client.port_forwarder(POD, web, ECHO_PORT)
    threading.Timer(0.1, forwarder.stop).start()
    assert forwarder.wait(timeout=30) is True
    forwarder.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_port_forward_example_forwards_until_ctrl_c(server, client, web, language):
    import signal

    child = subprocess.Popen(example("port_forward", "--kubeconfig", server.kubeconfig, "-n", web, POD,
                                     f":{ECHO_PORT}", language=language),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.startswith("Forwarding from 127.0.0.1:") and line.endswith(f" -> {ECHO_PORT}\n"), \
            line + child.stderr.read() if not line else line
        local_port = int(line.split(":")[1].split()[0])
        with socket.create_connection(("127.0.0.1", local_port)) as sock:
            sock.sendall(b"through the example")
            assert recv_exactly(sock, len(b"through the example")) == b"through the example"
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=20) in INTERRUPTED
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
