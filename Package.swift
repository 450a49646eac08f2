// swift-tools-version: 6.0
import PackageDescription

// The shared library must load on machines without Swift, so release builds of
// it link the Swift runtime statically. That flag cannot be unconditional: it
// would also link the test runner statically and `swift test` breaks
// (see README, "Building the shared library").
let staticRuntime = Context.environment["KUBECLIENT_STATIC_RUNTIME"] == "1"
let root = Context.packageDirectory

var cabiLinker: [LinkerSetting] = [
    .unsafeFlags([
        "-Xlinker", "--version-script=\(root)/Sources/KubeCABI/exports.map",
        "-Xlinker", "-soname=libkubeclient.so.0",
    ]),
]
if staticRuntime {
    cabiLinker.append(.unsafeFlags(["-static-stdlib"]))
    // The static FoundationEssentials archive needs the _FoundationCollections and
    // _FoundationCShims archives, which the driver does not add by itself (undefined symbols).
    cabiLinker.append(.linkedLibrary("_FoundationCollections"))
    cabiLinker.append(.linkedLibrary("_FoundationCShims"))
}

// What every Swift example links: the client and the flags they share (ExampleSupport, on
// swift-argument-parser, which thus reaches the examples only, never the library products).
let exampleDependencies: [Target.Dependency] = [
    "KubeClient", "KubeCore", "ExampleSupport",
    .product(name: "ArgumentParser", package: "swift-argument-parser"),
]

