using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.Binary;

public class ChangeChunkTests
{
    private static readonly ActorId Aa = ActorId.Parse(new string('a', 32));
    private static readonly ActorId Bb = ActorId.Parse(new string('b', 32));

    // ---- automerge.md §2.7 worked example ----
    [Fact]
    public void Decode_DemoChange_MatchesWorkedExampleFieldByField()
    {
        var bytes = AutomergeFixtures.Read("generated-3.5.0", "demo-change.bin");
        var change = ChangeChunk.Decode(bytes, out var consumed);
        Assert.Equal(140, consumed);

        // header: 856f4a83 29b06e4f 01 8101, checksum = first 4 bytes of the hash
        Assert.Equal("29b06e4f", change.Hash.ToString()[..8]);
        Assert.Equal(ChangeHash.FromBytes(bytes.AsSpan(12, 32)), Assert.Single(change.Deps));
        Assert.Equal(Bb, change.Actor);
        Assert.Equal(2UL, change.Seq);
        Assert.Equal(47UL, change.StartOp);
        Assert.Equal(1700000003L, change.Time);
        Assert.Null(change.Message);
        Assert.True(change.ExtraBytes.IsEmpty);
        Assert.Equal(2, change.Ops.Count);

        var text = ObjId.FromOpId(new OpId(15, Aa));
        var begin = change.Ops[0];
        Assert.Equal(text, begin.Obj);
        Assert.Equal(Key.Seq(ElemId.Head), begin.Key);
        Assert.True(begin.Insert);
        Assert.Equal(OpAction.Mark, begin.Action);
        Assert.Equal(ScalarValue.Boolean(true), begin.Value);
        Assert.Empty(begin.Pred);
        Assert.True(begin.Expand);
        Assert.Equal("bold", begin.MarkName);

        var end = change.Ops[1];
        Assert.Equal(text, end.Obj);
        Assert.Equal(Key.Seq(ElemId.FromOpId(new OpId(20, Aa))), end.Key);
        Assert.True(end.Insert);
        Assert.Equal(OpAction.Mark, end.Action);
        Assert.True(end.Value.IsNull);
        Assert.Empty(end.Pred);
        Assert.True(end.Expand);
        Assert.Null(end.MarkName);

        Assert.Equal(bytes, change.RawBytes.ToArray());
    }

    [Fact]
    public void Encode_DemoChangeRebuiltFromFields_IsByteIdentical()
    {
        var bytes = AutomergeFixtures.Read("generated-3.5.0", "demo-change.bin");
        var decoded = ChangeChunk.Decode(bytes, out _);
        var text = ObjId.FromOpId(new OpId(15, Aa));
        var rebuilt = new Change(Bb, 2, 47, 1700000003, null, decoded.Deps,
        [
            new Op(text, Key.Seq(ElemId.Head), true, OpAction.Mark, ScalarValue.Boolean(true), null, expand: true, markName: "bold"),
            new Op(text, Key.Seq(ElemId.FromOpId(new OpId(20, Aa))), true, OpAction.Mark, ScalarValue.Null, null, expand: true),
        ]);
        var encoded = ChangeChunk.Encode(rebuilt, out var hash);
        Assert.Equal(Convert.ToHexStringLower(bytes), Convert.ToHexStringLower(encoded));
        Assert.Equal(decoded.Hash, hash);
        Assert.Equal(decoded.Hash, rebuilt.Hash);
    }

    [Theory]
    [InlineData("two_change_chunks.automerge")]
    [InlineData("two_change_chunks_out_of_order.automerge")]
    [InlineData("counter_value_is_ok.automerge")]
    public void Decode_FixtureChangeChunks_ReencodeByteIdentically(string file)
    {
        var bytes = AutomergeFixtures.Read("fixtures", file);
        var changes = ChangeChunk.DecodeAll(bytes);
        Assert.NotEmpty(changes);
        var concatenated = changes.SelectMany(c => ChangeChunk.Encode(c, out _)).ToArray();
        Assert.Equal(bytes, concatenated);
    }

    [Fact]
    public void Decode_TwoChangeChunks_SecondDependsOnFirst()
    {
        var changes = ChangeChunk.DecodeAll(AutomergeFixtures.Read("fixtures", "two_change_chunks.automerge"));
        Assert.Equal(2, changes.Count);
        var (first, second) = (changes[0], changes[1]);
        Assert.Equal(first.Actor, second.Actor);
        Assert.Equal("change 1", first.Message);
        Assert.Equal("change 2", second.Message);
        Assert.Equal(first.Hash, Assert.Single(second.Deps));

        // root.a = makeMap; then a.a = "b" inside the map created by op 1.
        var make = Assert.Single(first.Ops);
        Assert.Equal(OpAction.MakeMap, make.Action);
        Assert.Equal(Key.Map("a"), make.Key);
        var set = Assert.Single(second.Ops);
        Assert.Equal(ObjId.FromOpId(first.OpIdAt(0)), set.Obj);
        Assert.Equal(ScalarValue.Str("b"), set.Value);
    }

