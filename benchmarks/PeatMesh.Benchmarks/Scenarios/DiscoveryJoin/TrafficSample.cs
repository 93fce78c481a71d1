using PeatMesh.Benchmarks.Support;

namespace PeatMesh.Benchmarks.Scenarios.DiscoveryJoin;

/// <summary>One node's traffic counters, read from its <c>/metrics</c>, and their rates between two readings.</summary>
/// <param name="TcpIn">Mesh TCP bytes received (<c>peat_transport_bytes_total{direction="in"}</c>).</param>
/// <param name="TcpOut">Mesh TCP bytes sent.</param>
/// <param name="MdnsIn">mDNS UDP payload bytes received (<c>peat_mdns_bytes_total</c>).</param>
/// <param name="MdnsOut">mDNS UDP payload bytes sent.</param>
/// <param name="Heartbeats">Ping and pong frames, sent and received (<c>peat_mesh_frames_total</c>).</param>
/// <param name="PeerExchangeOut">Peer-exchange payload bytes sent (<c>peat_mesh_bytes_total{protocol="peat/peers/1"}</c>).</param>
/// <param name="SyncOut">Document-sync payload bytes sent (<c>protocol="cap/automerge/1"</c>).</param>
public sealed record TrafficSample(double TcpIn, double TcpOut, double MdnsIn, double MdnsOut, double Heartbeats, double PeerExchangeOut, double SyncOut)
{
    /// <summary>Reads the counters from <paramref name="metrics"/> (labels are written in name order, so <c>direction</c> precedes <c>protocol</c>).</summary>
    public static TrafficSample From(MetricsText metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        const string transport = "peat_transport_bytes_total";
        const string mdns = "peat_mdns_bytes_total";
        const string mesh = "peat_mesh_bytes_total";
        return new TrafficSample(
            metrics.Sum(transport, "direction=\"in\""),
            metrics.Sum(transport, "direction=\"out\""),
            metrics.Sum(mdns, "direction=\"in\""),
            metrics.Sum(mdns, "direction=\"out\""),
            metrics.Sum("peat_mesh_frames_total", "kind=\"ping\"") + metrics.Sum("peat_mesh_frames_total", "kind=\"pong\""),
            metrics.Sum(mesh, "direction=\"out\",protocol=\"peat/peers/1\""),
            metrics.Sum(mesh, "direction=\"out\",protocol=\"cap/automerge/1\""));
    }

    /// <summary>Per-second rates from <paramref name="start"/> to <paramref name="end"/> over <paramref name="window"/>.</summary>
    public static TrafficSample Rate(TrafficSample start, TrafficSample end, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        var s = window.TotalSeconds;
        return new TrafficSample(
            (end.TcpIn - start.TcpIn) / s,
            (end.TcpOut - start.TcpOut) / s,
            (end.MdnsIn - start.MdnsIn) / s,
            (end.MdnsOut - start.MdnsOut) / s,
            (end.Heartbeats - start.Heartbeats) / s,
            (end.PeerExchangeOut - start.PeerExchangeOut) / s,
            (end.SyncOut - start.SyncOut) / s);
    }
}
