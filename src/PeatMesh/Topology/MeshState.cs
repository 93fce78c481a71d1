namespace PeatMesh.Topology;

/// <summary>The mesh as this node sees it.</summary>
public enum MeshState
{
    /// <summary>No other member known.</summary>
    Standalone,

    /// <summary>Every known member is reachable (directly or through others).</summary>
    Connected,

    /// <summary>At least one known member is unreachable: the formation is split.</summary>
    Partitioned,
}
