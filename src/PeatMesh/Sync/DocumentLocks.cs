using PeatMesh.Storage;

namespace PeatMesh.Sync;

/// <summary>
/// Serializes work on each document: a fixed array of semaphores striped by key hash, so memory stays
/// constant however many documents exist. Unrelated documents occasionally share a stripe; that only
/// costs a little concurrency.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class DocumentLocks
{
    private const int Stripes = 256;
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>Waits for exclusive access to <paramref name="key"/>; dispose the result to release.</summary>
    public async ValueTask<Releaser> AcquireAsync(DocumentKey key, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(int)((uint)key.GetHashCode() % Stripes)];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(stripe);
    }

    /// <summary>Releases a stripe on dispose.</summary>
    internal readonly struct Releaser(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
