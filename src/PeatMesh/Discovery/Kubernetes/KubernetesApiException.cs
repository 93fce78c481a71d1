namespace PeatMesh.Discovery.Kubernetes;

/// <summary>
/// A failed Kubernetes API call, classified by <see cref="Error"/>. Internal to the discovery loop, which
/// turns it into a relist or a backoff; callers of <see cref="KubernetesDiscovery"/> never see it.
/// </summary>
/// <remarks>Messages never contain the bearer token.</remarks>
internal sealed class KubernetesApiException : IOException
{
    /// <summary>Creates the exception.</summary>
    public KubernetesApiException(KubernetesApiError error, string message, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        StatusCode = statusCode;
    }

    /// <summary>The kind of failure.</summary>
    public KubernetesApiError Error { get; }

    /// <summary>The HTTP status (or ERROR event code), when there was one.</summary>
    public int? StatusCode { get; }
}
