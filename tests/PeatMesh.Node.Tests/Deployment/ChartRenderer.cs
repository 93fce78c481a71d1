using System.Text.Json.Nodes;

namespace PeatMesh.Node.Tests.Deployment;

/// <summary>
/// Renders deploy/helm/peat-mesh like <c>helm template</c>, with tests/tools/chart-render (Go text/template and
/// sprig, the engine Helm uses) built once per test run from Debian's Go sources, offline, in GOPATH mode.
/// </summary>
internal static class ChartRenderer
{
    /// <summary>Where Debian's golang-*-dev packages put their sources.</summary>
    private const string DebianGoPath = "/usr/share/gocode";

    private static readonly Lazy<Task<string>> Binary = new(BuildAsync);

    /// <summary>The chart under test.</summary>
    public static string ChartDirectory => Path.Combine(RepoPaths.RepoRoot, "deploy", "helm", "peat-mesh");

    /// <summary>Why the renderer cannot be built here, or null when it can.</summary>
    public static string? UnavailableReason()
    {
        if (ExternalTool.Find("go") is null)
        {
            return "`go` is not on PATH (Debian package golang-go; .ci/run installs it).";
        }

        foreach (var (package, source) in new[]
                 {
                     ("golang-github-masterminds-sprig-dev", "src/github.com/Masterminds/sprig"),
                     ("golang-gopkg-yaml.v2-dev", "src/gopkg.in/yaml.v2"),
                 })
        {
            if (!Directory.Exists(Path.Combine(DebianGoPath, source)))
            {
                return $"{DebianGoPath}/{source} is missing (Debian package {package}; .ci/run installs it).";
            }
        }

        return null;
    }

    /// <summary>Renders the chart as release <paramref name="release"/> in <paramref name="ns"/> with <c>key.path=value</c> overrides.</summary>
    /// <exception cref="InvalidOperationException">The chart did not render; the message holds the renderer's output.</exception>
    public static async Task<RenderedChart> RenderAsync(string release, string ns, params string[] overrides)
    {
        var (code, stdout, stderr) = await TryRenderAsync(release, ns, overrides);
        if (code != 0)
        {
            throw new InvalidOperationException($"chart-render exited {code}:\n{stderr}");
        }

        return new RenderedChart(release, ns, JsonNode.Parse(stdout)!.AsObject());
    }

    /// <summary>Renders without interpreting the result: exit code, stdout, stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> TryRenderAsync(string release, string ns, params string[] overrides)
    {
        var binary = await Binary.Value;
        return await ExternalTool.RunAsync(binary, [ChartDirectory, release, ns, .. overrides], TimeSpan.FromSeconds(60));
    }

    private static async Task<string> BuildAsync()
    {
        var outputDirectory = Directory.CreateTempSubdirectory("peat-chart-render-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(outputDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp folder is harmless.
            }
        };
        var binary = Path.Combine(outputDirectory, "chart-render");
        var (code, stdout, stderr) = await ExternalTool.RunAsync(ExternalTool.Find("go")!, ["build", "-o", binary, "."],
            TimeSpan.FromMinutes(5), Path.Combine(RepoPaths.RepoRoot, "tests", "tools", "chart-render"),
            new Dictionary<string, string>
            {
                ["GO111MODULE"] = "off",
                ["GOPATH"] = DebianGoPath,
                ["GOFLAGS"] = string.Empty,
                ["GOCACHE"] = Path.Combine(outputDirectory, "cache"),
                ["CGO_ENABLED"] = "0",
            });
        if (code != 0)
        {
            throw new InvalidOperationException("building tests/tools/chart-render failed:\n" + stdout + stderr);
        }

        return binary;
    }
}
