using System.Diagnostics.CodeAnalysis;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// A document chunk's actor table (Automerge binary format §2.4, item 1) with each stored index mapped to its rank in
/// bytewise order, so that op ids packed with ranks (<see cref="PackedOpId"/>) order exactly as OpIds do even when a
/// writer stored the table unsorted.
/// </summary>
/// <remarks>Immutable after creation; thread-safe for reading.</remarks>
internal sealed class DocumentActors
{
    private readonly int[] _rankOf;

    /// <summary>Maps a stored actor table to ranks.</summary>
    /// <param name="stored">The actors in stored order.</param>
    /// <exception cref="AutomergeFormatException">The same actor id appears twice, or more than 2^24 − 1 actors.</exception>
    public DocumentActors(ActorId[] stored)
    {
        if (stored.Length > PackedOpId.MaxActors)
        {
            throw new AutomergeFormatException("A document may name at most " + PackedOpId.MaxActors + " actors.");
        }

        Stored = stored;
        var sorted = (ActorId[])stored.Clone();
        var order = new int[stored.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (!IsAscending(sorted))
        {
            // Automerge writes its actor table sorted, so this sort (and the JIT compiling it for ActorId on the first
            // load of a process: the framework builds its sort helper at run time) is for other writers.
            Array.Sort(sorted, order);
        }

        _rankOf = new int[stored.Length];
        for (var rank = 0; rank < sorted.Length; rank++)
        {
            if (rank > 0 && sorted[rank].Equals(sorted[rank - 1]))
            {
                throw new AutomergeFormatException("Actor " + sorted[rank] + " appears twice in the document's actor table.");
            }

            _rankOf[order[rank]] = rank;
        }

        Sorted = sorted;
    }

    private static bool IsAscending(ActorId[] actors)
    {
        for (var i = 1; i < actors.Length; i++)
        {
            if (actors[i - 1].CompareTo(actors[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The actors in stored order.</summary>
    public ActorId[] Stored { get; }

    /// <summary>The actors in bytewise order (index = rank).</summary>
    public ActorId[] Sorted { get; }

    /// <summary>Number of actors.</summary>
    public int Count => Stored.Length;

    /// <summary>The rank of the actor stored at <paramref name="index"/>, or a format error ("missing actor").</summary>
    /// <exception cref="AutomergeFormatException"><paramref name="index"/> is not in the table.</exception>
    public int RankOf(ulong index)
    {
        if (index >= (ulong)_rankOf.Length)
        {
            ThrowMissingActor(index); // a separate method, so that this one inlines
        }

        return _rankOf[(int)index];
    }

    [DoesNotReturn]
    private void ThrowMissingActor(ulong index) =>
        throw new AutomergeFormatException("Actor index " + index + " is not in the chunk's " + _rankOf.Length + " actors.");

    /// <summary>The OpId of a packed (counter, rank) id.</summary>
    public OpId ToOpId(ulong packed) => new(PackedOpId.Counter(packed), Sorted[(int)PackedOpId.Actor(packed)]);
}
