namespace PeatMesh.Discovery.Kubernetes;

/// <summary>A Kubernetes <c>Status</c> (meta/v1), as sent in ERROR watch events and error responses.</summary>
/// <remarks>Wire DTO; treat as immutable once deserialized.</remarks>
internal sealed class ApiStatus
{
    /// <summary><c>Success</c> or <c>Failure</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Human-readable description.</summary>
    public string? Message { get; init; }

    /// <summary>Machine-readable reason, e.g. <c>Expired</c> or <c>Gone</c>.</summary>
    public string? Reason { get; init; }

    /// <summary>HTTP status code equivalent, e.g. 410.</summary>
    public int? Code { get; init; }
}
