namespace PeatMesh.Automerge.Model;

/// <summary>
/// The key an op targets inside its object: a map key (UTF-8 string) for maps, or an
/// <see cref="ElemId"/> for sequences.
/// </summary>
/// <remarks>Immutable value type; thread-safe.</remarks>
public readonly struct Key : IEquatable<Key>
{
    private Key(string? mapKey, ElemId elem)
    {
        MapKey = mapKey;
        Elem = elem;
    }

    /// <summary>The map key, or <see langword="null"/> for a sequence key.</summary>
    public string? MapKey { get; }

    /// <summary>The element id; meaningful only when <see cref="IsMapKey"/> is false.</summary>
    public ElemId Elem { get; }

    /// <summary>Whether this key names a map entry.</summary>
    public bool IsMapKey => MapKey is not null;

    /// <summary>A map key.</summary>
    public static Key Map(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new Key(key, default);
    }

    /// <summary>A sequence key.</summary>
    public static Key Seq(ElemId elem) => new(null, elem);

    /// <inheritdoc />
    public bool Equals(Key other) => MapKey is not null
        ? string.Equals(MapKey, other.MapKey, StringComparison.Ordinal)
        : other.MapKey is null && Elem.Equals(other.Elem);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Key other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => MapKey is not null ? StringComparer.Ordinal.GetHashCode(MapKey) : Elem.GetHashCode();

    /// <summary>The map key, or the element id.</summary>
    public override string ToString() => MapKey ?? Elem.ToString();

    /// <summary>Equality.</summary>
    public static bool operator ==(Key left, Key right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Key left, Key right) => !left.Equals(right);
}
