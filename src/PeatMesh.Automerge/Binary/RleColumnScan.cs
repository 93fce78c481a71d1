namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Counts the rows of a uLEB run-length encoded column (Automerge binary format §2.6) and sums its values without
/// decoding row by row: a run adds its length (and length × value), a literal its values, a null run its length.
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class RleColumnScan
{
    /// <summary>Scans <paramref name="data"/>; false when it is malformed (as a row-by-row decoder reading to its end finds it) or holds more than <paramref name="maxRows"/> rows.</summary>
    /// <param name="data">The column data (empty = no rows).</param>
    /// <param name="maxRows">The most rows allowed.</param>
    /// <param name="rows">Receives the number of rows.</param>
    /// <param name="sum">Receives the sum of the non-null values, saturating at <see cref="long.MaxValue"/>.</param>
    public static bool TryScan(ReadOnlySpan<byte> data, int maxRows, out long rows, out long sum)
    {
        rows = 0;
        sum = 0;
        var emptyLast = false; // an empty null run ends the column: a row decoder fails there
        var reader = new ByteReader(data);
        try
        {
            while (!reader.IsEnd)
            {
                var header = reader.ReadInt64();
                emptyLast = false;
                if (header > 0)
                {
                    rows += header;
                    var value = reader.ReadUInt64();
                    sum = Add(sum, value > (ulong)maxRows ? long.MaxValue : (long)value * header);
                }
                else if (header < 0)
                {
                    if (header < -maxRows)
                    {
                        return false;
                    }

                    rows -= header;
                    for (var i = header; i < 0; i++)
                    {
                        var value = reader.ReadUInt64();
                        sum = Add(sum, value > (ulong)maxRows ? long.MaxValue : (long)value);
                    }
                }
                else
                {
                    var nulls = reader.ReadUInt64();
                    if (nulls > (ulong)maxRows)
                    {
                        return false;
                    }

                    rows += (long)nulls;
                    emptyLast = nulls == 0;
                }

                if (rows > maxRows)
                {
                    return false;
                }
            }
        }
        catch (AutomergeFormatException)
        {
            return false;
        }

        return !emptyLast;
    }

    private static long Add(long a, long b) => b > long.MaxValue - a ? long.MaxValue : a + b;
}
