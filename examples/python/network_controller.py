"""The seed's sample controller: Networks (networks.samplecrd.k8s.io, spec.cidr/spec.gateway)
are reconciled into ConfigMaps they own; each Network's status says which ConfigMap holds it,
and an Event records every sync. Several replicas can run with --leader-elect ID.

Usage: python network_controller.py [--kubeconfig PATH] [--master URL] [--context NAME]
                                     [namespace] [--leader-elect ID]
  Ctrl-C / SIGTERM stops it gracefully.
"""
import signal
import sys
import threading

import _setup  # noqa: F401
import example_args
import kubeclient
from kubeclient.controller import REQUEUE, Controller, ReconcileResult
from kubeclient.events import EventRecorder
from kubeclient.informer import InformerFactory, LazyObject
from kubeclient.leaderelection import LeaderElector

GROUP = "samplecrd.k8s.io"
API_VERSION = GROUP + "/v1"

CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "networks." + GROUP},
    "spec": {"group": GROUP, "scope": "Namespaced",
             "names": {"plural": "networks", "singular": "network", "kind": "Network", "listKind": "NetworkList"},
             "versions": [{"name": "v1", "served": True, "storage": True, "subresources": {"status": {}},
                           "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                               "spec": {"type": "object", "properties": {"cidr": {"type": "string"},
                                                                         "gateway": {"type": "string"}}},
                               "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}}}]},
}


def ensure_crd(client: kubeclient.Client) -> None:
    """Creates the CustomResourceDefinition unless the cluster has it. Replicas start together
    and all see NotFound; the ones that lose the race to create get AlreadyExists, which means
    the CRD is there: success, not an error (exiting there stalled the leader hand-over)."""
    crds = client.resource("apiextensions.k8s.io/v1", "customresourcedefinitions")
    try:
        crds.get("networks." + GROUP)
    except kubeclient.NotFound:
        try:
            crds.create(CRD)
        except kubeclient.AlreadyExists:
            pass


def main() -> None:
    parser = example_args.parser(__doc__)
    parser.add_argument("namespace", nargs="?", help="default: the kubeconfig's namespace")
    parser.add_argument("--leader-elect", metavar="ID", dest="identity", help="run as one of several replicas")
    args = parser.parse_args()
    identity = args.identity
    config = example_args.load_config(args, args.namespace)
    namespace = config.namespace
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    with kubeclient.Client(config) as client:
        ensure_crd(client)
        factory = InformerFactory(client)
        networks = factory.informer(API_VERSION, "networks", namespace)
        configmaps = client.resource("v1", "configmaps", namespace)
        network_api = client.resource(API_VERSION, "networks", namespace)
        events = EventRecorder(client, "network-controller", host=identity)

        def reconcile(key: str) -> ReconcileResult:
            ns, name = key.split("/", 1)
            cm_name = f"{name}-network"
            network = networks.get(key)  # "namespace/name"
            if network is None:  # deleted: the owner reference lets the GC do it; do it here too
                try:
                    configmaps.delete(cm_name)
                except kubeclient.NotFound:
                    pass
                print(f"deleted {key}: removed ConfigMap {cm_name}", flush=True)
                return None
            spec = network.get("spec", {})
            data = {"cidr": spec.get("cidr", ""), "gateway": spec.get("gateway", "")}
            owner = {"apiVersion": API_VERSION, "kind": "Network", "name": name,
                     "uid": network["metadata"].get("uid", ""), "controller": True, "blockOwnerDeletion": True}
            try:
                existing = configmaps.get(cm_name)
                if existing.get("data") != data:
                    existing["data"] = data
                    configmaps.update(existing)
            except kubeclient.NotFound:
                configmaps.create({"apiVersion": "v1", "kind": "ConfigMap",
                                   "metadata": {"name": cm_name, "namespace": ns, "ownerReferences": [owner]},
                                   "data": data})
            status = {"configMap": cm_name, "cidr": data["cidr"], "state": "Synced"}
            if network.get("status") != status:
                network["status"] = status
                try:
                    network_api.update_status(network)
                except kubeclient.Conflict:
                    return REQUEUE  # changed meanwhile: the informer brings the new version
            events.record(network, "Normal", "Synced", f"ConfigMap {cm_name} holds {data['cidr']} via {data['gateway']}")
            print(f"synced {key}: cidr={data['cidr']} gateway={data['gateway']} -> ConfigMap {cm_name}", flush=True)
            return None

        controller = Controller(reconcile, name="networks", workers=2)

        # Handlers get LazyObjects: .key and .resource_version are read without decoding the
        # whole object, which is all a controller's handlers need.
        def on_update(old: LazyObject, new: LazyObject) -> None:
            # A resync delivers the same version again: nothing changed, nothing to do.
            if old.resource_version != new.resource_version:
                controller.queue.add(new.key)

        networks.add_handler(lambda obj, _initial: controller.queue.add(obj.key), on_update,
                             lambda obj, _unknown: controller.queue.add(obj.key))

        def run_controller() -> None:
            factory.start()
            if not factory.wait_for_sync(timeout=30):
                print("error: the network cache did not sync", flush=True)
                return
            controller.start()
            print(f"network controller running in namespace {namespace}", flush=True)

        elector = None
        if identity:
            elector = LeaderElector(client, namespace, "network-controller", identity,
                                    on_started_leading=run_controller, on_stopped_leading=controller.stop,
                                    on_new_leader=lambda leader: print(f"{identity}: leader is {leader}", flush=True))
            elector.start()
        else:
            run_controller()
        try:
            while not stop.wait(0.25):
                pass
        except KeyboardInterrupt:
            pass
        print("stopping", flush=True)
        if elector:
            elector.close()
        # Informers first: once the factory is closed no handler runs, so none can add a key to
        # the queue that controller.close() shuts down and frees.
        factory.close()
        controller.close()
        events.close()


if __name__ == "__main__":
    try:
        main()
    except kubeclient.KubeClientError as error:
        sys.exit(f"error: {error}")
