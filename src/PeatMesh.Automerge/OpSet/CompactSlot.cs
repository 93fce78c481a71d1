using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// One element of a compact <see cref="SequenceLeaf"/>: a sequence element kept as plain data instead of a
/// <see cref="SequenceElement"/> object (ADR 0025 "Design"). Only "plain" elements are kept this way: the insert op is a
/// set of a non-counter scalar and no other op targets the element, so the element's state is its id, its value and
/// the number of ops that deleted it.
/// </summary>
/// <remarks>
/// A mutable struct stored in arrays of <see cref="SequenceNode.Capacity"/> per leaf (40 bytes; a loaded text has one
/// per character, which is why it is not an object the GC must trace and promote). Ids are
/// <see cref="Binary.PackedOpId"/>s over the actor table of the <see cref="CompactElements"/> of their tree. Not
/// thread-safe.
/// </remarks>
internal struct CompactSlot
{
    /// <summary>The insert op's (= the element's) packed id.</summary>
    public ulong Id;

    /// <summary>The packed id of the element it was inserted after; 0 = <c>_head</c>.</summary>
    public ulong Reference;

    /// <summary>The inserted value (never a counter).</summary>
    public ScalarValue Value;

    /// <summary>Number of ops that delete the element (visible when 0).</summary>
    public int Hiders;

    /// <summary>Whether the element is visible.</summary>
    public readonly bool Visible => Hiders == 0;

    /// <summary>The element's UTF-16 width when visible: a string's length, 1 for any other value.</summary>
    public readonly int Width => Value.Kind == ScalarKind.Str ? Value.AsString!.Length : 1;

    /// <summary>The element's width in code points when visible: a string's code point count, 1 for any other value.</summary>
    public readonly int CodePoints => Value.Kind == ScalarKind.Str ? SequenceElement.CodePointCount(Value.AsString!) : 1;
}
