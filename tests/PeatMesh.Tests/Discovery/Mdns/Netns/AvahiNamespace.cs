using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using PeatMesh.Testing.Network;

namespace PeatMesh.Tests.Discovery.Mdns.Netns;

/// <summary>
/// avahi-daemon in a private network namespace, following the recipe of shared/README.md: a namespace with
/// <c>lo</c> up and a veth pair <c>vA</c>/<c>vB</c> (10.78.0.1/24, 10.78.0.2/24, multicast route on vA); inside it a
/// private mount namespace (<c>unshare --mount</c>) with a tmpfs on /run, <c>dbus-daemon --system --fork</c>, then
/// <c>avahi-daemon --no-drop-root --no-chroot -f CONF</c> with <c>use-ipv6=no</c>. avahi-browse and avahi-publish
/// run in the daemon's mount and network namespaces through <c>nsenter</c>. Disposal stops every process started
/// (publishers, dbus-daemon, avahi-daemon, by process id) and deletes the namespace.
/// </summary>
internal sealed class AvahiNamespace : IAsyncDisposable
{
    private const string Config = """
        [server]
        use-ipv4=yes
        use-ipv6=no
        enable-dbus=yes
        [wide-area]
        enable-wide-area=no
        [publish]
        publish-hinfo=no
        publish-workstation=no
        """;

    private static int _counter;
    private readonly string _directory;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly List<Process> _publishers = [];
    private Process? _daemon;
    private int? _dbusPid;

    private AvahiNamespace(string name, string directory)
    {
        Name = name;
        _directory = directory;
    }

    /// <summary>The namespace name.</summary>
    public string Name { get; }

    /// <summary>The path setns(2) takes.</summary>
    public string Path => "/var/run/netns/" + Name;

    /// <summary>The daemon's output so far (for failure messages).</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>Creates the namespace and starts dbus and avahi-daemon; returns once avahi reports "Server startup complete".</summary>
    public static async Task<AvahiNamespace> StartAsync()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"pm{Environment.ProcessId}-av{Interlocked.Increment(ref _counter)}");
        var directory = Directory.CreateTempSubdirectory("peat-avahi-").FullName;
        var avahi = new AvahiNamespace(name, directory);
        try
        {
            Ip("create namespace", "netns", "add", name);
            Ip("lo up", "-n", name, "link", "set", "lo", "up");
            Ip("create veth pair", "-n", name, "link", "add", "vA", "type", "veth", "peer", "name", "vB");
            Ip("address vA", "-n", name, "addr", "add", "10.78.0.1/24", "dev", "vA");
            Ip("address vB", "-n", name, "addr", "add", "10.78.0.2/24", "dev", "vB");
            Ip("vA up", "-n", name, "link", "set", "vA", "up");
            Ip("vB up", "-n", name, "link", "set", "vB", "up");
            Ip("multicast route", "-n", name, "route", "add", "224.0.0.0/4", "dev", "vA");
            var config = System.IO.Path.Combine(directory, "avahi-daemon.conf");
            await File.WriteAllTextAsync(config, Config);

            // Every exec keeps the process id, so the Process below is avahi-daemon itself.
            var script = $"mount -t tmpfs tmpfs /run && mkdir -p /run/dbus /run/avahi-daemon && dbus-daemon --system --fork "
                + $"&& exec avahi-daemon --no-drop-root --no-chroot -f '{config}'";
            avahi._daemon = HostTools.Start("ip", "netns", "exec", name, "unshare", "--mount", "--propagation", "private", "sh", "-c", script);
            avahi.Capture(avahi._daemon, "avahi-daemon");
            await Wait.UntilAsync(
                () => avahi._daemon.HasExited ? throw new InvalidOperationException("avahi-daemon exited: " + avahi.Log) : avahi.Log.Contains("Server startup complete", StringComparison.Ordinal),
                TimeSpan.FromSeconds(20), "avahi-daemon startup in namespace " + name);
            var pid = avahi.Enter("read the dbus-daemon pid", "cat", "/run/dbus/pid").Trim();
            avahi._dbusPid = int.Parse(pid, CultureInfo.InvariantCulture);
            return avahi;
        }
        catch
        {
            await avahi.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>avahi-browse -pt</c> (with <c>-r</c> when <paramref name="resolve"/>) for <c>_peat._udp</c> and returns its lines.</summary>
    public IReadOnlyList<string> Browse(bool resolve) =>
        Enter("avahi-browse", "avahi-browse", resolve ? "-rpt" : "-pt", "_peat._udp")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Starts <c>avahi-publish -s NAME _peat._udp PORT TXT…</c>; it is stopped by <see cref="StopPublisher"/> or disposal.</summary>
    public Process Publish(string name, int port, params string[] txt)
    {
        var process = HostTools.Start("nsenter", ["-t", DaemonPid, "-m", "-n", "avahi-publish", "-s", name, "_peat._udp", port.ToString(CultureInfo.InvariantCulture), .. txt]);
        _publishers.Add(process);
        Capture(process, "avahi-publish");
        return process;
    }

    /// <summary>Stops a publisher with SIGTERM (avahi then withdraws the service with goodbyes) and waits for it.</summary>
    public static void StopPublisher(Process publisher)
    {
        HostTools.Run("stop avahi-publish", "kill", "-TERM", publisher.Id.ToString(CultureInfo.InvariantCulture));
        if (!publisher.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("avahi-publish did not exit within 10 s of SIGTERM");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var publisher in _publishers)
        {
            Stop(publisher);
        }

        if (_dbusPid is { } dbus)
        {
            try
            {
                using var process = Process.GetProcessById(dbus);
                process.Kill();
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (ArgumentException)
            {
                // Already exited.
            }
        }

        if (_daemon is not null)
        {
            Stop(_daemon);
        }

        try
        {
            Ip("delete namespace", "netns", "del", Name);
        }
        catch (InvalidOperationException)
        {
            // Never created.
        }

        Directory.Delete(_directory, recursive: true);
    }

    private string DaemonPid => _daemon!.Id.ToString(CultureInfo.InvariantCulture);

    private string Enter(string step, string tool, params string[] arguments) =>
        HostTools.Run(step, "nsenter", ["-t", DaemonPid, "-m", "-n", tool, .. arguments]);

    private void Capture(Process process, string tag)
    {
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _log.Enqueue(tag + ": " + e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _log.Enqueue(tag + ": " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        process.Dispose();
    }

    private static void Ip(string step, params string[] arguments) => HostTools.Run(step, "ip", arguments);
}
