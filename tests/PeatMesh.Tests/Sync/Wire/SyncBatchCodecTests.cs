using System.Buffers;
using PeatMesh.Sync.Wire;

namespace PeatMesh.Tests.Sync.Wire;

public class SyncBatchCodecTests
{
    // Reference digest §2.10.2, all big-endian:
    // [batch_id:u64][created_at_ms:u64][ttl:u8][entry_count:u32] then entries
    // [doc_key_len:u16][doc_key][sync_type:u8][payload_len:u32][payload].
    private static readonly byte[] Golden =
    [
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, // batch_id = 0x0102030405060708
        0x00, 0x00, 0x01, 0x8B, 0xCF, 0xE5, 0x68, 0x7B, // created_at_ms = 1,700,000,000,123
        0x05,                                           // ttl = 5
        0x00, 0x00, 0x00, 0x02,                         // entry_count = 2
        // entry 1
        0x00, 0x07,                                     // doc_key_len = 7
        0x6E, 0x6F, 0x64, 0x65, 0x73, 0x3A, 0x61,       // "nodes:a"
        0x00,                                           // DeltaSync
        0x00, 0x00, 0x00, 0x03,                         // payload_len = 3
        0x01, 0x02, 0x03,                               // payload
        // entry 2
        0x00, 0x03,                                     // doc_key_len = 3
        0x63, 0x3A, 0x64,                               // "c:d"
        0x01,                                           // StateSnapshot
        0x00, 0x00, 0x00, 0x00,                         // payload_len = 0
    ];

