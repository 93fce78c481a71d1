using System.Buffers;

namespace PeatMesh.Discovery.Kubernetes;

/// <summary>
/// Splits a watch response body into newline-delimited JSON lines (one watch event each), never buffering
/// more than <c>maxLineBytes</c> + 1 bytes: a longer line is reported as <see cref="WatchLineStatus.TooLong"/>
/// as soon as it is known to be too long, before any further allocation.
/// </summary>
/// <remarks>
/// Not thread-safe: one reader per stream, used by one loop. A returned line is valid until the next call.
/// The buffer comes from <see cref="ArrayPool{T}.Shared"/> and is returned by <see cref="Dispose"/>.
/// </remarks>
internal sealed class WatchLineReader : IDisposable
{
    private const int InitialBufferBytes = 16 * 1024;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scanned;

    /// <summary>Reads lines from <paramref name="stream"/>.</summary>
    /// <param name="stream">The response body.</param>
    /// <param name="maxLineBytes">Longest accepted line in bytes, excluding the newline.</param>
    public WatchLineReader(Stream stream, int maxLineBytes)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferBytes, maxLineBytes + 1));
    }

    /// <summary>Reads the next non-empty line (without its <c>\n</c> or a trailing <c>\r</c>).</summary>
    /// <param name="cancellationToken">Ends the read.</param>
    /// <returns>What was read, and the line (valid until the next call) when the status is <see cref="WatchLineStatus.Line"/>.</returns>
    public async ValueTask<(WatchLineStatus Status, ReadOnlyMemory<byte> Line)> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var lineEnd = _scanned + newline;
                var line = _buffer.AsMemory(_start, lineEnd - _start);
                _start = lineEnd + 1;
                _scanned = _start;
                if (line.Length > 0 && line.Span[^1] == (byte)'\r')
                {
                    line = line[..^1];
                }

                if (line.Length > _maxLineBytes)
                {
                    return (WatchLineStatus.TooLong, default);
                }

                if (line.Span.Trim((byte)' ').Length == 0)
                {
                    continue;
                }

                return (WatchLineStatus.Line, line);
            }

            _scanned = _end;
            if (_end - _start > _maxLineBytes)
            {
                return (WatchLineStatus.TooLong, default);
            }

            MakeRoom();
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (_end > _start ? WatchLineStatus.Truncated : WatchLineStatus.End, default);
            }

            _end += read;
        }
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Ensures free space after <see cref="_end"/>: compacts, or grows up to <c>maxLineBytes</c> + 1.</summary>
    private void MakeRoom()
    {
        if (_end < _buffer.Length)
        {
            return;
        }

        var pending = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _start = 0;
            _end = pending;
            _scanned = pending;
            return;
        }

        // The whole buffer is one unfinished line no longer than the limit: grow, never past limit + 1.
        var size = (int)Math.Min((long)_buffer.Length * 2, (long)_maxLineBytes + 1);
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, pending).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
