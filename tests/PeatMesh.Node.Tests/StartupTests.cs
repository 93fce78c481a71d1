using System.Diagnostics;

namespace PeatMesh.Node.Tests;

/// <summary>Configuration errors stop start-up with one clear line and exit code 2.</summary>
public class StartupTests
{
    [Theory]
    [InlineData(null, "PEAT_FORMATION_SECRET is required")]
    [InlineData("not base64!!", "PEAT_FORMATION_SECRET is invalid")]
    public async Task Start_BadFormationSecret_ExitsWithCode2AndOneLine(string? secret, string expected)
    {
        var (code, stdout, stderr) = await RunNodeAsync(new Dictionary<string, string?> { ["PEAT_FORMATION_SECRET"] = secret });

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout.Trim());
        if (secret is not null)
        {
            Assert.DoesNotContain(secret, stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("PEAT_BROKER_PORT", "80000", "PEAT_BROKER_PORT must be a port number")]
    [InlineData("PEAT_STATIC_PEERS", "nohostport", "PEAT_STATIC_PEERS entry is not host:port")]
    [InlineData("PEAT_DISCOVERY", "carrier-pigeon", "PEAT_DISCOVERY mode 'carrier-pigeon' is not supported")]
    [InlineData("PEAT_LOG_FORMAT", "xml", "PEAT_LOG_FORMAT must be text or json")]
    public async Task Start_InvalidSetting_ExitsWithCode2AndNamesIt(string name, string value, string expected)
    {
        var (code, _, stderr) = await RunNodeAsync(new Dictionary<string, string?>
        {
            ["PEAT_FORMATION_SECRET"] = Convert.ToBase64String(new byte[32]),
            [name] = value,
        });

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunNodeAsync(Dictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "peat-mesh-node.dll"));
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PEAT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await Wait.ForAsync(process.WaitForExitAsync(), TimeSpan.FromSeconds(60), "node exits on bad configuration");
        return (process.ExitCode, await stdout, await stderr);
    }
}
