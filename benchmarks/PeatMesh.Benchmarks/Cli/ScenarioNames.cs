namespace PeatMesh.Benchmarks.Cli;

/// <summary>The scenario names accepted on the command line.</summary>
public static class ScenarioNames
{
    /// <summary>3-node mesh of real node processes: write city records on node 1, wait until node 3 holds them all.</summary>
    public const string SyncCities = "sync-cities";

    /// <summary>Bulk one-way throughput of SecureChannel and MeshConnection over loopback TCP, against raw ChaCha20-Poly1305.</summary>
    public const string ChannelThroughput = "channel-throughput";

    /// <summary>Complete Noise XXpsk3 handshakes per second over loopback TCP, sequential and 4 concurrent clients.</summary>
    public const string Handshakes = "handshakes";

    /// <summary>The paper editing trace replayed by PeatMesh's Automerge engine and by Automerge JS 3.5.0, both modes, with ratios.</summary>
    public const string AutomergeTrace = "automerge-trace";

    /// <summary>A 6th node discovers and syncs with a 5-node mesh (peer exchange, mDNS); then steady-state traffic per node.</summary>
    public const string DiscoveryJoin = "discovery-join";

    /// <summary>Every scenario, in the order they run when none is named.</summary>
    public static IReadOnlyList<string> All { get; } = [SyncCities, ChannelThroughput, Handshakes, AutomergeTrace, DiscoveryJoin];
}
