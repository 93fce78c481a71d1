using System.Reflection;
using Microsoft.Extensions.Logging;
using PeatMesh.Automerge.Model;
using PeatMesh.Diagnostics;
using PeatMesh.Discovery;
using PeatMesh.Discovery.Static;
using PeatMesh.Security;
using PeatMesh.Storage;
using PeatMesh.Sync;
using PeatMesh.Sync.Wire;
using PeatMesh.Topology;
using PeatMesh.Transport;
using PeatMesh.Transport.Tcp;

namespace PeatMesh.Hosting;

/// <summary>
/// A running mesh node: identity derived from the formation secret and node id (decision 1), durable
/// store, Noise-secured TCP listener, peer manager dialling the static peers, the document service and
/// document sync.
/// </summary>
/// <remarks>
/// Thread-safe. Create with <see cref="StartAsync(MeshNodeOptions, ILoggerFactory, TimeProvider?, CancellationToken)"/>. <see cref="DisposeAsync"/> stops dialling and
/// syncing, closes connections with a goodbye, then drains and closes the store. Idempotent.
/// </remarks>
public sealed class MeshNode : IAsyncDisposable
{
    private readonly SqliteDocumentStore _store;
    private readonly DeviceKeypair _identity;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly bool _ownsMetrics;
    private int _disposed;

    private MeshNode(string nodeId, DeviceKeypair identity, SqliteDocumentStore store, MeshPeerManager peers, PeerExchange membership,
        DiscoveryCoordinator discovery, DocumentService documents, SyncCoordinator sync, int meshPort, int brokerPort, TimeProvider time, ILogger logger,
        MeshMetrics metrics, bool ownsMetrics)
    {
        Metrics = metrics;
        _ownsMetrics = ownsMetrics;
        Membership = membership;
        Discovery = discovery;
        NodeId = nodeId;
        _identity = identity;
        _store = store;
        Peers = peers;
        Documents = documents;
        Sync = sync;
        MeshPort = meshPort;
        BrokerPort = brokerPort;
        _time = time;
        _logger = logger;
        StartedAt = time.GetUtcNow();
    }

    /// <summary>The software version (assembly informational version).</summary>
    public static string Version { get; } =
        typeof(MeshNode).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The node id.</summary>
    public string NodeId { get; }

    /// <summary>The metrics the node records (<see cref="MeshNodeOptions.Metrics"/>, or its own).</summary>
    public MeshMetrics Metrics { get; }

    /// <summary>The device id of the node's identity key.</summary>
    public DeviceId DeviceId => _identity.DeviceId;

    /// <summary>When the node finished starting.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Time since start.</summary>
    public TimeSpan Uptime => _time.GetUtcNow() - StartedAt;

    /// <summary>The bound mesh TCP port.</summary>
    public int MeshPort { get; }

    /// <summary>The broker port announced to peers.</summary>
    public int BrokerPort { get; }

    /// <summary>Connected peers and their events.</summary>
    public MeshPeerManager Peers { get; }

    /// <summary>The durable store (tests reach past the document service through it).</summary>
    internal IDocumentStore Store => _store;

    /// <summary>Discovery (static, mDNS, Kubernetes, merged).</summary>
    public DiscoveryCoordinator Discovery { get; }

    /// <summary>Formation membership: members with hop distances and health, mesh state, partition events.</summary>
    public PeerExchange Membership { get; }

    /// <summary>Documents (JSON reads and writes).</summary>
    public DocumentService Documents { get; }

    /// <summary>Document sync with peers.</summary>
    public SyncCoordinator Sync { get; }

