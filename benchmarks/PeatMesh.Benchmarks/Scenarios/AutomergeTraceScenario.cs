using System.Globalization;
using PeatMesh.Benchmarks.Cli;
using PeatMesh.Benchmarks.Reporting;
using PeatMesh.Benchmarks.Support;
using PeatMesh.TestSupport;

namespace PeatMesh.Benchmarks.Scenarios;

/// <summary>
/// The paper editing trace (259,778 single-character edits) replayed into one text object by PeatMesh's engine
/// (<c>peat automerge bench-trace</c>) and by Automerge JS 3.5.0 (<c>tests/interop/js/trace-bench.mjs</c>) on the same
/// machine in the same run, in both modes (all edits in one change; one change per edit): apply, save, load, saved size,
/// and the C#/JS ratios. Every run is a fresh process; C# and JS runs alternate so that load on the machine hits both alike.
/// </summary>
public sealed class AutomergeTraceScenario(HarnessOptions options, TextWriter progress) : IScenario
{
    private static readonly string[] Modes = ["one-change", "per-edit"];
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(15);

    /// <inheritdoc />
    public string Name => ScenarioNames.AutomergeTrace;

    /// <inheritdoc />
    public string Title => $"automerge-trace ({Path.GetFileName(TracePath)}, {options.TraceRuns} run{(options.TraceRuns == 1 ? string.Empty : "s")} per mode and engine)";

    private string TracePath => options.TracePath ?? RepoPaths.TestData("traces", "automerge-paper.json.gz");

    private static string JsDirectory => Path.Combine(RepoPaths.RepoRoot, "tests", "interop", "js");

    /// <inheritdoc />
    public async Task RunAsync(ReportSection section, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (!File.Exists(TracePath))
        {
            throw new FileNotFoundException("Trace not found: " + TracePath, TracePath);
        }

        var node = ChildRun.FindOnPath("node") ?? throw new InvalidOperationException("node is not on PATH: the JS side of this scenario needs node >= 20.");
        await EnsureJsHarnessAsync(cancellationToken);
        var dotnet = Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        var peat = options.PeatPath is { } peatPath ? Path.GetFullPath(peatPath) : Path.Combine(AppContext.BaseDirectory, "peat.dll");
        if (!File.Exists(peat))
        {
            throw new FileNotFoundException("peat.dll not found: " + peat, peat);
        }

        var peatBuild = options.PeatPath is null ? "built with this harness (JIT only)" : "`" + peat + "`" + (IsReadyToRun(peat) ? " (ReadyToRun)" : string.Empty);
        var nodeVersion = (await ChildRun.RunAsync(node, ["--version"], JsDirectory, TimeSpan.FromSeconds(30), "node --version", cancellationToken)).Stdout.Trim();

        var repeats = options.TraceRepeats.ToString(CultureInfo.InvariantCulture);
        var results = new Dictionary<(string Mode, string Engine), List<TraceRun>>();
        foreach (var mode in Modes)
        {
            results[(mode, "C#")] = [];
            results[(mode, "JS")] = [];
            for (var run = 1; run <= options.TraceRuns; run++)
            {
                var cs = await ReplayAsync("C#", dotnet, [peat, "automerge", "bench-trace", TracePath, "--mode", mode, "--repeats", repeats, "--json"], mode, run, cancellationToken);
                var js = await ReplayAsync("JS", node, ["trace-bench.mjs", TracePath, "--mode", mode, "--repeats", repeats, "--json"], mode, run, cancellationToken);
                if (cs.Sha256 != js.Sha256)
                {
                    throw new InvalidOperationException($"{mode}: the final texts differ (C# sha256 {cs.Sha256}, JS {js.Sha256}).");
                }

                results[(mode, "C#")].Add(cs);
                results[(mode, "JS")].Add(js);
            }
        }

        var table = new MarkdownTable("Mode", "Metric", ">C# median", ">C# min–max", ">JS median", ">JS min–max", ">C# / JS", ">JS ÷ C# (speed-up)");
        foreach (var mode in Modes)
        {
            var cs = results[(mode, "C#")];
            var js = results[(mode, "JS")];
            Row(table, mode, "apply (ms)", cs, js, r => r.ApplyMs, 0);
            Row(table, mode, "apply CPU (ms)", cs, js, r => r.ApplyCpuMs, 0);
            Row(table, mode, "save cold (ms)", cs, js, r => r.SaveMs, 1);
            if (options.TraceRepeats > 0)
            {
                Row(table, mode, "save warm (ms)", cs, js, r => r.SaveWarmMs, 1);
            }

            Row(table, mode, "load cold (ms)", cs, js, r => r.LoadMs, 0);
            if (options.TraceRepeats > 0)
            {
                Row(table, mode, "load warm (ms)", cs, js, r => r.LoadWarmMs, 0);
            }

            Row(table, mode, "load cold CPU (ms)", cs, js, r => r.LoadCpuMs, 0);
            Row(table, mode, "saved size (bytes)", cs, js, r => r.SizeBytes, 0, speedUp: false);
        }

        section.AddTable(table);
        var first = results[(Modes[0], "JS")][0];
        section.AddParagraph(
            $$"""
            Method: `peat automerge bench-trace TRACE --mode M --repeats K --json` (this build of PeatMesh; peat.dll {{peatBuild}}) and `node trace-bench.mjs TRACE --mode M
            --repeats K --json` in `tests/interop/js` (`@automerge/automerge` 3.5.0 from its package-lock, node {{nodeVersion}}) replay the same
            trace the same way: a document made like `A.from({text: startContent})`, then every patch as single-character
            splices ({{Fmt.Count(first.Splices)}} here) into that text — in one change (`one-change`, as upstream
            `edit-trace/automerge-js.js`) or one change per splice (`per-edit`). apply = all splices and commits; save =
            `save()`; load = `load()` of the saved bytes; all timed inside the process (Stopwatch / `performance.now()`), so
            process start and reading the trace are outside the clock. Cold = the first save and load in the process (C#:
            ReadyToRun code when peat was published for a runtime, else the JIT compiling the load path as it runs, as a
            user's first load does); warm = the median of
            {{options.TraceRepeats}} more saves of the same document and loads of the same bytes in that process (C#: a
            repeated save reuses the compressed columns of unchanged columns). Every timed phase starts from a settled heap in
            both engines (C#: full blocking `GC.Collect`s; JS: warm-loaded documents freed with `A.free`, then V8's `gc()`;
            ADR 0029). CPU = user + kernel time of the whole process
            during the cold phase (all threads, GC included). Every run is a fresh process; per mode the C# and
            JS runs alternate ({{options.TraceRuns}} each). Each run checks that the final text equals the trace's
            `endContent` and that the saved bytes load back to the same text; C# and JS final texts have the same SHA-256
            ({{first.Sha256[..16]}}…). C# / JS < 1 means C# is faster; the issue's target is a speed-up ≥ 4 for apply
            and load, and the same saved size.
            """);
    }

