using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using PeatMesh.Benchmarks.Support;

namespace PeatMesh.Benchmarks.Tests.Support;

public sealed class CityRecordsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("peat-bench-tests-").FullName;

    [Fact]
    public void Load_DefaultFile_FirstRecordsInFileOrderWithPositionalIds()
    {
        var records = CityRecords.Load(null, 3);

        using var file = File.OpenRead(RepoPaths.TestData("cities", "cities.json.gz"));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        var expected = JsonNode.Parse(gzip)!.AsArray();
        Assert.Equal(["c000000", "c000001", "c000002"], records.Select(r => r.Id));
        for (var i = 0; i < records.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(expected[i], JsonNode.Parse(records[i].Json)), $"record {i} differs");
        }
    }

    [Fact]
    public void Load_FewerRecordsThanRequested_ThrowsInvalidData()
    {
        var path = WriteGzip("two.json.gz", """[{"name":"A"},{"name":"B"}]""");

        var e = Assert.Throws<InvalidDataException>(() => CityRecords.Load(path, 3));

        Assert.Contains("holds 2 records", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotAnArray_ThrowsInvalidData()
    {
        var path = WriteGzip("object.json.gz", """{"name":"A"}""");

        Assert.Throws<InvalidDataException>(() => CityRecords.Load(path, 1));
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFoundNamingTheOption()
    {
        var e = Assert.Throws<FileNotFoundException>(() => CityRecords.Load(Path.Combine(_directory, "missing.json.gz"), 1));

        Assert.Contains("--cities", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteGzip(string name, string json)
    {
        var path = Path.Combine(_directory, name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(json));
        return path;
    }
}
