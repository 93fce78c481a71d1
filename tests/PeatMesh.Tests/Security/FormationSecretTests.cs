using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PeatMesh.Security;

namespace PeatMesh.Tests.Security;

public class FormationSecretTests
{
    // A fixed, distinctive secret: 32 bytes 0x00..0x1f.
    private static readonly byte[] SecretBytes = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly string SecretBase64 = Convert.ToBase64String(SecretBytes);

    [Fact]
    public void Parse_StandardBase64_ExposesDecodedBytes()
    {
        using var secret = FormationSecret.Parse(SecretBase64);
        Assert.Equal(32, secret.DecodedLength);
        Assert.Equal(SecretBytes, secret.RawBytes.ToArray());
    }

    [Fact]
    public void Parse_SurroundingWhitespace_IsTrimmed()
    {
        using var secret = FormationSecret.Parse("  \t" + SecretBase64 + "\r\n");
        Assert.Equal(SecretBytes, secret.RawBytes.ToArray());
    }

    [Fact]
    public void Parse_RandomLengths_DecodeLikeConvert()
    {
        var random = new Random(20240601);
        for (var length = 1; length <= 70; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            using var secret = FormationSecret.Parse(Convert.ToBase64String(bytes));
            Assert.Equal(bytes, secret.RawBytes.ToArray());
        }
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   \n", "empty")]
    [InlineData("QUJDREVGR0g", "multiple of 4")]
    [InlineData("QUJDREVGR0gx=", "multiple of 4")]
    [InlineData("QUJD REVGR0g=", "multiple of 4")]
    [InlineData("QUJD\nREVGR0g", "only A-Z")]
    [InlineData("QUJD-_VGR0gx", "only A-Z")]
    [InlineData("QUJDREVGR0gx====", "only A-Z")]
    [InlineData("QU=DREVGR0gx", "only A-Z")]
    [InlineData("A===", "only A-Z")]
    [InlineData("QR==", "canonical")]
    [InlineData("QUJ=", "canonical")]
    public void Parse_InvalidBase64_ThrowsFormatExceptionWithoutEchoingValue(string value, string expectedReason)
    {
        var ex = Assert.Throws<FormatException>(() => FormationSecret.Parse(value));
        Assert.Contains(expectedReason, ex.Message, StringComparison.Ordinal);
        AssertNoFragmentOf(value.Trim(), ex.Message);

        Assert.False(FormationSecret.TryParse(value, out var secret, out var error));
        Assert.Null(secret);
        Assert.Equal(ex.Message, error);
    }

    [Fact]
    public void Parse_TooLong_Refused()
    {
        var value = new string('A', FormationSecret.MaxEncodedLength + 4);
        var ex = Assert.Throws<FormatException>(() => FormationSecret.Parse(value));
        Assert.Contains("too long", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => FormationSecret.Parse(null!));
        Assert.False(FormationSecret.TryParse(null, out _, out var error));
        Assert.Contains("not set", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_Returns32RandomBytesInStandardBase64()
    {
        var a = FormationSecret.Generate();
        var b = FormationSecret.Generate();
        Assert.Equal(44, a.Length);
        Assert.NotEqual(a, b);
        Assert.Equal(32, Convert.FromBase64String(a).Length);
        using var parsed = FormationSecret.Parse(a);
        Assert.Equal(32, parsed.DecodedLength);
    }

    [Fact]
    public void DeriveDeviceKeypair_SameSecretAndHostname_SameDeviceId()
    {
        using var s1 = FormationSecret.Parse(SecretBase64);
        using var s2 = FormationSecret.Parse(SecretBase64);
        using var k1 = s1.DeriveDeviceKeypair("peat-mesh-0");
        using var k2 = s2.DeriveDeviceKeypair("peat-mesh-0");
        Assert.Equal(k1.DeviceId, k2.DeviceId);
        Assert.Equal(k1.PublicKey.ToArray(), k2.PublicKey.ToArray());
    }

    [Fact]
    public void DeriveDeviceKeypair_DifferentHostname_DifferentDeviceId()
    {
        using var secret = FormationSecret.Parse(SecretBase64);
        using var k0 = secret.DeriveDeviceKeypair("peat-mesh-0");
        using var k1 = secret.DeriveDeviceKeypair("peat-mesh-1");
        Assert.NotEqual(k0.DeviceId, k1.DeviceId);
    }

    [Fact]
    public void DeriveDeviceKeypair_DifferentSecret_DifferentDeviceId()
    {
        using var s1 = FormationSecret.Parse(SecretBase64);
        using var s2 = FormationSecret.Parse(FormationSecret.Generate());
        using var k1 = s1.DeriveDeviceKeypair("peat-mesh-0");
        using var k2 = s2.DeriveDeviceKeypair("peat-mesh-0");
        Assert.NotEqual(k1.DeviceId, k2.DeviceId);
    }

    [Theory]
    [InlineData(32, "peat-mesh-0")]
    [InlineData(32, "peat-mesh-1")]
    [InlineData(16, "laptop.local")]
    [InlineData(48, "pi-ünïcode")]
    public void DeriveDeviceKeypair_MatchesIndependentHkdfAndLibsodium(int secretLength, string hostname)
    {
        var random = new Random(secretLength * 7919);
        var raw = new byte[secretLength];
        random.NextBytes(raw);

        // Decision 1, computed independently: seed = HKDF-SHA256(salt none, ikm raw, info hostname, L 32);
        // pk from libsodium directly; device_id = lowercase hex of SHA-256(pk)[0..16].
        var seed = HKDF.DeriveKey(HashAlgorithmName.SHA256, raw, 32, [], Encoding.UTF8.GetBytes(hostname));
        var publicKey = IndependentSodium.PublicKeyFromSeed(seed);
        var expectedId = Convert.ToHexStringLower(SHA256.HashData(publicKey)[..16]);

        using var secret = FormationSecret.Parse(Convert.ToBase64String(raw));
        using var keypair = secret.DeriveDeviceKeypair(hostname);
        Assert.Equal(publicKey, keypair.PublicKey.ToArray());
        Assert.Equal(expectedId, keypair.DeviceId.ToString());
        Assert.Matches(new Regex("^[0-9a-f]{32}$"), keypair.DeviceId.ToString());

        var signature = keypair.Sign("hello"u8);
        Assert.True(Ed25519.Verify(publicKey, "hello"u8, signature));
    }

    [Fact]
    public void DeriveKeypair_ContextLabel_EqualsDeviceKeypairDerivation()
    {
        using var secret = FormationSecret.Parse(SecretBase64);
        using var viaHost = secret.DeriveDeviceKeypair("peat-mesh-0");
        using var viaContext = secret.DeriveKeypair("peat-mesh-0");
        using var authority = secret.DeriveKeypair("peat-mesh:authority-keypair");
        Assert.Equal(viaHost.DeviceId, viaContext.DeviceId);
        Assert.NotEqual(viaHost.DeviceId, authority.DeviceId);
    }

    [Fact]
    public void DeriveDeviceKeypair_EmptyHostname_Throws()
    {
        using var secret = FormationSecret.Parse(SecretBase64);
        Assert.Throws<ArgumentException>(() => secret.DeriveDeviceKeypair(""));
        Assert.Throws<ArgumentNullException>(() => secret.DeriveDeviceKeypair(null!));
    }

    [Fact]
    public void DeriveNoisePsk_MatchesIndependentHkdf()
    {
        using var secret = FormationSecret.Parse(SecretBase64);
        var expected = HKDF.DeriveKey(HashAlgorithmName.SHA256, SecretBytes, 32, [], "peat-mesh:noise-psk/1"u8.ToArray());
        Assert.Equal(expected, secret.DeriveNoisePsk());

        var span = new byte[32];
        secret.DeriveNoisePsk(span);
        Assert.Equal(expected, span);
        Assert.Throws<ArgumentException>(() => secret.DeriveNoisePsk(new byte[31]));
    }

    [Fact]
    public void DeriveNoisePsk_DiffersFromDeviceSeed()
    {
        using var secret = FormationSecret.Parse(SecretBase64);
        var deviceSeed = HKDF.DeriveKey(HashAlgorithmName.SHA256, SecretBytes, 32, [], "peat-mesh-0"u8.ToArray());
        Assert.NotEqual(deviceSeed, secret.DeriveNoisePsk());
    }

    [Fact]
    public void CreateFormationKey_EqualsFormationKeyFromBase64()
    {
        var base64 = Convert.ToBase64String(new byte[] { 1, 2, 3, 4, 5 });
        using var secret = FormationSecret.Parse(base64);
        using var fromSecret = secret.CreateFormationKey("peat");
        using var fromBase64 = FormationKey.FromBase64("peat", base64);
        var challenge = fromBase64.CreateChallenge();
        Assert.True(fromBase64.VerifyResponse(challenge, fromSecret.RespondToChallenge(challenge)));
    }

    [Fact]
    public void ToString_IsRedacted()
    {
        using var secret = FormationSecret.Parse(SecretBase64);
        var text = secret.ToString();
        Assert.Contains("redacted", text, StringComparison.Ordinal);
        AssertNoFragmentOf(SecretBase64, text);
        Assert.DoesNotContain(Convert.ToHexString(SecretBytes[..4]), text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Dispose_ZeroesSecretAndBlocksDerivation()
    {
        var secret = FormationSecret.Parse(SecretBase64);
        var field = typeof(FormationSecret).GetField("_raw", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance);
        Assert.NotNull(field);
        var raw = (byte[])field.GetValue(secret)!;
        Assert.Contains(raw, b => b != 0);

        secret.Dispose();
        secret.Dispose();
        Assert.All(raw, b => Assert.Equal(0, b));
        Assert.Throws<ObjectDisposedException>(() => secret.DeriveNoisePsk());
        Assert.Throws<ObjectDisposedException>(() => secret.DeriveDeviceKeypair("peat-mesh-0"));
        Assert.Throws<ObjectDisposedException>(() => secret.CreateFormationKey("peat"));
    }

    [Fact]
    public void FromEnvironment_UnsetInvalidAndValid_BehaveAndNeverEchoValue()
    {
        var previous = Environment.GetEnvironmentVariable(FormationSecret.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(FormationSecret.EnvironmentVariable, null);
            var unset = Assert.Throws<InvalidOperationException>(FormationSecret.FromEnvironment);
            Assert.Contains(FormationSecret.EnvironmentVariable, unset.Message, StringComparison.Ordinal);

            const string invalid = "c2VjcmV0LXZhbHVlLXRoYXQ-bXVzdC1ub3QtbGVhaw=";
            Environment.SetEnvironmentVariable(FormationSecret.EnvironmentVariable, invalid);
            var bad = Assert.Throws<InvalidOperationException>(FormationSecret.FromEnvironment);
            Assert.Contains(FormationSecret.EnvironmentVariable, bad.Message, StringComparison.Ordinal);
            AssertNoFragmentOf(invalid, bad.Message);

            Environment.SetEnvironmentVariable(FormationSecret.EnvironmentVariable, SecretBase64);
            using var secret = FormationSecret.FromEnvironment();
            Assert.Equal(SecretBytes, secret.RawBytes.ToArray());
        }
        finally
        {
            Environment.SetEnvironmentVariable(FormationSecret.EnvironmentVariable, previous);
        }
    }

    /// <summary>No 6-character run of the secret may appear in the text.</summary>
    private static void AssertNoFragmentOf(string secret, string text)
    {
        for (var i = 0; i + 6 <= secret.Length; i++)
        {
            var fragment = secret.Substring(i, 6);
            Assert.False(text.Contains(fragment, StringComparison.Ordinal), $"message leaks a fragment of the value at offset {i}");
        }
    }
}
