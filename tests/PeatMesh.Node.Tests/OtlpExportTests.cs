using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PeatMesh.Node.Tests.Support;
using Xunit.Abstractions;

namespace PeatMesh.Node.Tests;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, a real node exports its spans over OTLP/HTTP (protobuf) to a collector
/// stand-in on 127.0.0.1: the export carries the configured service name, the PeatMesh scope and the broker span.
/// </summary>
public class OtlpExportTests(ITestOutputHelper output) : MeshTestBase(output)
{
    [Fact]
    public async Task OtlpEndpointSet_SpansAreExportedWithServiceName()
    {
        var exports = new ConcurrentQueue<(string ContentType, byte[] Body)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var collector = builder.Build();
        collector.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            exports.Enqueue((request.ContentType ?? string.Empty, body.ToArray()));
            return Results.Bytes([], "application/x-protobuf"); // an empty ExportTraceServiceResponse
        });
        await collector.StartAsync();

        var mesh = await StartMeshAsync(1, o =>
        {
            o.NodeIdPrefix = "otlp";
            o.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Urls.First();
            o.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            o.Environment["OTEL_SERVICE_NAME"] = "peat-otlp-test";
            o.Environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        });
        Assert.Equal(HttpStatusCode.Created, (await Client(mesh.Nodes[0]).PutAsync("cities", "oslo", new System.Text.Json.Nodes.JsonObject { ["name"] = "Oslo" })).Status);

        // Protobuf keeps strings as UTF-8 bytes: the resource, scope and span names are found without a decoder.
        static bool Has(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
        await Wait.UntilAsync(() => exports.Any(e => Has(e.Body, "PUT /api/v1/documents/{collection}/{id}")), TimeSpan.FromSeconds(60),
            "the collector stand-in receives the broker span of the PUT");
        var export = exports.First(e => Has(e.Body, "PUT /api/v1/documents/{collection}/{id}"));
        Assert.Equal("application/x-protobuf", export.ContentType);
        Assert.True(Has(export.Body, "peat-otlp-test"), "service.name from OTEL_SERVICE_NAME");
        Assert.True(Has(export.Body, "otlp-1"), "service.instance.id = the node id");
        Assert.True(Has(export.Body, "PeatMesh"), "the PeatMesh instrumentation scope");
        Assert.Contains(mesh.Nodes[0].RecentOutput, l => l.Contains("otlp_endpoint=" + collector.Urls.First().TrimEnd('/'), StringComparison.Ordinal));
    }
}
