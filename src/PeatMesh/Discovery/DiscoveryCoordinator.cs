using Microsoft.Extensions.Logging;
using PeatMesh.Topology;
using PeatMesh.Transport;

namespace PeatMesh.Discovery;

/// <summary>
/// Hybrid discovery: merges the events of every configured strategy and keeps the peer manager dialling exactly
/// the addresses some strategy currently reports. A peer reported by several strategies (same node id) is one
/// peer with the union of their addresses; an address stops being dialled only when no strategy reports it.
/// </summary>
/// <remarks>Thread-safe; events from different strategies may arrive concurrently.</remarks>
public sealed partial class DiscoveryCoordinator : IAsyncDisposable
{
    private readonly IReadOnlyList<IDiscoveryStrategy> _strategies;
    private readonly MeshPeerManager _peers;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<(string Source, string NodeId), DiscoveredPeer> _known = [];
    private readonly Dictionary<PeerAddress, int> _addressRefs = [];

    /// <summary>Creates the coordinator over <paramref name="strategies"/>.</summary>
    public DiscoveryCoordinator(IReadOnlyList<IDiscoveryStrategy> strategies, MeshPeerManager peers, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(logger);
        _strategies = strategies;
        _peers = peers;
        _logger = logger;
    }

    /// <summary>The strategies, in configuration order.</summary>
    public IReadOnlyList<IDiscoveryStrategy> Strategies => _strategies;

    /// <summary>Every discovered peer, merged by node id across strategies.</summary>
    public IReadOnlyList<DiscoveredPeer> Peers
    {
        get
        {
            lock (_gate)
            {
                return [.. _known.Values.GroupBy(p => p.NodeId).Select(Merge).OrderBy(p => p.NodeId, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Subscribes to every strategy and starts them (the peer manager must be started).</summary>
    public async Task StartAsync(LocalAdvertisement self, CancellationToken cancellationToken = default)
    {
        foreach (var strategy in _strategies)
        {
            strategy.Changed += OnChanged;
            await strategy.StartAsync(self, cancellationToken).ConfigureAwait(false);
            DiscoveryLog.StrategyStarted(_logger, strategy.Name);
        }
    }

    /// <summary>Stops every strategy (mDNS says goodbye). Idempotent per strategy.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var strategy in _strategies)
        {
            strategy.Changed -= OnChanged;
            await strategy.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnChanged(DiscoveryEvent change)
    {
        var add = new List<PeerAddress>();
        var remove = new List<PeerAddress>();
        lock (_gate)
        {
            var key = (change.Peer.Source, change.Peer.NodeId);
            var previous = _known.GetValueOrDefault(key)?.Addresses ?? [];
            var current = change.Kind == DiscoveryEventKind.Lost ? [] : change.Peer.Addresses;
            if (change.Kind == DiscoveryEventKind.Lost)
            {
                _known.Remove(key);
            }
            else
            {
                _known[key] = change.Peer;
            }

            foreach (var address in current.Except(previous))
            {
                var refs = _addressRefs.GetValueOrDefault(address) + 1;
                _addressRefs[address] = refs;
                if (refs == 1)
                {
                    add.Add(address);
                }
            }

            foreach (var address in previous.Except(current))
            {
                var refs = _addressRefs.GetValueOrDefault(address) - 1;
                if (refs <= 0)
                {
                    _addressRefs.Remove(address);
                    remove.Add(address);
                }
                else
                {
                    _addressRefs[address] = refs;
                }
            }
        }

        DiscoveryLog.PeerEvent(_logger, change.Kind, change.Peer.NodeId, change.Peer.Source, change.Peer.Addresses.Count);
        foreach (var address in add)
        {
            _peers.AddPeer(address);
        }

        foreach (var address in remove)
        {
            _peers.RemovePeer(address);
        }
    }

    private static DiscoveredPeer Merge(IEnumerable<DiscoveredPeer> views)
    {
        var list = views.ToList();
        return new DiscoveredPeer(list[0].NodeId, [.. list.SelectMany(p => p.Addresses).Distinct()],
            string.Join(",", list.Select(p => p.Source).Distinct().Order(StringComparer.Ordinal)),
            list.SelectMany(p => p.Metadata).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.First().Value));
    }
}
