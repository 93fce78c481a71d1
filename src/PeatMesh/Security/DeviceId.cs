using System.Security.Cryptography;

namespace PeatMesh.Security;

/// <summary>
/// A device identifier: the first 16 bytes of SHA-256 over the device's 32-byte Ed25519 public key,
/// rendered as 32 lowercase hex characters (the reference's <c>DeviceId::to_hex</c>).
/// </summary>
/// <remarks>Immutable value type; thread-safe.</remarks>
public readonly struct DeviceId : IEquatable<DeviceId>, IComparable<DeviceId>
{
    /// <summary>Length of the identifier in bytes (16).</summary>
    public const int Size = 16;

    private readonly ulong _hi;
    private readonly ulong _lo;

    private DeviceId(ulong hi, ulong lo)
    {
        _hi = hi;
        _lo = lo;
    }

    /// <summary>Computes the device id of an Ed25519 public key.</summary>
    /// <param name="publicKey">The 32-byte Ed25519 public key.</param>
    /// <exception cref="ArgumentException"><paramref name="publicKey"/> is not 32 bytes.</exception>
    public static DeviceId FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != Ed25519.PublicKeySize)
        {
            throw new ArgumentException($"Expected {Ed25519.PublicKeySize} bytes, got {publicKey.Length}.", nameof(publicKey));
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(publicKey, hash);
        return FromBytes(hash[..Size]);
    }

    /// <summary>Builds a device id from its 16 raw bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 16 bytes.</exception>
    public static DeviceId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"Expected {Size} bytes, got {bytes.Length}.", nameof(bytes));
        }

        return new DeviceId(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    /// <summary>Parses 32 hex characters (either case).</summary>
    /// <returns><see langword="false"/> when <paramref name="hex"/> is not 32 hex characters.</returns>
    public static bool TryParse(string? hex, out DeviceId deviceId)
    {
        deviceId = default;
        if (hex is null || hex.Length != Size * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }

        deviceId = FromBytes(bytes);
        return true;
    }

    /// <summary>Writes the 16 raw bytes.</summary>
    public void WriteTo(Span<byte> destination)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination, _hi);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _lo);
    }

    /// <summary>Returns the 32-character lowercase hex form.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <inheritdoc />
    public bool Equals(DeviceId other) => _hi == other._hi && _lo == other._lo;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DeviceId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_hi, _lo);

    /// <summary>Orders ids by their bytes (big-endian), which is the order of their hex strings.</summary>
    public int CompareTo(DeviceId other)
    {
        var c = _hi.CompareTo(other._hi);
        return c != 0 ? c : _lo.CompareTo(other._lo);
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(DeviceId left, DeviceId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DeviceId left, DeviceId right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(DeviceId left, DeviceId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(DeviceId left, DeviceId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(DeviceId left, DeviceId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(DeviceId left, DeviceId right) => left.CompareTo(right) >= 0;
}
