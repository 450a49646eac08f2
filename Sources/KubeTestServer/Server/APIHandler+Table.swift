import KubeCore

extension APIHandler {
    /// The printer columns of `resource` (for a custom resource, from its CRD).
    func printerColumns(_ resource: ResourceInfo) throws(Status) -> [TablePrinter.Column] {
        var crd: JSON?
        if resource.isCustom {
            crd = try cluster.withState { (s: inout ClusterState) throws(Status) in
                s.object(CRDSupport.storageKey, resource.name + "." + resource.group)?.json
            }
        }
        return TablePrinter.columns(for: resource, crd: crd)
    }
}
