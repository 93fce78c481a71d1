namespace PeatMesh.Discovery.Kubernetes;

/// <summary>An <c>EndpointSlice</c> (discovery.k8s.io/v1): a group of endpoints of one Service and their ports.</summary>
/// <remarks>Wire DTO; treat as immutable once deserialized.</remarks>
internal sealed class EndpointSlice
{
    /// <summary>Object metadata (name, resourceVersion, labels, annotations).</summary>
    public ObjectMeta? Metadata { get; init; }

    /// <summary><c>IPv4</c>, <c>IPv6</c> or <c>FQDN</c>.</summary>
    public string? AddressType { get; init; }

    /// <summary>The endpoints (at most 1000 per the API).</summary>
    public List<Endpoint?>? Endpoints { get; init; }

    /// <summary>The ports every endpoint exposes (null means "all ports", which gives no port number).</summary>
    public List<EndpointPort?>? Ports { get; init; }
}
