using System.Security.Cryptography;

namespace PeatMesh.Tests.Security.Conformance;

/// <summary>
/// Wycheproof chacha20_poly1305_test.json against .NET's <see cref="ChaCha20Poly1305"/>: valid cases encrypt to
/// the expected ciphertext and tag and decrypt back; invalid cases are rejected. Nonces other than 12 bytes are
/// refused by .NET with an <see cref="ArgumentException"/>, which counts as a rejection.
/// </summary>
public class WycheproofChaCha20Poly1305Tests
{
    [Fact]
    public void EncryptDecrypt_AllWycheproofCases_ValidRoundTripInvalidRejected()
    {
        using var doc = VectorFile.Load("wycheproof", "chacha20_poly1305_test.json");
        var failures = new List<string>();
        int valid = 0, invalid = 0, badNonce = 0;
        foreach (var (_, test) in VectorFile.WycheproofTests(doc))
        {
            var key = test.Hex("key");
            var nonce = test.Hex("iv");
            var aad = test.Hex("aad");
            var msg = test.Hex("msg");
            var ct = test.Hex("ct");
            var tag = test.Hex("tag");
            using var aead = new ChaCha20Poly1305(key);

            if (test.Str("result") == "valid")
            {
                valid++;
                var producedCt = new byte[msg.Length];
                var producedTag = new byte[16];
                aead.Encrypt(nonce, msg, producedCt, producedTag, aad);
                var decrypted = new byte[ct.Length];
                aead.Decrypt(nonce, ct, tag, decrypted, aad);
                if (!producedCt.AsSpan().SequenceEqual(ct) || !producedTag.AsSpan().SequenceEqual(tag) || !decrypted.AsSpan().SequenceEqual(msg))
                {
                    failures.Add("valid case mismatch: " + test.Describe());
                }

                continue;
            }

            invalid++;
            try
            {
                var plaintext = new byte[ct.Length];
                aead.Decrypt(nonce, ct, tag.Length == 16 ? tag : new byte[16], plaintext, aad);
                failures.Add("invalid case decrypted: " + test.Describe());
            }
            catch (AuthenticationTagMismatchException)
            {
                // Rejected by the tag check.
            }
            catch (ArgumentException) when (nonce.Length != 12)
            {
                badNonce++;
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(VectorFile.NumberOfTests(doc), valid + invalid);
        Assert.True(badNonce > 0, "expected nonce-size cases");
    }
}
