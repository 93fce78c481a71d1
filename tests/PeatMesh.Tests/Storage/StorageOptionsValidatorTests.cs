using PeatMesh.Storage;

namespace PeatMesh.Tests.Storage;

public class StorageOptionsValidatorTests
{
    private static readonly StorageOptionsValidator Validator = new();

    [Fact]
    public void Validate_DefaultsWithDataDirectory_Succeeds()
    {
        var result = Validator.Validate(null, new StorageOptions { DataDirectory = "/var/lib/peat" });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new StorageOptions();

        Assert.Equal(1024, options.WriteQueueCapacity);
        Assert.Equal(256, options.MaxBatchSize);
        Assert.Equal(64 * 1024 * 1024, options.MaxDocumentBytes);
        Assert.Equal(StorageSynchronousMode.Full, options.Synchronous);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BusyTimeout);
    }

    public static TheoryData<string, Action<StorageOptions>> InvalidCases => new()
    {
        { "DataDirectory", o => o.DataDirectory = "" },
        { "DataDirectory", o => o.DataDirectory = "  " },
        { "DataDirectory", o => o.DataDirectory = "a\0b" },
        { "WriteQueueCapacity", o => o.WriteQueueCapacity = 0 },
        { "WriteQueueCapacity", o => o.WriteQueueCapacity = 1_000_001 },
        { "MaxBatchSize", o => o.MaxBatchSize = 0 },
        { "MaxBatchSize", o => o.MaxBatchSize = 100_001 },
        { "Synchronous", o => o.Synchronous = (StorageSynchronousMode)5 },
        { "MaxDocumentBytes", o => o.MaxDocumentBytes = 0 },
        { "MaxDocumentBytes", o => o.MaxDocumentBytes = 1_000_000_001 },
        { "BusyTimeout", o => o.BusyTimeout = TimeSpan.Zero },
        { "BusyTimeout", o => o.BusyTimeout = TimeSpan.FromMilliseconds(999) },
        { "BusyTimeout", o => o.BusyTimeout = TimeSpan.FromHours(2) },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Validate_OutOfRangeSetting_FailsNamingIt(string setting, Action<StorageOptions> breakIt)
    {
        var options = new StorageOptions { DataDirectory = "/data" };
        breakIt(options);

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains(setting));
    }
}
