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
