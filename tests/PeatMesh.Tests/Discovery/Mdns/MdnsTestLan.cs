using System.Net;
using PeatMesh.Discovery;
using PeatMesh.Discovery.Mdns;
using PeatMesh.Security;
using PeatMesh.Testing;

namespace PeatMesh.Tests.Discovery.Mdns;

/// <summary>
/// A fake LAN on a manual clock: <see cref="StartNodeAsync"/> puts an <see cref="MdnsDiscovery"/> on it (seeded
/// randomness), <see cref="Run"/> moves time in 10 ms steps delivering datagrams between steps.
/// </summary>
internal sealed class MdnsTestLan : IAsyncDisposable
{
    public static readonly IPEndPoint Outsider = new(IPAddress.Parse("10.0.0.99"), FakeMdnsNetwork.MdnsPort);

    private readonly List<MdnsDiscovery> _nodes = [];

    public MdnsTestLan()
    {
        Network = new FakeMdnsNetwork(Clock);
        Start = Clock.GetUtcNow();
    }

    public ManualTimeProvider Clock { get; } = new();

    public FakeMdnsNetwork Network { get; }

    public DateTimeOffset Start { get; }

    /// <summary>Time since the LAN was created.</summary>
    public TimeSpan Elapsed => Clock.GetUtcNow() - Start;

    public static DeviceId DeviceOf(string nodeId) =>
        DeviceId.FromBytes(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(nodeId)).AsSpan(0, 16));

    public static LocalAdvertisement Advertisement(string nodeId, int port) => new(nodeId, DeviceOf(nodeId), port, "1.2.3");

    /// <summary>Creates and starts a node at <paramref name="address"/>; its events are appended to <paramref name="events"/>.</summary>
    public Task<MdnsDiscovery> StartNodeAsync(
        string address, string nodeId, int port, List<DiscoveryEvent>? events = null, MdnsOptions? options = null, int seed = 0) =>
        StartNodeAsync([address], nodeId, port, events, options, seed);

    /// <summary>Creates and starts a node with one interface per address, all on this LAN.</summary>
    public async Task<MdnsDiscovery> StartNodeAsync(
        string[] addresses, string nodeId, int port, List<DiscoveryEvent>? events = null, MdnsOptions? options = null, int seed = 0)
    {
        var transport = Network.AddHost(addresses);
        var node = new MdnsDiscovery(options ?? new MdnsOptions(), Clock, null, _ => transport, new Random(seed == 0 ? _nodes.Count + 1 : seed));
        if (events is not null)
        {
            node.Changed += events.Add;
        }

        _nodes.Add(node);
        await node.StartAsync(Advertisement(nodeId, port));
        return node;
    }

    /// <summary>Advances the clock by <paramref name="duration"/> in 10 ms steps, delivering datagrams after each.</summary>
    public void Run(TimeSpan duration)
    {
        var end = Clock.GetUtcNow() + duration;
        Network.Pump();
        while (Clock.GetUtcNow() < end)
        {
            var step = end - Clock.GetUtcNow();
            Clock.Advance(step < TimeSpan.FromMilliseconds(10) ? step : TimeSpan.FromMilliseconds(10));
            Network.Pump();
        }
    }

    /// <summary>Runs until <paramref name="condition"/> holds, at most <paramref name="limit"/> of fake time.</summary>
    public void RunUntil(Func<bool> condition, TimeSpan limit, string step)
    {
        var end = Clock.GetUtcNow() + limit;
        Network.Pump();
        while (!condition())
        {
            if (Clock.GetUtcNow() >= end)
            {
                throw new TimeoutException($"Within {limit.TotalSeconds} s of fake time: {step}");
            }

            Clock.Advance(TimeSpan.FromMilliseconds(10));
            Network.Pump();
        }
    }

    /// <summary>Datagrams sent by <paramref name="address"/> (in order).</summary>
    public IEnumerable<SentDatagram> From(string address) => Network.Sent.Where(d => d.From.Equals(IPAddress.Parse(address)));

    /// <summary>Injects <paramref name="message"/> from <paramref name="from"/> (default: 10.0.0.99:5353), multicast.</summary>
    public void Inject(DnsMessage message, IPEndPoint? from = null, bool compress = true) =>
        Network.Inject(message.ToArray(compress), from ?? Outsider);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
