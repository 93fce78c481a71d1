using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>What a document chunk holds once read: its actors, heads and the changes rebuilt from its columns.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed class DocumentChunkContents
{
    internal DocumentChunkContents(IReadOnlyList<ActorId> actors, IReadOnlyList<ChangeHash> heads, IReadOnlyList<ulong>? headsIndex, IReadOnlyList<Change> changes,
        IReadOnlyList<DeflatedColumn>? deflatedColumns = null)
    {
        DeflatedColumns = deflatedColumns ?? [];
        Actors = actors;
        Heads = heads;
        HeadsIndex = headsIndex;
        Changes = changes;
    }

    /// <summary>The document's actor table, in stored (sorted) order.</summary>
    public IReadOnlyList<ActorId> Actors { get; }

    /// <summary>The stored heads (sorted); verified equal to the heads of <see cref="Changes"/>.</summary>
    public IReadOnlyList<ChangeHash> Heads { get; }

    /// <summary>
    /// For each head, the index of its change in <see cref="Changes"/>, or <see langword="null"/> for documents
    /// written before the heads index existed (e.g. Automerge 1.0-preview JS, 2020). Read as stored, not verified.
    /// </summary>
    public IReadOnlyList<ulong>? HeadsIndex { get; }

    /// <summary>The chunk's deflated columns: inflated data and data as stored (views into the chunk).</summary>
    internal IReadOnlyList<DeflatedColumn> DeflatedColumns { get; }

    /// <summary>The decoded op rows the changes were rebuilt from (for loading the op set directly).</summary>
    internal DocumentOps? Ops { get; init; }

    /// <summary>Change c's dependency positions are <c>DepIndex[DepStart[c]..DepStart[c + 1]]</c> (in sorted-deps order).</summary>
    internal int[]? DepStart { get; init; }

    /// <summary>Dependency positions (see <see cref="DepStart"/>).</summary>
    internal int[]? DepIndex { get; init; }

    /// <summary>The changes in stored (topological) order, each with its hash (canonical bytes and ops on first use).</summary>
    public IReadOnlyList<Change> Changes { get; }
}
