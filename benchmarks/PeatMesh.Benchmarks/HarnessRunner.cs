using PeatMesh.Benchmarks.Cli;
using PeatMesh.Benchmarks.Reporting;
using PeatMesh.Benchmarks.Scenarios;
using PeatMesh.Benchmarks.Scenarios.DiscoveryJoin;

namespace PeatMesh.Benchmarks;

/// <summary>Runs the selected scenarios in order and collects their sections into one <see cref="Report"/>.</summary>
/// <remarks>
/// A failing scenario is recorded in its section (<see cref="ReportSection.Failed"/>) and the next one still runs;
/// cancellation (Ctrl-C, SIGTERM) stops after the current scenario has released what it started.
/// </remarks>
public sealed class HarnessRunner(HarnessOptions options, TextWriter progress)
{
    /// <summary>Creates the scenario called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public IScenario Create(string name) => name switch
    {
        ScenarioNames.SyncCities => new SyncCitiesScenario(options, progress),
        ScenarioNames.ChannelThroughput => new ChannelThroughputScenario(options, progress),
        ScenarioNames.Handshakes => new HandshakesScenario(options, progress),
        ScenarioNames.AutomergeTrace => new AutomergeTraceScenario(options, progress),
        ScenarioNames.DiscoveryJoin => new DiscoveryJoinScenario(options, progress),
        _ => throw new ArgumentException("Unknown scenario: " + name, nameof(name)),
    };

    /// <summary>Runs every scenario in <see cref="HarnessOptions.Scenarios"/> and returns the report.</summary>
    public async Task<Report> RunAsync(CancellationToken cancellationToken)
    {
        var report = new Report(MachineFacts.Read());
        foreach (var name in options.Scenarios)
        {
            var scenario = Create(name);
            var section = new ReportSection(scenario.Title);
            report.Add(section);
            if (cancellationToken.IsCancellationRequested)
            {
                section.AddFailure(new OperationCanceledException("Not run: the harness was cancelled."));
                continue;
            }

            await progress.WriteLineAsync($"[{name}] starting");
            try
            {
                await scenario.RunAsync(section, cancellationToken);
                await progress.WriteLineAsync($"[{name}] done");
            }
            catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
            {
                section.AddFailure(new OperationCanceledException("Cancelled (SIGINT/SIGTERM) before the scenario finished.", e));
                await progress.WriteLineAsync($"[{name}] cancelled");
            }
            catch (Exception e)
            {
                section.AddFailure(e);
                await progress.WriteLineAsync($"[{name}] FAILED: {e}");
            }
        }

        report.LoadAverageAtEnd = MachineFacts.ReadLoadAverage();
        return report;
    }
}
