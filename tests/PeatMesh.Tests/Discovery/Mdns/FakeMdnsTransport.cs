using System.Net;
using PeatMesh.Discovery.Mdns;

namespace PeatMesh.Tests.Discovery.Mdns;

/// <summary>
/// One host on a <see cref="FakeMdnsNetwork"/>: one interface per address (<c>fake0</c>, <c>fake1</c>…, indexes from
/// 1), all on the same link.
/// </summary>
internal sealed class FakeMdnsTransport : IMdnsTransport
{
    private readonly FakeMdnsNetwork _network;
    private Action<MdnsPacket>? _onPacket;

    public FakeMdnsTransport(FakeMdnsNetwork network, IReadOnlyList<IPAddress> addresses)
    {
        _network = network;
        Interfaces = [.. addresses.Select((a, i) => new MdnsInterface(i + 1, "fake" + i, [a], [], false))];
    }

    public IPAddress Address => Interfaces[0].IPv4Addresses[0];

    public IReadOnlyList<MdnsInterface> Interfaces { get; }

    public bool IsStarted => _onPacket is not null && !IsDisposed;

    public bool IsDisposed { get; private set; }

    public bool Owns(IPAddress address) => Interfaces.Any(n => n.IPv4Addresses[0].Equals(address));

    public void Start(Action<MdnsPacket> onPacket) => _onPacket = onPacket;

    public void SendMulticast(byte[] packet, MdnsInterface via) => _network.Send(this, via.IPv4Addresses[0], packet, null);

    public void SendUnicast(byte[] packet, IPEndPoint destination) => _network.Send(this, Address, packet, destination);

    /// <summary>Delivers a datagram on every interface (multicast) or on the one holding the destination (unicast).</summary>
    public void Deliver(byte[] packet, IPEndPoint source, IPEndPoint? destination)
    {
        foreach (var nic in Interfaces)
        {
            if (destination is null || nic.IPv4Addresses[0].Equals(destination.Address))
            {
                _onPacket?.Invoke(new MdnsPacket(packet, source, nic.Index));
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        IsDisposed = true;
        return ValueTask.CompletedTask;
    }
}
