namespace PeatMesh.Discovery.Mdns;

/// <summary>The type-specific data (RDATA) of a resource record.</summary>
/// <remarks>Immutable; thread-safe. Equality is by content (names compared ASCII case-insensitively).</remarks>
public abstract record DnsRecordData
{
    private protected DnsRecordData()
    {
    }

    /// <summary>The record type this data belongs to.</summary>
    public abstract DnsRecordType Type { get; }

    /// <summary>
    /// The uncompressed wire form of the data, as used by the simultaneous-probe tiebreak (RFC 6762 §8.2: "raw
    /// uncompressed rdata").
    /// </summary>
    public byte[] ToCanonicalBytes()
    {
        var writer = new DnsWireWriter(compressionTable: false, initialCapacity: 64);
        Write(writer, compressNames: false);
        return writer.ToArray();
    }

    /// <summary>Writes the data (without the RDLENGTH prefix).</summary>
    /// <param name="writer">Destination.</param>
    /// <param name="compressNames">Whether names inside the data may use compression pointers.</param>
    internal abstract void Write(DnsWireWriter writer, bool compressNames);
}
