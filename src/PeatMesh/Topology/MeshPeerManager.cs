using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Logging;
using PeatMesh.Diagnostics;
using PeatMesh.Security;
using PeatMesh.Transport;

namespace PeatMesh.Topology;

/// <summary>
/// Keeps this node connected to its peers: accepts inbound connections, dials every known address
/// with exponential backoff and jitter, verifies each peer's identity, keeps exactly one connection
/// per peer, and announces connections opening and closing.
/// </summary>
/// <remarks>
/// Thread-safe. The set of connections is an immutable snapshot swapped atomically, so readers never
/// lock. Duplicate connections (both peers dialled at once) are resolved deterministically: the
/// connection initiated by the peer with the smaller device id survives, on both sides; two
/// connections with the same initiator are resolved in favour of the newer (the older is presumed dead).
/// Event handlers run on a pool thread, must not block, and may be invoked concurrently for different peers.
/// </remarks>
public sealed partial class MeshPeerManager : IAsyncDisposable
{
    private readonly IMeshTransport _transport;
    private readonly DeviceId _localDeviceId;
    private readonly IPeerIdentityVerifier _verifier;
    private readonly PeerManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MeshMetrics? _metrics;
    private readonly Func<int, PeerHello> _helloFactory;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<PeerAddress, (Task Loop, CancellationTokenSource Stop)> _dialLoops = new();
    private readonly ConcurrentDictionary<PeerAddress, DeviceId> _addressOwners = new();
    private readonly HashSet<MeshConnection> _pending = [];
    // Per registered connection, the task that runs OnClosed once it closes: DisposeAsync waits for these so that every
    // disconnect is logged and raised before the manager reports itself stopped.
    private readonly ConcurrentDictionary<MeshConnection, Task> _closedHandlers = new();
    private readonly Random _random;
    private ImmutableDictionary<DeviceId, MeshConnection> _connections = ImmutableDictionary<DeviceId, MeshConnection>.Empty;
    private PeerHello? _localHello;
    private int _disposed;

    /// <summary>Creates the manager (call <see cref="StartAsync"/> to begin).</summary>
    /// <param name="transport">Accepts and dials authenticated channels.</param>
    /// <param name="localDeviceId">Our device id (used to recognise self-connections and to break ties).</param>
    /// <param name="helloFactory">Builds our hello given the mesh port the transport bound.</param>
    /// <param name="verifier">Checks that a peer's node id matches its identity key.</param>
    /// <param name="options">Options (validated here).</param>
    /// <param name="timeProvider">Clock for backoff and heartbeats.</param>
    /// <param name="logger">Logger (category <c>PeatMesh.Topology</c>).</param>
    public MeshPeerManager(IMeshTransport transport, DeviceId localDeviceId, Func<int, PeerHello> helloFactory,
        IPeerIdentityVerifier verifier, PeerManagerOptions options, TimeProvider timeProvider, ILogger logger)
        : this(transport, localDeviceId, helloFactory, verifier, options, timeProvider, logger, metrics: null)
    {
    }

