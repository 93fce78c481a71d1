namespace PeatMesh.Topology;

/// <summary>Peer exchange, membership and partition detection options.</summary>
/// <remarks>Set before start; not thread-safe to mutate afterwards.</remarks>
public sealed class MembershipOptions
{
    /// <summary>
    /// How often each node sends its member list to every connected peer (besides immediately on connect and
    /// on change). Defaults to 5 seconds (the reference's heartbeat interval).
    /// </summary>
    public TimeSpan GossipInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a path learned through a peer stays valid without being repeated. Defaults to 3 gossip intervals (15 s).</summary>
    public TimeSpan RouteTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest path kept, in hops. Defaults to 16; bounds count-to-infinity after a departure.</summary>
    public int MaxHops { get; set; } = 16;

    /// <summary>
    /// How many peers this node keeps connections to: while fewer are connected, it dials members learned
    /// through peer exchange, nearest first. Defaults to 8. 0 dials only configured/discovered peers.
    /// </summary>
    public int ConnectionTarget { get; set; } = 8;

    /// <summary>
    /// Time without news after which an unreachable member is forgotten (and stops counting towards a
    /// partition). Defaults to 10 minutes.
    /// </summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Heartbeat interval of connections; member health thresholds are multiples of it. Defaults to 5 seconds.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Missed heartbeat intervals after which an unheard member is <see cref="MemberState.Suspect"/>. Defaults to 2.</summary>
    public int SuspectAfterMissed { get; set; } = 2;

    /// <summary>Missed heartbeat intervals after which an unheard member is <see cref="MemberState.Dead"/>. Defaults to 4.</summary>
    public int DeadAfterMissed { get; set; } = 4;

    /// <summary>Largest peer-exchange message accepted, in bytes. Defaults to 256 KiB.</summary>
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>Most members accepted in one peer-exchange message. Defaults to 1,024.</summary>
    public int MaxMembers { get; set; } = 1024;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(GossipInterval, TimeSpan.Zero, nameof(GossipInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(RouteTtl, GossipInterval, nameof(RouteTtl));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHops, 2, nameof(MaxHops));
        ArgumentOutOfRangeException.ThrowIfLessThan(ConnectionTarget, 0, nameof(ConnectionTarget));
        ArgumentOutOfRangeException.ThrowIfLessThan(ForgetAfter, RouteTtl, nameof(ForgetAfter));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(SuspectAfterMissed, 1, nameof(SuspectAfterMissed));
        ArgumentOutOfRangeException.ThrowIfLessThan(DeadAfterMissed, SuspectAfterMissed, nameof(DeadAfterMissed));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageBytes, 1024, nameof(MaxMessageBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMembers, 1, nameof(MaxMembers));
    }
}
