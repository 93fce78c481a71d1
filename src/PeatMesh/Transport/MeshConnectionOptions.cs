namespace PeatMesh.Transport;

/// <summary>
/// Limits and timings of one multiplexed mesh connection.
/// </summary>
/// <remarks>Set before the connection starts; not thread-safe to mutate afterwards.</remarks>
public sealed class MeshConnectionOptions
{
    /// <summary>
    /// How long to wait for the peer's hello after the secure handshake. Defaults to 10 seconds.
    /// </summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Interval between heartbeat pings. Defaults to 5 seconds (the reference's <c>HeartbeatConfig::default</c>).
    /// <see cref="Timeout.InfiniteTimeSpan"/> disables heartbeats.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive unanswered heartbeats before the link is <see cref="LinkState.Suspect"/>. Defaults to 2.</summary>
    public int SuspectAfterMissedHeartbeats { get; set; } = 2;

    /// <summary>Consecutive unanswered heartbeats before the connection is closed as dead. Defaults to 4.</summary>
    public int DeadAfterMissedHeartbeats { get; set; } = 4;

    /// <summary>Smoothed RTT above which a link is <see cref="LinkState.Degraded"/>. Defaults to 1 second.</summary>
    public TimeSpan DegradedRtt { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Messages each protocol may queue per direction before senders wait (outbound) or the connection
    /// stops reading from the socket (inbound). Defaults to 256. The bound gives backpressure instead of
    /// unbounded memory growth.
    /// </summary>
    public int ProtocolQueueCapacity { get; set; } = 256;

    /// <summary>
    /// Largest message one protocol may send or receive (messages are fragmented across channel
    /// messages and reassembled), in bytes. Defaults to 17 MiB: a 16 MiB sync frame plus headers.
    /// </summary>
    public int MaxMessageSize { get; set; } = 17 * 1024 * 1024;

    /// <summary>How long a graceful close waits for the goodbye frame to be written. Defaults to 1 second.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HelloTimeout, TimeSpan.Zero, nameof(HelloTimeout));
        if (HeartbeatInterval != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(SuspectAfterMissedHeartbeats, 1, nameof(SuspectAfterMissedHeartbeats));
        ArgumentOutOfRangeException.ThrowIfLessThan(DeadAfterMissedHeartbeats, SuspectAfterMissedHeartbeats, nameof(DeadAfterMissedHeartbeats));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DegradedRtt, TimeSpan.Zero, nameof(DegradedRtt));
        ArgumentOutOfRangeException.ThrowIfLessThan(ProtocolQueueCapacity, 1, nameof(ProtocolQueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageSize, 1024, nameof(MaxMessageSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(CloseTimeout, TimeSpan.Zero, nameof(CloseTimeout));
    }
}
