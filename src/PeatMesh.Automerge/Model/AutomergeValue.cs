namespace PeatMesh.Automerge.Model;

/// <summary>
/// A value read from a document: either a scalar or a nested object (its <see cref="ObjId"/> and type),
/// together with the id of the op that wrote it (which tells conflicting values apart).
/// </summary>
/// <remarks>
/// Immutable value type; thread-safe. For counters, <see cref="Scalar"/> is a
/// <see cref="ScalarKind.Counter"/> holding the current total (initial value plus all increments).
/// </remarks>
public readonly struct AutomergeValue : IEquatable<AutomergeValue>
{
    private AutomergeValue(OpId id, ObjType? objectType, ObjId objectId, ScalarValue scalar)
    {
        Id = id;
        ObjectType = objectType;
        ObjectId = objectId;
        Scalar = scalar;
    }

    /// <summary>The id of the op that wrote this value (for objects: the object's id).</summary>
    public OpId Id { get; }

    /// <summary>The object type when this value is an object; <see langword="null"/> for scalars.</summary>
    public ObjType? ObjectType { get; }

    /// <summary>The nested object's id (meaningful only when <see cref="IsObject"/>).</summary>
    public ObjId ObjectId { get; }

    /// <summary>The scalar (meaningful only when <see cref="IsObject"/> is false).</summary>
    public ScalarValue Scalar { get; }

    /// <summary>Whether this value is a nested object.</summary>
    public bool IsObject => ObjectType is not null;

    /// <summary>Creates a scalar value written by op <paramref name="id"/>.</summary>
    public static AutomergeValue FromScalar(OpId id, ScalarValue scalar) => new(id, null, default, scalar);

    /// <summary>Creates an object value created by op <paramref name="id"/>.</summary>
    public static AutomergeValue FromObject(OpId id, ObjType type) => new(id, type, ObjId.FromOpId(id), ScalarValue.Null);

    /// <inheritdoc />
    public bool Equals(AutomergeValue other) =>
        Id == other.Id && ObjectType == other.ObjectType && ObjectId == other.ObjectId && Scalar == other.Scalar;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AutomergeValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, ObjectType, Scalar);

    /// <summary>A debugging representation.</summary>
    public override string ToString() => IsObject ? $"{ObjectType}({ObjectId})" : Scalar.ToString();

    /// <summary>Equality.</summary>
    public static bool operator ==(AutomergeValue left, AutomergeValue right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(AutomergeValue left, AutomergeValue right) => !left.Equals(right);
}
