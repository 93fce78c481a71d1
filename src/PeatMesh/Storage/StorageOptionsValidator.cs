using Microsoft.Extensions.Options;

namespace PeatMesh.Storage;

/// <summary>Validates <see cref="StorageOptions"/> (register with <c>ValidateOnStart</c>).</summary>
/// <remarks>Stateless; thread-safe.</remarks>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    /// <summary>Largest allowed <see cref="StorageOptions.WriteQueueCapacity"/>.</summary>
    public const int MaxWriteQueueCapacity = 1_000_000;

    /// <summary>Largest allowed <see cref="StorageOptions.MaxBatchSize"/>.</summary>
    public const int MaxMaxBatchSize = 100_000;

    /// <summary>Smallest allowed <see cref="StorageOptions.BusyTimeout"/>: 1 second.</summary>
    public static readonly TimeSpan MinBusyTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Largest allowed <see cref="StorageOptions.BusyTimeout"/>: 1 hour.</summary>
    public static readonly TimeSpan MaxBusyTimeout = TimeSpan.FromHours(1);

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("Storage:DataDirectory is required (the node sets it from PEAT_DATA_DIR).");
        }
        else if (options.DataDirectory.Contains('\0', StringComparison.Ordinal))
        {
            failures.Add("Storage:DataDirectory contains a NUL character.");
        }

        if (options.WriteQueueCapacity is < 1 or > MaxWriteQueueCapacity)
        {
            failures.Add($"Storage:WriteQueueCapacity must be 1-{MaxWriteQueueCapacity}, got {options.WriteQueueCapacity}.");
        }

        if (options.MaxBatchSize is < 1 or > MaxMaxBatchSize)
        {
            failures.Add($"Storage:MaxBatchSize must be 1-{MaxMaxBatchSize}, got {options.MaxBatchSize}.");
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            failures.Add($"Storage:Synchronous must be Full or Normal, got {(int)options.Synchronous}.");
        }

        if (options.MaxDocumentBytes is < 1 or > StorageOptions.MaxDocumentBytesLimit)
        {
            failures.Add($"Storage:MaxDocumentBytes must be 1-{StorageOptions.MaxDocumentBytesLimit} bytes, got {options.MaxDocumentBytes}.");
        }

        if (options.BusyTimeout < MinBusyTimeout || options.BusyTimeout > MaxBusyTimeout)
        {
            failures.Add($"Storage:BusyTimeout must be between {MinBusyTimeout} and {MaxBusyTimeout}, got {options.BusyTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
