using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PeatMesh.Automerge;

namespace PeatMesh.Cli.Automerge;

/// <summary>
/// <c>peat automerge bench-trace TRACE.json.gz [--mode one-change|per-edit] [--repeats K] [--json]</c>: replays an editing
/// trace (<see cref="TraceBenchmark"/>) and prints apply, save and load times (ms; save and load cold, i.e. the first in
/// the process, and with <c>--repeats K</c> also warm, the median of K more), the saved size (bytes) and the SHA-256 of
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
        var repeats = new Option<int>("--repeats")
        {
            Description = "After the first (cold) save and load, save and load K more times in the same process and report the medians as warm times (0.."
                + TraceBenchmark.MaxRepeats.ToString(CultureInfo.InvariantCulture) + ", default 0).",
        };
        repeats.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < 0 || value > TraceBenchmark.MaxRepeats)
            {
                result.AddError("--repeats must be 0.." + TraceBenchmark.MaxRepeats.ToString(CultureInfo.InvariantCulture) + ".");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table (for harnesses)." };
        var command = new Command("bench-trace", "Replay an editing trace into one text and time apply, save and load.") { file, mode, repeats, json };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(mode) == "per-edit" ? TraceMode.PerEdit : TraceMode.OneChange,
            parse.GetValue(json), Console.Out, parse.GetValue(repeats)));
        return command;
    }

    /// <summary>Runs the command, printing to <paramref name="stdout"/>.</summary>
    public static int Run(string path, TraceMode mode, bool json, TextWriter stdout, int repeats = 0)
    {
        EditTrace trace;
        TraceBenchResult result;
        try
        {
            trace = EditTrace.Read(path);
            result = TraceBenchmark.Run(trace, mode, repeats);
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
            stdout.WriteLine($"save       {result.SaveMs.ToString("N1", c)} ms{Warm(result.Repeats, result.SaveWarmMs)}");
            stdout.WriteLine($"load       {result.LoadMs.ToString("N1", c)} ms{Warm(result.Repeats, result.LoadWarmMs)}");
            stdout.WriteLine($"size       {result.SizeBytes.ToString(c)} bytes");
            stdout.WriteLine($"sha256     {result.Sha256}");
            stdout.WriteLine($"endContent {(result.MatchesEndContent ? "matches" : "DIFFERS")}");
        }

        static string Warm(int repeats, double ms) => repeats == 0 ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $" cold, {ms:N1} ms warm (median of {repeats} more)");

        return result.MatchesEndContent ? CliExit.Ok : CliExit.Fail("bench-trace", "the final text differs from the trace's endContent.");
    }
}
