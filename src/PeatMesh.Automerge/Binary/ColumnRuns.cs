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

    /// <summary>
    /// The end (exclusive) of the run of values equal to <c>values[start]</c>. Plain loops per element type rather than
    /// a generic search: ReadyToRun cannot precompile the framework's vectorised generic helpers for our callers, and
    /// the first load of a process would JIT them.
    /// </summary>
    public static int RunEnd(ReadOnlySpan<ulong> values, int start)
    {
        var value = values[start];
        var next = start + 1;
        while (next < values.Length && values[next] == value)
        {
            next++;
        }

        return next;
    }

    /// <inheritdoc cref="RunEnd(ReadOnlySpan{ulong}, int)"/>
    public static int RunEnd(ReadOnlySpan<bool> values, int start)
    {
        var value = values[start];
        var next = start + 1;
        while (next < values.Length && values[next] == value)
        {
            next++;
        }

        return next;
    }

    /// <summary>Appends <paramref name="values"/> (null = null).</summary>
    public static void Append(RleEncoder<string, StringCodec> encoder, ReadOnlySpan<string?> values)
    {
        var i = 0;
        while (i < values.Length)
        {
            var value = values[i];
            var j = i + 1;
            while (j < values.Length && (ReferenceEquals(values[j], value) || string.Equals(values[j], value))) // ordinal; nulls and shared strings by reference
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
