using System.Buffers.Binary;

namespace PeatMesh.Automerge.Tests.Interop;

/// <summary>
/// Carries the stdio sync frames (4-byte big-endian length + sync message; empty = nothing to send) between two peer
/// processes in lockstep: each round reads one frame from each peer and hands it to the other; when both sent an empty
/// frame in the same round the session is over and both stdins are closed, so the peers save and exit.
/// </summary>
internal static class SyncRelay
{
    private const int MaxFrameBytes = 64 << 20;

    /// <summary>Relays until both peers are silent; returns the bytes of every non-empty frame, in order, per direction.</summary>
    /// <exception cref="TimeoutException">A peer did not answer in time or the session did not end within <paramref name="maxRounds"/>.</exception>
    public static async Task<(List<byte[]> AToB, List<byte[]> BToA)> RunAsync(ChildProcess a, ChildProcess b, int maxRounds, TimeSpan frameTimeout)
    {
        var aToB = new List<byte[]>();
        var bToA = new List<byte[]>();
        for (var round = 1; round <= maxRounds; round++)
        {
            var fromA = ReadFrameAsync(a, $"round {round}: frame from peer A");
            var fromB = ReadFrameAsync(b, $"round {round}: frame from peer B");
            var frameA = await WithStderrAsync(fromA, frameTimeout, $"round {round}: frame from peer A", a);
            var frameB = await WithStderrAsync(fromB, frameTimeout, $"round {round}: frame from peer B", b);
            if (frameA.Length == 0 && frameB.Length == 0)
            {
                a.Stdin.Close();
                b.Stdin.Close();
                return (aToB, bToA);
            }

            if (frameA.Length > 0)
            {
                aToB.Add(frameA);
            }

            if (frameB.Length > 0)
            {
                bToA.Add(frameB);
            }

            await WriteFrameAsync(b.Stdin, frameA);
            await WriteFrameAsync(a.Stdin, frameB);
        }

        throw new TimeoutException($"The sync session did not go quiet within {maxRounds} rounds ({aToB.Count} + {bToA.Count} messages).");
    }

    private static async Task<byte[]> WithStderrAsync(Task<byte[]> read, TimeSpan timeout, string step, ChildProcess peer)
    {
        try
        {
            return await Wait.ForAsync(read, timeout, step);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} (peer stderr: {peer.Stderr})", e);
        }
    }

    private static async Task<byte[]> ReadFrameAsync(ChildProcess peer, string step)
    {
        var header = new byte[4];
        var read = await peer.Stdout.ReadAtLeastAsync(header, 4, throwOnEndOfStream: false);
        if (read < 4)
        {
            throw new Xunit.Sdk.XunitException($"{step}: the peer's output ended ({read} header bytes). stderr: {peer.Stderr}");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        Assert.True(length <= MaxFrameBytes, $"{step}: frame length {length} is implausible");
        var payload = new byte[length];
        await peer.Stdout.ReadExactlyAsync(payload);
        return payload;
    }

    private static async Task WriteFrameAsync(Stream stdin, byte[] payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame, 4);
        await stdin.WriteAsync(frame);
        await stdin.FlushAsync();
    }
}
