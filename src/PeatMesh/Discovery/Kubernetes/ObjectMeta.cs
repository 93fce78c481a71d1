namespace PeatMesh.Discovery.Kubernetes;

/// <summary>The parts of Kubernetes <c>ObjectMeta</c> discovery reads (meta/v1).</summary>
/// <remarks>Wire DTO; treat as immutable once deserialized.</remarks>
internal sealed class ObjectMeta
{
    /// <summary>Object name, unique within its namespace.</summary>
    public string? Name { get; init; }

    /// <summary>Namespace of the object.</summary>
    public string? Namespace { get; init; }

    /// <summary>Opaque version of the object (compare only for equality).</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Labels, possibly null.</summary>
    public Dictionary<string, string?>? Labels { get; init; }

    /// <summary>Annotations, possibly null.</summary>
    public Dictionary<string, string?>? Annotations { get; init; }
}
