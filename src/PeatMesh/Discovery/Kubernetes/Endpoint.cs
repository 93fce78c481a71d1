namespace PeatMesh.Discovery.Kubernetes;

/// <summary>One endpoint of an <see cref="EndpointSlice"/> (discovery.k8s.io/v1 <c>Endpoint</c>).</summary>
/// <remarks>Wire DTO; treat as immutable once deserialized.</remarks>
internal sealed class Endpoint
{
    /// <summary>Addresses (1–100, fungible; the first is preferred).</summary>
    public List<string?>? Addresses { get; init; }

    /// <summary>Readiness conditions; null means all unknown (treated as ready).</summary>
    public EndpointConditions? Conditions { get; init; }

    /// <summary>The endpoint's hostname (set for StatefulSet pods behind a headless Service).</summary>
    public string? Hostname { get; init; }

    /// <summary>The Kubernetes node hosting the endpoint.</summary>
    public string? NodeName { get; init; }

    /// <summary>The zone the endpoint is in.</summary>
    public string? Zone { get; init; }

    /// <summary>The object backing the endpoint (normally the Pod).</summary>
    public ObjectReference? TargetRef { get; init; }
}
