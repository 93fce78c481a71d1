using System.IO.Compression;
using System.Text.Json.Nodes;

namespace PeatMesh.Node.Tests.Support;

/// <summary>Real documents: GeoNames city records from ../shared/testdata/cities/cities.json.gz.</summary>
internal static class Cities
{
    private static readonly Lazy<JsonArray> All = new(() =>
    {
        using var file = File.OpenRead(RepoPaths.TestData("cities", "cities.json.gz"));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return JsonNode.Parse(gzip)!.AsArray();
    });

    /// <summary>The first <paramref name="count"/> records with ids <c>c000000</c>, … (every record's position in the file).</summary>
    public static IReadOnlyList<(string Id, JsonObject Document)> Take(int count, int skip = 0) =>
        [.. All.Value.Skip(skip).Take(count).Select((c, i) => ($"c{skip + i:D6}", c!.DeepClone().AsObject()))];
}
