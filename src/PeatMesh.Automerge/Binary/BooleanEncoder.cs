namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Boolean column encoder (Automerge binary format §2.6): uLEB run lengths alternating false, true, false, …,
/// starting with false (a leading 0 when the first value is true); nothing for an empty column.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class BooleanEncoder
{
    private readonly ByteWriter _output = new(16);
    private bool _last;
    private long _count;

    /// <summary>Whether any appended value was true.</summary>
    public bool AnyTrue { get; private set; }

    /// <summary>Appends a value.</summary>
    public void Append(bool value)
    {
        AnyTrue |= value;
        if (value == _last)
        {
            _count++;
            return;
        }

        _output.WriteUInt64((ulong)_count);
        _last = value;
        _count = 1;
    }

    /// <summary>Appends values in bulk, exactly as one <see cref="Append"/> per value would.</summary>
    public void AppendValues(ReadOnlySpan<bool> values)
    {
        var i = 0;
        while (i < values.Length)
        {
            var value = values[i];
            var j = ColumnRuns.RunEnd(values, i);
            AnyTrue |= value;
            if (value == _last)
            {
                _count += j - i;
            }
            else
            {
                _output.WriteUInt64((ulong)_count);
                _last = value;
                _count = j - i;
            }

            i = j;
        }
    }

    /// <summary>Discards everything appended, keeping the buffer for reuse.</summary>
    public void Reset()
    {
        _output.Clear();
        _last = false;
        _count = 0;
        AnyTrue = false;
    }

    /// <summary>Flushes and returns the column bytes.</summary>
    public ReadOnlyMemory<byte> Finish()
    {
        if (_count > 0)
        {
            _output.WriteUInt64((ulong)_count);
            _count = 0;
        }

        return _output.WrittenMemory;
    }
}
