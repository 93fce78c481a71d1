using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PeatMesh.Automerge.Json;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Sync;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

/// <summary>
/// The engine against documents and sync messages produced by Automerge itself (fixtures in
/// ../shared/testdata/automerge, see its README for the expected values used here).
/// </summary>
public class AutomergeDocumentInteropTests
{
    private static byte[] Fixture(params string[] parts) => File.ReadAllBytes(RepoPaths.TestData(["automerge", .. parts]));

    private static string TextSha256(AutomergeDocument doc, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(doc.Text(doc.Get(ObjId.Root, key)!.Value.ObjectId))));

    [Theory]
    [InlineData("automerge-perf", "text-doc-50k.amrg", 32_800, "f66a1603382a9bfa95aed6b0bca5fcab948839c777ba30d396c3868bedec5967")]
    [InlineData("egwalker", "A1.am", 38_142, "c822bf881ad1fb04d1aec80575212131fb45ec33600f84f59e829526c6d8f5f1")]
    [InlineData("egwalker", "C1.am", 534_050, "0740f4cf919bb5c878a06b1da9f2292661a224c89e96e79e62a372357696416f")]
    public void Load_RecordedTextTraces_TextMatchesAutomerge(string folder, string file, int length, string sha256)
    {
        // A1 (205 authors, asynchronous) and C1 (concurrent typing) exercise RGA ordering of concurrent
        // inserts: the text must come out exactly as Automerge merged it.
        var doc = AutomergeDocument.Load(Fixture(folder, file));

        Assert.Equal(length, doc.Length(doc.Get(ObjId.Root, "text")!.Value.ObjectId));
        Assert.Equal(sha256, TextSha256(doc, "text"));
        Assert.Equal(0, doc.QueuedChangeCount);
    }

    [Fact]
    public void Load_DemoDocument_MatchesExpectedJsonUnderOurMapping()
    {
        var doc = AutomergeDocument.Load(Fixture("generated-3.5.0", "demo-doc.automerge"));

        // demo-doc.expected.json is Automerge's toJS with bytes as hex, bigint as "42n" and Date as ISO;
        // our JSON mapping gives bytes → null, uint → number, timestamp → milliseconds.
        var expected = JsonNode.Parse(File.ReadAllText(RepoPaths.TestData("automerge", "generated-3.5.0", "demo-doc.expected.json")))!.AsObject();
        expected["bytes"] = null;
        expected["uint"] = ulong.Parse(((string)expected["uint"]!).TrimEnd('n'), System.Globalization.CultureInfo.InvariantCulture);
        expected["when"] = DateTimeOffset.Parse((string)expected["when"]!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var actual = AutomergeJson.ToJsonNode(doc);
        Assert.True(JsonNode.DeepEquals(expected, actual), actual.ToJsonString());
        Assert.Equal(2, doc.GetAll(ObjId.Root, "conflict").Count);
        Assert.Equal(ScalarKind.Counter, doc.Get(ObjId.Root, "counter")!.Value.Scalar.Kind);
        Assert.Equal(ScalarValue.Bytes([1, 2, 3]), doc.Get(ObjId.Root, "bytes")!.Value.Scalar);
    }

    [Fact]
    public void Load_InteropExemplar_ValuesAsDocumented()
    {
        var doc = AutomergeDocument.Load(Fixture("interop", "exemplar"));

        Scalar("title", ScalarValue.Str("Hello 🇬🇧👨‍👨‍👧‍👦😀"));
        Assert.Equal("🇬🇧👨‍👨‍👧‍👦😀", doc.Text(doc.Get(ObjId.Root, "notes")!.Value.ObjectId));
        Assert.Equal(10, doc.Values(doc.Get(ObjId.Root, "notes")!.Value.ObjectId).Count);
        Scalar("timestamp", ScalarValue.Timestamp(-905_182_979_000));
        Scalar("location", ScalarValue.Str("https://automerge.org/"));
        Scalar("counter", ScalarValue.Counter(5));
        Scalar("int", ScalarValue.Int(-4));
        Scalar("uint", ScalarValue.Uint(ulong.MaxValue));
        Scalar("fp", ScalarValue.F64(3.14159267));
        Scalar("bytes", ScalarValue.Bytes([0x85, 0x6f, 0x4a, 0x83]));
        Scalar("bool", ScalarValue.Boolean(true));

        void Scalar(string key, ScalarValue expected) => Assert.Equal(expected, doc.Get(ObjId.Root, key)!.Value.Scalar);
    }

    [Fact]
    public void Load_DemoDocument_EditAndSaveLoadRoundTrip()
    {
        var doc = AutomergeDocument.Load(Fixture("generated-3.5.0", "demo-doc.automerge"), Actors.C);
        var text = doc.Get(ObjId.Root, "text")!.Value.ObjectId;

        doc.Change(tx =>
        {
            tx.SpliceText(text, 0, 5, "goodbye");
            tx.Increment(ObjId.Root, "counter", 2);
        });
        var reloaded = AutomergeDocument.Load(doc.Save());

        Assert.Equal("goodbye brave world", reloaded.Text(text));
        Assert.Equal(ScalarValue.Counter(10), reloaded.Get(ObjId.Root, "counter")!.Value.Scalar);
        Assert.Equal(doc.Heads, reloaded.Heads);
    }

    [Fact]
    public void Sync_RecordedSession_OurMessagesMatchAutomergeBytes()
    {
        // The session's sender A is the document carried whole by message 3.
        var m3 = SyncMessage.Decode(Fixture("generated-3.5.0", "demo-sync-3-a2b.bin"));
        var a = AutomergeDocument.Load(m3.Changes[0].Span);
        var b = Docs.New(Actors.B);
        var stateA = new SyncState();
        var stateB = new SyncState();

        // 1: A's opener (V1: heads, bloom of its 4 changes, trailer).
        var m1 = a.GenerateSyncMessage(stateA)!;
        Assert.Equal(Fixture("generated-3.5.0", "demo-sync-1-a2b.bin"), m1.Encode());

        // 2: the empty peer asks for A's head.
        b.ReceiveSyncMessage(stateB, m1);
        var m2 = b.GenerateSyncMessage(stateB)!;
        Assert.Equal(Fixture("generated-3.5.0", "demo-sync-2-b2a.bin"), m2.Encode());

        // Our A answers like Automerge: V2 with its whole document as save() writes it, byte for byte.
        a.ReceiveSyncMessage(stateA, SyncMessage.Decode(m2.Encode()));
        var ourM3 = a.GenerateSyncMessage(stateA)!;
        Assert.Equal(SyncMessageVersion.V2, ourM3.Version);
        Assert.Equal(Fixture("generated-3.5.0", "demo-sync-3-a2b.bin"), ourM3.Encode());

        // 3: Automerge sent its whole document (a document chunk); our B loads it.
        b.ReceiveSyncMessage(stateB, m3);
        Assert.Equal(a.Heads, b.Heads);
        Assert.Equal(Docs.Json(a), Docs.Json(b));

        // 4: B's acknowledgement is byte-identical to Automerge's.
        Assert.Equal(Fixture("generated-3.5.0", "demo-sync-4-b2a.bin"), b.GenerateSyncMessage(stateB)!.Encode());
        Assert.Null(b.GenerateSyncMessage(stateB));
    }
}
