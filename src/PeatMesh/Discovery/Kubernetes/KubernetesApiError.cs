namespace PeatMesh.Discovery.Kubernetes;

/// <summary>Why a request to the Kubernetes API failed (classifies <see cref="KubernetesApiException"/>).</summary>
internal enum KubernetesApiError
{
    /// <summary>410 Gone (HTTP status or ERROR event): the resourceVersion is too old; re-LIST.</summary>
    Gone,

    /// <summary>401 Unauthorized or 403 Forbidden: token missing, wrong, expired, or RBAC missing.</summary>
    Unauthorized,

    /// <summary>Any other non-success HTTP status, or an ERROR event with another code.</summary>
    HttpStatus,

    /// <summary>The response could not be understood: bad JSON, unknown event, a line or page over its limit.</summary>
    Protocol,

    /// <summary>The request or watch took longer than allowed.</summary>
    Timeout,

    /// <summary>The CA file could not be read.</summary>
    Trust,
}
