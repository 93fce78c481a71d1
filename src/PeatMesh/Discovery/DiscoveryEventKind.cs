namespace PeatMesh.Discovery;

/// <summary>What changed about a discovered peer (the reference's <c>DiscoveryEvent</c>).</summary>
public enum DiscoveryEventKind
{
    /// <summary>A peer became known.</summary>
    Found,

    /// <summary>A known peer's addresses or metadata changed.</summary>
    Updated,

    /// <summary>A peer is gone (goodbye, TTL expiry, endpoint deleted or not ready).</summary>
    Lost,
}
