using System.Text;
using System.Threading.Channels;

namespace PeatMesh.Tests.Discovery.Kubernetes;

/// <summary>One open watch request on the fake API server; the test decides what it streams and when it ends.</summary>
internal sealed class FakeWatch
{
    private readonly Channel<byte[]?> _outgoing = Channel.CreateUnbounded<byte[]?>();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeWatch(RecordedRequest request) => Request = request;

    public RecordedRequest Request { get; }

    /// <summary>Completes when the server side of this watch has finished (ended or aborted by the client).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Streams one event line (a newline is appended).</summary>
    public void Send(string jsonLine) => SendRaw(Encoding.UTF8.GetBytes(jsonLine + "\n"));

    /// <summary>Streams raw bytes as they are.</summary>
    public void SendRaw(byte[] bytes) => _outgoing.Writer.TryWrite(bytes);

    /// <summary>Ends the response cleanly, as the API server does at timeoutSeconds.</summary>
    public void End() => _outgoing.Writer.TryWrite(null);

    internal async Task PumpAsync(Stream body, CancellationToken aborted)
    {
        try
        {
            await foreach (var chunk in _outgoing.Reader.ReadAllAsync(aborted))
            {
                if (chunk is null)
                {
                    return;
                }

                await body.WriteAsync(chunk, aborted);
                await body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        catch (IOException)
        {
            // The client went away.
        }
        finally
        {
            _closed.TrySetResult();
        }
    }
}
