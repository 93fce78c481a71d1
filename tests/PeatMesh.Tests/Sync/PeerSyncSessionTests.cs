using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using PeatMesh.Automerge;
using PeatMesh.Automerge.Model;
using PeatMesh.Security;
using PeatMesh.Storage;
using PeatMesh.Sync;
using PeatMesh.Sync.Wire;
using PeatMesh.Transport;
using PeatMesh.Transport.InMemory;

namespace PeatMesh.Tests.Sync;

/// <summary>A real document service behind a sync session, driven by hand-made reference frames.</summary>
public sealed class PeerSyncSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private readonly string _dir = Directory.CreateTempSubdirectory("peat-session-").FullName;
    private SqliteDocumentStore _store = null!;
    private DocumentService _documents = null!;
    private MeshConnection _node = null!;
    private MeshConnection _peer = null!;
    private Task _session = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _store = await SqliteDocumentStore.OpenAsync(new StorageOptions { DataDirectory = _dir });
        _documents = new DocumentService(_store, ActorId.Random(), "node", new LamportClock(), new SyncOptions(), TimeProvider.System, NullLogger.Instance);
        await _documents.InitializeAsync();
        using var nodeKey = DeviceKeypair.Generate();
        using var peerKey = DeviceKeypair.Generate();
        var (a, b) = InMemoryMessageChannel.CreatePair(nodeKey.PublicKey.ToArray(), peerKey.PublicKey.ToArray());
        var options = new MeshConnectionOptions { HeartbeatInterval = Timeout.InfiniteTimeSpan };
        var protocols = new[] { MeshProtocols.AutomergeSync };
        var node = MeshConnection.EstablishAsync(a, new PeerHello("node", 1, 0, "t", protocols), ConnectionDirection.Inbound, null, options, TimeProvider.System, NullLogger.Instance);
        var peer = MeshConnection.EstablishAsync(b, new PeerHello("peer", 2, 0, "t", protocols), ConnectionDirection.Outbound, null, options, TimeProvider.System, NullLogger.Instance);
        (_node, _peer) = (await node, await peer);
        _session = Task.Run(() => new PeerSyncSession(_node, _documents, new SyncOptions(), NullLogger.Instance).RunAsync());
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

    private static byte[] SavedDocument(string name)
    {
        var document = new AutomergeDocument();
        using (var tx = document.BeginTransaction())
        {
            tx.Put(ObjId.Root, "name", ScalarValue.Str(name));
            tx.Commit();
        }

        return document.Save();
    }

    [Fact]
    public async Task SyncBatch_WithSnapshotEntry_IsUnpackedAndApplied()
    {
        var batch = new SyncBatch(1, DateTimeOffset.UtcNow, SyncBatch.DefaultTtl,
            [new SyncEntry("cities:batched", SyncMessageType.StateSnapshot, SavedDocument("From a batch"))]);

        await SendFramesAsync(SyncBatchCodec.ToFrame(batch));

        await Wait.UntilAsync(async () => (string?)(await _documents.GetAsync(DocumentKey.Create("cities", "batched")))?["name"] == "From a batch",
            Deadline, "batched snapshot applied and stored");
        Assert.NotNull(await _store.GetAsync(DocumentKey.Create("cities", "batched")));
    }

    [Fact]
    public async Task TombstoneFrame_DeletesStoredDocumentAndBlocksLaterSnapshots()
    {
        var key = DocumentKey.Create("cities", "doomed");
        await SendFramesAsync(new SyncFrame("cities:doomed", SyncMessageType.StateSnapshot, SavedDocument("Doomed")));
        await Wait.UntilAsync(async () => await _documents.GetAsync(key) is not null, Deadline, "snapshot applied");

        var tombstone = new Tombstone(key, DateTimeOffset.UtcNow, 7, "peer");
        await SendFramesAsync(TombstoneCodec.ToFrame(tombstone));
        await Wait.UntilAsync(async () => await _documents.GetAsync(key) is null, Deadline, "tombstone applied");

        // The same document offered again after the delete is not resurrected.
        await SendFramesAsync(new SyncFrame("cities:doomed", SyncMessageType.StateSnapshot, SavedDocument("Back?")),
            new SyncFrame("cities:marker", SyncMessageType.StateSnapshot, SavedDocument("Marker")));
        await Wait.UntilAsync(async () => await _documents.GetAsync(DocumentKey.Create("cities", "marker")) is not null, Deadline, "later frame processed");
        Assert.Null(await _documents.GetAsync(key));
        Assert.Equal(7UL, (await _store.GetTombstoneAsync(key))!.Lamport);
    }

    [Fact]
    public async Task MalformedAutomergePayload_IsDroppedWithoutClosingTheConnection()
    {
        await SendFramesAsync(new SyncFrame("cities:junk", SyncMessageType.DeltaSync, new byte[] { 0x42, 0xff, 0xff }),
            new SyncFrame("cities:fine", SyncMessageType.StateSnapshot, SavedDocument("Fine")));

        await Wait.UntilAsync(async () => await _documents.GetAsync(DocumentKey.Create("cities", "fine")) is not null, Deadline, "valid frame after a bad one");
        Assert.Null(await _documents.GetAsync(DocumentKey.Create("cities", "junk")));
        Assert.True(_node.IsOpen);
    }

    [Fact]
    public async Task GarbageFraming_ClosesTheConnection()
    {
        await _peer.GetProtocol(MeshProtocols.AutomergeSync).SendAsync(new byte[] { 0x00, 0x05, (byte)'a', (byte)'b' });

        await Wait.ForAsync(_node.Completion, Deadline, "connection closed after a truncated frame");
        await Wait.ForAsync(_session, Deadline, "session ends with its connection");
    }

    public async Task DisposeAsync()
    {
        await _peer.DisposeAsync();
        await _node.DisposeAsync();
        await Wait.ForAsync(_session, Deadline, "session ends");
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
