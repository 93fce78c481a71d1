using System.Text.Json;
using System.Text.Json.Nodes;
using PeatMesh.Automerge.Json;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.Interop;

/// <summary>
/// Documents cross between Automerge JS 3.5.0 (live, through tests/interop/js) and the engine in both directions with
/// equal JSON (<see cref="AutomergeJson.ToJsJson"/> against JSON.stringify(toJS)) and equal heads.
/// </summary>
public class JsDocumentInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [JsTheory]
    [InlineData(101, false)]
    [InlineData(202, true)]
    [InlineData(303, true)]
    public async Task Load_RandomDocumentsWrittenByJs_SameJsonAndHeads(int seed, bool marks)
    {
        // Maps, nested maps, lists, text with emoji, counters, every scalar type, conflicts from 1-3 concurrent actors,
        // and (with marks) mark/unmark on text; saved as save(), save()+changes, or changes only.
        using var dir = new TempDir();
        await JsHarness.RunAsync("random-docs.mjs", ["--seed", seed.ToString(), "--count", "25", "--out", dir.Path, .. (marks ? new[] { "--marks" } : [])], Timeout);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(dir.File("manifest.json")))!.AsArray();
        Assert.Equal(25, manifest.Count);

        foreach (var entry in manifest)
        {
            var file = (string)entry!["file"]!;
            var doc = AutomergeDocument.Load(await File.ReadAllBytesAsync(dir.File(file)));
            var context = $"seed {seed}, {file} ({entry["format"]}, actors {entry["actors"]!.ToJsonString()})";
            Assert.True(((JsonArray)entry["heads"]!).Select(h => (string)h!).SequenceEqual(HexHeads(doc)), $"heads differ: {context}");
            Assert.Equal((int)entry["changes"]!, doc.ChangeCount);
            Assert.Equal(0, doc.QueuedChangeCount);
            Assert.True((string)entry["json"]! == AutomergeJson.ToJsJson(doc),
                $"JSON differs: {context}\n  js: {entry["json"]}\n  c#: {AutomergeJson.ToJsJson(doc)}");
        }
    }

    [JsTheory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task Save_RandomDocumentsWrittenByCSharp_LoadInJsWithSameJsonAndHeads(int seed)
    {
        // 1-3 actors edit concurrently (conflicting keys, interleaved list and text inserts) and merge; JS must load
        // our Save() (whatever chunk layout it uses) to the same heads and the same JSON, and re-save it losslessly.
        using var dir = new TempDir();
        var rng = new Random(seed);
        var expected = new Dictionary<string, AutomergeDocument>();
        for (var i = 0; i < 15; i++)
        {
            var doc = RandomDocument(rng);
            var file = dir.File($"cs-{i:D2}.automerge");
            await File.WriteAllBytesAsync(file, doc.Save());
            expected[file] = doc;
        }

        var results = await JsHarness.RunJsonAsync("inspect.mjs", [.. expected.Keys], Timeout);
        foreach (var result in results.EnumerateArray())
        {
            var file = result.GetProperty("file").GetString()!;
            var doc = expected[file];
            Assert.False(result.TryGetProperty("error", out var error), $"JS could not load {Path.GetFileName(file)} (seed {seed}): {error}");
            Assert.Equal(HexHeads(doc), result.GetProperty("heads").EnumerateArray().Select(h => h.GetString()!));
            Assert.Equal(doc.ChangeCount, result.GetProperty("changes").GetInt32());
            Assert.Equal(AutomergeJson.ToJsJson(doc), result.GetProperty("json").GetString());
            Assert.True(result.GetProperty("resaved").GetBoolean(), $"JS re-save of {file} changed the heads");
        }
    }

    [JsFact]
    public async Task ToJsJson_RecordedFixtures_MatchJsonStringifyOfToJs()
    {
        // Documents recorded from Automerge itself (fixture README): values of every type, emoji text, u64 max, marks.
        string[][] fixtures =
        [
            ["generated-3.5.0", "demo-doc.automerge"], ["interop", "exemplar"], ["automerge-c", "brave-ape-49.automerge"],
            ["benchmark-battery", "webstraits.amrg"], ["benchmark-battery", "godot-modeled.amrg"], ["fixtures", "two_change_chunks.automerge"],
        ];
        var files = fixtures.Select(f => RepoPaths.TestData(["automerge", .. f])).ToArray();
        var results = await JsHarness.RunJsonAsync("inspect.mjs", files, Timeout);
        foreach (var result in results.EnumerateArray())
        {
            var file = result.GetProperty("file").GetString()!;
            var doc = AutomergeDocument.Load(await File.ReadAllBytesAsync(file));
            Assert.Equal(result.GetProperty("json").GetString(), AutomergeJson.ToJsJson(doc));
            Assert.Equal(HexHeads(doc), result.GetProperty("heads").EnumerateArray().Select(h => h.GetString()!));
        }
    }

    [JsFact]
    public async Task ToJsonCommand_RandomJsDocuments_PrintsWhatJsPrints()
    {
        using var dir = new TempDir();
        await JsHarness.RunAsync("random-docs.mjs", ["--seed", "404", "--count", "3", "--out", dir.Path, "--marks"], Timeout);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(dir.File("manifest.json")))!.AsArray();
        foreach (var entry in manifest)
        {
            var (exitCode, stdout, stderr) = await PeatCli.RunAsync(null, Timeout, "automerge", "to-json", dir.File((string)entry!["file"]!));
            Assert.True(exitCode == 0, stderr);
            Assert.Equal((string)entry["json"]! + "\n", System.Text.Encoding.UTF8.GetString(stdout));
        }
    }

    internal static IEnumerable<string> HexHeads(AutomergeDocument doc) => doc.Heads.Select(h => h.ToString()).Order(StringComparer.Ordinal);

    /// <summary>A document edited by 1-3 actors concurrently with merges in between (seeded).</summary>
    internal static AutomergeDocument RandomDocument(Random rng)
    {
        var writer = new OpScriptWriter(rng);
        var time = 1_700_000_000L;
        var actors = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => ActorId.FromBytes(RandomBytes(rng, rng.Next(4) == 0 ? rng.Next(1, 9) : 16))).ToArray();
        var replicas = actors.Select(a => new AutomergeDocument(a)).ToArray();
        for (var round = 0; round < rng.Next(1, 5); round++)
        {
            foreach (var replica in replicas)
            {
                for (var c = 0; c < rng.Next(1, 4); c++)
                {
                    using var tx = replica.BeginTransaction();
                    for (var i = 0; i < rng.Next(1, 6); i++)
                    {
                        writer.Edit(tx, null);
                    }

                    tx.Commit(rng.Next(4) == 0 ? "message " + c : null, time++);
                }
            }

            if (replicas.Length > 1 && rng.Next(2) == 0)
            {
                replicas[rng.Next(replicas.Length)].Merge(replicas[rng.Next(replicas.Length)]);
            }
        }

        for (var i = 1; i < replicas.Length; i++)
        {
            replicas[0].Merge(replicas[i]);
        }

        return replicas[0];
    }

    private static byte[] RandomBytes(Random rng, int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }
}
