using PeatMesh.Transport;

namespace PeatMesh.Topology;

public sealed partial class MeshPeerManager
{
    private async Task DialLoopAsync(PeerAddress address, CancellationToken token)
    {
        try
        {
            await DialUntilStoppedAsync(address, token).ConfigureAwait(false);
        }
        catch (Exception e) when (token.IsCancellationRequested && e is OperationCanceledException or MeshTransportException or IOException)
        {
            // Stopping (node stop or RemovePeer): an in-flight dial or wait ends with one of these.
        }
    }

    private async Task DialUntilStoppedAsync(PeerAddress address, CancellationToken token)
    {
        var failures = 0;
        while (!token.IsCancellationRequested)
        {
            // If the device behind this address is already connected (either direction), wait for that connection to end.
            if (_addressOwners.TryGetValue(address, out var owner) && TryGetConnection(owner, out var existing))
            {
                await existing.Completion.WaitAsync(token).ConfigureAwait(false);
                continue;
            }

            MeshConnection? active = null;
            try
            {
                active = await DialOnceAsync(address, token).ConfigureAwait(false);
            }
            catch (Exception e) when (!token.IsCancellationRequested
                                      && e is MeshTransportException or IOException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                failures++;
                var delay = BackoffDelay(failures);
                TopologyLog.DialFailed(_logger, address, failures, delay.TotalSeconds, e.Message);
                await Task.Delay(delay, _time, token).ConfigureAwait(false);
                continue;
            }

            if (active is null)
            {
                TopologyLog.SelfAddress(_logger, address);
                return;
            }

            failures = 0;
            _addressOwners[address] = active.RemoteDeviceId;
            await active.Completion.WaitAsync(token).ConfigureAwait(false);

            // Give the other side a moment to notice too, and avoid a hot loop against a peer that accepts then drops.
            await Task.Delay(BackoffDelay(1) / 4, _time, token).ConfigureAwait(false);
        }
    }

    /// <summary>The backoff before retry <paramref name="attempt"/>; dial loops run concurrently, so the shared Random is locked.</summary>
    private TimeSpan BackoffDelay(int attempt)
    {
        lock (_random)
        {
            return _options.Reconnection.DelayFor(attempt, _random);
        }
    }

    /// <summary>Dials once; returns the peer's active connection, or null when the address is this node.</summary>
    private async Task<MeshConnection?> DialOnceAsync(PeerAddress address, CancellationToken token)
    {
        using var timeout = new CancellationTokenSource(_options.DialTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, token);
        var (channel, remote) = await _transport.DialAsync(address, linked.Token).ConfigureAwait(false);
        var connection = await EstablishAsync(channel, ConnectionDirection.Outbound, remote).ConfigureAwait(false);
        return connection is null ? null : Register(connection);
    }
}
