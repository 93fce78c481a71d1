using System.Buffers;
using PeatMesh.Sync.Wire;

namespace PeatMesh.Tests.Sync.Wire;

public class SyncFrameTests
{
    // Reference digest §2.10.1: [doc_key_len:u16 BE][doc_key UTF-8][msg_type:u8][payload_len:u32 BE][payload].
    private static readonly byte[] Golden =
    [
        0x00, 0x08,                                     // doc_key_len = 8
        0x6E, 0x6F, 0x64, 0x65, 0x73, 0x3A, 0x6E, 0x31, // "nodes:n1"
        0x00,                                           // msg_type = DeltaSync
        0x00, 0x00, 0x00, 0x03,                         // payload_len = 3
        0xDE, 0xAD, 0x01,                               // payload
    ];

    private static readonly SyncFrame GoldenFrame = new("nodes:n1", SyncMessageType.DeltaSync, new byte[] { 0xDE, 0xAD, 0x01 });

    private static byte[] Encode(params SyncFrame[] frames)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (var frame in frames)
        {
            SyncFrame.Write(writer, frame);
        }

        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Header(ushort keyLength, byte[] key, byte type, uint payloadLength) =>
    [
        (byte)(keyLength >> 8), (byte)keyLength,
        .. key,
        type,
        (byte)(payloadLength >> 24), (byte)(payloadLength >> 16), (byte)(payloadLength >> 8), (byte)payloadLength,
    ];

