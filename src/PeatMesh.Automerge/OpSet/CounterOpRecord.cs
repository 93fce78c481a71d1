using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>A map op or element overwrite that sets a counter: the only non-insert records that store increments.</summary>
/// <remarks>Not thread-safe; owned by one <see cref="OpStore"/>. Created through <see cref="OpRecord.ForMap"/> and <see cref="OpRecord.ForElement"/>.</remarks>
internal sealed class CounterOpRecord : OpRecord
{
    /// <summary>Creates the record of a counter set at a map key.</summary>
    public CounterOpRecord(OpId id, ObjectState owner, string mapKey, ScalarValue value)
        : base(id, owner, mapKey, OpAction.Set, value)
    {
    }

    /// <summary>Creates the record of a counter set overwriting <paramref name="target"/>.</summary>
    public CounterOpRecord(OpId id, ObjectState owner, SequenceElement target, ScalarValue value)
        : base(id, owner, target, OpAction.Set, value)
    {
    }

    /// <inheritdoc />
    public override long Increments { get; set; }
}