    /// <summary>Creates the manager; its connections record their traffic, round trips and closes into <paramref name="metrics"/>.</summary>
    internal MeshPeerManager(IMeshTransport transport, DeviceId localDeviceId, Func<int, PeerHello> helloFactory,
        IPeerIdentityVerifier verifier, PeerManagerOptions options, TimeProvider timeProvider, ILogger logger, MeshMetrics? metrics)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(helloFactory);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _transport = transport;
        _localDeviceId = localDeviceId;
        _helloFactory = helloFactory;
        _verifier = verifier;
        _options = options;
        _time = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _random = options.RandomSeed is { } seed ? new Random(seed) : new Random();
    }

    /// <summary>Raised when a connection becomes the peer's active connection.</summary>
    public event Action<MeshConnection>? ConnectionOpened;

    /// <summary>Raised when an active connection closes or is superseded by a newer one.</summary>
    public event Action<MeshConnection>? ConnectionClosed;

    /// <summary>Raised when a peer goes from no active connection to one.</summary>
    public event Action<PeerInfo>? PeerConnected;

    /// <summary>Raised when a peer's last active connection closes (not when it is merely superseded).</summary>
    public event Action<PeerInfo, string>? PeerDisconnected;

    /// <summary>The active connections, one per peer (an immutable snapshot).</summary>
    public IReadOnlyCollection<MeshConnection> Connections => Volatile.Read(ref _connections).Values.ToArray();

    /// <summary>Snapshots of every connected peer, ordered by node id.</summary>
    public IReadOnlyList<PeerInfo> Peers => [.. Volatile.Read(ref _connections).Values.Select(PeerInfo.From).OrderBy(p => p.NodeId, StringComparer.Ordinal)];

    /// <summary>The transport's listening address once started.</summary>
    public EndPoint? LocalEndPoint => _transport.LocalEndPoint;

    /// <summary>Our hello, once started.</summary>
    public PeerHello? LocalHello => _localHello;

    /// <summary>The active connection to <paramref name="deviceId"/>, if any.</summary>
    public bool TryGetConnection(DeviceId deviceId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MeshConnection? connection) =>
        Volatile.Read(ref _connections).TryGetValue(deviceId, out connection);

    /// <summary>Starts accepting connections.</summary>
    /// <exception cref="MeshTransportException">The listen address could not be bound.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _transport.StartAsync(AcceptAsync, cancellationToken).ConfigureAwait(false);
        var port = _transport.LocalEndPoint switch
        {
            IPEndPoint ip => ip.Port,
            DnsEndPoint dns => dns.Port,
            _ => 0,
        };
        _localHello = _helloFactory(port);
    }

    /// <summary>
    /// Keeps a connection to <paramref name="address"/>: dials it now and again whenever the peer at that
    /// address is not connected, with backoff after failures. Idempotent per address. An address that
    /// turns out to be this node is dropped. Ignored once <see cref="DisposeAsync"/> has begun (the node is stopping;
    /// peer exchange may still be finishing a round).
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="StartAsync"/> has not completed.</exception>
    public void AddPeer(PeerAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_localHello is null)
        {
            throw new InvalidOperationException("Start the peer manager before adding peers.");
        }

        // Under the gate, so that DisposeAsync (which marks itself disposed, then passes the gate before it waits for
        // the dial loops) either sees this loop or this call sees the manager disposed and adds nothing.
        lock (_gate)
        {
            if (_disposed != 0)
            {
                return;
            }

            _dialLoops.GetOrAdd(address, a =>
            {
                var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                return (Task.Run(() => DialLoopAsync(a, stop.Token)), stop);
            });
        }
    }

    /// <summary>
    /// Stops dialling <paramref name="address"/> (a connection already open to the peer stays open). Returns
    /// false when the address was not being dialled.
    /// </summary>
    public bool RemovePeer(PeerAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!_dialLoops.TryRemove(address, out var loop))
        {
            return false;
        }

        loop.Stop.Cancel();
        _ = loop.Loop.ContinueWith(_ => loop.Stop.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }

    /// <summary>Addresses being dialled (kept connected).</summary>
    public IReadOnlyCollection<PeerAddress> DialedAddresses => [.. _dialLoops.Keys];

    /// <summary>Closes every connection and stops dialling. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        MeshConnection[] all;
        lock (_gate)
        {
            all = [.. _connections.Values, .. _pending];
        }

        await Task.WhenAll(all.Select(c => c.CloseAsync("node stopping"))).ConfigureAwait(false);
        await Task.WhenAll(_dialLoops.Values.Select(l => l.Loop)).ConfigureAwait(false);

        // A connection's Completion runs its continuations asynchronously, so OnClosed (the disconnect log line and
        // events) may still be pending here: wait for it, so nothing is logged after the node says it stopped.
        await Task.WhenAll(_closedHandlers.Values).ConfigureAwait(false);

        _stop.Dispose();
    }
}
