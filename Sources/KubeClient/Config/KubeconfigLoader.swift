/// client-go's `ClientConfigLoadingRules`: which kubeconfig files to read and how to merge them.
struct KubeconfigLoader {
    var environment: ProcessEnvironment
    /// Where the in-cluster fallback looks for the service account (a parameter for tests).
    var serviceAccountDirectory = RESTConfig.serviceAccountDirectory

    /// Where kubeconfig files are looked for, in precedence order.
    enum Source: Equatable {
        /// `--kubeconfig`: must exist.
        case explicit(String)
        /// `$KUBECONFIG` entries (deduplicated, empty entries dropped); missing files are skipped.
        case environment([String])
        /// `~/.kube/config`, skipped when missing (nil when there is no home directory).
        case home(String?)
    }

    func source(explicitPath: String?) -> Source {
        if let explicitPath = explicitPath.nonEmpty { return .explicit(explicitPath) }
        if let list = environment["KUBECONFIG"].nonEmpty {
            var seen = Set<String>()
            var paths: [String] = []
            for entry in list.split(separator: ":", omittingEmptySubsequences: true) {
                let path = String(entry)
                if seen.insert(path).inserted { paths.append(path) }
            }
            return .environment(paths)
        }
        return .home(environment.homeDirectory.map { FilePath.join($0, ".kube/config") })
    }

    /// Reads and merges the files of `source`; the first file that sets an entry wins.
    func load(_ source: Source) throws(KubeError) -> Kubeconfig {
        switch source {
        case .explicit(let path):
            return try Kubeconfig.load(file: path)
        case .environment(let paths):
            var merged = Kubeconfig()
            for path in paths {
                guard let config = try loadIfPresent(path) else { continue }
                merged.merge(config)
            }
            return merged
        case .home(let path):
            guard let path else { return Kubeconfig() }
            return try loadIfPresent(path) ?? Kubeconfig()
        }
    }

    private func loadIfPresent(_ path: String) throws(KubeError) -> Kubeconfig? {
        guard LocalFile.exists(path) else { return nil }
        return try Kubeconfig.load(file: path)
    }

    /// The whole `RESTConfig.load` flow, including the in-cluster fallback.
    func restConfig(explicitPath: String?, overrides: KubeconfigOverrides) throws(KubeError) -> RESTConfig {
        let source = source(explicitPath: explicitPath)
        let config = try load(source)
        if config.isEmpty && overrides.masterURL == nil {
            let inCluster = InClusterConfig(root: serviceAccountDirectory, environment: environment)
            if case .explicit = source {} else if inCluster.isPossible {
                var result = try inCluster.load()
                if let namespace = overrides.namespace { result.namespace = namespace }
                return result
            }
            throw .config(Self.nothingFound(source))
        }
        return try config.restConfig(overrides: overrides)
    }

    private static func nothingFound(_ source: Source) -> String {
        let notInCluster = "and this is not a pod (KUBERNETES_SERVICE_HOST is not set)"
        switch source {
        case .explicit(let path):
            return "kubeconfig file \"\(path)\" is empty"
        case .environment(let paths):
            return "no configuration found: the files in $KUBECONFIG (\(paths.joined(separator: ", "))) "
                + "do not exist or are empty, \(notInCluster)"
        case .home(let path):
            let location = path.map { "\"\($0)\"" } ?? "~/.kube/config (no home directory)"
            return "no configuration found: \(location) does not exist or is empty, $KUBECONFIG is not set, \(notInCluster)"
        }
    }
}

extension Kubeconfig {
    /// Loads kubeconfig files by client-go's rules: `explicitPath` if given (it must exist);
    /// else the colon-separated `$KUBECONFIG` list merged (missing files skipped, first setter
    /// of an entry or of current-context wins); else `~/.kube/config` (empty when missing).
    public static func loadMerged(explicitPath: String? = nil) throws(KubeError) -> Kubeconfig {
        let loader = KubeconfigLoader(environment: ProcessEnvironment.current())
        return try loader.load(loader.source(explicitPath: explicitPath))
    }
}
