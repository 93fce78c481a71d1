using PeatMesh.Security;

namespace PeatMesh.Tests.Security;

public class FormationAuthTests
{
    [Fact]
    public void EncodeResult_AcceptedIsOneRejectedIsZero()
    {
        Assert.Equal(0x01, FormationAuth.EncodeResult(FormationAuthResult.Accepted));
        Assert.Equal(0x00, FormationAuth.EncodeResult(FormationAuthResult.Rejected));
    }

    [Fact]
    public void DecodeResult_OnlyByteOneIsAccepted()
    {
        for (var value = 0; value <= 255; value++)
        {
            var expected = value == 1 ? FormationAuthResult.Accepted : FormationAuthResult.Rejected;
            Assert.Equal(expected, FormationAuth.DecodeResult((byte)value));
        }
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(31, false)]
    [InlineData(32, true)]
    [InlineData(33, true)]
    [InlineData(256, true)]
    [InlineData(257, false)]
    public void TryDecodeResponse_Bounds_FirstThirtyTwoOfAtLeastThirtyTwo(int length, bool ok)
    {
        var encoded = Enumerable.Range(0, length).Select(i => (byte)(i + 1)).ToArray();
        Assert.Equal(ok, FormationAuth.TryDecodeResponse(encoded, out var response));
        if (ok)
        {
            Assert.Equal(encoded[..32], response.ToArray());
        }
        else
        {
            Assert.True(response.IsEmpty);
        }
    }

    [Fact]
    public void EndToEnd_EncodedChallengeAndResponse_Accepted()
    {
        var secret = FormationSecret.Generate();
        using var acceptor = FormationKey.FromBase64(FormationAuth.DefaultFormationId, secret);
        using var connector = FormationKey.FromBase64(FormationAuth.DefaultFormationId, secret);

        var challenge = acceptor.CreateChallenge();
        var wireChallenge = challenge.ToBytes();
        Assert.True(wireChallenge.Length <= FormationAuth.MaxChallengeBytes);

        var received = FormationChallenge.Parse(wireChallenge);
        Assert.Equal(connector.FormationId, received.FormationId);
        var wireResponse = connector.RespondToChallenge(received);

        Assert.True(FormationAuth.TryDecodeResponse(wireResponse, out var response));
        var result = acceptor.VerifyResponse(challenge, response) ? FormationAuthResult.Accepted : FormationAuthResult.Rejected;
        Assert.Equal(FormationAuthResult.Accepted, FormationAuth.DecodeResult(FormationAuth.EncodeResult(result)));
    }
}
