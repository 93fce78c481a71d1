using PeatMesh.Diagnostics;

namespace PeatMesh.Transport.Tcp;

/// <summary>
/// Passes every read and write through to the socket's stream and counts the bytes moved in
/// <c>peat_transport_bytes_total{direction=in|out}</c>. It sits below Noise, so the count is what crosses the TCP
/// connection: handshake messages, the 2-byte length prefixes, ciphertexts and their 16-byte tags (TCP/IP headers
/// excluded).
/// </summary>
/// <remarks>Thread-safety as the inner stream (one reader and one writer at a time); counting is thread-safe.</remarks>
internal sealed class MeteredStream : Stream
{
    private static readonly KeyValuePair<string, object?>[] InTags = MeshMetrics.DirectionTags("in");
    private static readonly KeyValuePair<string, object?>[] OutTags = MeshMetrics.DirectionTags("out");
    private readonly Stream _inner;
    private readonly MeshMetrics _metrics;

    public MeteredStream(Stream inner, MeshMetrics metrics)
    {
        _inner = inner;
        _metrics = metrics;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Received(_inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Received(_inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Received(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override void Write(byte[] buffer, int offset, int count)
    {
        _inner.Write(buffer, offset, count);
        Sent(count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        Sent(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Sent(buffer.Length);
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Received(int bytes)
    {
        if (bytes > 0)
        {
            _metrics.TransportBytes(InTags, bytes);
        }

        return bytes;
    }

    private void Sent(int bytes)
    {
        if (bytes > 0)
        {
            _metrics.TransportBytes(OutTags, bytes);
        }
    }
}
