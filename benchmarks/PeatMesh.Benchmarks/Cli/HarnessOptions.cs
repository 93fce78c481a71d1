namespace PeatMesh.Benchmarks.Cli;

/// <summary>
/// What one harness invocation runs and how (parsed from the command line by <see cref="HarnessOptionsParser"/>).
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed record HarnessOptions
{
    /// <summary>Default <see cref="Docs"/>: 10,000 city records.</summary>
    public const int DefaultDocs = 10_000;

    /// <summary>Default <see cref="SyncRuns"/>: 3 fresh meshes.</summary>
    public const int DefaultSyncRuns = 3;

    /// <summary>Default <see cref="Concurrency"/>: 16 PUTs in flight.</summary>
    public const int DefaultConcurrency = 16;

    /// <summary>Default <see cref="ChannelMebibytes"/>: 256 MiB per repetition.</summary>
    public const int DefaultChannelMebibytes = 256;

    /// <summary>Default <see cref="TraceRuns"/>: 3 runs per mode and engine.</summary>
    public const int DefaultTraceRuns = 3;

    /// <summary>Default <see cref="TraceRepeats"/>: 5 warm saves and loads per run.</summary>
    public const int DefaultTraceRepeats = 5;

    /// <summary>Default <see cref="JoinDocs"/>: 1,000 documents held by the mesh the new node joins.</summary>
    public const int DefaultJoinDocs = 1_000;

    /// <summary>Default <see cref="JoinRuns"/>: 3 joins per discovery mode, each on a fresh mesh.</summary>
    public const int DefaultJoinRuns = 3;

    /// <summary>Default <see cref="IdleWindow"/>: 30 seconds of steady-state traffic measurement.</summary>
    public static readonly TimeSpan DefaultIdleWindow = TimeSpan.FromSeconds(30);

    /// <summary>Default <see cref="JoinTimeout"/>: 2 minutes per step (a deadline, not an expectation).</summary>
    public static readonly TimeSpan DefaultJoinTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Default <see cref="PollInterval"/>: 250 ms.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Default <see cref="HandshakeDuration"/>: 5 seconds per measured run.</summary>
    public static readonly TimeSpan DefaultHandshakeDuration = TimeSpan.FromSeconds(5);

    /// <summary>Default <see cref="SyncTimeout"/>: 10 minutes (a deadline, not an expectation).</summary>
    public static readonly TimeSpan DefaultSyncTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Scenarios to run, in order, without duplicates. Defaults to all of <see cref="ScenarioNames.All"/>.</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = ScenarioNames.All;

    /// <summary><c>sync-cities</c>: number of city records written (<c>--docs</c>), 1 to 171,075. Defaults to 10,000.</summary>
    public int Docs { get; init; } = DefaultDocs;

    /// <summary><c>sync-cities</c>: measured runs, each on a fresh mesh (<c>--runs</c>). Defaults to 3.</summary>
    public int SyncRuns { get; init; } = DefaultSyncRuns;

    /// <summary><c>sync-cities</c>: PUT requests in flight at once on node 1 (<c>--concurrency</c>). Defaults to 16.</summary>
    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>
    /// <c>sync-cities</c>: pause between two count polls of node 3 (<c>--poll-ms</c>). Defaults to 250 ms; it bounds the
    /// resolution of the end-to-end time (see docs/performance.md).
    /// </summary>
    public TimeSpan PollInterval { get; init; } = DefaultPollInterval;

    /// <summary><c>sync-cities</c>: deadline for the writes plus replication of one run (<c>--sync-timeout</c>, seconds). Defaults to 10 minutes.</summary>
    public TimeSpan SyncTimeout { get; init; } = DefaultSyncTimeout;

    /// <summary><c>discovery-join</c>: documents written over the 5 members before the 6th joins (<c>--join-docs</c>), 1 to 171,075. Defaults to 1,000.</summary>
    public int JoinDocs { get; init; } = DefaultJoinDocs;

    /// <summary><c>discovery-join</c>: joins measured per discovery mode, each on a fresh mesh (<c>--join-runs</c>). Defaults to 3.</summary>
    public int JoinRuns { get; init; } = DefaultJoinRuns;

    /// <summary><c>discovery-join</c>: length of the idle window measuring steady-state traffic (<c>--idle</c>, seconds). Defaults to 30 seconds.</summary>
    public TimeSpan IdleWindow { get; init; } = DefaultIdleWindow;

    /// <summary><c>discovery-join</c>: deadline of each step (start, writes, replication, join) (<c>--join-timeout</c>, seconds). Defaults to 2 minutes.</summary>
    public TimeSpan JoinTimeout { get; init; } = DefaultJoinTimeout;

    /// <summary><c>channel-throughput</c>: bytes sent per repetition, in MiB (<c>--mib</c>). Defaults to 256.</summary>
    public int ChannelMebibytes { get; init; } = DefaultChannelMebibytes;

    /// <summary><c>handshakes</c>: length of one measured run (<c>--seconds</c>). Defaults to 5 seconds.</summary>
    public TimeSpan HandshakeDuration { get; init; } = DefaultHandshakeDuration;

    /// <summary><c>automerge-trace</c>: runs per mode and engine, each a fresh process (<c>--trace-runs</c>). Defaults to 3.</summary>
    public int TraceRuns { get; init; } = DefaultTraceRuns;

    /// <summary>
    /// <c>automerge-trace</c>: per run, how many more saves and loads follow the first (cold) ones in the same process;
    /// their medians are the warm times (<c>--trace-repeats</c>, 0..100; 0 reports no warm times). Defaults to 5.
    /// </summary>
    public int TraceRepeats { get; init; } = DefaultTraceRepeats;

    /// <summary>
    /// <c>automerge-trace</c>: the <c>peat.dll</c> to run for the C# side (<c>--peat</c>), e.g. a ReadyToRun publish
    /// (<c>dotnet publish src/PeatMesh.Cli -c Release -r linux-x64 --self-contained false -o DIR</c>, as a shipped build
    /// is); null means the <c>peat.dll</c> built next to the harness (JIT only).
    /// </summary>
    public string? PeatPath { get; init; }

    /// <summary><c>automerge-trace</c>: the editing trace (<c>--trace</c>); null means <c>../shared/testdata/traces/automerge-paper.json.gz</c>.</summary>
    public string? TracePath { get; init; }

    /// <summary>Where to write the Markdown report as well as stdout (<c>--out</c>); null writes stdout only.</summary>
    public string? OutputPath { get; init; }

    /// <summary>The city records file (<c>--cities</c>); null means <c>../shared/testdata/cities/cities.json.gz</c>.</summary>
    public string? CitiesPath { get; init; }

    /// <summary>True when <c>--help</c> was given: print usage and run nothing.</summary>
    public bool ShowHelp { get; init; }
}
