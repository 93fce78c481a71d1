using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PeatMesh.Discovery.Kubernetes;

namespace PeatMesh.Node.Tests.Deployment;

/// <summary>
/// deploy/Dockerfile against the node and the chart: the ports it exposes and the variables it sets are the node's,
/// the HEALTHCHECK probes the route the chart's liveness probe uses, the restore layer copies every project the node
/// needs, and the .dockerignore keeps nothing out that the build copies. (No Docker engine runs here; the rest of the
/// review is in docs/deployment.md, "How the image was verified".)
/// </summary>
public partial class DockerfileTests
{
    private static readonly string Secret = Convert.ToBase64String(new byte[32]);
    private static readonly Dockerfile Image = Dockerfile.Load();

    private static NodeConfiguration Defaults() =>
        NodeConfiguration.FromEnvironment(new System.Collections.Hashtable { ["PEAT_FORMATION_SECRET"] = Secret });

    private static (int Port, string Protocol)[] Exposed() =>
        Image.Final.All("EXPOSE").SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => p.Split('/'))
            .Select(p => (int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), p.Length > 1 ? p[1] : "tcp"))
            .ToArray();

    [Fact]
    public void Expose_BrokerAndMeshPorts_AreTheNodesDefaultsOverTcp()
    {
        var defaults = Defaults();

        Assert.Equal(new[] { (defaults.Options.BrokerPort, "tcp"), (defaults.Options.Transport.Port, "tcp") }.Order(), Exposed().Order());
    }

    [Fact]
    public void Env_RuntimeStage_EveryPeatVariableIsReadByTheNodeAndAgreesWithExpose()
    {
        var env = Image.Final.Env();
        var recorder = new EnvironmentRecorder(env.Where(e => e.Key.StartsWith("PEAT_", StringComparison.Ordinal))
            .Append(new("PEAT_FORMATION_SECRET", Secret)));

        var config = NodeConfiguration.FromEnvironment(recorder);

        Assert.True(config.Error is null, config.Error);
        Assert.All(env.Keys.Where(k => k.StartsWith("PEAT_", StringComparison.Ordinal)), name => Assert.Contains(name, recorder.Read));
        Assert.Contains((config.Options.BrokerPort, "tcp"), Exposed());
        Assert.Contains((config.Options.Transport.Port, "tcp"), Exposed());
        Assert.Equal("/data", config.Options.DataDirectory);
        Assert.Contains("\"/data\"", Image.Final.All("VOLUME").Single(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, env["ASPNETCORE_HTTP_PORTS"]);
    }

    [Fact]
    public void Command_RunsTheNodeAssemblyUnderTiniAsANumericNonRootUser()
    {
        var entrypoint = JsonSerializer.Deserialize<string[]>(Image.Final.All("ENTRYPOINT").Single())!;
        var command = JsonSerializer.Deserialize<string[]>(Image.Final.All("CMD").Single())!;
        var user = Image.Final.All("USER").Single();

        Assert.Equal(["tini", "--"], entrypoint);
        Assert.Equal(["dotnet", typeof(NodeConfiguration).Assembly.GetName().Name + ".dll"], command);
        Assert.True(user == "$APP_UID" || (int.TryParse(user, out var uid) && uid > 0), "USER must be numeric and non-root (runAsNonRoot checks it): " + user);
        var install = Image.Final.All("RUN").Single(r => r.Contains("apt-get install", StringComparison.Ordinal));
        foreach (var package in new[] { "libsodium23", "tini", "curl", "--no-install-recommends", "rm -rf /var/lib/apt/lists/*" })
        {
            Assert.Contains(package, install, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RestoreLayer_BuildStage_CopiesEveryProjectTheNodeReferencesBeforeRestore()
    {
        var build = Image.Stage("build");
        var restoreIndex = build.Instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var copiedBeforeRestore = build.Instructions.Take(restoreIndex).Where(i => i.Keyword == "COPY")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            .ToHashSet(StringComparer.Ordinal);

        var needed = ProjectClosure("src/PeatMesh.Node/PeatMesh.Node.csproj")
            .Concat(["Directory.Build.props", "Directory.Packages.props", "src/Directory.Build.props"]);

        Assert.True(restoreIndex > 0, "no dotnet restore in the build stage");
        Assert.All(needed, file => Assert.True(copiedBeforeRestore.Contains(file), file + " is not copied before dotnet restore"));
        Assert.Contains("src/PeatMesh.Node/PeatMesh.Node.csproj", build.All("RUN").Last(), StringComparison.Ordinal);
        Assert.Contains("dotnet publish", build.All("RUN").Last(), StringComparison.Ordinal);
    }

    [Fact]
    public void DockerIgnore_BesideTheDockerfile_ExcludesNothingTheBuildCopies()
    {
        var ignoreFile = Path.Combine(RepoPaths.RepoRoot, "deploy", "Dockerfile.dockerignore");
        var patterns = File.ReadAllLines(ignoreFile).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var sources = Image.Stage("build").All("COPY").Where(a => !a.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            .ToList();

        Assert.Contains("**/bin/", patterns);
        Assert.Contains("**/obj/", patterns);
        foreach (var source in sources)
        {
            Assert.True(File.Exists(Path.Combine(RepoPaths.RepoRoot, source)) || Directory.Exists(Path.Combine(RepoPaths.RepoRoot, source)),
                source + " is copied but does not exist");
            var excludedBy = patterns.FirstOrDefault(p => IgnoreRegex(p).IsMatch(source.TrimEnd('/')));
            Assert.True(excludedBy is null, $"{source} is copied but excluded by '{excludedBy}'");
        }
    }

    [ChartRenderFact]
    public async Task Healthcheck_SameRouteAsTheChartsLivenessProbeOnTheBrokerPort()
    {
        var chart = await ChartRenderer.RenderAsync("rel", "peat", "formationSecret=" + Secret);
        var healthcheck = Image.Final.All("HEALTHCHECK").Single();

        var url = HealthcheckUrl().Match(healthcheck);

        Assert.True(url.Success, "HEALTHCHECK has no http://127.0.0.1:${PEAT_BROKER_PORT}/… URL: " + healthcheck);
        Assert.Equal((string)chart.Container["livenessProbe"]!["httpGet"]!["path"]!, url.Groups["path"].Value);
        Assert.Contains("curl --fail", healthcheck, StringComparison.Ordinal);
    }

    [ChartRenderFact]
    public async Task Ports_ChartDefaults_AreTheImagesExposedPorts()
    {
        var chart = await ChartRenderer.RenderAsync("rel", "peat", "formationSecret=" + Secret);

        var containerPorts = RenderedChart.Items(chart.Container["ports"])
            .Select(p => ((int)p["containerPort"]!, ((string)p["protocol"]!).ToLowerInvariant()));

        Assert.Equal(Exposed().Order(), containerPorts.Order());
        Assert.Equal(KubernetesDiscoveryOptions.DefaultMeshPortName, (string)RenderedChart.Items(chart.Container["ports"])
            .Single(p => (int)p["containerPort"]! == Defaults().Options.Transport.Port)["name"]!);
    }

    /// <summary>The project file and, transitively, every project it references (paths relative to the repository root).</summary>
    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            var document = XDocument.Load(Path.Combine(RepoPaths.RepoRoot, current));
            foreach (var reference in document.Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(RepoPaths.RepoRoot, Path.GetDirectoryName(current)!, (string)reference.Attribute("Include")!));
                pending.Push(Path.GetRelativePath(RepoPaths.RepoRoot, full).Replace('\\', '/'));
            }
        }

        return seen;
    }

    /// <summary>A .dockerignore pattern as a regex over context-relative paths (<c>**</c>, <c>*</c>, trailing <c>/</c>).</summary>
    private static Regex IgnoreRegex(string pattern)
    {
        var body = Regex.Escape(pattern.TrimEnd('/')).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal);
        return new Regex("^" + body + "(/.*)?$", RegexOptions.CultureInvariant);
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\$\{PEAT_BROKER_PORT\}(?<path>/[^""\s]*)")]
    private static partial Regex HealthcheckUrl();
}