    [Fact]
    public void Decode_CompressedChunks_GiveTheUncompressedChanges()
    {
        var plain = ChangeChunk.DecodeAll(AutomergeFixtures.Read("fixtures", "two_change_chunks.automerge"));
        var compressedBytes = AutomergeFixtures.Read("fixtures", "two_change_chunks_compressed.automerge");
        Assert.All(ChunkContainer.ReadAll(compressedBytes), c => Assert.Equal(ChunkType.CompressedChange, c.Type));
        var compressed = ChangeChunk.DecodeAll(compressedBytes);
        Assert.Equal(plain.Select(c => c.Hash), compressed.Select(c => c.Hash));
        for (var i = 0; i < plain.Count; i++)
        {
            Assert.Equal(plain[i].RawBytes.ToArray(), compressed[i].RawBytes.ToArray());
            ChangeAssert.Same(plain[i], compressed[i]);
        }

        // The span overload reads type 2 too and reports the stored length.
        var first = ChangeChunk.Decode(compressedBytes, out var consumed);
        Assert.Equal(plain[0].Hash, first.Hash);
        Assert.True(consumed < compressedBytes.Length);
    }

    [Fact]
    public void Decode_CounterValueIsOk_ReadsACounter()
    {
        var change = Assert.Single(ChangeChunk.DecodeAll(AutomergeFixtures.Read("fixtures", "counter_value_is_ok.automerge")));
        var op = Assert.Single(change.Ops);
        Assert.Equal(ScalarKind.Counter, op.Value.Kind);
        Assert.Equal(OpAction.Set, op.Action);
    }

    [Theory]
    [InlineData("fixtures", "counter_value_is_overlong.automerge")]
    [InlineData("fixtures", "counter_value_has_incorrect_meta.automerge")]
    [InlineData("fixtures", "64bit_obj_id_change.automerge")]
    [InlineData("fuzz-crashers", "action-is-48.automerge")]
    public void Decode_MustFailChangeFixtures_ThrowFormatException(string folder, string file)
    {
        var bytes = AutomergeFixtures.Read(folder, file);
        Assert.Throws<AutomergeFormatException>(() => ChangeChunk.DecodeAll(bytes));
        Assert.Throws<AutomergeFormatException>(() => ChangeChunk.Decode(bytes, out _));
    }

    [Fact]
    public void Decode_DocumentChunk_IsNotAChange()
    {
        var bytes = AutomergeFixtures.Read("generated-3.5.0", "demo-doc.automerge");
        Assert.Throws<AutomergeFormatException>(() => ChangeChunk.Decode(bytes, out _));
    }

    [Fact]
    public void RoundTrip_RandomChanges_DecodeEncodeIdentity()
    {
        var generator = new RandomChanges(seed: 424242);
        for (var i = 0; i < 1500; i++)
        {
            var change = generator.Next();
            var bytes = ChangeChunk.Encode(change, out var hash);
            var decoded = ChangeChunk.Decode(bytes, out var consumed);
            Assert.Equal(bytes.Length, consumed);
            ChangeAssert.Same(change, decoded);
            Assert.Equal(hash, decoded.Hash);
            Assert.Equal(hash, change.Hash);
            Assert.Equal(bytes, ChangeChunk.Encode(decoded, out _));
        }
    }

    [Fact]
    public void RoundTrip_RandomChangesCompressed_SameHash()
    {
        var generator = new RandomChanges(seed: 77);
        for (var i = 0; i < 200; i++)
        {
            var change = generator.Next();
            var chunk = ChunkContainer.WriteCompressedChange(ChangeChunk.EncodeBody(change), out var hash);
            Assert.Equal(change.Hash, hash);
            var decoded = ChangeChunk.Decode(chunk, out var consumed);
            Assert.Equal(chunk.Length, consumed);
            Assert.Equal(change.Hash, decoded.Hash);
            Assert.Equal(change.RawBytes.ToArray(), decoded.RawBytes.ToArray());
        }
    }

    [Fact]
    public void Encode_EmptyChange_HasNoColumns()
    {
        var change = new Change(Aa, 1, 1, 0, null, null, []);
        var body = ChangeChunk.EncodeBody(change);

        // 00 deps, 10 aa×16 actor, 01 seq, 01 startOp, 00 time, 00 message, 00 other actors, 00 columns
        Assert.Equal("00" + "10" + new string('a', 32) + "01" + "01" + "00" + "00" + "00" + "00", Convert.ToHexStringLower(body));
        var decoded = ChangeChunk.Decode(ChangeChunk.Encode(change, out _), out _);
        Assert.Empty(decoded.Ops);
        Assert.Equal(change.Hash, decoded.Hash);
    }

