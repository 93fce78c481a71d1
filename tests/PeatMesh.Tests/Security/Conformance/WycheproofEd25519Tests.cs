using PeatMesh.Security;

namespace PeatMesh.Tests.Security.Conformance;

/// <summary>Wycheproof ed25519_test.json: every "valid" signature verifies, every "invalid" one is rejected.</summary>
public class WycheproofEd25519Tests
{
    [Fact]
    public void Verify_AllWycheproofCases_ValidAcceptedInvalidRejected()
    {
        using var doc = VectorFile.Load("wycheproof", "ed25519_test.json");
        var failures = new List<string>();
        int valid = 0, invalid = 0;
        foreach (var (group, test) in VectorFile.WycheproofTests(doc))
        {
            var publicKey = group.GetProperty("publicKey").Hex("pk");
            var verified = Ed25519.Verify(publicKey, test.Hex("msg"), test.Hex("sig"));
            switch (test.Str("result"))
            {
                case "valid":
                    valid++;
                    if (!verified)
                    {
                        failures.Add("valid but rejected: " + test.Describe());
                    }

                    break;
                case "invalid":
                    invalid++;
                    if (verified)
                    {
                        failures.Add("invalid but accepted: " + test.Describe());
                    }

                    break;
                default:
                    failures.Add("unexpected result kind: " + test.Describe());
                    break;
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(VectorFile.NumberOfTests(doc), valid + invalid);
        Assert.True(valid > 0 && invalid > 0, $"valid {valid}, invalid {invalid}");
    }
}
