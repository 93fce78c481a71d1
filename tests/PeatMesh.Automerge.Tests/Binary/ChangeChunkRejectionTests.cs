using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Binary;

/// <summary>Hand-built change chunks exercising each rejection rule of automerge.md §2.1 and §2.5.</summary>
public class ChangeChunkRejectionTests
{
    // One op: root, key "a", set int 1, no pred.
    private static readonly (uint Spec, string Hex)[] ValidColumns =
    [
        (21, "7f0161"), // key string "a"
        (52, "01"), // insert: one false
        (66, "7f01"), // action: set
        (86, "7f14"), // value meta: int, length 1
        (87, "01"), // value: 1
        (112, "7f00"), // pred count 0
    ];

    private static byte[] Chunk((uint Spec, string Hex)[] columns, ulong seq = 1, ulong startOp = 1, string actorHex = "aa",
        string[]? others = null, byte[]? message = null, string extraHex = "")
    {
        var body = new ByteWriter();
        body.WriteUInt64(0); // deps
        body.WriteLengthPrefixed(Convert.FromHexString(actorHex));
        body.WriteUInt64(seq);
        body.WriteUInt64(startOp);
        body.WriteInt64(0);
        body.WriteLengthPrefixed(message ?? []);
        others ??= [];
        body.WriteUInt64((ulong)others.Length);
        foreach (var other in others)
        {
            body.WriteLengthPrefixed(Convert.FromHexString(other));
        }

        body.WriteUInt64((ulong)columns.Length);
        foreach (var (spec, hex) in columns)
        {
            body.WriteUInt64(spec);
            body.WriteUInt64((ulong)(hex.Length / 2));
        }

        foreach (var (_, hex) in columns)
        {
            body.Write(Convert.FromHexString(hex));
        }

        body.Write(Convert.FromHexString(extraHex));
        return ChunkContainer.Write(ChunkType.Change, body.WrittenSpan, out _);
    }

    private static (uint, string)[] With(uint spec, string hex) =>
        ValidColumns.Where(c => c.Spec != spec).Append((spec, hex)).OrderBy(c => c.Item1).ToArray();

