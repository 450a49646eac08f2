import ArgumentParser
import KubeClient

/// The command line every Swift example shares, like client-go's
/// `clientcmd.BuildConfigFromFlags(master, kubeconfig)` plus a context. The flags win over
/// the environment. Use it as `@OptionGroup var connection: ConnectionOptions`.
public struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).", valueName: "path"))
    public var kubeconfig: String?

    @Option(help: ArgumentHelp("The API server URL, overriding the kubeconfig's.", valueName: "url"))
    public var master: String?

    @Option(help: ArgumentHelp("The kubeconfig context (default: its current-context).", valueName: "name"))
    public var context: String?

    public init() {}

    /// The configuration the flags select; `namespace` nil keeps the context's.
    public func loadConfig(namespace: String? = nil) throws(KubeError) -> RESTConfig {
        try RESTConfig.load(path: kubeconfig, context: context, masterURL: master, namespace: namespace)
    }
}

/// An example's command line: `@OptionGroup var connection: ConnectionOptions` plus its own
/// arguments; read it with `parseOrExit()`. Usage lines and errors name the program as it was
/// started (ArgumentParser would name it after the type).
public protocol ExampleArguments: ParsableCommand {}

extension ExampleArguments {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: CommandLine.arguments.first?.split(separator: "/").last.map(String.init))
    }
}
