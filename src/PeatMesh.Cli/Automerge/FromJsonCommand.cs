using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PeatMesh.Automerge.Json;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Cli.Automerge;

/// <summary>
/// <c>peat automerge from-json FILE.json -o OUT [--actor HEX] [--time SECONDS]</c>: writes a document holding the JSON
/// object the way <c>Automerge.from(JSON.parse(text))</c> does (strings as text; see <see cref="AutomergeJson.Import"/>).
/// </summary>
internal static class FromJsonCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE.json") { Description = "A JSON object (the document root)." };
        var output = new Option<string>("--out", "-o") { Description = "Where to write the document (save() bytes).", Required = true };
        var actor = new Option<string?>("--actor") { Description = "Actor id in hex (default: 16 random bytes, as Automerge JS)." };
        var time = new Option<long?>("--time") { Description = "Change time in seconds since the Unix epoch (default: now)." };
        var command = new Command("from-json", "Write a document holding a JSON object, like Automerge.from (strings become text).")
        {
            file, output, actor, time,
        };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(output)!, parse.GetValue(actor), parse.GetValue(time)));
        return command;
    }

    /// <summary>Runs the command.</summary>
    public static int Run(string path, string outPath, string? actorHex, long? time)
    {
        ActorId? actor = null;
        if (actorHex is not null)
        {
            try
            {
                actor = ActorId.Parse(actorHex);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                return CliExit.Fail("from-json", $"--actor must be an even number of hex digits (1 to {ActorId.MaxLength} bytes): {e.Message}", CliExit.Usage);
            }
        }

        try
        {
            using var json = JsonDocument.Parse(DocumentFiles.ReadBounded(path), new JsonDocumentOptions { MaxDepth = AutomergeJson.MaxDepth + 1 });
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return CliExit.Fail("from-json", $"{path}: the top-level JSON value must be an object (the document root), not {json.RootElement.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture)}.");
            }

            var doc = AutomergeJson.FromJson(json.RootElement, actor, time);
            DocumentFiles.WriteAtomically(outPath, doc.Save());
            return CliExit.Ok;
        }
        catch (JsonException e)
        {
            return CliExit.Fail("from-json", $"{path}: not valid JSON: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return CliExit.Fail("from-json", e.Message);
        }
    }
}
