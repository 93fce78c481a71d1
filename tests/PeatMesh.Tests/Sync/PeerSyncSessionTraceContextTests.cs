using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PeatMesh.Automerge;
using PeatMesh.Automerge.Model;
using PeatMesh.Diagnostics;
using PeatMesh.Security;
using PeatMesh.Storage;
using PeatMesh.Sync;
using PeatMesh.Sync.Wire;
using PeatMesh.Transport;
using PeatMesh.Transport.InMemory;

namespace PeatMesh.Tests.Sync;

/// <summary>
/// The TraceContext frame (0x20) on both paths of a sync session, with an <see cref="ActivityListener"/> on the
/// PeatMesh source: received contexts parent the apply span of their document only, malformed ones are ignored without
/// closing the connection, and a document marked dirty under an activity is sent with its send span's context first.
/// Spans are matched by trace id, so other tests tracing in parallel cannot interfere.
/// </summary>
public sealed class PeerSyncSessionTraceContextTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private static readonly ActivitySource Test = new("PeatMesh.Tests.TraceContext");
    private readonly string _dir = Directory.CreateTempSubdirectory("peat-trace-session-").FullName;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private ActivityListener _listener = null!;
    private SqliteDocumentStore _store = null!;
    private DocumentService _documents = null!;
    private MeshConnection _node = null!;
    private MeshConnection _peer = null!;
    private PeerSyncSession _session = null!;
    private Task _run = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MeshTelemetry.ActivitySourceName or "PeatMesh.Tests.TraceContext",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
        _store = await SqliteDocumentStore.OpenAsync(new StorageOptions { DataDirectory = _dir });
        _documents = new DocumentService(_store, ActorId.Random(), "node", new LamportClock(), new SyncOptions(), TimeProvider.System, NullLogger.Instance);
        await _documents.InitializeAsync();
        await ConnectAsync(peerAcceptsTraceContext: true);
    }

    /// <summary>Connects the session to a peer whose hello does or does not list <see cref="TraceContextCodec.HelloFeature"/>.</summary>
    private async Task ConnectAsync(bool peerAcceptsTraceContext)
    {
        using var nodeKey = DeviceKeypair.Generate();
        using var peerKey = DeviceKeypair.Generate();
        var (a, b) = InMemoryMessageChannel.CreatePair(nodeKey.PublicKey.ToArray(), peerKey.PublicKey.ToArray());
        var options = new MeshConnectionOptions { HeartbeatInterval = Timeout.InfiniteTimeSpan };
        var protocols = new[] { MeshProtocols.AutomergeSync };
        var nodeHello = new PeerHello("node", 1, 0, "t", protocols) { Features = [TraceContextCodec.HelloFeature] };
        var peerHello = new PeerHello("peer", 2, 0, "t", protocols) { Features = peerAcceptsTraceContext ? [TraceContextCodec.HelloFeature] : [] };
        var node = MeshConnection.EstablishAsync(a, nodeHello, ConnectionDirection.Inbound, null, options, TimeProvider.System, NullLogger.Instance);
        var peer = MeshConnection.EstablishAsync(b, peerHello, ConnectionDirection.Outbound, null, options, TimeProvider.System, NullLogger.Instance);
        (_node, _peer) = (await node, await peer);
        _session = new PeerSyncSession(_node, _documents, new SyncOptions(), NullLogger.Instance);
        _run = Task.Run(_session.RunAsync);

        // The session lists the stored documents before it starts receiving: once a peer's document is applied, that
        // listing is over and later writes are marked dirty only by the tests.
        var ready = "ready-" + Guid.NewGuid().ToString("N");
        await SendFramesAsync(Snapshot("cities:" + ready, "Ready"));
        await WaitForDocumentAsync(ready);
    }

    private async Task DisconnectAsync()
    {
        await _peer.DisposeAsync();
        await _node.DisposeAsync();
        await Wait.ForAsync(_run, Deadline, "session ends");
    }

    public async Task DisposeAsync()
    {
        await DisconnectAsync();
        await _store.DisposeAsync();
        _listener.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private Task SendFramesAsync(params SyncFrame[] frames)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var frame in frames)
        {
            SyncFrame.Write(buffer, frame);
        }

        return _peer.GetProtocol(MeshProtocols.AutomergeSync).SendAsync(buffer.WrittenMemory).AsTask();
    }

    private static SyncFrame Snapshot(string docKey, string name)
    {
        var document = new AutomergeDocument();
        using (var tx = document.BeginTransaction())
        {
            tx.Put(ObjId.Root, "name", ScalarValue.Str(name));
            tx.Commit();
        }

        return new SyncFrame(docKey, SyncMessageType.StateSnapshot, document.Save());
    }

    private static ActivityContext RemoteContext() =>
        new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

    private Task WaitForDocumentAsync(string id) =>
        Wait.UntilAsync(async () => await _documents.GetAsync(DocumentKey.Create("cities", id)) is not null, Deadline, $"cities:{id} applied");

    private Activity? ApplySpanOf(string docKey) =>
        _stopped.FirstOrDefault(s => s.OperationName == MeshTelemetry.SyncApply
                                     && s.Events.Any(e => e.Name == MeshTelemetry.DocumentUpdatedEvent && (string?)e.Tags.First().Value == docKey));

    [Fact]
    public async Task TraceContextFrame_BeforeItsDocument_ParentsTheApplySpan()
    {
        var remote = RemoteContext();

        await SendFramesAsync(
            new SyncFrame("cities:traced", SyncMessageType.TraceContext, TraceContextCodec.Encode(remote)),
            Snapshot("cities:traced", "Traced"));

        await WaitForDocumentAsync("traced");
        await Wait.UntilAsync(() => ApplySpanOf("cities:traced") is not null, Deadline, "apply span of cities:traced stopped");
        var apply = ApplySpanOf("cities:traced")!;
        Assert.Equal(remote.TraceId, apply.TraceId);
        Assert.Equal(remote.SpanId, apply.ParentSpanId);
        Assert.Equal("node", apply.GetTagItem(MeshTelemetry.NodeIdTag));
        Assert.Equal("peer", apply.GetTagItem(MeshTelemetry.PeerNodeIdTag));
    }

    [Fact]
    public async Task TraceContextFrame_ForAnotherDocument_DoesNotParentThisOne()
    {
        var remote = RemoteContext();

        await SendFramesAsync(
            new SyncFrame("cities:elsewhere", SyncMessageType.TraceContext, TraceContextCodec.Encode(remote)),
            Snapshot("cities:untraced", "Untraced"));

        await WaitForDocumentAsync("untraced");
        await Wait.UntilAsync(() => ApplySpanOf("cities:untraced") is not null, Deadline, "apply span of cities:untraced stopped");
        var apply = ApplySpanOf("cities:untraced")!;
        Assert.NotEqual(remote.TraceId, apply.TraceId);
        Assert.Equal(default, apply.ParentSpanId);
    }

    [Fact]
    public async Task MalformedTraceContextFrame_IsIgnoredAndTheConnectionStaysOpen()
    {
        await SendFramesAsync(
            new SyncFrame("cities:garbled", SyncMessageType.TraceContext, Encoding.ASCII.GetBytes("00-not-a-trace-context")),
            Snapshot("cities:garbled", "Garbled"));
        await SendFramesAsync(
            new SyncFrame("cities:binary", SyncMessageType.TraceContext, new byte[] { 0xFF, 0x00, 0x7F }),
            Snapshot("cities:binary", "Binary"));

        await WaitForDocumentAsync("garbled");
        await WaitForDocumentAsync("binary");
        Assert.True(_node.IsOpen);
    }

    /// <summary>Marks a stored document dirty under a new activity; returns the message frames that carry its delta.</summary>
    private async Task<(ActivityContext Writer, List<SyncFrame> Frames)> SendUnderActivityAsync(string id)
    {
        var key = DocumentKey.Create("cities", id);
        await _documents.PutAsync(key, JsonDocument.Parse("""{"name":"Outbound"}""").RootElement);
        ActivityContext writer;
        using (var write = Test.StartActivity("write")!)
        {
            writer = write.Context;
            _session.MarkDirty(key);
        }

        var incoming = _peer.GetProtocol(MeshProtocols.AutomergeSync).Incoming;
        List<SyncFrame> frames = [];
        using var timeout = new CancellationTokenSource(Deadline);
        await Wait.UntilAsync(async () =>
        {
            var message = await incoming.ReadAsync(timeout.Token);
            var sequence = new ReadOnlySequence<byte>(message);
            frames = [];
            while (SyncFrame.TryRead(ref sequence, SyncFrameLimits.Default, out var frame) == OperationStatus.Done)
            {
                frames.Add(frame);
            }

            return frames.Any(f => f.DocKey == "cities:" + id && f.Type == SyncMessageType.DeltaSync);
        }, Deadline, $"a message with the delta of cities:{id}");
        return (writer, frames);
    }

    [Fact]
    public async Task MarkDirty_UnderAnActivity_SendsTheSendSpansContextBeforeTheDelta()
    {
        var (writer, frames) = await SendUnderActivityAsync("outbound");

        var delta = frames.FindIndex(f => f.DocKey == "cities:outbound" && f.Type == SyncMessageType.DeltaSync);
        Assert.True(delta > 0, "a frame precedes the delta");
        Assert.Equal(SyncMessageType.TraceContext, frames[delta - 1].Type);
        Assert.Equal("cities:outbound", frames[delta - 1].DocKey);
        Assert.True(TraceContextCodec.TryDecode(frames[delta - 1].Payload.Span, out var sent));
        Assert.Equal(writer.TraceId, sent.TraceId);

        await Wait.UntilAsync(() => _stopped.Any(s => s.SpanId == sent.SpanId), Deadline, "the send span stopped");
        var send = _stopped.Single(s => s.SpanId == sent.SpanId);
        Assert.Equal(MeshTelemetry.SyncSend, send.OperationName);
        Assert.Equal(writer.SpanId, send.ParentSpanId);
        Assert.Equal(1, send.GetTagItem("peat.sync.documents"));
    }

    [Fact]
    public async Task MarkDirty_PeerWithoutTheHelloFeature_GetsNoTraceContextFrame()
    {
        await DisconnectAsync();
        await ConnectAsync(peerAcceptsTraceContext: false);

        var (writer, frames) = await SendUnderActivityAsync("legacy");

        Assert.DoesNotContain(frames, f => f.Type == SyncMessageType.TraceContext);
        await Wait.UntilAsync(() => _stopped.Any(s => s.OperationName == MeshTelemetry.SyncSend && s.ParentSpanId == writer.SpanId), Deadline,
            "the send round is still traced locally");
    }
}
