using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PeatMesh.Storage;

/// <content>The single writer loop: drains the queue and group-commits.</content>
public sealed partial class SqliteDocumentStore
{
    private async Task RunWriterLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<WriteOperation>(Math.Min(_options.MaxBatchSize, 1024));
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var operation))
                {
                    if (operation.CancellationToken.IsCancellationRequested)
                    {
                        operation.Cancel();
                        continue;
                    }

                    batch.Add(operation);
                }

                if (batch.Count > 0)
                {
                    CommitBatch(batch);
                    batch.Clear();
                }
            }
        }
        catch (Exception ex)
        {
            // Only a bug gets here (CommitBatch handles database errors). Fail everything so no caller hangs.
            _logger.WriterCrashed(ex);
            _closed = true;
            _queue.Writer.TryComplete(ex);
            foreach (var operation in batch)
            {
                operation.Fail(ex);
            }

            while (reader.TryRead(out var operation))
            {
                operation.Fail(ex);
            }
        }
    }

    /// <summary>Runs one batch in one transaction. Never throws: every operation ends completed, faulted or cancelled.</summary>
    private void CommitBatch(List<WriteOperation> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var nowMs = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            _writer.Begin();
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            _writer.TryRollback();
            _logger.BeginFailed(batch.Count, ex);
            Interlocked.Increment(ref _failedTransactions);
            FailAll(batch, ex);
            return;
        }

        var executed = new List<WriteOperation>(batch.Count);
        foreach (var operation in batch)
        {
            try
            {
                _writer.Savepoint();
                operation.Execute(_writer, nowMs);
                _writer.ReleaseSavepoint();
                executed.Add(operation);
            }
            catch (Exception ex) when (IsDatabaseFailure(ex))
            {
                if (!_writer.TryRollbackToSavepoint())
                {
                    // SQLite ended the whole transaction (e.g. disk full): nothing in it survives.
                    _writer.TryRollback();
                    Interlocked.Increment(ref _failedTransactions);
                    _logger.TransactionFailed(batch.Count, ex);
                    RunIndividually(batch, nowMs);
                    return;
                }

                Fail(operation, ex);
            }
        }

        StoreCounts delta;
        try
        {
            delta = _writer.Commit();
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            _writer.TryRollback();
            Interlocked.Increment(ref _failedTransactions);
            _logger.TransactionFailed(executed.Count, ex);
            if (executed.Count == 1)
            {
                Fail(executed[0], ex);
            }
            else
            {
                RunIndividually(executed, nowMs);
            }

            return;
        }

        RecordCommit(executed, delta);
        foreach (var operation in executed)
        {
            operation.Complete();
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.BatchCommitted(executed.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>After a failed batch: each operation in its own transaction, so only the failing ones fault.</summary>
    private void RunIndividually(List<WriteOperation> operations, long nowMs)
    {
        foreach (var operation in operations)
        {
            if (operation.CancellationToken.IsCancellationRequested)
            {
                operation.Cancel();
                continue;
            }

            StoreCounts delta;
            try
            {
                _writer.Begin();
                operation.Execute(_writer, nowMs);
                delta = _writer.Commit();
            }
            catch (Exception ex) when (IsDatabaseFailure(ex))
            {
                _writer.TryRollback();
                Fail(operation, ex);
                continue;
            }

            RecordCommit([operation], delta);
            operation.Complete();
        }
    }

    /// <summary>Updates the counters, the cached row counts and the metrics after a commit of <paramref name="operations"/>.</summary>
    private void RecordCommit(List<WriteOperation> operations, StoreCounts delta)
    {
        Interlocked.Add(ref _documentCount, delta.Documents);
        Interlocked.Add(ref _tombstoneCount, delta.Tombstones);
        var writes = operations.Count;
        if (writes == 0)
        {
            return;
        }

        if (_metrics is { StorageEnabled: true } metrics)
        {
            metrics.StorageBatch(writes);
            foreach (var operation in operations)
            {
                metrics.StorageWrite(_timeProvider.GetElapsedTime(operation.EnqueuedAt));
            }
        }

        Interlocked.Increment(ref _committedTransactions);
        Interlocked.Add(ref _committedWrites, writes);
        if (writes > _largestBatch)
        {
            Volatile.Write(ref _largestBatch, writes);
        }
    }

    private void Fail(WriteOperation operation, Exception exception)
    {
        Interlocked.Increment(ref _failedWrites);
        _logger.WriteFailed(operation.Name, operation.Target, exception);
        operation.Fail(exception);
    }

    private void FailAll(List<WriteOperation> operations, Exception exception)
    {
        foreach (var operation in operations)
        {
            Interlocked.Increment(ref _failedWrites);
            operation.Fail(exception);
        }
    }

    /// <summary>Errors that belong to one write or one transaction, not to the writer loop itself.</summary>
    private static bool IsDatabaseFailure(Exception exception) =>
        exception is Microsoft.Data.Sqlite.SqliteException or InvalidDataException or InvalidOperationException or IOException;
}
