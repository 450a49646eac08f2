/// Accept headers the client sends for the server-side transformations it uses.
public enum MediaType {
    /// One object as `meta.k8s.io/v1` PartialObjectMetadata (apiVersion, kind, metadata),
    /// falling back to the full object from servers that cannot transform.
    public static let partialObjectMetadata = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json"
    /// A list as PartialObjectMetadataList, falling back to the full list.
    public static let partialObjectMetadataList = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
}
