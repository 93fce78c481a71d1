using PeatMesh.Automerge.Binary;

namespace PeatMesh.Automerge.Tests.Binary;

/// <summary>The bulk column decoders (<c>Fill</c>) against the row-by-row ones, on random (also non-canonical and truncated) columns.</summary>
public class BulkColumnDecodeTests
{
    private static readonly string[] Words = ["a", "b", "", "ключ", "🇬🇧"];

    /// <summary>Random RLE records: runs, literals and null runs (zero-length ones too), not necessarily canonical.</summary>
    private static byte[] RandomRleColumn(Random random, Action<ByteWriter> writeValue)
    {
        var writer = new ByteWriter(64);
        var records = random.Next(0, 12);
        for (var r = 0; r < records; r++)
        {
            switch (random.Next(3))
            {
                case 0:
                    writer.WriteInt64(random.Next(1, random.Next(2) == 0 ? 4 : 700));
                    writeValue(writer);
                    break;
                case 1:
                    var n = random.Next(1, random.Next(2) == 0 ? 4 : 300);
                    writer.WriteInt64(-n);
                    for (var k = 0; k < n; k++)
                    {
                        writeValue(writer);
                    }

                    break;
                default:
                    writer.WriteInt64(0);
                    writer.WriteUInt64((ulong)random.Next(0, random.Next(2) == 0 ? 3 : 500));
                    break;
            }
        }

        var bytes = writer.ToArray();
        return random.Next(6) == 0 && bytes.Length > 0 ? bytes[..random.Next(bytes.Length)] : bytes; // sometimes truncated
    }

    private static (List<(bool, T?)> Rows, string? Error) Reference<T, TCodec>(byte[] data, int maxRows, int wanted, bool stopAtEnd)
        where TCodec : IColumnValueCodec<T>
    {
        var decoder = new RleDecoder<T, TCodec>(data, "col", maxRows);
        var rows = new List<(bool, T?)>();
        try
        {
            while (rows.Count < wanted && !(stopAtEnd && decoder.IsDone))
            {
                var present = decoder.TryNext(out var value);
                rows.Add((present, value));
            }
        }
        catch (AutomergeFormatException e)
        {
            return (rows, e.Message);
        }

        return (rows, null);
    }

    private static (List<(bool, T?)> Rows, string? Error) Bulk<T, TCodec>(byte[] data, int maxRows, int wanted, bool stopAtEnd, Random random)
        where TCodec : IColumnValueCodec<T>
    {
        var decoder = new RleDecoder<T, TCodec>(data, "col", maxRows);
        var rows = new List<(bool, T?)>();
        while (rows.Count < wanted)
        {
            var chunk = Math.Min(wanted - rows.Count, random.Next(1, 300));
            var values = new T[chunk];
            var present = new bool[chunk];
            var n = decoder.Fill(values, present, stopAtEnd, out var error);
            for (var i = 0; i < n; i++)
            {
                rows.Add((present[i], present[i] ? values[i] : default));
            }

            if (error is not null)
            {
                return (rows, error.Message);
            }

            if (n < chunk)
            {
                Assert.True(stopAtEnd && decoder.IsDone, "Fill returned early without an error");
                break;
            }
        }

        return (rows, null);
    }

