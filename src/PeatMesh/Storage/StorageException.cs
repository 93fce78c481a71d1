namespace PeatMesh.Storage;

/// <summary>A storage failure a caller can act on (raised when opening a store), classified by <see cref="Code"/>.</summary>
/// <remarks>
/// Derives from <see cref="IOException"/> so callers that already handle I/O failures catch it. The message
/// names the database path and what was found; it never contains document bytes. Thread-safe (immutable).
/// </remarks>
public sealed class StorageException : IOException
{
    /// <summary>Creates an exception with a code and message.</summary>
    public StorageException(StorageErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Creates an exception with a code, message and the underlying cause.</summary>
    public StorageException(StorageErrorCode code, string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>Creates an exception with code <see cref="StorageErrorCode.CannotOpen"/>.</summary>
    public StorageException()
        : this(StorageErrorCode.CannotOpen, "The storage operation failed.")
    {
    }

    /// <summary>Creates an exception with code <see cref="StorageErrorCode.CannotOpen"/> and a message.</summary>
    public StorageException(string message)
        : this(StorageErrorCode.CannotOpen, message)
    {
    }

    /// <summary>Creates an exception with code <see cref="StorageErrorCode.CannotOpen"/>, a message and a cause.</summary>
    public StorageException(string message, Exception? innerException)
        : this(StorageErrorCode.CannotOpen, message, innerException)
    {
    }

    /// <summary>What went wrong.</summary>
    public StorageErrorCode Code { get; }
}
