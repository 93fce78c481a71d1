using System.Buffers.Binary;

namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// Appends DNS wire data to a growable buffer, with optional name compression (RFC 1035 §4.1.4): every name
/// suffix written at an offset below 0x4000 is remembered and later names may point at it.
/// </summary>
/// <remarks>Not thread-safe. <see cref="Mark"/>/<see cref="Rollback"/> undo a partly written record, including
/// the compression targets it registered, so a message can stop at a size budget.</remarks>
internal sealed class DnsWireWriter
{
    private const int MaxPointerOffset = 0x3FFF;
    private readonly Dictionary<DnsName, int>? _compression;
    private readonly List<DnsName>? _journal;
    private byte[] _buffer;

    /// <summary>Creates a writer.</summary>
    /// <param name="compressionTable">Whether names are remembered as compression targets.</param>
    /// <param name="initialCapacity">Initial buffer size in bytes.</param>
    public DnsWireWriter(bool compressionTable, int initialCapacity = 512)
    {
        _buffer = new byte[initialCapacity];
        if (compressionTable)
        {
            _compression = [];
            _journal = [];
        }
    }

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    /// <summary>A copy of the bytes written.</summary>
    public byte[] ToArray() => Written.ToArray();

    /// <summary>Appends one byte.</summary>
    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    /// <summary>Appends a big-endian 16-bit value.</summary>
    public void WriteUInt16(ushort value)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(Length), value);
        Length += 2;
    }

    /// <summary>Appends a big-endian 32-bit value.</summary>
    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(Length), value);
        Length += 4;
    }

    /// <summary>Appends raw bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Overwrites a big-endian 16-bit value at <paramref name="offset"/>.</summary>
    public void PatchUInt16(int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(offset), value);

    /// <summary>Appends <paramref name="name"/>; with <paramref name="usePointers"/>, its longest already-written suffix becomes a pointer.</summary>
    public void WriteName(DnsName name, bool usePointers)
    {
        for (var i = 0; i < name.Labels.Count; i++)
        {
            if (_compression is not null)
            {
                var suffix = name.Suffix(i);
                if (usePointers && _compression.TryGetValue(suffix, out var offset))
                {
                    WriteUInt16((ushort)(0xC000 | offset));
                    return;
                }

                if (Length <= MaxPointerOffset && _compression.TryAdd(suffix, Length))
                {
                    _journal!.Add(suffix);
                }
            }

            var label = name.LabelBytes(i);
            WriteByte((byte)label.Length);
            WriteBytes(label);
        }

        WriteByte(0);
    }

    /// <summary>The current position, to <see cref="Rollback"/> to.</summary>
    public (int Length, int Journal) Mark() => (Length, _journal?.Count ?? 0);

    /// <summary>Forgets everything written after <paramref name="mark"/>.</summary>
    public void Rollback((int Length, int Journal) mark)
    {
        if (_journal is not null)
        {
            for (var i = _journal.Count - 1; i >= mark.Journal; i--)
            {
                _compression!.Remove(_journal[i]);
            }

            _journal.RemoveRange(mark.Journal, _journal.Count - mark.Journal);
        }

        Length = mark.Length;
    }

    private void Ensure(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }
    }
}
