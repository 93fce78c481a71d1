using System.Text.Json;
using System.Text.Json.Nodes;
using PeatMesh.Automerge.Json;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Interop;

/// <summary>
/// Changes are byte-identical to Automerge JS 3.5.0's for the same actor, time, message and operations: seeded random op
/// scripts (maps, lists, text, counters, every scalar type, mark/unmark) are applied through the C# API and replayed by
/// tests/interop/js/golden-changes.mjs through the JS API.
/// </summary>
public class GoldenChangeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [JsTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Commit_RandomOpScripts_ChangesByteIdenticalToJs(int seed)
    {
        var rng = new Random(seed);
        var actor = ActorId.FromBytes(RandomBytes(rng, seed == 4 ? 3 : 16));
        var doc = new AutomergeDocument(actor);
        var writer = new OpScriptWriter(rng);
        var changes = new JsonArray();
        var ours = new List<string?>();
        for (var c = 0; c < 40; c++)
        {
            var ops = new JsonArray();
            var time = 1_700_000_000L + (c * 7) - (seed == 3 ? 2_000_000_000L : 0);
            var message = rng.Next(3) == 0 ? $"change {c} ✓" : null;
            using (var tx = doc.BeginTransaction())
            {
                for (var i = 0; i < rng.Next(1, 8); i++)
                {
                    writer.Edit(tx, ops);
                }

                var change = tx.Commit(message, time);
                ours.Add(change is null ? null : Convert.ToHexStringLower(change.RawBytes.Span));
            }

            changes.Add(new JsonObject { ["time"] = time, ["message"] = message, ["ops"] = ops });
        }

        using var dir = new TempDir();
        var script = new JsonObject { ["actor"] = actor.ToString(), ["changes"] = changes };
        await File.WriteAllTextAsync(dir.File("script.json"), script.ToJsonString());
        var js = await JsHarness.RunJsonAsync("golden-changes.mjs", [dir.File("script.json")], Timeout);

        var theirs = js.GetProperty("changes").EnumerateArray().Select(c => c.ValueKind == JsonValueKind.Null ? null : c.GetString()).ToList();
        Assert.Equal(ours.Count, theirs.Count);
        for (var i = 0; i < ours.Count; i++)
        {
            Assert.True(ours[i] == theirs[i],
                $"seed {seed}, change {i}: bytes differ\n  ops: {changes[i]!["ops"]!.ToJsonString()}\n  js: {theirs[i]}\n  c#: {ours[i]}");
        }

        Assert.Equal(JsDocumentInteropTests.HexHeads(doc), js.GetProperty("heads").EnumerateArray().Select(h => h.GetString()!));
        Assert.Equal(js.GetProperty("json").GetString(), AutomergeJson.ToJsJson(doc));
    }

    private static byte[] RandomBytes(Random rng, int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }
}
