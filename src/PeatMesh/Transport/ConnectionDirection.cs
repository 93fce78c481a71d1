namespace PeatMesh.Transport;

/// <summary>Which side opened a connection.</summary>
public enum ConnectionDirection
{
    /// <summary>We dialled the peer (we were the Noise initiator).</summary>
    Outbound,

    /// <summary>The peer dialled us.</summary>
    Inbound,
}
