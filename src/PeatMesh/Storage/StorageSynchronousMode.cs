namespace PeatMesh.Storage;

/// <summary>The SQLite <c>synchronous</c> setting used by the store's writer (SQLite "PRAGMA synchronous").</summary>
public enum StorageSynchronousMode
{
    /// <summary>
    /// <c>FULL</c>: every commit syncs the write-ahead log to the device before the write completes, so an
    /// acknowledged write survives process kill and power loss. The default.
    /// </summary>
    Full = 0,

    /// <summary>
    /// <c>NORMAL</c>: in WAL mode commits reach the OS but the log is only synced at checkpoints, so an
    /// acknowledged write survives a process kill (<c>kill -9</c>) but may be lost on power loss or an OS crash.
    /// Faster on slow disks.
    /// </summary>
    Normal = 1,
}
