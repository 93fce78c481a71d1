using System.Buffers.Binary;

namespace PeatMesh.Transport;

public sealed partial class MeshConnection
{
    private const double RttGain = 1.0 / 8.0;
    private readonly object _heartbeatGate = new();
    private readonly Dictionary<ulong, long> _outstandingPings = [];
    private ulong _nextNonce = 1;
    private int _missedHeartbeats;
    private double _smoothedRttTicks = -1;
    private TimeSpan? _lastRtt;

    /// <summary>The smoothed round-trip time (EWMA, gain 1/8 as RFC 6298), or <see langword="null"/> before the first pong.</summary>
    public TimeSpan? SmoothedRtt
    {
        get
        {
            lock (_heartbeatGate)
            {
                return _smoothedRttTicks < 0 ? null : TimeSpan.FromTicks((long)_smoothedRttTicks);
            }
        }
    }

    /// <summary>The most recent round-trip sample, or <see langword="null"/> before the first pong.</summary>
    public TimeSpan? LastRtt
    {
        get
        {
            lock (_heartbeatGate)
            {
                return _lastRtt;
            }
        }
    }

    /// <summary>Consecutive heartbeats without an answer.</summary>
    public int MissedHeartbeats => Volatile.Read(ref _missedHeartbeats);

    /// <summary>The link's health from heartbeats (see <see cref="LinkState"/>).</summary>
    public LinkState LinkState
    {
        get
        {
            if (!IsOpen)
            {
                return LinkState.Dead;
            }

            if (MissedHeartbeats >= _options.SuspectAfterMissedHeartbeats)
            {
                return LinkState.Suspect;
            }

            return SmoothedRtt is { } rtt && rtt > _options.DegradedRtt ? LinkState.Degraded : LinkState.Healthy;
        }
    }

    /// <summary>Sends one ping now (besides the periodic heartbeat); the answer updates <see cref="SmoothedRtt"/>.</summary>
    public void SendPing()
    {
        ulong nonce;
        lock (_heartbeatGate)
        {
            nonce = _nextNonce++;
            _outstandingPings[nonce] = _time.GetTimestamp();
        }

        var frame = new byte[9];
        frame[0] = (byte)MuxFrameKind.Ping;
        BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(1), nonce);
        EnqueueControl(frame);
    }

    private async Task HeartbeatLoopAsync()
    {
        var token = _stop.Token;
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _time);
        try
        {
            SendPing();
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                int missed;
                lock (_heartbeatGate)
                {
                    missed = _outstandingPings.Count > 0 ? ++_missedHeartbeats : _missedHeartbeats;
                    if (_outstandingPings.Count > _options.DeadAfterMissedHeartbeats)
                    {
                        _outstandingPings.Remove(_outstandingPings.Keys.Min());
                    }
                }

                if (missed >= _options.DeadAfterMissedHeartbeats)
                {
                    AbortInBackground(new MeshTransportException(MeshTransportError.HeartbeatTimeout,
                        $"{missed} heartbeats in a row went unanswered."));
                    return;
                }

                SendPing();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private void HandlePong(ulong nonce)
    {
        lock (_heartbeatGate)
        {
            if (!_outstandingPings.TryGetValue(nonce, out var sentAt))
            {
                return;
            }

            var rtt = _time.GetElapsedTime(sentAt);
            _metrics?.HeartbeatRoundTrip(rtt);
            _lastRtt = rtt;
            _smoothedRttTicks = _smoothedRttTicks < 0 ? rtt.Ticks : _smoothedRttTicks + (RttGain * (rtt.Ticks - _smoothedRttTicks));
            foreach (var key in _outstandingPings.Keys.Where(k => k <= nonce).ToList())
            {
                _outstandingPings.Remove(key);
            }

            _missedHeartbeats = 0;
        }
    }
}
