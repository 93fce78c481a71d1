namespace PeatMesh.Discovery;

/// <summary>A change in what a discovery strategy knows.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="Kind">Found, updated or lost.</param>
/// <param name="Peer">The peer as now known (for <see cref="DiscoveryEventKind.Lost"/>: as last known).</param>
public sealed record DiscoveryEvent(DiscoveryEventKind Kind, DiscoveredPeer Peer);
