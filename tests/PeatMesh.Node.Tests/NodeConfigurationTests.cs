using System.Collections;
using System.Net;
using Microsoft.Extensions.Logging;

namespace PeatMesh.Node.Tests;

public class NodeConfigurationTests
{
    private static readonly string Secret = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static NodeConfiguration Parse(params (string Name, string Value)[] variables)
    {
        var env = new Hashtable { ["PEAT_FORMATION_SECRET"] = Secret };
        foreach (var (name, value) in variables)
        {
            env[name] = value;
        }

        return NodeConfiguration.FromEnvironment(env);
    }

    [Fact]
    public void FromEnvironment_OnlySecret_UsesReferenceDefaults()
    {
        var config = Parse();

        Assert.Null(config.Error);
        Assert.Equal("peat-mesh-0", config.Options.NodeId);
        Assert.Equal(8081, config.Options.BrokerPort);
        Assert.Equal(11204, config.Options.Transport.Port);
        Assert.Equal("/data", config.Options.DataDirectory);
        Assert.Equal(IPAddress.Any, config.BindAddress);
        Assert.Equal(1024 * 1024, config.Options.Sync.MaxDocumentBytes);
        Assert.True(config.Options.DurableCommits);
        Assert.Equal(LogLevel.Information, config.LogLevel);
        Assert.Empty(config.Options.StaticPeers);
    }

    [Fact]
    public void FromEnvironment_AllSettings_AreApplied()
    {
        var config = Parse(("HOSTNAME", "peat-mesh-2"), ("PEAT_BROKER_PORT", "9000"), ("PEAT_IROH_BIND_PORT", "12000"),
            ("PEAT_DATA_DIR", "/var/lib/peat"), ("PEAT_BIND_ADDRESS", "10.0.0.5"), ("PEAT_BROKER_BIND_ADDRESS", "127.0.0.1"),
            ("PEAT_STATIC_PEERS", " 10.0.0.6:11204 , peat-mesh-0.peat:11204,[fd00::1]:11204"), ("PEAT_MAX_DOCUMENT_BYTES", "2048"),
            ("PEAT_STORAGE_SYNC", "normal"), ("PEAT_LOG_LEVEL", "debug"), ("PEAT_LOG_FORMAT", "json"), ("PEAT_DISCOVERY", "static"));

        Assert.Null(config.Error);
        Assert.Equal("peat-mesh-2", config.Options.NodeId);
        Assert.Equal(9000, config.Options.BrokerPort);
        Assert.Equal(12000, config.Options.Transport.Port);
        Assert.Equal(IPAddress.Parse("10.0.0.5"), config.Options.Transport.BindAddress);
        Assert.Equal(IPAddress.Loopback, config.BrokerBindAddress);
        Assert.Equal(["10.0.0.6:11204", "peat-mesh-0.peat:11204", "[fd00::1]:11204"], config.Options.StaticPeers.Select(p => p.ToString()));
        Assert.Equal(2048, config.Options.Sync.MaxDocumentBytes);
        Assert.False(config.Options.DurableCommits);
        Assert.Equal(LogLevel.Debug, config.LogLevel);
        Assert.True(config.JsonLogs);
    }

    [Fact]
    public void FromEnvironment_MeshPortWinsOverIrohAlias()
    {
        var config = Parse(("PEAT_MESH_PORT", "1111"), ("PEAT_IROH_BIND_PORT", "2222"));

        Assert.Equal(1111, config.Options.Transport.Port);
    }

    [Fact]
    public void Describe_NeverContainsTheSecret()
    {
        var description = Parse(("HOSTNAME", "n1")).Describe();

        Assert.DoesNotContain(Secret, description, StringComparison.Ordinal);
        Assert.Contains("formation_secret=FormationSecret([redacted])", description, StringComparison.Ordinal);
        Assert.Contains("hostname=n1", description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PEAT_MESH_PORT", "-1")]
    [InlineData("PEAT_BIND_ADDRESS", "not-an-ip")]
    [InlineData("PEAT_MAX_DOCUMENT_BYTES", "0")]
    [InlineData("PEAT_STORAGE_SYNC", "sometimes")]
    [InlineData("PEAT_LOG_LEVEL", "chatty")]
    [InlineData("HOSTNAME", "has space")]
    [InlineData("PEAT_DISCOVERY", "static,carrier-pigeon")]
    public void FromEnvironment_InvalidValue_ReportsTheVariable(string name, string value)
    {
        var config = Parse((name, value));

        Assert.NotNull(config.Error);
        Assert.Contains(name == "PEAT_DISCOVERY" ? "carrier-pigeon" : name, config.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_KubernetesWithoutClusterOrOverrides_ReportsWhatIsMissing()
    {
        var config = Parse(("PEAT_DISCOVERY", "kubernetes"));

        Assert.NotNull(config.Error);
        Assert.StartsWith("PEAT_DISCOVERY=kubernetes: ", config.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_HybridStaticAndKubernetesWithOverrides_AddsTheKubernetesStrategy()
    {
        var dir = Directory.CreateTempSubdirectory("peat-k8s-env-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "token"), "t0ken");
            var config = Parse(("PEAT_DISCOVERY", "static,k8s"), ("PEAT_STATIC_PEERS", "10.0.0.9:11204"),
                ("PEAT_K8S_API_URL", "https://127.0.0.1:6443"), ("PEAT_K8S_TOKEN_PATH", Path.Combine(dir, "token")),
                ("PEAT_K8S_NAMESPACE", "mesh"));

            Assert.Null(config.Error);
            Assert.Single(config.Options.DiscoveryStrategies);
            Assert.Single(config.Options.StaticPeers);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
