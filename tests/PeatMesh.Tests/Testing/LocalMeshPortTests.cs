using System.Net;
using System.Net.Sockets;
using PeatMesh.Testing.Processes;

namespace PeatMesh.Tests.Testing;

public class LocalMeshPortTests
{
    [Fact]
    public void FreePorts_AreDistinctBindableAndBelowTheEphemeralRange()
    {
        var ephemeralStart = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0], System.Globalization.CultureInfo.InvariantCulture);

        var ports = LocalMesh.FreePorts(20).Concat(LocalMesh.FreePorts(20)).ToList();

        Assert.Equal(40, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, 1024, ephemeralStart - 1));
        foreach (var port in ports.Take(5))
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
    }
}
