using System.Net;

namespace PeatMesh.Discovery.Mdns;

/// <summary>The datagram I/O under <see cref="MdnsDiscovery"/>: real UDP sockets, or an in-memory network in tests.</summary>
/// <remarks>
/// Implementations are thread-safe. Sends never throw for network errors (they are logged); the receive callback
/// is invoked serially, one datagram at a time.
/// </remarks>
internal interface IMdnsTransport : IAsyncDisposable
{
    /// <summary>The interfaces joined to the mDNS group.</summary>
    IReadOnlyList<MdnsInterface> Interfaces { get; }

    /// <summary>Starts delivering received datagrams to <paramref name="onPacket"/>.</summary>
    void Start(Action<MdnsPacket> onPacket);

    /// <summary>Sends <paramref name="packet"/> to the mDNS group through <paramref name="via"/>.</summary>
    void SendMulticast(byte[] packet, MdnsInterface via);

    /// <summary>Sends <paramref name="packet"/> to one host (QU and legacy unicast replies), from the mDNS port.</summary>
    void SendUnicast(byte[] packet, IPEndPoint destination);
}
