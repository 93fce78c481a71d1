namespace PeatMesh.Discovery.Kubernetes;

/// <summary>The parts of a Kubernetes <c>ObjectReference</c> discovery reads.</summary>
/// <remarks>Wire DTO; treat as immutable once deserialized.</remarks>
internal sealed class ObjectReference
{
    /// <summary>Kind of the referenced object, normally <c>Pod</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>Name of the referenced object (the pod name, which is its HOSTNAME in a StatefulSet).</summary>
    public string? Name { get; init; }
}
