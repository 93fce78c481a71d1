namespace PeatMesh.Discovery.Kubernetes;

/// <summary>A page of <c>EndpointSliceList</c> (discovery.k8s.io/v1).</summary>
/// <remarks>Wire DTO; treat as immutable once deserialized.</remarks>
internal sealed class EndpointSliceList
{
    /// <summary>List metadata (resourceVersion, continue).</summary>
    public ListMeta? Metadata { get; init; }

    /// <summary>The slices on this page.</summary>
    public List<EndpointSlice?>? Items { get; init; }
}
