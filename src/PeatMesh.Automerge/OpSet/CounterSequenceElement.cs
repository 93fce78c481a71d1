using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>A list element inserted with a counter value: the only elements that store increments.</summary>
/// <remarks>Not thread-safe; owned by one <see cref="SequenceTree"/>. Created through <see cref="SequenceElement.Create"/>.</remarks>
internal sealed class CounterSequenceElement : SequenceElement
{
    /// <summary>Creates the element inserted by counter op <paramref name="id"/> after <paramref name="reference"/> (null: <c>_head</c>).</summary>
    public CounterSequenceElement(OpId id, ObjectState owner, object? reference, ScalarValue value)
        : base(id, owner, reference, OpAction.Set, value)
    {
    }

    /// <inheritdoc />
    public override long Increments { get; set; }
}
