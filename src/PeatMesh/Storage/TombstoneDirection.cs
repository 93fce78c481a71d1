namespace PeatMesh.Storage;

/// <summary>How a tombstone propagates (the reference's <c>PropagationDirection</c>; wire byte values).</summary>
public enum TombstoneDirection : byte
{
    /// <summary>To every peer in both directions (default).</summary>
    Bidirectional = 0x00,

    /// <summary>Only up the hierarchy.</summary>
    UpOnly = 0x01,

    /// <summary>Only down the hierarchy.</summary>
    DownOnly = 0x02,

    /// <summary>To the whole formation.</summary>
    SystemWide = 0x03,
}
