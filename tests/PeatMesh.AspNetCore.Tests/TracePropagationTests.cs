using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using PeatMesh.AspNetCore.Tests.Support;
using PeatMesh.Diagnostics;

namespace PeatMesh.AspNetCore.Tests;

/// <summary>
/// W3C trace context travels with sync traffic: a PUT on node A and its application on node B are one trace, with the
/// parent links client → ASP.NET Core request (A) → broker span (A) → sync send (A) → sync apply (B). Spans of both
/// in-process nodes are collected by one <see cref="ActivityListener"/>; they are told apart by their node id tag.
/// </summary>
public sealed class TracePropagationTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private const string ClientSourceName = "PeatMesh.AspNetCore.Tests.Client";
    private static readonly ActivitySource Client = new(ClientSourceName);
    private readonly string _root = Directory.CreateTempSubdirectory("peat-trace-").FullName;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;
    private readonly List<BrokerHost> _hosts = [];

    public TracePropagationTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MeshTelemetry.ActivitySourceName or "Microsoft.AspNetCore" || source.Name == ClientSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        _listener.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private IEnumerable<Activity> Spans(ActivityTraceId trace, string operation, string? nodeId = null) =>
        _stopped.Where(s => s.TraceId == trace && s.OperationName == operation
                            && (nodeId is null || (string?)s.GetTagItem(MeshTelemetry.NodeIdTag) == nodeId));

    [Fact]
    public async Task PutOnA_AppliedOnB_IsOneTraceWithParentLinks()
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var a = await BrokerHost.StartAsync("trace-a", secret, Path.Combine(_root, "a"));
        _hosts.Add(a);
        var b = await BrokerHost.StartAsync("trace-b", secret, Path.Combine(_root, "b"), [a.Node]);
        _hosts.Add(b);
        await Wait.UntilAsync(() => a.Node.Peers.Peers.Count == 1 && b.Node.Peers.Peers.Count == 1, Deadline, "trace-a and trace-b connected");

        ActivityTraceId trace;
        ActivitySpanId clientSpan;
        using (var client = Client.StartActivity("client PUT", ActivityKind.Client)!)
        {
            (trace, clientSpan) = (client.TraceId, client.SpanId);
            using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/documents/cities/oslo")
            {
                Content = new StringContent("""{"name":"Oslo"}""", Encoding.UTF8, "application/json"),
            };
            put.Headers.Add("traceparent", client.Id);
            using var response = await a.Http.SendAsync(put);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        await Wait.UntilAsync(() => Spans(trace, MeshTelemetry.SyncApply, "trace-b").Any(), Deadline, "trace-b applies the document in the PUT's trace");

        var request = Assert.Single(_stopped, s => s.TraceId == trace && s.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(clientSpan, request.ParentSpanId);

        var broker = Assert.Single(Spans(trace, MeshTelemetry.BrokerRequest, "trace-a"));
        Assert.Equal(request.SpanId, broker.ParentSpanId);
        Assert.Equal("PUT /api/v1/documents/{collection}/{id}", broker.DisplayName);
        Assert.Equal(201, broker.GetTagItem("http.response.status_code"));

        var send = Assert.Single(Spans(trace, MeshTelemetry.SyncSend, "trace-a"), s => s.ParentSpanId == broker.SpanId);
        Assert.Equal(ActivityKind.Producer, send.Kind);
        Assert.Equal("trace-b", send.GetTagItem(MeshTelemetry.PeerNodeIdTag));

        var apply = Assert.Single(Spans(trace, MeshTelemetry.SyncApply, "trace-b"), s => s.ParentSpanId == send.SpanId);
        Assert.Equal(ActivityKind.Consumer, apply.Kind);
        Assert.Equal("cities:oslo", apply.GetTagItem("peat.doc_key"));
        Assert.Equal("trace-a", apply.GetTagItem(MeshTelemetry.PeerNodeIdTag));

        // Automerge sync takes rounds (heads, then the changes); the replies stay in the trace, so the apply on trace-b
        // that actually stored the document belongs to it too.
        await Wait.UntilAsync(() => Spans(trace, MeshTelemetry.SyncApply, "trace-b")
                .Any(s => s.Events.Any(e => e.Name == MeshTelemetry.DocumentUpdatedEvent && (string?)e.Tags.First().Value == "cities:oslo")),
            Deadline, "trace-b stores cities:oslo in an apply span of the PUT's trace");
        Assert.NotNull(await b.Node.Documents.GetAsync(PeatMesh.Storage.DocumentKey.Create("cities", "oslo")));
        Assert.Contains(Spans(trace, MeshTelemetry.SyncSend, "trace-b"), s => s.ParentSpanId == apply.SpanId);

        // Every span of the trace is recorded by one of the two nodes (or is the client's / A's request): nothing stray.
        Assert.All(_stopped.Where(s => s.TraceId == trace && s.Source.Name == MeshTelemetry.ActivitySourceName),
            s => Assert.Contains((string?)s.GetTagItem(MeshTelemetry.NodeIdTag), new[] { "trace-a", "trace-b" }));
    }

    [Fact]
    public async Task Handshakes_AreRootSpansOnBothSides()
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var a = await BrokerHost.StartAsync("hs-a", secret, Path.Combine(_root, "hs-a"));
        _hosts.Add(a);
        var b = await BrokerHost.StartAsync("hs-b", secret, Path.Combine(_root, "hs-b"), [a.Node]);
        _hosts.Add(b);
        await Wait.UntilAsync(() => a.Node.Peers.Peers.Count == 1, Deadline, "hs-a and hs-b connected");

        var port = a.Node.MeshPort;
        await Wait.UntilAsync(() => _stopped.Any(s => s.OperationName == MeshTelemetry.HandshakeOutbound && (int?)s.GetTagItem("network.peer.port") == port),
            Deadline, "hs-b's outbound handshake span to hs-a");
        var outbound = _stopped.First(s => s.OperationName == MeshTelemetry.HandshakeOutbound && (int?)s.GetTagItem("network.peer.port") == port);
        Assert.Equal(default, outbound.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Unset, outbound.Status);
        Assert.Contains(_stopped, s => s.OperationName == MeshTelemetry.HandshakeInbound && s.ParentSpanId == default);
    }
}
