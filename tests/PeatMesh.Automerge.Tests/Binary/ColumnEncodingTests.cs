using PeatMesh.Automerge.Binary;

namespace PeatMesh.Automerge.Tests.Binary;

public class ColumnEncodingTests
{
    private static string Hex(ReadOnlyMemory<byte> bytes) => Convert.ToHexStringLower(bytes.Span);

    private static byte[] EncodeUInts(IEnumerable<ulong?> values)
    {
        var encoder = new RleEncoder<ulong, UInt64Codec>();
        foreach (var v in values)
        {
            if (v is { } x)
            {
                encoder.Append(x);
            }
            else
            {
                encoder.AppendNull();
            }
        }

        return encoder.Finish().ToArray();
    }

    private static List<ulong?> DecodeUInts(byte[] data, int rows)
    {
        var decoder = new RleDecoder<ulong, UInt64Codec>(data, "test");
        var result = new List<ulong?>();
        for (var i = 0; i < rows; i++)
        {
            result.Add(decoder.TryNext(out var v) ? v : null);
        }

        Assert.True(decoder.IsDone);
        return result;
    }

    private static byte[] EncodeStrings(IEnumerable<string?> values)
    {
        var encoder = new RleEncoder<string, StringCodec>();
        foreach (var v in values)
        {
            if (v is null)
            {
                encoder.AppendNull();
            }
            else
            {
                encoder.Append(v);
            }
        }

        return encoder.Finish().ToArray();
    }

    private static byte[] EncodeDeltas(IEnumerable<long?> values)
    {
        var encoder = new DeltaEncoder();
        foreach (var v in values)
        {
            if (v is { } x)
            {
                encoder.Append(x);
            }
            else
            {
                encoder.AppendNull();
            }
        }

        return encoder.Finish().ToArray();
    }

    private static byte[] EncodeBools(IEnumerable<bool> values)
    {
        var encoder = new BooleanEncoder();
        foreach (var v in values)
        {
            encoder.Append(v);
        }

        return encoder.Finish().ToArray();
    }

    private static bool[] DecodeBools(byte[] data, int rows)
    {
        var decoder = new BooleanDecoder(data, "test");
        var result = new bool[rows];
        for (var i = 0; i < rows; i++)
        {
            result[i] = decoder.Next();
        }

        Assert.True(decoder.IsDone);
        return result;
    }

    // ---- automerge.md §2.6 examples ----
    [Fact]
    public void Rle_SpecExample_IsByteExact()
    {
        ulong?[] values = [0, 0, 0, null, null, 1, 2, 3];
        var bytes = EncodeUInts(values);
        Assert.Equal("030000027d010203", Convert.ToHexStringLower(bytes));
        Assert.Equal(values, DecodeUInts(bytes, values.Length));
    }

    [Fact]
    public void Delta_SpecExample_IsByteExact()
    {
        long?[] values = [3, 4, 5, 6, 9, 7, 8];
        var bytes = EncodeDeltas(values);
        Assert.Equal("7f0303017d037e01", Convert.ToHexStringLower(bytes));
        var decoder = new DeltaDecoder(bytes, "test");
        foreach (var expected in values)
        {
            Assert.True(decoder.TryNext(out var v));
            Assert.Equal(expected, v);
        }

        Assert.True(decoder.IsDone);
    }

    [Fact]
    public void Boolean_SpecExamples_AreByteExact()
    {
        Assert.Equal("000203", Convert.ToHexStringLower(EncodeBools([true, true, false, false, false])));
        Assert.Equal("05", Convert.ToHexStringLower(EncodeBools([false, false, false, false, false])));
        Assert.Empty(EncodeBools([]));
        Assert.Equal([true, true, false, false, false], DecodeBools(Convert.FromHexString("000203"), 5));
    }

