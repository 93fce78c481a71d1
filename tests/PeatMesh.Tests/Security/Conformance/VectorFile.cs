using System.Text.Json;

namespace PeatMesh.Tests.Security.Conformance;

/// <summary>Loads JSON test vectors from ../shared/testdata and decodes hex fields.</summary>
internal static class VectorFile
{
    public static JsonDocument Load(string folder, string file)
    {
        var path = RepoPaths.TestData(folder, file);
        Assert.True(File.Exists(path), "Test vector file missing: " + path);
        return JsonDocument.Parse(File.ReadAllBytes(path));
    }

    public static byte[] Hex(this JsonElement element, string property) =>
        Convert.FromHexString(element.GetProperty(property).GetString()!);

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    /// <summary>Enumerates (group, test) pairs of a Wycheproof file.</summary>
    public static IEnumerable<(JsonElement Group, JsonElement Test)> WycheproofTests(JsonDocument document)
    {
        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                yield return (group, test);
            }
        }
    }

    public static int NumberOfTests(JsonDocument document) => document.RootElement.GetProperty("numberOfTests").GetInt32();

    public static string[] Flags(this JsonElement test) =>
        test.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToArray();

    public static string Describe(this JsonElement test) =>
        $"tcId {test.GetProperty("tcId").GetInt32()} ({test.Str("comment")}; flags {string.Join(',', test.Flags())})";
}
