using PeatMesh.Discovery.Mdns;

namespace PeatMesh.Tests.Discovery.Mdns;

public class MdnsOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = new MdnsOptions();

        Assert.True(new MdnsOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(("_peat._udp", "local", 5353), (options.ServiceType, options.Domain, options.Port));
        Assert.Equal((TimeSpan.FromSeconds(120), TimeSpan.FromMinutes(75)), (options.HostRecordTtl, options.OtherRecordTtl));
    }

    public static TheoryData<string, Action<MdnsOptions>> Invalid() => new()
    {
        { "ServiceType", o => o.ServiceType = "peat._udp" },
        { "ServiceType", o => o.ServiceType = "_peat._sctp" },
        { "ServiceType", o => o.ServiceType = "_a-very-long-name._udp" },
        { "ServiceType", o => o.ServiceType = "_123._udp" },
        { "ServiceType", o => o.ServiceType = "_-peat._udp" },
        { "Domain", o => o.Domain = "" },
        { "Domain", o => o.Domain = "a..b" },
        { "Interfaces", o => o.Interfaces = [" "] },
        { "HostRecordTtl", o => o.HostRecordTtl = TimeSpan.Zero },
        { "HostRecordTtl", o => o.HostRecordTtl = TimeSpan.FromMilliseconds(1500) },
        { "OtherRecordTtl", o => o.OtherRecordTtl = TimeSpan.FromDays(2) },
        { "AnnounceCount", o => o.AnnounceCount = 1 },
        { "AnnounceCount", o => o.AnnounceCount = 9 },
        { "AnnounceInterval", o => o.AnnounceInterval = TimeSpan.FromMilliseconds(500) },
        { "InitialQueryInterval", o => o.InitialQueryInterval = TimeSpan.FromMilliseconds(999) },
        { "MaxQueryInterval", o => o.MaxQueryInterval = TimeSpan.FromMilliseconds(500) },
        { "MaxQueryInterval", o => o.MaxQueryInterval = TimeSpan.FromHours(2) },
        { "MaxCachedRecords", o => o.MaxCachedRecords = 15 },
        { "Port", o => o.Port = 0 },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_BadValue_FailsNamingTheSetting(string setting, Action<MdnsOptions> change)
    {
        var options = new MdnsOptions();
        change(options);

        var result = new MdnsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Mdns:" + setting, result.FailureMessage, StringComparison.Ordinal);
        var thrown = Assert.Throws<ArgumentException>(() => new MdnsDiscovery(options, TimeProvider.System));
        Assert.Contains("Mdns:" + setting, thrown.Message, StringComparison.Ordinal);
    }
}
