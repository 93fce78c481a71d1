using System.Buffers.Binary;
using PeatMesh.Transport;

namespace PeatMesh.Security.Noise;

/// <summary>
/// Reads and writes Noise messages framed as <c>[len:u16 BE][message]</c> (the libp2p Noise framing, protocols.md §1),
/// mapping end-of-stream and stream failures to <see cref="MeshTransportException"/>.
/// </summary>
/// <remarks>Stateless; thread-safe as long as each stream has one reader and one writer at a time.</remarks>
internal static class NoiseFraming
{
    /// <summary>Length of the frame header in bytes.</summary>
    public const int HeaderSize = 2;

    /// <summary>
    /// Reads one frame into <paramref name="buffer"/> (which must hold <paramref name="maxLength"/> bytes) and returns
    /// its length. The declared length is checked against [<paramref name="minLength"/>, <paramref name="maxLength"/>]
    /// before any body byte is read.
    /// </summary>
    /// <exception cref="MeshTransportException">
    /// <see cref="MeshTransportError.ConnectionClosed"/> on EOF before the first header byte;
    /// <see cref="MeshTransportError.ProtocolViolation"/> on a bad declared length or EOF inside the frame;
    /// <see cref="MeshTransportError.ConnectionAborted"/> when the stream fails.
    /// </exception>
    public static async ValueTask<int> ReadFrameAsync(Stream stream, Memory<byte> buffer, int minLength, int maxLength, string what, CancellationToken cancellationToken)
    {
        var got = await ReadUpToAsync(stream, buffer[..HeaderSize], what, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            throw new MeshTransportException(MeshTransportError.ConnectionClosed, $"The peer closed the connection before {what}.");
        }

        if (got < HeaderSize)
        {
            throw new MeshTransportException(MeshTransportError.ProtocolViolation, $"The connection ended inside the length prefix of {what} (truncated frame).");
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(buffer.Span);
        if (length == 0)
        {
            throw new MeshTransportException(MeshTransportError.ProtocolViolation, $"The peer declared a zero-length frame for {what}.");
        }

        if (length < minLength || length > maxLength)
        {
            var expected = minLength == maxLength ? $"exactly {minLength}" : $"{minLength}..{maxLength}";
            throw new MeshTransportException(
                MeshTransportError.ProtocolViolation,
                $"The peer declared {length} bytes for {what}; {expected} bytes are allowed.");
        }

        got = await ReadUpToAsync(stream, buffer[..length], what, cancellationToken).ConfigureAwait(false);
        if (got < length)
        {
            throw new MeshTransportException(
                MeshTransportError.ProtocolViolation,
                $"The connection ended after {got} of {length} bytes of {what} (truncated frame).");
        }

        return length;
    }

    /// <summary>Writes an already framed buffer (header included) and flushes.</summary>
    /// <exception cref="MeshTransportException"><see cref="MeshTransportError.ConnectionAborted"/> when the stream fails.</exception>
    public static async ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> frame, string what, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException && ex is not MeshTransportException)
        {
            throw new MeshTransportException(MeshTransportError.ConnectionAborted, $"Sending {what} failed: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the 2-byte big-endian length of a message of <paramref name="length"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, int length) =>
        BinaryPrimitives.WriteUInt16BigEndian(destination, checked((ushort)length));

    private static async ValueTask<int> ReadUpToAsync(Stream stream, Memory<byte> destination, string what, CancellationToken cancellationToken)
    {
        var total = 0;
        try
        {
            while (total < destination.Length)
            {
                var read = await stream.ReadAsync(destination[total..], cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException && ex is not MeshTransportException)
        {
            throw new MeshTransportException(MeshTransportError.ConnectionAborted, $"Receiving {what} failed: {ex.Message}", ex);
        }

        return total;
    }
}
