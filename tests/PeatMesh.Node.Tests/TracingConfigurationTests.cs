using System.Collections;

namespace PeatMesh.Node.Tests;

/// <summary>The OpenTelemetry variables the node reads (docs/operations.md): OTLP export only when an endpoint is set.</summary>
public class TracingConfigurationTests
{
    private static NodeConfiguration Parse(params (string Name, string Value)[] variables)
    {
        var env = new Hashtable { ["PEAT_FORMATION_SECRET"] = Convert.ToBase64String(new byte[32]) };
        foreach (var (name, value) in variables)
        {
            env[name] = value;
        }

        return NodeConfiguration.FromEnvironment(env);
    }

    [Fact]
    public void FromEnvironment_NoOtelVariables_NoExportAndDefaultServiceName()
    {
        var config = Parse();

        Assert.Null(config.Error);
        Assert.Null(config.OtlpEndpoint);
        Assert.Equal("peat-mesh-node", config.ServiceName);
        Assert.Null(NodeTracing.Start(config));
        Assert.Contains("otlp_endpoint=none", config.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_EndpointAndServiceName_AreApplied()
    {
        var config = Parse(("OTEL_EXPORTER_OTLP_ENDPOINT", " http://otel-collector.monitoring:4317 "), ("OTEL_SERVICE_NAME", "mesh-edge"));

        Assert.Null(config.Error);
        Assert.Equal(new Uri("http://otel-collector.monitoring:4317"), config.OtlpEndpoint);
        Assert.Equal("mesh-edge", config.ServiceName);
    }

    [Fact]
    public void FromEnvironment_TracesOnlyEndpoint_EnablesExport()
    {
        var config = Parse(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://collector:4318/v1/traces"));

        Assert.Null(config.Error);
        Assert.Equal(new Uri("https://collector:4318/v1/traces"), config.OtlpEndpoint);
    }

    [Fact]
    public void Describe_EndpointWithCredentials_ShowsOnlySchemeHostAndPort()
    {
        var config = Parse(("OTEL_EXPORTER_OTLP_ENDPOINT", "https://user:hunter2@collector:4318/path?token=abc"));

        var text = config.Describe();

        Assert.Contains("otlp_endpoint=https://collector:4318 ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("token=abc", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://collector")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "not a url")]
    public void FromEnvironment_InvalidEndpoint_ReportsTheVariable(string name, string value)
    {
        var config = Parse((name, value));

        Assert.Equal(name + " must be an absolute http:// or https:// URL", config.Error);
    }
}