    [Fact]
    public void Encode_OtherActors_AreSortedAndIndexed()
    {
        var cc = ActorId.Parse("cc");
        var ops = new[]
        {
            new Op(ObjId.FromOpId(new OpId(3, cc)), Key.Map("k"), false, OpAction.Set, ScalarValue.Int(1), [new OpId(2, Aa), new OpId(2, cc)]),
        };
        var change = new Change(Bb, 1, 10, 0, null, null, ops);
        var body = ChangeChunk.EncodeBody(change);
        var reader = new ByteReader(body);
        reader.ReadChangeHashes();
        Assert.Equal(Bb.Span.ToArray(), reader.ReadLengthPrefixedBytes().ToArray());
        reader.ReadUInt64();
        reader.ReadUInt64();
        reader.ReadInt64();
        reader.ReadString();
        Assert.Equal(2UL, reader.ReadUInt64());
        Assert.Equal(Aa.Span.ToArray(), reader.ReadLengthPrefixedBytes().ToArray());
        Assert.Equal(cc.Span.ToArray(), reader.ReadLengthPrefixedBytes().ToArray());
        ChangeAssert.Same(change, ChangeChunk.Decode(ChangeChunk.Encode(change, out _), out _));
    }

    [Fact]
    public void Encode_ExtraBytes_AreKeptAndHashed()
    {
        var with = new Change(Aa, 1, 1, 5, null, null, [], new byte[] { 0x01, 0x03, 0xc0, 0xff, 0xee });
        var without = new Change(Aa, 1, 1, 5, null, null, []);
        Assert.NotEqual(with.Hash, without.Hash);
        var decoded = ChangeChunk.Decode(with.RawBytes.Span, out _);
        Assert.Equal(new byte[] { 0x01, 0x03, 0xc0, 0xff, 0xee }, decoded.ExtraBytes.ToArray());
        Assert.EndsWith("0103c0ffee", Convert.ToHexStringLower(with.RawBytes.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_PredsOutOfOrder_Throws()
    {
        var op = new Op(ObjId.Root, Key.Map("k"), false, OpAction.Set, ScalarValue.Int(1), [new OpId(5, Aa), new OpId(4, Aa)]);
        Assert.Throws<ArgumentException>(() => ChangeChunk.Encode(new Change(Aa, 1, 10, 0, null, null, [op]), out _));
    }

    [Fact]
    public void Encode_IncrementByString_Throws()
    {
        var op = new Op(ObjId.Root, Key.Map("k"), false, OpAction.Increment, ScalarValue.Str("1"), [new OpId(5, Aa)]);
        Assert.Throws<ArgumentException>(() => ChangeChunk.Encode(new Change(Aa, 1, 10, 0, null, null, [op]), out _));
    }

    [Fact]
    public void Encode_CounterAboveU32_Throws()
    {
        var op = new Op(ObjId.FromOpId(new OpId(1UL << 32, Aa)), Key.Map("k"), false, OpAction.Set, ScalarValue.Int(1), null);
        Assert.Throws<ArgumentException>(() => ChangeChunk.Encode(new Change(Aa, 1, 10, 0, null, null, [op]), out _));
        Assert.Throws<ArgumentException>(() => ChangeChunk.Encode(new Change(Aa, 1, 1UL << 32, 0, null, null, []), out _));
    }

    [Fact]
    public void Decode_EveryTruncationOfDemoChange_ThrowsFormatException()
    {
        var bytes = AutomergeFixtures.Read("generated-3.5.0", "demo-change.bin");
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            Assert.Throws<AutomergeFormatException>(() => ChangeChunk.Decode(prefix, out _));
        }
    }

    [Fact]
    public void Decode_MutatedBodies_OnlyFormatExceptions()
    {
        // Mutate bodies and re-seal the checksum so the body parser (not the checksum) is exercised.
        var random = new Random(31337);
        var generator = new RandomChanges(seed: 5);
        var seeds = new List<byte[]> { ChangeChunk.Decode(AutomergeFixtures.Read("generated-3.5.0", "demo-change.bin"), out _).RawBytes.ToArray() };
        for (var i = 0; i < 30; i++)
        {
            seeds.Add(generator.Next().RawBytes.ToArray());
        }

        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var seed = seeds[random.Next(seeds.Count)];
            var (_, headerLength, _) = ChunkContainer.ReadHeader(seed);
            var body = seed[headerLength..];
            for (var f = 1 + random.Next(3); f > 0; f--)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }

            if (random.Next(4) == 0)
            {
                body = body[..random.Next(body.Length)];
            }

            var chunk = ChunkContainer.Write(ChunkType.Change, body, out _);
            try
            {
                var change = ChangeChunk.Decode(chunk, out _);
                accepted++;
                Assert.Equal(chunk, change.RawBytes.ToArray());
            }
            catch (AutomergeFormatException)
            {
            }
        }

        Assert.InRange(accepted, 1, 19_999);
    }

    [Theory]
    [InlineData(0x01)] // checksum byte
    [InlineData(0x00)] // magic
    public void Decode_CorruptedHeader_ThrowsFormatException(int offset)
    {
        var bytes = AutomergeFixtures.Read("generated-3.5.0", "demo-change.bin");
        bytes[offset == 1 ? 5 : 0] ^= 0xff;
        Assert.Throws<AutomergeFormatException>(() => ChangeChunk.Decode(bytes, out _));
    }
}
