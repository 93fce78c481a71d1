using System.Buffers;
using PeatMesh.Storage;
using PeatMesh.Sync.Wire;

namespace PeatMesh.Tests.Sync.Wire;

public class TombstoneCodecTests
{
    // Reference digest §2.12, TombstoneSyncMessage, all big-endian.
    private static readonly byte[] Golden =
    [
        0x00, 0x05,                                     // coll_len = 5
        0x6E, 0x6F, 0x64, 0x65, 0x73,                   // "nodes"
        0x00, 0x03,                                     // doc_id_len = 3
        0x6E, 0x2D, 0x31,                               // "n-1"
        0x00, 0x00, 0x01, 0x8B, 0xCF, 0xE5, 0x68, 0x7B, // deleted_at_ms = 1,700,000,000,123
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x2A, // lamport = 298
        0x00, 0x04,                                     // deleted_by_len = 4
        0x64, 0x66, 0x30, 0x30,                         // "df00"
        0x00, 0x03,                                     // reason_len = 3
        0x74, 0x74, 0x6C,                               // "ttl"
        0x01,                                           // direction = UpOnly
    ];

    private static readonly Tombstone GoldenTombstone = new(
        DocumentKey.Create("nodes", "n-1"),
        DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123),
        298,
        "df00",
        "ttl",
        TombstoneDirection.UpOnly);

    private static readonly Tombstone NoReason = new(
        DocumentKey.Create("c", "d"), DateTimeOffset.UnixEpoch, 0, "", null, TombstoneDirection.SystemWide);

    private static readonly byte[] NoReasonBytes =
    [
        0x00, 0x01, 0x63,                               // collection "c"
        0x00, 0x01, 0x64,                               // doc_id "d"
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // deleted_at_ms = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // lamport = 0
        0x00, 0x00,                                     // deleted_by_len = 0
        0x00, 0x00,                                     // reason_len = 0 (None)
        0x03,                                           // direction = SystemWide
    ];

    [Fact]
    public void Encode_GoldenTombstone_ProducesReferenceLayout()
    {
        Assert.Equal(Golden, TombstoneCodec.Encode(GoldenTombstone));
        Assert.Equal(Golden.Length, TombstoneCodec.GetEncodedLength(GoldenTombstone));
        var writer = new ArrayBufferWriter<byte>();
        Assert.Equal(Golden.Length, TombstoneCodec.Write(writer, GoldenTombstone));
        Assert.Equal(Golden, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Decode_GoldenBytes_ReturnsTombstone()
    {
        Assert.Equal(GoldenTombstone, TombstoneCodec.Decode(Golden));
    }

    [Fact]
    public void EncodeDecode_NoReason_ZeroLengthAndNull()
    {
        Assert.Equal(NoReasonBytes, TombstoneCodec.Encode(NoReason));
        Assert.Equal(NoReason, TombstoneCodec.Decode(NoReasonBytes));
    }

    [Fact]
    public void Encode_EmptyReason_DecodesAsNullLikeReference()
    {
        var emptyReason = NoReason with { Reason = "" };
        Assert.Equal(NoReasonBytes, TombstoneCodec.Encode(emptyReason));
        Assert.Null(TombstoneCodec.Decode(NoReasonBytes).Reason);
    }

    [Fact]
    public void Encode_SubMillisecondTime_TruncatedToMilliseconds()
    {
        var precise = GoldenTombstone with { DeletedAt = GoldenTombstone.DeletedAt.AddTicks(9_999) };
        Assert.Equal(GoldenTombstone.DeletedAt, TombstoneCodec.Decode(TombstoneCodec.Encode(precise)).DeletedAt);
    }

    [Fact]
    public void EncodeDecode_GeneratedTombstones_RoundTrip()
    {
        foreach (var tombstone in WireGen.Sample(WireGen.Tombstone, 7, 300))
        {
            Assert.Equal(tombstone, TombstoneCodec.Decode(TombstoneCodec.Encode(tombstone)));
        }
    }

    [Fact]
    public void TryDecode_TruncatedAtEveryOffset_Truncated()
    {
        for (var length = 0; length < Golden.Length; length++)
        {
            Assert.False(TombstoneCodec.TryDecode(Golden.AsSpan(0, length), out var tombstone, out var error), "length " + length);
            Assert.Null(tombstone);
            Assert.Equal(SyncWireError.Truncated, error);
        }
    }

    [Fact]
    public void TryDecode_TrailingByte_Refused()
    {
        Assert.False(TombstoneCodec.TryDecode((byte[])[.. Golden, 0x00], out _, out var error));
        Assert.Equal(SyncWireError.TrailingBytes, error);
    }

    [Theory]
    [InlineData(0x04)]
    [InlineData(0xFF)]
    public void TryDecode_UnknownDirection_InvalidDirection(byte direction)
    {
        var bytes = (byte[])Golden.Clone();
        bytes[^1] = direction;
        Assert.False(TombstoneCodec.TryDecode(bytes, out _, out var error));
        Assert.Equal(SyncWireError.InvalidDirection, error);
        var ex = Assert.Throws<SyncWireException>(() => TombstoneCodec.Decode(bytes));
        Assert.Equal(SyncWireError.InvalidDirection, ex.Error);
    }

    [Theory]
    [InlineData("", "n-1")]
    [InlineData("no/des", "n-1")]
    [InlineData("nodes", "")]
    [InlineData("nodes", "n 1")]
    [InlineData("nodés", "n-1")]
    public void TryDecode_InvalidDocumentKey_Refused(string collection, string id)
    {
        byte[] bytes = [.. Str(collection), .. Str(id), .. Golden.AsSpan(12)];
        Assert.False(TombstoneCodec.TryDecode(bytes, out _, out var error));
        Assert.Equal(SyncWireError.InvalidDocumentKey, error);
    }

    [Fact]
    public void TryDecode_OverlongCollection_RefusedByLength()
    {
        var collection = new string('c', DocumentKey.MaxCollectionLength + 1);
        byte[] bytes = [.. Str(collection), .. Golden.AsSpan(7)];
        Assert.False(TombstoneCodec.TryDecode(bytes, out _, out var error));
        Assert.Equal(SyncWireError.InvalidDocumentKey, error);
    }

    [Fact]
    public void TryDecode_InvalidUtf8InDeletedBy_InvalidUtf8()
    {
        var bytes = (byte[])Golden.Clone();
        bytes[30] = 0xC3; // first byte of "df00" becomes a lead byte followed by ASCII
        Assert.False(TombstoneCodec.TryDecode(bytes, out _, out var error));
        Assert.Equal(SyncWireError.InvalidUtf8, error);
    }

    [Fact]
    public void TryDecode_DeletedAtBeyondYear9999_TimestampOutOfRange()
    {
        var bytes = (byte[])Golden.Clone();
        bytes.AsSpan(12, 8).Fill(0xFF);
        Assert.False(TombstoneCodec.TryDecode(bytes, out _, out var error));
        Assert.Equal(SyncWireError.TimestampOutOfRange, error);
    }

    [Fact]
    public void EncodeBatch_Golden_CountThenLengthPrefixedItems()
    {
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x02,                                   // count = 2
            0x00, 0x00, 0x00, (byte)Golden.Length, .. Golden,         // [len:u32][message]
            0x00, 0x00, 0x00, (byte)NoReasonBytes.Length, .. NoReasonBytes,
        ];
        Assert.Equal(expected, TombstoneCodec.EncodeBatch([GoldenTombstone, NoReason]));
        Assert.Equal(expected.Length, TombstoneCodec.GetBatchEncodedLength([GoldenTombstone, NoReason]));
        Assert.Equal(new[] { GoldenTombstone, NoReason }, TombstoneCodec.DecodeBatch(expected));
    }

    [Fact]
    public void DecodeBatch_Empty_ReturnsNoItems()
    {
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, TombstoneCodec.EncodeBatch([]));
        Assert.Empty(TombstoneCodec.DecodeBatch(new byte[] { 0, 0, 0, 0 }));
    }

    [Fact]
    public void EncodeDecodeBatch_Generated_RoundTrip()
    {
        var all = WireGen.Sample(WireGen.Tombstone, 11, 120);
        for (var start = 0; start < all.Length; start += 17)
        {
            var batch = all.Skip(start).Take(start % 23).ToArray();
            Assert.Equal(batch, TombstoneCodec.DecodeBatch(TombstoneCodec.EncodeBatch(batch)));
        }
    }

    [Fact]
    public void TryDecodeBatch_TruncatedAtEveryOffset_FailsWithWireError()
    {
        var bytes = TombstoneCodec.EncodeBatch([GoldenTombstone, NoReason]);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(TombstoneCodec.TryDecodeBatch(bytes.AsSpan(0, length), out var items, out var error), "length " + length);
            Assert.Null(items);
            Assert.Contains(error, new[] { SyncWireError.Truncated, SyncWireError.TooManyItems, SyncWireError.InvalidItemLength });
        }
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(2u)]
    public void TryDecodeBatch_CountBeyondRemainingBytes_TooManyItems(uint count)
    {
        byte[] bytes = [(byte)(count >> 24), (byte)(count >> 16), (byte)(count >> 8), (byte)count, 0x00, 0x00, 0x00, (byte)NoReasonBytes.Length, .. NoReasonBytes];
        Assert.False(TombstoneCodec.TryDecodeBatch(bytes, out _, out var error));
        Assert.Equal(SyncWireError.TooManyItems, error);
    }

    [Fact]
    public void TryDecodeBatch_CountAboveMaximum_TooManyItemsEvenWhenBytesSuffice()
    {
        var item = (byte[])[0x00, 0x00, 0x00, (byte)NoReasonBytes.Length, .. NoReasonBytes];
        var count = TombstoneCodec.MaxBatchCount + 1;
        var bytes = new byte[4 + (count * item.Length)];
        bytes[1] = (byte)(count >> 16);
        bytes[2] = (byte)(count >> 8);
        bytes[3] = (byte)count;
        for (var i = 0; i < count; i++)
        {
            item.CopyTo(bytes, 4 + (i * item.Length));
        }

        Assert.False(TombstoneCodec.TryDecodeBatch(bytes, out _, out var error));
        Assert.Equal(SyncWireError.TooManyItems, error);

        var atMaximum = bytes.AsSpan(0, bytes.Length - item.Length).ToArray();
        atMaximum[3]--;
        Assert.True(TombstoneCodec.TryDecodeBatch(atMaximum, out var items, out _));
        Assert.Equal(TombstoneCodec.MaxBatchCount, items.Count);
    }

    [Fact]
    public void TryDecodeBatch_BadItemLengths_Refused()
    {
        byte[] tooShort = [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x18, .. new byte[40]];
        Assert.False(TombstoneCodec.TryDecodeBatch(tooShort, out _, out var error));
        Assert.Equal(SyncWireError.InvalidItemLength, error);

        byte[] pastEnd = [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, .. NoReasonBytes];
        Assert.False(TombstoneCodec.TryDecodeBatch(pastEnd, out _, out error));
        Assert.Equal(SyncWireError.InvalidItemLength, error);

        byte[] slack = [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, (byte)(NoReasonBytes.Length + 1), .. NoReasonBytes, 0x00];
        Assert.False(TombstoneCodec.TryDecodeBatch(slack, out _, out error));
        Assert.Equal(SyncWireError.TrailingBytes, error);

        byte[] trailing = [.. TombstoneCodec.EncodeBatch([NoReason]), 0x00];
        Assert.False(TombstoneCodec.TryDecodeBatch(trailing, out _, out error));
        Assert.Equal(SyncWireError.TrailingBytes, error);
        Assert.Equal(SyncWireError.TrailingBytes, Assert.Throws<SyncWireException>(() => TombstoneCodec.DecodeBatch(trailing)).Error);
    }

    [Fact]
    public void TryDecode_Garbage_NeverThrows()
    {
        var random = new Random(2718);
        for (var round = 0; round < 3000; round++)
        {
            var bytes = new byte[random.Next(0, 80)];
            random.NextBytes(bytes);
            if (bytes.Length > 4 && round % 2 == 0)
            {
                bytes[0] = 0;
                bytes[1] = (byte)random.Next(0, 6);
            }

            Assert.Equal(TombstoneCodec.TryDecode(bytes, out var one, out var error), one is not null);
            Assert.Equal(one is null, error != SyncWireError.None);
            Assert.Equal(TombstoneCodec.TryDecodeBatch(bytes, out var many, out error), many is not null);
            Assert.Equal(many is null, error != SyncWireError.None);
        }
    }

    [Fact]
    public void ToFrame_UsesReferenceDocKeysAndTypes()
    {
        var single = TombstoneCodec.ToFrame(GoldenTombstone);
        Assert.Equal("tombstones:nodes:n-1", single.DocKey);
        Assert.Equal(SyncMessageType.Tombstone, single.Type);
        Assert.Equal(Golden, single.Payload.ToArray());

        var batch = TombstoneCodec.ToBatchFrame([GoldenTombstone]);
        Assert.Equal("tombstones:batch", batch.DocKey);
        Assert.Equal(SyncMessageType.TombstoneBatch, batch.Type);

        var buffer = new ReadOnlySequence<byte>([.. SyncFrame.ToArray(single), .. SyncFrame.ToArray(batch)]);
        Assert.Equal(OperationStatus.Done, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out var first));
        Assert.Equal(OperationStatus.Done, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out var second));
        Assert.Equal(GoldenTombstone, TombstoneCodec.Decode(first.Payload.Span));
        Assert.Equal(new[] { GoldenTombstone }, TombstoneCodec.DecodeBatch(second.Payload.Span));
    }

    [Fact]
    public void Encode_InvalidTombstones_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TombstoneCodec.Encode(GoldenTombstone with { DeletedAt = DateTimeOffset.UnixEpoch.AddMilliseconds(-1) }));
        Assert.Throws<ArgumentException>(() => TombstoneCodec.Encode(GoldenTombstone with { Direction = (TombstoneDirection)4 }));
        Assert.Throws<ArgumentException>(() => TombstoneCodec.Encode(GoldenTombstone with { Key = default }));
        Assert.Throws<ArgumentException>(() => TombstoneCodec.Encode(GoldenTombstone with { DeletedBy = null! }));
        Assert.Throws<ArgumentException>(() => TombstoneCodec.Encode(GoldenTombstone with { DeletedBy = new string('x', 65536) }));
        Assert.Throws<ArgumentException>(() => TombstoneCodec.Encode(GoldenTombstone with { Reason = "bad\uD800" }));
        Assert.Throws<ArgumentNullException>(() => TombstoneCodec.Encode(null!));
        Assert.Throws<ArgumentException>(() => TombstoneCodec.EncodeBatch(Enumerable.Repeat(NoReason, TombstoneCodec.MaxBatchCount + 1).ToArray()));
        Assert.Equal(65535 + TombstoneCodec.MinMessageSize + 6, TombstoneCodec.Encode(NoReason with { DeletedBy = new string('x', 65535), Reason = "abcd" }).Length);
    }

    private static byte[] Str(string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        return [(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];
    }
}
