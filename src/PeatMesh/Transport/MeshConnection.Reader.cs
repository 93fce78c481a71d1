using System.Buffers;
using System.Buffers.Binary;

namespace PeatMesh.Transport;

public sealed partial class MeshConnection
{
    /// <summary>
    /// Reads channel messages, reassembles fragments per stream (bounded by
    /// <see cref="MeshConnectionOptions.MaxMessageSize"/>), answers pings and hands complete messages
    /// to their protocol's bounded queue (waiting when it is full: backpressure).
    /// </summary>
    private async Task ReadLoopAsync()
    {
        var token = _stop.Token;
        var buffer = new byte[_channel.MaxMessageSize];
        var partial = new ArrayBufferWriter<byte>?[_remoteStreams.Length];
        try
        {
            while (!token.IsCancellationRequested)
            {
                var length = await _channel.ReceiveAsync(buffer, token).ConfigureAwait(false);
                if (length < 1)
                {
                    throw Violation("empty frame");
                }

                var frame = buffer.AsMemory(0, length);
                switch ((MuxFrameKind)buffer[0])
                {
                    case MuxFrameKind.Data:
                    case MuxFrameKind.DataMore:
                        await HandleDataAsync(frame, partial, token).ConfigureAwait(false);
                        break;
                    case MuxFrameKind.Ping when length == 9:
                        buffer[0] = (byte)MuxFrameKind.Pong;
                        EnqueueControl(buffer.AsSpan(0, 9).ToArray());
                        break;
                    case MuxFrameKind.Pong when length == 9:
                        HandlePong(BinaryPrimitives.ReadUInt64BigEndian(buffer.AsSpan(1, 8)));
                        break;
                    case MuxFrameKind.GoAway:
                        var reason = System.Text.Encoding.UTF8.GetString(buffer, 1, Math.Min(length - 1, 256));
                        AbortInBackground(new MeshTransportException(MeshTransportError.ConnectionClosed, "Closed by peer: " + reason));
                        return;
                    default:
                        throw Violation("unexpected frame kind 0x" + buffer[0].ToString("x2", System.Globalization.CultureInfo.InvariantCulture)
                            + " of " + length + " bytes");
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (MeshTransportException e)
        {
            AbortInBackground(e);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Threading.Channels.ChannelClosedException)
        {
            AbortInBackground(new MeshTransportException(MeshTransportError.ConnectionClosed, "Read failed: " + e.Message, e));
        }
    }

    private async ValueTask HandleDataAsync(ReadOnlyMemory<byte> frame, ArrayBufferWriter<byte>?[] partial, CancellationToken token)
    {
        if (frame.Length < DataHeaderSize)
        {
            throw Violation("data frame without a stream id");
        }

        var stream = frame.Span[1];
        if (stream >= _remoteStreams.Length || _remoteStreams[stream] is not { } protocol)
        {
            throw Violation("data on stream " + stream + ", which names no shared protocol");
        }

        var payload = frame[DataHeaderSize..];
        var pending = partial[stream];
        var final = frame.Span[0] == (byte)MuxFrameKind.Data;
        if (pending is null && final)
        {
            await protocol.InboundWriter.WriteAsync(payload.ToArray(), token).ConfigureAwait(false);
            return;
        }

        pending ??= partial[stream] = new ArrayBufferWriter<byte>(Math.Max(payload.Length * 2, 1024));
        if ((long)pending.WrittenCount + payload.Length > _options.MaxMessageSize)
        {
            throw new MeshTransportException(MeshTransportError.MessageTooLarge,
                $"The peer's {protocol.Name} message exceeds {_options.MaxMessageSize} bytes.");
        }

        pending.Write(payload.Span);
        if (final)
        {
            partial[stream] = null;
            await protocol.InboundWriter.WriteAsync(pending.WrittenSpan.ToArray(), token).ConfigureAwait(false);
        }
    }

    private static MeshTransportException Violation(string what) =>
        new(MeshTransportError.ProtocolViolation, "Multiplexer protocol violation: " + what + ".");
}
