using System.Globalization;

namespace PeatMesh.Discovery.Mdns;

/// <summary>The data of an SRV record (RFC 2782): where a service instance listens (RFC 6763 §5).</summary>
/// <remarks>Immutable; thread-safe. The target is never compressed on write (RFC 2782; RFC 6762 §6.7 for legacy unicast).</remarks>
/// <param name="Priority">Lower is preferred; DNS-SD uses 0.</param>
/// <param name="Weight">Relative weight among equal priorities; DNS-SD uses 0.</param>
/// <param name="Port">The service's port (for Peat, the mesh TCP port).</param>
/// <param name="Target">The host name whose A/AAAA records give the addresses.</param>
public sealed record SrvRecordData(ushort Priority, ushort Weight, ushort Port, DnsName Target) : DnsRecordData
{
    /// <inheritdoc />
    public override DnsRecordType Type => DnsRecordType.Srv;

    /// <summary><c>priority weight port target</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Priority} {Weight} {Port} {Target}");

    /// <inheritdoc />
    internal override void Write(DnsWireWriter writer, bool compressNames)
    {
        writer.WriteUInt16(Priority);
        writer.WriteUInt16(Weight);
        writer.WriteUInt16(Port);
        writer.WriteName(Target, usePointers: false);
    }
}