    [Fact]
    public void String_SpecExample_IsByteExact()
    {
        string?[] values = ["a", "", null, "boo", "boo"];
        var bytes = EncodeStrings(values);
        Assert.Equal("7e0161000001020362" + "6f6f", Convert.ToHexStringLower(bytes));
        var decoder = new RleDecoder<string, StringCodec>(bytes, "test");
        foreach (var expected in values)
        {
            Assert.Equal(expected, decoder.TryNext(out var s) ? s : null);
        }

        Assert.True(decoder.IsDone);
    }

    // ---- state machine transitions (§2.6) ----
    [Theory]
    [InlineData(new long[] { 5 }, "7f05")] // LoneVal finishes as a literal of one, never "1 v"
    [InlineData(new long[] { 5, 5 }, "0205")]
    [InlineData(new long[] { 1, 2, 2 }, "7f010202")] // literal flushed without its last when the last repeats
    [InlineData(new long[] { 1, 2, 3, 3, 4 }, "7e010202037f04")]
    [InlineData(new long[] { 7, 7, 8 }, "02077f08")]
    public void Rle_Transitions_MatchCanonicalForm(long[] input, string expectedHex)
    {
        Assert.Equal(expectedHex, Convert.ToHexStringLower(EncodeUInts(input.Select(v => (ulong?)(ulong)v))));
    }

    [Fact]
    public void Rle_NullsAroundValues_AreWrittenExceptWhenAllNull()
    {
        Assert.Empty(EncodeUInts([null, null, null]));
        Assert.Equal("00027f01", Convert.ToHexStringLower(EncodeUInts([null, null, 1])));
        Assert.Equal("7f010001", Convert.ToHexStringLower(EncodeUInts([1, null])));
        Assert.Equal("02010002", Convert.ToHexStringLower(EncodeUInts([1, 1, null, null])));
        Assert.Equal("7e01020001", Convert.ToHexStringLower(EncodeUInts([1, 2, null])));
    }

    /// <summary>An independent formulation of the canonical form: maximal equal runs (≥ 2) become runs, maximal
    /// sequences of singletons become one literal, null runs become null records, an all-null column is empty.</summary>
    private static byte[] ReferenceEncode(IReadOnlyList<ulong?> values)
    {
        var writer = new ByteWriter();
        if (values.All(v => v is null))
        {
            return [];
        }

        var i = 0;
        var literal = new List<ulong>();
        void FlushLiteral()
        {
            if (literal.Count > 0)
            {
                writer.WriteInt64(-literal.Count);
                literal.ForEach(writer.WriteUInt64);
                literal.Clear();
            }
        }

        while (i < values.Count)
        {
            var j = i;
            while (j < values.Count && values[j] == values[i])
            {
                j++;
            }

            var length = j - i;
            if (values[i] is null)
            {
                FlushLiteral();
                writer.WriteInt64(0);
                writer.WriteUInt64((ulong)length);
            }
            else if (length >= 2)
            {
                FlushLiteral();
                writer.WriteInt64(length);
                writer.WriteUInt64(values[i]!.Value);
            }
            else
            {
                literal.Add(values[i]!.Value);
            }

            i = j;
        }

        FlushLiteral();
        return writer.ToArray();
    }

