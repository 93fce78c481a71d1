namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Bulk appends to the run-length encoders (Automerge binary format §2.6): equal consecutive values of a span go to the
/// encoder as one run, which encodes exactly as appending them one by one. Nulls are marked with sentinels that no
/// change column value takes (actor indices, counters, group sizes, value metadata and actions stay far below them).
/// </summary>
/// <remarks>Stateless; thread-safe (the encoders are not).</remarks>
internal static class ColumnRuns
{
    /// <summary>The null of a uLEB column span.</summary>
    public const ulong NullUInt64 = ulong.MaxValue;

    /// <summary>The null of a delta column span.</summary>
    public const long NullInt64 = long.MinValue;

    /// <summary>Appends <paramref name="values"/> (<see cref="NullUInt64"/> = null).</summary>
    public static void Append(RleEncoder<ulong, UInt64Codec> encoder, ReadOnlySpan<ulong> values)
    {
        var i = 0;
        while (i < values.Length)
        {
            var value = values[i];
            var j = RunEnd(values, i);
            if (value == NullUInt64)
            {
                encoder.AppendNulls(j - i);
            }
            else
            {
                encoder.AppendRun(value, j - i);
            }

            i = j;
        }
    }

    /// <summary>The end (exclusive) of the run of values equal to <c>values[start]</c>; long runs are searched vectorised.</summary>
    public static int RunEnd<T>(ReadOnlySpan<T> values, int start)
        where T : IEquatable<T>
    {
        var value = values[start];
        var next = start + 1;
        if (next == values.Length || !values[next].Equals(value))
        {
            return next; // a single value: no search call
        }

        var other = values[(next + 1)..].IndexOfAnyExcept(value);
        return other < 0 ? values.Length : next + 1 + other;
    }

    /// <summary>Appends <paramref name="values"/> (null = null).</summary>
    public static void Append(RleEncoder<string, StringCodec> encoder, ReadOnlySpan<string?> values)
    {
        var i = 0;
        while (i < values.Length)
        {
            var value = values[i];
            var j = i + 1;
            while (j < values.Length && string.Equals(values[j], value, StringComparison.Ordinal))
            {
                j++;
            }

            if (value is null)
            {
                encoder.AppendNulls(j - i);
            }
            else
            {
                encoder.AppendRun(value, j - i);
            }

            i = j;
        }
    }
}
