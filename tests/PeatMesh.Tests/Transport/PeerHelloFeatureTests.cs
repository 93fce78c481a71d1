using System.Text;
using PeatMesh.Sync.Wire;
using PeatMesh.Transport;

namespace PeatMesh.Tests.Transport;

/// <summary>The hello's optional <c>features</c> list (how a node tells peers it accepts TraceContext sync frames).</summary>
public class PeerHelloFeatureTests
{
    private static readonly string[] Protocols = ["cap/automerge/1"];

    [Fact]
    public void Encode_NoFeatures_WritesTheHelloAsBefore()
    {
        var hello = new PeerHello("peat-1", 11204, 8081, "0.1.0", Protocols);

        Assert.Equal("""{"node_id":"peat-1","mesh_port":11204,"broker_port":8081,"version":"0.1.0","protocols":["cap/automerge/1"]}""",
            Encoding.UTF8.GetString(hello.Encode()));
    }

    [Fact]
    public void EncodeDecode_Features_RoundTrip()
    {
        var hello = new PeerHello("peat-1", 11204, 8081, "0.1.0", Protocols) { Features = [TraceContextCodec.HelloFeature, "future/2"] };

        var decoded = PeerHello.Decode(hello.Encode());

        Assert.Equal([TraceContextCodec.HelloFeature, "future/2"], decoded.Features);
        Assert.Contains("\"features\":[\"sync-trace-context/1\",\"future/2\"]", Encoding.UTF8.GetString(hello.Encode()), StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_OlderHelloWithoutFeatures_HasNone()
    {
        var decoded = PeerHello.Decode(Encoding.UTF8.GetBytes("""{"node_id":"old","mesh_port":1,"broker_port":2,"version":"0.0.9","protocols":[]}"""));

        Assert.Empty(decoded.Features);
    }

    [Theory]
    [InlineData("""{"node_id":"x","features":[""]}""")]
    [InlineData("""{"node_id":"x","features":[7]}""")]
    public void Decode_InvalidFeature_IsAProtocolViolation(string json)
    {
        var error = Assert.Throws<MeshTransportException>(() => PeerHello.Decode(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(MeshTransportError.ProtocolViolation, error.Error);
    }

    [Fact]
    public void Decode_TooManyFeatures_IsAProtocolViolation()
    {
        var features = string.Join(",", Enumerable.Range(0, PeerHello.MaxFeatures + 1).Select(i => $"\"f{i}\""));
        var error = Assert.Throws<MeshTransportException>(() => PeerHello.Decode(Encoding.UTF8.GetBytes($$"""{"node_id":"x","features":[{{features}}]}""")));
        Assert.Equal(MeshTransportError.ProtocolViolation, error.Error);
    }
}
