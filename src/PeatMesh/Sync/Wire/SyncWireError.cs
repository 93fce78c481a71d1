namespace PeatMesh.Sync.Wire;

/// <summary>Why sync wire bytes were refused (see <see cref="SyncWireException"/>).</summary>
public enum SyncWireError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The input ended inside a field (complete-buffer decoders only; the frame reader waits instead).</summary>
    Truncated,

    /// <summary>Bytes follow the end of a complete structure.</summary>
    TrailingBytes,

    /// <summary>A doc_key is longer than <see cref="SyncFrameLimits.MaxDocKeyBytes"/>.</summary>
    DocKeyTooLong,

    /// <summary>A string field is not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>The message type is reserved (0x02 WindowedHistory or 0x03 in frames; 0x03 in entries).</summary>
    ReservedMessageType,

    /// <summary>The message type byte is not defined, or not allowed in this position.</summary>
    UnknownMessageType,

    /// <summary>A payload is longer than <see cref="SyncFrameLimits.MaxPayloadBytes"/>.</summary>
    PayloadTooLarge,

    /// <summary>A tombstone's collection or document id breaks the <c>DocumentKey</c> rules.</summary>
    InvalidDocumentKey,

    /// <summary>A tombstone's direction byte is not 0x00–0x03.</summary>
    InvalidDirection,

    /// <summary>A millisecond timestamp is beyond what <see cref="DateTimeOffset"/> represents (after year 9999).</summary>
    TimestampOutOfRange,

    /// <summary>An item count exceeds its bound or cannot fit in the remaining bytes.</summary>
    TooManyItems,

    /// <summary>A length-prefixed item's length is shorter than its minimum size or runs past the input.</summary>
    InvalidItemLength,
}
