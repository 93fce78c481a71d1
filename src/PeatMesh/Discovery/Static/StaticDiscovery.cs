using PeatMesh.Transport;

namespace PeatMesh.Discovery.Static;

/// <summary>
/// Static discovery (<c>PEAT_STATIC_PEERS=host:port,…</c>): every listed address is a peer, found at start and
/// never lost. Node ids are unknown until connected, so each address is reported under the pseudo id
/// <c>static:host:port</c>.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class StaticDiscovery : IDiscoveryStrategy
{
    private readonly IReadOnlyList<DiscoveredPeer> _peers;
    private int _started;

    /// <summary>Creates the strategy for <paramref name="addresses"/>.</summary>
    public StaticDiscovery(IEnumerable<PeerAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        _peers = [.. addresses.Distinct().Select(a => new DiscoveredPeer("static:" + a, [a], "static", new Dictionary<string, string>()))];
    }

    /// <inheritdoc />
    public string Name => "static";

    /// <inheritdoc />
    public IReadOnlyCollection<DiscoveredPeer> Peers => Volatile.Read(ref _started) == 1 ? _peers : [];

    /// <inheritdoc />
    public event Action<DiscoveryEvent>? Changed;

    /// <inheritdoc />
    public Task StartAsync(LocalAdvertisement self, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("Static discovery is already started.");
        }

        foreach (var peer in _peers)
        {
            Changed?.Invoke(new DiscoveryEvent(DiscoveryEventKind.Found, peer));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
