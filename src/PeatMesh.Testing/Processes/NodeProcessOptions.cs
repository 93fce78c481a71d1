namespace PeatMesh.Testing.Processes;

/// <summary>How to run one <c>peat-mesh-node</c> process.</summary>
/// <remarks>Not thread-safe to mutate while the process runs.</remarks>
public sealed class NodeProcessOptions
{
    /// <summary>Path of <c>peat-mesh-node.dll</c>; defaults to the copy next to the running program.</summary>
    public string NodeAssemblyPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "peat-mesh-node.dll");

    /// <summary>
    /// A command the node runs under, e.g. <c>["ip", "netns", "exec", "ns1"]</c> to start it inside a network
    /// namespace (the prefix must exec the node, so signals reach it). Empty by default.
    /// </summary>
    public IList<string> CommandPrefix { get; } = [];

    /// <summary>Environment variables for the node (<c>PEAT_*</c>, <c>HOSTNAME</c>).</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The node's broker URL (e.g. <c>http://127.0.0.1:8081</c>), used to poll readiness.</summary>
    public Uri BrokerUrl { get; set; } = new("http://127.0.0.1:8081");

    /// <summary>Name used to prefix forwarded output lines.</summary>
    public string Name { get; set; } = "node";

    /// <summary>Receives every output line (stdout and stderr), prefixed with <see cref="Name"/>; null keeps them only in <see cref="NodeProcess.RecentOutput"/>.</summary>
    public Action<string>? OutputSink { get; set; }
}
