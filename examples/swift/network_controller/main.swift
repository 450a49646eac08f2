// The seed's sample controller: Networks (networks.samplecrd.k8s.io, spec.cidr/spec.gateway)
// are reconciled into ConfigMaps they own; each Network's status says which ConfigMap holds
// it, and an Event records every sync. Optional leader election lets several replicas run.
//
// Typed end to end, as the Go sample-controller is with code-generator's output: `SamplecrdV1.Network`
// and `client.samplecrdV1.networks(namespace:)` are generated from network-crd.yaml (SamplecrdV1.swift,
// SamplecrdV1Client.swift; the command is in that file), and the informer, lister and clients hand
// out `Network` and `CoreV1.ConfigMap` values.
//
// Usage: swift run network_controller [--kubeconfig path] [--master url] [--context name]
//                                      [namespace] [--leader-elect id]
//   Ctrl-C / SIGTERM stops it gracefully.
import ArgumentParser
import ExampleSupport
import Foundation
import KubeClient
import KubeClientset
import KubeCore
import KubeModels
import KubeRuntime

typealias Network = SamplecrdV1.Network

/// Creates the CustomResourceDefinition (the manifest the model was generated from) when the
/// cluster does not have it yet; another replica creating it first (AlreadyExists) counts as success.
func ensureCRD(_ client: KubeClient) throws {
    let crds = client.apiextensionsV1.customResourceDefinitions()
    let crd = try ApiextensionsV1.CustomResourceDefinition(jsonString: Network.customResourceDefinition)
    do {
        _ = try crds.get(crd.metadata?.name ?? "")
        return
    } catch {
        if !error.isNotFound { throw error }
    }
    do {
        _ = try crds.create(crd)
    } catch {
        // Replicas start together and all see NotFound; the ones that lose the race to create
        // get AlreadyExists, which means the CRD is there: success, not a reason to exit.
        if !error.isAlreadyExists { throw error }
    }
}

/// The informer key of a Network: "namespace/name".
func key(_ network: Network) -> String {
    ObjectKey.make(namespace: network.metadata?.namespace ?? "", name: network.metadata?.name ?? "")
}

/// Reconciles one Network key ("namespace/name") into its ConfigMap and status.
struct NetworkReconciler: Sendable {
    let client: KubeClient
    let lister: TypedLister<Network>
    let events: EventRecorder

    func reconcile(_ key: String) throws -> ReconcileResult {
        guard let (namespace, name) = ObjectKey.split(key), !namespace.isEmpty else {
            return .success  // malformed: never retried
        }
        let configMapName = "\(name)-network"
        let configMaps = client.coreV1.configMaps(namespace: namespace)
        guard let network = try lister.namespace(namespace).get(name) else {
            // Deleted: the owner reference lets the garbage collector remove the ConfigMap;
            // delete it here too so the result does not depend on a collector running.
            do {
                _ = try configMaps.delete(configMapName)
            } catch {
                if !error.isNotFound { throw error }
            }
            print("deleted \(key): removed ConfigMap \(configMapName)")
            return .success
        }
        let cidr = network.spec?.cidr ?? ""
        let gateway = network.spec?.gateway ?? ""
        let data = ["cidr": cidr, "gateway": gateway]

        let owner = MetaV1.OwnerReference(apiVersion: Network.identity.apiVersion, blockOwnerDeletion: true,
                                          controller: true, kind: Network.identity.kind, name: name,
                                          uid: network.metadata?.uid ?? "")
        let existing: CoreV1.ConfigMap?
        do {
            existing = try configMaps.get(configMapName)
        } catch {
            if !error.isNotFound { throw error }
            existing = nil
        }
        if var existing {
            if existing.data != data {
                existing.data = data
                _ = try configMaps.update(existing)
            }
        } else {
            let metadata = MetaV1.ObjectMeta(name: configMapName, namespace: namespace, ownerReferences: [owner])
            _ = try configMaps.create(CoreV1.ConfigMap(data: data, metadata: metadata))
        }

        var updated = network
        var status = network.status ?? Network.Status()
        status.configMap = configMapName
        status.cidr = cidr
        status.state = "Synced"
        updated.status = status
        if updated != network {
            do {
                _ = try client.samplecrdV1.networks(namespace: namespace).updateStatus(updated)
            } catch {
                if !error.isConflict { throw error }
                return .requeue  // changed meanwhile: the informer brings the new version
            }
        }
        let reference = ObjectReference(apiVersion: Network.identity.apiVersion, kind: Network.identity.kind,
                                        namespace: namespace, name: name, uid: network.metadata?.uid)
        events.record(reference, type: .normal, reason: "Synced", message: "ConfigMap \(configMapName) holds \(cidr) via \(gateway)")
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
    let informer = try factory.informer(for: Network.self, namespace: config.namespace)
    let events = EventRecorder(client: client, component: "network-controller", host: identity ?? "")
    let reconciler = NetworkReconciler(client: client, lister: informer.lister, events: events)
    let controller = Controller<String>(name: "networks", workers: 2) { key in try reconciler.reconcile(key) }
    let queue = controller.queue
    try informer.addHandler(
        onAdd: { network, _ in queue.add(key(network)) },
        onUpdate: { old, new in
            // A resync delivers the same version again: nothing changed, nothing to do.
            if old.metadata?.resourceVersion != new.metadata?.resourceVersion { queue.add(key(new)) }
        },
        onDelete: { network, _ in queue.add(key(network)) })

    let runController: @Sendable () -> Void = {
        do {
            try factory.start()
            guard factory.waitForSync(timeout: .seconds(30)) else { return print("error: cache did not sync") }
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
