using System.Net;
using PeatMesh.Transport;

namespace PeatMesh.Tests.Transport;

public class PeerAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:11204", "127.0.0.1", 11204)]
    [InlineData(" peat-mesh-0.peat:11204 ", "peat-mesh-0.peat", 11204)]
    [InlineData("[::1]:9", "::1", 9)]
    public void TryParse_Valid_ParsesHostAndPort(string text, string host, int port)
    {
        Assert.True(PeerAddress.TryParse(text, out var address));
        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("host")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:-1")]
    [InlineData(":80")]
    [InlineData("::1:80")]
    [InlineData("[::1]80")]
    [InlineData("a b:80")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Assert.False(PeerAddress.TryParse(text, out _));
        Assert.Throws<FormatException>(() => PeerAddress.Parse(text));
    }

    [Fact]
    public void ToString_IPv6_Brackets()
    {
        Assert.Equal("[::1]:80", new PeerAddress("::1", 80).ToString());
        Assert.Equal("10.0.0.1:80", new PeerAddress("10.0.0.1", 80).ToString());
    }

    [Fact]
    public void FromEndPoint_MappedIPv4_UsesListenPort()
    {
        var endPoint = new IPEndPoint(IPAddress.Parse("::ffff:10.1.2.3"), 40000);
        Assert.Equal(new PeerAddress("10.1.2.3", 11204), PeerAddress.FromEndPoint(endPoint, 11204));
        Assert.Null(PeerAddress.FromEndPoint(endPoint, 0));
    }
}
