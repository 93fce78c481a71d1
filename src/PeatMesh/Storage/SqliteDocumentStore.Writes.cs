using System.Threading.Channels;

namespace PeatMesh.Storage;

/// <content>Public write methods: validate on the caller's thread, then queue for the writer loop.</content>
public sealed partial class SqliteDocumentStore
{
    /// <inheritdoc/>
    public ValueTask<StoreWriteResult> AppendAsync(DocumentKey key, ReadOnlyMemory<byte> chunkBytes, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ValidateKey(key, nameof(key));
        if (chunkBytes.Length > _options.MaxDocumentBytes)
        {
            return ValueTask.FromResult(StoreWriteResult.DocumentTooLarge);
        }

        return EnqueueAsync(new AppendOperation(key, AsArray(chunkBytes), cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StoreWriteResult> ReplaceAsync(DocumentKey key, ReadOnlyMemory<byte> fullBytes, CancellationToken cancellationToken = default) =>
        ReplaceCoreAsync(key, fullBytes, expectedRevision: null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StoreWriteResult> ReplaceAsync(DocumentKey key, ReadOnlyMemory<byte> fullBytes, long expectedRevision, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedRevision);
        return ReplaceCoreAsync(key, fullBytes, expectedRevision, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<TombstoneWriteResult> DeleteAsync(Tombstone tombstone, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ValidateTombstone(tombstone);
        return EnqueueAsync(new TombstoneOperation(tombstone, "delete", cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<TombstoneWriteResult> PutTombstoneAsync(Tombstone tombstone, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ValidateTombstone(tombstone);
        return EnqueueAsync(new TombstoneOperation(tombstone, "put-tombstone", cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> RemoveTombstoneAsync(DocumentKey key, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ValidateKey(key, nameof(key));
        return EnqueueAsync(new RemoveTombstoneOperation(key, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<int> PurgeTombstonesAsync(DateTimeOffset deletedBefore, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        return EnqueueAsync(new PurgeTombstonesOperation(deletedBefore.ToUnixTimeMilliseconds(), cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask SetMetaAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ValidateMetaKey(key);
        if (value.Length > _options.MaxDocumentBytes)
        {
            throw new ArgumentException($"Meta values are at most {_options.MaxDocumentBytes} bytes (StorageOptions.MaxDocumentBytes).", nameof(value));
        }

        var pending = EnqueueAsync(new SetMetaOperation(key, AsArray(value), cancellationToken), cancellationToken);
        return pending.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(pending.AsTask());
    }

    private ValueTask<StoreWriteResult> ReplaceCoreAsync(DocumentKey key, ReadOnlyMemory<byte> fullBytes, long? expectedRevision, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        ValidateKey(key, nameof(key));
        if (fullBytes.Length > _options.MaxDocumentBytes)
        {
            return ValueTask.FromResult(StoreWriteResult.DocumentTooLarge);
        }

        return EnqueueAsync(new ReplaceOperation(key, AsArray(fullBytes), expectedRevision, cancellationToken), cancellationToken);
    }

    private ValueTask<T> EnqueueAsync<T>(WriteOperation<T> operation, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        operation.EnqueuedAt = _timeProvider.GetTimestamp();
        if (_queue.Writer.TryWrite(operation))
        {
            return new ValueTask<T>(operation.Task);
        }

        return EnqueueSlowAsync(operation, cancellationToken);
    }

    private async ValueTask<T> EnqueueSlowAsync<T>(WriteOperation<T> operation, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        Interlocked.Increment(ref _backpressureWaits);
        try
        {
            await _queue.Writer.WriteAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(GetType().FullName, "The store was disposed while the write waited for queue space; it was not written.");
        }

        return await operation.Task.ConfigureAwait(false);
    }
}
