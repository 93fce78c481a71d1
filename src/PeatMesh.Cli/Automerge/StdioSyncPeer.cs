using PeatMesh.Automerge;
using PeatMesh.Automerge.Sync;

namespace PeatMesh.Cli.Automerge;

/// <summary>
/// One Automerge sync peer (spec automerge.md §4) over a pair of streams with <see cref="SyncFrames"/> framing: on start
/// it writes its first frame; after each frame it reads it receives the message (if non-empty) and writes its next frame;
/// it returns at the end of input.
/// </summary>
/// <remarks>Not thread-safe: one session per instance.</remarks>
internal sealed class StdioSyncPeer(AutomergeDocument doc, int maxFrameBytes)
{
    private readonly SyncState _state = new();

    /// <summary>Frames read, including empty ones.</summary>
    public int FramesRead { get; private set; }

    /// <summary>Non-empty frames written.</summary>
    public int MessagesSent { get; private set; }

    /// <summary>Runs the session until <paramref name="input"/> ends.</summary>
    /// <exception cref="InvalidDataException">Bad framing (truncated frame, length over the limit).</exception>
    /// <exception cref="AutomergeFormatException">A frame is not a valid sync message or carries invalid changes.</exception>
    public async Task RunAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        await SendNextAsync(output, cancellationToken).ConfigureAwait(false);
        while (await SyncFrames.ReadAsync(input, maxFrameBytes, cancellationToken).ConfigureAwait(false) is { } frame)
        {
            FramesRead++;
            if (frame.Length > 0)
            {
                SyncMessage message;
                try
                {
                    message = SyncMessage.Decode(frame);
                }
                catch (AutomergeFormatException e)
                {
                    throw new AutomergeFormatException($"Frame {FramesRead} ({frame.Length:N0} bytes) is not an Automerge sync message: {e.Message}", e);
                }

                try
                {
                    doc.ReceiveSyncMessage(_state, message);
                }
                catch (AutomergeFormatException e)
                {
                    throw new AutomergeFormatException($"The sync message in frame {FramesRead} carries invalid changes: {e.Message}", e);
                }
            }

            await SendNextAsync(output, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendNextAsync(Stream output, CancellationToken cancellationToken)
    {
        var message = doc.GenerateSyncMessage(_state);
        if (message is not null)
        {
            MessagesSent++;
        }

        await SyncFrames.WriteAsync(output, message?.Encode() ?? [], cancellationToken).ConfigureAwait(false);
    }
}
