using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using PeatMesh.Security.Noise;

namespace PeatMesh.Tests.Security.Noise;

/// <summary>
/// A TCP listener on 127.0.0.1 port 0 that runs a handler for every accepted connection on its own task and
/// records each outcome (channel or exception) in arrival order.
/// </summary>
public sealed class ChannelTestListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<NetworkStream, CancellationToken, Task<SecureChannel?>> _handler;
    private readonly Channel<Outcome> _outcomes = Channel.CreateUnbounded<Outcome>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly List<SecureChannel> _channels = [];
    private readonly Task _acceptLoop;

    private ChannelTestListener(Func<NetworkStream, CancellationToken, Task<SecureChannel?>> handler)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>A listener whose handler is <see cref="SecureChannel.AcceptAsync"/> with <paramref name="options"/>.</summary>
    public static ChannelTestListener StartSecure(SecureChannelOptions options) =>
        new(async (stream, ct) => await SecureChannel.AcceptAsync(stream, options, ct));

    /// <summary>A listener running a scripted (raw) handler; it owns the stream.</summary>
    public static ChannelTestListener StartRaw(Func<NetworkStream, CancellationToken, Task> handler) =>
        new(async (stream, ct) =>
        {
            await using (stream)
            {
                await handler(stream, ct);
            }

            return null;
        });

    public async Task<Outcome> NextOutcomeAsync(string step) =>
        await _outcomes.Reader.ReadAsync().AsTask().Within(step);

    public async Task<SecureChannel> NextChannelAsync(string step)
    {
        var outcome = await NextOutcomeAsync(step);
        Assert.True(outcome.Channel is not null, $"Step '{step}': server handshake failed: {outcome.Error}");
        return outcome.Channel!;
    }

    public async Task<Exception> NextErrorAsync(string step)
    {
        var outcome = await NextOutcomeAsync(step);
        Assert.True(outcome.Error is not null, $"Step '{step}': server handshake unexpectedly succeeded.");
        return outcome.Error!;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop.Within("listener accept loop stops");
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).Within("listener connection handlers stop");
        foreach (var channel in _channels)
        {
            await channel.DisposeAsync();
        }

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
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var stream = new NetworkStream(socket, ownsSocket: true);
            lock (_connections)
            {
                _connections.Add(Task.Run(() => HandleAsync(stream)));
            }
        }
    }

    private async Task HandleAsync(NetworkStream stream)
    {
        try
        {
            var channel = await _handler(stream, _stop.Token);
            if (channel is not null)
            {
                lock (_connections)
                {
                    _channels.Add(channel);
                }
            }

            await _outcomes.Writer.WriteAsync(new Outcome(channel, null));
        }
        catch (Exception ex)
        {
            await stream.DisposeAsync();
            await _outcomes.Writer.WriteAsync(new Outcome(null, ex));
        }
    }

    public sealed record Outcome(SecureChannel? Channel, Exception? Error);
}
