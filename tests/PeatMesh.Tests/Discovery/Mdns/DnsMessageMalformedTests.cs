using PeatMesh.Discovery.Mdns;
using static PeatMesh.Tests.Discovery.Mdns.DnsPacketBuilder;

namespace PeatMesh.Tests.Discovery.Mdns;

/// <summary>A corpus of malformed packets: each is rejected with the expected error, never with another exception.</summary>
public class DnsMessageMalformedTests
{
    public static TheoryData<string, byte[], DnsFormatError> Corpus()
    {
        var data = new TheoryData<string, byte[], DnsFormatError>
        {
            { "header of 11 bytes", new byte[11], DnsFormatError.Truncated },
            { "empty packet", [], DnsFormatError.Truncated },
            { "9001 bytes", new byte[9001], DnsFormatError.PacketTooLarge },
            { "one question, no bytes", Packet(0, 1, 0, 0, 0), DnsFormatError.CountExceedsPacket },
            { "65535 answers in 20 bytes", Packet(0x8400, 0, 0xFFFF, 0, 0, new byte[8]), DnsFormatError.CountExceedsPacket },
            { "max counts everywhere", Packet(0, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF), DnsFormatError.CountExceedsPacket },
            { "pointer to itself", Question(0xC0, 12), DnsFormatError.CompressionLoop },
            { "label then pointer back to the name's start", Question(1, (byte)'a', 0xC0, 12), DnsFormatError.CompressionLoop },
            { "forward pointer", Question(0xC0, 14, 0, 0), DnsFormatError.CompressionLoop },
            { "pointer into the header", Question(0xC0, 5), DnsFormatError.BadPointer },
            { "pointer past the end", Question(0xC0, 0xFF), DnsFormatError.BadPointer },
            { "pointer cut in half", Packet(0, 1, 0, 0, 0, [3, (byte)'a', (byte)'b', (byte)'c', 0xC0]), DnsFormatError.Truncated },
            { "label longer than the packet", Packet(0, 1, 0, 0, 0, [10, (byte)'a', (byte)'b', (byte)'c', 0]), DnsFormatError.Truncated },
            { "name without terminator", Packet(0, 1, 0, 0, 0, [3, (byte)'a', (byte)'b', (byte)'c', 1]), DnsFormatError.Truncated },
            { "label length 64 (0x40 type)", Question([0x40, .. new byte[64], 0]), DnsFormatError.BadLabelType },
            { "label type 0x80", Question(0x80, 0), DnsFormatError.BadLabelType },
            { "name of 321 bytes", Question([.. Enumerable.Repeat<byte[]>([63, .. new byte[63].Select(_ => (byte)'x')], 5).SelectMany(b => b), 0]), DnsFormatError.NameTooLong },
            { "invalid UTF-8 label", Question(2, 0xC3, 0x28, 0), DnsFormatError.InvalidLabel },
            { "question without type/class", Packet(0, 1, 0, 0, 0, Name("a", "local")), DnsFormatError.Truncated },
            { "record without its rdata", Packet(0x8400, 0, 1, 0, 0, [0], [0, 1, 0, 1, 0, 0, 0, 120, 0, 4]), DnsFormatError.Truncated },
            { "rdata past the end", Answer(1, [127, 0, 0, 1], rdLength: 40), DnsFormatError.Truncated },
            { "A record of 5 bytes", Answer(1, [127, 0, 0, 1, 9]), DnsFormatError.BadRecordData },
            { "AAAA record of 4 bytes", Answer(28, [127, 0, 0, 1]), DnsFormatError.BadRecordData },
            { "SRV of 6 bytes", Answer(33, [0, 0, 0, 0, 16, 146]), DnsFormatError.BadRecordData },
            { "SRV with a byte after the target", Answer(33, [0, 0, 0, 0, 16, 146, .. Name("h", "local"), 7]), DnsFormatError.BadRecordData },
            { "PTR name running past its rdata", Answer(12, Name("node", "local"), rdLength: 5), DnsFormatError.Truncated },
            { "TXT string overrunning its rdata", Answer(16, [5, (byte)'a', (byte)'=', (byte)'b']), DnsFormatError.BadRecordData },
            { "NSEC bitmap of length 0", Answer(47, [0, 0, 0]), DnsFormatError.BadRecordData },
            { "NSEC bitmap of length 33", Answer(47, [0, 0, 33, .. new byte[33]]), DnsFormatError.BadRecordData },
            { "NSEC windows out of order", Answer(47, [0, 1, 1, 0x40, 0, 1, 0x40]), DnsFormatError.BadRecordData },
            { "NSEC bitmap cut short", Answer(47, [0, 0, 4, 0x40]), DnsFormatError.BadRecordData },
        };
        data.Add("pointer chain of 130 hops", PointerChain(130), DnsFormatError.CompressionLoop);
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void TryParse_MalformedPacket_ReturnsTheError(string description, byte[] packet, DnsFormatError expected)
    {
        var ok = DnsMessage.TryParse(packet, out var message, out var error);

        Assert.False(ok, description);
        Assert.Null(message);
        Assert.Equal(expected, error);
        var thrown = Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(packet));
        Assert.Equal(expected, thrown.Error);
    }

    [Fact]
    public void TryParse_PointerChainOfExactlyTheLimit_IsAccepted()
    {
        Assert.True(DnsMessage.TryParse(PointerChain(126), out var message, out var error), error.ToString());
        Assert.Equal(["a"], message.Answers[1].Name.Labels);
    }

    [Fact]
    public void TryParse_HugeCounts_RejectsBeforeAllocatingForThem()
    {
        var packet = Packet(0x8400, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, new byte[64]);
        Assert.False(DnsMessage.TryParse(packet, out _, out _)); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(DnsMessage.TryParse(packet, out _, out var error));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(DnsFormatError.CountExceedsPacket, error);
        Assert.True(allocated < 16 * 1024, $"rejecting allocated {allocated} bytes");
    }

    /// <summary>
    /// Two answers: the first (unknown type) carries in its rdata the name <c>a</c> followed by <paramref name="hops"/>-1
    /// pointers, each to the previous one; the second is named by a pointer to the last, so resolving it follows
    /// <paramref name="hops"/> pointers.
    /// </summary>
    private static byte[] PointerChain(int hops)
    {
        const int rdataStart = 12 + 1 + 10;
        var rdata = new List<byte> { 1, (byte)'a', 0 };
        var previous = rdataStart;
        for (var i = 1; i < hops; i++)
        {
            var here = rdataStart + rdata.Count;
            rdata.Add((byte)(0xC0 | (previous >> 8)));
            rdata.Add((byte)previous);
            previous = here;
        }

        return Packet(0x8400, 0, 2, 0, 0,
            [0], RecordHeader(0xFF00, (ushort)rdata.Count), [.. rdata],
            [(byte)(0xC0 | (previous >> 8)), (byte)previous], RecordHeader(0xFF00, 0));
    }
}
