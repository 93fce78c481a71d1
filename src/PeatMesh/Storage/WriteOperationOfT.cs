namespace PeatMesh.Storage;

/// <summary>A <see cref="WriteOperation"/> with a result of type <typeparamref name="TResult"/>.</summary>
/// <remarks>See <see cref="WriteOperation"/>.</remarks>
internal abstract class WriteOperation<TResult> : WriteOperation
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TResult? _result;

    protected WriteOperation(CancellationToken cancellationToken)
        : base(cancellationToken)
    {
    }

    /// <summary>Completes after the operation's transaction committed (or with its failure).</summary>
    public Task<TResult> Task => _completion.Task;

    public sealed override void Execute(SqliteWriter writer, long nowMs) => _result = Apply(writer, nowMs);

    public sealed override void Complete() => _completion.TrySetResult(_result!);

    public sealed override void Fail(Exception exception) => _completion.TrySetException(exception);

    public sealed override void Cancel() => _completion.TrySetCanceled(CancellationToken);

    /// <summary>Does the work with the writer's prepared statements.</summary>
    protected abstract TResult Apply(SqliteWriter writer, long nowMs);
}
