using System.Net;
using PeatMesh.Testing;

namespace PeatMesh.Tests.Discovery.Mdns;

/// <summary>
/// An in-memory link: multicast reaches every started host (the sender too, like IP_MULTICAST_LOOP), unicast reaches
/// the host with that address. Datagrams queue until <see cref="Pump"/>; every one is recorded in <see cref="Sent"/>.
/// </summary>
internal sealed class FakeMdnsNetwork(ManualTimeProvider clock)
{
    public const int MdnsPort = 5353;

    private readonly List<FakeMdnsTransport> _hosts = [];
    private readonly Queue<(SentDatagram Datagram, IPEndPoint Source)> _queue = new();

    /// <summary>Every datagram sent or injected, in order.</summary>
    public List<SentDatagram> Sent { get; } = [];

    /// <summary>Datagrams for which this returns true are recorded but not delivered (a crashed or unplugged host).</summary>
    public Func<SentDatagram, bool>? Drop { get; set; }

    /// <summary>Adds a host with one interface per address, all on this link.</summary>
    public FakeMdnsTransport AddHost(params string[] addresses)
    {
        var host = new FakeMdnsTransport(this, [.. addresses.Select(IPAddress.Parse)]);
        _hosts.Add(host);
        return host;
    }

    /// <summary>Queues a datagram from outside the hosts (a scripted peer): multicast, or to <paramref name="to"/>.</summary>
    public void Inject(byte[] packet, IPEndPoint from, IPEndPoint? to = null)
    {
        var datagram = new SentDatagram(from.Address, to, packet, clock.GetUtcNow());
        Sent.Add(datagram);
        _queue.Enqueue((datagram, from));
    }

    /// <summary>Delivers queued datagrams (and those their delivery causes) until none is left.</summary>
    /// <exception cref="InvalidOperationException">More than 100 000 deliveries: a packet storm.</exception>
    public void Pump()
    {
        var deliveries = 0;
        while (_queue.TryDequeue(out var item))
        {
            if (++deliveries > 100_000)
            {
                throw new InvalidOperationException("Packet storm on the fake mDNS network.");
            }

            if (Drop?.Invoke(item.Datagram) == true)
            {
                continue;
            }

            foreach (var host in _hosts.ToList())
            {
                if (host.IsStarted && (item.Datagram.To is null || host.Owns(item.Datagram.To.Address)))
                {
                    host.Deliver(item.Datagram.Bytes, item.Source, item.Datagram.To);
                }
            }
        }
    }

    internal void Send(FakeMdnsTransport from, IPAddress source, byte[] packet, IPEndPoint? to)
    {
        if (from.IsDisposed)
        {
            return;
        }

        var datagram = new SentDatagram(source, to, packet, clock.GetUtcNow());
        Sent.Add(datagram);
        _queue.Enqueue((datagram, new IPEndPoint(source, MdnsPort)));
    }
}
