namespace PeatMesh.Discovery.Kubernetes;

/// <summary>An endpoint's conditions (discovery.k8s.io/v1 <c>EndpointConditions</c>); null means unknown.</summary>
/// <remarks>Wire DTO; treat as immutable once deserialized.</remarks>
internal sealed class EndpointConditions
{
    /// <summary>Ready for traffic; null is treated as ready (API contract). False while terminating.</summary>
    public bool? Ready { get; init; }

    /// <summary>Serving traffic regardless of termination state.</summary>
    public bool? Serving { get; init; }

    /// <summary>The endpoint is terminating.</summary>
    public bool? Terminating { get; init; }
}
