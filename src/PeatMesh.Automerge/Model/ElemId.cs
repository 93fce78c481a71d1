namespace PeatMesh.Automerge.Model;

/// <summary>
/// A position in a sequence (list or text): <c>_head</c> (before the first element; encoded as
/// null actor and counter 0) or the <see cref="OpId"/> of the insert op that created the element.
/// </summary>
/// <remarks>Immutable value type; thread-safe. <c>default</c> is <see cref="Head"/>.</remarks>
public readonly struct ElemId : IEquatable<ElemId>
{
    private readonly OpId _id;

    private ElemId(OpId id) => _id = id;

    /// <summary>The head of the sequence.</summary>
    public static ElemId Head => default;

    /// <summary>Whether this is <see cref="Head"/>.</summary>
    public bool IsHead => _id.Counter == 0;

    /// <summary>The inserting op's id; undefined for <see cref="Head"/>.</summary>
    public OpId Id => _id;

    /// <summary>The element inserted by op <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> has counter 0.</exception>
    public static ElemId FromOpId(OpId id)
    {
        if (id.Counter == 0)
        {
            throw new ArgumentException("An element id counter must be >= 1.", nameof(id));
        }

        return new ElemId(id);
    }

    /// <inheritdoc />
    public bool Equals(ElemId other) => IsHead ? other.IsHead : _id.Equals(other._id);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ElemId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => IsHead ? 0 : _id.GetHashCode();

    /// <summary><c>_head</c> or <c>counter@actor</c>.</summary>
    public override string ToString() => IsHead ? "_head" : _id.ToString();

    /// <summary>Equality.</summary>
    public static bool operator ==(ElemId left, ElemId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ElemId left, ElemId right) => !left.Equals(right);
}
