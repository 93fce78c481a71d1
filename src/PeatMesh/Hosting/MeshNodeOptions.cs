using Microsoft.Extensions.Logging;
using PeatMesh.Diagnostics;
using PeatMesh.Discovery;
using PeatMesh.Security;
using PeatMesh.Sync;
using PeatMesh.Topology;
using PeatMesh.Transport;
using PeatMesh.Transport.Tcp;

namespace PeatMesh.Hosting;

/// <summary>Everything a <see cref="MeshNode"/> needs to start.</summary>
/// <remarks>Set before start; not thread-safe to mutate afterwards.</remarks>
public sealed class MeshNodeOptions
{
    /// <summary>The node id (the reference uses <c>HOSTNAME</c>). Required; 1–253 characters, no whitespace.</summary>
    public string NodeId { get; set; } = string.Empty;

    /// <summary>The formation secret shared by all members. Required.</summary>
    public FormationSecret? FormationSecret { get; set; }

    /// <summary>Directory for the node's database. Required.</summary>
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>The HTTP broker's port, announced to peers in the hello (0 = none). Defaults to 8081.</summary>
    public int BrokerPort { get; set; } = 8081;

    /// <summary>Mesh listener options (bind address, port 11204 by default).</summary>
    public TcpTransportOptions Transport { get; set; } = new();

    /// <summary>Peers to dial and keep connected (static discovery; used when non-empty).</summary>
    public IList<PeerAddress> StaticPeers { get; } = [];

    /// <summary>
    /// Further discovery strategies (mDNS, Kubernetes), created when the node starts from its clock and loggers.
    /// Their events are merged with static discovery (hybrid discovery).
    /// </summary>
    public IList<Func<TimeProvider, ILoggerFactory, IDiscoveryStrategy>> DiscoveryStrategies { get; } = [];

    /// <summary>Peer management options (dial timeout, backoff, connection limits and heartbeats).</summary>
    public PeerManagerOptions Peers { get; set; } = new();

    /// <summary>Peer exchange, membership and partition detection options.</summary>
    public MembershipOptions Membership { get; set; } = new();

    /// <summary>Sync and document options.</summary>
    public SyncOptions Sync { get; set; } = new();

    /// <summary>Noise handshake timeout. Defaults to 10 seconds.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where the node records its metrics (docs/observability.md). Defaults to null: the node creates its own
    /// <see cref="MeshMetrics"/> (an unshared meter, disposed when the node stops). A caller-provided instance — e.g.
    /// the one an ASP.NET Core host exports at <c>/metrics</c> — is used as is and not disposed by the node.
    /// </summary>
    public MeshMetrics? Metrics { get; set; }

    /// <summary>Whether the store syncs every commit to disk (SQLite <c>synchronous=FULL</c>). Defaults to true.</summary>
    public bool DurableCommits { get; set; } = true;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A required value is missing or invalid.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(NodeId) || NodeId.Length > PeerHello.MaxNodeIdLength || NodeId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException("NodeId must be 1-253 characters without whitespace.", nameof(NodeId));
        }

        if (FormationSecret is null)
        {
            throw new ArgumentException("A formation secret is required.", nameof(FormationSecret));
        }

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new ArgumentException("A data directory is required.", nameof(DataDirectory));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(BrokerPort, 0, nameof(BrokerPort));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BrokerPort, 65535, nameof(BrokerPort));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero, nameof(HandshakeTimeout));
        Transport.Validate();
        Peers.Validate();
        Membership.Validate();
        Sync.Validate();
    }
}
