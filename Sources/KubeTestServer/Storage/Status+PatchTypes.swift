import KubeCore

extension Status {
    /// The 415 for a patch content type the resource does not accept. Custom resources have
    /// no strategic-merge schema, so kube-apiserver leaves that type out of their list
    /// (and answers a strategic merge patch on one with this same 415).
    static func unsupportedPatchType(custom: Bool) -> Status {
        // kube-apiserver's order (installer.go; apiextensions for custom resources).
        let types = custom
            ? ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]
            : ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json",
               "application/apply-patch+yaml"]
        return Status(code: 415, reason: .unsupportedMediaType,
                      message: "the body of the request was in an unknown format - accepted media types include: " + types.joined(separator: ", "))
    }
}
