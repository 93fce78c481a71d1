using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PeatMesh.Security;
using PeatMesh.Transport;

namespace PeatMesh.Topology;

/// <summary>
/// Peer exchange and membership (issue 4 item 4–5): connected peers tell each other which members they reach
/// (protocol <c>peat/peers/1</c>), so every node learns the whole formation transitively with hop distances; while
/// fewer than <see cref="MembershipOptions.ConnectionTarget"/> peers are connected it dials learned members, nearest
/// first; and it detects partitions (a known member with no path left) and member health (Suspect, then Dead).
/// </summary>
/// <remarks>
/// Thread-safe. Rounds run every <see cref="MembershipOptions.GossipInterval"/> and immediately after a change;
/// events are raised on the round's thread and must not block. Dispose after the peer manager's connections are closed.
/// </remarks>
public sealed partial class PeerExchange : IAsyncDisposable
{
    private readonly MeshPeerManager _peers;
    private readonly MembershipOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MembershipTable _table;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<bool> _trigger = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<PeerAddress, string> _dialedForMembers = new();
    private readonly ConcurrentDictionary<Task, byte> _sessions = new();
    private static readonly byte[] UnchangedMarker = PeerListMessage.Unchanged.ToArray();

    // The last list sent on each open connection (guarded by _gate), to send the unchanged marker instead of a repeat.
    private readonly Dictionary<MeshConnection, byte[]> _lastSent = [];
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates the service (call <see cref="Start"/>).</summary>
    public PeerExchange(MeshPeerManager peers, string selfNodeId, DeviceId selfDeviceId, MembershipOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _peers = peers;
        _options = options;
        _time = timeProvider;
        _logger = logger;
        _table = new MembershipTable(selfNodeId, selfDeviceId, options, timeProvider);
    }

    /// <summary>Raised when a member's state or hop distance changes (including becoming unreachable: a partition).</summary>
    public event Action<MemberInfo>? MemberChanged;

    /// <summary>Raised when the mesh state changes (standalone, connected, partitioned).</summary>
    public event Action<MeshState>? MeshStateChanged;

    /// <summary>Every known member including this node, nearest first.</summary>
    public IReadOnlyList<MemberInfo> Members
    {
        get
        {
            lock (_gate)
            {
                return _table.Snapshot();
            }
        }
    }

    /// <summary>The mesh state now (computed from the live table; events report changes as rounds observe them).</summary>
    public MeshState State
    {
        get
        {
            lock (_gate)
            {
                return _table.ComputeMeshState();
            }
        }
    }

    /// <summary>Subscribes to connections and starts the rounds.</summary>
    public void Start()
    {
        _peers.ConnectionOpened += OnConnectionOpened;
        _peers.ConnectionClosed += OnConnectionClosed;
        foreach (var connection in _peers.Connections)
        {
            OnConnectionOpened(connection);
        }

        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Stops the rounds and waits for sessions to end (they end with their connections). Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        _peers.ConnectionOpened -= OnConnectionOpened;
        _peers.ConnectionClosed -= OnConnectionClosed;
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
        await Task.WhenAll(_sessions.Keys).ConfigureAwait(false);
    }

    private void OnConnectionOpened(MeshConnection connection)
    {
        lock (_gate)
        {
            _table.SetDirect(connection.RemoteNodeId, connection.RemoteDeviceId,
                PeerAddress.FromEndPoint(connection.RemoteEndPoint, connection.RemoteHello.MeshPort), connection.LinkState, connection.SmoothedRtt);
        }

        if (connection.Supports(PeerListMessage.Protocol))
        {
            var session = Task.Run(() => ReceiveAsync(connection));
            _sessions[session] = 0;
            _ = session.ContinueWith(t => _sessions.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        Trigger();
    }

    private void OnConnectionClosed(MeshConnection connection)
    {
        // A superseded duplicate closing does not mean the peer is gone.
        if (_peers.TryGetConnection(connection.RemoteDeviceId, out var current) && current != connection && current.IsOpen)
        {
            return;
        }

        lock (_gate)
        {
            _table.RemoveDirect(connection.RemoteNodeId);
        }

        Trigger();
    }

    private async Task ReceiveAsync(MeshConnection connection)
    {
        var channel = connection.GetProtocol(PeerListMessage.Protocol);
        try
        {
            IReadOnlyList<PeerListEntry>? previous = null;
            await foreach (var message in channel.Incoming.ReadAllAsync().ConfigureAwait(false))
            {
                var entries = !PeerListMessage.IsUnchanged(message) ? PeerListMessage.Decode(message, _options.MaxMessageBytes, _options.MaxMembers)
                    : previous ?? throw new MeshTransportException(MeshTransportError.ProtocolViolation, "Invalid peer list: unchanged marker before any list.");
                previous = entries;
                bool changed;
                lock (_gate)
                {
                    var before = Fingerprint();
                    _table.ApplyPeerList(connection.RemoteNodeId, entries);
                    changed = before != Fingerprint();
                }

                if (changed)
                {
                    Trigger();
                }
            }
        }
        catch (MeshTransportException e) when (e.Error == MeshTransportError.ProtocolViolation)
        {
            TopologyLog.BadPeerList(_logger, connection.RemoteNodeId, e.Message);
            await connection.CloseAsync("malformed peer list").ConfigureAwait(false);
        }
    }

    /// <summary>A cheap summary of the routing state, to tell whether a peer list changed anything.</summary>
    private string Fingerprint() => string.Join(';', _table.Snapshot().Select(m => $"{m.NodeId}:{m.Hops}:{m.Via}:{m.Addresses.Count}"));

    private void Trigger() => _trigger.Writer.TryWrite(true);
}
