namespace PeatMesh.Discovery.Mdns;

/// <summary>The data of a record type this codec does not interpret, kept as raw bytes (RFC 3597 §2).</summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed record UnknownRecordData : DnsRecordData
{
    private readonly ushort _type;

    /// <summary>Creates raw data for <paramref name="type"/>.</summary>
    /// <param name="type">The record type code.</param>
    /// <param name="data">The data bytes (at most 65535).</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is longer than 65535 bytes.</exception>
    public UnknownRecordData(ushort type, ReadOnlyMemory<byte> data)
    {
        if (data.Length > ushort.MaxValue)
        {
            throw new ArgumentException("Record data is limited to 65535 bytes.", nameof(data));
        }

        _type = type;
        Data = data;
    }

    /// <summary>The raw data bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <inheritdoc />
    public override DnsRecordType Type => (DnsRecordType)_type;

    /// <summary>Equality by type and bytes.</summary>
    public bool Equals(UnknownRecordData? other) => other is not null && other._type == _type && other.Data.Span.SequenceEqual(Data.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_type, Data.Length);

    /// <summary>RFC 3597 generic form: <c>\# length hex</c>.</summary>
    public override string ToString() => $"\\# {Data.Length} {Convert.ToHexString(Data.Span)}";

    /// <inheritdoc />
    internal override void Write(DnsWireWriter writer, bool compressNames) => writer.WriteBytes(Data.Span);
}
