namespace PeatMesh.Sync.Wire;

/// <summary>
/// Bounds a receiver applies to sync frames and batch entries before allocating anything for them.
/// </summary>
/// <remarks>Immutable after initialisation; thread-safe. Use <see cref="Default"/> unless a test or
/// a constrained device needs tighter bounds.</remarks>
public sealed class SyncFrameLimits
{
    /// <summary>Default <see cref="MaxDocKeyBytes"/>: 1,024 bytes.</summary>
    public const int DefaultMaxDocKeyBytes = 1024;

    /// <summary>Default <see cref="MaxPayloadBytes"/>: 16 MiB (16,777,216 bytes).</summary>
    public const int DefaultMaxPayloadBytes = 16 * 1024 * 1024;

    private readonly int _maxDocKeyBytes = DefaultMaxDocKeyBytes;
    private readonly int _maxPayloadBytes = DefaultMaxPayloadBytes;

    /// <summary>The default limits (1,024-byte doc keys, 16 MiB payloads).</summary>
    public static SyncFrameLimits Default { get; } = new();

    /// <summary>
    /// Longest accepted doc_key in UTF-8 bytes. Defaults to 1,024: a <c>collection:id</c> key is at most
    /// 64 + 1 + 256 characters, and tombstone keys add an 11-byte prefix. Range 1–65,535 (the u16 field).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1–65,535.</exception>
    public int MaxDocKeyBytes
    {
        get => _maxDocKeyBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, ushort.MaxValue);
            _maxDocKeyBytes = value;
        }
    }

    /// <summary>
    /// Longest accepted payload in bytes. Defaults to 16 MiB: large enough for document snapshots of
    /// realistic size, small enough that a peer cannot make us buffer gigabytes. Range 0–<see cref="Array.MaxLength"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above <see cref="Array.MaxLength"/>.</exception>
    public int MaxPayloadBytes
    {
        get => _maxPayloadBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Array.MaxLength);
            _maxPayloadBytes = value;
        }
    }

    /// <summary>Describes the limits.</summary>
    public override string ToString() => $"SyncFrameLimits(MaxDocKeyBytes={MaxDocKeyBytes}, MaxPayloadBytes={MaxPayloadBytes})";
}
