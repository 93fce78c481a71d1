using System.Buffers.Binary;

namespace PeatMesh.Sync.Wire;

/// <summary>
/// A forward-only, bounds-checked reader of big-endian fields over a complete buffer. Every read
/// checks the remaining length first and returns <see langword="false"/> instead of throwing.
/// </summary>
/// <remarks>Not thread-safe (a mutable stack-only cursor).</remarks>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public WireReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Offset of the next unread byte.</summary>
    public readonly int Position => _position;

    /// <summary>Number of unread bytes.</summary>
    public readonly int Remaining => _data.Length - _position;

    public bool TryReadByte(out byte value)
    {
        if (Remaining < 1)
        {
            value = 0;
            return false;
        }

        value = _data[_position++];
        return true;
    }

    public bool TryReadUInt16BigEndian(out ushort value)
    {
        if (Remaining < 2)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_data[_position..]);
        _position += 2;
        return true;
    }

    public bool TryReadUInt32BigEndian(out uint value)
    {
        if (Remaining < 4)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_data[_position..]);
        _position += 4;
        return true;
    }

    public bool TryReadUInt64BigEndian(out ulong value)
    {
        if (Remaining < 8)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt64BigEndian(_data[_position..]);
        _position += 8;
        return true;
    }

    /// <summary>Reads <paramref name="count"/> bytes (a slice of the input, no copy).</summary>
    public bool TryReadBytes(uint count, out ReadOnlySpan<byte> bytes)
    {
        if ((uint)Remaining < count)
        {
            bytes = default;
            return false;
        }

        bytes = _data.Slice(_position, (int)count);
        _position += (int)count;
        return true;
    }
}
