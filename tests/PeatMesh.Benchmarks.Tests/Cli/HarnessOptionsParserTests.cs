using PeatMesh.Benchmarks.Cli;

namespace PeatMesh.Benchmarks.Tests.Cli;

public class HarnessOptionsParserTests
{
    [Fact]
    public void TryParse_NoArguments_RunsAllScenariosWithTheBriefsDefaults()
    {
        Assert.True(HarnessOptionsParser.TryParse([], out var options, out var error), error);

        Assert.Equal(["sync-cities", "channel-throughput", "handshakes", "automerge-trace", "discovery-join"], options.Scenarios);
        Assert.Equal(10_000, options.Docs);
        Assert.Equal(3, options.SyncRuns);
        Assert.Equal(16, options.Concurrency);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.PollInterval);
        Assert.Equal(256, options.ChannelMebibytes);
        Assert.Equal(TimeSpan.FromSeconds(5), options.HandshakeDuration);
        Assert.Null(options.OutputPath);
        Assert.Null(options.CitiesPath);
        Assert.Equal(3, options.TraceRuns);
        Assert.Null(options.TracePath);
        Assert.Equal(1_000, options.JoinDocs);
        Assert.Equal(3, options.JoinRuns);
        Assert.Equal(TimeSpan.FromSeconds(30), options.IdleWindow);
        Assert.Equal(TimeSpan.FromMinutes(2), options.JoinTimeout);
        Assert.False(options.ShowHelp);
    }

    [Fact]
    public void TryParse_DiscoveryJoinOptions_ReadsDocsRunsIdleAndTimeout()
    {
        Assert.True(HarnessOptionsParser.TryParse(["discovery-join", "--join-docs", "200", "--join-runs=2", "--idle", "10", "--join-timeout=60"],
            out var options, out var error), error);

        Assert.Equal(["discovery-join"], options.Scenarios);
        Assert.Equal(200, options.JoinDocs);
        Assert.Equal(2, options.JoinRuns);
        Assert.Equal(TimeSpan.FromSeconds(10), options.IdleWindow);
        Assert.Equal(TimeSpan.FromSeconds(60), options.JoinTimeout);
    }

    [Fact]
    public void TryParse_TraceOptions_ReadsRunsAndPath()
    {
        Assert.True(HarnessOptionsParser.TryParse(["automerge-trace", "--trace-runs", "5", "--trace=t.json.gz"], out var options, out var error), error);

        Assert.Equal(["automerge-trace"], options.Scenarios);
        Assert.Equal(5, options.TraceRuns);
        Assert.Equal("t.json.gz", options.TracePath);
        Assert.False(HarnessOptionsParser.TryParse(["--trace-runs", "0"], out _, out error));
        Assert.Contains("--trace-runs", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Peat_ReadsPathDefaultNull()
    {
        Assert.True(HarnessOptionsParser.TryParse(["automerge-trace"], out var options, out var error), error);
        Assert.Null(options.PeatPath);
        Assert.True(HarnessOptionsParser.TryParse(["automerge-trace", "--peat", "out/peat.dll"], out options, out error), error);
        Assert.Equal("out/peat.dll", options.PeatPath);
    }

    [Fact]
    public void TryParse_TraceRepeats_DefaultsToFiveAndAcceptsZeroToHundred()
    {
        Assert.True(HarnessOptionsParser.TryParse(["automerge-trace"], out var options, out var error), error);
        Assert.Equal(HarnessOptions.DefaultTraceRepeats, options.TraceRepeats);
        Assert.True(HarnessOptionsParser.TryParse(["--trace-repeats", "0"], out options, out error), error);
        Assert.Equal(0, options.TraceRepeats);
        Assert.True(HarnessOptionsParser.TryParse(["--trace-repeats=100"], out options, out error), error);
        Assert.Equal(100, options.TraceRepeats);
        Assert.False(HarnessOptionsParser.TryParse(["--trace-repeats", "101"], out _, out error));
        Assert.Contains("--trace-repeats", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ScenariosAndOptions_KeepsOrderAndReadsBothValueForms()
    {
        var ok = HarnessOptionsParser.TryParse(
            ["handshakes", "sync-cities", "--docs", "500", "--out=report.md", "--poll-ms", "100", "--runs=1", "--concurrency", "4",
             "--mib", "8", "--seconds", "2", "--sync-timeout", "30", "--cities", "c.json.gz"],
            out var options, out var error);

        Assert.True(ok, error);
        Assert.Equal(["handshakes", "sync-cities"], options!.Scenarios);
        Assert.Equal(500, options.Docs);
        Assert.Equal("report.md", options.OutputPath);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.PollInterval);
        Assert.Equal(1, options.SyncRuns);
        Assert.Equal(4, options.Concurrency);
        Assert.Equal(8, options.ChannelMebibytes);
        Assert.Equal(TimeSpan.FromSeconds(2), options.HandshakeDuration);
        Assert.Equal(TimeSpan.FromSeconds(30), options.SyncTimeout);
        Assert.Equal("c.json.gz", options.CitiesPath);
    }

    [Fact]
    public void TryParse_AllPlusRepeatedScenario_RunsEachScenarioOnceInCanonicalOrder()
    {
        Assert.True(HarnessOptionsParser.TryParse(["all", "handshakes"], out var options, out var error), error);

        Assert.Equal(ScenarioNames.All, options.Scenarios);
    }

    [Theory]
    [InlineData("10_000")]
    [InlineData("10,000")]
    public void TryParse_DocsWithDigitSeparators_Accepted(string value)
    {
        Assert.True(HarnessOptionsParser.TryParse(["--docs", value], out var options, out var error), error);

        Assert.Equal(10_000, options.Docs);
    }

    [Fact]
    public void TryParse_Help_SetsShowHelp()
    {
        Assert.True(HarnessOptionsParser.TryParse(["--help"], out var options, out var error), error);

        Assert.True(options.ShowHelp);
    }

    [Theory]
    [InlineData("unknown scenario 'sync'", "sync")]
    [InlineData("unknown option --doc", "--doc", "5")]
    [InlineData("option --docs needs a value", "--docs")]
    [InlineData("option --docs must be a whole number from 1 to 171075, got '0'", "--docs", "0")]
    [InlineData("option --docs must be a whole number from 1 to 171075, got '171076'", "--docs", "171076")]
    [InlineData("option --docs must be a whole number from 1 to 171075, got '-5'", "--docs", "-5")]
    [InlineData("option --concurrency must be a whole number from 1 to 256, got 'many'", "--concurrency", "many")]
    [InlineData("option --poll-ms must be a whole number from 10 to 10000, got '5'", "--poll-ms=5")]
    [InlineData("option --out needs a file path", "--out=")]
    [InlineData("option --join-runs must be a whole number from 1 to 20, got '0'", "--join-runs", "0")]
    [InlineData("option --idle must be a whole number from 1 to 3600, got '0'", "--idle=0")]
    [InlineData("option --join-timeout must be a whole number from 10 to 3600, got '5'", "--join-timeout", "5")]
    [InlineData("option --join-docs must be a whole number from 1 to 171075, got '0'", "--join-docs", "0")]
    public void TryParse_InvalidArgument_FailsWithMessageNamingIt(string expected, params string[] args)
    {
        Assert.False(HarnessOptionsParser.TryParse(args, out var options, out var error));

        Assert.Null(options);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }
}
