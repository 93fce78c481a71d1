using System.Diagnostics.CodeAnalysis;
using System.Text;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// A bounded forward reader over Automerge binary data (Automerge binary format §2.1 "Primitives"):
/// bytes, uLEB128/sLEB128 integers, length-prefixed byte strings and UTF-8 strings, change hashes.
/// </summary>
/// <remarks>
/// <para>Every read is checked against the remaining input and throws <see cref="AutomergeFormatException"/>
/// on truncation, so a length or count read from untrusted bytes can never make a caller allocate more
/// than the input could hold (<see cref="ReadLength"/>, <see cref="ReadCount"/>).</para>
/// <para>A mutable <see langword="ref struct"/>: pass it by <see langword="ref"/>; not thread-safe.</para>
/// </remarks>
public ref struct ByteReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Creates a reader positioned at the start of <paramref name="data"/>.</summary>
    public ByteReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes left.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Whether all input has been consumed.</summary>
    public readonly bool IsEnd => _position >= _data.Length;

    /// <summary>The unread input (not consumed).</summary>
    public readonly ReadOnlySpan<byte> RemainingSpan => _data[_position..];

    /// <summary>Reads one byte.</summary>
    /// <exception cref="AutomergeFormatException">No input left.</exception>
    public byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            ThrowEndOfInput(); // a separate method, so that this one inlines
        }

        return _data[_position++];
    }

    [DoesNotReturn]
    private static void ThrowEndOfInput() => throw new AutomergeFormatException("Unexpected end of input.");

    /// <summary>Reads exactly <paramref name="count"/> bytes (a view into the input, not a copy).</summary>
    /// <exception cref="AutomergeFormatException">Fewer than <paramref name="count"/> bytes are left, or <paramref name="count"/> is negative.</exception>
    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new AutomergeFormatException($"Unexpected end of input: needed {count} bytes, {Remaining} left.");
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    /// <summary>Reads all remaining bytes.</summary>
    public ReadOnlySpan<byte> ReadRest() => ReadBytes(Remaining);

    /// <summary>Reads a uLEB128 value (u64).</summary>
    /// <exception cref="AutomergeFormatException">Truncated, overlong or more than 64 bits.</exception>
    public ulong ReadUInt64()
    {
        var value = Leb128.ReadUnsigned(_data[_position..], out var n);
        _position += n;
        return value;
    }

    /// <summary>Reads a uLEB128 value that must fit in 32 bits.</summary>
    /// <exception cref="AutomergeFormatException">Truncated, overlong or above <see cref="uint.MaxValue"/>.</exception>
    public uint ReadUInt32()
    {
        var value = Leb128.ReadUnsigned32(_data[_position..], out var n);
        _position += n;
        return value;
    }

    /// <summary>Reads an sLEB128 value (i64).</summary>
    /// <exception cref="AutomergeFormatException">Truncated, overlong or more than 64 bits.</exception>
    public long ReadInt64()
    {
        var value = Leb128.ReadSigned(_data[_position..], out var n);
        _position += n;
        return value;
    }

    /// <summary>Reads a uLEB128 byte length and checks that that many bytes remain.</summary>
    /// <returns>The length, at most <see cref="Remaining"/>.</returns>
    /// <exception cref="AutomergeFormatException">Malformed, or longer than the remaining input.</exception>
    public int ReadLength()
    {
        var length = ReadUInt64();
        if (length > (ulong)Remaining)
        {
            throw new AutomergeFormatException($"Length {length} exceeds the {Remaining} bytes left.");
        }

        return (int)length;
    }

    /// <summary>
    /// Reads a uLEB128 item count and checks that <paramref name="minItemSize"/> bytes per item could remain,
    /// so the count can safely size an allocation.
    /// </summary>
    /// <param name="minItemSize">The smallest encoded size of one item, in bytes (≥ 1).</param>
    /// <returns>The count.</returns>
    /// <exception cref="AutomergeFormatException">Malformed, or more items than the remaining input could hold.</exception>
    public int ReadCount(int minItemSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minItemSize, 1);
        var count = ReadUInt64();
        if (count > (ulong)(Remaining / minItemSize))
        {
            throw new AutomergeFormatException($"Count {count} exceeds what the {Remaining} bytes left can hold.");
        }

        return (int)count;
    }

    /// <summary>Reads a uLEB128 length followed by that many bytes.</summary>
    /// <exception cref="AutomergeFormatException">Malformed or truncated.</exception>
    public ReadOnlySpan<byte> ReadLengthPrefixedBytes() => ReadBytes(ReadLength());

    /// <summary>Reads a uLEB128 length followed by that many bytes of strict UTF-8.</summary>
    /// <exception cref="AutomergeFormatException">Malformed, truncated or invalid UTF-8 (Automerge 3.x rejects it; no U+FFFD replacement).</exception>
    public string ReadString() => DecodeUtf8(ReadLengthPrefixedBytes());

    /// <summary>Reads a 32-byte change hash.</summary>
    /// <exception cref="AutomergeFormatException">Fewer than 32 bytes left.</exception>
    public ChangeHash ReadChangeHash() => ChangeHash.FromBytes(ReadBytes(ChangeHash.Size));

    /// <summary>Reads a uLEB128 count followed by that many 32-byte change hashes.</summary>
    /// <exception cref="AutomergeFormatException">Malformed or truncated.</exception>
    public ChangeHash[] ReadChangeHashes()
    {
        var count = ReadCount(ChangeHash.Size);
        var hashes = new ChangeHash[count];
        for (var i = 0; i < count; i++)
        {
            hashes[i] = ReadChangeHash();
        }

        return hashes;
    }

    /// <summary>Decodes strict UTF-8.</summary>
    /// <exception cref="AutomergeFormatException">Invalid UTF-8.</exception>
    public static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= 1)
        {
            // Text is one string per character: share the ASCII ones instead of allocating each.
            return bytes.IsEmpty ? string.Empty : bytes[0] < 0x80 ? AsciiStrings[bytes[0]] : Decode(bytes);
        }

        return Decode(bytes);
    }

    private static readonly string[] AsciiStrings = CreateAsciiStrings();

    private static string[] CreateAsciiStrings()
    {
        var strings = new string[0x80];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = ((char)i).ToString();
        }

        return strings;
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new AutomergeFormatException("Invalid UTF-8 in string.", e);
        }
    }
}
