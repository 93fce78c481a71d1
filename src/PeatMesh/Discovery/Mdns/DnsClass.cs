namespace PeatMesh.Discovery.Mdns;

/// <summary>DNS class values (RFC 1035 §3.2.4) and the mDNS use of the class field's top bit (RFC 6762 §10.2, §18.12).</summary>
public static class DnsClass
{
    /// <summary>The Internet class, the only one mDNS uses.</summary>
    public const ushort Internet = 1;

    /// <summary>QCLASS * (any class), accepted in questions.</summary>
    public const ushort Any = 255;

    /// <summary>
    /// The class field's top bit: in a question it asks for a unicast response (the QU bit, RFC 6762 §5.4); in a
    /// record it is the cache-flush bit (RFC 6762 §10.2).
    /// </summary>
    public const ushort TopBit = 0x8000;
}
