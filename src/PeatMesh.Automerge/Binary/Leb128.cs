namespace PeatMesh.Automerge.Binary;

/// <summary>
/// LEB128 variable-length integers as Automerge uses them (Automerge binary format §2.1 "Primitives"):
/// unsigned (uLEB128, u64) and signed (sLEB128, i64, two's complement). Writers always produce the
/// minimal encoding; readers apply Automerge 3.x's rejection rules.
/// </summary>
/// <remarks>
/// <para>Readers reject, with <see cref="AutomergeFormatException"/>: truncated input; more than 64 bits
/// (an unsigned 10th byte above 1, a signed 10th byte other than 0x00/0x7f, or an 11th byte);
/// overlong encodings (an unsigned final 0x00 after at least one byte; a signed final 0x00 after a byte
/// with bit 6 clear, or a final 0x7f after a byte with bit 6 set).</para>
/// <para>Stateless; thread-safe.</para>
/// </remarks>
public static class Leb128
{
    /// <summary>The longest encoding of a 64-bit value, in bytes (10).</summary>
    public const int MaxLength = 10;

    /// <summary>The longest encoding of a 32-bit unsigned value, in bytes (5).</summary>
    public const int MaxUInt32Length = 5;

    /// <summary>The number of bytes the minimal uLEB128 encoding of <paramref name="value"/> takes (1–10).</summary>
    public static int UnsignedLength(ulong value) => System.Numerics.BitOperations.Log2(value | 1) / 7 + 1; // 7 bits per byte

    /// <summary>The number of bytes the minimal sLEB128 encoding of <paramref name="value"/> takes (1–10).</summary>
    public static int SignedLength(long value)
    {
        // Magnitude bits (of the value, or of its complement when negative) plus a sign bit, 7 bits per byte.
        var magnitude = (ulong)(value ^ (value >> 63));
        var bits = 64 - System.Numerics.BitOperations.LeadingZeroCount(magnitude) + 1;
        return (bits + 6) / 7;
    }

    /// <summary>Writes the minimal uLEB128 encoding of <paramref name="value"/>.</summary>
    /// <param name="destination">At least <see cref="UnsignedLength"/> bytes.</param>
    /// <param name="value">The value.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static int WriteUnsigned(Span<byte> destination, ulong value)
    {
        if (value < 0x80 && !destination.IsEmpty)
        {
            destination[0] = (byte)value; // most values in change bodies and columns are one byte
            return 1;
        }

        var needed = UnsignedLength(value);
        if (destination.Length < needed)
        {
            throw new ArgumentException("Destination too short for the LEB128 value.", nameof(destination));
        }

        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Writes the minimal sLEB128 encoding of <paramref name="value"/>.</summary>
    /// <param name="destination">At least <see cref="SignedLength"/> bytes.</param>
    /// <param name="value">The value.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static int WriteSigned(Span<byte> destination, long value)
    {
        var needed = SignedLength(value);
        if (destination.Length < needed)
        {
            throw new ArgumentException("Destination too short for the LEB128 value.", nameof(destination));
        }

        for (var i = 0; i < needed - 1; i++)
        {
            destination[i] = (byte)((value & 0x7f) | 0x80);
            value >>= 7;
        }

        destination[needed - 1] = (byte)(value & 0x7f);
        return needed;
    }

    /// <summary>Reads a uLEB128 value from the start of <paramref name="source"/>.</summary>
    /// <param name="source">The input.</param>
    /// <param name="bytesRead">Receives the encoded length.</param>
    /// <returns>The value.</returns>
    /// <exception cref="AutomergeFormatException">Truncated, overlong, or more than 64 bits.</exception>
    public static ulong ReadUnsigned(ReadOnlySpan<byte> source, out int bytesRead)
    {
        ulong result = 0;
        for (var i = 0; i < MaxLength; i++)
        {
            if (i >= source.Length)
            {
                throw new AutomergeFormatException("Truncated LEB128 value.");
            }

            var b = source[i];
            if (i == MaxLength - 1 && b > 1)
            {
                throw new AutomergeFormatException("LEB128 value too large for 64 bits.");
            }

            result |= (ulong)(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    throw new AutomergeFormatException("LEB128 was improperly encoded (overlong).");
                }

                bytesRead = i + 1;
                return result;
            }
        }

        throw new AutomergeFormatException("LEB128 value too large for 64 bits.");
    }

    /// <summary>Reads a uLEB128 value that must fit in 32 bits (column specs, bloom fields).</summary>
    /// <exception cref="AutomergeFormatException">Truncated, overlong, or above <see cref="uint.MaxValue"/>.</exception>
    public static uint ReadUnsigned32(ReadOnlySpan<byte> source, out int bytesRead)
    {
        var value = ReadUnsigned(source, out bytesRead);
        if (value > uint.MaxValue)
        {
            throw new AutomergeFormatException("LEB128 value too large for 32 bits.");
        }

        return (uint)value;
    }

    /// <summary>Reads an sLEB128 value from the start of <paramref name="source"/>.</summary>
    /// <param name="source">The input.</param>
    /// <param name="bytesRead">Receives the encoded length.</param>
    /// <returns>The value.</returns>
    /// <exception cref="AutomergeFormatException">Truncated, overlong, or more than 64 bits.</exception>
    public static long ReadSigned(ReadOnlySpan<byte> source, out int bytesRead)
    {
        long result = 0;
        byte previous = 0;
        for (var i = 0; i < MaxLength; i++)
        {
            if (i >= source.Length)
            {
                throw new AutomergeFormatException("Truncated LEB128 value.");
            }

            var b = source[i];
            var shift = 7 * i;
            result |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                if (i == MaxLength - 1 && b != 0 && b != 0x7f)
                {
                    throw new AutomergeFormatException("LEB128 value too large for 64 bits.");
                }

                if (i > 0 && ((b == 0 && (previous & 0x40) == 0) || (b == 0x7f && (previous & 0x40) != 0)))
                {
                    throw new AutomergeFormatException("LEB128 was improperly encoded (overlong).");
                }

                if (shift + 7 < 64 && (b & 0x40) != 0)
                {
                    result |= -1L << (shift + 7);
                }

                bytesRead = i + 1;
                return result;
            }

            previous = b;
        }

        throw new AutomergeFormatException("LEB128 value too large for 64 bits.");
    }
}
