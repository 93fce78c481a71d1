namespace PeatMesh.Discovery.Mdns;

/// <summary>DNS resource record types used by mDNS/DNS-SD (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 4034).</summary>
/// <remarks>Other 16-bit type values may appear on the wire; they are carried as <see cref="UnknownRecordData"/>.</remarks>
public enum DnsRecordType : ushort
{
    /// <summary>IPv4 host address (RFC 1035 §3.4.1).</summary>
    A = 1,

    /// <summary>Domain name pointer (RFC 1035 §3.3.12); DNS-SD browse records.</summary>
    Ptr = 12,

    /// <summary>Text strings (RFC 1035 §3.3.14); DNS-SD <c>key=value</c> metadata (RFC 6763 §6).</summary>
    Txt = 16,

    /// <summary>IPv6 host address (RFC 3596 §2).</summary>
    Aaaa = 28,

    /// <summary>Service location: priority, weight, port, target host (RFC 2782).</summary>
    Srv = 33,

    /// <summary>Next secure record; mDNS uses it to assert that other types do not exist (RFC 4034 §4, RFC 6762 §6.1).</summary>
    Nsec = 47,

    /// <summary>Question type matching every record type of a name (RFC 1035 §3.2.3, QTYPE *); used by probes (RFC 6762 §8.1).</summary>
    Any = 255,
}
