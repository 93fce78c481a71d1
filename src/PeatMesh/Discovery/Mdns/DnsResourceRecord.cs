using System.Globalization;

namespace PeatMesh.Discovery.Mdns;

/// <summary>A resource record: owner name, class, TTL and typed data (RFC 1035 §4.1.3).</summary>
/// <remarks>Immutable; thread-safe. Record equality compares every field including <see cref="Ttl"/>; use
/// <see cref="HasSameData"/> for "the same record" in the DNS sense (RFC 6762 §7.1, §10.2).</remarks>
/// <param name="Name">The owner name.</param>
/// <param name="Data">The type-specific data; its <see cref="DnsRecordData.Type"/> is the record's type.</param>
/// <param name="Ttl">Time to live in seconds (RFC 1035 §3.2.1); 0 is an mDNS goodbye (RFC 6762 §10.1).</param>
/// <param name="CacheFlush">The cache-flush bit: this is the whole unique RRset (RFC 6762 §10.2).</param>
/// <param name="Class">The class without the cache-flush bit; defaults to <see cref="DnsClass.Internet"/>.</param>
public sealed record DnsResourceRecord(DnsName Name, DnsRecordData Data, uint Ttl, bool CacheFlush = false, ushort Class = DnsClass.Internet)
{
    /// <summary>The record type (from <see cref="Data"/>).</summary>
    public DnsRecordType Type => Data.Type;

    /// <summary>Whether <paramref name="other"/> is the same record: name, type, class and data equal (TTL and cache-flush ignored).</summary>
    public bool HasSameData(DnsResourceRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Class == other.Class && Type == other.Type && Name == other.Name && Data.Equals(other.Data);
    }

    /// <summary>Whether <paramref name="other"/> has the same name, type and class (the same RRset).</summary>
    public bool IsSameRRset(DnsResourceRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Class == other.Class && Type == other.Type && Name == other.Name;
    }

    /// <summary><c>name TTL TYPE data</c>, with <c>flush</c> when the cache-flush bit is set.</summary>
    public override string ToString() =>
        $"{Name} {Ttl.ToString(CultureInfo.InvariantCulture)}{(CacheFlush ? " flush" : string.Empty)} {Type} {Data}";
}
