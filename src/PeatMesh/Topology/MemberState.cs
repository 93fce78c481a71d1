namespace PeatMesh.Topology;

/// <summary>
/// How a formation member looks from this node (the reference's <c>ConnectionState</c> extended to members we
/// only know through others).
/// </summary>
public enum MemberState
{
    /// <summary>This node.</summary>
    Self,

    /// <summary>Directly connected; heartbeats answered; RTT within the degraded threshold.</summary>
    Healthy,

    /// <summary>Directly connected; heartbeats answered but slow.</summary>
    Degraded,

    /// <summary>
    /// Directly connected with missed heartbeats, or not connected but heard from (directly or through a peer)
    /// within the dead threshold.
    /// </summary>
    Suspect,

    /// <summary>Not heard from for longer than the dead threshold (4 heartbeat intervals by default).</summary>
    Dead,

    /// <summary>Reachable through other members only (hops ≥ 2).</summary>
    Relayed,
}
