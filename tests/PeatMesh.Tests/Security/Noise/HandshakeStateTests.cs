using System.Security.Cryptography;
using PeatMesh.Security.Noise;

namespace PeatMesh.Tests.Security.Noise;

/// <summary>HandshakeState behaviour beyond the published vectors: misuse, corruption, bounds and PSK mismatch.</summary>
public class HandshakeStateTests
{
    private const string XXpsk3 = "Noise_XXpsk3_25519_ChaChaPoly_SHA256";

    [Fact]
    public void WriteMessage_OutOfTurn_ThrowsInvalidOperation()
    {
        using var responder = New(XXpsk3, initiator: false);

        Assert.False(responder.IsMyTurnToWrite);
        Assert.Throws<InvalidOperationException>(() => responder.WriteMessage([]));
    }

    [Fact]
    public void Constructor_MissingStaticKeyOrWrongPskCount_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new HandshakeState(new HandshakeParameters { ProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256", Initiator = true }));
        Assert.Throws<ArgumentException>(() => new HandshakeState(new HandshakeParameters
        {
            ProtocolName = XXpsk3,
            Initiator = true,
            LocalStaticPrivateKey = TestKeys.Bytes(32, 1),
        }));
        Assert.Throws<ArgumentException>(() => new HandshakeState(new HandshakeParameters
        {
            ProtocolName = "Noise_IK_25519_ChaChaPoly_SHA256",
            Initiator = true,
            LocalStaticPrivateKey = TestKeys.Bytes(32, 1),
        }));
        Assert.Throws<ArgumentException>(() => new HandshakeState(new HandshakeParameters
        {
            ProtocolName = XXpsk3,
            Initiator = true,
            LocalStaticPrivateKey = TestKeys.Bytes(32, 1),
            PreSharedKeys = [TestKeys.Bytes(31, 2)],
        }));
    }

    [Fact]
    public void Handshake_DifferentPsks_FailsExactlyAtTheFirstPayloadAfterThePskToken()
    {
        using var initiator = New(XXpsk3, initiator: true, psk: TestKeys.Psk(1));
        using var responder = New(XXpsk3, initiator: false, psk: TestKeys.Psk(2));

        responder.ReadMessage(initiator.WriteMessage([]));
        initiator.ReadMessage(responder.WriteMessage([]));
        var message3 = initiator.WriteMessage("id"u8);

        var ex = Assert.Throws<NoiseException>(() => responder.ReadMessage(message3));
        Assert.Equal(NoiseError.DecryptionFailed, ex.Error);
        Assert.Throws<InvalidOperationException>(() => responder.ReadMessage(message3));
        Assert.False(responder.IsCompleted);
    }

    [Fact]
    public void ReadMessage_Truncated_ThrowsInvalidMessageAndAborts()
    {
        using var initiator = New(XXpsk3, initiator: true);
        using var responder = New(XXpsk3, initiator: false);
        var message1 = initiator.WriteMessage([]);

        var ex = Assert.Throws<NoiseException>(() => responder.ReadMessage(message1.AsSpan(0, 40)));

        Assert.Equal(NoiseError.InvalidMessage, ex.Error);
        Assert.Throws<InvalidOperationException>(() => responder.ReadMessage(message1));
    }

    [Fact]
    public void ReadMessage_OverMaxMessageSize_ThrowsInvalidMessage()
    {
        using var responder = New("Noise_NN_25519_ChaChaPoly_SHA256", initiator: false, needsStatic: false);

        var ex = Assert.Throws<NoiseException>(() => responder.ReadMessage(new byte[NoiseConstants.MaxMessageSize + 1]));
        Assert.Equal(NoiseError.InvalidMessage, ex.Error);
    }

    [Fact]
    public void WriteMessage_PayloadPastMaxMessageSize_ThrowsArgumentExceptionWithoutAborting()
    {
        using var initiator = New("Noise_NN_25519_ChaChaPoly_SHA256", initiator: true, needsStatic: false);

        Assert.Throws<ArgumentException>(() => initiator.WriteMessage(new byte[NoiseConstants.MaxMessageSize - 31]));
        Assert.Equal(NoiseConstants.MaxMessageSize, initiator.WriteMessage(new byte[NoiseConstants.MaxMessageSize - 32]).Length);
    }

    [Fact]
    public void WriteMessage_PeerEphemeralOfLowOrder_ThrowsInvalidPublicKey()
    {
        using var responder = New("Noise_NN_25519_ChaChaPoly_SHA256", initiator: false, needsStatic: false);
        responder.ReadMessage(new byte[32]); // e = 0: a low-order point

        var ex = Assert.Throws<NoiseException>(() => responder.WriteMessage([]));
        Assert.Equal(NoiseError.InvalidPublicKey, ex.Error);
    }

    [Fact]
    public void Split_BeforeCompletionOrTwice_ThrowsInvalidOperation()
    {
        using var initiator = New("Noise_NN_25519_ChaChaPoly_SHA256", initiator: true, needsStatic: false);
        using var responder = New("Noise_NN_25519_ChaChaPoly_SHA256", initiator: false, needsStatic: false);
        Assert.Throws<InvalidOperationException>(() => initiator.Split());

        responder.ReadMessage(initiator.WriteMessage([]));
        initiator.ReadMessage(responder.WriteMessage([]));
        using var transport = initiator.Split();

        Assert.Throws<InvalidOperationException>(() => initiator.Split());
        Assert.Equal(transport.HandshakeHash.ToArray(), initiator.HandshakeHash.ToArray());
    }

    [Fact]
    public void Handshake_RandomEphemerals_BothSidesAgreeAndExchangeData()
    {
        using var initiator = New(XXpsk3, initiator: true);
        using var responder = New(XXpsk3, initiator: false);

        responder.ReadMessage(initiator.WriteMessage("a"u8));
        initiator.ReadMessage(responder.WriteMessage("b"u8));
        Assert.Equal("c"u8.ToArray(), responder.ReadMessage(initiator.WriteMessage("c"u8)));
        using var i = initiator.Split();
        using var r = responder.Split();

        Assert.Equal(i.HandshakeHash.ToArray(), r.HandshakeHash.ToArray());
        Assert.Equal(initiator.LocalStaticPublicKey.ToArray(), responder.RemoteStaticPublicKey.ToArray());
        var message = new byte[20];
        i.WriteMessage("ping"u8, message);
        var plaintext = new byte[4];
        r.ReadMessage(message, plaintext);
        Assert.Equal("ping"u8.ToArray(), plaintext);
    }

    [Fact]
    public void HandshakeParameters_ToString_ContainsNoKeyMaterial()
    {
        var psk = TestKeys.Psk(5);
        var parameters = new HandshakeParameters { ProtocolName = XXpsk3, Initiator = true, PreSharedKeys = [psk] };
        Assert.DoesNotContain(Convert.ToHexString(psk)[..8], parameters.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private static HandshakeState New(string protocol, bool initiator, byte[]? psk = null, bool needsStatic = true) => new(new HandshakeParameters
    {
        ProtocolName = protocol,
        Initiator = initiator,
        Prologue = "test"u8.ToArray(),
        LocalStaticPrivateKey = needsStatic ? RandomNumberGenerator.GetBytes(32) : ReadOnlyMemory<byte>.Empty,
        PreSharedKeys = HandshakePattern.FromProtocolName(protocol).PskCount == 0 ? [] : [psk ?? TestKeys.Psk(1)],
    });
}
