using System.Net;
using System.Net.Sockets;

namespace PeatMesh.Discovery.Mdns;

/// <summary>The data of an A (IPv4, RFC 1035 §3.4.1) or AAAA (IPv6, RFC 3596 §2.2) record.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed record AddressRecordData : DnsRecordData
{
    /// <summary>Creates address data; the record type follows the address family.</summary>
    /// <param name="address">An IPv4 or IPv6 address (an IPv6 scope id is not part of the record and is dropped).</param>
    /// <exception cref="ArgumentException">Neither IPv4 nor IPv6.</exception>
    public AddressRecordData(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Address = address.AddressFamily switch
        {
            AddressFamily.InterNetwork => address,
            AddressFamily.InterNetworkV6 => new IPAddress(address.GetAddressBytes()),
            _ => throw new ArgumentException($"Not an IPv4 or IPv6 address: {address.AddressFamily}.", nameof(address)),
        };
    }

    /// <summary>The address.</summary>
    public IPAddress Address { get; }

    /// <inheritdoc />
    public override DnsRecordType Type => Address.AddressFamily == AddressFamily.InterNetwork ? DnsRecordType.A : DnsRecordType.Aaaa;

    /// <summary>The address in text form.</summary>
    public override string ToString() => Address.ToString();

    /// <inheritdoc />
    internal override void Write(DnsWireWriter writer, bool compressNames)
    {
        Span<byte> bytes = stackalloc byte[16];
        Address.TryWriteBytes(bytes, out var written);
        writer.WriteBytes(bytes[..written]);
    }
}
