using PeatMesh.Benchmarks.Scenarios.DiscoveryJoin;
using PeatMesh.Benchmarks.Support;

namespace PeatMesh.Benchmarks.Tests.Support;

public class MetricsTextTests
{
    // Shaped like the node's /metrics (docs/observability.md): labels in name order, comments, a label value with a space.
    private const string Exposition =
        """
        # HELP peat_transport_bytes_total Bytes on the mesh TCP connections.
        # TYPE peat_transport_bytes_total counter
        peat_transport_bytes_total{direction="in"} 1000
        peat_transport_bytes_total{direction="out"} 1500
        # TYPE peat_mesh_bytes_total counter
        peat_mesh_bytes_total{direction="out",protocol="cap/automerge/1"} 300
        peat_mesh_bytes_total{direction="out",protocol="peat/peers/1"} 120
        peat_mesh_bytes_total{direction="in",protocol="peat/peers/1"} 80
        peat_mesh_frames_total{direction="in",kind="ping"} 4
        peat_mesh_frames_total{direction="out",kind="pong"} 4
        peat_mesh_frames_total{direction="out",kind="data"} 9
        peat_http_requests_total{method="GET",route="a b",status="200"} 2
        """;

    [Fact]
    public void Sum_ByNameAndLabel_AddsTheMatchingSeriesOnly()
    {
        var metrics = MetricsText.Parse(Exposition);

        Assert.Equal(2500, metrics.Sum("peat_transport_bytes_total"));
        Assert.Equal(1000, metrics.Sum("peat_transport_bytes_total", "direction=\"in\""));
        Assert.Equal(200, metrics.Sum("peat_mesh_bytes_total", "protocol=\"peat/peers/1\""));
        Assert.Equal(2, metrics.Sum("peat_http_requests_total"));
        Assert.Equal(0, metrics.Sum("peat_mdns_bytes_total"));
        Assert.Equal(0, metrics.Sum("peat_transport_bytes"));
    }

    [Fact]
    public void TrafficSample_RateOverAWindow_IsTheCounterDifferencePerSecond()
    {
        var start = TrafficSample.From(MetricsText.Parse(Exposition));
        var end = TrafficSample.From(MetricsText.Parse(Exposition
            .Replace("{direction=\"out\"} 1500", "{direction=\"out\"} 3500", StringComparison.Ordinal)
            .Replace("kind=\"ping\"} 4", "kind=\"ping\"} 14", StringComparison.Ordinal)));

        var rate = TrafficSample.Rate(start, end, TimeSpan.FromSeconds(10));

        Assert.Equal(new TrafficSample(1000, 1500, 0, 0, 8, 120, 300), start);
        Assert.Equal(0, rate.TcpIn);
        Assert.Equal(200, rate.TcpOut);
        Assert.Equal(1, rate.Heartbeats);
        Assert.Equal(0, rate.PeerExchangeOut);
    }
}
