namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// The data of an NSEC record (RFC 4034 §4) in its mDNS use (RFC 6762 §6.1): the types that exist at the owner
/// name, so that the absence of the others is asserted. mDNS sets the next name to the owner name itself.
/// </summary>
/// <remarks>Immutable; thread-safe. The type list is kept sorted and without duplicates.</remarks>
public sealed record NsecRecordData : DnsRecordData
{
    private readonly DnsRecordType[] _types;

    /// <summary>Creates NSEC data.</summary>
    /// <param name="nextName">The next domain name (in mDNS, the owner name).</param>
    /// <param name="types">The types present at the owner name.</param>
    public NsecRecordData(DnsName nextName, IEnumerable<DnsRecordType> types)
    {
        ArgumentNullException.ThrowIfNull(nextName);
        ArgumentNullException.ThrowIfNull(types);
        NextName = nextName;
        _types = [.. types.Distinct().Order()];
    }

    /// <summary>The next domain name.</summary>
    public DnsName NextName { get; }

    /// <summary>The types present at the owner name, ascending.</summary>
    public IReadOnlyList<DnsRecordType> Types => _types;

    /// <inheritdoc />
    public override DnsRecordType Type => DnsRecordType.Nsec;

    /// <summary>Equality by next name and type set.</summary>
    public bool Equals(NsecRecordData? other) => other is not null && NextName == other.NextName && _types.SequenceEqual(other._types);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(NextName, _types.Length);

    /// <summary><c>next-name TYPE TYPE…</c>.</summary>
    public override string ToString() => NextName + " " + string.Join(' ', _types);

    /// <inheritdoc />
    internal override void Write(DnsWireWriter writer, bool compressNames)
    {
        // RFC 4034 §4.1.1: the next name is not compressed; §4.1.2: type bitmaps by 256-type window.
        writer.WriteName(NextName, usePointers: false);
        Span<byte> bitmap = stackalloc byte[32];
        foreach (var window in _types.GroupBy(t => (ushort)t >> 8))
        {
            bitmap.Clear();
            var length = 0;
            foreach (var type in window)
            {
                var low = (ushort)type & 0xFF;
                bitmap[low >> 3] |= (byte)(0x80 >> (low & 7));
                length = Math.Max(length, (low >> 3) + 1);
            }

            writer.WriteByte((byte)window.Key);
            writer.WriteByte((byte)length);
            writer.WriteBytes(bitmap[..length]);
        }
    }
}
