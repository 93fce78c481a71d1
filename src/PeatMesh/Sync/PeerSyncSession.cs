using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PeatMesh.Automerge.Sync;
using PeatMesh.Diagnostics;
using PeatMesh.Storage;
using PeatMesh.Transport;

namespace PeatMesh.Sync;

/// <summary>
/// Document sync with one connected peer over <c>cap/automerge/1</c>: one Automerge <see cref="SyncState"/>
/// per document, a receive loop that applies the peer's frames, and a send loop that turns "dirty"
/// documents into sync messages when the connection can take them.
/// </summary>
/// <remarks>
/// Thread-safe. Sending is pull-driven: marking a document dirty is O(1) and never blocks, and the send
/// loop generates its message only when it is about to send — so a slow peer creates backpressure, not an
/// unbounded queue, and the receive loop never waits on the send loop (no distributed deadlock between two
/// busy peers). The work set is bounded by the number of documents.
/// When the node traces (someone listens to <see cref="MeshTelemetry.ActivitySourceName"/>), a document marked dirty
/// under an activity remembers that activity's context; the send round that carries it runs in a child span whose
/// context travels in a TraceContext frame before the document's frames (to peers whose hello lists
/// <see cref="Wire.TraceContextCodec.HelloFeature"/>), and the peer applies them in a child of that.
/// </remarks>
internal sealed partial class PeerSyncSession
{
    private readonly MeshProtocolChannel _channel;
    private readonly DocumentService _documents;
    private readonly SyncOptions _options;
    private readonly ILogger _logger;
    private readonly MeshMetrics? _metrics;
    private readonly bool _peerAcceptsTraceContext;
    private readonly ConcurrentDictionary<DocumentKey, SyncState> _states = new();
    private readonly object _workGate = new();
    private readonly Queue<DocumentKey> _dirtyOrder = new();
    private readonly HashSet<DocumentKey> _dirty = [];
    private readonly Dictionary<DocumentKey, ActivityContext> _traceParents = [];
    private readonly Queue<Tombstone> _tombstones = new();
    private HashSet<DocumentKey> _previousInFlight = [];
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public PeerSyncSession(MeshConnection connection, DocumentService documents, SyncOptions options, ILogger logger, MeshMetrics? metrics = null)
    {
        Connection = connection;
        _channel = connection.GetProtocol(MeshProtocols.AutomergeSync);
        _documents = documents;
        _options = options;
        _logger = logger;
        _metrics = metrics;
        _peerAcceptsTraceContext = connection.RemoteHello.Features.Contains(Wire.TraceContextCodec.HelloFeature);
    }

    public MeshConnection Connection { get; }

    public string PeerNodeId => Connection.RemoteNodeId;

    /// <summary>Documents waiting to be offered to the peer.</summary>
    public int PendingDocuments
    {
        get
        {
            lock (_workGate)
            {
                return _dirty.Count;
            }
        }
    }

    /// <summary>Runs until the connection closes.</summary>
    public async Task RunAsync()
    {
        // The loops start their own spans; they must not run under whatever activity opened the connection.
        Activity.Current = null;
        try
        {
            var keys = await _documents.ListKeysAsync(CancellationToken.None).ConfigureAwait(false);
            var tombstones = _documents.Tombstones;
            SyncLog.SessionStarted(_logger, PeerNodeId, keys.Count, tombstones.Count);
            foreach (var tombstone in tombstones)
            {
                EnqueueTombstone(tombstone);
            }

            MarkDirty(keys);
            await Task.WhenAll(ReceiveLoopAsync(), SendLoopAsync()).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The connection closed while a wait was pending.
        }
        catch (Exception e)
        {
            SyncLog.SessionFailed(_logger, PeerNodeId, e);
            await Connection.CloseAsync("sync session failed").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Queues a document to be offered to the peer (no-op if already queued). When the node traces and an activity is
    /// current, the send round that offers the document becomes its child (the latest such activity wins).
    /// </summary>
    public void MarkDirty(DocumentKey key)
    {
        var parent = CurrentTraceParent();
        lock (_workGate)
        {
            if (_dirty.Add(key))
            {
                _dirtyOrder.Enqueue(key);
            }

            if (parent is { } context)
            {
                _traceParents[key] = context;
            }
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>Queues many documents.</summary>
    public void MarkDirty(IEnumerable<DocumentKey> keys)
    {
        lock (_workGate)
        {
            foreach (var key in keys)
            {
                if (_dirty.Add(key))
                {
                    _dirtyOrder.Enqueue(key);
                }
            }
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>Queues a tombstone to send to the peer.</summary>
    public void EnqueueTombstone(Tombstone tombstone)
    {
        lock (_workGate)
        {
            _tombstones.Enqueue(tombstone);
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>
    /// The anti-entropy pass: re-offers documents this session never offered, and documents whose sync
    /// has waited for the peer's answer since the previous pass (their state is reset to the shared heads,
    /// as after a reconnect). Converged documents cost nothing.
    /// </summary>
    /// <returns>How many documents were re-offered.</returns>
    public int AntiEntropy(IReadOnlyCollection<DocumentKey> storedKeys)
    {
        var offer = new List<DocumentKey>();
        var inFlight = new HashSet<DocumentKey>();
        foreach (var (key, state) in _states)
        {
            if (!state.InFlight)
            {
                continue;
            }

            inFlight.Add(key);
            if (_previousInFlight.Contains(key))
            {
                _states[key] = SyncState.Decode(state.Encode());
                offer.Add(key);
            }
        }

        _previousInFlight = inFlight;
        offer.AddRange(storedKeys.Where(k => !_states.ContainsKey(k)));
        MarkDirty(offer);
        return offer.Count;
    }

    /// <summary>Takes the next dirty document and the trace context it was marked under (default when none).</summary>
    private bool TryTakeDirty(out DocumentKey key, out ActivityContext traceParent)
    {
        lock (_workGate)
        {
            if (_dirtyOrder.TryDequeue(out key))
            {
                _dirty.Remove(key);
                _traceParents.Remove(key, out traceParent);
                return true;
            }
        }

        traceParent = default;
        return false;
    }

    private List<Tombstone> TakeTombstones(int max)
    {
        var batch = new List<Tombstone>();
        lock (_workGate)
        {
            while (batch.Count < max && _tombstones.TryDequeue(out var tombstone))
            {
                batch.Add(tombstone);
            }
        }

        return batch;
    }

    private SyncState StateFor(DocumentKey key) => _states.GetOrAdd(key, _ => new SyncState());
}
