using System.Diagnostics;
using System.Net.Http;

namespace PeatMesh.Testing.Processes;

/// <summary>
/// One real <c>peat-mesh-node</c> process: start, wait until <c>/api/v1/ready</c> says ready, stop with
/// SIGTERM (graceful) or SIGKILL (crash), restart with the same environment. Output lines are kept in
/// a bounded buffer (the last 2,000) for diagnostics.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class NodeProcess : IAsyncDisposable
{
    private const int MaxOutputLines = 2000;
    private readonly NodeProcessOptions _options;
    private readonly Queue<string> _output = new();
    private readonly object _gate = new();
    private Process? _process;

    /// <summary>Creates (does not start) the process.</summary>
    public NodeProcess(NodeProcessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The options.</summary>
    public NodeProcessOptions Options => _options;

    /// <summary>The broker URL.</summary>
    public Uri BrokerUrl => _options.BrokerUrl;

    /// <summary>The OS process id while running.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Whether the process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The exit code once exited.</summary>
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>The most recent output lines.</summary>
    public IReadOnlyList<string> RecentOutput
    {
        get
        {
            lock (_gate)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>Starts the process (no wait for readiness).</summary>
    /// <exception cref="InvalidOperationException">Already running, or the node assembly is missing.</exception>
    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException(_options.Name + " is already running.");
        }

        if (!File.Exists(_options.NodeAssemblyPath))
        {
            throw new InvalidOperationException("peat-mesh-node.dll not found at " + _options.NodeAssemblyPath);
        }

        var command = _options.CommandPrefix.Concat(["dotnet", _options.NodeAssemblyPath]).ToList();
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _options.Environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>Polls <c>/api/v1/ready</c> until it answers 200.</summary>
    /// <exception cref="TimeoutException">Not ready in time (the message includes the last output lines).</exception>
    /// <exception cref="InvalidOperationException">The process exited first.</exception>
    public async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"{_options.Name} exited with code {_process?.ExitCode} before becoming ready:\n{Tail(20)}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(_options.BrokerUrl, "/api/v1/ready"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"{_options.Name} not ready after {timeout.TotalSeconds:0} s:\n{Tail(20)}");
    }

    /// <summary>Sends SIGTERM and waits for exit; escalates to SIGKILL after <paramref name="grace"/>.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (_process is not { } process || process.HasExited)
        {
            return _process?.ExitCode ?? 0;
        }

        PosixSignals.Send(process.Id, PosixSignals.SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        return process.ExitCode;
    }

    /// <summary>Kills the process with SIGKILL (no cleanup: a crash) and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process || process.HasExited)
        {
            return;
        }

        PosixSignals.Send(process.Id, PosixSignals.SigKill);
        await process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Completes when the process exits (immediately when it is not running).</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) =>
        _process is { HasExited: false } process ? process.WaitForExitAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>The last <paramref name="lines"/> output lines, newline-separated.</summary>
    public string Tail(int lines) => string.Join('\n', RecentOutput.TakeLast(lines));

    /// <summary>Stops the process gracefully (5 s grace). Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _process?.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.Enqueue(line);
            if (_output.Count > MaxOutputLines)
            {
                _output.Dequeue();
            }
        }

        _options.OutputSink?.Invoke(_options.Name + " | " + line);
    }
}
