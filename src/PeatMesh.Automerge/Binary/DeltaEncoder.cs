namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Delta column encoder (Automerge binary format §2.6): RLE of <c>value − previous non-null value</c>, starting
/// from 0; nulls pass through without changing the running value. Subtraction saturates, as Automerge's does.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class DeltaEncoder
{
    private readonly RleEncoder<long, Int64Codec> _rle = new();
    private long _absolute;

    /// <summary>Appends a value.</summary>
    public void Append(long value)
    {
        _rle.Append(SaturatingSubtract(value, _absolute));
        _absolute = value;
    }

    /// <summary>Appends a null.</summary>
    public void AppendNull() => _rle.AppendNull();

    /// <summary>
    /// Appends values in bulk (<see cref="ColumnRuns.NullInt64"/> = null), exactly as one <see cref="Append"/> or
    /// <see cref="AppendNull"/> per value would, passing equal consecutive deltas to the RLE encoder as one run.
    /// </summary>
    public void AppendValues(ReadOnlySpan<long> values)
    {
        var absolute = _absolute;
        var i = 0;
        while (i < values.Length)
        {
            var value = values[i];
            var j = i + 1;
            if (value == ColumnRuns.NullInt64)
            {
                while (j < values.Length && values[j] == ColumnRuns.NullInt64)
                {
                    j++;
                }

                _rle.AppendNulls(j - i);
                i = j;
                continue;
            }

            var delta = SaturatingSubtract(value, absolute);
            absolute = value;
            while (j < values.Length && values[j] != ColumnRuns.NullInt64 && SaturatingSubtract(values[j], absolute) == delta)
            {
                absolute = values[j++];
            }

            _rle.AppendRun(delta, j - i);
            i = j;
        }

        _absolute = absolute;
    }

    /// <summary>Discards everything appended, keeping the buffers for reuse.</summary>
    public void Reset()
    {
        _rle.Reset();
        _absolute = 0;
    }

    /// <summary>Flushes and returns the column bytes.</summary>
    public ReadOnlyMemory<byte> Finish() => _rle.Finish();

    private static long SaturatingSubtract(long a, long b)
    {
        var result = unchecked(a - b);
        if (((a ^ b) & (a ^ result)) < 0)
        {
            return a < 0 ? long.MinValue : long.MaxValue;
        }

        return result;
    }
}
