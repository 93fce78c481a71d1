using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeatMesh.Automerge.Json;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.Interop;

/// <summary>
/// The JS-compatible spelling of <see cref="AutomergeJson.ToJsJson"/> against node itself: thousands of doubles (random
/// bit patterns and edge values) and dates (across the whole range of a JS Date), each compared with JSON.stringify.
/// </summary>
public class JsJsonFormatTests
{
    [JsFact]
    public async Task ToJsJson_DoublesAndTimestamps_SpelledAsJsonStringify()
    {
        var rng = new Random(20261122);
        var doubles = new List<double> { 0.0, -0.0, 1e21, 1e-7, 1e-6, 123e-20, 0.1 + 0.2, 5e-324, double.MaxValue, 1e20, 1.5e21, 100, 1e300, -2.5 };
        for (var i = 0; i < 1500; i++)
        {
            doubles.Add(BitConverter.Int64BitsToDouble(rng.NextInt64()));
            doubles.Add(Math.Round(rng.NextDouble() * Math.Pow(10, rng.Next(-10, 25)), rng.Next(0, 8)));
        }

        doubles.RemoveAll(d => !double.IsFinite(d));
        var dates = new List<long> { 0, -1, 1, 8_640_000_000_000_000, -8_640_000_000_000_000, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_000, -62_167_219_200_001 };
        for (var i = 0; i < 1500; i++)
        {
            dates.Add(rng.NextInt64(-8_640_000_000_000_000, 8_640_000_000_000_001));
            dates.Add(rng.NextInt64(-100_000_000_000_000, 100_000_000_000_000));
        }

        using var dir = new TempDir();
        var input = new JsonObject
        {
            ["doubles"] = new JsonArray([.. doubles.Select(d => (JsonNode)Hex(d))]),
            ["dates"] = new JsonArray([.. dates.Select(d => (JsonNode)d.ToString(CultureInfo.InvariantCulture))]),
        };
        await File.WriteAllTextAsync(dir.File("input.json"), input.ToJsonString());
        var js = await JsHarness.RunJsonAsync("js-format.mjs", [dir.File("input.json")]);

        // Each value goes through a real document: a map of f64 and timestamp scalars, written by ToJsJson.
        var doc = Docs.New(Actors.A);
        doc.Change(tx =>
        {
            for (var i = 0; i < doubles.Count; i++)
            {
                tx.Put(ObjId.Root, "d" + i, ScalarValue.F64(doubles[i]));
            }

            for (var i = 0; i < dates.Count; i++)
            {
                tx.Put(ObjId.Root, "t" + i, ScalarValue.Timestamp(dates[i]));
            }
        });
        var ours = JsonDocument.Parse(AutomergeJson.ToJsJson(doc)).RootElement;
        var expectedDoubles = js.GetProperty("doubles").EnumerateArray().Select(e => e.GetString()!).ToList();
        var expectedDates = js.GetProperty("dates").EnumerateArray().Select(e => e.GetString()!).ToList();
        for (var i = 0; i < doubles.Count; i++)
        {
            var written = ours.GetProperty("d" + i).GetRawText();
            Assert.True(expectedDoubles[i] == written,
                $"double {doubles[i].ToString("R", CultureInfo.InvariantCulture)}: JS spells it {expectedDoubles[i]}, we wrote {written}");
        }

        for (var i = 0; i < dates.Count; i++)
        {
            Assert.True(expectedDates[i] == ours.GetProperty("t" + i).GetRawText(), $"date {dates[i]} ms: JS {expectedDates[i]}, we {ours.GetProperty("t" + i).GetRawText()}");
        }
    }

    private static string Hex(double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
        return Convert.ToHexStringLower(bytes);
    }
}
