using PeatMesh.Security;
using PeatMesh.Security.Noise;

namespace PeatMesh.Tests.Security.Noise;

/// <summary>Validation and redaction of <see cref="SecureChannelOptions"/>.</summary>
public class SecureChannelOptionsTests
{
    private static readonly DeviceKeypair Identity = TestKeys.Identity(seed: 201);

    [Fact]
    public void Validate_Defaults_AcceptsAndUsesTenSecondTimeout()
    {
        var options = new SecureChannelOptions { Identity = Identity, PreSharedKey = TestKeys.Psk(3) };

        options.Validate();

        Assert.Equal(TimeSpan.FromSeconds(10), options.HandshakeTimeout);
        Assert.Same(TimeProvider.System, options.TimeProvider);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Validate_PskOfWrongLength_ThrowsNamingThePsk(int length)
    {
        var options = new SecureChannelOptions { Identity = Identity, PreSharedKey = new byte[length] };

        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal("PreSharedKey", ex.ParamName);
        Assert.Contains("32 bytes", ex.Message);
    }

    [Fact]
    public void Validate_AllZeroPsk_Throws()
    {
        var options = new SecureChannelOptions { Identity = Identity, PreSharedKey = new byte[32] };
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("all zeros", ex.Message);
    }

    [Fact]
    public void Validate_NullIdentity_Throws()
    {
        var options = new SecureChannelOptions { Identity = null!, PreSharedKey = TestKeys.Psk(3) };
        Assert.Equal("Identity", Assert.Throws<ArgumentException>(options.Validate).ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Validate_NonPositiveTimeout_Throws(int milliseconds)
    {
        var options = new SecureChannelOptions { Identity = Identity, PreSharedKey = TestKeys.Psk(3), HandshakeTimeout = TimeSpan.FromMilliseconds(milliseconds) };
        Assert.Equal("HandshakeTimeout", Assert.Throws<ArgumentException>(options.Validate).ParamName);
    }

    [Fact]
    public void Validate_InfiniteTimeout_Accepted()
    {
        var options = new SecureChannelOptions { Identity = Identity, PreSharedKey = TestKeys.Psk(3), HandshakeTimeout = Timeout.InfiniteTimeSpan };
        options.Validate();
    }

    [Fact]
    public async Task ConnectAsync_InvalidOptions_ThrowsBeforeTouchingTheStream()
    {
        var stream = new MemoryStream();
        var options = new SecureChannelOptions { Identity = Identity, PreSharedKey = new byte[5] };

        await Assert.ThrowsAsync<ArgumentException>(() => SecureChannel.ConnectAsync(stream, options));

        Assert.True(stream.CanWrite, "stream was disposed");
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void ToString_RedactsThePsk()
    {
        var psk = TestKeys.Psk(3);
        var text = new SecureChannelOptions { Identity = Identity, PreSharedKey = psk }.ToString();

        Assert.Contains("redacted", text);
        Assert.Contains(Identity.DeviceId.ToString(), text);
        Assert.DoesNotContain(Convert.ToHexString(psk)[..8], text, StringComparison.OrdinalIgnoreCase);
    }
}
