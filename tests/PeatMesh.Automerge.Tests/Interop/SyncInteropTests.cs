using System.Text.Json;
using PeatMesh.Automerge.Json;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Interop;

/// <summary>
/// C# ⇄ JS sync sessions over real pipes: <c>peat automerge sync --stdio</c> against tests/interop/js/sync-peer.mjs
/// (Automerge JS 3.5.0), frames relayed byte for byte by the test, from seeded random divergent histories; both sides
/// must end with the same heads and the same JSON, holding both histories.
/// </summary>
public class SyncInteropTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(2);

    [JsTheory]
    [InlineData(1, 8, 8)]
    [InlineData(2, 20, 3)]
    [InlineData(3, 0, 12)]
    [InlineData(4, 12, 0)]
    [InlineData(5, 40, 40)]
    public async Task Sync_PeatCliAgainstJsPeer_ConvergeFromDivergentHistories(int seed, int csharpChanges, int jsChanges)
    {
        using var dir = new TempDir();
        var rng = new Random(seed);

        // A shared history, then each side diverges: C# edits through the engine, JS through the JS API (seeded).
        var shared = JsDocumentInteropTests.RandomDocument(rng);
        await File.WriteAllBytesAsync(dir.File("shared.automerge"), shared.Save());
        var ours = shared.Fork(ActorId.Parse("c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5"));
        var writer = new OpScriptWriter(rng);
        for (var c = 0; c < csharpChanges; c++)
        {
            using var tx = ours.BeginTransaction();
            for (var i = 0; i < rng.Next(1, 5); i++)
            {
                writer.Edit(tx, null);
            }

            tx.Commit(time: 1_800_000_000 + c);
        }

        await File.WriteAllBytesAsync(dir.File("cs-in.automerge"), ours.Save());

        await JsHarness.EnsureInstalledAsync();
        await using var csharp = PeatCli.Start("peat sync", "automerge", "sync", "--stdio", "--doc", dir.File("cs-in.automerge"), "--out", dir.File("cs-out.automerge"));
        await using var js = ChildProcess.Start("node sync-peer.mjs", JsHarness.Node!,
        [
            "sync-peer.mjs", "--doc", dir.File("shared.automerge"), "--out", dir.File("js-out.automerge"), "--actor", "a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5",
            "--seed", seed.ToString(), "--changes", jsChanges.ToString(), "--marks", "--report", dir.File("js-report.json"),
        ], JsHarness.Directory);

        var (csToJs, jsToCs) = await SyncRelay.RunAsync(csharp, js, maxRounds: 50, TimeSpan.FromSeconds(60));
        Assert.True(await csharp.WaitForExitAsync(ProcessTimeout, "exit after end of input") == 0, "peat: " + csharp.Stderr);
        Assert.True(await js.WaitForExitAsync(ProcessTimeout, "exit after end of input") == 0, "node: " + js.Stderr);
        Assert.NotEmpty(csToJs);
        Assert.NotEmpty(jsToCs);

        var csOut = AutomergeDocument.Load(await File.ReadAllBytesAsync(dir.File("cs-out.automerge")));
        var jsOut = AutomergeDocument.Load(await File.ReadAllBytesAsync(dir.File("js-out.automerge")));
        using var report = JsonDocument.Parse(await File.ReadAllBytesAsync(dir.File("js-report.json")));
        var jsHeads = report.RootElement.GetProperty("heads").EnumerateArray().Select(h => h.GetString()!).ToList();

        var context = $"seed {seed}: {csToJs.Count} messages C#→JS, {jsToCs.Count} JS→C#";
        Assert.True(JsDocumentInteropTests.HexHeads(csOut).SequenceEqual(jsHeads), $"heads differ after sync ({context})");
        Assert.Equal(JsDocumentInteropTests.HexHeads(csOut), JsDocumentInteropTests.HexHeads(jsOut));
        Assert.Equal(report.RootElement.GetProperty("json").GetString(), AutomergeJson.ToJsJson(csOut));
        Assert.Equal(AutomergeJson.ToJsJson(csOut), AutomergeJson.ToJsJson(jsOut));
        Assert.All(ours.Heads, h => Assert.True(csOut.HasChange(h) && jsOut.HasChange(h), $"our head {h} missing ({context})"));
        foreach (var head in report.RootElement.GetProperty("headsBeforeSync").EnumerateArray())
        {
            Assert.True(csOut.HasChange(ChangeHash.Parse(head.GetString()!)), $"JS head {head} missing ({context})");
        }

        Assert.Equal(jsOut.ChangeCount, csOut.ChangeCount);
        Assert.True(csOut.ChangeCount > ours.ChangeCount || jsChanges == 0, $"no JS change arrived ({context})");
        Assert.Equal(0, csOut.QueuedChangeCount);
    }

    [JsFact]
    public async Task Sync_EmptyCSharpDocument_ReceivesWholeJsDocument()
    {
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.File("empty.automerge"), []);
        var source = await File.ReadAllBytesAsync(RepoPaths.TestData("automerge", "automerge-c", "brave-ape-49.automerge"));
        await File.WriteAllBytesAsync(dir.File("js-in.automerge"), source);

        await JsHarness.EnsureInstalledAsync();
        await using var csharp = PeatCli.Start("peat sync", "automerge", "sync", "--stdio", "--doc", dir.File("empty.automerge"), "--out", dir.File("cs-out.automerge"));
        await using var js = ChildProcess.Start("node sync-peer.mjs", JsHarness.Node!,
            ["sync-peer.mjs", "--doc", dir.File("js-in.automerge"), "--out", dir.File("js-out.automerge")], JsHarness.Directory);
        await SyncRelay.RunAsync(csharp, js, maxRounds: 20, TimeSpan.FromSeconds(60));
        Assert.True(await csharp.WaitForExitAsync(ProcessTimeout, "exit") == 0, csharp.Stderr);
        Assert.True(await js.WaitForExitAsync(ProcessTimeout, "exit") == 0, js.Stderr);

        var expected = AutomergeDocument.Load(source);
        var received = AutomergeDocument.Load(await File.ReadAllBytesAsync(dir.File("cs-out.automerge")));
        Assert.Equal(expected.Heads, received.Heads);
        Assert.Equal(AutomergeJson.ToJsJson(expected), AutomergeJson.ToJsJson(received));
    }
}