    private static readonly SyncBatch GoldenBatch = new(
        0x0102030405060708,
        DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123),
        SyncBatch.DefaultTtl,
        [new SyncEntry("nodes:a", SyncMessageType.DeltaSync, new byte[] { 1, 2, 3 }), new SyncEntry("c:d", SyncMessageType.StateSnapshot, ReadOnlyMemory<byte>.Empty)]);

    private static void AssertSameBatch(SyncBatch expected, SyncBatch actual)
    {
        Assert.Equal(expected.BatchId, actual.BatchId);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.Ttl, actual.Ttl);
        Assert.Equal(expected.Entries, actual.Entries);
    }

    private static byte[] Header(ulong count) =>
    [
        0, 0, 0, 0, 0, 0, 0, 1,
        0, 0, 0, 0, 0, 0, 0, 0,
        5,
        (byte)(count >> 24), (byte)(count >> 16), (byte)(count >> 8), (byte)count,
    ];

    [Fact]
    public void Encode_GoldenBatch_ProducesReferenceLayout()
    {
        Assert.Equal(Golden, SyncBatchCodec.Encode(GoldenBatch));
        Assert.Equal(Golden.Length, SyncBatchCodec.GetEncodedLength(GoldenBatch));
        var writer = new ArrayBufferWriter<byte>();
        Assert.Equal(Golden.Length, SyncBatchCodec.Write(writer, GoldenBatch));
    }

    [Fact]
    public void Decode_GoldenBytes_ReturnsBatch()
    {
        var batch = SyncBatchCodec.Decode(Golden);
        AssertSameBatch(GoldenBatch, batch);
        Assert.Equal(TimeSpan.Zero, batch.CreatedAt.Offset);
    }

    [Fact]
    public void Decode_EntryPayloads_SliceTheInput()
    {
        var input = (byte[])Golden.Clone();
        var batch = SyncBatchCodec.Decode(input);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(batch.Entries[0].Payload, out var segment));
        Assert.Same(input, segment.Array);
    }

    [Fact]
    public void EncodeDecode_GeneratedBatches_RoundTrip()
    {
        foreach (var batch in WireGen.Sample(WireGen.Batch, 99, 200))
        {
            AssertSameBatch(batch, SyncBatchCodec.Decode(SyncBatchCodec.Encode(batch)));
        }
    }

    [Fact]
    public void ToFrame_ThroughFrameReader_RoundTrips()
    {
        var frame = SyncBatchCodec.ToFrame(GoldenBatch);
        Assert.Equal("batch", frame.DocKey);
        Assert.Equal(SyncMessageType.SyncBatch, frame.Type);
        var buffer = new ReadOnlySequence<byte>(SyncFrame.ToArray(frame));
        Assert.Equal(OperationStatus.Done, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out var read));
        AssertSameBatch(GoldenBatch, SyncBatchCodec.Decode(read.Payload));
    }

    [Fact]
    public void TryDecode_TruncatedAtEveryOffset_FailsWithWireError()
    {
        for (var length = 0; length < Golden.Length; length++)
        {
            Assert.False(SyncBatchCodec.TryDecode(Golden.AsMemory(0, length), SyncFrameLimits.Default, out var batch, out var error));
            Assert.Null(batch);
            Assert.Contains(error, new[] { SyncWireError.Truncated, SyncWireError.TooManyItems });
            var ex = Assert.Throws<SyncWireException>(() => SyncBatchCodec.Decode(Golden.AsMemory(0, length)));
            Assert.Equal(error, ex.Error);
        }
    }

    [Fact]
    public void TryDecode_TrailingByte_Refused()
    {
        Assert.False(SyncBatchCodec.TryDecode((byte[])[.. Golden, 0x00], SyncFrameLimits.Default, out _, out var error));
        Assert.Equal(SyncWireError.TrailingBytes, error);
    }

    [Theory]
    [InlineData(0xFFFFFFFFUL)]
    [InlineData(100_001UL)]
    [InlineData(1UL)]
    public void TryDecode_CountBeyondBounds_TooManyItemsBeforeAllocating(ulong count)
    {
        // No entry bytes follow, so even count 1 cannot fit (minimum entry is 7 bytes).
        Assert.False(SyncBatchCodec.TryDecode(Header(count), SyncFrameLimits.Default, out _, out var error));
        Assert.Equal(SyncWireError.TooManyItems, error);
    }

    [Fact]
    public void TryDecode_MaxEntriesBoundary_AcceptsLimitRefusesOneMore()
    {
        static byte[] EmptyEntries(int count)
        {
            var bytes = new byte[21 + (count * 7)];
            Header((ulong)count).CopyTo(bytes, 0);
            return bytes; // every entry: empty key, DeltaSync, empty payload
        }

        Assert.True(SyncBatchCodec.TryDecode(EmptyEntries(SyncBatchCodec.MaxEntries), SyncFrameLimits.Default, out var batch, out _));
        Assert.Equal(SyncBatchCodec.MaxEntries, batch.Entries.Count);
        Assert.False(SyncBatchCodec.TryDecode(EmptyEntries(SyncBatchCodec.MaxEntries + 1), SyncFrameLimits.Default, out _, out var error));
        Assert.Equal(SyncWireError.TooManyItems, error);
    }

    [Fact]
    public void TryDecode_EveryEntryTypeByte_AcceptsReferenceEntryTypes()
    {
        for (var type = 0; type <= 255; type++)
        {
            byte[] bytes = [.. Header(1), 0x00, 0x00, (byte)type, 0x00, 0x00, 0x00, 0x00];
            var ok = SyncBatchCodec.TryDecode(bytes, SyncFrameLimits.Default, out var batch, out var error);
            if (type is <= 0x02 or (>= 0x04 and <= 0x07))
            {
                Assert.True(ok, "type " + type);
                Assert.Equal((SyncMessageType)type, batch!.Entries[0].Type);
            }
            else
            {
                Assert.False(ok, "type " + type);
                Assert.Equal(type == 0x03 ? SyncWireError.ReservedMessageType : SyncWireError.UnknownMessageType, error);
            }
        }
    }

    [Fact]
    public void TryDecode_EntryLimitsAndUtf8_Enforced()
    {
        var limits = new SyncFrameLimits { MaxDocKeyBytes = 2, MaxPayloadBytes = 1 };
        byte[] longKey = [.. Header(1), 0x00, 0x03, 0x61, 0x62, 0x63, 0x00, 0x00, 0x00, 0x00, 0x00];
        Assert.False(SyncBatchCodec.TryDecode(longKey, limits, out _, out var error));
        Assert.Equal(SyncWireError.DocKeyTooLong, error);

        byte[] bigPayload = [.. Header(1), 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xAA, 0xBB];
        Assert.False(SyncBatchCodec.TryDecode(bigPayload, limits, out _, out error));
        Assert.Equal(SyncWireError.PayloadTooLarge, error);

        byte[] payloadPastEnd = [.. Header(1), 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF];
        Assert.False(SyncBatchCodec.TryDecode(payloadPastEnd, SyncFrameLimits.Default, out _, out error));
        Assert.Equal(SyncWireError.PayloadTooLarge, error);

        byte[] badUtf8 = [.. Header(1), 0x00, 0x01, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00];
        Assert.False(SyncBatchCodec.TryDecode(badUtf8, SyncFrameLimits.Default, out _, out error));
        Assert.Equal(SyncWireError.InvalidUtf8, error);
    }

    [Fact]
    public void TryDecode_CreatedAtBeyondYear9999_TimestampOutOfRange()
    {
        var bytes = SyncBatchCodec.Encode(new SyncBatch(1, DateTimeOffset.UnixEpoch, 5, []));
        bytes[8] = 0xFF; // created_at_ms high byte
        Assert.False(SyncBatchCodec.TryDecode(bytes, SyncFrameLimits.Default, out _, out var error));
        Assert.Equal(SyncWireError.TimestampOutOfRange, error);

        var max = SyncBatchCodec.Encode(new SyncBatch(1, DateTimeOffset.MaxValue, 5, []));
        Assert.Equal(new byte[] { 0x00, 0x00, 0xE6, 0x77, 0xD2, 0x1F, 0xDB, 0xFF }, max[8..16]); // 253,402,300,799,999 ms
        Assert.True(SyncBatchCodec.TryDecode(max, SyncFrameLimits.Default, out _, out _));
    }

    [Fact]
    public void TryDecode_Garbage_NeverThrows()
    {
        var random = new Random(31337);
        for (var round = 0; round < 3000; round++)
        {
            var bytes = new byte[random.Next(0, 120)];
            random.NextBytes(bytes);
            if (bytes.Length >= 21 && round % 2 == 0)
            {
                bytes[17] = bytes[18] = bytes[19] = 0; // small counts reach the entry decoder
                bytes[8] = 0;
            }

            var ok = SyncBatchCodec.TryDecode(bytes, SyncFrameLimits.Default, out var batch, out var error);
            Assert.Equal(ok, error == SyncWireError.None);
            Assert.Equal(ok, batch is not null);
        }
    }

    [Fact]
    public void Write_InvalidBatches_Throw()
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => SyncBatchCodec.Write(writer, new SyncBatch(1, DateTimeOffset.UnixEpoch, 5, [new SyncEntry("k", SyncMessageType.NegentropyInit, default)])));
        Assert.Throws<ArgumentException>(() => SyncBatchCodec.Write(writer, new SyncBatch(1, DateTimeOffset.UnixEpoch, 5, [new SyncEntry("k", SyncMessageType.Reserved, default)])));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyncBatchCodec.Write(writer, new SyncBatch(1, DateTimeOffset.UnixEpoch.AddMilliseconds(-1), 5, [])));
        Assert.Throws<ArgumentException>(() => SyncBatchCodec.Write(writer, new SyncBatch(1, DateTimeOffset.UnixEpoch, 5, Enumerable.Repeat(new SyncEntry("k", SyncMessageType.DeltaSync, default), SyncBatchCodec.MaxEntries + 1))));
        Assert.Equal(0, writer.WrittenCount);
        Assert.True(SyncEntry.IsEntryType(SyncMessageType.WindowedHistory));
    }
}
