namespace PeatMesh.Discovery.Mdns;

/// <summary>The sections of a DNS message, in wire order (RFC 1035 §4.1).</summary>
internal enum DnsSection
{
    /// <summary>Questions.</summary>
    Question,

    /// <summary>Answer records.</summary>
    Answer,

    /// <summary>Authority records (mDNS probes carry their proposed records here, RFC 6762 §8.2).</summary>
    Authority,

    /// <summary>Additional records.</summary>
    Additional,
}
