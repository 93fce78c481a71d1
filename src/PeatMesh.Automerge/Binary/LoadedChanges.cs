using System.Collections;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// The changes rebuilt from a document chunk (Automerge binary format §3 "Doc → changes"), kept as the chunk's change
/// rows plus each change's startOp, op count and hash; a <see cref="Change"/> object is created the first time the
/// change is read through the indexer or the enumerator. The change graph reads hashes, actors, seqs and maxOps without
/// creating any, so loading a document of 260k one-op changes allocates no per-change objects (ADR 0025).
/// </summary>
/// <remarks>
/// Thread-safe for reads: racing readers of a change not yet created may each create one; the first stored wins and all
/// get that one.
/// </remarks>
internal sealed class LoadedChanges : IReadOnlyList<Change>
{
    private readonly DocumentActors _actors;
    private readonly DocumentChangeRow[] _rows;
    private readonly int[] _rankOf;
    private readonly ulong[] _startOp;
    private readonly int[] _opCount;
    private readonly ChangeHash[] _hashes;
    private readonly int[] _depStart;
    private readonly int[] _depIndex;
    private readonly DocumentOps? _ops;
    private readonly byte[][]? _chunks;
    private Change?[]? _created; // allocated on the first read

    /// <summary>Wraps the builder's arrays (taken over, not copied).</summary>
    /// <param name="actors">The document's actor table.</param>
    /// <param name="rows">The change rows (actor, seq, maxOp, time, message, deps, extra).</param>
    /// <param name="rankOf">Each change's actor rank (index into <see cref="DocumentActors.Sorted"/>).</param>
    /// <param name="startOp">Each change's first op counter.</param>
    /// <param name="opCount">Each change's number of ops.</param>
    /// <param name="hashes">Each change's hash.</param>
    /// <param name="depStart">Change c's dependency positions are <c>depIndex[depStart[c]..depStart[c + 1]]</c>, sorted by hash.</param>
    /// <param name="depIndex">Dependency positions.</param>
    /// <param name="ops">The op rows the changes' ops come from (index = change position), or null with <paramref name="chunks"/>.</param>
    /// <param name="chunks">Each change's encoded chunk (its ops are decoded from it), or null with <paramref name="ops"/>.</param>
    public LoadedChanges(DocumentActors actors, DocumentChangeRow[] rows, int[] rankOf, ulong[] startOp, int[] opCount, ChangeHash[] hashes,
        int[] depStart, int[] depIndex, DocumentOps? ops, byte[][]? chunks)
    {
        _actors = actors;
        _rows = rows;
        _rankOf = rankOf;
        _startOp = startOp;
        _opCount = opCount;
        _hashes = hashes;
        _depStart = depStart;
        _depIndex = depIndex;
        _ops = ops;
        _chunks = chunks;
    }

    /// <inheritdoc />
    public int Count => _hashes.Length;

    /// <summary>The change at <paramref name="index"/> (created on first read).</summary>
    /// <exception cref="IndexOutOfRangeException">The index is outside 0..Count-1.</exception>
    public Change this[int index]
    {
        get
        {
            var created = Volatile.Read(ref _created);
            return (created is null ? null : Volatile.Read(ref created[index])) ?? Create(index);
        }
    }

    /// <summary>The hash of change <paramref name="index"/> (no <see cref="Change"/> is created).</summary>
    public ChangeHash HashAt(int index) => _hashes[index];

    /// <summary>The actor of change <paramref name="index"/>.</summary>
    public ActorId ActorAt(int index) => _actors.Sorted[_rankOf[index]];

    /// <summary>The seq of change <paramref name="index"/>.</summary>
    public ulong SeqAt(int index) => _rows[index].Seq;

    /// <summary>The maxOp of change <paramref name="index"/> (its startOp + op count - 1).</summary>
    public ulong MaxOpAt(int index) => _startOp[index] + (ulong)_opCount[index] - 1;

    /// <summary>How many changes have been created so far (for tests and diagnostics; O(Count)).</summary>
    internal int CreatedCount
    {
        get
        {
            var slots = Volatile.Read(ref _created);
            var created = 0;
            for (var i = 0; slots is not null && i < slots.Length; i++)
            {
                created += Volatile.Read(ref slots[i]) is null ? 0 : 1;
            }

            return created;
        }
    }

    /// <inheritdoc />
    public IEnumerator<Change> GetEnumerator()
    {
        for (var i = 0; i < _hashes.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Change Create(int index)
    {
        ref readonly var row = ref _rows[index];
        var start = _depStart[index];
        var deps = new ChangeHash[_depStart[index + 1] - start];
        for (var d = 0; d < deps.Length; d++)
        {
            deps[d] = _hashes[_depIndex[start + d]];
        }

        var chunk = _chunks?[index];
        IChangeOpSource source = chunk is null ? _ops! : new EncodedChangeOps(chunk);
        var change = new Change(ActorAt(index), row.Seq, _startOp[index], row.Time, row.Message, deps, _opCount[index], row.Extra, _hashes[index],
            source, chunk is null ? index : 0);
        if (chunk is not null)
        {
            change.SetEncoded(chunk, _hashes[index]);
        }

        var slots = Volatile.Read(ref _created) ?? Interlocked.CompareExchange(ref _created, new Change?[_hashes.Length], null) ?? _created!;
        return Interlocked.CompareExchange(ref slots[index], change, null) ?? change;
    }
}
