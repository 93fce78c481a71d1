namespace PeatMesh.Storage;

/// <summary>
/// One queued write: executed by the writer loop inside a group-commit transaction, then completed (after
/// the commit), failed (database error) or cancelled (token fired before it ran).
/// </summary>
/// <remarks>
/// Executed only by the writer loop; completion methods may race with nothing else. The caller awaits
/// the task exposed by <see cref="WriteOperation{TResult}"/>, whose continuations run asynchronously
/// (never on the writer loop).
/// </remarks>
internal abstract class WriteOperation
{
    protected WriteOperation(CancellationToken cancellationToken)
    {
        CancellationToken = cancellationToken;
    }

    /// <summary>When the write was queued (a <see cref="TimeProvider.GetTimestamp"/> value), for the write-latency histogram.</summary>
    public long EnqueuedAt { get; set; }

    /// <summary>The caller's token: if it fires before execution the write is skipped.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Operation name for logs ("append", "replace", ...).</summary>
    public abstract string Name { get; }

    /// <summary>What the operation writes, for logs (a document key or meta key; never bytes).</summary>
    public abstract string Target { get; }

    /// <summary>Runs the operation inside the open transaction and keeps its result until <see cref="Complete"/>.</summary>
    public abstract void Execute(SqliteWriter writer, long nowMs);

    /// <summary>Reports the kept result (call after the commit).</summary>
    public abstract void Complete();

    /// <summary>Faults the caller's task.</summary>
    public abstract void Fail(Exception exception);

    /// <summary>Cancels the caller's task (the operation was never executed or its work was not committed).</summary>
    public abstract void Cancel();
}
