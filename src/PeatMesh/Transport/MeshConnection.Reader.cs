using System.Buffers.Binary;
using PeatMesh.Diagnostics;

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
        var partial = new Reassembly?[_remoteStreams.Length];
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
                _metrics?.MeshFrame("in", MetricLabels.SnakeCase((MuxFrameKind)buffer[0]));
                switch ((MuxFrameKind)buffer[0])
                {
                    case MuxFrameKind.Data:
                    case MuxFrameKind.DataStart:
                    case MuxFrameKind.DataContinue:
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

    private async ValueTask HandleDataAsync(ReadOnlyMemory<byte> frame, Reassembly?[] partial, CancellationToken token)
    {
        if (frame.Length < DataHeaderSize)
        {
            throw Violation("data frame without a stream id");
        }

        var kind = (MuxFrameKind)frame.Span[0];
        var stream = frame.Span[1];
        if (stream >= _remoteStreams.Length || _remoteStreams[stream] is not { } protocol)
        {
            throw Violation("data on stream " + stream + ", which names no shared protocol");
        }

        var pending = partial[stream];
        switch (kind)
        {
            case MuxFrameKind.Data when pending is null:
                await protocol.DeliverAsync(frame[DataHeaderSize..].ToArray(), token).ConfigureAwait(false);
                return;
            case MuxFrameKind.DataStart when pending is null && frame.Length >= DataStartHeaderSize:
                var total = BinaryPrimitives.ReadUInt32BigEndian(frame.Span[2..]);
                var first = frame[DataStartHeaderSize..];
                if (total > (uint)_options.MaxMessageSize)
                {
                    throw new MeshTransportException(MeshTransportError.MessageTooLarge,
                        $"The peer announced a {total}-byte {protocol.Name} message; the limit is {_options.MaxMessageSize} bytes.");
                }

                if (total <= (uint)first.Length)
                {
                    throw Violation("a fragmented message that fits in its first fragment");
                }

                // The total is bounded above, so this is the only allocation for the message.
                pending = partial[stream] = new Reassembly(new byte[total]);
                pending.Append(first.Span);
                return;
            case MuxFrameKind.DataContinue when pending is not null:
                var fragment = frame[DataHeaderSize..].Span;
                if (fragment.Length > pending.Remaining)
                {
                    throw Violation("fragments exceed the announced message length");
                }

                pending.Append(fragment);
                if (pending.Remaining == 0)
                {
                    partial[stream] = null;
                    await protocol.DeliverAsync(pending.Buffer, token).ConfigureAwait(false);
                }

                return;
            default:
                throw Violation(kind + (pending is null ? " without a message in progress" : " while a fragmented message is in progress")
                    + " on stream " + stream);
        }
    }

    /// <summary>A fragmented message being reassembled into its final buffer.</summary>
    private sealed class Reassembly(byte[] buffer)
    {
        private int _written;

        public byte[] Buffer => buffer;

        public int Remaining => buffer.Length - _written;

        public void Append(ReadOnlySpan<byte> fragment)
        {
            fragment.CopyTo(buffer.AsSpan(_written));
            _written += fragment.Length;
        }
    }

    private static MeshTransportException Violation(string what) =>
        new(MeshTransportError.ProtocolViolation, "Multiplexer protocol violation: " + what + ".");
}
