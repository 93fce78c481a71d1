namespace PeatMesh.Automerge.Model;

/// <summary>
/// Identifies an object (map, list, text, table): the root map, or the <see cref="OpId"/> of the op that created it.
/// </summary>
/// <remarks>Immutable value type; thread-safe. <c>default</c> is the root.</remarks>
public readonly struct ObjId : IEquatable<ObjId>, IComparable<ObjId>
{
    private readonly OpId _id;

    private ObjId(OpId id) => _id = id;

    /// <summary>The root map (encoded with null actor and counter).</summary>
    public static ObjId Root => default;

    /// <summary>Whether this is the root map.</summary>
    public bool IsRoot => _id.Counter == 0;

    /// <summary>The creating op's id; undefined for the root.</summary>
    public OpId Id => _id;

    /// <summary>The object created by the op <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> has counter 0.</exception>
    public static ObjId FromOpId(OpId id)
    {
        if (id.Counter == 0)
        {
            throw new ArgumentException("An object id counter must be >= 1.", nameof(id));
        }

        return new ObjId(id);
    }

    /// <inheritdoc />
    public bool Equals(ObjId other) => IsRoot ? other.IsRoot : _id.Equals(other._id);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ObjId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => IsRoot ? 0 : _id.GetHashCode();

    /// <summary>Root first, then by op id (Automerge's document object order).</summary>
    public int CompareTo(ObjId other)
    {
        if (IsRoot || other.IsRoot)
        {
            return (IsRoot ? 0 : 1) - (other.IsRoot ? 0 : 1);
        }

        return _id.CompareTo(other._id);
    }

    /// <summary><c>_root</c> or <c>counter@actor</c>.</summary>
    public override string ToString() => IsRoot ? "_root" : _id.ToString();

    /// <summary>Equality.</summary>
    public static bool operator ==(ObjId left, ObjId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ObjId left, ObjId right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(ObjId left, ObjId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(ObjId left, ObjId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(ObjId left, ObjId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(ObjId left, ObjId right) => left.CompareTo(right) >= 0;
}