    private static void AssertRejected(byte[] chunk, string because)
    {
        var e = Assert.Throws<AutomergeFormatException>(() => ChangeChunk.Decode(chunk, out _));
        Assert.Contains(because, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Baseline_ValidColumns_DecodeToOneSetOp()
    {
        var bytes = Chunk(ValidColumns);
        var change = ChangeChunk.Decode(bytes, out _);
        var op = Assert.Single(change.Ops);
        Assert.Equal(new Op(ObjId.Root, Key.Map("a"), false, OpAction.Set, ScalarValue.Int(1), null), op);
        Assert.Equal(bytes, ChangeChunk.Encode(change, out _)); // the baseline is canonical
    }

    [Fact]
    public void SeqZero_Rejected() => AssertRejected(Chunk(ValidColumns, seq: 0), "seq");

    [Fact]
    public void StartOpZero_Rejected() => AssertRejected(Chunk(ValidColumns, startOp: 0), "startOp must");

    [Fact]
    public void StartOpAboveU32_Rejected() => AssertRejected(Chunk(ValidColumns, startOp: 1UL << 32), "too large");

    [Fact]
    public void MaxOpAboveU32_Rejected() =>
        AssertRejected(Chunk(With(66, "0201").Select(c => c.Item1 switch
        {
            21 => (21u, "020161"),
            52 => (52u, "02"),
            86 => (86u, "0214"),
            87 => (87u, "0101"),
            112 => (112u, "0200"),
            _ => c,
        }).ToArray(), startOp: uint.MaxValue), "maxOp too large");

    [Fact]
    public void EmptyActor_Rejected() => AssertRejected(Chunk(ValidColumns, actorHex: string.Empty), "actor id");

    [Fact]
    public void InvalidUtf8Message_Rejected() => AssertRejected(Chunk(ValidColumns, message: [0xc3, 0x28]), "UTF-8");

    [Fact]
    public void DeflatedColumn_Rejected() => AssertRejected(Chunk(With(66 | 8, "7f01").Where(c => c.Item1 != 66).ToArray()), "deflated");

    [Fact]
    public void ColumnsOutOfOrder_Rejected() => AssertRejected(Chunk(ValidColumns.Reverse().ToArray()), "order");

    [Fact]
    public void ActionAboveSeven_Rejected() => AssertRejected(Chunk(With(66, "7f08")), "Unknown action");

    [Fact]
    public void NullAction_Rejected() => AssertRejected(Chunk(With(66, "0001")), "null in the action");

    [Fact]
    public void IncrementWithStringValue_Rejected() =>
        AssertRejected(Chunk(With(66, "7f05").Where(c => c.Item1 is not (86 or 87)).Append((86u, "7f16")).Append((87u, "78")).OrderBy(c => c.Item1).ToArray()), "increment");

    [Theory]
    [InlineData("7f10", "01", "length 0")] // null with length 1
    [InlineData("7f11", "01", "length 0")] // false with length 1
    [InlineData("7f45", "00000000", "8 bytes")] // float with length 4
    [InlineData("7f23", "0100", "extra bytes")] // uint with an extra byte
    [InlineData("7f24", "8100", "overlong")] // overlong int
    [InlineData("7f26", "c328", "UTF-8")] // invalid UTF-8 string
    [InlineData("7f24", "", "exceeds the raw value")] // length beyond the raw column
    [InlineData("0001", "", "null in value metadata")] // null metadata
    public void BadValueMetadata_Rejected(string meta, string raw, string because)
    {
        var columns = ValidColumns.Where(c => c.Spec is not (86 or 87)).Append((86u, meta));
        if (raw.Length > 0)
        {
            columns = columns.Append((87u, raw));
        }

        AssertRejected(Chunk(columns.OrderBy(c => c.Item1).ToArray()), because);
    }

    [Fact]
    public void RawValueBytesLeftOver_Rejected() => AssertRejected(Chunk(With(87, "0102")), "more rows");

    [Fact]
    public void PredGroupCountExceedsGroupedColumns_Rejected() =>
        AssertRejected(Chunk(With(112, "7f02").Append((113u, "7f00")).Append((115u, "7f01")).OrderBy(c => c.Item1).ToArray()), "ended before");

    [Fact]
    public void PredGroupedColumnsHoldExtraItems_Rejected() =>
        AssertRejected(Chunk(With(112, "7f01").Append((113u, "0200")).Append((115u, "0201")).OrderBy(c => c.Item1).ToArray()), "more rows");

    [Fact]
    public void PredColumnsWithoutGroup_Rejected() =>
        AssertRejected(Chunk(ValidColumns.Where(c => c.Spec != 112).Append((113u, "7f00")).Append((115u, "7f01")).OrderBy(c => c.Item1).ToArray()), "group column");

    [Fact]
    public void PredActorWithoutCounter_Rejected() =>
        AssertRejected(Chunk(With(112, "7f01").Append((113u, "7f00")).OrderBy(c => c.Item1).ToArray()), "both");

    [Fact]
    public void PredWithValidGroup_Accepted()
    {
        var change = ChangeChunk.Decode(Chunk(With(112, "7f01").Append((113u, "7f00")).Append((115u, "7f03")).OrderBy(c => c.Item1).ToArray(), startOp: 5), out _);
        Assert.Equal(new OpId(3, change.Actor), Assert.Single(Assert.Single(change.Ops).Pred));
    }

    [Fact]
    public void ActorIndexOutsideChunkActors_Rejected() =>
        AssertRejected(Chunk(ValidColumns.Append((1u, "7f01")).Append((2u, "7f01")).OrderBy(c => c.Item1).ToArray()), "actor index");

    [Fact]
    public void ObjActorWithoutCounter_Rejected() =>
        AssertRejected(Chunk(ValidColumns.Append((1u, "7f00")).OrderBy(c => c.Item1).ToArray(), others: ["bb"]), "both");

    [Fact]
    public void ObjCounterAboveU32_Rejected() =>
        AssertRejected(Chunk(ValidColumns.Append((1u, "7f00")).Append((2u, "7f8080808010")).OrderBy(c => c.Item1).ToArray()), "counter too large");

    [Fact]
    public void KeyWithMapKeyAndElement_Rejected() =>
        AssertRejected(Chunk(ValidColumns.Append((17u, "7f00")).Append((19u, "7f01")).OrderBy(c => c.Item1).ToArray()), "both a map key");

    [Fact]
    public void ColumnWithMoreRowsThanActions_Rejected() => AssertRejected(Chunk(With(52, "02")), "more rows");

    [Fact]
    public void ColumnWithFewerRowsThanActions_Rejected() =>
        AssertRejected(Chunk(With(66, "0201").Select(c => c.Item1 == 86 ? (86u, "0214") : c.Item1 == 87 ? (87u, "0101") : c.Item1 == 112 ? (112u, "0200") : c).ToArray()), "ended before");

    [Fact]
    public void UnknownColumn_IsIgnoredButStaysHashed()
    {
        // id 12, type string (spec 197): not an op column Automerge knows.
        var bytes = Chunk(ValidColumns.Append((197u, "7f0178")).ToArray());
        var change = ChangeChunk.Decode(bytes, out _);
        Assert.Single(change.Ops);
        Assert.Equal(bytes, change.RawBytes.ToArray());
        Assert.Equal(ChunkContainer.Read(bytes, out _).Hash, change.Hash);

        // Re-encoding drops it (as Automerge does), so the canonical bytes differ.
        Assert.NotEqual(bytes, ChangeChunk.Encode(change, out _));
    }

    [Fact]
    public void ExtraBytes_AreKept()
    {
        var change = ChangeChunk.Decode(Chunk(ValidColumns, extraHex: "0103c0ffee"), out _);
        Assert.Equal(Convert.FromHexString("0103c0ffee"), change.ExtraBytes.ToArray());
    }
}
