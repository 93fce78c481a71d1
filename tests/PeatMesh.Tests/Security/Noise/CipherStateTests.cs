using System.Security.Cryptography;
using PeatMesh.Security.Noise;

namespace PeatMesh.Tests.Security.Noise;

/// <summary>CipherState rules of Noise rev 34 §5.1 and §12.3, checked against .NET's ChaCha20-Poly1305 directly.</summary>
public class CipherStateTests
{
    private static readonly byte[] Key = TestKeys.Bytes(32, seed: 31);

    [Fact]
    public void EncryptWithAd_Nonce_IsFourZeroBytesThenLittleEndianCounter()
    {
        using var state = new CipherState(Key);
        state.SetNonce(0x0102030405060708);
        var plaintext = "nonce layout"u8.ToArray();
        var ad = "ad"u8.ToArray();
        var actual = new byte[plaintext.Length + 16];

        state.EncryptWithAd(ad, plaintext, actual);

        byte[] nonce = [0, 0, 0, 0, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01];
        using var aead = new ChaCha20Poly1305(Key);
        var expected = new byte[plaintext.Length + 16];
        aead.Encrypt(nonce, plaintext, expected.AsSpan(0, plaintext.Length), expected.AsSpan(plaintext.Length), ad);
        Assert.Equal(expected, actual);
        Assert.Equal(0x0102030405060709UL, state.Nonce);
    }

    [Fact]
    public void EncryptAndDecrypt_ReservedNonce_ThrowsNonceExhausted()
    {
        using var state = new CipherState(Key);
        state.SetNonce(CipherState.ReservedNonce);

        var ex = Assert.Throws<NoiseException>(() => state.EncryptWithAd([], [1, 2, 3], new byte[19]));
        Assert.Equal(NoiseError.NonceExhausted, ex.Error);
        ex = Assert.Throws<NoiseException>(() => state.TryDecryptWithAd([], new byte[19], new byte[3], out _));
        Assert.Equal(NoiseError.NonceExhausted, ex.Error);
    }

    [Fact]
    public void EncryptWithAd_LastUsableNonce_SucceedsThenExhausts()
    {
        using var state = new CipherState(Key);
        state.SetNonce(CipherState.ReservedNonce - 1);

        state.EncryptWithAd([], [1], new byte[17]);

        Assert.Equal(CipherState.ReservedNonce, state.Nonce);
        Assert.Throws<NoiseException>(() => state.EncryptWithAd([], [1], new byte[17]));
    }

    [Fact]
    public void TryDecryptWithAd_AuthenticationFailure_DoesNotAdvanceNonce()
    {
        using var sender = new CipherState(Key);
        using var receiver = new CipherState(Key);
        var message = new byte[5 + 16];
        sender.EncryptWithAd([], "hello"u8, message);
        var tampered = (byte[])message.Clone();
        tampered[0] ^= 1;
        var plaintext = new byte[5];

        Assert.False(receiver.TryDecryptWithAd([], tampered, plaintext, out _));
        Assert.Equal(0UL, receiver.Nonce);
        Assert.False(receiver.TryDecryptWithAd([], message.AsSpan(0, 15), plaintext, out _));
        Assert.True(receiver.TryDecryptWithAd([], message, plaintext, out var written));
        Assert.Equal("hello"u8.ToArray(), plaintext[..written]);
        Assert.Equal(1UL, receiver.Nonce);
        var ex = Assert.Throws<NoiseException>(() => receiver.DecryptWithAd([], message, plaintext));
        Assert.Equal(NoiseError.DecryptionFailed, ex.Error);
    }

    [Fact]
    public void Rekey_Key_BecomesFirst32BytesOfEncryptingZerosAtMaxNonce()
    {
        using var state = new CipherState(Key);
        state.SetNonce(5);

        state.Rekey();

        var maxNonce = new byte[12];
        maxNonce.AsSpan(4).Fill(0xFF);
        var newKey = new byte[32];
        using (var aead = new ChaCha20Poly1305(Key))
        {
            aead.Encrypt(maxNonce, new byte[32], newKey, new byte[16]);
        }

        using var expected = new CipherState(newKey);
        expected.SetNonce(5);
        var a = new byte[20];
        var b = new byte[20];
        state.EncryptWithAd([], [9, 9, 9, 9], a);
        expected.EncryptWithAd([], [9, 9, 9, 9], b);
        Assert.Equal(b, a);
        Assert.Equal(6UL, state.Nonce);
    }

    [Fact]
    public void EncryptWithAd_NoKey_ReturnsPlaintextAndKeepsNonce()
    {
        using var state = new CipherState();
        var output = new byte[3];

        Assert.Equal(3, state.EncryptWithAd([7], [1, 2, 3], output));

        Assert.False(state.HasKey);
        Assert.Equal(new byte[] { 1, 2, 3 }, output);
        Assert.Equal(0UL, state.Nonce);
        Assert.Throws<InvalidOperationException>(state.Rekey);
    }

    [Fact]
    public void Dispose_ThenUse_ThrowsObjectDisposed()
    {
        var state = new CipherState(Key);
        state.Dispose();
        state.Dispose();

        Assert.Throws<ObjectDisposedException>(() => state.EncryptWithAd([], [1], new byte[17]));
        Assert.DoesNotContain("k=", state.ToString());
    }

    [Fact]
    public void InitializeKey_WrongLength_ThrowsArgumentException()
    {
        using var state = new CipherState();
        Assert.Throws<ArgumentException>(() => state.InitializeKey(new byte[31]));
    }
}
