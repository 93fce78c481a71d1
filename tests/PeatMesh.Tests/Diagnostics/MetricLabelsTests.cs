using PeatMesh.Diagnostics;
using PeatMesh.Topology;
using PeatMesh.Transport;

namespace PeatMesh.Tests.Diagnostics;

/// <summary>Label values used by the metric contract (docs/observability.md).</summary>
public class MetricLabelsTests
{
    [Theory]
    [InlineData(MeshTransportError.HeartbeatTimeout, "heartbeat_timeout")]
    [InlineData(MeshTransportError.AuthenticationFailed, "authentication_failed")]
    [InlineData(MeshTransportError.ProtocolViolation, "protocol_violation")]
    [InlineData(MeshTransportError.ConnectionClosed, "connection_closed")]
    public void SnakeCase_TransportErrors_GiveContractReasons(MeshTransportError error, string expected) =>
        Assert.Equal(expected, MetricLabels.SnakeCase(error));

    [Fact]
    public void SnakeCase_MemberStates_GiveContractStates() =>
        Assert.Equal(["self", "healthy", "degraded", "suspect", "dead", "relayed"], Enum.GetValues<MemberState>().Select(s => MetricLabels.SnakeCase(s)));

    [Theory]
    [InlineData("GET", "GET")]
    [InlineData("PATCH", "PATCH")]
    [InlineData("BREW", "_OTHER")]
    [InlineData("get", "_OTHER")]
    public void Method_UnknownMethods_AreBucketed(string method, string expected) => Assert.Equal(expected, MetricLabels.Method(method));

    [Theory]
    [InlineData(201, "201")]
    [InlineData(599, "599")]
    [InlineData(600, "other")]
    [InlineData(-1, "other")]
    public void Status_OutOfRange_IsOther(int status, string expected) => Assert.Equal(expected, MetricLabels.Status(status));
}
