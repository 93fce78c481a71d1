namespace PeatMesh.Discovery.Kubernetes;

/// <summary>A port of an <see cref="EndpointSlice"/> (discovery.k8s.io/v1 <c>EndpointPort</c>).</summary>
/// <remarks>Wire DTO; treat as immutable once deserialized.</remarks>
internal sealed class EndpointPort
{
    /// <summary>Port name (empty or null when the Service has a single unnamed port).</summary>
    public string? Name { get; init; }

    /// <summary><c>TCP</c> (the default when null), <c>UDP</c> or <c>SCTP</c>.</summary>
    public string? Protocol { get; init; }

    /// <summary>Port number; null means "all ports" and gives no usable number.</summary>
    public int? Port { get; init; }
}
