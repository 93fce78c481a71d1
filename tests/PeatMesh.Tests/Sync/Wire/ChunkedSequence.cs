using System.Buffers;

namespace PeatMesh.Tests.Sync.Wire;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, as a pipe delivers data.</summary>
internal static class ChunkedSequence
{
    /// <summary>One segment per chunk, in order.</summary>
    public static ReadOnlySequence<byte> FromChunks(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        if (chunks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(chunks[0], 0);
        var last = first;
        for (var i = 1; i < chunks.Count; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Splits <paramref name="data"/> into chunks of the given sizes (the last chunk takes the rest).</summary>
    public static List<ReadOnlyMemory<byte>> Split(byte[] data, IEnumerable<int> sizes)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        var offset = 0;
        foreach (var size in sizes)
        {
            if (offset >= data.Length)
            {
                break;
            }

            var take = Math.Min(Math.Max(size, 1), data.Length - offset);
            chunks.Add(data.AsMemory(offset, take));
            offset += take;
        }

        if (offset < data.Length)
        {
            chunks.Add(data.AsMemory(offset));
        }

        return chunks;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
