"""client-go's rules for credentials and kubeconfigs, as Python users meet them: credentials
only over TLS, tls-server-name a TLS setting only, install hints with terminal escapes
neutralised, and client-go's kubeconfig validation."""
from __future__ import annotations

import http.server
import threading
from pathlib import Path
from typing import Iterator

import pytest

import kubeclient
from kubeclient import Client, Config


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers 200 {} and keeps every request's headers."""
    heads: list = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        type(self).heads.append(dict(self.headers))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple]:
    _Recorder.heads = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], _Recorder
    finally:
        httpd.shutdown()
        httpd.server_close()


def _kubeconfig(tmp_path: Path, cluster: str, user: str, extra: str = "") -> str:
    path = tmp_path / "kubeconfig"
    path.write_text("apiVersion: v1\nkind: Config\ncurrent-context: c\n"
                    f"clusters: [{{name: k, cluster: {{{cluster}}}}}]\n"
                    "contexts: [{name: c, context: {cluster: k, user: u}}]\n"
                    f"users: [{{name: u, user: {{{user}}}}}]\n" + extra)
    return str(path)


def test_no_token_or_password_goes_to_a_plain_http_server(tmp_path: Path, recorder) -> None:
    port, handler = recorder
    for user in ("token: secret-token", "username: u, password: secret-pw"):
        with Config.load(_kubeconfig(tmp_path, f'server: "http://127.0.0.1:{port}"', user)) as config, \
                Client(config) as client:
            assert client.request("GET", "/version").status_code == 200
    assert len(handler.heads) == 2
    for head in handler.heads:
        assert "Authorization" not in head
        assert not any("secret" in value for value in head.values())


def test_tls_server_name_leaves_the_host_header_alone(tmp_path: Path, recorder) -> None:
    port, handler = recorder
    cluster = f'server: "http://127.0.0.1:{port}", tls-server-name: kubernetes.default'
    with Config.load(_kubeconfig(tmp_path, cluster, "token: t")) as config, Client(config) as client:
        assert client.request("GET", "/version").status_code == 200
    assert handler.heads[0]["Host"] == f"127.0.0.1:{port}"


def test_an_install_hint_cannot_write_terminal_escapes(tmp_path: Path) -> None:
    user = ('exec: {apiVersion: client.authentication.k8s.io/v1, command: kubeclient-no-such-plugin, '
            'interactiveMode: Never, installHint: "run \\e[31mthis\\e[0m"}')
    with Config.load(_kubeconfig(tmp_path, 'server: "https://127.0.0.1:1"', user)) as config, \
            Client(config) as client, pytest.raises(kubeclient.ConfigError) as caught:
        client.resource("v1", "namespaces").list()
    assert "\x1b" not in str(caught.value)
    assert "U+001B[31mthis" in str(caught.value)


@pytest.mark.parametrize("user, message", [
    ("token: t, as-groups: [devs]", "without a user to impersonate"),
    ("token: t, as-uid: '42'", "without a user to impersonate"),
    ("client-certificate: /tmp/c.pem, client-certificate-data: QUJD, client-key-data: QUJD",
     "client-certificate and client-certificate-data are both specified"),
    ("client-key: /tmp/k.pem, client-key-data: QUJD", "client-key and client-key-data are both specified"),
])
def test_kubeconfig_validation_matches_client_go(tmp_path: Path, user: str, message: str) -> None:
    with pytest.raises(kubeclient.ConfigError, match=message):
        Config.load(_kubeconfig(tmp_path, 'server: "https://127.0.0.1:6443"', user))


def test_duplicate_extension_names_are_refused(tmp_path: Path) -> None:
    extra = "extensions: [{name: a, extension: {}}, {name: a, extension: {}}]\n"
    with pytest.raises(kubeclient.ConfigError, match='duplicate extension name "a"'):
        Config.load(_kubeconfig(tmp_path, 'server: "https://127.0.0.1:6443"', "token: t", extra))


def test_a_context_naming_a_missing_user_loads_without_credentials(tmp_path: Path) -> None:
    path = tmp_path / "kubeconfig"
    path.write_text('clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443"}}]\n'
                    "contexts: [{name: c, context: {cluster: k, user: ghost}}]\ncurrent-context: c\n")
    with Config.load(str(path)) as config:
        assert config.host == "https://127.0.0.1:6443"
