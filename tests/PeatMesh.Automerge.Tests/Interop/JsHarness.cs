using System.Text.Json;

namespace PeatMesh.Automerge.Tests.Interop;

/// <summary>
/// The node harness in <c>tests/interop/js</c> (Automerge JS 3.5.0, pinned by its package-lock.json): finds node and
/// npm, installs the harness's dependencies with <c>npm ci</c> once per test run if they are missing (CI runs
/// <c>npm ci</c> itself in <c>.ci/run</c>), and runs its scripts with a deadline.
/// </summary>
internal static class JsHarness
{
    /// <summary>The pinned version; a different installed version is reinstalled.</summary>
    public const string AutomergeVersion = "3.5.0";

    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static bool _installed;

    /// <summary>The harness folder.</summary>
    public static string Directory => Path.Combine(RepoPaths.RepoRoot, "tests", "interop", "js");

    /// <summary>node on PATH, or null.</summary>
    public static string? Node { get; } = FindOnPath("node");

    /// <summary>npm on PATH, or null.</summary>
    public static string? Npm { get; } = FindOnPath("npm");

    /// <summary>Why live interop tests cannot run here, or null when node and npm are present.</summary>
    public static string? SkipReason => Node is null || Npm is null
        ? "node and npm are not on PATH: live Automerge JS interop needs node >= 20 and npm (CI has both; .ci/run runs npm ci in tests/interop/js)."
        : null;

    /// <summary>Runs <c>node SCRIPT args…</c> in the harness folder and returns its stdout as text.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">The script failed (its stderr is in the message).</exception>
    /// <exception cref="TimeoutException">It did not finish in time.</exception>
    public static async Task<string> RunAsync(string script, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        await EnsureInstalledAsync();
        var (exitCode, stdout, stderr) = await ChildProcess.RunAsync($"node {script}", Node!, [script, .. arguments], null,
            timeout ?? TimeSpan.FromMinutes(2), Directory);
        if (exitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"node {script} exited with {exitCode}: {stderr}");
        }

        return System.Text.Encoding.UTF8.GetString(stdout);
    }

    /// <summary>Runs a script and parses its stdout as JSON.</summary>
    public static async Task<JsonElement> RunJsonAsync(string script, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var text = await RunAsync(script, arguments, timeout);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    /// <summary>Installs the harness's pinned dependencies with <c>npm ci</c> unless they are already there.</summary>
    public static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (_installed || InstalledVersion() == AutomergeVersion)
            {
                _installed = true;
                return;
            }

            var (exitCode, stdout, stderr) = await ChildProcess.RunAsync("npm ci", Npm!, ["ci", "--no-audit", "--no-fund"], null,
                TimeSpan.FromMinutes(5), Directory);
            if (exitCode != 0 || InstalledVersion() != AutomergeVersion)
            {
                throw new Xunit.Sdk.XunitException(
                    $"npm ci in {Directory} failed (exit {exitCode}): {stderr}{System.Text.Encoding.UTF8.GetString(stdout)}");
            }

            _installed = true;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string? InstalledVersion()
    {
        var manifest = Path.Combine(Directory, "node_modules", "@automerge", "automerge", "package.json");
        if (!File.Exists(manifest))
        {
            return null;
        }

        using var json = JsonDocument.Parse(File.ReadAllBytes(manifest));
        return json.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
