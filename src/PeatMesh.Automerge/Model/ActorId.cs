using System.Security.Cryptography;

namespace PeatMesh.Automerge.Model;

/// <summary>
/// An Automerge actor id: an arbitrary, non-empty byte string identifying one writer
/// (JS generates 16 random bytes, shown as lowercase hex). Ordered bytewise (lexicographically).
/// </summary>
/// <remarks>Immutable value type; thread-safe. <c>default</c> is an invalid, empty actor.</remarks>
public readonly struct ActorId : IEquatable<ActorId>, IComparable<ActorId>
{
    /// <summary>Upper bound on actor id length accepted from the wire, in bytes.</summary>
    public const int MaxLength = 1024;

    private readonly byte[]? _bytes;

    private ActorId(byte[] bytes) => _bytes = bytes;

    /// <summary>The raw bytes.</summary>
    public ReadOnlySpan<byte> Span => _bytes;

    /// <summary>The raw bytes as memory.</summary>
    public ReadOnlyMemory<byte> Memory => _bytes;

    /// <summary>Length in bytes.</summary>
    public int Length => _bytes?.Length ?? 0;

    /// <summary>Whether this is <c>default</c> (no bytes).</summary>
    public bool IsEmpty => Length == 0;

    /// <summary>Creates an actor id from bytes (copied).</summary>
    /// <exception cref="ArgumentException">Empty or longer than <see cref="MaxLength"/>.</exception>
    public static ActorId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes.Length > MaxLength)
        {
            throw new ArgumentException($"Actor id must be 1..{MaxLength} bytes, got {bytes.Length}.", nameof(bytes));
        }

        return new ActorId(bytes.ToArray());
    }

    /// <summary>Creates a random 16-byte actor id, as Automerge JS does.</summary>
    public static ActorId Random() => new(RandomNumberGenerator.GetBytes(16));

    /// <summary>Parses a hex actor id (either case).</summary>
    /// <exception cref="FormatException">Not an even-length, non-empty hex string.</exception>
    public static ActorId Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length == 0 || hex.Length > MaxLength * 2)
        {
            throw new FormatException("Actor id must be 1.." + MaxLength + " bytes of hex.");
        }

        return new ActorId(Convert.FromHexString(hex));
    }

    /// <summary>Lowercase hex.</summary>
    public override string ToString() => _bytes is null ? string.Empty : Convert.ToHexStringLower(_bytes);

    /// <inheritdoc />
    public bool Equals(ActorId other) => ReferenceEquals(_bytes, other._bytes) || Span.SequenceEqual(other.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ActorId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    /// <summary>Bytewise lexicographic order (Automerge's actor order).</summary>
    public int CompareTo(ActorId other) => Span.SequenceCompareTo(other.Span);

    /// <summary>Equality.</summary>
    public static bool operator ==(ActorId left, ActorId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ActorId left, ActorId right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(ActorId left, ActorId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(ActorId left, ActorId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(ActorId left, ActorId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(ActorId left, ActorId right) => left.CompareTo(right) >= 0;
}