    /// <summary>Starts a node: opens the store, binds the mesh port, starts sync and dials the static peers.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    /// <exception cref="MeshTransportException">The mesh port could not be bound.</exception>
    public static Task<MeshNode> StartAsync(MeshNodeOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return StartAsync(options, loggerFactory, timeProvider, (identity, psk, metrics) => new TcpMeshTransport(options.Transport,
            new Security.Noise.SecureChannelOptions
            {
                Identity = identity,
                PreSharedKey = psk,
                HandshakeTimeout = options.HandshakeTimeout,
                TimeProvider = timeProvider ?? TimeProvider.System,
            }, loggerFactory.CreateLogger("PeatMesh.Transport"), metrics), cancellationToken);
    }

    /// <summary>Starts a node on a transport of the caller's choosing (the in-process test cluster uses an in-memory one).</summary>
    /// <param name="options">Node options.</param>
    /// <param name="loggerFactory">Loggers.</param>
    /// <param name="timeProvider">Clock; the system clock when null.</param>
    /// <param name="transportFactory">Builds the transport from the node's identity and Noise PSK.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    internal static Task<MeshNode> StartAsync(MeshNodeOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider,
        Func<DeviceKeypair, byte[], IMeshTransport> transportFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transportFactory);
        return StartAsync(options, loggerFactory, timeProvider, (identity, psk, _) => transportFactory(identity, psk), cancellationToken);
    }

    /// <summary>Starts a node on a transport built from the node's identity, Noise PSK and metrics.</summary>
    private static async Task<MeshNode> StartAsync(MeshNodeOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider,
        Func<DeviceKeypair, byte[], MeshMetrics, IMeshTransport> transportFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();
        var time = timeProvider ?? TimeProvider.System;
        var logger = loggerFactory.CreateLogger("PeatMesh.Hosting");
        var identity = options.FormationSecret!.DeriveDeviceKeypair(options.NodeId);
        var ownsMetrics = options.Metrics is null;
        var metrics = options.Metrics ?? new MeshMetrics();
        SqliteDocumentStore? store = null;
        MeshPeerManager? peers = null;
        PeerExchange? membership = null;
        SyncCoordinator? sync = null;
        DiscoveryCoordinator? discovery = null;
        try
        {
            store = await SqliteDocumentStore.OpenAsync(new StorageOptions
            {
                DataDirectory = options.DataDirectory,
                Synchronous = options.DurableCommits ? StorageSynchronousMode.Full : StorageSynchronousMode.Normal,
            }, loggerFactory.CreateLogger<SqliteDocumentStore>(), time, metrics, cancellationToken).ConfigureAwait(false);
            await CheckIdentityAsync(store, identity, cancellationToken).ConfigureAwait(false);

            var transport = transportFactory(identity, options.FormationSecret.DeriveNoisePsk(), metrics);
            peers = new MeshPeerManager(transport, identity.DeviceId,
                port => new PeerHello(options.NodeId, port, options.BrokerPort, Version, [MeshProtocols.AutomergeSync, PeerListMessage.Protocol])
                {
                    Features = [TraceContextCodec.HelloFeature, PeerListMessage.UnchangedFeature],
                },
                new FormationIdentityVerifier(options.FormationSecret), options.Peers, time, loggerFactory.CreateLogger("PeatMesh.Topology"), metrics);

            var clock = new LamportClock();
            var syncLogger = loggerFactory.CreateLogger("PeatMesh.Sync");
            var documents = new DocumentService(store, ActorId.FromBytes(DeviceIdBytes(identity.DeviceId)), options.NodeId, clock, options.Sync, time, syncLogger);
            await documents.InitializeAsync(cancellationToken).ConfigureAwait(false);
            sync = new SyncCoordinator(peers, documents, options.Sync, time, syncLogger, metrics);
            sync.Start();
            if (options.Peers.Connection.HeartbeatInterval != Timeout.InfiniteTimeSpan)
            {
                options.Membership.HeartbeatInterval = options.Peers.Connection.HeartbeatInterval;
            }

            membership = new PeerExchange(peers, options.NodeId, identity.DeviceId, options.Membership, time, loggerFactory.CreateLogger("PeatMesh.Topology"));
            membership.Start();
            await peers.StartAsync(cancellationToken).ConfigureAwait(false);
            var meshPort = peers.LocalHello!.MeshPort;
            var strategies = new List<IDiscoveryStrategy>();
            if (options.StaticPeers.Count > 0)
            {
                strategies.Add(new StaticDiscovery(options.StaticPeers));
            }

            strategies.AddRange(options.DiscoveryStrategies.Select(create => create(time, loggerFactory)));
            discovery = new DiscoveryCoordinator(strategies, peers, loggerFactory.CreateLogger("PeatMesh.Discovery"));
            await discovery.StartAsync(new LocalAdvertisement(options.NodeId, identity.DeviceId, meshPort, Version), cancellationToken).ConfigureAwait(false);
            var node = new MeshNode(options.NodeId, identity, store, peers, membership, discovery, documents, sync, meshPort, options.BrokerPort, time, logger,
                metrics, ownsMetrics);
            node.ObserveGauges();

            HostingLog.MeshStarted(logger, options.NodeId, identity.DeviceId, meshPort, options.StaticPeers.Count);
            return node;
        }
        catch
        {
            if (discovery is not null)
            {
                await discovery.DisposeAsync().ConfigureAwait(false);
            }

            if (peers is not null)
            {
                await peers.DisposeAsync().ConfigureAwait(false);
            }

            if (membership is not null)
            {
                await membership.DisposeAsync().ConfigureAwait(false);
            }

            if (sync is not null)
            {
                await sync.DisposeAsync().ConfigureAwait(false);
            }

            if (store is not null)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }

            identity.Dispose();
            if (ownsMetrics)
            {
                metrics.Dispose();
            }

            throw;
        }
    }

    /// <summary>Stops the node gracefully. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        HostingLog.MeshStopping(_logger, NodeId);
        Metrics.DetachSources();
        await Discovery.DisposeAsync().ConfigureAwait(false);
        await Peers.DisposeAsync().ConfigureAwait(false);
        await Membership.DisposeAsync().ConfigureAwait(false);
        await Sync.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        _identity.Dispose();
        if (_ownsMetrics)
        {
            Metrics.Dispose();
        }

        HostingLog.MeshStopped(_logger, NodeId);
    }

    /// <summary>Attaches the node's state to the observable gauges (peers, members, partition, sync backlog, stored rows).</summary>
    private void ObserveGauges()
    {
        Metrics.ObservePeers(() => Peers.Connections.Count);
        Metrics.ObserveMembership(
            () => Membership.Members.Where(m => m.State != MemberState.Self).Select(m => MetricLabels.SnakeCase(m.State)),
            () => Membership.State == MeshState.Partitioned);
        Metrics.ObserveSyncBacklog(() => Sync.PendingDocuments);
        Metrics.ObserveStore(() => _store.Counts.Documents, () => _store.Counts.Tombstones);
    }

    private static byte[] DeviceIdBytes(DeviceId deviceId)
    {
        var bytes = new byte[DeviceId.Size];
        deviceId.WriteTo(bytes);
        return bytes;
    }

    /// <summary>Records the device id on first start; refuses a data directory that belongs to another identity.</summary>
    private static async Task CheckIdentityAsync(IDocumentStore store, DeviceKeypair identity, CancellationToken cancellationToken)
    {
        var recorded = await store.GetMetaAsync("device_id", cancellationToken).ConfigureAwait(false);
        var current = System.Text.Encoding.UTF8.GetBytes(identity.DeviceId.ToString());
        if (recorded is null)
        {
            await store.SetMetaAsync("device_id", current, cancellationToken).ConfigureAwait(false);
        }
        else if (!recorded.AsSpan().SequenceEqual(current))
        {
            throw new InvalidOperationException(
                $"The data directory belongs to device {System.Text.Encoding.UTF8.GetString(recorded)}, but this node's identity is {identity.DeviceId}. " +
                "The formation secret or HOSTNAME changed; use the original ones or a new data directory.");
        }
    }
}
