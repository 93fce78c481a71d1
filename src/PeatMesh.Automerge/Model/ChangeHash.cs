using System.Buffers.Binary;

namespace PeatMesh.Automerge.Model;

/// <summary>
/// The identity of a change: SHA-256 over its canonical change chunk (type byte, uLEB length, body;
/// Automerge binary format "Chunk container"). Ordered bytewise.
/// </summary>
/// <remarks>Immutable 32-byte value type; thread-safe.</remarks>
public readonly struct ChangeHash : IEquatable<ChangeHash>, IComparable<ChangeHash>
{
    /// <summary>Size in bytes (32).</summary>
    public const int Size = 32;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    private ChangeHash(ulong a, ulong b, ulong c, ulong d)
    {
        _a = a;
        _b = b;
        _c = c;
        _d = d;
    }

    /// <summary>Creates a hash from 32 bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public static ChangeHash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A change hash is {Size} bytes, got {bytes.Length}.", nameof(bytes));
        }

        return new ChangeHash(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
    }

    /// <summary>Parses 64 hex characters.</summary>
    /// <exception cref="FormatException">Not 64 hex characters.</exception>
    public static ChangeHash Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != Size * 2)
        {
            throw new FormatException("A change hash is 64 hex characters.");
        }

        return FromBytes(Convert.FromHexString(hex));
    }

    /// <summary>Writes the 32 bytes to <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    /// <summary>Returns the 32 bytes.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Lowercase hex, as Automerge prints heads.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <inheritdoc />
    public bool Equals(ChangeHash other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ChangeHash other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);

    /// <summary>Bytewise order.</summary>
    public int CompareTo(ChangeHash other)
    {
        var c = _a.CompareTo(other._a);
        if (c != 0)
        {
            return c;
        }

        c = _b.CompareTo(other._b);
        if (c != 0)
        {
            return c;
        }

        c = _c.CompareTo(other._c);
        return c != 0 ? c : _d.CompareTo(other._d);
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(ChangeHash left, ChangeHash right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ChangeHash left, ChangeHash right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(ChangeHash left, ChangeHash right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(ChangeHash left, ChangeHash right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(ChangeHash left, ChangeHash right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(ChangeHash left, ChangeHash right) => left.CompareTo(right) >= 0;
}
