namespace PeatMesh.Discovery.Kubernetes;

/// <summary>What <see cref="KubernetesDiscovery"/> is doing (for health reporting and tests).</summary>
public enum KubernetesDiscoveryState
{
    /// <summary>Created, not started.</summary>
    NotStarted,

    /// <summary>Fetching the EndpointSlice list (first start or after 410 Gone).</summary>
    Listing,

    /// <summary>Opening or reading a watch stream.</summary>
    Watching,

    /// <summary>Waiting after an error before the next attempt (the backoff timer is armed).</summary>
    BackingOff,

    /// <summary>Disposed.</summary>
    Stopped,
}
