using PeatMesh.Security.Noise;

namespace PeatMesh.Tests.Security.Noise;

/// <summary>Pattern names, psk modifiers (rev 34 §9.2) and protocol names (§8).</summary>
public class HandshakePatternTests
{
    [Fact]
    public void Parse_XXpsk3_AppendsPskToTheThirdMessage()
    {
        var pattern = HandshakePattern.Parse("XXpsk3");

        Assert.Equal("XX", pattern.BaseName);
        Assert.Equal(1, pattern.PskCount);
        Assert.False(pattern.IsOneWay);
        Assert.Equal(["-> e", "<- e, ee, s, es", "-> s, se, psk"], pattern.Messages.Select(m => m.ToString()));
    }

    [Fact]
    public void Parse_Psk0AndPsk2_PrependsToFirstAndAppendsToSecond()
    {
        var pattern = HandshakePattern.Parse("NNpsk0+psk2");

        Assert.Equal(2, pattern.PskCount);
        Assert.Equal(["-> psk, e", "<- e, ee, psk"], pattern.Messages.Select(m => m.ToString()));
    }

    [Fact]
    public void Parse_OneWayAndPreMessages_AreReported()
    {
        var k = HandshakePattern.Parse("K");
        var ik = HandshakePattern.Parse("IK");

        Assert.True(k.IsOneWay);
        Assert.Equal([NoiseToken.S], k.InitiatorPreMessage.ToArray());
        Assert.Equal([NoiseToken.S], k.ResponderPreMessage.ToArray());
        Assert.False(ik.IsOneWay);
        Assert.Empty(ik.InitiatorPreMessage);
        Assert.Equal([NoiseToken.S], ik.ResponderPreMessage.ToArray());
        Assert.Contains("...", ik.ToString());
    }

    [Fact]
    public void SupportedBaseNames_IncludeAllFundamentalAndDeferredPatterns()
    {
        var names = HandshakePattern.SupportedBaseNames.ToHashSet();

        string[] fundamental = ["N", "K", "X", "NN", "NK", "NX", "KN", "KK", "KX", "XN", "XK", "XX", "IN", "IK", "IX"];
        Assert.All(fundamental, n => Assert.Contains(n, names));
        Assert.Equal(15 + 23, names.Count);
    }

    [Theory]
    [InlineData("XXpsk4", typeof(FormatException))]
    [InlineData("XXpsk", typeof(FormatException))]
    [InlineData("XXpsk01", typeof(FormatException))]
    [InlineData("XXpsk1+psk1", typeof(FormatException))]
    [InlineData("XXpsk1+fallback", typeof(FormatException))]
    [InlineData("XXfallback", typeof(NotSupportedException))]
    [InlineData("ZZ", typeof(NotSupportedException))]
    [InlineData("", typeof(NotSupportedException))]
    public void Parse_InvalidName_Throws(string name, Type expected)
    {
        var ex = Record.Exception(() => HandshakePattern.Parse(name));
        Assert.IsType(expected, ex);
    }

    [Fact]
    public void FromProtocolName_Supported_ReturnsPatternAndRoundTrips()
    {
        var pattern = HandshakePattern.FromProtocolName("Noise_XXpsk3_25519_ChaChaPoly_SHA256");

        Assert.Equal("XXpsk3", pattern.Name);
        Assert.Equal("Noise_XXpsk3_25519_ChaChaPoly_SHA256", pattern.ProtocolName);
    }

    [Theory]
    [InlineData("Noise_XX_448_ChaChaPoly_SHA256", typeof(NotSupportedException))]
    [InlineData("Noise_XX_25519_AESGCM_SHA256", typeof(NotSupportedException))]
    [InlineData("Noise_XX_25519_ChaChaPoly_BLAKE2s", typeof(NotSupportedException))]
    [InlineData("NoisePSK_XX_25519_ChaChaPoly_SHA256", typeof(FormatException))]
    [InlineData("Noise__25519_ChaChaPoly_SHA256", typeof(FormatException))]
    [InlineData("Noise_X_X_25519_ChaChaPoly_SHA256", typeof(FormatException))]
    public void FromProtocolName_Unsupported_Throws(string name, Type expected)
    {
        var ex = Record.Exception(() => HandshakePattern.FromProtocolName(name));
        Assert.IsType(expected, ex);
    }
}
