namespace PeatMesh.Benchmarks.Support;

/// <summary>
/// One timed repetition: the work done, the wall-clock time and the CPU time this process used meanwhile (user + kernel,
/// all threads, from <see cref="Environment.CpuUsage"/>). CPU time per unit of work is far less sensitive to other load
/// on the machine than wall-clock throughput.
/// </summary>
/// <param name="Units">Work done (bytes, handshakes, …).</param>
/// <param name="Wall">Elapsed wall-clock time.</param>
/// <param name="Cpu">CPU time of this process over the same interval.</param>
/// <param name="AllocatedBytes">Bytes allocated on the managed heap by all threads over the same interval.</param>
public readonly record struct Sample(double Units, TimeSpan Wall, TimeSpan Cpu, long AllocatedBytes)
{
    /// <summary>Units per wall-clock second.</summary>
    public double PerSecond => Units / Wall.TotalSeconds;

    /// <summary>CPU milliseconds per unit.</summary>
    public double CpuMillisecondsPerUnit => Cpu.TotalMilliseconds / Units;

    /// <summary>Managed bytes allocated per unit.</summary>
    public double AllocatedBytesPerUnit => AllocatedBytes / Units;

    /// <summary>Runs <paramref name="work"/> and measures it; <paramref name="work"/> returns the units it did.</summary>
    public static async Task<Sample> MeasureAsync(Func<Task<double>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var cpu = Environment.CpuUsage.TotalTime;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var units = await work();
        var wall = watch.Elapsed;
        return new Sample(units, wall, Environment.CpuUsage.TotalTime - cpu, GC.GetTotalAllocatedBytes(precise: false) - allocated);
    }
}
