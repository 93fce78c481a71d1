using System.Buffers.Binary;

namespace PeatMesh.Cli.Automerge;

/// <summary>
/// The stdio sync framing of <c>peat automerge sync --stdio</c>: each frame is a 4-byte big-endian length followed by that
/// many bytes (an Automerge sync message); a zero-length frame means "nothing to send".
/// </summary>
/// <remarks>Stateless; thread-safe as far as each stream is used by one caller.</remarks>
internal static class SyncFrames
{
    /// <summary>Default largest accepted frame payload: 256 MiB.</summary>
    public const int DefaultMaxFrameBytes = 256 << 20;

    /// <summary>
    /// Reads one frame. Returns <see langword="null"/> at a clean end of input (before the first header byte), an empty
    /// array for a zero-length frame, else the payload (allocated only after its length was checked).
    /// </summary>
    /// <exception cref="InvalidDataException">The input ends inside a frame, or the length exceeds <paramref name="maxFrameBytes"/>.</exception>
    public static async Task<byte[]?> ReadAsync(Stream input, int maxFrameBytes, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        var read = await input.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }

        if (read < header.Length)
        {
            throw new InvalidDataException($"Input ended inside a frame header ({read} of 4 length bytes).");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length > (uint)maxFrameBytes)
        {
            throw new InvalidDataException($"Frame length {length:N0} bytes exceeds the limit of {maxFrameBytes:N0} bytes (--max-frame).");
        }

        var payload = new byte[length];
        read = await input.ReadAtLeastAsync(payload, payload.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read < payload.Length)
        {
            throw new InvalidDataException($"Input ended inside a frame: {read:N0} of {length:N0} payload bytes.");
        }

        return payload;
    }

    /// <summary>Writes one frame (empty <paramref name="payload"/> = "nothing to send") and flushes.</summary>
    public static async Task WriteAsync(Stream output, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)payload.Length);
        await output.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        if (!payload.IsEmpty)
        {
            await output.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
