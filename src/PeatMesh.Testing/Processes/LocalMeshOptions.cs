namespace PeatMesh.Testing.Processes;

/// <summary>How to run a local mesh of <c>peat-mesh-node</c> processes on loopback.</summary>
/// <remarks>Not thread-safe to mutate while the mesh runs.</remarks>
public sealed class LocalMeshOptions
{
    /// <summary>Number of nodes. Defaults to 3.</summary>
    public int Nodes { get; set; } = 3;

    /// <summary>Folder for the nodes' data directories (<c>node-1</c>, …); a new temporary folder when null.</summary>
    public string? DataRoot { get; set; }

    /// <summary>The formation secret (base64); a fresh random 32-byte secret when null.</summary>
    public string? FormationSecret { get; set; }

    /// <summary>Prefix of node ids (<c>{prefix}-1</c>, …). Defaults to <c>peat-dev</c>.</summary>
    public string NodeIdPrefix { get; set; } = "peat-dev";

    /// <summary>
    /// Which nodes each node dials, by zero-based index; defaults to every other node (full mesh).
    /// </summary>
    public Func<int, int, IEnumerable<int>>? PeersOf { get; set; }

    /// <summary>Extra environment variables for every node (e.g. <c>PEAT_LOG_LEVEL</c>).</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Receives every node's output lines, prefixed with the node id.</summary>
    public Action<string>? OutputSink { get; set; }

    /// <summary>Path of <c>peat-mesh-node.dll</c>; defaults to the copy next to the running program.</summary>
    public string? NodeAssemblyPath { get; set; }
}
