"""Two replicas of the sample network controller with --leader-elect: one leads and
reconciles; when it stops, the other takes over and reconciles new Networks."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import uuid

import pytest

import kubeclient
from test_network_controller import GROUP_VERSION, ROOT, wait_until


class Replica:
    def __init__(self, command, env, identity):
        self.identity = identity
        self.lines: list[str] = []
        self.proc = subprocess.Popen(command + ["--leader-elect", identity], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())

    @property
    def running(self) -> bool:
        return any("network controller running" in line for line in self.lines)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(5)
        return self.proc.returncode


@pytest.mark.parametrize("command", [[sys.executable, str(ROOT / "examples/python/network_controller.py")]],
                         ids=["python"])
def test_two_replicas_elect_one_leader_and_fail_over(server, client, namespace, command):
    env = dict(os.environ, KUBECONFIG=server.kubeconfig)
    a = Replica(command + [namespace], env, "replica-a")
    b = Replica(command + [namespace], env, "replica-b")
    try:
        assert wait_until(lambda: a.running or b.running, timeout=20)
        leader, standby = (a, b) if a.running else (b, a)
        # The standby has seen the lease held by the leader (it is electing: the positive
        # control), and while the leader renews it cannot lead.
        assert wait_until(lambda: f"{standby.identity}: leader is {leader.identity}" in standby.lines, timeout=20)
        assert not standby.running, "exactly one replica leads"
        networks = client.resource(GROUP_VERSION, "networks", namespace)
        configmaps = client.resource("v1", "configmaps", namespace)
        first = "net-" + uuid.uuid4().hex[:6]
        networks.create({"apiVersion": GROUP_VERSION, "kind": "Network", "metadata": {"name": first},
                         "spec": {"cidr": "10.1.0.0/24", "gateway": "10.1.0.1"}})
        assert wait_until(lambda: configmaps.get(f"{first}-network") is not None)
        assert leader.stop() == 0
        assert wait_until(lambda: standby.running, timeout=20), "the standby takes over"
        second = "net-" + uuid.uuid4().hex[:6]
        networks.create({"apiVersion": GROUP_VERSION, "kind": "Network", "metadata": {"name": second},
                         "spec": {"cidr": "10.2.0.0/24", "gateway": "10.2.0.1"}})
        assert wait_until(lambda: configmaps.get(f"{second}-network")["data"]["cidr"] == "10.2.0.0/24")
    finally:
        a.stop()
        b.stop()
