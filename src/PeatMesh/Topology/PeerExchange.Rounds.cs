using PeatMesh.Transport;

namespace PeatMesh.Topology;

public sealed partial class PeerExchange
{
    private async Task LoopAsync()
    {
        var token = _stop.Token;
        using var timer = new PeriodicTimer(_options.GossipInterval, _time);
        Task<bool>? tick = null;
        Task<bool>? triggered = null;
        try
        {
            while (!token.IsCancellationRequested)
            {
                tick ??= timer.WaitForNextTickAsync(token).AsTask();
                triggered ??= _trigger.Reader.WaitToReadAsync(token).AsTask();
                var done = await Task.WhenAny(tick, triggered).ConfigureAwait(false);
                if (done == tick)
                {
                    if (!await tick.ConfigureAwait(false))
                    {
                        return;
                    }

                    tick = null;
                }
                else
                {
                    await triggered.ConfigureAwait(false);
                    triggered = null;
                    _trigger.Reader.TryRead(out _);
                }

                Round();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: refresh direct links, expire and report, send peer lists, dial towards the target.</summary>
    private void Round()
    {
        var connections = _peers.Connections.Where(c => c.IsOpen).ToList();
        IReadOnlyList<MemberInfo> changed;
        MeshState? mesh;
        var lists = new List<(MeshConnection Connection, byte[] Message)>();
        List<(string NodeId, PeerAddress Address)> candidates;
        lock (_gate)
        {
            foreach (var connection in connections)
            {
                _table.SetDirect(connection.RemoteNodeId, connection.RemoteDeviceId,
                    PeerAddress.FromEndPoint(connection.RemoteEndPoint, connection.RemoteHello.MeshPort), connection.LinkState, connection.SmoothedRtt);
            }

            (changed, mesh) = _table.Tick();
            foreach (var connection in connections.Where(c => c.Supports(PeerListMessage.Protocol)))
            {
                lists.Add((connection, ListOrUnchanged(connection, PeerListMessage.Encode(_table.PeerListFor(connection.RemoteNodeId)))));
            }

            foreach (var gone in _lastSent.Keys.Where(c => !c.IsOpen).ToList())
            {
                _lastSent.Remove(gone);
            }

            candidates = [.. _table.DialCandidates()];
        }

        foreach (var (connection, message) in lists)
        {
            _ = SendQuietlyAsync(connection, message);
        }

        Report(changed, mesh);
        Dial([.. connections.Select(c => c.RemoteNodeId)], candidates);
    }

    /// <summary>
    /// The message for <paramref name="connection"/> this round: the unchanged marker when the peer understands it and
    /// <paramref name="list"/> equals the last list sent on this connection, else the list (remembered). Caller holds the gate.
    /// </summary>
    private byte[] ListOrUnchanged(MeshConnection connection, byte[] list)
    {
        if (!connection.RemoteHello.Features.Contains(PeerListMessage.UnchangedFeature))
        {
            return list;
        }

        if (_lastSent.TryGetValue(connection, out var last) && last.AsSpan().SequenceEqual(list))
        {
            return UnchangedMarker;
        }

        _lastSent[connection] = list;
        return list;
    }

    private static async Task SendQuietlyAsync(MeshConnection connection, byte[] message)
    {
        try
        {
            await connection.GetProtocol(PeerListMessage.Protocol).SendAsync(message).ConfigureAwait(false);
        }
        catch (MeshTransportException)
        {
            // The connection closed; the next round uses the remaining ones.
        }
    }

    private void Report(IReadOnlyList<MemberInfo> changed, MeshState? mesh)
    {
        foreach (var member in changed)
        {
            if (member.Reachable)
            {
                TopologyLog.MemberReachable(_logger, member.NodeId, member.Hops!.Value, member.State);
            }
            else
            {
                TopologyLog.MemberUnreachable(_logger, member.NodeId, member.State);
            }

            Internal.EventHandlers.Raise(MemberChanged, member, e => TopologyLog.HandlerFailed(_logger, e));
        }

        if (mesh is { } state)
        {
            TopologyLog.MeshStateChanged(_logger, state);
            Internal.EventHandlers.Raise(MeshStateChanged, state, e => TopologyLog.HandlerFailed(_logger, e));
        }
    }

    /// <summary>Dials learned members (nearest first) while fewer than the target are connected; stops dialling forgotten ones.</summary>
    private void Dial(HashSet<string> connected, IReadOnlyList<(string NodeId, PeerAddress Address)> candidates)
    {
        var known = candidates.Select(c => c.NodeId).ToHashSet(StringComparer.Ordinal);
        foreach (var (address, nodeId) in _dialedForMembers)
        {
            if (!known.Contains(nodeId) && !connected.Contains(nodeId) && _dialedForMembers.TryRemove(address, out _))
            {
                _peers.RemovePeer(address);
            }
        }

        var pending = _dialedForMembers.Values.Count(nodeId => !connected.Contains(nodeId));
        foreach (var (nodeId, address) in candidates)
        {
            if (connected.Count + pending >= _options.ConnectionTarget)
            {
                break;
            }

            if (!_peers.DialedAddresses.Contains(address) && _dialedForMembers.TryAdd(address, nodeId))
            {
                _peers.AddPeer(address);
                pending++;
            }
        }
    }
}
