namespace PeatMesh.Storage;

/// <summary>Classifies a <see cref="StorageException"/>.</summary>
public enum StorageErrorCode
{
    /// <summary>The database file could not be opened or created (permissions, missing volume, not a regular file).</summary>
    CannotOpen = 0,

    /// <summary>The database file is damaged or is not an SQLite database.</summary>
    Corrupt = 1,

    /// <summary>The file is an SQLite database written by something other than PeatMesh.</summary>
    NotPeatMeshDatabase = 2,

    /// <summary>The database was written by a newer PeatMesh with a schema version this build does not know.</summary>
    UnsupportedSchemaVersion = 3,

    /// <summary>SQLite refused to switch the database to write-ahead-log mode (e.g. the file system lacks shared memory).</summary>
    WalUnavailable = 4,
}
