namespace PeatMesh.Storage;

/// <summary>Diagnostic counters of a <see cref="SqliteDocumentStore"/>'s writer since it was opened.</summary>
/// <remarks>An immutable snapshot (thread-safe); each field is read atomically, the set is not one instant.</remarks>
/// <param name="CommittedTransactions">Write transactions committed (one per group commit).</param>
/// <param name="CommittedWrites">Write operations whose transaction committed (any result, e.g. also <see cref="StoreWriteResult.Tombstoned"/>).</param>
/// <param name="FailedWrites">Write operations whose task was faulted by a database error.</param>
/// <param name="FailedTransactions">Transactions rolled back because of an error (the batch was then retried write by write).</param>
/// <param name="LargestBatch">The most write operations committed in one transaction.</param>
/// <param name="BackpressureWaits">Writes that found the write queue full and had to wait for space.</param>
/// <param name="QueuedWrites">Writes waiting in the queue right now (not yet taken by the writer).</param>
public readonly record struct StoreStatistics(
    long CommittedTransactions,
    long CommittedWrites,
    long FailedWrites,
    long FailedTransactions,
    int LargestBatch,
    long BackpressureWaits,
    int QueuedWrites);
