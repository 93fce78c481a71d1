using System.Text.Json;

namespace PeatMesh.Benchmarks.Support;

/// <summary>
/// One run of an editing-trace replay as printed (one JSON object) by <c>peat automerge bench-trace --json</c> and by the JS
/// harness's <c>trace-bench.mjs --json</c>: wall and process-CPU milliseconds per phase, saved size, SHA-256 of the text.
/// <see cref="SaveMs"/>/<see cref="LoadMs"/> are the first (cold) save and load in the process; with <c>--repeats K</c>,
/// <see cref="SaveWarmMs"/>/<see cref="LoadWarmMs"/> are the medians of K more (absent in older output: 0).
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed record TraceRun(string Mode, int Splices, int Changes, double ApplyMs, double SaveMs, double LoadMs,
    double ApplyCpuMs, double SaveCpuMs, double LoadCpuMs, long SizeBytes, string Sha256, bool MatchesEndContent,
    int Repeats = 0, double SaveWarmMs = 0, double LoadWarmMs = 0)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Parses the last non-empty line of a replay's stdout.</summary>
    /// <exception cref="FormatException">No line is a trace result.</exception>
    public static TraceRun Parse(string stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        try
        {
            return (line is null ? null : JsonSerializer.Deserialize<TraceRun>(line, Options))
                ?? throw new FormatException("No trace result in the output: " + stdout);
        }
        catch (JsonException e)
        {
            throw new FormatException("Not a trace result: " + line, e);
        }
    }
}