    [Fact]
    public void Rle_RandomSequences_MatchReferenceAndRoundTrip()
    {
        var random = new Random(99);
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var length = random.Next(0, 40);
            var alphabet = 1 + random.Next(4);
            var nullRate = random.Next(4);
            var values = new List<ulong?>();
            for (var k = 0; k < length; k++)
            {
                values.Add(random.Next(8) < nullRate ? null : (ulong)random.Next(alphabet) * 1000);
            }

            var bytes = EncodeUInts(values);
            Assert.Equal(Convert.ToHexStringLower(ReferenceEncode(values)), Convert.ToHexStringLower(bytes));
            if (bytes.Length > 0)
            {
                Assert.Equal(values, DecodeUInts(bytes, values.Count));
            }
        }
    }

    [Fact]
    public void Boolean_RandomSequences_RoundTrip()
    {
        var random = new Random(17);
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var values = Enumerable.Range(0, random.Next(1, 50)).Select(_ => random.Next(3) == 0).ToArray();
            Assert.Equal(values, DecodeBools(EncodeBools(values), values.Length));
        }
    }

    [Fact]
    public void Delta_RandomSequences_RoundTrip()
    {
        var random = new Random(23);
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var values = Enumerable.Range(0, random.Next(1, 50))
                .Select(_ => random.Next(5) == 0 ? (long?)null : random.Next(-100, 1000)).ToArray();
            if (values.All(v => v is null))
            {
                continue;
            }

            var decoder = new DeltaDecoder(EncodeDeltas(values), "test");
            foreach (var expected in values)
            {
                Assert.Equal(expected, decoder.TryNext(out var v) ? v : null);
            }

            Assert.True(decoder.IsDone);
        }
    }

    [Fact]
    public void Decoders_AbsentColumn_YieldNullOrFalseForever()
    {
        var rle = new RleDecoder<ulong, UInt64Codec>([], "absent");
        var boolean = new BooleanDecoder([], "absent");
        for (var i = 0; i < 10; i++)
        {
            Assert.False(rle.TryNext(out _));
            Assert.False(boolean.Next());
        }

        Assert.False(rle.IsPresent);
    }

    [Theory]
    [InlineData("0205")] // 2 rows, asked for 3
    [InlineData("7e01")] // literal of 2 with only 1 value
    [InlineData("0002")] // null run of 2
    public void Rle_PresentColumnEndsEarly_Throws(string hex)
    {
        Assert.Throws<AutomergeFormatException>(() =>
        {
            var decoder = new RleDecoder<ulong, UInt64Codec>(Convert.FromHexString(hex), "short");
            for (var i = 0; i < 3; i++)
            {
                decoder.TryNext(out _);
            }
        });
    }

    [Theory]
    [InlineData("ffffffffffffffff3f05")] // run of 2^62
    [InlineData("808080808080808040")] // literal of -2^62
    [InlineData("00ffffffffffffffffff01")] // null run of 2^64-1
    [InlineData("8180800205")] // run of 2^22 + 1, one above the cap
    public void Rle_HugeRunLength_ThrowsWithoutAllocating(string hex)
    {
        Assert.Throws<AutomergeFormatException>(() =>
        {
            var decoder = new RleDecoder<ulong, UInt64Codec>(Convert.FromHexString(hex), "huge");
            decoder.TryNext(out _);
        });
    }

    [Fact]
    public void Boolean_HugeRunLength_Throws()
    {
        Assert.Throws<AutomergeFormatException>(() =>
        {
            var decoder = new BooleanDecoder(Convert.FromHexString("ffffffffffffffff7f"), "huge");
            decoder.Next();
        });
    }

    [Fact]
    public void Delta_Overflow_Throws()
    {
        var writer = new ByteWriter();
        writer.WriteInt64(-2);
        writer.WriteInt64(long.MaxValue);
        writer.WriteInt64(1);
        Assert.Throws<AutomergeFormatException>(() =>
        {
            var decoder = new DeltaDecoder(writer.ToArray(), "overflow");
            decoder.TryNext(out _);
            decoder.TryNext(out _);
        });
    }

    [Fact]
    public void String_InvalidUtf8_Throws()
    {
        Assert.Throws<AutomergeFormatException>(() =>
        {
            var decoder = new RleDecoder<string, StringCodec>(Convert.FromHexString("7f02c328"), "bad");
            decoder.TryNext(out _);
        });
    }

    [Fact]
    public void Finish_AfterOnlyNulls_IsEmptyForEveryEncoder()
    {
        var strings = new RleEncoder<string, StringCodec>();
        strings.AppendNull();
        var deltas = new DeltaEncoder();
        deltas.AppendNull();
        Assert.Equal(string.Empty, Hex(strings.Finish()));
        Assert.Equal(string.Empty, Hex(deltas.Finish()));
    }
}