let package = Package(
    name: "kubeclient",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "kubeclient", type: .dynamic, targets: ["KubeCABI"]),
        .library(name: "KubeCore", targets: ["KubeCore"]),
        .library(name: "KubeClient", targets: ["KubeClient"]),
        .library(name: "KubeModels", targets: ["KubeModels"]),
        .library(name: "KubeClientset", targets: ["KubeClientset"]),
        .library(name: "KubeRuntime", targets: ["KubeRuntime"]),
        .library(name: "KubeTestServer", targets: ["KubeTestServer"]),
        .library(name: "KubeProtobuf", targets: ["KubeProtobuf"]),
        .executable(name: "kubeclient-testserver", targets: ["KubeTestServerCLI"]),
        .plugin(name: "GenerateCRDModels", targets: ["GenerateCRDModels"]),  // swift package generate-crd-models
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),  // test server only (h2 over ALPN)
    ],
    targets: [
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CYaml", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),  // SPDY/3 header blocks (test server port-forward)
        // The C API's types (include/kubeclient/types.h) for the Swift thunks.
        .systemLibrary(name: "CKubeABI"),

        // Types, selectors, patches, JSON and YAML: no I/O. Shared by client and test server.
        .target(name: "KubeCore", dependencies: ["CYaml"]),
        // Config, auth, libcurl transport, REST, dynamic client, discovery.
        .target(name: "KubeClient", dependencies: [
            "KubeCore", "CCurl",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The Kubernetes protobuf wire form <-> JSON, from schema tables generated from api/proto.
        .target(name: "KubeProtobuf", dependencies: ["KubeCore"]),
        // Generated API models only.
        .target(name: "KubeModels", dependencies: ["KubeCore"]),
        // Generated typed accessors (client.coreV1.pods(...)) joining models and client.
        .target(name: "KubeClientset", dependencies: ["KubeClient", "KubeModels", "KubeCore"]),
        // Informers, workqueue, leader election, events.
        .target(name: "KubeRuntime", dependencies: [
            "KubeClient", "KubeCore",
            .product(name: "DequeModule", package: "swift-collections"),
            .product(name: "HeapModule", package: "swift-collections"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Thin @_cdecl thunks: libkubeclient.so.
        .target(name: "KubeCABI", dependencies: ["KubeClient", "KubeRuntime", "KubeCore", "CKubeABI",
                                                 .product(name: "Logging", package: "swift-log")],
                exclude: ["exports.map"], linkerSettings: cabiLinker),

        .target(name: "KubeTestServer", dependencies: [
            "KubeCore", "CZlib", "KubeProtobuf",
            "KubeModels",  // resource.Quantity parsing and canonical form
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["Streams/README.md"], resources: [.copy("Resources")]),
        .executableTarget(name: "KubeTestServerCLI", dependencies: [
            "KubeTestServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks (benchmarks/run.py builds and runs these in release mode).
        // BenchSupport: what the benchmark programs share (reading their input files).
        .target(name: "BenchSupport", path: "benchmarks/support"),
        .executableTarget(name: "KubeBench", dependencies: ["BenchSupport", "KubeCore", "KubeClient", "KubeClientset", "KubeModels", "KubeRuntime", "KubeProtobuf"], path: "benchmarks/swift/KubeBench"),
        .executableTarget(name: "ProtobufBench", dependencies: ["BenchSupport", "KubeProtobuf", "KubeCore", "KubeModels"], path: "benchmarks/protobuf/ProtobufBench"),
        .executableTarget(name: "WorkqueueBench", dependencies: ["KubeRuntime", "KubeCore"], path: "benchmarks/workqueue/swift"),

        // The seed walkthrough in Swift (examples/swift/<name>; the same scenarios exist in C and Python).
        // ExampleSupport: the --kubeconfig/--master/--context flags every example takes.
        .target(name: "ExampleSupport", dependencies: ["KubeClient", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                path: "examples/swift/ExampleSupport"),
        .executableTarget(name: "resources_list", dependencies: exampleDependencies, path: "examples/swift/resources_list"),
        .executableTarget(name: "deployment_lifecycle", dependencies: exampleDependencies, path: "examples/swift/deployment_lifecycle"),
        .executableTarget(name: "configmap_list", dependencies: exampleDependencies, path: "examples/swift/configmap_list"),
        .executableTarget(name: "deployment_create", dependencies: exampleDependencies, path: "examples/swift/deployment_create"),
        .executableTarget(name: "api_resources_list", dependencies: exampleDependencies, path: "examples/swift/api_resources_list"),
        .executableTarget(name: "node_informer", dependencies: exampleDependencies + ["KubeRuntime"], path: "examples/swift/node_informer"),
        .executableTarget(name: "configmap_informer", dependencies: exampleDependencies + ["KubeRuntime"], path: "examples/swift/configmap_informer"),
        // Streams: kubectl logs / exec / port-forward.
        .executableTarget(name: "pod_logs", dependencies: exampleDependencies, path: "examples/swift/pod_logs"),
        .executableTarget(name: "pod_exec", dependencies: exampleDependencies, path: "examples/swift/pod_exec"),
        .executableTarget(name: "port_forward", dependencies: exampleDependencies, path: "examples/swift/port_forward"),
        .executableTarget(name: "network_controller", dependencies: exampleDependencies + ["KubeRuntime", "KubeModels", "KubeClientset"], path: "examples/swift/network_controller", exclude: ["network-crd.yaml"]),

        // What the test targets share: the seeded random generator, `eventually`, the API fixtures
        // and the test cluster (a test server with a client for it).
        .target(name: "KubeTestSupport", dependencies: ["KubeCore", "KubeClient", "KubeTestServer"], path: "Tests/KubeTestSupport",
                exclude: ["Fixtures/README.md"], resources: [.copy("Fixtures")]),
        .testTarget(name: "KubeCoreTests", dependencies: ["KubeCore", "KubeTestSupport"]),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeTestServer", "KubeTestSupport"]),
        .testTarget(name: "KubeTestServerTests", dependencies: ["KubeTestServer", "KubeCore", "KubeProtobuf", "KubeTestSupport"]),
        .testTarget(name: "KubeProtobufTests", dependencies: ["KubeProtobuf", "KubeCore", "KubeTestSupport"]),
        .testTarget(name: "KubeModelsTests", dependencies: ["KubeModels", "KubeTestSupport"]),
        .testTarget(name: "KubeClientsetTests", dependencies: ["KubeClientset", "KubeClient", "KubeModels", "KubeTestServer", "KubeTestSupport"]),
        .plugin(name: "GenerateCRDModels", capability: .command(intent: .custom(verb: "generate-crd-models", description: "Swift models from CustomResourceDefinition manifests (scripts/kubeclient-gen crd)"), permissions: [.writeToPackageDirectory(reason: "writes the generated models")]), path: "Plugins/GenerateCRDModels"),
        .testTarget(name: "KubeCRDTests", dependencies: ["KubeModels", "KubeCore", "KubeClient", "KubeRuntime", "KubeTestServer", "KubeTestSupport"], exclude: ["CRDs", "Samples"]),  // models generated from CRDs
        .testTarget(name: "KubeRuntimeTests", dependencies: ["KubeRuntime", "KubeTestServer", "KubeModels", "KubeTestSupport"]),
    ]
)
