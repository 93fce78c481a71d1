using PeatMesh.Topology;

namespace PeatMesh.Tests.Topology;

public class ReconnectionPolicyTests
{
    [Fact]
    public void DelayFor_Default_GrowsExponentiallyWithinJitterAndCaps()
    {
        var policy = ReconnectionPolicy.Default;
        var random = new Random(1);
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var nominal = Math.Min(Math.Pow(2, attempt - 1), 60);
            var delay = policy.DelayFor(attempt, random).TotalSeconds;
            Assert.InRange(delay, nominal * 0.8 - 1e-9, nominal * 1.2 + 1e-9);
        }
    }

    [Fact]
    public void DelayFor_NoJitter_IsExact()
    {
        var policy = new ReconnectionPolicy { Jitter = 0, InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(10) };
        var random = new Random(1);
        Assert.Equal(TimeSpan.FromMilliseconds(100), policy.DelayFor(1, random));
        Assert.Equal(TimeSpan.FromMilliseconds(800), policy.DelayFor(4, random));
        Assert.Equal(TimeSpan.FromSeconds(10), policy.DelayFor(40, random));
        Assert.Equal(TimeSpan.FromSeconds(10), policy.DelayFor(int.MaxValue, random));
    }

    [Fact]
    public void Validate_JitterOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectionPolicy { Jitter = 1.0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectionPolicy { Multiplier = 0.5 }.Validate());
    }
}