    [Fact]
    public void Write_GoldenFrame_ProducesReferenceLayout()
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.Equal(Golden.Length, SyncFrame.Write(writer, GoldenFrame));
        Assert.Equal(Golden, writer.WrittenSpan.ToArray());
        Assert.Equal(Golden.Length, SyncFrame.GetEncodedLength(GoldenFrame));
        Assert.Equal(Golden, SyncFrame.ToArray(GoldenFrame));
    }

    [Fact]
    public void Write_MultiByteLengthsAndUtf8Key_AreBigEndian()
    {
        var key = new string('k', 0x0102) + "é"; // 0x0104 UTF-8 bytes
        var payload = new byte[0x010203];
        var bytes = SyncFrame.ToArray(new SyncFrame(key, SyncMessageType.StateSnapshot, payload));
        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(0x04, bytes[1]);
        Assert.Equal(0xC3, bytes[2 + 0x0102]);
        Assert.Equal(0xA9, bytes[3 + 0x0102]);
        var typeOffset = 2 + 0x0104;
        Assert.Equal(0x01, bytes[typeOffset]);
        Assert.Equal(new byte[] { 0x00, 0x01, 0x02, 0x03 }, bytes[(typeOffset + 1)..(typeOffset + 5)]);
        Assert.Equal(typeOffset + 5 + 0x010203, bytes.Length);
    }

    [Fact]
    public void TryRead_GoldenBytes_DecodesAndConsumesFrame()
    {
        var buffer = new ReadOnlySequence<byte>(Golden);
        Assert.Equal(OperationStatus.Done, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out var frame, out var error));
        Assert.Equal(SyncWireError.None, error);
        Assert.Equal("nodes:n1", frame.DocKey);
        Assert.Equal(SyncMessageType.DeltaSync, frame.Type);
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0x01 }, frame.Payload.ToArray());
        Assert.Equal(GoldenFrame, frame);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryRead_PayloadIsCopied_IndependentOfInputBuffer()
    {
        var input = (byte[])Golden.Clone();
        var buffer = new ReadOnlySequence<byte>(input);
        Assert.Equal(OperationStatus.Done, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out var frame));
        input.AsSpan().Clear();
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0x01 }, frame.Payload.ToArray());
    }

    [Fact]
    public void TryRead_TruncatedAtEveryOffset_NeedsMoreDataAndLeavesBufferUntouched()
    {
        for (var length = 0; length < Golden.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(Golden, 0, length);
            Assert.Equal(OperationStatus.NeedMoreData, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out _, out var error));
            Assert.Equal(SyncWireError.None, error);
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void TryRead_ManyFramesInOneBuffer_ReadsAllInOrder()
    {
        var frames = new[]
        {
            GoldenFrame,
            new SyncFrame("tombstones:batch", SyncMessageType.TombstoneBatch, new byte[] { 0, 0, 0, 0 }),
            new SyncFrame("", SyncMessageType.TombstoneAck, ReadOnlyMemory<byte>.Empty),
            new SyncFrame("_negentropy", SyncMessageType.NegentropyInit, new byte[] { 0x61 }),
        };
        var buffer = new ReadOnlySequence<byte>(Encode(frames));
        foreach (var expected in frames)
        {
            Assert.Equal(OperationStatus.Done, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out var frame));
            Assert.Equal(expected, frame);
        }

        Assert.True(buffer.IsEmpty);
        Assert.Equal(OperationStatus.NeedMoreData, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out _));
    }

    [Fact]
    public void TryRead_OneByteSegments_ReassemblesFrames()
    {
        var bytes = Encode(GoldenFrame, GoldenFrame);
        var chunks = ChunkedSequence.Split(bytes, Enumerable.Repeat(1, bytes.Length));
        var buffer = ChunkedSequence.FromChunks(chunks);
        Assert.Equal(OperationStatus.Done, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out var first));
        Assert.Equal(OperationStatus.Done, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out var second));
        Assert.Equal(GoldenFrame, first);
        Assert.Equal(GoldenFrame, second);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryRead_RandomFramesArrivingInRandomChunks_RoundTrip()
    {
        var random = new Random(4242);
        for (var round = 0; round < 40; round++)
        {
            var frames = WireGen.Sample(WireGen.Frame, (ulong)round + 1, random.Next(1, 12));
            var bytes = Encode(frames);
            var sizes = Enumerable.Range(0, bytes.Length).Select(_ => random.Next(1, 40));
            var (read, status, error, unconsumed) = FrameStreamSimulator.Run(ChunkedSequence.Split(bytes, sizes), SyncFrameLimits.Default);
            Assert.Equal(OperationStatus.NeedMoreData, status);
            Assert.Equal(SyncWireError.None, error);
            Assert.Equal(0, unconsumed);
            Assert.Equal(frames, read);
        }
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x03)]
    public void TryRead_ReservedType_InvalidData(byte type)
    {
        byte[] bytes = [.. Header(1, [0x78], type, 0)];
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(OperationStatus.InvalidData, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out _, out var error));
        Assert.Equal(SyncWireError.ReservedMessageType, error);
        Assert.Equal(bytes.Length, buffer.Length);
    }

    [Fact]
    public void TryRead_EveryTypeByte_AcceptsExactlyTheFrameTypes()
    {
        for (var type = 0; type <= 255; type++)
        {
            var buffer = new ReadOnlySequence<byte>(Header(1, [0x78], (byte)type, 0));
            var status = SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out var frame, out var error);
            // The reference's types, plus PeatMesh's 0x20 TraceContext extension (docs/protocol.md §3).
            if (type is 0x00 or 0x01 or (>= 0x04 and <= 0x0A) or 0x20)
            {
                Assert.Equal(OperationStatus.Done, status);
                Assert.Equal((SyncMessageType)type, frame.Type);
                Assert.True(SyncFrame.IsFrameType((SyncMessageType)type));
            }
            else
            {
                Assert.Equal(OperationStatus.InvalidData, status);
                Assert.Equal(type is 0x02 or 0x03 ? SyncWireError.ReservedMessageType : SyncWireError.UnknownMessageType, error);
                Assert.False(SyncFrame.IsFrameType((SyncMessageType)type));
            }
        }
    }

    [Fact]
    public void TryRead_DocKeyLengthOverLimit_RejectedFromLengthPrefixAlone()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0x04, 0x01 }); // 1,025 > 1,024
        Assert.Equal(OperationStatus.InvalidData, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out _, out var error));
        Assert.Equal(SyncWireError.DocKeyTooLong, error);

        var atLimit = new ReadOnlySequence<byte>(new byte[] { 0x04, 0x00 });
        Assert.Equal(OperationStatus.NeedMoreData, SyncFrame.TryRead(ref atLimit, SyncFrameLimits.Default, out _));
    }

    [Fact]
    public void TryRead_PayloadLengthOverLimit_RejectedBeforeAnyPayloadArrives()
    {
        var oversize = new ReadOnlySequence<byte>(Header(1, [0x78], 0x01, SyncFrameLimits.DefaultMaxPayloadBytes + 1u));
        Assert.Equal(OperationStatus.InvalidData, SyncFrame.TryRead(ref oversize, SyncFrameLimits.Default, out _, out var error));
        Assert.Equal(SyncWireError.PayloadTooLarge, error);

        var huge = new ReadOnlySequence<byte>(Header(1, [0x78], 0x01, uint.MaxValue));
        Assert.Equal(OperationStatus.InvalidData, SyncFrame.TryRead(ref huge, SyncFrameLimits.Default, out _, out error));
        Assert.Equal(SyncWireError.PayloadTooLarge, error);
    }

    [Fact]
    public void TryRead_MaximumPayloadAnnouncedButAbsent_WaitsWithoutAllocatingIt()
    {
        var header = Header(1, [0x78], 0x01, (uint)SyncFrameLimits.DefaultMaxPayloadBytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            var buffer = new ReadOnlySequence<byte>(header);
            Assert.Equal(OperationStatus.NeedMoreData, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out _));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 64 * 1024, $"waiting for a 16 MiB payload allocated {allocated} bytes");
    }

    [Fact]
    public void TryRead_CustomLimits_Enforced()
    {
        var limits = new SyncFrameLimits { MaxDocKeyBytes = 4, MaxPayloadBytes = 2 };
        var longKey = new ReadOnlySequence<byte>(Encode(new SyncFrame("abcde", SyncMessageType.DeltaSync, new byte[1])));
        Assert.Equal(OperationStatus.InvalidData, SyncFrame.TryRead(ref longKey, limits, out _, out var error));
        Assert.Equal(SyncWireError.DocKeyTooLong, error);

        var bigPayload = new ReadOnlySequence<byte>(Encode(new SyncFrame("abcd", SyncMessageType.DeltaSync, new byte[3])));
        Assert.Equal(OperationStatus.InvalidData, SyncFrame.TryRead(ref bigPayload, limits, out _, out error));
        Assert.Equal(SyncWireError.PayloadTooLarge, error);

        var ok = new ReadOnlySequence<byte>(Encode(new SyncFrame("abcd", SyncMessageType.DeltaSync, new byte[2])));
        Assert.Equal(OperationStatus.Done, SyncFrame.TryRead(ref ok, limits, out _));
    }

    [Fact]
    public void TryRead_InvalidUtf8DocKey_InvalidData()
    {
        var buffer = new ReadOnlySequence<byte>(Header(2, [0xC3, 0x28], 0x00, 0));
        Assert.Equal(OperationStatus.InvalidData, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out _, out var error));
        Assert.Equal(SyncWireError.InvalidUtf8, error);
    }

    [Fact]
    public void TryRead_InvalidUtf8SplitAcrossSegments_InvalidData()
    {
        var bytes = Header(3, [0x61, 0xE2, 0x82], 0x00, 0); // truncated 3-byte sequence at the end of the key
        var buffer = ChunkedSequence.FromChunks(ChunkedSequence.Split(bytes, [3, 1, 100]));
        Assert.Equal(OperationStatus.InvalidData, SyncFrame.TryRead(ref buffer, SyncFrameLimits.Default, out _, out var error));
        Assert.Equal(SyncWireError.InvalidUtf8, error);
    }

    [Fact]
    public void TryRead_Garbage_NeverThrowsAndNeverOverConsumes()
    {
        var random = new Random(777);
        var limits = new SyncFrameLimits { MaxDocKeyBytes = 64, MaxPayloadBytes = 4096 };
        for (var round = 0; round < 2000; round++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            if (bytes.Length > 2 && round % 2 == 0)
            {
                bytes[0] = 0; // make short keys and valid frames more likely
                bytes[1] = (byte)random.Next(0, 8);
            }

            var buffer = new ReadOnlySequence<byte>(bytes);
            var guard = 0;
            while (true)
            {
                var before = buffer.Length;
                var status = SyncFrame.TryRead(ref buffer, limits, out var frame, out var error);
                Assert.True(guard++ < 100, "reader made no progress");
                if (status != OperationStatus.Done)
                {
                    Assert.Equal(before, buffer.Length);
                    Assert.Equal(status == OperationStatus.InvalidData, error != SyncWireError.None);
                    break;
                }

                Assert.Equal(before - SyncFrame.GetEncodedLength(frame), buffer.Length);
            }
        }
    }

    [Fact]
    public void Write_InvalidFrames_Throw()
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => SyncFrame.Write(writer, new SyncFrame("k", SyncMessageType.WindowedHistory, default)));
        Assert.Throws<ArgumentException>(() => SyncFrame.Write(writer, new SyncFrame("k", SyncMessageType.Reserved, default)));
        Assert.Throws<ArgumentException>(() => SyncFrame.Write(writer, new SyncFrame("k", (SyncMessageType)0x0B, default)));
        Assert.Throws<ArgumentException>(() => SyncFrame.Write(writer, new SyncFrame("bad\uDC00", SyncMessageType.DeltaSync, default)));
        Assert.Throws<ArgumentException>(() => SyncFrame.Write(writer, new SyncFrame(new string('k', 65536), SyncMessageType.DeltaSync, default)));
        Assert.Throws<ArgumentNullException>(() => SyncFrame.Write(null!, GoldenFrame));
        Assert.Throws<ArgumentNullException>(() => new SyncFrame(null!, SyncMessageType.DeltaSync, default));
        Assert.Equal(0, writer.WrittenCount);

        var longest = SyncFrame.ToArray(new SyncFrame(new string('k', 65535), SyncMessageType.DeltaSync, default));
        Assert.Equal(0xFF, longest[0]);
        Assert.Equal(0xFF, longest[1]);
    }

    [Fact]
    public void Limits_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyncFrameLimits { MaxDocKeyBytes = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyncFrameLimits { MaxDocKeyBytes = 65536 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyncFrameLimits { MaxPayloadBytes = -1 });
        Assert.Equal(1024, SyncFrameLimits.Default.MaxDocKeyBytes);
        Assert.Equal(16 * 1024 * 1024, SyncFrameLimits.Default.MaxPayloadBytes);
    }

    [Fact]
    public void Write_DefaultFrame_IsEmptyKeyDeltaSync()
    {
        Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, SyncFrame.ToArray(default));
        Assert.Equal(string.Empty, default(SyncFrame).DocKey);
    }

    [Fact]
    public void Equality_ComparesPayloadBytes()
    {
        var a = new SyncFrame("k", SyncMessageType.DeltaSync, new byte[] { 1, 2 });
        var b = new SyncFrame("k", SyncMessageType.DeltaSync, new byte[] { 1, 2 });
        var c = new SyncFrame("k", SyncMessageType.DeltaSync, new byte[] { 1, 3 });
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a != c);
        Assert.DoesNotContain("1, 2", a.ToString(), StringComparison.Ordinal);
    }
}
