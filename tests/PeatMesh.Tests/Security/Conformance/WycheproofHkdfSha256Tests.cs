using System.Security.Cryptography;

namespace PeatMesh.Tests.Security.Conformance;

/// <summary>Wycheproof hkdf_sha256_test.json against .NET's <see cref="HKDF"/>: valid cases match the OKM;
/// invalid ones (output longer than 255 × 32 bytes) are refused with an exception.</summary>
public class WycheproofHkdfSha256Tests
{
    [Fact]
    public void DeriveKey_AllWycheproofCases_ValidMatchInvalidRefused()
    {
        using var doc = VectorFile.Load("wycheproof", "hkdf_sha256_test.json");
        var failures = new List<string>();
        int valid = 0, invalid = 0;
        foreach (var (_, test) in VectorFile.WycheproofTests(doc))
        {
            var ikm = test.Hex("ikm");
            var salt = test.Hex("salt");
            var info = test.Hex("info");
            var size = test.GetProperty("size").GetInt32();
            if (test.Str("result") == "valid")
            {
                valid++;
                var okm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, size, salt, info);
                if (!okm.AsSpan().SequenceEqual(test.Hex("okm")))
                {
                    failures.Add("valid case mismatch: " + test.Describe());
                }

                continue;
            }

            invalid++;
            try
            {
                HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, size, salt, info);
                failures.Add("invalid case produced output: " + test.Describe());
            }
            catch (ArgumentOutOfRangeException)
            {
                // Refused: L > 255 * HashLen (RFC 5869 §2.3).
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(VectorFile.NumberOfTests(doc), valid + invalid);
        Assert.True(invalid > 0, "expected invalid cases");
    }
}
