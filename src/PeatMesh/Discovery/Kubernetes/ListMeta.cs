namespace PeatMesh.Discovery.Kubernetes;

/// <summary>Kubernetes <c>ListMeta</c> (meta/v1): the list's resourceVersion and paging token.</summary>
/// <remarks>Wire DTO; treat as immutable once deserialized.</remarks>
internal sealed class ListMeta
{
    /// <summary>The resourceVersion to start a watch from.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Token for the next page; empty or null on the last page.</summary>
    public string? Continue { get; init; }
}
