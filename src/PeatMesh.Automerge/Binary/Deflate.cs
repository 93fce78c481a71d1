using System.IO.Compression;

namespace PeatMesh.Automerge.Binary;

/// <summary>Raw DEFLATE (RFC 1951, no zlib header) with a bound on the inflated size.</summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class Deflate
{
    /// <summary>Inflates <paramref name="compressed"/>.</summary>
    /// <param name="compressed">Raw DEFLATE data.</param>
    /// <param name="maxLength">The most bytes the output may have.</param>
    /// <exception cref="AutomergeFormatException">Invalid DEFLATE data, or output longer than <paramref name="maxLength"/>.</exception>
    public static byte[] Inflate(ReadOnlyMemory<byte> compressed, int maxLength)
    {
        try
        {
            using var input = new ReadOnlyMemoryStream(compressed);
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            var buffer = new byte[Math.Min(maxLength + 1, Math.Max(256, compressed.Length * 4))];
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > maxLength)
                    {
                        throw new AutomergeFormatException("Inflated data exceeds " + maxLength + " bytes.");
                    }

                    Array.Resize(ref buffer, (int)Math.Min((long)maxLength + 1, (long)buffer.Length * 2));
                }

                var n = inflater.Read(buffer, length, buffer.Length - length);
                if (n == 0)
                {
                    break;
                }

                length += n;
            }

            if (length > maxLength)
            {
                throw new AutomergeFormatException("Inflated data exceeds " + maxLength + " bytes.");
            }

            Array.Resize(ref buffer, length);
            return buffer;
        }
        catch (InvalidDataException e)
        {
            throw new AutomergeFormatException("Invalid DEFLATE stream.", e);
        }
    }

    /// <summary>Compresses <paramref name="data"/> as raw DEFLATE (optimal level).</summary>
    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var deflater = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflater.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>A read-only stream over memory, so inflating needs no copy of the input.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => memory.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
