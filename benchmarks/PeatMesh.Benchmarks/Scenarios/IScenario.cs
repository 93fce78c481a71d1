using PeatMesh.Benchmarks.Reporting;

namespace PeatMesh.Benchmarks.Scenarios;

/// <summary>One benchmark scenario: measures, then writes its tables and method notes into a report section.</summary>
public interface IScenario
{
    /// <summary>The command-line name (see <see cref="Cli.ScenarioNames"/>).</summary>
    string Name { get; }

    /// <summary>The section heading.</summary>
    string Title { get; }

    /// <summary>Runs the scenario and fills <paramref name="section"/>. Releases everything it started, also on failure.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (Ctrl-C, SIGTERM).</exception>
    /// <exception cref="TimeoutException">A step missed its deadline; the message names the step.</exception>
    Task RunAsync(ReportSection section, CancellationToken cancellationToken);
}
