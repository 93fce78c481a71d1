namespace PeatMesh.Discovery.Mdns;

/// <summary>Where the advertisement of this node stands (RFC 6762 §8).</summary>
public enum MdnsResponderState
{
    /// <summary>Not started.</summary>
    Idle,

    /// <summary>Probing the instance and host names for conflicts (three probes 250 ms apart, §8.1).</summary>
    Probing,

    /// <summary>The names are ours; unsolicited announcements are being sent (§8.3). Queries are answered.</summary>
    Announcing,

    /// <summary>Announcements done; answering queries.</summary>
    Announced,

    /// <summary>Stopped; goodbyes were sent if the names had been announced.</summary>
    Stopped,
}
