using System.Net;
using System.Text.Json.Nodes;
using PeatMesh.Node.Tests.Support;
using Xunit.Abstractions;

namespace PeatMesh.Node.Tests.Deployment;

/// <summary>
/// The HTTP paths the chart's probes and the image's HEALTHCHECK use, requested from a real node process: they exist
/// and answer 200 with the reference's shapes once the node is ready.
/// </summary>
public sealed partial class ProbeRouteTests(ITestOutputHelper output) : MeshTestBase(output)
{
    [ChartRenderFact]
    public async Task ProbeAndHealthcheckPaths_RealNode_Answer200()
    {
        var chart = await ChartRenderer.RenderAsync("rel", "peat", "formationSecret=" + Convert.ToBase64String(new byte[32]));
        var liveness = (string)chart.Container["livenessProbe"]!["httpGet"]!["path"]!;
        var readiness = (string)chart.Container["readinessProbe"]!["httpGet"]!["path"]!;
        var healthcheck = HealthcheckPath().Match(Dockerfile.Load().Final.All("HEALTHCHECK").Single()).Groups["path"].Value;
        var mesh = await StartMeshAsync(1);
        using var http = new HttpClient { BaseAddress = mesh.Nodes[0].BrokerUrl };

        foreach (var path in new[] { liveness, readiness, healthcheck }.Distinct())
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
            Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["node_id"]);
        }

        Assert.False(string.IsNullOrEmpty(healthcheck), "no HEALTHCHECK path");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\$\{PEAT_BROKER_PORT\}(?<path>/[^""\s]*)")]
    private static partial System.Text.RegularExpressions.Regex HealthcheckPath();
}
