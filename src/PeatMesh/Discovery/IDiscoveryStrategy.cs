namespace PeatMesh.Discovery;

/// <summary>
/// A way of finding peers (the reference's <c>DiscoveryStrategy</c>): static lists, mDNS/DNS-SD,
/// Kubernetes EndpointSlices. The node merges every configured strategy's events (hybrid discovery) and
/// dials what they find.
/// </summary>
/// <remarks>
/// Implementations are thread-safe. <see cref="Changed"/> handlers run on the strategy's thread, must not
/// block, and may be called concurrently with <see cref="Peers"/> reads. After <see cref="IAsyncDisposable.DisposeAsync"/>
/// no more events are raised (mDNS sends its goodbyes during disposal).
/// </remarks>
public interface IDiscoveryStrategy : IAsyncDisposable
{
    /// <summary>The strategy's name as used in <c>PEAT_DISCOVERY</c>: <c>static</c>, <c>mdns</c>, <c>kubernetes</c>.</summary>
    string Name { get; }

    /// <summary>Peers currently known (an immutable snapshot).</summary>
    IReadOnlyCollection<DiscoveredPeer> Peers { get; }

    /// <summary>Raised for every peer found, updated or lost.</summary>
    event Action<DiscoveryEvent>? Changed;

    /// <summary>Starts discovering (and advertising <paramref name="self"/>, where the strategy advertises).</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    Task StartAsync(LocalAdvertisement self, CancellationToken cancellationToken = default);
}
