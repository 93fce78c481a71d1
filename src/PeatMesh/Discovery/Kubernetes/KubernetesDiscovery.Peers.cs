using Microsoft.Extensions.Logging;
using PeatMesh.Internal;

namespace PeatMesh.Discovery.Kubernetes;

/// <content>Projecting the slice cache to peers and raising Found/Updated/Lost from the difference.</content>
public sealed partial class KubernetesDiscovery
{
    /// <summary>Recomputes the peers from the cache, swaps the snapshot, and raises one event per difference.</summary>
    private void Publish()
    {
        var withoutPort = new List<string>();
        var next = EndpointSliceProjection.Project(_slices.Values, _options, _selfNodeId, withoutPort);
        foreach (var slice in withoutPort.Where(_warnedSlices.Add))
        {
            KubernetesLog.NoMeshPort(_logger, slice, _options.MeshPortName);
        }

        _warnedSlices.IntersectWith(withoutPort);
        var previous = Volatile.Read(ref _peers);
        Volatile.Write(ref _peers, next);

        var events = new List<DiscoveryEvent>();
        foreach (var (nodeId, peer) in next)
        {
            if (!previous.TryGetValue(nodeId, out var before))
            {
                events.Add(new DiscoveryEvent(DiscoveryEventKind.Found, peer));
            }
            else if (!before.Equals(peer))
            {
                events.Add(new DiscoveryEvent(DiscoveryEventKind.Updated, peer));
            }
        }

        events.AddRange(previous.Where(kv => !next.ContainsKey(kv.Key)).Select(kv => new DiscoveryEvent(DiscoveryEventKind.Lost, kv.Value)));
        foreach (var change in events)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var addresses = string.Join(",", change.Peer.Addresses);
                KubernetesLog.PeerChanged(_logger, change.Kind, change.Peer.NodeId, addresses);
            }

            EventHandlers.Raise(Changed, change, e => KubernetesLog.HandlerFailed(_logger, e));
        }
    }
}
