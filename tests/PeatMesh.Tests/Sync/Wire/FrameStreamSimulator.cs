using System.Buffers;
using PeatMesh.Sync.Wire;

namespace PeatMesh.Tests.Sync.Wire;

/// <summary>
/// Feeds bytes to <see cref="SyncFrame.TryRead(ref ReadOnlySequence{byte}, SyncFrameLimits, out SyncFrame, out SyncWireError)"/>
/// chunk by chunk, the way a pipe reader loop would: after every arrival it reads frames until more data is needed.
/// </summary>
internal static class FrameStreamSimulator
{
    public static (List<SyncFrame> Frames, OperationStatus LastStatus, SyncWireError Error, long Unconsumed) Run(
        IReadOnlyList<ReadOnlyMemory<byte>> arrivals, SyncFrameLimits limits)
    {
        var frames = new List<SyncFrame>();
        var pending = new List<ReadOnlyMemory<byte>>();
        var status = OperationStatus.NeedMoreData;
        var error = SyncWireError.None;
        foreach (var arrival in arrivals)
        {
            pending.Add(arrival);
            while (true)
            {
                var buffer = ChunkedSequence.FromChunks(pending);
                var before = buffer.Length;
                status = SyncFrame.TryRead(ref buffer, limits, out var frame, out error);
                if (status == OperationStatus.InvalidData)
                {
                    return (frames, status, error, before);
                }

                if (status == OperationStatus.NeedMoreData)
                {
                    Assert.Equal(before, buffer.Length);
                    break;
                }

                frames.Add(frame);
                Consume(pending, before - buffer.Length);
            }
        }

        return (frames, status, error, pending.Sum(c => (long)c.Length));
    }

    private static void Consume(List<ReadOnlyMemory<byte>> pending, long count)
    {
        while (count > 0)
        {
            if (pending[0].Length <= count)
            {
                count -= pending[0].Length;
                pending.RemoveAt(0);
            }
            else
            {
                pending[0] = pending[0][(int)count..];
                count = 0;
            }
        }
    }
}
