using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PeatMesh.Testing.Network;

/// <summary>Facts about the machine that network-namespace tests and benchmarks need, and running its tools.</summary>
/// <remarks>Stateless; thread-safe.</remarks>
public static class HostTools
{
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>Why namespace tests cannot run here, or null when they can (Linux, root, iproute2, /proc netns).</summary>
    public static string? NetnsUnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces need Linux";
        }

        if (GetEffectiveUserId() != 0)
        {
            return "network namespaces need root (ip netns add, veth, setns)";
        }

        if (Find("ip") is null)
        {
            return "iproute2 ('ip') is not installed";
        }

        return File.Exists("/proc/self/ns/net") ? null : "/proc/self/ns/net is missing";
    }

    /// <summary>The full path of <paramref name="name"/> on PATH or in the sbin/bin directories, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(ExtraDirectories)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>Runs a tool to completion (30 s at most) and returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">It failed or timed out; the message names <paramref name="step"/>.</exception>
    public static string Run(string step, string tool, params string[] arguments)
    {
        using var process = Start(tool, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{step}: '{tool} {string.Join(' ', arguments)}' did not finish within 30 s");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{step}: '{tool} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {stderr.Result.Trim()}");
        }

        return stdout.Result;
    }

    /// <summary>Starts a tool with redirected output (the caller owns and stops the process).</summary>
    /// <exception cref="InvalidOperationException">The tool is not installed.</exception>
    public static Process Start(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(Find(tool) ?? throw new InvalidOperationException($"'{tool}' is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"could not start '{tool}'");
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetEffectiveUserId();
}
