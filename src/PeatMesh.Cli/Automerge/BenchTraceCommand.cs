using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PeatMesh.Automerge;

namespace PeatMesh.Cli.Automerge;

/// <summary>
/// <c>peat automerge bench-trace TRACE.json.gz [--mode one-change|per-edit] [--json]</c>: replays an editing trace
/// (<see cref="TraceBenchmark"/>) and prints apply, save and load times (ms), the saved size (bytes) and the SHA-256 of
/// the final text. Exits 1 when the final text differs from the trace's <c>endContent</c>.
/// </summary>
internal static class BenchTraceCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create()
    {
        var file = new Argument<string>("TRACE.json.gz") { Description = "A sequential editing trace (gzip or plain JSON)." };
        var mode = new Option<string>("--mode")
        {
            Description = "one-change: all splices in one change; per-edit: one change per splice.",
            DefaultValueFactory = _ => "one-change",
        };
        mode.AcceptOnlyFromAmong("one-change", "per-edit");
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table (for harnesses)." };
        var command = new Command("bench-trace", "Replay an editing trace into one text and time apply, save and load.") { file, mode, json };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(mode) == "per-edit" ? TraceMode.PerEdit : TraceMode.OneChange,
            parse.GetValue(json), Console.Out));
        return command;
    }

    /// <summary>Runs the command, printing to <paramref name="stdout"/>.</summary>
    public static int Run(string path, TraceMode mode, bool json, TextWriter stdout)
    {
        EditTrace trace;
        TraceBenchResult result;
        try
        {
            trace = EditTrace.Read(path);
            result = TraceBenchmark.Run(trace, mode);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or AutomergeFormatException)
        {
            return CliExit.Fail("bench-trace", e.Message);
        }

        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(result, JsonOptions));
        }
        else
        {
            var c = CultureInfo.InvariantCulture;
            stdout.WriteLine($"trace      {Path.GetFileName(path)} ({trace.Patches.ToString("N0", c)} patches, {trace.Splices.Count.ToString("N0", c)} single-character splices: {trace.Inserts.ToString("N0", c)} inserts, {(trace.Splices.Count - trace.Inserts).ToString("N0", c)} deletes)");
            stdout.WriteLine($"mode       {result.Mode} ({result.Changes.ToString("N0", c)} changes)");
            stdout.WriteLine($"apply      {result.ApplyMs.ToString("N1", c)} ms");
            stdout.WriteLine($"save       {result.SaveMs.ToString("N1", c)} ms");
            stdout.WriteLine($"load       {result.LoadMs.ToString("N1", c)} ms");
            stdout.WriteLine($"size       {result.SizeBytes.ToString(c)} bytes");
            stdout.WriteLine($"sha256     {result.Sha256}");
            stdout.WriteLine($"endContent {(result.MatchesEndContent ? "matches" : "DIFFERS")}");
        }

        return result.MatchesEndContent ? CliExit.Ok : CliExit.Fail("bench-trace", "the final text differs from the trace's endContent.");
    }
}
