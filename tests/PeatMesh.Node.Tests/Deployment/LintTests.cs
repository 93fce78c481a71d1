namespace PeatMesh.Node.Tests.Deployment;

/// <summary>The shell scripts pass shellcheck and the chart's plain YAML passes yamllint (with the repository's .yamllint).</summary>
public class LintTests
{
    [ToolFact("shellcheck")]
    public async Task Shellcheck_ScriptsAndCiEntryPoint_ReportNothing()
    {
        var scripts = Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "scripts"), "*.sh").Order(StringComparer.Ordinal)
            .Append(Path.Combine(RepoPaths.RepoRoot, ".ci", "run"))
            .ToList();
        Assert.Contains(scripts, s => s.EndsWith("functional-test.sh", StringComparison.Ordinal));

        var (code, stdout, stderr) = await ExternalTool.RunAsync(ExternalTool.Find("shellcheck")!,
            ["--format=gcc", "--external-sources", .. scripts], TimeSpan.FromMinutes(2));

        Assert.True(code == 0, $"shellcheck exited {code}:\n{stdout}{stderr}");
    }

    [ToolFact("yamllint")]
    public async Task Yamllint_ChartValuesChartAndConfig_ReportNothing()
    {
        string[] files = [".yamllint", "deploy/helm/peat-mesh/values.yaml", "deploy/helm/peat-mesh/Chart.yaml"];

        var (code, stdout, stderr) = await ExternalTool.RunAsync(ExternalTool.Find("yamllint")!,
            ["--config-file", ".yamllint", "--format", "parsable", "--strict", .. files], TimeSpan.FromMinutes(2));

        Assert.True(code == 0, $"yamllint exited {code}:\n{stdout}{stderr}");
    }

    [ToolFact("yamllint")]
    public async Task Yamllint_WholeRepository_ReportsNothingOutsideTemplates()
    {
        var (code, stdout, stderr) = await ExternalTool.RunAsync(ExternalTool.Find("yamllint")!,
            ["--config-file", ".yamllint", "--format", "parsable", "--strict", "."], TimeSpan.FromMinutes(2));

        Assert.True(code == 0, $"yamllint exited {code}:\n{stdout}{stderr}");
    }
}
