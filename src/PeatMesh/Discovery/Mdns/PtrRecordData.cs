namespace PeatMesh.Discovery.Mdns;

/// <summary>The data of a PTR record (RFC 1035 §3.3.12): in DNS-SD, a service instance name (RFC 6763 §4.1).</summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="Target">The name pointed to.</param>
public sealed record PtrRecordData(DnsName Target) : DnsRecordData
{
    /// <inheritdoc />
    public override DnsRecordType Type => DnsRecordType.Ptr;

    /// <summary>The target name.</summary>
    public override string ToString() => Target.ToString();

    /// <inheritdoc />
    internal override void Write(DnsWireWriter writer, bool compressNames) => writer.WriteName(Target, compressNames);
}
