// The seed's sample controller: Networks (networks.samplecrd.k8s.io, spec.cidr/spec.gateway)
// are reconciled into ConfigMaps they own; each Network's status says which ConfigMap holds
// it, and an Event records every sync. Optional leader election lets several replicas run.
//
// Usage: swift run network_controller [--kubeconfig path] [--master url] [--context name]
//                                      [namespace] [--leader-elect id]
//   Ctrl-C / SIGTERM stops it gracefully.
import ArgumentParser
import ExampleSupport
import Foundation
import KubeClient
import KubeCore
import KubeRuntime

let group = "samplecrd.k8s.io"
let networks = GroupVersionResource(group: group, version: "v1", resource: "networks")
let configMaps = GroupVersionResource(group: "", version: "v1", resource: "configmaps")

/// Creates the CustomResourceDefinition when the cluster does not have it yet; another
/// replica creating it first (AlreadyExists) counts as success.
func ensureCRD(_ client: KubeClient) throws {
    let crds = client.resource(GroupVersionResource(group: "apiextensions.k8s.io", version: "v1",
                                                    resource: "customresourcedefinitions"))
    do {
        _ = try crds.get("networks.\(group)")
        return
    } catch {
        if !error.isNotFound { throw error }
    }
    let schema: JSON = ["type": "object", "properties": [
        "spec": ["type": "object", "properties": ["cidr": ["type": "string"], "gateway": ["type": "string"]]],
        "status": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
    ]]
    let crd: JSON = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": .string("networks.\(group)")],
        "spec": ["group": .string(group), "scope": "Namespaced",
                 "names": ["plural": "networks", "singular": "network", "kind": "Network", "listKind": "NetworkList"],
                 "versions": [["name": "v1", "served": true, "storage": true, "subresources": ["status": [:]],
                               "schema": ["openAPIV3Schema": schema]]]],
    ]
    let object = try Unstructured(json: crd)
    do {
        _ = try crds.create(object)
    } catch {
        // Replicas start together and all see NotFound; the ones that lose the race to create
        // get AlreadyExists, which means the CRD is there: success, not a reason to exit.
        if !error.isAlreadyExists { throw error }
    }
}

/// Reconciles one Network key ("namespace/name") into its ConfigMap and status.
struct NetworkReconciler: Sendable {
    let client: KubeClient
    let lister: Lister
    let events: EventRecorder

    func reconcile(_ key: String) throws -> ReconcileResult {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return .success }  // malformed: never retried
        let (namespace, name) = (parts[0], parts[1])
        let configMapName = "\(name)-network"
        let cms = client.resource(configMaps).namespace(namespace)
        guard let cached = lister.namespace(namespace).get(name) else {
            // Deleted: the owner reference lets the garbage collector remove the ConfigMap;
            // delete it here too so the result does not depend on a collector running.
            do {
                _ = try cms.delete(configMapName)
            } catch {
                if !error.isNotFound { throw error }
            }
            print("deleted \(key): removed ConfigMap \(configMapName)")
            return .success
        }
        let network = try Unstructured(json: try cached.json())
        let cidr = network[path: "spec", "cidr"]?.stringValue ?? ""
        let gateway = network[path: "spec", "gateway"]?.stringValue ?? ""

        var desired = Unstructured(apiVersion: "v1", kind: "ConfigMap", name: configMapName, namespace: namespace)
        desired.object["data"] = ["cidr": .string(cidr), "gateway": .string(gateway)]
        desired.ownerReferences = [OwnerReference(apiVersion: "\(group)/v1", kind: "Network", name: name,
                                                  uid: network.uid ?? "", controller: true, blockOwnerDeletion: true)]
        let existing: Unstructured?
        do {
            existing = try cms.get(configMapName)
        } catch {
            if !error.isNotFound { throw error }
            existing = nil
        }
        if var existing {
            if existing.object["data"] != desired.object["data"] {
                existing.object["data"] = desired.object["data"]
                _ = try cms.update(existing)
            }
        } else {
            _ = try cms.create(desired)
        }

        var status = network
        status.object["status"] = ["configMap": .string(configMapName), "cidr": .string(cidr), "state": "Synced"]
        if network.object["status"] != status.object["status"] {
            do {
                _ = try client.resource(networks).namespace(namespace).updateStatus(status)
            } catch {
                if !error.isConflict { throw error }
                return .requeue  // changed meanwhile: the informer brings the new version
            }
        }
        if let ref = ObjectReference(network) {
            events.record(ref, type: .normal, reason: "Synced", message: "ConfigMap \(configMapName) holds \(cidr) via \(gateway)")
        }
        print("synced \(key): cidr=\(cidr) gateway=\(gateway) -> ConfigMap \(configMapName)")
        return .success
    }
}

struct Arguments: ExampleArguments {
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The namespace (default: the kubeconfig's).") var namespace: String?
    @Option(name: .customLong("leader-elect"), help: ArgumentHelp("Run as one of several replicas.", valueName: "id"))
    var identity: String?
}

func run() throws {
    let arguments = Arguments.parseOrExit()
    let identity = arguments.identity
    let config = try arguments.connection.loadConfig(namespace: arguments.namespace)
    let client = try KubeClient(config: config)
    try ensureCRD(client)

    let factory = InformerFactory(client: client)
    let informer = try factory.informer(for: networks, namespace: config.namespace)
    let events = EventRecorder(client: client, component: "network-controller", host: identity ?? "")
    let reconciler = NetworkReconciler(client: client, lister: informer.lister, events: events)
    let controller = Controller<String>(name: "networks", workers: 2) { key in try reconciler.reconcile(key) }
    let queue = controller.queue
    try informer.addHandler(ResourceEventHandler(
        onAdd: { network, _ in queue.add(network.key) },
        onUpdate: { old, new in
            // A resync delivers the same version again: nothing changed, nothing to do.
            if old.resourceVersion != new.resourceVersion { queue.add(new.key) }
        },
        onDelete: { network, _ in queue.add(network.key) }))

    let runController: @Sendable () -> Void = {
        do {
            try factory.start()
            guard factory.waitForSync(timeoutSeconds: 30) else { return print("error: cache did not sync") }
            try controller.start()
            print("network controller running in namespace \(config.namespace)")
        } catch {
            print("error: \(error)")
        }
    }
    if let identity {
        let elector = try LeaderElector(
            client: client,
            config: LeaderElectionConfig(leaseNamespace: config.namespace, leaseName: "network-controller", identity: identity),
            callbacks: LeaderCallbacks(
                onStartedLeading: { print("\(identity): leading"); runController() },
                onStoppedLeading: { print("\(identity): stopped leading"); controller.stop() },
                onNewLeader: { leader in print("\(identity): leader is \(leader)") }))
        try elector.start()
        let signal = TerminationSignals.wait()
        print("signal \(signal): stopping")
        elector.stop()
    } else {
        runController()
        let signal = TerminationSignals.wait()
        print("signal \(signal): stopping")
    }
    controller.stop()
    events.stop()
    factory.shutdown()
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
