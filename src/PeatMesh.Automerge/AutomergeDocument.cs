using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Graph;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;

namespace PeatMesh.Automerge;

/// <summary>
/// An Automerge-compatible CRDT document: a root map holding maps, lists, text, counters and scalars,
/// changed through <see cref="Transaction"/>s and merged with other replicas by exchanging
/// <see cref="Change"/>s (Automerge data model, spec <c>automerge.md</c> §1; document op order §3).
/// </summary>
/// <remarks>
/// Not thread-safe, reads included: a document is owned by one caller at a time (callers serialise access, e.g.
/// with a lock per document). A loaded document builds some of its internal state on first use (list and text
/// elements are created when a read or an edit first touches them, <see cref="Change"/> objects when a change is first
/// read), so even concurrent reads must be serialised. At most one transaction is open at a time; while it is open,
/// reads see its ops and <see cref="ApplyChanges"/>, <see cref="Merge"/> and the sync methods throw.
/// Positional reads and edits of lists and text are O(log n); text is indexed in UTF-16 code units,
/// as Automerge JS does, unless <see cref="TextEncoding"/> selects code points. Text may carry marks
/// (rich text: <see cref="Transaction.Mark"/>, <see cref="Marks"/>).
/// </remarks>
public sealed partial class AutomergeDocument
{
    private readonly OpStore _store = new();
    private readonly ChangeGraph _graph = new();
    private readonly ChangeQueue _queue = new();
    private readonly DeflateColumnCache _deflateCache = new();
    private readonly TimeProvider _timeProvider;
    private Transaction? _openTransaction;
    private int _savedCount;

    /// <summary>Creates an empty document.</summary>
    /// <param name="actor">This replica's actor id; a random 16-byte actor (as Automerge JS) when null.</param>
    public AutomergeDocument(ActorId? actor = null)
        : this(actor, TimeProvider.System)
    {
    }

    /// <summary>Creates an empty document with a clock for change timestamps.</summary>
    /// <param name="actor">This replica's actor id; a random 16-byte actor when null.</param>
    /// <param name="timeProvider">Supplies commit times (whole seconds since the Unix epoch are recorded).</param>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is the empty (default) actor id.</exception>
    public AutomergeDocument(ActorId? actor, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (actor is { IsEmpty: true })
        {
            throw new ArgumentException("The actor id must not be empty.", nameof(actor));
        }

        Actor = actor ?? ActorId.Random();
        _timeProvider = timeProvider;
    }

    /// <summary>This replica's actor id; local changes are authored by it.</summary>
    public ActorId Actor { get; }

    /// <summary>The current heads (hashes of the changes no other change depends on), sorted ascending.</summary>
    public IReadOnlyList<ChangeHash> Heads => _graph.Heads;

    /// <summary>Number of changes applied to the document (queued ones excluded).</summary>
    public int ChangeCount => _graph.Count;

    /// <summary>Number of received changes waiting for missing dependencies.</summary>
    public int QueuedChangeCount => _queue.Count;

    /// <summary>The largest op counter in the document (0 when empty).</summary>
    public ulong MaxOp => _store.MaxOp;

    internal OpStore Store => _store;

    internal ChangeGraph Graph => _graph;

    /// <summary>Opens a transaction; its ops are visible to reads at once and become a change on commit.</summary>
    /// <returns>The transaction; dispose it (or call <see cref="Transaction.Rollback"/>) to discard it.</returns>
    /// <exception cref="InvalidOperationException">Another transaction is open.</exception>
    public Transaction BeginTransaction()
    {
        EnsureNoTransaction();
        var state = _graph.GetActor(Actor);
        var tx = new Transaction(this, state.LastSeq + 1, _store.MaxOp + 1, _graph.Heads);
        _openTransaction = tx;
        return tx;
    }

    /// <summary>
    /// Creates an independent copy of this document with the same history and a different actor.
    /// Queued changes (waiting for dependencies) are not copied.
    /// </summary>
    /// <param name="actor">The copy's actor; random when null.</param>
    /// <exception cref="InvalidOperationException">A transaction is open.</exception>
    public AutomergeDocument Fork(ActorId? actor = null)
    {
        EnsureNoTransaction();
        var fork = new AutomergeDocument(actor, _timeProvider) { TextEncoding = _textEncoding };
        fork.ApplyChanges(_graph.Changes);
        fork._deflateCache.AddAll(_deflateCache);
        return fork;
    }

    /// <summary>Applies every change of <paramref name="other"/> that this document lacks.</summary>
    /// <param name="other">The document to merge in; it is not modified.</param>
    /// <exception cref="InvalidOperationException">A transaction is open on either document.</exception>
    /// <exception cref="AutomergeFormatException">A change of <paramref name="other"/> is inconsistent with this document.</exception>
    public void Merge(AutomergeDocument other)
    {
        ArgumentNullException.ThrowIfNull(other);
        EnsureNoTransaction();
        other.EnsureNoTransaction();
        if (ReferenceEquals(other, this))
        {
            return;
        }

        var missing = new List<Change>();
        for (var i = 0; i < other._graph.Count; i++)
        {
            if (!_graph.Contains(other._graph.HashAt(i)))
            {
                missing.Add(other._graph.Changes[i]);
            }
        }

        ApplyChanges(missing);
    }

    internal void EnsureNoTransaction()
    {
        if (_openTransaction is not null)
        {
            throw new InvalidOperationException("A transaction is open on this document; commit or roll it back first.");
        }
    }

    internal void EndTransaction(Transaction tx)
    {
        if (ReferenceEquals(_openTransaction, tx))
        {
            _openTransaction = null;
        }
    }

    internal long CurrentTimeSeconds() => _timeProvider.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Records a committed local change (its ops are already in the op set).</summary>
    internal void RecordLocalChange(Change change) => _graph.Add(change);

    internal ObjectState RequireObject(ObjId obj) =>
        _store.GetObject(obj) ?? throw new ArgumentException("No object " + obj + " in this document.", nameof(obj));
}
