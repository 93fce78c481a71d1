using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PeatMesh.Diagnostics;
using PeatMesh.Topology;
using PeatMesh.Transport;

namespace PeatMesh.Sync;

/// <summary>
/// Runs document sync with every connected peer (decision 4): a new connection offers every document
/// and tombstone; a durable local change or a change received from one peer is pushed to the others at
/// once; deletes travel as tombstones; a periodic anti-entropy pass re-offers every document.
/// </summary>
/// <remarks>Thread-safe. Start once with <see cref="Start"/>; disposal stops the anti-entropy loop (sessions end with their connections).</remarks>
public sealed class SyncCoordinator : IAsyncDisposable
{
    private readonly MeshPeerManager _peers;
    private readonly DocumentService _documents;
    private readonly SyncOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MeshMetrics? _metrics;
    private readonly ConcurrentDictionary<MeshConnection, PeerSyncSession> _sessions = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _antiEntropy = Task.CompletedTask;

    /// <summary>Creates the coordinator.</summary>
    public SyncCoordinator(MeshPeerManager peers, DocumentService documents, SyncOptions options, TimeProvider timeProvider, ILogger logger)
        : this(peers, documents, options, timeProvider, logger, metrics: null)
    {
    }

    /// <summary>Creates the coordinator; its sessions count sync frames into <paramref name="metrics"/>.</summary>
    internal SyncCoordinator(MeshPeerManager peers, DocumentService documents, SyncOptions options, TimeProvider timeProvider, ILogger logger,
        MeshMetrics? metrics)
    {
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _peers = peers;
        _documents = documents;
        _options = options;
        _time = timeProvider;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Documents waiting to be offered, summed over peers (a rough sync backlog).</summary>
    public int PendingDocuments => _sessions.Values.Sum(s => s.PendingDocuments);

    /// <summary>Subscribes to peer and document events and starts anti-entropy.</summary>
    public void Start()
    {
        _peers.ConnectionOpened += OnConnectionOpened;
        _documents.DocumentChanged += OnDocumentChanged;
        foreach (var connection in _peers.Connections)
        {
            OnConnectionOpened(connection);
        }

        if (_options.AntiEntropyInterval != Timeout.InfiniteTimeSpan)
        {
            _antiEntropy = Task.Run(AntiEntropyLoopAsync);
        }
    }

    /// <summary>
    /// Unsubscribes, stops anti-entropy and waits for running sessions to finish. Sessions end with their
    /// connections, so dispose the peer manager first; the store must stay open until this returns. Idempotent.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _peers.ConnectionOpened -= OnConnectionOpened;
        _documents.DocumentChanged -= OnDocumentChanged;
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await _antiEntropy.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(_running.Keys).ConfigureAwait(false);
    }

    private void OnConnectionOpened(MeshConnection connection)
    {
        if (!connection.Supports(MeshProtocols.AutomergeSync))
        {
            return;
        }

        var session = new PeerSyncSession(connection, _documents, _options, _logger, _metrics);
        if (!_sessions.TryAdd(connection, session))
        {
            return;
        }

        var run = Task.Run(async () =>
        {
            try
            {
                await session.RunAsync().ConfigureAwait(false);
            }
            finally
            {
                _sessions.TryRemove(connection, out _);
            }
        });
        _running[run] = 0;
        _ = run.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void OnDocumentChanged(DocumentEvent documentEvent)
    {
        foreach (var session in _sessions.Values)
        {
            if (string.Equals(session.PeerNodeId, documentEvent.Origin, StringComparison.Ordinal))
            {
                continue;
            }

            if (documentEvent.Kind == DocumentEventKind.Deleted && documentEvent.Tombstone is { } tombstone)
            {
                session.EnqueueTombstone(tombstone);
            }
            else
            {
                session.MarkDirty(documentEvent.Key);
            }
        }
    }

    private async Task AntiEntropyLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.AntiEntropyInterval, _time);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            if (_sessions.IsEmpty)
            {
                continue;
            }

            // Tombstones are not re-sent here: every connection starts with all of them, and a peer that
            // offers a deleted document is answered with its tombstone.
            var keys = await _documents.ListKeysAsync(_stop.Token).ConfigureAwait(false);
            foreach (var session in _sessions.Values)
            {
                var offered = session.AntiEntropy(keys);
                if (offered > 0)
                {
                    SyncLog.AntiEntropy(_logger, session.PeerNodeId, offered);
                }
            }
        }
    }
}
