using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace PeatMesh.Benchmarks.Reporting;

/// <summary>Facts about the machine and build a report was produced on (read once, at start).</summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed record MachineFacts
{
    /// <summary>CPU model from the first <c>model name</c> line of <c>/proc/cpuinfo</c>, or <c>unknown</c>.</summary>
    public required string CpuModel { get; init; }

    /// <summary>Logical cores available to this process.</summary>
    public required int LogicalCores { get; init; }

    /// <summary>Total memory from <c>/proc/meminfo</c>, or <c>unknown</c>.</summary>
    public required string Memory { get; init; }

    /// <summary>Runtime description, e.g. <c>.NET 10.0.0</c>.</summary>
    public required string Runtime { get; init; }

    /// <summary>Operating system description.</summary>
    public required string OperatingSystem { get; init; }

    /// <summary>Build configuration of the harness (Release or Debug) and the GC mode.</summary>
    public required string Build { get; init; }

    /// <summary>PeatMesh's informational version (includes the commit when the build recorded it).</summary>
    public required string PeatMeshVersion { get; init; }

    /// <summary>The 1, 5 and 15 minute load averages at start, or <c>unknown</c>: other work on the machine skews results.</summary>
    public required string LoadAverageAtStart { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset StartedUtc { get; init; }

    /// <summary>Reads the facts of this machine now.</summary>
    public static MachineFacts Read() => new()
    {
        CpuModel = ReadProcField("/proc/cpuinfo", "model name") ?? "unknown",
        LogicalCores = Environment.ProcessorCount,
        Memory = FormatMemory(ReadProcField("/proc/meminfo", "MemTotal")),
        Runtime = RuntimeInformation.FrameworkDescription,
        OperatingSystem = $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})",
        Build = $"{BuildConfiguration}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC",
        PeatMeshVersion = typeof(PeatMesh.Security.Noise.SecureChannel).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        LoadAverageAtStart = ReadLoadAverage(),
        StartedUtc = DateTimeOffset.UtcNow,
    };

    /// <summary>The 1, 5 and 15 minute load averages from <c>/proc/loadavg</c>, or <c>unknown</c>.</summary>
    public static string ReadLoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 3 ? string.Join(" / ", fields[..3]) : "unknown";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    /// <summary>The facts as (name, value) rows for the report header.</summary>
    public IEnumerable<(string Name, string Value)> Describe()
    {
        yield return ("CPU", CpuModel);
        yield return ("Logical cores", LogicalCores.ToString(CultureInfo.InvariantCulture));
        yield return ("Memory", Memory);
        yield return ("Runtime", Runtime);
        yield return ("OS", OperatingSystem);
        yield return ("Harness build", Build);
        yield return ("PeatMesh version", PeatMeshVersion);
        yield return ("Started (UTC)", StartedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        yield return ("Load average (1/5/15 min) at start", LoadAverageAtStart);
    }

#if DEBUG
    private const string BuildConfiguration = "Debug (numbers are NOT representative: use -c Release)";
#else
    private const string BuildConfiguration = "Release";
#endif

    private static string? ReadProcField(string path, string field)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line[..colon].Trim() == field)
                {
                    var value = line[(colon + 1)..].Trim();
                    return value.Length == 0 ? null : value;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static string FormatMemory(string? memTotal)
    {
        // "24683520 kB"
        var number = memTotal?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var kib)
            ? Fmt.Number(kib / 1024.0 / 1024.0, 1) + " GiB"
            : "unknown";
    }
}
