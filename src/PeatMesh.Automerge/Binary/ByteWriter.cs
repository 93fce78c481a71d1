using System.Text;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// A growable output buffer that writes Automerge binary primitives (Automerge binary format §2.1):
/// minimal uLEB128/sLEB128, length-prefixed bytes and UTF-8 strings, change hashes.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
public sealed class ByteWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer;
    private int _length;

    /// <summary>Creates a writer.</summary>
    /// <param name="initialCapacity">Initial buffer size in bytes; defaults to 256.</param>
    public ByteWriter(int initialCapacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _buffer = initialCapacity == 0 ? [] : new byte[initialCapacity];
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far (a view; invalidated by further writes).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>The bytes written so far (a view; invalidated by further writes).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>The bytes written so far, writable in place (a view; invalidated by further writes).</summary>
    internal Span<byte> WrittenSpanForUpdate => _buffer.AsSpan(0, _length);

    /// <summary>Writes one byte.</summary>
    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    /// <summary>Writes raw bytes.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Writes the minimal uLEB128 encoding of <paramref name="value"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void WriteUInt64(ulong value)
    {
        var length = _length;
        if (value < 0x80 && (uint)length < (uint)_buffer.Length)
        {
            _buffer[length] = (byte)value; // the common one-byte case, without a call
            _length = length + 1;
            return;
        }

        Ensure(Leb128.MaxLength);
        _length += Leb128.WriteUnsigned(_buffer.AsSpan(_length), value);
    }

    /// <summary>Writes the minimal sLEB128 encoding of <paramref name="value"/>.</summary>
    public void WriteInt64(long value)
    {
        Ensure(Leb128.MaxLength);
        _length += Leb128.WriteSigned(_buffer.AsSpan(_length), value);
    }

    /// <summary>Writes a uLEB128 length followed by <paramref name="bytes"/>.</summary>
    public void WriteLengthPrefixed(ReadOnlySpan<byte> bytes)
    {
        WriteUInt64((ulong)bytes.Length);
        Write(bytes);
    }

    /// <summary>Writes a uLEB128 byte length followed by the UTF-8 bytes of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> contains a lone surrogate (not encodable as UTF-8).</exception>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 1 && value[0] < 0x80)
        {
            Ensure(2);
            _buffer[_length++] = 1;
            _buffer[_length++] = (byte)value[0];
            return;
        }

        var count = Utf8Length(value);
        WriteUInt64((ulong)count);
        WriteUtf8(value, count);
    }

    /// <summary>Writes the UTF-8 bytes of <paramref name="value"/> without a length prefix.</summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> contains a lone surrogate (not encodable as UTF-8).</exception>
    public int WriteUtf8(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 1 && value[0] < 0x80)
        {
            WriteByte((byte)value[0]);
            return 1;
        }

        var count = Utf8Length(value);
        WriteUtf8(value, count);
        return count;
    }

    /// <summary>Writes the 32 bytes of <paramref name="hash"/>.</summary>
    public void WriteChangeHash(ChangeHash hash)
    {
        Ensure(ChangeHash.Size);
        hash.WriteTo(_buffer.AsSpan(_length, ChangeHash.Size));
        _length += ChangeHash.Size;
    }

    /// <summary>Writes a uLEB128 count followed by the hashes in the given order.</summary>
    public void WriteChangeHashes(IReadOnlyCollection<ChangeHash> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        WriteUInt64((ulong)hashes.Count);
        foreach (var hash in hashes)
        {
            WriteChangeHash(hash);
        }
    }

    /// <summary>
    /// The free space after the written bytes, at least <paramref name="sizeHint"/> bytes (the buffer grows as needed);
    /// bytes put there count as written after <see cref="Advance"/>.
    /// </summary>
    /// <param name="sizeHint">Bytes needed, ≥ 0.</param>
    /// <exception cref="InvalidOperationException">The buffer would exceed <see cref="Array.MaxLength"/>.</exception>
    internal Span<byte> GetSpan(int sizeHint)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    /// <summary>Counts <paramref name="count"/> bytes put into the span from <see cref="GetSpan"/> as written.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or beyond the buffer.</exception>
    internal void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _length);
        _length += count;
    }

    /// <summary>Copies the written bytes into a new array.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Discards everything written (keeps the buffer).</summary>
    public void Clear() => _length = 0;

    /// <summary>Strict UTF-8 encoding.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> contains a lone surrogate.</exception>
    public static byte[] EncodeUtf8(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            return StrictUtf8.GetBytes(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("String is not valid Unicode (lone surrogate); it cannot be encoded as UTF-8.", nameof(value), e);
        }
    }

    private static int Utf8Length(string value)
    {
        try
        {
            return StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("String is not valid Unicode (lone surrogate); it cannot be encoded as UTF-8.", nameof(value), e);
        }
    }

    private void WriteUtf8(string value, int count)
    {
        Ensure(count);
        _length += StrictUtf8.GetBytes(value, _buffer.AsSpan(_length, count));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Ensure(int extra)
    {
        if ((long)_length + extra > _buffer.Length)
        {
            Grow(extra);
        }
    }

    private void Grow(int extra)
    {
        var needed = (long)_length + extra;
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException("ByteWriter cannot grow beyond Array.MaxLength.");
        }

        var size = Math.Max(needed, Math.Min((long)Array.MaxLength, Math.Max(256L, (long)_buffer.Length * 2)));
        Array.Resize(ref _buffer, (int)size);
    }
}
