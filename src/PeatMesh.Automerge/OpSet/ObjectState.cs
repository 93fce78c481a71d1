using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>The stored state of one object (map/table or list/text).</summary>
/// <remarks>Not thread-safe.</remarks>
internal abstract class ObjectState
{
    protected ObjectState(ObjId id, ObjType type)
    {
        Id = id;
        Type = type;
    }

    /// <summary>The object id.</summary>
    public ObjId Id { get; }

    /// <summary>The object type.</summary>
    public ObjType Type { get; }

    /// <summary>Whether the object is a sequence (list or text).</summary>
    public bool IsSequence => Type is ObjType.List or ObjType.Text;
}
