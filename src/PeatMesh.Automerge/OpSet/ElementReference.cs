using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// The element an insert op follows, named by id, for an element whose reference has no <see cref="SequenceElement"/>
/// object (it is still a slot of a compact leaf, <see cref="CompactSlot"/>). Only <see cref="OpRecord.Key"/> reads it.
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="Id">The reference element's id (its insert op's id).</param>
internal sealed record ElementReference(OpId Id);
