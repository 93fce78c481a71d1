namespace PeatMesh.Topology;

/// <summary>
/// Decides whether a peer's claimed node id belongs to the identity key it authenticated with.
/// The node's implementation re-derives the device key from the formation secret and the node id
/// (decision 1), so a member cannot claim another member's node id.
/// </summary>
/// <remarks>Implementations must be thread-safe.</remarks>
public interface IPeerIdentityVerifier
{
    /// <summary>Whether <paramref name="identityKey"/> is the identity of node <paramref name="nodeId"/>.</summary>
    bool Verify(string nodeId, ReadOnlySpan<byte> identityKey);
}
