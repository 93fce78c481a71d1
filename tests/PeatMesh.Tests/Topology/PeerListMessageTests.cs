using System.Text;
using PeatMesh.Security;
using PeatMesh.Topology;
using PeatMesh.Transport;

namespace PeatMesh.Tests.Topology;

/// <summary>The peat/peers/1 message: member lists, the unchanged marker, and bounded, strict parsing.</summary>
public class PeerListMessageTests
{
    [Fact]
    public void EncodeDecode_Members_RoundTrip()
    {
        var deviceId = DeviceId.TryParse("0123456789abcdef0123456789abcdef", out var parsed) ? parsed : throw new InvalidOperationException("test id");
        var entries = new[]
        {
            new PeerListEntry("node-a", deviceId, [new PeerAddress("10.0.0.1", 11204)], 0),
            new PeerListEntry("node-b", null, [], 2),
        };

        var decoded = PeerListMessage.Decode(PeerListMessage.Encode(entries), 4096, 16);

        Assert.Equal(2, decoded.Count);
        Assert.Equal(("node-a", (DeviceId?)deviceId, 0), (decoded[0].NodeId, decoded[0].DeviceId, decoded[0].Hops));
        Assert.Equal(new PeerAddress("10.0.0.1", 11204), Assert.Single(decoded[0].Addresses));
        Assert.Equal(("node-b", (DeviceId?)null, 2), (decoded[1].NodeId, decoded[1].DeviceId, decoded[1].Hops));
    }

    [Fact]
    public void IsUnchanged_OnlyTheExactMarker()
    {
        Assert.True(PeerListMessage.IsUnchanged("{\"unchanged\":true}"u8));
        Assert.Equal(18, PeerListMessage.Unchanged.Length);
        Assert.False(PeerListMessage.IsUnchanged("{\"unchanged\": true}"u8));
        Assert.False(PeerListMessage.IsUnchanged("{\"unchanged\":false}"u8));
        Assert.False(PeerListMessage.IsUnchanged(PeerListMessage.Encode([])));
    }

    [Fact]
    public void Decode_UnchangedMarker_IsAViolationForAListDecoder()
    {
        // Why the marker is only sent to peers listing the feature: a decoder expecting a list rejects it.
        var e = Assert.Throws<MeshTransportException>(() => PeerListMessage.Decode(PeerListMessage.Unchanged, 4096, 16));
        Assert.Equal(MeshTransportError.ProtocolViolation, e.Error);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"members\":{}}")]
    [InlineData("{\"members\":[")]
    public void Decode_Malformed_IsAViolation(string json)
    {
        var e = Assert.Throws<MeshTransportException>(() => PeerListMessage.Decode(Encoding.UTF8.GetBytes(json), 4096, 16));
        Assert.Equal(MeshTransportError.ProtocolViolation, e.Error);
    }

    [Fact]
    public void Decode_OverLimits_IsAViolationBeforeParsing()
    {
        var many = PeerListMessage.Encode([.. Enumerable.Range(0, 3).Select(i => new PeerListEntry($"n{i}", null, [], 1))]);

        Assert.Equal(MeshTransportError.ProtocolViolation, Assert.Throws<MeshTransportException>(() => PeerListMessage.Decode(many, many.Length - 1, 16)).Error);
        Assert.Equal(MeshTransportError.ProtocolViolation, Assert.Throws<MeshTransportException>(() => PeerListMessage.Decode(many, 4096, 2)).Error);
    }
}
