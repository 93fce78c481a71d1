using System.Net;
using Microsoft.Extensions.Logging;
using PeatMesh.Transport;

namespace PeatMesh.Topology;

public sealed partial class MeshPeerManager
{
    private async Task AcceptAsync(IMessageChannel channel, EndPoint? remote)
    {
        try
        {
            var connection = await EstablishAsync(channel, ConnectionDirection.Inbound, remote).ConfigureAwait(false);
            if (connection is not null)
            {
                Register(connection);
            }
        }
        catch (Exception e) when (e is MeshTransportException or OperationCanceledException or IOException)
        {
            TopologyLog.InboundRejected(_logger, remote, e.Message);
        }
    }

    /// <summary>Exchanges hellos and verifies the peer; returns null (and closes) for a self-connection.</summary>
    private async Task<MeshConnection?> EstablishAsync(IMessageChannel channel, ConnectionDirection direction, EndPoint? remote)
    {
        using var timeout = new CancellationTokenSource(_options.DialTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token);
        var connection = await MeshConnection.EstablishAsync(channel, _localHello!, direction, remote, _options.Connection, _time, _logger,
            _metrics, linked.Token).ConfigureAwait(false);
        if (connection.RemoteDeviceId == _localDeviceId)
        {
            await connection.CloseAsync("self").ConfigureAwait(false);
            return null;
        }

        if (!_verifier.Verify(connection.RemoteNodeId, connection.RemoteIdentityKey.Span))
        {
            await connection.CloseAsync("node id does not match identity").ConfigureAwait(false);
            throw new MeshTransportException(MeshTransportError.AuthenticationFailed,
                $"Peer claiming node id '{connection.RemoteNodeId}' authenticated with a different identity.");
        }

        return connection;
    }

    /// <summary>Makes <paramref name="connection"/> the peer's active connection unless a preferred one exists.</summary>
    /// <returns>The peer's active connection after the decision.</returns>
    private MeshConnection Register(MeshConnection connection)
    {
        MeshConnection? superseded = null;
        MeshConnection winner;
        bool firstForPeer;
        lock (_gate)
        {
            if (_disposed != 0)
            {
                _ = connection.CloseAsync("node stopping");
                return connection;
            }

            if (_connections.TryGetValue(connection.RemoteDeviceId, out var existing) && existing.IsOpen)
            {
                if (Prefer(connection, existing))
                {
                    superseded = existing;
                    winner = connection;
                }
                else
                {
                    winner = existing;
                }
            }
            else
            {
                winner = connection;
            }

            firstForPeer = superseded is null && winner == connection;
            if (winner == connection)
            {
                _connections = _connections.SetItem(connection.RemoteDeviceId, connection);
            }
        }

        if (winner != connection)
        {
            _ = connection.CloseAsync("duplicate connection");
            return winner;
        }

        var closedHandler = connection.Completion.ContinueWith(_ => OnClosed(connection), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _closedHandlers[connection] = closedHandler;
        _ = closedHandler.ContinueWith(done => _closedHandlers.TryRemove(KeyValuePair.Create(connection, done)), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default); // also when it already ran
        if (superseded is not null)
        {
            Raise(ConnectionClosed, superseded);
            _ = superseded.CloseAsync("superseded by a newer connection");
        }

        if (firstForPeer)
        {
            var info = PeerInfo.From(connection);
            TopologyLog.PeerConnected(_logger, info.NodeId, info.DeviceId, info.Direction, info.Address);
            Raise(PeerConnected, info);
        }

        Raise(ConnectionOpened, connection);
        return connection;
    }

    /// <summary>
    /// The tie-break: prefer the connection initiated by the peer with the smaller device id; between two
    /// connections with the same initiator, prefer the newer one.
    /// </summary>
    private bool Prefer(MeshConnection candidate, MeshConnection existing)
    {
        var candidateInitiator = candidate.Direction == ConnectionDirection.Outbound ? _localDeviceId : candidate.RemoteDeviceId;
        var existingInitiator = existing.Direction == ConnectionDirection.Outbound ? _localDeviceId : existing.RemoteDeviceId;
        return candidateInitiator == existingInitiator || candidateInitiator < existingInitiator;
    }

    private void OnClosed(MeshConnection connection)
    {
        bool removed;
        lock (_gate)
        {
            removed = _connections.TryGetValue(connection.RemoteDeviceId, out var active) && active == connection;
            if (removed)
            {
                _connections = _connections.Remove(connection.RemoteDeviceId);
            }
        }

        if (!removed)
        {
            return;
        }

        var reason = connection.CloseReason?.Message ?? "closed";
        TopologyLog.PeerDisconnected(_logger, connection.RemoteNodeId, connection.RemoteDeviceId, reason);
        Raise(ConnectionClosed, connection);
        Raise(PeerDisconnected, PeerInfo.From(connection), reason);
    }

    private void Raise<T>(Action<T>? handler, T argument) =>
        Internal.EventHandlers.Raise(handler, argument, e => TopologyLog.HandlerFailed(_logger, e));

    private void Raise<T1, T2>(Action<T1, T2>? handler, T1 first, T2 second) =>
        Internal.EventHandlers.Raise(handler, first, second, e => TopologyLog.HandlerFailed(_logger, e));
}
