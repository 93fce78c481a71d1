using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PeatMesh.Benchmarks.Cli;
using PeatMesh.Benchmarks.Reporting;
using PeatMesh.Benchmarks.Support;
using PeatMesh.Security.Noise;

namespace PeatMesh.Benchmarks.Scenarios;

/// <summary>
/// Complete <c>Noise_XXpsk3_25519_ChaChaPoly_SHA256</c> handshakes (TCP connect + <see cref="SecureChannel.ConnectAsync"/>
/// against a responder running <see cref="SecureChannel.AcceptAsync"/> per connection) over 127.0.0.1, with 1 client
/// and with 4 concurrent clients.
/// </summary>
public sealed class HandshakesScenario(HarnessOptions options, TextWriter progress) : IScenario
{
    /// <summary>Measured runs per mode.</summary>
    public const int Runs = 3;

    private static readonly int[] ClientCounts = [1, 4];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public string Name => ScenarioNames.Handshakes;

    /// <inheritdoc />
    public string Title => "handshakes";

    /// <inheritdoc />
    public async Task RunAsync(ReportSection section, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(section);
        using var serverIdentity = BenchKeys.ServerIdentity();
        using var clientIdentity = BenchKeys.ClientIdentity();
        await using var responder = HandshakeResponder.Start(BenchKeys.Options(serverIdentity));
        var clientOptions = BenchKeys.Options(clientIdentity);

        Log($"warm-up: {WarmUp.TotalSeconds:0} s sequential");
        await RunClientsAsync(responder.Port, clientOptions, 1, WarmUp, cancellationToken);

        var table = new MarkdownTable("Mode", ">Clients", ">Median handshakes/s", ">Min", ">Max", ">Mean latency (ms)", ">CPU µs per handshake (median)");
        foreach (var clients in ClientCounts)
        {
            var samples = new List<Sample>(Runs);
            for (var run = 0; run < Runs; run++)
            {
                var sample = await Sample.MeasureAsync(() => RunClientsAsync(responder.Port, clientOptions, clients, options.HandshakeDuration, cancellationToken));
                samples.Add(sample);
                Log($"{clients} client(s), run {run + 1}/{Runs}: {Fmt.Count((long)sample.Units)} handshakes in {sample.Wall.TotalSeconds:0.00} s = "
                    + $"{Fmt.Number(sample.PerSecond)}/s, {Fmt.Number(sample.CpuMillisecondsPerUnit * 1000, 0)} CPU µs each");
            }

            var rate = Summary.Of([.. samples.Select(x => x.PerSecond)]);
            var cpu = Summary.Of([.. samples.Select(x => x.CpuMillisecondsPerUnit * 1000)]);
            table.AddRow([clients == 1 ? "Sequential" : "Concurrent", clients.ToString(System.Globalization.CultureInfo.InvariantCulture),
                .. Fmt.Cells(rate), Fmt.Number(clients * 1000 / rate.Median, 2), Fmt.Number(cpu.Median, 0)]);
        }

        await responder.StopAsync();
        if (responder.Failures > 0)
        {
            throw new InvalidOperationException($"{responder.Failures} responder handshakes failed; last: {responder.LastFailure}");
        }

        section.AddTable(table);
        section.AddParagraph(
            $"""
            Method: Stopwatch harness, in one process (initiators and responder share the cores). One handshake = TCP
            connect to 127.0.0.1 + `SecureChannel.ConnectAsync` until it returns, i.e. the three Noise messages plus the
            responder's identity message, with X25519 (libsodium), Ed25519 signature and verification on each side and a
            fresh per-channel static key; then the client closes the connection (RST, linger 0, so that tens of thousands
            of connections leave no TIME_WAIT sockets). The responder accepts on its own loop and runs `AcceptAsync` for
            each connection on the thread pool. {WarmUp.TotalSeconds:0} s of sequential warm-up, then per mode {Runs} runs
            of {options.HandshakeDuration.TotalSeconds:0} s each; a run's rate is completed client handshakes divided by the
            time until the last client finished its last handshake. Mean latency = clients / median rate. CPU time is the
            whole process (user + kernel, both ends of every handshake) divided by the handshakes completed.
            Responder failures during the runs: {responder.Failures}.
            """);
    }

    private static async Task<double> RunClientsAsync(int port, SecureChannelOptions options, int clients,
        TimeSpan duration, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            long count = 0;
            while (watch.Elapsed < duration)
            {
                var channel = await LoopbackSecurePair.ConnectAsync(port, options, resetOnClose: true, cancellationToken);
                await channel.DisposeAsync();
                count++;
            }

            return count;
        }, cancellationToken)).ToArray();
        var counts = await Task.WhenAll(workers).WithinAsync(duration + TimeSpan.FromSeconds(60), $"{clients} handshake client(s)", cancellationToken);
        return counts.Sum();
    }

    private void Log(string line) => progress.WriteLine($"[{ScenarioNames.Handshakes}] {line}");

    /// <summary>A TCP listener on 127.0.0.1 port 0 that runs the responder handshake for every connection, then closes it.</summary>
    private sealed class HandshakeResponder : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly SecureChannelOptions _options;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _acceptLoop;
        private long _inFlight;
        private long _failures;
        private string? _lastFailure;

        private HandshakeResponder(TcpListener listener, SecureChannelOptions options)
        {
            _listener = listener;
            _options = options;
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _acceptLoop = Task.Run(AcceptLoopAsync);
        }

        public int Port { get; }

        public long Failures => Interlocked.Read(ref _failures);

        public string? LastFailure => Volatile.Read(ref _lastFailure);

        public static HandshakeResponder Start(SecureChannelOptions options)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start(backlog: 512);
            return new HandshakeResponder(listener, options);
        }

        /// <summary>Stops accepting and waits (at most 30 s) for the handshakes in flight.</summary>
        public async Task StopAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync();
            }

            _listener.Stop();
            await _acceptLoop.WithinAsync(TimeSpan.FromSeconds(30), "handshake responder accept loop stops");
            await Deadline.PollAsync(_ => Task.FromResult(Interlocked.Read(ref _inFlight) == 0), TimeSpan.FromMilliseconds(20),
                TimeSpan.FromSeconds(30), "responder handshakes in flight finish");
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref _inFlight);
                _ = Task.Run(() => HandshakeAsync(socket));
            }
        }

        private async Task HandshakeAsync(Socket socket)
        {
            try
            {
                socket.NoDelay = true;
                var channel = await SecureChannel.AcceptAsync(new NetworkStream(socket, ownsSocket: true), _options, _stop.Token);
                await channel.DisposeAsync();
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                if (!_stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _failures);
                    Volatile.Write(ref _lastFailure, $"{e.GetType().Name}: {e.Message}");
                }

                socket.Dispose();
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }
}