    private static void Row(MarkdownTable table, string mode, string metric, List<TraceRun> cs, List<TraceRun> js, Func<TraceRun, double> value,
        int decimals, bool speedUp = true)
    {
        var c = Summary.Of([.. cs.Select(value)]);
        var j = Summary.Of([.. js.Select(value)]);
        var ratio = j.Median == 0 ? double.NaN : c.Median / j.Median;
        table.AddRow(mode, metric, Fmt.Number(c.Median, decimals), $"{Fmt.Number(c.Min, decimals)}–{Fmt.Number(c.Max, decimals)}",
            Fmt.Number(j.Median, decimals), $"{Fmt.Number(j.Min, decimals)}–{Fmt.Number(j.Max, decimals)}",
            double.IsNaN(ratio) ? "–" : Fmt.Number(ratio, 2),
            speedUp && c.Median > 0 ? Fmt.Number(j.Median / c.Median, 2) + "×" : "–");
    }

    private async Task<TraceRun> ReplayAsync(string engine, string fileName, string[] arguments, string mode, int run, CancellationToken cancellationToken)
    {
        var step = $"{engine} {mode} run {run}";
        var (exitCode, stdout, stderr) = await ChildRun.RunAsync(fileName, arguments, JsDirectory, RunTimeout, step, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{step} failed (exit {exitCode}): {stderr.Trim()}");
        }

        var result = TraceRun.Parse(stdout);
        if (!result.MatchesEndContent)
        {
            throw new InvalidOperationException($"{step}: the final text differs from the trace's endContent.");
        }

        Log($"{step}: apply {Fmt.Number(result.ApplyMs, 0)} ms, save {Fmt.Number(result.SaveMs, 1)} ms (warm {Fmt.Number(result.SaveWarmMs, 1)}), "
            + $"load {Fmt.Number(result.LoadMs, 0)} ms (warm {Fmt.Number(result.LoadWarmMs, 0)}), "
            + $"{Fmt.Count(result.SizeBytes)} bytes");
        return result;
    }

    /// <summary>Whether an assembly holds ReadyToRun code (a managed-native header in its CLI header).</summary>
    private static bool IsReadyToRun(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    /// <summary>Installs the JS harness's pinned dependencies with <c>npm ci</c> when they are missing.</summary>
    private async Task EnsureJsHarnessAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(JsDirectory, "node_modules", "@automerge", "automerge", "package.json")))
        {
            return;
        }

        var npm = ChildRun.FindOnPath("npm") ?? throw new InvalidOperationException("npm is not on PATH and tests/interop/js has no node_modules.");
        Log("installing the JS harness (npm ci in tests/interop/js)");
        var (exitCode, _, stderr) = await ChildRun.RunAsync(npm, ["ci", "--no-audit", "--no-fund"], JsDirectory, TimeSpan.FromMinutes(5), "npm ci", cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException("npm ci in tests/interop/js failed: " + stderr.Trim());
        }
    }

    private void Log(string line) => progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{ScenarioNames.AutomergeTrace}] {line}"));
}
