namespace PeatMesh.Automerge.Tests.Sync;

/// <summary>Paths of the sync-message fixtures in ../shared/testdata/automerge.</summary>
internal static class SyncFixtures
{
    public static readonly string[] DemoSession =
    [
        "demo-sync-1-a2b.bin",
        "demo-sync-2-b2a.bin",
        "demo-sync-3-a2b.bin",
        "demo-sync-4-b2a.bin",
    ];

    public static byte[] Demo(string name) => File.ReadAllBytes(RepoPaths.TestData("automerge", "generated-3.5.0", name));

    public static byte[] SlowSyncMessage() =>
        File.ReadAllBytes(RepoPaths.TestData("automerge", "benchmark-battery", "slowSyncMessage.amrgsync"));

    /// <summary>The sync messages (<c>data</c> fields) carried by the recorded automerge-repo request/sync frames.</summary>
    public static IEnumerable<(string Frame, byte[] Message)> RepoFrameMessages()
    {
        var dir = RepoPaths.TestData("automerge", "generated-3.5.0", "repo-frames");
        foreach (var path in Directory.GetFiles(dir, "*.cbor").Order(StringComparer.Ordinal))
        {
            var map = CborFrameReader.ReadMap(File.ReadAllBytes(path));
            var type = (string?)map["type"];
            if (type is "request" or "sync")
            {
                yield return (Path.GetFileName(path), Assert.IsType<byte[]>(map["data"]));
            }
        }
    }
}
