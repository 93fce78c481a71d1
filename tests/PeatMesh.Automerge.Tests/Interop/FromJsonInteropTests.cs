using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeatMesh.Automerge.Json;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Interop;

/// <summary>
/// <see cref="AutomergeJson.FromJson"/> and <c>peat automerge from-json</c> make the same change as
/// <c>Automerge.from(JSON.parse(text))</c> in Automerge JS 3.5.0 for the same actor and time (random JSON: nested objects
/// and arrays, strings as text with emoji, integers written as <c>1</c>, <c>1.0</c> or <c>1e3</c>, fractions, -0,
/// booleans, null, array-index-like and non-ASCII keys).
/// </summary>
public class FromJsonInteropTests
{
    private const string Actor = "0123456789abcdef0123456789abcdef";
    private const long Time = 1_700_000_123;
    private static readonly string[] Keys = ["a", "b", "Z", "0", "2", "10", "01", "é", "😀", "key with space", "\"q\""];
    private static readonly string[] Chars = ["a", "b", " ", "\n", "é", "€", "😀", "🇬🇧", "\\", "\""];

    [JsFact]
    public async Task FromJson_RandomJson_ChangeByteIdenticalToAutomergeFrom()
    {
        var rng = new Random(77);
        using var dir = new TempDir();
        var files = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var file = dir.File($"in-{i:D2}.json");
            await File.WriteAllTextAsync(file, RandomObject(rng, 0).ToJsonString());
            files.Add(file);
        }

        var results = await JsHarness.RunJsonAsync("from-json.mjs", ["--actor", Actor, "--time", Time.ToString(CultureInfo.InvariantCulture), .. files]);
        foreach (var result in results.EnumerateArray())
        {
            var file = result.GetProperty("file").GetString()!;
            using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(file));
            var doc = AutomergeJson.FromJson(json.RootElement, ActorId.Parse(Actor), Time);
            var change = doc.GetAllChanges().SingleOrDefault();
            Assert.True(result.GetProperty("change").GetString() == (change is null ? null : Convert.ToHexStringLower(change.RawBytes.Span)),
                $"{Path.GetFileName(file)}: {await File.ReadAllTextAsync(file)}");
            Assert.Equal(result.GetProperty("json").GetString(), AutomergeJson.ToJsJson(doc));
        }
    }

    [JsFact]
    public async Task FromJsonCommand_JsonFile_SameHeadsAsAutomergeFromAndPrintsBack()
    {
        using var dir = new TempDir();
        var input = dir.File("in.json");
        await File.WriteAllTextAsync(input, """{"title":"Hello 🇬🇧","n":[1,1.0,1e3,-0,2.5,true,null,{"9":"x","10":[]}],"2":{"é":""}}""");
        var (exitCode, _, stderr) = await PeatCli.RunAsync(null, TimeSpan.FromMinutes(1), "automerge", "from-json", input, "-o", dir.File("out.automerge"),
            "--actor", Actor, "--time", Time.ToString(CultureInfo.InvariantCulture));
        Assert.True(exitCode == 0, stderr);

        var js = (await JsHarness.RunJsonAsync("from-json.mjs", ["--actor", Actor, "--time", Time.ToString(CultureInfo.InvariantCulture), input]))[0];
        var ours = await JsHarness.RunJsonAsync("inspect.mjs", [dir.File("out.automerge")]);
        Assert.Equal(js.GetProperty("heads").ToString(), ours[0].GetProperty("heads").ToString());
        Assert.Equal(js.GetProperty("json").GetString(), ours[0].GetProperty("json").GetString());

        var (toJsonExit, stdout, toJsonErr) = await PeatCli.RunAsync(null, TimeSpan.FromMinutes(1), "automerge", "to-json", dir.File("out.automerge"));
        Assert.True(toJsonExit == 0, toJsonErr);
        Assert.Equal(js.GetProperty("json").GetString() + "\n", Encoding.UTF8.GetString(stdout));
    }

    private static JsonObject RandomObject(Random rng, int depth)
    {
        var obj = new JsonObject();
        for (var i = rng.Next(depth == 0 ? 1 : 0, 6); i > 0; i--)
        {
            obj[Keys[rng.Next(Keys.Length)]] = RandomValue(rng, depth + 1);
        }

        return obj;
    }

    private static JsonNode? RandomValue(Random rng, int depth)
    {
        switch (rng.Next(depth > 3 ? 6 : 8))
        {
            case 0: return null;
            case 1: return rng.Next(2) == 0;
            case 2:
                return JsonNode.Parse(rng.Next(5) switch
                {
                    0 => rng.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
                    1 => rng.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture) + ".0",
                    2 => rng.Next(1, 9).ToString(CultureInfo.InvariantCulture) + "e" + rng.Next(0, 15).ToString(CultureInfo.InvariantCulture),
                    3 => "-0",
                    _ => (rng.NextDouble() * 1000 - 500).ToString("R", CultureInfo.InvariantCulture),
                });
            case 3: return rng.NextInt64(-(1L << 53) + 1, 1L << 53);
            case 4 or 5: return string.Concat(Enumerable.Range(0, rng.Next(0, 6)).Select(_ => Chars[rng.Next(Chars.Length)]));
            case 6:
                var array = new JsonArray();
                for (var i = rng.Next(0, 5); i > 0; i--)
                {
                    array.Add(RandomValue(rng, depth + 1));
                }

                return array;
            default: return RandomObject(rng, depth);
        }
    }
}
