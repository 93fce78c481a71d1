using PeatMesh.Transport;

namespace PeatMesh.Discovery;

/// <summary>
/// A peer some discovery strategy knows of (the reference's <c>PeerInfo</c>): its node id and the mesh
/// addresses it can be dialled at.
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="NodeId">The peer's node id (its HOSTNAME; the pod name in Kubernetes).</param>
/// <param name="Addresses">Dialable mesh addresses, best first.</param>
/// <param name="Source">The strategy that found it: <c>static</c>, <c>mdns</c>, <c>kubernetes</c>.</param>
/// <param name="Metadata">Strategy-specific facts (mDNS TXT entries, Kubernetes annotations), possibly empty.</param>
public sealed record DiscoveredPeer(
    string NodeId,
    IReadOnlyList<PeerAddress> Addresses,
    string Source,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Value equality including the address list and metadata contents.</summary>
    public bool Equals(DiscoveredPeer? other) => other is not null
        && NodeId == other.NodeId && Source == other.Source
        && Addresses.SequenceEqual(other.Addresses)
        && Metadata.Count == other.Metadata.Count
        && Metadata.All(kv => other.Metadata.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(NodeId, Source, Addresses.Count);
}
