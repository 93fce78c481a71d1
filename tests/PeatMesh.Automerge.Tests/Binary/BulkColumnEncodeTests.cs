using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Binary;

/// <summary>The bulk encoding paths (runs, spans, <see cref="ChangeOpBatch"/>) against appending value by value: byte-identical.</summary>
public class BulkColumnEncodeTests
{
    private static readonly string[] Keys = ["a", "b", "title", "ключ", "🇬🇧", ""];

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Sequences with long runs, short runs and singletons, drawn from a small alphabet.</summary>
    private static List<int> RandomCodes(Random random, int alphabet)
    {
        var codes = new List<int>();
        var length = random.Next(0, 60);
        while (codes.Count < length)
        {
            var code = random.Next(alphabet);
            var repeat = random.Next(3) == 0 ? random.Next(1, 12) : 1;
            codes.AddRange(Enumerable.Repeat(code, repeat));
        }

        return codes;
    }

    [Fact]
    public void ColumnRuns_RandomUInt64Spans_MatchAppendingOneByOne()
    {
        var random = new Random(11);
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var values = RandomCodes(random, 1 + random.Next(4)).Select(c => c == 0 ? ColumnRuns.NullUInt64 : (ulong)c * 300).ToArray();
            var expected = new RleEncoder<ulong, UInt64Codec>();
            var actual = new RleEncoder<ulong, UInt64Codec>();
            foreach (var v in values)
            {
                if (v == ColumnRuns.NullUInt64)
                {
                    expected.AppendNull();
                }
                else
                {
                    expected.Append(v);
                }
            }

            // in random slices, as successive batches do
            var start = 0;
            while (start < values.Length)
            {
                var n = random.Next(1, values.Length - start + 1);
                ColumnRuns.Append(actual, values.AsSpan(start, n));
                start += n;
            }

            Assert.Equal(Hex(expected.Finish().Span), Hex(actual.Finish().Span));
        }
    }

    [Fact]
    public void ColumnRuns_RandomStringSpans_MatchAppendingOneByOne()
    {
        var random = new Random(12);
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var values = RandomCodes(random, 1 + random.Next(4)).Select(c => c == 0 ? null : Keys[c % Keys.Length]).ToArray();
            var expected = new RleEncoder<string, StringCodec>();
            var actual = new RleEncoder<string, StringCodec>();
            foreach (var v in values)
            {
                if (v is null)
                {
                    expected.AppendNull();
                }
                else
                {
                    expected.Append(v);
                }
            }

            ColumnRuns.Append(actual, values);
            Assert.Equal(Hex(expected.Finish().Span), Hex(actual.Finish().Span));
        }
    }

    [Fact]
    public void DeltaAppendValues_RandomSpans_MatchAppendingOneByOne()
    {
        var random = new Random(13);
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            // Counters as a change holds them: often +1 steps, sometimes jumps, repeats or nulls.
            var values = new List<long>();
            long counter = random.Next(0, 5);
            for (var k = random.Next(0, 60); k > 0; k--)
            {
                values.Add(random.Next(6) == 0 ? ColumnRuns.NullInt64 : counter);
                counter += random.Next(4) switch { 0 => 0, 1 => random.Next(-3, 50), _ => 1 };
            }

            var expected = new DeltaEncoder();
            var actual = new DeltaEncoder();
            foreach (var v in values)
            {
                if (v == ColumnRuns.NullInt64)
                {
                    expected.AppendNull();
                }
                else
                {
                    expected.Append(v);
                }
            }

            var array = values.ToArray();
            var half = random.Next(array.Length + 1);
            actual.AppendValues(array.AsSpan(0, half));
            actual.AppendValues(array.AsSpan(half));
            Assert.Equal(Hex(expected.Finish().Span), Hex(actual.Finish().Span));
        }
    }

    [Fact]
    public void BooleanAppendValues_RandomSpans_MatchAppendingOneByOne()
    {
        var random = new Random(14);
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var values = RandomCodes(random, 2).Select(c => c == 1).ToArray();
            var expected = new BooleanEncoder();
            var actual = new BooleanEncoder();
            foreach (var v in values)
            {
                expected.Append(v);
            }

            var half = random.Next(values.Length + 1);
            actual.AppendValues(values.AsSpan(0, half));
            actual.AppendValues(values.AsSpan(half));
            Assert.Equal(expected.AnyTrue, actual.AnyTrue);
            Assert.Equal(Hex(expected.Finish().Span), Hex(actual.Finish().Span));
        }
    }

    private sealed record RandomOp(ulong ObjActor, ulong ObjCounter, string? MapKey, ulong KeyActor, ulong KeyCounter, bool Insert,
        OpAction Action, ScalarValue Value, (ulong Actor, ulong Counter)[] Preds, bool Expand, string? MarkName);

    private static ScalarValue RandomValue(Random random) => random.Next(12) switch
    {
        0 => ScalarValue.Null,
        1 => ScalarValue.Boolean(random.Next(2) == 0),
        2 => ScalarValue.Uint((ulong)random.Next(0, 300)),
        3 => ScalarValue.Int(random.Next(-300, 300)),
        4 => ScalarValue.F64(random.NextDouble()),
        5 => ScalarValue.Str(Keys[random.Next(Keys.Length)]),
        6 => ScalarValue.Bytes([(byte)random.Next(256), 1]),
        7 => ScalarValue.Counter(random.Next(-5, 5)),
        8 => ScalarValue.Timestamp(random.Next()),
        9 => ScalarValue.Unknown((byte)random.Next(10, 16), [7]),
        _ => ScalarValue.Str(((char)random.Next(0x20, 0x80)).ToString()), // text characters, mostly
    };

    private static List<RandomOp> RandomOps(Random random)
    {
        var ops = new List<RandomOp>();
        var text = random.Next(2) == 0; // long runs of insertions, as in a text, or anything
        var counter = (ulong)random.Next(1, 100);
        for (var k = random.Next(0, random.Next(2) == 0 ? 20 : 1500); k > 0; k--)
        {
            var preds = Enumerable.Range(0, random.Next(6) == 0 ? random.Next(1, 4) : 0)
                .Select(_ => ((ulong)random.Next(3), (ulong)random.Next(1, 1000))).OrderBy(p => p.Item2).ToArray();
            if (text)
            {
                ops.Add(new RandomOp(0, 5, null, 0, counter++, random.Next(10) != 0, OpAction.Set,
                    ScalarValue.Str(((char)random.Next(0x20, 0x80)).ToString()), preds, false, null));
                continue;
            }

            var objCounter = random.Next(3) == 0 ? 0UL : (ulong)random.Next(1, 4);
            var mapKey = random.Next(3) == 0 ? Keys[random.Next(Keys.Length)] : null;
            var keyCounter = random.Next(4) == 0 ? 0UL : (ulong)random.Next(1, 50);
            var action = (OpAction)random.Next(0, 8);
            var value = action == OpAction.Increment ? ScalarValue.Int(random.Next(-5, 5)) : RandomValue(random);
            ops.Add(new RandomOp((ulong)random.Next(3), objCounter, mapKey, (ulong)random.Next(3), keyCounter, random.Next(3) == 0,
                action, value, preds, random.Next(5) == 0, action == OpAction.Mark && random.Next(2) == 0 ? "bold" : null));
        }

        return ops;
    }

    private static string EncodeBody(IReadOnlyList<RandomOp> ops, Action<ChangeEncoder, IReadOnlyList<RandomOp>> append)
    {
        using var encoder = new ChangeEncoder();
        encoder.Begin();
        append(encoder, ops);
        encoder.WriteBody([], ActorId.FromBytes([1, 2, 3]), 1, 1, 0, null, [ActorId.FromBytes([4]), ActorId.FromBytes([5])], []);
        return Hex(encoder.Body);
    }

    [Fact]
    public void AppendBatch_RandomOps_IsByteIdenticalToAppendOp()
    {
        var random = new Random(2026);
        for (var iteration = 0; iteration < 300; iteration++)
        {
            var ops = RandomOps(random);
            var expected = EncodeBody(ops, (encoder, list) =>
            {
                foreach (var op in list)
                {
                    encoder.AppendOp(op.ObjActor, op.ObjCounter, op.MapKey, op.KeyActor, op.KeyCounter, op.Insert, op.Action, op.Value,
                        op.Preds.Length, op.Expand, op.MarkName);
                    foreach (var (actor, counter) in op.Preds)
                    {
                        encoder.AppendPred(actor, counter);
                    }
                }
            });
            var actual = EncodeBody(ops, (encoder, list) =>
            {
                var batch = new ChangeOpBatch();
                foreach (var op in list)
                {
                    if (batch.IsFull)
                    {
                        encoder.AppendBatch(batch);
                        batch.Clear();
                    }

                    batch.Add(op.ObjActor, op.ObjCounter, op.MapKey, op.KeyActor, op.KeyCounter, op.Insert, op.Action, op.Value,
                        op.Preds.Length, op.Expand, op.MarkName);
                    foreach (var (actor, counter) in op.Preds)
                    {
                        batch.AddPred(actor, counter);
                    }
                }

                encoder.AppendBatch(batch);
            });
            Assert.Equal(expected, actual);
        }
    }
}
