namespace PeatMesh.Transport;

/// <summary>
/// Health of a link, from heartbeats (the reference's <c>ConnectionState</c> and <c>HeartbeatConfig</c>).
/// </summary>
public enum LinkState
{
    /// <summary>Heartbeats answered and the smoothed RTT is within <see cref="MeshConnectionOptions.DegradedRtt"/>.</summary>
    Healthy,

    /// <summary>Heartbeats answered but the smoothed RTT exceeds <see cref="MeshConnectionOptions.DegradedRtt"/>.</summary>
    Degraded,

    /// <summary>At least <see cref="MeshConnectionOptions.SuspectAfterMissedHeartbeats"/> heartbeats in a row unanswered.</summary>
    Suspect,

    /// <summary><see cref="MeshConnectionOptions.DeadAfterMissedHeartbeats"/> missed: the connection is closed.</summary>
    Dead,
}
