using PeatMesh.Diagnostics;

namespace PeatMesh.Transport;

public sealed partial class MeshConnection
{
    private const int DataHeaderSize = 2;
    private const int DataStartHeaderSize = 6;

    /// <summary>
    /// Writes control frames first (pings, pongs, goodbye), then one fragment per protocol in
    /// round-robin order, so a large message on one protocol cannot starve another or the heartbeats.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        var token = _stop.Token;
        var buffer = new byte[_channel.MaxMessageSize];
        var maxChunk = _channel.MaxMessageSize - DataHeaderSize;
        var current = new byte[]?[_protocols.Length];
        var offsets = new int[_protocols.Length];
        var next = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (_control.Reader.TryRead(out var control))
                {
                    await _channel.SendAsync(control, token).ConfigureAwait(false);
                    _metrics?.MeshFrame("out", MetricLabels.SnakeCase((MuxFrameKind)control[0]));
                    if (control[0] == (byte)MuxFrameKind.GoAway)
                    {
                        _goAwaySent?.TrySetResult();
                    }

                    continue;
                }

                var sent = false;
                for (var k = 0; k < _protocols.Length && !sent; k++)
                {
                    var i = (next + k) % _protocols.Length;
                    if (current[i] is null && !_protocols[i].OutboundReader.TryRead(out current[i]))
                    {
                        continue;
                    }

                    var message = current[i]!;
                    var remaining = message.Length - offsets[i];
                    int header;
                    if (offsets[i] > 0)
                    {
                        buffer[0] = (byte)MuxFrameKind.DataContinue;
                        header = DataHeaderSize;
                    }
                    else if (message.Length <= maxChunk)
                    {
                        buffer[0] = (byte)MuxFrameKind.Data;
                        header = DataHeaderSize;
                    }
                    else
                    {
                        buffer[0] = (byte)MuxFrameKind.DataStart;
                        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(2), (uint)message.Length);
                        header = DataStartHeaderSize;
                    }

                    buffer[1] = (byte)i;
                    var chunk = Math.Min(remaining, _channel.MaxMessageSize - header);
                    var last = chunk == remaining;
                    message.AsSpan(offsets[i], chunk).CopyTo(buffer.AsSpan(header));
                    await _channel.SendAsync(buffer.AsMemory(0, header + chunk), token).ConfigureAwait(false);
                    _metrics?.MeshFrame("out", MetricLabels.SnakeCase((MuxFrameKind)buffer[0]));
                    if (last)
                    {
                        current[i] = null;
                        offsets[i] = 0;
                    }
                    else
                    {
                        offsets[i] += chunk;
                    }

                    next = (i + 1) % _protocols.Length;
                    sent = true;
                }

                if (!sent && !await _wake.Reader.WaitToReadAsync(token).ConfigureAwait(false))
                {
                    return;
                }

                _wake.Reader.TryRead(out _);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (MeshTransportException e)
        {
            AbortInBackground(e);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            AbortInBackground(new MeshTransportException(MeshTransportError.ConnectionClosed, "Write failed: " + e.Message, e));
        }
    }

    private void EnqueueControl(byte[] frame)
    {
        if (_control.Writer.TryWrite(frame))
        {
            SignalWriter();
        }
    }
}
