using System.Net;
using PeatMesh.Discovery.Mdns;

namespace PeatMesh.Tests.Discovery.Mdns;

/// <summary>A datagram that crossed the fake network: who sent it, to whom (null = the mDNS group), when.</summary>
internal sealed record SentDatagram(IPAddress From, IPEndPoint? To, byte[] Bytes, DateTimeOffset At)
{
    /// <summary>The parsed message.</summary>
    public DnsMessage Message => DnsMessage.Parse(Bytes);

    /// <summary>Whether it went to the mDNS group.</summary>
    public bool IsMulticast => To is null;
}
