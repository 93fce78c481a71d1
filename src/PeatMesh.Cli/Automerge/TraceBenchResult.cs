namespace PeatMesh.Cli.Automerge;

/// <summary>
/// What one <c>bench-trace</c> run measured (times in milliseconds, size in bytes). <see cref="SaveMs"/> and
/// <see cref="LoadMs"/> are the first (cold) save and load in the process; <see cref="SaveWarmMs"/> and
/// <see cref="LoadWarmMs"/> the medians of <see cref="Repeats"/> more.
/// </summary>
/// <param name="Mode">"one-change" or "per-edit".</param>
/// <param name="Splices">Single-character splices applied.</param>
/// <param name="Changes">Changes in the saved document (including the one creating the text).</param>
/// <param name="ApplyMs">Time to apply every splice and commit.</param>
/// <param name="SaveMs">Time of <c>Save()</c>.</param>
/// <param name="LoadMs">Time of <c>Load()</c> of the saved bytes.</param>
/// <param name="ApplyCpuMs">CPU time of the whole process (user + kernel, all threads, GC included) during apply.</param>
/// <param name="SaveCpuMs">CPU time of the process during save.</param>
/// <param name="LoadCpuMs">CPU time of the process during load.</param>
/// <param name="SizeBytes">Length of the saved bytes.</param>
/// <param name="Sha256">SHA-256 (lowercase hex) of the final text's UTF-8 bytes.</param>
/// <param name="MatchesEndContent">Whether the final text equals the trace's <c>endContent</c>.</param>
internal sealed record TraceBenchResult(string Mode, int Splices, int Changes, double ApplyMs, double SaveMs, double LoadMs,
    double ApplyCpuMs, double SaveCpuMs, double LoadCpuMs, long SizeBytes, string Sha256, bool MatchesEndContent)
{
    /// <summary>Extra saves and loads after the first (<c>--repeats</c>); 0 = none.</summary>
    public int Repeats { get; init; }

    /// <summary>Median time of the repeated saves of the same document (0 without repeats).</summary>
    public double SaveWarmMs { get; init; }

    /// <summary>Median time of the repeated loads of the saved bytes (0 without repeats).</summary>
    public double LoadWarmMs { get; init; }
}
