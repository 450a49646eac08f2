/// The library version, reported in the default User-Agent.
public let kubeclientVersion = "0.1.0"
