using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace PeatMesh.Discovery.Kubernetes;

/// <summary>
/// Discovers mesh peers from the Kubernetes EndpointSlices of the node's Service (discovery.k8s.io/v1,
/// protocols.md §5): LIST (following <c>continue</c> pages), then WATCH from the list's resourceVersion with
/// bookmarks, resuming from the last seen resourceVersion after the server ends a watch, re-LISTing after
/// 410 Gone (HTTP status or ERROR event), and backing off exponentially with jitter after any other error.
/// Every ready, non-terminating endpoint except this node becomes a <see cref="DiscoveredPeer"/> whose node id
/// is its pod name; <see cref="Changed"/> reports Found/Updated/Lost from the difference between snapshots.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. One background loop talks to the API and raises <see cref="Changed"/> (one event at a time,
/// on that loop); <see cref="Peers"/>, <see cref="State"/>, <see cref="ResourceVersion"/> and <see cref="LastError"/>
/// may be read from any thread. Handlers must not block and must not await <see cref="DisposeAsync"/>
/// (it waits for the loop that runs them).
/// </para>
/// <para>
/// While the API is unreachable the last known peers are kept (the source being down does not mean the
/// pods are). A 410 replaces the cached slices with a fresh LIST and reports only real differences.
/// Nothing is advertised: the pod's own readiness puts it into the Service's EndpointSlices, and its own
/// endpoint (node id equal to <see cref="LocalAdvertisement.NodeId"/>) is never reported as a peer.
/// </para>
/// <para>Improves on the reference's 30 s polling, "first port" rule and ignored readiness (peat-mesh-reference.md §2.23, §8.3 item 16).</para>
/// </remarks>
public sealed partial class KubernetesDiscovery : IDiscoveryStrategy
{
    private readonly KubernetesDiscoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, EndpointSlice> _slices = new(StringComparer.Ordinal);
    private readonly HashSet<string> _warnedSlices = new(StringComparer.Ordinal);
    private ImmutableSortedDictionary<string, DiscoveredPeer> _peers = ImmutableSortedDictionary.Create<string, DiscoveredPeer>(StringComparer.Ordinal);
    private KubernetesApiClient? _client;
    private Task? _loop;
    private string? _selfNodeId;
    private string? _resourceVersion;
    private string? _lastError;
    private int _state;
    private int _started;
    private int _disposed;

    /// <summary>Creates the strategy (call <see cref="StartAsync"/> to begin).</summary>
    /// <param name="options">Settings, validated here and copied (later changes have no effect).</param>
    /// <param name="logger">Logger (category <c>PeatMesh.Discovery</c>); null logs nothing.</param>
    /// <param name="timeProvider">Clock for backoff, request and watch deadlines; null means <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the failures name each setting.</exception>
    public KubernetesDiscovery(KubernetesDiscoveryOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new KubernetesDiscoveryOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(KubernetesDiscoveryOptions), validation.Failures);
        }

        _options = options.Clone();
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _random = options.RandomSeed is { } seed ? new Random(seed) : new Random();
    }

    /// <summary>
    /// How long after <see cref="KubernetesDiscoveryOptions.WatchTimeout"/> the client abandons a watch the
    /// server has not ended (a silently dead connection): 30 seconds.
    /// </summary>
    public static TimeSpan WatchGrace { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Most LIST pages followed in one LIST (a guard against a server that never stops paging): 10 000.</summary>
    public const int MaxListPages = 10_000;

    /// <summary>
    /// Most EndpointSlices cached (a Service normally has a handful): 10 000. A LIST or an ADDED event beyond
    /// it is treated as a protocol error (backoff), so memory stays bounded whatever the server sends.
    /// </summary>
    public const int MaxCachedSlices = 10_000;

    /// <inheritdoc/>
    /// <value>Always <c>kubernetes</c>.</value>
    public string Name => EndpointSliceProjection.Source;

    /// <inheritdoc/>
    /// <value>The current peers ordered by node id (a snapshot).</value>
    public IReadOnlyCollection<DiscoveredPeer> Peers => [.. Volatile.Read(ref _peers).Values];

    /// <summary>What the discovery loop is doing now.</summary>
    public KubernetesDiscoveryState State => (KubernetesDiscoveryState)Volatile.Read(ref _state);

    /// <summary>The last resourceVersion seen (from the LIST, an event or a bookmark); the next watch starts there.</summary>
    public string? ResourceVersion => Volatile.Read(ref _resourceVersion);

    /// <summary>A one-line description of the last error (never containing the token), or null if none yet.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <inheritdoc/>
    public event Action<DiscoveryEvent>? Changed;

    /// <summary>
    /// Starts the background LIST/WATCH loop and returns at once; peers arrive through <see cref="Changed"/>.
    /// API errors never fail this call: the loop retries with backoff and reports through <see cref="State"/>
    /// and <see cref="LastError"/>. <paramref name="self"/> is only used to leave this node out of the peers.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="self"/> is null.</exception>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was already cancelled.</exception>
    public Task StartAsync(LocalAdvertisement self, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(self);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("Kubernetes discovery is already started.");
        }

        _selfNodeId = self.NodeId;
        _client = new KubernetesApiClient(_options, _time, _logger);
        KubernetesLog.Starting(_logger, _client.CollectionUrl, _options.Namespace, _options.LabelSelector, _options.MeshPortName,
            _options.TokenPath, _options.CaPath);
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops the loop (closing any open watch) and waits for it; no event is raised afterwards. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _client?.Dispose();
        _stop.Dispose();
        SetState(KubernetesDiscoveryState.Stopped);
        KubernetesLog.Stopped(_logger);
    }

    private void SetState(KubernetesDiscoveryState state) => Volatile.Write(ref _state, (int)state);
}
