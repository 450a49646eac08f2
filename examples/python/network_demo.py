"""Drives the sample network controller for the demo: starts two replicas of a controller
binary with leader election, creates, changes and deletes Networks, shows the ConfigMaps,
statuses and Events the leader produces, then stops the leader and shows the other replica
taking over.

Usage: python network_demo.py [--kubeconfig PATH] [--master URL] [--context NAME] CONTROLLER_COMMAND...
       e.g. .build/examples-c/network_controller
The controller is started as `CONTROLLER_COMMAND [the same flags] default --leader-elect replica-a`
(and -b).
"""
from __future__ import annotations

import argparse
import atexit
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, TypeVar

import _setup  # noqa: F401
import example_args
import kubeclient

if TYPE_CHECKING:  # type hints only: the objects are the dicts the server sent
    from kubeclient.models.core_v1 import ConfigMap

T = TypeVar("T")

NAMESPACE = "default"
API_VERSION = "samplecrd.k8s.io/v1"


# The replicas running, by identity; one stopped on purpose is removed first, so a replica
# that exits by itself (e.g. on an error at start-up) fails the demo at once, with its exit
# status, instead of as a time-out much later.
running: Dict[str, "subprocess.Popen[str]"] = {}


def wait_for(what: str, condition: Callable[[], Optional[T]], timeout: float = 30.0) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        for identity, proc in running.items():
            if proc.poll() is not None:
                raise SystemExit(f"demo: {identity} exited (status {proc.returncode}) while waiting for {what}")
        time.sleep(0.1)
    raise SystemExit(f"demo: timed out waiting for {what}")


def start_replica(command: List[str], identity: str) -> "subprocess.Popen[str]":
    proc = subprocess.Popen(command + [NAMESPACE, "--leader-elect", identity], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            print(f"  [{identity}] {line.rstrip()}", flush=True)

    threading.Thread(target=pump, daemon=True).start()
    # A demo that fails half-way must not leave controllers running behind it.
    def kill() -> None:
        if proc.poll() is None:
            proc.kill()

    atexit.register(kill)
    return proc


def main() -> None:
    parser = example_args.parser(__doc__)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the controller to run, with its arguments")
    args = parser.parse_args()
    if not args.command:
        parser.error("CONTROLLER_COMMAND is missing")
    # The replicas connect where the demo does.
    flags = [f"--{name}={value}" for name in ("kubeconfig", "master", "context")
             if (value := getattr(args, name)) is not None]
    command = args.command + flags
    with kubeclient.Client(example_args.load_config(args)) as client:
        leases = client.resource("coordination.k8s.io/v1", "leases", namespace=NAMESPACE)
        configmaps = client.resource("v1", "configmaps", namespace=NAMESPACE)
        events = client.resource("v1", "events", namespace=NAMESPACE)
        replicas = {name: start_replica(command, name) for name in ("replica-a", "replica-b")}
        running.update(replicas)

        def holder() -> str:
            try:
                return leases.get("network-controller").get("spec", {}).get("holderIdentity", "")
            except kubeclient.NotFound:
                return ""

        leader = wait_for("a leader", holder)
        print(f"demo: {leader} leads", flush=True)
        networks = wait_for("the Network CRD", lambda: _networks(client))

        def configmap(name: str) -> Optional[ConfigMap]:
            try:
                return configmaps.get(f"{name}-network")
            except kubeclient.NotFound:
                return None

        networks.create({"apiVersion": API_VERSION, "kind": "Network", "metadata": {"name": "demo-net"},
                         "spec": {"cidr": "192.168.0.0/16", "gateway": "192.168.0.1"}})
        cm = wait_for("ConfigMap demo-net-network", lambda: configmap("demo-net"))
        print(f"demo: created Network demo-net -> ConfigMap data {cm['data']}, owner {cm['metadata']['ownerReferences'][0]['kind']}", flush=True)
        status = wait_for("the Network status", lambda: networks.get("demo-net").get("status"))
        print(f"demo: Network status {status}", flush=True)

        network = networks.get("demo-net")
        network["spec"]["cidr"] = "10.10.0.0/16"
        networks.update(network)

        def changed_configmap() -> Optional[ConfigMap]:
            c = configmap("demo-net")
            return c if c and c["data"].get("cidr") == "10.10.0.0/16" else None

        cm = wait_for("the changed ConfigMap", changed_configmap)
        print(f"demo: changed cidr -> ConfigMap data {cm['data']}", flush=True)
        recorded = [e for e in events.list()["items"] if e.get("involvedObject", {}).get("name") == "demo-net"]
        for e in recorded:
            print(f"demo: Event {e.get('type')} {e.get('reason')} x{e.get('count', 1)}: {e.get('message')}", flush=True)

        networks.delete("demo-net")
        wait_for("the ConfigMap to go", lambda: configmap("demo-net") is None)
        print("demo: deleted Network demo-net -> its ConfigMap is gone", flush=True)

        print(f"demo: stopping the leader {leader}", flush=True)
        del running[leader]
        replicas[leader].terminate()
        replicas[leader].wait(timeout=30)
        other = next(name for name in replicas if name != leader)
        wait_for(f"{other} to take over", lambda: holder() == other, timeout=40)
        print(f"demo: {other} took over the lease", flush=True)
        networks.create({"apiVersion": API_VERSION, "kind": "Network", "metadata": {"name": "after-failover"},
                         "spec": {"cidr": "172.16.0.0/12", "gateway": "172.16.0.1"}})
        cm = wait_for("ConfigMap after-failover-network", lambda: configmap("after-failover"))
        print(f"demo: the new leader reconciled Network after-failover -> {cm['data']}", flush=True)
        networks.delete("after-failover")
        del running[other]
        replicas[other].terminate()
        replicas[other].wait(timeout=30)


def _networks(client: kubeclient.Client) -> Optional[kubeclient.Resource[Dict[str, Any]]]:
    resource = client.resource(API_VERSION, "networks", namespace=NAMESPACE)
    try:
        resource.list()
        return resource
    except kubeclient.ApiError:
        return None


if __name__ == "__main__":
    try:
        main()
    except kubeclient.KubeClientError as error:
        sys.exit(f"error: {error}")
