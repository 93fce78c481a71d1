namespace PeatMesh.Sync.Wire;

/// <summary>
/// Sync wire bytes were malformed or exceeded a limit. The stream that carried them cannot be
/// resynchronised and should be closed.
/// </summary>
/// <remarks>Derives from <see cref="IOException"/>, which stream
/// readers already handle. Messages never echo payload bytes.</remarks>
public sealed class SyncWireException : IOException
{
    /// <summary>Creates an exception with the standard message for <paramref name="error"/>.</summary>
    public SyncWireException(SyncWireError error)
        : base(Describe(error))
    {
        Error = error;
    }

    /// <summary>Creates an exception with a specific message.</summary>
    public SyncWireException(SyncWireError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>Creates an exception of kind <see cref="SyncWireError.None"/> (for serializers and tooling).</summary>
    public SyncWireException()
    {
    }

    /// <summary>Creates an exception of kind <see cref="SyncWireError.None"/> with a message.</summary>
    public SyncWireException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception of kind <see cref="SyncWireError.None"/> wrapping another.</summary>
    public SyncWireException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What was wrong.</summary>
    public SyncWireError Error { get; }

    /// <summary>A one-line description of <paramref name="error"/>.</summary>
    public static string Describe(SyncWireError error) => error switch
    {
        SyncWireError.None => "No error.",
        SyncWireError.Truncated => "Sync wire data is truncated.",
        SyncWireError.TrailingBytes => "Sync wire data has unexpected trailing bytes.",
        SyncWireError.DocKeyTooLong => "Sync doc_key exceeds the configured maximum length.",
        SyncWireError.InvalidUtf8 => "Sync wire string is not valid UTF-8.",
        SyncWireError.ReservedMessageType => "Sync message type is reserved (0x02 WindowedHistory / 0x03) and not accepted here.",
        SyncWireError.UnknownMessageType => "Sync message type is unknown or not allowed here.",
        SyncWireError.PayloadTooLarge => "Sync payload exceeds the configured maximum length.",
        SyncWireError.InvalidDocumentKey => "Tombstone collection or document id is not a valid document key.",
        SyncWireError.InvalidDirection => "Tombstone direction byte is not 0x00-0x03.",
        SyncWireError.TimestampOutOfRange => "Millisecond timestamp is out of range.",
        SyncWireError.TooManyItems => "Item count exceeds its bound or the remaining bytes.",
        SyncWireError.InvalidItemLength => "Item length is invalid.",
        _ => "Sync wire data is invalid.",
    };
}
