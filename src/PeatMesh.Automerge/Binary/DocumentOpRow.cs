using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// One op of a document chunk: a stored op row, or a delete synthesized from a succ entry (Automerge binary format §3
/// "Doc → changes"). Ids are <see cref="PackedOpId"/>s over actor ranks (<see cref="DocumentActors"/>); 0 = root /
/// <c>_head</c>.
/// </summary>
/// <remarks>
/// A mutable struct stored in arrays (72 bytes; a document has one per op, so every field counts: the rare mark names
/// live beside the rows, in <see cref="DocumentOps.MarkNameOf"/>). Not thread-safe.
/// </remarks>
internal struct DocumentOpRow
{
    /// <summary>The op id.</summary>
    public ulong Id;

    /// <summary>The object (0 = root).</summary>
    public ulong Obj;

    /// <summary>The key element (0 = <c>_head</c>); unused when <see cref="MapKey"/> is set.</summary>
    public ulong Elem;

    /// <summary>The map key, or null for a sequence key.</summary>
    public string? MapKey;

    /// <summary>The value.</summary>
    public ScalarValue Value;

    /// <summary>Index of the first predecessor in <see cref="DocumentOps.PredRows"/>.</summary>
    public int PredStart;

    /// <summary>Number of predecessors (rows that list this op as a successor), ascending by id.</summary>
    public int PredCount;

    /// <summary>The change (index in the change columns) the op belongs to.</summary>
    public int Change;

    /// <summary>The action.</summary>
    public OpAction Action;

    /// <summary>The insert flag.</summary>
    public bool Insert;

    /// <summary>The expand flag.</summary>
    public bool Expand;

    /// <summary>Whether the op is a delete synthesized from succ entries (not a stored row).</summary>
    public bool Synthesized;
}
