using System.Net;
using PeatMesh.Discovery.Mdns;

namespace PeatMesh.Tests.Discovery.Mdns;

/// <summary>One host on a <see cref="FakeMdnsNetwork"/>: a single interface <c>fake0</c> (index 1) with one IPv4 address.</summary>
internal sealed class FakeMdnsTransport(FakeMdnsNetwork network, IPAddress address) : IMdnsTransport
{
    private Action<MdnsPacket>? _onPacket;

    public IPAddress Address { get; } = address;

    public IReadOnlyList<MdnsInterface> Interfaces { get; } = [new MdnsInterface(1, "fake0", [address], [], false)];

    public bool IsStarted => _onPacket is not null && !IsDisposed;

    public bool IsDisposed { get; private set; }

    public void Start(Action<MdnsPacket> onPacket) => _onPacket = onPacket;

    public void SendMulticast(byte[] packet, MdnsInterface via) => network.Send(this, packet, null);

    public void SendUnicast(byte[] packet, IPEndPoint destination) => network.Send(this, packet, destination);

    public void Deliver(byte[] packet, IPEndPoint source) => _onPacket?.Invoke(new MdnsPacket(packet, source, 1));

    public ValueTask DisposeAsync()
    {
        IsDisposed = true;
        return ValueTask.CompletedTask;
    }
}
