using System.Net;
using PeatMesh.Discovery.Mdns;

namespace PeatMesh.Tests.Discovery.Mdns;

public class DnsMessageRoundTripTests
{
    private static readonly DnsName Service = DnsName.Parse("_peat._udp.local");
    private static readonly DnsName Instance = DnsName.FromLabels("node a.b (2)", "_peat", "_udp", "local");
    private static readonly DnsName Host = DnsName.Parse("node-a.local");

    internal static DnsMessage SampleResponse() => new()
    {
        Id = 0,
        Flags = DnsMessage.ResponseFlags,
        Answers =
        [
            new DnsResourceRecord(Service, new PtrRecordData(Instance), 4500),
            new DnsResourceRecord(Host, new AddressRecordData(IPAddress.Parse("fe80::1")), 120, CacheFlush: true),
        ],
        Authorities = [new DnsResourceRecord(Instance, new UnknownRecordData(0xFF01, new byte[] { 1, 2, 3 }), 7)],
        Additionals =
        [
            new DnsResourceRecord(Instance, new SrvRecordData(1, 2, 11204, Host), 120, CacheFlush: true),
            new DnsResourceRecord(Instance, TxtRecordData.FromAttributes([new("node_id", "node a.b"), new("flag", null)]), 4500, CacheFlush: true),
            new DnsResourceRecord(Host, new AddressRecordData(IPAddress.Parse("10.1.2.3")), 120, CacheFlush: true),
            new DnsResourceRecord(Host, new NsecRecordData(Host, [DnsRecordType.A, DnsRecordType.Aaaa, (DnsRecordType)0x0101]), 120, CacheFlush: true),
        ],
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ToArray_ThenParse_GivesTheSameMessage(bool compress)
    {
        var message = SampleResponse() with { Questions = [new DnsQuestion(Instance, DnsRecordType.Any, UnicastResponse: true)] };

        var parsed = DnsMessage.Parse(message.ToArray(compress));

        Assert.Equal(message, parsed);
        Assert.Equal("node a.b (2)", parsed.Answers[0] is { Data: PtrRecordData ptr } ? ptr.Target.Labels[0] : null);
    }

    [Fact]
    public void ToArray_Compressed_PointsRepeatedNamesBackwards()
    {
        var bytes = SampleResponse().ToArray();
        var uncompressed = SampleResponse().ToArray(compressNames: false);

        Assert.True(bytes.Length < uncompressed.Length - 60, $"{bytes.Length} vs {uncompressed.Length}");
        Assert.Contains(bytes.Select((b, i) => (b, i)), p => (p.b & 0xC0) == 0xC0 && p.i > 12);
    }

    [Fact]
    public void ToArray_SrvAndNsecNames_AreNeverCompressed()
    {
        // The SRV target and NSEC next name equal names written earlier; their rdata must still hold them in full.
        var message = SampleResponse();
        var bytes = message.ToArray();
        var hostWire = new byte[] { 6, (byte)'n', (byte)'o', (byte)'d', (byte)'e', (byte)'-', (byte)'a', 5, (byte)'l', (byte)'o', (byte)'c', (byte)'a', (byte)'l', 0 };

        var occurrences = Enumerable.Range(0, bytes.Length - hostWire.Length).Count(i => bytes.AsSpan(i, hostWire.Length).SequenceEqual(hostWire));

        // Owner names reuse the already written "local" through a pointer; only the SRV target and the NSEC next
        // name hold node-a.local in full.
        Assert.Equal(2, occurrences);
    }

    [Fact]
    public void Parse_CompressedPtrTarget_Decompresses()
    {
        // Question _peat._udp.local at 12; answer owner = pointer to 12; PTR rdata = "x" + pointer to 12.
        var name = DnsPacketBuilder.Name("_peat", "_udp", "local");
        var packet = DnsPacketBuilder.Packet(0x8400, 1, 1, 0, 0,
            name, [0, 12, 0, 1],
            [0xC0, 12], DnsPacketBuilder.RecordHeader(12, 4), [1, (byte)'x', 0xC0, 12]);

        var message = DnsMessage.Parse(packet);

        Assert.Equal(DnsName.Parse("x._peat._udp.local"), ((PtrRecordData)message.Answers[0].Data).Target);
        Assert.Equal(Service, message.Answers[0].Name);
    }

    [Fact]
    public void Parse_FlagsAndClassBits_AreExposed()
    {
        var message = new DnsMessage
        {
            Id = 0x1234,
            Flags = (ushort)(DnsMessage.ResponseFlags | DnsMessage.TruncatedBit | (5 << 11) | 3),
            Answers = [new DnsResourceRecord(Host, new AddressRecordData(IPAddress.Loopback), 1, CacheFlush: true, Class: 3)],
        };

        var parsed = DnsMessage.Parse(message.ToArray());

        Assert.Equal((0x1234, true, true, true, 5, 3), (parsed.Id, parsed.IsResponse, parsed.IsAuthoritative, parsed.IsTruncated, parsed.Opcode, parsed.ResponseCode));
        Assert.Equal((true, (ushort)3), (parsed.Answers[0].CacheFlush, parsed.Answers[0].Class));
    }

    [Fact]
    public void Parse_EmptyTxt_HasNoEntries()
    {
        var packet = DnsPacketBuilder.Answer(16, [0]);

        var txt = (TxtRecordData)DnsMessage.Parse(packet).Answers[0].Data;

        Assert.Empty(txt.Entries);
        Assert.Single(txt.Strings);
    }

    [Fact]
    public void ToArray_Over9000Bytes_Throws()
    {
        var big = new UnknownRecordData(0xFF00, new byte[9000]);
        var message = new DnsMessage { Answers = [new DnsResourceRecord(Host, big, 1)] };

        Assert.Throws<InvalidOperationException>(() => message.ToArray());
    }

    [Fact]
    public void Writer_RecordOverBudget_IsLeftOutAndMessageStaysValid()
    {
        var writer = new DnsMessageWriter(0, DnsMessage.ResponseFlags, maxBytes: 100);
        var small = new DnsResourceRecord(Host, new AddressRecordData(IPAddress.Loopback), 120);
        var large = new DnsResourceRecord(Instance, new UnknownRecordData(0xFF00, new byte[80]), 120);

        Assert.True(writer.TryAddRecord(DnsSection.Answer, small));
        Assert.False(writer.TryAddRecord(DnsSection.Answer, large));
        Assert.True(writer.TryAddRecord(DnsSection.Additional, small with { Ttl = 1 }));

        var parsed = DnsMessage.Parse(writer.ToArray());
        Assert.Equal([small], parsed.Answers);
        Assert.Equal([small with { Ttl = 1 }], parsed.Additionals);
    }

    [Fact]
    public void Writer_SectionsOutOfOrder_Throws()
    {
        var writer = new DnsMessageWriter(0, 0);
        writer.TryAddRecord(DnsSection.Additional, new DnsResourceRecord(Host, new AddressRecordData(IPAddress.Loopback), 1));

        Assert.Throws<InvalidOperationException>(() => writer.TryAddQuestion(new DnsQuestion(Host, DnsRecordType.A)));
    }

    [Fact]
    public void HasSameData_IgnoresTtlFlushAndNameCase()
    {
        var a = new DnsResourceRecord(Service, new PtrRecordData(Instance), 4500);
        var b = new DnsResourceRecord(DnsName.Parse("_PEAT._UDP.LOCAL"), new PtrRecordData(Instance), 10, CacheFlush: true);

        Assert.True(a.HasSameData(b));
        Assert.NotEqual(a, b);
        Assert.False(a.HasSameData(b with { Data = new PtrRecordData(Host) }));
    }
}