    [Fact]
    public void RleFill_RandomUInt64Columns_MatchesTryNextRowForRow()
    {
        var random = new Random(4242);
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var data = random.Next(10) == 0 ? [] : RandomRleColumn(random, w => w.WriteUInt64((ulong)random.Next(3) * 1000));
            var maxRows = random.Next(3) == 0 ? random.Next(1, 200) : ColumnLimits.MaxRows;
            var stopAtEnd = random.Next(2) == 0;
            var wanted = random.Next(0, 3000);
            var expected = Reference<ulong, UInt64Codec>(data, maxRows, wanted, stopAtEnd);
            var actual = Bulk<ulong, UInt64Codec>(data, maxRows, wanted, stopAtEnd, random);
            Assert.Equal(expected.Error, actual.Error);
            Assert.Equal(expected.Rows, actual.Rows);
        }
    }

    [Fact]
    public void RleFill_RandomStringColumns_MatchesTryNextRowForRow()
    {
        var random = new Random(777);
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var data = RandomRleColumn(random, w =>
            {
                if (random.Next(15) == 0)
                {
                    w.WriteLengthPrefixed([0xff]); // invalid UTF-8
                }
                else
                {
                    w.WriteString(Words[random.Next(Words.Length)]);
                }
            });
            var wanted = random.Next(0, 2000);
            var expected = Reference<string, StringCodec>(data, ColumnLimits.MaxRows, wanted, stopAtEnd: false);
            var actual = Bulk<string, StringCodec>(data, ColumnLimits.MaxRows, wanted, stopAtEnd: false, random);
            Assert.Equal(expected.Error, actual.Error);
            Assert.Equal(expected.Rows, actual.Rows);
        }
    }

    [Fact]
    public void RleFill_AbsentColumn_YieldsNullsOrStopsAtOnce()
    {
        var decoder = new RleDecoder<ulong, UInt64Codec>([], "absent");
        var values = new ulong[5];
        var present = new bool[5];
        Array.Fill(present, true);
        Assert.Equal(0, decoder.Fill(values, present, stopAtEnd: true, out var error));
        Assert.Null(error);
        Assert.Equal(5, decoder.Fill(values, present, stopAtEnd: false, out error));
        Assert.Null(error);
        Assert.All(present, Assert.False);
    }

    [Fact]
    public void DeltaFill_RandomColumns_MatchesTryNextRowForRow()
    {
        var random = new Random(99);
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var big = random.Next(8) == 0;
            var data = RandomRleColumn(random, w => w.WriteInt64(big ? long.MaxValue / 3 : random.Next(-5, 6)));
            var wanted = random.Next(0, 2000);
            var reference = new DeltaDecoder(data, "delta");
            var expectedRows = new List<long?>();
            string? expectedError = null;
            try
            {
                while (expectedRows.Count < wanted)
                {
                    expectedRows.Add(reference.TryNext(out var v) ? v : null);
                }
            }
            catch (AutomergeFormatException e)
            {
                expectedError = e.Message;
            }

            var bulk = new DeltaDecoder(data, "delta");
            var actualRows = new List<long?>();
            string? actualError = null;
            while (actualRows.Count < wanted && actualError is null)
            {
                var chunk = Math.Min(wanted - actualRows.Count, random.Next(1, 300));
                var values = new long[chunk];
                var present = new bool[chunk];
                var n = bulk.Fill(values, present, out var error);
                for (var i = 0; i < n; i++)
                {
                    actualRows.Add(present[i] ? values[i] : null);
                }

                actualError = error?.Message;
                Assert.True(n == chunk || error is not null);
            }

            Assert.Equal(expectedError, actualError);
            Assert.Equal(expectedRows, actualRows);
        }
    }

    [Fact]
    public void BooleanFill_RandomColumns_MatchesNextRowForRow()
    {
        var random = new Random(5);
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var writer = new ByteWriter(16);
            for (var r = random.Next(0, 10); r > 0; r--)
            {
                writer.WriteUInt64((ulong)random.Next(0, random.Next(2) == 0 ? 3 : 400));
            }

            var data = writer.ToArray();
            var maxRows = random.Next(3) == 0 ? random.Next(1, 300) : ColumnLimits.MaxRows;
            var wanted = random.Next(0, 2000);
            var reference = new BooleanDecoder(data, "bool", maxRows);
            var expectedRows = new List<bool>();
            string? expectedError = null;
            try
            {
                while (expectedRows.Count < wanted)
                {
                    expectedRows.Add(reference.Next());
                }
            }
            catch (AutomergeFormatException e)
            {
                expectedError = e.Message;
            }

            var bulk = new BooleanDecoder(data, "bool", maxRows);
            var actualRows = new List<bool>();
            string? actualError = null;
            while (actualRows.Count < wanted && actualError is null)
            {
                var values = new bool[Math.Min(wanted - actualRows.Count, random.Next(1, 300))];
                var n = bulk.Fill(values, out var error);
                actualRows.AddRange(values.AsSpan(0, n).ToArray());
                actualError = error?.Message;
            }

            Assert.Equal(expectedError, actualError);
            Assert.Equal(expectedRows, actualRows);
            Assert.Equal(reference.IsDone, bulk.IsDone);
        }
    }

    [Fact]
    public void RleColumnScan_RandomColumns_CountsRowsAndSumsValues()
    {
        var random = new Random(31);
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var data = RandomRleColumn(random, w => w.WriteUInt64((ulong)random.Next(4)));
            var (rows, error) = Reference<ulong, UInt64Codec>(data, ColumnLimits.MaxRows, int.MaxValue, stopAtEnd: true);
            var ok = RleColumnScan.TryScan(data, ColumnLimits.MaxRows, out var count, out var sum);
            Assert.Equal(error is null, ok);
            if (ok)
            {
                Assert.Equal(rows.Count, count);
                Assert.Equal(rows.Where(r => r.Item1).Sum(r => (long)r.Item2), sum);
            }
        }
    }
}
