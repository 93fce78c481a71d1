using System.Net;
using PeatMesh.Discovery.Mdns;

namespace PeatMesh.Tests.Discovery.Mdns;

/// <summary>The codec against the packets of testdata/mdns (layouts from mdns_peat_packets.json).</summary>
public class DnsMessageVectorTests
{
    private static readonly DnsName Service = DnsName.Parse("_peat._udp.local");
    private static readonly DnsName Instance = DnsName.Parse("node-a._peat._udp.local");
    private static readonly DnsName Host = DnsName.Parse("node-a.local");

    [Fact]
    public void Parse_BrowseQueryQm_IsPtrQuestionWithoutQu()
    {
        var message = DnsMessage.Parse(MdnsTestData.BrowseQueryQm);

        Assert.Equal(0, message.Id);
        Assert.False(message.IsResponse);
        var question = Assert.Single(message.Questions);
        Assert.Equal(new DnsQuestion(Service, DnsRecordType.Ptr), question);
        Assert.Empty(message.AllRecords);
    }

    [Fact]
    public void Parse_BrowseQueryQu_SetsUnicastResponse()
    {
        var question = Assert.Single(DnsMessage.Parse(MdnsTestData.BrowseQueryQu).Questions);

        Assert.True(question.UnicastResponse);
        Assert.Equal(DnsClass.Internet, question.Class);
    }

    [Fact]
    public void Parse_Response_DecodesEveryRecordOfTheLayout()
    {
        var packet = MdnsTestData.Response;
        Assert.Equal(MdnsTestData.ResponseLength, packet.Length);

        var message = DnsMessage.Parse(packet);

        Assert.Equal(DnsMessage.ResponseFlags, message.Flags);
        Assert.True(message.IsResponse && message.IsAuthoritative);
        Assert.Empty(message.Questions);
        var ptr = Assert.Single(message.Answers);
        Assert.Equal(new DnsResourceRecord(Service, new PtrRecordData(Instance), 4500), ptr);
        Assert.Equal(3, message.Additionals.Count);
        Assert.Equal(new DnsResourceRecord(Instance, new SrvRecordData(0, 0, 4242, Host), 120, CacheFlush: true), message.Additionals[0]);
        var txt = message.Additionals[1];
        Assert.Equal((DnsRecordType.Txt, 4500u, true), (txt.Type, txt.Ttl, txt.CacheFlush));
        Assert.Equal(["id=a1b2", "v=1"], ((TxtRecordData)txt.Data).Entries.Select(e => e.ToString()));
        Assert.Equal(new DnsResourceRecord(Host, new AddressRecordData(IPAddress.Loopback), 120, CacheFlush: true), message.Additionals[2]);
    }

    [Fact]
    public void ToArray_UncompressedResponse_ReproducesTheVectorBytes()
    {
        var parsed = DnsMessage.Parse(MdnsTestData.Response);

        Assert.Equal(MdnsTestData.Response, parsed.ToArray(compressNames: false));
    }

    [Fact]
    public void ToArray_BrowseQueries_ReproduceTheVectorBytes()
    {
        var qm = new DnsMessage { Questions = [new DnsQuestion(Service, DnsRecordType.Ptr)] };
        var qu = new DnsMessage { Questions = [new DnsQuestion(Service, DnsRecordType.Ptr, UnicastResponse: true)] };

        Assert.Equal(MdnsTestData.BrowseQueryQm, qm.ToArray());
        Assert.Equal(MdnsTestData.BrowseQueryQu, qu.ToArray());
    }

    [Fact]
    public void ToArray_CompressedResponse_IsShorterAndParsesToTheSameMessage()
    {
        var parsed = DnsMessage.Parse(MdnsTestData.Response);

        var compressed = parsed.ToArray();

        Assert.True(compressed.Length < MdnsTestData.Response.Length, $"{compressed.Length} bytes compressed");
        Assert.Equal(parsed, DnsMessage.Parse(compressed));
    }
}
